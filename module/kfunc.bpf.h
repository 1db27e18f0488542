/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ward - kernel functions the programs call, and reading kernel objects
 *
 * Each object that includes this header defines WARD_OBJECT, its name,
 * first: the kfuncs get it as a CO-RE flavour suffix (___NAME), which
 * libbpf strips, because the BPF linker refuses an extern function
 * declared in two objects.
 */

#ifndef WARD_KFUNC_BPF_H
#define WARD_KFUNC_BPF_H

#ifndef WARD_OBJECT
#error "define WARD_OBJECT, the object's name, before including ward's BPF headers"
#endif
#define KFUNC_CAT(name, object) name##___##object
#define KFUNC_XCAT(name, object) KFUNC_CAT(name, object)
#define KFUNC(name) KFUNC_XCAT(name, WARD_OBJECT)

/* Since 6.2. */
extern void *KFUNC(bpf_rdonly_cast)(const void *obj__ign,
				    __u32 btf_id__k) __ksym __weak;

/*
 * @p as an untrusted pointer, for reading fields only (never for a helper
 * or kfunc argument).  From 6.4 the verifier asks, for every pointer read
 * through a trusted pointer, whether the field is on its lists of trusted
 * fields, each time by a linear search of the kernel's BTF; reading
 * through an untrusted pointer skips that, which takes most of the time
 * "ward start" spends verifying.  Before 6.2 (no bpf_rdonly_cast, and no
 * such search) @p itself.
 */
#define untrusted(p)                                                        \
	((typeof(p))(bpf_ksym_exists(KFUNC(bpf_rdonly_cast)) ?              \
			     KFUNC(bpf_rdonly_cast)(                        \
				     p, bpf_core_type_id_kernel(typeof(*(p)))) : \
			     (void *)(p)))

/*
 * The struct mount around @mnt, untrusted (read only), as the kernel's
 * real_mount() finds it; NULL before 6.2, where the verifier refuses the
 * step back from a vfsmount to its mount and no bpf_rdonly_cast() allows it.
 */
static __always_inline struct mount *real_mount(struct vfsmount *mnt)
{
	if (!bpf_ksym_exists(KFUNC(bpf_rdonly_cast)))
		return NULL;
	return KFUNC(bpf_rdonly_cast)(container_of(mnt, struct mount, mnt),
				      bpf_core_type_id_kernel(struct mount));
}

#endif /* WARD_KFUNC_BPF_H */
