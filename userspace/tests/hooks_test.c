// SPDX-License-Identifier: GPL-2.0
/*
 * ward unit tests - the hook coverage tables against the BPF object
 *
 * Documentation/hooks.rst argues, hook by hook, that ward's coverage is
 * complete (GB/T 39276 5.1.1.2 b, 5.2.1.2 b).  The argument is only as good
 * as its agreement with what ward attaches: every program of the object
 * built into ward must be named on the row of its hook, and every program
 * a row names must be in the object, in that section.
 *
 * The tables are the document's list-tables, one row per hook:
 *
 *    * - ``hook``
 *      - yes|no (in 6.1)
 *      - yes|no (in 6.12)
 *      - — | ``section`` ``function``[, ``section`` ``function``...]
 *      - the reason
 */

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "ward.skel.h"

#ifndef WARD_SRCDIR
#error "WARD_SRCDIR: the source tree, where Documentation/hooks.rst is"
#endif

#define DOC WARD_SRCDIR "/Documentation/hooks.rst"
#define COLUMNS 5
#define NONE "\u2014" /* the em dash of a row without programs */

struct program {
	char *section;
	char *name;
};

/**
 * struct row - one row of a list-table
 * @line: where it starts in the document
 * @ncells: how many cells it has; only the first COLUMNS are kept
 * @cell: the cells' text, continuation lines joined by spaces
 * @hook: the hook, from ``name`` in the first cell; NULL if not so
 * @programs: the programs of the fourth cell
 * @nprograms: how many
 * @programs_ok: the fourth cell is "—" or ``section`` ``function`` pairs
 */
struct row {
	int line;
	int ncells;
	char *cell[COLUMNS];
	char *hook;
	struct program *programs;
	size_t nprograms;
	bool programs_ok;
};

FIXTURE(hooks)
{
	struct ward *skel;
	struct row *rows;
	size_t nrows;
};

/* Appends @text to *@s, after a space if *@s is not empty. */
static int append(char **s, const char *text)
{
	size_t had = *s ? strlen(*s) : 0;
	char *grown = realloc(*s, had + 1 + strlen(text) + 1);

	if (!grown)
		return -ENOMEM;
	if (had)
		grown[had++] = ' ';
	strcpy(grown + had, text);
	*s = grown;
	return 0;
}

/* Starts another cell in @row with @text. */
static int add_cell(struct row *row, const char *text)
{
	if (row->ncells++ >= COLUMNS)
		return 0;
	return append(&row->cell[row->ncells - 1], text);
}

/* A C identifier, as hooks and functions are named. */
static bool is_name(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/*
 * The next ``literal`` of *@s, skipping commas and spaces before it: a
 * copy in *@token.  Returns 1, 0 at the end of @s, or -EINVAL if
 * something else comes first, -ENOMEM.
 */
static int next_literal(const char **s, char **token)
{
	const char *start, *end;

	*s += strspn(*s, " ,");
	if (!**s)
		return 0;
	if (strncmp(*s, "``", 2))
		return -EINVAL;
	start = *s + 2;
	end = strstr(start, "``");
	if (!end || end == start)
		return -EINVAL;
	*token = strndup(start, end - start);
	if (!*token)
		return -ENOMEM;
	*s = end + 2;
	return 1;
}

/* A section names its kind and its hook: "lsm/file_open". */
static bool is_section(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash && slash > s && is_name(slash + 1, strlen(slash + 1));
}

/* The hook (or traced function) of section @s: what follows its "/". */
static const char *section_hook(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash ? slash + 1 : s;
}

/* Fills @row->programs from its fourth cell; -ENOMEM, else 0. */
static int parse_programs(struct row *row)
{
	const char *s = row->cell[3];
	struct program p = { 0 }, *grown;
	int err;

	if (!s)
		return 0;
	if (!strcmp(s, NONE)) {
		row->programs_ok = true;
		return 0;
	}
	for (;;) {
		err = next_literal(&s, &p.section);
		if (err <= 0)
			break;
		err = next_literal(&s, &p.name);
		if (err <= 0) {
			free(p.section);
			if (!err)
				err = -EINVAL;
			break;
		}
		grown = realloc(row->programs,
				(row->nprograms + 1) * sizeof(*grown));
		if (!grown) {
			free(p.section);
			free(p.name);
			return -ENOMEM;
		}
		row->programs = grown;
		row->programs[row->nprograms++] = p;
		if (!is_section(p.section) ||
		    !is_name(p.name, strlen(p.name))) {
			err = -EINVAL;
			break;
		}
	}
	if (err == -ENOMEM)
		return err;
	row->programs_ok = !err && row->nprograms;
	return 0;
}

/* Sets @row->hook from its first cell, ``name``; -ENOMEM, else 0. */
static int parse_hook(struct row *row)
{
	const char *s = row->cell[0];
	size_t len = s ? strlen(s) : 0;

	if (len < 5 || strncmp(s, "``", 2) || strcmp(s + len - 2, "``") ||
	    !is_name(s + 2, len - 4))
		return 0;
	row->hook = strndup(s + 2, len - 4);
	return row->hook ? 0 : -ENOMEM;
}

/**
 * read_rows - read the rows of the list-tables of a document
 * @self: gets the rows, header rows (first cell "Hook") included
 * @path: the document
 *
 * A table runs from its ".. list-table::" to the next line that is not
 * indented; a row starts with "* - ", its other cells with "- " two
 * columns further, and lines indented more continue a cell.  Text outside
 * the tables, literal blocks among it, is not read.
 *
 * Return: 0; -ENOMEM; or fopen()'s negative errno (-ENOENT...).
 */
static int read_rows(FIXTURE_DATA(hooks) * self, const char *path)
{
	int lineno = 0, cell_indent = 0, err = 0;
	struct row *row = NULL;
	bool in_table = false;
	size_t size = 0;
	char *line = NULL;
	ssize_t len;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (!err && (len = getline(&line, &size, f)) >= 0) {
		const char *text;
		int indent;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!strncmp(line, ".. list-table::", 15)) {
			in_table = true;
			row = NULL;
			continue;
		}
		if (len && line[0] != ' ')
			in_table = false;
		if (!in_table)
			continue;
		indent = strspn(line, " ");
		text = line + indent;
		if (!strncmp(text, "* - ", 4)) {
			struct row *grown = realloc(
				self->rows, (self->nrows + 1) * sizeof(*grown));

			if (!grown) {
				err = -ENOMEM;
				break;
			}
			self->rows = grown;
			row = &self->rows[self->nrows++];
			memset(row, 0, sizeof(*row));
			row->line = lineno;
			cell_indent = indent + 2;
			err = add_cell(row, text + 4);
		} else if (row && indent == cell_indent &&
			   !strncmp(text, "- ", 2)) {
			err = add_cell(row, text + 2);
		} else if (row && indent > cell_indent && *text &&
			   row->ncells <= COLUMNS) {
			err = append(&row->cell[row->ncells - 1], text);
		}
	}
	free(line);
	fclose(f);
	for (size_t i = 0; !err && i < self->nrows; i++) {
		err = parse_hook(&self->rows[i]);
		if (!err)
			err = parse_programs(&self->rows[i]);
	}
	return err;
}

static void free_rows(FIXTURE_DATA(hooks) * self)
{
	for (size_t i = 0; i < self->nrows; i++) {
		struct row *row = &self->rows[i];

		for (int c = 0; c < COLUMNS; c++)
			free(row->cell[c]);
		free(row->hook);
		for (size_t p = 0; p < row->nprograms; p++) {
			free(row->programs[p].section);
			free(row->programs[p].name);
		}
		free(row->programs);
	}
	free(self->rows);
}

static bool is_header(const struct row *row)
{
	return row->cell[0] && !strcmp(row->cell[0], "Hook");
}

static const struct row *find_row(FIXTURE_DATA(hooks) * self, const char *hook)
{
	for (size_t i = 0; i < self->nrows; i++)
		if (self->rows[i].hook && !strcmp(self->rows[i].hook, hook))
			return &self->rows[i];
	return NULL;
}

static bool names(const struct row *row, const char *section, const char *name)
{
	for (size_t i = 0; i < row->nprograms; i++)
		if (!strcmp(row->programs[i].section, section) &&
		    !strcmp(row->programs[i].name, name))
			return true;
	return false;
}

FIXTURE_SETUP(hooks)
{
	int err = read_rows(self, DOC);

	ASSERT_EQ(0, err) TH_LOG("%s: %s", DOC, strerror(-err));
	ASSERT_NE(0UL, self->nrows) TH_LOG("%s: no list-table rows", DOC);
	/* Opening parses the embedded object; nothing goes to the kernel. */
	self->skel = ward__open();
	ASSERT_NE(NULL, self->skel) TH_LOG("ward__open: %s", strerror(errno));
}

FIXTURE_TEARDOWN(hooks)
{
	ward__destroy(self->skel);
	free_rows(self);
}

/* Every row: five columns, a hook, yes or no twice, its programs. */
TEST_F(hooks, rows_are_well_formed)
{
	for (size_t i = 0; i < self->nrows; i++) {
		const struct row *row = &self->rows[i], *first;
		const char *cell0 = row->cell[0] ? row->cell[0] : "";
		const char *name = row->hook ? row->hook : cell0;

		if (is_header(row))
			continue;
		EXPECT_EQ(COLUMNS, row->ncells)
		TH_LOG("%s:%d: row %s has %d columns, not %d", DOC, row->line,
		       name, row->ncells, COLUMNS);
		EXPECT_NE(NULL, row->hook)
		TH_LOG("%s:%d: the first column must be ``hook``, not \"%s\"",
		       DOC, row->line, cell0);
		for (int c = 1; c <= 2 && c < row->ncells; c++) {
			EXPECT_TRUE(!strcmp(row->cell[c], "yes") ||
				    !strcmp(row->cell[c], "no"))
			TH_LOG("%s:%d: row %s: in %s must be yes or no, not "
			       "\"%s\"",
			       DOC, row->line, name, c == 1 ? "6.1" : "6.12",
			       row->cell[c]);
		}
		EXPECT_TRUE(row->programs_ok)
		TH_LOG("%s:%d: row %s: the programs must be " NONE
		       " or ``section`` ``function`` pairs, not \"%s\"",
		       DOC, row->line, name, row->cell[3] ? row->cell[3] : "");
		if (!row->hook)
			continue;
		first = find_row(self, row->hook);
		EXPECT_EQ(row, first)
		TH_LOG("%s:%d: hook %s already has a row, line %d", DOC,
		       row->line, row->hook, first->line);
	}
}

/* Each program of the object is on the row of its hook. */
TEST_F(hooks, every_program_is_on_its_row)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, self->skel->obj) {
		const char *section = bpf_program__section_name(prog);
		const char *name = bpf_program__name(prog);
		const char *hook = section_hook(section);
		const struct row *row = find_row(self, hook);

		EXPECT_NE(NULL, row)
		TH_LOG("program %s (%s): %s has no row for %s", name, section,
		       DOC, hook);
		if (!row)
			continue;
		EXPECT_TRUE(names(row, section, name))
		TH_LOG("%s:%d: row %s does not name program ``%s`` ``%s``", DOC,
		       row->line, hook, section, name);
	}
}

/* Each program a row names is in the object, in that row's hook. */
TEST_F(hooks, every_program_named_exists)
{
	for (size_t i = 0; i < self->nrows; i++) {
		const struct row *row = &self->rows[i];

		for (size_t p = 0; row->hook && p < row->nprograms; p++) {
			const struct program *named = &row->programs[p];
			struct bpf_program *prog;

			EXPECT_STREQ(row->hook, section_hook(named->section))
			TH_LOG("%s:%d: row %s names ``%s`` ``%s``, a program "
			       "of another hook",
			       DOC, row->line, row->hook, named->section,
			       named->name);
			prog = bpf_object__find_program_by_name(self->skel->obj,
								named->name);
			EXPECT_NE(NULL, prog)
			TH_LOG("%s:%d: row %s names program %s, which the BPF "
			       "object does not have",
			       DOC, row->line, row->hook, named->name);
			if (!prog)
				continue;
			EXPECT_STREQ(named->section,
				     bpf_program__section_name(prog))
			TH_LOG("%s:%d: row %s: program %s is in section %s, "
			       "not %s",
			       DOC, row->line, row->hook, named->name,
			       bpf_program__section_name(prog), named->section);
		}
	}
}

TEST_HARNESS_MAIN
