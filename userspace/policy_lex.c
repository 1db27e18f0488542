// SPDX-License-Identifier: GPL-2.0
/*
 * ward - policy lexer: a file's text to lines of words
 *
 * A policy is UTF-8 text, one statement per line, words separated by
 * blanks, a word starting with "#" starting a comment.  The lexer checks
 * the text, splits its lines into words, checks the forms of single words
 * (names, account names, versions, numbers), and reports errors at
 * file:line:col, saying what was expected.  After an error the parser goes
 * on with the next line, so that one run reports them all (up to
 * ERRORS_MAX per file).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_parse_internal.h"
#include "xalloc.h"

/* After this many errors in one file, the rest of it is not parsed. */
#define ERRORS_MAX 100

const char *where_buf(char *buf, size_t size, const struct policy_loc *loc,
		      const char *file)
{
	if (loc->file == file)
		snprintf(buf, size, "line %u", loc->line);
	else
		snprintf(buf, size, "%.4000s:%u", loc->file ? loc->file : "?",
			 loc->line);
	return buf;
}

const char *where(struct parser *ps, const struct policy_loc *loc)
{
	return where_buf(ps->where, sizeof(ps->where), loc, ps->file);
}

void error_at(struct parser *ps, unsigned int col, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	if (ps->stop)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	diag_add(ps->diags, DIAG_ERROR, ps->file, ps->line, col, "%s", msg);
	free(msg);
	if (++ps->errors == ERRORS_MAX) {
		diag_add(
			ps->diags, DIAG_ERROR, ps->file, ps->line, 0,
			"too many errors (%d): the rest of this file is not parsed",
			ERRORS_MAX);
		ps->stop = true;
	}
}

struct policy_loc loc_of(const struct parser *ps, const struct word *w)
{
	return (struct policy_loc){ ps->file, ps->line, w->col };
}

bool word_is(const struct word *w, const char *s)
{
	return w->len == strlen(s) && !memcmp(w->s, s, w->len);
}

char *word_dup(const struct word *w)
{
	return xstrndup(w->s, w->len);
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* [A-Za-z][A-Za-z0-9_.-]*, shorter than WARD_NAME_MAX. */
static bool valid_name(const char *s, size_t len)
{
	if (!len || len >= WARD_NAME_MAX || !is_alpha(s[0]))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '_' &&
		    s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

/* A user or group name: [a-z_][a-z0-9_.-]*, maybe a final '$', <= 32. */
bool valid_account(const char *s, size_t len)
{
	size_t total = len;

	if (len && s[len - 1] == '$')
		len--;
	if (!len || total > 32 ||
	    !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') && !is_digit(s[i]) &&
		    s[i] != '_' && s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

/* MAJOR.MINOR.PATCH, digits, shorter than WARD_VERSION_MAX. */
bool valid_version(const struct word *w)
{
	unsigned int dots = 0, digits = 0;

	if (w->len >= WARD_VERSION_MAX)
		return false;
	for (size_t i = 0; i < w->len; i++) {
		if (w->s[i] == '.') {
			if (!digits)
				return false;
			dots++;
			digits = 0;
		} else if (is_digit(w->s[i])) {
			digits++;
		} else {
			return false;
		}
	}
	return dots == 2 && digits;
}

/* A decimal number of at most @max; leading zeros are allowed. */
bool parse_number(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

void error_relative(struct parser *ps, const struct word *w)
{
	error_at(ps, w->col, "'%.*s' is not an absolute path: start it with '/'",
		 (int)w->len, w->s);
}

#define NAME_RULE "a letter, then letters, digits, '_', '.' or '-'"

bool check_name(struct parser *ps, const struct word *w, const char *what)
{
	if (valid_name(w->s, w->len))
		return true;
	error_at(ps, w->col,
		 "invalid %s '%.*s': use " NAME_RULE " (at most %d)", what,
		 (int)w->len, w->s, WARD_NAME_MAX - 1);
	return false;
}

/* Splits a line into words; a word starting with '#' ends it. */
static size_t split_words(struct parser *ps, const char *line, size_t len)
{
	size_t n = 0, i = 0;

	while (i < len) {
		size_t start;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len || line[i] == '#')
			break;
		start = i;
		for (; i < len && line[i] != ' ' && line[i] != '\t'; i++) {
			unsigned char c = line[i];

			if (c < 0x20 || c == 0x7f) {
				error_at(
					ps, i + 1,
					"control character 0x%02x in a word: only blanks (space, tab) may separate words, and names and paths are printable",
					c);
				return 0;
			}
		}
		ps->words[n++] =
			(struct word){ line + start, i - start, start + 1 };
	}
	return n;
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

void lex_start(struct parser *ps, const char *text, size_t len)
{
	ps->text = text;
	ps->len = len;
	ps->pos = 0;
	ps->valid = utf8_valid_prefix((const unsigned char *)text, len);
	ps->words = xcalloc(WORDS_MAX + 1, sizeof(*ps->words));
}

size_t lex_line(struct parser *ps)
{
	while (ps->pos < ps->len && !ps->stop) {
		const char *line = ps->text + ps->pos;
		const char *nl = memchr(line, '\n', ps->len - ps->pos);
		size_t end = nl ? (size_t)(nl - ps->text) : ps->len;
		size_t line_len = end - ps->pos, n = 0;
		const char *nul;

		ps->line++;
		if (ps->valid < end) {
			error_at(
				ps, ps->valid - ps->pos + 1,
				"invalid UTF-8: a policy is UTF-8 text; the rest of this file is not parsed");
			ps->stop = true;
			break;
		}
		if (line_len && line[line_len - 1] == '\r')
			line_len--;
		nul = memchr(line, '\0', line_len);
		if (nul)
			error_at(ps, nul - line + 1,
				 "NUL byte: a policy is text; remove it");
		else if (line_len > POLICY_LINE_MAX)
			error_at(
				ps, POLICY_LINE_MAX + 1,
				"line is longer than %d bytes: split the statement into several",
				POLICY_LINE_MAX);
		else
			n = split_words(ps, line, line_len);
		ps->pos = end + 1;
		if (n)
			return n;
	}
	return 0;
}

void lex_end(struct parser *ps)
{
	free(ps->words);
	ps->words = NULL;
}
