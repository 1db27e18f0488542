// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - the policy's "kernel" statements: modules, kexec and
 * the kernel's memory (GB/T 39276 5.1.1.2 c: nothing may run beneath the
 * access control)
 *
 * The modules are built by "make modules KVER=..." into
 * build/kmod/<release>/: ward_hello unsigned, signed by a throwaway key
 * the kernel does not trust, and with half its signature cut away; and
 * dummy.ko, signed by Debian, from the kernel's own package.
 *
 * "kernel module signed" turns sig_enforce on until the guest powers off:
 * the test of a policy without it runs first.  Every refusal is -EPERM
 * from ward, but the kernel's own rejection of a signature.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <json-c/json.h>

#include "common.h"
#include "harness.h"

#define SIG_ENFORCE "/sys/module/module/parameters/sig_enforce"
#define KEXEC_FILE_NO_INITRAMFS 0x4
#define MODULE_INIT_COMPRESSED_FILE 0x4
/* No kernel registers this family: socket() asks for module net-pf-5. */
#define UNLOADED_FAMILY 5 /* AF_APPLETALK */

FIXTURE(kernel)
{
	char dir[64];
	char hello[PATH_MAX]; /* unsigned */
	char untrusted[PATH_MAX]; /* signed by a key the kernel lacks */
	char truncated[PATH_MAX]; /* half its signature gone */
	char debian[PATH_MAX]; /* signed by Debian */
	char image[PATH_MAX]; /* a file for kexec_file_load */
};

FIXTURE_SETUP(kernel)
{
	strcpy(self->dir, SCRATCH "/kernel-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	kmod_path("selftests/modules/ward_hello.ko", self->hello,
		  sizeof(self->hello));
	kmod_path("selftests/modules/ward_hello_untrusted.ko", self->untrusted,
		  sizeof(self->untrusted));
	kmod_path("selftests/modules/ward_hello_truncated.ko", self->truncated,
		  sizeof(self->truncated));
	kmod_path("debian/dummy.ko", self->debian, sizeof(self->debian));
	snprintf(self->image, sizeof(self->image), "%s/image", self->dir);
	ASSERT_EQ(0, copy_file("/proc/self/exe", self->image));
	json_object_put(ward_events());
}

FIXTURE_TEARDOWN(kernel)
{
	ward_load_text("/tmp", "policy none 0.0.1\n");
	syscall(SYS_delete_module, "ward_hello", O_NONBLOCK);
	syscall(SYS_delete_module, "dummy", O_NONBLOCK);
	remove_tree(self->dir);
}

static bool modules_built(FIXTURE_DATA(kernel) * self)
{
	return !access(self->hello, R_OK) && !access(self->untrusted, R_OK) &&
	       !access(self->truncated, R_OK) && !access(self->debian, R_OK);
}

#define REQUIRE_MODULES(self)                                                              \
	do {                                                                               \
		struct utsname uts;                                                        \
                                                                                           \
		uname(&uts);                                                               \
		if (!modules_built(self))                                                  \
			SKIP(return,                                                       \
				   "the test modules are not built: make modules KVER=%s", \
				   uts.release);                                           \
	} while (0)

/* finit_module(@path, @flags): 0 or the errno. */
static int load_file_flags(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return errno;
	err = syscall(SYS_finit_module, fd, "", flags) ? errno : 0;
	close(fd);
	return err;
}

static int load_file(const char *path)
{
	return load_file_flags(path, 0);
}

/* init_module() of @path's bytes: 0 or the errno. */
static int load_image(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	char *image;
	struct stat st;

	if (fd < 0 || fstat(fd, &st))
		return errno;
	image = malloc(st.st_size);
	if (!image || read(fd, image, st.st_size) != st.st_size) {
		free(image);
		close(fd);
		return EIO;
	}
	close(fd);
	err = syscall(SYS_init_module, image, st.st_size, "") ? errno : 0;
	free(image);
	return err;
}

static int unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? errno : 0;
}

static void load_policy(struct __test_metadata *_metadata,
			FIXTURE_DATA(kernel) * self, const char *statements);

/*
 * Unloads @name under a policy that leaves modules alone, then goes back
 * to "kernel module signed": under it, unloading is refused.
 */
static void unload_unsigned(struct __test_metadata *_metadata,
			    FIXTURE_DATA(kernel) * self, const char *name)
{
	load_policy(_metadata, self, "kernel kmem deny\n");
	EXPECT_EQ(0, unload(name));
	load_policy(_metadata, self,
		    "kernel module signed\nkernel kmem deny\n");
}

/*
 * The event of this process's op @op with access @access (and name @name
 * unless NULL, and path @path unless NULL, where the kernel can name it);
 * checks what every such event says.
 */
static void expect_event(struct __test_metadata *_metadata, json_object *events,
			 const char *op, const char *access, int error,
			 const char *name, const char *path)
{
	json_object *ev = event_find(events, "pid", pid_str(getpid()), "op", op,
				     "access", access, NULL);

	ASSERT_NE(NULL, ev)
	{
		TH_LOG("no %s %s event of %d in %s", op, access, getpid(),
		       json_object_to_json_string(events));
	}
	EXPECT_STREQ("denial", event_str(ev, "type"));
	EXPECT_EQ(error, event_num(ev, "error"));
	EXPECT_EQ(0, event_num(ev, "uid"));
	EXPECT_EQ(0, event_num(ev, "app"));
	if (name) {
		EXPECT_STREQ(name, event_str(ev, "name"));
	}
	/* Before 6.12 the load hooks have no way to a path: the name. */
	if (path &&
	    (!strcmp(op, "kmem") || kernel_has_symbol("bpf_path_d_path"))) {
		EXPECT_STREQ(path, event_str(ev, "path"));
	}
}

/* One refused load of @path both ways, with its event. */
static void expect_refused(struct __test_metadata *_metadata, const char *path,
			   int error, const char *reason)
{
	char copy[PATH_MAX];
	json_object *events;

	snprintf(copy, sizeof(copy), "%s", path);
	EXPECT_EQ(error, load_image(path));
	events = ward_events();
	expect_event(_metadata, events, "module", reason,
		     error == EPERM ? -EPERM : -error, NULL, NULL);
	json_object_put(events);

	EXPECT_EQ(error, load_file(path));
	events = ward_events();
	expect_event(_metadata, events, "module", reason,
		     error == EPERM ? -EPERM : -error,
		     error == EPERM ? basename(copy) : NULL,
		     error == EPERM ? path : NULL);
	json_object_put(events);
}

static void load_policy(struct __test_metadata *_metadata,
			FIXTURE_DATA(kernel) * self, const char *statements)
{
	char text[512];

	snprintf(text, sizeof(text), "policy kernel 1.0.0\n%s", statements);
	ASSERT_EQ(0, ward_load_text(self->dir, text));
}

/* A fresh refusal at the end of a test: ward still enforces. */
static void expect_still_refused(struct __test_metadata *_metadata,
				 const char *op)
{
	json_object *events;

	int ret;

	if (!strcmp(op, "kexec"))
		ret = syscall(SYS_kexec_load, 0, 0, NULL, 0);
	else
		ret = open("/dev/mem", O_WRONLY | O_CLOEXEC);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EPERM, errno);
	events = ward_events();
	expect_event(_metadata, events, op,
		     !strcmp(op, "kexec") ? "load" : "write", -EPERM, NULL,
		     NULL);
	json_object_put(events);
}

/* First: "kernel module signed" turns sig_enforce on for good. */
TEST_F(kernel, settings_not_set_are_inactive)
{
	char *enforce;
	int fd;

	REQUIRE_MODULES(self);
	enforce = read_file(SIG_ENFORCE);
	if (enforce && enforce[0] == 'Y')
		SKIP(return, "module signatures are enforced on this kernel");
	load_policy(_metadata, self, "");
	EXPECT_EQ(0, load_file(self->hello));
	EXPECT_EQ(0, unload("ward_hello"));
	EXPECT_EQ(0, load_image(self->hello));
	EXPECT_EQ(0, unload("ward_hello"));
	fd = open("/dev/mem", O_WRONLY | O_CLOEXEC);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, syscall(SYS_kexec_load, 0, 0, NULL, 0));
	/* The same policy with "kernel kmem deny": now it is refused. */
	load_policy(_metadata, self, "kernel kmem deny\n");
	expect_still_refused(_metadata, "kmem");
	free(enforce);
}

TEST_F(kernel, module_deny_refuses_every_load)
{
	json_object *events;

	REQUIRE_MODULES(self);
	load_policy(_metadata, self, "kernel module deny\nkernel kmem deny\n");
	expect_refused(_metadata, self->hello, EPERM, "denied");
	expect_refused(_metadata, self->untrusted, EPERM, "denied");
	expect_refused(_metadata, self->truncated, EPERM, "denied");
	expect_refused(_metadata, self->debian, EPERM, "denied");
	/* Still so for a second load of the same. */
	EXPECT_EQ(EPERM, load_file(self->debian));
	events = ward_events();
	expect_event(_metadata, events, "module", "denied", -EPERM, "dummy.ko",
		     self->debian);
	json_object_put(events);
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, module_deny_refuses_autoloading)
{
	json_object *events;
	int fd;

	load_policy(_metadata, self, "kernel module deny\nkernel kmem deny\n");
	fd = socket(UNLOADED_FAMILY, SOCK_DGRAM, 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EAFNOSUPPORT, errno);
	events = ward_events();
	expect_event(_metadata, events, "module", "denied", -EPERM, "net-pf-5",
		     NULL);
	json_object_put(events);
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, module_signed_refuses_unsigned_images)
{
	char *enforce;

	REQUIRE_MODULES(self);
	load_policy(_metadata, self,
		    "kernel module signed\nkernel kmem deny\n");
	enforce = read_file(SIG_ENFORCE);
	ASSERT_NE(NULL, enforce);
	EXPECT_EQ('Y', enforce[0]);
	free(enforce);
	expect_refused(_metadata, self->hello, EPERM, "unsigned");
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, module_signed_refuses_an_untrusted_signature)
{
	REQUIRE_MODULES(self);
	if (!kernel_has_symbol("module_sig_check"))
		SKIP(return,
			   "no module_sig_check() to report the kernel's rejection");
	load_policy(_metadata, self,
		    "kernel module signed\nkernel kmem deny\n");
	expect_refused(_metadata, self->untrusted, EKEYREJECTED, "untrusted");
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, module_signed_refuses_a_truncated_signature)
{
	REQUIRE_MODULES(self);
	if (!kernel_has_symbol("module_sig_check"))
		SKIP(return,
			   "no module_sig_check() to report the kernel's rejection");
	load_policy(_metadata, self,
		    "kernel module signed\nkernel kmem deny\n");
	expect_refused(_metadata, self->truncated, EBADMSG, "untrusted");
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, module_signed_loads_a_debian_signed_module)
{
	REQUIRE_MODULES(self);
	load_policy(_metadata, self,
		    "kernel module signed\nkernel kmem deny\n");
	EXPECT_EQ(0, load_file(self->debian));
	unload_unsigned(_metadata, self, "dummy");
	EXPECT_EQ(0, load_image(self->debian));
	unload_unsigned(_metadata, self, "dummy");
	expect_refused(_metadata, self->hello, EPERM, "unsigned");
}

/* What runs beneath the access control stays: no unloading either. */
TEST_F(kernel, module_signed_refuses_unloading)
{
	json_object *events;

	REQUIRE_MODULES(self);
	load_policy(_metadata, self,
		    "kernel module signed\nkernel kmem deny\n");
	ASSERT_EQ(0, load_file(self->debian));
	EXPECT_EQ(EPERM, unload("dummy"));
	events = ward_events();
	expect_event(_metadata, events, "module", "unload", -EPERM, NULL,
		     NULL);
	json_object_put(events);
	EXPECT_EQ(0, access("/sys/module/dummy", F_OK));
	unload_unsigned(_metadata, self, "dummy");
	expect_still_refused(_metadata, "kmem");
}

/*
 * A compressed image is signed inside: ward leaves it to the kernel's
 * check after decompression, which sig_enforce makes fatal.
 */
TEST_F(kernel, module_signed_leaves_compressed_images_to_the_kernel)
{
	char hello_xz[PATH_MAX + 3], debian_xz[PATH_MAX + 3];
	json_object *events;

	REQUIRE_MODULES(self);
	if (!kernel_has_symbol("module_decompress"))
		SKIP(return, "this kernel does not decompress modules");
	if (!kernel_has_symbol("module_sig_check"))
		SKIP(return,
			   "no module_sig_check() to report the kernel's rejection");
	snprintf(hello_xz, sizeof(hello_xz), "%s.xz", self->hello);
	snprintf(debian_xz, sizeof(debian_xz), "%s.xz", self->debian);
	ASSERT_EQ(0, access(hello_xz, R_OK));
	ASSERT_EQ(0, access(debian_xz, R_OK));
	load_policy(_metadata, self,
		    "kernel module signed\nkernel kmem deny\n");
	EXPECT_EQ(0, load_file_flags(debian_xz, MODULE_INIT_COMPRESSED_FILE));
	unload_unsigned(_metadata, self, "dummy");
	EXPECT_EQ(EKEYREJECTED,
		  load_file_flags(hello_xz, MODULE_INIT_COMPRESSED_FILE));
	events = ward_events();
	expect_event(_metadata, events, "module", "untrusted", -EKEYREJECTED,
		     NULL, NULL);
	json_object_put(events);
	/* Under deny, compressed or not, nothing loads. */
	load_policy(_metadata, self, "kernel module deny\nkernel kmem deny\n");
	EXPECT_EQ(EPERM,
		  load_file_flags(debian_xz, MODULE_INIT_COMPRESSED_FILE));
	events = ward_events();
	expect_event(_metadata, events, "module", "denied", -EPERM,
		     "dummy.ko.xz", debian_xz);
	json_object_put(events);
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, sig_enforce_cannot_be_turned_off_after_signed)
{
	json_object *events;
	char *enforce;

	load_policy(_metadata, self,
		    "kernel module signed\nkernel kmem deny\n");
	/* Refused and reported by ward; the kernel would refuse it too. */
	EXPECT_EQ(-EPERM, write_file(SIG_ENFORCE, "0"));
	events = ward_events();
	expect_event(_metadata, events, "module", "sig_enforce", -EPERM, NULL,
		     SIG_ENFORCE);
	json_object_put(events);
	enforce = read_file(SIG_ENFORCE);
	ASSERT_NE(NULL, enforce);
	EXPECT_EQ('Y', enforce[0]);
	free(enforce);
	/* A policy that asks less leaves it on: the kernel's own refusal. */
	load_policy(_metadata, self, "kernel kmem deny\n");
	EXPECT_EQ(-EROFS, write_file(SIG_ENFORCE, "0"));
	enforce = read_file(SIG_ENFORCE);
	ASSERT_NE(NULL, enforce);
	EXPECT_EQ('Y', enforce[0]);
	free(enforce);
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, kexec_deny_refuses_kexec_load)
{
	json_object *events;

	load_policy(_metadata, self, "kernel kexec deny\n");
	EXPECT_EQ(-1, syscall(SYS_kexec_load, 0, 0, NULL, 0));
	EXPECT_EQ(EPERM, errno);
	events = ward_events();
	expect_event(_metadata, events, "kexec", "load", -EPERM, NULL, NULL);
	json_object_put(events);
	expect_still_refused(_metadata, "kexec");
}

TEST_F(kernel, kexec_deny_refuses_kexec_file_load)
{
	json_object *events;
	int fd;

	load_policy(_metadata, self, "kernel kexec deny\n");
	fd = open(self->image, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, syscall(SYS_kexec_file_load, fd, -1, 1, "",
			      KEXEC_FILE_NO_INITRAMFS));
	EXPECT_EQ(EPERM, errno);
	close(fd);
	events = ward_events();
	expect_event(_metadata, events, "kexec", "load", -EPERM, "image",
		     self->image);
	json_object_put(events);
	expect_still_refused(_metadata, "kexec");
}

/* Opens @path O_WRONLY, expecting a refusal reported with @path. */
static void expect_kmem_refused(struct __test_metadata *_metadata,
				const char *path, int flags, const char *access)
{
	json_object *events;

	EXPECT_EQ(-1, open(path, flags | O_CLOEXEC));
	EXPECT_EQ(EPERM, errno);
	events = ward_events();
	expect_event(_metadata, events, "kmem", access, -EPERM, NULL, path);
	json_object_put(events);
}

TEST_F(kernel, kmem_deny_refuses_writing_dev_mem)
{
	int fd;

	load_policy(_metadata, self, "kernel kmem deny\n");
	expect_kmem_refused(_metadata, "/dev/mem", O_WRONLY, "write");
	expect_kmem_refused(_metadata, "/dev/mem", O_RDWR, "write");
	/* Reading is lockdown's, not ward's: allowed. */
	fd = open("/dev/mem", O_RDONLY | O_CLOEXEC);
	EXPECT_LE(0, fd);
	close(fd);
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, kmem_deny_refuses_a_new_node_of_dev_mem)
{
	char node[PATH_MAX];

	load_policy(_metadata, self, "kernel kmem deny\n");
	snprintf(node, sizeof(node), "%s/mem", self->dir);
	ASSERT_EQ(0, mknod(node, S_IFCHR | 0600, makedev(1, 1)));
	expect_kmem_refused(_metadata, node, O_WRONLY, "write");
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, kmem_deny_refuses_writing_dev_port)
{
	char node[PATH_MAX];

	load_policy(_metadata, self, "kernel kmem deny\n");
	/* Refused by number before the driver is looked for: without
	 * CONFIG_DEVPORT the open would fail with ENXIO. */
	snprintf(node, sizeof(node), "%s/port", self->dir);
	ASSERT_EQ(0, mknod(node, S_IFCHR | 0600, makedev(1, 4)));
	expect_kmem_refused(_metadata, node, O_WRONLY, "write");
	if (!access("/dev/port", F_OK)) {
		expect_kmem_refused(_metadata, "/dev/port", O_WRONLY, "write");
	}
	expect_still_refused(_metadata, "kmem");
}

TEST_F(kernel, kmem_deny_refuses_reading_proc_kcore)
{
	if (access("/proc/kcore", F_OK))
		SKIP(return, "no /proc/kcore on this kernel");
	load_policy(_metadata, self, "kernel kmem deny\n");
	expect_kmem_refused(_metadata, "/proc/kcore", O_RDONLY, "read");
	expect_still_refused(_metadata, "kmem");
}

WARD_TEST_MAIN

/*
 * Who asks for a reboot is reported for the security log's SHUTDOWN record
 * (GB/T 39276 5.1.1.3 a), whatever the policy says of the kernel: asked
 * with a wrong magic number, which the kernel refuses (EINVAL) after the
 * capability check the event comes from.
 */
TEST_F(kernel, reboot_is_reported_with_who_asked)
{
	json_object *events, *ev;

	load_policy(_metadata, self, "kernel kmem deny\n");
	EXPECT_EQ(-1, syscall(SYS_reboot, 0, 0, 0x4321fedc, NULL));
	EXPECT_EQ(EINVAL, errno);
	events = ward_events();
	ev = event_find(events, "pid", pid_str(getpid()), "op", "reboot",
			NULL);
	ASSERT_NE(NULL, ev)
	{
		TH_LOG("no reboot event of %d in %s", getpid(),
		       json_object_to_json_string(events));
	}
	EXPECT_STREQ("audit", event_str(ev, "type"));
	EXPECT_STREQ("poweroff", event_str(ev, "access"));
	EXPECT_EQ(0, event_num(ev, "uid"));
	/* The harness runs outside any login: unset. */
	EXPECT_EQ(-1, event_num(ev, "loginuid"));
	json_object_put(events);
}
