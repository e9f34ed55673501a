/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ifstatd's state: the running configuration, the engine, the event loop
 * and the publishers (socket, Prometheus, ubus). Publishers read counters
 * through ifstatd_view and change state only through ifstatd_reload and
 * ifstatd_reset, so every path (SIGHUP, ubus) behaves the same.
 */
#ifndef IFSTATD_DAEMON_H
#define IFSTATD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "engine.h"
#include "loop.h"
#include "snapjson.h"

#define IFSTATD_MAX_ARG_FILTERS IFSTAT_MAX_FILTERS

/* The command line; a reload applies it again over the file. */
struct ifstatd_args {
	const char *config; /* NULL: the default file, if it exists */
	const char *ifname;
	const char *filters[IFSTATD_MAX_ARG_FILTERS + 1];
	unsigned int nfilters;
	const char *pin_root;
	bool foreground;
	bool check_only;
	bool keep;
	bool detach_only;
	int verbose;
};

struct ifstat_sockpub;
struct ifstat_prom;
struct ifstat_ubus;

struct ifstatd_reload_result {
	uint64_t time_ms; /* wall clock of the last attempt; 0: none yet */
	bool ok;
	char error[512]; /* the first lines of a refusal */
};

struct ifstatd {
	const struct ifstatd_args *args;
	struct ifstat_loop *loop;
	struct ifstat_config conf; /* running */
	struct ifstat_engine *engine;
	uint64_t start_time_ms; /* wall clock */
	struct ifstatd_reload_result reload;
	struct ifstat_watch tick, signals;
	struct ifstat_snapshot snap; /* the last one read */
	struct ifstat_buf line; /* snap as a JSON line */
	struct ifstat_sockpub *sock;
	struct ifstat_prom *prom;
	struct ifstat_ubus *ubus;
};

/*
 * Builds the configuration from the file and the command line. Errors
 * ("FILE:LINE: key: ...", one per line) go to errors when given, else to
 * the log; *out is written only on success.
 */
int ifstatd_build_config(const struct ifstatd_args *a,
			 struct ifstat_config *out, struct ifstat_buf *errors);

/* Reads the counters now into d->snap and fills v to describe them. */
int ifstatd_view(struct ifstatd *d, struct ifstat_view *v);

/*
 * Reads the configuration again (SIGHUP, ubus reload). A valid one
 * replaces the filters without a counting gap and restarts the
 * publishers whose settings changed; a refused one changes nothing and
 * its errors are in errors (if given) and the log. Returns 0 or -errno.
 */
int ifstatd_reload(struct ifstatd *d, struct ifstat_buf *errors);

/* Zeroes one filter (index) or everything (-1); moves the epoch. */
int ifstatd_reset(struct ifstatd *d, int index);

int ifstatd_run(const struct ifstatd_args *a, struct ifstat_config *c);

#endif
