// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The data-path cases (cases.h) and the loop that runs and checks them. */
#include "cases.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

/* The tables read better one field group a line. */
/* clang-format off */
/* The columns of doc/semantics.md rule 2, written out rather than taken from the
 * ABI header so that a wrong default there is caught. */
const uint32_t dp_design_edges[6] = { 64, 127, 255, 511, 1023, 1512 };
const uint32_t dp_edges_3[3] = { 100, 200, 9000 };
static const uint32_t edges_1[] = { 64 };
static const uint32_t edges_15[] = { 100, 200, 300, 400, 500,
				     600, 700, 800, 900, 1000,
				     1100, 1200, 1300, 1400, 1500 };

const struct dp_case dp_cases[] = {
	/* Size buckets: each default edge and the frame one byte above. */
	{ "bucket edge 64|65", FILTERS("all=any", "dns=udp dst port 53"),
	  .frames = {
		  { UDP4(1024, 53), .len = 64, .bucket = 0, .match = "11" },
		  { UDP4(1024, 53), .len = 65, .bucket = 1, .match = "11" },
	  } },
	{ "bucket edge 127|128", FILTERS("all=any", "dns=udp dst port 53"),
	  .frames = {
		  { UDP4(1024, 53), .len = 127, .bucket = 1, .match = "11" },
		  { UDP4(1024, 53), .len = 128, .bucket = 2, .match = "11" },
	  } },
	{ "bucket edge 255|256", FILTERS("all=any", "dns=udp dst port 53"),
	  .frames = {
		  { UDP4(1024, 53), .len = 255, .bucket = 2, .match = "11" },
		  { UDP4(1024, 53), .len = 256, .bucket = 3, .match = "11" },
	  } },
	{ "bucket edge 511|512", FILTERS("all=any", "dns=udp dst port 53"),
	  .frames = {
		  { UDP4(1024, 53), .len = 511, .bucket = 3, .match = "11" },
		  { UDP4(1024, 53), .len = 512, .bucket = 4, .match = "11" },
	  } },
	{ "bucket edge 1023|1024", FILTERS("all=any", "dns=udp dst port 53"),
	  .frames = {
		  { UDP4(1024, 53), .len = 1023, .bucket = 4, .match = "11" },
		  { UDP4(1024, 53), .len = 1024, .bucket = 5, .match = "11" },
	  } },
	{ "bucket edge 1512|1513", FILTERS("all=any", "dns=udp dst port 53"),
	  .frames = {
		  { UDP6(1024, 53), .len = 1512, .bucket = 5, .match = "11" },
		  { UDP6(1024, 53), .len = 1513, .bucket = 6, .match = "11" },
	  } },
	{ "custom edges 100 200 9000 (4 buckets)", FILTERS("all=any"),
	  .edges = dp_edges_3, .nedges = 3,
	  .frames = {
		  { UDP4(1024, 53), .len = 100, .bucket = 0, .match = "1" },
		  { UDP4(1024, 53), .len = 101, .bucket = 1, .match = "1" },
		  { UDP4(1024, 53), .len = 200, .bucket = 1, .match = "1" },
		  { UDP4(1024, 53), .len = 201, .bucket = 2, .match = "1" },
		  { UDP4(1024, 53), .len = 9000, .bucket = 2, .match = "1" },
		  { UDP4(1024, 53), .len = 9001, .bucket = 3, .match = "1" },
	  } },
	{ "custom edges: 15 edges, 16 buckets", FILTERS("all=any"),
	  .edges = edges_15, .nedges = 15,
	  .frames = {
		  { UDP4(1024, 53), .len = 100, .bucket = 0, .match = "1" },
		  { UDP4(1024, 53), .len = 101, .bucket = 1, .match = "1" },
		  { UDP4(1024, 53), .len = 1500, .bucket = 14, .match = "1" },
		  { UDP4(1024, 53), .len = 1501, .bucket = 15, .match = "1" },
	  } },
	{ "custom edges: one edge, 2 buckets", FILTERS("all=any"),
	  .edges = edges_1, .nedges = 1,
	  .frames = {
		  { UDP4(1024, 53), .len = 64, .bucket = 0, .match = "1" },
		  { UDP4(1024, 53), .len = 65, .bucket = 1, .match = "1" },
		  { UDP4(1024, 53), .len = 9000, .bucket = 1, .match = "1" },
	  } },

	/* The smallest frame of each protocol: ports known. */
	{ "smallest UDP/IPv4 frame (42 bytes)",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "tcp=tcp"),
	  .frames = { { UDP4(1024, 53), .len = 42, .bucket = 0,
			.match = "110" } } },
	{ "smallest TCP/IPv4 frame (54 bytes)",
	  FILTERS("dport=tcp dst port 80", "sport=tcp src port 1024",
		  "udp=udp"),
	  .frames = { { TCP4(1024, 80), .len = 54, .bucket = 0,
			.match = "110" } } },
	{ "smallest UDP/IPv6 frame (62 bytes)",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "tcp=tcp"),
	  .frames = { { UDP6(1024, 53), .len = 62, .bucket = 0,
			.match = "110" } } },
	{ "smallest TCP/IPv6 frame (74 bytes)",
	  FILTERS("dport=tcp dst port 80", "sport=tcp src port 1024",
		  "udp=udp"),
	  .frames = { { TCP6(1024, 80), .len = 74, .bucket = 1,
			.match = "110" } } },

	/* IPv4 header validity. */
	{ "IPv4 options, ihl 6..15: ports after the options",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "src=src 192.0.2.1"),
	  .frames = {
		  { UDP4(1024, 53), .ihl = 6, .len = 100, .bucket = 1,
		    .match = "111" },
		  { UDP4(1024, 53), .ihl = 7, .len = 100, .bucket = 1,
		    .match = "111" },
		  { UDP4(1024, 53), .ihl = 8, .len = 100, .bucket = 1,
		    .match = "111" },
		  { UDP4(1024, 53), .ihl = 9, .len = 100, .bucket = 1,
		    .match = "111" },
		  { UDP4(1024, 53), .ihl = 10, .len = 100, .bucket = 1,
		    .match = "111" },
		  { UDP4(1024, 53), .ihl = 11, .len = 100, .bucket = 1,
		    .match = "111" },
		  { UDP4(1024, 53), .ihl = 12, .len = 100, .bucket = 1,
		    .match = "111" },
		  { UDP4(1024, 53), .ihl = 13, .len = 100, .bucket = 1,
		    .match = "111" },
		  { UDP4(1024, 53), .ihl = 14, .len = 100, .bucket = 1,
		    .match = "111" },
		  { UDP4(1024, 53), .ihl = 15, .len = 100, .bucket = 1,
		    .match = "111" },
	  } },
	{ "IPv4 ihl 15: 3 bytes of UDP malformed, 4 bytes ports known",
	  FILTERS("dport=udp dst port 53", "udp=udp", "src=src 192.0.2.1"),
	  .frames = {
		  { UDP4(1024, 53), .ihl = 15, .len = 77, .bucket = 1,
		    .match = "011", .malformed = 1 },
		  { UDP4(1024, 53), .ihl = 15, .len = 78, .bucket = 1,
		    .match = "111" },
	  } },
	{ "IPv4 ihl claiming more than the frame",
	  FILTERS("all=any", "gre=proto 47", "src=src 192.0.2.1"),
	  .frames = {
		  { .ip = 4, .proto = 47, .ihl = 6, .len = 37, .bucket = 0,
		    .match = "100", .malformed = 1 },
		  { .ip = 4, .proto = 47, .ihl = 6, .len = 38, .bucket = 0,
		    .match = "111" },
		  { .ip = 4, .proto = 47, .ihl = 15, .len = 73, .bucket = 1,
		    .match = "100", .malformed = 1 },
		  { .ip = 4, .proto = 47, .ihl = 15, .len = 74, .bucket = 1,
		    .match = "111" },
	  } },
	{ "IPv4 IHL < 5",
	  FILTERS("all=any", "udp=udp", "src=src 192.0.2.1",
		  "ports=port 0-65535"),
	  .frames = {
		  { UDP4(1024, 53), .poke_off = 14, .poke_val = 0x44,
		    .len = 64, .bucket = 0, .match = "1000", .malformed = 1 },
		  { UDP4(1024, 53), .poke_off = 14, .poke_val = 0x40,
		    .len = 64, .bucket = 0, .match = "1000", .malformed = 1 },
	  } },
	{ "wrong IP version",
	  FILTERS("all=any", "udp=udp", "src4=src 192.0.2.1",
		  "src6=src 2001:db8::1"),
	  .frames = {
		  /* EtherType IPv4, version 6 / 0. */
		  { UDP4(1024, 53), .poke_off = 14, .poke_val = 0x65,
		    .len = 64, .bucket = 0, .match = "1000", .malformed = 1 },
		  { UDP4(1024, 53), .poke_off = 14, .poke_val = 0x05,
		    .len = 64, .bucket = 0, .match = "1000", .malformed = 1 },
		  /* EtherType IPv6, version 4 / 7. */
		  { UDP6(1024, 53), .poke_off = 14, .poke_val = 0x40,
		    .len = 80, .bucket = 1, .match = "1000", .malformed = 1 },
		  { UDP6(1024, 53), .poke_off = 14, .poke_val = 0x70,
		    .len = 80, .bucket = 1, .match = "1000", .malformed = 1 },
	  } },
	{ "invalid IPv4 header under a tag still matches vlan",
	  FILTERS("all=any", "vlan=vlan 100", "vudp=vlan 100 udp",
		  "src=src 192.0.2.1"),
	  .frames = { { TAG1(0x8100, 100), UDP4(1024, 53), .poke_off = 18,
			.poke_val = 0x44, .len = 64, .bucket = 0,
			.match = "1100", .malformed = 1 } } },

	/* IPv4 fragments. */
	{ "IPv4 first fragment (MF, offset 0) and DF: ports known",
	  FILTERS("dport=udp dst port 53", "udp=udp", "all=any"),
	  .frames = {
		  { UDP4(1024, 53), .frag = 0x2000, .len = 64, .bucket = 0,
		    .match = "111" },
		  { UDP4(1024, 53), .frag = 0x4000, .len = 64, .bucket = 0,
		    .match = "111" },
	  } },
	{ "IPv4 non-first fragments: protocol known, ports unknown",
	  FILTERS("dport=udp dst port 53", "udp=udp", "all=any",
		  "port=port 53", "src=src 192.0.2.1"),
	  .frames = {
		  /* The UDP bytes with port 53 are there but are not a
		   * header. */
		  { UDP4(1024, 53), .frag = 0x20b9, .len = 64, .bucket = 0,
		    .match = "01101" },
		  { UDP4(1024, 53), .frag = 0x0001, .len = 64, .bucket = 0,
		    .match = "01101" },
		  { UDP4(1024, 53), .frag = 0x1fff, .len = 64, .bucket = 0,
		    .match = "01101" },
		  { UDP4(1024, 53), .frag = 0x0100, .len = 64, .bucket = 0,
		    .match = "01101" },
	  } },
	{ "IPv4 non-first fragment with no L4 bytes is not malformed",
	  FILTERS("dport=udp dst port 53", "udp=udp", "all=any"),
	  .frames = { { UDP4(1024, 53), .frag = 0x0010, .len = 34,
			.bucket = 0, .match = "011" } } },

	/* IPv6 fragments. */
	{ "IPv6 first fragment (offset 0, M) and atomic fragment",
	  FILTERS("dport=udp dst port 53", "udp=udp", "all=any"),
	  .frames = {
		  { UDP6(1024, 53), .next = 1, .ext = { FRAG(0, 1) },
		    .len = 70, .bucket = 1, .match = "111" },
		  { UDP6(1024, 53), .next = 1, .ext = { FRAG(0, 0) },
		    .len = 70, .bucket = 1, .match = "111" },
	  } },
	{ "IPv6 non-first fragments: protocol known, ports unknown",
	  FILTERS("dport=udp dst port 53", "port=port 53", "udp=udp",
		  "src=src 2001:db8::1", "all=any"),
	  .frames = {
		  { UDP6(1024, 53), .next = 1, .ext = { FRAG(100, 1) },
		    .len = 70, .bucket = 1, .match = "00111" },
		  { UDP6(1024, 53), .next = 2,
		    .ext = { EXT(0, 0), FRAG(1, 0) }, .len = 78, .bucket = 1,
		    .match = "00111" },
		  { UDP6(1024, 53), .next = 1, .ext = { FRAG(0x1fff, 0) },
		    .len = 70, .bucket = 1, .match = "00111" },
	  } },
	{ "IPv6 non-first fragment ending the frame, next header 60",
	  FILTERS("p60=proto 60", "all=any", "udp=udp"),
	  .frames = { { .ip = 6, .proto = 60, .next = 1,
			.ext = { FRAG(5, 1) }, .len = 62, .bucket = 0,
			.match = "110" } } },
	{ "IPv6 fragment header cut",
	  FILTERS("all=any", "src=src 2001:db8::1", "udp=udp",
		  "nonxt=proto 59"),
	  .frames = {
		  { .ip = 6, .proto = 59, .next = 1, .ext = { FRAG(0, 1) },
		    .len = 61, .bucket = 0, .match = "1100",
		    .malformed = 1 },
		  { .ip = 6, .proto = 59, .next = 1, .ext = { FRAG(0, 1) },
		    .len = 62, .bucket = 0, .match = "1101" },
		  { .ip = 6, .proto = 17, .next = 1, .ext = { FRAG(9, 1) },
		    .len = 61, .bucket = 0, .match = "1100",
		    .malformed = 1 },
	  } },

	/* IPv6 extension headers: each, a chain, 6 and 7. */
	{ "IPv6 hop-by-hop (0)",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "udp=udp"),
	  .frames = { { UDP6(1024, 53), .next = 1, .ext = { EXT(0, 0) },
			.len = 70, .bucket = 1, .match = "111" } } },
	{ "IPv6 routing (43), 16 bytes",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "udp=udp"),
	  .frames = { { UDP6(1024, 53), .next = 1, .ext = { EXT(43, 1) },
			.len = 78, .bucket = 1, .match = "111" } } },
	{ "IPv6 destination options (60), 24 bytes",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "udp=udp"),
	  .frames = { { UDP6(1024, 53), .next = 1, .ext = { EXT(60, 2) },
			.len = 86, .bucket = 1, .match = "111" } } },
	{ "IPv6 AH (51), (n+2)*4: 12 and 24 bytes",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "udp=udp"),
	  .frames = {
		  { UDP6(1024, 53), .next = 1, .ext = { EXT(51, 1) },
		    .len = 74, .bucket = 1, .match = "111" },
		  { UDP6(1024, 53), .next = 1, .ext = { EXT(51, 4) },
		    .len = 86, .bucket = 1, .match = "111" },
	  } },
	{ "IPv6 chain 0 43 60 51 44 then TCP",
	  FILTERS("dport=tcp dst port 80", "sport=tcp src port 1024",
		  "tcp=tcp"),
	  .frames = { { TCP6(1024, 80), .next = 5,
			.ext = { EXT(0, 0), EXT(43, 1), EXT(60, 0),
				 EXT(51, 1), FRAG(0, 1) },
			.len = 126, .bucket = 1, .match = "111" } } },
	{ "IPv6 chain of exactly 6 extension headers",
	  FILTERS("dport=udp dst port 53", "udp=udp", "src=src 2001:db8::1",
		  "dst=dst 2001:db8:1::2", "all=any", "port=port 53",
		  "srcport=src 2001:db8::1 port 53", "p0=proto 0"),
	  .frames = { { UDP6(1024, 53), .next = 6,
			.ext = { EXT(0, 0), EXT(43, 0), EXT(60, 0),
				 EXT(51, 0), FRAG(0, 0), EXT(60, 0) },
			.len = 110, .bucket = 1, .match = "11111110" } } },
	{ "IPv6 chain of 7: unknown protocol, addresses known",
	  FILTERS("dport=udp dst port 53", "udp=udp", "src=src 2001:db8::1",
		  "dst=dst 2001:db8:1::2", "all=any", "port=port 53",
		  "srcport=src 2001:db8::1 port 53", "p0=proto 0"),
	  .frames = {
		  { UDP6(1024, 53), .next = 7,
		    .ext = { EXT(60, 0), EXT(60, 0), EXT(60, 0), EXT(60, 0),
			     EXT(60, 0), EXT(60, 0), EXT(60, 0) },
		    .len = 118, .bucket = 1, .match = "00111000",
		    .malformed = 1 },
		  /* The seventh is a non-first fragment: still not walked. */
		  { UDP6(1024, 53), .next = 7,
		    .ext = { EXT(60, 0), EXT(60, 0), EXT(60, 0), EXT(60, 0),
			     EXT(60, 0), EXT(60, 0), FRAG(5, 0) },
		    .len = 118, .bucket = 1, .match = "00111000",
		    .malformed = 1 },
	  } },
	{ "IPv6 extension header leaving the frame",
	  FILTERS("all=any", "src=src 2001:db8::1", "udp=udp",
		  "nonxt=proto 59", "p0=proto 0"),
	  .frames = {
		  { .ip = 6, .proto = 59, .next = 1, .ext = { EXT(60, 1) },
		    .len = 69, .bucket = 1, .match = "11000",
		    .malformed = 1 },
		  { .ip = 6, .proto = 59, .next = 1, .ext = { EXT(60, 1) },
		    .len = 70, .bucket = 1, .match = "11010" },
		  { .ip = 6, .proto = 59, .next = 1, .ext = { EXT(60, 1) },
		    .len = 57, .bucket = 0, .match = "11000",
		    .malformed = 1 },
		  { .ip = 6, .proto = 59, .next = 1, .ext = { EXT(51, 4) },
		    .len = 77, .bucket = 1, .match = "11000",
		    .malformed = 1 },
		  { .ip = 6, .proto = 59, .next = 1, .ext = { EXT(51, 4) },
		    .len = 78, .bucket = 1, .match = "11010" },
		  /* Next header says hop-by-hop, nothing follows. */
		  { .ip = 6, .proto = 0, .len = 54, .bucket = 0,
		    .match = "11000", .malformed = 1 },
	  } },

	/* VLAN tags. */
	{ "one tag 0x8100",
	  FILTERS("vlan=vlan 100", "other=vlan 101",
		  "vdns=vlan 100 udp dst port 53", "dns=udp dst port 53"),
	  .frames = { { TAG1(0x8100, 100), UDP4(1024, 53), .len = 64,
			.bucket = 0, .match = "1011" } } },
	{ "one tag 0x88a8",
	  FILTERS("vlan=vlan 100", "other=vlan 101",
		  "vdns=vlan 100 udp dst port 53", "dns=udp dst port 53"),
	  .frames = { { TAG1(0x88a8, 100), UDP6(1024, 53), .len = 80,
			.bucket = 1, .match = "1011" } } },
	{ "tag with PCP and DEI bits: VID is the low 12 bits",
	  FILTERS("vlan=vlan 100", "other=vlan 4094"),
	  .frames = { { TAG1(0x8100, 0xf064), UDP4(1024, 53), .len = 64,
			.bucket = 0, .match = "10" } } },
	{ "two tags 0x88a8 then 0x8100: outer VID only",
	  FILTERS("outer=vlan 100", "inner=vlan 200",
		  "vdns=vlan 100 udp dst port 53", "dns=udp dst port 53"),
	  .frames = { { TAG2(0x88a8, 100, 0x8100, 200), UDP4(1024, 53),
			.len = 64, .bucket = 0, .match = "1011" } } },
	{ "two tags 0x8100 then 0x88a8: outer VID only",
	  FILTERS("outer=vlan 100", "inner=vlan 200",
		  "vdns=vlan 100 udp dst port 53", "dns=udp dst port 53"),
	  .frames = { { TAG2(0x8100, 100, 0x88a8, 200), UDP6(1024, 53),
			.len = 80, .bucket = 1, .match = "1011" } } },
	{ "two tags 0x8100 0x8100",
	  FILTERS("outer=vlan 100", "inner=vlan 200",
		  "vdns=vlan 100 udp dst port 53", "dns=udp dst port 53"),
	  .frames = { { TAG2(0x8100, 100, 0x8100, 200), UDP4(1024, 53),
			.len = 64, .bucket = 0, .match = "1011" } } },
	{ "third tag: non-IP, outer VID still known",
	  FILTERS("outer=vlan 100", "third=vlan 300", "udp=udp",
		  "src=src 192.0.2.1", "all=any"),
	  .frames = { { .ntags = 3, .tpid = { 0x8100, 0x88a8, 0x8100 },
			.vid = { 100, 200, 300 }, UDP4(1024, 53), .len = 64,
			.bucket = 0, .match = "10001", .non_ip = 1 } } },
	{ "untagged frame does not match a vlan filter",
	  FILTERS("vlan=vlan 100", "all=any"),
	  .frames = { { UDP4(1024, 53), .len = 64, .bucket = 0,
			.match = "01" } } },

	/* Non-IP. */
	{ "ARP (non-IP), untagged and tagged",
	  FILTERS("all=any", "p0=proto 0", "src4=src 0.0.0.0/0",
		  "src6=src ::/0", "vlan=vlan 100", "ports=port 0-65535"),
	  .frames = {
		  { ARP, .len = 42, .bucket = 0, .match = "100000",
		    .non_ip = 1 },
		  { TAG1(0x8100, 100), ARP, .len = 64, .bucket = 0,
		    .match = "100010", .non_ip = 1 },
	  } },

	/* Truncation at every header boundary. */
	{ "Ethernet shorter than 14 bytes", FILTERS("all=any", "vlan=vlan 100"),
	  .frames = { { UDP4(1024, 53), .len = 13, .bucket = 0,
			.match = "10", .non_ip = 1, .malformed = 1 } } },
	{ "Ethernet header only (14 bytes)",
	  FILTERS("all=any", "src4=src 0.0.0.0/0", "src6=src ::/0"),
	  .frames = {
		  { .type = 0x0800, .len = 14, .bucket = 0, .match = "100",
		    .malformed = 1 },
		  { .type = 0x86dd, .len = 14, .bucket = 0, .match = "100",
		    .malformed = 1 },
		  { ARP, .len = 14, .bucket = 0, .match = "100",
		    .non_ip = 1 },
	  } },
	{ "VLAN tag cut inside the tag",
	  FILTERS("all=any", "vlan=vlan 100"),
	  .frames = {
		  { TAG1(0x8100, 100), UDP4(1024, 53), .len = 14,
		    .bucket = 0, .match = "10", .non_ip = 1,
		    .malformed = 1 },
		  { TAG1(0x8100, 100), UDP4(1024, 53), .len = 16,
		    .bucket = 0, .match = "10", .non_ip = 1,
		    .malformed = 1 },
		  { TAG1(0x88a8, 100), UDP4(1024, 53), .len = 17,
		    .bucket = 0, .match = "10", .non_ip = 1,
		    .malformed = 1 },
	  } },
	{ "second VLAN tag cut: outer VID known",
	  FILTERS("all=any", "vlan=vlan 100", "inner=vlan 200"),
	  .frames = {
		  { TAG2(0x88a8, 100, 0x8100, 200), UDP4(1024, 53),
		    .len = 20, .bucket = 0, .match = "110", .non_ip = 1,
		    .malformed = 1 },
		  { TAG2(0x88a8, 100, 0x8100, 200), UDP4(1024, 53),
		    .len = 21, .bucket = 0, .match = "110", .non_ip = 1,
		    .malformed = 1 },
	  } },
	{ "tag complete, IPv4 header missing",
	  FILTERS("all=any", "vlan=vlan 100", "udp=udp"),
	  .frames = { { TAG1(0x8100, 100), UDP4(1024, 53), .len = 18,
			.bucket = 0, .match = "110", .malformed = 1 } } },
	{ "IPv4 header cut at 19 bytes; 20 bytes valid",
	  FILTERS("all=any", "gre=proto 47", "src=src 192.0.2.1"),
	  .frames = {
		  { .ip = 4, .proto = 47, .len = 33, .bucket = 0,
		    .match = "100", .malformed = 1 },
		  { .ip = 4, .proto = 47, .len = 34, .bucket = 0,
		    .match = "111" },
	  } },
	{ "IPv6 header cut at 39 bytes; 40 bytes valid",
	  FILTERS("all=any", "nonxt=proto 59", "src=src 2001:db8::1"),
	  .frames = {
		  { .ip = 6, .proto = 59, .len = 53, .bucket = 0,
		    .match = "100", .malformed = 1 },
		  { .ip = 6, .proto = 59, .len = 54, .bucket = 0,
		    .match = "111" },
	  } },
	{ "UDP/IPv4 with 0..3 bytes of L4 header: malformed",
	  FILTERS("udp=udp", "dport=udp dst port 53", "ports=port 0-65535",
		  "src=src 192.0.2.1"),
	  .frames = {
		  { UDP4(1024, 53), .len = 34, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { UDP4(1024, 53), .len = 35, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { UDP4(1024, 53), .len = 36, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { UDP4(1024, 53), .len = 37, .bucket = 0, .match = "1001",
		    .malformed = 1 },
	  } },
	{ "UDP/IPv4 with exactly 4 bytes of L4 header: ports known",
	  FILTERS("udp=udp", "dport=udp dst port 53", "ports=port 0-65535",
		  "src=src 192.0.2.1"),
	  .frames = { { UDP4(1024, 53), .len = 38, .bucket = 0,
			.match = "1111" } } },
	{ "TCP/IPv4 with 0..3 bytes of L4 header: malformed",
	  FILTERS("tcp=tcp", "dport=tcp dst port 80", "ports=port 0-65535",
		  "src=src 192.0.2.1"),
	  .frames = {
		  { TCP4(1024, 80), .len = 34, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { TCP4(1024, 80), .len = 35, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { TCP4(1024, 80), .len = 36, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { TCP4(1024, 80), .len = 37, .bucket = 0, .match = "1001",
		    .malformed = 1 },
	  } },
	{ "TCP/IPv4 with exactly 4 bytes of L4 header: ports known",
	  FILTERS("tcp=tcp", "dport=tcp dst port 80", "ports=port 0-65535",
		  "src=src 192.0.2.1"),
	  .frames = { { TCP4(1024, 80), .len = 38, .bucket = 0,
			.match = "1111" } } },
	{ "UDP/IPv6 with 0..3 bytes of L4 header: malformed",
	  FILTERS("udp=udp", "dport=udp dst port 53", "ports=port 0-65535",
		  "src=src 2001:db8::1"),
	  .frames = {
		  { UDP6(1024, 53), .len = 54, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { UDP6(1024, 53), .len = 55, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { UDP6(1024, 53), .len = 56, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { UDP6(1024, 53), .len = 57, .bucket = 0, .match = "1001",
		    .malformed = 1 },
	  } },
	{ "UDP/IPv6 with exactly 4 bytes of L4 header: ports known",
	  FILTERS("udp=udp", "dport=udp dst port 53", "ports=port 0-65535",
		  "src=src 2001:db8::1"),
	  .frames = { { UDP6(1024, 53), .len = 58, .bucket = 0,
			.match = "1111" } } },
	{ "TCP/IPv6 with 0..3 bytes of L4 header: malformed",
	  FILTERS("tcp=tcp", "dport=tcp dst port 80", "ports=port 0-65535",
		  "src=src 2001:db8::1"),
	  .frames = {
		  { TCP6(1024, 80), .len = 54, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { TCP6(1024, 80), .len = 55, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { TCP6(1024, 80), .len = 56, .bucket = 0, .match = "1001",
		    .malformed = 1 },
		  { TCP6(1024, 80), .len = 57, .bucket = 0, .match = "1001",
		    .malformed = 1 },
	  } },
	{ "TCP/IPv6 with exactly 4 bytes of L4 header: ports known",
	  FILTERS("tcp=tcp", "dport=tcp dst port 80", "ports=port 0-65535",
		  "src=src 2001:db8::1"),
	  .frames = { { TCP6(1024, 80), .len = 58, .bucket = 0,
			.match = "1111" } } },
	{ "UDP after an IPv6 extension header, 3 vs 4 bytes",
	  FILTERS("udp=udp", "dport=udp dst port 53"),
	  .frames = {
		  { UDP6(1024, 53), .next = 1, .ext = { EXT(60, 0) },
		    .len = 65, .bucket = 1, .match = "10", .malformed = 1 },
		  { UDP6(1024, 53), .next = 1, .ext = { EXT(60, 0) },
		    .len = 66, .bucket = 1, .match = "11" },
	  } },

	/* Prefixes at their edges. */
	{ "prefix /0: IPv4 0.0.0.0/0 and IPv6 ::/0",
	  FILTERS("s4=src 0.0.0.0/0", "d6=dst ::/0", "h4=host 0.0.0.0/0",
		  "h6=host ::/0"),
	  .frames = {
		  { UDP4(1024, 53), .len = 64, .bucket = 0, .match = "1010" },
		  { UDP6(1024, 53), .len = 80, .bucket = 1, .match = "0101" },
		  { ARP, .len = 42, .bucket = 0, .match = "0000",
		    .non_ip = 1 },
	  } },
	{ "prefix /1",
	  FILTERS("hi=src 128.0.0.0/1", "lo=src 0.0.0.0/1",
		  "dhi=dst 128.0.0.0/1", "dlo=dst 0.0.0.0/1"),
	  .frames = {
		  { UDP4(1024, 53), .len = 64, .bucket = 0, .match = "1010" },
		  { UDP4(1024, 53), .src = "203.0.113.255",
		    .dst = "198.51.100.0", .len = 64, .bucket = 0,
		    .match = "1010" },
	  } },
	/* 192.0.3.0 is not a documentation address, so the /24 edge is
	 * tested with the neighbouring prefix in the filter instead. */
	{ "prefix /24 edges (and /23, /25)",
	  FILTERS("p24=src 192.0.2.0/24", "next24=src 192.0.3.0/24",
		  "p23=src 192.0.2.0/23", "lo25=src 192.0.2.0/25",
		  "hi25=src 192.0.2.128/25"),
	  .frames = {
		  { UDP4(1024, 53), .src = "192.0.2.0", .len = 64,
		    .bucket = 0, .match = "10110" },
		  { UDP4(1024, 53), .src = "192.0.2.127", .len = 64,
		    .bucket = 0, .match = "10110" },
		  { UDP4(1024, 53), .src = "192.0.2.128", .len = 64,
		    .bucket = 0, .match = "10101" },
		  { UDP4(1024, 53), .src = "192.0.2.255", .len = 64,
		    .bucket = 0, .match = "10101" },
		  { UDP4(1024, 53), .src = "198.51.100.1", .len = 64,
		    .bucket = 0, .match = "00000" },
	  } },
	{ "prefix /32 and /31",
	  FILTERS("d2=dst 198.51.100.2", "d3=dst 198.51.100.3/32",
		  "d31=dst 198.51.100.2/31"),
	  .frames = {
		  { UDP4(1024, 53), .dst = "198.51.100.1", .len = 64,
		    .bucket = 0, .match = "000" },
		  { UDP4(1024, 53), .dst = "198.51.100.2", .len = 64,
		    .bucket = 0, .match = "101" },
		  { UDP4(1024, 53), .dst = "198.51.100.3", .len = 64,
		    .bucket = 0, .match = "011" },
		  { UDP4(1024, 53), .dst = "198.51.100.4", .len = 64,
		    .bucket = 0, .match = "000" },
	  } },
	{ "IPv6 prefix /32 and /33",
	  FILTERS("p32=src 2001:db8::/32", "next32=src 2001:db9::/32",
		  "lo33=src 2001:db8::/33", "hi33=src 2001:db8:8000::/33"),
	  .frames = {
		  { UDP6(1024, 53), .src = "2001:db8::", .len = 80,
		    .bucket = 1, .match = "1010" },
		  { UDP6(1024, 53),
		    .src = "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff",
		    .len = 80, .bucket = 1, .match = "1010" },
		  { UDP6(1024, 53), .src = "2001:db8:8000::", .len = 80,
		    .bucket = 1, .match = "1001" },
		  { UDP6(1024, 53),
		    .src = "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
		    .len = 80, .bucket = 1, .match = "1001" },
	  } },
	{ "IPv6 prefix /128, /127, /126 (every word compared)",
	  FILTERS("one=src 2001:db8::1", "one128=src 2001:db8::1/128",
		  "p127=src 2001:db8::/127", "p126=src 2001:db8::/126"),
	  .frames = {
		  { UDP6(1024, 53), .src = "2001:db8::", .len = 80,
		    .bucket = 1, .match = "0011" },
		  { UDP6(1024, 53), .src = "2001:db8::1", .len = 80,
		    .bucket = 1, .match = "1111" },
		  { UDP6(1024, 53), .src = "2001:db8::2", .len = 80,
		    .bucket = 1, .match = "0001" },
		  { UDP6(1024, 53), .src = "2001:db8::3", .len = 80,
		    .bucket = 1, .match = "0001" },
		  { UDP6(1024, 53), .src = "2001:db8::4", .len = 80,
		    .bucket = 1, .match = "0000" },
		  { UDP6(1024, 53), .src = "2001:db8::1:1", .len = 80,
		    .bucket = 1, .match = "0000" },
		  { UDP6(1024, 53), .src = "2001:db8::1:0:0:1", .len = 80,
		    .bucket = 1, .match = "0000" },
		  { UDP6(1024, 53), .src = "2001:db8:0:1::1", .len = 80,
		    .bucket = 1, .match = "0000" },
	  } },
	{ "IPv6 prefix /64 and /96",
	  FILTERS("p64=src 2001:db8:0:1::/64", "p96=src 2001:db8:0:1:0:1::/96"),
	  .frames = {
		  { UDP6(1024, 53), .src = "2001:db8:0:1::1", .len = 80,
		    .bucket = 1, .match = "10" },
		  { UDP6(1024, 53), .src = "2001:db8:0:1:0:1:ffff:ffff",
		    .len = 80, .bucket = 1, .match = "11" },
		  { UDP6(1024, 53), .src = "2001:db8:0:1:0:2::1", .len = 80,
		    .bucket = 1, .match = "10" },
		  { UDP6(1024, 53), .src = "2001:db8:0:2::1", .len = 80,
		    .bucket = 1, .match = "00" },
		  { UDP6(1024, 53), .src = "2001:db8::ffff:ffff:ffff:ffff",
		    .len = 80, .bucket = 1, .match = "00" },
	  } },
	{ "address family: IPv4 filter vs IPv6 frame and vice versa",
	  FILTERS("s4=src 0.0.0.0/0", "h6=host 2001:db8::/32",
		  "h4=host 192.0.2.0/24", "d4=dst 198.51.100.2",
		  "d6=dst 2001:db8:1::2"),
	  .frames = {
		  { UDP4(1024, 53), .len = 64, .bucket = 0,
		    .match = "10110" },
		  { UDP6(1024, 53), .len = 80, .bucket = 1,
		    .match = "01001" },
	  } },

	/* Both directions. */
	{ "host, src, dst in both directions (IPv4)",
	  FILTERS("host=host 192.0.2.1", "src=src 192.0.2.1",
		  "dst=dst 192.0.2.1", "pair=src 198.51.100.2 dst 192.0.2.1"),
	  .frames = {
		  { UDP4(1024, 53), .src = S4, .dst = D4, .len = 64,
		    .bucket = 0, .match = "1100" },
		  { UDP4(53, 1024), .src = D4, .dst = S4, .len = 64,
		    .bucket = 0, .match = "1011" },
		  { UDP4(1024, 53), .src = "203.0.113.5", .dst = D4,
		    .len = 64, .bucket = 0, .match = "0000" },
		  { UDP4(1024, 53), .src = S4, .dst = S4, .len = 64,
		    .bucket = 0, .match = "1110" },
	  } },
	{ "host, src, dst in both directions (IPv6)",
	  FILTERS("host=host 2001:db8::1", "src=src 2001:db8::1",
		  "dst=dst 2001:db8::1"),
	  .frames = {
		  { UDP6(1024, 53), .src = S6, .dst = D6, .len = 80,
		    .bucket = 1, .match = "110" },
		  { UDP6(53, 1024), .src = D6, .dst = S6, .len = 80,
		    .bucket = 1, .match = "101" },
		  { UDP6(1024, 53), .src = "2001:db8:2::3", .dst = D6,
		    .len = 80, .bucket = 1, .match = "000" },
	  } },
	{ "port, src port, dst port in both directions",
	  FILTERS("port=port 53", "sport=src port 53", "dport=dst port 53",
		  "tport=tcp port 53"),
	  .frames = {
		  { UDP4(53, 1024), .len = 64, .bucket = 0, .match = "1100" },
		  { UDP4(1024, 53), .len = 64, .bucket = 0, .match = "1010" },
		  { UDP4(1024, 1025), .len = 64, .bucket = 0,
		    .match = "0000" },
		  { TCP4(53, 53), .len = 64, .bucket = 0, .match = "1111" },
		  { UDP6(1024, 53), .len = 80, .bucket = 1, .match = "1010" },
		  { TCP6(53, 1024), .len = 80, .bucket = 1, .match = "1101" },
	  } },

	/* Port ranges at their edges. */
	{ "port range 1000-2000 edges, dst and src side",
	  FILTERS("dr=udp dst port 1000-2000", "sr=src port 1000-2000"),
	  .frames = {
		  { UDP4(5000, 999), .len = 64, .bucket = 0, .match = "00" },
		  { UDP4(5000, 1000), .len = 64, .bucket = 0, .match = "10" },
		  { UDP4(5000, 2000), .len = 64, .bucket = 0, .match = "10" },
		  { UDP4(5000, 2001), .len = 64, .bucket = 0, .match = "00" },
		  { UDP4(999, 5000), .len = 64, .bucket = 0, .match = "00" },
		  { UDP4(1000, 5000), .len = 64, .bucket = 0, .match = "01" },
		  { UDP4(2000, 5000), .len = 64, .bucket = 0, .match = "01" },
		  { UDP4(2001, 5000), .len = 64, .bucket = 0, .match = "00" },
	  } },
	{ "port range 0-65535 and ranges at 65535",
	  FILTERS("all=port 0-65535", "top=udp dst port 65535",
		  "hi=udp dst port 65000-65535", "zero=udp dst port 0"),
	  .frames = {
		  { UDP4(0, 0), .len = 64, .bucket = 0, .match = "1001" },
		  { UDP4(65535, 65535), .len = 64, .bucket = 0,
		    .match = "1110" },
		  { UDP4(1024, 64999), .len = 64, .bucket = 0,
		    .match = "1000" },
		  { UDP4(1024, 65000), .len = 64, .bucket = 0,
		    .match = "1010" },
		  { .ip = 4, .proto = 1, .len = 64, .bucket = 0,
		    .match = "0000" },
	  } },

	/* Protocols. */
	{ "protocol numbers: 47, icmp, icmpv6, tcp, udp",
	  FILTERS("gre=proto 47", "icmp=icmp", "icmp6=icmpv6", "tcp=tcp",
		  "udp=udp", "ports=port 0-65535", "p6=proto 6"),
	  .frames = {
		  { .ip = 4, .proto = 47, .len = 64, .bucket = 0,
		    .match = "1000000" },
		  { .ip = 4, .proto = 1, .len = 64, .bucket = 0,
		    .match = "0100000" },
		  { .ip = 6, .proto = 58, .len = 80, .bucket = 1,
		    .match = "0010000" },
		  { .ip = 6, .proto = 47, .len = 80, .bucket = 1,
		    .match = "1000000" },
		  { TCP4(1024, 80), .len = 64, .bucket = 0,
		    .match = "0001011" },
		  { UDP6(1024, 53), .len = 80, .bucket = 1,
		    .match = "0000110" },
	  } },

	/* A filter with no fields matches every frame. */
	{ "'any' matches IP and non-IP frames", FILTERS("all=any"),
	  .frames = {
		  { UDP4(1024, 53), .len = 64, .bucket = 0, .match = "1" },
		  { UDP6(1024, 53), .len = 80, .bucket = 1, .match = "1" },
		  { ARP, .len = 42, .bucket = 0, .match = "1", .non_ip = 1 },
		  { UDP4(1024, 53), .poke_off = 14, .poke_val = 0x44,
		    .len = 64, .bucket = 0, .match = "1", .malformed = 1 },
		  { .ntags = 3, .tpid = { 0x8100, 0x8100, 0x8100 },
		    .vid = { 1, 2, 3 }, UDP4(1024, 53), .len = 64,
		    .bucket = 0, .match = "1", .non_ip = 1 },
		  { TAG1(0x8100, 100), UDP4(1024, 53), .len = 16,
		    .bucket = 0, .match = "1", .non_ip = 1,
		    .malformed = 1 },
	  } },

	/* Totals. */
	{ "unmatched counts frames no filter matched",
	  FILTERS("tcp=tcp", "dns=udp dst port 53"),
	  .frames = {
		  { TCP4(1024, 80), .len = 64, .bucket = 0, .match = "10" },
		  { UDP4(1024, 53), .len = 64, .bucket = 0, .match = "01" },
		  { UDP4(1024, 54), .len = 64, .bucket = 0, .match = "00" },
		  { ARP, .len = 42, .bucket = 0, .match = "00",
		    .non_ip = 1 },
		  { UDP4(1024, 53), .len = 33, .bucket = 0, .match = "00",
		    .malformed = 1 },
	  } },
	{ "no filters: every frame is unmatched", .filters = { NULL },
	  .frames = {
		  { UDP4(1024, 53), .len = 64, .bucket = 0, .match = "" },
		  { ARP, .len = 42, .bucket = 0, .match = "", .non_ip = 1 },
		  { UDP6(1024, 53), .len = 2000, .bucket = 6, .match = "" },
	  } },
	{ "malformed is counted at most once a frame",
	  FILTERS("a=any", "b=any", "src6=src 2001:db8::1", "v=vlan 100"),
	  .frames = {
		  /* Truncated tag: non-IP and malformed, once each. */
		  { TAG2(0x8100, 100, 0x8100, 200), UDP6(1024, 53),
		    .len = 20, .bucket = 0, .match = "1101", .non_ip = 1,
		    .malformed = 1 },
		  { UDP4(1024, 53), .poke_off = 14, .poke_val = 0x43,
		    .len = 64, .bucket = 0, .match = "1100",
		    .malformed = 1 },
		  /* Chain of 7 that also leaves the frame. */
		  { UDP6(1024, 53), .next = 7,
		    .ext = { EXT(60, 0), EXT(60, 0), EXT(60, 0), EXT(60, 0),
			     EXT(60, 0), EXT(60, 0), EXT(60, 0) },
		    .len = 105, .bucket = 1, .match = "1110",
		    .malformed = 1 },
		  { UDP6(1024, 53), .len = 56, .bucket = 0, .match = "1110",
		    .malformed = 1 },
		  { UDP6(1024, 53), .len = 80, .bucket = 1,
		    .match = "1110" },
	  } },

	/* Multi-buffer frames (larger than the first buffer). */
	{ "multi-buffer UDP/IPv4, 9000 bytes",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "all=any", "src6=src 2001:db8::1"),
	  .frames = { { UDP4(1024, 53), .len = 9000, .bucket = 6,
			.match = "1110" } } },
	{ "multi-buffer UDP/IPv4 and IPv6, 5000 bytes",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "all=any", "src6=src 2001:db8::1"),
	  .frames = {
		  { UDP4(1024, 53), .len = 5000, .bucket = 6,
		    .match = "1110" },
		  { UDP6(1024, 53), .len = 5000, .bucket = 6,
		    .match = "1111" },
	  } },
	{ "multi-buffer TCP/IPv6, 9000 bytes, ihl-15 IPv4 9000 bytes",
	  FILTERS("dport=tcp dst port 80", "sport=tcp src port 1024",
		  "all=any"),
	  .frames = {
		  { TCP6(1024, 80), .len = 9000, .bucket = 6,
		    .match = "111" },
		  { TCP4(1024, 80), .ihl = 15, .len = 9000, .bucket = 6,
		    .match = "111" },
	  } },
	{ "IPv6: 3 destination options of 2048 bytes, then UDP",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "all=any", "src6=src 2001:db8::1"),
	  .frames = { { UDP6(1024, 53), .next = 3,
			.ext = { D2048, D2048, D2048 }, .len = 6206,
			.bucket = 6, .match = "1111" } } },
	{ "IPv6: UDP header and an ext header across 3520 bytes",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "all=any", "src6=src 2001:db8::1"),
	  .frames = {
		  /* 54 + 2048 + 1416: UDP starts at 3518. */
		  { UDP6(1024, 53), .next = 2,
		    .ext = { D2048, EXT(60, 176) }, .len = 3526,
		    .bucket = 6, .match = "1111" },
		  /* An 8-byte header at 3518, UDP at 3526. */
		  { UDP6(1024, 53), .next = 3,
		    .ext = { D2048, EXT(60, 176), EXT(43, 0) }, .len = 3534,
		    .bucket = 6, .match = "1111" },
	  } },
	{ "IPv6: 6 extension headers of 2048 bytes (12 KB chain)",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "all=any", "src6=src 2001:db8::1"),
	  .frames = { { UDP6(1024, 53), .next = 6,
			.ext = { D2048, D2048, D2048, D2048, D2048, D2048 },
			.len = 12350, .bucket = 6, .match = "1111" } } },
	{ "IPv6: 7 extension headers of 2048 bytes: malformed",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "all=any", "src6=src 2001:db8::1"),
	  .frames = { { UDP6(1024, 53), .next = 7,
			.ext = { D2048, D2048, D2048, D2048, D2048, D2048,
				 D2048 },
			.len = 14398, .bucket = 6, .match = "0011",
			.malformed = 1 } } },
	{ "IPv6: ext header leaving a multi-buffer frame",
	  FILTERS("dport=udp dst port 53", "sport=udp src port 1024",
		  "all=any", "src6=src 2001:db8::1"),
	  .frames = {
		  { UDP6(1024, 53), .next = 2, .ext = { D2048, D2048 },
		    .len = 4149, .bucket = 6, .match = "0011",
		    .malformed = 1 },
		  { UDP6(1024, 53), .next = 2, .ext = { D2048, D2048 },
		    .len = 4153, .bucket = 6, .match = "0011",
		    .malformed = 1 },
		  { UDP6(1024, 53), .next = 2, .ext = { D2048, D2048 },
		    .len = 4154, .bucket = 6, .match = "1111" },
	  } },
};

/* clang-format on */

const unsigned int dp_ncases = ARRAY_SIZE(dp_cases);

static struct frame fr;

static struct frame fr;

void dp_build(struct frame *f, const struct dp_frame *d)
{
	uint16_t type = d->type;
	unsigned int i;

	if (!type)
		type = d->ip == 6 ? 0x86dd : 0x0800;
	frame_init(f);
	frame_eth_tags(f, d->ntags, d->tpid, d->vid, type);
	if (d->ip == 4) {
		frame_ipv4(f, d->proto, d->src ? d->src : S4,
			   d->dst ? d->dst : D4, d->ihl ? d->ihl : 5, d->frag);
	} else if (d->ip == 6) {
		frame_ipv6(f, d->next ? d->ext[0].type : d->proto,
			   d->src ? d->src : S6, d->dst ? d->dst : D6);
		for (i = 0; i < d->next; i++) {
			const struct dp_ext *x = &d->ext[i];
			uint8_t nh = i + 1 < d->next ? d->ext[i + 1].type
						     : d->proto;

			if (x->type == 44)
				frame_frag6(f, nh, x->off, x->more);
			else
				frame_ext(f, x->type, nh, x->len);
		}
	}
	if (d->ip && d->proto == 6)
		frame_tcp_doff(f, d->sport, d->dport, d->doff ? d->doff : 5);
	else if (d->ip && d->proto == 17)
		frame_udp(f, d->sport, d->dport);
	if (f->len <= d->len) {
		frame_finish(f, d->len);
	} else {
		frame_finish(f, 0);
		frame_cut(f, d->len);
	}
	if (d->poke_off)
		f->b[d->poke_off] = d->poke_val;
}

static unsigned int count_filters(const struct dp_case *c)
{
	unsigned int n = 0;

	while (n < IFSTAT_MAX_FILTERS && c->filters[n])
		n++;
	return n;
}

static int expect(const struct dp_case *c, unsigned int frame, const char *what,
		  uint64_t got, uint64_t want)
{
	if (got == want)
		return 0;
	print_error("  '%s', after frame %u (%zu bytes): %s = %llu, "
		    "expected %llu\n",
		    c->name, frame, c->frames[frame].len, what,
		    (unsigned long long)got, (unsigned long long)want);
	return 1;
}

/* Compares the snapshot with the sum of the lines of the frames run
 * (bit i of ran: frames[i]) up to frames[upto]. */
static int check_snapshot(const struct dp_case *c, unsigned int nf,
			  unsigned int ran, unsigned int upto,
			  const struct ifstat_snapshot *s)
{
	static struct {
		uint64_t packets, bytes, buckets[IFSTAT_MAX_BUCKETS];
	} w[IFSTAT_MAX_FILTERS];
	uint64_t tp = 0, tb = 0, tu = 0, tn = 0, tm = 0;
	unsigned int i, j, b;
	char what[96];
	int bad = 0;

	memset(w, 0, sizeof(w));
	for (i = 0; i <= upto; i++) {
		const struct dp_frame *d = &c->frames[i];
		int matched = 0;

		if (!(ran >> i & 1))
			continue;
		tp++;
		tb += d->len;
		tn += d->non_ip;
		tm += d->malformed;
		for (j = 0; j < nf; j++) {
			if (d->match[j] != '1')
				continue;
			matched = 1;
			w[j].packets++;
			w[j].bytes += d->len;
			w[j].buckets[d->bucket]++;
		}
		tu += !matched;
	}
	bad |= expect(c, upto, "totals.packets", s->totals.packets, tp);
	bad |= expect(c, upto, "totals.bytes", s->totals.bytes, tb);
	bad |= expect(c, upto, "totals.unmatched", s->totals.unmatched, tu);
	bad |= expect(c, upto, "totals.non_ip", s->totals.non_ip, tn);
	bad |= expect(c, upto, "totals.malformed", s->totals.malformed, tm);
	bad |= expect(c, upto, "nfilters", s->nfilters, nf);
	for (j = 0; j < nf && j < s->nfilters; j++) {
		const struct ifstat_filter_stats *fs = &s->filters[j];
		const char *name = c->filters[j];
		int nlen = (int)(strchr(name, '=') - name);

		snprintf(what, sizeof(what), "filter '%s' packets", name);
		bad |= expect(c, upto, what, fs->packets, w[j].packets);
		snprintf(what, sizeof(what), "filter '%s' bytes", name);
		bad |= expect(c, upto, what, fs->bytes, w[j].bytes);
		for (b = 0; b < IFSTAT_MAX_BUCKETS; b++) {
			snprintf(what, sizeof(what), "filter '%s' buckets[%u]",
				 name, b);
			bad |= expect(c, upto, what, fs->buckets[b],
				      w[j].buckets[b]);
		}
		if (strncmp(fs->name, name, (size_t)nlen) || fs->name[nlen]) {
			print_error("  '%s': filter %u is named '%s'\n",
				    c->name, j, fs->name);
			bad = 1;
		}
	}
	return bad;
}

/* BPF_PROG_TEST_RUN refuses frames shorter than an Ethernet header, so
 * such a case cannot be run here; say so instead of passing silently. */
static int kernel_refuses(const struct runner *r, const struct frame *f)
{
	unsigned char out[64];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = (__u32)f->len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (f->len >= 14)
		return 0;
	return bpf_prog_test_run_opts(r->prog_fd, &o) && errno == EINVAL;
}

void dp_run_case(struct runner *r, const struct dp_case *c, dp_takes_fn *takes,
		 struct ifstat_snapshot *snap)
{
	const uint32_t *edges = c->edges ? c->edges : dp_design_edges;
	unsigned int nedges = c->edges ? c->nedges
				       : ARRAY_SIZE(dp_design_edges);
	unsigned int nf = count_filters(c), i, ran = 0;
	int bad = 0, ret;

	ret = runner_filters(r, c->filters, nf, c->edges, c->nedges);
	if (ret)
		fail_msg("'%s': installing the filters: %s", c->name,
			 strerror(-ret));
	assert_int_equal(runner_read(r, snap), 0);
	assert_int_equal(snap->nedges, nedges);
	assert_memory_equal(snap->edges, edges, nedges * sizeof(*edges));

	for (i = 0; i < DP_MAX_FRAMES && c->frames[i].len; i++) {
		const struct dp_frame *d = &c->frames[i];

		/* A typo in the table must not pass as a result. */
		if (strlen(d->match) != nf)
			fail_msg("'%s' frame %u: match has %zu flags for %u "
				 "filters",
				 c->name, i, strlen(d->match), nf);
		dp_build(&fr, d);
		if (fr.len != d->len)
			fail_msg("'%s' frame %u: built %zu bytes, not %zu",
				 c->name, i, fr.len, d->len);
		if (kernel_refuses(r, &fr)) {
			print_message("  '%s': the kernel's BPF_PROG_TEST_RUN "
				      "refuses a %zu-byte frame (< ETH_HLEN); "
				      "not testable here\n",
				      c->name, fr.len);
			skip();
		}
		if (takes && !takes(&fr)) {
			print_message("  '%s' frame %u (%zu bytes): refused by "
				      "a program's test run; left out\n",
				      c->name, i, fr.len);
			continue;
		}
		if (runner_run(r, &fr))
			fail_msg("'%s' frame %u: test run failed", c->name, i);
		ran |= 1u << i;
		assert_int_equal(runner_read(r, snap), 0);
		bad |= check_snapshot(c, nf, ran, i, snap);
	}
	if (bad)
		fail_msg("'%s': counters differ (above)", c->name);
	if (!ran)
		skip();
}

int dp_can_load(void)
{
	struct runner probe;
	int ret = runner_open(&probe);

	if (ret == -EPERM) {
		printf("SKIPPED: needs root (loading the XDP program: %s)\n",
		       strerror(-ret));
		return 77;
	}
	if (ret) {
		fprintf(stderr, "cannot load the XDP program: %s\n",
			strerror(-ret));
		return 1;
	}
	runner_close(&probe);
	return 0;
}

const struct dp_case *dp_max_filters_case(void)
{
	static const char *const forms[] = {
		"any",
		"udp",
		"udp dst port 53",
		"src 192.0.2.1",
		"dst 198.51.100.0/24",
		"host 192.0.2.0/24",
		"port 1024-2000",
		"proto 17 src port 1024 dst 198.51.100.2",
	};
	static char names[IFSTAT_MAX_FILTERS + 1][64];
	static char match[IFSTAT_MAX_FILTERS + 1];
	static struct dp_case c = {
		.name = "64 filters all matching one frame",
		.frames = { { UDP4(1024, 53), .len = 100, .bucket = 1,
			      .match = match } },
	};
	unsigned int i;

	for (i = 0; i <= IFSTAT_MAX_FILTERS; i++) {
		snprintf(names[i], sizeof(names[i]), "f%02u=%s", i,
			 forms[i % ARRAY_SIZE(forms)]);
		c.filters[i] = names[i];
	}
	memset(match, '1', IFSTAT_MAX_FILTERS);
	return &c;
}
