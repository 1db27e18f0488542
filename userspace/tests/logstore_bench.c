// SPDX-License-Identifier: GPL-2.0
/*
 * logstore_bench - the security log store's rate (issue 13: "the log
 * store keeps >= 200k records/s with hash chaining", GB/T 39276 5.1.1.3)
 *
 * Feeds N DENY records through logd's own path into a new log in a
 * temporary directory: record_event() of a kernel denial, its "policy",
 * then log_store_append() with the settings of ward.conf(5)'s defaults
 * (sha256 chain, 8M segments compressed when closed, rotate when full)
 * and a sealing key, as "ward log setup" makes, so that the store seals
 * as in service.  Every --batch records the store is flushed, as logd
 * does after each drain of the ring buffer (log_store_flush(): a sync
 * begun by the store's worker), or synced and waited for with --durable
 * (log_store_sync()); it is sealed at the end.
 *
 * Prints one line, "LOGSTORE {json}", with the records, the seconds and
 * the records per second of the append alone ("store", by the wall clock;
 * "store_cpu" by the CPU time the process had) and of making and
 * appending each record ("logd"); exits 1 when a record is refused.
 *
 *   logstore_bench [--records N] [--batch N] [--dir DIR] [--durable]
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logevent.h"
#include "logseal.h"
#include "logstore.h"

static double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* The CPU time this process had: what a machine shared with others does
 * not give it is left out, as is the time it waits for the disk. */
static double cpu_s(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

/* A denial as the kernel reports one: an open for writing of a file. */
static void make_event(struct ward_event *ev, long i)
{
	memset(ev, 0, sizeof(*ev));
	ev->boot_ns = 1000000000ULL + i * 1000;
	ev->object.ino = 131073;
	ev->object.dev = 0x800001;
	ev->pid = 4000 + i % 8;
	ev->tid = ev->pid;
	ev->uid = ev->euid = 1000;
	ev->loginuid = 1000;
	ev->sessionid = 3;
	ev->type = WARD_EVENT_DENIED;
	ev->op = WARD_OP_OPEN;
	ev->access = WARD_ACCESS_WRITE;
	ev->label = 7;
	ev->app = 2;
	ev->error = -EACCES;
	snprintf(ev->comm, sizeof(ev->comm), "storm");
	snprintf(ev->name, sizeof(ev->name), "secret");
	snprintf(ev->exe, sizeof(ev->exe), "/usr/bin/storm");
	snprintf(ev->path, sizeof(ev->path), "/srv/data/secret");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "records", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'b' },
		{ "dir", required_argument, NULL, 'd' },
		{ "durable", no_argument, NULL, 'D' },
		{}
	};
	struct ward_policy_info info = { .map_id = 1, .loaded_at = 1 };
	char tmpl[] = "/tmp/ward-logstore-bench.XXXXXX", cmd[PATH_MAX + 16];
	const char *dir = NULL;
	long n = 200000, batch = 256;
	bool durable = false;
	double t_store = 0, cpu_store = 0, t0, t1;
	struct log_store *s;
	struct log_conf conf;
	struct seal_key key;
	int c, err;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n')
			n = strtol(optarg, NULL, 10);
		else if (c == 'b')
			batch = strtol(optarg, NULL, 10);
		else if (c == 'd')
			dir = optarg;
		else if (c == 'D')
			durable = true;
		else
			return 2;
	}
	if (n <= 0 || batch <= 0)
		return 2;
	if (!dir && !(dir = mkdtemp(tmpl))) {
		perror("mkdtemp");
		return 1;
	}
	log_conf_default(&conf);
	snprintf(conf.dir, sizeof(conf.dir), "%s/log", dir);
	snprintf(conf.seal_key, sizeof(conf.seal_key), "%s/seal.key", dir);
	snprintf(info.name, sizeof(info.name), "base");
	snprintf(info.version, sizeof(info.version), "1.0.0");
	err = seal_key_new(&key, log_hash_md(conf.hash),
			   conf.clock() / 1000000000ULL, conf.seal_interval);
	if (!err)
		err = seal_key_create(conf.seal_key, &key);
	seal_key_wipe(&key);
	if (!err)
		err = log_store_open(&s, &conf);
	if (err) {
		fprintf(stderr, "logstore_bench: cannot open a log in %s: %s\n",
			dir, strerror(-err));
		return 1;
	}
	t0 = now_s();
	for (long i = 0; i < n && !err; i++) {
		struct ward_event ev;
		json_object *rec;
		double a, c0;

		make_event(&ev, i);
		rec = record_event(&ev, 0,
				   "0b1f4ac6-3d2e-4e57-9a0f-3f0c6f1d2e4a",
				   "storm");
		json_object_object_add(rec, "policy",
				       record_policy(&info, WARD_MODE_ENFORCE));
		/* The wall clock inside the CPU clock: reading the CPU time
		 * is a system call (0.6 us), the wall clock's is not. */
		c0 = cpu_s();
		a = now_s();
		err = log_store_append(s, rec);
		if (!err && (i + 1) % batch == 0)
			err = durable ? log_store_sync(s) : log_store_flush(s);
		t_store += now_s() - a;
		cpu_store += cpu_s() - c0;
		json_object_put(rec);
	}
	if (!err)
		err = log_store_seal(s);
	t1 = now_s();
	log_store_close(s);
	if (err) {
		fprintf(stderr, "logstore_bench: a record was refused: %s\n",
			strerror(-err));
		return 1;
	}
	printf("LOGSTORE {\"records\":%ld,\"batch\":%ld,\"durable\":%s,"
	       "\"store_s\":%.6f,"
	       "\"store_rate\":%.0f,\"store_cpu_rate\":%.0f,\"logd_s\":%.6f,"
	       "\"logd_rate\":%.0f}\n",
	       n, batch, durable ? "true" : "false", t_store, n / t_store,
	       n / cpu_store, t1 - t0, n / (t1 - t0));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (dir == tmpl && system(cmd))
		return 1;
	return 0;
}
