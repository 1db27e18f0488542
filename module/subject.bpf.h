/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - who is asking: the task's app domain and user sets
 *
 * A task's domain lives in task local storage.  It is set when the task
 * executes an app's executable, inherited on fork, and kept across exec
 * of programs of no app (exec.bpf.c).  Tasks that ran before ward started
 * get the domain of their executable the first time they are seen.
 */

#ifndef WARD_SUBJECT_BPF_H
#define WARD_SUBJECT_BPF_H

#include "storage.bpf.h"

#define PF_KTHREAD 0x00200000
#define SUBJECT_GROUPS_MAX 32

/**
 * struct subject - the current task, as the policy sees it
 * @app: its domain, 0 for none
 * @flags: the domain's enum ward_app_flags, 0 for none
 * @mode: the domain's enum ward_app_mode
 * @unit: the policy file that defines the app
 * @users: the user sets it is in; only valid with @users_known
 * @users_known: @users has been looked up
 */
struct subject {
	__u32 app;
	__u32 flags;
	__u32 mode;
	__u32 unit;
	__u64 users;
	bool users_known;
};

/* The app an executable belongs to, 0 for none. */
static __always_inline __u32 exe_app(void *policy, struct file *exe)
{
	union ward_policy_value *value;

	if (!exe)
		return 0;
	value = policy_inode(policy, WARD_KEY_EXE, untrusted(exe)->f_inode);
	return value ? value->app : 0;
}

/* Has the app @app rights beyond the default (WARD_APP_GRANTS)? */
static __always_inline bool app_grants(void *policy, __u32 app)
{
	union ward_policy_value *info =
		app ? policy_id(policy, WARD_KEY_APP, app) : NULL;

	return info && info->app_info.flags & WARD_APP_GRANTS;
}

/*
 * @app if the active policy has it with rights (WARD_APP_GRANTS), else 0:
 * a domain without rights has nothing to protect.
 */
static __always_inline __u32 domain_in(void *policy, __u32 app)
{
	return app_grants(policy, app) ? app : 0;
}

/*
 * The domain of @task, another task than the current one: what its task
 * storage says, else its executable's app.  @task must be a pointer the
 * helpers accept.
 */
static __always_inline __u32 task_domain(void *policy, struct task_struct *task)
{
	struct ward_task *t = bpf_task_storage_get(&ward_tasks, task, 0, 0);
	struct task_struct *view;
	struct mm_struct *mm;

	if (t)
		return domain_in(policy, t->app);
	view = untrusted(task);
	if (view->flags & PF_KTHREAD)
		return 0;
	mm = view->mm;
	return domain_in(policy, mm ? exe_app(policy, mm->exe_file) : 0);
}

#define STORAGE_SLOT(i)                                                     \
	case i:                                                             \
		sd = storage->cache[i];                                     \
		break

/*
 * The domain in @task's storage, read from the cache slot that
 * bpf_local_storage_lookup() reads first, as it reads it: that costs
 * half of what the helper's call and recursion guard do, on every hook
 * that asks who is asking.  False when the slot holds no data of ward's
 * (never cached, or taken by another map): the helper finds it then, and
 * caches it.  A read the kernel would fault on reads 0, which is no map.
 */
static __always_inline bool task_app_cached(struct task_struct *task,
					    __u32 *app)
{
	struct bpf_local_storage_map *smap = (void *)&ward_tasks;
	struct bpf_local_storage *storage = untrusted(task)->bpf_storage;
	struct bpf_local_storage_data *sd = NULL;

	if (!storage)
		return false;
	switch (smap->cache_idx) {
		STORAGE_SLOT(0); STORAGE_SLOT(1); STORAGE_SLOT(2);
		STORAGE_SLOT(3); STORAGE_SLOT(4); STORAGE_SLOT(5);
		STORAGE_SLOT(6); STORAGE_SLOT(7); STORAGE_SLOT(8);
		STORAGE_SLOT(9); STORAGE_SLOT(10); STORAGE_SLOT(11);
		STORAGE_SLOT(12); STORAGE_SLOT(13); STORAGE_SLOT(14);
		STORAGE_SLOT(15);
	default:
		return false;
	}
	if (!sd || sd->smap != smap)
		return false;
	*app = *(__u32 *)(sd->data + __builtin_offsetof(struct ward_task, app));
	return true;
}

/*
 * The domain of @task, the current task, that task_app_cached() did not
 * find: through the helper, else from its executable, then kept.
 */
static __always_inline __u32 task_app_uncached(void *policy,
					       struct task_struct *task)
{
	struct ward_task *t;
	struct mm_struct *mm;
	__u32 app;

	t = bpf_task_storage_get(&ward_tasks, task, 0, 0);
	if (t)
		return t->app;
	if (task->flags & PF_KTHREAD)
		return 0;
	mm = untrusted(task)->mm;
	app = mm ? exe_app(policy, mm->exe_file) : 0;
	t = bpf_task_storage_get(&ward_tasks, task, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (t)
		t->app = app;
	return app;
}

/* The current task's domain, initialised from its executable if unknown. */
static __always_inline __u32 task_app(void *policy)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 app;

	if (task_app_cached(task, &app))
		return app;
	return task_app_uncached(policy, task);
}

/* @s for the current task, in the domain @app, as @policy sees it. */
static __always_inline void subject_of(void *policy, struct subject *s,
				       __u32 app)
{
	union ward_policy_value *info;

	s->app = app;
	s->flags = 0;
	s->mode = WARD_APP_MODE_INHERIT;
	s->unit = 0;
	s->users = 0;
	s->users_known = false;
	if (!s->app)
		return;
	info = policy_id(policy, WARD_KEY_APP, s->app);
	if (!info) {
		/* An app of an older policy: no domain in this one. */
		s->app = 0;
		return;
	}
	s->flags = info->app_info.flags;
	s->mode = info->app_info.mode;
	s->unit = info->app_info.unit;
}

static __always_inline void subject_get(void *policy, struct subject *s)
{
	subject_of(policy, s, task_app(policy));
}

static __always_inline bool subject_confined(const struct subject *s)
{
	return s->flags & WARD_APP_CONFINED;
}

/*
 * The active policy if it confines the current task, with @s the task as
 * it sees it; else NULL.  For hooks that check confined tasks alone: most
 * tasks are not, and learn it here before the hook reads anything else.
 */
static __always_inline void *subject_confined_by(struct subject *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	bool cached = task_app_cached(task, &s->app);
	void *policy;

	/* In no domain: not even the policy need be looked up. */
	if (cached && !s->app)
		return NULL;
	policy = policy_active();
	if (!policy)
		return NULL;
	subject_of(policy, s, cached ? s->app : task_app_uncached(policy, task));
	return subject_confined(s) ? policy : NULL;
}

static __always_inline __u64 id_users(void *policy, __u32 kind, __u32 id)
{
	union ward_policy_value *value = policy_id(policy, kind, id);

	return value ? value->users : 0;
}

/*
 * The user sets the task is in, through its file system uid and gid and
 * its supplementary groups (the first SUBJECT_GROUPS_MAX of them).
 */
static __always_inline __u64 subject_users(void *policy, struct subject *s)
{
	struct task_struct *task = bpf_get_current_task_btf();
	const struct cred *cred = untrusted(task)->cred;
	struct group_info *groups;
	__u64 users;
	int n;

	if (s->users_known)
		return s->users;
	users = id_users(policy, WARD_KEY_UID, cred->fsuid.val);
	users |= id_users(policy, WARD_KEY_GID, cred->fsgid.val);
	groups = cred->group_info;
	n = groups ? groups->ngroups : 0;
	for (int i = 0; i < SUBJECT_GROUPS_MAX; i++) {
		if (i >= n)
			break;
		users |= id_users(policy, WARD_KEY_GID, groups->gid[i].val);
	}
	s->users = users;
	s->users_known = true;
	return users;
}

/*
 * Does the subject's mode let a refused access pass?  An app's own
 * complain mode, only for what is its @own business: never another policy
 * file's protection.
 */
static __always_inline bool subject_complains(void *policy,
					      const struct subject *s, bool own)
{
	if (s->mode == WARD_APP_MODE_COMPLAIN && own)
		return true;
	if (s->mode == WARD_APP_MODE_ENFORCE)
		return false;
	return policy_mode(policy) == WARD_MODE_COMPLAIN;
}

#endif /* WARD_SUBJECT_BPF_H */
