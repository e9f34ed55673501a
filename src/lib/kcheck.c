// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kernel features are probed, not read from the version: distribution
 * kernels backport features and leave them out by configuration, so a
 * version number proves neither. Each probe loads a two-instruction
 * program (about a millisecond for all of them).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <xdp/libxdp.h>

#include "kcheck.h"
#include "log.h"

#ifndef BPF_F_XDP_HAS_FRAGS
#define BPF_F_XDP_HAS_FRAGS (1U << 5)
#endif

/*
 * Loads "return XDP_PASS" with the given program flags: 1 when the
 * kernel accepts it, 0 when it refuses the flags (EINVAL), -errno when
 * no program can be loaded here at all (privileges, no BPF syscall).
 */
static int probe_xdp_flags(__u32 flags)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
		  .dst_reg = BPF_REG_0,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .prog_flags = flags);
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "ifstat_probe", "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), &o);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == EINVAL && flags ? 0 : -errno;
}

/* One feature: its name for the message, and the kernel that added it. */
struct kfeature {
	const char *what;
	const char *since;
	enum bpf_func_id helper; /* 0: the frags flag */
};

/*
 * Every feature is required: the program uses them all (a frags-less
 * build would still need the two helpers, which came in the same
 * release, 5.18). Keep this table in step with bpf/ and README.
 */
static const struct kfeature features[] = {
	{ "multi-buffer XDP (xdp.frags programs)", "5.18", 0 },
	{ "the BPF helper bpf_xdp_get_buff_len", "5.18",
	  BPF_FUNC_xdp_get_buff_len },
	{ "the BPF helper bpf_xdp_load_bytes", "5.18",
	  BPF_FUNC_xdp_load_bytes },
};

int ifstat_kcheck(void)
{
	struct utsname u;
	unsigned int i;
	int ret;

	ret = probe_xdp_flags(0);
	if (ret < 0) {
		/* Cannot load anything: not a question of features. */
		return 0;
	}
	for (i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
		const struct kfeature *f = &features[i];

		if (f->helper)
			ret = libbpf_probe_bpf_helper(BPF_PROG_TYPE_XDP,
						      f->helper, NULL);
		else
			ret = probe_xdp_flags(BPF_F_XDP_HAS_FRAGS);
		if (ret > 0)
			continue;
		if (ret < 0)
			return 0; /* the probe failed, not the feature */
		if (uname(&u))
			snprintf(u.release, sizeof(u.release), "?");
		log_err("this kernel (%s) lacks %s: ifstat needs Linux %s or "
			"later",
			u.release, f->what, f->since);
		return -EOPNOTSUPP;
	}
	return 0;
}

bool ifstat_xdp_dispatcher_found(char *dir, size_t len)
{
	const char *env = secure_getenv("LIBXDP_OBJECT_PATH");
	char lib[4096], path[4096 + 32];
	Dl_info info;

	if (secure_getenv("LIBXDP_SKIP_DISPATCHER"))
		return true;
	if (env && *env) {
		snprintf(dir, len, "%s", env);
	} else if (dladdr((void *)xdp_program__attach, &info) &&
		   info.dli_fname && strstr(info.dli_fname, "/libxdp")) {
		/* libxdp looks in LIBDIR/bpf, LIBDIR being where it was
		 * installed: beside the library itself. */
		snprintf(lib, sizeof(lib), "%s", info.dli_fname);
		snprintf(dir, len, "%s/bpf", dirname(lib));
	} else {
		return true; /* cannot tell where: do not claim it is missing */
	}
	snprintf(path, sizeof(path), "%s/xdp-dispatcher.o", dir);
	return access(path, R_OK) == 0;
}
