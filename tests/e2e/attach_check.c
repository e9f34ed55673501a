// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Drives the engine on a real interface, one action per run, so that the
 * end-to-end tests exercise what a daemon restart does: the program stays
 * attached and the maps stay pinned between runs, and every run after the
 * first finds them again.
 *
 *   attach_check -i IF [-p PIN_ROOT] [-d DIR] [-k HOOK] [-m MODE]
 *                [-f NAME=FILTER]... [-F FILE] attach
 *   attach_check -i IF [-p PIN_ROOT] [-f NAME=FILTER]... [-F FILE] set
 *   attach_check -i IF [-p PIN_ROOT] [-d DIR] read [EXPECTED]
 *   attach_check -i IF [-p PIN_ROOT] detach
 *
 * attach installs the filters, then attaches; set replaces the filters of
 * the running program (a reload); read prints the snapshot as "key value"
 * lines, or with EXPECTED compares every key both ways and exits 1 on any
 * difference; detach removes the program and the pins. DIR: ingress (the
 * default) or egress; HOOK of ingress: xdp (the default), tc or auto.
 */
#include <errno.h>
#include <net/if.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "filter.h"
#include "log.h"

#define MAX_LINES 1024
#define KEY_MAX 96

struct options {
	const char *ifname;
	const char *pin_root;
	enum ifstat_mode mode;
	unsigned int dir; /* enum ifstat_dir */
	enum ifstat_hook hook;
	int verbose;
	unsigned int nfilters;
	struct ifstat_filter_def defs[IFSTAT_MAX_FILTERS];
};

struct kv {
	char key[KEY_MAX];
	unsigned long long val;
};

struct kvlist {
	unsigned int n;
	struct kv v[MAX_LINES];
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: attach_check -i IFACE [options] "
		"attach|set|read [EXPECTED]|detach\n"
		"  -i IFACE        interface\n"
		"  -p DIR          pin root on bpffs (default %s)\n"
		"  -d DIR          ingress (default) or egress\n"
		"  -k HOOK         of ingress: xdp (default), tc or auto\n"
		"  -m MODE         auto, native or generic (attach)\n"
		"  -f NAME=FILTER  a filter in the one-line form (attach, "
		"set)\n"
		"  -F FILE         filters, one NAME=FILTER per line\n"
		"  -v              more log\n",
		IFSTAT_PIN_ROOT);
}

static int add_filter(struct options *o, const char *spec)
{
	struct ifstat_filter_def *d;
	struct ifstat_diag err;
	const char *eq = strchr(spec, '=');
	size_t nlen;

	if (o->nfilters >= IFSTAT_MAX_FILTERS) {
		fprintf(stderr, "attach_check: more than %d filters\n",
			IFSTAT_MAX_FILTERS);
		return -E2BIG;
	}
	nlen = eq ? (size_t)(eq - spec) : 0;
	if (!nlen || nlen >= IFSTAT_NAME_MAX) {
		fprintf(stderr, "attach_check: '%s' is not NAME=FILTER\n",
			spec);
		return -EINVAL;
	}
	d = &o->defs[o->nfilters];
	memset(d, 0, sizeof(*d));
	memcpy(d->name, spec, nlen);
	if (ifstat_filter_parse(eq + 1, &d->filter, &err)) {
		struct ifstat_buf b;

		ifstat_buf_init(&b);
		ifstat_diag_write(&b, &err);
		fprintf(stderr, "attach_check: filter '%s': %s\n", d->name,
			b.data ? b.data : "");
		ifstat_buf_free(&b);
		return -EINVAL;
	}
	o->nfilters++;
	return 0;
}

static int add_filter_file(struct options *o, const char *path)
{
	char line[512];
	FILE *fp = fopen(path, "r");
	int ret = 0;

	if (!fp) {
		ret = -errno;
		fprintf(stderr, "attach_check: cannot open %s: %s\n", path,
			strerror(-ret));
		return ret;
	}
	while (!ret && fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] && line[0] != '#')
			ret = add_filter(o, line);
	}
	fclose(fp);
	return ret;
}

static void kv_add(struct kvlist *l, const char *key, unsigned long long val)
{
	if (l->n >= MAX_LINES)
		return;
	snprintf(l->v[l->n].key, KEY_MAX, "%s", key);
	l->v[l->n].val = val;
	l->n++;
}

/* Labels from the edges in force: "0-64", ..., "1513+". */
static void bucket_label(const struct ifstat_snapshot *s, unsigned int i,
			 char *buf, size_t n)
{
	uint32_t lo = i ? s->edges[i - 1] + 1 : 0;

	if (i < s->nedges)
		snprintf(buf, n, "%u-%u", lo, s->edges[i]);
	else
		snprintf(buf, n, "%u+", lo);
}

static void snapshot_kv(const struct ifstat_snapshot *s, struct kvlist *l)
{
	char key[KEY_MAX], label[32];
	unsigned int i, b;

	kv_add(l, "totals.packets", s->totals.packets);
	kv_add(l, "totals.bytes", s->totals.bytes);
	kv_add(l, "totals.unmatched", s->totals.unmatched);
	kv_add(l, "totals.non_ip", s->totals.non_ip);
	kv_add(l, "totals.malformed", s->totals.malformed);
	kv_add(l, "filters", s->nfilters);
	for (i = 0; i < s->nfilters && i < IFSTAT_MAX_FILTERS; i++) {
		const struct ifstat_filter_stats *f = &s->filters[i];

		snprintf(key, sizeof(key), "filter.%s.packets", f->name);
		kv_add(l, key, f->packets);
		snprintf(key, sizeof(key), "filter.%s.bytes", f->name);
		kv_add(l, key, f->bytes);
		for (b = 0; b <= s->nedges && b < IFSTAT_MAX_BUCKETS; b++) {
			bucket_label(s, b, label, sizeof(label));
			snprintf(key, sizeof(key), "filter.%s.bucket.%s",
				 f->name, label);
			kv_add(l, key, f->buckets[b]);
		}
	}
}

static int kv_load(const char *path, struct kvlist *l)
{
	char line[256], key[KEY_MAX];
	unsigned long long val;
	unsigned int lineno = 0;
	FILE *fp = fopen(path, "r");
	int ret = 0;

	if (!fp) {
		ret = -errno;
		fprintf(stderr, "attach_check: cannot open %s: %s\n", path,
			strerror(-ret));
		return ret;
	}
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		if (line[0] == '\n' || line[0] == '#')
			continue;
		if (sscanf(line, "%95s %llu", key, &val) != 2 ||
		    l->n >= MAX_LINES) {
			fprintf(stderr,
				"attach_check: %s:%u: not 'key value'\n", path,
				lineno);
			ret = -EINVAL;
			break;
		}
		kv_add(l, key, val);
	}
	fclose(fp);
	return ret;
}

static const struct kv *kv_find(const struct kvlist *l, const char *key)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return &l->v[i];
	return NULL;
}

/* Every key both ways, so a missing or extra filter is a failure too. */
static int kv_compare(const struct kvlist *want, const struct kvlist *got)
{
	unsigned int i, bad = 0;
	const struct kv *k;

	for (i = 0; i < want->n; i++) {
		k = kv_find(got, want->v[i].key);
		if (!k) {
			printf("MISSING %s (expected %llu)\n", want->v[i].key,
			       want->v[i].val);
			bad++;
		} else if (k->val != want->v[i].val) {
			printf("DIFF %s expected %llu got %llu\n",
			       want->v[i].key, want->v[i].val, k->val);
			bad++;
		}
	}
	for (i = 0; i < got->n; i++) {
		if (!kv_find(want, got->v[i].key)) {
			printf("EXTRA %s %llu\n", got->v[i].key, got->v[i].val);
			bad++;
		}
	}
	if (bad) {
		printf("%u of %u counters differ\n", bad, want->n);
		return -EINVAL;
	}
	printf("all %u counters as expected\n", want->n);
	return 0;
}

static bool pinned(const struct options *o)
{
	char dir[PATH_MAX - 32], path[PATH_MAX];
	struct stat st;

	ifstat_engine_pin_dir_of(o->ifname, o->pin_root, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, IFSTAT_MAP_COUNTERS);
	return !stat(path, &st);
}

/* The link of o's interface, opened in a new engine. */
static int link_of(const struct options *o, struct ifstat_engine **e,
		   struct ifstat_link **l)
{
	struct ifstat_engine_opts eo = { .pin_root = o->pin_root };
	struct ifstat_link_opts lo = { .ifname = o->ifname,
				       .dirs = (enum ifstat_dirs)(1u << o->dir),
				       .hook = o->hook,
				       .xdp_mode = o->mode };
	int ret = ifstat_engine_open(e, &eo);

	if (ret)
		return ret;
	ret = ifstat_link_open(*e, &lo, l);
	if (ret) {
		ifstat_engine_destroy(*e);
		*e = NULL;
	}
	return ret;
}

static int do_attach(const struct options *o)
{
	struct ifstat_engine *e;
	struct ifstat_link *l;
	bool had_pins = pinned(o);
	int ret;

	ret = link_of(o, &e, &l);
	if (ret)
		return ret;
	ret = ifstat_engine_set_filters(e, o->defs, o->nfilters, NULL, 0);
	if (ret)
		fprintf(stderr,
			"attach_check: cannot install the filters: %s\n",
			strerror(-ret));
	else
		ret = ifstat_link_attach(l, (int)if_nametoindex(o->ifname));
	if (ret) {
		/* Leave nothing behind that this run created. */
		ifstat_link_close(l, had_pins);
	} else {
		printf("mode %s\n", ifstat_link_mode(l, o->dir));
		ifstat_link_release(l);
	}
	ifstat_engine_destroy(e);
	return ret;
}

/* Opens the state of an earlier run; never makes one. */
static int open_existing(const struct options *o, struct ifstat_engine **e,
			 struct ifstat_link **l)
{
	if (!pinned(o)) {
		fprintf(stderr, "attach_check: nothing pinned for %s\n",
			o->ifname);
		return -ENOENT;
	}
	return link_of(o, e, l);
}

static int do_read(const struct options *o, const char *expected)
{
	static struct ifstat_snapshot snap;
	static struct kvlist got, want;
	struct ifstat_engine *e;
	struct ifstat_link *l;
	unsigned int i;
	int ret;

	ret = open_existing(o, &e, &l);
	if (ret)
		return ret;
	if (!ifstat_link_running(l)) {
		fprintf(stderr,
			"attach_check: no ifstat program attached to "
			"%s\n",
			o->ifname);
		ret = -ENOENT;
	} else {
		ret = ifstat_link_read(l, o->dir, &snap);
	}
	ifstat_link_release(l);
	ifstat_engine_destroy(e);
	if (ret == -ENOENT)
		return ret;
	if (ret) {
		fprintf(stderr, "attach_check: cannot read the counters: %s\n",
			strerror(-ret));
		return ret;
	}
	snapshot_kv(&snap, &got);
	if (!expected) {
		for (i = 0; i < got.n; i++)
			printf("%s %llu\n", got.v[i].key, got.v[i].val);
		return 0;
	}
	ret = kv_load(expected, &want);
	if (ret)
		return ret;
	return kv_compare(&want, &got);
}

/* A configuration reload from another process: the program stays. */
static int do_set(const struct options *o)
{
	struct ifstat_engine *e;
	struct ifstat_link *l;
	int ret;

	ret = open_existing(o, &e, &l);
	if (ret)
		return ret;
	ret = ifstat_engine_set_filters(e, o->defs, o->nfilters, NULL, 0);
	if (ret)
		fprintf(stderr,
			"attach_check: cannot install the filters: %s\n",
			strerror(-ret));
	ifstat_link_release(l);
	ifstat_engine_destroy(e);
	return ret;
}

static int do_detach(const struct options *o)
{
	struct ifstat_engine *e;
	struct ifstat_link *l;
	int ret;

	ret = link_of(o, &e, &l);
	if (ret)
		return ret;
	ifstat_link_detach_from(l, (int)if_nametoindex(o->ifname));
	ifstat_link_close(l, false);
	ifstat_engine_destroy(e);
	return 0;
}

int main(int argc, char **argv)
{
	static struct options o = { .mode = IFSTAT_MODE_AUTO,
				    .dir = IFSTAT_DIR_INGRESS,
				    .hook = IFSTAT_HOOK_XDP };
	enum ifstat_dirs dirs;
	const char *action;
	int c, ret;

	ifstat_log_init("attach_check", false, 0);
	while ((c = getopt(argc, argv, "i:p:d:k:m:f:F:vh")) != -1) {
		switch (c) {
		case 'i':
			o.ifname = optarg;
			break;
		case 'p':
			o.pin_root = optarg;
			break;
		case 'd':
			if (ifstat_dirs_parse(optarg, &dirs) ||
			    dirs == IFSTAT_DIRS_BOTH) {
				fprintf(stderr,
					"attach_check: bad direction "
					"'%s'\n",
					optarg);
				return 2;
			}
			o.dir = dirs == IFSTAT_DIRS_EGRESS ? IFSTAT_DIR_EGRESS
							   : IFSTAT_DIR_INGRESS;
			break;
		case 'k':
			if (ifstat_hook_parse(optarg, &o.hook)) {
				fprintf(stderr, "attach_check: bad hook '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'm':
			if (ifstat_mode_parse(optarg, &o.mode)) {
				fprintf(stderr, "attach_check: bad mode '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'f':
			if (add_filter(&o, optarg))
				return 2;
			break;
		case 'F':
			if (add_filter_file(&o, optarg))
				return 2;
			break;
		case 'v':
			o.verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!o.ifname || optind >= argc) {
		usage(stderr);
		return 2;
	}
	ifstat_log_init("attach_check", false, o.verbose);
	ifstat_log_bpf_init();
	action = argv[optind];
	if (!strcmp(action, "attach") && optind + 1 == argc) {
		ret = do_attach(&o);
	} else if (!strcmp(action, "read") && optind + 2 >= argc) {
		ret = do_read(&o, argv[optind + 1]);
	} else if (!strcmp(action, "set") && optind + 1 == argc) {
		ret = do_set(&o);
	} else if (!strcmp(action, "detach") && optind + 1 == argc) {
		ret = do_detach(&o);
	} else {
		usage(stderr);
		return 2;
	}
	return ret ? 1 : 0;
}
