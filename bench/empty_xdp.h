/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The program ifstat is compared with in every benchmark. */
#ifndef IFSTAT_BENCH_EMPTY_XDP_H
#define IFSTAT_BENCH_EMPTY_XDP_H

#include <errno.h>
#include <linux/bpf.h>

#include <bpf/bpf.h>

/*
 * r0 = XDP_PASS; exit. Declared multi-buffer like ifstat_xdp so that both
 * take the same paths (test run, veth). Returns the fd or -errno.
 */
static inline int bench_load_empty_xdp(const char *name)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
		  .dst_reg = BPF_REG_0,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .prog_flags = BPF_F_XDP_HAS_FRAGS,
		    .expected_attach_type = BPF_XDP);
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, name, "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), &o);

	return fd < 0 ? -errno : fd;
}

/* r0 = TC_ACT_UNSPEC; exit: the tc programs' counterpart. */
static inline int bench_load_empty_tc(const char *name)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K,
		  .dst_reg = BPF_REG_0,
		  .imm = -1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, name, "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), NULL);

	return fd < 0 ? -errno : fd;
}

#endif
