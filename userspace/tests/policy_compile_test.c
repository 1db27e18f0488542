// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - the policy compiler (policy_compile.c)
 *
 * Policies naming files in a temporary tree are parsed, then compiled, and
 * the entries checked one by one: labels of inodes (in the kernel's dev_t
 * encoding), rules, label and app properties, user sets, capabilities and
 * ports, and what the compiler must refuse.  The tree:
 *
 *   DIR/a        a regular file
 *   DIR/b        a hard link to a
 *   DIR/s        a symbolic link to a
 *   DIR/c        another regular file
 *   DIR/d/       a directory, holding DIR/d/inner
 *   DIR/tool     an executable (a copy of this program)
 *   DIR/tool-ln  a symbolic link to tool
 *   DIR/tool2    another executable
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "unit.h"
#include "policy_compile.h"
#include "policy_names.h"

/* Two app names whose ids collide (FNV-1a differs in the top bit only). */
#define COLLIDING_1 "app270398"
#define COLLIDING_2 "app818116"
/* A name whose FNV-1a is 0x80000000, 0 once the top bit is cleared. */
#define HASHES_TO_ZERO "afjtjzd"

FIXTURE(tree)
{
	char dir[64];
	struct policy p;
	struct compiled_policy c;
	struct diag_list pdiags; /* the parser's and policy_finish()'s */
	struct diag_list diags; /* the compiler's */
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
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "tool2"), 0755));
	policy_init(&self->p);
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

FIXTURE_TEARDOWN(tree)
{
	compiled_policy_free(&self->c);
	policy_free(&self->p);
	diag_free(&self->pdiags);
	diag_free(&self->diags);
	nftw(self->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Parses one file, whose text must be accepted, into the policy. */
static void parse(struct __test_metadata *_metadata, FIXTURE_DATA(tree) * self,
		  const char *file, const char *text)
{
	ASSERT_EQ(0, policy_parse(&self->p, file, text, strlen(text),
				  &self->pdiags))
	{
		diag_print(&self->pdiags, stderr);
	}
}

/*
 * Finishes the policy parsed, which must be accepted, and compiles it,
 * its paths resolved from before the finish as "ward policy" does.
 */
static int finish_and_compile(struct __test_metadata *_metadata,
			      FIXTURE_DATA(tree) * self)
{
	struct policy_paths *paths = policy_paths_start(&self->p);
	int err;

	ASSERT_EQ(0, policy_finish(&self->p, &self->pdiags))
	{
		diag_print(&self->pdiags, stderr);
		/* Its thread reads the policy the teardown frees. */
		policy_paths_free(paths);
	}
	err = policy_compile(&self->p, paths, &self->c, &self->diags);
	policy_paths_free(paths);
	return err;
}

/* Parses and compiles a policy from a format where "%1$s" stands for DIR. */
static int compile(struct __test_metadata *_metadata, FIXTURE_DATA(tree) * self,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int compile(struct __test_metadata *_metadata, FIXTURE_DATA(tree) * self,
		   const char *fmt, ...)
{
	va_list ap;
	char *text;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&text, fmt, ap);
	va_end(ap);
	ASSERT_LE(0, len);
	parse(_metadata, self, "test.policy", text);
	free(text);
	return finish_and_compile(_metadata, self);
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

/* The entry whose key is @key; NULL if there is none. */
static const struct policy_entry *find(const struct compiled_policy *c,
				       const struct ward_policy_key *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (!memcmp(&c->entries[i].key, key, sizeof(*key)))
			return &c->entries[i];
	return NULL;
}

/* The entry of @kind (OBJECT or EXE) for the inode DIR/@rel names. */
static const struct policy_entry *find_at(struct __test_metadata *_metadata,
					  FIXTURE_DATA(tree) * self, __u32 kind,
					  const char *rel)
{
	struct ward_policy_key key = { .kind = kind };

	key.inode = inode_of(_metadata, at(self, rel));
	return find(&self->c, &key);
}

/* The label of DIR/@rel, 0 when it has no OBJECT entry. */
static __u32 label_at(struct __test_metadata *_metadata,
		      FIXTURE_DATA(tree) * self, const char *rel)
{
	const struct policy_entry *e =
		find_at(_metadata, self, WARD_KEY_OBJECT, rel);

	return e ? e->value.label : 0;
}

static const struct policy_entry *find_rule(const struct compiled_policy *c,
					    __u32 kind, __u32 label,
					    __u32 subject)
{
	struct ward_policy_key key = { .kind = kind };

	key.rule.label = label;
	key.rule.subject = subject;
	return find(c, &key);
}

/* The accesses RULE (@label, @subject) grants, 0 when there is none. */
static __u32 rule_access(const struct compiled_policy *c, __u32 label,
			 __u32 subject)
{
	const struct policy_entry *e =
		find_rule(c, WARD_KEY_RULE, label, subject);

	return e ? e->value.access : 0;
}

/* The user sets USERS_RULE (@label, @bit) holds, 0 when there is none. */
static __u64 users_rule(const struct compiled_policy *c, __u32 label,
			unsigned int bit)
{
	const struct policy_entry *e =
		find_rule(c, WARD_KEY_USERS_RULE, label, bit);

	return e ? e->value.users : 0;
}

/* The entry of @kind keyed by @id (LABEL, APP, CAPS, UID, GID). */
static const struct policy_entry *find_id(const struct compiled_policy *c,
					  __u32 kind, __u32 id)
{
	struct ward_policy_key key = { .kind = kind };

	key.id.id = id;
	return find(c, &key);
}

static __u32 app_flags(const struct compiled_policy *c, const char *app)
{
	const struct policy_entry *e =
		find_id(c, WARD_KEY_APP, policy_app_id(app));

	return e ? e->value.app_info.flags : 0;
}

/* The accesses a label protects, 0 when it has no LABEL entry. */
static __u32 label_protects(const struct compiled_policy *c, __u32 label)
{
	const struct policy_entry *e = find_id(c, WARD_KEY_LABEL, label);

	return e ? e->value.label_info.protects : 0;
}

static __u32 label_audit(const struct compiled_policy *c, __u32 label)
{
	const struct policy_entry *e = find_id(c, WARD_KEY_LABEL, label);

	return e ? e->value.label_info.audit : 0;
}

static __u64 users_of(const struct compiled_policy *c, __u32 kind, __u32 id)
{
	const struct policy_entry *e = find_id(c, kind, id);

	return e ? e->value.users : 0;
}

/* The NET operations of (@app, @proto, @port), 0 when there is none. */
static __u32 net_ops(const struct compiled_policy *c, const char *app,
		     __u16 proto, __u16 port)
{
	struct ward_policy_key key = { .kind = WARD_KEY_NET };
	const struct policy_entry *e;

	key.net.app = policy_app_id(app);
	key.net.proto = proto;
	key.net.port = port;
	e = find(c, &key);
	return e ? e->value.net : 0;
}

static int count(const struct compiled_policy *c, __u32 kind)
{
	int n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->entries[i].key.kind == kind;
	return n;
}

/*
 * The label of the block devices under DIR ("storage"), 0 when DIR is on
 * none (tmpfs): it depends on the machine, so tests count it apart.
 */
static __u32 storage_label(const struct compiled_policy *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].key.kind == WARD_KEY_OBJECT &&
		    c->entries[i].key.inode.dev == WARD_DEV_BLOCK)
			return c->entries[i].value.label;
	return 0;
}

/* The highest label an inode of DIR carries. */
static __u32 max_object_label(const struct compiled_policy *c)
{
	__u32 max = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].key.kind == WARD_KEY_OBJECT &&
		    c->entries[i].key.inode.dev != WARD_DEV_BLOCK &&
		    c->entries[i].value.label > max)
			max = c->entries[i].value.label;
	return max;
}

static const struct policy_entry *meta(const struct compiled_policy *c)
{
	static const struct ward_policy_key key = { .kind = WARD_KEY_META };

	return find(c, &key);
}

/* Is @label a cover label (the value of a WARD_KEY_BENEATH entry)? */
static bool is_cover(const struct compiled_policy *c, __u32 label)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].key.kind == WARD_KEY_BENEATH &&
		    c->entries[i].value.label == label)
			return true;
	return false;
}

/* The LABEL entries of the policy's own labels, not of cover labels. */
static int labels_of_policy(const struct compiled_policy *c)
{
	int n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->entries[i].key.kind == WARD_KEY_LABEL &&
		     !is_cover(c, c->entries[i].key.id.id);
	return n;
}

/* The rules of the policy's own labels: cover labels only restate them. */
static int rules_of_labels(const struct compiled_policy *c)
{
	int n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += (c->entries[i].key.kind == WARD_KEY_RULE ||
		      c->entries[i].key.kind == WARD_KEY_USERS_RULE) &&
		     !is_cover(c, c->entries[i].key.rule.label);
	return n;
}

/*
 * What every compiled policy must be: one META entry, keys sorted and
 * unique, reserved and unused key bytes zero, values never 0 where the
 * ABI says so, counters matching the entries.
 */
static void check_entries(struct __test_metadata *_metadata,
			  const struct compiled_policy *c)
{
	static const struct ward_inode_ref zero;

	EXPECT_EQ(1, count(c, WARD_KEY_META));
	EXPECT_EQ(1, count(c, WARD_KEY_KERNEL));
	EXPECT_EQ(count(c, WARD_KEY_OBJECT),
		  (int)(c->info.objects + c->info.devices));
	EXPECT_EQ(count(c, WARD_KEY_EXE), (int)c->info.exes);
	EXPECT_EQ(rules_of_labels(c), (int)c->info.rules);
	EXPECT_LE(c->n, c->cap);
	for (size_t i = 0; i < c->n; i++) {
		const struct policy_entry *e = &c->entries[i];
		const struct ward_policy_key *key = &e->key;

		if (key->kind != WARD_KEY_INTERP)
			EXPECT_EQ(0U, key->aux);
		switch (key->kind) {
		case WARD_KEY_META:
		case WARD_KEY_KERNEL:
			EXPECT_EQ(0, memcmp(&key->inode, &zero, sizeof(zero)));
			break;
		case WARD_KEY_BPF_LOADER:
			EXPECT_EQ(1U, e->value.present);
			break;
		case WARD_KEY_OBJECT:
			EXPECT_NE(0U, e->value.label);
			break;
		case WARD_KEY_EXE:
			EXPECT_NE(0U, e->value.app);
			EXPECT_EQ(0U, e->value.app & WARD_SUBJECT_USERS);
			break;
		case WARD_KEY_RULE:
			EXPECT_NE(0U, key->rule.label);
			EXPECT_NE(0U, key->rule.subject);
			EXPECT_EQ(0ULL, key->rule.reserved);
			EXPECT_NE(0U, e->value.access);
			break;
		case WARD_KEY_USERS_RULE:
			EXPECT_NE(0U, key->rule.label);
			EXPECT_GT((__u32)WARD_ACCESS_BITS, key->rule.subject);
			EXPECT_EQ(0ULL, key->rule.reserved);
			EXPECT_NE(0ULL, e->value.users);
			break;
		case WARD_KEY_LABEL:
		case WARD_KEY_APP:
		case WARD_KEY_CAPS:
		case WARD_KEY_UID:
		case WARD_KEY_GID:
			EXPECT_EQ(0U, key->id.reserved);
			EXPECT_EQ(0ULL, key->id.reserved2);
			break;
		case WARD_KEY_NET:
			EXPECT_EQ(0ULL, key->net.reserved);
			EXPECT_NE(0U, e->value.net);
			break;
		case WARD_KEY_BENEATH:
			EXPECT_NE(0U, e->value.label);
			break;
		case WARD_KEY_INTERP:
			EXPECT_NE(0U, key->aux);
			EXPECT_EQ(1U, e->value.present);
			break;
		default:
			EXPECT_EQ(0U, key->kind)
			{
				TH_LOG("entry %zu: unknown kind", i);
			}
		}
		if (i) {
			EXPECT_GT(0, policy_key_cmp(&c->entries[i - 1].key, key))
			{
				TH_LOG("entries %zu and %zu: keys out of order or duplicated",
				       i - 1, i);
			}
		}
	}
}

/* The only diagnostic of the compiler, an error at @line:@col. */
static void expect_error(struct __test_metadata *_metadata,
			 const struct diag_list *diags, const char *file,
			 unsigned int line, unsigned int col, const char *msg)
{
	ASSERT_EQ(1, (int)diags->n)
	{
		diag_print(diags, stderr);
	}
	EXPECT_EQ(1, (int)diags->errors);
	EXPECT_EQ(DIAG_ERROR, (int)diags->v[0].severity);
	EXPECT_STREQ(file, diags->v[0].file);
	EXPECT_EQ(line, diags->v[0].line);
	EXPECT_EQ(col, diags->v[0].col);
	EXPECT_STREQ(msg, diags->v[0].msg);
}

/* Likewise a warning. */
static void expect_warning(struct __test_metadata *_metadata,
			   const struct diag *d, unsigned int line,
			   unsigned int col, const char *msg)
{
	EXPECT_EQ(DIAG_WARNING, (int)d->severity);
	EXPECT_STREQ("test.policy", d->file);
	EXPECT_EQ(line, d->line);
	EXPECT_EQ(col, d->col);
	EXPECT_STREQ(msg, d->msg);
}

TEST_F(tree, meta_entry_carries_the_default_mode_enforce_unless_set)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self, "policy t 1.0.0\n"));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	/* The meta entry and the kernel settings, all 0. */
	ASSERT_EQ(2, (int)self->c.n);
	e = meta(&self->c);
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_MODE_ENFORCE, e->value.meta.mode);
	EXPECT_EQ(0U, self->c.info.objects);
	EXPECT_EQ(0U, self->c.info.exes);
	EXPECT_EQ(0U, self->c.info.rules);
}

/*
 * The policy ward loads has ward's own app: the binary given as self_exe,
 * with rights, its executable changeable by the installer alone, and none
 * of it counted as what the policy says.
 */
TEST_F(tree, every_loaded_policy_has_wards_own_app)
{
	struct ward_policy_key key = { .kind = WARD_KEY_EXE };
	const struct policy_entry *exe, *obj, *rule;
	struct ward_rule_ref ref;

	self->p.self_exe = at(self, "tool");
	self->p.self_pins = at(self, "d");
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\napp pkg %1$s/tool2\n"
			     "installer pkg\n",
			     self->dir));
	key.inode = inode_of(_metadata, at(self, "tool"));
	exe = find(&self->c, &key);
	ASSERT_NE(NULL, exe);
	EXPECT_EQ(WARD_APP_SELF, exe->value.app);
	EXPECT_EQ((__u32)WARD_APP_GRANTS,
		  app_flags(&self->c, WARD_APP_SELF_NAME));
	key.kind = WARD_KEY_OBJECT;
	obj = find(&self->c, &key);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ((__u32)WARD_ACCESS_MODIFY,
		  label_protects(&self->c, obj->value.label));
	ref = (struct ward_rule_ref){ .label = obj->value.label,
				      .subject = policy_app_id("pkg") };
	key = (struct ward_policy_key){ .kind = WARD_KEY_RULE, .rule = ref };
	rule = find(&self->c, &key);
	ASSERT_NE(NULL, rule);
	EXPECT_EQ((__u32)WARD_ACCESS_MODIFY, rule->value.access);
	/* The pin directory is ward's alone, and what is above it covers it. */
	key = (struct ward_policy_key){ .kind = WARD_KEY_OBJECT };
	key.inode = inode_of(_metadata, at(self, "d"));
	obj = find(&self->c, &key);
	ASSERT_NE(NULL, obj);
	EXPECT_EQ((__u32)WARD_ACCESS_MODIFY,
		  label_protects(&self->c, obj->value.label));
	ref = (struct ward_rule_ref){ .label = obj->value.label,
				      .subject = WARD_APP_SELF };
	key = (struct ward_policy_key){ .kind = WARD_KEY_RULE, .rule = ref };
	rule = find(&self->c, &key);
	ASSERT_NE(NULL, rule);
	EXPECT_EQ((__u32)WARD_ACCESS_ALL, rule->value.access);
	key = (struct ward_policy_key){ .kind = WARD_KEY_BENEATH };
	key.inode = inode_of(_metadata, self->dir);
	EXPECT_NE(NULL, find(&self->c, &key));
	/* The app pkg's executable only. */
	EXPECT_EQ(1U, self->c.info.exes);
	EXPECT_EQ(1U, self->c.info.objects);
	ASSERT_EQ(2, (int)self->c.n_apps);
	EXPECT_STREQ(WARD_APP_SELF_NAME, self->c.apps[1].name.name);
}

/* "allow ward ...": a rule for ward's own app, which protects the label. */
TEST_F(tree, ward_itself_may_be_the_subject_of_a_rule)
{
	__u32 label;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\nfiles conf %1$s/a\n"
			     "allow ward write conf\n",
			     self->dir));
	label = label_at(_metadata, self, "a");
	ASSERT_NE(0U, label);
	EXPECT_EQ((__u32)WARD_ACCESS_WRITE,
		  rule_access(&self->c, label, WARD_APP_SELF));
	EXPECT_EQ((__u32)WARD_ACCESS_ALL, label_protects(&self->c, label));
}

TEST_F(tree, meta_entry_carries_complain_mode)
{
	const struct policy_entry *e;

	ASSERT_EQ(0,
		  compile(_metadata, self, "policy t 1.0.0\nmode complain\n"));
	check_entries(_metadata, &self->c);
	e = meta(&self->c);
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_MODE_COMPLAIN, e->value.meta.mode);
}

/* The WARD_KEY_KERNEL entry, which every policy has. */
static const struct policy_entry *kernel_entry(const struct compiled_policy *c)
{
	struct ward_policy_key key = { .kind = WARD_KEY_KERNEL };

	return find(c, &key);
}

TEST_F(tree, kernel_entry_is_all_zero_unless_set)
{
	static const struct ward_kernel zero;
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self, "policy t 1.0.0\n"));
	e = kernel_entry(&self->c);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(0, memcmp(&zero, &e->value.kernel, sizeof(zero)));
	EXPECT_EQ(0, memcmp(&zero, &self->c.kernel, sizeof(zero)));
	EXPECT_EQ(0, count(&self->c, WARD_KEY_BPF_LOADER));
}

TEST_F(tree, kernel_entry_carries_the_strictest_settings)
{
	const struct policy_entry *e;

	parse(_metadata, self, "a.policy",
	      "policy a 1.0.0\nkernel module signed\nkernel kexec deny\n"
	      "kernel lockdown confidentiality\n");
	parse(_metadata, self, "b.policy",
	      "policy b 1.0.0\nkernel module deny\nkernel bpf deny\n"
	      "kernel kmem deny\nlock\n");
	ASSERT_EQ(0, finish_and_compile(_metadata, self));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	e = kernel_entry(&self->c);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(WARD_KERNEL_MODULE_DENY, e->value.kernel.module);
	EXPECT_EQ(WARD_KERNEL_BPF_DENY, e->value.kernel.bpf);
	EXPECT_EQ(1, e->value.kernel.kexec);
	EXPECT_EQ(1, e->value.kernel.kmem);
	EXPECT_EQ(WARD_KERNEL_LOCKDOWN_CONFIDENTIALITY,
		  e->value.kernel.lockdown);
	EXPECT_EQ(1, e->value.kernel.lock);
	EXPECT_EQ(0, e->value.kernel.reserved);
	EXPECT_EQ(0, memcmp(&e->value.kernel, &self->c.kernel,
			    sizeof(self->c.kernel)));
}

TEST_F(tree, bpf_loaders_are_keyed_by_inode_and_missing_ones_warn)
{
	struct ward_policy_key key = { .kind = WARD_KEY_BPF_LOADER };
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "kernel bpf loader %1$s/tool %1$s/missing\n"
			     "kernel bpf loader %1$s/tool-ln\n",
			     self->dir));
	ASSERT_EQ(1, (int)self->diags.n)
	{
		diag_print(&self->diags, stderr);
	}
	EXPECT_EQ(DIAG_WARNING, (int)self->diags.v[0].severity);
	EXPECT_EQ(2U, self->diags.v[0].line);
	EXPECT_EQ(0, strncmp(self->diags.v[0].msg, "path '", 6));
	EXPECT_NE(NULL, strstr(self->diags.v[0].msg,
			       "/missing' skipped: No such file or directory"));
	check_entries(_metadata, &self->c);
	/* tool-ln is the same inode as tool: one entry. */
	EXPECT_EQ(1, count(&self->c, WARD_KEY_BPF_LOADER));
	key.inode = inode_of(_metadata, at(self, "tool"));
	e = find(&self->c, &key);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1U, e->value.present);
}

TEST(app_id_is_31_bit_fnv1a)
{
	/* FNV-1a test vectors: 811c9dc5, e40c292c, bf9cf968, e9138fdb. */
	EXPECT_EQ(0x011c9dc5U, policy_app_id(""));
	EXPECT_EQ(0x640c292cU, policy_app_id("a"));
	EXPECT_EQ(0x3f9cf968U, policy_app_id("foobar"));
	/* The programs know ward's own domain by this constant. */
	EXPECT_EQ(WARD_APP_SELF, policy_app_id(WARD_APP_SELF_NAME));
	EXPECT_EQ(0x69138fdbU, policy_app_id(COLLIDING_2));
	/* Already 31 bits: kept as it is. */
	EXPECT_EQ(0x69138fdbU, policy_app_id(COLLIDING_1));
}

TEST(app_id_is_never_zero_nor_a_user_set_or_any)
{
	static const char *const names[] = {
		"", "a", "web", "nginx", "x-y.z_1", HASHES_TO_ZERO,
	};

	/* Clearing the top bit of 0x80000000 would give 0. */
	EXPECT_EQ(1U, policy_app_id(HASHES_TO_ZERO));
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		__u32 id = policy_app_id(names[i]);

		EXPECT_NE(0U, id);
		EXPECT_EQ(0U, id & WARD_SUBJECT_USERS);
		EXPECT_NE(WARD_SUBJECT_ANY, id);
	}
}

TEST(app_id_depends_on_the_name_only)
{
	char copy[] = "nginx";

	EXPECT_EQ(policy_app_id("nginx"), policy_app_id(copy));
	EXPECT_NE(policy_app_id("nginx"), policy_app_id("nginy"));
	EXPECT_NE(policy_app_id("ab"), policy_app_id("ba"));
}

TEST_F(tree, app_entries_carry_confinement_and_mode)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "app web %1$s/tool\n"
			     "app cli %1$s/tool2\n"
			     "app plain %1$s/c\n"
			     "confine web cli\n"
			     "mode complain web\n"
			     "mode enforce cli\n"
			     "allow plain read data\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(3, count(&self->c, WARD_KEY_APP));

	e = find_id(&self->c, WARD_KEY_APP, policy_app_id("web"));
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_APP_CONFINED, e->value.app_info.flags);
	EXPECT_EQ((__u32)WARD_APP_MODE_COMPLAIN, e->value.app_info.mode);
	e = find_id(&self->c, WARD_KEY_APP, policy_app_id("cli"));
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_APP_CONFINED, e->value.app_info.flags);
	EXPECT_EQ((__u32)WARD_APP_MODE_ENFORCE, e->value.app_info.mode);
	/* A rule names plain: it has rights, to keep foreign code out of. */
	e = find_id(&self->c, WARD_KEY_APP, policy_app_id("plain"));
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_APP_GRANTS, e->value.app_info.flags);
	EXPECT_EQ((__u32)WARD_APP_MODE_INHERIT, e->value.app_info.mode);
}

/* Events name apps by id: the names go into the kernel beside the policy. */
TEST_F(tree, app_names_are_compiled_by_id)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app web %1$s/tool\n"
			     "app cli %1$s/tool2\n"
			     "allow web read %1$s/a\n",
			     self->dir));
	ASSERT_EQ(2, (int)self->c.n_apps);
	EXPECT_EQ(policy_app_id("web"), self->c.apps[0].id);
	EXPECT_STREQ("web", self->c.apps[0].name.name);
	EXPECT_EQ(policy_app_id("cli"), self->c.apps[1].id);
	EXPECT_STREQ("cli", self->c.apps[1].name.name);
}

TEST_F(tree, apps_the_policy_gives_rights_are_marked)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "app writer %1$s/tool\n"
			     "app shell %1$s/tool2\n"
			     "app pkg %1$s/c\n"
			     "installer pkg\n"
			     "inherit shell\n"
			     "allow writer write data\n"
			     "audit write data\n",
			     self->dir));
	check_entries(_metadata, &self->c);
	EXPECT_EQ((__u32)WARD_APP_GRANTS, app_flags(&self->c, "writer"));
	EXPECT_EQ((__u32)WARD_APP_GRANTS, app_flags(&self->c, "pkg"));
	/* Named by no rule: its domain is only a name. */
	EXPECT_EQ((__u32)WARD_APP_INHERIT, app_flags(&self->c, "shell"));
}

TEST_F(tree, app_entry_allows_the_protocols_its_net_rules_name)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app web %1$s/tool\n"
			     "app dns %1$s/tool2\n"
			     "app both %1$s/c\n"
			     "app none %1$s/a\n"
			     "app mme %1$s/d/inner\n"
			     "confine web dns both none mme\n"
			     "mode complain both\n"
			     "allow web net bind tcp:80\n"
			     "allow dns net connect udp:53\n"
			     "allow both net connect tcp:443\n"
			     "allow both net bind,connect udp:*\n"
			     "allow mme net bind sctp:36412\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(5, count(&self->c, WARD_KEY_APP));
	EXPECT_EQ((__u32)(WARD_APP_CONFINED | WARD_APP_GRANTS | WARD_APP_TCP),
		  app_flags(&self->c, "web"));
	EXPECT_EQ((__u32)(WARD_APP_CONFINED | WARD_APP_GRANTS | WARD_APP_UDP),
		  app_flags(&self->c, "dns"));
	EXPECT_EQ((__u32)(WARD_APP_CONFINED | WARD_APP_GRANTS | WARD_APP_TCP | WARD_APP_UDP),
		  app_flags(&self->c, "both"));
	EXPECT_EQ((__u32)WARD_APP_CONFINED, app_flags(&self->c, "none"));
	/* SCTP only: not TCP, though both are SOCK_STREAM. */
	EXPECT_EQ((__u32)(WARD_APP_CONFINED | WARD_APP_GRANTS | WARD_APP_SCTP),
		  app_flags(&self->c, "mme"));
	/* Net rules keep the app's own mode. */
	e = find_id(&self->c, WARD_KEY_APP, policy_app_id("both"));
	ASSERT_NE(NULL, e);
	EXPECT_EQ((__u32)WARD_APP_MODE_COMPLAIN, e->value.app_info.mode);
}

TEST_F(tree, app_entry_allows_the_socket_families_its_rules_name)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app web %1$s/tool\n"
			     "app mon %1$s/tool2\n"
			     "confine web mon\n"
			     "allow web net create unix netlink\n"
			     "allow web net create raw\n"
			     "allow mon net create packet icmp\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ((__u32)(WARD_APP_CONFINED | WARD_APP_GRANTS |
			  (WARD_SOCKET_UNIX | WARD_SOCKET_NETLINK |
			   WARD_SOCKET_RAW)
				  << WARD_APP_SOCKETS_SHIFT),
		  app_flags(&self->c, "web"));
	EXPECT_EQ((__u32)(WARD_APP_CONFINED | WARD_APP_GRANTS |
			  (WARD_SOCKET_PACKET | WARD_SOCKET_ICMP)
				  << WARD_APP_SOCKETS_SHIFT),
		  app_flags(&self->c, "mon"));
}

TEST_F(tree, files_set_paths_share_a_label_numbered_in_files_order)
{
	const struct policy_entry *e;
	struct stat st;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files one %1$s/a %1$s/d\n"
			     "files two %1$s/c\n"
			     "allow any read one two\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(3U, self->c.info.objects);
	EXPECT_EQ(1U, label_at(_metadata, self, "a"));
	EXPECT_EQ(1U, label_at(_metadata, self, "d"));
	EXPECT_EQ(2U, label_at(_metadata, self, "c"));
	/* A directory's contents are covered by its entry, not listed. */
	EXPECT_EQ(0U, label_at(_metadata, self, "d/inner"));

	/* The dev in the kernel's encoding, and where the entry came from. */
	ASSERT_EQ(0, stat(at(self, "c"), &st));
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "c");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(((__u64)major(st.st_dev) << 20) | minor(st.st_dev),
		  e->key.inode.dev);
	EXPECT_EQ(kernel_dev(st.st_dev), e->key.inode.dev);
	EXPECT_EQ((__u64)st.st_ino, e->key.inode.ino);
	EXPECT_EQ(3U, e->loc.line);
	EXPECT_EQ(11U, e->loc.col);
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

TEST_F(tree, files_set_labels_count_sets_whose_paths_are_missing)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files gone %1$s/missing\n"
			     "files data %1$s/a\n"
			     "allow any read gone data\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.errors);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(2U, label_at(_metadata, self, "a"));
	/* Nothing of "gone" exists: its rule has nothing to apply to. */
	EXPECT_EQ(1U, self->c.info.objects);
	EXPECT_EQ(1U, self->c.info.rules);
	EXPECT_EQ(0U, rule_access(&self->c, 1, WARD_SUBJECT_ANY));
	EXPECT_EQ(NULL, find_id(&self->c, WARD_KEY_LABEL, 1));
	EXPECT_EQ((__u32)WARD_ACCESS_READ,
		  rule_access(&self->c, 2, WARD_SUBJECT_ANY));
}

TEST_F(tree, rule_path_of_a_files_set_inode_gets_the_set_label)
{
	/* The same file through a symlink, a hard link and other spellings. */
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files other %1$s/c\n"
			     "files data %1$s/a\n"
			     "allow any read %1$s/s\n"
			     "allow any write %1$s/b %1$s/./a\n"
			     "allow any exec /%1$s//a %1$s/d/../a\n"
			     "allow any unlink other\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(2U, self->c.info.objects);
	EXPECT_EQ(2U, label_at(_metadata, self, "a"));
	EXPECT_EQ((__u32)(WARD_ACCESS_READ | WARD_ACCESS_WRITE |
			  WARD_ACCESS_EXEC),
		  rule_access(&self->c, 2, WARD_SUBJECT_ANY));
	EXPECT_EQ(2U, self->c.info.rules);
	/* No new label for the paths of the rules. */
	EXPECT_EQ(2U, max_object_label(&self->c));
}

TEST_F(tree, rule_path_outside_the_sets_gets_a_new_label_after_theirs)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files one %1$s/a\n"
			     "files two %1$s/tool\n"
			     "allow any read one two\n"
			     "allow any write %1$s/d\n"
			     "audit read %1$s/c\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(4U, self->c.info.objects);
	EXPECT_EQ(3U, label_at(_metadata, self, "d"));
	EXPECT_EQ(4U, label_at(_metadata, self, "c"));
	EXPECT_EQ((__u32)WARD_ACCESS_WRITE,
		  rule_access(&self->c, 3, WARD_SUBJECT_ANY));
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "d");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(5U, e->loc.line);
	EXPECT_EQ(17U, e->loc.col);
}

TEST_F(tree, same_path_in_several_rules_shares_one_label)
{
	const char *web = "web";

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app web %1$s/tool\n"
			     "allow any read %1$s/c\n"
			     "allow web write %1$s/c\n"
			     "allow web read %1$s/d %1$s/s\n"
			     "audit exec %1$s/c %1$s/a\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	/* After web's executables (label 1), the rules' paths in order. */
	EXPECT_EQ(4U, self->c.info.objects);
	EXPECT_EQ(1U, label_at(_metadata, self, "tool"));
	EXPECT_EQ(2U, label_at(_metadata, self, "c"));
	EXPECT_EQ(3U, label_at(_metadata, self, "d"));
	EXPECT_EQ(4U, label_at(_metadata, self, "a"));
	EXPECT_EQ((__u32)WARD_ACCESS_READ,
		  rule_access(&self->c, 2, WARD_SUBJECT_ANY));
	EXPECT_EQ((__u32)WARD_ACCESS_WRITE,
		  rule_access(&self->c, 2, policy_app_id(web)));
	EXPECT_EQ((__u32)WARD_ACCESS_EXEC, label_audit(&self->c, 2));
	EXPECT_EQ((__u32)WARD_ACCESS_EXEC, label_audit(&self->c, 4));
}

TEST_F(tree, label_is_protected_by_rules_for_any_users_or_unconfined_apps)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files by-any %1$s/a\n"
			     "files by-users %1$s/c\n"
			     "files by-open-app %1$s/d\n"
			     "files by-confined-app %1$s/tool\n"
			     "app open %1$s/tool2\n"
			     "app jail %1$s/d/inner\n"
			     "user staff uid:1000\n"
			     "confine jail\n"
			     "allow any read by-any\n"
			     "allow staff write by-users\n"
			     "allow open write by-open-app\n"
			     "allow jail read,write by-confined-app\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ((__u32)WARD_ACCESS_ALL, label_protects(&self->c, 1));
	EXPECT_EQ((__u32)WARD_ACCESS_ALL, label_protects(&self->c, 2));
	EXPECT_EQ((__u32)WARD_ACCESS_ALL, label_protects(&self->c, 3));
	EXPECT_EQ(0U, label_protects(&self->c, 4));
	EXPECT_EQ((__u32)(WARD_ACCESS_READ | WARD_ACCESS_WRITE),
		  rule_access(&self->c, 4, policy_app_id("jail")));
}

TEST_F(tree, label_named_by_confined_and_unconfined_apps_is_protected)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "files jailed %1$s/c\n"
			     "app jail %1$s/tool\n"
			     "app open %1$s/tool2\n"
			     "confine jail\n"
			     "allow jail write data jailed\n"
			     "allow open read data\n"
			     "audit write jailed\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ((__u32)WARD_ACCESS_ALL, label_protects(&self->c, 1));
	/* An audit statement does not protect. */
	EXPECT_EQ(0U, label_protects(&self->c, 2));
	EXPECT_EQ((__u32)WARD_ACCESS_WRITE, label_audit(&self->c, 2));
}

TEST_F(tree, audit_statements_merge_their_bits_into_the_label)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "files logs %1$s/d\n"
			     "allow any read data\n"
			     "audit read data\n"
			     "audit write,exec data logs\n"
			     "audit unlink %1$s/b\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.errors);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(2 + !!storage_label(&self->c), labels_of_policy(&self->c));
	EXPECT_EQ((__u32)(WARD_ACCESS_READ | WARD_ACCESS_WRITE |
			  WARD_ACCESS_EXEC | WARD_ACCESS_UNLINK),
		  label_audit(&self->c, 1));
	EXPECT_EQ((__u32)WARD_ACCESS_ALL, label_protects(&self->c, 1));
	EXPECT_EQ((__u32)(WARD_ACCESS_WRITE | WARD_ACCESS_EXEC),
		  label_audit(&self->c, 2));
	EXPECT_EQ(0U, label_protects(&self->c, 2));
	/* Audit statements are not rules. */
	EXPECT_EQ(1U, self->c.info.rules);
}

TEST_F(tree, rules_for_one_label_and_subject_merge_their_accesses)
{
	const struct policy_entry *e;
	__u32 web = policy_app_id("web"), cli = policy_app_id("cli");

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "files other %1$s/c\n"
			     "app web %1$s/tool\n"
			     "app cli %1$s/tool2\n"
			     "allow web read data\n"
			     "allow web write,chmod data other\n"
			     "allow any exec data\n"
			     "allow cli chown data\n"
			     "allow any link,rename data\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(4U, self->c.info.rules);
	EXPECT_EQ((__u32)(WARD_ACCESS_READ | WARD_ACCESS_WRITE |
			  WARD_ACCESS_CHMOD),
		  rule_access(&self->c, 1, web));
	EXPECT_EQ((__u32)(WARD_ACCESS_WRITE | WARD_ACCESS_CHMOD),
		  rule_access(&self->c, 2, web));
	EXPECT_EQ((__u32)(WARD_ACCESS_EXEC | WARD_ACCESS_LINK |
			  WARD_ACCESS_RENAME),
		  rule_access(&self->c, 1, WARD_SUBJECT_ANY));
	EXPECT_EQ((__u32)WARD_ACCESS_CHOWN, rule_access(&self->c, 1, cli));
	EXPECT_EQ(0U, rule_access(&self->c, 2, cli));
	/* The entry kept names the first rule. */
	e = find_rule(&self->c, WARD_KEY_RULE, 1, web);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(6U, e->loc.line);
}

TEST_F(tree, user_set_rules_are_one_entry_per_access_bit)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "user staff uid:1000\n"
			     "user ops gid:50\n"
			     "allow staff read,write data\n"
			     "allow ops write data\n"
			     "allow staff chown %1$s/c\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	/* (data, read), (data, write), (c, chown). */
	EXPECT_EQ(3, count(&self->c, WARD_KEY_USERS_RULE));
	EXPECT_EQ(0, count(&self->c, WARD_KEY_RULE));
	EXPECT_EQ(3U, self->c.info.rules);
	EXPECT_EQ(1ULL << 0, users_rule(&self->c, 1, 0));
	EXPECT_EQ(1ULL << 0 | 1ULL << 1, users_rule(&self->c, 1, 1));
	EXPECT_EQ(0ULL, users_rule(&self->c, 1, 7));
	EXPECT_EQ(1ULL << 0, users_rule(&self->c, 2, 7));
	EXPECT_EQ((__u32)WARD_ACCESS_ALL, label_protects(&self->c, 1));
	EXPECT_EQ((__u32)WARD_ACCESS_ALL, label_protects(&self->c, 2));
}

TEST_F(tree, numeric_members_give_uid_and_gid_entries)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "user staff uid:1000 gid:2000 uid:4294967294\n"
			     "user ops uid:0 uid:1000 gid:0\n"
			     "allow staff read data\n"
			     "allow ops write data\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(3, count(&self->c, WARD_KEY_UID));
	EXPECT_EQ(2, count(&self->c, WARD_KEY_GID));
	EXPECT_EQ(1ULL | 2ULL, users_of(&self->c, WARD_KEY_UID, 1000));
	EXPECT_EQ(1ULL, users_of(&self->c, WARD_KEY_UID, 4294967294U));
	EXPECT_EQ(2ULL, users_of(&self->c, WARD_KEY_UID, 0));
	EXPECT_EQ(1ULL, users_of(&self->c, WARD_KEY_GID, 2000));
	EXPECT_EQ(2ULL, users_of(&self->c, WARD_KEY_GID, 0));
}

TEST_F(tree, user_and_group_names_are_resolved)
{
	struct passwd *pw = getpwnam("root");
	struct group *gr = getgrnam("root");

	ASSERT_NE(NULL, pw);
	ASSERT_NE(NULL, gr);
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a\n"
			     "user admins root group:root\n"
			     "user others uid:7 group:root\n"
			     "allow admins read data\n"
			     "allow others read data\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(1ULL, users_of(&self->c, WARD_KEY_UID, pw->pw_uid));
	EXPECT_EQ(2ULL, users_of(&self->c, WARD_KEY_UID, 7));
	EXPECT_EQ(3ULL, users_of(&self->c, WARD_KEY_GID, gr->gr_gid));
	EXPECT_EQ(2, count(&self->c, WARD_KEY_UID));
	EXPECT_EQ(1, count(&self->c, WARD_KEY_GID));
}

TEST_F(tree, unknown_user_or_group_is_a_warning)
{
	ASSERT_EQ(0,
		  compile(_metadata, self,
			  "policy t 1.0.0\n"
			  "files data %1$s/a\n"
			  "user staff nosuchuser_w group:nosuchgroup_w uid:5\n"
			  "allow staff read data\n",
			  self->dir));
	EXPECT_EQ(0, (int)self->diags.errors);
	ASSERT_EQ(2, (int)self->diags.n);
	expect_warning(
		_metadata, &self->diags.v[0], 3, 12,
		"user 'staff': user 'nosuchuser_w' is unknown here: skipped");
	expect_warning(
		_metadata, &self->diags.v[1], 3, 25,
		"user 'staff': group 'nosuchgroup_w' is unknown here: skipped");
	check_entries(_metadata, &self->c);
	EXPECT_EQ(1, count(&self->c, WARD_KEY_UID));
	EXPECT_EQ(0, count(&self->c, WARD_KEY_GID));
	EXPECT_EQ(1ULL, users_of(&self->c, WARD_KEY_UID, 5));
	EXPECT_EQ(1ULL, users_rule(&self->c, 1, 0));
}

TEST_F(tree, more_user_sets_than_the_kernel_holds_is_an_error)
{
	char *text = NULL, msg[64];
	size_t size;
	FILE *f = open_memstream(&text, &size);

	ASSERT_NE(NULL, f);
	fprintf(f, "policy t 1.0.0\nfiles data %s/a\n", self->dir);
	for (int i = 0; i <= WARD_USER_SETS_MAX; i++)
		fprintf(f, "user u%d uid:%d\nallow u%d read data\n", i, i, i);
	ASSERT_EQ(0, fclose(f));
	parse(_metadata, self, "test.policy", text);
	free(text);
	EXPECT_EQ(-EINVAL, finish_and_compile(_metadata, self));
	snprintf(msg, sizeof(msg), "more than %d user sets: merge some",
		 WARD_USER_SETS_MAX);
	expect_error(_metadata, &self->diags, "test.policy",
		     3 + 2 * WARD_USER_SETS_MAX, 6, msg);
}

TEST_F(tree, cap_rules_give_capability_bits)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app web %1$s/tool\n"
			     "app other %1$s/tool2\n"
			     "confine web other\n"
			     "allow web cap net_bind_service sys_admin\n"
			     "allow web cap chown checkpoint_restore\n"
			     "allow other cap setuid\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(2, count(&self->c, WARD_KEY_CAPS));
	e = find_id(&self->c, WARD_KEY_CAPS, policy_app_id("web"));
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1ULL << 10 | 1ULL << 21 | 1ULL << 0 | 1ULL << 40,
		  e->value.caps);
	e = find_id(&self->c, WARD_KEY_CAPS, policy_app_id("other"));
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1ULL << 7, e->value.caps);
}

TEST_F(tree, net_rules_give_one_entry_per_port)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app web %1$s/tool\n"
			     "confine web\n"
			     "allow web net bind tcp:80 tcp:8000-8002\n"
			     "allow web net connect tcp:80 udp:53 tcp:65535\n"
			     "allow web net bind sctp:80 sctp:2905-2906\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(9, count(&self->c, WARD_KEY_NET));
	/* Each protocol has its own entries: sctp:80 is not tcp:80. */
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_SCTP, 80));
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_SCTP, 2905));
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_SCTP, 2906));
	EXPECT_EQ(0U, net_ops(&self->c, "web", IPPROTO_SCTP, 53));
	EXPECT_EQ((__u32)(WARD_NET_BIND | WARD_NET_CONNECT),
		  net_ops(&self->c, "web", IPPROTO_TCP, 80));
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_TCP, 8000));
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_TCP, 8001));
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_TCP, 8002));
	EXPECT_EQ((__u32)WARD_NET_CONNECT,
		  net_ops(&self->c, "web", IPPROTO_UDP, 53));
	EXPECT_EQ((__u32)WARD_NET_CONNECT,
		  net_ops(&self->c, "web", IPPROTO_TCP, 65535));
	EXPECT_EQ(0U, net_ops(&self->c, "web", IPPROTO_UDP, 80));
	EXPECT_EQ(0U, net_ops(&self->c, "web", IPPROTO_TCP, 0));
}

TEST_F(tree, net_rule_for_every_port_is_port_zero)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app web %1$s/tool\n"
			     "confine web\n"
			     "allow web net connect tcp:*\n"
			     "allow web net bind udp:*\n"
			     "allow web net bind,connect sctp:*\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(3, count(&self->c, WARD_KEY_NET));
	EXPECT_EQ((__u32)WARD_NET_CONNECT,
		  net_ops(&self->c, "web", IPPROTO_TCP, 0));
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_UDP, 0));
	EXPECT_EQ((__u32)(WARD_NET_BIND | WARD_NET_CONNECT),
		  net_ops(&self->c, "web", IPPROTO_SCTP, 0));
}

TEST_F(tree, net_range_of_port_range_max_ports_is_expanded)
{
	char *text;

	ASSERT_LE(0, asprintf(&text,
			      "policy t 1.0.0\n"
			      "app web %s/tool\n"
			      "confine web\n"
			      "allow web net bind udp:1000-%d\n",
			      self->dir, 1000 + POLICY_PORT_RANGE_MAX - 1));
	parse(_metadata, self, "test.policy", text);
	free(text);
	ASSERT_EQ(0, finish_and_compile(_metadata, self));
	check_entries(_metadata, &self->c);
	EXPECT_EQ(POLICY_PORT_RANGE_MAX, count(&self->c, WARD_KEY_NET));
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_UDP, 1000));
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_UDP,
			  1000 + POLICY_PORT_RANGE_MAX - 1));
	EXPECT_EQ(0U, net_ops(&self->c, "web", IPPROTO_UDP, 999));
	EXPECT_EQ(0U, net_ops(&self->c, "web", IPPROTO_UDP,
			      1000 + POLICY_PORT_RANGE_MAX));
}

TEST_F(tree, net_range_wider_than_port_range_max_is_an_error)
{
	char *text, msg[128];
	int hi = 1000 + POLICY_PORT_RANGE_MAX;

	ASSERT_LE(0, asprintf(&text,
			      "policy t 1.0.0\n"
			      "app web %s/tool\n"
			      "confine web\n"
			      "allow web net bind tcp:80 sctp:1000-%d\n",
			      self->dir, hi));
	parse(_metadata, self, "test.policy", text);
	free(text);
	EXPECT_EQ(-EINVAL, finish_and_compile(_metadata, self));
	snprintf(
		msg, sizeof(msg),
		"port range 1000-%d is wider than %d ports: allow sctp:* instead",
		hi, POLICY_PORT_RANGE_MAX);
	expect_error(_metadata, &self->diags, "test.policy", 4, 27, msg);
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web", IPPROTO_TCP, 80));
	EXPECT_EQ(0U, net_ops(&self->c, "web", IPPROTO_SCTP, 1000));
}

TEST_F(tree, app_paths_give_exe_entries_through_symlinks)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app tool %1$s/tool-ln %1$s/tool\n"
			     "app other %1$s/tool2\n"
			     "confine tool other\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(2U, self->c.info.exes);
	e = find_at(_metadata, self, WARD_KEY_EXE, "tool");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(policy_app_id("tool"), e->value.app);
	EXPECT_EQ(2U, e->loc.line);
	EXPECT_EQ(10U, e->loc.col);
	e = find_at(_metadata, self, WARD_KEY_EXE, "tool2");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(policy_app_id("other"), e->value.app);
	/*
	 * Each app's executables carry a label of their own, which protects
	 * what changes them (there is no installer here: nobody may).
	 */
	EXPECT_EQ(2U, self->c.info.objects);
	EXPECT_EQ(1U, label_at(_metadata, self, "tool"));
	EXPECT_EQ(2U, label_at(_metadata, self, "tool2"));
	EXPECT_EQ((__u32)WARD_ACCESS_MODIFY, label_protects(&self->c, 1));
	EXPECT_EQ((__u32)WARD_ACCESS_MODIFY, label_audit(&self->c, 1));
	EXPECT_EQ(0U, self->c.info.rules);
}

TEST_F(tree, file_that_is_an_executable_too_gets_both_entries)
{
	const struct policy_entry *obj, *exe;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files binaries %1$s/tool\n"
			     "app tool %1$s/tool\n"
			     "allow tool read binaries\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	obj = find_at(_metadata, self, WARD_KEY_OBJECT, "tool");
	exe = find_at(_metadata, self, WARD_KEY_EXE, "tool");
	ASSERT_NE(NULL, obj);
	ASSERT_NE(NULL, exe);
	EXPECT_EQ(1U, obj->value.label);
	EXPECT_EQ(policy_app_id("tool"), exe->value.app);
}

TEST_F(tree, app_path_that_is_a_directory_is_an_error)
{
	char msg[2 * PATH_MAX];

	EXPECT_EQ(-EINVAL, compile(_metadata, self,
				   "policy t 1.0.0\n"
				   "app tool %1$s/tool %1$s/d\n"
				   "confine tool\n",
				   self->dir));
	snprintf(msg, sizeof(msg),
		 "app 'tool': '%s' is not a regular file: name the executable",
		 at(self, "d"));
	expect_error(_metadata, &self->diags, "test.policy", 2,
		     10 + strlen(at(self, "tool")) + 1, msg);
	EXPECT_EQ(1U, self->c.info.exes);
	EXPECT_EQ(NULL, find_at(_metadata, self, WARD_KEY_EXE, "d"));
}

TEST_F(tree, same_executable_in_two_apps_is_an_error)
{
	EXPECT_EQ(-EINVAL, compile(_metadata, self,
				   "policy t 1.0.0\n"
				   "app one %1$s/tool\n"
				   "app two %1$s/tool2 %1$s/tool-ln\n"
				   "confine one two\n",
				   self->dir));
	expect_error(
		_metadata, &self->diags, "test.policy", 3,
		9 + strlen(at(self, "tool2")) + 1,
		"this is the same file as an executable of another app (test.policy:2): a file can be in one app only");
}

TEST_F(tree, missing_app_path_is_a_warning)
{
	char msg[2 * PATH_MAX];

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "app tool %1$s/nope %1$s/tool\n"
			     "confine tool\n",
			     self->dir));
	ASSERT_EQ(1, (int)self->diags.n);
	snprintf(msg, sizeof(msg),
		 "app 'tool': '%s' skipped: No such file or directory",
		 at(self, "nope"));
	expect_warning(_metadata, &self->diags.v[0], 2, 10, msg);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(1U, self->c.info.exes);
	EXPECT_NE(NULL, find_at(_metadata, self, WARD_KEY_EXE, "tool"));
	EXPECT_EQ((__u32)WARD_APP_CONFINED, app_flags(&self->c, "tool"));
}

TEST_F(tree, missing_files_are_warnings_and_the_rest_compiles)
{
	const char *missing = at(self, "missing");
	const char *notdir = at(self, "a/x");
	unsigned int col_missing = 12 + strlen(at(self, "a")) + 1;
	unsigned int col_notdir = col_missing + strlen(missing) + 1;
	char msg[2 * PATH_MAX];

	ASSERT_EQ(0, symlink("nowhere", at(self, "dangling")));
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a %1$s/missing %1$s/a/x\n"
			     "allow any write data %1$s/dangling\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.errors);
	ASSERT_EQ(3, (int)self->diags.n);
	snprintf(msg, sizeof(msg),
		 "files 'data': '%s' skipped: No such file or directory", missing);
	expect_warning(_metadata, &self->diags.v[0], 2, col_missing, msg);
	snprintf(msg, sizeof(msg), "files 'data': '%s' skipped: Not a directory",
		 notdir);
	expect_warning(_metadata, &self->diags.v[1], 2, col_notdir, msg);
	snprintf(msg, sizeof(msg),
		 "path '%s' skipped: No such file or directory",
		 at(self, "dangling"));
	expect_warning(_metadata, &self->diags.v[2], 3, 22, msg);

	check_entries(_metadata, &self->c);
	EXPECT_EQ(1U, self->c.info.objects);
	EXPECT_EQ(1U, label_at(_metadata, self, "a"));
	EXPECT_EQ(1U, self->c.info.rules);
}

TEST_F(tree, hard_link_in_two_files_sets_is_an_error)
{
	char msg[2 * PATH_MAX];

	EXPECT_EQ(-EINVAL, compile(_metadata, self,
				   "policy t 1.0.0\n"
				   "files one %1$s/c %1$s/a\n"
				   "files two %1$s/b\n"
				   "allow any read one two\n",
				   self->dir));
	snprintf(
		msg, sizeof(msg),
		"'%s' is the same file as one in files 'one' (test.policy:2): a file can be in one set only",
		at(self, "b"));
	expect_error(_metadata, &self->diags, "test.policy", 3, 11, msg);
	/* The label kept is the first set's. */
	EXPECT_EQ(1U, label_at(_metadata, self, "b"));
	check_entries(_metadata, &self->c);
}

TEST_F(tree, symlink_in_two_files_sets_is_an_error)
{
	char msg[2 * PATH_MAX];

	EXPECT_EQ(-EINVAL, compile(_metadata, self,
				   "policy t 1.0.0\n"
				   "files one %1$s/s\n"
				   "\n"
				   "files two %1$s/c %1$s/a\n"
				   "allow any read one two\n",
				   self->dir));
	snprintf(
		msg, sizeof(msg),
		"'%s' is the same file as one in files 'one' (test.policy:2): a file can be in one set only",
		at(self, "a"));
	expect_error(_metadata, &self->diags, "test.policy", 4,
		     11 + strlen(at(self, "c")) + 1, msg);
}

TEST_F(tree, one_file_under_several_names_in_one_set_is_one_entry)
{
	const struct policy_entry *e;

	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "files data %1$s/a %1$s/s %1$s/b\n"
			     "allow any read data\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	EXPECT_EQ(1U, self->c.info.objects);
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "a");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(1U, e->value.label);
	EXPECT_EQ(12U, e->loc.col);
}

TEST_F(tree, colliding_app_ids_are_an_error)
{
	EXPECT_EQ(-EINVAL, compile(_metadata, self,
				   "policy t 1.0.0\n"
				   "app " COLLIDING_1 " %1$s/tool\n"
				   "app " COLLIDING_2 " %1$s/tool2\n"
				   "confine " COLLIDING_1 " " COLLIDING_2 "\n",
				   self->dir));
	expect_error(_metadata, &self->diags, "test.policy", 3, 5,
		     "app '" COLLIDING_2
		     "' has the same id as app '" COLLIDING_1 "': rename one");
}

TEST_F(tree, info_records_counts_and_the_first_unit)
{
	time_t before = time(NULL), after;
	char *text;

	ASSERT_LE(0, asprintf(&text,
			      "policy web-server 10.2.3\n"
			      "files data %1$s/a %1$s/d\n"
			      "app tool %1$s/tool\n"
			      "user staff uid:1000\n"
			      "allow tool read,write data\n"
			      "allow staff read,exec data\n",
			      self->dir));
	parse(_metadata, self, "first.policy", text);
	free(text);
	ASSERT_LE(0, asprintf(&text,
			      "policy extra 2.0.0\n"
			      "allow any read %1$s/c\n",
			      self->dir));
	parse(_metadata, self, "second.policy", text);
	free(text);
	ASSERT_EQ(0, finish_and_compile(_metadata, self));
	after = time(NULL);
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);

	EXPECT_STREQ("web-server", self->c.info.name);
	EXPECT_STREQ("10.2.3", self->c.info.version);
	EXPECT_EQ(0, memcmp(self->p.sha256, self->c.info.sha256,
			    sizeof(self->c.info.sha256)));
	EXPECT_EQ(2U, self->c.info.units);
	/* a, d, c, and tool as the app's executable. */
	EXPECT_EQ(4U, self->c.info.objects);
	EXPECT_EQ(1U, self->c.info.exes);
	/* (data, tool), (data, read), (data, exec), (c, any). */
	EXPECT_EQ(4U, self->c.info.rules);
	EXPECT_LE((__u64)before, self->c.info.loaded_at);
	EXPECT_GE((__u64)after, self->c.info.loaded_at);
	EXPECT_EQ(3U, label_at(_metadata, self, "c"));
}

TEST_F(tree, entries_of_every_kind_are_sorted_and_unique)
{
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\n"
			     "mode complain\n"
			     "files data %1$s/a %1$s/d\n"
			     "files other %1$s/c\n"
			     "app web %1$s/tool\n"
			     "app cli %1$s/tool2\n"
			     "user staff uid:1000 gid:100\n"
			     "user ops uid:1000 uid:1001\n"
			     "confine web\n"
			     "allow web read,write data\n"
			     "allow cli read data other\n"
			     "allow any exec other %1$s/d/inner\n"
			     "allow staff write other\n"
			     "allow ops write,unlink other data\n"
			     "allow web net bind tcp:8080-8090 udp:53\n"
			     "allow web net connect tcp:*\n"
			     "allow web net create unix\n"
			     "allow web cap net_bind_service\n"
			     "audit write data\n",
			     self->dir));
	EXPECT_EQ(0, (int)self->diags.n);
	check_entries(_metadata, &self->c);
	/* One of each kind at least. */
	for (__u32 kind = WARD_KEY_META; kind <= WARD_KEY_USERS_RULE; kind++) {
		EXPECT_LT(0, count(&self->c, kind))
		{
			TH_LOG("no entry of kind %u", kind);
		}
	}
	/* data, other, web's and cli's executables, then d/inner. */
	EXPECT_EQ(5U, label_at(_metadata, self, "d/inner"));
	EXPECT_EQ(1ULL | 2ULL, users_of(&self->c, WARD_KEY_UID, 1000));
	EXPECT_EQ(2ULL, users_rule(&self->c, 2, 3));
	EXPECT_EQ(1ULL | 2ULL, users_rule(&self->c, 2, 1));
}

/* TCP and UDP ports: the NET entries one app may have. */
#define APP_PORTS (2 * 65535)
/* Apps a policy of WARD_POLICY_COMPILED_MAX and one entries needs. */
#define PORT_APPS ((WARD_POLICY_COMPILED_MAX + 1) / APP_PORTS + 1)

/* "allow web@a net bind" @proto ports 1 to @n, 200 ranges a line. */
static void port_ranges(FILE *f, unsigned int a, const char *proto,
			unsigned int n)
{
	for (unsigned int lo = 1, k = 0; lo <= n;
	     lo += POLICY_PORT_RANGE_MAX, k++) {
		unsigned int hi = lo + POLICY_PORT_RANGE_MAX - 1;

		if (k % 200 == 0)
			fprintf(f, "%sallow web%u net bind", k ? "\n" : "", a);
		fprintf(f, " %s:%u-%u", proto, lo, hi < n ? hi : n);
	}
	fputc('\n', f);
}

/*
 * PORT_APPS confined apps, web0 and on, allowed @ports TCP and UDP ports
 * in all, at least one each, in ranges as wide as allowed: that many NET
 * entries, and each app's META, APP, EXE...
 */
static void port_policy(struct __test_metadata *_metadata,
			FIXTURE_DATA(tree) * self, unsigned int ports)
{
	char *text = NULL, tool[PATH_MAX];
	size_t size;
	FILE *f = open_memstream(&text, &size);

	ASSERT_NE(NULL, f);
	fprintf(f, "policy big 1.0.0\n");
	for (unsigned int a = 0; a < PORT_APPS; a++) {
		unsigned int later = PORT_APPS - 1 - a;
		unsigned int n = ports - later > APP_PORTS ? APP_PORTS :
							      ports - later;

		ports -= n;
		snprintf(tool, sizeof(tool), "%s/tool%u", self->dir, a);
		/* Created by the first policy of a test. */
		if (access(tool, F_OK))
			ASSERT_EQ(0, create_file(tool));
		fprintf(f, "app web%u %s\nconfine web%u\n", a, tool, a);
		port_ranges(f, a, "tcp", n < 65535 ? n : 65535);
		if (n > 65535)
			port_ranges(f, a, "udp", n - 65535);
	}
	ASSERT_EQ(0, fclose(f));
	parse(_metadata, self, "big.policy", text);
	free(text);
}

/*
 * The entries a port policy needs besides its ports: measured, as they
 * depend on where DIR is (its ancestors, the disks under it).
 */
static unsigned int port_policy_others(struct __test_metadata *_metadata,
				       FIXTURE_DATA(tree) * self)
{
	unsigned int others;

	port_policy(_metadata, self, PORT_APPS);
	EXPECT_EQ(0, finish_and_compile(_metadata, self));
	others = self->c.n - PORT_APPS;
	compiled_policy_free(&self->c);
	policy_free(&self->p);
	diag_free(&self->pdiags);
	diag_free(&self->diags);
	policy_init(&self->p);
	return others;
}

/*
 * A policy fills the map up to WARD_POLICY_COMPILED_MAX (the map has room
 * beyond it for the labels the programs carry while it is active).
 */
TEST_F(tree, policy_of_as_many_entries_as_may_be_compiled_compiles)
{
	unsigned int ports = WARD_POLICY_COMPILED_MAX -
			     port_policy_others(_metadata, self);

	port_policy(_metadata, self, ports);
	ASSERT_EQ(0, finish_and_compile(_metadata, self));
	EXPECT_EQ(0, (int)self->diags.n);
	EXPECT_EQ(WARD_POLICY_COMPILED_MAX, (int)self->c.n);
	EXPECT_EQ((int)ports, count(&self->c, WARD_KEY_NET));
	EXPECT_EQ((__u32)(WARD_APP_CONFINED | WARD_APP_GRANTS | WARD_APP_TCP |
			  WARD_APP_UDP),
		  app_flags(&self->c, "web0"));
	EXPECT_EQ((__u32)WARD_NET_BIND,
		  net_ops(&self->c, "web0", IPPROTO_UDP, 65535));
	check_entries(_metadata, &self->c);
}

TEST_F(tree, policy_of_more_entries_than_may_be_compiled_is_an_error)
{
	unsigned int ports = WARD_POLICY_COMPILED_MAX + 1 -
			     port_policy_others(_metadata, self);
	char msg[160];

	port_policy(_metadata, self, ports);
	EXPECT_EQ(-EINVAL, finish_and_compile(_metadata, self));
	snprintf(
		msg, sizeof(msg),
		"the policy needs %d kernel entries, more than the %d allowed: cover directories rather than files",
		WARD_POLICY_COMPILED_MAX + 1, WARD_POLICY_COMPILED_MAX);
	expect_error(_metadata, &self->diags, "big.policy", 0, 0, msg);
}

/*
 * Thousands of paths are resolved ahead in chunks, by a thread of their
 * own and by the compile (policy_paths_start()): each gets what it would
 * one by one, a symbolic link followed and known not plain, and the
 * missing ones are warned about in the order they are written, with their
 * lines.
 */
TEST_F(tree, paths_resolved_ahead_are_as_resolved_one_by_one)
{
	const int files = 5000;
	char path[PATH_MAX], msg[PATH_MAX + 64];
	const struct policy_entry *e;
	size_t size, warned = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &size);

	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, mkdir(at(self, "many"), 0755));
	fputs("policy ahead 1.0.0\n", f);
	for (int i = 0; i < files; i++) {
		if (i == 1) {
			snprintf(path, sizeof(path), "%s", at(self, "s"));
		} else if (i == 2) {
			snprintf(path, sizeof(path), "%s", at(self, "d"));
		} else {
			snprintf(path, sizeof(path), "%s/many/f%d", self->dir,
				 i);
			/* Every 1000th missing, in both halves. */
			if (i % 1000 != 999)
				ASSERT_EQ(0, create_file(path));
		}
		fprintf(f, "files f%d %s\nallow any read f%d\n", i, path, i);
	}
	ASSERT_EQ(0, fclose(f));
	parse(_metadata, self, "ahead.policy", text);
	free(text);
	ASSERT_EQ(0, finish_and_compile(_metadata, self));

	ASSERT_EQ((size_t)files / 1000, self->diags.n);
	for (int i = 999; i < files; i += 1000, warned++) {
		const struct diag *d = &self->diags.v[warned];

		snprintf(
			msg, sizeof(msg),
			"files 'f%d': '%s/many/f%d' skipped: No such file or directory",
			i, self->dir, i);
		EXPECT_EQ(DIAG_WARNING, (int)d->severity);
		EXPECT_EQ(2U + 2U * i, d->line);
		EXPECT_STREQ(msg, d->msg);
	}
	EXPECT_EQ((__u32)(files - files / 1000), self->c.info.objects);
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "a");
	ASSERT_NE(NULL, e);
	EXPECT_STREQ(at(self, "s"), e->path);
	EXPECT_FALSE(e->plain);
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "d");
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(e->plain);
	EXPECT_EQ(label_at(_metadata, self, "many/f0") + 2, e->value.label);
	e = find_at(_metadata, self, WARD_KEY_OBJECT, "many/f4998");
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(e->plain);
}

/* Files in each directory of the 100,000 below, as packages spread them. */
#define SCALE_PER_DIR 1000

/*
 * 100,000 files, each with its files set and its "allow any read" rule:
 * 300,000 entries (label, object, rule), parsed and compiled in time
 * linear in the files (issue 13: under 500 ms on the developers' host).
 * Quadratic, as the cover labels were, it took 38 s; the bound here is
 * ten times the linear time on a busy host, not a benchmark.  Creating
 * and removing the files takes longer than the harness's 30 s default on
 * a loaded host.
 */
TEST_F_TIMEOUT(tree, a_hundred_thousand_file_rules_compile_in_linear_time, 300)
{
	const int files = 100000;
	struct timespec start, end;
	char path[PATH_MAX];
	size_t size;
	char *text = NULL;
	FILE *f = open_memstream(&text, &size);
	double took;

	ASSERT_NE(NULL, f);
	fputs("policy scale 1.0.0\n", f);
	for (int i = 0; i < files; i++) {
		snprintf(path, sizeof(path), "%s/s%d", self->dir,
			 i / SCALE_PER_DIR);
		if (i % SCALE_PER_DIR == 0)
			ASSERT_EQ(0, mkdir(path, 0755));
		snprintf(path, sizeof(path), "%s/s%d/f%d", self->dir,
			 i / SCALE_PER_DIR, i);
		ASSERT_EQ(0, create_file(path));
		fprintf(f, "files f%d %s\nallow any read f%d\n", i, path, i);
	}
	ASSERT_EQ(0, fclose(f));

	clock_gettime(CLOCK_MONOTONIC, &start);
	parse(_metadata, self, "scale.policy", text);
	ASSERT_EQ(0, finish_and_compile(_metadata, self));
	clock_gettime(CLOCK_MONOTONIC, &end);
	free(text);
	took = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
	TH_LOG("%d file rules: %zu entries, parsed and compiled in %.3f s",
	       files, self->c.n, took);
	EXPECT_EQ(0, (int)self->diags.n);
	EXPECT_EQ((__u32)files, self->c.info.objects);
	EXPECT_LE((__u32)files, self->c.info.rules);
	EXPECT_LE(3 * files, (int)self->c.n);
	EXPECT_GT(15.0, took);
	/* What each file needs, no more: the cover labels add a handful. */
	EXPECT_GT(3 * files + 3 * files / SCALE_PER_DIR + 1000, (int)self->c.n);
}

TEST_F(tree, compile_counts_only_its_own_errors)
{
	/* An error already in the list is not this compilation's. */
	diag_add(&self->diags, DIAG_ERROR, "other.policy", 1, 1, "earlier");
	ASSERT_EQ(0, compile(_metadata, self,
			     "policy t 1.0.0\nfiles data %1$s/a\n"
			     "allow any read data\n",
			     self->dir));
	EXPECT_EQ(1, (int)self->diags.errors);
	EXPECT_EQ(1, (int)self->diags.n);
}

TEST_F(tree, executable_in_two_apps_of_two_files_is_reported_at_the_later)
{
	char *text;

	ASSERT_LE(0, asprintf(&text,
			      "policy one 1.0.0\n\n\n\n\napp first %s/tool\nconfine first\n",
			      self->dir));
	parse(_metadata, self, "one.policy", text);
	free(text);
	ASSERT_LE(0, asprintf(&text,
			      "policy two 1.0.0\napp second %s/tool\nconfine second\n",
			      self->dir));
	parse(_metadata, self, "two.policy", text);
	free(text);
	EXPECT_EQ(-EINVAL, finish_and_compile(_metadata, self));
	expect_error(_metadata, &self->diags, "two.policy", 2, 12,
		     "this is the same file as an executable of another app (one.policy:6): a file can be in one app only");
}

TEST_HARNESS_MAIN
