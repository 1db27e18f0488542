// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward verify-package": a release or update package against its
 * signed manifest (package.h)
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "main.h"
#include "output.h"
#include "package.h"
#include "sign_cmd.h"

#define DIGEST_LEN 32

enum { MD_SHA256, MD_SM3, MD_N };

static const char *const md_tags[MD_N] = { "SHA256 (", "SM3 (" };

/* One line of the manifest. */
struct line {
	const char *name;
	int md;
	unsigned char digest[DIGEST_LEN];
	size_t lineno;
};

/* A file or member the manifest names, with both its digests. */
struct entry {
	const char *name;
	unsigned char digest[MD_N][DIGEST_LEN];
	bool seen;
};

struct manifest {
	char *text; /* the names point into it */
	struct entry *e;
	size_t n;
};

static void problem(const struct package_opts *o, struct package_result *r,
		    const char *what, int err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void problem(const struct package_opts *o, struct package_result *r,
		    const char *what, int err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->problems++;
	o->report(o->ctx, what, err, msg);
}

/* Relative, without empty, "." or ".." components or odd bytes. */
static bool name_ok(const char *name)
{
	const char *c = name;

	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
	for (;;) {
		size_t len = strcspn(c, "/");

		if (!len || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (!c[len])
			return true;
		c += len + 1;
	}
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "TAG (NAME) = HEX", @line ended by '\0' in place of its newline. */
static bool parse_line(char *line, struct line *out)
{
	size_t len = strlen(line), tag;
	char *sep;

	for (out->md = 0; out->md < MD_N; out->md++)
		if (!strncmp(line, md_tags[out->md], strlen(md_tags[out->md])))
			break;
	if (out->md == MD_N)
		return false;
	tag = strlen(md_tags[out->md]);
	if (len < tag + 1 + 4 + 2 * DIGEST_LEN)
		return false;
	sep = line + len - 4 - 2 * DIGEST_LEN;
	if (memcmp(sep, ") = ", 4))
		return false;
	for (int i = 0; i < DIGEST_LEN; i++) {
		int hi = hex_value(sep[4 + 2 * i]),
		    lo = hex_value(sep[5 + 2 * i]);

		if (hi < 0 || lo < 0)
			return false;
		out->digest[i] = hi << 4 | lo;
	}
	*sep = '\0';
	out->name = line + tag;
	return name_ok(out->name);
}

static int line_cmp(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->md - y->md;
}

static int entry_cmp(const void *key, const void *e)
{
	return strcmp(key, ((const struct entry *)e)->name);
}

static struct entry *find(const struct manifest *m, const char *name)
{
	return bsearch(name, m->e, m->n, sizeof(*m->e), entry_cmp);
}

/*
 * The entries of @m->text, sorted by name.  Returns 0, -ENOMEM, or
 * -EINVAL with the line that is wrong in @error.
 */
static int parse_manifest(struct manifest *m, size_t len, char error[256])
{
	struct line *lines = NULL;
	size_t n = 0, cap = 0, lineno = 0;
	char *p = m->text, *end = m->text + len;
	int err = 0;

	if (memchr(m->text, '\0', len) || (len && end[-1] != '\n')) {
		snprintf(error, 256,
			 "it holds a NUL byte or does not end with a newline");
		return -EINVAL;
	}
	while (p < end) {
		char *nl = memchr(p, '\n', end - p);

		*nl = '\0';
		lineno++;
		if (*p != '#') {
			if (n == cap) {
				struct line *grown;

				cap = cap ? 2 * cap : 64;
				grown = realloc(lines, cap * sizeof(*lines));
				if (!grown) {
					err = -ENOMEM;
					goto out;
				}
				lines = grown;
			}
			lines[n].lineno = lineno;
			if (!parse_line(p, &lines[n])) {
				snprintf(
					error, 256,
					"line %zu is not \"SHA256 (NAME) = HEX\" or \"SM3 (NAME) = HEX\" with a relative NAME",
					lineno);
				err = -EINVAL;
				goto out;
			}
			n++;
		}
		p = nl + 1;
	}
	if (!n) {
		snprintf(error, 256, "it lists no file");
		err = -EINVAL;
		goto out;
	}
	qsort(lines, n, sizeof(*lines), line_cmp);
	m->e = calloc(n / MD_N + 1, sizeof(*m->e));
	if (!m->e) {
		err = -ENOMEM;
		goto out;
	}
	/* Sorted, each name comes as its SHA256 line, its SM3 line, once. */
	for (size_t i = 0; i < n; i += MD_N) {
		const struct line *l = &lines[i];

		if (i + 1 >= n || l[0].md != MD_SHA256 || l[1].md != MD_SM3 ||
		    strcmp(l[0].name, l[1].name) ||
		    (i + 2 < n && !strcmp(l[2].name, l[0].name))) {
			snprintf(
				error, 256,
				"%s (line %zu) does not have exactly one SHA256 and one SM3 line",
				l[0].name, l[0].lineno);
			err = -EINVAL;
			goto out;
		}
		m->e[m->n].name = l[0].name;
		for (int md = 0; md < MD_N; md++)
			memcpy(m->e[m->n].digest[md], l[md].digest, DIGEST_LEN);
		m->n++;
	}
out:
	free(lines);
	return err;
}

/* SHA-256 and SM3 of one stream of bytes. */
struct digests {
	EVP_MD_CTX *ctx[MD_N];
};

static int digests_init(struct digests *d)
{
	const EVP_MD *md[MD_N] = { EVP_sha256(), EVP_sm3() };

	for (int i = 0; i < MD_N; i++) {
		d->ctx[i] = EVP_MD_CTX_new();
		if (!d->ctx[i] || !EVP_DigestInit_ex(d->ctx[i], md[i], NULL))
			return -ENOMEM;
	}
	return 0;
}

static int digests_update(struct digests *d, const void *buf, size_t len)
{
	for (int i = 0; i < MD_N; i++)
		if (!EVP_DigestUpdate(d->ctx[i], buf, len))
			return -ENOMEM;
	return 0;
}

static int digests_final(struct digests *d, unsigned char out[MD_N][DIGEST_LEN])
{
	for (int i = 0; i < MD_N; i++)
		if (!EVP_DigestFinal_ex(d->ctx[i], out[i], NULL))
			return -ENOMEM;
	return 0;
}

static void digests_free(struct digests *d)
{
	for (int i = 0; i < MD_N; i++)
		EVP_MD_CTX_free(d->ctx[i]);
}

/* The digests of the file @fd, read to its end; 0 or a negative errno. */
static int digest_fd(int fd, unsigned char out[MD_N][DIGEST_LEN])
{
	struct digests d = {};
	unsigned char buf[65536];
	ssize_t n;
	int err;

	err = digests_init(&d);
	while (!err && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		err = n < 0 ? -errno : digests_update(&d, buf, n);
	}
	if (!err)
		err = digests_final(&d, out);
	digests_free(&d);
	return err;
}

/* Whether @got are @e's digests; reports the difference under @what. */
static bool match(const struct package_opts *o, struct package_result *r,
		  const char *what, const struct entry *e,
		  unsigned char got[MD_N][DIGEST_LEN])
{
	bool sha = memcmp(got[MD_SHA256], e->digest[MD_SHA256], DIGEST_LEN);
	bool sm3 = memcmp(got[MD_SM3], e->digest[MD_SM3], DIGEST_LEN);

	if (sha || sm3)
		problem(o, r, what, -EBADMSG,
			"its %s the manifest's: it is not what was signed",
			sha && sm3 ? "SHA-256 and SM3 digests differ from" :
			sha	   ? "SHA-256 digest differs from" :
				     "SM3 digest differs from");
	return !sha && !sm3;
}

static bool is_tarball(const char *path)
{
	static const char *const suffixes[] = { ".tar", ".tar.gz", ".tgz",
						".tar.xz" };
	size_t len = strlen(path);

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t s = strlen(suffixes[i]);

		if (len > s && !strcmp(path + len - s, suffixes[i]))
			return true;
	}
	return false;
}

static const char *type_name(mode_t type)
{
	switch (type) {
	case AE_IFLNK:
		return "symbolic link";
	case AE_IFCHR:
	case AE_IFBLK:
		return "device";
	case AE_IFIFO:
		return "FIFO";
	case AE_IFSOCK:
		return "socket";
	default:
		return "file of unknown type";
	}
}

/*
 * One regular member: its digests against the manifest's.  Returns 0,
 * -ENOMEM, or -EBADMSG when the archive cannot be read (not reported).
 */
static int check_member(const struct package_opts *o, struct package_result *r,
			struct archive *a, struct entry *e, const char *name)
{
	unsigned char got[MD_N][DIGEST_LEN], buf[65536];
	struct digests d = {};
	la_ssize_t n;
	int err;

	err = digests_init(&d);
	while (!err && (n = archive_read_data(a, buf, sizeof(buf))) != 0)
		err = n < 0 ? -EBADMSG : digests_update(&d, buf, n);
	if (!err)
		err = digests_final(&d, got);
	digests_free(&d);
	if (!err && match(o, r, name, e, got))
		r->members++;
	return err;
}

/*
 * Every member of the tarball @fd, from its start, against @m: a damaged
 * archive stops the reading; returns 0 or -ENOMEM.
 */
static int check_members(const struct package_opts *o, struct package_result *r,
			 struct manifest *m, int fd)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	int rc, err = 0;

	if (!a)
		return -ENOMEM;
	/* What git archive and tar make, nothing else: less to parse. */
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_format_tar(a);
	rc = archive_read_open_fd(a, fd, 65536);
	while (rc == ARCHIVE_OK && !err &&
	       (rc = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(ae);
		mode_t type = archive_entry_filetype(ae);
		struct entry *e;

		if (type == AE_IFDIR)
			continue;
		if (!name || type != AE_IFREG || archive_entry_hardlink(ae)) {
			problem(o, r, name ? name : o->file, -EINVAL,
				"a %s in the tarball: the manifest lists regular files only",
				!name ? "member without a name" :
				archive_entry_hardlink(ae) ? "hard link" :
							     type_name(type));
			continue;
		}
		e = strchr(name, '/') ? find(m, name) : NULL;
		if (!e)
			problem(o, r, name, -EEXIST,
				"in the tarball, not in the manifest");
		else if (e->seen)
			problem(o, r, name, -EEXIST,
				"twice in the tarball: extracting it would keep the second");
		else
			err = check_member(o, r, a, e, name);
		if (e)
			e->seen = true;
		if (err == -EBADMSG) {
			err = 0;
			rc = ARCHIVE_FATAL;
		}
	}
	if (!err && rc != ARCHIVE_EOF)
		problem(o, r, o->file, -EBADMSG, "the tarball is damaged: %s",
			archive_error_string(a) ? archive_error_string(a) :
						  "unknown error");
	archive_read_free(a);
	if (err || rc != ARCHIVE_EOF)
		return err;
	for (size_t i = 0; i < m->n; i++)
		if (strchr(m->e[i].name, '/') && !m->e[i].seen)
			problem(o, r, m->e[i].name, -ENOENT,
				"in the manifest, missing from the tarball");
	return 0;
}

/* Reads @path of at most @max bytes; reports why it cannot. */
static int read_whole(const struct package_opts *o, struct package_result *r,
		      const char *path, size_t max, const char *what,
		      void **buf, size_t *len)
{
	int err = sign_read_file(path, max, buf, len);

	if (err == -EFBIG)
		problem(o, r, path, err, "the %s is larger than %zu bytes",
			what, max);
	else if (err)
		problem(o, r, path, err, "cannot read the %s: %s", what,
			strerror(-err));
	return err;
}

int package_verify(const struct package_opts *o, struct package_result *r)
{
	unsigned char got[MD_N][DIGEST_LEN];
	struct manifest m = {};
	const char *base = strrchr(o->file, '/');
	void *sig = NULL;
	size_t len, sig_len;
	struct entry *e;
	struct stat st;
	char error[256];
	int fd = -1, err, ret = PACKAGE_CANNOT;

	memset(r, 0, sizeof(*r));
	base = base ? base + 1 : o->file;
	if (read_whole(o, r, o->manifest, SIGN_DATA_MAX, "manifest",
		       (void **)&m.text, &len) ||
	    read_whole(o, r, o->sig, SIGN_SIG_MAX, "signature", &sig, &sig_len))
		goto out;
	err = sign_verify(m.text, len, sig, sig_len, o->trust, &r->signer);
	if (err) {
		problem(o, r, o->sig, err,
			"bad signature of the manifest %s: %s", o->manifest,
			r->signer.error);
		ret = err == -ENOMEM ? PACKAGE_CANNOT : PACKAGE_BAD;
		goto out;
	}
	r->signed_ok = true;
	err = parse_manifest(&m, len, error);
	if (err) {
		problem(o, r, o->manifest, err, "the manifest is malformed: %s",
			err == -ENOMEM ? "out of memory" : error);
		ret = err == -ENOMEM ? PACKAGE_CANNOT : PACKAGE_BAD;
		goto out;
	}
	e = find(&m, base);
	if (!e) {
		problem(o, r, o->file, -ENOENT, "not in the manifest %s",
			o->manifest);
		ret = PACKAGE_BAD;
		goto out;
	}
	/*
	 * One open file for the digests and the members: what is parsed is
	 * what was hashed, whatever is renamed over its name meanwhile.
	 */
	fd = open(o->file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	err = fd < 0 || fstat(fd, &st) ? -errno :
	      !S_ISREG(st.st_mode)     ? -EINVAL :
					 digest_fd(fd, got);
	if (!err && lseek(fd, 0, SEEK_SET))
		err = -errno;
	if (err) {
		problem(o, r, o->file, err, "cannot read it: %s",
			err == -EINVAL ? "not a regular file" : strerror(-err));
		goto out;
	}
	/* A tarball that is not the one signed is not parsed at all. */
	if (match(o, r, o->file, e, got) && is_tarball(o->file)) {
		err = check_members(o, r, &m, fd);
		if (err) {
			problem(o, r, o->file, err,
				"cannot check its members: %s", strerror(-err));
			goto out;
		}
	}
	ret = r->problems ? PACKAGE_BAD : PACKAGE_GOOD;
out:
	if (fd >= 0)
		close(fd);
	free(m.e);
	free(m.text);
	free(sig);
	return ret;
}

static void print_problem(void *ctx, const char *what, int err, const char *msg)
{
	const char *code = strerrorname_np(-err);
	json_object *obj;

	if (!ctx) {
		p_err("%s: %s", what, msg);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "what", json_object_new_string(what));
	json_object_object_add(obj, "code",
			       json_object_new_string(code ? code : "?"));
	json_object_object_add(obj, "error", json_object_new_string(msg));
	json_object_array_add(ctx, obj);
}

/*
 * FILE's manifest: FILE.manifest, else FILE without its package suffix
 * (.tar.gz, .tgz, .tar.xz, .tar, .deb) and with .manifest: the one
 * "make dist" writes beside its tarball.
 */
static char *find_manifest(const char *file)
{
	static const char *const suffixes[] = { ".tar.gz", ".tgz", ".tar.xz",
						".tar", ".deb" };
	size_t len = strlen(file);
	char *path;

	if (asprintf(&path, "%s.manifest", file) < 0)
		return NULL;
	if (!access(path, F_OK))
		return path;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t s = strlen(suffixes[i]);
		char *stem;

		if (len <= s || strcmp(file + len - s, suffixes[i]))
			continue;
		if (asprintf(&stem, "%.*s.manifest", (int)(len - s), file) < 0)
			break;
		if (!access(stem, F_OK)) {
			free(path);
			return stem;
		}
		free(stem);
		break;
	}
	/* Neither exists: name the first in what cannot be read. */
	return path;
}

int do_verify_package(int argc, char **argv)
{
	const char *keys = SIGN_KEYS_DEFAULT, *manifest = NULL, *sig = NULL;
	const struct cmd_option opts[] = { { "keys", 0, NULL, &keys },
					   { "manifest", 'm', NULL, &manifest },
					   { "signature", 's', NULL, &sig },
					   {} };
	static const char usage[] =
		"verify-package [--keys DIR[:DIR]...] [--manifest M] [--signature S] FILE";
	struct package_opts o = { .report = print_problem };
	struct sign_trust trust = {};
	struct package_result r;
	char *mpath = NULL, *spath = NULL, who[384];
	json_object *problems = NULL, *obj;
	int ret;

	ret = cmd_options(&argc, &argv, opts, 1, usage);
	if (ret)
		return ret;
	if (argc != 1)
		return cmd_usage(usage);
	o.file = argv[0];
	o.manifest = manifest ? manifest : (mpath = find_manifest(o.file));
	if (o.manifest && !sig && asprintf(&spath, "%s.sig", o.manifest) < 0)
		spath = NULL;
	o.sig = sig ? sig : spath;
	if (!o.manifest || !o.sig) {
		ret = p_err("out of memory");
		goto out;
	}
	if (sign_cmd_trust(keys, &trust)) {
		ret = PACKAGE_CANNOT;
		goto out;
	}
	o.trust = &trust;
	if (json_output)
		o.ctx = problems = json_object_new_array();
	ret = package_verify(&o, &r);
	if (r.signed_ok)
		sign_cmd_describe(&r.signer, NULL, who, sizeof(who));
	if (json_output) {
		obj = json_object_new_object();
		json_object_object_add(obj, "file",
				       json_object_new_string(o.file));
		json_object_object_add(obj, "manifest",
				       json_object_new_string(o.manifest));
		json_object_object_add(obj, "signature",
				       json_object_new_string(o.sig));
		json_object_object_add(obj, "valid",
				       json_object_new_boolean(ret ==
							       PACKAGE_GOOD));
		if (r.signed_ok) {
			json_object *signer = json_object_new_object();

			sign_cmd_describe(&r.signer, signer, who, sizeof(who));
			json_object_object_add(obj, "signer", signer);
		}
		json_object_object_add(obj, "members",
				       json_object_new_int64(r.members));
		json_object_object_add(obj, "problems", problems);
		json_print(obj);
	} else if (ret == PACKAGE_GOOD && r.members) {
		printf("%s: good: it and its %zu members match %s (SHA-256 and SM3), whose signer is %s\n",
		       o.file, r.members, o.manifest, who);
	} else if (ret == PACKAGE_GOOD) {
		printf("%s: good: it matches %s (SHA-256 and SM3), whose signer is %s\n",
		       o.file, o.manifest, who);
	}
	ret = ret == PACKAGE_GOOD ? 0 : ret;
out:
	sign_trust_free(&trust);
	free(mpath);
	free(spath);
	return ret;
}
