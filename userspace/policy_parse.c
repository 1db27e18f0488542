// SPDX-License-Identifier: GPL-2.0
/*
 * ward - policy parser: text to struct policy
 *
 * One statement per line, words separated by blanks, "#" starting a
 * comment.  Names must be defined before they are used.  Every error names
 * file:line:col and says what was expected.
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "policy.h"

struct token {
	const char *s;
	size_t len;
	unsigned int col;
};

struct parser {
	struct policy *p;
	struct diag_list *diags;
	unsigned int line;
	unsigned int policy_line;
	unsigned int mode_line;
};

static const char *const access_names[] = {
	"write",
};

const char *policy_mode_name(__u32 mode)
{
	return mode == WARD_MODE_COMPLAIN ? "complain" : "enforce";
}

const char *policy_access_name(__u32 bit)
{
	for (size_t i = 0; i < sizeof(access_names) / sizeof(*access_names);
	     i++)
		if (bit == 1U << i)
			return access_names[i];
	return NULL;
}

static void error_at(struct parser *ps, unsigned int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void error_at(struct parser *ps, unsigned int col, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	diag_add(ps->diags, DIAG_ERROR, ps->p->file, ps->line, col, "%s", msg);
	free(msg);
}

static void *xcalloc(size_t n, size_t size)
{
	void *ptr = calloc(n ? n : 1, size);

	if (!ptr)
		abort();
	return ptr;
}

static char *token_dup(const struct token *t)
{
	char *s = strndup(t->s, t->len);

	if (!s)
		abort();
	return s;
}

static bool token_is(const struct token *t, const char *word)
{
	return t->len == strlen(word) && !memcmp(t->s, word, t->len);
}

/* Length of the valid UTF-8 prefix of @s. */
static size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n >= len)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates and beyond U+10FFFF. */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return i;
}

static bool valid_name(const struct token *t)
{
	if (t->len == 0 || t->len >= WARD_NAME_MAX ||
	    !isalpha((unsigned char)t->s[0]))
		return false;
	for (size_t i = 1; i < t->len; i++)
		if (!isalnum((unsigned char)t->s[i]) && !strchr("_.-", t->s[i]))
			return false;
	return true;
}

static bool valid_version(const struct token *t)
{
	unsigned int dots = 0, digits = 0;

	if (t->len >= WARD_VERSION_MAX)
		return false;
	for (size_t i = 0; i < t->len; i++) {
		if (t->s[i] == '.') {
			if (!digits)
				return false;
			dots++;
			digits = 0;
		} else if (isdigit((unsigned char)t->s[i])) {
			digits++;
		} else {
			return false;
		}
	}
	return dots == 2 && digits;
}

static struct policy_set *find_set(struct policy_set *sets, size_t n,
				   const struct token *t)
{
	for (size_t i = 0; i < n; i++)
		if (token_is(t, sets[i].name))
			return &sets[i];
	return NULL;
}

/* Reports an invalid name; @what is "name" or "policy name". */
static bool check_name(struct parser *ps, const struct token *t,
		       const char *what)
{
	if (valid_name(t))
		return true;
	error_at(
		ps, t->col,
		"invalid %s '%.*s': use a letter, then letters, digits, '_', '.' or '-' (at most %d)",
		what, (int)t->len, t->s, WARD_NAME_MAX - 1);
	return false;
}

/* A new name must not clash with any defined one, whatever its kind. */
static bool check_new_name(struct parser *ps, const struct token *t)
{
	const struct policy_set *other;

	if (!check_name(ps, t, "name"))
		return false;
	if (token_is(t, "any")) {
		error_at(ps, t->col, "'any' is reserved; choose another name");
		return false;
	}
	other = find_set(ps->p->files, ps->p->n_files, t);
	if (!other)
		other = find_set(ps->p->apps, ps->p->n_apps, t);
	if (other) {
		error_at(ps, t->col, "'%.*s' is already defined at line %u",
			 (int)t->len, t->s, other->line);
		return false;
	}
	return true;
}

static int parse_policy(struct parser *ps, const struct token *args, size_t n)
{
	(void)n;
	if (ps->policy_line) {
		error_at(ps, args[-1].col, "policy is already named at line %u",
			 ps->policy_line);
		return -EINVAL;
	}
	ps->policy_line = ps->line;
	if (!check_name(ps, &args[0], "policy name"))
		return -EINVAL;
	if (!valid_version(&args[1])) {
		error_at(
			ps, args[1].col,
			"invalid version '%.*s': expected MAJOR.MINOR.PATCH, e.g. 1.0.0",
			(int)args[1].len, args[1].s);
		return -EINVAL;
	}
	memcpy(ps->p->name, args[0].s, args[0].len);
	memcpy(ps->p->version, args[1].s, args[1].len);
	return 0;
}

static int parse_mode(struct parser *ps, const struct token *args, size_t n)
{
	(void)n;
	if (ps->mode_line) {
		error_at(ps, args[-1].col, "mode is already set at line %u",
			 ps->mode_line);
		return -EINVAL;
	}
	ps->mode_line = ps->line;
	if (token_is(&args[0], "enforce")) {
		ps->p->mode = WARD_MODE_ENFORCE;
	} else if (token_is(&args[0], "complain")) {
		ps->p->mode = WARD_MODE_COMPLAIN;
	} else {
		error_at(ps, args[0].col,
			 "unknown mode '%.*s': expected enforce or complain",
			 (int)args[0].len, args[0].s);
		return -EINVAL;
	}
	return 0;
}

/* Parses "NAME PATH..." into a new set appended to @sets. */
static int parse_set(struct parser *ps, const struct token *args, size_t n,
		     struct policy_set **sets, size_t *n_sets)
{
	struct policy_set *set;

	if (!check_new_name(ps, &args[0]))
		return -EINVAL;
	for (size_t i = 1; i < n; i++) {
		if (args[i].s[0] != '/') {
			error_at(
				ps, args[i].col,
				"'%.*s' is not an absolute path: start it with '/'",
				(int)args[i].len, args[i].s);
			return -EINVAL;
		}
		for (size_t k = 1; k < i; k++)
			if (args[k].len == args[i].len &&
			    !memcmp(args[k].s, args[i].s, args[i].len)) {
				error_at(ps, args[i].col,
					 "'%.*s' is listed twice",
					 (int)args[i].len, args[i].s);
				return -EINVAL;
			}
	}

	set = realloc(*sets, (*n_sets + 1) * sizeof(**sets));
	if (!set)
		abort();
	*sets = set;
	set = &set[(*n_sets)++];
	set->name = token_dup(&args[0]);
	set->line = ps->line;
	set->n_paths = n - 1;
	set->paths = xcalloc(n - 1, sizeof(*set->paths));
	for (size_t i = 1; i < n; i++) {
		set->paths[i - 1].path = token_dup(&args[i]);
		set->paths[i - 1].col = args[i].col;
	}
	return 0;
}

static int parse_files(struct parser *ps, const struct token *args, size_t n)
{
	const struct policy *p = ps->p;

	/* An object carries one label: a path in two sets is ambiguous. */
	for (size_t i = 1; i < n; i++)
		for (size_t s = 0; s < p->n_files; s++)
			for (size_t k = 0; k < p->files[s].n_paths; k++)
				if (token_is(&args[i],
					     p->files[s].paths[k].path)) {
					error_at(
						ps, args[i].col,
						"'%.*s' is already in files '%s' (line %u)",
						(int)args[i].len, args[i].s,
						p->files[s].name,
						p->files[s].line);
					return -EINVAL;
				}
	return parse_set(ps, args, n, &ps->p->files, &ps->p->n_files);
}

static int parse_app(struct parser *ps, const struct token *args, size_t n)
{
	return parse_set(ps, args, n, &ps->p->apps, &ps->p->n_apps);
}

static int parse_access(struct parser *ps, const struct token *t, __u32 *access)
{
	const char *s = t->s, *end = t->s + t->len;

	*access = 0;
	while (s < end) {
		const char *comma = memchr(s, ',', end - s);
		size_t len = (comma ? comma : end) - s;
		unsigned int col = t->col + (s - t->s);
		__u32 bit = 0;

		for (size_t i = 0;
		     i < sizeof(access_names) / sizeof(*access_names); i++)
			if (len == strlen(access_names[i]) &&
			    !memcmp(s, access_names[i], len))
				bit = 1U << i;
		if (!bit) {
			error_at(ps, col,
				 "unknown access '%.*s': expected write",
				 (int)len, s);
			return -EINVAL;
		}
		*access |= bit;
		s += len + (comma ? 1 : 0);
		if (comma && s == end) {
			error_at(ps, col + len, "access list ends with ','");
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_allow(struct parser *ps, const struct token *args, size_t n)
{
	struct policy *p = ps->p;
	struct policy_rule rule = { .line = ps->line };
	struct policy_set *app, *files;
	struct policy_rule *rules;

	app = find_set(p->apps, p->n_apps, &args[0]);
	if (!app) {
		error_at(
			ps, args[0].col,
			find_set(p->files, p->n_files, &args[0]) ?
				"'%.*s' is a files set, not an app" :
				"unknown app '%.*s': define it with 'app NAME PATH...' before this line",
			(int)args[0].len, args[0].s);
		return -EINVAL;
	}
	rule.app = app - p->apps;
	if (parse_access(ps, &args[1], &rule.access))
		return -EINVAL;

	rule.files = xcalloc(n - 2, sizeof(*rule.files));
	for (size_t i = 2; i < n; i++) {
		files = find_set(p->files, p->n_files, &args[i]);
		if (!files) {
			error_at(
				ps, args[i].col,
				find_set(p->apps, p->n_apps, &args[i]) ?
					"'%.*s' is an app, not a files set" :
					"unknown files '%.*s': define it with 'files NAME PATH...' before this line",
				(int)args[i].len, args[i].s);
			free(rule.files);
			return -EINVAL;
		}
		rule.files[rule.n_files++] = files - p->files;
	}

	rules = realloc(p->rules, (p->n_rules + 1) * sizeof(*rules));
	if (!rules)
		abort();
	p->rules = rules;
	p->rules[p->n_rules++] = rule;
	return 0;
}

static const struct statement {
	const char *keyword;
	size_t min_args;
	size_t max_args;
	int (*parse)(struct parser *ps, const struct token *args, size_t n);
	const char *usage;
} statements[] = {
	{ "policy", 2, 2, parse_policy, "policy NAME VERSION" },
	{ "mode", 1, 1, parse_mode, "mode enforce|complain" },
	{ "files", 2, SIZE_MAX, parse_files, "files NAME PATH..." },
	{ "app", 2, SIZE_MAX, parse_app, "app NAME PATH..." },
	{ "allow", 3, SIZE_MAX, parse_allow, "allow APP ACCESS FILES..." },
};

/* Splits a line into words; a word starting with '#' ends it. */
static size_t tokenize(const char *line, size_t len, struct token *tokens)
{
	size_t n = 0, i = 0;

	while (i < len) {
		size_t start;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len || line[i] == '#')
			break;
		start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t')
			i++;
		tokens[n++] =
			(struct token){ line + start, i - start, start + 1 };
	}
	return n;
}

static void parse_line(struct parser *ps, const char *line, size_t len,
		       struct token *tokens)
{
	const struct statement *st = NULL;
	size_t n = tokenize(line, len, tokens);

	if (!n)
		return;
	for (size_t i = 0; i < sizeof(statements) / sizeof(*statements); i++)
		if (token_is(&tokens[0], statements[i].keyword))
			st = &statements[i];
	if (!st) {
		error_at(
			ps, tokens[0].col,
			"unknown statement '%.*s': expected policy, mode, files, app or allow",
			(int)tokens[0].len, tokens[0].s);
		return;
	}
	if (!ps->policy_line && st->parse != parse_policy) {
		error_at(
			ps, tokens[0].col,
			"'%s' before the policy is named: start with 'policy NAME VERSION'",
			st->keyword);
		return;
	}
	if (n - 1 < st->min_args || n - 1 > st->max_args) {
		error_at(ps,
			 n - 1 < st->min_args ? tokens[0].col :
						tokens[st->max_args + 1].col,
			 "%s arguments: expected '%s'",
			 n - 1 < st->min_args ? "missing" : "too many",
			 st->usage);
		return;
	}
	st->parse(ps, tokens + 1, n - 1);
}

static void digest(const char *text, size_t len, unsigned char out[32])
{
	unsigned int out_len = 32;

	if (!EVP_Digest(text, len, out, &out_len, EVP_sha256(), NULL))
		abort();
}

int policy_parse(struct policy *p, const char *file, const char *text,
		 size_t len, struct diag_list *diags)
{
	struct parser ps = { .p = p, .diags = diags };
	size_t errors = diags->errors, pos = 0, valid;
	struct token *tokens;

	memset(p, 0, sizeof(*p));
	p->file = strdup(file);
	if (!p->file)
		abort();
	p->mode = WARD_MODE_ENFORCE;
	digest(text, len, p->sha256);

	if (memchr(text, '\0', len)) {
		size_t off = (const char *)memchr(text, '\0', len) - text;

		ps.line = 1;
		for (size_t i = 0; i < off; i++)
			ps.line += text[i] == '\n';
		error_at(&ps, 0, "NUL byte in the policy: it must be text");
		return -EINVAL;
	}
	valid = utf8_valid_prefix((const unsigned char *)text, len);

	tokens = xcalloc(POLICY_LINE_MAX / 2 + 1, sizeof(*tokens));
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t line_len = end - pos;

		ps.line++;
		if (line_len && text[end - 1] == '\r')
			line_len--;
		if (valid >= pos && valid < end) {
			error_at(
				&ps, valid - pos + 1,
				"invalid UTF-8: the policy must be UTF-8 text");
			break;
		}
		if (line_len > POLICY_LINE_MAX)
			error_at(&ps, POLICY_LINE_MAX + 1,
				 "line is longer than %d bytes",
				 POLICY_LINE_MAX);
		else
			parse_line(&ps, text + pos, line_len, tokens);
		pos = end + 1;
	}
	free(tokens);

	if (!ps.policy_line && diags->errors == errors) {
		ps.line = 0;
		error_at(
			&ps, 0,
			"no 'policy NAME VERSION' statement: every policy must name itself");
	}
	return diags->errors == errors ? 0 : -EINVAL;
}

int policy_parse_file(struct policy *p, const char *file,
		      struct diag_list *diags)
{
	struct stat st;
	char *text;
	ssize_t got;
	size_t len = 0;
	int fd, err;

	memset(p, 0, sizeof(*p));
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		diag_add(diags, DIAG_ERROR, file, 0, 0, "cannot open: %s",
			 strerror(-err));
		return err;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		diag_add(diags, DIAG_ERROR, file, 0, 0,
			 "not a regular file: give a policy file");
		close(fd);
		return -EINVAL;
	}
	if (st.st_size > POLICY_SIZE_MAX) {
		diag_add(diags, DIAG_ERROR, file, 0, 0,
			 "larger than %d MiB: split it or shorten it",
			 POLICY_SIZE_MAX >> 20);
		close(fd);
		return -EFBIG;
	}
	text = xcalloc(st.st_size + 1, 1);
	while ((got = read(fd, text + len, st.st_size - len)) > 0)
		len += got;
	err = got < 0 ? -errno : 0;
	close(fd);
	if (err) {
		diag_add(diags, DIAG_ERROR, file, 0, 0, "cannot read: %s",
			 strerror(-err));
		free(text);
		return err;
	}
	err = policy_parse(p, file, text, len, diags);
	free(text);
	return err;
}

static void free_sets(struct policy_set *sets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sets[i].n_paths; k++)
			free(sets[i].paths[k].path);
		free(sets[i].paths);
		free(sets[i].name);
	}
	free(sets);
}

void policy_free(struct policy *p)
{
	free_sets(p->files, p->n_files);
	free_sets(p->apps, p->n_apps);
	for (size_t i = 0; i < p->n_rules; i++)
		free(p->rules[i].files);
	free(p->rules);
	free(p->file);
	memset(p, 0, sizeof(*p));
}
