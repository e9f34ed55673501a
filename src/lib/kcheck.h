/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What ifstat needs from the kernel, probed at start so that an older
 * kernel is refused with one line naming the missing feature, not with a
 * verifier log; and where libxdp's dispatcher object lives.
 */
#ifndef IFSTAT_KCHECK_H
#define IFSTAT_KCHECK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Probes every kernel feature the program needs (README, "Kernel").
 * Returns 0 when all are there or when the probe cannot tell (no
 * privilege to load a program: the load itself then says so), or
 * -EOPNOTSUPP after logging the first missing feature.
 */
int ifstat_kcheck(void);

/*
 * Whether libxdp can find its dispatcher object (xdp-dispatcher.o) in
 * $LIBXDP_OBJECT_PATH or its default directory, the "bpf" directory
 * beside the libxdp in use; the directory searched is written to dir.
 * True also when LIBXDP_SKIP_DISPATCHER makes it unnecessary.
 */
bool ifstat_xdp_dispatcher_found(char *dir, size_t len);

#endif
