// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - labels survive replacement, and policies replace
 * each other atomically
 *
 * Editors, passwd and package managers do not write a file in place: they
 * write a new one and rename it over the old.  When a program allowed to
 * write the file does that, the new inode takes the old one's label (or,
 * for an executable, its app) at once, without a policy reload.
 *
 *   DIR/protected       labelled "secret"
 *   DIR/tree/conf       under DIR/tree, labelled "tree"
 *   DIR/writer          app "writer": may write secret and tree, and
 *                       rename in tree (its FILE+ is in the tree too)
 *   DIR/sed             a copy of busybox, app "sed": the same
 *   DIR/pkg             app "pkg", the package manager
 *
 * This program is not listed: it is the unlisted program.
 *
 * Then "ward policy load" must switch policies in one step, seen from
 * programs opening files all the while; and an inode number freed by a
 * replacement must not carry the label or the app to the next file.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

#define BUSYBOX "/bin/busybox"

FIXTURE(replace)
{
	char dir[64];
};

/* Entries of @dir whose names start with @prefix. */
static int entries_like(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

/*
 * The policy: pkg installs the apps' executables.  With @protect_exe, the
 * writer's executable is in a files set of its own, which says who may
 * write it instead.
 */
static char *policy_text(FIXTURE_DATA(replace) * self, bool protect_exe)
{
	const char *d = self->dir;
	char *bins = NULL, *text;

	if (protect_exe && asprintf(&bins,
				    "files bins %s/writer\n"
				    "allow pkg write bins\n"
				    "allow any read,exec bins\n",
				    d) < 0)
		return NULL;
	if (asprintf(&text,
		     "policy replace 1.0.0\n"
		     "files secret %s/protected\n"
		     "files tree %s/tree\n"
		     "app writer %s/writer\n"
		     "app sed %s/sed\n"
		     "app pkg %s/pkg\n"
		     "installer pkg\n"
		     "allow writer write secret\n"
		     "allow writer write,rename tree\n"
		     "allow sed write secret\n"
		     "allow sed write,rename tree\n"
		     "allow any read secret tree\n"
		     "%s",
		     d, d, d, d, d, bins ? bins : "") < 0)
		text = NULL;
	free(bins);
	return text;
}

static int load(FIXTURE_DATA(replace) * self, bool protect_exe)
{
	char *text = policy_text(self, protect_exe);
	int status = text ? ward_load_text(self->dir, text) : -1;

	free(text);
	return status;
}

FIXTURE_SETUP(replace)
{
	strcpy(self->dir, SCRATCH "/replace-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, write_file(at(self, "protected"), "original\n"));
	ASSERT_EQ(0, mkdir(at(self, "tree"), 0755));
	ASSERT_EQ(0, write_file(at(self, "tree/conf"), "original\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "writer")));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "pkg")));
	if (!access(BUSYBOX, X_OK))
		ASSERT_EQ(0, copy_file(BUSYBOX, at(self, "sed")));
	ASSERT_EQ(0, load(self, false));
}

FIXTURE_TEARDOWN(replace)
{
	ward_load_text(self->dir, "policy none 0.0.1\n");
	remove_tree(self->dir);
}

/* Runs @exe with the NULL-terminated @argv0 and arguments: exit status. */
static int run(const char *exe, const char *argv0, ...)
{
	const char *argv[16] = { argv0 };
	int argc = 1, status;
	va_list ap;
	pid_t pid;

	va_start(ap, argv0);
	while (argc < 15 && (argv[argc] = va_arg(ap, const char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	pid = fork();
	if (pid == 0) {
		execv(exe, (char **)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Writes @path+ and renames it over @path, as passwd does: 0 or errno. */
static int replace_file(const char *path, const char *text)
{
	char tmp[PATH_MAX];
	int err;

	snprintf(tmp, sizeof(tmp), "%s+", path);
	err = -write_file(tmp, text);
	if (!err && rename(tmp, path))
		err = errno;
	return err;
}

/*
 * Installs a new copy of this program as @path, as dpkg does: written to
 * @path.dpkg-new, then renamed over @path.  0 or errno.
 */
static int install_exe(const char *path)
{
	char tmp[PATH_MAX];
	int err;

	snprintf(tmp, sizeof(tmp), "%s.dpkg-new", path);
	err = -copy_file("/proc/self/exe", tmp);
	if (!err && rename(tmp, path))
		err = errno;
	return err;
}

/*
 * "open-loop STOP SPEC...": opens each file of the SPECs for writing, over
 * and over until STOP exists.  A SPEC is PATH=ok, PATH=denied or
 * PATH=either.  Prints "ready" after the first round, then at the end the
 * rounds, the results that broke a SPEC (or were neither 0 nor EACCES),
 * the longest run of rounds with such results, the first of them, and how
 * often each file was allowed and denied.
 */
static int open_loop(int argc, char **argv)
{
	long rounds = 0, broken = 0, ok[16] = { 0 }, denied[16] = { 0 };
	long streak = 0, longest = 0;
	char first[PATH_MAX + 64] = "none";
	int n = argc - 1;

	if (n < 1 || n > 16)
		return 255;
	while (access(argv[0], F_OK)) {
		bool round_broken = false;

		for (int i = 0; i < n; i++) {
			char *spec = argv[1 + i], *eq = strrchr(spec, '=');
			int err;
			bool bad;

			*eq = '\0';
			err = try_open(spec, O_WRONLY);
			*eq = '=';
			ok[i] += !err;
			denied[i] += err == EACCES;
			bad = (err && err != EACCES) ||
			      (!strcmp(eq + 1, "ok") && err) ||
			      (!strcmp(eq + 1, "denied") && !err);
			round_broken |= bad;
			if (bad && !broken++)
				snprintf(first, sizeof(first), "%s:%s%d@%ld",
					 spec, err ? "errno" : "allowed", err,
					 rounds);
		}
		streak = round_broken ? streak + 1 : 0;
		if (streak > longest)
			longest = streak;
		if (!rounds++) {
			printf("ready\n");
			fflush(stdout);
		}
	}
	printf("rounds %ld broken %ld longest %ld first %s", rounds, broken,
	       longest, first);
	for (int i = 0; i < n; i++)
		printf(" %ld/%ld", ok[i], denied[i]);
	printf("\n");
	return 0;
}

static int replace_helper(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[0], "replace"))
		return replace_file(argv[1], "replaced\n");
	if (argc == 2 && !strcmp(argv[0], "dpkg-install"))
		return install_exe(argv[1]);
	if (argc >= 1 && !strcmp(argv[0], "open-loop"))
		return open_loop(argc - 1, argv + 1);
	return helper_main(argc, argv);
}

/* The label of the first denied open in the events since the last call. */
static long long denied_label(void)
{
	json_object *array = ward_events();
	long long label = -1;

	for (size_t i = 0; label < 0 && i < json_object_array_length(array);
	     i++) {
		json_object *ev = json_object_array_get_idx(array, i);
		const char *op = json_object_get_string(
			json_object_object_get(ev, "op"));

		if (op && !strcmp(op, "open"))
			label = json_object_get_int64(
				json_object_object_get(ev, "label"));
	}
	json_object_put(array);
	return label;
}

TEST_F(replace, sed_in_place_by_listed_app_keeps_label)
{
	ino_t before = ino_of(at(self, "protected"));
	long long label;

	if (access(BUSYBOX, X_OK))
		SKIP(return, "no " BUSYBOX " to run sed -i with");
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY));
	label = denied_label();
	EXPECT_LT(0, label);

	/* sed -i writes a new file and renames it over the old one. */
	EXPECT_EQ(0, run(at(self, "sed"), "sed", "-i", "s/original/edited/",
			 at(self, "protected"), NULL));
	expect_content(_metadata, at(self, "protected"), "edited\n");
	EXPECT_NE(before, ino_of(at(self, "protected")));
	EXPECT_EQ(1, entries_like(self->dir, "protected"));
	/* The new inode has the old one's label, at once. */
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY));
	EXPECT_EQ(label, denied_label());
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "protected")));
	expect_content(_metadata, at(self, "protected"), "edited\nhelper\n");

	/* In a protected directory (its temporary file is in it too). */
	before = ino_of(at(self, "tree/conf"));
	EXPECT_EQ(0, run(at(self, "sed"), "sed", "-i", "s/original/edited/",
			 at(self, "tree/conf"), NULL));
	expect_content(_metadata, at(self, "tree/conf"), "edited\n");
	EXPECT_NE(before, ino_of(at(self, "tree/conf")));
	EXPECT_EQ(EACCES, try_open(at(self, "tree/conf"), O_WRONLY));
}

TEST_F(replace, passwd_style_replace_by_listed_app_keeps_label)
{
	ino_t before = ino_of(at(self, "protected"));

	/* FILE+ written and renamed over FILE by the app that may write. */
	EXPECT_EQ(0, run_helper(at(self, "writer"), "replace",
				at(self, "protected")));
	expect_content(_metadata, at(self, "protected"), "replaced\n");
	EXPECT_NE(before, ino_of(at(self, "protected")));
	EXPECT_EQ(-1, access(at(self, "protected+"), F_OK));
	/* Still protected: unlisted writers get EACCES, the app does not. */
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY));
	EXPECT_EQ(EACCES, errno_of(truncate(at(self, "protected"), 0)));
	EXPECT_EQ(EACCES, errno_of(unlink(at(self, "protected"))));
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "protected")));
	expect_content(_metadata, at(self, "protected"), "replaced\nhelper\n");
	/* And replaced again, it stays so. */
	EXPECT_EQ(0, run_helper(at(self, "writer"), "replace",
				at(self, "protected")));
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY));
	EXPECT_EQ(0, run_helper(at(self, "writer"), "replace",
				at(self, "tree/conf")));
	expect_content(_metadata, at(self, "tree/conf"), "replaced\n");
	EXPECT_EQ(EACCES, try_open(at(self, "tree/conf"), O_WRONLY));
}

TEST_F(replace, passwd_style_replace_by_unlisted_program_is_denied)
{
	ino_t before = ino_of(at(self, "protected"));

	/* FILE+ is in a directory of no label: writing it is allowed... */
	ASSERT_EQ(0, write_file(at(self, "protected+"), "evil\n"));
	/* ...renaming it over FILE writes FILE: EACCES. */
	EXPECT_EQ(EACCES, errno_of(rename(at(self, "protected+"),
					  at(self, "protected"))));
	EXPECT_EQ(EACCES,
		  errno_of(renameat2(AT_FDCWD, at(self, "protected+"), AT_FDCWD,
				     at(self, "protected"), RENAME_EXCHANGE)));
	expect_content(_metadata, at(self, "protected"), "original\n");
	EXPECT_EQ(before, ino_of(at(self, "protected")));
	expect_content(_metadata, at(self, "protected+"), "evil\n");
	/* In a protected directory, FILE+ cannot even be made. */
	EXPECT_EQ(EACCES, try_open(at(self, "tree/conf+"),
				   O_WRONLY | O_CREAT | O_EXCL));
	EXPECT_EQ(EACCES, replace_file(at(self, "tree/conf"), "evil\n"));
	expect_content(_metadata, at(self, "tree/conf"), "original\n");
	/* The app still finds its file, and may write it. */
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "protected")));
}

/*
 * An app's executable is protected: overwritten in place, or replaced by
 * rename, by anyone but the installer, the attacker's code would be the
 * app.  Root included.
 */
TEST_F(replace, executable_is_replaced_by_the_installer_only)
{
	ino_t before = ino_of(at(self, "writer"));

	EXPECT_EQ(EACCES, install_exe(at(self, "writer")));
	EXPECT_EQ(EACCES, try_open(at(self, "writer"), O_WRONLY));
	EXPECT_EQ(EACCES, errno_of(unlink(at(self, "writer"))));
	EXPECT_EQ(EACCES, errno_of(chmod(at(self, "writer"), 0777)));
	EXPECT_EQ(before, ino_of(at(self, "writer")));
	/* Read and run, as ever. */
	EXPECT_EQ(0, try_open(at(self, "writer"), O_RDONLY));
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "protected")));
	expect_content(_metadata, at(self, "protected"), "original\nhelper\n");
}

TEST_F(replace, reinstalled_executable_is_still_the_app)
{
	ino_t before = ino_of(at(self, "writer"));

	/* Reinstalled by the installer, the new inode is the app at once. */
	EXPECT_EQ(0, run_helper(at(self, "pkg"), "dpkg-install",
				at(self, "writer")));
	EXPECT_NE(before, ino_of(at(self, "writer")));
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "protected")));
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "tree/conf")));
	expect_content(_metadata, at(self, "protected"), "original\nhelper\n");
	EXPECT_EQ(EACCES, try_open(at(self, "protected"), O_WRONLY));
	/* And protected as the old one was. */
	EXPECT_EQ(EACCES, install_exe(at(self, "writer")));
	EXPECT_EQ(EACCES, try_open(at(self, "writer"), O_WRONLY));
}

TEST_F(replace, reinstall_of_protected_executable_keeps_app_and_label)
{
	ino_t before = ino_of(at(self, "writer"));

	ASSERT_EQ(0, load(self, true));
	/* The package manager may write the executable: it replaces it. */
	EXPECT_EQ(0, run_helper(at(self, "pkg"), "dpkg-install",
				at(self, "writer")));
	EXPECT_NE(before, ino_of(at(self, "writer")));
	EXPECT_EQ(-1, access(at(self, "writer.dpkg-new"), F_OK));
	/* Still the app, and still protected. */
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "protected")));
	expect_content(_metadata, at(self, "protected"), "original\nhelper\n");
	EXPECT_EQ(EACCES, try_open(at(self, "writer"), O_WRONLY));
	/* So the next upgrade works the same. */
	before = ino_of(at(self, "writer"));
	EXPECT_EQ(0, run_helper(at(self, "pkg"), "dpkg-install",
				at(self, "writer")));
	EXPECT_NE(before, ino_of(at(self, "writer")));
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "tree/conf")));
}

TEST_F(replace, rename_over_protected_executable_by_unlisted_is_denied)
{
	ino_t before = ino_of(at(self, "writer"));

	ASSERT_EQ(0, load(self, true));
	/* Replacing the app's executable writes it: EACCES. */
	EXPECT_EQ(EACCES, install_exe(at(self, "writer")));
	EXPECT_EQ(before, ino_of(at(self, "writer")));
	EXPECT_EQ(EACCES,
		  errno_of(rename(at(self, "pkg"), at(self, "writer"))));
	EXPECT_EQ(before, ino_of(at(self, "writer")));
	EXPECT_EQ(EACCES, try_open(at(self, "writer"), O_WRONLY));
	EXPECT_EQ(EACCES, errno_of(unlink(at(self, "writer"))));
	/* The app is unchanged. */
	EXPECT_EQ(0, run_helper(at(self, "writer"), "append",
				at(self, "protected")));
	/* Nor did the file renamed over it become the app. */
	EXPECT_EQ(EACCES,
		  run_helper(at(self, "pkg"), "append", at(self, "protected")));
}

/*
 * Two policies that mean the same for files x and y, spelled so that their
 * labels are numbered the other way round: in A, s1 is label 1 and s2
 * label 2; in B, s2 is 1 and s1 is 2.  So app1 may always write x (in
 * DIR/d1, its label inherited, and x_own, labelled itself) and never y;
 * app2 the reverse.  A decision made of A's labels and B's rules, or the
 * other way round, says the opposite, and shows as a broken expectation.
 * z flips: A lets app1 write it, B app2, so both outcomes show up while
 * the policies alternate.  q tells the test which policy is active: A
 * lets anyone write it, B nobody.
 */
static char *atomic_policy(const char *d, bool b)
{
	char *s1, *s2, *text;

	if (asprintf(&s1, "files s1 %s/d1 %s/x_own\n", d, d) < 0)
		return NULL;
	if (asprintf(&s2, "files s2 %s/d2 %s/y_own\n", d, d) < 0)
		return NULL;
	if (asprintf(&text,
		     "policy atomic %s\n"
		     "%s%s"
		     "files s3 %s/z\n"
		     "files s4 %s/q\n"
		     "app app1 %s/app1\n"
		     "app app2 %s/app2\n"
		     "allow app1 write s1\n"
		     "allow app2 write s2\n"
		     "allow %s write s3\n"
		     "allow any read s1 s2 s3 s4\n"
		     "%s",
		     b ? "2.0.0" : "1.0.0", b ? s2 : s1, b ? s1 : s2, d, d, d,
		     d, b ? "app2" : "app1",
		     b ? "" : "allow any write s4\n") < 0)
		text = NULL;
	free(s1);
	free(s2);
	return text;
}

/* Starts "@exe --helper open-loop ..." with its stdout on a pipe. */
static pid_t start_loop(const char *exe, const char *dir, const char *x,
			const char *y, const char *z, int *out)
{
	char specs[5][PATH_MAX], stop[PATH_MAX];
	int pipefd[2];
	pid_t pid;

	snprintf(stop, sizeof(stop), "%s/stop", dir);
	snprintf(specs[0], PATH_MAX, "%s/d1/x=%s", dir, x);
	snprintf(specs[1], PATH_MAX, "%s/x_own=%s", dir, x);
	snprintf(specs[2], PATH_MAX, "%s/d2/y=%s", dir, y);
	snprintf(specs[3], PATH_MAX, "%s/y_own=%s", dir, y);
	snprintf(specs[4], PATH_MAX, "%s/z=%s", dir, z);
	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		execl(exe, exe, "--helper", "open-loop", stop, specs[0],
		      specs[1], specs[2], specs[3], specs[4], (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	*out = pipefd[0];
	return pid;
}

static bool read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size && read(fd, buf + n, 1) == 1 && buf[n] != '\n')
		n++;
	buf[n] = '\0';
	return n > 0;
}

struct loop_result {
	long rounds, broken, longest;
	char first[PATH_MAX + 64];
	long ok[5], denied[5];
};

static bool parse_result(const char *line, struct loop_result *r)
{
	return sscanf(line,
		      "rounds %ld broken %ld longest %ld first %4159s %ld/%ld %ld/%ld %ld/%ld %ld/%ld %ld/%ld",
		      &r->rounds, &r->broken, &r->longest, r->first, &r->ok[0],
		      &r->denied[0], &r->ok[1], &r->denied[1], &r->ok[2],
		      &r->denied[2], &r->ok[3], &r->denied[3], &r->ok[4],
		      &r->denied[4]) == 14;
}

#define RELOADS 40

TEST_F_TIMEOUT(replace, policy_reload_is_atomic, 600)
{
	static const char *const names[] = { "app1", "app2", "stranger" };
	char policy[2][PATH_MAX], line[PATH_MAX + 256];
	int out[3], wrong_q = 0, failed_loads = 0;
	struct loop_result res[3];
	pid_t pid[3];

	ASSERT_EQ(0, mkdir(at(self, "d1"), 0755));
	ASSERT_EQ(0, mkdir(at(self, "d2"), 0755));
	ASSERT_EQ(0, write_file(at(self, "d1/x"), "x\n"));
	ASSERT_EQ(0, write_file(at(self, "x_own"), "x\n"));
	ASSERT_EQ(0, write_file(at(self, "d2/y"), "y\n"));
	ASSERT_EQ(0, write_file(at(self, "y_own"), "y\n"));
	ASSERT_EQ(0, write_file(at(self, "z"), "z\n"));
	ASSERT_EQ(0, write_file(at(self, "q"), "q\n"));
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, names[i])));
	for (int b = 0; b < 2; b++) {
		char *text = atomic_policy(self->dir, b);

		ASSERT_NE(NULL, text);
		snprintf(policy[b], PATH_MAX, "%s/%c.policy", self->dir,
			 b ? 'b' : 'a');
		ASSERT_EQ(0, write_file(policy[b], text));
		free(text);
	}
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "load", policy[0], NULL));

	pid[0] = start_loop(at(self, "app1"), self->dir, "ok", "denied",
			    "either", &out[0]);
	pid[1] = start_loop(at(self, "app2"), self->dir, "denied", "ok",
			    "either", &out[1]);
	pid[2] = start_loop(at(self, "stranger"), self->dir, "denied", "denied",
			    "denied", &out[2]);
	for (int i = 0; i < 3; i++) {
		ASSERT_LT(0, pid[i]);
		ASSERT_TRUE(read_line(out[i], line, sizeof(line)));
		ASSERT_STREQ("ready", line);
	}

	/* Alternate the policies while the three loops open and open. */
	for (int i = 1; i <= RELOADS; i++) {
		int b = i % 2;

		if (ward_run(NULL, NULL, "policy", "load", policy[b], NULL))
			failed_loads++;
		else if (try_open(at(self, "q"), O_WRONLY) != (b ? EACCES : 0))
			wrong_q++;
	}
	ASSERT_EQ(0, write_file(at(self, "stop"), ""));

	for (int i = 0; i < 3; i++) {
		int status;

		EXPECT_TRUE(read_line(out[i], line, sizeof(line)));
		close(out[i]);
		EXPECT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_TRUE(parse_result(line, &res[i]))
		{
			TH_LOG("%s printed '%s'", names[i], line);
			continue;
		}
		TH_LOG("%s: %s", names[i], line);
		/* Every decision was A's or B's, never a mix or none. */
		EXPECT_EQ(0, res[i].broken)
		{
			TH_LOG("%s: first broken result %s", names[i],
			       res[i].first);
		}
		EXPECT_LE(100, res[i].rounds);
	}
	/* The loads took effect, for the test and for the loops. */
	EXPECT_EQ(0, failed_loads);
	EXPECT_EQ(0, wrong_q);
	for (int i = 0; i < 2; i++) {
		EXPECT_LT(0, res[i].ok[4]);
		EXPECT_LT(0, res[i].denied[4]);
	}
}

/*
 * Labels and apps are keyed by inode number.  When a replaced file's
 * inode is freed, a disk file system gives its number to a later file,
 * which must not inherit the label or the app: the label moved to the
 * replacement.  tmpfs does not reuse numbers soon, so these tests make an
 * ext2 file system on a loop device, in a mount namespace of their own.
 */

FIXTURE(reuse)
{
	struct scratch_disk disk;
};

FIXTURE_SETUP(reuse)
{
	char *text;
	int err;

	err = scratch_disk_make(&self->disk, "reuse");
	if (err > 0)
		return;
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, write_file(in_mnt(self, "protected"), "original\n"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", in_mnt(self, "writer")));
	ASSERT_EQ(0, copy_file("/proc/self/exe", in_mnt(self, "pkg")));
	ASSERT_LT(0, asprintf(&text,
			      "policy reuse 1.0.0\n"
			      "files secret %s/protected\n"
			      "app writer %s/writer\n"
			      "app pkg %s/pkg\n"
			      "installer pkg\n"
			      "allow writer write secret\n"
			      "allow any read secret\n",
			      self->disk.mnt, self->disk.mnt, self->disk.mnt));
	ASSERT_EQ(0, ward_load_text(self->disk.dir, text));
	free(text);
}

FIXTURE_TEARDOWN(reuse)
{
	scratch_disk_remove(&self->disk);
}

/*
 * Creates empty files in @dir until one gets inode number @ino; its path
 * goes to @path.  The inode tables are written out and dropped from the
 * cache before each round, as ext4 without a journal does not give out a
 * number it saw freed in the last seconds while it has the table cached.
 * 0, or -1 when the file system did not give the number out again.
 */
static int reuse_ino(const char *dir, ino_t ino, char *path, size_t size)
{
	for (int round = 0, n = 0; round < 4; round++) {
		sync();
		write_file("/proc/sys/vm/drop_caches", "3\n");
		for (int i = 0; i < 16; i++, n++) {
			snprintf(path, size, "%s/new%d", dir, n);
			if (mknod(path, S_IFREG | 0644, 0))
				return -1;
			if (ino_of(path) == ino)
				return 0;
		}
		sleep(1);
	}
	return -1;
}

TEST_F(reuse, new_file_with_a_replaced_files_number_has_no_label)
{
	ino_t old = ino_of(in_mnt(self, "protected"));
	char path[PATH_MAX];

	if (self->disk.skip[0])
		SKIP(return, "%s", self->disk.skip);
	ASSERT_EQ(0, run_helper(in_mnt(self, "writer"), "replace",
				in_mnt(self, "protected")));
	EXPECT_EQ(EACCES, try_open(in_mnt(self, "protected"), O_WRONLY));
	if (reuse_ino(self->disk.mnt, old, path, sizeof(path)))
		SKIP(return, "inode %lu was not given out again", old);

	/* A new file in a directory of no label: anyone may write it. */
	EXPECT_EQ(0, try_open(path, O_WRONLY))
	{
		TH_LOG("%s took inode %lu of the replaced file, and its label",
		       path, old);
	}
	EXPECT_EQ(0, errno_of(unlink(path)));
	/* The label went with the replacement. */
	EXPECT_EQ(EACCES, try_open(in_mnt(self, "protected"), O_WRONLY));
	expect_content(_metadata, in_mnt(self, "protected"), "replaced\n");
}

TEST_F(reuse, new_file_with_a_replaced_executables_number_is_no_app)
{
	ino_t old = ino_of(in_mnt(self, "writer"));
	char path[PATH_MAX];

	if (self->disk.skip[0])
		SKIP(return, "%s", self->disk.skip);
	/* A package upgrade replaces the app's executable. */
	ASSERT_EQ(0, run_helper(in_mnt(self, "pkg"), "dpkg-install",
				in_mnt(self, "writer")));
	EXPECT_EQ(0, run_helper(in_mnt(self, "writer"), "append",
				in_mnt(self, "protected")));
	if (reuse_ino(self->disk.mnt, old, path, sizeof(path)))
		SKIP(return, "inode %lu was not given out again", old);

	/* Any program in the new file: it is not the app. */
	ASSERT_EQ(0, copy_file("/proc/self/exe", path));
	ASSERT_EQ(0, chmod(path, 0755));
	EXPECT_EQ(EACCES, run_helper(path, "append", in_mnt(self, "protected")))
	{
		TH_LOG("%s took inode %lu of the app's old executable, and the app",
		       path, old);
	}
	expect_content(_metadata, in_mnt(self, "protected"),
		       "original\nhelper\n");
}

WARD_TEST_MAIN_WITH(replace_helper)
