/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the log daemon's end of pam_ward: login records from PAM, from
 * senders the kernel vouches for (GB/T 39276 5.1.1.3 a-c)
 */

#ifndef WARD_LOGIN_H
#define WARD_LOGIN_H

#include <json-c/json.h>

/* login_receive() results besides -errno. */
enum login_result {
	LOGIN_RECORD = 0, /* a login record */
	LOGIN_REFUSED = 1, /* a record of a message refused, and who sent it */
};

/* What the server has done since login_listen(). */
struct login_stats {
	unsigned long long records; /* LOGIN_RECORD results */
	unsigned long long refused; /* LOGIN_REFUSED results */
	unsigned long long dropped; /* connections closed unread: too many */
};

struct login_server;

/**
 * login_listen - listen for pam_ward's messages
 * @path: the socket, LOGIN_SOCKET_PATH in ward's daemon
 * @srv: set to the server on success
 *
 * Creates the socket's directory (0755) if missing, removes a socket there
 * that nobody listens on, and makes the new one 0666 so that PAM reaches
 * it from any process; who may send is checked per message.
 *
 * Return: 0, -EADDRINUSE (a server listens at @path already), -ENOTDIR
 * (the directory is something else), -EEXIST (@path is not a socket),
 * -ENAMETOOLONG, -ENOMEM, or the -errno of mkdir, chmod, socket, connect
 * (to a socket found there), unlink, bind, listen or epoll_create1.
 */
int login_listen(const char *path, struct login_server **srv);

/* The descriptor to poll for POLLIN: login_receive() has work. */
int login_fd(const struct login_server *srv);

/**
 * login_receive - the next record from pam_ward's messages
 * @srv: the server
 * @record: set to the record, which the caller puts
 *
 * Does the server's pending work up to the next record: accepts
 * connections, reads messages, checks their senders and answers them.
 * Call it until -EAGAIN each time login_fd() polls readable.
 *
 * A message becomes a login record (LOGIN_RECORD) only when its sender's
 * effective uid was 0 when it connected, its executable is a regular file
 * owned by root and writable by nobody else, it was alive while checked,
 * and the message has the size and version of struct login_msg and a known
 * event.  Anything else is LOGIN_REFUSED: a record of who sent it, why it
 * was refused and, when the message could be read, what it claimed.
 *
 * Return: LOGIN_RECORD or LOGIN_REFUSED with @record set, -EAGAIN when
 * there is nothing more to do for now, -ENOMEM, or the -errno of
 * epoll_wait, accept4 or getsockopt(SO_PEERCRED) (the server stays
 * usable).
 */
int login_receive(struct login_server *srv, json_object **record);

void login_stats(const struct login_server *srv, struct login_stats *stats);

/* Answers and closes the server's connections, removes its socket. */
void login_close(struct login_server *srv);

#endif /* WARD_LOGIN_H */
