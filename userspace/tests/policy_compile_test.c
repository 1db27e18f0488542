// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - the policy compiler (policy_compile.c)
 *
 * Policies naming files in a temporary tree are parsed, then compiled; the
 * entries must name the inodes stat(2) reports, in the kernel's dev_t
 * encoding, and the compiler must refuse what would make a label or an app
 * ambiguous.  The tree:
 *
 *   DIR/a        a regular file
 *   DIR/b        a hard link to a
 *   DIR/s        a symbolic link to a
 *   DIR/c        another regular file
 *   DIR/d/       a directory, holding DIR/d/inner
 *   DIR/tool     an executable (a copy of this program)
 *   DIR/tool-ln  a symbolic link to tool
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "policy_compile.h"

FIXTURE(tree)
{
	char dir[64];
	struct policy p;
	struct compiled_policy c;
	struct diag_list diags;
};

/* DIR/@rel; a few results live at once, for calls taking several. */
static const char *at(FIXTURE_DATA(tree) * self, const char *rel)
{
	static char paths[4][PATH_MAX];
	static unsigned int next;
	char *path = paths[next++ % 4];

	snprintf(path, PATH_MAX, "%s/%s", self->dir, rel);
	return path;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t got;
	int in, out, err = 0;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((got = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, got) != got) {
			err = -1;
			break;
		}
	if (got < 0)
		err = -1;
	close(in);
	if (close(out))
		err = -1;
	return err;
}

static int create_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	return close(fd);
}

FIXTURE_SETUP(tree)
{
	strcpy(self->dir, "/tmp/ward-compile-test-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, create_file(at(self, "a")));
	ASSERT_EQ(0, link(at(self, "a"), at(self, "b")));
	ASSERT_EQ(0, symlink(at(self, "a"), at(self, "s")));
	ASSERT_EQ(0, create_file(at(self, "c")));
	ASSERT_EQ(0, mkdir(at(self, "d"), 0755));
	ASSERT_EQ(0, create_file(at(self, "d/inner")));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "tool"), 0755));
	ASSERT_EQ(0, symlink("tool", at(self, "tool-ln")));
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

FIXTURE_TEARDOWN(tree)
{
	compiled_policy_free(&self->c);
	policy_free(&self->p);
	diag_free(&self->diags);
	nftw(self->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Parses @text, which the parser must accept, and compiles it. */
static int compile_text(struct __test_metadata *_metadata,
			FIXTURE_DATA(tree) * self, const char *text)
{
	int err;

	err = policy_parse(&self->p, "test.policy", text, strlen(text),
			   &self->diags);
	ASSERT_EQ(0, err)
	{
		diag_print(&self->diags, stderr);
	}
	return policy_compile(&self->p, &self->c, &self->diags);
}

/* Like compile_text(), with a format where "%1$s" stands for DIR. */
static int compile(struct __test_metadata *_metadata, FIXTURE_DATA(tree) * self,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int compile(struct __test_metadata *_metadata, FIXTURE_DATA(tree) * self,
		   const char *fmt, ...)
{
	va_list ap;
	char *text;
	int len, err;

	va_start(ap, fmt);
	len = vasprintf(&text, fmt, ap);
	va_end(ap);
	ASSERT_LE(0, len);
	err = compile_text(_metadata, self, text);
	free(text);
	return err;
}

/*
 * The inode @path names, as the kernel names it: computed here, not with
 * kernel_dev(), so that the test checks the encoding.
 */
static struct ward_inode_ref inode_of(struct __test_metadata *_metadata,
				      const char *path)
{
	struct stat st;

	ASSERT_EQ(0, stat(path, &st))
	{
		TH_LOG("stat %s: %s", path, strerror(errno));
	}
	return (struct ward_inode_ref){
		.dev = (__u64)major(st.st_dev) << 20 | minor(st.st_dev),
		.ino = st.st_ino,
	};
}

static const struct policy_entry *find_inode(const struct compiled_policy *c,
					     __u32 kind,
					     struct ward_inode_ref ref)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].key.kind == kind &&
		    c->entries[i].key.inode.dev == ref.dev &&
		    c->entries[i].key.inode.ino == ref.ino)
			return &c->entries[i];
	return NULL;
}

/* The entry of @kind for the inode DIR/@rel names. */
static const struct policy_entry *find_at(struct __test_metadata *_metadata,
					  FIXTURE_DATA(tree) * self, __u32 kind,
					  const char *rel)
{
	return find_inode(&self->c, kind, inode_of(_metadata, at(self, rel)));
}

static const struct policy_entry *find_rule(const struct compiled_policy *c,
					    __u32 label, __u32 app)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].key.kind == WARD_KEY_RULE &&
		    c->entries[i].key.rule.label == label &&
		    c->entries[i].key.rule.app == app)
			return &c->entries[i];
	return NULL;
}

static int count(const struct compiled_policy *c, __u32 kind)
{
	int n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->entries[i].key.kind == kind;
	return n;
}

/*
 * What every compiled policy must be: one META entry, keys unique (sorted),
 * reserved fields zero, counters matching the entries.
 */
static void check_entries(struct __test_metadata *_metadata,
			  const struct compiled_policy *c)
{
	EXPECT_EQ(1, count(c, WARD_KEY_META));
	EXPECT_EQ(c->info.objects, (__u32)count(c, WARD_KEY_OBJECT));
	EXPECT_EQ(c->info.exes, (__u32)count(c, WARD_KEY_EXE));
	EXPECT_EQ(c->info.rules, (__u32)count(c, WARD_KEY_RULE));
	EXPECT_EQ(c->n,
		  (size_t)(1 + c->info.objects + c->info.exes + c->info.rules));
	for (size_t i = 0; i < c->n; i++) {
		const struct ward_policy_key *key = &c->entries[i].key;

		EXPECT_EQ(0U, key->reserved);
		if (key->kind == WARD_KEY_META) {
			EXPECT_EQ(0ULL, key->inode.dev);
			EXPECT_EQ(0ULL, key->inode.ino);
		}
		if (key->kind == WARD_KEY_RULE) {
			EXPECT_EQ(0ULL, key->rule.reserved);
			EXPECT_NE(0U, key->rule.label);
			EXPECT_NE(0U, key->rule.app);
		}
		if (i) {
			EXPECT_GT(0, memcmp(&c->entries[i - 1].key, key,
					    sizeof(*key)))
			{
				TH_LOG("entries %zu and %zu: keys out of order or duplicated",
				       i - 1, i);
			}
		}
	}
}

static const struct policy_entry *meta(const struct compiled_policy *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].key.kind == WARD_KEY_META)
			return &c->entries[i];
	return NULL;
}

TEST_F(tree, compile_builds_meta_object_exe_and_rule_entries)
{
	const struct policy_entry *e;
	unsigned int col_d = 12 + strlen(at(self, "a")) + 1;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.2.3\n"
			     "mode complain\n"
			     "files data %1$s/a %1$s/d\n"
			     "files other %1$s/c\n"
			     "app tool %1$s/tool\n"
			     "allow tool write data\n"
			     "allow tool write other data\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(7, (int)self->c.n);

	e = meta(&self->c);
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_MODE_COMPLAIN, e->value.mode);

	e = find_at(_metadata, self, WARD_KEY_OBJECT, "a");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1U, e->value.label);
	EXPECT_EQ(3U, e->line);
	EXPECT_EQ(12U, e->col);
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "d");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1U, e->value.label);
	EXPECT_EQ(3U, e->line);
	EXPECT_EQ(col_d, e->col);
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "c");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(2U, e->value.label);
	EXPECT_EQ(4U, e->line);
	EXPECT_EQ(13U, e->col);
	/* A directory's contents are covered by its entry, not listed. */
	EXPECT_EQ(NULL, find_at(_metadata, self, WARD_KEY_OBJECT, "d/inner"));

	e = find_at(_metadata, self, WARD_KEY_EXE, "tool");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1U, e->value.app);
	EXPECT_EQ(5U, e->line);
	EXPECT_EQ(10U, e->col);

	/* Both rules grant (data, tool): one entry, from the first rule. */
	e = find_rule(&self->c, 1, 1);
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_ACCESS_WRITE, e->value.access);
	EXPECT_EQ(6U, e->line);
	e = find_rule(&self->c, 2, 1);
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_ACCESS_WRITE, e->value.access);
	EXPECT_EQ(7U, e->line);

	EXPECT_EQ(3U, self->c.info.objects);
	EXPECT_EQ(1U, self->c.info.exes);
	EXPECT_EQ(2U, self->c.info.rules);
}

TEST_F(tree, compile_encodes_dev_as_the_kernel_does)
{
	const struct policy_entry *e;
	struct stat st;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\nfiles data %1$s/a\n", self->dir));
	ASSERT_EQ(0, stat(at(self, "a"), &st));
	ASSERT_EQ(2, (int)self->c.n);
	e = &self->c.entries[1];
	EXPECT_EQ((__u32)WARD_KEY_OBJECT, e->key.kind);
	EXPECT_EQ(((__u64)major(st.st_dev) << 20) | minor(st.st_dev),
		  e->key.inode.dev);
	EXPECT_EQ((__u64)st.st_ino, e->key.inode.ino);
	EXPECT_EQ(kernel_dev(st.st_dev), e->key.inode.dev);
}

TEST(kernel_dev_is_major_shifted_by_20_or_minor)
{
	EXPECT_EQ(0ULL, kernel_dev(makedev(0, 0)));
	EXPECT_EQ((8ULL << 20) | 1, kernel_dev(makedev(8, 1)));
	EXPECT_EQ((259ULL << 20) | 3, kernel_dev(makedev(259, 3)));
	/* Minors beyond 255 are where stat(2)'s encoding differs. */
	EXPECT_EQ((0ULL << 20) | 0x12345, kernel_dev(makedev(0, 0x12345)));
	EXPECT_EQ((0xfffULL << 20) | 0xfffff,
		  kernel_dev(makedev(0xfff, 0xfffff)));
}

TEST_F(tree, compile_mode_defaults_to_enforce)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self, "policy t 1.0.0\n"));
	check_entries(_metadata, &self->c);
	ASSERT_EQ(1, (int)self->c.n);
	e = meta(&self->c);
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_MODE_ENFORCE, e->value.mode);
	EXPECT_EQ(0U, self->c.info.objects);
	EXPECT_EQ(0U, self->c.info.exes);
	EXPECT_EQ(0U, self->c.info.rules);
}

TEST_F(tree, compile_records_name_version_digest_and_time)
{
	time_t before = time(NULL), after;

	ASSERT_EQ(0, compile(_metadata, self, "policy web-server 10.2.3\n"));
	after = time(NULL);
	EXPECT_STREQ("web-server", self->c.info.name);
	EXPECT_STREQ("10.2.3", self->c.info.version);
	EXPECT_EQ(0, memcmp(self->p.sha256, self->c.info.sha256,
			    sizeof(self->c.info.sha256)));
	EXPECT_LE((__u64)before, self->c.info.loaded_at);
	EXPECT_GE((__u64)after, self->c.info.loaded_at);
	EXPECT_EQ(0U, self->c.info.reserved);
}

TEST_F(tree, compile_merges_rules_for_one_label_and_app)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "app tool %1$s/tool\n"
			     "allow tool write data\n"
			     "allow tool write,write data data\n"
			     "allow tool write data\n",
			     self->dir));
	check_entries(_metadata, &self->c);
	EXPECT_EQ(1, count(&self->c, WARD_KEY_RULE));
	EXPECT_EQ(1U, self->c.info.rules);
	e = find_rule(&self->c, 1, 1);
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_ACCESS_WRITE, e->value.access);
	EXPECT_EQ(4U, e->line);
}

TEST_F(tree, compile_keeps_a_rule_per_label_and_app)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files one %1$s/a\n"
			     "files two %1$s/c\n"
			     "files three %1$s/d\n"
			     "app x %1$s/tool\n"
			     "app y %1$s/nothing\n"
			     "allow x write one two\n"
			     "allow y write two three\n"
			     "allow x write three\n",
			     self->dir));
	check_entries(_metadata, &self->c);
	EXPECT_EQ(5U, self->c.info.rules);
	EXPECT_NE(NULL, find_rule(&self->c, 1, 1));
	EXPECT_NE(NULL, find_rule(&self->c, 2, 1));
	EXPECT_NE(NULL, find_rule(&self->c, 3, 1));
	EXPECT_EQ(NULL, find_rule(&self->c, 1, 2));
	/* App y has no executable here, but its rules are kept. */
	EXPECT_NE(NULL, find_rule(&self->c, 2, 2));
	EXPECT_NE(NULL, find_rule(&self->c, 3, 2));
}

TEST_F(tree, compile_warns_about_missing_paths_and_succeeds)
{
	const char *missing = at(self, "missing");
	const char *notdir = at(self, "a/x");
	const char *dangling = at(self, "dangling");
	unsigned int col_missing = 12 + strlen(at(self, "a")) + 1;
	unsigned int col_notdir = col_missing + strlen(missing) + 1;
	unsigned int col_dangling = col_notdir + strlen(notdir) + 1;
	char msg[3 * PATH_MAX];

	ASSERT_EQ(0, symlink("nowhere", dangling));
	ASSERT_EQ(
		0,
		compile(_metadata, self,
			"policy t 1.0.0\n"
			"files data %1$s/a %1$s/missing %1$s/a/x %1$s/dangling\n"
			"app tool %1$s/tool\n"
			"allow tool write data\n",
			self->dir));
	EXPECT_EQ(0, (int)self->diags.errors);
	ASSERT_EQ(3, (int)self->diags.n);

	EXPECT_EQ(DIAG_WARNING, (int)self->diags.v[0].severity);
	EXPECT_STREQ("test.policy", self->diags.v[0].file);
	EXPECT_EQ(2U, self->diags.v[0].line);
	EXPECT_EQ(col_missing, self->diags.v[0].col);
	snprintf(msg, sizeof(msg),
		 "files 'data': '%s' skipped: No such file or directory",
		 missing);
	EXPECT_STREQ(msg, self->diags.v[0].msg);

	EXPECT_EQ(DIAG_WARNING, (int)self->diags.v[1].severity);
	EXPECT_EQ(col_notdir, self->diags.v[1].col);
	snprintf(msg, sizeof(msg),
		 "files 'data': '%s' skipped: Not a directory", notdir);
	EXPECT_STREQ(msg, self->diags.v[1].msg);

	EXPECT_EQ(DIAG_WARNING, (int)self->diags.v[2].severity);
	EXPECT_EQ(col_dangling, self->diags.v[2].col);
	snprintf(msg, sizeof(msg),
		 "files 'data': '%s' skipped: No such file or directory",
		 dangling);
	EXPECT_STREQ(msg, self->diags.v[2].msg);

	/* What exists is compiled as if the rest were not written. */
	check_entries(_metadata, &self->c);
	EXPECT_EQ(1U, self->c.info.objects);
	EXPECT_NE(NULL, find_at(_metadata, self, WARD_KEY_OBJECT, "a"));
	EXPECT_EQ(1U, self->c.info.exes);
	EXPECT_EQ(1U, self->c.info.rules);
}

TEST_F(tree, compile_warns_about_a_missing_app)
{
	const char *missing = at(self, "nope");
	char msg[2 * PATH_MAX];

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "app tool %1$s/nope\n"
			     "allow tool write data\n",
			     self->dir));
	ASSERT_EQ(1, (int)self->diags.n);
	EXPECT_EQ(DIAG_WARNING, (int)self->diags.v[0].severity);
	EXPECT_EQ(3U, self->diags.v[0].line);
	EXPECT_EQ(10U, self->diags.v[0].col);
	snprintf(msg, sizeof(msg),
		 "app 'tool': '%s' skipped: No such file or directory",
		 missing);
	EXPECT_STREQ(msg, self->diags.v[0].msg);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(0U, self->c.info.exes);
	EXPECT_EQ(1U, self->c.info.rules);
}

/* The one error of a refused policy: @line, @col and @msg. */
static void expect_error(struct __test_metadata *_metadata,
			 const struct diag_list *diags, unsigned int line,
			 unsigned int col, const char *msg)
{
	ASSERT_EQ(1, (int)diags->n)
	{
		diag_print(diags, stderr);
	}
	EXPECT_EQ(1, (int)diags->errors);
	EXPECT_EQ(DIAG_ERROR, (int)diags->v[0].severity);
	EXPECT_STREQ("test.policy", diags->v[0].file);
	EXPECT_EQ(line, diags->v[0].line);
	EXPECT_EQ(col, diags->v[0].col);
	EXPECT_STREQ(msg, diags->v[0].msg);
}

TEST_F(tree, compile_rejects_a_hard_link_in_two_files_sets)
{
	const struct policy_entry *e;

	EXPECT_EQ(-EINVAL, compile(_metadata, self,
				   "policy t 1.0.0\n"
				   "files one %1$s/c %1$s/a\n"
				   "files two %1$s/b\n",
				   self->dir));
	expect_error(
		_metadata, &self->diags, 3, 11,
		"this is the same file as one in files 'one' (line 2): a file can be in one files set only");
	/* The entry kept is the first written. */
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "b");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1U, e->value.label);
	check_entries(_metadata, &self->c);
}

TEST_F(tree, compile_rejects_a_symlink_in_two_files_sets)
{
	EXPECT_EQ(-EINVAL, compile(_metadata, self,
				   "policy t 1.0.0\n"
				   "files one %1$s/s\n"
				   "\n"
				   "files two %1$s/c %1$s/a\n",
				   self->dir));
	expect_error(
		_metadata, &self->diags, 4, 11 + strlen(at(self, "c")) + 1,
		"this is the same file as one in files 'one' (line 2): a file can be in one files set only");
}

TEST_F(tree, compile_accepts_one_file_twice_in_one_set)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a %1$s/s %1$s/b\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(1U, self->c.info.objects);
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "a");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1U, e->value.label);
	EXPECT_EQ(12U, e->col);
}

TEST_F(tree, compile_accepts_a_directory_and_a_file_in_it)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files tree %1$s/d\n"
			     "files inner %1$s/d/inner\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	EXPECT_EQ(2U, self->c.info.objects);
}

TEST_F(tree, compile_rejects_a_directory_as_app)
{
	char msg[2 * PATH_MAX];

	EXPECT_EQ(-EINVAL, compile(_metadata, self,
				   "policy t 1.0.0\n"
				   "app tool %1$s/tool %1$s/d\n",
				   self->dir));
	snprintf(msg, sizeof(msg),
		 "app 'tool': '%s' is not a regular file: name the executable",
		 at(self, "d"));
	expect_error(_metadata, &self->diags, 2,
		     10 + strlen(at(self, "tool")) + 1, msg);
	EXPECT_EQ(1U, self->c.info.exes);
	EXPECT_EQ(NULL, find_at(_metadata, self, WARD_KEY_EXE, "d"));
}

TEST_F(tree, compile_resolves_an_app_symlink_to_the_executable)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app tool %1$s/tool-ln\n",
			     self->dir));
	e = find_at(_metadata, self, WARD_KEY_EXE, "tool");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1U, e->value.app);
}

TEST_F(tree, compile_rejects_an_executable_in_two_apps)
{
	EXPECT_EQ(-EINVAL, compile(_metadata, self,
				   "policy t 1.0.0\n"
				   "app one %1$s/tool\n"
				   "app two %1$s/tool-ln\n",
				   self->dir));
	expect_error(
		_metadata, &self->diags, 3, 9,
		"this is the same file as one in app 'one' (line 2): a file can be in one app only");
}

TEST_F(tree, compile_accepts_one_executable_twice_in_one_app)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app tool %1$s/tool %1$s/tool-ln\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	EXPECT_EQ(1U, self->c.info.exes);
}

TEST_F(tree, compile_accepts_a_file_that_is_also_an_app)
{
	const struct policy_entry *obj, *exe;
	struct ward_inode_ref tool;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files binaries %1$s/tool\n"
			     "app tool %1$s/tool\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	tool = inode_of(_metadata, at(self, "tool"));
	obj = find_inode(&self->c, WARD_KEY_OBJECT, tool);
	exe = find_inode(&self->c, WARD_KEY_EXE, tool);
	ASSERT_NE(NULL, obj);
	ASSERT_NE(NULL, exe);
	EXPECT_EQ(1U, obj->value.label);
	EXPECT_EQ(1U, exe->value.app);
}

/*
 * A policy of @n_files files sets and @n_apps apps, every app allowed to
 * write every set: n_files * n_apps rules.  The paths do not exist, so
 * they only add warnings.
 */
static char *big_policy(const char *dir, unsigned int n_files,
			unsigned int n_apps)
{
	char *text = NULL;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	fprintf(f, "policy big 1.0.0\n");
	for (unsigned int i = 0; i < n_files; i++)
		fprintf(f, "files f%u %s/missing/f%u\n", i, dir, i);
	for (unsigned int i = 0; i < n_apps; i++) {
		fprintf(f, "app a%u %s/missing/a%u\n", i, dir, i);
		fprintf(f, "allow a%u write", i);
		for (unsigned int k = 0; k < n_files; k++)
			fprintf(f, " f%u", k);
		fputc('\n', f);
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

TEST_F(tree, compile_accepts_as_many_entries_as_the_map_holds)
{
	/* 255 * 257 rules and the META entry: WARD_POLICY_MAX_ENTRIES. */
	char *text = big_policy(self->dir, 255, 257);

	ASSERT_EQ(WARD_POLICY_MAX_ENTRIES, 255 * 257 + 1);
	ASSERT_NE(NULL, text);
	EXPECT_EQ(0, compile_text(_metadata, self, text));
	free(text);
	EXPECT_EQ(0, (int)self->diags.errors);
	EXPECT_EQ(255 + 257, (int)self->diags.n);
	EXPECT_EQ(WARD_POLICY_MAX_ENTRIES, (int)self->c.n);
	EXPECT_EQ(255U * 257U, self->c.info.rules);
}

TEST_F(tree, compile_rejects_more_entries_than_the_map_holds)
{
	char *text = big_policy(self->dir, 255, 258);
	const struct diag *d = NULL;

	ASSERT_NE(NULL, text);
	EXPECT_EQ(-EINVAL, compile_text(_metadata, self, text));
	free(text);
	EXPECT_EQ(1, (int)self->diags.errors);
	for (size_t i = 0; i < self->diags.n; i++)
		if (self->diags.v[i].severity == DIAG_ERROR)
			d = &self->diags.v[i];
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0U, d->line);
	EXPECT_EQ(0U, d->col);
	EXPECT_STREQ(
		"the policy needs 65791 kernel entries, more than the 65536 allowed: cover directories rather than files",
		d->msg);
}

TEST_F(tree, compile_counts_only_its_own_errors)
{
	/* An error already in the list is not this compilation's. */
	diag_add(&self->diags, DIAG_ERROR, "other.policy", 1, 1, "earlier");
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\nfiles data %1$s/a\n", self->dir));
	EXPECT_EQ(1, (int)self->diags.errors);
}

TEST_HARNESS_MAIN
