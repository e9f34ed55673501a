// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ifstatd started by root keeps only the capabilities its later work
 * needs, in every set and in the bounding set, so a flaw in a publisher
 * cannot reach the rest of root's power. What needs what:
 *
 *   CAP_BPF, CAP_PERFMON  a reload that moves to another interface loads
 *                         the program there (without PERFMON the
 *                         verifier runs in its hardened mode and refuses
 *                         it)
 *   CAP_NET_ADMIN         attach there, detach at stop
 *   CAP_SYS_ADMIN         find the program attached (libxdp, a restart,
 *                         the detach at stop), mount bpffs when missing
 *   CAP_CHOWN             socket_group, also when a reload changes it
 *   CAP_NET_BIND_SERVICE  a prometheus port below 1024, also on reload
 *
 * A reload that changes only filters, intervals or publishers needs none
 * of them (the filter tables are written through the mapped map); the
 * interface lifecycle (hot-plug) is not built yet. Nothing here can be
 * given up after the attach while a reload may move the interface and
 * the stop must detach; a filters-only mode could drop all of them.
 * Not kept: CAP_DAC_OVERRIDE and the like (files are root's), CAP_SETUID,
 * CAP_SYS_MODULE, CAP_SYS_RESOURCE (the open-files limit is raised only
 * up to its hard limit).
 */
#include <errno.h>
#include <string.h>
#include <linux/capability.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

#define BIT(c) (1ULL << (c))

const uint64_t ifstatd_caps_kept = BIT(CAP_BPF) | BIT(CAP_PERFMON) |
				   BIT(CAP_NET_ADMIN) | BIT(CAP_SYS_ADMIN) |
				   BIT(CAP_CHOWN) | BIT(CAP_NET_BIND_SERVICE);

int ifstatd_caps_limit(uint64_t keep)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	uint64_t have;
	int c;

	if (syscall(SYS_capget, &h, d))
		return -errno;
	have = d[0].permitted | (uint64_t)d[1].permitted << 32;
	if (!(have & ~keep))
		return 0; /* nothing more than we keep (a unit, a user) */
	/* The bounding set first, while CAP_SETPCAP is still ours; the
	 * kernel says EINVAL past its last capability. */
	for (c = 0; c < 64; c++) {
		if (keep & BIT(c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) && errno == EINVAL)
			break;
	}
	have &= keep;
	d[0].permitted = d[0].effective = (uint32_t)have;
	d[1].permitted = d[1].effective = (uint32_t)(have >> 32);
	d[0].inheritable = d[1].inheritable = 0;
	if (syscall(SYS_capset, &h, d)) {
		log_err("cannot drop capabilities: %s", strerror(errno));
		return -errno;
	}
	/* Nothing we run could gain them back (ifstatd runs nothing). */
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	log_debug("capabilities limited to %#llx", (unsigned long long)have);
	return 0;
}
