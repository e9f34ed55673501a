/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Seeded random frames: VLAN stacks, IPv4 options and fragments, IPv6
 * extension chains, truncation around every header boundary, multi-buffer
 * jumbo frames, addresses, ports and VIDs from small pools so that
 * filters and frames meet often. The differential test runs them against
 * the reference classifier, test_tc through every program.
 */
#ifndef IFSTAT_TEST_GEN_H
#define IFSTAT_TEST_GEN_H

#include <stdint.h>

#include "frame.h"

#define MIN_FRAME 14 /* BPF_PROG_TEST_RUN refuses less for XDP */

struct rng {
	uint64_t s;
};

uint64_t mix64(uint64_t x);
uint64_t rnd(struct rng *r);
/* Uniform in [0, n). */
unsigned int below(struct rng *r, unsigned int n);
/* Uniform in [lo, hi]. */
unsigned int between(struct rng *r, unsigned int lo, unsigned int hi);
int chance(struct rng *r, unsigned int pct);
#define PICK(r, a) ((a)[below((r), sizeof(a) / sizeof((a)[0]))])

extern const uint16_t vid_pool[5];
void rand_v4(struct rng *r, uint8_t *a);
void rand_v6(struct rng *r, uint8_t *a);
uint16_t rand_port(struct rng *r);

/* Builds frame number seed into f; the same seed gives the same frame. */
void gen_frame(uint64_t seed, struct frame *f);
/* The seed of frame number index of a run seeded with seed. */
uint64_t frame_seed(uint64_t seed, uint64_t index);

/* A number from the environment (IFSTAT_SEED...), def when unset; exits
 * 2 when it is not a number. */
uint64_t env_u64(const char *name, uint64_t def);

#endif
