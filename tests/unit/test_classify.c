// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The classifier's tables (src/lib/classify.c) without the kernel: every
 * table is looked up here the way bpf/classify.h does, and the mask it
 * gives must be exactly the filters whose fields match, computed the
 * plain way from the filters (brute force). Keys are the prefixes' and
 * ranges' own ends and their neighbours, plus random ones. Also: the
 * worst sets 64 filters can make stay within IFSTAT_TRIE_NODES.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"
#include "filter.h"

static uint64_t rng_state = 0x1f2e3d4c5b6a7988ull;

static uint64_t rnd(void)
{
	uint64_t x = (rng_state += 0x9e3779b97f4a7c15ull);

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The walk of bpf/classify.h, in C: key as 16 big-endian bytes. */
static const struct ifstat_trie_leaf *walk(const struct ifstat_tables *t,
					   int trie, const uint8_t *key)
{
	uint64_t k0 = 0, k1 = 0;
	unsigned int e, i, steps = 0;

	for (i = 0; i < 8; i++) {
		k0 = k0 << 8 | key[i];
		k1 = k1 << 8 | key[8 + i];
	}
	e = t->root[trie][k0 >> 48];
	while (!(e & IFSTAT_TRIE_LEAF)) {
		const struct ifstat_trie_node *n =
			&t->nodes[e & (IFSTAT_TRIE_NODES - 1)];
		unsigned int d = (e >> IFSTAT_TRIE_DEPTH_SHIFT) & 15;
		uint64_t w = d & 8 ? k1 : k0;

		assert_true(d >= 2 && ++steps <= 14);
		if (((k0 & n->mask[0]) ^ n->val[0]) |
		    ((k1 & n->mask[1]) ^ n->val[1]))
			e = n->miss;
		else
			e = n->e[(w >> (56 - ((d & 7) << 3))) & 0xff];
	}
	return &t->leaves[e & (IFSTAT_TRIE_LEAVES - 1)];
}

static int in_prefix(const struct ifstat_prefix *p, const uint8_t *key)
{
	const uint8_t *a = (const uint8_t *)p->addr;
	const uint8_t *m = (const uint8_t *)p->mask;
	unsigned int i;

	for (i = 0; i < 16; i++)
		if ((key[i] & m[i]) != a[i])
			return 0;
	return 1;
}

static int in_range(const struct ifstat_ports *r, unsigned int port)
{
	return port >= r->lo && port <= (unsigned int)r->lo + r->span;
}

/* Bit of filter i in the own / any word of a trie, the plain way. */
static int own_bit(const struct ifstat_filter *f, int trie, const uint8_t *key)
{
	unsigned int port = (unsigned int)key[0] << 8 | key[1];
	int fam = trie == IFSTAT_TRIE_SADDR4 || trie == IFSTAT_TRIE_DADDR4 ? 4
									   : 6;

	switch (trie) {
	case IFSTAT_TRIE_SPORT:
		return !(f->fields & IFSTAT_F_SRC_PORT) ||
		       in_range(&f->src_port, port);
	case IFSTAT_TRIE_DPORT:
		return !(f->fields & IFSTAT_F_DST_PORT) ||
		       in_range(&f->dst_port, port);
	case IFSTAT_TRIE_SADDR4:
	case IFSTAT_TRIE_SADDR6:
		return !(f->fields & IFSTAT_F_SRC) || f->family != fam ||
		       in_prefix(&f->src, key);
	default:
		return !(f->fields & IFSTAT_F_DST) || f->family != fam ||
		       in_prefix(&f->dst, key);
	}
}

static int any_bit(const struct ifstat_filter *f, int trie, const uint8_t *key)
{
	unsigned int port = (unsigned int)key[0] << 8 | key[1];
	int fam = trie == IFSTAT_TRIE_SADDR4 || trie == IFSTAT_TRIE_DADDR4 ? 4
									   : 6;

	if (trie == IFSTAT_TRIE_SPORT || trie == IFSTAT_TRIE_DPORT)
		return !(f->fields & IFSTAT_F_PORT) || in_range(&f->port, port);
	return !(f->fields & IFSTAT_F_HOST) || f->family != fam ||
	       in_prefix(&f->host, key);
}

static const unsigned int width[IFSTAT_NTRIES] = { 4, 4, 16, 16, 2, 2 };

static void check_key(const struct ifstat_tables *t,
		      const struct ifstat_filter *f, unsigned int n, int trie,
		      const uint8_t *key)
{
	const struct ifstat_trie_leaf *l = walk(t, trie, key);
	uint64_t own = 0, any = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		own |= (uint64_t)own_bit(&f[i], trie, key) << f[i].slot;
		any |= (uint64_t)any_bit(&f[i], trie, key) << f[i].slot;
	}
	if (l->own != own || l->any != any) {
		char hex[40];

		for (i = 0; i < width[trie]; i++)
			snprintf(hex + 2 * i, 3, "%02x", key[i]);
		fail_msg("trie %d key %s: own %#llx any %#llx, want %#llx "
			 "%#llx",
			 trie, hex, (unsigned long long)l->own,
			 (unsigned long long)l->any, (unsigned long long)own,
			 (unsigned long long)any);
	}
}

/* A key, its predecessor and its successor (within the key's width). */
static void check_around(const struct ifstat_tables *t,
			 const struct ifstat_filter *f, unsigned int n,
			 int trie, const uint8_t *base)
{
	uint8_t k[16];
	int d, i;

	for (d = -1; d <= 1; d++) {
		memcpy(k, base, 16);
		for (i = (int)width[trie] - 1; i >= 0 && d; i--) {
			int v = k[i] + d;

			k[i] = (uint8_t)v;
			if (v >= 0 && v <= 255)
				break;
		}
		check_key(t, f, n, trie, k);
	}
}

static void check_set(const struct ifstat_filter *f, unsigned int n)
{
	static struct ifstat_tables t;
	struct ifstat_tables_use use;
	static const uint32_t edges[] = { 64, 127, 255, 511, 1023, 1512 };
	unsigned int i, j, v, trie;
	uint8_t key[16];

	assert_int_equal(ifstat_tables_build(&t, f, n, edges, 6, &use), 0);
	assert_true(use.nodes <= IFSTAT_TRIE_NODES);
	for (v = 0; v < IFSTAT_NCLASSES; v++) {
		uint64_t want = 0;

		for (i = 0; i < n; i++)
			if ((v & f[i].need) == f[i].need)
				want |= 1ull << f[i].slot;
		assert_int_equal(t.classes[v], want);
	}
	for (v = 0; v < 4096; v++) {
		uint64_t want = 0;

		for (i = 0; i < n; i++)
			if (!(f[i].fields & IFSTAT_F_VLAN) || f[i].vlan == v)
				want |= 1ull << f[i].slot;
		assert_int_equal(t.vlan[v], want);
	}
	for (v = 0; v < 256; v++) {
		uint64_t want = 0;

		for (i = 0; i < n; i++)
			if (!(f[i].fields & IFSTAT_F_PROTO) || f[i].proto == v)
				want |= 1ull << f[i].slot;
		assert_int_equal(t.proto[v], want);
	}
	for (trie = 0; trie < IFSTAT_NTRIES; trie++) {
		/* Every prefix's and range's ends, and their neighbours. */
		for (i = 0; i < n; i++) {
			const struct ifstat_prefix *p[] = { &f[i].src,
							    &f[i].dst,
							    &f[i].host };
			const struct ifstat_ports *r[] = { &f[i].src_port,
							   &f[i].dst_port,
							   &f[i].port };

			for (j = 0; j < 3; j++) {
				const uint8_t *a = (const uint8_t *)p[j]->addr;
				const uint8_t *m = (const uint8_t *)p[j]->mask;
				unsigned int b, hi = r[j]->lo + r[j]->span;

				if (width[trie] == 2) {
					memset(key, 0, sizeof(key));
					key[0] = (uint8_t)(r[j]->lo >> 8);
					key[1] = (uint8_t)r[j]->lo;
					check_around(&t, f, n, (int)trie, key);
					key[0] = (uint8_t)(hi >> 8);
					key[1] = (uint8_t)hi;
					check_around(&t, f, n, (int)trie, key);
					continue;
				}
				memcpy(key, a, 16);
				check_around(&t, f, n, (int)trie, key);
				for (b = 0; b < 16; b++)
					key[b] = (uint8_t)(a[b] | ~m[b]);
				check_around(&t, f, n, (int)trie, key);
			}
		}
		for (i = 0; i < 2000; i++) {
			uint64_t x = rnd(), y = rnd();

			memcpy(key, &x, 8);
			memcpy(key + 8, &y, 8);
			if (i % 2) /* near the documentation ranges */
				key[0] = (uint8_t)(trie < 2 ? 192 : 0x20);
			check_key(&t, f, n, (int)trie, key);
		}
	}
}

static void parse_set(const char *const *text, unsigned int n,
		      struct ifstat_filter *f)
{
	struct ifstat_diag err;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (ifstat_filter_parse(text[i], &f[i], &err))
			fail_msg("'%s': %s: %s", text[i], err.key, err.msg);
		f[i].slot = (i * 37 + 5) % IFSTAT_MAX_FILTERS; /* not i */
	}
}

static void test_examples(void **state)
{
	static const char *const set[] = {
		"tcp dst 192.0.2.10 dst port 80",
		"udp port 53",
		"host 2001:db8::/32",
		"src 2001:db8:1::1 dst 2001:db8:1::/64",
		"dst 192.0.2.0/25 src port 1024-65535",
		"host 192.0.2.128/25",
		"vlan 100 tcp port 179",
		"any",
		"proto 47",
		"tcp src port 0 dst port 65535",
		"host ::/0",
		"src 0.0.0.0/0 port 0-65535",
		"dst 255.255.255.255",
		"host ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	};
	struct ifstat_filter f[IFSTAT_MAX_FILTERS];

	(void)state;
	parse_set(set, sizeof(set) / sizeof(set[0]), f);
	check_set(f, sizeof(set) / sizeof(set[0]));
}

/* Random sets of 64, nested prefixes and touching ranges included. */
static void test_random(void **state)
{
	static char text[IFSTAT_MAX_FILTERS][160];
	const char *p[IFSTAT_MAX_FILTERS];
	struct ifstat_filter f[IFSTAT_MAX_FILTERS];
	unsigned int round, i;

	(void)state;
	for (round = 0; round < 40; round++) {
		for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
			unsigned int lo = (unsigned int)(rnd() % 65536);
			unsigned int hi = lo + (unsigned int)(rnd() % 300);
			unsigned int l4 = (unsigned int)(rnd() % 33);
			unsigned int l6 = (unsigned int)(rnd() % 129);
			uint8_t a[16];
			char s4[INET_ADDRSTRLEN], s6[INET6_ADDRSTRLEN];
			unsigned int b;

			for (b = 0; b < 16; b++)
				a[b] = (uint8_t)rnd();
			a[0] = 0x20;
			a[1] = (uint8_t)(rnd() % 3); /* shared starts */
			for (b = 0; b < 16; b++) {
				unsigned int len = i % 2 ? l6 : l4;

				if (b * 8 >= len)
					a[b] = 0;
				else if (b * 8 + 8 > len)
					a[b] &= (uint8_t)(0xff00 >>
							  (len - b * 8));
			}
			inet_ntop(AF_INET, a, s4, sizeof(s4));
			inet_ntop(AF_INET6, a, s6, sizeof(s6));
			if (hi > 65535)
				hi = 65535;
			switch (rnd() % 4) {
			case 0:
				snprintf(text[i], sizeof(text[i]),
					 "%s %s/%u port %u-%u",
					 rnd() % 2 ? "src" : "host",
					 i % 2 ? s6 : s4, i % 2 ? l6 : l4, lo,
					 hi);
				break;
			case 1:
				snprintf(text[i], sizeof(text[i]),
					 "dst %s/%u src port %u",
					 i % 2 ? s6 : s4, i % 2 ? l6 : l4, lo);
				break;
			case 2:
				snprintf(text[i], sizeof(text[i]),
					 "udp dst port %u-%u host %s/%u", lo,
					 hi, i % 2 ? s6 : s4, i % 2 ? l6 : l4);
				break;
			default:
				snprintf(text[i], sizeof(text[i]), "vlan %u",
					 1 + (unsigned int)(rnd() % 4094));
				break;
			}
			p[i] = text[i];
		}
		parse_set(p, IFSTAT_MAX_FILTERS, f);
		check_set(f, IFSTAT_MAX_FILTERS);
	}
}

/*
 * The most nodes 64 filters can ask for: every filter names src, dst
 * and host as unaligned IPv6 prefixes that part ways at every byte (a
 * comb) or lie scattered. The cap must hold them, so that no valid
 * configuration is refused for the tables' sake.
 */
static void test_worst_case_fits(void **state)
{
	static struct ifstat_tables t;
	struct ifstat_filter f[IFSTAT_MAX_FILTERS];
	struct ifstat_diag err;
	struct ifstat_tables_use use;
	static const uint32_t edge = 64;
	unsigned int i, k, most = 0;
	char text[400];

	(void)state;
	for (k = 0; k < 3; k++) {
		for (i = 0; i < IFSTAT_MAX_FILTERS; i++) {
			uint8_t a[3][16];
			char s[3][INET6_ADDRSTRLEN];
			unsigned int j, b;

			for (j = 0; j < 3; j++) {
				for (b = 0; b < 16; b++)
					a[j][b] = k == 0 ? (uint8_t)rnd() : 0;
				if (k) /* a comb: part ways at byte i/4 */
					a[j][2 + (i + j * 21) % 14] =
						(uint8_t)(1 + i + j);
				a[j][15] &= 0xfe;
				inet_ntop(AF_INET6, a[j], s[j], sizeof(s[j]));
			}
			snprintf(text, sizeof(text),
				 "src %s/127 dst %s/127 host %s/127", s[0],
				 s[1], s[2]);
			assert_int_equal(ifstat_filter_parse(text, &f[i], &err),
					 0);
			f[i].slot = i;
		}
		assert_int_equal(ifstat_tables_build(&t, f, IFSTAT_MAX_FILTERS,
						     &edge, 1, &use),
				 0);
		if (use.nodes > most)
			most = use.nodes;
		assert_int_equal(ifstat_tables_fit(&t, f, IFSTAT_MAX_FILTERS),
				 IFSTAT_MAX_FILTERS);
	}
	printf("worst case: %u of %d trie nodes\n", most, IFSTAT_TRIE_NODES);
	assert_true(most < IFSTAT_TRIE_NODES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_worst_case_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
