/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Builds test frames byte by byte, in the order they appear on the wire.
 * Shared by the data-path tests, the differential test, the pcap writer
 * and the benchmark. Addresses are documentation ranges.
 */
#ifndef IFSTAT_TEST_FRAME_H
#define IFSTAT_TEST_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_MAX 16384

struct frame {
	uint8_t b[FRAME_MAX];
	size_t len;
	size_t ip_off[2]; /* where the IPv4 / IPv6 header starts */
	int ip_ver[2];
};

void frame_init(struct frame *f);
void frame_bytes(struct frame *f, const void *p, size_t n);
void frame_zero(struct frame *f, size_t n);

/* Ethernet: fixed MACs, then the given TPIDs/VIDs, then EtherType. */
void frame_eth(struct frame *f, uint16_t type);
void frame_eth_tags(struct frame *f, unsigned int ntags, const uint16_t *tpid,
		    const uint16_t *vid, uint16_t type);

/* IPv4 header of ihl 32-bit words (5..15); frag is the host-order
 * flags+offset field (0x2000 = MF, offset in 8-byte units). Addresses as
 * dotted strings. Total length and checksum are filled by frame_finish. */
void frame_ipv4(struct frame *f, uint8_t proto, const char *src,
		const char *dst, unsigned int ihl, uint16_t frag);
void frame_ipv6(struct frame *f, uint8_t nexthdr, const char *src,
		const char *dst);
/* An IPv6 extension header: hop-by-hop, routing, destination options
 * (len in 8-octet units, minus 1) or AH (len in 4-octet units, minus 2). */
void frame_ext(struct frame *f, uint8_t type, uint8_t next, uint8_t len);
/* IPv6 fragment header: offset in 8-byte units. */
void frame_frag6(struct frame *f, uint8_t next, uint16_t offset, int more);
void frame_tcp(struct frame *f, uint16_t sport, uint16_t dport);
/* TCP with a data offset of doff words (5..15): NOP options after 20. */
void frame_tcp_doff(struct frame *f, uint16_t sport, uint16_t dport,
		    unsigned int doff);
void frame_udp(struct frame *f, uint16_t sport, uint16_t dport);

/* Pads with zeros to len (no-op when longer), fills IP lengths and the
 * IPv4 checksum as far as the headers are present. */
void frame_finish(struct frame *f, size_t len);
/* Cuts the frame to len bytes (for truncation cases). */
void frame_cut(struct frame *f, size_t len);

#endif
