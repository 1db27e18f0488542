// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - printing a policy in canonical form (policy_print.c)
 *
 * Parsing what policy_print() writes must give an equal policy, and
 * printing that must give the same text; one small policy of two files is
 * checked against its exact canonical text.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include "unit.h"
#include "policy.h"

/* Policies to print and parse back, each of one or more files. */
static const char *const round_trips[][3] = {
	{
		"policy base 0.1.0\n"
		"files accounts /etc/passwd /etc/shadow\n"
		"app passwd /usr/bin/passwd /usr/sbin/chpasswd\n"
		"allow passwd write accounts\n",
	},
	{
		"# web server\n"
		"policy web-server 1.2.3\n"
		"mode complain\n"
		"files config /etc/nginx /etc/ssl/private\n"
		"files logs\t/var/log/nginx   # logs\n"
		"app nginx /usr/sbin/nginx\n"
		"app logrotate /usr/sbin/logrotate /usr/bin/logrotate\n"
		"app sshd /usr/sbin/sshd\n"
		"user admins root uid:01000 group:adm gid:0004 svc$\n"
		"confine sshd\n"
		"mode complain nginx\n"
		"confine nginx\n"
		"mode enforce sshd\n"
		"allow nginx chown,read config\n"
		"allow logrotate write,read logs config /run/nginx.pid\n"
		"allow admins chmod,unlink,exec,link,rename logs\n"
		"allow any read logs\n"
		"allow nginx net bind tcp:080 tcp:443-443 tcp:1-65535\n"
		"allow nginx net connect,bind udp:53 tcp:8000-8080 udp:* "
		"sctp:02905-2906 sctp:*\n"
		"allow sshd net create raw unix icmp packet netlink\n"
		"allow nginx cap setgid net_bind_service setuid\n"
		"audit write,chmod config /etc/hosts\n",
	},
	{
		"policy base 1.0.0\n"
		"mode enforce\n"
		"files accounts /etc/passwd\n"
		"app passwd /usr/bin/passwd\n"
		"user admins root\n",
		"policy site 2.0.0\n"
		"files site /srv/site\n"
		"confine passwd\n"
		"allow passwd write accounts /etc/shadow\n"
		"allow admins read accounts site\n",
		"policy local 0.0.1\n"
		"app editor /usr/bin/vi\n"
		"confine editor\n"
		"mode complain editor passwd\n"
		"allow editor read,write site\n",
	},
	{
		"policy tiny 0.0.0\n",
	},
	{
		"policy kernel 1.0.0\n"
		"lock\n"
		"kernel lockdown confidentiality\n"
		"kernel kmem deny\n"
		"kernel bpf loader /usr/bin/a /opt/b\n"
		"kernel bpf deny\n"
		"kernel module signed\n"
		"kernel kexec deny\n",
	},
	{
		"policy base 1.0.0\n"
		"kernel module signed\n"
		"kernel bpf allow\n"
		"kernel bpf loader /usr/bin/a\n",
		"policy site 1.0.0\n"
		"kernel module deny\n"
		"kernel lockdown integrity\n"
		"kernel bpf loader /usr/bin/b\n",
	},
	{
		"policy utf8 1.0.0\n"
		"files docs /srv/\xe6\x96\x87\xe4\xbb\xb6 /x#y\n"
		"allow any read docs\n"
		"allow any read /caf\xc3\xa9\n",
	},
};

/*
 * Policies are equal when they say the same: the locations, the units and
 * the text they came from do not count.
 */
static bool sets_equal(const struct policy_set *a, const struct policy_set *b,
		       size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(a[i].name, b[i].name) ||
		    a[i].n_paths != b[i].n_paths ||
		    a[i].confined != b[i].confined || a[i].mode != b[i].mode)
			return false;
		for (size_t k = 0; k < a[i].n_paths; k++)
			if (strcmp(a[i].paths[k].path, b[i].paths[k].path))
				return false;
	}
	return true;
}

static bool str_equal(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool rules_equal(const struct policy_rule *a,
			const struct policy_rule *b)
{
	if (a->kind != b->kind || a->access != b->access ||
	    a->n_objects != b->n_objects || a->n_endpoints != b->n_endpoints ||
	    a->families != b->families || a->caps != b->caps)
		return false;
	if (a->kind != RULE_AUDIT && (a->subject.kind != b->subject.kind ||
				      (a->subject.kind != SUBJECT_ANY &&
				       a->subject.index != b->subject.index)))
		return false;
	for (size_t i = 0; i < a->n_objects; i++)
		if (a->objects[i].files != b->objects[i].files ||
		    !str_equal(a->objects[i].path, b->objects[i].path))
			return false;
	for (size_t i = 0; i < a->n_endpoints; i++)
		if (a->endpoints[i].proto != b->endpoints[i].proto ||
		    a->endpoints[i].port_min != b->endpoints[i].port_min ||
		    a->endpoints[i].port_max != b->endpoints[i].port_max)
			return false;
	return true;
}

static bool kernel_equal(const struct policy_kernel *a,
			 const struct policy_kernel *b)
{
	if (memcmp(&a->k, &b->k, sizeof(a->k)) || a->n_loaders != b->n_loaders)
		return false;
	for (size_t i = 0; i < a->n_loaders; i++)
		if (strcmp(a->loaders[i].path, b->loaders[i].path))
			return false;
	return true;
}

static bool policy_equal(const struct policy *a, const struct policy *b)
{
	if (!kernel_equal(&a->kernel, &b->kernel))
		return false;
	if (a->mode != b->mode || a->n_files != b->n_files ||
	    a->n_apps != b->n_apps || a->n_users != b->n_users ||
	    a->n_rules != b->n_rules ||
	    strcmp(a->units[0].name, b->units[0].name) ||
	    strcmp(a->units[0].version, b->units[0].version) ||
	    !sets_equal(a->files, b->files, a->n_files) ||
	    !sets_equal(a->apps, b->apps, a->n_apps))
		return false;
	for (size_t i = 0; i < a->n_users; i++) {
		const struct policy_users *x = &a->users[i], *y = &b->users[i];

		if (strcmp(x->name, y->name) || x->n_members != y->n_members)
			return false;
		for (size_t k = 0; k < x->n_members; k++)
			if (x->members[k].kind != y->members[k].kind ||
			    x->members[k].id != y->members[k].id ||
			    !str_equal(x->members[k].name, y->members[k].name))
				return false;
	}
	for (size_t i = 0; i < a->n_rules; i++)
		if (!rules_equal(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}

static char *print(const struct policy *p)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		abort();
	policy_print(p, f);
	if (fclose(f))
		abort();
	return text;
}

/* The text after the "# unit" comments, which name files and digests. */
static const char *body(const char *text)
{
	while (!strncmp(text, "# unit ", 7) && strchr(text, '\n'))
		text = strchr(text, '\n') + 1;
	return text;
}

TEST(print_round_trips)
{
	for (size_t i = 0; i < ARRAY_SIZE(round_trips); i++) {
		static const char *const names[] = { "a.policy", "b.policy",
						     "c.policy" };
		struct diag_list diags = { 0 };
		struct policy p, q;
		char *first, *second;

		policy_init(&p);
		for (size_t k = 0; k < 3 && round_trips[i][k]; k++)
			ASSERT_EQ(0, policy_parse(
					     &p, names[k], round_trips[i][k],
					     strlen(round_trips[i][k]), &diags))
			{
				diag_print(&diags, stderr);
			}
		ASSERT_EQ(0, policy_finish(&p, &diags));
		EXPECT_EQ(0, (int)diags.n)
		{
			TH_LOG("policy %zu:", i);
			diag_print(&diags, stderr);
		}
		first = print(&p);

		policy_init(&q);
		EXPECT_EQ(0, policy_parse(&q, "printed", first, strlen(first),
					  &diags))
		{
			diag_print(&diags, stderr);
			TH_LOG("printed:\n%s", first);
		}
		EXPECT_EQ(0, policy_finish(&q, &diags));
		EXPECT_EQ(0, (int)diags.n)
		{
			TH_LOG("policy %zu:", i);
			diag_print(&diags, stderr);
		}
		EXPECT_TRUE(policy_equal(&p, &q))
		{
			TH_LOG("policy %zu printed as:\n%s", i, first);
		}
		second = print(&q);
		EXPECT_STREQ(body(first), body(second));
		/* Whatever the policy, the body starts with its statement. */
		EXPECT_EQ(0, strncmp(body(first), "policy ", 7));

		free(first);
		free(second);
		policy_free(&p);
		policy_free(&q);
		diag_free(&diags);
	}
}

static void hex(const unsigned char *digest, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", digest[i]);
}

TEST(print_is_canonical)
{
	static const char first[] = "policy base 1.0.0   # the factory's\n"
				    "files accounts /etc/passwd\t/etc/shadow\n"
				    "app passwd /usr/bin/passwd\n"
				    "app sshd /usr/sbin/sshd\n"
				    "user admins uid:00 root\n"
				    "confine sshd passwd\n";
	static const char second[] =
		"policy site 2.0.0\n"
		"mode complain\n"
		"mode complain sshd\n"
		"mode enforce passwd\n"
		"allow passwd write,read accounts\n"
		"audit chown,write accounts\n"
		"allow admins read /var/log\n"
		"allow sshd cap sys_chroot setuid\n"
		"allow sshd net bind tcp:22-22 tcp:1-65535\n"
		"allow sshd net connect,bind udp:*\n"
		"allow sshd net bind sctp:036412-36412 sctp:*\n"
		"allow sshd net create icmp unix netlink\n"
		"kernel lockdown integrity\n"
		"lock\n"
		"kernel kexec deny\n";
	static const char want_fmt[] =
		"# unit base 1.0.0 vendor/base.policy %s\n"
		"# unit site 2.0.0 /etc/ward/policy.d/my\\x20site.policy %s\n"
		"policy base 1.0.0\n"
		"mode complain\n"
		"\n"
		"kernel kexec deny\n"
		"kernel lockdown integrity\n"
		"lock\n"
		"\n"
		"files accounts /etc/passwd /etc/shadow\n"
		"app passwd /usr/bin/passwd\n"
		"app sshd /usr/sbin/sshd\n"
		"user admins uid:0 root\n"
		"\n"
		"confine passwd sshd\n"
		"mode enforce passwd\n"
		"mode complain sshd\n"
		"\n"
		"allow passwd read,write accounts\n"
		"audit write,chown accounts\n"
		"allow admins read /var/log\n"
		"allow sshd cap setuid sys_chroot\n"
		"allow sshd net bind tcp:22 tcp:1-65535\n"
		"allow sshd net bind,connect udp:*\n"
		"allow sshd net bind sctp:36412 sctp:*\n"
		"allow sshd net create unix netlink icmp\n";
	unsigned char digest[32];
	char want[2048], hex1[65], hex2[65];
	struct diag_list diags = { 0 };
	struct policy p;
	char *text;

	policy_init(&p);
	ASSERT_EQ(0, policy_parse(&p, "vendor/base.policy", first,
				  strlen(first), &diags));
	ASSERT_EQ(0, policy_parse(&p, "/etc/ward/policy.d/my site.policy",
				  second, strlen(second), &diags));
	ASSERT_EQ(0, policy_finish(&p, &diags));
	EXPECT_EQ(0, (int)diags.n)
	{
		diag_print(&diags, stderr);
	}
	SHA256((const unsigned char *)first, strlen(first), digest);
	hex(digest, hex1);
	SHA256((const unsigned char *)second, strlen(second), digest);
	hex(digest, hex2);
	snprintf(want, sizeof(want), want_fmt, hex1, hex2);

	text = print(&p);
	EXPECT_STREQ(want, text);
	free(text);
	policy_free(&p);
	diag_free(&diags);
}

TEST(print_escapes_file_names_in_comments)
{
	static const char text[] = "policy p 1.0.0\n";
	struct diag_list diags = { 0 };
	struct policy p, q;
	char *out;

	policy_init(&p);
	ASSERT_EQ(0, policy_parse(&p, "a\nb\\c\td\xff\xc3\xa9.policy", text,
				  strlen(text), &diags));
	out = print(&p);
	EXPECT_EQ(
		0,
		strncmp(out,
			"# unit p 1.0.0 a\\x0ab\\x5cc\\x09d\\xff\xc3\xa9.policy ",
			strlen("# unit p 1.0.0 a\\x0ab\\x5cc\\x09d\\xff\xc3\xa9.policy ")))
	{
		TH_LOG("got: %s", out);
	}
	/* The comment is still one line of valid text. */
	policy_init(&q);
	EXPECT_EQ(0, policy_parse(&q, "t", out, strlen(out), &diags));
	EXPECT_EQ(0, (int)diags.n);
	free(out);
	policy_free(&p);
	policy_free(&q);
	diag_free(&diags);
}

TEST(print_wraps_long_app_lists)
{
	/* 200 confined apps of 60 characters: 12 kB on one line. */
	struct diag_list diags = { 0 };
	char *text = NULL, *out, *line;
	size_t size = 0, longest = 0;
	struct policy p, q;
	FILE *f = open_memstream(&text, &size);

	ASSERT_NE(NULL, f);
	fputs("policy p 1.0.0\n", f);
	for (int i = 0; i < 200; i++)
		fprintf(f,
			"app a%059d /a/%d\nconfine a%059d\nmode complain a%059d\n",
			i, i, i, i);
	ASSERT_EQ(0, fclose(f));

	policy_init(&p);
	ASSERT_EQ(0, policy_parse(&p, "t", text, size, &diags));
	out = print(&p);
	for (line = out; *line; line = strchr(line, '\n') + 1) {
		size_t len = strcspn(line, "\n");

		if (len > longest)
			longest = len;
	}
	EXPECT_GE(POLICY_LINE_MAX, (int)longest);
	EXPECT_LT(POLICY_LINE_MAX - 62, (int)longest);

	policy_init(&q);
	EXPECT_EQ(0, policy_parse(&q, "t", out, strlen(out), &diags));
	EXPECT_EQ(0, (int)diags.n);
	EXPECT_TRUE(policy_equal(&p, &q));
	free(out);
	free(text);
	policy_free(&p);
	policy_free(&q);
	diag_free(&diags);
}

TEST(print_wraps_long_loader_lists)
{
	/* 100 loaders of 100 characters: 10 kB on one line. */
	struct diag_list diags = { 0 };
	char *text = NULL, *out;
	size_t size = 0, lines = 0;
	struct policy p, q;
	FILE *f = open_memstream(&text, &size);

	ASSERT_NE(NULL, f);
	fputs("policy p 1.0.0\n", f);
	for (int i = 0; i < 100; i++)
		fprintf(f, "kernel bpf loader /%099d\n", i);
	ASSERT_EQ(0, fclose(f));

	policy_init(&p);
	ASSERT_EQ(0, policy_parse(&p, "t", text, size, &diags));
	out = print(&p);
	for (char *line = out; *line; line = strchr(line, '\n') + 1) {
		EXPECT_GE(POLICY_LINE_MAX, (int)strcspn(line, "\n"));
		lines += !strncmp(line, "kernel bpf loader ", 18);
	}
	EXPECT_EQ(3, (int)lines);
	policy_init(&q);
	EXPECT_EQ(0, policy_parse(&q, "t", out, strlen(out), &diags));
	EXPECT_EQ(0, (int)diags.n);
	EXPECT_TRUE(policy_equal(&p, &q));
	free(out);
	free(text);
	policy_free(&p);
	policy_free(&q);
	diag_free(&diags);
}

TEST(print_of_an_empty_policy)
{
	struct policy p;
	char *out;

	policy_init(&p);
	out = print(&p);
	EXPECT_STREQ("mode enforce\n", out);
	free(out);
	policy_free(&p);
}

TEST_HARNESS_MAIN
