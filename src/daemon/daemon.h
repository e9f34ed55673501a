/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ifstatd's core: the running configuration, the engine, the event loop
 * and the list of publishers (publisher.h). Publishers read counters and
 * change state only through struct ifstat_host, so every path (SIGHUP,
 * ubus) behaves the same. Only main.c includes this.
 */
#ifndef IFSTATD_DAEMON_H
#define IFSTATD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "diag.h"

#define IFSTATD_MAX_ARG_FILTERS IFSTAT_MAX_FILTERS

/* The command line; a reload applies it again over the file. */
struct ifstatd_args {
	const char *config; /* NULL: the default file, if it exists */
	const char *ifnames[IFSTAT_MAX_IFACES]; /* -i, repeatable */
	unsigned int nifnames;
	const char *filters[IFSTATD_MAX_ARG_FILTERS + 1];
	unsigned int nfilters;
	const char *pin_root;
	bool foreground;
	bool check_only;
	bool keep;
	bool detach_only;
	int verbose;
};

/*
 * Builds the configuration from the file and the command line; every
 * error in errs. *out is written only on success. 0 or -errno.
 */
int ifstatd_build_config(const struct ifstatd_args *a,
			 struct ifstat_config *out, struct ifstat_diags *errs);

/*
 * Whether RLIMIT_NOFILE covers what c can hold open at once (clients,
 * HTTP connections, the rest); below it, raised up to the hard limit
 * when raise, else an error in errs naming file. 0 or -EINVAL.
 */
int ifstatd_fd_budget(const struct ifstat_config *c, bool raise,
		      const char *file, struct ifstat_diags *errs);
unsigned long ifstatd_fds_needed(const struct ifstat_config *c);

/*
 * Drops every capability but keep from the effective, permitted,
 * inheritable and bounding sets (caps.c says which ifstatd keeps and
 * why). 0 or -errno.
 */
extern const uint64_t ifstatd_caps_kept;
int ifstatd_caps_limit(uint64_t keep);

/* Logs every error of errs, one line each. */
void ifstatd_log_diags(const struct ifstat_diags *errs);

/* Publishes, serves and reloads until SIGINT/SIGTERM; c is the
 * configuration ifstatd_build_config gave. Returns 0 or -errno. */
int ifstatd_run(const struct ifstatd_args *a, struct ifstat_config *c);

#endif
