/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Runs frames through the real program with BPF_PROG_TEST_RUN. */
#ifndef IFSTAT_TEST_RUNNER_H
#define IFSTAT_TEST_RUNNER_H

#include "engine.h"
#include "frame.h"

struct runner {
	struct ifstat_engine *e;
	int prog_fd;
};

/* Loads the program with fresh, unpinned maps. 0 or -errno. */
int runner_open(struct runner *r);
void runner_close(struct runner *r);

/* Installs filters given as "name=one-line form"; edges NULL: default. */
int runner_filters(struct runner *r, const char *const *specs, unsigned int n,
		   const uint32_t *edges, unsigned int nedges);

/* Runs one frame; fails (returns -1 and prints why) unless the verdict is
 * XDP_PASS and the frame comes back unchanged. */
int runner_run(struct runner *r, const struct frame *f);

int runner_read(struct runner *r, struct ifstat_snapshot *s);

#endif
