/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - what the policy's "kernel" statements ask of the kernel beyond
 * the programs: sig_enforce and lockdown, both one-way until reboot
 */

#ifndef WARD_KERNEL_H
#define WARD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "policy_compile.h"

#define SIG_ENFORCE_FILE "/sys/module/module/parameters/sig_enforce"
#define LOCKDOWN_FILE "/sys/kernel/security/lockdown"

/**
 * kernel_check - before anything is loaded: can this kernel do what @c asks?
 * @c: a compiled policy; its settings (&compiled_policy.kernel and its
 *     WARD_KEY_KERNEL entry) are adjusted to what is sound here
 *
 * "kernel module signed" on a kernel without module signing (no
 * sig_enforce) becomes "deny": no module can be verified, so none loads.
 * "kernel lockdown" other than none needs the lockdown LSM.
 *
 * Return: 0; -EOPNOTSUPP, printed as one line, when lockdown is asked for
 * and the kernel has no lockdown LSM.
 */
int kernel_check(struct compiled_policy *c);

/**
 * kernel_apply - raise the kernel to what @k asks, once ward enforces
 * @k: the settings kernel_check() adjusted
 *
 * Under "kernel module signed" writes 1 to sig_enforce (the kernel never
 * lowers it again); under "kernel lockdown LEVEL" writes LEVEL to the
 * lockdown file when the kernel's level is lower (it never goes down).
 * Nothing is lowered: a policy asking for less leaves both as they are.
 *
 * Return: 0, or a negative errno after one line saying what failed:
 * -ENOENT, -EACCES, -EPERM, -EROFS, -EINVAL from the kernel's files.
 */
int kernel_apply(const struct ward_kernel *k);

/**
 * struct protection - one of ward's protections of the kernel, for status
 * @name: "kernel module", "kernel kexec", "kernel kmem", "kernel lockdown"
 * @in_force: whether the kernel is now as the policy asks
 * @detail: what the policy asks and what the kernel says, one line
 */
struct protection {
	const char *name;
	bool in_force;
	char detail[160];
};

/**
 * kernel_protections - the protections @k asks for, and whether in force
 * @k: the settings of the active policy (its WARD_KEY_KERNEL entry)
 * @out: filled with up to @max protections
 * @max: room in @out
 *
 * Return: the number filled in.
 */
size_t kernel_protections(const struct ward_kernel *k, struct protection *out,
			  size_t max);

#endif /* WARD_KERNEL_H */
