/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The engine: one filter configuration (the classifier's tables, in one
 * map shared by every program) and the links that count with it, one per
 * interface, each with its counters (one value per direction) and the
 * programs attached to it (XDP or tc ingress, tc egress). Used by
 * ifstatd, the tests and the benchmarks.
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

/* Where the lock files live (one ifstat per interface). */
#define IFSTAT_LOCK_DIR "/run/ifstat"

struct ifstat_engine_opts {
	const char *pin_root; /* NULL: IFSTAT_PIN_ROOT */
	const char *lock_dir; /* NULL: IFSTAT_LOCK_DIR */
};

struct ifstat_engine;
struct ifstat_link;

/*
 * The filter configuration is made at the first use, or continued from
 * the one pinned beside the first link (in open order) that has one: a
 * restart keeps its filters' generations, so their counts go on.
 */
int ifstat_engine_open(struct ifstat_engine **out,
		       const struct ifstat_engine_opts *opts);

/*
 * Replaces the whole filter set at once, for every link. A filter with
 * the same name and definition as one in the running set keeps its
 * counters; the others start at zero. Changing the edges restarts every
 * filter's counters. edges NULL: the running edges (the defaults on a
 * fresh start).
 */
int ifstat_engine_set_filters(struct ifstat_engine *e,
			      const struct ifstat_filter_def *defs,
			      unsigned int n, const uint32_t *edges,
			      unsigned int nedges);

/* Zeroes one filter's counters (index) or all counters and totals (-1),
 * on every link, and moves the epoch. */
int ifstat_engine_reset(struct ifstat_engine *e, int index);
uint64_t ifstat_engine_epoch(const struct ifstat_engine *e);

/* Frees the engine; its links must be closed first. */
void ifstat_engine_destroy(struct ifstat_engine *e);

struct ifstat_link_opts {
	/* Interface whose counters are pinned under pin_root/ifname. NULL:
	 * nothing pinned, nothing attached (BPF_PROG_TEST_RUN use). */
	const char *ifname;
	enum ifstat_dirs dirs;
	enum ifstat_hook hook;
	enum ifstat_mode xdp_mode;
};

/*
 * The counters of an interface, pinned by its name and found again by a
 * restart; the interface need not exist (ifstat_link_attach counts it
 * when it does). Takes the name's lock. 0 or -errno.
 */
int ifstat_link_open(struct ifstat_engine *e, const struct ifstat_link_opts *o,
		     struct ifstat_link **out);

/*
 * Counts the interface ifindex (it has the link's name now): takes the
 * interface's lock, then attaches the programs of the link's directions
 * and hook. A program of ours found attached there (a restart) is
 * replaced in one step. 0 or -errno with nothing attached; -EBUSY:
 * another ifstat counts the interface (under another name: it has not
 * seen a rename yet, or is stopped).
 */
int ifstat_link_attach(struct ifstat_link *l, int ifindex);
/* The same, tried again after -EBUSY (another ifstat counted ifindex):
 * that holder, said the first time, is not logged again. */
int ifstat_link_attach_again(struct ifstat_link *l, int ifindex);

/*
 * Stops counting: detaches our programs from the interface (which may
 * have been renamed) or, with gone, only forgets it (it was deleted:
 * its programs went with it). The counters stay.
 */
void ifstat_link_detach(struct ifstat_link *l, bool gone);

/*
 * Pins the engine's configuration beside a link opened while it existed
 * (a reload that goes through), in place of whatever is pinned there.
 * 0 or -errno.
 */
int ifstat_link_commit(struct ifstat_link *l);

/* New directions, hook or XDP mode: detaches when they differ from the
 * running ones (ifstat_link_attach applies them). */
void ifstat_link_configure(struct ifstat_link *l,
			   const struct ifstat_link_opts *o);

/* Detaches our programs, whatever they are, from ifindex (--detach). */
void ifstat_link_detach_from(struct ifstat_link *l, int ifindex);

/* Detaches, removes the pins unless keep_pins, frees. */
void ifstat_link_close(struct ifstat_link *l, bool keep_pins);
/*
 * The same while the engine goes on (a reload drops the interface): its
 * counters may stay pinned, but not the configuration, which this
 * process goes on changing and which another ifstat starting on that
 * name must not take for its own.
 */
void ifstat_link_drop(struct ifstat_link *l, bool keep_pins);
/* Frees, leaving what is attached and pinned as it is (a tool that
 * attaches and exits). */
void ifstat_link_release(struct ifstat_link *l);
/* A program of ours counts the interface of the link's name now (this
 * process's or another's). */
bool ifstat_link_running(const struct ifstat_link *l);

enum ifstat_dirs ifstat_link_dirs(const struct ifstat_link *l);
/* The ifindex counted now, 0 when none. */
int ifstat_link_ifindex(const struct ifstat_link *l);
const char *ifstat_link_name(const struct ifstat_link *l);
/* What counts direction dir now: "xdp", "tc", or "none" (with mode). */
const char *ifstat_link_hook(const struct ifstat_link *l, unsigned int dir);
/* "native", "generic", "clsact", "none". */
const char *ifstat_link_mode(const struct ifstat_link *l, unsigned int dir);
/* True when open() found pinned counters and continues them. */
bool ifstat_link_reused(const struct ifstat_link *l);
const char *ifstat_link_pin_dir(const struct ifstat_link *l);

/* One direction's counters, summed over the CPUs. */
int ifstat_link_read(struct ifstat_link *l, unsigned int dir,
		     struct ifstat_snapshot *snap);

/* A program of the link for BPF_PROG_TEST_RUN, loaded first if needed. */
enum ifstat_prog {
	IFSTAT_PROG_XDP,
	IFSTAT_PROG_TC_IN,
	IFSTAT_PROG_TC_OUT,
};
#define IFSTAT_NPROGS 3
int ifstat_link_prog_fd(struct ifstat_link *l, enum ifstat_prog prog);

/* Wall clock in ms since 1970: the unit of the epoch, and of the time
 * of a snapshot, so that the two compare. */
uint64_t ifstat_now_ms(void);
/* Where a link pins the state of ifname in this network namespace:
 * pin_root/IFACE, or pin_root/IFACE@NETNS_INODE outside the host's. */
void ifstat_engine_pin_dir_of(const char *ifname, const char *pin_root,
			      char *buf, size_t len);

#endif
