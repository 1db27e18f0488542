// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - the policy parser (policy_parse.c)
 *
 * A table of policy texts, each with the result expected and the start of
 * its first diagnostic, checks every message the parser can give and where
 * it puts it; further tests check the parsed policy itself and reading a
 * policy from a file.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <openssl/sha.h>

#include "kselftest_harness.h"
#include "policy.h"

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

/* The policy statement most cases start with. */
#define P "policy p 1.0.0\n"
/* Then a files set and an app (lines 2 and 3), for the allow cases. */
#define PSETS P "files data /srv/data\napp tool /usr/bin/tool\n"

/*
 * A case's text is a literal, so that its length comes from sizeof and a
 * text may hold a NUL byte.
 */
#define TEXT(s) .text = (s), .len = sizeof(s) - 1

/**
 * struct parse_case - one policy text and what the parser must say
 * @text: the text given to policy_parse()
 * @len: its length
 * @err: 0 or -EINVAL
 * @diag: for -EINVAL, the start of the first diagnostic formatted as
 *        "LINE:COL: error: MESSAGE" (0 for a whole file or line); a @diag
 *        not starting with a digit may match anywhere in it
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
	/* Accepted texts. */
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
		     "mode complain\n"
		     "files data /srv/data # trailing comment\n"
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
		TEXT(PSETS "files logs /var/log/p /var/lib/p\n"
			   "app other /usr/bin/other /usr/sbin/other\n"
			   "allow tool write data logs\n"
			   "allow other write logs\n"
			   "allow other write,write data\n"
			   "allow tool write data\n"),
		.description = "several rules, sets used by several rules",
	},
	{
		TEXT(P "files " N63 " /x\napp z" N62 " /y\n"),
		.description = "a name of 63 characters",
	},
	{
		TEXT("policy " N63 " 1.0.0\n"),
		.description = "a policy name of 63 characters",
	},
	{
		TEXT(P "files A-b_c.9 /x\napp z.Z-0_ /y\n"),
		.description = "names with letters, digits, '_', '.' and '-'",
	},
	{
		TEXT(P "files Any /x\napp ANY /y\n"),
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
		TEXT("policy p 01.002.0003\n"),
		.description = "version numbers with leading zeros",
	},
	{
		TEXT(P "files data /srv/tool\napp tool /srv/tool\n"),
		.description = "one path in a files set and an app",
	},
	{
		TEXT(P "app one /usr/bin/tool\napp two /usr/bin/tool\n"),
		.description = "one path in two apps is left to the compiler",
	},
	{
		TEXT(P "files a /x\nfiles b /x/\n"),
		.description = "paths are compared as written, not resolved",
	},
	{
		TEXT(P "files files /x\napp app /y\nallow app write files\n"),
		.description = "keywords are valid names",
	},
	{
		TEXT(P "files a /caf\xc3\xa9 /\xe2\x82\xac /\xf0\x9f\x98\x80\n"
		       "# \xc3\xa9t\xc3\xa9\n"),
		.description =
			"UTF-8 of 2, 3 and 4 bytes in paths and comments",
	},
	{
		TEXT(P "files a /\xed\x9f\xbf /\xee\x80\x80 /\xef\xbf\xbf "
		       "/\xf4\x8f\xbf\xbf /\xc2\x80 /\xe0\xa0\x80 "
		       "/\xf0\x90\x80\x80\n"),
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
		TEXT(P "files a /x#y\n"),
		.description = "'#' inside a word does not start a comment",
	},

	/* Statements. */
	{
		TEXT(P "polcy p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "2:1: error: unknown statement 'polcy': expected policy, mode, files, app or allow",
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
		.diag = "1:1: error: 'mode' before the policy is named: start with 'policy NAME VERSION'",
		.description = "mode before the policy statement",
	},
	{
		TEXT("# header\n  files a /x\npolicy p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "2:3: error: 'files' before the policy is named",
		.description = "files before the policy statement",
	},
	{
		TEXT("app a /x\n"),
		.err = -EINVAL,
		.diag = "1:1: error: 'app' before the policy is named",
		.description = "app before the policy statement",
	},
	{
		TEXT("allow a write b\n"),
		.err = -EINVAL,
		.diag = "1:1: error: 'allow' before the policy is named",
		.description = "allow before the policy statement",
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
		.diag = "2:1: error: missing arguments: expected 'mode enforce|complain'",
		.description = "mode without an argument",
	},
	{
		TEXT(P "mode enforce complain\n"),
		.err = -EINVAL,
		.diag = "2:14: error: too many arguments: expected 'mode enforce|complain'",
		.description = "mode with two arguments",
	},
	{
		TEXT(P "files data\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'files NAME PATH...'",
		.description = "files without a path",
	},
	{
		TEXT(P "files\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'files NAME PATH...'",
		.description = "files without arguments",
	},
	{
		TEXT(P "app tool\n"),
		.err = -EINVAL,
		.diag = "2:1: error: missing arguments: expected 'app NAME PATH...'",
		.description = "app without a path",
	},
	{
		TEXT(PSETS "allow tool write\n"),
		.err = -EINVAL,
		.diag = "4:1: error: missing arguments: expected 'allow APP ACCESS FILES...'",
		.description = "allow without files",
	},
	{
		TEXT(PSETS "allow tool\n"),
		.err = -EINVAL,
		.diag = "4:1: error: missing arguments: expected 'allow APP ACCESS FILES...'",
		.description = "allow without access and files",
	},

	/* Names. */
	{
		TEXT("policy 9p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:8: error: invalid policy name '9p': use a letter, then letters, digits, '_', '.' or '-' (at most 63)",
		.description = "policy name starting with a digit",
	},
	{
		TEXT("policy my/policy 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:8: error: invalid policy name 'my/policy'",
		.description = "policy name with a '/'",
	},
	{
		TEXT("policy " N64 " 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:8: error: invalid policy name '" N64 "'",
		.description = "policy name of 64 characters",
	},
	{
		TEXT(P "files 1a /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: invalid name '1a': use a letter, then letters, digits, '_', '.' or '-' (at most 63)",
		.description = "files name starting with a digit",
	},
	{
		TEXT(P "files _a /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: invalid name '_a'",
		.description = "files name starting with '_'",
	},
	{
		TEXT(P "files a:b /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: invalid name 'a:b'",
		.description = "files name with a ':'",
	},
	{
		TEXT(P "app a,b /x\n"),
		.err = -EINVAL,
		.diag = "2:5: error: invalid name 'a,b'",
		.description = "app name with a ','",
	},
	{
		TEXT(P "files caf\xc3\xa9 /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: invalid name 'caf\xc3\xa9'",
		.description = "name with a non-ASCII letter",
	},
	{
		TEXT(P "files " N64 " /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: invalid name '" N64 "'",
		.description = "files name of 64 characters",
	},
	{
		TEXT(P "app " N64 " /x\n"),
		.err = -EINVAL,
		.diag = "2:5: error: invalid name '" N64 "'",
		.description = "app name of 64 characters",
	},
	{
		TEXT(P "files any /x\n"),
		.err = -EINVAL,
		.diag = "2:7: error: 'any' is reserved; choose another name",
		.description = "'any' as a files name",
	},
	{
		TEXT(P "app any /x\n"),
		.err = -EINVAL,
		.diag = "2:5: error: 'any' is reserved; choose another name",
		.description = "'any' as an app name",
	},
	{
		TEXT(P "files a /x\nfiles a /y\n"),
		.err = -EINVAL,
		.diag = "3:7: error: 'a' is already defined at line 2",
		.description = "two files sets with one name",
	},
	{
		TEXT(P "app a /x\n\napp a /y\n"),
		.err = -EINVAL,
		.diag = "4:5: error: 'a' is already defined at line 2",
		.description = "two apps with one name",
	},
	{
		TEXT(P "files a /x\napp a /y\n"),
		.err = -EINVAL,
		.diag = "3:5: error: 'a' is already defined at line 2",
		.description = "an app named as a files set",
	},
	{
		TEXT(P "app a /x\nfiles a /y\n"),
		.err = -EINVAL,
		.diag = "3:7: error: 'a' is already defined at line 2",
		.description = "a files set named as an app",
	},

	/* Versions. */
	{
		TEXT("policy p 1.0\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1.0': expected MAJOR.MINOR.PATCH, e.g. 1.0.0",
		.description = "version with two numbers",
	},
	{
		TEXT("policy p 1.0.0.0\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1.0.0.0'",
		.description = "version with four numbers",
	},
	{
		TEXT("policy p 1..0\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1..0'",
		.description = "version with an empty number",
	},
	{
		TEXT("policy p .1.0\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '.1.0'",
		.description = "version starting with '.'",
	},
	{
		TEXT("policy p 1.0.\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1.0.'",
		.description = "version ending with '.'",
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
		TEXT("policy p 1.a.0\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1.a.0'",
		.description = "version with a letter",
	},
	{
		TEXT("policy p 1234567890.123.1\n"),
		.err = -EINVAL,
		.diag = "1:10: error: invalid version '1234567890.123.1'",
		.description = "version of 16 characters",
	},

	/* Policy and mode statements. */
	{
		TEXT(P "\npolicy q 2.0.0\n"),
		.err = -EINVAL,
		.diag = "3:1: error: policy is already named at line 1",
		.description = "two policy statements",
	},
	{
		TEXT(P "mode enforce\nmode complain\n"),
		.err = -EINVAL,
		.diag = "3:1: error: mode is already set at line 2",
		.description = "two mode statements",
	},
	{
		TEXT(P "mode enforce\n  mode enforce\n"),
		.err = -EINVAL,
		.diag = "3:3: error: mode is already set at line 2",
		.description = "the same mode set twice",
	},
	{
		TEXT(P "mode permissive\n"),
		.err = -EINVAL,
		.diag = "2:6: error: unknown mode 'permissive': expected enforce or complain",
		.description = "unknown mode",
	},
	{
		TEXT(P "mode Enforce\n"),
		.err = -EINVAL,
		.diag = "2:6: error: unknown mode 'Enforce'",
		.description = "modes are case-sensitive",
	},

	/* Paths. */
	{
		TEXT(P "files a /x x/y\n"),
		.err = -EINVAL,
		.diag = "2:12: error: 'x/y' is not an absolute path: start it with '/'",
		.description = "relative path in files",
	},
	{
		TEXT(P "app a ./tool\n"),
		.err = -EINVAL,
		.diag = "2:7: error: './tool' is not an absolute path: start it with '/'",
		.description = "relative path in app",
	},
	{
		TEXT(P "files a ~/x\n"),
		.err = -EINVAL,
		.diag = "2:9: error: '~/x' is not an absolute path",
		.description = "'~' is not expanded",
	},
	{
		TEXT(P "files a /x /y /x\n"),
		.err = -EINVAL,
		.diag = "2:15: error: '/x' is listed twice",
		.description = "path listed twice in files",
	},
	{
		TEXT(P "app a /usr/bin/a /usr/bin/a\n"),
		.err = -EINVAL,
		.diag = "2:18: error: '/usr/bin/a' is listed twice",
		.description = "path listed twice in app",
	},
	{
		TEXT(P "files a /x\nfiles b /y /x\n"),
		.err = -EINVAL,
		.diag = "3:12: error: '/x' is already in files 'a' (line 2)",
		.description = "path already in another files set",
	},
	{
		TEXT(P "files a /y\nfiles b /x\nfiles c /x\n"),
		.err = -EINVAL,
		.diag = "4:9: error: '/x' is already in files 'b' (line 3)",
		.description = "the other files set is named with its line",
	},

	/* Rules. */
	{
		TEXT(PSETS "allow nobody write data\n"),
		.err = -EINVAL,
		.diag = "4:7: error: unknown app 'nobody': define it with 'app NAME PATH...' before this line",
		.description = "unknown app",
	},
	{
		TEXT(P "files data /srv/data\n"
		       "allow tool write data\n"
		       "app tool /usr/bin/tool\n"),
		.err = -EINVAL,
		.diag = "3:7: error: unknown app 'tool'",
		.description = "app used before its definition",
	},
	{
		TEXT(PSETS "allow data write data\n"),
		.err = -EINVAL,
		.diag = "4:7: error: 'data' is a files set, not an app",
		.description = "files set used as an app",
	},
	{
		TEXT(PSETS "allow tool write data nothing\n"),
		.err = -EINVAL,
		.diag = "4:23: error: unknown files 'nothing': define it with 'files NAME PATH...' before this line",
		.description = "unknown files",
	},
	{
		TEXT(P "app tool /usr/bin/tool\n"
		       "allow tool write data\n"
		       "files data /srv/data\n"),
		.err = -EINVAL,
		.diag = "3:18: error: unknown files 'data'",
		.description = "files used before its definition",
	},
	{
		TEXT(PSETS "allow tool write tool\n"),
		.err = -EINVAL,
		.diag = "4:18: error: 'tool' is an app, not a files set",
		.description = "app used as files",
	},
	{
		TEXT(PSETS "allow tool read data\n"),
		.err = -EINVAL,
		.diag = "4:12: error: unknown access 'read': expected write",
		.description = "unknown access",
	},
	{
		TEXT(PSETS "allow tool WRITE data\n"),
		.err = -EINVAL,
		.diag = "4:12: error: unknown access 'WRITE'",
		.description = "access names are case-sensitive",
	},
	{
		TEXT(PSETS "allow tool write,read data\n"),
		.err = -EINVAL,
		.diag = "4:18: error: unknown access 'read'",
		.description = "unknown access after a comma, at its column",
	},
	{
		TEXT(PSETS "allow tool ,write data\n"),
		.err = -EINVAL,
		.diag = "4:12: error: unknown access ''",
		.description = "access list starting with a comma",
	},
	{
		TEXT(PSETS "allow tool write,,write data\n"),
		.err = -EINVAL,
		.diag = "4:18: error: unknown access ''",
		.description = "empty access between commas",
	},
	{
		TEXT(PSETS "allow tool write, data\n"),
		.err = -EINVAL,
		.diag = "4:17: error: access list ends with ','",
		.description = "trailing comma in the access list",
	},

	/* Text. */
	{
		TEXT(P "mode enforce\nfiles a /x\0y\n"),
		.err = -EINVAL,
		.diag = "3:0: error: NUL byte in the policy: it must be text",
		.description = "NUL byte on line 3",
	},
	{
		TEXT("\0policy p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:0: error: NUL byte in the policy",
		.description = "NUL byte first",
	},
	{
		TEXT("policy p 1.0.0\r\n\r\n\r\n\0"),
		.err = -EINVAL,
		.diag = "4:0: error: NUL byte in the policy",
		.description = "NUL byte last, after CRLF lines",
	},
	{
		TEXT(P "files a /x\xff\n"),
		.err = -EINVAL,
		.diag = "2:11: error: invalid UTF-8: the policy must be UTF-8 text",
		.description = "invalid UTF-8: byte 0xff",
	},
	{
		TEXT("\x80policy p 1.0.0\n"),
		.err = -EINVAL,
		.diag = "1:1: error: invalid UTF-8",
		.description = "invalid UTF-8: continuation byte first",
	},
	{
		TEXT(P "files a /\xf8\x88\x80\x80\x80\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: 5-byte lead byte",
	},
	{
		TEXT(P "files a /caf\xc3\n"),
		.err = -EINVAL,
		.diag = "2:13: error: invalid UTF-8",
		.description = "invalid UTF-8: sequence cut by the newline",
	},
	{
		TEXT(P "files a /caf\xc3 /x\n"),
		.err = -EINVAL,
		.diag = "2:13: error: invalid UTF-8",
		.description = "invalid UTF-8: sequence cut by a blank",
	},
	{
		TEXT(P "files a /x\xe2\x82"),
		.err = -EINVAL,
		.diag = "2:11: error: invalid UTF-8",
		.description = "invalid UTF-8: sequence cut by the end of text",
	},
	{
		TEXT(P "files a /x\xf0\x9f\x98"),
		.err = -EINVAL,
		.diag = "2:11: error: invalid UTF-8",
		.description = "invalid UTF-8: 4-byte sequence cut by the end",
	},
	{
		TEXT(P "files a /\xc0\xaf\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: overlong '/' in 2 bytes",
	},
	{
		TEXT(P "files a /\xe0\x80\xaf\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: overlong '/' in 3 bytes",
	},
	{
		TEXT(P "files a /\xf0\x8f\xbf\xbf\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: overlong U+FFFF in 4 bytes",
	},
	{
		TEXT(P "files a /\xed\xa0\x80\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: surrogate U+D800",
	},
	{
		TEXT(P "files a /\xed\xbf\xbf\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: surrogate U+DFFF",
	},
	{
		TEXT(P "files a /\xf4\x90\x80\x80\n"),
		.err = -EINVAL,
		.diag = "2:10: error: invalid UTF-8",
		.description = "invalid UTF-8: U+110000, beyond Unicode",
	},
	{
		TEXT(P "files a /caf\xc3\xa9\xff\n"),
		.err = -EINVAL,
		.diag = "2:15: error: invalid UTF-8",
		.description = "invalid UTF-8 after a valid 2-byte character: "
			       "columns count bytes",
	},
	{
		TEXT(P "# comment \xfe\n"),
		.err = -EINVAL,
		.diag = "2:11: error: invalid UTF-8",
		.description = "invalid UTF-8 in a comment",
	},
	{
		TEXT(P "files a /x\r\n\r\nfiles b /\xc3\x28\r\n"),
		.err = -EINVAL,
		.diag = "4:10: error: invalid UTF-8",
		.description = "invalid UTF-8: lead byte without continuation, "
			       "after CRLF lines",
	},
	{
		TEXT(P S4096 "#\n"),
		.err = -EINVAL,
		.diag = "2:4097: error: line is longer than 4096 bytes",
		.description = "a line of 4097 bytes",
	},
	{
		TEXT(P "files a /x\n" S4096 S4096 "\n"),
		.err = -EINVAL,
		.diag = "3:4097: error: line is longer than 4096 bytes",
		.description = "a line of 8192 bytes",
	},
	{
		TEXT(""),
		.err = -EINVAL,
		.diag = "0:0: error: no 'policy NAME VERSION' statement: every policy must name itself",
		.description = "empty text",
	},
	{
		TEXT("# nothing but comments\n\n   \n\t# and blanks\n"),
		.err = -EINVAL,
		.diag = "0:0: error: no 'policy NAME VERSION' statement",
		.description = "comments only",
	},
	{
		TEXT("\r\n\r\n"),
		.err = -EINVAL,
		.diag = "0:0: error: no 'policy NAME VERSION' statement",
		.description = "CRLF blank lines only",
	},
};

/* Formats @d as "LINE:COL: SEVERITY: MESSAGE". */
static void format_diag(const struct diag *d, char *buf, size_t size)
{
	snprintf(buf, size, "%u:%u: %s: %s", d->line, d->col,
		 d->severity == DIAG_ERROR ? "error" : "warning", d->msg);
}

/* A position is matched from the start, any other text anywhere. */
static bool diag_matches(const char *got, const char *expected)
{
	if (isdigit((unsigned char)expected[0]))
		return !strncmp(got, expected, strlen(expected));
	return strstr(got, expected);
}

TEST(parse_accepts_valid_texts_and_locates_the_first_error)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct parse_case *c = &cases[i];
		struct diag_list diags = { 0 };
		char got[512] = "(no diagnostic)";
		struct policy p;
		int err;

		err = policy_parse(&p, "test.policy", c->text, c->len, &diags);
		if (diags.n)
			format_diag(&diags.v[0], got, sizeof(got));

		EXPECT_EQ(c->err, err)
		{
			TH_LOG("case %zu, %s: returned %d, first diagnostic: %s",
			       i, c->description, err, got);
		}
		if (c->err) {
			EXPECT_LE(1, (int)diags.errors)
			{
				TH_LOG("case %zu, %s: no error reported", i,
				       c->description);
			}
			EXPECT_TRUE(diag_matches(got, c->diag))
			{
				TH_LOG("case %zu, %s:", i, c->description);
				TH_LOG("  expected: %s", c->diag);
				TH_LOG("  got:      %s", got);
			}
			if (diags.n) {
				EXPECT_STREQ("test.policy", diags.v[0].file);
			}
		} else {
			EXPECT_EQ(0, (int)diags.n)
			{
				TH_LOG("case %zu, %s: unexpected %s", i,
				       c->description, got);
			}
		}
		policy_free(&p);
		diag_free(&diags);
	}
}

TEST(parse_reports_every_bad_line)
{
	static const char text[] = "policy p 1.0.0\n"
				   "foo\n"
				   "mode maybe\n"
				   "files ok /x\n"
				   "files 1bad /y\n";
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", text, strlen(text), &diags));
	ASSERT_EQ(3, (int)diags.n);
	EXPECT_EQ(3, (int)diags.errors);
	EXPECT_EQ(2U, diags.v[0].line);
	EXPECT_EQ(3U, diags.v[1].line);
	EXPECT_EQ(5U, diags.v[2].line);
	/* The valid statements around them are still parsed. */
	EXPECT_STREQ("p", p.name);
	ASSERT_EQ(1, (int)p.n_files);
	EXPECT_STREQ("ok", p.files[0].name);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_stops_at_invalid_utf8)
{
	static const char text[] = "policy p 1.0.0\n"
				   "files a /\xff\n"
				   "foo\n";
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", text, strlen(text), &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_EQ(2U, diags.v[0].line);
	EXPECT_EQ(0, (int)p.n_files);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_reads_only_len_bytes)
{
	/* Not NUL-terminated where it ends: the rest must not be read. */
	static const char text[] = "policy p 1.0.0\nfoo\n";
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(0, policy_parse(&p, "t", text, strlen("policy p 1.0.0\n"),
				  &diags));
	EXPECT_EQ(0, (int)diags.n);
	policy_free(&p);
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
	"allow nginx write logs\n"
	"allow logrotate write logs config\n";

static void expect_path(struct __test_metadata *_metadata,
			const struct policy_set *set, size_t i,
			const char *path, unsigned int col)
{
	ASSERT_LT(i, set->n_paths);
	EXPECT_STREQ(path, set->paths[i].path);
	EXPECT_EQ(col, set->paths[i].col);
}

TEST(parse_fills_in_the_policy)
{
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, policy_parse(&p, "web.policy", full_policy,
				  strlen(full_policy), &diags));
	EXPECT_EQ(0, (int)diags.n);

	EXPECT_STREQ("web.policy", p.file);
	EXPECT_STREQ("web-server", p.name);
	EXPECT_STREQ("1.2.3", p.version);
	EXPECT_EQ((__u32)WARD_MODE_COMPLAIN, p.mode);

	ASSERT_EQ(2, (int)p.n_files);
	EXPECT_STREQ("config", p.files[0].name);
	EXPECT_EQ(5U, p.files[0].line);
	EXPECT_EQ(2, (int)p.files[0].n_paths);
	expect_path(_metadata, &p.files[0], 0, "/etc/nginx", 14);
	expect_path(_metadata, &p.files[0], 1, "/etc/ssl/private", 25);
	EXPECT_STREQ("logs", p.files[1].name);
	EXPECT_EQ(6U, p.files[1].line);
	EXPECT_EQ(1, (int)p.files[1].n_paths);
	expect_path(_metadata, &p.files[1], 0, "/var/log/nginx", 12);

	ASSERT_EQ(2, (int)p.n_apps);
	EXPECT_STREQ("nginx", p.apps[0].name);
	EXPECT_EQ(7U, p.apps[0].line);
	EXPECT_EQ(1, (int)p.apps[0].n_paths);
	expect_path(_metadata, &p.apps[0], 0, "/usr/sbin/nginx", 11);
	EXPECT_STREQ("logrotate", p.apps[1].name);
	EXPECT_EQ(8U, p.apps[1].line);
	EXPECT_EQ(2, (int)p.apps[1].n_paths);
	expect_path(_metadata, &p.apps[1], 0, "/usr/sbin/logrotate", 15);
	expect_path(_metadata, &p.apps[1], 1, "/usr/bin/logrotate", 35);

	ASSERT_EQ(2, (int)p.n_rules);
	EXPECT_EQ(0, (int)p.rules[0].app);
	EXPECT_EQ((__u32)WARD_ACCESS_WRITE, p.rules[0].access);
	EXPECT_EQ(9U, p.rules[0].line);
	ASSERT_EQ(1, (int)p.rules[0].n_files);
	EXPECT_EQ(1, (int)p.rules[0].files[0]);
	EXPECT_EQ(1, (int)p.rules[1].app);
	EXPECT_EQ((__u32)WARD_ACCESS_WRITE, p.rules[1].access);
	EXPECT_EQ(10U, p.rules[1].line);
	ASSERT_EQ(2, (int)p.rules[1].n_files);
	EXPECT_EQ(1, (int)p.rules[1].files[0]);
	EXPECT_EQ(0, (int)p.rules[1].files[1]);

	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_mode_defaults_to_enforce)
{
	static const char text[] = "policy p 1.0.0\n";
	static const char explicit[] = "policy p 1.0.0\nmode enforce\n";
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, policy_parse(&p, "t", text, strlen(text), &diags));
	EXPECT_EQ((__u32)WARD_MODE_ENFORCE, p.mode);
	EXPECT_EQ(0, (int)p.n_files);
	EXPECT_EQ(0, (int)p.n_apps);
	EXPECT_EQ(0, (int)p.n_rules);
	policy_free(&p);

	ASSERT_EQ(0, policy_parse(&p, "t", explicit, strlen(explicit), &diags));
	EXPECT_EQ((__u32)WARD_MODE_ENFORCE, p.mode);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_keeps_longest_name_and_version_terminated)
{
	static const char text[] = "policy " N63 " 123456789.123.1\n";
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, policy_parse(&p, "t", text, strlen(text), &diags));
	EXPECT_STREQ(N63, p.name);
	EXPECT_STREQ("123456789.123.1", p.version);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_hash_inside_a_word_is_part_of_it)
{
	static const char text[] = "policy p 1.0.0\nfiles a /x#y #z\n";
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, policy_parse(&p, "t", text, strlen(text), &diags));
	ASSERT_EQ(1, (int)p.n_files);
	ASSERT_EQ(1, (int)p.files[0].n_paths);
	EXPECT_STREQ("/x#y", p.files[0].paths[0].path);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_crlf_is_not_part_of_the_last_word)
{
	static const char text[] = "policy p 1.0.0\r\nfiles a /x\r\n";
	struct diag_list diags = { 0 };
	struct policy p;

	ASSERT_EQ(0, policy_parse(&p, "t", text, strlen(text), &diags));
	EXPECT_STREQ("1.0.0", p.version);
	ASSERT_EQ(1, (int)p.n_files);
	EXPECT_STREQ("/x", p.files[0].paths[0].path);
	EXPECT_EQ(2U, p.files[0].line);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_digest_is_sha256_of_the_text)
{
	/* SHA-256 of nothing, FIPS 180-2. */
	static const unsigned char empty[32] = {
		0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14,
		0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
		0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
		0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
	};
	unsigned char want[32];
	struct diag_list diags = { 0 };
	struct policy p;

	SHA256((const unsigned char *)full_policy, strlen(full_policy), want);
	ASSERT_EQ(0, policy_parse(&p, "t", full_policy, strlen(full_policy),
				  &diags));
	EXPECT_EQ(0, memcmp(want, p.sha256, sizeof(want)));
	policy_free(&p);

	/* Changing one byte (the mode) changes the digest. */
	{
		char *text = strdup(full_policy);

		ASSERT_NE(NULL, text);
		memcpy(strstr(text, "complain"), "enforce\n", 8);
		ASSERT_EQ(0, policy_parse(&p, "t", text, strlen(text), &diags));
		EXPECT_NE(0, memcmp(want, p.sha256, sizeof(want)));
		SHA256((const unsigned char *)text, strlen(text), want);
		EXPECT_EQ(0, memcmp(want, p.sha256, sizeof(want)));
		policy_free(&p);
		free(text);
	}

	/* The digest is computed even when the text is refused. */
	EXPECT_EQ(-EINVAL, policy_parse(&p, "t", "", 0, &diags));
	EXPECT_EQ(0, memcmp(empty, p.sha256, sizeof(empty)));
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_access_names)
{
	EXPECT_STREQ("write", policy_access_name(WARD_ACCESS_WRITE));
	EXPECT_EQ(NULL, policy_access_name(0));
	EXPECT_EQ(NULL, policy_access_name(WARD_ACCESS_WRITE << 1));
	EXPECT_EQ(NULL, policy_access_name(WARD_ACCESS_WRITE | 2));
	EXPECT_EQ(NULL, policy_access_name(1U << 31));
}

TEST(parse_diagnostics_print_as_compilers_do)
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
	EXPECT_EQ(0, (int)diags.n);
	EXPECT_EQ(0, (int)diags.errors);
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
	ASSERT_EQ(0, policy_parse_file(&p, self->file, &diags));
	EXPECT_EQ(0, (int)diags.n);
	EXPECT_STREQ(self->file, p.file);
	EXPECT_STREQ("web-server", p.name);
	EXPECT_EQ(2, (int)p.n_rules);
	SHA256((const unsigned char *)full_policy, strlen(full_policy), want);
	EXPECT_EQ(0, memcmp(want, p.sha256, sizeof(want)));
	policy_free(&p);
	diag_free(&diags);
}

TEST_F(tmpdir, parse_file_names_the_file_in_diagnostics)
{
	static const char text[] = "policy p 1.0.0\nfoo\n";
	struct diag_list diags = { 0 };
	struct policy p;

	write_file(_metadata, self->file, text, strlen(text));
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

	EXPECT_EQ(-ENOENT, policy_parse_file(&p, self->file, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_EQ(1, (int)diags.errors);
	EXPECT_EQ(DIAG_ERROR, (int)diags.v[0].severity);
	EXPECT_STREQ(self->file, diags.v[0].file);
	EXPECT_EQ(0U, diags.v[0].line);
	EXPECT_EQ(0U, diags.v[0].col);
	EXPECT_STREQ("cannot open: No such file or directory", diags.v[0].msg);
	policy_free(&p);
	diag_free(&diags);
}

TEST_F(tmpdir, parse_file_reports_a_directory)
{
	struct diag_list diags = { 0 };
	struct policy p;

	EXPECT_EQ(-EINVAL, policy_parse_file(&p, self->dir, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_EQ(1, (int)diags.errors);
	EXPECT_STREQ(self->dir, diags.v[0].file);
	EXPECT_EQ(0U, diags.v[0].line);
	EXPECT_EQ(0U, diags.v[0].col);
	EXPECT_STREQ("not a regular file: give a policy file", diags.v[0].msg);
	policy_free(&p);
	diag_free(&diags);
}

TEST_F(tmpdir, parse_file_refuses_a_file_over_16_mib)
{
	struct diag_list diags = { 0 };
	struct policy p;
	int fd;

	/* Sparse: all NUL bytes, which also tests the limit is inclusive. */
	fd = open(self->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, POLICY_SIZE_MAX));
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(-EINVAL, policy_parse_file(&p, self->file, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_STREQ("NUL byte in the policy: it must be text", diags.v[0].msg);
	EXPECT_EQ(1U, diags.v[0].line);
	policy_free(&p);
	diag_free(&diags);

	ASSERT_EQ(0, truncate(self->file, POLICY_SIZE_MAX + 1));
	EXPECT_EQ(-EFBIG, policy_parse_file(&p, self->file, &diags));
	ASSERT_EQ(1, (int)diags.n);
	EXPECT_EQ(0U, diags.v[0].line);
	EXPECT_STREQ("larger than 16 MiB: split it or shorten it",
		     diags.v[0].msg);
	policy_free(&p);
	diag_free(&diags);
}

TEST(parse_shipped_policies)
{
	glob_t g;

	/* "make unit" and scripts/check run from the top of the tree. */
	if (glob("policy/*.policy", 0, NULL, &g))
		SKIP(return,
			   "no policy/*.policy here: run from the tree's top");
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct diag_list diags = { 0 };
		struct policy p;

		EXPECT_EQ(0, policy_parse_file(&p, g.gl_pathv[i], &diags))
		{
			diag_print(&diags, stderr);
		}
		policy_free(&p);
		diag_free(&diags);
	}
	globfree(&g);
}

TEST_HARNESS_MAIN
