// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - the policy parser (policy_lex.c, policy_parse.c,
 * policy_lint.c) and the words it knows (policy_names.c)
 *
 * A table of policy texts, each with the result expected and its first
 * diagnostic, checks every message the parser and policy_finish() can
 * give and where they put it; further tests check the parsed structures,
 * policies of several files, the digests, the limits and reading files.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <openssl/sha.h>

#include "unit.h"
#include "policy.h"
#include "policy_names.h"

/* Builds long literals: S16 is 16 '#', S4096 is 4096. */
#define S16 "################"
#define S256 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16 S16
#define S4096                                                                 \
	S256 S256 S256 S256 S256 S256 S256 S256 S256 S256 S256 S256 S256 S256 \
		S256 S256
/* Names of 63 and 64 characters, the longest valid and the shortest not. */
#define N62 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij"
#define N63 N62 "k"
#define N64 N63 "l"
/* User names of 32 and 33 characters. */
#define U32 "abcdefghijklmnopqrstuvwxyzabcdef"
#define U33 U32 "g"

/* The policy statement most cases start with. */
#define P "policy p 1.0.0\n"
/*
 * Then a files set, an app, a user set and the app confined, lines 2 to
 * 5, so that a case's own lines start at 6.
 */
#define PS                           \
	P "files data /srv/data\n"   \
	  "app tool /usr/bin/tool\n" \
	  "user staff alice\n"       \
	  "confine tool\n"
/* What uses all of PS, so that it warns of nothing. */
#define USE "allow staff chown data\n"

/*
 * A case's text is a literal, so that its length comes from sizeof and a
 * text may hold a NUL byte.
 */
#define TEXT(s) .text = (s), .len = sizeof(s) - 1

/**
 * struct parse_case - one policy text and what the parser must say
 * @text: the text given to policy_parse(), then policy_finish()
 * @len: its length
 * @err: 0 or -EINVAL, from policy_parse() or else policy_finish()
 * @diag: the start of the first diagnostic, formatted "LINE:COL: error:
 *        MESSAGE" or "LINE:COL: warning: MESSAGE" (0 for a whole file or
 *        line); NULL for no diagnostic at all, not even a warning
 * @description: what the case checks, printed when it fails
 */
struct parse_case {
	const char *text;
	size_t len;
	int err;
	const char *diag;
	const char *description;
};

static const struct parse_case cases[] = {
	/* Accepted texts, one or more for each statement form. */
	{
		TEXT("policy p 1.0.0"),
		.description = "a policy statement alone, without a newline",
	},
	{
		TEXT("# ward policy\n"
		     "\n"
		     "policy p 1.0.0 # the name\n"
		     "   # indented comment\n"
		     "\n"
		     "mode complain # trailing comment\n"
		     "#files other /x\n"),
		.description = "comments and blank lines are ignored",
	},
	{
		TEXT("\tpolicy\tp\t1.0.0\n"
		     "files \t data\t\t/srv/data  /srv/more\t\n"
		     "app\ttool /usr/bin/tool\n"
		     "allow\ttool  write\tdata\n"),
		.description = "tabs and runs of blanks separate words",
	},
	{
		TEXT("policy p 1.0.0\r\n"
		     "mode enforce\r\n"
		     "\r\n"
		     "files data /srv/data\r\n"
		     "app tool /usr/bin/tool # comment\r\n"
		     "allow tool write data\r\n"),
		.description = "CRLF line endings",
	},
	{
		TEXT("policy p 1.0.0\r"),
		.description = "a CR ending the last line without a newline",
	},
	{
		TEXT(P "mode enforce\n"),
		.description = "mode enforce",
	},
	{
		TEXT(P "mode complain\n"),
		.description = "mode complain",
	},
	{
		TEXT(P "files data /srv/data /srv/more /etc/x.conf /\n"
		       "allow any read data\n"),
		.description = "files with several paths, the root among them",
	},
	{
		TEXT(P "app tool /usr/bin/tool /usr/sbin/tool\n"
		       "confine tool\n"),
		.description = "app with several executables, confined",
	},
	{
		TEXT(P
		     "user staff alice bob_1 _svc a.b-c m$ uid:0 uid:4294967294 "
		     "group:wheel gid:0 gid:4294967294 group:_g$\n"
		     "allow staff read /srv\n"),
		.description =
			"user set with every kind of member, the ids' bounds",
	},
	{
		TEXT(P "user staff " U32 " group:" U32
		       " abcdefghijklmnopqrstuvwxyzabcde$\n"
		       "allow staff read /srv\n"),
		.description =
			"user and group names of 32 characters, '$' included",
	},
	{
		TEXT(PS
		     "app other /usr/bin/other\n"
		     "confine other\n"
		     "allow any read,write,exec,unlink,rename,link,chmod,chown data\n"
		     "allow tool read data /etc/tool.conf\n"
		     "allow other read /srv/x\n"
		     "allow staff write data\n"),
		.description =
			"allow for any, an app and a user set, every verb, "
			"objects by name and by path",
	},
	{
		TEXT(PS "confine\ttool\n" USE),
		.err = -EINVAL,
		.diag = "6:9: error: 'tool' is already confined at line 5: confine it once",
		.description = "confine twice, at the first place",
	},
	{
		TEXT(P "app a /a\napp b /b\nconfine a b\n"),
		.description = "confine of several apps",
	},
	{
		TEXT(P "app a /a\napp b /b\ninherit a b\n"),
		.description = "inherit of several apps",
	},
	{
		TEXT(P "app a /a\ninherit a\ninherit a\n"),
		.err = -EINVAL,
		.diag = "4:9: error: 'a' already inherits at line 3: say it once",
		.description = "inherit twice",
	},
	{
		TEXT(P "app dpkg /usr/bin/dpkg\ninstaller dpkg\n"),
		.description = "installer",
	},
	{
		TEXT(P "app a /a\napp b /b\ninstaller a\ninstaller b\n"),
		.err = -EINVAL,
		.diag = "5:1: error: the installer is already 'a' (line 4): name one",
		.description = "two installers",
	},
	{
		TEXT(P "installer nope\n"),
		.err = -EINVAL,
		.diag = "2:11: error: unknown app 'nope': define it with 'app NAME PATH...' before this line",
		.description = "installer of no app",
	},
	{
		TEXT(P "app a /a\napp b /b\ninstaller a b\n"),
		.err = -EINVAL,
		.diag = "4:13: error: too many arguments: expected 'installer APP'",
		.description = "installer of two apps",
	},
	{
		TEXT(P "app tool /usr/bin/tool.pl\n"
		       "interpreter tool /usr/bin/perl /usr/bin/perl5\n"
		       "interpreter tool /bin/sh\nconfine tool\n"),
		.description = "interpreters, in several statements",
	},
	{
		TEXT(P "app tool /t\ninterpreter tool /bin/sh\n"
		       "interpreter tool /bin/sh\n"),
		.err = -EINVAL,
		.diag = "4:18: error: '/bin/sh' is already an interpreter of 'tool': list it once",
		.description = "an interpreter twice",
	},
	{
		TEXT(P "app tool /t\ninterpreter tool bin/sh\n"),
		.err = -EINVAL,
		.diag = "3:18: error: 'bin/sh' is not an absolute path: start it with '/'",
		.description = "an interpreter by a relative path",
	},
	{
		TEXT(P "files executables /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: 'executables' is reserved for the files set every policy has: the executables of apps and their interpreters; choose another name",
		.description = "files named executables",
	},
	{
		TEXT(P "app storage /x\n"),
		.err = -EINVAL,
		.diag = "2:5: error: 'storage' is reserved for the files set every policy has: the block devices under labelled files; choose another name",
		.description = "app named storage",
	},
	{
		TEXT(P "user admins root\napp dpkg /usr/bin/dpkg\n"
		       "allow admins read,mount storage executables /etc\n"
		       "allow dpkg write executables\n"
		       "audit write storage\n"),
		.description = "the built-in files sets and the mount verb",
	},
	{
		TEXT(P "app a /a\napp b /b\nconfine a b\n"
		       "mode complain a\nmode enforce b\n"),
		.description = "per-app modes for confined apps",
	},
	{
		TEXT(P "app a /a\napp b /b\nconfine a b\nmode complain a b\n"),
		.description = "one per-app mode statement for two apps",
	},
	{
		TEXT(PS "allow tool net bind tcp:80\n"
			"allow tool net connect tcp:443 udp:53 tcp:1000-2000\n"
			"allow tool net bind,connect udp:*\n"
			"allow tool net connect,bind tcp:*\n"
			"allow tool net bind sctp:36412 sctp:2905-2906\n"
			"allow tool net connect sctp:*\n" USE),
		.description = "net bind and connect with every endpoint form",
	},
	{
		TEXT(PS "allow tool net bind tcp:1 tcp:65535 udp:1-65535 "
			"sctp:1 sctp:65535\n" USE),
		.description = "ports at their bounds",
	},
	{
		TEXT(PS "allow tool net connect tcp:80 udp:80 sctp:80\n" USE),
		.description = "one port of each protocol",
	},
	{
		TEXT(PS
		     "allow tool net create unix netlink packet raw icmp\n" USE),
		.description = "net create with every family",
	},
	{
		TEXT(PS
		     "allow tool cap chown dac_override dac_read_search fowner "
		     "fsetid kill setgid setuid setpcap linux_immutable "
		     "net_bind_service net_broadcast net_admin net_raw "
		     "ipc_lock ipc_owner sys_module sys_rawio sys_chroot "
		     "sys_ptrace sys_pacct sys_admin sys_boot sys_nice "
		     "sys_resource sys_time sys_tty_config mknod lease "
		     "audit_write audit_control setfcap mac_override "
		     "mac_admin syslog wake_alarm block_suspend audit_read "
		     "perfmon bpf checkpoint_restore\n" USE),
		.description = "cap with every capability",
	},
	{
		TEXT(P
		     "files data /srv/data\naudit write,chmod,chown data /etc\n"),
		.description = "audit",
	},
	{
		TEXT(P "files " N63 " /x\napp z" N62 " /y\nconfine z" N62 "\n"
		       "allow any read " N63 "\n"),
		.description = "names of 63 characters",
	},
	{
		TEXT("policy " N63 " 1.0.0\n"),
		.description = "a policy name of 63 characters",
	},
	{
		TEXT(P
		     "files A-b_c.9 /x\napp z.Z-0_ /y\nallow z.Z-0_ read A-b_c.9\n"),
		.description = "names with letters, digits, '_', '.' and '-'",
	},
	{
		TEXT(P "files Any /x\napp ANY /y\nallow ANY read Any\n"),
		.description = "only 'any' in lower case is reserved",
	},
	{
		TEXT("policy any 1.0.0\n"),
		.description = "'any' is not reserved as a policy name",
	},
	{
		TEXT("policy p 0.0.0\n"),
		.description = "version 0.0.0",
	},
	{
		TEXT("policy p 123456789.123.1\n"),
		.description = "a version of 15 characters",
	},
	{
		TEXT(P "files data /srv/tool\napp tool /srv/tool\n"
		       "allow tool read data\n"),
		.description = "one path in a files set and an app",
	},
	{
		TEXT(P "app one /usr/bin/tool\napp two /usr/bin/tool\n"
		       "confine one two\n"),
		.description = "one path in two apps is left to the compiler",
	},
	{
		TEXT(P "files a /x\nfiles b /x/\nallow any read a b\n"),
		.description = "paths are compared as written, not resolved",
	},
	{
		TEXT(P "files files /x\napp app /y\nuser user u\n"
		       "allow app write files\nallow user read files\n"),
		.description = "keywords are valid names",
	},
	{
		TEXT(P "files net /x\napp a /a\nallow a read net\n"),
		.description = "'net' as an object is a files set's name",
	},
	{
		TEXT(P "files a /caf\xc3\xa9 /\xe2\x82\xac /\xf0\x9f\x98\x80\n"
		       "# \xc3\xa9t\xc3\xa9\nallow any read a\n"),
		.description =
			"UTF-8 of 2, 3 and 4 bytes in paths and comments",
	},
	{
		TEXT(P "files a /\xed\x9f\xbf /\xee\x80\x80 /\xef\xbf\xbf "
		       "/\xf4\x8f\xbf\xbf /\xc2\x80 /\xe0\xa0\x80 "
		       "/\xf0\x90\x80\x80\nallow any read a\n"),
		.description = "UTF-8 bounds: around the surrogates, U+10FFFF, "
			       "shortest forms",
	},
	{
		TEXT(P S4096 "\n"),
		.description = "a line of exactly 4096 bytes",
	},
	{
		TEXT(P S4096 "\r\n"),
		.description = "a line of 4096 bytes and a CR",
	},
	{
		TEXT(P "files a /x#y\nallow any read a\n"),
		.description = "'#' inside a word does not start a comment",
	},
	{
		TEXT(P "files data /srv/data\napp tool /usr/bin/tool\n"
		       "allow tool read data\nallow tool write data\n"
		       "allow any read data\n"),
		.description =
			"new verbs, or another subject, grant something new",
	},

	/* "kernel" statements and "lock". */
	{
		TEXT(P "kernel module signed\nkernel bpf deny\n"
		       "kernel kexec deny\nkernel kmem deny\n"
		       "kernel lockdown confidentiality\nlock\n"
		       "kernel bpf loader /usr/bin/loader /opt/l\n"
		       "kernel bpf loader /usr/sbin/other\n"),
		.description = "every kernel setting, lock and loaders",
	},
	{
		TEXT(P "kernel module allow\nkernel bpf allow\n"
		       "kernel kexec allow\nkernel kmem allow\n"
		       "kernel lockdown none\n"),
		.description = "every kernel setting at its weakest",
	},
	{
		TEXT(P "kernel\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'kernel module|bpf|kexec|kmem|lockdown VALUE'",
		.description = "kernel without a setting",
	},
	{
		TEXT(P "kernel modules deny\n"),
		.err = -EINVAL,
		.diag = "2:8: error: unknown kernel setting 'modules': expected module, bpf, kexec, kmem or lockdown",
		.description = "unknown kernel setting",
	},
	{
		TEXT(P "kernel lock\n"),
		.err = -EINVAL,
		.diag = "2:8: error: unknown kernel setting 'lock': expected module, bpf, kexec, kmem or lockdown",
		.description = "lock is a statement of its own",
	},
	{
		TEXT(P "kernel module\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'kernel module allow|signed|deny'",
		.description = "kernel module without a value",
	},
	{
		TEXT(P "kernel lockdown integrity confidentiality\n"),
		.err = -EINVAL,
		.diag = "2:27: error: too many arguments: expected 'kernel lockdown none|integrity|confidentiality'",
		.description = "kernel setting with two values",
	},
	{
		TEXT(P "kernel module sign\n"),
		.err = -EINVAL,
		.diag = "2:15: error: unknown value 'sign' for 'kernel module': expected allow, signed or deny",
		.description = "unknown module value",
	},
	{
		TEXT(P "kernel bpf off\n"),
		.err = -EINVAL,
		.diag = "2:12: error: unknown value 'off' for 'kernel bpf': expected guard, allow, deny or loader PATH...",
		.description = "unknown bpf value",
	},
	{
		TEXT(P "kernel kexec signed\n"),
		.err = -EINVAL,
		.diag = "2:14: error: unknown value 'signed' for 'kernel kexec': expected allow or deny",
		.description = "unknown kexec value",
	},
	{
		TEXT(P "kernel kmem Deny\n"),
		.err = -EINVAL,
		.diag = "2:13: error: unknown value 'Deny' for 'kernel kmem': expected allow or deny",
		.description = "kernel values are case-sensitive",
	},
	{
		TEXT(P "kernel lockdown full\n"),
		.err = -EINVAL,
		.diag = "2:17: error: unknown value 'full' for 'kernel lockdown': expected none, integrity or confidentiality",
		.description = "unknown lockdown value",
	},
	{
		TEXT(P "kernel module deny\n\nkernel module deny\n"),
		.err = -EINVAL,
		.diag = "4:1: error: 'kernel module' is already set at line 2: set each kernel setting once in a file",
		.description = "a kernel setting twice in one file, same value",
	},
	{
		TEXT(P "kernel kmem deny\nkernel kmem allow\n"),
		.err = -EINVAL,
		.diag = "3:1: error: 'kernel kmem' is already set at line 2: set each kernel setting once in a file",
		.description = "a kernel setting twice in one file, weaker",
	},
	{
		TEXT(P "lock\nlock\n"),
		.err = -EINVAL,
		.diag = "3:1: error: 'lock' is already set at line 2: write it once in a file",
		.description = "lock twice in one file",
	},
	{
		TEXT(P "lock now\n"),
		.err = -EINVAL,
		.diag = "2:6: error: too many arguments: expected 'lock'",
		.description = "lock takes no argument",
	},
	{
		TEXT(P "kernel bpf loader\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'kernel bpf loader PATH...'",
		.description = "loader without a path",
	},
	{
		TEXT(P "kernel bpf loader /usr/bin/a bin/b\n"),
		.err = -EINVAL,
		.diag = "2:30: error: 'bin/b' is not an absolute path: start it with '/'",
		.description = "loader path not absolute",
	},
	{
		TEXT(P "kernel bpf loader /usr/bin/a\n"
		       "kernel bpf loader /usr/bin/b /usr/bin/a\n"),
		.err = -EINVAL,
		.diag = "3:30: error: '/usr/bin/a' is already a BPF loader (line 2): list it once",
		.description = "loader listed twice",
	},
	{
		TEXT(P "kernel bpf loader /usr/bin/a /usr/bin/a\n"),
		.err = -EINVAL,
		.diag = "2:30: error: '/usr/bin/a' is already a BPF loader (line 2): list it once",
		.description = "loader listed twice in one statement",
	},
	{
		TEXT(P "kernel bpf guard\nkernel bpf loader /usr/bin/a\n"),
		.description = "loaders besides the bpf setting",
	},

	/* Statements and their order. */
	{
		TEXT(P "polcy p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "2:1: error: unknown statement 'polcy': expected policy, mode, files, app, user, confine, inherit, installer, interpreter, allow, audit, kernel or lock",
		.description = "unknown statement",
	},
	{
		TEXT(P "  Files a /x\n"),
		.err = -EINVAL,
		.diag = "2:3: error: unknown statement 'Files'",
		.description = "keywords are case-sensitive",
	},
	{
		TEXT("deny x\n"),
		.err = -EINVAL,
		.diag = "1:1: error: unknown statement 'deny'",
		.description = "unknown statement before the policy statement",
	},
	{
		TEXT("mode enforce\npolicy p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:1: error: 'mode' before the policy statement: a policy file starts with 'policy NAME VERSION'",
		.description = "mode before the policy statement",
	},
	{
		TEXT("# header\n  files a /x\npolicy p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "2:3: error: 'files' before the policy statement",
		.description = "files before the policy statement",
	},
	{
		TEXT("confine a\n"),
		.err = -EINVAL,
		.diag = "1:1: error: 'confine' before the policy statement",
		.description = "confine before the policy statement",
	},
	{
		TEXT("audit write /x\n"),
		.err = -EINVAL,
		.diag = "1:1: error: 'audit' before the policy statement",
		.description = "audit before the policy statement",
	},
	{
		TEXT(P "\npolicy q 2.0.0\n"),
		.err = -EINVAL,
		.diag = "3:1: error: second 'policy' statement in this file (the first is at line 1): give one per file",
		.description = "two policy statements in a file",
	},
	{
		TEXT(""),
		.err = -EINVAL,
		.diag = "0:0: error: no statements: a policy file starts with 'policy NAME VERSION'",
		.description = "empty text",
	},
	{
		TEXT("# nothing but comments\n\n   \n\t# and blanks\n"),
		.err = -EINVAL,
		.diag = "0:0: error: no statements",
		.description = "comments only",
	},
	{
		TEXT("\r\n\r\n"),
		.err = -EINVAL,
		.diag = "0:0: error: no statements",
		.description = "CRLF blank lines only",
	},

	/* Argument counts. */
	{
		TEXT("policy\n"),
		.err = -EINVAL,
		.diag = "1:1: error: missing arguments: expected 'policy NAME VERSION'",
		.description = "policy without arguments",
	},
	{
		TEXT("policy p # 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:1: error: missing arguments: expected 'policy NAME VERSION'",
		.description = "policy without a version (commented out)",
	},
	{
		TEXT("policy p 1.0.0 extra\n"),
		.err = -EINVAL,
		.diag = "1:16: error: too many arguments: expected 'policy NAME VERSION'",
		.description = "policy with an extra argument",
	},
	{
		TEXT(P "mode\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'mode enforce|complain [APP...]'",
		.description = "mode without an argument",
	},
	{
		TEXT(P "files data\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'files NAME PATH...'",
		.description = "files without a path",
	},
	{
		TEXT(P "app tool\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'app NAME PATH...'",
		.description = "app without a path",
	},
	{
		TEXT(P "user staff\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'user NAME MEMBER...'",
		.description = "user without a member",
	},
	{
		TEXT(P "confine\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'confine APP...'",
		.description = "confine without an app",
	},
	{
		TEXT(PS "allow tool write\n"),
		.err = -EINVAL,
		.diag = "6:1: error: missing arguments: expected 'allow SUBJECT ACCESS OBJECT...'",
		.description = "allow without an object",
	},
	{
		TEXT(PS "allow\n"),
		.err = -EINVAL,
		.diag = "6:1: error: missing arguments: expected 'allow SUBJECT ACCESS OBJECT...'",
		.description = "allow alone",
	},
	{
		TEXT(PS "allow tool net bind\n"),
		.err = -EINVAL,
		.diag = "6:1: error: missing arguments: expected 'allow APP net bind|connect[,bind|connect] ENDPOINT... or allow APP net create FAMILY...'",
		.description = "net without an endpoint",
	},
	{
		TEXT(PS "allow tool net create\n"),
		.err = -EINVAL,
		.diag = "6:1: error: missing arguments: expected 'allow APP net",
		.description = "net create without a family",
	},
	{
		TEXT(PS "allow tool cap\n"),
		.err = -EINVAL,
		.diag = "6:1: error: missing arguments: expected 'allow APP cap CAP...'",
		.description = "cap without a capability",
	},
	{
		TEXT(PS "audit write\n"),
		.err = -EINVAL,
		.diag = "6:1: error: missing arguments: expected 'audit ACCESS OBJECT...'",
		.description = "audit without an object",
	},

	/* Names and versions. */
	{
		TEXT("policy 9p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:8: error: invalid policy name '9p': use a letter, then letters, digits, '_', '.' or '-' (at most 63)",
		.description = "policy name starting with a digit",
	},
	{
		TEXT("policy " N64 " 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:8: error: invalid policy name '" N64 "'",
		.description = "policy name of 64 characters",
	},
	{
		TEXT(P "files _a /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: invalid name '_a': use a letter, then letters, digits, '_', '.' or '-' (at most 63)",
		.description = "files name starting with '_'",
	},
	{
		TEXT(P "app a,b /x\n"),
		.err = -EINVAL,
		.diag = "2:5: error: invalid name 'a,b'",
		.description = "app name with a ','",
	},
	{
		TEXT(P "user caf\xc3\xa9 alice\n"),
		.err = -EINVAL,
		.diag = "2:6: error: invalid name 'caf\xc3\xa9'",
		.description = "user set name with a non-ASCII letter",
	},
	{
		TEXT(P "files " N64 " /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: invalid name '" N64 "'",
		.description = "files name of 64 characters",
	},
	{
		TEXT(P "files any /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: 'any' is reserved for rules that apply to everyone; choose another name",
		.description = "'any' as a files name",
	},
	{
		TEXT(P "app ward /x\n"),
		.err = -EINVAL,
		.diag = "2:5: error: 'ward' is reserved for ward's own app, the ward binary; choose another name",
		.description = "'ward' as an app name",
	},
	{
		TEXT(P "files ward /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: 'ward' is reserved",
		.description = "'ward' as a files name",
	},
	{
		TEXT(P "user any alice\n"),
		.err = -EINVAL,
		.diag = "2:6: error: 'any' is reserved",
		.description = "'any' as a user set name",
	},
	{
		TEXT(P "files a /x\nfiles a /y\n"),
		.err = -EINVAL,
		.diag = "3:7: error: 'a' is already defined at line 2 as a files set: names are unique across files sets, apps and user sets",
		.description = "two files sets with one name",
	},
	{
		TEXT(P "app a /x\n\nuser a alice\n"),
		.err = -EINVAL,
		.diag = "4:6: error: 'a' is already defined at line 2 as an app",
		.description = "a user set named as an app",
	},
	{
		TEXT(P "user a alice\napp a /y\n"),
		.err = -EINVAL,
		.diag = "3:5: error: 'a' is already defined at line 2 as a user set",
		.description = "an app named as a user set",
	},
	{
		TEXT("policy p 1.0\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1.0': expected MAJOR.MINOR.PATCH in digits, e.g. 1.0.0 (at most 15 characters)",
		.description = "version with two numbers",
	},
	{
		TEXT("policy p 1..0\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1..0'",
		.description = "version with an empty number",
	},
	{
		TEXT("policy p v1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version 'v1.0.0'",
		.description = "version with a 'v' prefix",
	},
	{
		TEXT("policy p 1.0.0-rc1\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1.0.0-rc1'",
		.description = "version with a suffix",
	},
	{
		TEXT("policy p 1234567890.123.1\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1234567890.123.1'",
		.description = "version of 16 characters",
	},

	/* Modes. */
	{
		TEXT(P "mode permissive\n"),
		.err = -EINVAL,
		.diag = "2:6: error: unknown mode 'permissive': expected enforce or complain",
		.description = "unknown mode",
	},
	{
		TEXT(P "mode enforce\n  mode complain\n"),
		.err = -EINVAL,
		.diag = "3:3: error: the default mode is already set at line 2: set it once in the whole policy, or give apps their own with 'mode MODE APP...'",
		.description = "two default modes",
	},
	{
		TEXT(PS "mode complain tool\nmode enforce tool\n"),
		.err = -EINVAL,
		.diag = "7:14: error: the mode of 'tool' is already set at line 6: set it once",
		.description = "an app's mode set twice",
	},
	{
		TEXT(PS "mode complain tool tool\n"),
		.err = -EINVAL,
		.diag = "6:20: error: 'tool' is listed twice in this statement",
		.description = "an app twice in a mode statement",
	},
	{
		TEXT(PS "mode complain nobody\n"),
		.err = -EINVAL,
		.diag = "6:15: error: unknown app 'nobody': define it with 'app NAME PATH...' before this line",
		.description = "mode of an unknown app",
	},
	{
		TEXT(PS "mode complain data\n"),
		.err = -EINVAL,
		.diag = "6:15: error: 'data' is a files set, not an app",
		.description = "mode of a files set",
	},

	/* Paths. */
	{
		TEXT(P "files a /x x/y\n"),
		.err = -EINVAL,
		.diag = "2:12: error: 'x/y' is not an absolute path: start it with '/'",
		.description = "relative path in files",
	},
	{
		TEXT(P "app a ~/tool\n"),
		.err = -EINVAL,
		.diag = "2:7: error: '~/tool' is not an absolute path",
		.description = "'~' is not expanded",
	},
	{
		TEXT(P "files a /x /y /x\n"),
		.err = -EINVAL,
		.diag = "2:15: error: '/x' is listed twice in this set",
		.description = "path listed twice in files",
	},
	{
		TEXT(P "app a /usr/bin/a /usr/bin/a\n"),
		.err = -EINVAL,
		.diag = "2:18: error: '/usr/bin/a' is listed twice in this set",
		.description = "path listed twice in app",
	},
	{
		TEXT(P "files a /y\nfiles b /x\nfiles c /x\n"),
		.err = -EINVAL,
		.diag = "4:9: error: '/x' is already in files 'b' (line 3): a file has one label, so list it in one files set",
		.description = "path already in another files set",
	},

	/* Members. */
	{
		TEXT(P "user u uid:\n"),
		.err = -EINVAL,
		.diag = "2:8: error: invalid uid 'uid:': expected uid:N with N a decimal number from 0 to 4294967294",
		.description = "uid without a number",
	},
	{
		TEXT(P "user u uid:4294967295\n"),
		.err = -EINVAL,
		.diag = "2:8: error: invalid uid 'uid:4294967295'",
		.description = "uid -1 is not a user",
	},
	{
		TEXT(P "user u gid:-1\n"),
		.err = -EINVAL,
		.diag = "2:8: error: invalid gid 'gid:-1': expected gid:N",
		.description = "negative gid",
	},
	{
		TEXT(P "user u gid:0x10\n"),
		.err = -EINVAL,
		.diag = "2:8: error: invalid gid 'gid:0x10'",
		.description = "hexadecimal gid",
	},
	{
		TEXT(P "user u group:Wheel\n"),
		.err = -EINVAL,
		.diag = "2:8: error: invalid group name in 'group:Wheel': use lower-case letters, digits, '_', '.' or '-', a letter or '_' first, maybe '$' last, at most 32",
		.description = "group name with a capital",
	},
	{
		TEXT(P "user u group:\n"),
		.err = -EINVAL,
		.diag = "2:8: error: invalid group name in 'group:'",
		.description = "empty group name",
	},
	{
		TEXT(P "user u usr:1000\n"),
		.err = -EINVAL,
		.diag = "2:8: error: unknown member 'usr:1000': expected USER, uid:N, group:NAME or gid:N",
		.description = "unknown member kind",
	},
	{
		TEXT(P "user u 1alice\n"),
		.err = -EINVAL,
		.diag = "2:8: error: invalid user name '1alice': use lower-case letters",
		.description = "user name starting with a digit",
	},
	{
		TEXT(P "user u a$b\n"),
		.err = -EINVAL,
		.diag = "2:8: error: invalid user name 'a$b'",
		.description = "'$' only last in a user name",
	},
	{
		TEXT(P "user u " U33 "\n"),
		.err = -EINVAL,
		.diag = "2:8: error: invalid user name '" U33 "'",
		.description = "user name of 33 characters",
	},
	{
		TEXT(P "user u alice bob alice\n"),
		.err = -EINVAL,
		.diag = "2:18: error: 'alice' is listed twice in this set",
		.description = "user listed twice",
	},
	{
		TEXT(P "user u uid:7 uid:007\n"),
		.err = -EINVAL,
		.diag = "2:14: error: 'uid:007' is listed twice in this set",
		.description = "one uid written two ways",
	},

	/* Confine. */
	{
		TEXT(PS "confine nobody\n"),
		.err = -EINVAL,
		.diag = "6:9: error: unknown app 'nobody'",
		.description = "confine of an unknown app",
	},
	{
		TEXT(PS "confine staff\n"),
		.err = -EINVAL,
		.diag = "6:9: error: 'staff' is a user set, not an app",
		.description = "confine of a user set",
	},
	{
		TEXT(P "app a /a\nconfine a a\n"),
		.err = -EINVAL,
		.diag = "3:11: error: 'a' is listed twice in this statement",
		.description = "an app twice in a confine statement",
	},

	/* Subjects. */
	{
		TEXT(PS "allow nobody write data\n"),
		.err = -EINVAL,
		.diag = "6:7: error: unknown subject 'nobody': expected any, ward, or an app or a user set defined before this line",
		.description = "unknown subject",
	},
	{
		TEXT(P "files data /srv/data\n"
		       "allow tool write data\n"
		       "app tool /usr/bin/tool\n"),
		.err = -EINVAL,
		.diag = "3:7: error: unknown subject 'tool'",
		.description = "app used before its definition",
	},
	{
		TEXT(PS "allow data write data\n"),
		.err = -EINVAL,
		.diag = "6:7: error: 'data' is a files set, not a subject: expected any, an app or a user set",
		.description = "files set as a subject",
	},
	{
		TEXT(PS "allow any net bind tcp:80\n"),
		.err = -EINVAL,
		.diag = "6:7: error: 'net' rules are for apps, and 'any' is everyone: name an app",
		.description = "net rule for any",
	},
	{
		TEXT(PS "allow staff cap chown\n"),
		.err = -EINVAL,
		.diag = "6:7: error: 'cap' rules are for apps, and 'staff' is a user set: name an app",
		.description = "cap rule for a user set",
	},

	/* Access and objects. */
	{
		TEXT(PS "allow tool wirte data\n"),
		.err = -EINVAL,
		.diag = "6:12: error: unknown access 'wirte': expected read, write, exec, unlink, rename, link, chmod, chown or mount (several joined by ',')",
		.description = "unknown access",
	},
	{
		TEXT(PS "allow tool READ data\n"),
		.err = -EINVAL,
		.diag = "6:12: error: unknown access 'READ'",
		.description = "access names are case-sensitive",
	},
	{
		TEXT(PS "allow tool write,exec,execute data\n"),
		.err = -EINVAL,
		.diag = "6:23: error: unknown access 'execute'",
		.description = "unknown access after commas, at its column",
	},
	{
		TEXT(PS "allow tool ,write data\n"),
		.err = -EINVAL,
		.diag = "6:12: error: unknown access ''",
		.description = "access list starting with a comma",
	},
	{
		TEXT(PS "allow tool write, data\n"),
		.err = -EINVAL,
		.diag = "6:18: error: unknown access ''",
		.description = "access list ending with a comma",
	},
	{
		TEXT(PS "allow tool read,write,read data\n"),
		.err = -EINVAL,
		.diag = "6:23: error: 'read' is listed twice in 'read,write,read'",
		.description = "verb listed twice",
	},
	{
		TEXT(PS "allow tool write data nothing\n"),
		.err = -EINVAL,
		.diag = "6:23: error: unknown files 'nothing': define it with 'files NAME PATH...' before this line, or write an absolute path",
		.description = "unknown files",
	},
	{
		TEXT(PS "allow tool write tool\n"),
		.err = -EINVAL,
		.diag = "6:18: error: 'tool' is an app, not a files set",
		.description = "app as an object",
	},
	{
		TEXT(PS "audit write staff\n"),
		.err = -EINVAL,
		.diag = "6:13: error: 'staff' is a user set, not a files set",
		.description = "user set as an audit object",
	},
	{
		TEXT(PS "allow tool read etc/passwd\n"),
		.err = -EINVAL,
		.diag = "6:17: error: 'etc/passwd' is not an absolute path: start it with '/'",
		.description = "relative path as an object",
	},
	{
		TEXT(PS "allow tool read data /x data\n"),
		.err = -EINVAL,
		.diag = "6:25: error: 'data' is listed twice in this rule",
		.description = "object listed twice",
	},
	{
		TEXT(PS "audit bogus data\n"),
		.err = -EINVAL,
		.diag = "6:7: error: unknown access 'bogus'",
		.description = "unknown access in audit",
	},

	/* Network. */
	{
		TEXT(PS "allow tool net listen tcp:80\n"),
		.err = -EINVAL,
		.diag = "6:16: error: unknown network operation 'listen': expected bind, connect, bind,connect or create",
		.description = "unknown network operation",
	},
	{
		TEXT(PS "allow tool net bind,create tcp:80\n"),
		.err = -EINVAL,
		.diag = "6:16: error: 'create' cannot be joined to bind or connect: write 'allow APP net create FAMILY...' as a rule of its own",
		.description = "create joined to bind",
	},
	{
		TEXT(PS "allow tool net bind,bind tcp:80\n"),
		.err = -EINVAL,
		.diag = "6:21: error: 'bind' is listed twice in 'bind,bind'",
		.description = "operation listed twice",
	},
	{
		TEXT(PS "allow tool net bind dccp:80\n"),
		.err = -EINVAL,
		.diag = "6:21: error: unknown endpoint 'dccp:80': expected tcp:PORT, tcp:LOW-HIGH, tcp:* or the same with udp or sctp",
		.description = "unknown protocol",
	},
	{
		TEXT(PS "allow tool net bind SCTP:80\n"),
		.err = -EINVAL,
		.diag = "6:21: error: unknown endpoint 'SCTP:80'",
		.description = "protocol in upper case",
	},
	{
		TEXT(PS "allow tool net bind sctp\n"),
		.err = -EINVAL,
		.diag = "6:21: error: unknown endpoint 'sctp'",
		.description = "protocol without a port",
	},
	{
		TEXT(PS "allow tool net bind :80\n"),
		.err = -EINVAL,
		.diag = "6:21: error: unknown endpoint ':80'",
		.description = "port without a protocol before its colon",
	},
	{
		TEXT(PS "allow tool net bind icmp:1\n"),
		.err = -EINVAL,
		.diag = "6:21: error: unknown endpoint 'icmp:1'",
		.description = "icmp has no ports",
	},
	{
		TEXT(PS "allow tool net bind 80\n"),
		.err = -EINVAL,
		.diag = "6:21: error: unknown endpoint '80'",
		.description = "port without a protocol",
	},
	{
		TEXT(PS "allow tool net bind tcp:0\n"),
		.err = -EINVAL,
		.diag = "6:25: error: invalid port in 'tcp:0': expected a port from 1 to 65535, a range LOW-HIGH of them, or * for all",
		.description = "port 0",
	},
	{
		TEXT(PS "allow tool net bind udp:65536\n"),
		.err = -EINVAL,
		.diag = "6:25: error: invalid port in 'udp:65536'",
		.description = "port 65536",
	},
	{
		TEXT(PS "allow tool net bind tcp:\n"),
		.err = -EINVAL,
		.diag = "6:25: error: invalid port in 'tcp:'",
		.description = "empty port",
	},
	{
		TEXT(PS "allow tool net bind tcp:http\n"),
		.err = -EINVAL,
		.diag = "6:25: error: invalid port in 'tcp:http'",
		.description = "service name for a port",
	},
	{
		TEXT(PS "allow tool net bind tcp:10-\n"),
		.err = -EINVAL,
		.diag = "6:25: error: invalid port in 'tcp:10-'",
		.description = "range without its end",
	},
	{
		TEXT(PS "allow tool net bind tcp:0-10\n"),
		.err = -EINVAL,
		.diag = "6:25: error: invalid port in 'tcp:0-10'",
		.description = "range from port 0",
	},
	{
		TEXT(PS "allow tool net bind tcp:10-9\n"),
		.err = -EINVAL,
		.diag = "6:25: error: empty port range in 'tcp:10-9': write the lower port first",
		.description = "range backwards",
	},
	{
		TEXT(PS "allow tool net bind sctp:0\n"),
		.err = -EINVAL,
		.diag = "6:26: error: invalid port in 'sctp:0': expected a port from 1 to 65535",
		.description = "sctp port 0, the column after sctp:",
	},
	{
		TEXT(PS "allow tool net bind sctp:9-8\n"),
		.err = -EINVAL,
		.diag = "6:26: error: empty port range in 'sctp:9-8'",
		.description = "sctp range backwards",
	},
	{
		TEXT(PS "allow tool net bind tcp:*-80\n"),
		.err = -EINVAL,
		.diag = "6:25: error: invalid port in 'tcp:*-80'",
		.description = "'*' in a range",
	},
	{
		TEXT(PS "allow tool net bind tcp:80 tcp:80-80\n"),
		.err = -EINVAL,
		.diag = "6:28: error: 'tcp:80-80' is listed twice in this rule",
		.description = "one endpoint written two ways",
	},
	{
		TEXT(PS "allow tool net bind tcp:* udp:* tcp:*\n"),
		.err = -EINVAL,
		.diag = "6:33: error: 'tcp:*' is listed twice in this rule",
		.description = "every port twice",
	},
	{
		TEXT(PS "allow tool net bind tcp:80 sctp:80 sctp:80\n"),
		.err = -EINVAL,
		.diag = "6:36: error: 'sctp:80' is listed twice in this rule",
		.description = "an sctp port twice, after the same tcp port",
	},
	{
		TEXT(PS "allow tool net create inet\n"),
		.err = -EINVAL,
		.diag = "6:23: error: unknown socket family 'inet': expected unix, netlink, packet, raw or icmp",
		.description = "unknown family",
	},
	{
		TEXT(PS "allow tool net create tcp\n"),
		.err = -EINVAL,
		.diag = "6:23: error: 'tcp' is not created by family: allow TCP, UDP and SCTP with 'allow APP net bind|connect ENDPOINT...'",
		.description = "tcp as a family",
	},
	{
		TEXT(PS "allow tool net create unix sctp\n"),
		.err = -EINVAL,
		.diag = "6:28: error: 'sctp' is not created by family: allow TCP, UDP and SCTP",
		.description = "sctp as a family",
	},
	{
		TEXT(PS "allow tool net create ping\n"),
		.err = -EINVAL,
		.diag = "6:23: error: unknown socket family 'ping'",
		.description = "ping sockets are the icmp family",
	},
	{
		TEXT(PS "allow tool net create icmp raw icmp\n"),
		.err = -EINVAL,
		.diag = "6:32: error: 'icmp' is listed twice in this rule",
		.description = "icmp listed twice",
	},
	{
		TEXT(PS "allow tool net create unix raw unix\n"),
		.err = -EINVAL,
		.diag = "6:32: error: 'unix' is listed twice in this rule",
		.description = "family listed twice",
	},

	/* Capabilities. */
	{
		TEXT(PS "allow tool cap net_bind\n"),
		.err = -EINVAL,
		.diag = "6:16: error: unknown capability 'net_bind': expected a name from capabilities(7) in lower case without 'cap_', e.g. net_bind_service",
		.description = "unknown capability",
	},
	{
		TEXT(PS "allow tool cap CAP_NET_ADMIN\n"),
		.err = -EINVAL,
		.diag = "6:16: error: unknown capability 'CAP_NET_ADMIN': write capability names in lower case without 'cap_', e.g. net_admin",
		.description = "capability spelled as in C",
	},
	{
		TEXT(PS "allow tool cap cap_chown\n"),
		.err = -EINVAL,
		.diag = "6:16: error: unknown capability 'cap_chown': write capability names in lower case",
		.description = "capability with its cap_ prefix",
	},
	{
		TEXT(PS "allow tool cap kill chown kill\n"),
		.err = -EINVAL,
		.diag = "6:27: error: 'kill' is listed twice in this rule",
		.description = "capability listed twice",
	},

	/* Text. */
	{
		TEXT(P "mode enforce\nfiles a /x\0y\n"),
		.err = -EINVAL,
		.diag = "3:11: error: NUL byte: a policy is text; remove it",
		.description = "NUL byte on line 3",
	},
	{
		TEXT("\0policy p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:1: error: NUL byte",
		.description = "NUL byte first",
	},
	{
		TEXT(P "files a /x\rb\n"),
		.err = -EINVAL,
		.diag = "2:11: error: control character 0x0d in a word: only blanks (space, tab) may separate words, and names and paths are printable",
		.description = "CR inside a line",
	},
	{
		TEXT(P "files a /x\x1b[0m\n"),
		.err = -EINVAL,
		.diag = "2:11: error: control character 0x1b",
		.description = "escape character in a path",
	},
	{
		TEXT(P "files a /x\xff\n"),
		.err = -EINVAL,
		.diag = "2:11: error: invalid UTF-8: a policy is UTF-8 text; the rest of this file is not parsed",
		.description = "invalid UTF-8: byte 0xff",
	},
	{
		TEXT("\x80policy p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:1: error: invalid UTF-8",
		.description = "invalid UTF-8: continuation byte first",
	},
	{
		TEXT(P "files a /caf\xc3 /x\n"),
		.err = -EINVAL,
		.diag = "2:13: error: invalid UTF-8",
		.description = "invalid UTF-8: sequence cut by a blank",
	},
	{
		TEXT(P "files a /x\xf0\x9f\x98"),
		.err = -EINVAL,
		.diag = "2:11: error: invalid UTF-8",
		.description = "invalid UTF-8: sequence cut by the end of text",
	},
	{
		TEXT(P "files a /\xc0\xaf\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: overlong '/' in 2 bytes",
	},
	{
		TEXT(P "files a /\xed\xa0\x80\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: surrogate U+D800",
	},
	{
		TEXT(P "files a /\xf4\x90\x80\x80\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: U+110000, beyond Unicode",
	},
	{
		TEXT(P "# comment \xfe\n"),
		.err = -EINVAL,
		.diag = "2:11: error: invalid UTF-8",
		.description = "invalid UTF-8 in a comment",
	},
	{
		TEXT(P S4096 "#\n"),
		.err = -EINVAL,
		.diag = "2:4097: error: line is longer than 4096 bytes: split the statement into several",
		.description = "a line of 4097 bytes",
	},

	/* Warnings of policy_finish(). */
	{
		TEXT(P "files data /srv/data\n"),
		.diag = "2:7: warning: files 'data' is defined but no rule uses it",
		.description = "files set no rule uses",
	},
	{
		TEXT(P "files data /srv/data\naudit write data\n"
		       "app  tool /usr/bin/tool\n"),
		.diag = "4:6: warning: app 'tool' is defined but no rule, confine or mode statement uses it",
		.description = "app nothing uses",
	},
	{
		TEXT(P "user   staff alice\n"),
		.diag = "2:8: warning: user set 'staff' is defined but no rule uses it",
		.description = "user set no rule uses",
	},
	{
		TEXT(P
		     "app tool /usr/bin/tool\nallow tool net connect tcp:443\n"),
		.diag = "3:7: warning: restricts nothing: 'tool' is not confined",
		.description = "net rule for an app not confined",
	},
	{
		TEXT(P "app tool /usr/bin/tool\nallow tool net create unix\n"),
		.diag = "3:7: warning: restricts nothing: 'tool' is not confined",
		.description = "net create rule for an app not confined",
	},
	{
		TEXT(P "app tool /usr/bin/tool\nallow tool cap chown\n"),
		.diag = "3:7: warning: restricts nothing: 'tool' is not confined",
		.description = "cap rule for an app not confined",
	},
	{
		TEXT(P "app tool /usr/bin/tool\nmode complain tool\n"),
		.description = "mode of an app not confined: it matters on protected labels",
	},
	{
		TEXT(P "app sshd /usr/sbin/sshd\napp shell /usr/bin/bash\n"
		       "confine sshd\nallow sshd exec /usr/bin/bash\n"),
		.description = "an app whose executable a rule allows to run is used",
	},
	{
		TEXT(P "files data /srv/data\napp tool /usr/bin/tool\n"
		       "allow tool read,write data\nallow tool write data\n"),
		.diag = "5:18: warning: grants nothing new: line 4 already allows it",
		.description = "rule granting less than an earlier one",
	},
	{
		TEXT(P "files data /srv/data\napp tool /usr/bin/tool\n"
		       "allow tool read data\nallow tool write data\n"
		       "allow tool write,read data\n"),
		.diag = "6:23: warning: grants nothing new: line 4 and line 5 already allow it",
		.description = "rule granting what two earlier ones did",
	},
	{
		TEXT(P
		     "files data /srv/data /srv/more\napp tool /usr/bin/tool\n"
		     "allow tool read data\nallow tool read /srv/more\n"),
		.diag = "5:17: warning: grants nothing new: line 4 already allows it",
		.description = "a path of a files set shares its label",
	},
	{
		TEXT(P "allow any read /x\nallow any read /x\n"),
		.diag = "3:16: warning: grants nothing new: line 2 already allows it",
		.description = "one path twice for any",
	},
	{
		TEXT(P "files data /srv/data\naudit write,read data\n"
		       "audit read data\n"),
		.diag = "4:12: warning: audits nothing new: line 3 already audits it",
		.description = "audit already there",
	},
	{
		TEXT(PS
		     "allow tool net connect tcp:*\nallow tool net connect tcp:443\n" USE),
		.diag = "7:24: warning: grants nothing new: line 6 already allows it",
		.description = "a port under tcp:*",
	},
	{
		TEXT(PS
		     "allow tool net bind,connect udp:53\nallow tool net bind udp:53-53\n" USE),
		.diag = "7:21: warning: grants nothing new: line 6 already allows it",
		.description = "the same port again",
	},
	{
		TEXT(PS
		     "allow tool net bind sctp:*\nallow tool net bind sctp:36412\n" USE),
		.diag = "7:21: warning: grants nothing new: line 6 already allows it",
		.description = "an sctp port under sctp:*",
	},
	{
		TEXT(PS
		     "allow tool net bind tcp:*\nallow tool net bind sctp:80\n"
		     "allow tool net bind udp:80\n" USE),
		.description = "tcp:* does not cover sctp or udp",
	},
	{
		TEXT(PS
		     "allow tool net create raw\nallow tool net create icmp raw\n" USE),
		.description = "icmp is not raw",
	},
	{
		TEXT(PS
		     "allow tool net create icmp unix\nallow tool net create icmp\n" USE),
		.diag = "7:1: warning: grants nothing new: line 6 already allows it",
		.description = "icmp already allowed",
	},
	{
		TEXT(PS "allow tool cap chown kill\nallow tool cap kill\n" USE),
		.diag = "7:1: warning: grants nothing new: line 6 already allows it",
		.description = "capability already allowed",
	},
	{
		TEXT(PS
		     "allow tool net create unix\nallow tool net create unix\n" USE),
		.diag = "7:1: warning: grants nothing new: line 6 already allows it",
		.description = "family already allowed",
	},
};

/* Formats @d as "LINE:COL: SEVERITY: MESSAGE". */
static void format_diag(const struct diag *d, char *buf, size_t size)
{
	snprintf(buf, size, "%u:%u: %s: %s", d->line, d->col,
		 d->severity == DIAG_ERROR ? "error" : "warning", d->msg);
}

/* Parses @text as the file "test.policy" and finishes the policy. */
static int parse_one(struct policy *p, const char *text, size_t len,
		     struct diag_list *diags)
{
	int err;

	policy_init(p);
	err = policy_parse(p, "test.policy", text, len, diags);
	if (policy_finish(p, diags) && !err)
		err = -EINVAL;
	return err;
}

TEST(parse_table)
{
	size_t warnings = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct parse_case *c = &cases[i];
		struct diag_list diags = { 0 };
		char got[1024] = "(no diagnostic)";
		struct policy p;
		int err;

		err = parse_one(&p, c->text, c->len, &diags);
		if (diags.n)
			format_diag(&diags.v[0], got, sizeof(got));

		EXPECT_EQ(c->err, err)
		{
			TH_LOG("case %zu, %s: returned %d, first diagnostic: %s",
			       i, c->description, err, got);
		}
		if (c->diag) {
			EXPECT_EQ(0, strncmp(got, c->diag, strlen(c->diag)))
			{
				TH_LOG("case %zu, %s:", i, c->description);
				TH_LOG("  expected: %s", c->diag);
				TH_LOG("  got:      %s", got);
			}
			if (diags.n) {
				EXPECT_STREQ("test.policy", diags.v[0].file);
			}
			warnings += strstr(c->diag, ": warning: ") != NULL;
		} else {
			EXPECT_EQ(0, (int)diags.n)
			{
				TH_LOG("case %zu, %s: unexpected %s", i,
				       c->description, got);
			}
		}
		EXPECT_EQ(c->err ? 1 : 0, diags.errors ? 1 : 0);
		policy_free(&p);
		diag_free(&diags);
	}
	EXPECT_LE(90, (int)ARRAY_SIZE(cases));
	EXPECT_LE(10, (int)warnings);
}

TEST(parse_reports_every_bad_line)
{
	static const char text[] = "policy p 1.0.0\n"
				   "foo\n"
				   "mode maybe\n"
				   "files ok /x\n"
				   "files 1bad /y\n"
				   "allow any read ok nothing\n"
				   "allow any read ok\n";
	struct diag_list diags = { 0 };
	struct policy p;

	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", text, strlen(text), &diags));
	ASSERT_EQ(4, (int)diags.n);
	EXPECT_EQ(4, (int)diags.errors);
	EXPECT_EQ(2U, diags.v[0].line);
	EXPECT_EQ(3U, diags.v[1].line);
	EXPECT_EQ(5U, diags.v[2].line);
	EXPECT_EQ(6U, diags.v[3].line);
	/* The valid statements around them are still parsed. */
	EXPECT_STREQ("p", p.units[0].name);
	ASSERT_EQ(1, (int)p.n_files);
	EXPECT_STREQ("ok", p.files[0].name);
	ASSERT_EQ(1, (int)p.n_rules);
	EXPECT_EQ(7U, p.rules[0].loc.line);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_defines_a_set_whose_path_is_wrong)
{
	/* So that rules naming it do not add errors of their own. */
	static const char text[] = "policy p 1.0.0\n"
				   "files data /x rel /y\n"
				   "allow any read data\n";
	struct diag_list diags = { 0 };
	struct policy p;

	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", text, strlen(text), &diags));
	ASSERT_EQ(1, (int)diags.n);
	ASSERT_EQ(1, (int)p.n_files);
	EXPECT_EQ(2, (int)p.files[0].n_paths);
	EXPECT_EQ(1, (int)p.n_rules);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_stops_at_invalid_utf8)
{
	static const char text[] = "policy p 1.0.0\n"
				   "foo\n"
				   "files a /\xff\n"
				   "bar\n";
	struct diag_list diags = { 0 };
	struct policy p;

	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", text, strlen(text), &diags));
	ASSERT_EQ(2, (int)diags.n);
	EXPECT_EQ(2U, diags.v[0].line);
	EXPECT_EQ(3U, diags.v[1].line);
	EXPECT_EQ(10U, diags.v[1].col);
	EXPECT_EQ(0, (int)p.n_files);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_reports_nul_bytes_and_goes_on)
{
	static const char text[] = "policy p 1.0.0\n"
				   "files a /\0\n"
				   "files b /b\n"
				   "\0\n";
	struct diag_list diags = { 0 };
	struct policy p;

	policy_init(&p);
	EXPECT_EQ(-EINVAL,
		  policy_parse(&p, "t", text, sizeof(text) - 1, &diags));
	ASSERT_EQ(2, (int)diags.n);
	EXPECT_EQ(2U, diags.v[0].line);
	EXPECT_EQ(4U, diags.v[1].line);
	EXPECT_EQ(1U, diags.v[1].col);
	ASSERT_EQ(1, (int)p.n_files);
	EXPECT_STREQ("b", p.files[0].name);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_stops_after_100_errors)
{
	char *text = NULL;
	size_t size = 0;
	struct diag_list diags = { 0 };
	struct policy p;
	FILE *f = open_memstream(&text, &size);

	ASSERT_NE(NULL, f);
	fputs("policy p 1.0.0\n", f);
	for (int i = 0; i < 500; i++)
		fputs("bogus\n", f);
	ASSERT_EQ(0, fclose(f));

	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", text, size, &diags));
	ASSERT_EQ(101, (int)diags.n);
	EXPECT_EQ(101U, diags.v[100].line);
	EXPECT_EQ(0U, diags.v[100].col);
	EXPECT_STREQ(
		"too many errors (100): the rest of this file is not parsed",
		diags.v[100].msg);
	policy_free(&p);
	diag_free(&diags);
	free(text);
}

TEST(parse_reads_only_len_bytes)
{
	/* Not NUL-terminated where it ends: the rest must not be read. */
	static const char text[] = "policy p 1.0.0\nfoo\n";
	struct diag_list diags = { 0 };
	struct policy p;

	policy_init(&p);
	EXPECT_EQ(0, policy_parse(&p, "t", text, strlen("policy p 1.0.0\n"),
				  &diags));
	EXPECT_EQ(0, (int)diags.n);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_works_on_a_zeroed_policy)
{
	/* As policy_init() would leave it: callers may write "= {}". */
	static const char text[] = "policy p 1.0.0\n";
	struct diag_list diags = { 0 };
	struct policy p = { 0 };

	EXPECT_EQ(0, policy_parse(&p, "t", text, strlen(text), &diags));
	EXPECT_EQ((__u32)WARD_MODE_ENFORCE, p.mode);
	EXPECT_EQ(0U, p.mode_loc.line);
	policy_free(&p);
	EXPECT_EQ(0, (int)p.n_units);
	EXPECT_EQ(NULL, p.units);
	diag_free(&diags);
}

static const char full_policy[] =
	"# web server\n"
	"policy web-server 1.2.3\n"
	"mode complain\n"
	"\n"
	"files config /etc/nginx /etc/ssl/private\n"
	"files logs\t/var/log/nginx   # logs\n"
	"app nginx /usr/sbin/nginx\n"
	"app logrotate /usr/sbin/logrotate /usr/bin/logrotate\n"
	"user admins root uid:1000 group:adm gid:4\n"
	"confine nginx\n"
	"mode enforce nginx\n"
	"allow nginx read config\n"
	"allow logrotate write,read logs config /run/nginx.pid\n"
	"allow admins read,write logs\n"
	"allow any read logs\n"
	"allow nginx net bind tcp:80 tcp:443\n"
	"allow nginx net connect,bind udp:53 tcp:8000-8080 udp:* sctp:2905-2906\n"
	"allow nginx net create unix netlink icmp\n"
	"allow nginx cap net_bind_service setuid setgid\n"
	"audit write,chmod config\n";

static void expect_loc(struct __test_metadata *_metadata,
		       const struct policy_loc *loc, const char *file,
		       unsigned int line, unsigned int col)
{
	EXPECT_STREQ(file, loc->file);
	EXPECT_EQ(line, loc->line);
	EXPECT_EQ(col, loc->col);
}

static void expect_path(struct __test_metadata *_metadata,
			const struct policy_set *set, size_t i,
			const char *path, unsigned int line, unsigned int col)
{
	ASSERT_LT(i, set->n_paths);
	EXPECT_STREQ(path, set->paths[i].path);
	expect_loc(_metadata, &set->paths[i].loc, "web.policy", line, col);
}

static void expect_member(struct __test_metadata *_metadata,
			  const struct policy_member *m,
			  enum policy_member_kind kind, const char *name,
			  __u32 id, unsigned int col)
{
	EXPECT_EQ((int)kind, (int)m->kind);
	if (name) {
		EXPECT_STREQ(name, m->name);
	} else {
		EXPECT_EQ(NULL, m->name);
		EXPECT_EQ(id, m->id);
	}
	expect_loc(_metadata, &m->loc, "web.policy", 9, col);
}

static void expect_object(struct __test_metadata *_metadata,
			  const struct policy_object *o, size_t files,
			  const char *path, unsigned int line, unsigned int col)
{
	EXPECT_EQ(files, o->files);
	if (path) {
		EXPECT_STREQ(path, o->path);
	} else {
		EXPECT_EQ(NULL, o->path);
	}
	expect_loc(_metadata, &o->loc, "web.policy", line, col);
}

static void expect_endpoint(struct __test_metadata *_metadata,
			    const struct policy_endpoint *e, int proto, int min,
			    int max, unsigned int line, unsigned int col)
{
	EXPECT_EQ(proto, (int)e->proto);
	EXPECT_EQ(min, (int)e->port_min);
	EXPECT_EQ(max, (int)e->port_max);
	expect_loc(_metadata, &e->loc, "web.policy", line, col);
}

TEST(parse_fills_in_the_policy)
{
	struct diag_list diags = { 0 };
	const struct policy_rule *r;
	struct policy p;

	policy_init(&p);
	ASSERT_EQ(0, policy_parse(&p, "web.policy", full_policy,
				  strlen(full_policy), &diags));
	ASSERT_EQ(0, policy_finish(&p, &diags));
	EXPECT_EQ(0, (int)diags.n)
	{
		diag_print(&diags, stderr);
	}

	ASSERT_EQ(1, (int)p.n_units);
	EXPECT_STREQ("web.policy", p.units[0].file);
	EXPECT_STREQ("web-server", p.units[0].name);
	EXPECT_STREQ("1.2.3", p.units[0].version);
	expect_loc(_metadata, &p.units[0].loc, "web.policy", 2, 1);
	/* Every loc points to the unit's own copy of the file name. */
	EXPECT_EQ(p.units[0].file, p.units[0].loc.file);
	EXPECT_EQ((__u32)WARD_MODE_COMPLAIN, p.mode);
	expect_loc(_metadata, &p.mode_loc, "web.policy", 3, 1);

	ASSERT_EQ(2, (int)p.n_files);
	EXPECT_STREQ("config", p.files[0].name);
	expect_loc(_metadata, &p.files[0].loc, "web.policy", 5, 7);
	EXPECT_EQ(p.units[0].file, p.files[0].loc.file);
	EXPECT_EQ(2, (int)p.files[0].n_paths);
	expect_path(_metadata, &p.files[0], 0, "/etc/nginx", 5, 14);
	expect_path(_metadata, &p.files[0], 1, "/etc/ssl/private", 5, 25);
	EXPECT_FALSE(p.files[0].confined);
	EXPECT_STREQ("logs", p.files[1].name);
	EXPECT_EQ(1, (int)p.files[1].n_paths);
	expect_path(_metadata, &p.files[1], 0, "/var/log/nginx", 6, 12);

	ASSERT_EQ(2, (int)p.n_apps);
	EXPECT_STREQ("nginx", p.apps[0].name);
	expect_loc(_metadata, &p.apps[0].loc, "web.policy", 7, 5);
	expect_path(_metadata, &p.apps[0], 0, "/usr/sbin/nginx", 7, 11);
	EXPECT_TRUE(p.apps[0].confined);
	EXPECT_EQ((__u32)WARD_APP_MODE_ENFORCE, p.apps[0].mode);
	EXPECT_STREQ("logrotate", p.apps[1].name);
	EXPECT_EQ(2, (int)p.apps[1].n_paths);
	expect_path(_metadata, &p.apps[1], 0, "/usr/sbin/logrotate", 8, 15);
	expect_path(_metadata, &p.apps[1], 1, "/usr/bin/logrotate", 8, 35);
	EXPECT_FALSE(p.apps[1].confined);
	EXPECT_EQ((__u32)WARD_APP_MODE_INHERIT, p.apps[1].mode);

	ASSERT_EQ(1, (int)p.n_users);
	EXPECT_STREQ("admins", p.users[0].name);
	expect_loc(_metadata, &p.users[0].loc, "web.policy", 9, 6);
	ASSERT_EQ(4, (int)p.users[0].n_members);
	expect_member(_metadata, &p.users[0].members[0], MEMBER_USER, "root", 0,
		      13);
	expect_member(_metadata, &p.users[0].members[1], MEMBER_UID, NULL, 1000,
		      18);
	expect_member(_metadata, &p.users[0].members[2], MEMBER_GROUP, "adm", 0,
		      27);
	expect_member(_metadata, &p.users[0].members[3], MEMBER_GID, NULL, 4,
		      37);

	ASSERT_EQ(9, (int)p.n_rules);

	r = &p.rules[0]; /* allow nginx read config */
	EXPECT_EQ((int)RULE_FILES, (int)r->kind);
	expect_loc(_metadata, &r->loc, "web.policy", 12, 1);
	EXPECT_EQ((int)SUBJECT_APP, (int)r->subject.kind);
	EXPECT_EQ(0, (int)r->subject.index);
	expect_loc(_metadata, &r->subject.loc, "web.policy", 12, 7);
	EXPECT_EQ((__u32)WARD_ACCESS_READ, r->access);
	ASSERT_EQ(1, (int)r->n_objects);
	expect_object(_metadata, &r->objects[0], 0, NULL, 12, 18);
	EXPECT_EQ(0, (int)r->n_endpoints);

	r = &p.rules[1]; /* allow logrotate write,read logs config /run/... */
	EXPECT_EQ((int)RULE_FILES, (int)r->kind);
	EXPECT_EQ((int)SUBJECT_APP, (int)r->subject.kind);
	EXPECT_EQ(1, (int)r->subject.index);
	EXPECT_EQ((__u32)(WARD_ACCESS_READ | WARD_ACCESS_WRITE), r->access);
	ASSERT_EQ(3, (int)r->n_objects);
	expect_object(_metadata, &r->objects[0], 1, NULL, 13, 28);
	expect_object(_metadata, &r->objects[1], 0, NULL, 13, 33);
	expect_object(_metadata, &r->objects[2], SIZE_MAX, "/run/nginx.pid", 13,
		      40);

	r = &p.rules[2]; /* allow admins read,write logs */
	EXPECT_EQ((int)SUBJECT_USERS, (int)r->subject.kind);
	EXPECT_EQ(0, (int)r->subject.index);

	r = &p.rules[3]; /* allow any read logs */
	EXPECT_EQ((int)SUBJECT_ANY, (int)r->subject.kind);
	expect_loc(_metadata, &r->subject.loc, "web.policy", 15, 7);

	r = &p.rules[4]; /* allow nginx net bind tcp:80 tcp:443 */
	EXPECT_EQ((int)RULE_NET, (int)r->kind);
	EXPECT_EQ((__u32)WARD_NET_BIND, r->access);
	EXPECT_EQ(0, (int)r->n_objects);
	ASSERT_EQ(2, (int)r->n_endpoints);
	expect_endpoint(_metadata, &r->endpoints[0], IPPROTO_TCP, 80, 80, 16,
			22);
	expect_endpoint(_metadata, &r->endpoints[1], IPPROTO_TCP, 443, 443, 16,
			29);

	r = &p.rules[5]; /* connect,bind udp:53 tcp:8000-8080 udp:* sctp:... */
	EXPECT_EQ((int)RULE_NET, (int)r->kind);
	EXPECT_EQ((__u32)(WARD_NET_BIND | WARD_NET_CONNECT), r->access);
	ASSERT_EQ(4, (int)r->n_endpoints);
	expect_endpoint(_metadata, &r->endpoints[0], IPPROTO_UDP, 53, 53, 17,
			30);
	expect_endpoint(_metadata, &r->endpoints[1], IPPROTO_TCP, 8000, 8080,
			17, 37);
	expect_endpoint(_metadata, &r->endpoints[2], IPPROTO_UDP, 0, 65535, 17,
			51);
	expect_endpoint(_metadata, &r->endpoints[3], IPPROTO_SCTP, 2905, 2906,
			17, 57);

	r = &p.rules[6]; /* net create unix netlink icmp */
	EXPECT_EQ((int)RULE_SOCKET, (int)r->kind);
	EXPECT_EQ((int)SUBJECT_APP, (int)r->subject.kind);
	EXPECT_EQ((__u32)(WARD_SOCKET_UNIX | WARD_SOCKET_NETLINK |
			  WARD_SOCKET_ICMP),
		  r->families);
	EXPECT_EQ(0, (int)r->n_endpoints);

	r = &p.rules[7]; /* cap net_bind_service setuid setgid */
	EXPECT_EQ((int)RULE_CAP, (int)r->kind);
	EXPECT_EQ((__u64)(1ULL << 10 | 1ULL << 7 | 1ULL << 6), r->caps);

	r = &p.rules[8]; /* audit write,chmod config */
	EXPECT_EQ((int)RULE_AUDIT, (int)r->kind);
	EXPECT_EQ((__u32)(WARD_ACCESS_WRITE | WARD_ACCESS_CHMOD), r->access);
	ASSERT_EQ(1, (int)r->n_objects);
	expect_object(_metadata, &r->objects[0], 0, NULL, 20, 19);
	expect_loc(_metadata, &r->loc, "web.policy", 20, 1);

	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_mode_defaults_to_enforce)
{
	static const char text[] = "policy p 1.0.0\n";
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, parse_one(&p, text, strlen(text), &diags));
	EXPECT_EQ((__u32)WARD_MODE_ENFORCE, p.mode);
	EXPECT_EQ(0U, p.mode_loc.line);
	EXPECT_EQ(0, (int)p.n_files);
	EXPECT_EQ(0, (int)p.n_apps);
	EXPECT_EQ(0, (int)p.n_users);
	EXPECT_EQ(0, (int)p.n_rules);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_keeps_longest_name_and_version_terminated)
{
	static const char text[] = "policy " N63 " 123456789.123.1\n";
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, parse_one(&p, text, strlen(text), &diags));
	EXPECT_STREQ(N63, p.units[0].name);
	EXPECT_STREQ("123456789.123.1", p.units[0].version);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_crlf_is_not_part_of_the_last_word)
{
	static const char text[] = "policy p 1.0.0\r\nfiles a /x\r\n";
	struct diag_list diags = { 0 };
	struct policy p;

	policy_init(&p);
	ASSERT_EQ(0, policy_parse(&p, "t", text, strlen(text), &diags));
	EXPECT_STREQ("1.0.0", p.units[0].version);
	ASSERT_EQ(1, (int)p.n_files);
	EXPECT_STREQ("/x", p.files[0].paths[0].path);
	EXPECT_EQ(2U, p.files[0].loc.line);
	policy_free(&p);
	diag_free(&diags);
}

/* Parses each text as a file of its own, then finishes. */
static int parse_files(struct policy *p, struct diag_list *diags,
		       const char *const *texts, size_t n)
{
	static const char *const names[] = { "a.policy", "b.policy",
					     "c.policy" };
	int err = 0;

	policy_init(p);
	for (size_t i = 0; i < n; i++)
		if (policy_parse(p, names[i], texts[i], strlen(texts[i]),
				 diags))
			err = -EINVAL;
	if (policy_finish(p, diags))
		err = -EINVAL;
	return err;
}

TEST(multi_file_uses_names_of_earlier_files)
{
	static const char *const texts[] = {
		"policy base 1.0.0\n"
		"files accounts /etc/passwd\n"
		"app passwd /usr/bin/passwd\n"
		"user admins root\n",
		"policy site 2.0.0\n"
		"confine passwd\n"
		"allow passwd write accounts\n"
		"allow admins read accounts\n",
	};
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, parse_files(&p, &diags, texts, 2));
	EXPECT_EQ(0, (int)diags.n)
	{
		diag_print(&diags, stderr);
	}
	ASSERT_EQ(2, (int)p.n_units);
	EXPECT_STREQ("base", p.units[0].name);
	EXPECT_STREQ("site", p.units[1].name);
	EXPECT_STREQ("b.policy", p.units[1].file);
	expect_loc(_metadata, &p.units[1].loc, "b.policy", 1, 1);
	EXPECT_TRUE(p.apps[0].confined);
	ASSERT_EQ(2, (int)p.n_rules);
	EXPECT_EQ(p.units[1].file, p.rules[0].loc.file);
	EXPECT_EQ(p.units[0].file, p.files[0].loc.file);
	EXPECT_EQ(0, (int)p.rules[0].objects[0].files);
	EXPECT_EQ((int)SUBJECT_USERS, (int)p.rules[1].subject.kind);
	policy_free(&p);
	diag_free(&diags);
}

TEST(multi_file_a_name_of_a_later_file_is_unknown)
{
	static const char *const texts[] = {
		"policy a 1.0.0\nallow any read data\n",
		"policy b 1.0.0\nfiles data /srv\n",
	};
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(-EINVAL, parse_files(&p, &diags, texts, 2));
	ASSERT_LE(1, (int)diags.n);
	EXPECT_STREQ("a.policy", diags.v[0].file);
	EXPECT_EQ(0, strncmp(diags.v[0].msg, "unknown files 'data'", 20));
	policy_free(&p);
	diag_free(&diags);
}

TEST(multi_file_duplicates_across_files)
{
	static const char *const texts[] = {
		"policy a 1.0.0\n"
		"mode complain\n"
		"files data /srv/data\n"
		"app tool /usr/bin/tool\n"
		"confine tool\n"
		"mode enforce tool\n",
		"policy b 1.0.0\n"
		"mode enforce\n"
		"user data alice\n"
		"files other /srv/data\n"
		"confine tool\n"
		"mode complain tool\n"
		"policy c 1.0.0\n",
	};
	static const char *const want[] = {
		"2:1: error: the default mode is already set at a.policy:2:",
		"3:6: error: 'data' is already defined at a.policy:3 as a files set",
		"4:13: error: '/srv/data' is already in files 'data' (a.policy:3)",
		"5:9: error: 'tool' is already confined at a.policy:5: confine it once",
		"6:15: error: the mode of 'tool' is already set at a.policy:6",
		"7:1: error: second 'policy' statement in this file (the first is at line 1)",
	};
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(-EINVAL, parse_files(&p, &diags, texts, 2));
	ASSERT_LE((int)ARRAY_SIZE(want), (int)diags.n);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		char got[1024];

		format_diag(&diags.v[i], got, sizeof(got));
		EXPECT_STREQ("b.policy", diags.v[i].file);
		EXPECT_EQ(0, strncmp(got, want[i], strlen(want[i])))
		{
			TH_LOG("expected: %s", want[i]);
			TH_LOG("got:      %s", got);
		}
	}
	/* The first definitions stand. */
	EXPECT_EQ((__u32)WARD_MODE_COMPLAIN, p.mode);
	EXPECT_STREQ("a.policy", p.mode_loc.file);
	EXPECT_EQ((__u32)WARD_APP_MODE_ENFORCE, p.apps[0].mode);
	EXPECT_EQ(0, (int)p.n_users);
	policy_free(&p);
	diag_free(&diags);
}

TEST(kernel_settings_default_to_zero)
{
	static const char text[] = "policy p 1.0.0\n";
	struct ward_kernel zero = { 0 };
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, parse_one(&p, text, sizeof(text) - 1, &diags));
	EXPECT_EQ(0, memcmp(&zero, &p.kernel.k, sizeof(zero)));
	EXPECT_EQ(0, (int)p.kernel.n_loaders);
	for (int i = 0; i < KERNEL_SETTINGS; i++)
		EXPECT_EQ(0, (int)p.kernel.loc[i].line);
	policy_free(&p);
	diag_free(&diags);
}

TEST(kernel_settings_are_parsed)
{
	static const char text[] = "policy p 1.0.0\n"
				   "kernel module signed\n"
				   "kernel bpf allow\n"
				   "kernel kexec deny\n"
				   "kernel kmem deny\n"
				   "kernel lockdown integrity\n"
				   "lock\n"
				   "kernel bpf loader /usr/bin/a /usr/bin/b\n";
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, parse_one(&p, text, sizeof(text) - 1, &diags));
	EXPECT_EQ(0, (int)diags.n);
	EXPECT_EQ(WARD_KERNEL_MODULE_SIGNED, p.kernel.k.module);
	EXPECT_EQ(WARD_KERNEL_BPF_ALLOW, p.kernel.k.bpf);
	EXPECT_EQ(1, p.kernel.k.kexec);
	EXPECT_EQ(1, p.kernel.k.kmem);
	EXPECT_EQ(WARD_KERNEL_LOCKDOWN_INTEGRITY, p.kernel.k.lockdown);
	EXPECT_EQ(1, p.kernel.k.lock);
	EXPECT_EQ(0, p.kernel.k.reserved);
	expect_loc(_metadata, &p.kernel.loc[KERNEL_MODULE], "test.policy", 2,
		   1);
	expect_loc(_metadata, &p.kernel.loc[KERNEL_LOCK], "test.policy", 7, 1);
	ASSERT_EQ(2, (int)p.kernel.n_loaders);
	EXPECT_STREQ("/usr/bin/a", p.kernel.loaders[0].path);
	expect_loc(_metadata, &p.kernel.loaders[0].loc, "test.policy", 8, 19);
	EXPECT_STREQ("/usr/bin/b", p.kernel.loaders[1].path);
	expect_loc(_metadata, &p.kernel.loaders[1].loc, "test.policy", 8, 30);
	policy_free(&p);
	diag_free(&diags);
}

TEST(multi_file_kernel_strictest_wins_and_weaker_warns)
{
	static const char *const texts[] = {
		"policy a 1.0.0\n"
		"kernel module signed\n"
		"kernel bpf deny\n"
		"kernel kexec deny\n"
		"kernel lockdown integrity\n"
		"kernel bpf loader /usr/bin/a\n",
		"policy b 1.0.0\n"
		"kernel module allow\n"
		"kernel bpf guard\n"
		"kernel kexec deny\n"
		"kernel lockdown confidentiality\n"
		"kernel kmem deny\n"
		"lock\n"
		"kernel bpf loader /usr/bin/a\n",
		"policy c 1.0.0\n"
		"kernel module deny\n"
		"kernel lockdown none\n"
		"lock\n",
	};
	static const char *const want[] = {
		"b.policy 2:1: warning: 'kernel module allow' is weaker than 'signed' set at a.policy:2, which stays in force: the strictest value wins; to relax it, replace that file",
		"b.policy 3:1: warning: 'kernel bpf guard' is weaker than 'deny' set at a.policy:3, which stays in force",
		"b.policy 8:19: error: '/usr/bin/a' is already a BPF loader (a.policy:6): list it once",
		"c.policy 3:1: warning: 'kernel lockdown none' is weaker than 'confidentiality' set at b.policy:5, which stays in force",
	};
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(-EINVAL, parse_files(&p, &diags, texts, 3));
	ASSERT_EQ((int)ARRAY_SIZE(want), (int)diags.n)
	{
		diag_print(&diags, stderr);
	}
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		char got[1024];
		size_t len = strlen(diags.v[i].file);

		format_diag(&diags.v[i], got, sizeof(got));
		EXPECT_EQ(0, strncmp(want[i], diags.v[i].file, len));
		EXPECT_EQ(0, strncmp(got, want[i] + len + 1,
				     strlen(want[i] + len + 1)))
		{
			TH_LOG("expected: %s", want[i]);
			TH_LOG("got:      %s %s", diags.v[i].file, got);
		}
	}
	EXPECT_EQ(WARD_KERNEL_MODULE_DENY, p.kernel.k.module);
	EXPECT_STREQ("c.policy", p.kernel.loc[KERNEL_MODULE].file);
	EXPECT_EQ(WARD_KERNEL_BPF_DENY, p.kernel.k.bpf);
	EXPECT_EQ(1, p.kernel.k.kexec);
	/* An equal value leaves the first statement in force. */
	EXPECT_STREQ("a.policy", p.kernel.loc[KERNEL_KEXEC].file);
	EXPECT_EQ(1, p.kernel.k.kmem);
	EXPECT_EQ(WARD_KERNEL_LOCKDOWN_CONFIDENTIALITY, p.kernel.k.lockdown);
	EXPECT_STREQ("b.policy", p.kernel.loc[KERNEL_LOCKDOWN].file);
	EXPECT_EQ(1, p.kernel.k.lock);
	EXPECT_EQ(1, (int)p.kernel.n_loaders);
	policy_free(&p);
	diag_free(&diags);
}

TEST(multi_file_a_later_file_may_ask_for_less_than_the_default_bpf)
{
	static const char *const texts[] = {
		"policy a 1.0.0\nkernel bpf allow\n",
		"policy b 1.0.0\nkernel bpf guard\n",
	};
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(0, parse_files(&p, &diags, texts, 1));
	EXPECT_EQ(WARD_KERNEL_BPF_ALLOW, p.kernel.k.bpf);
	policy_free(&p);
	diag_free(&diags);
	EXPECT_EQ(0, parse_files(&p, &diags, texts, 2));
	EXPECT_EQ(0, (int)diags.n);
	EXPECT_EQ(WARD_KERNEL_BPF_GUARD, p.kernel.k.bpf);
	policy_free(&p);
	diag_free(&diags);
}

TEST(multi_file_grants_nothing_new_names_the_other_file)
{
	static const char *const texts[] = {
		"policy a 1.0.0\nfiles data /srv/data\n"
		"allow any read,write data\n",
		"policy b 1.0.0\nallow any read /srv/data\n",
	};
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(0, parse_files(&p, &diags, texts, 2));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_STREQ("b.policy", diags.v[0].file);
	EXPECT_EQ(2U, diags.v[0].line);
	EXPECT_EQ(16U, diags.v[0].col);
	EXPECT_STREQ("grants nothing new: a.policy:3 already allows it",
		     diags.v[0].msg);
	policy_free(&p);
	diag_free(&diags);
}

TEST(multi_file_a_file_of_errors_keeps_its_unit)
{
	static const char *const texts[] = {
		"policy a 1.0.0\n",
		"# empty\n",
	};
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(-EINVAL, parse_files(&p, &diags, texts, 2));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_STREQ("b.policy", diags.v[0].file);
	EXPECT_STREQ(
		"no statements: a policy file starts with 'policy NAME VERSION'",
		diags.v[0].msg);
	EXPECT_EQ(2, (int)p.n_units);
	EXPECT_EQ(0U, p.units[1].loc.line);
	policy_free(&p);
	diag_free(&diags);
}

TEST(finish_refuses_a_policy_of_no_file)
{
	struct diag_list diags = { 0 };
	struct policy p;

	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_finish(&p, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_EQ(1, (int)diags.errors);
	EXPECT_STREQ("no policy files: give at least one", diags.v[0].msg);
	EXPECT_EQ(0U, diags.v[0].line);
	policy_free(&p);
	diag_free(&diags);
}

TEST(finish_warns_in_order_and_keeps_the_policy_valid)
{
	static const char text[] = "policy p 1.0.0\n"
				   "files unused /u\n"
				   "app tool /t\n"
				   "allow tool cap kill\n"
				   "allow tool cap kill\n";
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(0, parse_one(&p, text, strlen(text), &diags));
	ASSERT_EQ(4, (int)diags.n);
	EXPECT_EQ(0, (int)diags.errors);
	EXPECT_EQ(4U, diags.v[0].line); /* restricts nothing */
	EXPECT_EQ(5U, diags.v[1].line); /* restricts nothing */
	EXPECT_EQ(5U, diags.v[2].line); /* grants nothing new */
	EXPECT_EQ(2U, diags.v[3].line); /* unused */
	EXPECT_EQ(0, strncmp(diags.v[2].msg, "grants nothing new", 18));
	policy_free(&p);
	diag_free(&diags);
}

static void sha256_hex(const unsigned char *d, char *hex)
{
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
}

TEST(digests)
{
	static const char *const texts[] = {
		"policy a 1.0.0\n",
		"policy b 1.0.0\n",
	};
	unsigned char want[32], both[64];
	char hex[65];
	struct diag_list diags = { 0 };
	struct policy p;

	/* As sha256sum(1) prints them: the file's, then the policy's, the
	 * digest of the file's 32 bytes. */
	policy_init(&p);
	ASSERT_EQ(0, policy_parse(&p, "a", texts[0], strlen(texts[0]), &diags));
	sha256_hex(p.units[0].sha256, hex);
	EXPECT_STREQ(
		"8aafc6db314f14e8f71c8ed31e15ff08e9b66a66fa7f4fea4bbb04e13610ef78",
		hex);
	ASSERT_EQ(0, policy_finish(&p, &diags));
	sha256_hex(p.sha256, hex);
	EXPECT_STREQ(
		"58d9c6724a3f9d435153d119e2bc34faefd10a4efc0b096f1a4d803a9e679879",
		hex);
	SHA256(p.units[0].sha256, 32, want);
	EXPECT_EQ(0, memcmp(want, p.sha256, 32));
	policy_free(&p);

	ASSERT_EQ(0, parse_files(&p, &diags, texts, 2));
	memcpy(both, p.units[0].sha256, 32);
	memcpy(both + 32, p.units[1].sha256, 32);
	SHA256(both, 64, want);
	EXPECT_EQ(0, memcmp(want, p.sha256, 32));
	SHA256((const unsigned char *)texts[1], strlen(texts[1]), want);
	EXPECT_EQ(0, memcmp(want, p.units[1].sha256, 32));
	policy_free(&p);

	/* The order of the files matters. */
	{
		static const char *const swapped[] = { "policy b 1.0.0\n",
						       "policy a 1.0.0\n" };
		unsigned char first[32];

		SHA256(both, 64, first);
		ASSERT_EQ(0, parse_files(&p, &diags, swapped, 2));
		EXPECT_NE(0, memcmp(first, p.sha256, 32));
		policy_free(&p);
	}

	/* The digest is computed even when the text is refused. */
	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", "", 0, &diags));
	sha256_hex(p.units[0].sha256, hex);
	EXPECT_STREQ(
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		hex);
	policy_free(&p);
	diag_free(&diags);
}

/* Builds a text with open_memstream. */
struct text {
	char *s;
	size_t len;
	FILE *f;
};

static void text_open(struct text *t)
{
	t->s = NULL;
	t->len = 0;
	t->f = open_memstream(&t->s, &t->len);
	if (!t->f)
		abort();
	fputs("policy p 1.0.0\n", t->f);
}

static void text_close(struct text *t)
{
	if (fclose(t->f))
		abort();
}

/* Parses @t and checks its only error is "too many @what" (@max). */
static void expect_too_many(struct __test_metadata *_metadata, struct text *t,
			    const char *what, int max)
{
	struct diag_list diags = { 0 };
	char want[192];
	struct policy p;

	text_close(t);
	snprintf(
		want, sizeof(want),
		"too many %s: a policy holds at most %d; group them (a directory covers its subtree, an app many executables); the rest of this file is not parsed",
		what, max);
	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", t->s, t->len, &diags));
	ASSERT_EQ(1, (int)diags.n)
	{
		diag_print(&diags, stderr);
	}
	EXPECT_STREQ(want, diags.v[0].msg);
	policy_free(&p);
	diag_free(&diags);
	free(t->s);
}

/* Lines of @per items each: the first to pass POLICY_ITEMS_MAX in all. */
#define PER_LINE 400
#define LINES (POLICY_ITEMS_MAX / PER_LINE + 1)

/*
 * Files sets and user sets have a path or a member each: the limits on
 * those reach them first, tested here, with what many items a line reach.
 */
TEST(limits)
{
	struct text t;

	text_open(&t);
	for (int i = 0; i <= POLICY_APPS_MAX; i++)
		fprintf(t.f, "app a%d /x\n", i);
	expect_too_many(_metadata, &t, "apps", POLICY_APPS_MAX);

	text_open(&t);
	for (int i = 0; i < LINES; i++) {
		fprintf(t.f, "files f%d", i);
		for (int k = 0; k < PER_LINE; k++)
			fprintf(t.f, " /%x/%x", i, k);
		fputc('\n', t.f);
	}
	expect_too_many(_metadata, &t, "paths", POLICY_ITEMS_MAX);

	text_open(&t);
	for (int i = 0; i < LINES; i++) {
		fprintf(t.f, "user u%d", i);
		for (int k = 0; k < PER_LINE; k++)
			fprintf(t.f, " uid:%d", k);
		fputc('\n', t.f);
	}
	expect_too_many(_metadata, &t, "user set members", POLICY_ITEMS_MAX);

	text_open(&t);
	for (int k = 0; k < PER_LINE; k++)
		fprintf(t.f, "files f%d /%d\n", k, k);
	for (int i = 0; i < LINES; i++) {
		fputs("allow any read", t.f);
		for (int k = 0; k < PER_LINE; k++)
			fprintf(t.f, " f%d", k);
		fputc('\n', t.f);
	}
	expect_too_many(_metadata, &t, "rule objects", POLICY_ITEMS_MAX);

	text_open(&t);
	fputs("app a /a\n", t.f);
	for (int i = 0; i < LINES; i++) {
		fputs("allow a net bind", t.f);
		for (int k = 1; k <= PER_LINE; k++)
			fprintf(t.f, " tcp:%d", k);
		fputc('\n', t.f);
	}
	expect_too_many(_metadata, &t, "endpoints", POLICY_ITEMS_MAX);

	/* Exactly the limit is accepted. */
	{
		struct diag_list diags = { 0 };
		struct policy p;

		text_open(&t);
		for (int i = 0; i < POLICY_APPS_MAX; i++)
			fprintf(t.f, "app a%d /x\n", i);
		text_close(&t);
		policy_init(&p);
		EXPECT_EQ(0, policy_parse(&p, "t", t.s, t.len, &diags));
		EXPECT_EQ(POLICY_APPS_MAX, (int)p.n_apps);
		policy_free(&p);
		diag_free(&diags);
		free(t.s);
	}
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) +
	       (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* A million rules are parsed and checked in linear time. */
TEST(a_million_rules_are_checked_quickly)
{
	static const char head[] = "policy p 1.0.0\nfiles d /d\napp x /x\n";
	static const char line[] = "allow x read d\n";
	size_t n = 1000000, len = strlen(head) + n * strlen(line);
	struct diag_list diags = { 0 };
	struct timespec start;
	struct policy p;
	char *text, *s;
	double took;

	ASSERT_GT((size_t)POLICY_SIZE_MAX, len);
	text = malloc(len);
	ASSERT_NE(NULL, text);
	s = stpcpy(text, head);
	for (size_t i = 0; i < n; i++, s += strlen(line))
		memcpy(s, line, strlen(line));

	clock_gettime(CLOCK_MONOTONIC, &start);
	policy_init(&p);
	EXPECT_EQ(0, policy_parse(&p, "big.policy", text, len, &diags));
	policy_finish(&p, &diags);
	took = seconds_since(&start);
	TH_LOG("1,000,000 rules parsed and checked in %.3f s", took);
	/* Quadratic, it would take hours; ten times this host's time. */
	EXPECT_GT(20.0, took);
	EXPECT_EQ(1000000, (int)p.n_rules);
	ASSERT_LE(1, (int)diags.n);
	EXPECT_STREQ("grants nothing new: line 4 already allows it",
		     diags.v[0].msg);
	policy_free(&p);
	diag_free(&diags);
	free(text);
}

TEST(parse_refuses_a_text_over_256_mib)
{
	size_t len = POLICY_SIZE_MAX + 1;
	struct diag_list diags = { 0 };
	struct policy p;
	char *text = malloc(len);

	ASSERT_NE(NULL, text);
	memset(text, '\n', len);
	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", text, len, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_STREQ("larger than 256 MiB: split it into several files",
		     diags.v[0].msg);
	policy_free(&p);
	diag_free(&diags);
	free(text);
}

TEST(names)
{
	static const char *const verbs[] = { "read",  "write", "exec",
					     "unlink", "rename", "link",
					     "chmod", "chown", "mount" };

	for (int i = 0; i < WARD_ACCESS_BITS; i++)
		EXPECT_STREQ(verbs[i], policy_access_name(1U << i));
	EXPECT_STREQ("write", policy_access_name(WARD_ACCESS_WRITE));
	EXPECT_EQ(NULL, policy_access_name(0));
	EXPECT_EQ(NULL, policy_access_name(1U << WARD_ACCESS_BITS));
	EXPECT_EQ(NULL,
		  policy_access_name(WARD_ACCESS_READ | WARD_ACCESS_WRITE));
	EXPECT_EQ(NULL, policy_access_name(1U << 31));

	EXPECT_STREQ("chown", policy_cap_name(0));
	EXPECT_STREQ("net_bind_service", policy_cap_name(10));
	EXPECT_STREQ("sys_admin", policy_cap_name(21));
	EXPECT_STREQ("checkpoint_restore", policy_cap_name(40));
	EXPECT_EQ(NULL, policy_cap_name(41));
	EXPECT_EQ(NULL, policy_cap_name(~0U));

	EXPECT_STREQ("enforce", policy_mode_name(WARD_MODE_ENFORCE));
	EXPECT_STREQ("complain", policy_mode_name(WARD_MODE_COMPLAIN));
}

TEST(diagnostics_print_as_compilers_do)
{
	struct diag_list diags = { 0 };
	char *out = NULL;
	size_t size;
	FILE *f;

	diag_add(&diags, DIAG_ERROR, "a.policy", 3, 7, "bad %s", "thing");
	diag_add(&diags, DIAG_WARNING, "a.policy", 4, 0, "whole line");
	diag_add(&diags, DIAG_ERROR, "a.policy", 0, 0, "whole file");
	EXPECT_EQ(3, (int)diags.n);
	EXPECT_EQ(2, (int)diags.errors);

	f = open_memstream(&out, &size);
	ASSERT_NE(NULL, f);
	diag_print(&diags, f);
	ASSERT_EQ(0, fclose(f));
	EXPECT_STREQ("a.policy:3:7: error: bad thing\n"
		     "a.policy:4: warning: whole line\n"
		     "a.policy: error: whole file\n",
		     out);
	free(out);
	diag_free(&diags);
}

FIXTURE(tmpdir)
{
	char dir[64];
	char file[128];
};

FIXTURE_SETUP(tmpdir)
{
	strcpy(self->dir, "/tmp/ward-parse-test-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/test.policy", self->dir);
}

FIXTURE_TEARDOWN(tmpdir)
{
	unlink(self->file);
	rmdir(self->dir);
}

static void write_file(struct __test_metadata *_metadata, const char *path,
		       const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)len, write(fd, text, len));
	ASSERT_EQ(0, close(fd));
}

TEST_F(tmpdir, parse_file_reads_the_policy)
{
	struct diag_list diags = { 0 };
	unsigned char want[32];
	struct policy p;

	write_file(_metadata, self->file, full_policy, strlen(full_policy));
	policy_init(&p);
	ASSERT_EQ(0, policy_parse_file(&p, self->file, &diags));
	EXPECT_EQ(0, (int)diags.n);
	ASSERT_EQ(1, (int)p.n_units);
	EXPECT_STREQ(self->file, p.units[0].file);
	EXPECT_STREQ("web-server", p.units[0].name);
	EXPECT_EQ(9, (int)p.n_rules);
	SHA256((const unsigned char *)full_policy, strlen(full_policy), want);
	EXPECT_EQ(0, memcmp(want, p.units[0].sha256, sizeof(want)));
	policy_free(&p);
	diag_free(&diags);
}

TEST_F(tmpdir, parse_file_names_the_file_in_diagnostics)
{
	static const char text[] = "policy p 1.0.0\nfoo\n";
	struct diag_list diags = { 0 };
	struct policy p;

	write_file(_metadata, self->file, text, strlen(text));
	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse_file(&p, self->file, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_STREQ(self->file, diags.v[0].file);
	EXPECT_EQ(2U, diags.v[0].line);
	EXPECT_EQ(1U, diags.v[0].col);
	policy_free(&p);
	diag_free(&diags);
}

TEST_F(tmpdir, parse_file_reports_a_missing_file)
{
	struct diag_list diags = { 0 };
	struct policy p;

	policy_init(&p);
	EXPECT_EQ(-ENOENT, policy_parse_file(&p, self->file, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_EQ(1, (int)diags.errors);
	EXPECT_STREQ(self->file, diags.v[0].file);
	EXPECT_EQ(0U, diags.v[0].line);
	EXPECT_EQ(0U, diags.v[0].col);
	EXPECT_STREQ("cannot open: No such file or directory", diags.v[0].msg);
	EXPECT_EQ(0, (int)p.n_units);
	policy_free(&p);
	diag_free(&diags);
}

TEST_F(tmpdir, parse_file_reports_a_directory)
{
	struct diag_list diags = { 0 };
	struct policy p;

	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse_file(&p, self->dir, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_STREQ(self->dir, diags.v[0].file);
	EXPECT_EQ(0U, diags.v[0].line);
	EXPECT_STREQ("not a regular file: give a policy file", diags.v[0].msg);
	policy_free(&p);
	diag_free(&diags);
}

TEST_F(tmpdir, parse_file_reports_a_fifo_without_blocking)
{
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, mkfifo(self->file, 0600));
	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse_file(&p, self->file, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_STREQ("not a regular file: give a policy file", diags.v[0].msg);
	policy_free(&p);
	diag_free(&diags);
}

TEST_F(tmpdir, parse_file_refuses_a_file_over_256_mib)
{
	struct diag_list diags = { 0 };
	struct policy p;
	int fd;

	/* Sparse: NUL bytes, so also a test that the limit is inclusive. */
	fd = open(self->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, POLICY_SIZE_MAX));
	ASSERT_EQ(0, close(fd));
	policy_init(&p);
	EXPECT_EQ(-EINVAL, policy_parse_file(&p, self->file, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_STREQ("NUL byte: a policy is text; remove it", diags.v[0].msg);
	EXPECT_EQ(1U, diags.v[0].line);
	policy_free(&p);
	diag_free(&diags);

	ASSERT_EQ(0, truncate(self->file, POLICY_SIZE_MAX + 1));
	policy_init(&p);
	EXPECT_EQ(-EFBIG, policy_parse_file(&p, self->file, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_EQ(0U, diags.v[0].line);
	EXPECT_STREQ("larger than 256 MiB: split it into several files",
		     diags.v[0].msg);
	EXPECT_EQ(0, (int)p.n_units);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_shipped_policies)
{
	struct diag_list diags = { 0 };
	struct policy p;
	glob_t g;

	/* "make unit" and scripts/check run from the top of the tree. */
	if (access("policy/base.policy", R_OK))
		SKIP(return,
			   "no policy/base.policy here: run from the tree's top");
	ASSERT_EQ(0, glob("policy/*.policy", 0, NULL, &g));
	policy_init(&p);
	for (size_t i = 0; i < g.gl_pathc; i++)
		EXPECT_EQ(0, policy_parse_file(&p, g.gl_pathv[i], &diags));
	EXPECT_EQ(0, policy_finish(&p, &diags));
	EXPECT_EQ(0, (int)diags.errors)
	{
		diag_print(&diags, stderr);
	}
	policy_free(&p);
	diag_free(&diags);
	globfree(&g);
}

TEST_HARNESS_MAIN
