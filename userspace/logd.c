// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward logd": the security log's daemon (GB/T 39276 5.1.1.3)
 *
 * The one writer of the store (logstore.c).  It drains ward's ring buffer
 * into it, takes login records from pam_ward (login.c), writes BOOT when
 * it first starts in a boot and SHUTDOWN when it is stopped, records policy
 * loads, mode changes and ward's stop and start with who made them (the
 * ward_changes queue, change.c) and the policy before and after (the
 * kernel's record of the active policy, compared on every wakeup, so that
 * a change nobody announced is recorded too), changes of the log's own
 * settings (ward.conf) when it starts, seals every seal interval,
 * and mirrors the newest record's hash into ward's ward_log_head map,
 * where only ward can change it.
 *
 * Nothing is lost without a LOST record that counts it: events the kernel
 * could not queue (WARD_STAT_LOST), records the store refused (full), and
 * denials held back by the per-subject rate limit.  Events wait in the
 * pinned ring buffer while the daemon does not run.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libaudit.h>
#include <systemd/sd-daemon.h>

#include "event.h"
#include "logboot.h"
#include "logconf.h"
#include "logevent.h"
#include "login.h"
#include "login_msg.h"
#include "logstore.h"
#include "main.h"
#include "output.h"
#include "pin.h"
#include "policy_map.h"
#include "policy_source.h"
#include "status.h"
#include "system.h"

/* How often the daemon looks at the kernel's counters and policy, seals
 * and syncs when nothing wakes it sooner. */
#define LOGD_TICK_SECONDS 1

/*
 * Denials of one subject (thread group), and refused login messages of one
 * sender (its euid when it connected: anyone may reach the socket, and an
 * ordinary user could flood the log through it), recorded in a window
 * before the rest are only counted; the count is recorded when the window
 * ends.  Changes, logins, boots and shutdowns are never held back.
 */
#define LIMIT_SUBJECTS 64
#define LIMIT_BURST 50
#define LIMIT_WINDOW_NS (10 * 1000000000ULL)

/* What a limit holds back: DENY records, or LOGIN_REFUSED. */
enum limit_kind {
	LIMIT_DENY,
	LIMIT_LOGIN_REFUSED,
};

struct limit {
	enum limit_kind kind;
	__u32 id; /* LIMIT_DENY: the subject's pid; else the sender's euid */
	__u32 recorded;
	__u64 suppressed;
	__u64 window_start; /* CLOCK_BOOTTIME ns */
	char comm[WARD_COMM_MAX];
};

/* ward's maps, while ward runs. */
struct ward_link {
	struct ring_buffer *rb;
	__u32 events_id; /* of the ring buffer @rb drains, 0 for none */
	int info_fd, stats_fd, head_fd, outer_fd, names_fd, changes_fd;
};

struct logd {
	struct log_conf conf;
	struct log_store *store;
	__u64 sealed_at; /* CLOCK_MONOTONIC seconds of the last seal */
	char boot_id[LOG_BOOT_ID_LEN];
	__s64 boot_offset;
	struct ward_link ward;
	/* What the kernel said last: compared on each wakeup. */
	bool have_policy;
	struct ward_policy_info policy;
	__u32 mode;
	__u64 lost_recorded; /* of WARD_STAT_LOST */
	__u64 refused; /* records the store refused since the last LOST */
	__u64 refused_denials; /* the denials those held */
	bool full; /* the store refused a record for want of room */
	struct limit limits[LIMIT_SUBJECTS];
	int audit_fd; /* -1: auditd does not run */
	struct login_server *login;
};

static __u32 map_id(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return bpf_map_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void ward_unlink(struct ward_link *w)
{
	ring_buffer__free(w->rb);
	w->rb = NULL;
	w->events_id = 0;
	close_fd(&w->info_fd);
	close_fd(&w->stats_fd);
	close_fd(&w->head_fd);
	close_fd(&w->outer_fd);
	close_fd(&w->names_fd);
	close_fd(&w->changes_fd);
}

static int handle_event(void *ctx, void *data, size_t size);
static void follow_changes(struct logd *d);

/*
 * Follows ward: opens the maps of the ward now running when they are not
 * those already open (ward stopped and started again), closes them when
 * ward is gone.  Returns true when the ring buffer changed.
 */
static bool ward_follow(struct logd *d)
{
	struct ward_link *w = &d->ward;
	int fd = pin_get_map("ward_events");
	__u32 id = fd >= 0 ? map_id(fd) : 0;

	if (id == w->events_id) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	/* What the ward that went queued and reported before it went. */
	if (w->rb)
		ring_buffer__consume(w->rb);
	follow_changes(d);
	ward_unlink(w);
	if (fd < 0)
		return true;
	w->rb = ring_buffer__new(fd, handle_event, d, NULL);
	close(fd);
	if (!w->rb)
		return true;
	w->events_id = id;
	w->info_fd = pin_get_map("ward_info");
	w->stats_fd = pin_get_map("ward_stats");
	w->head_fd = pin_get_map("ward_log_head");
	w->outer_fd = pin_get_map("ward_policy");
	w->names_fd = pin_get_map("ward_app_names");
	w->changes_fd = pin_get_map("ward_changes");
	return true;
}

/* ---- writing ----------------------------------------------------------- */

static const char *type_of(json_object *rec)
{
	return json_object_get_string(json_object_object_get(rec, "type"));
}

static bool critical(json_object *rec)
{
	return log_type_critical(type_of(rec));
}

/* Also to syslog (journald) and, where auditd runs, to the audit trail. */
static void forward(struct logd *d, json_object *rec)
{
	const char *line = json_object_to_json_string_ext(
		rec, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	syslog(critical(rec) ? LOG_NOTICE : LOG_WARNING, "%s", line);
	if (d->audit_fd >= 0) {
		/* As a field auditd keeps whole: hex when it has to be. */
		char *field = audit_encode_nv_string("ward", line, 0);

		if (field)
			audit_log_user_message(d->audit_fd, AUDIT_TRUSTED_APP,
					       field, NULL, NULL, NULL, 1);
		free(field);
	}
}

static void account_lost(struct logd *d, const char *why, bool always);

/* The denials a DENY record says: one, or the count held back. */
static __u64 denials_of(json_object *rec)
{
	json_object *n;

	if (strcmp(type_of(rec), "DENY"))
		return 0;
	return json_object_object_get_ex(rec, "suppressed", &n) ?
		       (__u64)json_object_get_int64(n) :
		       1;
}

/*
 * Appends @rec (taking it) with the active policy.  A record the store
 * refuses is counted, for the next LOST record.  While the log is full,
 * that LOST record waits for the next record kept, and goes first: one
 * LOST a kept record, not one a tick.  Returns 0 or -errno.
 */
static int write_record(struct logd *d, json_object *rec)
{
	int err;

	if (d->full && critical(rec) && strcmp(type_of(rec), "LOST"))
		account_lost(d, "log full", false);
	json_object_object_add(
		rec, "policy",
		record_policy(d->have_policy ? &d->policy : NULL, d->mode));
	err = log_store_append(d->store, rec);
	/* A DENY written says there is room again. */
	if (err == -ENOSPC)
		d->full = true;
	else if (!err && !critical(rec))
		d->full = false;
	if (err) {
		d->refused++;
		d->refused_denials += denials_of(rec);
		if (critical(rec))
			syslog(LOG_CRIT, "ward logd: a %s record was lost: %s",
			       type_of(rec), strerror(-err));
	}
	forward(d, rec);
	json_object_put(rec);
	return err;
}

static json_object *new_record(struct logd *d, const char *type)
{
	return record_new(type, d->boot_id);
}

/* The chain head into the kernel, with the lost events accounted for. */
static void mirror_head(struct logd *d)
{
	struct ward_log_head head = { .lost = d->lost_recorded };
	size_t len = sizeof(head.hash);
	__u32 zero = 0;

	if (d->ward.head_fd < 0 ||
	    log_store_head(d->store, &head.seq, head.hash, &len))
		return;
	bpf_map_update_elem(d->ward.head_fd, &zero, &head, BPF_ANY);
}

/* ---- events ------------------------------------------------------------ */

/* A record of what @l held back: a DENY or a LOGIN_REFUSED, counting. */
static void write_suppressed(struct logd *d, struct limit *l)
{
	bool deny = l->kind == LIMIT_DENY;
	json_object *rec, *subject;

	rec = new_record(d, deny ? "DENY" : "LOGIN_REFUSED");
	subject = json_object_new_object();
	json_object_object_add(subject, deny ? "pid" : "euid",
			       json_object_new_int64(l->id));
	json_object_object_add(
		subject, "comm",
		json_object_new_string_len(l->comm,
					   strnlen(l->comm, sizeof(l->comm))));
	json_object_object_add(rec, "subject", subject);
	json_object_object_add(rec, "suppressed",
			       json_object_new_uint64(l->suppressed));
	write_record(d, rec);
	l->suppressed = 0;
}

/*
 * Whether a record of @kind about @id (whose comm is @comm) is written:
 * LIMIT_BURST a window, the rest counted.  The slot seen least recently
 * is reused, its count recorded first.
 */
static bool limit_allows(struct logd *d, enum limit_kind kind, __u32 id,
			 const char *comm)
{
	struct limit *l = NULL, *oldest = &d->limits[0];
	__u64 now = log_boottime_ns();

	for (int i = 0; i < LIMIT_SUBJECTS && !l; i++) {
		if (d->limits[i].kind == kind && d->limits[i].id == id)
			l = &d->limits[i];
		else if (d->limits[i].window_start < oldest->window_start)
			oldest = &d->limits[i];
	}
	if (!l) {
		l = oldest;
		if (l->suppressed)
			write_suppressed(d, l);
		memset(l, 0, sizeof(*l));
		l->kind = kind;
		l->id = id;
		l->window_start = now;
	}
	snprintf(l->comm, sizeof(l->comm), "%.*s",
		 (int)sizeof(l->comm) - 1, comm);
	if (now - l->window_start >= LIMIT_WINDOW_NS) {
		if (l->suppressed)
			write_suppressed(d, l);
		l->window_start = now;
		l->recorded = 0;
	}
	if (l->recorded < LIMIT_BURST) {
		l->recorded++;
		return true;
	}
	l->suppressed++;
	return false;
}

/* The counts of windows that have ended; @all: of every window (stop). */
static void flush_limits(struct logd *d, bool all)
{
	__u64 now = log_boottime_ns();

	for (int i = 0; i < LIMIT_SUBJECTS; i++) {
		struct limit *l = &d->limits[i];

		if (l->suppressed &&
		    (all || now - l->window_start >= LIMIT_WINDOW_NS))
			write_suppressed(d, l);
	}
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct ward_event *ev = data;
	struct logd *d = ctx;
	struct ward_app_name buf;
	const char *app;

	if (size < sizeof(*ev))
		return 0;
	if (ev->type != WARD_EVENT_AUDIT &&
	    !limit_allows(d, LIMIT_DENY, ev->pid, ev->comm))
		return 0;
	app = app_name_of(d->ward.names_fd, ev->app, &buf);
	write_record(d, record_event(ev, d->boot_offset, d->boot_id, app));
	return 0;
}

/* ---- the kernel's state ------------------------------------------------ */

/* A LOST record for what was lost since the last one, if anything was. */
static void account_lost(struct logd *d, const char *why, bool always)
{
	__u64 lost = stat_sum(d->ward.stats_fd, WARD_STAT_LOST);
	json_object *rec;

	if (lost < d->lost_recorded) /* ward started again: a new count */
		d->lost_recorded = 0;
	if (!always && lost == d->lost_recorded && !d->refused)
		return;
	rec = new_record(d, "LOST");
	json_object_object_add(rec, "reason", json_object_new_string(why));
	json_object_object_add(rec, "events",
			       json_object_new_uint64(lost - d->lost_recorded));
	json_object_object_add(rec, "records",
			       json_object_new_uint64(d->refused));
	json_object_object_add(rec, "denials",
			       json_object_new_uint64(d->refused_denials));
	/* Refused too, it is counted, and the counts go on to the next. */
	if (write_record(d, rec))
		return;
	d->lost_recorded = lost;
	d->refused = 0;
	d->refused_denials = 0;
}

/* The policy now in force, and its mode; false when there is none. */
static bool read_policy(struct logd *d, struct ward_policy_info *info,
			__u32 *mode)
{
	struct ward_meta meta = {};
	__u32 zero = 0;

	memset(info, 0, sizeof(*info));
	*mode = 0;
	if (d->ward.info_fd < 0 ||
	    bpf_map_lookup_elem(d->ward.info_fd, &zero, info) || !info->map_id)
		return false;
	policy_map_settings(d->ward.outer_fd, &meta, NULL);
	*mode = meta.mode;
	return true;
}

static const char *const change_ops[WARD_CHANGE_MAX] = {
	[WARD_CHANGE_START] = "start",
	[WARD_CHANGE_STOP] = "stop",
	[WARD_CHANGE_POLICY_LOAD] = "policy_load",
	[WARD_CHANGE_MODE] = "mode",
	[WARD_CHANGE_POLICY_FILES] = "policy_files",
};

/*
 * Records what changed in the policy in force since the last look, by
 * @c, the change a command of ward's queued (NULL: nobody said; the
 * subject is then unknown), or @c alone when it was refused or changed
 * nothing the kernel shows.
 */
static void record_change(struct logd *d, const struct ward_change *c)
{
	struct ward_policy_info info;
	json_object *rec;
	const char *op;
	__u32 mode;
	bool have, changed;

	have = read_policy(d, &info, &mode);
	changed = have != d->have_policy ||
		  (have && (memcmp(&info, &d->policy, sizeof(info)) ||
			    mode != d->mode));
	if (!changed && !c)
		return;
	if (c && c->op < WARD_CHANGE_MAX && change_ops[c->op])
		op = change_ops[c->op];
	else
		op = !have		? "stop" :
		     !d->have_policy	? "start" :
		     info.loaded_at != d->policy.loaded_at ? "policy_load" :
							     "mode";
	rec = new_record(d, "CONFIG_CHANGE");
	json_object_object_add(rec, "op", json_object_new_string(op));
	json_object_object_add(
		rec, "result",
		json_object_new_string(c && c->error ? "denied" : "allowed"));
	json_object_object_add(rec, "error",
			       json_object_new_int(c ? c->error : 0));
	json_object_object_add(rec, "subject",
			       c ? record_change_subject(c) : NULL);
	if (c && c->detail[0])
		json_object_object_add(
			rec, "detail",
			json_object_new_string_len(
				c->detail, strnlen(c->detail, sizeof(c->detail))));
	json_object_object_add(
		rec, "old", record_policy(d->have_policy ? &d->policy : NULL,
					  d->mode));
	json_object_object_add(rec, "new",
			       record_policy(have ? &info : NULL, mode));
	d->have_policy = have;
	d->policy = info;
	d->mode = mode;
	write_record(d, rec);
}

/*
 * The changes ward's commands queued, then any nobody announced.  Each is
 * taken off the queue only once recorded: an empty queue tells "ward log
 * sync" every change is in the log.
 */
static void follow_changes(struct logd *d)
{
	struct ward_change c, taken;

	while (d->ward.changes_fd >= 0 &&
	       !bpf_map_lookup_elem(d->ward.changes_fd, NULL, &c)) {
		record_change(d, &c);
		/* A full queue's oldest entry gives way to a new one: this
		 * may then be one not yet recorded. */
		if (!bpf_map_lookup_and_delete_elem(d->ward.changes_fd, NULL,
						    &taken) &&
		    memcmp(&taken, &c, sizeof(c)))
			record_change(d, &taken);
	}
	record_change(d, NULL);
}

/*
 * A CONFIG_CHANGE "log_conf" when the log's settings in force differ from
 * those last recorded, with both and the keys that changed; whoever
 * edited ward.conf is the subject of the audited write before it.  The
 * settings are kept as recorded only once the record is in the log and
 * synced: one the log refused is tried again at the next start.
 */
static void record_conf(struct logd *d)
{
	json_object *old, *new, *changed, *rec;
	__u64 refused = d->refused;
	int err;

	changed = log_conf_changes(LOG_CONF_STATE, &d->conf, &old, &new);
	if (!changed) {
		json_object_put(old);
		json_object_put(new);
		return;
	}
	rec = new_record(d, "CONFIG_CHANGE");
	json_object_object_add(rec, "op", json_object_new_string("log_conf"));
	json_object_object_add(rec, "result",
			       json_object_new_string("allowed"));
	json_object_object_add(rec, "error", json_object_new_int(0));
	json_object_object_add(rec, "subject", NULL);
	json_object_object_add(rec, "source",
			       json_object_new_string(LOG_CONF_PATH));
	json_object_object_add(rec, "changed", changed);
	json_object_object_add(rec, "old", old);
	json_object_object_add(rec, "new", json_object_get(new));
	write_record(d, rec);
	if (d->refused == refused && !log_store_sync(d->store)) {
		err = log_conf_save(LOG_CONF_STATE, new);
		if (err)
			syslog(LOG_ERR, "ward logd: cannot save %s: %s",
			       LOG_CONF_STATE, strerror(-err));
	}
	json_object_put(new);
}

/* ---- logins ------------------------------------------------------------ */

/* LOGIN_REFUSED records are limited by the sender's euid, which the
 * kernel gave (SO_PEERCRED): always there, whatever the sender did. */
static bool refusal_allowed(struct logd *d, json_object *rec)
{
	json_object *subject = json_object_object_get(rec, "subject");
	const char *comm = json_object_get_string(
		json_object_object_get(subject, "comm"));

	return limit_allows(d, LIMIT_LOGIN_REFUSED,
			    json_object_get_int64(
				    json_object_object_get(subject, "euid")),
			    comm ? comm : "");
}

static void receive_logins(struct logd *d)
{
	json_object *rec;
	int ret;

	while ((ret = login_receive(d->login, &rec)) >= 0) {
		if (ret == LOGIN_REFUSED && !refusal_allowed(d, rec)) {
			json_object_put(rec);
			continue;
		}
		json_object_object_add(rec, "boot_id",
				       json_object_new_string(d->boot_id));
		write_record(d, rec);
	}
}

/* ---- the daemon -------------------------------------------------------- */

/*
 * BOOT when this is the boot's first start: ward's start at boot, which it
 * queued, is then recorded as a change from no policy.  Else LOST for the
 * gap, and the policy in force is where the log goes on from (a change
 * made meanwhile is recorded, without what was in force before it).
 */
static void write_start(struct logd *d)
{
	const char *type, *last_boot = log_store_last_boot(d->store, &type);
	json_object *rec;

	if (last_boot && !strcmp(last_boot, d->boot_id)) {
		/* The ring buffer kept what came meanwhile; the daemon before
		 * recorded the kernel's losses up to what it told the kernel. */
		struct ward_log_head head;
		__u32 zero = 0;

		if (d->ward.head_fd >= 0 &&
		    !bpf_map_lookup_elem(d->ward.head_fd, &zero, &head))
			d->lost_recorded = head.lost;
		d->have_policy = read_policy(d, &d->policy, &d->mode);
		account_lost(d, "daemon restarted", true);
		return;
	}
	rec = new_record(d, "BOOT");
	boot_facts(rec);
	json_object_object_add(rec, "previous_boot_id",
			       last_boot ? json_object_new_string(last_boot) :
					   NULL);
	/* A boot whose last record is not its SHUTDOWN ended by a crash, a
	 * power loss or a forced reboot the daemon did not outlive. */
	json_object_object_add(
		rec, "previous_shutdown_recorded",
		last_boot ? json_object_new_boolean(!strcmp(type, "SHUTDOWN")) :
			    NULL);
	write_record(d, rec);
}

static __u64 monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void tick(struct logd *d)
{
	d->boot_offset = event_boot_offset();
	if (ward_follow(d))
		d->lost_recorded = 0;
	if (d->ward.rb)
		ring_buffer__consume(d->ward.rb);
	follow_changes(d);
	/* While full, the LOST record waits for a record kept. */
	if (!d->full)
		account_lost(d, "kernel ring buffer full", false);
	flush_limits(d, false);
	if (monotonic_seconds() - d->sealed_at >= d->conf.seal_interval) {
		log_store_seal(d->store);
		d->sealed_at = monotonic_seconds();
	}
	mirror_head(d);
}

static int epoll_add(int ep, int fd)
{
	struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

/* SIGTERM and SIGINT, blocked: read from a signalfd as a stop. */
static void block_stop_signals(sigset_t *mask)
{
	sigemptyset(mask);
	sigaddset(mask, SIGTERM);
	sigaddset(mask, SIGINT);
	sigprocmask(SIG_BLOCK, mask, NULL);
}

static int run(struct logd *d)
{
	struct itimerspec period = { { LOGD_TICK_SECONDS, 0 },
				     { LOGD_TICK_SECONDS, 0 } };
	int ep, sfd, tfd, rb_fd = -1, err = 0;
	bool running = true;
	sigset_t mask;

	block_stop_signals(&mask);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || tfd < 0 || ep < 0 ||
	    timerfd_settime(tfd, 0, &period, NULL) || epoll_add(ep, sfd) ||
	    epoll_add(ep, tfd) || epoll_add(ep, login_fd(d->login))) {
		err = p_err("cannot set up the daemon's loop: %s",
			    strerror(errno));
		goto out;
	}
	while (running) {
		struct epoll_event events[8];
		int n;

		/* The ring buffer of the ward now running, if it changed. */
		if (d->ward.rb && ring_buffer__epoll_fd(d->ward.rb) != rb_fd) {
			rb_fd = ring_buffer__epoll_fd(d->ward.rb);
			epoll_add(ep, rb_fd);
		}
		n = epoll_wait(ep, events, 8, -1);
		if (n < 0 && errno != EINTR) {
			err = p_err("epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++) {
			int fd = events[i].data.fd;
			__u64 ticks;

			if (fd == sfd)
				running = false;
			else if (fd == tfd && read(tfd, &ticks, sizeof(ticks)) > 0)
				tick(d);
			else if (fd == login_fd(d->login))
				receive_logins(d);
		}
		if (d->ward.rb)
			ring_buffer__consume(d->ward.rb);
		/* Written already; the disk is not waited for here. */
		log_store_flush(d->store);
		mirror_head(d);
	}
out:
	if (ep >= 0)
		close(ep);
	if (tfd >= 0)
		close(tfd);
	if (sfd >= 0)
		close(sfd);
	return err;
}

/* The last of what the kernel reported, then SHUTDOWN, sealed and synced. */
static void write_stop(struct logd *d)
{
	json_object *rec;

	tick(d);
	/* Denials held back in windows not yet ended are counted too. */
	flush_limits(d, true);
	account_lost(d, "daemon stopping", false);
	rec = new_record(d, "SHUTDOWN");
	shutdown_facts(rec);
	write_record(d, rec);
	log_store_seal(d->store);
	mirror_head(d);
}

/* Where auditd runs, the kernel's audit trail takes our records too. */
static int open_audit(void)
{
	struct audit_reply reply = {};
	int fd = audit_open();

	if (fd < 0)
		return -1;
	if (audit_request_status(fd) > 0 &&
	    audit_get_reply(fd, &reply, GET_REPLY_BLOCKING, 0) > 0 &&
	    reply.type == AUDIT_GET && reply.status->pid)
		return fd;
	audit_close(fd);
	return -1;
}

int do_logd(int argc, char **argv)
{
	struct logd d = {
		.ward = { .info_fd = -1, .stats_fd = -1, .head_fd = -1,
			  .outer_fd = -1, .names_fd = -1, .changes_fd = -1 },
		.audit_fd = -1,
	};
	sigset_t stop;
	int err;

	err = cmd_options(&argc, &argv, NULL, 0, "logd");
	if (err)
		return err;
	if (require_root())
		return -1;
	if (log_conf_read(LOG_CONF_PATH, &d.conf))
		return -1;
	err = record_boot_id(d.boot_id);
	if (err)
		return p_err("cannot read the boot id: %s", strerror(-err));
	err = log_store_open(&d.store, &d.conf);
	if (err)
		return p_err("cannot open the log in %s: %s", d.conf.dir,
			     strerror(-err));
	err = login_listen(LOGIN_SOCKET_PATH, &d.login);
	if (err) {
		p_err("cannot listen on %s: %s", LOGIN_SOCKET_PATH,
		      strerror(-err));
		goto close_store;
	}
	openlog("ward", LOG_NDELAY | LOG_PID, LOG_AUTHPRIV);
	d.audit_fd = open_audit();
	/* Before READY=1: a stop right after it is a stop, not a kill. */
	block_stop_signals(&stop);
	d.boot_offset = event_boot_offset();
	d.sealed_at = monotonic_seconds();
	ward_follow(&d);
	write_start(&d);
	tick(&d);
	record_conf(&d);
	log_store_sync(d.store);
	sd_notify(0, "READY=1");
	err = run(&d);
	sd_notify(0, "STOPPING=1");
	write_stop(&d);
	ward_unlink(&d.ward);
	if (d.audit_fd >= 0)
		audit_close(d.audit_fd);
	login_close(d.login);
	closelog();
close_store:
	log_store_close(d.store);
	return err ? -1 : 0;
}
