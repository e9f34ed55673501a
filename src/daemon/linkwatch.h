/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Interfaces coming, going and being renamed, as rtnetlink announces
 * them (RTNLGRP_LINK): never polled.
 */
#ifndef IFSTATD_LINKWATCH_H
#define IFSTATD_LINKWATCH_H

#include <stdbool.h>

#include "loop.h"

/*
 * Called for every interface deleted (gone) and, once a batch of
 * messages is read, with ifindex 0: time to look at the configured names
 * again. Also after the kernel dropped messages (a full socket), when
 * anything may have changed.
 */
typedef void (*ifstat_link_cb)(void *ctx, int ifindex, bool gone);

struct ifstat_linkwatch {
	struct ifstat_watch w;
	struct ifstat_loop *loop;
	ifstat_link_cb cb;
	void *ctx;
};

/* Subscribes before the caller looks at the interfaces, so nothing
 * changes unseen in between. 0 or -errno. */
int ifstat_linkwatch_start(struct ifstat_linkwatch *lw,
			   struct ifstat_loop *loop, ifstat_link_cb cb,
			   void *ctx);
void ifstat_linkwatch_stop(struct ifstat_linkwatch *lw);

#endif
