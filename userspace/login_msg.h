/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - the message pam_ward sends to ward's log daemon for each login,
 * logout and failed authentication (GB/T 39276 5.1.1.3 a-c)
 *
 * One message per SOCK_SEQPACKET connection to LOGIN_SOCKET_PATH, of
 * exactly sizeof(struct login_msg) bytes, in the host's byte order (both
 * ends run on the same machine).  The daemon answers with one byte once it
 * has checked the sender, then closes; the sender waits for it at most
 * LOGIN_ACK_TIMEOUT_MS so that the daemon finds it alive (its executable is
 * part of the check).  A message of another size or version is refused.
 *
 * Who sent the message is not in it: the daemon takes the sender's pid and
 * effective uid from the kernel (SO_PEERCRED) and reads its loginuid,
 * sessionid, executable and comm from /proc.
 */

#ifndef WARD_LOGIN_MSG_H
#define WARD_LOGIN_MSG_H

#include <assert.h>
#include <stdint.h>

#define LOGIN_SOCKET_DIR "/run/ward"
#define LOGIN_SOCKET_PATH LOGIN_SOCKET_DIR "/logd.sock"
#define LOGIN_MSG_VERSION 1
#define LOGIN_ACK_TIMEOUT_MS 250

enum login_event {
	LOGIN_EVENT_SESSION_OPEN = 1,
	LOGIN_EVENT_SESSION_CLOSE = 2,
	LOGIN_EVENT_AUTH_FAIL = 3,
};

/*
 * The PAM items, each NUL-terminated within its field (cut short if
 * longer); an empty field is an item PAM did not have.
 */
struct login_msg {
	uint32_t version; /* LOGIN_MSG_VERSION */
	uint32_t event; /* enum login_event */
	uint64_t time_ns; /* the sender's CLOCK_REALTIME */
	char user[256]; /* PAM_USER: LOGIN_NAME_MAX */
	char service[64]; /* PAM_SERVICE */
	char tty[64]; /* PAM_TTY */
	char rhost[256]; /* PAM_RHOST: a host name or an address */
	char ruser[256]; /* PAM_RUSER */
};

static_assert(sizeof(struct login_msg) == 912,
	      "struct login_msg is part of the daemon's ABI");

#endif /* WARD_LOGIN_MSG_H */
