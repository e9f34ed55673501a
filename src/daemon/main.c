// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ifstatd: attach to an interface, count, and print the counters every
 * interval until SIGINT/SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "filter.h"
#include "log.h"
#include "loop.h"
#include "print.h"

#ifndef IFSTAT_VERSION
#define IFSTAT_VERSION "dev"
#endif

struct options {
	const char *ifname;
	const char *pin_root;
	enum ifstat_mode mode;
	unsigned int interval_ms;
	bool keep;
	bool detach_only;
	int verbose;
	struct ifstat_filter_def defs[IFSTAT_MAX_FILTERS];
	unsigned int nfilters;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ifstatd -i IFACE [options]\n"
		"Counts the traffic of IFACE at the XDP hook, per filter.\n\n"
		"  -i, --interface IFACE   interface to attach to\n"
		"  -F, --filter NAME=EXPR  a filter, e.g. 'ssh=tcp port 22' "
		"(repeatable;\n"
		"                          none: one filter 'all' = any)\n"
		"  -m, --xdp-mode MODE     auto (default), native or generic\n"
		"  -n, --interval MS       print period in ms (default 1000)\n"
		"      --keep              leave the counters pinned on exit\n"
		"      --detach            detach from IFACE, remove pins, "
		"exit\n"
		"      --pin-root DIR      bpffs directory (default %s)\n"
		"  -v, --verbose           more messages (twice: libbpf's)\n"
		"  -V, --version           print the version\n"
		"  -h, --help              this help\n",
		IFSTAT_PIN_ROOT);
}

static int add_filter(struct options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct ifstat_filter_def *d = &o->defs[o->nfilters];
	struct ifstat_filter_err err;
	char msg[256];
	size_t nlen;

	if (o->nfilters >= IFSTAT_MAX_FILTERS) {
		log_err("-F: more than %d filters ('%s')", IFSTAT_MAX_FILTERS,
			arg);
		return -E2BIG;
	}
	nlen = eq ? (size_t)(eq - arg) : 0;
	if (!nlen || nlen >= IFSTAT_NAME_MAX) {
		log_err("-F: expected NAME=EXPR with a name of 1-%d "
			"characters ('%s')",
			IFSTAT_NAME_MAX - 1, arg);
		return -EINVAL;
	}
	memcpy(d->name, arg, nlen);
	d->name[nlen] = '\0';
	if (ifstat_filter_parse(eq + 1, &d->filter, &err)) {
		ifstat_filter_err_str(&err, msg, sizeof(msg));
		log_err("-F %s: %s", d->name, msg);
		return -EINVAL;
	}
	o->nfilters++;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_KEEP = 256, OPT_DETACH, OPT_PIN_ROOT };
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "filter", required_argument, NULL, 'F' },
		{ "xdp-mode", required_argument, NULL, 'm' },
		{ "interval", required_argument, NULL, 'n' },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "detach", no_argument, NULL, OPT_DETACH },
		{ "pin-root", required_argument, NULL, OPT_PIN_ROOT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	char *end;
	long v;
	int c;

	o->interval_ms = 1000;
	while ((c = getopt_long(argc, argv, "i:F:m:n:vVh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'i':
			o->ifname = optarg;
			break;
		case 'F':
			if (add_filter(o, optarg))
				return -EINVAL;
			break;
		case 'm':
			if (ifstat_mode_parse(optarg, &o->mode)) {
				log_err("-m: expected auto, native or generic "
					"('%s')",
					optarg);
				return -EINVAL;
			}
			break;
		case 'n':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 10 || v > 3600000) {
				log_err("-n: interval must be 10-3600000 ms "
					"('%s')",
					optarg);
				return -EINVAL;
			}
			o->interval_ms = (unsigned int)v;
			break;
		case OPT_KEEP:
			o->keep = true;
			break;
		case OPT_DETACH:
			o->detach_only = true;
			break;
		case OPT_PIN_ROOT:
			o->pin_root = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'V':
			printf("ifstatd %s\n", IFSTAT_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		log_err("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (!o->ifname) {
		log_err("no interface: give one with -i IFACE");
		return -EINVAL;
	}
	if (!o->nfilters && !o->detach_only)
		return add_filter(o, "all=any");
	return 0;
}

static int on_tick(void *ctx)
{
	struct ifstat_engine *e = ctx;
	struct ifstat_snapshot snap;
	int ret = ifstat_engine_read(e, &snap);

	if (ret) {
		log_err("cannot read the counters: %s", strerror(-ret));
		return ret;
	}
	ifstat_print_table(stdout, &snap);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static struct options o;
	struct ifstat_engine_opts eo = { 0 };
	struct ifstat_engine *e = NULL;
	int ret;

	ifstat_log_init("ifstatd", false, 0);
	if (parse_args(argc, argv, &o))
		return 2;
	ifstat_log_init("ifstatd", false, o.verbose);
	eo.ifname = o.ifname;
	eo.pin_root = o.pin_root;
	ret = ifstat_engine_open(&e, &eo);
	if (ret)
		return 1;
	if (o.detach_only) {
		ret = ifstat_engine_detach(e, false);
		ifstat_engine_destroy(e);
		return ret ? 1 : 0;
	}
	ret = ifstat_engine_set_filters(e, o.defs, o.nfilters, NULL, 0);
	if (!ret)
		ret = ifstat_engine_attach(e, o.mode);
	if (ret) {
		/* Leave nothing behind that this run created; counters
		 * found pinned stay for the next try. */
		if (!ifstat_engine_resumed(e))
			ifstat_engine_detach(e, ifstat_engine_reused(e));
		ifstat_engine_destroy(e);
		return 1;
	}
	ret = ifstat_loop_run(o.interval_ms, on_tick, e);
	ifstat_engine_detach(e, o.keep);
	if (o.keep)
		log_info("counters kept in %s", ifstat_engine_pin_dir(e));
	ifstat_engine_destroy(e);
	return ret ? 1 : 0;
}
