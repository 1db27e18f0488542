// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - what sockets a confined app may create, and which
 * ports it may bind and connect to
 *
 *   DIR/netapp    a copy of this program, the confined app "netapp"
 *   DIR/free      a copy of this program, the unconfined app "free"
 *
 * Servers to connect to listen on 127.0.0.1 in the test itself, which
 * belongs to no app.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"
#include "ward_abi.h"

#define PING_RANGE "/proc/sys/net/ipv4/ping_group_range"

FIXTURE(net)
{
	char dir[64];
	char netapp[PATH_MAX];
	char free_app[PATH_MAX];
	char *rules;
	int listeners[4];
	int n_listeners;
	char ping_range[64];
};

/* The loopback interface up, for 127.0.0.1 (a bare VM starts it down). */
static int loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		err = -errno;
	} else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			err = -errno;
	}
	close(fd);
	return err;
}

FIXTURE_SETUP(net)
{
	ASSERT_EQ(0, loopback_up());
	strcpy(self->dir, SCRATCH "/net-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->netapp, sizeof(self->netapp), "%s/netapp", self->dir);
	snprintf(self->free_app, sizeof(self->free_app), "%s/free", self->dir);
	ASSERT_EQ(0, copy_file("/proc/self/exe", self->netapp));
	ASSERT_EQ(0, copy_file("/proc/self/exe", self->free_app));
	self->rules = confined_program_rules("netapp", self->netapp);
	ASSERT_NE(NULL, self->rules);
}

FIXTURE_TEARDOWN(net)
{
	ward_load_text("/tmp", "policy none 0.0.1\n");
	if (self->ping_range[0])
		write_file(PING_RANGE, self->ping_range);
	for (int i = 0; i < self->n_listeners; i++)
		close(self->listeners[i]);
	remove_tree(self->dir);
	free(self->rules);
}

/* Loads a policy confining netapp, with @more rules. */
static int load(FIXTURE_DATA(net) * self, const char *more)
{
	char *text;
	int status;

	if (asprintf(&text,
		     "policy net 1.0.0\n"
		     "app netapp %s\n"
		     "app free %s\n"
		     "confine netapp\n"
		     "%s%s",
		     self->netapp, self->free_app, self->rules, more) < 0)
		return -1;
	status = ward_load_text(self->dir, text);
	free(text);
	return status;
}

/* A TCP (@protocol 0) or SCTP server on 127.0.0.1:@port, in the test. */
static int listen_proto(FIXTURE_DATA(net) * self, int protocol, int port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, protocol), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 8)) {
		close(fd);
		return -errno;
	}
	self->listeners[self->n_listeners++] = fd;
	return 0;
}

/* A TCP server on 127.0.0.1:@port, in the test (no app). */
static int listen_on(FIXTURE_DATA(net) * self, int port)
{
	return listen_proto(self, 0, port);
}

/* SCTP in this kernel: Debian builds it as a module, which vmtest loads. */
static bool have_sctp(void)
{
	return run_op(NULL, NULL, "socket", "sctp", NULL) == 0;
}

/*
 * Lets every group create ICMP ping sockets (net.ipv4.ping_group_range,
 * IPv6 too; by default no group may, root neither); teardown restores it.
 */
static int ping_for_everyone(FIXTURE_DATA(net) * self)
{
	char *old = read_file(PING_RANGE);

	if (!old)
		return -errno;
	snprintf(self->ping_range, sizeof(self->ping_range), "%s", old);
	free(old);
	return write_file(PING_RANGE, "0 2147483647\n");
}

/* netapp's @op (bind, connect) on @proto:@port; *@pid: the helper. */
static int app_net(FIXTURE_DATA(net) * self, const char *op, const char *proto,
		   const char *port, pid_t *pid)
{
	return run_op(pid, self->netapp, op, proto, port, NULL);
}

static int app_socket(FIXTURE_DATA(net) * self, const char *kind, pid_t *pid)
{
	return run_op(pid, self->netapp, "socket", kind, NULL);
}

/* Checks the denial event of a port check by @pid. */
static void expect_port_denial(struct __test_metadata *_metadata,
			       json_object *events, pid_t pid, const char *op,
			       const char *proto, int port)
{
	json_object *ev = event_find(events, "pid", pid_str(pid), NULL);

	ASSERT_NE(NULL, ev)
	{
		TH_LOG("no event of %d in %s", pid,
		       json_object_to_json_string(events));
	}
	EXPECT_STREQ("denial", event_str(ev, "type"));
	EXPECT_STREQ("denied", event_str(ev, "result"));
	EXPECT_EQ(-EACCES, event_num(ev, "error"));
	EXPECT_STREQ(op, event_str(ev, "op"));
	EXPECT_STREQ(op, event_str(ev, "access"));
	EXPECT_STREQ(proto, event_str(ev, "proto"));
	EXPECT_EQ(port, event_num(ev, "port"));
	EXPECT_STREQ("inet", event_str(ev, "family"));
	EXPECT_EQ(ward_app_id("netapp"), event_num(ev, "app"));
}

/* Checks the denial event of a socket creation by @pid. */
static void expect_socket_denial(struct __test_metadata *_metadata,
				 json_object *events, pid_t pid,
				 const char *socket, const char *family)
{
	json_object *ev = event_find(events, "pid", pid_str(pid), NULL);

	ASSERT_NE(NULL, ev)
	{
		TH_LOG("no event of %d in %s", pid,
		       json_object_to_json_string(events));
	}
	EXPECT_STREQ("denial", event_str(ev, "type"));
	EXPECT_STREQ("socket", event_str(ev, "op"));
	EXPECT_STREQ("create", event_str(ev, "access"));
	EXPECT_STREQ(socket, event_str(ev, "socket"));
	EXPECT_STREQ(family, event_str(ev, "family"));
	EXPECT_EQ(-EACCES, event_num(ev, "error"));
	EXPECT_EQ(ward_app_id("netapp"), event_num(ev, "app"));
}

TEST_F(net, tcp_bind_to_allowed_port_only)
{
	json_object *events;
	pid_t denied;

	ASSERT_EQ(0, load(self, "allow netapp net bind tcp:41001\n"));
	ASSERT_EQ(0, listen_on(self, 41011));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "bind", "tcp", "41001", NULL));
	EXPECT_EQ(EACCES, app_net(self, "bind", "tcp", "41002", &denied));
	/* A bind rule does not allow connecting. */
	EXPECT_EQ(EACCES, app_net(self, "connect", "tcp", "41011", NULL));
	events = ward_events();
	expect_port_denial(_metadata, events, denied, "bind", "tcp", 41002);
	json_object_put(events);
}

TEST_F(net, tcp_connect_by_remote_port)
{
	json_object *events;
	pid_t denied;

	ASSERT_EQ(0, load(self, "allow netapp net connect tcp:41011\n"));
	ASSERT_EQ(0, listen_on(self, 41011));
	ASSERT_EQ(0, listen_on(self, 41012));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "connect", "tcp", "41011", NULL));
	EXPECT_EQ(EACCES, app_net(self, "connect", "tcp", "41012", &denied));
	/* A connect rule does not allow binding that port. */
	EXPECT_EQ(EACCES, app_net(self, "bind", "tcp", "41011", NULL));
	events = ward_events();
	expect_port_denial(_metadata, events, denied, "connect", "tcp", 41012);
	json_object_put(events);
}

TEST_F(net, udp_bind_and_connect_by_port)
{
	json_object *events;
	pid_t bind_denied, connect_denied;

	ASSERT_EQ(0, load(self, "allow netapp net bind,connect udp:41021\n"));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "bind", "udp", "41021", NULL));
	EXPECT_EQ(EACCES, app_net(self, "bind", "udp", "41022", &bind_denied));
	EXPECT_EQ(0, app_net(self, "connect", "udp", "41021", NULL));
	EXPECT_EQ(EACCES,
		  app_net(self, "connect", "udp", "41022", &connect_denied));
	/* Only UDP: the rule does not make TCP sockets possible. */
	EXPECT_EQ(EACCES, app_net(self, "bind", "tcp", "41021", NULL));
	events = ward_events();
	expect_port_denial(_metadata, events, bind_denied, "bind", "udp",
			   41022);
	expect_port_denial(_metadata, events, connect_denied, "connect", "udp",
			   41022);
	json_object_put(events);
}

TEST_F(net, udp_sendto_is_checked_as_connect)
{
	json_object *events;
	pid_t denied, denied6;

	if (!kernel_has_symbol("bpf_rdonly_cast"))
		SKIP(return,
			   "no bpf_rdonly_cast (Linux < 6.2): a send's address cannot be read");
	ASSERT_EQ(0, load(self, "allow netapp net connect udp:41071\n"));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "sendto", "udp", "41071", NULL));
	EXPECT_EQ(0, app_net(self, "sendto", "udp6", "41071", NULL));
	EXPECT_EQ(EACCES, app_net(self, "sendto", "udp", "41072", &denied));
	EXPECT_EQ(EACCES, app_net(self, "sendto", "udp6", "41072", &denied6));
	events = ward_events();
	expect_port_denial(_metadata, events, denied, "connect", "udp", 41072);
	EXPECT_EQ(2, (int)json_object_array_length(events));
	json_object_put(events);
	/* Unconfined, nothing is checked. */
	EXPECT_EQ(0,
		  run_op(NULL, self->free_app, "sendto", "udp", "41072", NULL));
}

TEST_F(net, tcp_fast_open_is_checked_as_connect)
{
	json_object *events;
	pid_t denied;

	if (!kernel_has_symbol("bpf_rdonly_cast"))
		SKIP(return,
			   "no bpf_rdonly_cast (Linux < 6.2): a send's address cannot be read");
	ASSERT_EQ(0, load(self, "allow netapp net connect tcp:41011\n"));
	ASSERT_EQ(0, listen_on(self, 41011));
	ASSERT_EQ(0, listen_on(self, 41012));
	json_object_put(ward_events());
	/* sendto(MSG_FASTOPEN) connects without connect(). */
	EXPECT_EQ(0, app_net(self, "sendto", "tcp", "41011", NULL));
	EXPECT_EQ(EACCES, app_net(self, "sendto", "tcp", "41012", &denied));
	events = ward_events();
	expect_port_denial(_metadata, events, denied, "connect", "tcp", 41012);
	EXPECT_EQ(1, (int)json_object_array_length(events));
	json_object_put(events);
}

TEST_F(net, ipv4_bind_spelled_af_unspec_is_checked)
{
	json_object *events;
	pid_t tcp, udp;

	ASSERT_EQ(0, load(self, "allow netapp net bind tcp:41081 udp:41081\n"));
	json_object_put(ward_events());
	/* Linux binds INADDR_ANY given as AF_UNSPEC like AF_INET. */
	EXPECT_EQ(0, app_net(self, "bind-unspec", "tcp", "41081", NULL));
	EXPECT_EQ(0, app_net(self, "bind-unspec", "udp", "41081", NULL));
	EXPECT_EQ(EACCES, app_net(self, "bind-unspec", "tcp", "41082", &tcp));
	EXPECT_EQ(EACCES, app_net(self, "bind-unspec", "udp", "41082", &udp));
	events = ward_events();
	expect_port_denial(_metadata, events, tcp, "bind", "tcp", 41082);
	expect_port_denial(_metadata, events, udp, "bind", "udp", 41082);
	json_object_put(events);
	/* Unconfined, the kernel does bind it. */
	EXPECT_EQ(0, run_op(NULL, self->free_app, "bind-unspec", "tcp", "41082",
			    NULL));
}

TEST_F(net, ipv6_ports_are_checked_alike)
{
	json_object *events, *ev;
	pid_t bind_denied, connect_denied;

	ASSERT_EQ(0, load(self, "allow netapp net bind tcp:41061\n"
				"allow netapp net connect udp:41062\n"));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "bind", "tcp6", "41061", NULL));
	EXPECT_EQ(EACCES, app_net(self, "bind", "tcp6", "41063", &bind_denied));
	EXPECT_EQ(0, app_net(self, "connect", "udp6", "41062", NULL));
	EXPECT_EQ(EACCES,
		  app_net(self, "connect", "udp6", "41063", &connect_denied));
	events = ward_events();
	ev = event_find(events, "pid", pid_str(bind_denied), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("bind", event_str(ev, "op"));
	EXPECT_STREQ("tcp", event_str(ev, "proto"));
	EXPECT_EQ(41063, event_num(ev, "port"));
	EXPECT_STREQ("inet6", event_str(ev, "family"));
	ev = event_find(events, "pid", pid_str(connect_denied), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("connect", event_str(ev, "op"));
	EXPECT_STREQ("udp", event_str(ev, "proto"));
	EXPECT_STREQ("inet6", event_str(ev, "family"));
	json_object_put(events);
}

TEST_F(net, sockets_of_other_families_are_denied)
{
	json_object *events, *ev;
	pid_t pid;

	/* AF_ALG: no rule can name it, so a confined app never has it. */
	ASSERT_EQ(0,
		  load(self, "allow netapp net create unix netlink packet raw\n"
			     "allow netapp net bind,connect tcp:* udp:*\n"));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, app_socket(self, "alg", &pid));
	events = ward_events();
	ev = event_find(events, "pid", pid_str(pid), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("socket", event_str(ev, "op"));
	EXPECT_STREQ("other", event_str(ev, "socket"));
	json_object_put(events);
	/* Unconfined, the kernel decides (without the module: EAFNOSUPPORT). */
	EXPECT_NE(EACCES, run_op(NULL, NULL, "socket", "alg", NULL));
}

TEST_F(net, tcp_socket_needs_a_tcp_rule)
{
	json_object *events;
	pid_t tcp, tcp6;

	ASSERT_EQ(0, load(self, "allow netapp net connect udp:53\n"));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, app_socket(self, "tcp", &tcp));
	EXPECT_EQ(EACCES, app_socket(self, "tcp6", &tcp6));
	EXPECT_EQ(0, app_socket(self, "udp", NULL));
	EXPECT_EQ(0, app_socket(self, "udp6", NULL));
	events = ward_events();
	expect_socket_denial(_metadata, events, tcp, "tcp", "inet");
	expect_socket_denial(_metadata, events, tcp6, "tcp", "inet6");
	EXPECT_EQ(2, (int)json_object_array_length(events));
	json_object_put(events);

	/* And a UDP socket a UDP rule. */
	ASSERT_EQ(0, load(self, "allow netapp net bind tcp:41001\n"));
	EXPECT_EQ(0, app_socket(self, "tcp", NULL));
	EXPECT_EQ(EACCES, app_socket(self, "udp", NULL));
}

TEST_F(net, unix_socket_needs_net_create_unix)
{
	json_object *events;
	pid_t pid;

	ASSERT_EQ(0, load(self, ""));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, app_socket(self, "unix", &pid));
	events = ward_events();
	expect_socket_denial(_metadata, events, pid, "unix", "unix");
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow netapp net create unix\n"));
	EXPECT_EQ(0, app_socket(self, "unix", NULL));
	/* It grants that family only. */
	EXPECT_EQ(EACCES, app_socket(self, "netlink", NULL));
	EXPECT_EQ(EACCES, app_socket(self, "tcp", NULL));
}

TEST_F(net, netlink_packet_and_raw_sockets_need_create_rules)
{
	json_object *events;
	pid_t netlink, packet, raw;

	ASSERT_EQ(0, load(self, "allow netapp cap net_raw\n"));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, app_socket(self, "netlink", &netlink));
	EXPECT_EQ(EACCES, app_socket(self, "packet", &packet));
	EXPECT_EQ(EACCES, app_socket(self, "raw", &raw));
	events = ward_events();
	expect_socket_denial(_metadata, events, netlink, "netlink", "netlink");
	expect_socket_denial(_metadata, events, packet, "packet", "packet");
	expect_socket_denial(_metadata, events, raw, "raw", "inet");
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow netapp net create netlink packet raw\n"
				"allow netapp cap net_raw\n"));
	EXPECT_EQ(0, app_socket(self, "netlink", NULL));
	EXPECT_EQ(0, app_socket(self, "packet", NULL));
	EXPECT_EQ(0, app_socket(self, "raw", NULL));
	/* Without it, raw and packet sockets lack CAP_NET_RAW: EPERM. */
	ASSERT_EQ(0,
		  load(self, "allow netapp net create netlink packet raw\n"));
	EXPECT_EQ(0, app_socket(self, "netlink", NULL));
	EXPECT_EQ(EPERM, app_socket(self, "packet", NULL));
	EXPECT_EQ(EPERM, app_socket(self, "raw", NULL));
}

TEST_F(net, port_range_allows_only_inside)
{
	json_object *events;
	pid_t below, above;

	ASSERT_EQ(0, load(self, "allow netapp net bind tcp:41030-41039\n"));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "bind", "tcp", "41030", NULL));
	EXPECT_EQ(0, app_net(self, "bind", "tcp", "41035", NULL));
	EXPECT_EQ(0, app_net(self, "bind", "tcp", "41039", NULL));
	EXPECT_EQ(EACCES, app_net(self, "bind", "tcp", "41029", &below));
	EXPECT_EQ(EACCES, app_net(self, "bind", "tcp", "41040", &above));
	events = ward_events();
	expect_port_denial(_metadata, events, below, "bind", "tcp", 41029);
	expect_port_denial(_metadata, events, above, "bind", "tcp", 41040);
	EXPECT_EQ(2, (int)json_object_array_length(events));
	json_object_put(events);
}

TEST_F(net, tcp_star_allows_every_port)
{
	json_object *events;

	ASSERT_EQ(0, load(self, "allow netapp net bind,connect tcp:*\n"));
	ASSERT_EQ(0, listen_on(self, 41011));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "bind", "tcp", "41050", NULL));
	EXPECT_EQ(0, app_net(self, "bind", "tcp", "1024", NULL));
	EXPECT_EQ(0, app_net(self, "bind", "tcp", "65535", NULL));
	EXPECT_EQ(0, app_net(self, "connect", "tcp", "41011", NULL));
	events = ward_events();
	EXPECT_EQ(0, (int)json_object_array_length(events));
	json_object_put(events);
	/* TCP only. */
	EXPECT_EQ(EACCES, app_socket(self, "udp", NULL));
}

TEST_F(net, binding_port_zero_is_allowed)
{
	json_object *events;

	ASSERT_EQ(0,
		  load(self, "allow netapp net connect tcp:41011 udp:41021\n"));
	json_object_put(ward_events());
	/* The kernel picks an ephemeral port. */
	EXPECT_EQ(0, app_net(self, "bind", "tcp", "0", NULL));
	EXPECT_EQ(0, app_net(self, "bind", "udp", "0", NULL));
	events = ward_events();
	EXPECT_EQ(0, (int)json_object_array_length(events));
	json_object_put(events);
}

TEST_F(net, unconfined_task_is_not_restricted)
{
	static const char *const kinds[] = { "tcp",    "udp",  "tcp6",
					     "udp6",   "unix", "netlink",
					     "packet", "raw" };
	json_object *events;

	ASSERT_EQ(0, load(self, "allow netapp net bind tcp:41001\n"));
	ASSERT_EQ(0, listen_on(self, 41012));
	json_object_put(ward_events());
	/* The test itself, and an app that is not confined. */
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		EXPECT_EQ(0, run_op(NULL, NULL, "socket", kinds[i], NULL));
		EXPECT_EQ(0, run_op(NULL, self->free_app, "socket", kinds[i],
				    NULL));
	}
	EXPECT_EQ(0, run_op(NULL, NULL, "bind", "tcp", "41002", NULL));
	EXPECT_EQ(0,
		  run_op(NULL, self->free_app, "bind", "udp", "41022", NULL));
	EXPECT_EQ(0, run_op(NULL, NULL, "connect", "tcp", "41012", NULL));
	EXPECT_EQ(0, run_op(NULL, self->free_app, "connect", "tcp", "41012",
			    NULL));
	events = ward_events();
	EXPECT_EQ(0, (int)json_object_array_length(events));
	json_object_put(events);
}

/*
 * A process of netapp that ran before ward started has no domain kept
 * for it: the first hook that asks who is asking finds it by its
 * executable.  Were that missed, the app would be unconfined until its
 * next exec.
 */
TEST_F(net, app_running_before_ward_started_is_confined)
{
	int allowed_release, denied_release, status;
	json_object *events;
	pid_t allowed, denied;

	ASSERT_EQ(0, listen_on(self, 41131));
	ASSERT_EQ(0, listen_on(self, 41132));
	ward_stop_quietly();
	ASSERT_FALSE(ward_is_running());
	allowed = start_waiting(self->netapp, &allowed_release, "connect",
				"tcp", "41131", NULL);
	ASSERT_LT(0, allowed);
	denied = start_waiting(self->netapp, &denied_release, "connect", "tcp",
			       "41132", NULL);
	ASSERT_LT(0, denied);
	ASSERT_EQ(0, load(self, "allow netapp net connect tcp:41131\n"));
	json_object_put(ward_events());
	close(allowed_release);
	close(denied_release);
	ASSERT_EQ(allowed, waitpid(allowed, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(denied, waitpid(denied, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EACCES, WEXITSTATUS(status));
	events = ward_events();
	expect_port_denial(_metadata, events, denied, "connect", "tcp", 41132);
	json_object_put(events);
}

TEST_F(net, complain_mode_allows_and_reports)
{
	json_object *events, *ev;
	pid_t bind_pid, socket_pid;

	ASSERT_EQ(0, load(self, "allow netapp net bind tcp:41001\n"
				"mode complain netapp\n"));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "bind", "tcp", "41002", &bind_pid));
	EXPECT_EQ(0, app_socket(self, "unix", &socket_pid));
	events = ward_events();
	ev = event_find(events, "pid", pid_str(bind_pid), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("complain", event_str(ev, "type"));
	EXPECT_STREQ("allowed", event_str(ev, "result"));
	EXPECT_EQ(0, event_num(ev, "error"));
	EXPECT_STREQ("bind", event_str(ev, "op"));
	EXPECT_STREQ("tcp", event_str(ev, "proto"));
	EXPECT_EQ(41002, event_num(ev, "port"));
	ev = event_find(events, "pid", pid_str(socket_pid), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("complain", event_str(ev, "type"));
	EXPECT_STREQ("socket", event_str(ev, "op"));
	EXPECT_STREQ("unix", event_str(ev, "socket"));
	json_object_put(events);
}

TEST_F(net, inet_sockets_are_told_apart_by_protocol)
{
	json_object *events;
	pid_t mptcp, udplite, stream, dgram;

	ASSERT_EQ(0, load(self, "allow netapp net bind tcp:41001 udp:41021\n"));
	json_object_put(ward_events());
	/* MPTCP is TCP and UDP-Lite is UDP, checked by port alike. */
	EXPECT_EQ(0, app_net(self, "bind", "mptcp", "41001", NULL));
	EXPECT_EQ(EACCES, app_net(self, "bind", "mptcp", "41002", &mptcp));
	EXPECT_EQ(0, app_net(self, "bind", "udplite", "41021", NULL));
	EXPECT_EQ(EACCES, app_net(self, "bind", "udplite", "41022", &udplite));
	/* A stream or datagram socket of another protocol is neither. */
	EXPECT_EQ(EACCES, app_socket(self, "stream-other", &stream));
	EXPECT_EQ(EACCES, app_socket(self, "dgram-other", &dgram));
	events = ward_events();
	expect_port_denial(_metadata, events, mptcp, "bind", "tcp", 41002);
	expect_port_denial(_metadata, events, udplite, "bind", "udp", 41022);
	expect_socket_denial(_metadata, events, stream, "other", "inet");
	expect_socket_denial(_metadata, events, dgram, "other", "inet");
	EXPECT_EQ(4, (int)json_object_array_length(events));
	json_object_put(events);
	/* Unconfined, the kernel has no such protocol. */
	EXPECT_EQ(EPROTONOSUPPORT,
		  run_op(NULL, NULL, "socket", "stream-other", NULL));
}

TEST_F(net, icmp_ping_socket_needs_net_create_icmp)
{
	json_object *events;
	pid_t ping, ping6;

	ASSERT_EQ(0, ping_for_everyone(self));
	ASSERT_EQ(0, run_op(NULL, NULL, "socket", "ping", NULL));
	ASSERT_EQ(0, run_op(NULL, NULL, "socket", "ping6", NULL));
	/* A datagram socket, but not UDP. */
	ASSERT_EQ(0, load(self, "allow netapp net bind,connect udp:*\n"));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, app_socket(self, "ping", &ping));
	EXPECT_EQ(EACCES, app_socket(self, "ping6", &ping6));
	EXPECT_EQ(0, app_socket(self, "udp", NULL));
	events = ward_events();
	expect_socket_denial(_metadata, events, ping, "icmp", "inet");
	expect_socket_denial(_metadata, events, ping6, "icmp", "inet6");
	EXPECT_EQ(2, (int)json_object_array_length(events));
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow netapp net create icmp\n"));
	EXPECT_EQ(0, app_socket(self, "ping", NULL));
	EXPECT_EQ(0, app_socket(self, "ping6", NULL));
	/* It grants ping sockets only: not raw ones, not UDP. */
	EXPECT_EQ(EACCES, app_socket(self, "raw", NULL));
	EXPECT_EQ(EACCES, app_socket(self, "udp", NULL));
}

TEST_F(net, sctp_socket_needs_an_sctp_rule)
{
	json_object *events;
	pid_t sctp, sctp6, seq;

	if (!have_sctp())
		SKIP(return, "no SCTP in this kernel (module sctp not loaded)");
	/* SOCK_STREAM is not TCP when the protocol is SCTP. */
	ASSERT_EQ(0, load(self, "allow netapp net bind,connect tcp:41001\n"));
	json_object_put(ward_events());
	EXPECT_EQ(EACCES, app_socket(self, "sctp", &sctp));
	EXPECT_EQ(EACCES, app_socket(self, "sctp6", &sctp6));
	EXPECT_EQ(EACCES, app_socket(self, "sctp-seq", &seq));
	/* So sctp_bindx() and sctp_connectx() reach no port a rule lacks. */
	EXPECT_EQ(EACCES, app_net(self, "bindx", "sctp", "41002", NULL));
	EXPECT_EQ(EACCES, app_net(self, "connectx", "sctp", "41112", NULL));
	events = ward_events();
	expect_socket_denial(_metadata, events, sctp, "sctp", "inet");
	expect_socket_denial(_metadata, events, sctp6, "sctp", "inet6");
	expect_socket_denial(_metadata, events, seq, "sctp", "inet");
	EXPECT_EQ(5, (int)json_object_array_length(events));
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow netapp net bind sctp:41101\n"));
	EXPECT_EQ(0, app_socket(self, "sctp", NULL));
	EXPECT_EQ(0, app_socket(self, "sctp6", NULL));
	EXPECT_EQ(0, app_socket(self, "sctp-seq", NULL));
	/* And an SCTP rule is not a TCP one. */
	EXPECT_EQ(EACCES, app_socket(self, "tcp", NULL));
}

TEST_F(net, sctp_bind_and_bindx_by_port)
{
	json_object *events, *ev;
	pid_t bind_pid, bindx_pid, bindx6_pid, seq_pid;

	if (!have_sctp())
		SKIP(return, "no SCTP in this kernel (module sctp not loaded)");
	ASSERT_EQ(0, load(self, "allow netapp net bind sctp:41101\n"));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "bind", "sctp", "41101", NULL));
	EXPECT_EQ(0, app_net(self, "bind", "sctp6", "41101", NULL));
	EXPECT_EQ(0, app_net(self, "bindx", "sctp", "41101", NULL));
	EXPECT_EQ(0, app_net(self, "bindx", "sctp6", "41101", NULL));
	EXPECT_EQ(0, app_net(self, "bindx", "sctp-seq", "41101", NULL));
	EXPECT_EQ(EACCES, app_net(self, "bind", "sctp", "41102", &bind_pid));
	EXPECT_EQ(EACCES, app_net(self, "bindx", "sctp", "41102", &bindx_pid));
	EXPECT_EQ(EACCES,
		  app_net(self, "bindx", "sctp6", "41102", &bindx6_pid));
	EXPECT_EQ(EACCES,
		  app_net(self, "bindx", "sctp-seq", "41102", &seq_pid));
	/* A bind rule does not allow connecting. */
	EXPECT_EQ(EACCES, app_net(self, "connectx", "sctp", "41101", NULL));
	events = ward_events();
	expect_port_denial(_metadata, events, bind_pid, "bind", "sctp", 41102);
	expect_port_denial(_metadata, events, bindx_pid, "bind", "sctp", 41102);
	expect_port_denial(_metadata, events, seq_pid, "bind", "sctp", 41102);
	ev = event_find(events, "pid", pid_str(bindx6_pid), NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_STREQ("bind", event_str(ev, "op"));
	EXPECT_STREQ("sctp", event_str(ev, "proto"));
	EXPECT_EQ(41102, event_num(ev, "port"));
	EXPECT_STREQ("inet6", event_str(ev, "family"));
	EXPECT_EQ(5, (int)json_object_array_length(events));
	json_object_put(events);
}

TEST_F(net, sctp_bindx_checks_every_address)
{
	json_object *events;
	pid_t second, list;

	if (!have_sctp())
		SKIP(return, "no SCTP in this kernel (module sctp not loaded)");
	ASSERT_EQ(0, load(self, "allow netapp net bind sctp:41101\n"));
	json_object_put(ward_events());
	/* 127.0.0.1:41101 then 127.0.0.2:41102. */
	EXPECT_EQ(EACCES,
		  app_net(self, "bindx", "sctp", "41101,41102", &second));
	if (kernel_has_symbol("bpf_rdonly_cast")) {
		EXPECT_EQ(0, app_net(self, "bindx", "sctp", "41101,41101,41101",
				     NULL));
		events = ward_events();
		expect_port_denial(_metadata, events, second, "bind", "sctp",
				   41102);
		EXPECT_EQ(1, (int)json_object_array_length(events));
	} else {
		/*
		 * Before 6.2 only the first address can be read: a list
		 * needs the rule for every port, reported as port 0.
		 */
		EXPECT_EQ(EACCES, app_net(self, "bindx", "sctp",
					  "41101,41101,41101", &list));
		events = ward_events();
		expect_port_denial(_metadata, events, second, "bind", "sctp",
				   0);
		expect_port_denial(_metadata, events, list, "bind", "sctp", 0);
		EXPECT_EQ(2, (int)json_object_array_length(events));
	}
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow netapp net bind sctp:*\n"));
	EXPECT_EQ(0, app_net(self, "bindx", "sctp", "41101,41101,41101", NULL));
	/* The kernel takes one port per socket. */
	EXPECT_EQ(EINVAL, app_net(self, "bindx", "sctp", "41101,41102", NULL));
}

/* @n times @port, comma-separated. */
static char *ports_list(char *buf, size_t size, const char *port, int n)
{
	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
			 i ? "," : "", port);
	return buf;
}

TEST_F(net, sctp_addresses_past_those_read_need_every_port)
{
	char all[256], more[256];
	json_object *events;
	pid_t pid;

	if (!have_sctp())
		SKIP(return, "no SCTP in this kernel (module sctp not loaded)");
	if (!kernel_has_symbol("bpf_rdonly_cast"))
		SKIP(return,
			   "no bpf_rdonly_cast (Linux < 6.2): only the first address is read");
	ports_list(all, sizeof(all), "41101", WARD_SCTP_ADDRS_MAX);
	ports_list(more, sizeof(more), "41101", WARD_SCTP_ADDRS_MAX + 1);
	ASSERT_EQ(0, load(self, "allow netapp net bind sctp:41101\n"));
	json_object_put(ward_events());
	/* 127.0.0.1 to 127.0.0.16: each address read, and allowed. */
	EXPECT_EQ(0, app_net(self, "bindx", "sctp", all, NULL));
	/* A 17th is not read: only the rule for every port covers it. */
	EXPECT_EQ(EACCES, app_net(self, "bindx", "sctp", more, &pid));
	events = ward_events();
	expect_port_denial(_metadata, events, pid, "bind", "sctp", 0);
	EXPECT_EQ(1, (int)json_object_array_length(events));
	json_object_put(events);

	ASSERT_EQ(0, load(self, "allow netapp net bind sctp:*\n"));
	EXPECT_EQ(0, app_net(self, "bindx", "sctp", more, NULL));
}

TEST_F(net, sctp_connect_and_connectx_by_port)
{
	json_object *events;
	pid_t connect_pid, connectx_pid, sendto_pid;

	if (!have_sctp())
		SKIP(return, "no SCTP in this kernel (module sctp not loaded)");
	ASSERT_EQ(0, load(self, "allow netapp net connect sctp:41111\n"));
	ASSERT_EQ(0, listen_proto(self, IPPROTO_SCTP, 41111));
	ASSERT_EQ(0, listen_proto(self, IPPROTO_SCTP, 41112));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "connect", "sctp", "41111", NULL));
	EXPECT_EQ(0, app_net(self, "connectx", "sctp", "41111", NULL));
	EXPECT_EQ(EACCES,
		  app_net(self, "connect", "sctp", "41112", &connect_pid));
	EXPECT_EQ(EACCES,
		  app_net(self, "connectx", "sctp", "41112", &connectx_pid));
	/* A one-to-many socket's send to a new peer sets up an association. */
	EXPECT_EQ(0, app_net(self, "sendto", "sctp-seq", "41111", NULL));
	EXPECT_EQ(EACCES,
		  app_net(self, "sendto", "sctp-seq", "41112", &sendto_pid));
	/* A connect rule does not allow binding. */
	EXPECT_EQ(EACCES, app_net(self, "bindx", "sctp", "41111", NULL));
	events = ward_events();
	expect_port_denial(_metadata, events, connect_pid, "connect", "sctp",
			   41112);
	expect_port_denial(_metadata, events, connectx_pid, "connect", "sctp",
			   41112);
	expect_port_denial(_metadata, events, sendto_pid, "connect", "sctp",
			   41112);
	EXPECT_EQ(4, (int)json_object_array_length(events));
	json_object_put(events);
	/* Unconfined, nothing is checked. */
	EXPECT_EQ(0, run_op(NULL, self->free_app, "connectx", "sctp", "41112",
			    NULL));
}

TEST_F(net, suggest_writes_sctp_and_icmp_as_rules_do)
{
	char *events = NULL, *out = NULL, event[256];

	if (!have_sctp())
		SKIP(return, "no SCTP in this kernel (module sctp not loaded)");
	ASSERT_EQ(0, ping_for_everyone(self));
	ASSERT_EQ(0, load(self, "allow netapp net bind tcp:41001\n"
				"mode complain netapp\n"));
	json_object_put(ward_events());
	EXPECT_EQ(0, app_net(self, "bind", "sctp", "41102", NULL));
	EXPECT_EQ(0, app_socket(self, "ping", NULL));
	ASSERT_EQ(0, ward_run(&events, NULL, "--json", "log", "drain", NULL));
	ASSERT_EQ(0, ward_run_input(events, &out, NULL, "policy", "suggest",
				    NULL));
	free(events);
	EXPECT_TRUE(has_line(
		out,
		"# netapp creates sctp sockets: allow the ports it binds or connects to"));
	EXPECT_TRUE(has_line(out, "allow netapp net bind sctp:41102"));
	EXPECT_TRUE(has_line(out, "allow netapp net create icmp"));
	/* Enforced, the suggestions allow what was refused, and only that. */
	ASSERT_EQ(0, load(self, out));
	free(out);
	EXPECT_EQ(0, app_net(self, "bind", "sctp", "41102", NULL));
	EXPECT_EQ(0, app_socket(self, "ping", NULL));
	EXPECT_EQ(EACCES, app_net(self, "bind", "sctp", "41103", NULL));

	/* Port 0 is refused when only the rule for every port allows it. */
	snprintf(event, sizeof(event),
		 "{ \"type\": \"denial\", \"op\": \"connect\", "
		 "\"access\": \"bind,connect\", \"proto\": \"sctp\", "
		 "\"port\": 0, \"app\": %u }\n",
		 ward_app_id("netapp"));
	ASSERT_EQ(0,
		  ward_run_input(event, &out, NULL, "policy", "suggest", NULL));
	EXPECT_TRUE(has_line(out, "allow netapp net bind,connect sctp:*"));
	free(out);
}

WARD_TEST_MAIN
