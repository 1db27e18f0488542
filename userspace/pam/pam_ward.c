// SPDX-License-Identifier: GPL-2.0
/*
 * pam_ward - tell ward's log daemon of logins, logouts and failed
 * authentications (GB/T 39276 5.1.1.3 a-c)
 *
 * A session module (LOGIN at open, LOGOUT at close) and, with "authfail",
 * an auth module for the line that only a failed authentication reaches,
 * as pam_faillock's authfail.  Each call sends one struct login_msg to
 * LOGIN_SOCKET_PATH.  Nothing here may keep anyone from logging in: the
 * socket is non-blocking, a daemon that is not there costs one failed
 * connect(), one that does not answer at most LOGIN_ACK_TIMEOUT_MS, and
 * every error is only written to syslog.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "login_msg.h"

/* Copies PAM's item @item into @field, cut short if too long. */
static void copy_item(pam_handle_t *pamh, int item, char *field, size_t size)
{
	const void *value = NULL;

	if (pam_get_item(pamh, item, &value) == PAM_SUCCESS && value)
		snprintf(field, size, "%s", (const char *)value);
}

/*
 * Sends @msg and waits for the daemon's answer: the daemon checks the
 * sender while it is still alive.  Returns 0 or -errno.
 */
static int deliver(const struct login_msg *msg)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX,
				    .sun_path = LOGIN_SOCKET_PATH };
	struct pollfd pfd = { .events = POLLIN };
	char ack;
	int err = 0, n;

	pfd.fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);
	if (pfd.fd < 0)
		return -errno;
	/* A Unix socket connects at once, or fails (EAGAIN: backlog full). */
	if (connect(pfd.fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    send(pfd.fd, msg, sizeof(*msg), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		err = -errno;
	else if ((n = poll(&pfd, 1, LOGIN_ACK_TIMEOUT_MS)) < 0)
		err = -errno;
	else if (n == 0)
		err = -ETIMEDOUT;
	else if (recv(pfd.fd, &ack, 1, MSG_DONTWAIT) != 1)
		err = -EPROTO;
	close(pfd.fd);
	return err;
}

static void report(pam_handle_t *pamh, enum login_event event)
{
	struct login_msg msg = {
		.version = LOGIN_MSG_VERSION,
		.event = event,
	};
	struct timespec now;
	int err;

	clock_gettime(CLOCK_REALTIME, &now);
	msg.time_ns = now.tv_sec * 1000000000ULL + now.tv_nsec;
	copy_item(pamh, PAM_USER, msg.user, sizeof(msg.user));
	copy_item(pamh, PAM_SERVICE, msg.service, sizeof(msg.service));
	copy_item(pamh, PAM_TTY, msg.tty, sizeof(msg.tty));
	copy_item(pamh, PAM_RHOST, msg.rhost, sizeof(msg.rhost));
	copy_item(pamh, PAM_RUSER, msg.ruser, sizeof(msg.ruser));
	err = deliver(&msg);
	if (err)
		pam_syslog(pamh, LOG_WARNING,
			   "no login record: ward's log daemon at %s: %s",
			   LOGIN_SOCKET_PATH, strerror(-err));
}

int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
			const char **argv)
{
	(void)flags, (void)argc, (void)argv;
	report(pamh, LOGIN_EVENT_SESSION_OPEN);
	return PAM_SUCCESS;
}

int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
			 const char **argv)
{
	(void)flags, (void)argc, (void)argv;
	report(pamh, LOGIN_EVENT_SESSION_CLOSE);
	return PAM_SUCCESS;
}

/*
 * Only the line with "authfail" does anything: the stack reaches it when
 * authentication failed, and it fails in turn, as pam_faillock's does.
 */
int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
			const char **argv)
{
	(void)flags;
	if (argc == 1 && !strcmp(argv[0], "authfail")) {
		report(pamh, LOGIN_EVENT_AUTH_FAIL);
		return PAM_AUTH_ERR;
	}
	if (argc)
		pam_syslog(pamh, LOG_ERR,
			   "unknown arguments: the only one is authfail");
	return PAM_IGNORE;
}

int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh, (void)flags, (void)argc, (void)argv;
	return PAM_SUCCESS;
}
