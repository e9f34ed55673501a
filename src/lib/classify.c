// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "classify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"

typedef unsigned __int128 u128;

/* An interval of one trie's key space and the mask word it sets a bit in. */
struct rule {
	u128 lo, hi;
	int any; /* the either-direction word (host, port) */
	unsigned int bit;
};

#define MAX_RULES (2 * IFSTAT_MAX_FILTERS)
#define MAX_BOUNDS (2 * MAX_RULES + 1)

/* One trie in the making: its elementary intervals and their leaves. */
struct trie {
	unsigned int width; /* key bytes */
	unsigned int nbounds;
	u128 bound[MAX_BOUNDS]; /* sorted starts of the elementary intervals */
	uint16_t leaf[MAX_BOUNDS]; /* leaf of each interval */
};

/*
 * The tries are built plain first (tmp: one node per byte, entries leaf or
 * tmp index), then path-compressed into t->nodes.
 */
#define TMP_MAX 0x7fff

struct build {
	struct ifstat_tables *t;
	unsigned int nodes, leaves;
	uint16_t (*tmp)[256];
	unsigned int ntmp, captmp;
	uint16_t root[65536];
};

static int cmp_u128(const void *a, const void *b)
{
	u128 x = *(const u128 *)a, y = *(const u128 *)b;

	return x < y ? -1 : x > y;
}

static u128 key_max(unsigned int width)
{
	return width >= 16 ? ~(u128)0 : ((u128)1 << (8 * width)) - 1;
}

static uint16_t leaf_of(struct build *b, uint64_t own, uint64_t any)
{
	unsigned int i;

	for (i = 0; i < b->leaves; i++)
		if (b->t->leaves[i].own == own && b->t->leaves[i].any == any)
			return (uint16_t)i;
	/* Cannot overflow: 6 tries of at most MAX_BOUNDS intervals. */
	b->t->leaves[b->leaves].own = own;
	b->t->leaves[b->leaves].any = any;
	return (uint16_t)b->leaves++;
}

/* Splits the key space at every rule's ends; gives each piece its leaf. */
static void intervals(struct build *b, struct trie *tr, const struct rule *r,
		      unsigned int nr, uint64_t own0, uint64_t any0)
{
	unsigned int i, k, n = 0;

	tr->bound[n++] = 0;
	for (i = 0; i < nr; i++) {
		tr->bound[n++] = r[i].lo;
		if (r[i].hi != key_max(tr->width))
			tr->bound[n++] = r[i].hi + 1;
	}
	qsort(tr->bound, n, sizeof(tr->bound[0]), cmp_u128);
	for (i = k = 0; i < n; i++)
		if (!k || tr->bound[i] != tr->bound[k - 1])
			tr->bound[k++] = tr->bound[i];
	tr->nbounds = k;
	for (k = 0; k < tr->nbounds; k++) {
		uint64_t own = own0, any = any0;

		for (i = 0; i < nr; i++) {
			if (r[i].lo > tr->bound[k] || r[i].hi < tr->bound[k])
				continue;
			if (r[i].any)
				any |= 1ull << r[i].bit;
			else
				own |= 1ull << r[i].bit;
		}
		tr->leaf[k] = leaf_of(b, own, any);
	}
}

/* The elementary interval holding key. */
static unsigned int interval_at(const struct trie *tr, u128 key)
{
	unsigned int lo = 0, hi = tr->nbounds - 1;

	while (lo < hi) {
		unsigned int mid = (lo + hi + 1) / 2;

		if (tr->bound[mid] <= key)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * The plain entry for keys [lo, lo + span]: a leaf when one interval
 * covers them all (leaf pushing), else a node of 256 children one byte
 * deeper.
 */
static int entry(struct build *b, const struct trie *tr, u128 lo, u128 span,
		 uint16_t *out)
{
	unsigned int k = interval_at(tr, lo), c, node;
	u128 child;
	int ret;

	if (k + 1 == tr->nbounds || tr->bound[k + 1] > lo + span) {
		*out = (uint16_t)(IFSTAT_TRIE_LEAF | tr->leaf[k]);
		return 0;
	}
	if (b->ntmp == b->captmp) {
		unsigned int cap = b->captmp ? 2 * b->captmp : 64;
		void *p;

		if (b->ntmp >= TMP_MAX)
			return -ENOSPC;
		p = realloc(b->tmp, cap * sizeof(*b->tmp));
		if (!p)
			return -ENOMEM;
		b->tmp = p;
		b->captmp = cap;
	}
	node = b->ntmp++;
	child = span >> 8; /* span + 1 is a power of 256 */
	for (c = 0; c < 256; c++) {
		uint16_t v;

		/* Into v first: the recursion may move b->tmp. */
		ret = entry(b, tr, lo + (u128)c * (child + 1), child, &v);
		if (ret)
			return ret;
		b->tmp[node][c] = v;
	}
	*out = (uint16_t)node;
	return 0;
}

/*
 * A chain node: every entry the same leaf but one, which leads on. Its
 * byte is then checked by the node the chain ends in, not indexed.
 */
static int single_path(const uint16_t *n, unsigned int *next, uint16_t *leaf)
{
	unsigned int c, nodes = 0;
	int have = 0;

	for (c = 0; c < 256; c++) {
		if (!(n[c] & IFSTAT_TRIE_LEAF)) {
			nodes++;
			*next = c;
		} else if (!have) {
			*leaf = n[c];
			have = 1;
		} else if (n[c] != *leaf) {
			return 0;
		}
	}
	return nodes == 1 && have;
}

/* The final entry for plain entry e indexing key byte d. */
static int compress(struct build *b, uint16_t e, unsigned int d, uint16_t *out)
{
	struct ifstat_trie_node *f;
	uint16_t miss = 0, x = 0;
	unsigned int c, next = 0, node, shift;
	int ret, chain = 0;

	if (e & IFSTAT_TRIE_LEAF) {
		*out = e;
		return 0;
	}
	if (b->nodes >= IFSTAT_TRIE_NODES) {
		b->nodes++;
		return -ENOSPC;
	}
	node = b->nodes++;
	f = &b->t->nodes[node];
	memset(f, 0, sizeof(*f));
	while (single_path(b->tmp[e], &next, &x) && (!chain || x == miss)) {
		shift = 56 - 8 * (d % 8);
		f->mask[d / 8] |= 0xffull << shift;
		f->val[d / 8] |= (uint64_t)next << shift;
		miss = x;
		chain = 1;
		e = b->tmp[e][next];
		d++;
	}
	f->miss = miss;
	for (c = 0; c < 256; c++) {
		ret = compress(b, b->tmp[e][c], d + 1, &f->e[c]);
		if (ret)
			return ret;
	}
	*out = (uint16_t)(node | d << IFSTAT_TRIE_DEPTH_SHIFT);
	return 0;
}

/* The first level: one entry for each value of the key's first 16 bits. */
static int root(struct build *b, const struct trie *tr, uint16_t *out)
{
	unsigned int shift = 8 * tr->width - 16, c;
	u128 child = key_max(tr->width) >> 16;
	int ret;

	b->ntmp = 0;
	for (c = 0; c < 65536; c++) {
		ret = entry(b, tr, (u128)c << shift, child, &b->root[c]);
		if (ret)
			return ret;
	}
	for (c = 0; c < 65536; c++) {
		ret = compress(b, b->root[c], 2, &out[c]);
		if (ret)
			return ret;
	}
	return 0;
}

static u128 prefix_lo(const struct ifstat_prefix *p, unsigned int width)
{
	const uint8_t *a = (const uint8_t *)p->addr;
	u128 v = 0;
	unsigned int i;

	for (i = 0; i < width; i++)
		v = v << 8 | a[i];
	return v;
}

static u128 prefix_hi(const struct ifstat_prefix *p, unsigned int width)
{
	const uint8_t *a = (const uint8_t *)p->addr;
	const uint8_t *m = (const uint8_t *)p->mask;
	u128 v = 0;
	unsigned int i;

	for (i = 0; i < width; i++)
		v = v << 8 | (uint8_t)(a[i] | ~m[i]);
	return v;
}

/* What one trie keys on: the field of its own word and of its any word. */
struct trie_spec {
	unsigned int width;
	int family; /* 4 or 6 for addresses, 0 for ports */
	uint32_t own_field, any_field;
};

static const struct trie_spec specs[IFSTAT_NTRIES] = {
	[IFSTAT_TRIE_SADDR4] = { 4, 4, IFSTAT_F_SRC, IFSTAT_F_HOST },
	[IFSTAT_TRIE_DADDR4] = { 4, 4, IFSTAT_F_DST, IFSTAT_F_HOST },
	[IFSTAT_TRIE_SADDR6] = { 16, 6, IFSTAT_F_SRC, IFSTAT_F_HOST },
	[IFSTAT_TRIE_DADDR6] = { 16, 6, IFSTAT_F_DST, IFSTAT_F_HOST },
	[IFSTAT_TRIE_SPORT] = { 2, 0, IFSTAT_F_SRC_PORT, IFSTAT_F_PORT },
	[IFSTAT_TRIE_DPORT] = { 2, 0, IFSTAT_F_DST_PORT, IFSTAT_F_PORT },
};

/* The interval filter f gives field (one IFSTAT_F_* bit). */
static void field_range(const struct ifstat_filter *f, uint32_t field,
			unsigned int width, u128 *lo, u128 *hi)
{
	const struct ifstat_prefix *p = NULL;
	const struct ifstat_ports *r = NULL;

	switch (field) {
	case IFSTAT_F_SRC:
		p = &f->src;
		break;
	case IFSTAT_F_DST:
		p = &f->dst;
		break;
	case IFSTAT_F_HOST:
		p = &f->host;
		break;
	case IFSTAT_F_SRC_PORT:
		r = &f->src_port;
		break;
	case IFSTAT_F_DST_PORT:
		r = &f->dst_port;
		break;
	default:
		r = &f->port;
		break;
	}
	if (p) {
		*lo = prefix_lo(p, width);
		*hi = prefix_hi(p, width);
	} else {
		*lo = r->lo;
		*hi = (u128)r->lo + r->span;
	}
}

/*
 * A filter constrains a trie's word when it names the field in the
 * trie's family; elsewhere its bit is set for every key (an address of
 * the other family is excluded by the frame class already).
 */
static int build_trie(struct build *b, int which, const struct ifstat_filter *f,
		      const unsigned int *bit, unsigned int n)
{
	const struct trie_spec *sp = &specs[which];
	struct rule rules[MAX_RULES];
	struct trie tr;
	uint64_t own0 = 0, any0 = 0;
	unsigned int i, nr = 0, w;

	for (i = 0; i < n; i++) {
		int family_ok = !sp->family || f[i].family == sp->family;

		for (w = 0; w < 2; w++) {
			uint32_t field = w ? sp->any_field : sp->own_field;

			if (!(f[i].fields & field) || !family_ok) {
				*(w ? &any0 : &own0) |= 1ull << bit[i];
				continue;
			}
			field_range(&f[i], field, sp->width, &rules[nr].lo,
				    &rules[nr].hi);
			rules[nr].any = (int)w;
			rules[nr].bit = bit[i];
			nr++;
		}
	}
	if (nr)
		b->t->tries |= 1u << which;
	tr.width = sp->width;
	intervals(b, &tr, rules, nr, own0, any0);
	return root(b, &tr, b->t->root[which]);
}

static void fill_arrays(struct ifstat_tables *t, const struct ifstat_filter *f,
			const unsigned int *bits, unsigned int n)
{
	unsigned int i, v;

	for (i = 0; i < n; i++) {
		uint64_t bit = 1ull << bits[i];

		for (v = 0; v < IFSTAT_NCLASSES; v++)
			if ((v & f[i].need) == f[i].need)
				t->classes[v] |= bit;
		for (v = 0; v < 256; v++)
			if (!(f[i].fields & IFSTAT_F_PROTO) || f[i].proto == v)
				t->proto[v] |= bit;
		for (v = 0; v < 4096; v++)
			if (!(f[i].fields & IFSTAT_F_VLAN) || f[i].vlan == v)
				t->vlan[v] |= bit;
	}
}

int ifstat_tables_build(struct ifstat_tables *t, const struct ifstat_filter *f,
			unsigned int n, const uint32_t *edges,
			unsigned int nedges, struct ifstat_tables_use *use)
{
	unsigned int bit[IFSTAT_MAX_FILTERS];
	struct build *b;
	unsigned int i;
	int ret = 0;

	if (n > IFSTAT_MAX_FILTERS)
		return -E2BIG;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->t = t;
	for (i = 0; i < n; i++) {
		bit[i] = f[i].slot;
		if (bit[i] >= IFSTAT_MAX_FILTERS) {
			free(b);
			return -EINVAL;
		}
	}
	/* Only what the program can reach needs clearing; nodes are written
	 * whole when taken. */
	memset(t->classes, 0, sizeof(t->classes));
	memset(t->proto, 0, sizeof(t->proto));
	memset(t->vlan, 0, sizeof(t->vlan));
	t->tries = 0;
	t->ones.own = t->ones.any = ~0ull;
	fill_arrays(t, f, bit, n);
	for (i = 0; i < IFSTAT_NTRIES && !ret; i++)
		ret = build_trie(b, (int)i, f, bit, n);
	for (i = 0; i < IFSTAT_LEN_TABLE; i++)
		t->bucket[i] = (uint8_t)ifstat_bucket_of(edges, nedges, i);
	if (use) {
		use->nodes = b->nodes;
		use->leaves = b->leaves;
	}
	free(b->tmp);
	free(b);
	return ret;
}

unsigned int ifstat_tables_fit(struct ifstat_tables *scratch,
			       const struct ifstat_filter *f, unsigned int n)
{
	static const uint32_t edge = 64;
	struct ifstat_filter g[IFSTAT_MAX_FILTERS];
	unsigned int i, lo = 0, hi;

	if (!n)
		return 0;
	if (n > IFSTAT_MAX_FILTERS)
		n = IFSTAT_MAX_FILTERS;
	for (i = 0; i < n; i++) {
		g[i] = f[i];
		g[i].slot = i;
	}
	if (!ifstat_tables_build(scratch, g, n, &edge, 1, NULL))
		return n;
	/* Nodes only grow with more filters: the first that overflows. */
	hi = n;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (ifstat_tables_build(scratch, g, mid + 1, &edge, 1, NULL))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}
