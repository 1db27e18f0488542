// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - loading kernel modules
 *
 * The modules come from the top-level Kbuild (make modules KVER=...), built
 * against the running kernel's headers into build/kmod/<release>/.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "common.h"
#include "harness.h"

/* build/kmod/<release>/selftests/modules/NAME.ko, next to build/selftests. */
static int module_path(const char *name, char *path, size_t size)
{
	char self[PATH_MAX];
	struct utsname uts;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (len < 0 || uname(&uts))
		return -1;
	self[len] = '\0';
	snprintf(path, size, "%s/../kmod/%s/selftests/modules/%s.ko",
		 dirname(self), uts.release, name);
	return 0;
}

TEST(unsigned_module_loads_while_signatures_are_not_enforced)
{
	char path[PATH_MAX], *enforce;
	struct stat st;
	struct utsname uts;
	int fd;

	ASSERT_EQ(0, uname(&uts));
	ASSERT_EQ(0, module_path("ward_hello", path, sizeof(path)));
	if (access(path, R_OK))
		SKIP(return, "ward_hello.ko is not built: make modules KVER=%s",
			   uts.release);
	enforce = read_file("/sys/module/module/parameters/sig_enforce");
	if (enforce && enforce[0] == 'Y')
		SKIP(return, "module signatures are enforced on this kernel");

	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, "", 0));
	close(fd);
	EXPECT_EQ(0, stat("/sys/module/ward_hello", &st));
	EXPECT_EQ(0, syscall(SYS_delete_module, "ward_hello", O_NONBLOCK));
	EXPECT_EQ(-1, stat("/sys/module/ward_hello", &st));
}

WARD_TEST_MAIN
