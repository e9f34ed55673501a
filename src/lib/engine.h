/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The engine: loads the XDP program (embedded skeleton), installs filter
 * sets without a counting gap, attaches through libxdp and reads
 * snapshots. Used by ifstatd, the tests and the benchmarks.
 */
#ifndef IFSTAT_ENGINE_H
#define IFSTAT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "filter.h" /* struct ifstat_filter_def */
#include "ifstat_abi.h"
#include "mode.h"

/* Where the per-interface lock files live (one ifstat per interface). */
#define IFSTAT_LOCK_DIR "/run/ifstat"

struct ifstat_engine_opts {
	/* Interface whose counters are pinned under pin_root/ifname.
	 * NULL: nothing pinned, nothing attached (BPF_PROG_TEST_RUN use). */
	const char *ifname;
	const char *pin_root; /* NULL: IFSTAT_PIN_ROOT */
	const char *lock_dir; /* NULL: IFSTAT_LOCK_DIR */
};

struct ifstat_engine;

int ifstat_engine_open(struct ifstat_engine **out,
		       const struct ifstat_engine_opts *opts);

/*
 * Replaces the whole filter set at once. A filter with the same name and
 * definition as one in the running set keeps its counters; the others
 * start at zero. Changing the edges restarts every filter's counters.
 * edges NULL: the running edges (the defaults on a fresh start).
 */
int ifstat_engine_set_filters(struct ifstat_engine *e,
			      const struct ifstat_filter_def *defs,
			      unsigned int n, const uint32_t *edges,
			      unsigned int nedges);

/* Zeroes one filter's counters (index) or all counters and totals (-1). */
int ifstat_engine_reset(struct ifstat_engine *e, int index);

int ifstat_engine_attach(struct ifstat_engine *e, enum ifstat_mode mode);
enum ifstat_mode ifstat_engine_mode(const struct ifstat_engine *e);

/* True when open() found the program still attached (a restart). */
bool ifstat_engine_resumed(const struct ifstat_engine *e);
/* True when open() found pinned counters and continues them. */
bool ifstat_engine_reused(const struct ifstat_engine *e);

int ifstat_engine_read(struct ifstat_engine *e, struct ifstat_snapshot *snap);

/* Detaches the program; removes the pinned maps unless keep_pins. */
int ifstat_engine_detach(struct ifstat_engine *e, bool keep_pins);

/* Frees everything; leaves attachment and pins as they are. */
void ifstat_engine_destroy(struct ifstat_engine *e);

/* Loads the program without attaching it (for BPF_PROG_TEST_RUN). */
int ifstat_engine_load(struct ifstat_engine *e);
/* The program's fd, loading it first if needed; or -errno. */
int ifstat_engine_prog_fd(struct ifstat_engine *e);
const char *ifstat_engine_pin_dir(const struct ifstat_engine *e);

/* Wall clock in ms since 1970: the unit of the epoch, and of the time
 * of a snapshot, so that the two compare. */
uint64_t ifstat_now_ms(void);
/* Where open() pins the state of ifname in this network namespace:
 * pin_root/IFACE, or pin_root/IFACE@NETNS_INODE outside the host's. */
void ifstat_engine_pin_dir_of(const char *ifname, const char *pin_root,
			      char *buf, size_t len);

#endif
