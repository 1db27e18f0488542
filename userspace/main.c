// SPDX-License-Identifier: GPL-2.0
/*
 * ward - a least-privilege access-control module on BPF LSM
 */

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "main.h"
#include "output.h"
#include "package.h"
#include "policy_files.h"

/* WARD_VERSION comes from the Makefile's VERSION, as "make dist" names. */

bool debug_output;

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (json_output)
		return p_err("no help in JSON; see ward(8)");
	fprintf(stderr,
		"Usage: ward [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  start [PATH...]           load and attach ward, enforcing the policy\n"
		"  stop                      detach ward and remove its pins\n"
		"  status                    BPF LSM, attachment, policy and counters\n"
		"  policy check [PATH...]    lint policy files, without a kernel\n"
		"  policy load [PATH...]     replace the active policy at once\n"
		"  policy show               the active policy, from the kernel\n"
		"  policy diff [PATH...]     the active policy against the files\n"
		"  policy suggest [EVENTS]   allow rules for refused accesses\n"
		"  policy install FILE...    add to the administrator's policy\n"
		"  policy remove NAME...     remove from it\n"
		"  mode enforce|complain [APP...]  change the running policy's mode\n"
		"  log drain [-f]            print the events reported so far\n"
		"  log show|tail|verify|export|setup  the security log (ward(8))\n"
		"  logd                      the security log's daemon (ward-logd.service)\n"
		"  verify-package FILE       a release or update package against its\n"
		"                            signed manifest\n"
		"  version                   print the version\n"
		"\n"
		"PATH is a policy file or directory; none: %s, %s\n"
		"\n"
		"Options:\n"
		"  -j, --json       JSON output, errors included\n"
		"  -p, --pretty     indented JSON output (implies --json)\n"
		"  -d, --debug      show libbpf's messages and the verifier's log\n"
		"  -h, --help       this text\n"
		"  -V, --version    print the version\n"
		"\n"
		"See ward(8).\n",
		WARD_VENDOR_DIR, WARD_ADMIN_DIR);
	return 0;
}

static int do_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "version",
				       json_object_new_string(WARD_VERSION));
		json_object_object_add(
			obj, "libbpf",
			json_object_new_string(libbpf_version_string()));
		json_print(obj);
	} else {
		printf("ward %s (libbpf %s)\n", WARD_VERSION,
		       libbpf_version_string());
	}
	return 0;
}

static const struct cmd cmds[] = {
	{ "start", do_start },	 { "stop", do_stop },
	{ "status", do_status }, { "policy", do_policy },
	{ "mode", do_mode },	 { "log", do_log },
	{ "logd", do_logd },	 { "verify-package", do_verify_package },
	{ "help", do_help },	 { "version", do_version },
	{ NULL, NULL },
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (!debug_output)
		return 0;
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+jpdhV", options, NULL)) >= 0) {
		switch (opt) {
		case 'p':
			pretty_output = true;
			/* fallthrough */
		case 'j':
			json_output = true;
			break;
		case 'd':
			debug_output = true;
			break;
		case 'h':
			return do_help(0, NULL);
		case 'V':
			return do_version(0, NULL);
		default:
			fprintf(stderr, "see 'ward help'\n");
			return EXIT_USAGE;
		}
	}
	libbpf_set_print(libbpf_print);

	ret = cmd_select(cmds, argc - optind, argv + optind, do_help);
	if (ret == -EXIT_USAGE)
		return EXIT_USAGE;
	return ret < 0 ? 1 : ret;
}
