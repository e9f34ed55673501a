// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Differential test: seeded random frames (VLAN stacks, IPv4 options and
 * fragments, IPv6 extension chains, truncation around every header
 * boundary, multi-buffer jumbo frames) against random filter sets. The
 * real XDP program (BPF_PROG_TEST_RUN) and the independent reference
 * classifier (reference.c) must agree on every counter after each batch.
 *
 * test_random_sets: many seeded random filter sets (1 to 64 filters,
 * nested and overlapping prefixes of both families, touching and nested
 * ranges, either-direction fields, twins, filters naming nothing), each
 * installed into the same program as a reload would, with its own frames.
 *
 * IFSTAT_SEED=<n>       reproduce a run (the seed is printed)
 * IFSTAT_FRAMES=<n>     number of frames (default 100000)
 * IFSTAT_SETS=<n>       random filter sets (default 200)
 * IFSTAT_SET_FRAMES=<n> frames per set (default 5000)
 * IFSTAT_KEEP_GOING=1   report every failing batch instead of stopping
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "gen.h"
#include "reference.h"
#include "runner.h"

#define DEFAULT_FRAMES 100000u
/* Each phase: a fresh program, a new filter set and bucket edges. */
#define MIN_PHASES 5u
#define FRAMES_PER_PHASE 50000u
#define BATCH 1000u
#define DEFAULT_SETS 200u
#define FRAMES_PER_SET 5000u
#define HEX_DUMP_MIN 128

/* ---- random filters ----------------------------------------------------- */

static void rand_prefix(struct rng *r, int family, struct ref_prefix *p)
{
	static const uint8_t v4_lens[] = { 0, 8, 16, 24, 25, 31 };
	static const uint8_t v6_lens[] = { 0, 32, 33, 48, 64, 96, 127 };
	unsigned int max = family == 6 ? 128 : 32, x = below(r, 100), i;

	memset(p, 0, sizeof(*p));
	if (family == 6)
		rand_v6(r, p->addr);
	else
		rand_v4(r, p->addr);
	if (x < 30)
		p->len = max;
	else if (x < 70)
		p->len = below(r, max + 1);
	else
		p->len = family == 6 ? PICK(r, v6_lens) : PICK(r, v4_lens);
	/* The filter parser refuses host bits beyond the prefix. */
	for (i = 0; i < 16; i++) {
		if (i * 8 >= p->len)
			p->addr[i] = 0;
		else if (i * 8 + 8 > p->len)
			p->addr[i] &= (uint8_t)(0xff00 >> (p->len - i * 8));
	}
}

static void rand_range(struct rng *r, struct ref_range *g)
{
	unsigned int x = below(r, 100);

	g->lo = rand_port(r);
	if (x < 60)
		g->hi = g->lo;
	else if (x < 85)
		g->hi = (uint16_t)(g->lo + below(r, 65536u - g->lo) % 100);
	else
		g->hi = (uint16_t)between(r, g->lo, 65535);
}

static void rand_fields(struct rng *r, struct ref_filter *f)
{
	static const uint8_t named[] = { 6, 17, 1, 58 };
	static const uint8_t numbers[] = { 0, 2, 47, 132, 255, 43, 44, 59, 51 };

	if (chance(r, 45)) {
		f->fields |= REF_F_PROTO;
		f->proto = chance(r, 80) ? PICK(r, named) : PICK(r, numbers);
	}
	if (chance(r, 50)) {
		f->family = chance(r, 50) ? 4 : 6;
		do {
			if (chance(r, 40)) {
				f->fields |= REF_F_SRC;
				rand_prefix(r, f->family, &f->src);
			}
			if (chance(r, 40)) {
				f->fields |= REF_F_DST;
				rand_prefix(r, f->family, &f->dst);
			}
			if (chance(r, 35)) {
				f->fields |= REF_F_HOST;
				rand_prefix(r, f->family, &f->host);
			}
		} while (!(f->fields & (REF_F_SRC | REF_F_DST | REF_F_HOST)));
	}
	/* Ports need tcp or udp when a protocol is named (the parser says). */
	if (chance(r, 40) &&
	    (!(f->fields & REF_F_PROTO) || f->proto == 6 || f->proto == 17)) {
		if (chance(r, 45)) {
			f->fields |= REF_F_SRC_PORT;
			rand_range(r, &f->src_port);
		}
		if (chance(r, 45)) {
			f->fields |= REF_F_DST_PORT;
			rand_range(r, &f->dst_port);
		}
		if (chance(r, 45) ||
		    !(f->fields & (REF_F_SRC_PORT | REF_F_DST_PORT))) {
			f->fields |= REF_F_PORT;
			rand_range(r, &f->port);
		}
	}
	if (chance(r, 18)) {
		f->fields |= REF_F_VLAN;
		f->vlan = PICK(r, vid_pool);
	}
}

static void rand_filter(struct rng *r, struct ref_filter *f, int allow_any)
{
	do {
		memset(f, 0, sizeof(*f));
		if (allow_any && chance(r, 6))
			return; /* "any" */
		rand_fields(r, f);
	} while (!f->fields);
}

static void rand_edges(struct rng *r, uint32_t *edges, unsigned int *n)
{
	static const uint32_t defaults[] = { 64, 127, 255, 511, 1023, 1512 };
	unsigned int i;

	if (chance(r, 50)) {
		memcpy(edges, defaults, sizeof(defaults));
		*n = 6;
		return;
	}
	*n = between(r, 1, 15);
	edges[0] = between(r, 14, 200);
	for (i = 1; i < *n; i++)
		edges[i] = edges[i - 1] + between(r, 1, 1200);
}

/* ---- expected counters -------------------------------------------------- */

struct counts {
	uint64_t packets, bytes, unmatched, non_ip, malformed;
	struct {
		uint64_t packets, bytes, buckets[16];
	} f[REF_MAX_FILTERS];
};

struct phase {
	char tag[12]; /* filter names are TAG0, TAG1...: a new tag, new filters */
	struct ref_filter filters[REF_MAX_FILTERS];
	char text[REF_MAX_FILTERS][300];
	unsigned int nf;
	uint32_t edges[16];
	unsigned int nedges;
};

static void account(struct counts *c, const struct ref_result *res, size_t len,
		    unsigned int nf)
{
	unsigned int i;

	c->packets++;
	c->bytes += len;
	c->unmatched += !res->match;
	c->non_ip += res->pkt.non_ip;
	c->malformed += res->pkt.malformed;
	for (i = 0; i < nf; i++) {
		if (!(res->match >> i & 1))
			continue;
		c->f[i].packets++;
		c->f[i].bytes += len;
		c->f[i].buckets[res->bucket]++;
	}
}

/* The snapshot as struct counts, filters found by name. 0 or -errno. */
static int actual(struct runner *r, const struct phase *ph, struct counts *a)
{
	static struct ifstat_snapshot s;
	unsigned int i, j, k;
	char name[IFSTAT_NAME_MAX];
	int ret = runner_read(r, &s);

	if (ret)
		return ret;
	memset(a, 0, sizeof(*a));
	a->packets = s.totals.packets;
	a->bytes = s.totals.bytes;
	a->unmatched = s.totals.unmatched;
	a->non_ip = s.totals.non_ip;
	a->malformed = s.totals.malformed;
	if (s.nfilters != ph->nf || s.nedges != ph->nedges ||
	    memcmp(s.edges, ph->edges, ph->nedges * sizeof(s.edges[0]))) {
		fprintf(stderr, "snapshot has %u filters/%u edges, set %u/%u\n",
			s.nfilters, s.nedges, ph->nf, ph->nedges);
		return -EPROTO;
	}
	for (i = 0; i < ph->nf; i++) {
		snprintf(name, sizeof(name), "%s%u", ph->tag, i);
		for (j = 0; j < s.nfilters; j++)
			if (!strcmp(s.filters[j].name, name))
				break;
		if (j == s.nfilters) {
			fprintf(stderr, "filter %s missing from snapshot\n",
				name);
			return -EPROTO;
		}
		a->f[i].packets = s.filters[j].packets;
		a->f[i].bytes = s.filters[j].bytes;
		for (k = 0; k < IFSTAT_MAX_BUCKETS && k < 16; k++)
			a->f[i].buckets[k] = s.filters[j].buckets[k];
	}
	return 0;
}

static int same(const struct counts *a, const struct counts *b, unsigned int nf)
{
	return !memcmp(a, b, offsetof(struct counts, f) + nf * sizeof(a->f[0]));
}

static void print_diff(const struct phase *ph, const struct counts *exp,
		       const struct counts *act)
{
	static const char *const tn[] = { "packets", "bytes", "unmatched",
					  "non_ip", "malformed" };
	const uint64_t *e = &exp->packets, *a = &act->packets;
	unsigned int i, k;

	for (i = 0; i < 5; i++)
		if (e[i] != a[i])
			fprintf(stderr,
				"  totals.%s: expected %" PRIu64
				", actual %" PRIu64 "\n",
				tn[i], e[i], a[i]);
	for (i = 0; i < ph->nf; i++) {
		if (!memcmp(&exp->f[i], &act->f[i], sizeof(exp->f[i])))
			continue;
		fprintf(stderr,
			"  f%u '%s': packets %" PRIu64 "/%" PRIu64
			" bytes %" PRIu64 "/%" PRIu64 " (expected/actual)\n",
			i, ph->text[i], exp->f[i].packets, act->f[i].packets,
			exp->f[i].bytes, act->f[i].bytes);
		for (k = 0; k < 16; k++)
			if (exp->f[i].buckets[k] != act->f[i].buckets[k])
				fprintf(stderr,
					"    bucket %u: expected %" PRIu64
					", actual %" PRIu64 "\n",
					k, exp->f[i].buckets[k],
					act->f[i].buckets[k]);
	}
}

static void hex_dump(const struct frame *f, size_t upto)
{
	size_t i, n = f->len < upto ? f->len : upto;

	for (i = 0; i < n; i++)
		fprintf(stderr, "%s%02x%s", i % 16 ? "" : "    ", f->b[i],
			i % 16 == 15 || i + 1 == n ? "\n" : " ");
	if (n < f->len)
		fprintf(stderr, "    ... %zu more bytes (payload)\n",
			f->len - n);
}

static int install(struct runner *r, const struct phase *ph)
{
	static char specs[REF_MAX_FILTERS][340];
	const char *p[REF_MAX_FILTERS];
	unsigned int i;

	for (i = 0; i < ph->nf; i++) {
		snprintf(specs[i], sizeof(specs[i]), "%s%u=%s", ph->tag, i,
			 ph->text[i]);
		p[i] = specs[i];
	}
	return runner_filters(r, p, ph->nf, ph->edges, ph->nedges);
}

static void report_frame(const struct phase *ph, uint64_t seed, uint64_t index,
			 const struct frame *f, const struct ref_result *res)
{
	char desc[512];
	size_t upto = res->pkt.reach + 32;
	unsigned int i;

	ref_pkt_describe(&res->pkt, desc, sizeof(desc));
	fprintf(stderr,
		"first offending frame: #%" PRIu64 " (IFSTAT_SEED=0x%016" PRIx64
		"), %zu bytes, bucket %u\n  reference: %s\n",
		index, seed, f->len, res->bucket, desc);
	hex_dump(f, upto < HEX_DUMP_MIN ? HEX_DUMP_MIN : upto);
	fprintf(stderr, "  filters the reference says match:\n");
	for (i = 0; i < ph->nf; i++)
		if (res->match >> i & 1)
			fprintf(stderr, "    f%u '%s'\n", i, ph->text[i]);
	if (!res->match)
		fprintf(stderr, "    (none)\n");
}

/*
 * A batch disagreed: replay it frame by frame on a fresh program with the
 * same filters and stop at the first frame whose counts differ.
 */
static void find_offender(const struct phase *ph, uint64_t seed, uint64_t first,
			  unsigned int n)
{
	static struct frame f;
	static struct counts exp, act;
	struct ref_result res;
	struct runner r;
	unsigned int i;

	if (runner_open(&r) || install(&r, ph)) {
		fprintf(stderr, "cannot reopen the program to replay\n");
		return;
	}
	memset(&exp, 0, sizeof(exp));
	for (i = 0; i < n; i++) {
		gen_frame(frame_seed(seed, first + i), &f);
		ref_classify(f.b, f.len, ph->filters, ph->nf, ph->edges,
			     ph->nedges, &res);
		account(&exp, &res, f.len, ph->nf);
		if (runner_run(&r, &f) || actual(&r, ph, &act) ||
		    !same(&exp, &act, ph->nf)) {
			report_frame(ph, seed, first + i, &f, &res);
			print_diff(ph, &exp, &act);
			runner_close(&r);
			return;
		}
	}
	fprintf(stderr, "replayed frame by frame, the batch agrees: the "
			"disagreement depends on earlier state\n");
	runner_close(&r);
}

static void make_phase(uint64_t seed, unsigned int k, struct phase *ph)
{
	struct rng r = { mix64(seed ^ (0xf117e5ull + k)) };
	/* One "any" leaves totals.unmatched at 0 for the whole phase:
	 * allow it only in every other phase. */
	int allow_any = k % 2;
	unsigned int i;

	snprintf(ph->tag, sizeof(ph->tag), "f");
	ph->nf = between(&r, 8, REF_MAX_FILTERS);
	for (i = 0; i < ph->nf; i++) {
		rand_filter(&r, &ph->filters[i], allow_any);
		assert_true(ref_filter_format(&ph->filters[i], ph->text[i],
					      sizeof(ph->text[i])) > 0);
	}
	rand_edges(&r, ph->edges, &ph->nedges);
}

/*
 * A filter made from an earlier one of the set, so that sets hold what
 * the classifier's tables must keep apart: a prefix nested in or around
 * another (either family), a range touching or inside another, the same
 * field in the other direction (src as host, port as dst_port).
 */
static void nest_prefix(struct rng *r, struct ref_prefix *p, int family)
{
	unsigned int max = family == 6 ? 128 : 32, len, i;

	len = below(r, max + 1);
	/* Longer: random bits below the old prefix; shorter: cut. */
	for (i = p->len; i < len; i++)
		if (chance(r, 50))
			p->addr[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	p->len = len;
	for (i = 0; i < 16; i++) {
		if (i * 8 >= len)
			p->addr[i] = 0;
		else if (i * 8 + 8 > len)
			p->addr[i] &= (uint8_t)(0xff00 >> (len - i * 8));
	}
}

static void near_range(struct rng *r, struct ref_range *g)
{
	unsigned int x = below(r, 4), lo = g->lo, hi = g->hi;

	if (x == 0 && hi < 65535) { /* touching above */
		g->lo = (uint16_t)(hi + 1);
		g->hi = (uint16_t)between(r, hi + 1,
					  hi + 1 + (65534 - hi) % 50);
	} else if (x == 1 && lo > 0) { /* touching below */
		g->hi = (uint16_t)(lo - 1);
		g->lo = (uint16_t)(lo - 1 - below(r, lo) % 50);
	} else if (x == 2) { /* inside */
		g->lo = (uint16_t)between(r, lo, hi);
		g->hi = (uint16_t)between(r, g->lo, hi);
	} else { /* around */
		g->lo = (uint16_t)between(r, 0, lo);
		g->hi = (uint16_t)between(r, hi, 65535);
	}
}

static void derive_filter(struct rng *r, const struct ref_filter *from,
			  struct ref_filter *f)
{
	struct ref_prefix *pfx[] = { &f->src, &f->dst, &f->host };
	struct ref_range *rng[] = { &f->src_port, &f->dst_port, &f->port };
	static const unsigned int pf[] = { REF_F_SRC, REF_F_DST, REF_F_HOST };
	static const unsigned int rf[] = { REF_F_SRC_PORT, REF_F_DST_PORT,
					   REF_F_PORT };
	unsigned int i, j;

	*f = *from;
	for (i = 0; i < 3; i++) {
		if ((f->fields & pf[i]) && chance(r, 60))
			nest_prefix(r, pfx[i], f->family);
		if ((f->fields & rf[i]) && chance(r, 60))
			near_range(r, rng[i]);
	}
	/* The same value in another direction's field. */
	for (i = 0; i < 3; i++) {
		j = below(r, 3);
		if ((f->fields & pf[i]) && !(f->fields & pf[j]) &&
		    chance(r, 30)) {
			*pfx[j] = *pfx[i];
			f->fields = (f->fields & ~pf[i]) | pf[j];
		}
		if ((f->fields & rf[i]) && !(f->fields & rf[j]) &&
		    chance(r, 30)) {
			*rng[j] = *rng[i];
			f->fields = (f->fields & ~rf[i]) | rf[j];
		}
	}
}

/* A set for test_random_sets: 1 to 64 filters, often small. */
static void make_set(uint64_t seed, unsigned int k, struct phase *ph)
{
	struct rng r = { mix64(seed ^ (0x5e75ull + k)) };
	unsigned int i, x;

	snprintf(ph->tag, sizeof(ph->tag), "s%u.", k);
	ph->nf = chance(&r, 30) ? between(&r, 1, 8)
				: between(&r, 1, REF_MAX_FILTERS);
	for (i = 0; i < ph->nf; i++) {
		x = below(&r, 100);
		if (i && x < 10)
			ph->filters[i] = ph->filters[below(&r, i)]; /* twin */
		else if (i && x < 45)
			derive_filter(&r, &ph->filters[below(&r, i)],
				      &ph->filters[i]);
		else
			rand_filter(&r, &ph->filters[i], 1);
		assert_true(ref_filter_format(&ph->filters[i], ph->text[i],
					      sizeof(ph->text[i])) > 0);
	}
	rand_edges(&r, ph->edges, &ph->nedges);
}

/* What the generated traffic covered, by the reference's account. */
struct stats {
	uint64_t frames, jumbo, non_ip, malformed, unmatched, hits, ports;
	uint64_t vid, ext, frag, deep, filters, idle;
};

static void note(struct stats *st, const struct ref_result *res, size_t len)
{
	st->frames++;
	st->jumbo += len > 4096;
	st->non_ip += res->pkt.non_ip;
	st->malformed += res->pkt.malformed;
	st->unmatched += !res->match;
	st->hits += (uint64_t)__builtin_popcountll(res->match);
	st->ports += res->pkt.ports_known;
	st->vid += res->pkt.has_vid;
	st->ext += res->pkt.next_ext > 0;
	st->frag += res->pkt.nonfirst_frag;
	st->deep += res->pkt.l4_off > 3072;
}

/*
 * Runs frames [index, end) against a fresh program with ph's filters,
 * comparing every counter after each batch. Returns the failing batches.
 */
static uint64_t run_frames(struct runner *rn, const struct phase *ph,
			   uint64_t seed, uint64_t index, uint64_t end,
			   int keep_going, struct stats *st)
{
	static struct frame f;
	static struct counts exp, act;
	struct ref_result res;
	uint64_t bad = 0;
	unsigned int i;

	/* Every filter of the set is new: they start at zero, the totals
	 * carry on. */
	assert_int_equal(actual(rn, ph, &exp), 0);
	for (i = 0; i < ph->nf; i++)
		assert_true(!exp.f[i].packets && !exp.f[i].bytes);
	while (index < end) {
		uint64_t first = index;
		unsigned int n = 0;

		for (; index < end && n < BATCH; index++, n++) {
			gen_frame(frame_seed(seed, index), &f);
			ref_classify(f.b, f.len, ph->filters, ph->nf, ph->edges,
				     ph->nedges, &res);
			account(&exp, &res, f.len, ph->nf);
			note(st, &res, f.len);
			if (runner_run(rn, &f)) {
				report_frame(ph, seed, index, &f, &res);
				fail_msg("test run failed or the frame was "
					 "not passed unchanged");
			}
		}
		assert_int_equal(actual(rn, ph, &act), 0);
		if (same(&exp, &act, ph->nf))
			continue;
		bad++;
		fprintf(stderr,
			"counters disagree after frames %" PRIu64 "-%" PRIu64
			":\n",
			first, index - 1);
		print_diff(ph, &exp, &act);
		find_offender(ph, seed, first, n);
		if (!keep_going)
			break;
		exp = act; /* carry on from the program's view */
	}
	for (i = 0; i < ph->nf; i++)
		st->idle += !exp.f[i].packets;
	st->filters += ph->nf;
	return bad;
}

/* Frames [index, end) against a fresh program with ph's filters. */
static uint64_t run_phase(const struct phase *ph, uint64_t seed, uint64_t index,
			  uint64_t end, int keep_going, struct stats *st)
{
	struct runner r;
	uint64_t bad;

	assert_int_equal(runner_open(&r), 0);
	assert_int_equal(install(&r, ph), 0);
	bad = run_frames(&r, ph, seed, index, end, keep_going, st);
	runner_close(&r);
	return bad;
}

static void test_differential(void **state)
{
	static struct phase ph;
	uint64_t seed = env_u64("IFSTAT_SEED", mix64((uint64_t)time(NULL) ^
						     (uint64_t)getpid() << 32));
	uint64_t nframes = env_u64("IFSTAT_FRAMES", DEFAULT_FRAMES);
	int keep_going = env_u64("IFSTAT_KEEP_GOING", 0) != 0;
	unsigned int k, i, nphases = MIN_PHASES;
	struct stats st = { 0 };
	struct timespec t0, t1;
	uint64_t bad = 0;

	(void)state;
	printf("differential: IFSTAT_SEED=0x%016" PRIx64 " IFSTAT_FRAMES="
	       "%" PRIu64 "\n",
	       seed, nframes);
	if (nframes / FRAMES_PER_PHASE > MIN_PHASES)
		nphases = (unsigned int)(nframes / FRAMES_PER_PHASE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (k = 0; k < nphases && (!bad || keep_going); k++) {
		make_phase(seed, k, &ph);
		if (getenv("IFSTAT_SHOW_FILTERS"))
			for (i = 0; i < ph.nf; i++)
				printf("phase %u f%u: %s\n", k, i, ph.text[i]);
		bad += run_phase(&ph, seed, nframes * k / nphases,
				 nframes * (k + 1) / nphases, keep_going, &st);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("differential: %" PRIu64 " frames in %u phases, %.2f s, "
	       "%" PRIu64 " failing batches\n",
	       st.frames, k,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       bad);
	printf("differential: %" PRIu64 " > 4096 bytes, %" PRIu64
	       " non-IP, %" PRIu64 " malformed, %" PRIu64 " unmatched, %" PRIu64
	       " filter hits, %" PRIu64 " with ports, %" PRIu64 " with VID, "
	       "%" PRIu64 " with IPv6 extension headers, %" PRIu64 " non-first "
	       "fragments, "
	       "%" PRIu64 " with L4 past 3 KiB; %" PRIu64 " of %" PRIu64 " filt"
	       "ers "
	       "never"
	       " "
	       "matched\n",
	       st.jumbo, st.non_ip, st.malformed, st.unmatched, st.hits,
	       st.ports, st.vid, st.ext, st.frag, st.deep, st.idle, st.filters);
	if (bad)
		fail_msg("program and reference disagree "
			 "(IFSTAT_SEED=0x%016" PRIx64 ")",
			 seed);
	/* A generator gone blind must not pass quietly: every kind of
	 * frame has to show up in a run of the default size. */
	if (st.frames >= DEFAULT_FRAMES) {
		uint64_t least = st.frames / 200;

		assert_true(st.jumbo > least && st.non_ip > least);
		assert_true(st.malformed > least && st.unmatched > least);
		assert_true(st.ports > least && st.vid > least);
		assert_true(st.ext > least && st.frag > least);
		assert_true(st.deep > 0 && st.idle < st.filters / 2);
	}
}

/*
 * Many random filter sets through one program, as reloads: every set is
 * built into the classifier's tables and checked against the reference
 * on its own frames.
 */
static void test_random_sets(void **state)
{
	static struct phase ph;
	uint64_t seed = env_u64("IFSTAT_SEED", mix64((uint64_t)time(NULL) ^
						     (uint64_t)getpid() << 32));
	uint64_t nsets = env_u64("IFSTAT_SETS", DEFAULT_SETS);
	uint64_t per = env_u64("IFSTAT_SET_FRAMES", FRAMES_PER_SET);
	int keep_going = env_u64("IFSTAT_KEEP_GOING", 0) != 0;
	struct stats st = { 0 };
	uint64_t bad = 0, k, filters = 0;
	struct runner r;

	(void)state;
	printf("random sets: IFSTAT_SEED=0x%016" PRIx64 " IFSTAT_SETS=%" PRIu64
	       " IFSTAT_SET_FRAMES=%" PRIu64 "\n",
	       seed, nsets, per);
	assert_int_equal(runner_open(&r), 0);
	for (k = 0; k < nsets && (!bad || keep_going); k++) {
		make_set(seed, (unsigned int)k, &ph);
		filters += ph.nf;
		if (install(&r, &ph)) {
			unsigned int i;

			for (i = 0; i < ph.nf; i++)
				fprintf(stderr, "f%u: %s\n", i, ph.text[i]);
			fail_msg("set %" PRIu64
				 " refused (IFSTAT_SEED=0x%016" PRIx64 ")",
				 k, seed);
		}
		bad += run_frames(&r, &ph, seed ^ mix64(k), 0, per, keep_going,
				  &st);
	}
	runner_close(&r);
	printf("random sets: %" PRIu64 " sets, %" PRIu64 " filters, %" PRIu64
	       " frames, %" PRIu64 " filter hits, %" PRIu64 " unmatched, "
	       "%" PRIu64 " failing batches\n",
	       k, filters, st.frames, st.hits, st.unmatched, bad);
	if (bad)
		fail_msg("program and reference disagree "
			 "(IFSTAT_SEED=0x%016" PRIx64 ")",
			 seed);
	/* Sets that never match test nothing. */
	if (nsets >= DEFAULT_SETS)
		assert_true(st.hits > st.frames && st.idle < st.filters / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_random_sets),
	};
	struct runner r;
	int ret = runner_open(&r);

	/* Loading BPF needs privileges; without them the test cannot run. */
	if (ret == -EPERM || ret == -EACCES || ret == -ENOSYS) {
		fprintf(stderr, "skipped: cannot load the program (%s)\n",
			strerror(-ret));
		return 77;
	}
	if (!ret)
		runner_close(&r);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
