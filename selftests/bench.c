// SPDX-License-Identifier: GPL-2.0
/*
 * bench - what ward costs a system call, measured in one boot against the
 * same kernel without ward (idle), an empty BPF LSM program on each hook
 * ward uses (the floor, bench_floor.bpf.c) and Landlock with 1 and with
 * 10,000 rules on the same paths.
 *
 * "make bench" runs it in the VM under qemu's instruction-count clock
 * (scripts/vmtest --icount), where CLOCK_MONOTONIC counts the guest's
 * instructions: one nanosecond per instruction, the same on a busy host
 * as on an idle one.  scripts/bench reads its output and reports.
 *
 * Usage: bench [--rounds N] [--scale F] [--rules N[,N...]] [--ops O[,O...]]
 *              [--smoke]
 *
 *   --rounds N  rounds of every measurement (default 3); the order of the
 *               configurations is reversed every other round, so that the
 *               baseline is measured before and after ward alternately
 *   --scale F   multiplies every loop's iteration count (default 1)
 *   --rules N   the ward policies measured, by their number of file rules
 *               (default 10000); Landlock's big ruleset has the first
 *   --ops O     only these operations (open, stat, exec, connect, mmap;
 *               default all); Landlock, which times opens only, and the
 *               latency measurement, opens too, only with open
 *   --smoke     one short round, and TAP lines saying that every
 *               measurement was made and came out positive ("make check")
 *
 * Output: one line per measurement, "BENCH " then a JSON object:
 *   {"type":"time","round":R,"config":C,"rules":N,"op":O,"tree":T,
 *    "depth":D,"iters":I,"ns":NS}  NS for I iterations of O
 *   {"type":"chunks","round":R,"config":C,"rules":N,"op":"exec","iters":I,
 *    "ns":[NS,...]}  the exec loop's chunks of I iterations each, in
 *    order; its "time" record has their sum
 *   {"type":"profile","config":C,"rules":N,"op":O,"tree":T,"depth":D,
 *    "iters":I,"prog":P,"run_cnt":K,"run_time_ns":NS}  bpf_stats of the
 *    BPF programs that ran during I iterations (round 0 only)
 *   {"type":"load","round":R,"rules":N,"what":"start"|"replace","ns":NS}
 *   {"type":"latency","rules":N,"phase":"steady"|"swap","count":K,
 *    "p50":NS,"p99":NS,"p999":NS,"max":NS,"loads":L,"unchecked":U}
 *    each of K open()+close() of the covered file at depth 10 timed
 *    alone, while nothing else runs (steady) and while another process
 *    replaces ward's policy of N rules L times (swap); after each, an
 *    open for writing that the policy denies: U of them were not denied
 *    (round 0, the first policy only)
 * C is idle, floor, landlock or ward; O is open (open()+close() of the
 * file at depth D of tree T: "cov" under a labelled directory whose rule
 * allows the access, "unc" covered by no rule), stat, exec (fork, execve
 * of busybox true, wait), connect (TCP connect()+accept() on loopback,
 * both closed) or mmap (mmap(PROT_READ | PROT_EXEC) and munmap() of the
 * file at depth 10 of "cov").
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define ROOT "/tmp/wb"
#define RULES_DIR ROOT "/r"
#define DEPTH_MAX 30
#define RULES_MAX 1000000
#define PROGS_MAX 1024

static const int depths[] = { 2, 10, 30 };
#define N_DEPTHS (sizeof(depths) / sizeof(*depths))
static const char *const trees[] = { "cov", "unc" };

static int rounds = 3;
static double scale = 1;
static long rules[8] = { 10000 };
static int n_rules = 1;
static bool smoke;
static const char *only_ops; /* --ops, NULL: all */
static int tap_n;
static int tap_failed;

/*
 * Iterations of each operation at --scale 1: some 100 M instructions; for
 * exec some 370 M, whose figure repeats within 0.05% then (exec_timed());
 * for connect some 470 M, where 100 M scattered by more than ward's cost
 * (performance.rst, "The connect figure").
 */
enum { ITERS_OPEN = 10000, ITERS_STAT = 20000, ITERS_EXEC = 400,
       ITERS_CONNECT = 4000, ITERS_MMAP = 10000 };
/* The chunks the exec loop's iterations are timed in: see exec_timed(). */
#define EXEC_CHUNKS 10

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(errno));
	va_end(ap);
	if (smoke)
		printf("not ok %d - bench could not run\n", ++tap_n);
	exit(1);
}

static long iters(long n)
{
	long i = (long)(n * scale);

	return i < 2 ? 2 : i;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The file at @depth of @tree: /tmp/TREE/d3/.../dDEPTH/f, @depth directories deep. */
static void file_path(char *buf, size_t size, const char *tree, int depth)
{
	int n = snprintf(buf, size, "/tmp/%s", tree);

	for (int d = 3; d <= depth; d++)
		n += snprintf(buf + n, size - n, "/d%d", d);
	snprintf(buf + n, size - n, "/f");
}

static void write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd))
		die("cannot write %s", path);
}

static void make_trees(long n_files)
{
	static char page[4096];
	char path[512];

	for (size_t t = 0; t < 2; t++) {
		int n = snprintf(path, sizeof(path), "/tmp/%s", trees[t]);

		for (int d = 2; d <= DEPTH_MAX; d++) {
			if (d > 2)
				n += snprintf(path + n, sizeof(path) - n,
					      "/d%d", d);
			if (mkdir(path, 0755) && errno != EEXIST)
				die("mkdir %s", path);
			snprintf(path + n, sizeof(path) - n, "/f");
			write_file(path, page, sizeof(page));
			path[n] = 0;
		}
	}
	if ((mkdir(ROOT, 0755) && errno != EEXIST) ||
	    (mkdir(RULES_DIR, 0755) && errno != EEXIST))
		die("mkdir %s", RULES_DIR);
	for (long i = 0; i < n_files; i++) {
		int fd;

		snprintf(path, sizeof(path), RULES_DIR "/%06ld", i);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			die("create %s", path);
		close(fd);
	}
}

/* The loopback interface, for connect(): an initramfs leaves it down. */
static void loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr))
		die("lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		die("lo up");
	close(fd);
}

/* ---- the operations --------------------------------------------------- */

struct op {
	const char *name;
	const char *tree;
	int depth;
	long iters;
};

static char op_file[512];
static int listener = -1;
static struct sockaddr_in listen_addr;
static int mmap_fd = -1;

static void op_setup(const struct op *op)
{
	socklen_t len = sizeof(listen_addr);

	file_path(op_file, sizeof(op_file), op->tree ? op->tree : "cov",
		  op->depth ? op->depth : 10);
	if (!strcmp(op->name, "connect") && listener < 0) {
		listener = socket(AF_INET, SOCK_STREAM, 0);
		listen_addr.sin_family = AF_INET;
		listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (listener < 0 ||
		    bind(listener, (struct sockaddr *)&listen_addr,
			 sizeof(listen_addr)) ||
		    getsockname(listener, (struct sockaddr *)&listen_addr,
				&len) ||
		    listen(listener, 64))
			die("listen");
	}
	if (!strcmp(op->name, "mmap") && mmap_fd < 0) {
		mmap_fd = open(op_file, O_RDONLY);
		if (mmap_fd < 0)
			die("open %s", op_file);
	}
}

static void op_teardown(void)
{
	if (listener >= 0)
		close(listener);
	if (mmap_fd >= 0)
		close(mmap_fd);
	listener = mmap_fd = -1;
}

static void do_open(void)
{
	int fd = open(op_file, O_RDONLY);

	if (fd < 0)
		die("open %s", op_file);
	close(fd);
}

static void do_stat(void)
{
	struct stat st;

	if (stat(op_file, &st))
		die("stat %s", op_file);
}

/* The personality busybox is run with, when not the forking process's. */
static int exec_persona = -1;

static void do_exec(void)
{
	static char *const argv[] = { "true", NULL };
	static char *const envp[] = { NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		if (exec_persona >= 0 && personality(exec_persona) < 0)
			_exit(126);
		execve("/bin/busybox", argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || status)
		die("busybox true: status %d", status);
}

static void do_connect(void)
{
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };
	int c = socket(AF_INET, SOCK_STREAM, 0), a;

	if (c < 0 || connect(c, (struct sockaddr *)&listen_addr,
			     sizeof(listen_addr)))
		die("connect");
	a = accept(listener, NULL, NULL);
	if (a < 0)
		die("accept");
	/* A reset rather than TIME_WAIT: no port runs out. */
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
	close(a);
	close(c);
}

static void do_mmap(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, mmap_fd,
		       0);

	if (p == MAP_FAILED)
		die("mmap %s", op_file);
	munmap(p, 4096);
}

static void run_op(const struct op *op, long n)
{
	void (*fn)(void) = !strcmp(op->name, "open")	? do_open :
			   !strcmp(op->name, "stat")	? do_stat :
			   !strcmp(op->name, "exec")	? do_exec :
			   !strcmp(op->name, "connect") ? do_connect :
							  do_mmap;

	for (long i = 0; i < n; i++)
		fn();
}

/*
 * fork(), the child's standard output into a pipe the parent reads from
 * *@from.  Returns as fork(), and dies when it fails.
 */
static pid_t fork_to_pipe(int *from)
{
	int pipefd[2];
	pid_t pid;

	if (pipe(pipefd))
		die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		return 0;
	}
	close(pipefd[1]);
	*from = pipefd[0];
	return pid;
}

/*
 * bench --exec-loop N: @n fork+exec+wait after a tenth as warm-up, timed
 * in EXEC_CHUNKS chunks, one line each.  Run without address space
 * randomization (exec_timed()), busybox with it, as any program is.
 */
static int exec_loop(long n)
{
	struct op op = { "exec", NULL, 0, n };
	int persona = personality(0xffffffff);
	__u64 chunk[EXEC_CHUNKS];

	if (persona >= 0 && (persona & ADDR_NO_RANDOMIZE))
		exec_persona = persona & ~ADDR_NO_RANDOMIZE;
	run_op(&op, n / 10 + 1);
	/*
	 * Printed after the loop: stdio's first printf() allocates its
	 * buffer, and the heap it makes is copied by every fork() after it
	 * (the chunks after the first were timed 0.4% slower).
	 */
	for (int c = 0; c < EXEC_CHUNKS; c++) {
		__u64 t0 = now_ns();

		run_op(&op, n / EXEC_CHUNKS);
		chunk[c] = now_ns() - t0;
	}
	for (int c = 0; c < EXEC_CHUNKS; c++)
		printf("%llu\n", (unsigned long long)chunk[c]);
	return 0;
}

/*
 * The instructions of @n fork+exec+wait timed in a small process of their
 * own, this program run again (exec_loop()), in @chunk: fork() copies the
 * page tables of the process that forks, and the benchmark's own change
 * with what it has measured so far (one round timed exec 6% slower for
 * every ward configuration, its idle kernel not).  Without address space
 * randomization: drawn anew for each such process, its layout moved the
 * figure by +-0.9% (Documentation/performance.rst, "The fork+exec
 * figure").
 */
static void exec_timed(long n, __u64 *chunk)
{
	char arg[32], buf[EXEC_CHUNKS * 24] = "", *p = buf;
	int out, status = 0, persona;
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	snprintf(arg, sizeof(arg), "%ld", n);
	pid = fork_to_pipe(&out);
	if (!pid) {
		persona = personality(0xffffffff);
		if (persona < 0 || personality(persona | ADDR_NO_RANDOMIZE) < 0)
			_exit(126);
		execl("/proc/self/exe", "bench", "--exec-loop", arg,
		      (char *)NULL);
		_exit(127);
	}
	while ((r = read(out, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	close(out);
	if (waitpid(pid, &status, 0) != pid || status || r < 0)
		die("bench --exec-loop: status %d", status);
	for (int c = 0; c < EXEC_CHUNKS; c++) {
		char *end;

		chunk[c] = strtoull(p, &end, 10);
		if (end == p || !chunk[c])
			die("bench --exec-loop: chunk %d missing", c);
		p = end;
	}
}

/* Is operation @name one --ops asks for? */
static bool op_wanted(const char *name)
{
	size_t len = strlen(name);

	if (!only_ops)
		return true;
	for (const char *p = only_ops; p; p = strchr(p, ',')) {
		p += *p == ',';
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
	}
	return false;
}

/* Is --ops @list names of operations, and no --smoke (which wants all)? */
static bool ops_valid(const char *list)
{
	static const char *const names[] = { "open", "stat", "exec", "connect",
					     "mmap" };

	if (smoke)
		return false;
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ","), i;

		for (i = 0; i < sizeof(names) / sizeof(*names); i++)
			if (len == strlen(names[i]) &&
			    !strncmp(p, names[i], len))
				break;
		if (i == sizeof(names) / sizeof(*names))
			return false;
		p += len;
		if (!*p)
			return true;
	}
}

/*
 * The operations of a configuration that --ops asks for: all, or with
 * @open_only the opens.
 */
static int ops_of(struct op *ops, bool open_only)
{
	struct op all[] = {
		{ "stat", NULL, 0, iters(ITERS_STAT) },
		/* Whole chunks (exec_loop()), one at least. */
		{ "exec", NULL, 0,
		  (iters(ITERS_EXEC) + EXEC_CHUNKS - 1) / EXEC_CHUNKS *
			  EXEC_CHUNKS },
		{ "connect", NULL, 0, iters(ITERS_CONNECT) },
		{ "mmap", NULL, 0, iters(ITERS_MMAP) },
	};
	int n = 0;

	for (size_t t = 0; t < 2 && op_wanted("open"); t++)
		for (size_t d = 0; d < N_DEPTHS; d++)
			ops[n++] = (struct op){ "open", trees[t], depths[d],
						iters(ITERS_OPEN) };
	if (open_only)
		return n;
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
		if (op_wanted(all[i].name))
			ops[n++] = all[i];
	return n;
}

static void print_op(const struct op *op)
{
	printf("\"op\":\"%s\",\"tree\":\"%s\",\"depth\":%d", op->name,
	       op->tree ? op->tree : "", op->depth);
}

/* Times every operation of the configuration; the first tenth warms up. */
static void time_ops(int round, const char *config, long n_rules_,
		     bool open_only)
{
	struct op ops[16];
	int n = ops_of(ops, open_only);

	/*
	 * The instruction clock counts every task: what the configuration
	 * before left to the kernel's workers (the 300,000 entries of a
	 * policy map freed after "ward stop") runs while this one sleeps,
	 * not in its loops.  An idle guest's clock jumps to its next timer.
	 */
	sleep(1);
	for (int i = 0; i < n; i++) {
		__u64 t0;

		op_setup(&ops[i]);
		if (!strcmp(ops[i].name, "exec")) {
			__u64 chunk[EXEC_CHUNKS];

			exec_timed(ops[i].iters, chunk);
			t0 = 0;
			for (int c = 0; c < EXEC_CHUNKS; c++)
				t0 += chunk[c];
			printf("BENCH {\"type\":\"chunks\",\"round\":%d,"
			       "\"config\":\"%s\",\"rules\":%ld,\"op\":\"exec\","
			       "\"iters\":%ld,\"ns\":[",
			       round, config, n_rules_,
			       ops[i].iters / EXEC_CHUNKS);
			for (int c = 0; c < EXEC_CHUNKS; c++)
				printf("%s%llu", c ? "," : "",
				       (unsigned long long)chunk[c]);
			printf("]}\n");
		} else {
			run_op(&ops[i], ops[i].iters / 10 + 1);
			t0 = now_ns();
			run_op(&ops[i], ops[i].iters);
			t0 = now_ns() - t0;
		}
		printf("BENCH {\"type\":\"time\",\"round\":%d,\"config\":\"%s\","
		       "\"rules\":%ld,",
		       round, config, n_rules_);
		print_op(&ops[i]);
		printf(",\"iters\":%ld,\"ns\":%llu}\n", ops[i].iters,
		       (unsigned long long)t0);
	}
	op_teardown();
	fflush(stdout);
}

/* ---- the per-program profile (kernel.bpf_stats_enabled) ---------------- */

struct prog_stat {
	__u32 id;
	char name[BPF_OBJ_NAME_LEN];
	__u64 run_cnt;
	__u64 run_time_ns;
};

static int snapshot(struct prog_stat *ps)
{
	__u32 id = 0;
	int n = 0;

	while (n < PROGS_MAX && !bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_prog_get_info_by_fd(fd, &info, &len) &&
		    info.type == BPF_PROG_TYPE_LSM) {
			ps[n].id = id;
			memcpy(ps[n].name, info.name, sizeof(ps[n].name));
			ps[n].run_cnt = info.run_cnt;
			ps[n].run_time_ns = info.run_time_ns;
			n++;
		}
		close(fd);
	}
	return n;
}

static void set_bpf_stats(bool on)
{
	write_file("/proc/sys/kernel/bpf_stats_enabled", on ? "1" : "0", 1);
}

/*
 * The BPF LSM programs that ran during each operation, with their run
 * counts and times: where the cost above the floor goes.  Timed apart
 * from time_ops(): bpf_stats adds its own clock reads to every run.
 */
static void profile_ops(const char *config, long n_rules_)
{
	static struct prog_stat before[PROGS_MAX], after[PROGS_MAX],
		noise[PROGS_MAX];
	struct op ops[16];
	int n = ops_of(ops, false), n_noise;

	set_bpf_stats(true);
	/* What the snapshots cost themselves (bpf(), capable()), taken off. */
	snapshot(before);
	n_noise = snapshot(noise);
	for (int a = 0; a < n_noise; a++)
		for (int b = 0; b < n_noise; b++)
			if (before[b].id == noise[a].id) {
				noise[a].run_cnt -= before[b].run_cnt;
				noise[a].run_time_ns -= before[b].run_time_ns;
			}
	for (int i = 0; i < n; i++) {
		int nb, na;

		/* The opens at depth 10 only: the others add nothing. */
		if (ops[i].depth && ops[i].depth != 10)
			continue;
		op_setup(&ops[i]);
		nb = snapshot(before);
		run_op(&ops[i], ops[i].iters / 4 + 1);
		na = snapshot(after);
		for (int a = 0; a < na; a++) {
			__u64 cnt = after[a].run_cnt, ns = after[a].run_time_ns;

			for (int b = 0; b < nb; b++) {
				if (before[b].id == after[a].id) {
					cnt -= before[b].run_cnt;
					ns -= before[b].run_time_ns;
				}
			}
			for (int b = 0; b < n_noise; b++) {
				if (noise[b].id == after[a].id &&
				    noise[b].run_cnt <= cnt) {
					cnt -= noise[b].run_cnt;
					ns -= noise[b].run_time_ns < ns ?
						      noise[b].run_time_ns : ns;
				}
			}
			if (!cnt)
				continue;
			printf("BENCH {\"type\":\"profile\",\"config\":\"%s\","
			       "\"rules\":%ld,",
			       config, n_rules_);
			print_op(&ops[i]);
			printf(",\"iters\":%ld,\"prog\":\"%s\",\"run_cnt\":%llu,"
			       "\"run_time_ns\":%llu}\n",
			       ops[i].iters / 4 + 1, after[a].name,
			       (unsigned long long)cnt,
			       (unsigned long long)ns);
		}
	}
	op_teardown();
	set_bpf_stats(false);
	fflush(stdout);
}

/* ---- the configurations ------------------------------------------------ */

static struct bpf_link *floor_links[128];
static int n_floor_links;

/* The floor: bench_floor.bpf.o next to this program, the hooks it has. */
static struct bpf_object *floor_load(const char *self)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	struct bpf_program *prog;
	struct bpf_object *obj;
	char path[512], fn[128];
	const char *slash = strrchr(self, '/');

	snprintf(path, sizeof(path), "%.*sbench_floor.bpf.o",
		 slash ? (int)(slash - self + 1) : 0, self);
	obj = bpf_object__open_file(path, NULL);
	if (!obj || !vmlinux)
		die("open %s", path);
	bpf_object__for_each_program(prog, obj) {
		snprintf(fn, sizeof(fn), "bpf_lsm_%s",
			 bpf_program__section_name(prog) + strlen("lsm/"));
		if (btf__find_by_name_kind(vmlinux, fn, BTF_KIND_FUNC) < 0)
			bpf_program__set_autoload(prog, false);
	}
	btf__free(vmlinux);
	if (bpf_object__load(obj))
		die("load %s", path);
	bpf_object__for_each_program(prog, obj) {
		struct bpf_link *link;

		if (!bpf_program__autoload(prog))
			continue;
		link = bpf_program__attach(prog);
		if (!link || n_floor_links == 128)
			die("attach %s", bpf_program__name(prog));
		floor_links[n_floor_links++] = link;
	}
	return obj;
}

static void landlock_restrict(long n_rules_)
{
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE |
				     LANDLOCK_ACCESS_FS_WRITE_FILE,
	};
	struct landlock_path_beneath_attr beneath = {
		.allowed_access = attr.handled_access_fs,
	};
	char path[512];
	int ruleset = syscall(__NR_landlock_create_ruleset, &attr,
			      sizeof(attr), 0);

	if (ruleset < 0)
		die("landlock_create_ruleset");
	/* The one rule: everything, so that every walk goes to the root. */
	for (long i = 0; i < n_rules_; i++) {
		if (i)
			snprintf(path, sizeof(path), RULES_DIR "/%06ld", i - 1);
		else
			strcpy(path, "/");
		beneath.parent_fd = open(path, O_PATH | O_CLOEXEC);
		if (beneath.parent_fd < 0 ||
		    syscall(__NR_landlock_add_rule, ruleset,
			    LANDLOCK_RULE_PATH_BENEATH, &beneath, 0))
			die("landlock rule %s", path);
		close(beneath.parent_fd);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(__NR_landlock_restrict_self, ruleset, 0))
		die("landlock_restrict_self");
	close(ruleset);
}

/* Landlock confines the task for good: a child measures. */
static void landlock_round(int round, long n_rules_)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		landlock_restrict(n_rules_);
		time_ops(round, "landlock", n_rules_, true);
		exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || status)
		die("landlock child: status %d", status);
}

static int ward(const char *what, ...)
{
	const char *argv[8] = { "ward" };
	int argc = 1, status;
	va_list ap;
	pid_t pid;

	va_start(ap, what);
	for (const char *a = what; a && argc < 7; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execvp("ward", (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * A policy of @n file rules, each a files set of one file and its rule;
 * @version tells two apart (the latency measurement alternates them).
 */
static void write_policy(char *path, size_t size, long n, int version)
{
	FILE *f;

	snprintf(path, size, ROOT "/bench-%ld-%d.policy", n, version);
	f = fopen(path, "w");
	if (!f)
		die("%s", path);
	/* "kernel bpf allow": the profile reads ward's programs' stats. */
	fprintf(f, "policy bench 1.0.%d\nkernel bpf allow\n", version);
	fputs("files cov /tmp/cov\nallow any read,exec cov\n", f);
	for (long i = 0; i < n; i++)
		fprintf(f, "files r%06ld " RULES_DIR "/%06ld\n"
			   "allow any read r%06ld\n",
			i, i, i);
	if (fclose(f))
		die("%s", path);
}

static void load_record(int round, long n, const char *what, __u64 ns)
{
	printf("BENCH {\"type\":\"load\",\"round\":%d,\"rules\":%ld,"
	       "\"what\":\"%s\",\"ns\":%llu}\n",
	       round, n, what, (unsigned long long)ns);
}

/* Latencies in instructions (--icount), as many as were measured. */
struct lat {
	__u32 *ns;
	long n, cap;
	long unchecked;
};

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * One open()+close() of the covered file at depth 10 (read, allowed),
 * timed, then an open of it for writing, which the policy denies: one
 * that succeeds was not checked.
 */
static void lat_open(struct lat *l)
{
	__u64 t0 = now_ns(), t;
	int fd = open(op_file, O_RDONLY);

	if (fd < 0)
		die("open %s", op_file);
	close(fd);
	t = now_ns() - t0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 65536;
		l->ns = realloc(l->ns, l->cap * sizeof(*l->ns));
		if (!l->ns)
			die("realloc");
	}
	l->ns[l->n++] = t > UINT32_MAX ? UINT32_MAX : t;
	fd = open(op_file, O_WRONLY);
	if (fd >= 0) {
		l->unchecked++;
		close(fd);
	} else if (errno != EACCES && errno != EPERM) {
		die("open %s for writing", op_file);
	}
}

static void lat_record(long n, const char *phase, struct lat *l, long loads)
{
	qsort(l->ns, l->n, sizeof(*l->ns), cmp_u32);
	printf("BENCH {\"type\":\"latency\",\"rules\":%ld,\"phase\":\"%s\","
	       "\"count\":%ld,\"p50\":%u,\"p99\":%u,\"p999\":%u,\"max\":%u,"
	       "\"loads\":%ld,\"unchecked\":%ld}\n",
	       n, phase, l->n, l->ns[l->n / 2], l->ns[l->n * 99 / 100],
	       l->ns[l->n * 999 / 1000], l->ns[l->n - 1], loads,
	       l->unchecked);
	free(l->ns);
	memset(l, 0, sizeof(*l));
}

/*
 * Issue 13: "p99 open() latency during a loop of ward policy load
 * replacements <= 2x steady state, and no access unchecked during a
 * swap".  The steady opens first, then as many while a child replaces
 * the policy @policy (of @n rules, loaded) by another of the same rules
 * and back, LOADS times.  On one CPU the loader takes turns with the
 * opener: an open it preempts is timed with the loader's turn, as an
 * application would see it.  The child runs ward, which only ward and
 * PID 1 may signal: it stops by itself, and says how far it got in
 * shared memory.
 */
static void latency(long n, const char *policy)
{
	long loads = (long)(4 * scale) < 2 ? 2 : (long)(4 * scale);
	struct op op = { "open", "cov", 10, 0 };
	char other[256];
	struct lat l = {};
	long *done;
	pid_t pid;
	int status;
	bool reaped = false;

	write_policy(other, sizeof(other), n, 1);
	op_setup(&op);
	for (long i = 0; i < iters(ITERS_OPEN); i++)
		lat_open(&l);
	lat_record(n, "steady", &l, 0);
	done = mmap(NULL, sizeof(*done), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (done == MAP_FAILED)
		die("mmap");
	*done = 0;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		for (long i = 0; i < loads; i++) {
			if (ward("policy", "load", i % 2 ? policy : other,
				 NULL))
				_exit(1);
			__atomic_store_n(done, i + 1, __ATOMIC_RELEASE);
		}
		_exit(0);
	}
	while (__atomic_load_n(done, __ATOMIC_ACQUIRE) < loads && !reaped) {
		lat_open(&l);
		reaped = waitpid(pid, &status, WNOHANG) == pid;
	}
	if ((!reaped && waitpid(pid, &status, 0) != pid) || status)
		die("the loader: status %d", status);
	lat_record(n, "swap", &l, loads);
	munmap(done, sizeof(*done));
	op_teardown();
}

/* ward with the policy of @n rules: started, measured, replaced, stopped. */
static void ward_round(int round, long n)
{
	char policy[256];
	__u64 t0;
	int err;

	write_policy(policy, sizeof(policy), n, 0);
	t0 = now_ns();
	err = ward("start", policy, NULL);
	if (err) {
		fprintf(stderr, "bench: ward start with %ld rules: status %d\n",
			n, err);
		printf("BENCH {\"type\":\"error\",\"round\":%d,\"rules\":%ld,"
		       "\"what\":\"ward start failed\"}\n",
		       round, n);
		ward("stop", NULL);
		return;
	}
	load_record(round, n, "start", now_ns() - t0);
	time_ops(round, "ward", n, false);
	if (!round)
		profile_ops("ward", n);
	t0 = now_ns();
	err = ward("policy", "load", policy, NULL);
	if (!err)
		load_record(round, n, "replace", now_ns() - t0);
	if (!err && !round && n == rules[0] && op_wanted("open"))
		latency(n, policy);
	if (ward("stop", NULL))
		die("ward stop");
}

static void floor_round(int round, const char *self)
{
	struct bpf_object *obj = floor_load(self);

	time_ops(round, "floor", 0, false);
	if (!round)
		profile_ops("floor", 0);
	while (n_floor_links)
		bpf_link__destroy(floor_links[--n_floor_links]);
	bpf_object__close(obj);
}

/*
 * The system settling after its boot (and the trees just made) is counted
 * by the instruction clock too: every operation once, untimed, first.
 */
static void settle(void)
{
	struct op ops[16];
	int n = ops_of(ops, false);

	for (int i = 0; i < n; i++) {
		op_setup(&ops[i]);
		run_op(&ops[i], ops[i].iters / 2 + 1);
	}
	op_teardown();
}

/* One round: every configuration, in @reverse order every other round. */
static void one_round(int round, const char *self)
{
	int steps = 3 + n_rules;

	for (int k = 0; k < steps; k++) {
		int s = round % 2 ? steps - 1 - k : k;

		if (s == 0)
			time_ops(round, "idle", 0, false);
		else if (s == 1)
			floor_round(round, self);
		else if (s == 2) {
			if (!op_wanted("open"))
				continue;
			landlock_round(round, 1);
			landlock_round(round, rules[0]);
		} else {
			ward_round(round, rules[s - 3]);
		}
	}
}

/* --smoke: did every configuration measure every operation? */
static void smoke_check(const char *out)
{
	static const char *const configs[] = { "idle", "floor", "landlock",
					       "ward" };
	char want[64];

	for (size_t c = 0; c < sizeof(configs) / sizeof(*configs); c++) {
		const char *ops[] = { "open", "stat", "exec", "connect",
				      "mmap" };
		size_t n_ops = strcmp(configs[c], "landlock") ? 5 : 1;

		for (size_t o = 0; o < n_ops; o++) {
			const char *p = out;
			int found = 0, bad = 0;

			snprintf(want, sizeof(want),
				 "\"type\":\"time\",\"round\":0,"
				 "\"config\":\"%s\",", configs[c]);
			while ((p = strstr(p, want))) {
				const char *op = strstr(p, "\"op\":\"");
				const char *ns = strstr(p, "\"ns\":");
				const char *eol = strchr(p, '\n');

				p++;
				if (!op || !ns || !eol || ns > eol ||
				    strncmp(op + 6, ops[o], strlen(ops[o])))
					continue;
				found++;
				bad += strtoull(ns + 5, NULL, 10) == 0;
			}
			tap_failed |= !found || bad;
			printf("%sok %d - %s: %s measured %d times%s\n",
			       !found || bad ? "not " : "", ++tap_n,
			       configs[c], ops[o], found,
			       bad ? ", some took no time" : "");
		}
	}
	/* The latencies, and no open unchecked during the swaps. */
	for (int swap = 0; swap < 2; swap++) {
		const char *p = strstr(out, swap ? "\"phase\":\"swap\"" :
						   "\"phase\":\"steady\"");
		const char *u = p ? strstr(p, "\"unchecked\":") : NULL;
		bool ok = u && strtol(u + 12, NULL, 10) == 0;

		tap_failed |= !ok;
		printf("%sok %d - open() latency %s measured%s\n",
		       ok ? "" : "not ", ++tap_n,
		       swap ? "during replacements" : "steady",
		       p && !ok ? ", with opens unchecked" : "");
	}
	printf("1..%d\n", tap_n);
}

static void parse_rules(const char *arg)
{
	char *end;

	n_rules = 0;
	while (*arg && n_rules < 8) {
		rules[n_rules] = strtol(arg, &end, 10);
		if (end == arg || rules[n_rules] < 1 ||
		    rules[n_rules] > RULES_MAX || (*end && *end != ',')) {
			fprintf(stderr, "bench: --rules N[,N...], each 1 to %d\n",
				RULES_MAX);
			exit(2);
		}
		n_rules++;
		arg = *end ? end + 1 : end;
	}
}

int main(int argc, char **argv)
{
	char *out = NULL;
	size_t out_len = 0;
	FILE *capture = NULL;
	struct utsname u;
	long n_files = 0;

	if (argc == 3 && !strcmp(argv[1], "--exec-loop"))
		return exec_loop(atol(argv[2]));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--scale") && i + 1 < argc)
			scale = atof(argv[++i]);
		else if (!strcmp(argv[i], "--rules") && i + 1 < argc)
			parse_rules(argv[++i]);
		else if (!strcmp(argv[i], "--ops") && i + 1 < argc)
			only_ops = argv[++i];
		else if (!strcmp(argv[i], "--smoke"))
			smoke = true;
		else {
			fprintf(stderr, "usage: bench [--rounds N] [--scale F] "
					"[--rules N[,N...]] [--ops O[,O...]] "
					"[--smoke]\n");
			return 2;
		}
	}
	if (only_ops && !ops_valid(only_ops)) {
		fprintf(stderr, "bench: --ops takes open, stat, exec, connect "
				"and mmap, comma-separated, without --smoke\n");
		return 2;
	}
	if (rounds < 1 || scale <= 0) {
		fprintf(stderr, "bench: --rounds and --scale must be positive\n");
		return 2;
	}
	if (smoke) {
		/* The results go to a buffer as well, to be checked. */
		capture = open_memstream(&out, &out_len);
		if (!capture)
			die("open_memstream");
		rounds = 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < n_rules; i++)
		n_files = rules[i] > n_files ? rules[i] : n_files;
	uname(&u);
	printf("BENCH {\"type\":\"kernel\",\"release\":\"%s\",\"rounds\":%d,"
	       "\"scale\":%g}\n",
	       u.release, rounds, scale);
	loopback_up();
	make_trees(n_files);
	settle();
	if (smoke) {
		/* Through a pipe of our own: the smoke run reads its output. */
		char buf[4096];
		int from, status;
		pid_t pid;
		ssize_t r;

		pid = fork_to_pipe(&from);
		if (!pid) {
			one_round(0, argv[0]);
			fflush(stdout);
			_exit(0);
		}
		while ((r = read(from, buf, sizeof(buf))) > 0) {
			fwrite(buf, 1, r, stdout);
			fwrite(buf, 1, r, capture);
		}
		close(from);
		fclose(capture);
		if (waitpid(pid, &status, 0) != pid || status) {
			printf("not ok %d - the benchmark ran to its end\n",
			       ++tap_n);
			tap_failed = 1;
		}
		smoke_check(out ? out : "");
		free(out);
		return tap_failed;
	}
	for (int r = 0; r < rounds; r++)
		one_round(r, argv[0]);
	return 0;
}
