/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one header shared by the XDP program and user space: every layout,
 * limit and default that both sides must agree on.
 */
#ifndef IFSTAT_ABI_H
#define IFSTAT_ABI_H

#ifdef __bpf__
#include <linux/types.h>
#else
#include <linux/types.h>
#endif

#define IFSTAT_MAX_FILTERS 64
#define IFSTAT_MAX_BUCKETS 16
#define IFSTAT_MAX_EDGES (IFSTAT_MAX_BUCKETS - 1)
#define IFSTAT_NAME_MAX 32 /* filter name, NUL included */
#define IFSTAT_MAX_VLAN_TAGS 2
#define IFSTAT_MAX_EXT_HDRS 6

/* The original tool's columns with its off-by-one at 127 fixed. */
#define IFSTAT_DEFAULT_EDGES                                                   \
	{                                                                      \
		64, 127, 255, 511, 1023, 1512                                  \
	}
#define IFSTAT_DEFAULT_NEDGES 6

/* Names under which the maps are pinned, below the pin directory. */
#define IFSTAT_PIN_ROOT "/sys/fs/bpf/ifstat"
#define IFSTAT_MAP_COUNTERS "counters"
#define IFSTAT_MAP_CONF "conf"
#define IFSTAT_PROG_NAME "ifstat_xdp"
#define IFSTAT_TC_IN_NAME "ifstat_tc_in"
#define IFSTAT_TC_OUT_NAME "ifstat_tc_out"

/*
 * A direction of an interface's traffic: the key of its counters map
 * (one value per direction, each counted by its own program).
 */
enum ifstat_dir {
	IFSTAT_DIR_INGRESS,
	IFSTAT_DIR_EGRESS,
};
#define IFSTAT_NDIRS 2

/* Bits of ifstat_filter.fields: which fields the filter names. */
enum ifstat_field {
	IFSTAT_F_PROTO = 1u << 0,
	IFSTAT_F_SRC = 1u << 1,
	IFSTAT_F_DST = 1u << 2,
	IFSTAT_F_HOST = 1u << 3,
	IFSTAT_F_SRC_PORT = 1u << 4,
	IFSTAT_F_DST_PORT = 1u << 5,
	IFSTAT_F_PORT = 1u << 6,
	IFSTAT_F_VLAN = 1u << 7,
};
#define IFSTAT_F_ADDRS (IFSTAT_F_SRC | IFSTAT_F_DST | IFSTAT_F_HOST)
#define IFSTAT_F_PORTS (IFSTAT_F_SRC_PORT | IFSTAT_F_DST_PORT | IFSTAT_F_PORT)

/*
 * What the parser learnt about a frame: the index of the frame-class
 * table. A filter's `need` holds the bits a frame must have before its
 * fields can match at all (rules 5-7 of doc/semantics.md).
 */
enum ifstat_pkt_flag {
	IFSTAT_P_VLAN = 1u << 0, /* at least one tag; vid is the outermost */
	IFSTAT_P_IPV4 = 1u << 1, /* valid IPv4 header: addresses known */
	IFSTAT_P_IPV6 = 1u << 2, /* valid IPv6 header: addresses known */
	IFSTAT_P_PROTO = 1u << 3, /* upper-layer protocol known */
	IFSTAT_P_PORTS = 1u << 4, /* TCP/UDP ports known */
};
#define IFSTAT_NCLASSES 32 /* every combination of IFSTAT_P_* */

/* An address with its prefix, network byte order, already masked. */
struct ifstat_prefix {
	__u32 addr[4];
	__u32 mask[4];
};

/* Inclusive port range, host byte order; span = hi - lo. */
struct ifstat_ports {
	__u16 lo;
	__u16 span;
};

/* A filter as configured; user space only (the program reads tables). */
struct ifstat_filter {
	__u32 need; /* IFSTAT_P_* the frame must have */
	__u32 fields; /* IFSTAT_F_* named by the filter */
	__u32 slot; /* index into ifstat_counters.slots */
	__u8 family; /* 4 or 6 when an address is named, else 0 */
	__u8 proto;
	__u16 vlan;
	__u64 gen; /* counter generation of the slot (see ifstat_slot) */
	struct ifstat_ports src_port, dst_port, port;
	__u8 src_len, dst_len, host_len;
	__u8 v6_addrs; /* user space: IFSTAT_F_{SRC,DST,HOST} given as IPv6 */
	struct ifstat_prefix src, dst, host;
};

/* User-space bookkeeping beside a filter; never read by the program. */
struct ifstat_filter_meta {
	char name[IFSTAT_NAME_MAX];
};

/*
 * The classifier (doc/internals.md): every field value of a frame looks
 * up the bitmask of the filters compatible with it (bit s: the filter
 * counting into slot s), and the masks are ANDed. A filter that does not
 * name a field has its bit set for every value of it. Address and port
 * fields are path-compressed multibit tries with leaf pushing, built by
 * user space (src/lib/classify.c): a first level of 16 bits (a flat
 * table: for a port it is the whole key), then nodes that each index one
 * byte of the key after checking the bytes skipped on the way there.
 *
 * An entry is a leaf (IFSTAT_TRIE_LEAF | leaf index) or a node
 * (node index | the byte it indexes << IFSTAT_TRIE_DEPTH_SHIFT). A leaf
 * holds two masks: the field's own ("src" for the source address) and
 * the either-direction one: host = leaf(saddr).any | leaf(daddr).any.
 */
enum ifstat_trie {
	IFSTAT_TRIE_SADDR4, /* own: src, any: host */
	IFSTAT_TRIE_DADDR4, /* own: dst, any: host */
	IFSTAT_TRIE_SADDR6,
	IFSTAT_TRIE_DADDR6,
	IFSTAT_TRIE_SPORT, /* own: src_port, any: port */
	IFSTAT_TRIE_DPORT, /* own: dst_port, any: port */
	IFSTAT_NTRIES,
};
#define IFSTAT_TRIE_LEAF 0x8000u
#define IFSTAT_TRIE_DEPTH_SHIFT 11
#define IFSTAT_TRIE_NODES 2048 /* 1 << IFSTAT_TRIE_DEPTH_SHIFT */
#define IFSTAT_TRIE_LEAVES 2048 /* power of two; >= 6 tries x 257 leaves */
#define IFSTAT_LEN_TABLE 16384 /* frame lengths with a tabled bucket */

struct ifstat_trie_leaf {
	__u64 own;
	__u64 any;
};

/*
 * Keys are read as two big-endian words (bytes 0-7, 8-15; IPv4 in the
 * top half of the first). A node is entered only when the key's bits in
 * mask equal val (the bytes a compressed path skipped); else the walk
 * ends at miss, the leaf all those skipped-over entries held.
 */
struct ifstat_trie_node {
	__u64 mask[2];
	__u64 val[2];
	__u16 miss;
	__u16 pad[3];
	__u16 e[256];
};

struct ifstat_tables {
	__u64 classes[IFSTAT_NCLASSES];
	__u64 proto[256];
	__u64 vlan[4096];
	__u32 tries; /* bit t: some filter names a field of trie t */
	__u32 pad;
	/* The leaf of a trie no filter uses: every filter compatible. */
	struct ifstat_trie_leaf ones;
	__u8 bucket[IFSTAT_LEN_TABLE]; /* bucket of a frame of that length */
	struct ifstat_trie_leaf leaves[IFSTAT_TRIE_LEAVES];
	__u16 root[IFSTAT_NTRIES][65536]; /* first 16 bits of the key */
	struct ifstat_trie_node nodes[IFSTAT_TRIE_NODES];
};

struct ifstat_filter_set {
	__u32 count;
	__u32 nedges;
	__u32 edges[IFSTAT_MAX_EDGES]; /* upper edges; last bucket open */
	__u32 pad;
	__u64 totals_gen;
	/* Generation of the filter counting into slot s (bit s). */
	__u64 gen[IFSTAT_MAX_FILTERS];
	struct ifstat_tables t;
	/* User space only. */
	struct ifstat_filter filters[IFSTAT_MAX_FILTERS];
	struct ifstat_filter_meta meta[IFSTAT_MAX_FILTERS];
};

/*
 * The configuration map (one entry, mmapped by user space). The program
 * reads sets[active]; user space fills the other set, then flips active
 * and waits for an RCU grace period before it touches the old one again.
 */
struct ifstat_conf {
	__u32 magic;
	__u32 active;
	__u64 next_gen; /* user space: next unused counter generation */
	__u64 epoch; /* user space: moves when counters are reset */
	struct ifstat_filter_set sets[2];
};
#define IFSTAT_CONF_MAGIC 0x69667377u /* changes with any layout here */

/*
 * Counters are per-CPU and written only by the program. A slot is zeroed
 * lazily by the program when the generation of the filter that now owns
 * it differs from the one stored, so user space never writes counters
 * (a user-space write to a per-CPU value would race with the program and
 * lose increments). A reader sums only CPUs whose gen equals the filter's.
 * There is no packet counter: packets are the sum of the buckets, and a
 * frame of the first six buckets touches one cache line of its slot.
 */
struct ifstat_slot {
	__u64 gen;
	__u64 bytes;
	__u64 buckets[IFSTAT_MAX_BUCKETS];
	__u64 pad[6]; /* a slot is three whole cache lines */
} __attribute__((aligned(64)));

struct ifstat_totals {
	__u64 gen;
	__u64 packets; /* every frame the program saw */
	__u64 bytes;
	__u64 unmatched; /* matched by no filter */
	__u64 non_ip; /* not IPv4/IPv6 after the tags */
	__u64 malformed; /* truncated/invalid header, at most once a frame */
} __attribute__((aligned(64)));

struct ifstat_counters {
	struct ifstat_totals totals;
	struct ifstat_slot slots[IFSTAT_MAX_FILTERS];
};

#endif /* IFSTAT_ABI_H */
