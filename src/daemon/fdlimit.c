// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The descriptors a configuration can hold at once, against
 * RLIMIT_NOFILE: every socket client and HTTP connection is one, and a
 * daemon that runs out mid-way refuses clients at random (accept fails)
 * instead of saying so at start or reload.
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "daemon.h"
#include "log.h"
#include "prom.h"

/* Everything else: the engine's configuration, epoll, timers, signalfd,
 * rtnetlink, syslog, ubus, the reserve (sockpub.c), libmicrohttpd's own.
 * Measured about 30 with a running ubus. */
#define IFSTATD_FD_BASE 64
/* An interface: its counters, two locks, each program's object (its
 * maps and the program); measured 13 with both directions counted. */
#define IFSTATD_FDS_PER_IFACE 16
/* The web page's connections (web.h, IFSTAT_WEB_MAX_CONNECTIONS, which
 * needs libmicrohttpd's header; this file builds without it). */
#define IFSTATD_WEB_CONNECTIONS 256

unsigned long ifstatd_fds_needed(const struct ifstat_config *c)
{
	unsigned long n = IFSTATD_FD_BASE + c->max_clients +
			  IFSTATD_FDS_PER_IFACE * c->ninterfaces;

	if (c->prometheus[0])
		n += IFSTAT_PROM_MAX_CONNECTIONS;
	if (c->http[0])
		n += IFSTATD_WEB_CONNECTIONS;
	return n;
}

int ifstatd_fd_budget(const struct ifstat_config *c, bool raise,
		      const char *file, struct ifstat_diags *errs)
{
	unsigned long need = ifstatd_fds_needed(c);
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	/* The hard limit is what may be asked without privilege. */
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) {
		if (!raise)
			return 0;
		rl.rlim_cur = need;
		if (!setrlimit(RLIMIT_NOFILE, &rl)) {
			log_info("open files limit raised to %lu (max_clients "
				 "%u%s)",
				 need, c->max_clients,
				 c->prometheus[0] || c->http[0] ? " and the "
								  "HTTP "
								  "connections"
								: "");
			return 0;
		}
	}
	return ifstat_diag_add(errs, file, 0, "max_clients", NULL,
			       "%u socket clients%s and %u interface(s) need "
			       "%lu open files, the limit is %lu (hard %lu): "
			       "lower max_clients or raise the limit "
			       "(LimitNOFILE=, ulimit -n)",
			       c->max_clients,
			       c->prometheus[0] || c->http[0] ? ", the HTTP "
								"connections"
							      : "",
			       c->ninterfaces, need, (unsigned long)rl.rlim_cur,
			       (unsigned long)rl.rlim_max);
}
