/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The engine's state, shared by its mechanism (engine.c: maps, load,
 * filter sets, reads) and its attach policy (attach.c). Not for users of
 * the engine: they see engine.h.
 */
#ifndef IFSTAT_ENGINE_IMPL_H
#define IFSTAT_ENGINE_IMPL_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "ifstat.skel.h"

struct ifstat_engine {
	struct ifstat_bpf *skel;
	struct xdp_program *xprog;
	struct ifstat_conf *conf; /* the mmapped configuration map */
	void *percpu; /* read buffer: one counters value per possible CPU */
	unsigned int ncpus;
	int ifindex;
	char ifname[IF_NAMESIZE];
	char pin_dir[PATH_MAX];
	bool pinned;
	bool resumed;
	bool reused;
	bool loaded;
	int lock_fd;
	int counters_fd;
	int conf_fd;
	size_t conf_len;
	enum ifstat_mode mode;
	char *vlog;
};

/* The maps pinned per instance, NULL-terminated. */
extern const char *const ifstat_pin_names[];

/* Logs a refused program (and the verifier's log with -v). */
void ifstat_engine_load_failed(struct ifstat_engine *e, int ret);

/* True when an ifstat program is attached to ifindex (alone or in a
 * dispatcher). */
bool ifstat_ours_attached(int ifindex);

#endif
