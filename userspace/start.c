// SPDX-License-Identifier: GPL-2.0
/*
 * ward - "ward start" and "ward stop": the lifecycle of the attachment
 *
 * start checks everything it can before it touches the kernel, then loads,
 * installs the policy, attaches and pins into a private directory that is
 * renamed into place last.  Any failure undoes what was done: nothing is
 * left half attached.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "change.h"
#include "kernel.h"
#include "lock.h"
#include "logconf.h"
#include "main.h"
#include "output.h"
#include "pin.h"
#include "policy_load.h"
#include "policy_names.h"
#include "policy_source.h"
#include "policy_trust.h"
#include "release.h"
#include "system.h"
#include "ward.skel.h"

/*
 * Nothing of an earlier ward may enforce beside the new one: what a start
 * or a stop that died left pinned is released, and the programs of one
 * that died before pinning or after unpinning are waited for.
 */
static int require_nothing_loaded(void)
{
	int busy, err;

	release_stale(&busy);
	if (busy)
		return p_err("ward start is already in progress (pid %d)",
			     busy);
	if (ward_running() && lock_flags(WARD_PIN_DIR) & LOCK_LOCKED) {
		change_report(-1, WARD_CHANGE_START, NULL, -EPERM);
		return p_err(
			"ward is already running, locked until the next boot");
	}
	if (ward_running())
		return p_err(
			"ward is already running: stop it first with 'ward stop'");
	err = release_wait();
	if (err == -ETIMEDOUT)
		return p_err(
			"programs of an earlier ward are still attached after %d s: a process holds their links open (see 'bpftool link')",
			RELEASE_TIMEOUT_MS / 1000);
	if (err)
		return p_err("cannot list the loaded BPF programs: %s",
			     strerror(-err));
	return 0;
}

/*
 * Makes the staging directory @dir and its two subdirectories: the policy
 * is compiled with it as ward's pin directory (compile_self()), which it
 * becomes once renamed into place.
 */
static int make_staging(const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s", dir);
	if (mkdir(path, 0700))
		goto fail;
	snprintf(path, sizeof(path), "%s/%s", dir, WARD_PIN_MAPS);
	if (mkdir(path, 0700))
		goto fail;
	snprintf(path, sizeof(path), "%s/%s", dir, WARD_PIN_LINKS);
	if (mkdir(path, 0700))
		goto fail;
	return 0;
fail:
	return p_err("cannot create %s: %s", path, strerror(errno));
}

/*
 * Tells the programs where ward is pinned (ward_state.pin_dev, pin_ino):
 * removing what is in @dir, later under WARD_PIN_DIR, is then reported.
 * Before anything is attached, so that nothing else writes ward_state yet.
 */
static int init_state(struct ward *skel, const char *dir)
{
	struct ward_state st = {};
	struct stat sb;
	__u32 zero = 0;

	if (stat(dir, &sb))
		return p_err("cannot stat %s: %s", dir, strerror(errno));
	st.pin_dev = kernel_dev(sb.st_dev);
	st.pin_ino = sb.st_ino;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.ward_state), &zero, &st,
				BPF_ANY))
		return p_err("cannot set up ward_state: %s", strerror(errno));
	return 0;
}

/* Pins maps and links under @dir; reports the failing pin with p_err(). */
static int pin_into(struct ward *skel, struct bpf_link **links, const char *dir)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	char path[512];
	size_t i = 0;
	int err = 0;

	bpf_object__for_each_map(map, skel->obj) {
		if (bpf_map__is_internal(map))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, WARD_PIN_MAPS,
			 bpf_map__name(map));
		err = bpf_map__pin(map, path);
		if (err)
			goto fail;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		if (!bpf_program__autoload(prog))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, WARD_PIN_LINKS,
			 bpf_program__name(prog));
		err = bpf_link__pin(links[i++], path);
		if (err)
			goto fail;
	}
	return 0;

fail:
	return p_err("cannot pin %s: %s", path, strerror(-err));
}

/* Does the kernel have the LSM hook @name (its BPF attachment point)? */
static bool has_hook(const struct btf *btf, const char *name)
{
	char func[128];

	snprintf(func, sizeof(func), "bpf_lsm_%s", name);
	return btf__find_by_name_kind(btf, func, BTF_KIND_FUNC) > 0;
}

/*
 * Kernel interfaces that differ between the kernels ward runs on, told
 * apart by the kernel's BTF rather than by its version.
 */
static int select_programs(struct ward *skel)
{
	/* Programs that trace a kernel function (fentry, fexit). */
	const struct {
		struct bpf_program *prog;
		const char *func;
	} traced[] = {
		{ skel->progs.fexit_module_sig_check, "module_sig_check" },
		{ skel->progs.fexit_do_settimeofday64, "do_settimeofday64" },
		{ skel->progs.fexit_do_adjtimex, "do_adjtimex" },
		{ skel->progs.fexit_proc_sys_call_handler,
		  "proc_sys_call_handler" },
		{ skel->progs.fexit_do_init_module, "do_init_module" },
		{ skel->progs.fexit_path_mount, "path_mount" },
		{ skel->progs.fexit_do_move_mount, "do_move_mount" },
		{ skel->progs.fentry_path_umount, "path_umount" },
		{ skel->progs.fexit_path_umount, "path_umount" },
	};
	const struct btf_type *t;
	struct btf *btf;
	bool idmap;
	int id;

	btf = btf__load_vmlinux_btf();
	if (!btf)
		return p_err("cannot read the kernel's BTF: %s",
			     strerror(errno));
	/* inode_setattr took a struct mnt_idmap first from Linux 6.3 on. */
	id = btf__find_by_name_kind(btf, "bpf_lsm_inode_setattr",
				    BTF_KIND_FUNC);
	t = id > 0 ? btf__type_by_id(btf, btf__type_by_id(btf, id)->type) :
		     NULL;
	idmap = t && btf_vlen(t) == 3;
	bpf_program__set_autoload(skel->progs.hook_inode_setattr, idmap);
	bpf_program__set_autoload(skel->progs.hook_inode_setattr_legacy,
				  !idmap);
	/*
	 * Hooks some kernels lack: file_ioctl_compat (6.8, and stable
	 * kernels that took it; before it, compat ioctls came to
	 * file_ioctl), inode_set_acl and inode_remove_acl (6.2; before
	 * them, ACLs came to inode_setxattr and inode_removexattr).
	 */
	bpf_program__set_autoload(skel->progs.hook_file_ioctl_compat,
				  has_hook(btf, "file_ioctl_compat"));
	bpf_program__set_autoload(skel->progs.hook_inode_set_acl,
				  has_hook(btf, "inode_set_acl"));
	bpf_program__set_autoload(skel->progs.hook_inode_remove_acl,
				  has_hook(btf, "inode_remove_acl"));
	/*
	 * Kernel functions traced: a kernel without module signing has no
	 * module_sig_check(); one that inlined another, or renamed it,
	 * reports that change no more (the admin guide lists them).
	 */
	for (size_t i = 0; i < sizeof(traced) / sizeof(traced[0]); i++)
		bpf_program__set_autoload(
			traced[i].prog,
			btf__find_by_name_kind(btf, traced[i].func,
					       BTF_KIND_FUNC) > 0);
	btf__free(btf);
	return 0;
}

/* A lock asked for, unless the kernel's command line breaks the glass. */
static __u32 lock_state(bool lock)
{
	if (!lock)
		return 0;
	return lock_break_glass() ? LOCK_BREAK_GLASS : LOCK_LOCKED;
}

static void print_started(const struct built_policy *b, __u32 flags)
{
	const struct compiled_policy *c = &b->compiled;
	const char *mode_name = policy_mode_name(b->policy.mode);

	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "started",
				       json_object_new_boolean(true));
		json_object_object_add(obj, "policy",
				       json_object_new_string(c->info.name));
		json_object_object_add(obj, "version",
				       json_object_new_string(c->info.version));
		json_object_object_add(obj, "files",
				       json_object_new_int64(b->files.n));
		json_object_object_add(obj, "mode",
				       json_object_new_string(mode_name));
		json_object_object_add(obj, "objects",
				       json_object_new_int64(c->info.objects));
		json_object_object_add(obj, "exes",
				       json_object_new_int64(c->info.exes));
		json_object_object_add(obj, "rules",
				       json_object_new_int64(c->info.rules));
		json_object_object_add(obj, "locked",
				       json_object_new_boolean(flags &
							       LOCK_LOCKED));
		json_object_object_add(
			obj, "break_glass",
			json_object_new_boolean(flags & LOCK_BREAK_GLASS));
		json_print(obj);
		return;
	}
	printf("ward: started: policy %s %s (%s) from %zu file%s: %u labelled files, %u executables, %u rules\n",
	       c->info.name, c->info.version, mode_name, b->files.n,
	       b->files.n == 1 ? "" : "s", c->info.objects, c->info.exes,
	       c->info.rules);
	if (flags & LOCK_LOCKED)
		printf("ward: locked until the next boot\n");
	if (flags & LOCK_BREAK_GLASS)
		fprintf(stderr,
			"ward: warning: not locked: the kernel command line says '%s'\n",
			LOCK_CMDLINE);
}

int do_start(int argc, char **argv)
{
	struct bpf_link **links = NULL;
	struct bpf_program *prog;
	struct ward *skel = NULL;
	char staging[256], path[512];
	bool lock = false;
	const struct cmd_option opts[] = { { "lock", 'l', &lock, NULL }, {} };
	struct trust_check tc = {};
	enum trust_require req;
	struct built_policy b;
	struct ward_maps maps;
	size_t n_links = 0;
	__u32 flags = 0;
	int err, serr, floor_err = 0;

	err = cmd_options(&argc, &argv, opts, CMD_OPERANDS_ANY,
			  "start [--lock] [POLICY_FILE|POLICY_DIR...]");
	if (err)
		return err;
	if (require_root() || require_bpffs() || require_bpf_lsm() ||
	    require_nothing_loaded())
		return -1;
	snprintf(staging, sizeof(staging), "%s/%s%d", BPFFS_PATH,
		 RELEASE_STAGING_PREFIX, getpid());
	memset(&b, 0, sizeof(b));
	err = make_staging(staging);
	if (err)
		goto remove_staging;
	err = policy_build(&b, argv, argc, staging);
	policy_report(&b, err);
	if (err)
		goto remove_staging;
	/*
	 * require-signed-policy = yes: the boot policy too is signed and
	 * newer (policy_trust.h); "locked", the default, checks only what
	 * replaces a locked policy: at boot the files are those ward kept
	 * from everyone but itself and the package manager.
	 */
	serr = trust_conf_read(LOG_CONF_PATH, &req);
	if (serr) {
		err = p_err("%s: %s: %s: give yes, no or locked (ward.conf(5))",
			    LOG_CONF_PATH, TRUST_CONF_KEY,
			    serr == -EINVAL ? "bad value, or set twice" :
					      strerror(-serr));
		goto remove_staging;
	}
	tc.required = req == TRUST_REQUIRE_YES;
	err = trust_gate(&b.policy, WARD_CHANGE_START, &tc);
	if (err)
		goto remove_staging;
	/* Before the policy labels the pins: marked while still ours. */
	flags = lock_state(lock || b.compiled.kernel.lock);
	err = lock_mark(staging, flags);
	if (err) {
		p_err("cannot record the lock in %s: %s", staging,
		      strerror(-err));
		goto remove_staging;
	}
	err = -1;
	if (kernel_check(&b.compiled))
		goto remove_staging;

	skel = ward__open();
	if (!skel) {
		p_err("cannot open the BPF object: %s", strerror(errno));
		goto remove_staging;
	}
	if (select_programs(skel))
		goto remove_staging;
	err = ward__load(skel);
	if (err) {
		p_err("cannot load the BPF programs: %s (run 'ward --debug start' for the verifier's log)",
		      strerror(-err));
		goto remove_staging;
	}
	err = init_state(skel, staging);
	if (err)
		goto remove_staging;
	maps.policy = bpf_map__fd(skel->maps.ward_policy);
	maps.info = bpf_map__fd(skel->maps.ward_info);
	maps.state = bpf_map__fd(skel->maps.ward_state);
	maps.app_names = bpf_map__fd(skel->maps.ward_app_names);
	maps.epoch = bpf_map__fd(skel->maps.ward_epoch);
	err = policy_map_install(&maps, &b.compiled);
	if (err) {
		p_err("cannot install the policy: %s", strerror(-err));
		goto remove_staging;
	}

	links = calloc(skel->skeleton->prog_cnt, sizeof(*links));
	if (!links) {
		err = p_err("out of memory");
		goto remove_staging;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		if (!bpf_program__autoload(prog))
			continue;
		links[n_links] = bpf_program__attach(prog);
		if (!links[n_links]) {
			err = -errno;
			p_err("cannot attach %s: %s", bpf_program__name(prog),
			      strerror(-err));
			goto detach;
		}
		n_links++;
	}

	err = pin_into(skel, links, staging);
	snprintf(path, sizeof(path), "%s/%s", staging, WARD_PIN_MAPS);
	if (!err && (serr = source_store(path, b.text)))
		err = p_err("cannot keep the policy's text: %s",
			    strerror(-serr));
	if (!err && rename(staging, WARD_PIN_DIR))
		err = p_err("cannot rename %s to %s: %s", staging, WARD_PIN_DIR,
			    strerror(errno));
	/* One-way switches, once ward enforces: a failed start left none. */
	if (!err)
		err = kernel_apply(&b.compiled.kernel);
	if (!err) {
		change_report(bpf_map__fd(skel->maps.ward_changes),
			      WARD_CHANGE_START, NULL, 0);
		print_started(&b, flags);
		/* Enforcing: a floor that cannot rise is said, not undone. */
		floor_err = trust_gate_commit(&b.policy, &tc);
	}

detach:
	/* Unpinned first, the links detach in these close()s. */
	if (err)
		pin_remove(staging);
	/* Pinned links stay attached; unpinned ones detach here. */
	for (size_t i = 0; i < n_links; i++)
		bpf_link__destroy(links[i]);
	free(links);
	goto destroy_skel;
remove_staging:
	pin_remove(staging);
destroy_skel:
	ward__destroy(skel);
	trust_check_free(&tc);
	built_policy_free(&b);
	return err || floor_err ? -1 : 0;
}

/*
 * The pin directory is renamed away first, in one step: from then on ward
 * is not running, and a stop killed half-way leaves a directory that the
 * next start or stop releases, never a ward with some hooks missing.
 */
int do_stop(int argc, char **argv)
{
	bool running;
	char stopping[256];
	int err, busy, stale;

	err = cmd_options(&argc, &argv, NULL, 0, "stop");
	if (err)
		return err;
	if (require_root() || require_bpffs())
		return -1;
	running = ward_running();
	if (running && require_unlocked(WARD_CHANGE_STOP, NULL,
					 "it cannot be stopped"))
		return -1;
	/* Before the pins go: the queue with them. */
	if (running)
		change_report(-1, WARD_CHANGE_STOP, NULL, 0);
	if (running) {
		snprintf(stopping, sizeof(stopping), "%s/%s%d", BPFFS_PATH,
			 RELEASE_STOPPING_PREFIX, getpid());
		if (rename(WARD_PIN_DIR, stopping))
			return p_err("cannot rename %s to %s: %s", WARD_PIN_DIR,
				     stopping, strerror(errno));
		err = release_dir(stopping);
		if (err)
			return p_err("cannot remove %s: %s", stopping,
				     strerror(-err));
	}
	stale = release_stale(&busy);
	if (stale < 0)
		stale = 0;
	err = release_wait();
	if (err == -ETIMEDOUT)
		return p_err(
			"unpinned, but ward's programs are still attached after %d s: a process holds their links open (see 'bpftool link')",
			RELEASE_TIMEOUT_MS / 1000);
	if (err)
		return p_err("cannot list the loaded BPF programs: %s",
			     strerror(-err));
	if (!running && !stale)
		return p_err("ward is not running");
	if (json_output) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "stopped",
				       json_object_new_boolean(true));
		json_object_object_add(obj, "interrupted",
				       json_object_new_int(stale));
		json_print(obj);
	} else if (running) {
		printf("ward: stopped\n");
	} else {
		printf("ward: stopped what an interrupted start or stop left attached\n");
	}
	return 0;
}
