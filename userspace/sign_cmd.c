// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward policy sign" and "ward policy verify": detached signatures
 * of policy files (sign.h)
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "main.h"
#include "output.h"
#include "sign.h"
#include "sign_cmd.h"

int sign_cmd_read(const char *path, size_t max, const char *what, void **buf,
		  size_t *len)
{
	int err = sign_read_file(path, max, buf, len);

	if (err == -EFBIG)
		return p_err("the %s %s is larger than %zu bytes", what, path,
			     max);
	if (err)
		return p_err("cannot read the %s %s: %s", what, path,
			     strerror(-err));
	return 0;
}

/* Writes @len bytes to a new @path, replacing it whole or not at all. */
static int write_output(const char *path, const void *buf, size_t len)
{
	char *tmp;
	int fd, err = 0;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return p_err("out of memory");
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = p_err("cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return err;
	}
	if (fchmod(fd, 0644) || write(fd, buf, len) != (ssize_t)len ||
	    fsync(fd))
		err = -1;
	if (close(fd) || err || rename(tmp, path)) {
		err = p_err("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return err;
}

int do_policy_sign(int argc, char **argv)
{
	const char *key = NULL, *cert = NULL, *chain = NULL, *out = NULL;
	const struct cmd_option opts[] = { { "key", 'k', NULL, &key },
					   { "cert", 'c', NULL, &cert },
					   { "chain", 0, NULL, &chain },
					   { "output", 'o', NULL, &out },
					   {} };
	const char *usage =
		"policy sign --key KEY --cert CERT [--chain FILE] [-o OUT] FILE";
	void *data = NULL, *kbuf = NULL, *cbuf = NULL, *chbuf = NULL;
	size_t len, klen, clen, chlen = 0;
	char error[256], *path = NULL;
	unsigned char *sig = NULL;
	size_t sig_len;
	int err;

	err = cmd_options(&argc, &argv, opts, 1, usage);
	if (err)
		return err;
	if (argc != 1 || !key || !cert)
		return cmd_usage(usage);
	if (sign_cmd_read(argv[0], SIGN_DATA_MAX, "policy", &data, &len) ||
	    sign_cmd_read(key, SIGN_SIG_MAX, "key", &kbuf, &klen) ||
	    sign_cmd_read(cert, SIGN_SIG_MAX, "certificate", &cbuf, &clen) ||
	    (chain &&
	     sign_cmd_read(chain, SIGN_SIG_MAX, "chain", &chbuf, &chlen))) {
		err = -1;
		goto out;
	}
	err = sign_make(data, len, kbuf, klen, cbuf, clen, chbuf, chlen, &sig,
			&sig_len, error);
	if (err) {
		p_err("cannot sign %s: %s", argv[0], error);
		goto out;
	}
	if (!out && asprintf(&path, "%s.sig", argv[0]) < 0) {
		err = p_err("out of memory");
		goto out;
	}
	out = out ? out : path;
	err = write_output(out, sig, sig_len);
	if (err)
		goto out;
	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "file",
				       json_object_new_string(argv[0]));
		json_object_object_add(obj, "signature",
				       json_object_new_string(out));
		json_print(obj);
	} else {
		printf("%s: signed, signature in %s\n", argv[0], out);
	}
out:
	if (kbuf)
		explicit_bzero(kbuf, klen);
	free(kbuf);
	free(cbuf);
	free(chbuf);
	free(data);
	free(sig);
	free(path);
	return err;
}

void sign_cmd_describe(const struct sign_signer *s, json_object *obj,
		       char *line, size_t size)
{
	char when[32] = "";
	struct tm tm;

	if (s->signing_time && gmtime_r(&s->signing_time, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (obj) {
		json_object_object_add(obj, "subject",
				       json_object_new_string(s->subject));
		json_object_object_add(obj, "key",
				       json_object_new_string(s->key));
		json_object_object_add(obj, "bits",
				       json_object_new_int(s->bits));
		if (when[0])
			json_object_object_add(obj, "signing_time",
					       json_object_new_string(when));
	}
	snprintf(line, size, "%s (%s, %d bits)%s%s", s->subject, s->key,
		 s->bits, when[0] ? ", signed " : "", when);
}

static void print_signer(const char *file, const char *sig,
			 const struct sign_signer *s)
{
	json_object *obj = json_output ? json_object_new_object() : NULL;
	char line[384];

	if (obj) {
		json_object_object_add(obj, "file",
				       json_object_new_string(file));
		json_object_object_add(obj, "signature",
				       json_object_new_string(sig));
		json_object_object_add(obj, "valid",
				       json_object_new_boolean(true));
	}
	sign_cmd_describe(s, obj, line, sizeof(line));
	if (obj)
		json_print(obj);
	else
		printf("%s: good signature by %s\n", file, line);
}

/* One line on what is wrong; in JSON with the errno's name for events. */
static int print_refusal(const char *file, const char *sig, int err,
			 const struct sign_signer *s)
{
	const char *code = strerrorname_np(-err);
	json_object *obj;

	if (!json_output)
		return p_err("%s: bad signature %s: %s", file, sig, s->error);
	obj = json_object_new_object();

	json_object_object_add(obj, "file", json_object_new_string(file));
	json_object_object_add(obj, "signature", json_object_new_string(sig));
	json_object_object_add(obj, "valid", json_object_new_boolean(false));
	json_object_object_add(obj, "error", json_object_new_string(s->error));
	json_object_object_add(obj, "code",
			       json_object_new_string(code ? code : "?"));
	if (s->subject[0])
		json_object_object_add(obj, "subject",
				       json_object_new_string(s->subject));
	json_print(obj);
	return -1;
}

int sign_cmd_trust(const char *keys, struct sign_trust *trust)
{
	char *list = strdup(keys), *dir, *save, error[256];
	const char *dirs[16];
	size_t n = 0;
	int err = 0;

	if (!list)
		return p_err("out of memory");
	for (dir = strtok_r(list, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		if (n == sizeof(dirs) / sizeof(dirs[0])) {
			err = p_err("more than %zu keys directories", n);
			goto out;
		}
		dirs[n++] = dir;
	}
	err = sign_trust_load(trust, dirs, n, error);
	if (err)
		p_err("%s", error);
out:
	free(list);
	return err;
}

int do_policy_verify(int argc, char **argv)
{
	const char *keys = SIGN_KEYS_DEFAULT;
	const struct cmd_option opts[] = { { "keys", 0, NULL, &keys }, {} };
	const char *usage = "policy verify [--keys DIR[:DIR]...] FILE [SIG]";
	void *data = NULL, *sig = NULL;
	struct sign_trust trust = {};
	struct sign_signer signer;
	size_t len, sig_len;
	char *path = NULL;
	const char *sig_path;
	int err;

	err = cmd_options(&argc, &argv, opts, 2, usage);
	if (err)
		return err;
	if (argc < 1)
		return cmd_usage(usage);
	if (argc < 2 && asprintf(&path, "%s.sig", argv[0]) < 0)
		return p_err("out of memory");
	sig_path = argc < 2 ? path : argv[1];
	err = sign_cmd_trust(keys, &trust);
	if (err)
		goto out;
	err = sign_cmd_read(argv[0], SIGN_DATA_MAX, "policy", &data, &len);
	if (!err)
		err = sign_cmd_read(sig_path, SIGN_SIG_MAX, "signature", &sig,
				    &sig_len);
	if (err)
		goto out;
	err = sign_verify(data, len, sig, sig_len, &trust, &signer);
	if (err)
		print_refusal(argv[0], sig_path, err, &signer);
	else
		print_signer(argv[0], sig_path, &signer);
out:
	sign_trust_free(&trust);
	free(data);
	free(sig);
	free(path);
	return err;
}
