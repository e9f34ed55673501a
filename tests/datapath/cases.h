/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The data-path cases of doc/semantics.md: filters, frames and what each
 * frame must count, run through any of the programs (test_datapath runs
 * them at XDP, test_tc at XDP, tc ingress and tc egress).
 *
 * Every case is a list of filters and a list of frames; each frame says
 * which filters it must match (one '0'/'1' per filter), its size bucket
 * and whether it is non-IP and/or malformed. The expected counters are
 * summed from those lines only, never from running anything, and are
 * compared exactly after every frame, so a failure names the frame that
 * broke it.
 */
#ifndef IFSTAT_TEST_CASES_H
#define IFSTAT_TEST_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "runner.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define DP_MAX_FRAMES 12
#define DP_MAX_EXT 8

/* Addresses a frame gets when its case names none. */
#define S4 "192.0.2.1"
#define D4 "198.51.100.2"
#define S6 "2001:db8::1"
#define D6 "2001:db8:1::2"

struct dp_ext {
	uint8_t type; /* 0, 43, 60, 51 or 44 */
	uint8_t len; /* the header's length field (not for 44) */
	uint16_t off; /* 44: fragment offset in 8-byte units */
	uint8_t more; /* 44: M flag */
};

struct dp_frame {
	/* What is sent. */
	unsigned int ntags;
	uint16_t tpid[3], vid[3]; /* vid: the whole TCI */
	uint16_t type; /* EtherType after the tags; 0: the IP version's */
	int ip; /* 4, 6, or 0 for no IP header */
	uint8_t proto; /* IPv4 protocol / IPv6 upper-layer protocol */
	const char *src, *dst;
	unsigned int ihl; /* 0: 5 */
	uint16_t frag; /* IPv4 flags and fragment offset */
	unsigned int next; /* IPv6 extension headers in ext[] */
	struct dp_ext ext[DP_MAX_EXT];
	uint16_t sport, dport; /* TCP/UDP header after the IP headers */
	unsigned int doff; /* TCP data offset; 0: 5 */
	size_t poke_off; /* nonzero: byte overwritten after building */
	uint8_t poke_val;
	size_t len; /* L: padded with zeros or cut to it; 0 ends the list */
	/* What must be counted. */
	unsigned int bucket;
	const char *match; /* one '0'/'1' per filter */
	unsigned int non_ip, malformed;
};

struct dp_case {
	const char *name;
	/* "name=one-line form", ended by NULL */
	const char *filters[IFSTAT_MAX_FILTERS + 1];
	const uint32_t *edges; /* NULL: the defaults */
	unsigned int nedges;
	struct dp_frame frames[DP_MAX_FRAMES];
};

/* The tables read better one field group a line. */
/* clang-format off */
#define FILTERS(...) .filters = { __VA_ARGS__, NULL }
#define UDP4(s, d) .ip = 4, .proto = 17, .sport = (s), .dport = (d)
#define TCP4(s, d) .ip = 4, .proto = 6, .sport = (s), .dport = (d)
#define UDP6(s, d) .ip = 6, .proto = 17, .sport = (s), .dport = (d)
#define TCP6(s, d) .ip = 6, .proto = 6, .sport = (s), .dport = (d)
#define TAG1(t, v) .ntags = 1, .tpid = { t }, .vid = { v }
#define TAG2(t1, v1, t2, v2) .ntags = 2, .tpid = { t1, t2 }, .vid = { v1, v2 }
#define ARP .type = 0x0806
#define EXT(t, l) { .type = (t), .len = (l) }
#define FRAG(o, m) { .type = 44, .off = (o), .more = (m) }
#define D2048 EXT(60, 255) /* (255 + 1) * 8 bytes */

/* clang-format on */

extern const struct dp_case dp_cases[];
extern const unsigned int dp_ncases;
/* The edges of doc/semantics.md rule 2, written out; and 100 200 9000. */
extern const uint32_t dp_design_edges[6];
extern const uint32_t dp_edges_3[3];

/* IFSTAT_MAX_FILTERS filters all matching its one frame, and one more
 * spec in filters[IFSTAT_MAX_FILTERS] (a set over the limit). */
const struct dp_case *dp_max_filters_case(void);

void dp_build(struct frame *f, const struct dp_frame *d);

/* Whether a frame can be run (a test run of some program refuses it). */
typedef int dp_takes_fn(const struct frame *f);

/*
 * Installs c's filters into r's fresh maps and runs its frames, checking
 * every counter after each one (cmocka failures). Frames that takes
 * (NULL: every frame) refuses are left out, said, and not expected; none
 * left to run is a skip. The last snapshot is left in *snap.
 */
void dp_run_case(struct runner *r, const struct dp_case *c, dp_takes_fn *takes,
		 struct ifstat_snapshot *snap);

/* 0 when the programs load; else says why and returns the test's exit
 * status (77: skipped, not root). */
int dp_can_load(void);

#endif
