// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - what every test program shares
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common.h"
#include "kselftest.h"

const char *ward_bin(void)
{
	static char path[PATH_MAX];
	char self[PATH_MAX];
	ssize_t len;

	if (getenv("WARD"))
		return getenv("WARD");
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len > 0) {
		self[len] = '\0';
		snprintf(path, sizeof(path), "%s/../ward", dirname(self));
		if (!access(path, X_OK))
			return path;
	}
	return "ward";
}

char *read_fd(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t got;

	while (buf && (got = read(fd, buf + len, cap - len - 1)) > 0) {
		len += got;
		if (cap - len < 2) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

int ward_run(char **out, char **err, const char *arg, ...)
{
	const char *argv[32] = { ward_bin() };
	char out_path[] = "/tmp/ward-out-XXXXXX";
	char err_path[] = "/tmp/ward-err-XXXXXX";
	int out_fd, err_fd, status, argc = 1;
	va_list ap;
	pid_t pid;

	va_start(ap, arg);
	for (const char *a = arg; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);

	out_fd = mkstemp(out_path);
	err_fd = mkstemp(err_path);
	unlink(out_path);
	unlink(err_path);
	pid = fork();
	if (pid == 0) {
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		status = -1;
	lseek(out_fd, 0, SEEK_SET);
	lseek(err_fd, 0, SEEK_SET);
	if (out)
		*out = read_fd(out_fd);
	if (err)
		*err = read_fd(err_fd);
	else if (status != 0) {
		/* Keep ward's own words in the test log. */
		char *msg = read_fd(err_fd);

		if (msg && *msg)
			ksft_print_msg("ward %s: %s", arg, msg);
		free(msg);
	}
	close(out_fd);
	close(err_fd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

void ward_stop_quietly(void)
{
	char *err = NULL;

	ward_run(NULL, &err, "stop", NULL);
	free(err);
}

bool ward_is_running(void)
{
	struct stat st;

	return !stat("/sys/fs/bpf/ward", &st);
}

int ward_load_text(const char *dir, const char *text)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/test.policy", dir);
	if (write_file(path, text))
		return -1;
	if (ward_is_running())
		return ward_run(NULL, NULL, "policy", "load", path, NULL);
	return ward_run(NULL, NULL, "start", path, NULL);
}

static pid_t restore_pid;

static void restore(void)
{
	/* Only the process that registered it: not the tests' children. */
	if (getpid() == restore_pid)
		ward_stop_quietly();
}

void ward_restore_at_exit(void)
{
	if (ward_is_running())
		return;
	restore_pid = getpid();
	atexit(restore);
}

int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = strlen(text);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		err = errno ? -errno : -EIO;
	close(fd);
	return err;
}

char *read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *text;

	if (fd < 0)
		return NULL;
	text = read_fd(fd);
	close(fd);
	return text;
}

int copy_file(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out, err = 0;
	char buf[65536];
	ssize_t got;

	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	while ((got = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, got) != got) {
			err = -EIO;
			break;
		}
	if (got < 0)
		err = -errno;
	close(in);
	close(out);
	return err;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void remove_tree(const char *path)
{
	nftw(path, remove_one, 64, FTW_DEPTH | FTW_PHYS);
}

int run_helper(const char *exe, const char *op, const char *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(exe, exe, "--helper", op, arg, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int helper_main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[0], "append")) {
		int fd = open(argv[1], O_WRONLY | O_APPEND | O_CLOEXEC);

		if (fd < 0)
			return errno;
		if (write(fd, "helper\n", 7) != 7)
			return errno;
		return close(fd) ? errno : 0;
	}
	fprintf(stderr, "helper: unknown operation\n");
	return 255;
}

bool kernel_has_symbol(const char *symbol)
{
	char line[512], name[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %255s", name) == 1 &&
			!strcmp(name, symbol);
	fclose(f);
	return found;
}

void require_bpf_lsm(void)
{
	char *lsm;

	if (geteuid() != 0) {
		ksft_print_header();
		ksft_exit_skip("ward's selftests need root\n");
	}
	lsm = read_file("/sys/kernel/security/lsm");
	if (!lsm) {
		ksft_print_header();
		ksft_exit_skip(
			"cannot read /sys/kernel/security/lsm: is securityfs mounted?\n");
	}
	if (!strstr(lsm, "bpf")) {
		ksft_print_header();
		ksft_exit_skip(
			"the BPF LSM is not active (lsm=%s): boot with bpf in lsm=\n",
			lsm);
	}
	free(lsm);
}
