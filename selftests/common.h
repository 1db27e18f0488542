/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward selftests - what every test program shares
 *
 * The tests drive the real ward binary against the running kernel, so they
 * need root and an active BPF LSM; without them a test program prints
 * "1..0 # SKIP reason" and exits with KSFT_SKIP (4).
 */

#ifndef WARD_SELFTESTS_COMMON_H
#define WARD_SELFTESTS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Where the tests keep what they make: a directory each, or a file.
 * run_tests removes it between programs.
 */
#define SCRATCH "/tmp/ward-selftests"


/*
 * The ward binary: $WARD, else ../ward next to this program (the build
 * tree), else "ward" from $PATH.
 */
const char *ward_bin(void);

/*
 * Runs ward with the NULL-terminated arguments.  With @out, its stdout is
 * returned there (NUL-terminated, to free()); with @err, its stderr.
 * Returns its exit status, or -1 if it did not exit normally.
 */
int ward_run(char **out, char **err, const char *arg, ...)
	__attribute__((sentinel));

/* ward_run() with @in as ward's standard input. */
int ward_run_input(const char *in, char **out, char **err, const char *arg, ...)
	__attribute__((sentinel));

/* Stops ward if it runs, saying nothing either way. */
void ward_stop_quietly(void);

/*
 * Makes a policy of @text (written to @dir/test.policy) the active one:
 * "ward policy load" when ward runs, "ward start" when not.  Loading is
 * much quicker than starting, which verifies every program.  Returns
 * ward's exit status.
 */
int ward_load_text(const char *dir, const char *text);

/* Is ward running (pinned)? */
bool ward_is_running(void);

/*
 * How many links attach a BPF program named @name (ward's are named after
 * their hooks, hook_file_open...), or -errno.  A detached program may
 * stay loaded a while (the kernel frees it after an RCU grace period),
 * enforcing nothing.
 */
int attached_programs_named(const char *name);

/* @dir/@rel; a few results live at once, for calls that take several. */
const char *path_in(const char *dir, const char *rel);

/* A fixture's path: its temporary directory is self->dir. */
#define at(self, rel) path_in((self)->dir, rel)

/* open(2) of @path with @flags: 0 if it succeeded, else its errno. */
int try_open(const char *path, int flags);

/* openat(2) of @name in @dfd with @flags: 0 if it succeeded, else its errno. */
int try_openat(int dfd, const char *name, int flags);

/* Appends @text to @path: 0, or the errno of the open or the write. */
int try_append(const char *path, const char *text);

/* 0 for a system call that returned 0, else its errno. */
int errno_of(int ret);

/* @pid as a string; a few results live at once. */
const char *pid_str(pid_t pid);

/*
 * Attaches @image to a free loop device, whose path goes to @dev.
 * Returns its descriptor, to be closed once mounted (the device clears
 * itself when unused), or -errno.
 */
int loop_attach(const char *image, char *dev, size_t size);

/*
 * Makes a 16 MiB ext2 image in @dir and, in a private mount namespace of
 * the caller's own, mounts it on @mnt (created): a disk file system, whose
 * dentries can be dropped and whose inode numbers are soon reused.
 * Returns 0, -errno, or 1 when this machine cannot (no mke2fs, no loop
 * device), with the reason in @why.
 */
int mount_scratch_ext2(const char *dir, const char *mnt, char *why,
		       size_t size);

/**
 * struct scratch_disk - a fixture's directory with a disk file system in it
 * @dir: the directory, SCRATCH/NAME-XXXXXX
 * @mnt: @dir/mnt, where the file system is mounted (mount_scratch_ext2())
 * @skip: why there is none, when this machine cannot make one
 * @mounted: it is mounted
 */
struct scratch_disk {
	char dir[64];
	char mnt[96];
	char skip[128];
	bool mounted;
};

/*
 * Makes @sd for the fixture @name; scratch_disk_remove() ends it, even
 * after a failure.  Returns 0, -errno, or 1 when this machine cannot, with
 * the reason in @sd->skip.
 */
int scratch_disk_make(struct scratch_disk *sd, const char *name);

/* Unloads the policy, detaches the file system and removes the directory. */
void scratch_disk_remove(struct scratch_disk *sd);

/* A fixture's path in the file system of its scratch disk, self->disk. */
#define in_mnt(self, rel) path_in((self)->disk.mnt, rel)

/* Writes @text to @path (created 0644 or truncated); 0 or -errno. */
int write_file(const char *path, const char *text);

/* Everything readable from @fd until EOF (to free()), or NULL. */
char *read_fd(int fd);

/* The content of @path (to free()), or NULL with errno set. */
char *read_file(const char *path);

/* Does @text hold a line equal to @line? */
bool has_line(const char *text, const char *line);

/* The inode number of @path itself (lstat(2)), or 0. */
ino_t ino_of(const char *path);

/* Copies @src to @dst with mode 0755; 0 or -errno. */
int copy_file(const char *src, const char *dst);

/* rm -rf @path; best effort. */
void remove_tree(const char *path);

/* Unmounts (lazily) every mount at or beneath @dir, in the caller's mount
 * namespace; best effort. */
void unmount_beneath(const char *dir);

/*
 * Runs "@exe --helper OP ARG..." (a copy of a test program, so that it has
 * an inode of its own) and returns the errno its operation failed with,
 * 0 on success, or -1 if it did not exit normally.
 */
int run_helper(const char *exe, const char *op, const char *arg);

/* The helper side: performs OP and exits with its errno. */
int helper_main(int argc, char **argv);

/* Does the kernel have @symbol (per /proc/kallsyms)? */
bool kernel_has_symbol(const char *symbol);

/*
 * The path of @rel in build/kmod/<release>/, next to build/selftests: the
 * test modules of "make modules KVER=<release>".
 */
void kmod_path(const char *rel, char *path, size_t size);

/*
 * Before a program's tests: skips it (KSFT_SKIP) unless root with the BPF
 * LSM; creates SCRATCH; stops ward at exit unless it ran before, or the
 * guest is a throw-away one ($WARD_VM_THROWAWAY, set by scripts/vmtest)
 * that powers off next.
 */
void tests_prepare(void);

/*
 * Behaviour test operations, shared by the helper and the tests' own
 * children.  @argv[0] is the operation, the others its arguments:
 *
 *   nop                       nothing
 *   read PATH                 open for reading and read (a directory: list)
 *   write PATH                open for appending and append a line
 *   open-write PATH           open for writing, nothing else
 *   truncate PATH             truncate to 0
 *   utimes PATH               set the times to now
 *   create PATH               create a file (O_EXCL)
 *   mkdir PATH, unlink PATH, rmdir PATH
 *   rename OLD NEW, link OLD NEW, symlink TARGET PATH
 *   chmod PATH OCTAL, chown PATH UID GID (-1: unchanged)
 *   exec PATH [ARG...]        execv(PATH) with PATH as argv[0]
 *   mmap PATH                 map PATH PROT_EXEC
 *   mprotect PATH             map PATH PROT_READ, then mprotect PROT_EXEC
 *   memfd-exec PATH [ARG...]  copy PATH into a memfd and execveat() it
 *   fork OP...                OP in a child; its result
 *   wait OP...                OP after a byte (or EOF) on stdin
 *   as UID GID GROUPS OP...   OP after setgroups (GROUPS: 1,2 or -),
 *                             setresgid and setresuid
 *   socket KIND               tcp udp tcp6 udp6 mptcp udplite sctp sctp6
 *                             sctp-seq ping ping6 stream-other dgram-other
 *                             unix netlink packet raw alg
 *   bind KIND PORT            bind a socket of an inet KIND to
 *                             127.0.0.1:PORT, or [::1]:PORT (KIND ending
 *                             in 6)
 *   connect KIND PORT         connect a socket to the same
 *   sendto KIND PORT          send a byte to the same with sendto() (tcp:
 *                             with MSG_FASTOPEN, which connects)
 *   bind-unspec tcp|udp PORT  bind to INADDR_ANY:PORT given as AF_UNSPEC
 *   bindx KIND PORT[,PORT]..  sctp_bindx(): 127.0.0.N:PORT for the Nth
 *   connectx KIND PORT[,PORT].. sctp_connectx() likewise
 *   sethostname NAME, mknod PATH MAJOR MINOR (a character device)
 *   kallsyms                  0 if /proc/kallsyms shows addresses, else EPERM
 *   setxattr PATH NAME VALUE, removexattr PATH NAME
 *   setflags PATH HEX         FS_IOC_SETFLAGS (chattr) through a read fd
 *   ioctl PATH CMD VALUE      ioctl CMD (hex) through a read fd, the
 *                             argument's first 32 bits VALUE (hex)
 *   ioctl32 PATH CMD VALUE    the same as a 32-bit process (int $0x80)
 *   setacl PATH OCTAL         set the access ACL that is mode OCTAL
 *   setacl-user PATH OCTAL    the same with an entry for user 65534
 *   removeacl PATH            remove the access ACL
 *   send-fd PATH w|r SOCKET   open PATH for writing or reading, and send
 *                             the descriptor over the socket descriptor
 *                             SOCKET with SCM_RIGHTS
 *   recv-fd SOCKET            receive a descriptor over the socket
 *                             descriptor SOCKET (EACCES: it was dropped)
 *   at-secure                 the AT_SECURE the program was given (0, 1)
 *   getenv NAME               0 when NAME is in the environment, else ENOENT
 *   traceme                   PTRACE_TRACEME
 *   login-msg USER [N]        send ward logd pam_ward's message of a
 *                             session of USER opened, N times (1), each
 *                             on a connection of its own; a connection
 *                             the daemon closed unread is no error
 *
 * test_op() returns the errno the operation failed with, 0 on success
 * (for exec, what the program exits with), 255 for a bad operation.
 */
bool test_op_known(const char *op);
int test_op(int argc, char **argv);

/*
 * Runs the operation @op and its arguments (NULL-terminated) in a child:
 * "@exe --helper OP ARG..." when @exe is set (a copy of a test program, to
 * act as that app), else a forked child of the caller.  *@pid gets the
 * child's pid.  Returns test_op()'s result, or -1 if the child did not
 * exit normally.
 */
int run_op(pid_t *pid, const char *exe, const char *op, ...)
	__attribute__((sentinel));

/* run_op() with the operation and its arguments in NULL-terminated @argv. */
int run_opv(pid_t *pid, const char *exe, char *const argv[]);

/*
 * Starts "@exe --helper wait @op ARG...", which waits for a byte (or EOF)
 * on its standard input, then does @op; returns its pid once it runs @exe
 * and sleeps in that read, or -1.  *@release gets the pipe's end that
 * lets it go on, written or closed.
 */
pid_t start_waiting(const char *exe, int *release, const char *op, ...)
	__attribute__((sentinel));

/* The id events give the domain of the app @name (policy_app_id()). */
unsigned int ward_app_id(const char *name);

/*
 * The rules a copy of this program, @exe, needs to run in the domain of
 * the confined app @app: read and exec on itself, on the dynamic loader
 * and on the libraries this process has mapped, and read on
 * /etc/ld.so.cache when there is one.  Lines of policy text, to free().
 */
char *confined_program_rules(const char *app, const char *exe);

/* io_uring, through its system calls: liburing need not be installed. */
struct io_uring_sqe;
struct io_uring_cqe;
struct ring {
	int fd;
	void *sq, *cq;
	size_t sq_len, cq_len, sqes_len;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

/* 0, or -errno when io_uring cannot be used. */
int ring_init(struct ring *r);
void ring_exit(struct ring *r);
/* Submits @sqe, waits for its completion and returns its result. */
int ring_run(struct ring *r, const struct io_uring_sqe *sqe);
/* Why io_uring cannot be used here, or NULL when it can. */
const char *uring_unavailable(void);
/* IORING_OP_OPENAT of @path: 0 (the file closed again) or an errno. */
int uring_open(struct ring *r, const char *path, int flags);
/* IORING_OP_RENAMEAT, IORING_OP_UNLINKAT: 0 or an errno. */
int uring_rename(struct ring *r, const char *from, const char *to);
int uring_unlink(struct ring *r, const char *path);

struct json_object;

/* The events reported since the last call, consumed, as a JSON array. */
struct json_object *ward_events(void);
/* The security log's records as a JSON array ("ward log show"), or NULL. */
struct json_object *ward_log_records(void);

/* A field of an event as a string (NULL if absent), or as a number. */
const char *event_str(struct json_object *ev, const char *key);
long long event_num(struct json_object *ev, const char *key);

/*
 * The first event of @array whose fields equal the strings given, as KEY,
 * VALUE pairs ending with NULL (numbers are compared in decimal), or NULL.
 */
struct json_object *event_find(struct json_object *array, const char *key,
			       const char *value, ...)
	__attribute__((sentinel));

#endif /* WARD_SELFTESTS_COMMON_H */
