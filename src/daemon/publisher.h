/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One shape for every publisher (netifd's handler tables): what a
 * publisher implements (struct ifstat_publisher_ops) and what the daemon
 * offers it (struct ifstat_host). A publisher sees nothing else of the
 * daemon, owns its settings (the configuration keys it reads) and its
 * fallback when new ones cannot be applied; the daemon walks the list
 * ifstat_publishers[] (publishers.c) and knows none of them by name.
 */
#ifndef IFSTATD_PUBLISHER_H
#define IFSTATD_PUBLISHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "loop.h"
#include "snapjson.h"

struct ifstat_host;
struct ifstat_publisher_ops;

/* How the daemon runs, for the publishers that show it. */
struct ifstat_status {
	uint64_t start_time_ms; /* wall clock */
	uint64_t reload_time_ms; /* the last attempt; the start before any */
	bool reload_ok; /* the last reload was applied (true before any) */
};

struct ifstat_host_ops {
	/*
	 * Reads the counters now. The view stays valid until the next read;
	 * -EAGAIN before the daemon counts (publishers start before the
	 * program is attached).
	 */
	int (*read)(struct ifstat_host *h, const struct ifstat_view **out);
	/* The last read as one JSON line, built once per read. */
	int (*line)(struct ifstat_host *h, const struct ifstat_buf **out);
	/* Zeroes one filter (index) or all (-1) and publishes; *epoch is the
	 * new epoch. */
	int (*reset)(struct ifstat_host *h, int index, uint64_t *epoch);
	/* As SIGHUP; a refusal's messages go to errs. */
	int (*reload)(struct ifstat_host *h, struct ifstat_diags *errs);
};

struct ifstat_host {
	const struct ifstat_host_ops *ops;
	struct ifstat_loop *loop;
	const struct ifstat_status *status;
};

/* Embedded first in every publisher's own state (container_of). */
struct ifstat_publisher {
	const struct ifstat_publisher_ops *ops;
	struct ifstat_host *host;
};

struct ifstat_publisher_ops {
	const char *name;
	/* The publisher's state, struct ifstat_publisher first: the daemon
	 * allocates it zeroed and fills the head; nothing runs before the
	 * first apply. */
	size_t size;
	/*
	 * Takes the publisher's settings from c; nothing happens when they
	 * did not change. The first call (at start) has nothing to fall back
	 * to: a failure there stops the daemon. Later (reload) a publisher
	 * that cannot take its new settings keeps running on its old ones,
	 * writes them back into c (the running configuration says what is
	 * published, and the next reload tries again) and adds to errs what
	 * it kept and why. Returns 0 or -errno.
	 */
	int (*apply)(struct ifstat_publisher *p, struct ifstat_config *c,
		     struct ifstat_diags *errs);
	/* Someone to publish to: without any, the daemon skips the read.
	 * NULL for a publisher that reads on its own (on request). */
	bool (*listening)(const struct ifstat_publisher *p);
	/* A new reading, every interval and after a reload or a reset;
	 * NULL with listening. */
	void (*publish)(struct ifstat_publisher *p,
			const struct ifstat_view *v);
	/* Stops everything it runs; the daemon frees the state after. */
	void (*stop)(struct ifstat_publisher *p);
};

/* Every publisher this ifstatd has, NULL-terminated (publishers.c). */
extern const struct ifstat_publisher_ops *const ifstat_publishers[];

extern const struct ifstat_publisher_ops ifstat_sockpub_ops;
extern const struct ifstat_publisher_ops ifstat_prom_ops;
extern const struct ifstat_publisher_ops ifstat_web_ops;
extern const struct ifstat_publisher_ops ifstat_ubus_ops;

#endif
