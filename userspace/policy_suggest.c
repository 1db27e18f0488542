// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward policy suggest": rules from refused accesses
 *
 * Events name their subject by app id; the names come from the active
 * policy when ward runs.  A refusal of a task in no app suggests an app
 * for its executable, named after it.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "log.h"
#include "output.h"
#include "pin.h"
#include "policy_names.h"
#include "policy_source.h"
#include "policy_suggest.h"

/* One suggested statement, kept once. */
struct line {
	char *app;
	char *text;
};

struct suggestions {
	int app_names; /* ward_app_names, or -1 */
	struct line *lines;
	size_t n;
	size_t events;
	/* file rules are merged per (app, path) before printing */
	struct file_rule {
		char *app;
		char *path;
		__u32 access;
	} * files;
	size_t n_files;
};

static void add_line(struct suggestions *sg, const char *app, const char *text)
{
	struct line *lines;

	for (size_t i = 0; i < sg->n; i++)
		if (!strcmp(sg->lines[i].text, text))
			return;
	lines = realloc(sg->lines, (sg->n + 1) * sizeof(*lines));
	if (!lines)
		abort();
	sg->lines = lines;
	lines[sg->n].app = strdup(app);
	lines[sg->n].text = strdup(text);
	sg->n++;
}

static void add_file(struct suggestions *sg, const char *app, const char *path,
		     __u32 access)
{
	struct file_rule *files;

	for (size_t i = 0; i < sg->n_files; i++)
		if (!strcmp(sg->files[i].app, app) &&
		    !strcmp(sg->files[i].path, path)) {
			sg->files[i].access |= access;
			return;
		}
	files = realloc(sg->files, (sg->n_files + 1) * sizeof(*files));
	if (!files)
		abort();
	sg->files = files;
	files[sg->n_files].app = strdup(app);
	files[sg->n_files].path = strdup(path);
	files[sg->n_files].access = access;
	sg->n_files++;
}

static const char *str(json_object *ev, const char *key)
{
	const char *s = json_object_get_string(json_object_object_get(ev, key));

	return s ? s : "";
}

/* A policy name made of @exe's base name. */
static void name_from_exe(const char *exe, char *name, size_t size)
{
	const char *base = strrchr(exe, '/');
	size_t n = 0;

	base = base ? base + 1 : exe;
	if (!isalpha((unsigned char)*base))
		n = snprintf(name, size, "app-");
	for (; *base && n + 1 < size && n < WARD_NAME_MAX - 1; base++)
		name[n++] = isalnum((unsigned char)*base) || *base == '-' ||
					    *base == '_' || *base == '.' ?
				    *base :
				    '_';
	name[n] = '\0';
}

/* The app an event's subject is in, by name; "" when none. */
static void app_name(struct suggestions *sg, json_object *ev, char *name,
		     size_t size)
{
	__u32 id = json_object_get_int64(json_object_object_get(ev, "app"));
	char line[1024];

	if (id) {
		struct ward_app_name buf;
		const char *known = app_name_of(sg->app_names, id, &buf);

		/* Events from "ward --json log drain" carry the name too. */
		if (!known && *str(ev, "app_name"))
			known = str(ev, "app_name");
		if (known)
			snprintf(name, size, "%s", known);
		else
			snprintf(name, size, "app-%08x", id);
		return;
	}
	if (!*str(ev, "exe")) {
		name[0] = '\0';
		return;
	}
	name_from_exe(str(ev, "exe"), name, size);
	snprintf(line, sizeof(line), "app %s %s", name, str(ev, "exe"));
	add_line(sg, name, line);
}

/* The access bits of a comma-separated verb list, 0 if one is unknown. */
static __u32 access_bits(const char *list)
{
	__u32 bits = 0;

	while (*list) {
		size_t len = strcspn(list, ",");
		__u32 bit = policy_access_bit(list, len);

		if (!bit)
			return 0;
		bits |= bit;
		list += len + (list[len] == ',');
	}
	return bits;
}

/*
 * The object to name in a rule for @path: a process's own files in /proc
 * (/proc/PID/...) exist per process, so /proc is named instead.
 */
static void rule_object(const char *path, char *out, size_t size)
{
	const char *rest = path + strlen("/proc/");

	if (!strncmp(path, "/proc/", 6) && *rest >= '0' && *rest <= '9' &&
	    rest[strspn(rest, "0123456789")] == '/')
		snprintf(out, size, "/proc");
	else
		snprintf(out, size, "%s", path);
}

static void suggest(struct suggestions *sg, json_object *ev)
{
	const char *type = str(ev, "type"), *op = str(ev, "op");
	char app[WARD_NAME_MAX + 8], line[1024];

	if (strcmp(type, "complain") && strcmp(type, "denial"))
		return;
	sg->events++;
	app_name(sg, ev, app, sizeof(app));
	if (!app[0])
		return;
	if (!strcmp(op, "bind") || !strcmp(op, "connect")) {
		long long port = json_object_get_int64(
			json_object_object_get(ev, "port"));

		/* Port 0: only the rule for every port allows it. */
		if (port)
			snprintf(line, sizeof(line), "allow %s net %s %s:%lld",
				 app, str(ev, "access"), str(ev, "proto"),
				 port);
		else
			snprintf(line, sizeof(line), "allow %s net %s %s:*",
				 app, str(ev, "access"), str(ev, "proto"));
		add_line(sg, app, line);
	} else if (!strcmp(op, "socket")) {
		const char *socket = str(ev, "socket");

		if (policy_proto_number(socket, strlen(socket)))
			snprintf(
				line, sizeof(line),
				"# %s creates %s sockets: allow the ports it binds or connects to",
				app, socket);
		else if (!strcmp(socket, "other"))
			snprintf(line, sizeof(line),
				 "# %s creates sockets that no rule can allow",
				 app);
		else
			snprintf(line, sizeof(line), "allow %s net create %s",
				 app, socket);
		add_line(sg, app, line);
	} else if (!strcmp(op, "capable")) {
		snprintf(line, sizeof(line), "allow %s cap %s", app,
			 str(ev, "access"));
		add_line(sg, app, line);
	} else if (*str(ev, "path") == '/' && access_bits(str(ev, "access"))) {
		char object[WARD_EVENT_PATH_MAX * 2];

		rule_object(str(ev, "path"), object, sizeof(object));
		add_file(sg, app, object, access_bits(str(ev, "access")));
	}
}

/* Files rules become lines after all events, their accesses merged. */
static void file_lines(struct suggestions *sg)
{
	for (size_t i = 0; i < sg->n_files; i++) {
		const struct file_rule *f = &sg->files[i];
		char verbs[128], line[1024];

		snprintf(line, sizeof(line), "allow %s %s %s", f->app,
			 policy_access_list(f->access, verbs, sizeof(verbs)),
			 f->path);
		add_line(sg, f->app, line);
	}
}

static void from_kernel(const struct ward_event *ev, __s64 boot_offset,
			void *ctx)
{
	json_object *obj = event_json(ev, boot_offset);

	suggest(ctx, obj);
	json_object_put(obj);
}

static int from_stream(struct suggestions *sg, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;

	while (getline(&line, &cap, in) > 0) {
		json_object *ev = json_tokener_parse(line);

		if (ev)
			suggest(sg, ev);
		json_object_put(ev);
	}
	free(line);
	return ferror(in) ? p_err("cannot read events: %s", strerror(errno)) :
			    0;
}

static void print(const struct suggestions *sg)
{
	if (json_output) {
		json_object *obj = json_object_new_object();
		json_object *rules = json_object_new_array();

		for (size_t i = 0; i < sg->n; i++)
			json_object_array_add(
				rules,
				json_object_new_string(sg->lines[i].text));
		json_object_object_add(obj, "events",
				       json_object_new_int64(sg->events));
		json_object_object_add(obj, "rules", rules);
		json_print(obj);
		return;
	}
	printf("# ward policy suggest: %zu refused accesses; review before adding\n",
	       sg->events);
	for (size_t i = 0; i < sg->n; i++)
		puts(sg->lines[i].text);
}

int policy_suggest(const char *file)
{
	/* Without the running ward's names, apps show by id. */
	struct suggestions sg = { .app_names = app_names_open() };
	int err;

	if (file && strcmp(file, "-")) {
		FILE *in = fopen(file, "r");

		if (!in)
			return p_err("cannot open %s: %s", file,
				     strerror(errno));
		err = from_stream(&sg, in);
		fclose(in);
	} else if (!file && isatty(0)) {
		err = log_read(from_kernel, &sg, false);
	} else {
		err = from_stream(&sg, stdin);
	}
	if (!err) {
		file_lines(&sg);
		print(&sg);
	}
	for (size_t i = 0; i < sg.n; i++) {
		free(sg.lines[i].app);
		free(sg.lines[i].text);
	}
	for (size_t i = 0; i < sg.n_files; i++) {
		free(sg.files[i].app);
		free(sg.files[i].path);
	}
	free(sg.lines);
	free(sg.files);
	if (sg.app_names >= 0)
		close(sg.app_names);
	return err;
}
