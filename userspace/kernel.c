// SPDX-License-Identifier: GPL-2.0
/*
 * ward - sig_enforce and lockdown for the policy's "kernel" statements
 *
 * The programs refuse what they can see (kernel.bpf.c); what only the
 * kernel can check, a module's signature, and what only it can forbid,
 * lockdown's list, are switched on here, after ward enforces, so that a
 * start that fails leaves the kernel as it was.  What can make them fail
 * is checked before anything is loaded (kernel_check()).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel.h"
#include "output.h"
#include "policy.h"
#include "policy_names.h"
#include "system.h"

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/*
 * The kernel's lockdown level (enum ward_kernel_lockdown), the word in
 * brackets of "none [integrity] confidentiality"; negative errno.
 */
static int lockdown_level(void)
{
	char buf[128], *open_bracket;
	__u8 level;
	int err = read_line(LOCKDOWN_FILE, buf, sizeof(buf));

	if (err)
		return err;
	open_bracket = strchr(buf, '[');
	if (!open_bracket || !strchr(open_bracket, ']') ||
	    !policy_kernel_value_named(KERNEL_LOCKDOWN, open_bracket + 1,
				       strcspn(open_bracket + 1, "]"), &level))
		return -EINVAL;
	return level;
}

/* Is sig_enforce on: 1, 0, or negative errno (-ENOENT: no module signing). */
static int sig_enforced(void)
{
	char buf[8];
	int err = read_line(SIG_ENFORCE_FILE, buf, sizeof(buf));

	return err ? err : buf[0] == 'Y';
}

int kernel_check(struct compiled_policy *c)
{
	struct ward_kernel *k = &c->kernel;
	int level;

	if (k->module == WARD_KERNEL_MODULE_SIGNED &&
	    sig_enforced() == -ENOENT) {
		p_warn("kernel module signed: this kernel cannot check module signatures (no %s): every module load is refused instead",
		       SIG_ENFORCE_FILE);
		k->module = WARD_KERNEL_MODULE_DENY;
	}
	if (k->lockdown != WARD_KERNEL_LOCKDOWN_NONE) {
		level = lockdown_level();
		if (level < 0)
			return p_err("kernel lockdown %s: this kernel has no lockdown LSM (%s: %s): boot it with lockdown in lsm=, or remove the statement",
				     policy_kernel_value_name(KERNEL_LOCKDOWN,
							      k->lockdown),
				     LOCKDOWN_FILE, strerror(-level)),
			       -EOPNOTSUPP;
	}
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].key.kind == WARD_KEY_KERNEL)
			c->entries[i].value.kernel = *k;
	return 0;
}

int kernel_apply(const struct ward_kernel *k)
{
	const char *name;
	int err, level;

	if (k->module == WARD_KERNEL_MODULE_SIGNED && sig_enforced() != 1) {
		err = write_text(SIG_ENFORCE_FILE, "1");
		if (err)
			return p_err("kernel module signed: cannot turn on %s: %s",
				     SIG_ENFORCE_FILE, strerror(-err)),
			       err;
	}
	if (k->lockdown == WARD_KERNEL_LOCKDOWN_NONE)
		return 0;
	name = policy_kernel_value_name(KERNEL_LOCKDOWN, k->lockdown);
	level = lockdown_level();
	if (level >= k->lockdown)
		return 0;
	err = level < 0 ? level : write_text(LOCKDOWN_FILE, name);
	if (err)
		return p_err("kernel lockdown %s: cannot raise %s: %s", name,
			     LOCKDOWN_FILE, strerror(-err)),
		       err;
	return 0;
}

size_t kernel_protections(const struct ward_kernel *k, struct protection *out,
			  size_t max)
{
	const char *level_name;
	size_t n = 0;
	int enforced, level;

	if (n < max) {
		struct protection *p = &out[n++];

		enforced = sig_enforced();
		p->name = "kernel module";
		switch (k->module) {
		case WARD_KERNEL_MODULE_SIGNED:
			p->in_force = enforced == 1;
			snprintf(
				p->detail, sizeof(p->detail),
				"signed: unsigned images refused; sig_enforce %s",
				enforced == 1 ? "on" :
				enforced == 0 ? "off" :
						"unreadable");
			break;
		case WARD_KERNEL_MODULE_DENY:
			p->in_force = true;
			snprintf(
				p->detail, sizeof(p->detail), "%s",
				enforced == -ENOENT ?
					"deny: every load refused (this kernel cannot check module signatures)" :
					"deny: every load refused");
			break;
		default:
			p->in_force = false;
			snprintf(p->detail, sizeof(p->detail),
				 "allow: the kernel's own checks only");
		}
	}
	if (n < max) {
		struct protection *p = &out[n++];

		p->name = "kernel kexec";
		p->in_force = k->kexec;
		snprintf(
			p->detail, sizeof(p->detail), "%s",
			k->kexec ?
				"deny: kexec_load and kexec_file_load refused" :
				"allow");
	}
	if (n < max) {
		struct protection *p = &out[n++];

		p->name = "kernel kmem";
		p->in_force = k->kmem;
		snprintf(
			p->detail, sizeof(p->detail), "%s",
			k->kmem ?
				"deny: /dev/mem, /dev/kmem, /dev/port written and /proc/kcore read refused" :
				"allow");
	}
	if (n < max) {
		struct protection *p = &out[n++];

		level = lockdown_level();
		level_name = level < 0 ?
				     NULL :
				     policy_kernel_value_name(KERNEL_LOCKDOWN,
							      level);
		p->name = "kernel lockdown";
		p->in_force = k->lockdown && level >= k->lockdown;
		snprintf(p->detail, sizeof(p->detail), "policy %s; kernel %s",
			 policy_kernel_value_name(KERNEL_LOCKDOWN, k->lockdown),
			 level_name ? level_name : "without the lockdown LSM");
	}
	return n;
}
