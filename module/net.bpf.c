// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on sockets: what a confined app may create, bind and connect
 *
 * TCP and UDP are allowed by port.  A confined app may create a TCP or UDP
 * socket only if some rule of its names that protocol; other families need
 * "net create".  Sending to an address (UDP sendto, TCP Fast Open) is a
 * connect to it.  Unconfined tasks are not restricted.
 */

#define WARD_OBJECT net
#include "decide.bpf.h"
#include <bpf/bpf_tracing.h>

#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define AF_NETLINK 16
#define AF_PACKET 17
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_TYPE_MASK 0xf
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_UDPLITE 136
#define MSG_FASTOPEN 0x20000000

char LICENSE[] SEC("license") = "GPL";

static __always_inline void report_net(const struct decision *d,
				       const struct subject *s)
{
	struct ward_event *ev;

	if (!d->type)
		return;
	ev = event_reserve();
	if (!ev)
		return;
	event_fill(ev, d, s);
	event_paths(ev, NULL, false);
	bpf_ringbuf_submit(ev, 0);
}

/* What creating a socket of @family and @type needs: a flag of the app. */
static __always_inline __u32 socket_needs(int family, int type)
{
	type &= SOCK_TYPE_MASK;
	switch (family) {
	case AF_INET:
	case AF_INET6:
		if (type == SOCK_STREAM)
			return WARD_APP_TCP;
		if (type == SOCK_DGRAM)
			return WARD_APP_UDP;
		if (type == SOCK_RAW)
			return WARD_SOCKET_RAW << WARD_APP_SOCKETS_SHIFT;
		return 0;
	case AF_UNIX:
		return WARD_SOCKET_UNIX << WARD_APP_SOCKETS_SHIFT;
	case AF_NETLINK:
		return WARD_SOCKET_NETLINK << WARD_APP_SOCKETS_SHIFT;
	case AF_PACKET:
		return WARD_SOCKET_PACKET << WARD_APP_SOCKETS_SHIFT;
	}
	return 0;
}

SEC("lsm/socket_create")
int BPF_PROG(hook_socket_create, int family, int type, int protocol, int kern)
{
	struct decision d = { .op = WARD_OP_SOCKET, .family = family };
	void *policy = policy_active();
	struct subject s;
	__u32 needs;
	int err;

	if (kern || !policy)
		return 0;
	subject_get(policy, &s);
	if (!subject_confined(&s))
		return 0;
	needs = socket_needs(family, type);
	if (needs && (s.flags & needs) == needs)
		return 0;
	/* The socket family bit, or 0 and the protocol for TCP and UDP. */
	d.access = needs >> WARD_APP_SOCKETS_SHIFT;
	if (needs == WARD_APP_TCP)
		d.proto = IPPROTO_TCP;
	else if (needs == WARD_APP_UDP)
		d.proto = IPPROTO_UDP;
	err = refuse(policy, &s, &d, -EACCES, true);
	report_net(&d, &s);
	return err;
}

/* The family of @sock's protocol, 0 if it has none. */
static __always_inline __u16 socket_family(struct socket *sock)
{
	struct sock *sk = sock->sk;

	return sk ? sk->__sk_common.skc_family : 0;
}

/*
 * Does the kernel take the port of an address of @family given to a
 * socket of @sock_family?  IPv4 takes AF_UNSPEC as AF_INET (in bind and in
 * sendto); IPv6 ignores an AF_UNSPEC address of a send.
 */
static __always_inline bool address_used(__u16 sock_family, __u16 family)
{
	return family == AF_INET || family == AF_INET6 ||
	       (family == AF_UNSPEC && sock_family == AF_INET);
}

static __always_inline bool inet_family(__u16 family)
{
	return family == AF_INET || family == AF_INET6;
}

/*
 * @op on @port by a TCP or UDP socket of @family: allowed by a rule for
 * that port or for all ports of the protocol.  Other sockets are not
 * checked by port (raw sockets needed "net create raw").
 */
static __always_inline int check_port(__u32 op, struct socket *sock,
				      __u16 family, __u16 port)
{
	struct decision d = { .op = op == WARD_NET_BIND ? WARD_OP_BIND :
							  WARD_OP_CONNECT,
			      .access = op,
			      .family = family,
			      .port = port };
	struct ward_policy_key key = { .kind = WARD_KEY_NET };
	void *policy = policy_active();
	union ward_policy_value *value;
	struct subject s;
	__u16 type;
	int err;

	if (!policy)
		return 0;
	subject_get(policy, &s);
	if (!subject_confined(&s))
		return 0;
	type = sock->type;
	if (type == SOCK_STREAM)
		d.proto = IPPROTO_TCP;
	else if (type == SOCK_DGRAM)
		d.proto = IPPROTO_UDP;
	else
		return 0;

	key.net.app = s.app;
	key.net.proto = d.proto;
	key.net.port = d.port;
	value = bpf_map_lookup_elem(policy, &key);
	if (value && (value->net & op))
		return 0;
	key.net.port = 0;
	value = bpf_map_lookup_elem(policy, &key);
	if (value && (value->net & op))
		return 0;
	err = refuse(policy, &s, &d, -EACCES, true);
	report_net(&d, &s);
	return err;
}

/* sin_port and sin6_port: the first two bytes after the family. */
static __always_inline __u16 port_of(struct sockaddr *address)
{
	return (__u8)address->sa_data[0] << 8 | (__u8)address->sa_data[1];
}

SEC("lsm/socket_bind")
int BPF_PROG(hook_socket_bind, struct socket *sock, struct sockaddr *address,
	     int addrlen)
{
	__u16 family = socket_family(sock), port;

	if (!inet_family(family) || !address_used(family, address->sa_family))
		return 0;
	port = port_of(address);
	if (!port)
		return 0; /* an ephemeral port */
	return check_port(WARD_NET_BIND, sock, family, port);
}

/* Connecting to AF_UNSPEC dissolves a connection. */
SEC("lsm/socket_connect")
int BPF_PROG(hook_socket_connect, struct socket *sock, struct sockaddr *address,
	     int addrlen)
{
	__u16 family = socket_family(sock);

	if (!inet_family(family) || !inet_family(address->sa_family))
		return 0;
	return check_port(WARD_NET_CONNECT, sock, family, port_of(address));
}

/*
 * A UDP send to an address, or a TCP Fast Open send (which connects
 * without socket_connect), reaches that port as a connect would.  The
 * address is already in kernel memory.  Before 6.2 it cannot be read
 * without bpf_probe_read_kernel(), and such sends are not checked.
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(hook_socket_sendmsg, struct socket *sock, struct msghdr *msg,
	     int size)
{
	struct sock *sk = sock->sk;
	struct sockaddr *address;
	__u16 family, protocol;

	if (!msg->msg_name || msg->msg_namelen < 4 || !sk)
		return 0;
	family = sk->__sk_common.skc_family;
	protocol = sk->sk_protocol;
	if (!inet_family(family))
		return 0;
	if (sock->type == SOCK_DGRAM) {
		if (protocol != IPPROTO_UDP && protocol != IPPROTO_UDPLITE)
			return 0;
	} else if (sock->type != SOCK_STREAM ||
		   !(msg->msg_flags & MSG_FASTOPEN)) {
		return 0;
	}
	if (!bpf_ksym_exists(KFUNC(bpf_rdonly_cast)))
		return 0;
	address = KFUNC(bpf_rdonly_cast)(
		msg->msg_name, bpf_core_type_id_kernel(struct sockaddr));
	if (!address_used(family, address->sa_family))
		return 0;
	return check_port(WARD_NET_CONNECT, sock, family, port_of(address));
}
