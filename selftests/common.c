// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - what every test program shares
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <json-c/json.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/loop.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "common.h"
#include "kselftest.h"
#include "login_msg.h"

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

/* ward_run() and ward_run_input() with their arguments in @ap. */
static int ward_runv(const char *in, char **out, char **err, const char *arg,
		     va_list ap)
{
	const char *argv[32] = { ward_bin() };
	char in_path[] = "/tmp/ward-in-XXXXXX";
	char out_path[] = "/tmp/ward-out-XXXXXX";
	char err_path[] = "/tmp/ward-err-XXXXXX";
	int in_fd = -1, out_fd, err_fd, status, argc = 1;
	pid_t pid;

	for (const char *a = arg; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = a;

	if (in) {
		in_fd = mkstemp(in_path);
		unlink(in_path);
		if (write(in_fd, in, strlen(in)) != (ssize_t)strlen(in)) {
			close(in_fd);
			return -1;
		}
		lseek(in_fd, 0, SEEK_SET);
	}
	out_fd = mkstemp(out_path);
	err_fd = mkstemp(err_path);
	unlink(out_path);
	unlink(err_path);
	pid = fork();
	if (pid == 0) {
		if (in_fd >= 0)
			dup2(in_fd, 0);
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
	if (in_fd >= 0)
		close(in_fd);
	close(out_fd);
	close(err_fd);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int ward_run(char **out, char **err, const char *arg, ...)
{
	va_list ap;
	int status;

	va_start(ap, arg);
	status = ward_runv(NULL, out, err, arg, ap);
	va_end(ap);
	return status;
}

int ward_run_input(const char *in, char **out, char **err, const char *arg, ...)
{
	va_list ap;
	int status;

	va_start(ap, arg);
	status = ward_runv(in, out, err, arg, ap);
	va_end(ap);
	return status;
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

/* Whether program @id is named @name. */
static bool program_named(__u32 id, const char *name)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);
	bool named;

	if (fd < 0)
		return false;
	named = !bpf_prog_get_info_by_fd(fd, &info, &len) &&
		!strcmp(info.name, name);
	close(fd);
	return named;
}

int attached_programs_named(const char *name)
{
	__u32 id = 0;
	int n = 0;

	while (!bpf_link_get_next_id(id, &id)) {
		struct bpf_link_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_link_get_info_by_fd(fd, &info, &len) &&
		    program_named(info.prog_id, name))
			n++;
		close(fd);
	}
	return errno == ENOENT ? n : -errno;
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

static void scratch_prepare(void)
{
	if (mkdir(SCRATCH, 0755) && errno != EEXIST) {
		ksft_print_header();
		ksft_exit_fail_msg("cannot create %s: %s\n", SCRATCH,
				   strerror(errno));
	}
}

static void ward_restore_at_exit(void)
{
	if (ward_is_running() || getenv("WARD_VM_THROWAWAY"))
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

bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, line, len) && (p[len] == '\n' || !p[len]))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

ino_t ino_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? 0 : st.st_ino;
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

void unmount_beneath(const char *dir)
{
	char *line = NULL, point[PATH_MAX], deepest[PATH_MAX];
	size_t len = strlen(dir), size = 0;
	FILE *f;

	/* The deepest first, each pass: a mount may hide another's point. */
	for (int pass = 0; pass < 256; pass++) {
		deepest[0] = '\0';
		f = fopen("/proc/self/mountinfo", "re");
		while (f && getline(&line, &size, f) > 0)
			if (sscanf(line, "%*u %*u %*s %*s %4095s", point) == 1 &&
			    !strncmp(point, dir, len) &&
			    (point[len] == '\0' || point[len] == '/') &&
			    strlen(point) >= strlen(deepest))
				strcpy(deepest, point);
		if (f)
			fclose(f);
		if (!deepest[0] || umount2(deepest, MNT_DETACH))
			break;
	}
	free(line);
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
	if (argc >= 1 && test_op_known(argv[0]))
		return test_op(argc, argv);
	fprintf(stderr, "helper: unknown operation\n");
	return 255;
}

static bool kallsyms_has(const char *symbol)
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

/*
 * Reading /proc/kallsyms takes most of a second under TCG, and each test
 * runs in a process of its own: the answer is kept in SCRATCH, for the
 * boot it was found in.
 */
bool kernel_has_symbol(const char *symbol)
{
	char *boot = read_file("/proc/sys/kernel/random/boot_id");
	char memo[PATH_MAX], answer[64];
	char *kept;
	bool found;

	snprintf(memo, sizeof(memo), "%s/.kallsyms-%s", SCRATCH, symbol);
	kept = read_file(memo);
	if (boot && kept && !strncmp(kept, boot, strlen(boot))) {
		found = kept[strlen(boot)] == '1';
	} else {
		found = kallsyms_has(symbol);
		if (boot) {
			snprintf(answer, sizeof(answer), "%.40s%c", boot,
				 found ? '1' : '0');
			write_file(memo, answer);
		}
	}
	free(kept);
	free(boot);
	return found;
}

static void require_bpf_lsm(void)
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

void tests_prepare(void)
{
	require_bpf_lsm();
	scratch_prepare();
	ward_restore_at_exit();
}

/*
 * Operations for the behaviour tests (verbs, domains, network,
 * capabilities): each one system call or two, performed by a helper
 * (a copy of the test program run as an app) or by a forked child of the
 * test itself.
 */

static int errno_or_zero(int ret)
{
	return ret < 0 ? errno : 0;
}

static int op_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Opens @path for reading; a directory is listed too. */
static int op_read(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int err = 0;

	if (fd < 0)
		return errno;
	if (fstat(fd, &st) < 0)
		err = errno;
	else if (S_ISDIR(st.st_mode))
		err = errno_or_zero(
			syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	else
		err = errno_or_zero(read(fd, buf, sizeof(buf)));
	close(fd);
	return err;
}

static int op_map(const char *path, bool mprotect_it)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int prot = mprotect_it ? PROT_READ : PROT_READ | PROT_EXEC;
	void *p;
	int err = 0;

	if (fd < 0)
		return errno;
	p = mmap(NULL, 4096, prot, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		err = errno;
	else if (mprotect_it && mprotect(p, 4096, PROT_READ | PROT_EXEC))
		err = errno;
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
	return err;
}

/* MFD_EXEC (6.3): an executable memfd, whatever vm.memfd_noexec says. */
#define MFD_EXEC_FLAG 0x0010U

/* Copies @src into a memfd and executes that, with @argv. */
static int op_memfd_exec(const char *src, char **argv)
{
	char buf[65536];
	ssize_t got;
	int in, fd;

	fd = memfd_create("ward-payload", MFD_EXEC_FLAG);
	if (fd < 0 && errno == EINVAL) /* before 6.3 */
		fd = memfd_create("ward-payload", 0);
	if (fd < 0)
		return errno;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno;
	while ((got = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, got) != got)
			return EIO;
	if (got < 0)
		return errno;
	close(in);
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	return errno;
}

/* IPPROTO_MPTCP (5.6) and a protocol number no kernel implements. */
#define PROTO_MPTCP 262
#define PROTO_UNKNOWN 253

static const struct {
	const char *name;
	int family, type, protocol;
} socket_kinds[] = {
	{ "tcp", AF_INET, SOCK_STREAM, 0 },
	{ "udp", AF_INET, SOCK_DGRAM, 0 },
	{ "tcp6", AF_INET6, SOCK_STREAM, 0 },
	{ "udp6", AF_INET6, SOCK_DGRAM, 0 },
	{ "mptcp", AF_INET, SOCK_STREAM, PROTO_MPTCP },
	{ "udplite", AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE },
	{ "sctp", AF_INET, SOCK_STREAM, IPPROTO_SCTP },
	{ "sctp6", AF_INET6, SOCK_STREAM, IPPROTO_SCTP },
	{ "sctp-seq", AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP },
	{ "ping", AF_INET, SOCK_DGRAM, IPPROTO_ICMP },
	{ "ping6", AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6 },
	{ "stream-other", AF_INET, SOCK_STREAM, PROTO_UNKNOWN },
	{ "dgram-other", AF_INET, SOCK_DGRAM, PROTO_UNKNOWN },
	{ "unix", AF_UNIX, SOCK_STREAM, 0 },
	{ "netlink", AF_NETLINK, SOCK_RAW, NETLINK_ROUTE },
	{ "packet", AF_PACKET, SOCK_RAW, 0x0300 /* htons(ETH_P_ALL) */ },
	{ "raw", AF_INET, SOCK_RAW, IPPROTO_ICMP },
	{ "alg", AF_ALG, SOCK_SEQPACKET, 0 },
};

/* A socket of the kind named @kind; -1 with errno set. */
static int kind_socket(const char *kind, int *family, int *type)
{
	for (size_t i = 0; i < sizeof(socket_kinds) / sizeof(*socket_kinds);
	     i++) {
		if (strcmp(kind, socket_kinds[i].name))
			continue;
		if (family)
			*family = socket_kinds[i].family;
		if (type)
			*type = socket_kinds[i].type;
		return socket(socket_kinds[i].family,
			      socket_kinds[i].type | SOCK_CLOEXEC,
			      socket_kinds[i].protocol);
	}
	errno = EINVAL;
	return -1;
}

static int op_socket(const char *kind)
{
	int fd = kind_socket(kind, NULL, NULL);

	if (fd < 0)
		return errno == EINVAL ? 255 : errno;
	close(fd);
	return 0;
}

/* What op_inet does with its socket. */
enum inet_op {
	INET_BIND,
	INET_BIND_UNSPEC,
	INET_CONNECT,
	INET_SENDTO,
	INET_BINDX,
	INET_CONNECTX,
};

/* The most addresses op_inet() gives. */
#define SCTP_ADDRS_TEST_MAX 32

/* From <linux/sctp.h>: sctp_bindx() and sctp_connectx() as setsockopt(). */
#define SOL_SCTP_LEVEL 132
#define SCTP_SOCKOPT_BINDX_ADD 100
#define SCTP_SOCKOPT_CONNECTX 110

/*
 * Fills @addrs with one address per port of the comma-separated @ports:
 * the Nth is 127.0.0.N (IPv4) or ::1 (IPv6); with INET_BIND_UNSPEC,
 * INADDR_ANY as AF_UNSPEC.  Returns the bytes used.
 */
static socklen_t inet_addresses(const char *ports, int family, enum inet_op op,
				char *addrs, size_t size)
{
	socklen_t len = 0;
	unsigned int n = 0;

	for (const char *p = ports; *p && n < SCTP_ADDRS_TEST_MAX; n++) {
		char *end;
		int port = strtol(p, &end, 10);

		if (family == AF_INET6 &&
		    len + sizeof(struct sockaddr_in6) <= size) {
			struct sockaddr_in6 a6 = {
				.sin6_family = AF_INET6,
				.sin6_port = htons(port),
				.sin6_addr = IN6ADDR_LOOPBACK_INIT,
			};

			memcpy(addrs + len, &a6, sizeof(a6));
			len += sizeof(a6);
		} else if (family == AF_INET &&
			   len + sizeof(struct sockaddr_in) <= size) {
			struct sockaddr_in a = {
				.sin_family = op == INET_BIND_UNSPEC ?
						      AF_UNSPEC :
						      AF_INET,
				.sin_port = htons(port),
				.sin_addr.s_addr =
					op == INET_BIND_UNSPEC ?
						htonl(INADDR_ANY) :
						htonl(INADDR_LOOPBACK + n),
			};

			memcpy(addrs + len, &a, sizeof(a));
			len += sizeof(a);
		}
		p = *end == ',' ? end + 1 : end;
	}
	return len;
}

/*
 * Binds, connects or sends a byte with sendto() (a TCP socket: with
 * MSG_FASTOPEN, which connects) on a socket of @kind (see socket_kinds),
 * to 127.0.0.1:@port, or to [::1]:@port for an IPv6 kind.
 * INET_BIND_UNSPEC binds an IPv4 socket to port @port of INADDR_ANY,
 * spelled AF_UNSPEC as Linux accepts it.  INET_BINDX and INET_CONNECTX
 * give SCTP the addresses of inet_addresses() for @port, which may list
 * several ports.
 */
static int op_inet(const char *kind, const char *port, enum inet_op op)
{
	char addrs[SCTP_ADDRS_TEST_MAX * sizeof(struct sockaddr_in6)];
	struct sockaddr *sa = (struct sockaddr *)addrs;
	int family, type, one = 1, err = 0;
	int fd = kind_socket(kind, &family, &type);
	socklen_t len;

	if (fd < 0)
		return errno == EINVAL ? 255 : errno;
	len = inet_addresses(port, family, op, addrs, sizeof(addrs));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	switch (op) {
	case INET_BIND:
	case INET_BIND_UNSPEC:
		err = errno_or_zero(bind(fd, sa, len));
		break;
	case INET_CONNECT:
		err = errno_or_zero(connect(fd, sa, len));
		break;
	case INET_SENDTO:
		if (sendto(fd, "x", 1,
			   type == SOCK_STREAM && strncmp(kind, "sctp", 4) ?
				   MSG_FASTOPEN :
				   0,
			   sa, len) < 0)
			err = errno;
		break;
	case INET_BINDX:
		err = errno_or_zero(setsockopt(fd, SOL_SCTP_LEVEL,
					       SCTP_SOCKOPT_BINDX_ADD, addrs,
					       len));
		break;
	case INET_CONNECTX:
		/* Returns the association's id. */
		if (setsockopt(fd, SOL_SCTP_LEVEL, SCTP_SOCKOPT_CONNECTX, addrs,
			       len) < 0)
			err = errno;
		break;
	}
	close(fd);
	return err;
}

/* Sets the inode flags (FS_IOC_SETFLAGS) of @path to @flags (hex). */
static int op_setflags(const char *path, const char *flags)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int value = strtol(flags, NULL, 16), err;

	if (fd < 0)
		return errno;
	err = errno_or_zero(ioctl(fd, FS_IOC_SETFLAGS, &value));
	close(fd);
	return err;
}

/*
 * ioctl(@cmd) on a read-only descriptor of @path, with a zeroed argument
 * whose first 32 bits are @value (the flags of FS_IOC_SETFLAGS and of
 * struct fsxattr, the version of FS_IOC_SETVERSION...).  With @compat,
 * as a 32-bit process would: through int $0x80, the argument below
 * 4 GiB.  ENOSYS when this kernel runs no 32-bit system calls.
 */
static int op_ioctl(const char *path, const char *cmd, const char *value,
		    bool compat)
{
	unsigned int request = strtoul(cmd, NULL, 16);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	void *arg;
	long ret;
	int err;

	if (fd < 0)
		return errno;
	arg = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (arg == MAP_FAILED) {
		err = errno;
		close(fd);
		return err;
	}
	*(unsigned int *)arg = strtoul(value, NULL, 16);
	if (compat) {
		/* eax: ioctl in the i386 table; r8-r15 may come back 0. */
		asm volatile("int $0x80"
			     : "=a"(ret)
			     : "a"(54L), "b"((long)fd), "c"((long)request),
			       "d"((long)arg)
			     : "memory", "r8", "r9", "r10", "r11", "r12", "r13",
			       "r14", "r15");
		err = ret < 0 ? -ret : 0;
	} else {
		err = errno_or_zero(ioctl(fd, request, arg));
	}
	munmap(arg, 4096);
	close(fd);
	return err;
}

/*
 * Sets the access ACL of @path: the mode @mode as an ACL, and with @extra
 * an entry for user 65534 too (an ACL beyond the mode, which the file
 * system then keeps as such).
 */
static int op_setacl(const char *path, const char *mode, bool extra)
{
	/* struct posix_acl_xattr_header and entries, little-endian. */
	struct {
		unsigned short tag, perm;
		unsigned int id;
	} __attribute__((packed)) entries[5];
	unsigned char value[4 + sizeof(entries)];
	unsigned int bits = strtoul(mode, NULL, 8), n = 0, version = 2;

	entries[n++] = (typeof(entries[0])){ 0x01, (bits >> 6) & 7, -1 };
	if (extra)
		entries[n++] = (typeof(entries[0])){ 0x02, 4, 65534 };
	entries[n++] = (typeof(entries[0])){ 0x04, (bits >> 3) & 7, -1 };
	if (extra)
		entries[n++] =
			(typeof(entries[0])){ 0x10, (bits >> 3) & 7, -1 };
	entries[n++] = (typeof(entries[0])){ 0x20, bits & 7, -1 };
	memcpy(value, &version, 4);
	memcpy(value + 4, entries, n * sizeof(entries[0]));
	return errno_or_zero(setxattr(path, "system.posix_acl_access", value,
				      4 + n * sizeof(entries[0]), 0));
}

/*
 * Opens @path for writing (@how "w") or reading ("r") and sends the
 * descriptor with SCM_RIGHTS over the socket @sock.
 */
static int op_send_fd(const char *path, const char *how, const char *sock)
{
	int fd = open(path, (*how == 'w' ? O_WRONLY | O_APPEND : O_RDONLY) |
				    O_CLOEXEC);
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
	int err;

	if (fd < 0)
		return errno;
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	err = sendmsg(atoi(sock), &msg, 0) < 0 ? errno : 0;
	close(fd);
	return err;
}

/*
 * Receives one descriptor over the socket @sock: 0, or EACCES when the
 * kernel dropped it (MSG_CTRUNC).
 */
static int op_recv_fd(const char *sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = {};
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(atoi(sock), &msg, MSG_CMSG_CLOEXEC) < 0)
		return errno;
	if (msg.msg_flags & MSG_CTRUNC)
		return EACCES;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return ENOMSG;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	close(fd);
	return 0;
}

/* 0 when /proc/kallsyms shows addresses, EPERM when it shows zeros. */
static int op_kallsyms(void)
{
	char line[256];
	unsigned long long addr = 0;
	FILE *f = fopen("/proc/kallsyms", "re");
	int err = EPERM;

	if (!f)
		return errno;
	while (err && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx", &addr) == 1 && addr)
			err = 0;
	fclose(f);
	return err;
}

/* Takes the user @uid, group @gid and supplementary @groups ("-": none). */
static int op_become(const char *uid, const char *gid, const char *groups)
{
	gid_t list[16];
	size_t n = 0;

	if (strcmp(groups, "-")) {
		for (const char *g = groups; *g && n < 16;) {
			char *end;

			list[n++] = strtoul(g, &end, 10);
			g = *end == ',' ? end + 1 : end;
		}
	}
	if (setgroups(n, list) || setresgid(atoi(gid), atoi(gid), atoi(gid)) ||
	    setresuid(atoi(uid), atoi(uid), atoi(uid)))
		return errno;
	return 0;
}

/*
 * What pam_ward sends when a session opens, for @user, sent by whoever
 * runs this: ward logd records it only from root's PAM.
 */
static int send_login_msg(const char *user)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX,
				    .sun_path = LOGIN_SOCKET_PATH };
	struct login_msg msg = { .version = LOGIN_MSG_VERSION,
				 .event = LOGIN_EVENT_SESSION_OPEN };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	char ack;

	snprintf(msg.user, sizeof(msg.user), "%s", user);
	snprintf(msg.service, sizeof(msg.service), "ward-selftest");
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    send(fd, &msg, sizeof(msg), MSG_NOSIGNAL) != sizeof(msg) ||
	    recv(fd, &ack, 1, 0) < 0) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		return err;
	}
	close(fd);
	return 0;
}

/*
 * "login-msg USER [N]": N messages (default 1), each on its own
 * connection.  The daemon closes a connection it refuses at once, maybe
 * before reading the message: the sender then sees ECONNRESET or EPIPE,
 * and goes on with the next.
 */
static int op_login_msg(const char *user, const char *count)
{
	int n = count ? atoi(count) : 1, err = 0;

	for (int i = 0; i < n && (!err || err == ECONNRESET || err == EPIPE);
	     i++)
		err = send_login_msg(user);
	return err == ECONNRESET || err == EPIPE ? 0 : err;
}

static const char *const test_ops[] = {
	"nop",	       "read",	      "write",	    "open-write",
	"truncate",    "utimes",      "create",	    "mkdir",
	"unlink",      "rmdir",	      "rename",	    "link",
	"symlink",     "chmod",	      "chown",	    "exec",
	"mmap",	       "mprotect",    "memfd-exec", "fork",
	"wait",	       "as",	      "socket",	    "bind",
	"connect",     "sethostname", "mknod",	    "kallsyms",
	"setxattr",    "removexattr", "setflags",   "sendto",
	"bind-unspec", "ioctl",	      "ioctl32",    "setacl",
	"setacl-user", "removeacl",   "send-fd",    "recv-fd",
	"at-secure",   "getenv",      "traceme",     "bindx",
	"connectx",    "login-msg",
};

bool test_op_known(const char *op)
{
	for (size_t i = 0; i < sizeof(test_ops) / sizeof(*test_ops); i++)
		if (!strcmp(op, test_ops[i]))
			return true;
	return false;
}

int test_op(int argc, char **argv)
{
	const char *op = argv[0];
	int status;
	pid_t pid;
	char c;

	if (argc < 1)
		return 255;
	if (!strcmp(op, "nop"))
		return 0;
	if (!strcmp(op, "kallsyms"))
		return op_kallsyms();
	if (!strcmp(op, "at-secure"))
		return getauxval(AT_SECURE);
	if (!strcmp(op, "traceme"))
		return errno_or_zero(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
	if (!strcmp(op, "fork")) {
		/* The child's errno; the child is in the helper's domain. */
		pid = fork();
		if (pid == 0)
			_exit(test_op(argc - 1, argv + 1));
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status))
			return 255;
		return WEXITSTATUS(status);
	}
	if (!strcmp(op, "wait")) {
		/* Until a byte (or EOF) on stdin: to act after a change. */
		if (read(0, &c, 1) < 0)
			return 255;
		return test_op(argc - 1, argv + 1);
	}
	if (argc < 2)
		return 255;
	if (!strcmp(op, "read"))
		return op_read(argv[1]);
	if (!strcmp(op, "write"))
		return try_append(argv[1], "written\n");
	if (!strcmp(op, "open-write"))
		return op_open(argv[1], O_WRONLY);
	if (!strcmp(op, "truncate"))
		return errno_or_zero(truncate(argv[1], 0));
	if (!strcmp(op, "utimes"))
		return errno_or_zero(utimensat(AT_FDCWD, argv[1], NULL, 0));
	if (!strcmp(op, "create"))
		return op_open(argv[1], O_WRONLY | O_CREAT | O_EXCL);
	if (!strcmp(op, "mkdir"))
		return errno_or_zero(mkdir(argv[1], 0755));
	if (!strcmp(op, "unlink"))
		return errno_or_zero(unlink(argv[1]));
	if (!strcmp(op, "rmdir"))
		return errno_or_zero(rmdir(argv[1]));
	if (!strcmp(op, "exec")) {
		execv(argv[1], argv + 1);
		return errno;
	}
	if (!strcmp(op, "mmap"))
		return op_map(argv[1], false);
	if (!strcmp(op, "mprotect"))
		return op_map(argv[1], true);
	if (!strcmp(op, "memfd-exec"))
		return op_memfd_exec(argv[1], argv + 1);
	if (!strcmp(op, "socket"))
		return op_socket(argv[1]);
	if (!strcmp(op, "sethostname"))
		return errno_or_zero(sethostname(argv[1], strlen(argv[1])));
	if (!strcmp(op, "getenv"))
		return getenv(argv[1]) ? 0 : ENOENT;
	if (!strcmp(op, "login-msg"))
		return op_login_msg(argv[1], argc > 2 ? argv[2] : NULL);
	if (!strcmp(op, "recv-fd"))
		return op_recv_fd(argv[1]);
	if (!strcmp(op, "removeacl"))
		return errno_or_zero(
			removexattr(argv[1], "system.posix_acl_access"));
	if (argc < 3)
		return 255;
	if (!strcmp(op, "rename"))
		return errno_or_zero(rename(argv[1], argv[2]));
	if (!strcmp(op, "link"))
		return errno_or_zero(link(argv[1], argv[2]));
	if (!strcmp(op, "symlink"))
		return errno_or_zero(symlink(argv[1], argv[2]));
	if (!strcmp(op, "chmod"))
		return errno_or_zero(chmod(argv[1], strtoul(argv[2], NULL, 8)));
	if (!strcmp(op, "removexattr"))
		return errno_or_zero(removexattr(argv[1], argv[2]));
	if (!strcmp(op, "setflags"))
		return op_setflags(argv[1], argv[2]);
	if (!strcmp(op, "setacl"))
		return op_setacl(argv[1], argv[2], false);
	if (!strcmp(op, "setacl-user"))
		return op_setacl(argv[1], argv[2], true);
	if (!strcmp(op, "bind"))
		return op_inet(argv[1], argv[2], INET_BIND);
	if (!strcmp(op, "bind-unspec"))
		return op_inet(argv[1], argv[2], INET_BIND_UNSPEC);
	if (!strcmp(op, "connect"))
		return op_inet(argv[1], argv[2], INET_CONNECT);
	if (!strcmp(op, "sendto"))
		return op_inet(argv[1], argv[2], INET_SENDTO);
	if (!strcmp(op, "bindx"))
		return op_inet(argv[1], argv[2], INET_BINDX);
	if (!strcmp(op, "connectx"))
		return op_inet(argv[1], argv[2], INET_CONNECTX);
	if (argc < 4)
		return 255;
	if (!strcmp(op, "chown"))
		return errno_or_zero(
			chown(argv[1], atoi(argv[2]), atoi(argv[3])));
	if (!strcmp(op, "setxattr"))
		return errno_or_zero(setxattr(argv[1], argv[2], argv[3],
					      strlen(argv[3]), 0));
	if (!strcmp(op, "ioctl"))
		return op_ioctl(argv[1], argv[2], argv[3], false);
	if (!strcmp(op, "ioctl32"))
		return op_ioctl(argv[1], argv[2], argv[3], true);
	if (!strcmp(op, "send-fd"))
		return op_send_fd(argv[1], argv[2], argv[3]);
	if (!strcmp(op, "mknod"))
		return errno_or_zero(
			mknod(argv[1], S_IFCHR | 0600,
			      makedev(atoi(argv[2]), atoi(argv[3]))));
	if (!strcmp(op, "as") && argc >= 5) {
		status = op_become(argv[1], argv[2], argv[3]);
		return status ? status : test_op(argc - 4, argv + 4);
	}
	return 255;
}

int run_opv(pid_t *pid, const char *exe, char *const argv[])
{
	char *args[64];
	int argc = 0, status;
	pid_t child;

	if (exe) {
		args[argc++] = (char *)exe;
		args[argc++] = "--helper";
	}
	for (int i = 0; argv[i] && argc < 63; i++)
		args[argc++] = argv[i];
	args[argc] = NULL;

	fflush(stdout);
	fflush(stderr);
	child = fork();
	if (child == 0) {
		if (exe) {
			execv(exe, args);
			_exit(127);
		}
		_exit(test_op(argc, args));
	}
	if (pid)
		*pid = child;
	if (child < 0 || waitpid(child, &status, 0) != child ||
	    !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int run_op(pid_t *pid, const char *exe, const char *op, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	va_start(ap, op);
	for (const char *a = op; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return run_opv(pid, exe, argv);
}

/* The state letter of @pid in /proc/PID/stat, or 0. */
static char process_state(pid_t pid)
{
	char path[64], *stat, *paren, state = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	stat = read_file(path);
	paren = stat ? strrchr(stat, ')') : NULL;
	if (paren && paren[1] == ' ')
		state = paren[2];
	free(stat);
	return state;
}

pid_t start_waiting(const char *exe, int *release, const char *op, ...)
{
	char link[64], target[PATH_MAX], *args[32];
	int p[2], argc = 0;
	va_list ap;
	pid_t pid;

	args[argc++] = (char *)exe;
	args[argc++] = "--helper";
	args[argc++] = "wait";
	va_start(ap, op);
	for (const char *a = op; a && argc < 31; a = va_arg(ap, const char *))
		args[argc++] = (char *)a;
	va_end(ap);
	args[argc] = NULL;
	if (pipe2(p, O_CLOEXEC))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		dup2(p[0], 0);
		execv(exe, args);
		_exit(127);
	}
	close(p[0]);
	*release = p[1];
	snprintf(link, sizeof(link), "/proc/%d/exe", pid);
	/* Thirty seconds: an exec in a guest on a busy host. */
	for (int i = 0; pid > 0 && i < 3000; i++) {
		ssize_t len = readlink(link, target, sizeof(target) - 1);

		if (len > 0) {
			target[len] = '\0';
			if (!strcmp(target, exe) && process_state(pid) == 'S')
				return pid;
		}
		usleep(10000);
	}
	return -1;
}

unsigned int ward_app_id(const char *name)
{
	/* policy_app_id(): FNV-1a, without the user set bit, never 0. */
	unsigned int hash = 2166136261u;

	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		hash = (hash ^ *c) * 16777619u;
	hash &= ~0x80000000u;
	return hash ? hash : 1;
}

char *confined_program_rules(const char *app, const char *exe)
{
	char self[PATH_MAX], line[PATH_MAX + 128], *text = NULL, *more;
	char seen[32][PATH_MAX];
	size_t n_seen = 0;
	ssize_t len;
	FILE *maps;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[len > 0 ? len : 0] = '\0';
	if (asprintf(&text, "allow %s read,exec %s", app, exe) < 0)
		return NULL;
	maps = fopen("/proc/self/maps", "re");
	while (maps && fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/');
		bool dup = false;

		if (!path || strstr(path, " (deleted)"))
			continue;
		path[strcspn(path, "\n")] = '\0';
		if (!strcmp(path, self))
			continue;
		for (size_t i = 0; i < n_seen && !dup; i++)
			dup = !strcmp(seen[i], path);
		if (dup || n_seen == 32)
			continue;
		strcpy(seen[n_seen++], path);
		if (asprintf(&more, "%s %s", text, path) < 0)
			break;
		free(text);
		text = more;
	}
	if (maps)
		fclose(maps);
	if (!access("/etc/ld.so.cache", F_OK))
		len = asprintf(&more, "%s\nallow %s read /etc/ld.so.cache\n",
			       text, app);
	else
		len = asprintf(&more, "%s\n", text);
	free(text);
	return len < 0 ? NULL : more;
}

/* The lines of "ward --json log @cmd" as a JSON array; NULL if it failed. */
static json_object *log_lines(const char *cmd)
{
	char *out = NULL, *line, *save;
	json_object *array = NULL;

	if (ward_run(&out, NULL, "--json", "log", cmd, NULL) == 0 &&
	    (array = json_object_new_array()))
		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			json_object_array_add(array, json_tokener_parse(line));
	free(out);
	return array;
}

json_object *ward_events(void)
{
	json_object *array = log_lines("drain");

	return array ? array : json_object_new_array();
}

json_object *ward_log_records(void)
{
	return log_lines("show");
}

const char *event_str(json_object *ev, const char *key)
{
	json_object *value;

	if (!ev || !json_object_object_get_ex(ev, key, &value))
		return NULL;
	return json_object_get_string(value);
}

long long event_num(json_object *ev, const char *key)
{
	json_object *value;

	if (!ev || !json_object_object_get_ex(ev, key, &value))
		return -1;
	return json_object_get_int64(value);
}

json_object *event_find(json_object *array, const char *key, const char *value,
			...)
{
	for (size_t i = 0; array && i < json_object_array_length(array); i++) {
		json_object *ev = json_object_array_get_idx(array, i);
		bool match = true;
		va_list ap;

		va_start(ap, value);
		for (const char *k = key, *v = value; k && match;) {
			const char *got = event_str(ev, k);

			match = got && v && !strcmp(got, v);
			k = va_arg(ap, const char *);
			v = k ? va_arg(ap, const char *) : NULL;
		}
		va_end(ap);
		if (match)
			return ev;
	}
	return NULL;
}

const char *path_in(const char *dir, const char *rel)
{
	static char paths[8][PATH_MAX];
	static unsigned int next;
	char *path = paths[next++ % 8];

	if (snprintf(path, PATH_MAX, "%s/%s", dir, rel) >= PATH_MAX)
		path[0] = '\0';
	return path;
}

int try_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

int try_openat(int dfd, const char *name, int flags)
{
	int fd = openat(dfd, name, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

int try_append(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	ssize_t len = strlen(text);
	int err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, len) != len)
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

int errno_of(int ret)
{
	return ret ? errno : 0;
}

const char *pid_str(pid_t pid)
{
	static char buf[4][16];
	static unsigned int next;
	char *s = buf[next++ % 4];

	snprintf(s, 16, "%d", pid);
	return s;
}

int loop_attach(const char *image, char *dev, size_t size)
{
	struct loop_info64 info = { .lo_flags = LO_FLAGS_AUTOCLEAR };
	int ctl, n, fd, img;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0 && system("modprobe loop >/dev/null 2>&1") != -1)
		ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (n < 0)
		return -errno;
	snprintf(dev, size, "/dev/loop%d", n);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	img = open(image, O_RDWR | O_CLOEXEC);
	if (img < 0 || ioctl(fd, LOOP_SET_FD, img) ||
	    ioctl(fd, LOOP_SET_STATUS64, &info)) {
		int err = -errno;

		if (img >= 0)
			close(img);
		close(fd);
		return err;
	}
	close(img);
	return fd;
}

int mount_scratch_ext2(const char *dir, const char *mnt, char *why, size_t size)
{
	char image[PATH_MAX], dev[64], cmd[PATH_MAX + 64];
	int loop;

	if (mkdir(mnt, 0755))
		return -errno;
	snprintf(image, sizeof(image), "%s/image", dir);
	if (write_file(image, "") || truncate(image, 16 << 20))
		return -EIO;
	snprintf(cmd, sizeof(cmd), "mke2fs -F %s >/dev/null 2>&1", image);
	if (system(cmd) != 0) {
		snprintf(why, size, "mke2fs failed or is missing");
		return 1;
	}
	loop = loop_attach(image, dev, sizeof(dev));
	if (loop < 0) {
		snprintf(why, size,
			 "no loop device (%s) for a disk file system",
			 strerror(-loop));
		return 1;
	}
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount(dev, mnt, "ext4", 0, NULL)) {
		int err = -errno;

		close(loop);
		return err;
	}
	close(loop);
	return 0;
}

int scratch_disk_make(struct scratch_disk *sd, const char *name)
{
	int err;

	snprintf(sd->dir, sizeof(sd->dir), SCRATCH "/%s-XXXXXX", name);
	if (!mkdtemp(sd->dir))
		return -errno;
	snprintf(sd->mnt, sizeof(sd->mnt), "%s/mnt", sd->dir);
	err = mount_scratch_ext2(sd->dir, sd->mnt, sd->skip, sizeof(sd->skip));
	sd->mounted = !err;
	return err;
}

void scratch_disk_remove(struct scratch_disk *sd)
{
	ward_load_text(sd->dir, "policy none 0.0.1\n");
	if (sd->mounted)
		umount2(sd->mnt, MNT_DETACH);
	remove_tree(sd->dir);
}

/* io_uring, through its system calls: liburing need not be installed. */

void ring_exit(struct ring *r)
{
	if (r->sq && r->sq != MAP_FAILED)
		munmap(r->sq, r->sq_len);
	if (r->cq && r->cq != MAP_FAILED)
		munmap(r->cq, r->cq_len);
	if (r->sqes && r->sqes != MAP_FAILED)
		munmap(r->sqes, r->sqes_len);
	if (r->fd >= 0)
		close(r->fd);
}

int ring_init(struct ring *r)
{
	struct io_uring_params p = {};
	char *sq, *cq;
	int err;

	memset(r, 0, sizeof(*r));
	r->fd = syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -errno;
	r->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	r->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	r->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
	r->sq = mmap(NULL, r->sq_len, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	r->cq = mmap(NULL, r->cq_len, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sq == MAP_FAILED || r->cq == MAP_FAILED ||
	    r->sqes == MAP_FAILED) {
		err = -errno;
		ring_exit(r);
		return err;
	}
	sq = r->sq;
	cq = r->cq;
	r->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)(sq + p.sq_off.array);
	r->cq_head = (unsigned int *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

int ring_run(struct ring *r, const struct io_uring_sqe *sqe)
{
	unsigned int tail = *r->sq_tail, index = tail & *r->sq_mask, head;
	int res;

	r->sqes[index] = *sqe;
	r->sq_array[index] = index;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -errno;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EIO;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

const char *uring_unavailable(void)
{
	static char why[128];
	char *disabled = read_file("/proc/sys/kernel/io_uring_disabled");
	struct ring r;
	int err;

	if (disabled && atoi(disabled) == 2) {
		free(disabled);
		return "io_uring is disabled (kernel.io_uring_disabled=2)";
	}
	free(disabled);
	err = ring_init(&r);
	if (err) {
		snprintf(why, sizeof(why), "io_uring_setup: %s",
			 strerror(-err));
		return why;
	}
	ring_exit(&r);
	return NULL;
}

int uring_open(struct ring *r, const char *path, int flags)
{
	struct io_uring_sqe sqe = {
		.opcode = IORING_OP_OPENAT,
		.fd = AT_FDCWD,
		.addr = (uintptr_t)path,
		.len = 0644,
		.open_flags = flags | O_CLOEXEC,
	};
	int res = ring_run(r, &sqe);

	if (res < 0)
		return -res;
	close(res);
	return 0;
}

int uring_rename(struct ring *r, const char *from, const char *to)
{
	struct io_uring_sqe sqe = {
		.opcode = IORING_OP_RENAMEAT,
		.fd = AT_FDCWD,
		.addr = (uintptr_t)from,
		.len = AT_FDCWD,
		.addr2 = (uintptr_t)to,
	};

	return -ring_run(r, &sqe);
}

int uring_unlink(struct ring *r, const char *path)
{
	struct io_uring_sqe sqe = {
		.opcode = IORING_OP_UNLINKAT,
		.fd = AT_FDCWD,
		.addr = (uintptr_t)path,
	};

	return -ring_run(r, &sqe);
}

/* build/kmod/<release>/@rel, next to build/selftests. */
void kmod_path(const char *rel, char *path, size_t size)
{
	char self[PATH_MAX], build[PATH_MAX];
	struct utsname uts;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[len < 0 ? 0 : len] = '\0';
	uname(&uts);
	/* As the kernel names it in events: no "..". */
	snprintf(build, sizeof(build), "%s/..", dirname(self));
	if (!realpath(build, self))
		self[0] = '\0';
	snprintf(path, size, "%s/kmod/%s/%s", self, uts.release, rel);
}
