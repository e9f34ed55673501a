// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Replacing and resetting the filter set of the real program: which
 * counters survive (same name and definition, same edges), which restart
 * at zero, slot reuse through the lazy generation of ifstat_slot, and no
 * lost count while the set is replaced under traffic, also over 200 sets
 * of up to 64 filters whose every other filter changes.
 *
 * The expected values come from a model kept by the test: every frame it
 * sends is added to the filters that the test's own table says it
 * matches, and every replacement keeps exactly the filters listed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "filter.h"
#include "runner.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The frames the test sends; all addresses are documentation ranges. */
enum kind { K_WEB, K_DNS, K_V6, K_ARP, NKINDS };
#define M(k) (1u << (k))

static void build(struct frame *f, enum kind k, size_t len)
{
	frame_init(f);
	switch (k) {
	case K_WEB:
		frame_eth(f, 0x0800);
		frame_ipv4(f, 6, "192.0.2.10", "198.51.100.20", 5, 0);
		frame_tcp(f, 40000, 80);
		break;
	case K_DNS:
		frame_eth(f, 0x0800);
		frame_ipv4(f, 17, "192.0.2.10", "203.0.113.53", 5, 0);
		frame_udp(f, 5353, 53);
		break;
	case K_V6:
		frame_eth(f, 0x86dd);
		frame_ipv6(f, 6, "2001:db8::1", "2001:db8::2");
		frame_tcp(f, 443, 50000);
		break;
	default:
		frame_eth(f, 0x0806);
		frame_zero(f, 28);
		break;
	}
	frame_finish(f, len);
}

/* Which kinds each definition matches, worked out from DESIGN.md rule 7. */
static const struct {
	const char *def;
	unsigned int kinds;
} matches_table[] = {
	{ "any", M(K_WEB) | M(K_DNS) | M(K_V6) | M(K_ARP) },
	{ "tcp dst port 80", M(K_WEB) },
	{ "tcp dst port 80-81", M(K_WEB) },
	{ "udp port 53", M(K_DNS) },
	{ "port 53 udp", M(K_DNS) },
	{ "host 2001:db8::/32", M(K_V6) },
	{ "src 192.0.2.0/24", M(K_WEB) | M(K_DNS) },
	{ "tcp", M(K_WEB) | M(K_V6) },
};

static unsigned int kinds_of(const char *def)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(matches_table); i++)
		if (!strcmp(matches_table[i].def, def))
			return matches_table[i].kinds;
	fail_msg("no match table entry for '%s'", def);
	return 0;
}

struct mfilter {
	char name[IFSTAT_NAME_MAX];
	const char *def;
	uint64_t packets, bytes, buckets[IFSTAT_MAX_BUCKETS];
};

struct model {
	struct mfilter f[IFSTAT_MAX_FILTERS];
	unsigned int n;
	uint32_t edges[IFSTAT_MAX_EDGES];
	unsigned int nedges;
	uint64_t packets, bytes, unmatched, non_ip, malformed;
};

static const uint32_t default_edges[] = IFSTAT_DEFAULT_EDGES;

static void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->edges, default_edges, sizeof(default_edges));
	m->nedges = IFSTAT_DEFAULT_NEDGES;
}

static unsigned int model_bucket(const struct model *m, uint64_t len)
{
	unsigned int i = 0;

	while (i < m->nedges && len > m->edges[i])
		i++;
	return i;
}

static void zero_filter(struct mfilter *f)
{
	f->packets = f->bytes = 0;
	memset(f->buckets, 0, sizeof(f->buckets));
}

static void zero_totals(struct model *m)
{
	m->packets = m->bytes = m->unmatched = m->non_ip = m->malformed = 0;
}

static struct runner r;
static struct ifstat_snapshot snap;
static struct frame fr;

/* Sends count copies of one frame and adds them to the model. */
static void send(struct model *m, enum kind k, size_t len, unsigned int count)
{
	unsigned int i, j, hit = 0;
	unsigned int b;

	build(&fr, k, len);
	b = model_bucket(m, fr.len);
	for (j = 0; j < count; j++)
		assert_int_equal(runner_run(&r, &fr), 0);
	for (i = 0; i < m->n; i++) {
		if (!(kinds_of(m->f[i].def) & M(k)))
			continue;
		hit = 1;
		m->f[i].packets += count;
		m->f[i].bytes += (uint64_t)count * fr.len;
		m->f[i].buckets[b] += count;
	}
	m->packets += count;
	m->bytes += (uint64_t)count * fr.len;
	m->unmatched += hit ? 0 : count;
	m->non_ip += k == K_ARP ? count : 0;
}

/* A mix of every kind over the bucket edges; step varies the counts. */
static void send_mix(struct model *m, unsigned int step)
{
	static const size_t lens[] = { 60,  64,	 65,   127,  128,  255,	 256,
				       511, 512, 1023, 1024, 1512, 1513, 9000 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		send(m, K_WEB, lens[i], 1 + (i + step) % 3);
		send(m, K_DNS, lens[i], 1 + (i + 2 * step) % 2);
		send(m, K_V6, lens[i], 1 + (i * step) % 4);
		send(m, K_ARP, lens[i], (i + step) % 2);
	}
}

static void check(const struct model *m, const char *where)
{
	unsigned int i, b;

	assert_int_equal(runner_read(&r, &snap), 0);
	if (snap.nfilters != m->n)
		fail_msg("%s: %u filters, expected %u", where, snap.nfilters,
			 m->n);
	assert_int_equal(snap.nedges, m->nedges);
	assert_memory_equal(snap.edges, m->edges,
			    m->nedges * sizeof(m->edges[0]));
	for (i = 0; i < m->n; i++) {
		const struct ifstat_filter_stats *s = &snap.filters[i];
		const struct mfilter *f = &m->f[i];

		if (strcmp(s->name, f->name))
			fail_msg("%s: filter %u is '%s', expected '%s'", where,
				 i, s->name, f->name);
		if (s->packets != f->packets || s->bytes != f->bytes)
			fail_msg("%s: '%s' has %llu packets %llu bytes, "
				 "expected %llu and %llu",
				 where, f->name, (unsigned long long)s->packets,
				 (unsigned long long)s->bytes,
				 (unsigned long long)f->packets,
				 (unsigned long long)f->bytes);
		for (b = 0; b < IFSTAT_MAX_BUCKETS; b++)
			if (s->buckets[b] != f->buckets[b])
				fail_msg("%s: '%s' bucket %u is %llu, expected "
					 "%llu",
					 where, f->name, b,
					 (unsigned long long)s->buckets[b],
					 (unsigned long long)f->buckets[b]);
	}
	if (snap.totals.packets != m->packets ||
	    snap.totals.bytes != m->bytes ||
	    snap.totals.unmatched != m->unmatched ||
	    snap.totals.non_ip != m->non_ip ||
	    snap.totals.malformed != m->malformed)
		fail_msg("%s: totals %llu/%llu/%llu/%llu/%llu, expected "
			 "%llu/%llu/%llu/%llu/%llu (packets/bytes/unmatched/"
			 "non_ip/malformed)",
			 where, (unsigned long long)snap.totals.packets,
			 (unsigned long long)snap.totals.bytes,
			 (unsigned long long)snap.totals.unmatched,
			 (unsigned long long)snap.totals.non_ip,
			 (unsigned long long)snap.totals.malformed,
			 (unsigned long long)m->packets,
			 (unsigned long long)m->bytes,
			 (unsigned long long)m->unmatched,
			 (unsigned long long)m->non_ip,
			 (unsigned long long)m->malformed);
}

static const struct mfilter *model_find(const struct model *m, const char *name)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->f[i].name, name))
			return &m->f[i];
	return NULL;
}

static int listed(const char *const *names, const char *name)
{
	for (; *names; names++)
		if (!strcmp(*names, name))
			return 1;
	return 0;
}

#define KEEP(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NONE ((const char *const[]){ NULL })

/*
 * Installs specs ("name=definition"); the filters named in kept must
 * keep their counts, every other one must start at zero. Checks at once,
 * before any new frame.
 */
static void install(struct model *m, const char *const *specs, unsigned int n,
		    const uint32_t *edges, unsigned int nedges,
		    const char *const *kept, const char *where)
{
	struct model old = *m;
	unsigned int i;

	assert_int_equal(runner_filters(&r, specs, n, edges, nedges), 0);
	m->n = n;
	for (i = 0; i < n; i++) {
		const char *eq = strchr(specs[i], '=');
		struct mfilter *f = &m->f[i];
		const struct mfilter *o;

		memset(f, 0, sizeof(*f));
		memcpy(f->name, specs[i], (size_t)(eq - specs[i]));
		f->def = eq + 1;
		if (!listed(kept, f->name))
			continue;
		o = model_find(&old, f->name);
		assert_non_null(o);
		f->packets = o->packets;
		f->bytes = o->bytes;
		memcpy(f->buckets, o->buckets, sizeof(f->buckets));
	}
	if (edges) {
		memcpy(m->edges, edges, nedges * sizeof(*edges));
		m->nedges = nedges;
	}
	check(m, where);
}

static uint64_t packets_of(const char *name)
{
	unsigned int i;

	assert_int_equal(runner_read(&r, &snap), 0);
	for (i = 0; i < snap.nfilters; i++)
		if (!strcmp(snap.filters[i].name, name))
			return snap.filters[i].packets;
	fail_msg("no filter '%s' in the snapshot", name);
	return 0;
}

static int cpu_a = -1, cpu_b = -1; /* two CPUs we may run on, or -1 */

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	assert_int_equal(
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set), 0);
}

static int setup(void **state)
{
	(void)state;
	if (runner_open(&r))
		return -1;
	/* One CPU, so a slot's old counts sit where the new frames land. */
	pin(cpu_a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	runner_close(&r);
	return 0;
}

static void test_replace(void **state)
{
	static const uint32_t edges2[] = { 100, 200, 1000 };
	static const uint32_t bad_edges[] = { 100, 100 };
	static struct model m;
	const char *const s0[] = { "web=tcp dst port 80", "dns=udp port 53",
				   "v6=host 2001:db8::/32", "all=any" };
	const char *const s1[] = { "web=tcp dst port 80", "dns=udp port 53",
				   "v6=host 2001:db8::/32", "all=any",
				   "web2=tcp dst port 80" };
	/* (a) the same filters, another order. */
	const char *const sa[] = { "all=any", "web2=tcp dst port 80",
				   "v6=host 2001:db8::/32", "dns=udp port 53",
				   "web=tcp dst port 80" };
	/* (b) web's definition changes; dns is the same filter spelt
	 * another way, so it is kept. */
	const char *const sb[] = { "all=any", "web2=tcp dst port 80",
				   "v6=host 2001:db8::/32", "dns=port 53 udp",
				   "web=tcp dst port 80-81" };
	/* (c) v6 renamed to six. */
	const char *const sc[] = { "all=any", "web2=tcp dst port 80",
				   "six=host 2001:db8::/32", "dns=port 53 udp",
				   "web=tcp dst port 80-81" };
	/* (d) dns removed, then added again. */
	const char *const sd1[] = { "all=any", "web2=tcp dst port 80",
				    "six=host 2001:db8::/32",
				    "web=tcp dst port 80-81" };
	const char *const *sd2 = sc;
	const char *many[IFSTAT_MAX_FILTERS + 1];
	uint64_t web, web2;
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = "x=any";
	model_init(&m);
	install(&m, s0, 4, NULL, 0, NONE, "first set");
	send_mix(&m, 1);
	check(&m, "first traffic");

	install(&m, s1, 5, NULL, 0, KEEP("web", "dns", "v6", "all"),
		"web2 added");
	send_mix(&m, 2);
	check(&m, "after web2");
	web = packets_of("web");
	web2 = packets_of("web2");
	/* Same definition, distinct names: distinct counts. */
	assert_true(web > web2 && web2 > 0);

	install(&m, sa, 5, NULL, 0, KEEP("web", "web2", "dns", "v6", "all"),
		"(a) reordered");
	assert_int_equal(packets_of("web"), web);
	assert_int_equal(packets_of("web2"), web2);
	send_mix(&m, 3);
	check(&m, "(a) traffic");

	install(&m, sb, 5, NULL, 0, KEEP("web2", "dns", "v6", "all"),
		"(b) web redefined");
	assert_int_equal(packets_of("web"), 0);
	send_mix(&m, 4);
	check(&m, "(b) traffic");

	install(&m, sc, 5, NULL, 0, KEEP("web", "web2", "dns", "all"),
		"(c) v6 renamed six");
	assert_int_equal(packets_of("six"), 0);
	send_mix(&m, 5);
	check(&m, "(c) traffic");

	install(&m, sd1, 4, NULL, 0, KEEP("web", "web2", "six", "all"),
		"(d) dns removed");
	send_mix(&m, 6);
	check(&m, "(d) traffic without dns");
	install(&m, sd2, 5, NULL, 0, KEEP("web", "web2", "six", "all"),
		"(d) dns back");
	assert_int_equal(packets_of("dns"), 0);
	send_mix(&m, 7);
	check(&m, "(d) traffic with dns");

	/* A refused set changes nothing. */
	assert_int_equal(runner_filters(&r, sc, 5, bad_edges, 2), -EINVAL);
	assert_int_equal(ifstat_engine_set_filters(r.e, NULL, 0, edges2, 0),
			 -EINVAL);
	assert_int_equal(runner_filters(&r, many, IFSTAT_MAX_FILTERS + 1, NULL,
					0),
			 -E2BIG);
	check(&m, "after refused sets");

	install(&m, sc, 5, edges2, ARRAY_SIZE(edges2), NONE, "(e) new edges");
	send_mix(&m, 8);
	check(&m, "(e) traffic");
	/* NULL edges mean the running ones, not the defaults. */
	install(&m, sc, 5, NULL, 0, KEEP("web", "web2", "six", "dns", "all"),
		"(e) same set, edges NULL");
	install(&m, sc, 5, edges2, ARRAY_SIZE(edges2),
		KEEP("web", "web2", "six", "dns", "all"),
		"(e) same set, same edges");
	install(&m, sc, 5, default_edges, IFSTAT_DEFAULT_NEDGES, NONE,
		"(e) default edges again");
	send_mix(&m, 9);
	check(&m, "(e) traffic on default edges");

	/* An empty set: every frame is unmatched; then all new again. */
	install(&m, sc, 0, NULL, 0, NONE, "no filters");
	send_mix(&m, 10);
	check(&m, "traffic without filters");
	install(&m, sc, 5, NULL, 0, NONE, "filters back");
	send_mix(&m, 11);
	check(&m, "traffic with filters back");
}

static void test_reset(void **state)
{
	static struct model m;
	const char *const s[] = { "web=tcp dst port 80", "dns=udp port 53",
				  "all=any" };
	uint64_t epoch;
	unsigned int i;

	(void)state;
	model_init(&m);
	install(&m, s, 3, NULL, 0, NONE, "reset: first set");
	send_mix(&m, 1);
	check(&m, "reset: traffic");

	assert_int_equal(runner_read(&r, &snap), 0);
	epoch = snap.epoch;
	/* An index beyond the set is refused and changes nothing. */
	assert_int_equal(ifstat_engine_reset(r.e, 3), -ENOENT);
	check(&m, "reset: refused index");
	assert_int_equal(snap.epoch, epoch);

	assert_int_equal(ifstat_engine_reset(r.e, 1), 0);
	zero_filter(&m.f[1]);
	check(&m, "reset: dns");
	assert_int_equal(snap.filters[1].packets, 0);
	assert_true(snap.epoch > epoch);
	epoch = snap.epoch;
	send_mix(&m, 2);
	check(&m, "reset: traffic after dns reset");

	assert_int_equal(ifstat_engine_reset(r.e, -1), 0);
	for (i = 0; i < m.n; i++)
		zero_filter(&m.f[i]);
	zero_totals(&m);
	check(&m, "reset: all");
	assert_int_equal(snap.totals.packets, 0);
	assert_true(snap.epoch > epoch);
	epoch = snap.epoch;
	send_mix(&m, 3);
	check(&m, "reset: traffic after full reset");

	/* Counts since the reset survive an identical set. */
	install(&m, s, 3, NULL, 0, KEEP("web", "dns", "all"),
		"reset: same set again");
	/* Two resets in the same millisecond still move the epoch. */
	assert_int_equal(ifstat_engine_reset(r.e, 0), 0);
	assert_int_equal(ifstat_engine_reset(r.e, 0), 0);
	zero_filter(&m.f[0]);
	check(&m, "reset: web twice");
	assert_true(snap.epoch >= epoch + 2);
	send_mix(&m, 4);
	check(&m, "reset: final traffic");
}

/*
 * A slot left by a removed filter still holds that filter's counts on
 * the CPUs that saw it; the filter that takes the slot must start at
 * zero anyway, both on the CPU that counts again (zeroed lazily by the
 * program) and on one that does not (skipped by the reader).
 */
static void test_slot_reuse(void **state)
{
	static struct model m;
	const char *const s0[] = { "all=any", "web=tcp dst port 80",
				   "dns=udp port 53" };
	const char *const s1[] = { "all=any", "web=tcp dst port 80" };
	const char *const s2[] = { "all=any", "web=tcp dst port 80",
				   "new=src 192.0.2.0/24" };
	uint32_t slot;

	(void)state;
	model_init(&m);
	install(&m, s0, 3, NULL, 0, NONE, "reuse: first set");
	send(&m, K_DNS, 100, 5);
	if (cpu_b >= 0) {
		pin(cpu_b);
		send(&m, K_DNS, 300, 7);
		pin(cpu_a);
	}
	check(&m, "reuse: dns counted");
	assert_true(snap.filters[2].packets >= 5);
	slot = snap.filters[2].filter.slot;

	install(&m, s1, 2, NULL, 0, KEEP("all", "web"), "reuse: dns removed");
	install(&m, s2, 3, NULL, 0, KEEP("all", "web"), "reuse: new added");
	/* The slot is the lowest free one, which dns left. */
	assert_int_equal(snap.filters[2].filter.slot, slot);
	assert_int_equal(snap.filters[2].packets, 0);

	/* "new" matches web and dns frames, so the old counts would show. */
	send(&m, K_WEB, 200, 3);
	send(&m, K_DNS, 100, 2);
	check(&m, "reuse: new counted");
	assert_int_equal(snap.filters[2].packets, 5);
}

#define CHUNKS 200
#define PER_CHUNK 1000
/*
 * Mostly one frame per call: a call with repeat > 1 costs two RCU grace
 * periods in the kernel (the XDP dispatcher is switched), ~30 ms. A few
 * such calls are kept: their runs share one RCU read-side section, which
 * a replacement must wait for.
 */
#define LONG_EVERY 20

struct racer {
	int prog_fd;
	int cpu;
	size_t len;
	atomic_uint chunks_started; /* by the runner thread */
	atomic_uint sets_started; /* by the main thread */
	uint64_t ran;
	int err;
};

static void wait_until(atomic_uint *v, unsigned int n)
{
	while (atomic_load(v) < n)
		sched_yield();
}

static int race_call(struct racer *x, const struct frame *f,
		     unsigned int repeat)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = (__u32)f->len, .repeat = repeat);

	if (bpf_prog_test_run_opts(x->prog_fd, &o))
		return -errno;
	if (o.retval != XDP_PASS)
		return -EPROTO;
	x->ran += repeat;
	return 0;
}

static void *race_run(void *arg)
{
	struct racer *x = arg;
	static struct frame f;
	unsigned int c, i;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(x->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	build(&f, K_WEB, x->len);
	for (c = 0; c < CHUNKS && !x->err; c++) {
		/* Lock step, one chunk per replacement, so they overlap. */
		wait_until(&x->sets_started, c);
		atomic_store(&x->chunks_started, c + 1);
		if (c % LONG_EVERY == LONG_EVERY - 1) {
			x->err = race_call(x, &f, PER_CHUNK);
			continue;
		}
		for (i = 0; i < PER_CHUNK && !x->err; i++)
			x->err = race_call(x, &f, 1);
	}
	atomic_store(&x->chunks_started, CHUNKS);
	return NULL;
}

/* The sets of test_concurrent_replace, one per round. */
static const char *const *alternate(unsigned int round, unsigned int *n)
{
	static const char *const with_a[] = { "keep=tcp dst port 80", "extra="
								      "any" };
	static const char *const with_b[] = { "extra=any", "keep=tcp dst port "
							   "80" };
	static const char *const alone[] = { "keep=tcp dst port 80" };

	*n = round % 2 ? 1 : 2;
	return round % 2 ? alone : round % 4 ? with_b : with_a;
}

/*
 * Replaces the set CHUNKS times, next() giving each, while a thread runs
 * web frames of len bytes in lock step; checks every frame ran.
 */
static void race(const char *const *(*next)(unsigned int, unsigned int *),
		 size_t len, struct racer *x)
{
	unsigned int i, n;
	pthread_t t;

	memset(x, 0, sizeof(*x));
	x->prog_fd = r.prog_fd;
	x->cpu = cpu_b >= 0 ? cpu_b : cpu_a;
	x->len = len;
	assert_int_equal(pthread_create(&t, NULL, race_run, x), 0);
	for (i = 0; i < CHUNKS; i++) {
		const char *const *s;

		wait_until(&x->chunks_started, i);
		atomic_store(&x->sets_started, i + 1);
		s = next(i, &n);
		if (runner_filters(&r, s, n, NULL, 0))
			break;
	}
	atomic_store(&x->sets_started, CHUNKS);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(i, CHUNKS);
	assert_int_equal(x->err, 0);
	assert_int_equal(x->ran, (uint64_t)CHUNKS * PER_CHUNK);
}

/*
 * The "no counting gap" guarantee: a filter kept across replacements
 * loses no frame, whichever set each frame was counted under.
 */
static void test_concurrent_replace(void **state)
{
	const char *const alone[] = { "keep=tcp dst port 80" };
	const char *const with_b[] = { "extra=any", "keep=tcp dst port 80" };
	static struct racer x;
	unsigned int b;
	uint64_t total = (uint64_t)CHUNKS * PER_CHUNK;
	static struct model m;
	const struct ifstat_filter_stats *keep;

	(void)state;
	model_init(&m);
	install(&m, alone, 1, NULL, 0, NONE, "race: first set");
	race(alternate, 700, &x);

	assert_int_equal(runner_read(&r, &snap), 0);
	assert_int_equal(snap.nfilters, 1);
	keep = &snap.filters[0];
	assert_string_equal(keep->name, "keep");
	b = model_bucket(&m, x.len);
	assert_int_equal(keep->packets, total);
	assert_int_equal(keep->bytes, total * x.len);
	assert_int_equal(keep->buckets[b], total);
	assert_int_equal(snap.totals.packets, total);
	assert_int_equal(snap.totals.bytes, total * x.len);
	assert_int_equal(snap.totals.unmatched, 0);
	assert_int_equal(snap.totals.non_ip, 0);
	assert_int_equal(snap.totals.malformed, 0);

	/* The extra filter, back once more, starts from nothing. */
	m.f[0].packets = total;
	m.f[0].bytes = total * x.len;
	m.f[0].buckets[b] = total;
	m.packets = total;
	m.bytes = total * x.len;
	install(&m, with_b, 2, NULL, 0, KEEP("keep"), "race: extra back");
	send(&m, K_WEB, 700, 3);
	check(&m, "race: after");
}

/*
 * Many different sets under traffic, as a busy operator's reloads: three
 * filters keep their definitions at moving positions among up to 61
 * others that come, go and change. Every frame is a web frame: "kw" and
 * "ka" must count each one exactly once, "kn" none.
 */
static const char *const churn_pool[] = {
	"tcp dst port 80",
	"tcp",
	"any",
	"udp",
	"dst 198.51.100.20",
	"src 192.0.2.0/24",
	"host 2001:db8::/32",
	"port 79-81",
	"tcp port 1-79",
	"tcp src port 40000",
	"vlan 100",
	"proto 47",
	"dst 198.51.100.0/25",
	"host 192.0.2.10",
	"udp port 53",
	"tcp dst 198.51.100.20/32 dst port 80-80",
};

static void churn_set(unsigned int round, char (*buf)[64], const char **specs,
		      unsigned int *n)
{
	static const char *const keep[] = { "kw=tcp dst port 80", "ka=any",
					    "kn=udp dst port 53" };
	unsigned int seed = round * 2654435761u, i, k = 0;
	unsigned int total = 3 + seed % 62, at[3];

	for (i = 0; i < 3; i++)
		at[i] = (seed >> (8 + 5 * i)) % total;
	for (i = 0; i < total; i++) {
		if (k < 3 && (i == at[k] || total - i == 3 - k)) {
			specs[i] = keep[k++];
			continue;
		}
		/* A new name (or a changed definition) every round. */
		snprintf(buf[i], 64, "r%u.%u=%s", round, i,
			 churn_pool[(seed + i * 7) % ARRAY_SIZE(churn_pool)]);
		specs[i] = buf[i];
	}
	*n = total;
}

/* The sets of test_churn_under_traffic, one per round. */
static const char *const *churn_next(unsigned int round, unsigned int *n)
{
	static char buf[IFSTAT_MAX_FILTERS][64];
	static const char *specs[IFSTAT_MAX_FILTERS];

	churn_set(round + 1, buf, specs, n);
	return specs;
}

static void test_churn_under_traffic(void **state)
{
	static char buf[IFSTAT_MAX_FILTERS][64];
	const char *specs[IFSTAT_MAX_FILTERS];
	static struct racer x;
	uint64_t total = (uint64_t)CHUNKS * PER_CHUNK;
	unsigned int i, j, n;

	(void)state;
	churn_set(0, buf, specs, &n);
	assert_int_equal(runner_filters(&r, specs, n, NULL, 0), 0);
	race(churn_next, 90, &x);
	assert_int_equal(runner_read(&r, &snap), 0);
	for (i = j = 0; i < snap.nfilters; i++) {
		const struct ifstat_filter_stats *f = &snap.filters[i];
		uint64_t want = strcmp(f->name, "kn") ? total : 0;

		if (f->name[0] != 'k')
			continue;
		j++;
		assert_int_equal(f->packets, want);
		assert_int_equal(f->bytes, want * x.len);
		assert_int_equal(f->buckets[1], want);
	}
	assert_int_equal(j, 3);
	assert_int_equal(snap.totals.packets, total);
	assert_int_equal(snap.totals.unmatched, 0);
}

/* The first two CPUs this process may use. */
static void find_cpus(void)
{
	cpu_set_t set;
	int c;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &set))
			continue;
		if (cpu_a < 0)
			cpu_a = c;
		else if (cpu_b < 0)
			cpu_b = c;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_reuse, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_replace, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_churn_under_traffic, setup,
						teardown),
	};
	int ret;

	if (geteuid() != 0) {
		printf("SKIPPED: test_reload needs root (BPF_PROG_TEST_RUN "
		       "and BPF maps)\n");
		return 77;
	}
	ret = runner_open(&r);
	if (ret) {
		printf("SKIPPED: test_reload cannot load the XDP program: %s\n",
		       strerror(-ret));
		return 77;
	}
	runner_close(&r);
	find_cpus();
	if (cpu_a < 0) {
		printf("SKIPPED: test_reload finds no CPU to run on\n");
		return 77;
	}
	if (cpu_b < 0)
		printf("note: one CPU only; the cross-CPU cases run on one\n");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
