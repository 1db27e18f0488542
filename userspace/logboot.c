// SPDX-License-Identifier: GPL-2.0
/*
 * ward - what the security log's BOOT and SHUTDOWN records say
 *
 * BOOT: the kernel and its command line, when the kernel booted and when
 * ward's programs began to enforce (the gap between them is when nothing
 * did), whether ward is locked and whether the break-glass parameter was
 * used.  SHUTDOWN: what systemd is shutting down for (poweroff, reboot,
 * halt, kexec), asked of PID 1 over its private bus, which outlives
 * D-Bus at shutdown.  GB/T 39276 5.1.1.3 a.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <systemd/sd-bus.h>

#include "lock.h"
#include "logboot.h"
#include "logrec.h"
#include "pin.h"
#include "system.h"

/*
 * When the first of ward's attached programs was loaded, in CLOCK_BOOTTIME
 * nanoseconds (bpf_prog_info.load_time); 0 when none is attached.
 */
static __u64 enforcing_since(void)
{
	struct pinned_link links[64];
	size_t n = pin_links(links, sizeof(links) / sizeof(*links));
	__u64 first = 0;

	for (size_t i = 0; i < n; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd;

		if (!links[i].attached)
			continue;
		fd = bpf_prog_get_fd_by_id(links[i].prog_id);
		if (fd < 0)
			continue;
		if (!bpf_prog_get_info_by_fd(fd, &info, &len) &&
		    (!first || info.load_time < first))
			first = info.load_time;
		close(fd);
	}
	return first;
}

/* Seconds, to the microsecond: printed so, not as the nearest double. */
static void add_seconds(json_object *obj, const char *key, __u64 ns)
{
	char text[32];

	snprintf(text, sizeof(text), "%llu.%06llu",
		 (unsigned long long)(ns / 1000000000),
		 (unsigned long long)(ns % 1000000000 / 1000));
	json_object_object_add(obj, key,
			       json_object_new_double_s(ns / 1e9, text));
}

void boot_facts(json_object *rec)
{
	__u64 now = log_boottime_ns(), since = enforcing_since();
	char cmdline[4096];
	struct utsname u;
	unsigned flags;

	if (!uname(&u)) {
		json_object_object_add(rec, "kernel",
				       json_object_new_string(u.release));
		json_object_object_add(rec, "kernel_version",
				       json_object_new_string(u.version));
	}
	if (!read_line("/proc/cmdline", cmdline, sizeof(cmdline)))
		json_object_object_add(rec, "cmdline",
				       json_object_new_string(cmdline));
	/* Seconds after the kernel booted, which the record's time is not:
	 * the daemon starts later than ward. */
	add_seconds(rec, "uptime", now);
	if (since)
		add_seconds(rec, "enforcing_since", since);
	else
		json_object_object_add(rec, "enforcing_since", NULL);
	flags = lock_flags(WARD_PIN_DIR);
	json_object_object_add(rec, "locked",
			       json_object_new_boolean(flags & LOCK_LOCKED));
	json_object_object_add(
		rec, "break_glass",
		json_object_new_boolean(flags & LOCK_BREAK_GLASS));
}

/* The targets systemd shuts down by, and what the record calls them. */
static const struct {
	const char *unit, *kind;
} shutdown_targets[] = {
	{ "poweroff.target", "poweroff" }, { "reboot.target", "reboot" },
	{ "halt.target", "halt" },	   { "kexec.target", "kexec" },
	{ "soft-reboot.target", "soft-reboot" },
};

/* The first job of systemd's that starts one of shutdown_targets. */
static const char *systemd_shutdown_kind(void)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *kind = NULL;
	sd_bus *bus = NULL;
	const char *unit, *type;
	int r;

	if (sd_bus_new(&bus) < 0)
		return NULL;
	if (sd_bus_set_address(bus, "unix:path=/run/systemd/private") < 0 ||
	    sd_bus_start(bus) < 0)
		goto out;
	r = sd_bus_call_method(bus, "org.freedesktop.systemd1",
			       "/org/freedesktop/systemd1",
			       "org.freedesktop.systemd1.Manager", "ListJobs",
			       &error, &reply, NULL);
	if (r < 0 || sd_bus_message_enter_container(reply, 'a', "(usssoo)") < 0)
		goto out;
	while (!kind && sd_bus_message_read(reply, "(usssoo)", NULL, &unit,
					    &type, NULL, NULL, NULL) > 0) {
		for (size_t i = 0; i < sizeof(shutdown_targets) /
						sizeof(*shutdown_targets);
		     i++)
			if (!strcmp(unit, shutdown_targets[i].unit) &&
			    !strcmp(type, "start"))
				kind = shutdown_targets[i].kind;
	}
out:
	sd_bus_error_free(&error);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return kind;
}

void shutdown_facts(json_object *rec)
{
	const char *kind = systemd_shutdown_kind();

	json_object_object_add(rec, "source",
			       json_object_new_string("ward logd stopped"));
	/* Stopped by hand, or by a systemd that says nothing: not a guess. */
	json_object_object_add(rec, "kind",
			       kind ? json_object_new_string(kind) : NULL);
	add_seconds(rec, "uptime", log_boottime_ns());
}
