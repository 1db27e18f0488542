// SPDX-License-Identifier: GPL-2.0
/*
 * ward - the capability hook: a confined app uses only the capabilities
 * its rules name, whatever its credentials hold
 */

#define WARD_OBJECT cap
#include "event.bpf.h"
#include <bpf/bpf_tracing.h>

#define CAP_OPT_NOAUDIT (1 << 1)

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/capable")
int BPF_PROG(hook_capable, const struct cred *cred, struct user_namespace *ns,
	     int cap, unsigned int opts)
{
	struct decision d = { .op = WARD_OP_CAPABLE, .cap = cap };
	struct task_struct *task = bpf_get_current_task_btf();
	/*
	 * No executable path: capable() is called under locks such as
	 * task_lock(), which bpf_get_task_exe_file() would take again.
	 */
	struct event_about about = {};
	union ward_policy_value *caps;
	struct subject s;
	void *policy;
	int err;

	/* Only the task's own capabilities, not a check on another's. */
	if (cred != task->cred)
		return 0;
	policy = subject_confined_by(&s);
	if (!policy)
		return 0;
	caps = policy_id(policy, WARD_KEY_CAPS, s.app);
	if (caps && cap >= 0 && cap < 64 && (caps->caps & (1ULL << cap)))
		return 0;
	err = refuse(policy, &s, &d, -EPERM, true);
	/* A check that asked not to be audited is a probe: do not report. */
	if (!(opts & CAP_OPT_NOAUDIT))
		event_report(&d, &s, &about);
	return err;
}
