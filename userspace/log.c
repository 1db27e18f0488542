// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward log": the events the BPF programs reported
 *
 * Events wait in the pinned ward_events ring buffer until read; reading
 * consumes them.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "event.h"
#include "log.h"
#include "policy_source.h"
#include "main.h"
#include "output.h"
#include "pin.h"
#include "system.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct reader {
	void (*fn)(const struct ward_event *ev, __s64 boot_offset, void *ctx);
	void *ctx;
	__s64 boot_offset;
};

static int handle_event(void *ctx, void *data, size_t size)
{
	struct reader *r = ctx;
	const struct ward_event *ev = data;

	if (size < sizeof(*ev))
		return 0;
	/* The clock was set: realtime is no longer boottime plus the old
	 * offset, for this event (made after the change) and those after. */
	if (ev->op == WARD_OP_CLOCK)
		r->boot_offset = event_boot_offset();
	r->fn(ev, r->boot_offset, r->ctx);
	return 0;
}

int log_read(void (*fn)(const struct ward_event *ev, __s64 boot_offset,
			void *ctx),
	     void *ctx, bool follow)
{
	struct reader r = { .fn = fn, .ctx = ctx };
	struct ring_buffer *rb;
	int fd, err;

	fd = pin_open_map("ward_events");
	if (fd < 0)
		return -1;
	r.boot_offset = event_boot_offset();
	rb = ring_buffer__new(fd, handle_event, &r, NULL);
	close(fd);
	if (!rb)
		return p_err("cannot read the event ring buffer: %s",
			     strerror(errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = ring_buffer__consume(rb);
	while (follow && !stop && err >= 0) {
		err = ring_buffer__poll(rb, 500);
		if (err == -EINTR)
			err = 0;
	}
	ring_buffer__free(rb);
	if (err < 0)
		return p_err("reading events failed: %s", strerror(-err));
	return 0;
}

/* Events name apps by id; @ctx points to ward_app_names, for their names. */
static void print_event(const struct ward_event *ev, __s64 boot_offset,
			void *ctx)
{
	struct ward_app_name buf;
	const char *app = app_name_of(*(int *)ctx, ev->app, &buf);
	json_object *obj;

	if (!json_output) {
		event_print(ev, boot_offset, app, stdout);
		return;
	}
	obj = event_json(ev, boot_offset);
	if (app)
		json_object_object_add(obj, "app_name",
				       json_object_new_string(app));
	json_print(obj);
}

static int do_tail(int argc, char **argv)
{
	bool follow = false;
	const struct cmd_option opts[] = { { "follow", 'f', &follow }, {} };
	int err, names;

	err = cmd_options(&argc, &argv, opts, 0, "log tail [-f|--follow]");
	if (err)
		return err;
	if (require_root())
		return -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	names = app_names_open();
	err = log_read(print_event, &names, follow);
	if (names >= 0)
		close(names);
	return err;
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "Usage: ward log tail [-f|--follow]\n");
	return 0;
}

int do_log(int argc, char **argv)
{
	static const struct cmd cmds[] = {
		{ "tail", do_tail },
		{ NULL, NULL },
	};

	return cmd_select(cmds, argc, argv, do_help);
}
