// SPDX-License-Identifier: GPL-2.0
/*
 * ward - hooks on sockets: what a confined app may create, bind and connect
 *
 * TCP, UDP and SCTP are allowed by port.  A confined app may create a
 * socket of one of them only if some rule of its names that protocol;
 * other sockets need "net create".  A socket is told by its family, type
 * and protocol, never by its type alone: a SOCK_STREAM socket may be
 * SCTP, a SOCK_DGRAM one an ICMP ping socket.  Sending to an address (UDP
 * sendto, TCP Fast Open, SCTP's implicit association) is a connect to it;
 * sctp_bindx() and sctp_connectx() are checked address by address.
 * Unconfined tasks are not restricted.
 */

#define WARD_OBJECT net
#include "event.bpf.h"
#include <bpf/bpf_endian.h>
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
#define SOCK_SEQPACKET 5
#define SOCK_TYPE_MASK 0xf
#define IPPROTO_ICMP 1
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_ICMPV6 58
#define IPPROTO_SCTP 132
#define IPPROTO_UDPLITE 136
#define IPPROTO_MPTCP 262
#define MSG_FASTOPEN 0x20000000
#define EINVAL 22

/* What sctp_bind_connect() checks (<linux/sctp.h>, enum sctp_param). */
#define SCTP_SET_PEER_PRIMARY_ADDR 5
#define SCTP_PRIMARY_ADDR 6
#define SCTP_SOCKOPT_BINDX_ADD 100
#define SCTP_SOCKOPT_CONNECTX 110
#define SCTP_SENDMSG_CONNECT 126
#define SCTP_PARAM_ADD_IP __bpf_constant_htons(0xc001)
#define SCTP_PARAM_SET_PRIMARY __bpf_constant_htons(0xc004)

char LICENSE[] SEC("license") = "GPL";

/* A network decision's event: no object, the executable's path. */
static __always_inline void report_net(const struct decision *d,
				       const struct subject *s)
{
	struct event_about about = { .kfuncs = true };

	event_report(d, s, &about);
}

/*
 * The protocol the port rules know a socket of an inet family by, from
 * its @type and @protocol (0 is the type's default, TCP or UDP; the
 * kernel resolves it so before the socket has a protocol of its own):
 * IPPROTO_TCP for TCP and MPTCP, IPPROTO_UDP for UDP and UDP-Lite,
 * IPPROTO_SCTP for SCTP; 0 for everything else (ICMP ping, raw, L2TP,
 * DCCP...), which no port rule covers.
 */
static __always_inline __u16 port_protocol(int type, int protocol)
{
	switch (type) {
	case SOCK_STREAM:
		if (!protocol || protocol == IPPROTO_TCP ||
		    protocol == IPPROTO_MPTCP)
			return IPPROTO_TCP;
		return protocol == IPPROTO_SCTP ? IPPROTO_SCTP : 0;
	case SOCK_SEQPACKET:
		return protocol == IPPROTO_SCTP ? IPPROTO_SCTP : 0;
	case SOCK_DGRAM:
		if (!protocol || protocol == IPPROTO_UDP ||
		    protocol == IPPROTO_UDPLITE)
			return IPPROTO_UDP;
	}
	return 0;
}

static __always_inline bool inet_family(__u16 family)
{
	return family == AF_INET || family == AF_INET6;
}

/*
 * What creating a socket of @family, @type and @protocol needs: a flag of
 * the app, 0 if nothing allows it.
 */
static __always_inline __u32 socket_needs(int family, int type, int protocol)
{
	type &= SOCK_TYPE_MASK;
	if (inet_family(family)) {
		switch (port_protocol(type, protocol)) {
		case IPPROTO_TCP:
			return WARD_APP_TCP;
		case IPPROTO_UDP:
			return WARD_APP_UDP;
		case IPPROTO_SCTP:
			return WARD_APP_SCTP;
		}
		if (type == SOCK_RAW)
			return WARD_SOCKET_RAW << WARD_APP_SOCKETS_SHIFT;
		if (type == SOCK_DGRAM &&
		    protocol ==
			    (family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6))
			return WARD_SOCKET_ICMP << WARD_APP_SOCKETS_SHIFT;
		return 0;
	}
	switch (family) {
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
	struct subject s;
	void *policy;
	__u32 needs;
	int err;

	if (kern)
		return 0;
	policy = subject_confined_by(&s);
	if (!policy)
		return 0;
	needs = socket_needs(family, type, protocol);
	if (needs && (s.flags & needs) == needs)
		return 0;
	/* The socket family bit, or 0 and the protocol for TCP, UDP, SCTP. */
	d.access = needs >> WARD_APP_SOCKETS_SHIFT;
	if (inet_family(family))
		d.proto = port_protocol(type & SOCK_TYPE_MASK, protocol);
	err = refuse(policy, &s, &d, -EACCES, true);
	report_net(&d, &s);
	return err;
}

/* port_protocol() of the socket @sk, whose protocol the kernel resolved. */
static __always_inline __u16 sock_protocol(struct sock *sk)
{
	return port_protocol(sk->sk_type, sk->sk_protocol);
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

/*
 * Do rules give @app every one of the enum ward_net_op bits @op on @port
 * of @proto, by rules for that port or for every port of the protocol?
 */
static __always_inline bool port_allowed(void *policy, __u32 app, __u16 proto,
					 __u16 port, __u32 op)
{
	struct ward_policy_key key = {
		.kind = WARD_KEY_NET,
		.net = { .app = app, .proto = proto, .port = port }
	};
	union ward_policy_value *value;
	__u32 granted = 0;

	value = bpf_map_lookup_elem(policy, &key);
	if (value)
		granted = value->net;
	if ((granted & op) == op)
		return true;
	key.net.port = 0;
	value = bpf_map_lookup_elem(policy, &key);
	if (value)
		granted |= value->net;
	return (granted & op) == op;
}

/* Refuses @op on @port of @proto by a socket of @family, and reports it. */
static __always_inline int refuse_port(void *policy, struct subject *s,
				       __u32 op, __u16 family, __u16 proto,
				       __u16 port)
{
	struct decision d = { .op = op == WARD_NET_BIND ? WARD_OP_BIND :
							  WARD_OP_CONNECT,
			      .access = op,
			      .family = family,
			      .proto = proto,
			      .port = port };
	int err = refuse(policy, s, &d, -EACCES, true);

	report_net(&d, s);
	return err;
}

/*
 * @op on @port by the socket @sk of @family, asked by @s, confined by
 * @policy: allowed for a TCP, UDP or SCTP socket by a rule for that port
 * or for all ports of its protocol.  Other sockets are not checked by
 * port (creating them needed "net create").
 */
static __always_inline int check_port(void *policy, struct subject *s, __u32 op,
				      struct sock *sk, __u16 family, __u16 port)
{
	__u16 proto = sock_protocol(sk);

	if (!proto || port_allowed(policy, s->app, proto, port, op))
		return 0;
	return refuse_port(policy, s, op, family, proto, port);
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
	struct subject s;
	void *policy = subject_confined_by(&s);
	struct sock *sk = sock->sk;
	__u16 family, port;

	if (!policy || !sk)
		return 0;
	family = sk->__sk_common.skc_family;
	if (!inet_family(family) || !address_used(family, address->sa_family))
		return 0;
	port = port_of(address);
	if (!port)
		return 0; /* an ephemeral port */
	return check_port(policy, &s, WARD_NET_BIND, sk, family, port);
}

/* Connecting to AF_UNSPEC dissolves a connection. */
SEC("lsm/socket_connect")
int BPF_PROG(hook_socket_connect, struct socket *sock, struct sockaddr *address,
	     int addrlen)
{
	struct subject s;
	void *policy = subject_confined_by(&s);
	struct sock *sk = sock->sk;
	__u16 family;

	if (!policy || !sk)
		return 0;
	family = sk->__sk_common.skc_family;
	if (!inet_family(family) || !inet_family(address->sa_family))
		return 0;
	return check_port(policy, &s, WARD_NET_CONNECT, sk, family,
			  port_of(address));
}

/*
 * A UDP send to an address, or a TCP Fast Open send (which connects
 * without socket_connect), reaches that port as a connect would.  The
 * address is already in kernel memory.  Before 6.2 it cannot be read
 * without bpf_probe_read_kernel(), and such sends are not checked.  An
 * SCTP send that sets up an association is checked by
 * hook_sctp_bind_connect (SCTP_SENDMSG_CONNECT).
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(hook_socket_sendmsg, struct socket *sock, struct msghdr *msg,
	     int size)
{
	struct sock *sk = sock->sk;
	struct sockaddr *address;
	__u16 family, proto;
	struct subject s;
	void *policy;

	if (!msg->msg_name || msg->msg_namelen < 4 || !sk)
		return 0;
	policy = subject_confined_by(&s);
	if (!policy)
		return 0;
	family = sk->__sk_common.skc_family;
	if (!inet_family(family))
		return 0;
	proto = sock_protocol(sk);
	if (proto != IPPROTO_UDP &&
	    (proto != IPPROTO_TCP || !(msg->msg_flags & MSG_FASTOPEN)))
		return 0;
	if (!bpf_ksym_exists(KFUNC(bpf_rdonly_cast)))
		return 0;
	address = KFUNC(bpf_rdonly_cast)(
		msg->msg_name, bpf_core_type_id_kernel(struct sockaddr));
	if (!address_used(family, address->sa_family))
		return 0;
	return check_port(policy, &s, WARD_NET_CONNECT, sk, family,
			  port_of(address));
}

/* The length of an SCTP address of @family, 0 if SCTP takes none. */
static __always_inline int sctp_address_len(__u16 family)
{
	return family == AF_INET  ? 16 /* sizeof(struct sockaddr_in) */ :
	       family == AF_INET6 ? 28 /* sizeof(struct sockaddr_in6) */ :
				    0;
}

/* An SCTP address list being checked by a confined app's rules. */
struct sctp_walk {
	struct sockaddr *address; /* the list, @addrlen bytes */
	void *policy;
	__u32 app;
	__u32 op; /* enum ward_net_op bits each address needs */
	int addrlen;
	int off; /* where the next address starts */
	__u16 port; /* the port refused */
	bool refused;
	bool invalid; /* the kernel refuses the list too */
};

/*
 * Checks @a, the address at @w->off, and moves past it.  Returns 1 to
 * stop the walk (an address refused or invalid), else 0.
 */
static __always_inline long sctp_check_address(struct sctp_walk *w,
					       struct sockaddr *a)
{
	int len;
	__u16 port;

	if (w->off + 2 > w->addrlen) {
		w->invalid = true;
		return 1;
	}
	len = sctp_address_len(a->sa_family);
	if (!len || w->off + len > w->addrlen) {
		w->invalid = true;
		return 1;
	}
	port = port_of(a);
	w->off += len;
	if (!port && w->op == WARD_NET_BIND)
		return 0; /* an ephemeral port, or the socket's own */
	if (port_allowed(w->policy, w->app, IPPROTO_SCTP, port, w->op))
		return 0;
	w->refused = true;
	w->port = port;
	return 1;
}

/*
 * bpf_loop() callback: checks the next address of the list @ctx, which
 * only bpf_rdonly_cast() can read (not the hook's pointer: an offset into
 * it is out of its type's bounds).  Verified once, not once per address.
 */
static long sctp_check_next(__u64 i, void *ctx)
{
	struct sctp_walk *w = ctx;
	int off = w->off;

	/* The last bound shows the verifier where the address can be. */
	if (off < 0 || off >= w->addrlen ||
	    off >= WARD_SCTP_ADDRS_MAX * sctp_address_len(AF_INET6))
		return 1;
	return sctp_check_address(
		w, KFUNC(bpf_rdonly_cast)(
			   (void *)w->address + off,
			   bpf_core_type_id_kernel(struct sockaddr)));
}

/*
 * SCTP binds and connects past socket_bind and socket_connect: the local
 * addresses of sctp_bindx(), the peers of sctp_connectx() and of a send
 * that sets up an association, and the primary addresses chosen with
 * setsockopt().  @address holds @addrlen bytes of IPv4 and IPv6 addresses,
 * each checked by port as a bind (a local address) or a connect (a
 * peer's).  The first is read through the hook's pointer; the next ones,
 * up to WARD_SCTP_ADDRS_MAX in all, from 6.2 through bpf_rdonly_cast().
 * Those left unread need the rule for every port.  The peer's ASCONF
 * changes (SCTP_PARAM_ADD_IP, SCTP_PARAM_SET_PRIMARY) are not the task's
 * doing: they come in with a packet, whatever task is running, and keep
 * the association's port.  Unknown requests need both bind and connect.
 *
 * Returns 0, -EACCES (refused), or -EINVAL for a list the kernel would
 * refuse too (an address of another family, or cut short).
 */
SEC("lsm/sctp_bind_connect")
int BPF_PROG(hook_sctp_bind_connect, struct sock *sk, int optname,
	     struct sockaddr *address, int addrlen)
{
	struct sctp_walk w = { .address = address, .addrlen = addrlen };
	struct subject s;

	switch (optname) {
	case SCTP_SOCKOPT_BINDX_ADD:
	case SCTP_SET_PEER_PRIMARY_ADDR:
		w.op = WARD_NET_BIND;
		break;
	case SCTP_SOCKOPT_CONNECTX:
	case SCTP_SENDMSG_CONNECT:
	case SCTP_PRIMARY_ADDR:
		w.op = WARD_NET_CONNECT;
		break;
	case SCTP_PARAM_ADD_IP:
	case SCTP_PARAM_SET_PRIMARY:
		return 0;
	default:
		w.op = WARD_NET_BIND | WARD_NET_CONNECT;
	}
	if (addrlen <= 0)
		return 0;
	w.policy = subject_confined_by(&s);
	if (!w.policy)
		return 0;
	w.app = s.app;
	if (!sctp_check_address(&w, untrusted(address)) && w.off < addrlen &&
	    bpf_ksym_exists(KFUNC(bpf_rdonly_cast)))
		bpf_loop(WARD_SCTP_ADDRS_MAX - 1, sctp_check_next, &w, 0);
	if (w.invalid)
		return -EINVAL;
	if (!w.refused && w.off < addrlen) {
		w.port = 0;
		w.refused =
			!port_allowed(w.policy, w.app, IPPROTO_SCTP, 0, w.op);
	}
	if (!w.refused)
		return 0;
	return refuse_port(w.policy, &s, w.op, sk->__sk_common.skc_family,
			   IPPROTO_SCTP, w.port);
}
