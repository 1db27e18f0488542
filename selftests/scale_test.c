// SPDX-License-Identifier: GPL-2.0
/*
 * ward selftests - a policy of 100,000 file rules loads and enforces
 *
 * WARD_SCALE_RULES=N makes it N rules: "make bench" loads issue 13's
 * million in a guest of its own (scripts/bench --scale-rules).
 *
 * Each file has a files set and a rule of its own ("allow any read"): a
 * label, an object and a rule entry each, 300,000 entries in all, where
 * a policy map once held 65,536 whatever the policy.  The map is sized
 * from the policy now; the kernel must take a map of another size than
 * the template's in the policy slots (it does not compare the max_entries
 * of hash maps since 5.10: checked on each kernel here).
 *
 * Reported as TAP diagnostics: how long creating the files took, the wall
 * time of "ward policy check" (compile alone) and of "ward policy load"
 * (compile and load), the policy map's size
 * and the kernel memory it takes per rule (fdinfo's memlock, which 6.1
 * estimates from max_entries and 6.4 on counts; and MemAvailable).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <bpf/bpf.h>

#include "common.h"
#include "harness.h"

/* The rules, WARD_SCALE_RULES or 100,000: set before the tests run. */
static int rules = 100000;
/* Files in each directory, as packages spread them. */
#define PER_DIR 1000

/*
 * The test's timeout, from its rule count: 1,200 s up to 100,000 rules, and
 * 300 s for each further 100,000 (making the files, the compile and the
 * load are linear): a million took 330 s under TCG on a busy two-core
 * machine.  Runs from the test's constructor, before main().
 */
static int scale_timeout(void)
{
	const char *s = getenv("WARD_SCALE_RULES");
	long n = s ? strtol(s, NULL, 10) : 0;

	/* Another value fails the setup rather than run another size. */
	if (s && (n < 10 || n > 10000000 || s[strspn(s, "0123456789")]))
		rules = 0;
	else if (s)
		rules = n;
	return 1200 + (rules > 100000 ? (rules - 1) / 100000 * 300 : 0);
}

FIXTURE(scale)
{
	char dir[64];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A field of /proc/meminfo, in KiB, or -1. */
static long meminfo(const char *field)
{
	char *text = read_file("/proc/meminfo"), *at;
	long kib = -1;

	if (!text)
		return -1;
	at = strstr(text, field);
	if (at)
		sscanf(at + strlen(field), ": %ld", &kib);
	free(text);
	return kib;
}

/* The memlock line of /proc/self/fdinfo/@fd, in bytes, or -1. */
static long long memlock(int fd)
{
	char path[64], *text, *at;
	long long bytes = -1;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	text = read_file(path);
	if (!text)
		return -1;
	at = strstr(text, "memlock:");
	if (at)
		sscanf(at + strlen("memlock:"), "%lld", &bytes);
	free(text);
	return bytes;
}

static void file_path(FIXTURE_DATA(scale) * self, int i, char *path,
		      size_t size)
{
	snprintf(path, size, "%s/d%d/f%d", self->dir, i / PER_DIR, i);
}

FIXTURE_SETUP(scale)
{
	char path[PATH_MAX], opts[64];
	double start = now();

	ASSERT_LE(10, rules)
	{
		TH_LOG("WARD_SCALE_RULES: a number from 10 to 10,000,000");
	}
	strcpy(self->dir, SCRATCH "/scale-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	/*
	 * A tmpfs of its own, with inodes for every file: the guest's /tmp
	 * has half its pages (some 500,000 files in 4 GiB), and unmounting
	 * it is the fastest removal of a million files.
	 */
	snprintf(opts, sizeof(opts), "nr_inodes=%d,mode=0755",
		 rules + rules / PER_DIR + 64);
	ASSERT_EQ(0, mount("scale", self->dir, "tmpfs", 0, opts))
	{
		TH_LOG("tmpfs on %s: %s", self->dir, strerror(errno));
	}
	for (int i = 0; i < rules; i++) {
		int fd;

		if (i % PER_DIR == 0) {
			snprintf(path, sizeof(path), "%s/d%d", self->dir,
				 i / PER_DIR);
			ASSERT_EQ(0, mkdir(path, 0755));
		}
		file_path(self, i, path, sizeof(path));
		fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		ASSERT_LE(0, fd);
		close(fd);
	}
	ASSERT_EQ(0, write_file(at(self, "free"), "free\n"));
	ksft_print_msg("%d files created in %.1f s\n", rules, now() - start);
	/* ward runs: what is timed is the load alone. */
	ASSERT_EQ(0, ward_load_text(self->dir, "policy small 1.0.0\n"));
}

FIXTURE_TEARDOWN(scale)
{
	ward_load_text(self->dir, "policy none 0.0.1\n");
	umount2(self->dir, MNT_DETACH);
	rmdir(self->dir);
}

/* The policy: "kernel bpf allow", so that this program reads its map. */
static char *policy_text(FIXTURE_DATA(scale) * self)
{
	char path[PATH_MAX], *text = NULL;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	fprintf(f, "policy scale 1.0.0\nkernel bpf allow\n");
	for (int i = 0; i < rules; i++) {
		file_path(self, i, path, sizeof(path));
		fprintf(f, "files f%d %s\nallow any read f%d\n", i, path, i);
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

TEST_F_TIMEOUT(scale, a_hundred_thousand_file_rules_load_and_enforce,
	       scale_timeout())
{
	char path[PATH_MAX], *text = policy_text(self);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), zero = 0, id;
	long before, after;
	long long bytes;
	double start, took;
	int outer, inner;

	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, write_file(at(self, "scale.policy"), text));
	free(text);
	/* The compile alone, as a load does it, without the kernel. */
	start = now();
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "check",
			      at(self, "scale.policy"), NULL));
	ksft_print_msg("%d file rules: ward policy check (parse, lint, compile) took %.2f s\n",
		       rules, now() - start);
	before = meminfo("MemAvailable");
	start = now();
	ASSERT_EQ(0, ward_run(NULL, NULL, "policy", "load",
			      at(self, "scale.policy"), NULL));
	took = now() - start;
	after = meminfo("MemAvailable");
	ksft_print_msg("%d file rules: ward policy load took %.2f s\n", rules,
		       took);

	/* Every file is protected: read allowed, written by nobody. */
	for (int i = 0; i < rules; i += rules / 10) {
		file_path(self, i, path, sizeof(path));
		EXPECT_EQ(0, try_open(path, O_RDONLY));
		EXPECT_EQ(EACCES, try_open(path, O_WRONLY))
		{
			TH_LOG("%s is writable", path);
		}
	}
	file_path(self, rules - 1, path, sizeof(path));
	EXPECT_EQ(EACCES, try_open(path, O_WRONLY));
	EXPECT_EQ(0, try_open(at(self, "free"), O_WRONLY));

	outer = bpf_obj_get("/sys/fs/bpf/ward/maps/ward_policy");
	ASSERT_LE(0, outer);
	ASSERT_EQ(0, bpf_map_lookup_elem(outer, &zero, &id));
	inner = bpf_map_get_fd_by_id(id);
	ASSERT_LE(0, inner);
	ASSERT_EQ(0, bpf_obj_get_info_by_fd(inner, &info, &len));
	/* Three entries a rule, and room for a quarter more. */
	EXPECT_LE(3 * rules + 3 * rules / 4, (int)info.max_entries);
	bytes = memlock(inner);
	ksft_print_msg("policy map: max_entries %u, memlock %lld bytes, %lld a rule\n",
		       info.max_entries, bytes, bytes / rules);
	if (before > 0 && after > 0)
		ksft_print_msg("MemAvailable fell by %ld KiB: %ld bytes a rule (policy map, its text, caches)\n",
			       before - after, (before - after) * 1024 / rules);
	close(inner);
	close(outer);
}

WARD_TEST_MAIN
