// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - app domains: how a task enters one, keeps it and
 * leaves it, and what a confined app may do in it
 *
 * Each test loads a policy over a fresh DIR:
 *
 *   DIR/jail      a copy of this program, the confined app "jail", allowed
 *                 to run (itself, the loader and the libraries)
 *   DIR/guard     a copy of this program, the unconfined app "guard"
 *   DIR/prog      a copy of this program that belongs to no app
 *   DIR/secret    a file no rule names
 *   DIR/allowed   a file jail may read
 *   DIR/keep      labelled "keep", which any may read and nobody write
 *
 * The test program itself belongs to no app.
 */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

/* A binfmt_misc rule a test registers, and the teardown removes. */
#define BINFMT_RULE "/proc/sys/fs/binfmt_misc/ward-test"

FIXTURE(domain)
{
	char dir[64];
	char *jail_rules;
};

FIXTURE_SETUP(domain)
{
	strcpy(self->dir, SCRATCH "/domain-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "jail")));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "guard")));
	ASSERT_EQ(0, copy_file("/proc/self/exe", at(self, "prog")));
	ASSERT_EQ(0, write_file(at(self, "secret"), "secret\n"));
	ASSERT_EQ(0, write_file(at(self, "allowed"), "allowed\n"));
	ASSERT_EQ(0, write_file(at(self, "keep"), "keep\n"));
	self->jail_rules = confined_program_rules("jail", at(self, "jail"));
	ASSERT_NE(NULL, self->jail_rules);
}

FIXTURE_TEARDOWN(domain)
{
	write_file(BINFMT_RULE, "-1");
	ward_load_text("/tmp", "policy none 0.0.1\n");
	remove_tree(self->dir);
	free(self->jail_rules);
}

/*
 * Loads the fixture's policy, with @more (policy text, may be empty) at
 * its end.
 */
static int load(FIXTURE_DATA(domain) * self, const char *more)
{
	char *text;
	int status;

	if (asprintf(&text,
		     "policy domain 1.0.0\n"
		     "files keep %s\n"
		     "app jail %s\n"
		     "app guard %s\n"
		     "confine jail\n"
		     "allow any read keep\n"
		     "allow jail read %s\n"
		     "%s%s",
		     at(self, "keep"), at(self, "jail"), at(self, "guard"),
		     at(self, "allowed"), self->jail_rules, more) < 0)
		return -1;
	status = ward_load_text(self->dir, text);
	free(text);
	return status;
}

/* load() with one more line, a format with @path where %s is. */
static int load_with(FIXTURE_DATA(domain) * self, const char *fmt,
		     const char *path)
{
	char *more;
	int status;

	if (asprintf(&more, fmt, path, path) < 0)
		return -1;
	status = load(self, more);
	free(more);
	return status;
}

/* load() with a right for guard: its domain has something to protect. */
static int load_granted(FIXTURE_DATA(domain) * self)
{
	return load_with(self, "allow guard write %s\n", at(self, "keep"));
}

/* The ELF interpreter (PT_INTERP) of this program, into @buf. */
static int interpreter(char *buf, size_t size)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int err = -ENOENT;

	if (fd < 0)
		return -errno;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		goto out;
	for (int i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph),
			  eh.e_phoff + i * eh.e_phentsize) != sizeof(ph))
			break;
		if (ph.p_type != PT_INTERP || ph.p_filesz >= size)
			continue;
		if (pread(fd, buf, ph.p_filesz, ph.p_offset) !=
		    (ssize_t)ph.p_filesz)
			break;
		buf[ph.p_filesz] = '\0';
		err = 0;
		break;
	}
out:
	close(fd);
	return err;
}

TEST_F(domain, exec_of_app_file_enters_its_domain)
{
	json_object *events, *ev;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	/* What the confined app may and may not do shows its domain. */
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "read", at(self, "allowed"),
			    NULL));
	EXPECT_EQ(EACCES, run_op(&pid, at(self, "jail"), "read",
				 at(self, "secret"), NULL));
	/* Its parent, the test, is in no domain. */
	EXPECT_EQ(0, run_op(NULL, NULL, "read", at(self, "secret"), NULL));

	events = ward_events();
	EXPECT_EQ(1, (int)json_object_array_length(events));
	ev = event_find(events, "op", "open", "path", at(self, "secret"), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("denial", event_str(ev, "type"));
	EXPECT_STREQ("read", event_str(ev, "access"));
	EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
	EXPECT_EQ(0, event_num(ev, "label"));
	EXPECT_EQ(pid, event_num(ev, "pid"));
	EXPECT_STREQ(at(self, "jail"), event_str(ev, "exe"));
	EXPECT_STREQ("jail", event_str(ev, "comm"));
	json_object_put(events);
}

TEST_F(domain, children_inherit_the_domain)
{
	json_object *events, *ev;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "fork", "read",
			    at(self, "allowed"), NULL));
	EXPECT_EQ(EACCES, run_op(&pid, at(self, "jail"), "fork", "read",
				 at(self, "secret"), NULL));
	/* And their children. */
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "jail"), "fork", "fork",
				 "write", at(self, "allowed"), NULL));

	events = ward_events();
	ev = event_find(events, "path", at(self, "secret"), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
	/* The child, not the helper that forked it. */
	EXPECT_NE(pid, event_num(ev, "pid"));
	EXPECT_LT(0, event_num(ev, "pid"));
	ev = event_find(events, "path", at(self, "allowed"), "access", "write",
			NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
	json_object_put(events);
}

TEST_F(domain, exec_of_program_of_no_app_keeps_the_domain)
{
	json_object *events, *ev;

	ASSERT_EQ(0, load_with(self, "allow jail read,exec %s\n",
			       at(self, "prog")));
	json_object_put(ward_events());
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "exec", at(self, "prog"),
			    "--helper", "read", at(self, "allowed"), NULL));
	EXPECT_EQ(EACCES,
		  run_op(NULL, at(self, "jail"), "exec", at(self, "prog"),
			 "--helper", "read", at(self, "secret"), NULL));
	events = ward_events();
	ev = event_find(events, "path", at(self, "secret"), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
	EXPECT_STREQ(at(self, "prog"), event_str(ev, "exe"));
	json_object_put(events);
}

/*
 * A program of no app that an unconfined app runs leaves its domain: the
 * app's rights are for its own code (userdel's USERDEL_CMD must not write
 * what userdel may).  Unless the policy says "inherit APP".
 */
TEST_F(domain, program_of_no_app_run_by_an_app_leaves_its_domain)
{
	json_object *events, *ev;

	ASSERT_EQ(0, load_with(self, "allow guard write %s\n",
			       at(self, "keep")));
	/* The app itself writes; what it runs does not. */
	EXPECT_EQ(0, run_op(NULL, at(self, "guard"), "write", at(self, "keep"),
			    NULL));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES,
		  run_op(NULL, at(self, "guard"), "exec", at(self, "prog"),
			 "--helper", "write", at(self, "keep"), NULL));
	events = ward_events();
	ev = event_find(events, "path", at(self, "keep"), "result", "denied",
			NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	EXPECT_EQ(0, event_num(ev, "app"));
	EXPECT_STREQ(at(self, "prog"), event_str(ev, "exe"));
	json_object_put(events);

	/* Said so, it stays. */
	ASSERT_EQ(0, load_with(self, "allow guard write %s\ninherit guard\n",
			       at(self, "keep")));
	EXPECT_EQ(0, run_op(NULL, at(self, "guard"), "exec", at(self, "prog"),
			    "--helper", "write", at(self, "keep"), NULL));
}

/*
 * An interpreter the policy does not name for the app (a binfmt_misc
 * handler registered for the app's file, or a script's) does not run:
 * it would run in the app's domain.  Here files named *.wardtest run
 * through a handler script, which appends to "keep".
 */
TEST_F(domain, undeclared_interpreter_of_an_app_is_refused)
{
	char rule[PATH_MAX + 64], app[PATH_MAX], sh[PATH_MAX], *text, *more;
	json_object *events, *ev;

	if (access("/proc/sys/fs/binfmt_misc/register", W_OK))
		SKIP(return, "binfmt_misc is not mounted");
	ASSERT_NE(NULL, realpath("/bin/sh", sh));
	snprintf(app, sizeof(app), "%s", at(self, "tool.wardtest"));
	ASSERT_EQ(0, copy_file("/proc/self/exe", app));
	ASSERT_LE(0, asprintf(&text, "#!/bin/sh\necho handler >> %s\n",
			      at(self, "keep")));
	ASSERT_EQ(0, write_file(at(self, "handler"), text));
	free(text);
	ASSERT_EQ(0, chmod(at(self, "handler"), 0755));
	snprintf(rule, sizeof(rule), ":ward-test:E::wardtest::%s:",
		 at(self, "handler"));
	ASSERT_EQ(0, write_file("/proc/sys/fs/binfmt_misc/register", rule));

	ASSERT_EQ(0, load_with(self, "app tool %s\nallow tool write keep\n",
			       app));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, run_op(NULL, NULL, "exec", app, NULL));
	events = ward_events();
	ev = event_find(events, "op", "exec", "result", "denied", "path",
			at(self, "handler"), NULL);
	EXPECT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	json_object_put(events);
	text = read_file(at(self, "keep"));
	EXPECT_STREQ("keep\n", text);
	free(text);

	/* Named as the app's interpreters, they run, in its domain. */
	ASSERT_LE(0, asprintf(&more,
			      "app tool %s\ninterpreter tool %s %s\n"
			      "allow tool write keep\n",
			      app, at(self, "handler"), sh));
	ASSERT_EQ(0, load(self, more));
	free(more);
	EXPECT_EQ(0, run_op(NULL, NULL, "exec", app, NULL));
	text = read_file(at(self, "keep"));
	EXPECT_STREQ("keep\nhandler\n", text);
	free(text);
}

TEST_F(domain, shell_run_by_confined_app_stays_confined)
{
	char sh[PATH_MAX], *cmd;
	json_object *events, *ev;
	int status;

	ASSERT_NE(NULL, realpath("/bin/sh", sh));
	ASSERT_EQ(0, load_with(self, "allow jail read,exec %s\n", sh));
	ASSERT_LE(0, asprintf(&cmd, ": < %s", at(self, "secret")));
	json_object_put(ward_events());
	/* The shell's redirection fails: a special builtin's, it exits. */
	status = run_op(NULL, at(self, "jail"), "exec", "/bin/sh", "-c", cmd,
			NULL);
	free(cmd);
	EXPECT_NE(0, status);
	EXPECT_NE(-1, status);
	events = ward_events();
	ev = event_find(events, "op", "open", "path", at(self, "secret"), NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	EXPECT_STREQ("denial", event_str(ev, "type"));
	EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
	EXPECT_STREQ(sh, event_str(ev, "exe"));
	json_object_put(events);

	/* Unconfined, the same shell may. */
	ASSERT_LE(0, asprintf(&cmd, ": < %s", at(self, "secret")));
	EXPECT_EQ(0, run_op(NULL, NULL, "exec", "/bin/sh", "-c", cmd, NULL));
	free(cmd);
}

TEST_F(domain, exec_of_another_apps_file_switches_domain)
{
	json_object *events, *ev;
	pid_t pid;

	ASSERT_EQ(0, load_with(self, "allow jail read,exec %s\n",
			       at(self, "guard")));
	json_object_put(ward_events());
	/* guard is not confined: it may read what jail may not. */
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "exec", at(self, "guard"),
			    "--helper", "read", at(self, "secret"), NULL));
	/* and the events name guard. */
	EXPECT_EQ(EACCES,
		  run_op(&pid, at(self, "jail"), "exec", at(self, "guard"),
			 "--helper", "write", at(self, "keep"), NULL));
	events = ward_events();
	ev = event_find(events, "op", "open", "path", at(self, "keep"), NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	EXPECT_EQ(ward_app_id("guard"), event_num(ev, "app"));
	EXPECT_EQ(pid, event_num(ev, "pid"));
	EXPECT_STREQ(at(self, "guard"), event_str(ev, "exe"));
	json_object_put(events);

	/* The other way: guard hands over to jail, which is confined. */
	EXPECT_EQ(EACCES,
		  run_op(NULL, at(self, "guard"), "exec", at(self, "jail"),
			 "--helper", "read", at(self, "secret"), NULL));
}

TEST_F(domain, confined_app_needs_exec_rule_to_switch)
{
	json_object *events, *ev;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, run_op(&pid, at(self, "jail"), "exec",
				 at(self, "guard"), "--helper", "nop", NULL));
	events = ward_events();
	ev = event_find(events, "op", "exec", NULL);
	EXPECT_NE(NULL, ev)
	{
		TH_LOG("no exec event: %s", json_object_to_json_string(events));
	}
	if (ev) {
		EXPECT_STREQ("exec", event_str(ev, "access"));
		EXPECT_STREQ(at(self, "guard"), event_str(ev, "path"));
		EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
		EXPECT_EQ(pid, event_num(ev, "pid"));
	}
	json_object_put(events);
}

TEST_F(domain, confined_app_cannot_read_unlabelled_file)
{
	json_object *events, *ev;
	struct stat st;
	pid_t pid;

	ASSERT_EQ(0, mkdir(at(self, "etc"), 0755));
	ASSERT_EQ(0, write_file(at(self, "etc/hostname"), "ward-vm\n"));
	ASSERT_EQ(0, stat(at(self, "etc/hostname"), &st));
	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, run_op(&pid, at(self, "jail"), "read",
				 at(self, "etc/hostname"), NULL));
	/* Nor list a directory. */
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "jail"), "read",
				 at(self, "etc"), NULL));
	/* Nor write or create. */
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "jail"), "write",
				 at(self, "etc/hostname"), NULL));
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "jail"), "create",
				 at(self, "etc/new"), NULL));
	events = ward_events();
	ev = event_find(events, "pid", pid_str(pid), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("open", event_str(ev, "op"));
	EXPECT_STREQ("read", event_str(ev, "access"));
	EXPECT_STREQ(at(self, "etc/hostname"), event_str(ev, "path"));
	EXPECT_EQ((long long)st.st_ino, event_num(ev, "ino"));
	EXPECT_EQ(0, event_num(ev, "label"));
	EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
	json_object_put(events);

	/* A rule grants it. */
	ASSERT_EQ(0, load_with(self, "allow jail read %s\n",
			       at(self, "etc/hostname")));
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "read",
			    at(self, "etc/hostname"), NULL));
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "jail"), "write",
				 at(self, "etc/hostname"), NULL));
}

TEST_F(domain, confined_app_cannot_exec_unlabelled_file)
{
	json_object *events, *ev;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, run_op(&pid, at(self, "jail"), "exec",
				 at(self, "prog"), "--helper", "nop", NULL));
	events = ward_events();
	ev = event_find(events, "op", "exec", NULL);
	EXPECT_NE(NULL, ev)
	{
		TH_LOG("no exec event: %s", json_object_to_json_string(events));
	}
	if (ev) {
		EXPECT_STREQ(at(self, "prog"), event_str(ev, "path"));
		EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
		EXPECT_EQ(pid, event_num(ev, "pid"));
	}
	json_object_put(events);

	/* exec alone lets it run the program. */
	ASSERT_EQ(0, load_with(self, "allow jail exec %s\n", at(self, "prog")));
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "exec", at(self, "prog"),
			    "--helper", "nop", NULL));
	/* and reading does not. */
	ASSERT_EQ(0, load_with(self, "allow jail read %s\n", at(self, "prog")));
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "jail"), "exec",
				 at(self, "prog"), "--helper", "nop", NULL));
}

TEST_F(domain, ld_so_does_not_escape_exec_rules)
{
	char ld_so[PATH_MAX];
	json_object *events, *ev;
	struct stat st;
	int status;
	pid_t pid;

	ASSERT_EQ(0, interpreter(ld_so, sizeof(ld_so)));
	ASSERT_EQ(0, stat(at(self, "prog"), &st));
	/* The loader is among the app's files; prog may only be read. */
	ASSERT_EQ(0, load_with(self, "allow jail read %s\n", at(self, "prog")));
	json_object_put(ward_events());
	status = run_op(&pid, at(self, "jail"), "exec", ld_so, at(self, "prog"),
			"--helper", "nop", NULL);
	/* ld.so cannot map it: it says so and exits 127. */
	EXPECT_NE(0, status);
	EXPECT_NE(-1, status);
	events = ward_events();
	ev = event_find(events, "op", "mmap", "pid", pid_str(pid), NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	EXPECT_STREQ("denial", event_str(ev, "type"));
	EXPECT_STREQ("exec", event_str(ev, "access"));
	EXPECT_EQ((long long)st.st_ino, event_num(ev, "ino"));
	EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
	if (kernel_has_symbol("bpf_path_d_path"))
		EXPECT_STREQ(at(self, "prog"), event_str(ev, "path"));
	json_object_put(events);

	/* With exec, the loader runs it. */
	ASSERT_EQ(0, load_with(self, "allow jail read,exec %s\n",
			       at(self, "prog")));
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "exec", ld_so,
			    at(self, "prog"), "--helper", "nop", NULL));
}

TEST_F(domain, memfd_exec_is_denied_to_confined_app)
{
	char *noexec = read_file("/proc/sys/vm/memfd_noexec");
	json_object *events, *ev;
	pid_t pid;

	/* 2: the kernel refuses executable memfds to everyone. */
	if (noexec && atoi(noexec) == 2) {
		free(noexec);
		SKIP(return, "vm.memfd_noexec is 2");
	}
	free(noexec);
	ASSERT_EQ(0, load_with(self, "allow jail read %s\n", at(self, "prog")));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, run_op(&pid, at(self, "jail"), "memfd-exec",
				 at(self, "prog"), "--helper", "nop", NULL));
	events = ward_events();
	ev = event_find(events, "op", "exec", "pid", pid_str(pid), NULL);
	EXPECT_NE(NULL, ev)
	{
		TH_LOG("no exec event: %s", json_object_to_json_string(events));
	}
	if (ev) {
		EXPECT_STREQ("denial", event_str(ev, "type"));
		EXPECT_STREQ("exec", event_str(ev, "access"));
		EXPECT_EQ(0, event_num(ev, "label"));
		EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
	}
	json_object_put(events);

	/* Unconfined tasks may: the test itself, and the app guard. */
	EXPECT_EQ(0, run_op(NULL, NULL, "memfd-exec", at(self, "prog"),
			    "--helper", "nop", NULL));
	EXPECT_EQ(0, run_op(NULL, at(self, "guard"), "memfd-exec",
			    at(self, "prog"), "--helper", "nop", NULL));
}

TEST_F(domain, script_app_puts_its_interpreter_in_the_scripts_domain)
{
	char sh[PATH_MAX], *script, *rules;
	json_object *events, *ev;
	int status;
	pid_t pid;

	ASSERT_NE(NULL, realpath("/bin/sh", sh));
	/* 10: could not read what it may; 11: read what it may not. */
	ASSERT_LE(0, asprintf(&script,
			      "#!/bin/sh\n"
			      "read line < %s || exit 10\n"
			      "if (: < %s); then exit 11; fi\n"
			      "exit 0\n",
			      at(self, "allowed"), at(self, "secret")));
	ASSERT_EQ(0, write_file(at(self, "script"), script));
	free(script);
	ASSERT_EQ(0, chmod(at(self, "script"), 0755));
	rules = confined_program_rules("script", at(self, "script"));
	ASSERT_NE(NULL, rules);
	ASSERT_LE(0,
		  asprintf(&script,
			   "app script %s\n"
			   "interpreter script %s\n"
			   "confine script\n"
			   "%s"
			   "allow script read,exec %s\n"
			   "allow script read %s\n",
			   at(self, "script"), sh, rules, sh,
			   at(self, "allowed")));
	free(rules);
	ASSERT_EQ(0, load(self, script));
	free(script);
	json_object_put(ward_events());

	status = run_op(&pid, NULL, "exec", at(self, "script"), NULL);
	EXPECT_EQ(0, status);
	events = ward_events();
	ev = event_find(events, "op", "open", "path", at(self, "secret"), NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("events: %s", json_object_to_json_string(events));
	}
	EXPECT_EQ(ward_app_id("script"), event_num(ev, "app"));
	/* The interpreter runs, in the script's domain. */
	EXPECT_STREQ(sh, event_str(ev, "exe"));
	json_object_put(events);

	/* Running the interpreter on it is not executing the script. */
	EXPECT_EQ(11, run_op(NULL, NULL, "exec", "/bin/sh", at(self, "script"),
			     NULL));
}

TEST_F(domain, app_mode_overrides_policy_mode)
{
	json_object *events, *ev;
	pid_t jail_pid, root_pid;

	ASSERT_EQ(0, load(self, "mode complain jail\n"));
	json_object_put(ward_events());
	/* jail's denials are complaints... */
	EXPECT_EQ(0, run_op(&jail_pid, at(self, "jail"), "read",
			    at(self, "secret"), NULL));
	/* ...while the policy's mode, enforce, holds for everyone else. */
	EXPECT_EQ(EACCES,
		  run_op(&root_pid, NULL, "write", at(self, "keep"), NULL));
	events = ward_events();
	ev = event_find(events, "pid", pid_str(jail_pid), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("complain", event_str(ev, "type"));
	EXPECT_STREQ("allowed", event_str(ev, "result"));
	EXPECT_EQ(ward_app_id("jail"), event_num(ev, "app"));
	ev = event_find(events, "pid", pid_str(root_pid), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("denial", event_str(ev, "type"));
	json_object_put(events);

	/* And the other way round. */
	ASSERT_EQ(0, load(self, "mode complain\nmode enforce jail\n"));
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "jail"), "read",
				 at(self, "secret"), NULL));
	EXPECT_EQ(0, run_op(NULL, NULL, "write", at(self, "keep"), NULL));
}

TEST_F(domain, domain_survives_policy_reload)
{
	int release, status;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	/* Once the helper runs jail, it is in jail's domain, waiting. */
	pid = start_waiting(at(self, "jail"), &release, "read",
			    at(self, "secret"), NULL);
	ASSERT_LT(0, pid);
	/* A new policy comes. */
	ASSERT_EQ(0, load_with(self, "allow guard read %s\n",
			       at(self, "allowed")));
	close(release);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EACCES, WEXITSTATUS(status));
}

/* Sends @fd over @sock with SCM_RIGHTS; 0 or -1. */
static int send_fd(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = {};
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) < 0 ? -1 : 0;
}

TEST_F(domain, confined_app_receives_only_what_it_may_open)
{
	int sv[2], pipefd[2], fd;

	ASSERT_EQ(0, load(self, ""));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	/* A file it may not read, opened by a process of no app: dropped. */
	fd = open(at(self, "secret"), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, send_fd(sv[0], fd));
	close(fd);
	EXPECT_EQ(EACCES, run_op(NULL, at(self, "jail"), "recv-fd",
				 pid_str(sv[1]), NULL));
	/* One it may read: received. */
	fd = open(at(self, "allowed"), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, send_fd(sv[0], fd));
	close(fd);
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "recv-fd", pid_str(sv[1]),
			    NULL));
	/* A pipe and a socket, which no path names: received. */
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	ASSERT_EQ(0, send_fd(sv[0], pipefd[1]));
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "recv-fd", pid_str(sv[1]),
			    NULL));
	ASSERT_EQ(0, send_fd(sv[0], sv[0]));
	EXPECT_EQ(0, run_op(NULL, at(self, "jail"), "recv-fd", pid_str(sv[1]),
			    NULL));
	close(pipefd[0]);
	close(pipefd[1]);
	close(sv[0]);
	close(sv[1]);
}

/*
 * Foreign code in an app's process: what a process outside the domain
 * could put there through ld.so's environment or ptrace.
 */

/*
 * Ends what start_waiting() started: killed, for a SIGSTOP of an attach
 * that came during its exec may still be pending.
 */
static void stop_waiting(pid_t pid, int release)
{
	close(release);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* PTRACE_ATTACH to @pid: 0 (then detached again) or its errno. */
static int try_attach(pid_t pid)
{
	int status;

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		return errno;
	waitpid(pid, &status, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return 0;
}

/* Writes a byte into @pid's memory with process_vm_writev: its errno. */
static int try_vm_write(pid_t pid)
{
	char byte = 0;
	struct iovec local = { .iov_base = &byte, .iov_len = 1 };
	struct iovec remote = { .iov_base = (void *)0x10000, .iov_len = 1 };

	return process_vm_writev(pid, &local, 1, &remote, 1, 0) < 0 ? errno : 0;
}

TEST_F(domain, app_process_cannot_be_ptraced_from_outside)
{
	char mem[64], environ_path[64];
	json_object *events, *ev;
	int release, release2;
	pid_t pid, other;

	ASSERT_EQ(0, load_granted(self));
	json_object_put(ward_events());
	pid = start_waiting(at(self, "guard"), &release, "nop", NULL);
	ASSERT_LT(0, pid);
	snprintf(mem, sizeof(mem), "/proc/%d/mem", pid);
	snprintf(environ_path, sizeof(environ_path), "/proc/%d/environ", pid);
	/* Attaching, its memory for writing: refused even to root. */
	EXPECT_EQ(EPERM, try_attach(pid));
	EXPECT_EQ(EACCES, try_open(mem, O_RDWR));
	EXPECT_EQ(EPERM, try_vm_write(pid));
	/* What ps and top read is not attaching. */
	EXPECT_EQ(0, try_open(environ_path, O_RDONLY));
	events = ward_events();
	ev = event_find(events, "op", "ptrace", "pid", pid_str(getpid()), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("denied", event_str(ev, "result"));
	EXPECT_STREQ("attach", event_str(ev, "access"));
	EXPECT_EQ(pid, event_num(ev, "target_pid"));
	EXPECT_EQ(ward_app_id("guard"),
		  (unsigned int)event_num(ev, "target_app"));
	json_object_put(events);
	/* A process of no app can be traced as before. */
	other = start_waiting(at(self, "prog"), &release2, "nop", NULL);
	ASSERT_LT(0, other);
	EXPECT_EQ(0, try_attach(other));
	snprintf(mem, sizeof(mem), "/proc/%d/mem", other);
	EXPECT_EQ(0, try_open(mem, O_RDWR));
	stop_waiting(other, release2);
	stop_waiting(pid, release);
}

/*
 * Runs @exe (nop) in a child that asked to be traced (PTRACE_TRACEME) by
 * this process: the errno its exec failed with, 0 when it ran.
 */
static int traced_exec(const char *exe)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			_exit(errno);
		execl(exe, exe, "--helper", "nop", (char *)NULL);
		_exit(errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	/* Stopped at the exec's SIGTRAP: it ran. */
	kill(pid, SIGKILL);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	waitpid(pid, &status, 0);
	return 0;
}

TEST_F(domain, traced_exec_into_app_is_refused)
{
	json_object *events, *ev;

	ASSERT_EQ(0, load_granted(self));
	json_object_put(ward_events());
	/* The tracer, outside the domain, would run code in it. */
	EXPECT_EQ(EPERM, traced_exec(at(self, "guard")));
	events = ward_events();
	ev = event_find(events, "op", "ptrace", "access", "exec", NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("denied", event_str(ev, "result"));
	EXPECT_EQ(getpid(), event_num(ev, "target_pid"));
	json_object_put(events);
	/* A program of no app: traced as before. */
	EXPECT_EQ(0, traced_exec(at(self, "prog")));
}

TEST_F(domain, app_cannot_ask_to_be_traced_from_outside)
{
	json_object *events, *ev;
	pid_t pid;

	ASSERT_EQ(0, load_granted(self));
	json_object_put(ward_events());
	EXPECT_EQ(EPERM, run_op(&pid, at(self, "guard"), "traceme", NULL));
	events = ward_events();
	ev = event_find(events, "op", "ptrace", "pid", pid_str(pid), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("traceme", event_str(ev, "access"));
	EXPECT_EQ(getpid(), event_num(ev, "target_pid"));
	json_object_put(events);
	EXPECT_EQ(0, run_op(NULL, at(self, "prog"), "traceme", NULL));
}

TEST_F(domain, entering_an_app_is_a_secure_exec)
{
	ASSERT_EQ(0, load_granted(self));
	/* AT_SECURE: ld.so then ignores LD_PRELOAD, LD_LIBRARY_PATH... */
	EXPECT_EQ(1, run_op(NULL, at(self, "guard"), "at-secure", NULL));
	EXPECT_EQ(0, run_op(NULL, at(self, "prog"), "at-secure", NULL));
	/* ...and glibc removes them from the environment. */
	ASSERT_EQ(0, setenv("LD_LIBRARY_PATH", "/nonexistent/ward", 1));
	EXPECT_EQ(ENOENT, run_op(NULL, at(self, "guard"), "getenv",
				 "LD_LIBRARY_PATH", NULL));
	EXPECT_EQ(0, run_op(NULL, at(self, "prog"), "getenv", "LD_LIBRARY_PATH",
			    NULL));
	unsetenv("LD_LIBRARY_PATH");
	/* Already in the domain, running its program again changes nothing. */
	EXPECT_EQ(0, run_op(NULL, at(self, "guard"), "exec", at(self, "guard"),
			    "--helper", "at-secure", NULL));
}

/*
 * An app without rights beyond the default has nothing code from outside
 * could take: traced and run with LD_PRELOAD like any program (shells are
 * such an app in the factory policy).
 */
TEST_F(domain, app_without_rights_is_an_ordinary_program)
{
	int release;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	EXPECT_EQ(0, run_op(NULL, at(self, "guard"), "at-secure", NULL));
	EXPECT_EQ(0, traced_exec(at(self, "guard")));
	EXPECT_EQ(0, run_op(NULL, at(self, "guard"), "traceme", NULL));
	pid = start_waiting(at(self, "guard"), &release, "nop", NULL);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, try_attach(pid));
	stop_waiting(pid, release);
}

WARD_TEST_MAIN
