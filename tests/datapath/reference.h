/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reference classifier for the differential test: what doc/semantics.md
 * says a frame should count as, computed in plain C on the byte buffer. It deliberately shares nothing
 * with the XDP program (not even ifstat_abi.h) so that a misreading of
 * the contract on either side shows up as a disagreement.
 */
#ifndef IFSTAT_TEST_REFERENCE_H
#define IFSTAT_TEST_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REF_MAX_FILTERS 64

/* Which fields a reference filter names. */
enum ref_field {
	REF_F_PROTO = 1u << 0,
	REF_F_SRC = 1u << 1,
	REF_F_DST = 1u << 2,
	REF_F_HOST = 1u << 3,
	REF_F_SRC_PORT = 1u << 4,
	REF_F_DST_PORT = 1u << 5,
	REF_F_PORT = 1u << 6,
	REF_F_VLAN = 1u << 7,
};

/* An address in wire order with a prefix length; bits past len are 0. */
struct ref_prefix {
	uint8_t addr[16];
	unsigned int len;
};

struct ref_range {
	uint16_t lo, hi; /* inclusive */
};

struct ref_filter {
	unsigned int fields; /* REF_F_* */
	uint8_t proto;
	uint8_t family; /* 4 or 6 when an address is named */
	uint16_t vlan;
	struct ref_prefix src, dst, host;
	struct ref_range src_port, dst_port, port;
};

/* What the reference learnt about one frame. */
struct ref_pkt {
	bool has_vid; /* outermost tag complete */
	uint16_t vid;
	unsigned int ntags; /* tags skipped (0-2) */
	int family; /* 4 or 6: valid IP header, addresses known; else 0 */
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes */
	bool proto_known;
	uint8_t proto;
	bool nonfirst_frag;
	bool ports_known;
	uint16_t sport, dport;
	unsigned int l4_off; /* where the upper-layer header starts */
	unsigned int reach; /* bytes the parser wanted to see, for dumps */
	unsigned int next_ext; /* IPv6 extension headers walked */
	bool non_ip, malformed;
	const char *why; /* short reason for malformed/non-IP, for dumps */
};

struct ref_result {
	struct ref_pkt pkt;
	uint64_t match; /* bit i: filter i matches */
	unsigned int bucket;
};

void ref_parse(const uint8_t *b, size_t len, struct ref_pkt *p);
bool ref_match(const struct ref_filter *f, const struct ref_pkt *p);
unsigned int ref_bucket(const uint32_t *edges, unsigned int nedges, size_t len);
void ref_classify(const uint8_t *b, size_t len, const struct ref_filter *fs,
		  unsigned int nf, const uint32_t *edges, unsigned int nedges,
		  struct ref_result *r);

/* The filter in the one-line form ("tcp src 192.0.2.0/24 port 22"). */
int ref_filter_format(const struct ref_filter *f, char *buf, size_t len);
/* A one-line account of ref_parse()'s view, for failure reports. */
void ref_pkt_describe(const struct ref_pkt *p, char *buf, size_t len);

#endif
