// SPDX-License-Identifier: GPL-2.0
/*
 * ward_hello - the smallest module, unsigned, for the selftests that check
 * which modules the kernel accepts.
 */

#include <linux/module.h>

static int __init ward_hello_init(void)
{
	pr_info("ward_hello: loaded\n");
	return 0;
}

static void __exit ward_hello_exit(void)
{
	pr_info("ward_hello: unloaded\n");
}

module_init(ward_hello_init);
module_exit(ward_hello_exit);
MODULE_DESCRIPTION("ward selftest module");
MODULE_LICENSE("GPL");
