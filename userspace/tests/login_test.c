// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - login records from pam_ward (login.c, pam/pam_ward.c)
 *
 * Each test runs in a mount namespace of its own with a tmpfs on /run, so
 * that the server listens at LOGIN_SOCKET_PATH, where pam_ward.so sends,
 * and the host's /run is left alone.  Senders that must pass the check of
 * their executable are this program started again as "--peer MODE" from a
 * copy in that tmpfs whose owner and mode the test chooses: the build
 * tree's copy may belong to anyone.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <security/pam_appl.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <json-c/json.h>

#include "unit.h"
#include "login.h"
#include "login_msg.h"
#include "system.h"

#define PEER_DIR "/run/ward-test"
#define PEER PEER_DIR "/peer"
#define PAM_SERVICE_NAME "ward-test"

/* What a "send" peer claims; its user name is not UTF-8 throughout. */
static void claim(struct login_msg *msg)
{
	memset(msg, 0, sizeof(*msg));
	msg->version = LOGIN_MSG_VERSION;
	msg->event = LOGIN_EVENT_SESSION_OPEN;
	msg->time_ns = 1700000000123456789ULL;
	strcpy(msg->user, "\xff\x01"
			  "bob\xc3\xa9\n");
	strcpy(msg->service, "sshd");
	strcpy(msg->tty, "ssh");
	strcpy(msg->rhost, "192.0.2.1");
}

/* Connects to the server and sends @len bytes; the connection, or -1. */
static int send_raw(const void *buf, size_t len)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX,
				    .sun_path = LOGIN_SOCKET_PATH };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    (len && send(fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int conv(int n, const struct pam_message **msg,
		struct pam_response **resp, void *data)
{
	return PAM_CONV_ERR;
}

/*
 * A login, its logout and a failed authentication through pam_ward.so,
 * with the stack in PEER_DIR; 0 when each returned what it should.
 */
static int pam_peer(void)
{
	const struct pam_conv pc = { .conv = conv };
	pam_handle_t *pamh;
	int ret = 0;

	if (pam_start_confdir(PAM_SERVICE_NAME, "alice", &pc, PEER_DIR,
			      &pamh) != PAM_SUCCESS)
		return 10;
	pam_set_item(pamh, PAM_TTY, "pts/3");
	pam_set_item(pamh, PAM_RHOST, "198.51.100.7");
	pam_set_item(pamh, PAM_RUSER, "carol");
	if (pam_open_session(pamh, 0) != PAM_SUCCESS)
		ret = 11;
	else if (pam_close_session(pamh, 0) != PAM_SUCCESS)
		ret = 12;
	else if (pam_authenticate(pamh, 0) != PAM_AUTH_ERR)
		ret = 13;
	pam_end(pamh, PAM_SUCCESS);
	return ret;
}

/*
 * A peer: "pam" goes through libpam, "send" sends claim() raw and does not
 * wait for the answer.  Either stays alive until its standard input ends.
 */
static int peer(const char *mode)
{
	struct login_msg msg;
	char c;
	int ret;

	if (!strcmp(mode, "pam")) {
		ret = pam_peer();
	} else {
		claim(&msg);
		ret = send_raw(&msg, sizeof(msg)) < 0 ? 20 : 0;
	}
	while (read(0, &c, 1) > 0)
		;
	return ret;
}

/* Installs this program as @path, @owner's, with @mode. */
static int install_self(const char *path, uid_t owner, mode_t mode)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out;
	struct stat st;
	int ret = -1;

	if (in < 0 || fstat(in, &st))
		return -1;
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (out >= 0 && sendfile(out, in, NULL, st.st_size) == st.st_size &&
	    !fchown(out, owner, 0) && !fchmod(out, mode))
		ret = 0;
	close(in);
	if (out >= 0)
		close(out);
	return ret;
}

/*
 * Starts @exe as a peer in @mode with real uid @ruid (effective 0, as su
 * runs); its pid, and in @in the end of the pipe that is its stdin.
 */
static pid_t spawn(const char *exe, const char *mode, uid_t ruid, int *in)
{
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[0], 0);
		if (ruid && setresuid(ruid, 0, 0))
			_exit(126);
		execl(exe, exe, "--peer", mode, (char *)NULL);
		_exit(127);
	}
	close(pipefd[0]);
	*in = pipefd[1];
	return pid;
}

/* Ends the peer's stdin; its exit status, or -1. */
static int reap(pid_t pid, int in)
{
	int status;

	close(in);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The next record, waiting up to 10 s: login_receive()'s result. */
static int next_record(struct login_server *srv, json_object **rec)
{
	struct pollfd pfd = { .fd = login_fd(srv), .events = POLLIN };
	int ret;

	for (int i = 0; i < 100; i++) {
		ret = login_receive(srv, rec);
		if (ret != -EAGAIN)
			return ret;
		poll(&pfd, 1, 100);
	}
	return -ETIMEDOUT;
}

static json_object *field(json_object *obj, const char *path)
{
	char key[64];
	const char *dot;
	json_object *val = obj;

	while (val && (dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		if (!json_object_object_get_ex(val, key, &val))
			return NULL;
		path = dot + 1;
	}
	if (!val || !json_object_object_get_ex(val, path, &val))
		return NULL;
	return val;
}

/* The string at @path ("subject.exe"), "(null)" for JSON null. */
static const char *str(json_object *obj, const char *path)
{
	json_object *val = field(obj, path);

	return val ? json_object_get_string(val) : "(null)";
}

static long long num(json_object *obj, const char *path)
{
	json_object *val = field(obj, path);

	return val && json_object_is_type(val, json_type_int) ?
		       json_object_get_int64(val) :
		       -1;
}

/* Is @s a UTC time with nanoseconds, within a minute of now? */
static int recent(const char *s)
{
	struct tm tm = { 0 };
	const char *rest = strptime(s, "%Y-%m-%dT%H:%M:%S.", &tm);
	time_t t = timegm(&tm);

	return rest && strlen(rest) == 10 && rest[9] == 'Z' &&
	       strspn(rest, "0123456789") == 9 && labs(time(NULL) - t) < 60;
}

FIXTURE(login)
{
	struct login_server *srv;
};

FIXTURE_SETUP(login)
{
	FILE *f;

	if (geteuid() != 0)
		SKIP(return, "needs root: a mount namespace, other users");
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("tmpfs", "/run", "tmpfs", 0, "mode=0755"));
	ASSERT_EQ(0, mkdir(PEER_DIR, 0755));
	ASSERT_EQ(0, install_self(PEER, 0, 0755));
	f = fopen(PEER_DIR "/" PAM_SERVICE_NAME, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "auth required %s authfail\n", WARD_PAM_MODULE);
	fprintf(f, "session required %s\n", WARD_PAM_MODULE);
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, login_listen(LOGIN_SOCKET_PATH, &self->srv));
}

FIXTURE_TEARDOWN(login)
{
	if (self->srv)
		login_close(self->srv);
}

TEST_F(login, socket_is_everyones_in_roots_directory)
{
	struct stat st;

	ASSERT_EQ(0, stat(LOGIN_SOCKET_DIR, &st));
	EXPECT_EQ(0755U, st.st_mode & 07777);
	EXPECT_EQ(0U, st.st_uid);
	ASSERT_EQ(0, stat(LOGIN_SOCKET_PATH, &st));
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
	EXPECT_EQ(0666U, st.st_mode & 07777);
}

TEST_F(login, pam_login_logout_and_failure_are_recorded)
{
	static const char *const types[] = { "LOGIN", "LOGOUT",
					     "LOGIN_FAILED" };
	static const char *const results[] = { "success", "success",
					       "failure" };
	char loginuid[16], sessionid[16];
	json_object *rec;
	int in;
	pid_t pid;

	/* The peer inherits them from the test. */
	ASSERT_EQ(0,
		  read_line("/proc/self/loginuid", loginuid, sizeof(loginuid)));
	ASSERT_EQ(0, read_line("/proc/self/sessionid", sessionid,
			       sizeof(sessionid)));
	pid = spawn(PEER, "pam", 0, &in);
	ASSERT_LT(0, pid);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(LOGIN_RECORD, next_record(self->srv, &rec));
		EXPECT_STREQ(types[i], str(rec, "type"));
		EXPECT_STREQ(results[i], str(rec, "result"));
		EXPECT_TRUE(recent(str(rec, "time")));
		EXPECT_TRUE(recent(str(rec, "sent")));
		EXPECT_STREQ("alice", str(rec, "user"));
		EXPECT_STREQ(PAM_SERVICE_NAME, str(rec, "service"));
		EXPECT_STREQ("pts/3", str(rec, "tty"));
		EXPECT_STREQ("198.51.100.7", str(rec, "rhost"));
		EXPECT_STREQ("carol", str(rec, "ruser"));
		EXPECT_EQ(pid, num(rec, "subject.pid"));
		EXPECT_EQ(0, num(rec, "subject.uid"));
		EXPECT_EQ(0, num(rec, "subject.euid"));
		EXPECT_EQ(strtoll(loginuid, NULL, 10),
			  num(rec, "subject.loginuid"));
		EXPECT_EQ(strtoll(sessionid, NULL, 10),
			  num(rec, "subject.sessionid"));
		EXPECT_STREQ(PEER, str(rec, "subject.exe"));
		EXPECT_STREQ("peer", str(rec, "subject.comm"));
		EXPECT_EQ(NULL, field(rec, "reason"));
		json_object_put(rec);
	}
	EXPECT_EQ(0, reap(pid, in));
}

/* Set-user-ID root, as su runs: the effective uid counts. */
TEST_F(login, setuid_root_sender_is_accepted)
{
	struct login_stats stats;
	json_object *rec;
	int in;
	pid_t pid = spawn(PEER, "send", 65534, &in);

	ASSERT_LT(0, pid);
	ASSERT_EQ(LOGIN_RECORD, next_record(self->srv, &rec));
	EXPECT_STREQ("LOGIN", str(rec, "type"));
	EXPECT_EQ(65534, num(rec, "subject.uid"));
	EXPECT_EQ(0, num(rec, "subject.euid"));
	/* A name typed at a prompt stays one valid field. */
	EXPECT_STREQ("??bob\xc3\xa9?", str(rec, "user"));
	EXPECT_STREQ("2023-11-14T22:13:20.123456789Z", str(rec, "sent"));
	EXPECT_STREQ("(null)", str(rec, "ruser"));
	json_object_put(rec);
	EXPECT_EQ(0, reap(pid, in));
	login_stats(self->srv, &stats);
	EXPECT_EQ(1ULL, stats.records);
	EXPECT_EQ(0ULL, stats.refused);
}

TEST_F(login, ordinary_user_cannot_forge_a_login)
{
	struct login_stats stats;
	struct login_msg msg;
	json_object *rec;
	int pipefd[2];
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pipefd[1]);
		claim(&msg);
		if (setresuid(65534, 65534, 65534))
			_exit(1);
		/* Refused at accept(), perhaps before the send. */
		send_raw(&msg, sizeof(msg));
		while (read(pipefd[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(pipefd[0]);
	ASSERT_EQ(LOGIN_REFUSED, next_record(self->srv, &rec));
	EXPECT_STREQ("LOGIN_REFUSED", str(rec, "type"));
	EXPECT_STREQ("failure", str(rec, "result"));
	EXPECT_STREQ("the sender is not root", str(rec, "reason"));
	EXPECT_TRUE(recent(str(rec, "time")));
	EXPECT_EQ(pid, num(rec, "subject.pid"));
	EXPECT_EQ(65534, num(rec, "subject.uid"));
	EXPECT_EQ(65534, num(rec, "subject.euid"));
	EXPECT_NE(NULL, field(rec, "subject.exe"));
	json_object_put(rec);
	EXPECT_EQ(0, reap(pid, pipefd[1]));
	login_stats(self->srv, &stats);
	EXPECT_EQ(0ULL, stats.records);
	EXPECT_EQ(1ULL, stats.refused);
}

/* Root running a program someone else could have written. */
static void refused_exe(struct __test_metadata *_metadata,
			struct login_server *srv, uid_t owner, mode_t mode)
{
	const char *exe = PEER_DIR "/other";
	json_object *rec;
	int in;
	pid_t pid;

	ASSERT_EQ(0, install_self(exe, owner, mode));
	pid = spawn(exe, "send", 0, &in);
	ASSERT_LT(0, pid);
	ASSERT_EQ(LOGIN_REFUSED, next_record(srv, &rec));
	EXPECT_STREQ("the sender's executable is not root's alone",
		     str(rec, "reason"));
	EXPECT_STREQ(exe, str(rec, "subject.exe"));
	EXPECT_EQ(0, num(rec, "subject.euid"));
	/* What it claimed, for the administrator. */
	EXPECT_STREQ("LOGIN", str(rec, "claim.type"));
	EXPECT_STREQ("sshd", str(rec, "claim.service"));
	json_object_put(rec);
	EXPECT_EQ(0, reap(pid, in));
}

TEST_F(login, root_with_another_users_executable_is_refused)
{
	refused_exe(_metadata, self->srv, 65534, 0755);
}

TEST_F(login, root_with_a_world_writable_executable_is_refused)
{
	refused_exe(_metadata, self->srv, 0, 0757);
}

TEST_F(login, sender_gone_before_the_check_is_refused)
{
	json_object *rec;
	int in;
	pid_t pid = spawn(PEER, "send", 0, &in);

	ASSERT_LT(0, pid);
	/* Its message waits; its executable cannot be checked any more. */
	ASSERT_EQ(0, reap(pid, in));
	ASSERT_EQ(LOGIN_REFUSED, next_record(self->srv, &rec));
	EXPECT_STREQ("the sender exited before it could be checked",
		     str(rec, "reason"));
	EXPECT_EQ(pid, num(rec, "subject.pid"));
	EXPECT_STREQ("(null)", str(rec, "subject.exe"));
	EXPECT_STREQ("LOGIN", str(rec, "claim.type"));
	json_object_put(rec);
}

/* Each malformed message, sent by root, and why it is refused. */
TEST_F(login, malformed_messages_are_refused)
{
	struct {
		char buf[sizeof(struct login_msg) + 100];
		size_t len;
		const char *reason;
	} cases[6];
	struct login_msg *msg;
	json_object *rec;
	char reason[128];
	int fd;

	for (int i = 0; i < 6; i++) {
		msg = (struct login_msg *)cases[i].buf;
		memset(cases[i].buf, 0, sizeof(cases[i].buf));
		claim(msg);
		cases[i].len = sizeof(*msg);
	}
	cases[0].len = sizeof(struct login_msg) + 100;
	snprintf(reason, sizeof(reason), "a message of %zu bytes, not %zu",
		 sizeof(struct login_msg) + 100, sizeof(struct login_msg));
	cases[0].reason = strdup(reason);
	cases[1].len = 100;
	snprintf(reason, sizeof(reason), "a message of 100 bytes, not %zu",
		 sizeof(struct login_msg));
	cases[1].reason = strdup(reason);
	cases[2].len = 0;
	cases[2].reason = "no message";
	((struct login_msg *)cases[3].buf)->version = LOGIN_MSG_VERSION + 1;
	snprintf(reason, sizeof(reason), "a message of version %u, not %u",
		 LOGIN_MSG_VERSION + 1, LOGIN_MSG_VERSION);
	cases[3].reason = strdup(reason);
	((struct login_msg *)cases[4].buf)->event = 9;
	cases[4].reason = "a message of unknown event 9";
	msg = (struct login_msg *)cases[5].buf;
	memset(msg->tty, 'x', sizeof(msg->tty));
	cases[5].reason = "a message with an unterminated field";

	for (int i = 0; i < 6; i++) {
		fd = send_raw(cases[i].buf, cases[i].len);
		ASSERT_LE(0, fd);
		/* Connected, said nothing, hung up. */
		if (!cases[i].len)
			close(fd);
		ASSERT_EQ(LOGIN_REFUSED, next_record(self->srv, &rec));
		EXPECT_STREQ(cases[i].reason, str(rec, "reason"))
		{
			TH_LOG("case %d", i);
		}
		EXPECT_EQ(getpid(), num(rec, "subject.pid"));
		EXPECT_EQ(NULL, field(rec, "claim"));
		json_object_put(rec);
		if (cases[i].len)
			close(fd);
	}
}

/* Root's connections wait for their message; beyond the limit, dropped. */
TEST_F(login, silent_connections_are_bounded)
{
	struct login_stats stats;
	json_object *rec;
	int fds[65], last;
	char ack;

	for (int i = 0; i < 65; i++) {
		fds[i] = send_raw(NULL, 0);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(-EAGAIN, login_receive(self->srv, &rec));
	login_stats(self->srv, &stats);
	EXPECT_EQ(1ULL, stats.dropped);
	/* The last was answered and closed; the others still wait. */
	last = fds[64];
	EXPECT_EQ(1, recv(last, &ack, 1, 0));
	EXPECT_EQ(0, recv(last, &ack, 1, 0));
	EXPECT_EQ(-1, recv(fds[0], &ack, 1, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	for (int i = 0; i < 65; i++)
		close(fds[i]);
}

TEST_F(login, a_second_server_is_refused_a_stale_socket_replaced)
{
	struct login_server *other;
	struct sockaddr_un addr = { .sun_family = AF_UNIX,
				    .sun_path = LOGIN_SOCKET_PATH };
	int fd;

	EXPECT_EQ(-EADDRINUSE, login_listen(LOGIN_SOCKET_PATH, &other));
	login_close(self->srv);
	self->srv = NULL;
	/* What a daemon killed with SIGKILL leaves. */
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&addr, sizeof(addr)));
	close(fd);
	ASSERT_EQ(0, login_listen(LOGIN_SOCKET_PATH, &self->srv));
	fd = send_raw(NULL, 0);
	EXPECT_LE(0, fd);
	close(fd);
}

/*
 * Logins go on, quickly, whether the daemon is not there or does not
 * answer: pam_ward waits LOGIN_ACK_TIMEOUT_MS at most per message.
 */
TEST_F(login, pam_is_inert_without_the_daemon)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX,
				    .sun_path = LOGIN_SOCKET_PATH };
	struct timespec t0, t1;
	int in, fd;
	pid_t pid;

	login_close(self->srv);
	self->srv = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = spawn(PEER, "pam", 0, &in);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, reap(pid, in));

	/* Listening, never accepting. */
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&addr, sizeof(addr)));
	ASSERT_EQ(0, listen(fd, 8));
	pid = spawn(PEER, "pam", 0, &in);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, reap(pid, in));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* Three messages unanswered: 0.75 s, and the rest is quick. */
	EXPECT_GT(5, t1.tv_sec - t0.tv_sec);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--peer"))
		return peer(argv[2]);
	return test_harness_run(argc, argv);
}
