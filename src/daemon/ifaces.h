/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The interfaces ifstatd counts: a link of the engine per configured
 * name, attached while an interface of that name exists (rtnetlink tells
 * when that changes), its counters kept while it does not.
 */
#ifndef IFSTATD_IFACES_H
#define IFSTATD_IFACES_H

#include <stdbool.h>

#include "config.h"
#include "engine.h"
#include "snapjson.h"

struct ifstatd_iface;

struct ifstatd_ifaces {
	struct ifstat_engine *e;
	const char *pin_root;
	struct ifstatd_iface *v[IFSTAT_MAX_IFACES];
	unsigned int n;
	struct ifstat_entry entries[IFSTAT_MAX_IFACES * IFSTAT_NDIRS];
};

/*
 * Opens the counters of every interface of c and counts c's filters on
 * those that exist; the others are waited for. An interface that exists
 * and cannot be counted fails the start. 0 or -errno.
 */
int ifstatd_ifaces_start(struct ifstatd_ifaces *s,
			 const struct ifstat_config *c, const char *pin_root);

/*
 * A reload: interfaces added and removed (their counters kept when
 * keep), filters replaced, new settings. Fails with nothing changed or
 * succeeds; an interface that cannot be counted now is logged and
 * waited for. 0 or -errno.
 */
int ifstatd_ifaces_apply(struct ifstatd_ifaces *s,
			 const struct ifstat_config *c,
			 const struct ifstat_config *old, bool keep);

/* rtnetlink's news (linkwatch.h). */
void ifstatd_ifaces_event(void *ctx, int ifindex, bool gone);

/*
 * Tries again the interfaces another ifstat still counted when they got
 * their name here (it lets go once it sees the rename; nothing tells
 * us when). At every tick.
 */
void ifstatd_ifaces_retry(struct ifstatd_ifaces *s);

/* Reads every (interface, direction) into the view. 0 or -errno. */
int ifstatd_ifaces_read(struct ifstatd_ifaces *s, struct ifstat_view *v);

/* Zeroes one filter (index) or all (-1) everywhere; moves the epoch. */
int ifstatd_ifaces_reset(struct ifstatd_ifaces *s, int index);

/* Detaches everything; the counters stay pinned when keep. */
void ifstatd_ifaces_stop(struct ifstatd_ifaces *s, bool keep);

/* --detach: our programs off the interfaces of c, their pins removed. */
int ifstatd_ifaces_detach(const struct ifstat_config *c, const char *pin_root);

#endif
