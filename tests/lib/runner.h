/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Runs frames through the real program with BPF_PROG_TEST_RUN. */
#ifndef IFSTAT_TEST_RUNNER_H
#define IFSTAT_TEST_RUNNER_H

#include "engine.h"
#include "frame.h"

struct runner {
	struct ifstat_engine *e;
	struct ifstat_link *l;
	enum ifstat_prog prog;
	int prog_fd;
	/* tc programs: the skb's GSO fields for the next runs (0: none). */
	unsigned int gso_segs, gso_size;
};

/* Loads the XDP program with fresh, unpinned maps. 0 or -errno. */
int runner_open(struct runner *r);
/* The same with another of the programs (tc ingress, tc egress). */
int runner_open_prog(struct runner *r, enum ifstat_prog prog);
void runner_close(struct runner *r);

/* Installs filters given as "name=one-line form"; edges NULL: default. */
int runner_filters(struct runner *r, const char *const *specs, unsigned int n,
		   const uint32_t *edges, unsigned int nedges);

/* Runs one frame; fails (returns -1 and prints why) unless the verdict is
 * a pass (XDP_PASS, TC_ACT_UNSPEC) and the frame comes back unchanged. */
int runner_run(struct runner *r, const struct frame *f);

/* The counters of the program's direction. */
/* The counters of the program's direction. */
int runner_read(struct runner *r, struct ifstat_snapshot *s);

#endif
