// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the log daemon's end of pam_ward (GB/T 39276 5.1.1.3 a-c)
 *
 * The socket is open to everyone so that PAM reaches it from any process;
 * what makes a message a login record is its sender, as the kernel tells
 * it: the effective uid at connect() (SO_PEERCRED, which no sender can
 * choose, unlike SCM_CREDENTIALS) and the process behind a pidfd taken at
 * accept(), alive while its executable is checked.  An ordinary user gets
 * no further than a record that it tried.
 *
 * One connection per message keeps the sender's identity that of the
 * process that sent it.  Connections wait in an epoll set until their
 * message comes, so a sender that connects and says nothing delays no one;
 * only root's wait there (others are refused at accept()), at most
 * LOGIN_MAX_PENDING of them.
 */

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "login.h"
#include "login_msg.h"
#include "system.h"

/* Linux 6.5 (asm-generic value); glibc 2.36's headers lack it. */
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

#define LOGIN_MAX_PENDING 64
/* The epoll tag of the listening socket; a connection's is its slot. */
#define LOGIN_LISTENER LOGIN_MAX_PENDING

struct login_conn {
	int fd; /* -1: a free slot */
	int pidfd; /* -1: the sender was gone at accept() */
	struct ucred cred;
};

struct login_server {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd;
	int epoll_fd;
	struct login_conn conns[LOGIN_MAX_PENDING];
	struct login_stats stats;
};

/* The sender as /proc showed it; its fields are valid when @read is. */
struct sender {
	bool read;
	uid_t uid, euid;
	unsigned int loginuid, sessionid;
	char exe[PATH_MAX];
	char comm[64];
	struct stat st;
};

static const char *const event_type[] = {
	[LOGIN_EVENT_SESSION_OPEN] = "LOGIN",
	[LOGIN_EVENT_SESSION_CLOSE] = "LOGOUT",
	[LOGIN_EVENT_AUTH_FAIL] = "LOGIN_FAILED",
};

/* Creates the socket's directory, root's and 0755, unless it exists. */
static int make_dir(const char *path)
{
	char dir[sizeof(((struct login_server *)0)->path)];
	char *slash;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (!mkdir(dir, 0755))
		return chmod(dir, 0755) ? -errno : 0; /* whatever the umask */
	if (errno != EEXIST)
		return -errno;
	if (lstat(dir, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* Removes the socket at @addr unless a server still listens there. */
static int remove_stale(const struct sockaddr_un *addr)
{
	struct stat st;
	int fd, err;

	if (lstat(addr->sun_path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) ?
		      errno :
		      0;
	close(fd);
	if (err != ECONNREFUSED)
		return err == ENOENT ? 0 : -EADDRINUSE;
	return unlink(addr->sun_path) && errno != ENOENT ? -errno : 0;
}

int login_listen(const char *path, struct login_server **srvp)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u32 = LOGIN_LISTENER };
	struct login_server *srv;
	int err;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	err = make_dir(path);
	if (!err)
		err = remove_stale(&addr);
	if (err)
		return err;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	strcpy(srv->path, path);
	for (int i = 0; i < LOGIN_MAX_PENDING; i++)
		srv->conns[i].fd = -1;
	srv->epoll_fd = -1;
	srv->listen_fd = socket(
		AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0) {
		err = -errno;
		free(srv);
		return err;
	}
	if (bind(srv->listen_fd, (struct sockaddr *)&addr, sizeof(addr))) {
		err = -errno;
		close(srv->listen_fd);
		free(srv);
		return err;
	}
	if (chmod(path, 0666) || listen(srv->listen_fd, SOMAXCONN) ||
	    (srv->epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    epoll_ctl(srv->epoll_fd, EPOLL_CTL_ADD, srv->listen_fd, &ev)) {
		err = -errno;
		login_close(srv);
		return err;
	}
	*srvp = srv;
	return 0;
}

int login_fd(const struct login_server *srv)
{
	return srv->epoll_fd;
}

void login_stats(const struct login_server *srv, struct login_stats *stats)
{
	*stats = srv->stats;
}

/* Answers the sender (it waits to be checked) and forgets it. */
static void finish(struct login_conn *conn, enum login_result result)
{
	char ack = result;

	send(conn->fd, &ack, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(conn->fd);
	if (conn->pidfd >= 0)
		close(conn->pidfd);
	conn->fd = -1;
	conn->pidfd = -1;
}

void login_close(struct login_server *srv)
{
	for (int i = 0; i < LOGIN_MAX_PENDING; i++)
		if (srv->conns[i].fd >= 0)
			finish(&srv->conns[i], LOGIN_REFUSED);
	if (srv->epoll_fd >= 0)
		close(srv->epoll_fd);
	close(srv->listen_fd);
	unlink(srv->path);
	free(srv);
}

/*
 * A pidfd of the process that connected: SO_PEERPIDFD where the kernel has
 * it, before 6.5 pidfd_open() of the pid it gave at connect(); -1 when the
 * process is gone.
 */
static int peer_pidfd(const struct login_conn *conn)
{
	socklen_t len = sizeof(int);
	int pidfd;

	if (!getsockopt(conn->fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len))
		return pidfd;
	if (errno != ENOPROTOOPT)
		return -1;
	return pidfd_open(conn->cred.pid, 0);
}

static void format_time(unsigned long long ns, char *buf, size_t size)
{
	time_t sec = ns / 1000000000;
	struct tm tm;
	size_t len;

	gmtime_r(&sec, &tm);
	len = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + len, size - len, ".%09lluZ", ns % 1000000000);
}

static json_object *json_time(unsigned long long ns)
{
	char buf[64];

	format_time(ns, buf, sizeof(buf));
	return json_object_new_string(buf);
}

/* The length of the UTF-8 character at @s, 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;

	if (*s < 0x80)
		return 1;
	if (*s >= 0xc2 && *s <= 0xdf)
		n = 2;
	else if (*s >= 0xe0 && *s <= 0xef)
		n = 3;
	else if (*s >= 0xf0 && *s <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates, and beyond U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/*
 * @s as a JSON string, null when empty.  Control characters and bytes that
 * are not UTF-8 become '?': a user name typed at a login prompt, or a
 * refused sender's comm, is anyone's choice and must stay one valid field.
 */
static json_object *json_text(const char *s)
{
	char buf[PATH_MAX];
	size_t i = 0, n;

	if (!*s)
		return NULL;
	while (*s && i < sizeof(buf) - 1) {
		n = utf8_len((const unsigned char *)s);
		if (n > 1 && i + n < sizeof(buf)) {
			memcpy(buf + i, s, n);
			i += n;
			s += n;
			continue;
		}
		buf[i++] = n == 1 && (unsigned char)*s >= 0x20 && *s != 0x7f ?
				   *s :
				   '?';
		s++;
	}
	buf[i] = '\0';
	return json_object_new_string(buf);
}

static int read_uint(const char *path, unsigned int *value)
{
	char buf[32];
	int err = read_line(path, buf, sizeof(buf));

	if (err)
		return err;
	return sscanf(buf, "%u", value) == 1 ? 0 : -EINVAL;
}

/* Reads the real and effective uid from /proc/PID/status. */
static int read_uids(const char *dir, uid_t *uid, uid_t *euid)
{
	char path[64], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/status", dir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "Uid: %u %u", uid, euid) == 2;
	fclose(f);
	return found ? 0 : -EINVAL;
}

/* Reads what /proc shows of @conn's sender into @s. */
static void read_sender(const struct login_conn *conn, struct sender *s)
{
	char dir[32], path[64];
	ssize_t len;

	snprintf(dir, sizeof(dir), "/proc/%d", conn->cred.pid);
	snprintf(path, sizeof(path), "%s/exe", dir);
	len = readlink(path, s->exe, sizeof(s->exe) - 1);
	if (len < 0 || stat(path, &s->st) || read_uids(dir, &s->uid, &s->euid))
		return;
	s->exe[len] = '\0';
	snprintf(path, sizeof(path), "%s/comm", dir);
	if (read_line(path, s->comm, sizeof(s->comm)))
		return;
	snprintf(path, sizeof(path), "%s/loginuid", dir);
	if (read_uint(path, &s->loginuid))
		return;
	snprintf(path, sizeof(path), "%s/sessionid", dir);
	if (read_uint(path, &s->sessionid))
		return;
	/* Still the process that connected: its pid was not reused. */
	s->read = conn->pidfd >= 0 &&
		  !pidfd_send_signal(conn->pidfd, 0, NULL, 0);
}

/* Why the sender cannot have sent a login record, or NULL. */
static const char *check_sender(const struct login_conn *conn,
				const struct sender *s)
{
	if (conn->cred.uid != 0)
		return "the sender is not root";
	if (!s->read)
		return "the sender exited before it could be checked";
	if (s->euid != conn->cred.uid)
		return "the sender's effective uid changed after it connected";
	if (!S_ISREG(s->st.st_mode) || s->st.st_uid != 0 ||
	    (s->st.st_mode & (S_IWGRP | S_IWOTH)))
		return "the sender's executable is not root's alone";
	return NULL;
}

static json_object *subject_json(const struct login_conn *conn,
				 const struct sender *s)
{
	json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	json_object_object_add(obj, "pid", json_object_new_int(conn->cred.pid));
	json_object_object_add(obj, "uid",
			       s->read ? json_object_new_int64(s->uid) : NULL);
	json_object_object_add(obj, "euid",
			       json_object_new_int64(conn->cred.uid));
	json_object_object_add(obj, "loginuid",
			       s->read ? json_object_new_int64(s->loginuid) :
					 NULL);
	json_object_object_add(obj, "sessionid",
			       s->read ? json_object_new_int64(s->sessionid) :
					 NULL);
	json_object_object_add(obj, "exe", s->read ? json_text(s->exe) : NULL);
	json_object_object_add(obj, "comm",
			       s->read ? json_text(s->comm) : NULL);
	return obj;
}

/* Why @msg of @len bytes is not a login message, or NULL; in @buf. */
static const char *check_msg(struct login_msg *msg, ssize_t len, char *buf,
			     size_t size)
{
	char *const fields[] = { msg->user, msg->service, msg->tty, msg->rhost,
				 msg->ruser };
	const size_t sizes[] = { sizeof(msg->user), sizeof(msg->service),
				 sizeof(msg->tty), sizeof(msg->rhost),
				 sizeof(msg->ruser) };

	if (len < 0)
		snprintf(buf, size, "the message could not be read: %s",
			 strerror(errno));
	else if (len == 0)
		snprintf(buf, size, "no message");
	else if ((size_t)len != sizeof(*msg))
		snprintf(buf, size, "a message of %zd bytes, not %zu", len,
			 sizeof(*msg));
	else if (msg->version != LOGIN_MSG_VERSION)
		snprintf(buf, size, "a message of version %u, not %u",
			 msg->version, LOGIN_MSG_VERSION);
	else if (msg->event < LOGIN_EVENT_SESSION_OPEN ||
		 msg->event > LOGIN_EVENT_AUTH_FAIL)
		snprintf(buf, size, "a message of unknown event %u",
			 msg->event);
	else
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			if (!memchr(fields[i], '\0', sizes[i])) {
				snprintf(
					buf, size,
					"a message with an unterminated field");
				return buf;
			}
	return *buf ? buf : NULL;
}

/* Adds what @msg says to @obj: what a login record has of it. */
static void add_claim(json_object *obj, const struct login_msg *msg)
{
	json_object_object_add(obj, "sent", json_time(msg->time_ns));
	json_object_object_add(obj, "user", json_text(msg->user));
	json_object_object_add(obj, "service", json_text(msg->service));
	json_object_object_add(obj, "tty", json_text(msg->tty));
	json_object_object_add(obj, "rhost", json_text(msg->rhost));
	json_object_object_add(obj, "ruser", json_text(msg->ruser));
}

/*
 * The record of @conn's message @msg (NULL: unread), received at @now_ns:
 * a login record, or when @reason says why not, a refusal.
 */
static json_object *build_record(const struct login_conn *conn,
				 const struct sender *s,
				 const struct login_msg *msg,
				 const char *reason, unsigned long long now_ns)
{
	json_object *obj = json_object_new_object(), *claim = NULL;

	if (!obj)
		return NULL;
	json_object_object_add(
		obj, "type",
		json_object_new_string(reason ? "LOGIN_REFUSED" :
						event_type[msg->event]));
	json_object_object_add(obj, "time", json_time(now_ns));
	json_object_object_add(obj, "subject", subject_json(conn, s));
	if (!reason) {
		add_claim(obj, msg);
		json_object_object_add(
			obj, "result",
			json_object_new_string(
				msg->event == LOGIN_EVENT_AUTH_FAIL ?
					"failure" :
					"success"));
		return obj;
	}
	json_object_object_add(obj, "reason", json_object_new_string(reason));
	json_object_object_add(obj, "result",
			       json_object_new_string("failure"));
	if (msg) {
		claim = json_object_new_object();
		if (claim) {
			json_object_object_add(
				claim, "type",
				json_object_new_string(event_type[msg->event]));
			add_claim(claim, msg);
		}
		json_object_object_add(obj, "claim", claim);
	}
	return obj;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Records @conn's message, answers and closes it; -EAGAIN: none yet. */
static int read_conn(struct login_server *srv, struct login_conn *conn,
		     json_object **record)
{
	unsigned long long now = now_ns();
	struct sender s = { 0 };
	struct login_msg msg;
	const char *reason;
	char buf[128] = "";
	ssize_t len;

	/* MSG_TRUNC: the length of the whole message, however long. */
	len = recv(conn->fd, &msg, sizeof(msg), MSG_DONTWAIT | MSG_TRUNC);
	if (len < 0 && errno == EAGAIN)
		return -EAGAIN;
	reason = check_msg(&msg, len, buf, sizeof(buf));
	read_sender(conn, &s);
	if (!reason)
		reason = check_sender(conn, &s);
	*record = build_record(conn, &s, buf[0] ? NULL : &msg, reason, now);
	finish(conn, reason ? LOGIN_REFUSED : LOGIN_RECORD);
	if (!*record)
		return -ENOMEM;
	if (reason) {
		srv->stats.refused++;
		return LOGIN_REFUSED;
	}
	srv->stats.records++;
	return LOGIN_RECORD;
}

/*
 * Accepts a connection: refuses it at once unless its sender is root,
 * else keeps it until its message comes.  -EAGAIN: nothing to record.
 */
static int accept_conn(struct login_server *srv, json_object **record)
{
	struct login_conn conn = { .pidfd = -1 };
	struct epoll_event ev = { .events = EPOLLIN };
	socklen_t len = sizeof(conn.cred);
	struct sender s = { 0 };
	int slot, err;

	conn.fd = accept4(srv->listen_fd, NULL, NULL,
			  SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (conn.fd < 0)
		return errno == EAGAIN || errno == ECONNABORTED ? -EAGAIN :
								  -errno;
	if (getsockopt(conn.fd, SOL_SOCKET, SO_PEERCRED, &conn.cred, &len)) {
		err = -errno;
		close(conn.fd);
		return err;
	}
	conn.pidfd = peer_pidfd(&conn);
	if (conn.cred.uid != 0) {
		read_sender(&conn, &s);
		*record = build_record(&conn, &s, NULL, check_sender(&conn, &s),
				       now_ns());
		finish(&conn, LOGIN_REFUSED);
		if (!*record)
			return -ENOMEM;
		srv->stats.refused++;
		return LOGIN_REFUSED;
	}
	for (slot = 0; slot < LOGIN_MAX_PENDING; slot++)
		if (srv->conns[slot].fd < 0)
			break;
	ev.data.u32 = slot;
	if (slot == LOGIN_MAX_PENDING ||
	    epoll_ctl(srv->epoll_fd, EPOLL_CTL_ADD, conn.fd, &ev)) {
		srv->stats.dropped++;
		finish(&conn, LOGIN_REFUSED);
		return -EAGAIN;
	}
	srv->conns[slot] = conn;
	return -EAGAIN;
}

int login_receive(struct login_server *srv, json_object **record)
{
	struct epoll_event ev;
	int n, ret;

	do {
		n = epoll_wait(srv->epoll_fd, &ev, 1, 0);
		if (n < 0)
			return errno == EINTR ? -EAGAIN : -errno;
		if (n == 0)
			return -EAGAIN;
		if (ev.data.u32 == LOGIN_LISTENER)
			ret = accept_conn(srv, record);
		else
			ret = read_conn(srv, &srv->conns[ev.data.u32], record);
	} while (ret == -EAGAIN);
	return ret;
}
