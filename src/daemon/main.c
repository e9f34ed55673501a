// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ifstatd: read the configuration, attach to the interface, count, and
 * publish the counters every interval until SIGINT/SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "engine.h"
#include "log.h"
#include "loop.h"
#include "print.h"

#ifndef IFSTAT_VERSION
#define IFSTAT_VERSION "dev"
#endif

#define MAX_ARG_FILTERS IFSTAT_MAX_FILTERS

struct options {
	const char *config; /* NULL: the default file, if it exists */
	const char *ifname;
	const char *filters[MAX_ARG_FILTERS + 1];
	unsigned int nfilters;
	const char *pin_root;
	bool foreground;
	bool check_only;
	bool keep;
	bool detach_only;
	int verbose;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ifstatd [options]\n"
		"Counts the traffic of an interface at the XDP hook, per "
		"filter.\n\n"
		"  -c, --config FILE       configuration (default %s, if it "
		"exists)\n"
		"  -i, --interface IFACE   interface to count (overrides the "
		"file)\n"
		"  -F, --filter NAME=EXPR  a filter in the one-line form, e.g. "
		"'ssh=tcp port 22'\n"
		"                          (repeatable, after the file's; none "
		"at all: all=any)\n"
		"  -f, --foreground        stay in the foreground, log to "
		"stderr (else syslog)\n"
		"      --check-config      validate, print the normalized "
		"configuration, exit\n"
		"      --keep              leave the counters pinned on exit\n"
		"      --detach            detach from the interface, remove "
		"pins, exit\n"
		"      --pin-root DIR      bpffs directory (default %s)\n"
		"  -v, --verbose           more messages (repeatable)\n"
		"  -V, --version           print the version\n"
		"  -h, --help              this help\n",
		IFSTAT_CONF_DEFAULT, IFSTAT_PIN_ROOT);
}

static int parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_CHECK = 256, OPT_KEEP, OPT_DETACH, OPT_PIN_ROOT };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "interface", required_argument, NULL, 'i' },
		{ "filter", required_argument, NULL, 'F' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "check-config", no_argument, NULL, OPT_CHECK },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "detach", no_argument, NULL, OPT_DETACH },
		{ "pin-root", required_argument, NULL, OPT_PIN_ROOT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:i:F:fvVh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'i':
			o->ifname = optarg;
			break;
		case 'F':
			if (o->nfilters >= MAX_ARG_FILTERS) {
				fprintf(stderr,
					"ifstatd: -F: more than %d filters "
					"('%s')\n",
					MAX_ARG_FILTERS, optarg);
				return -E2BIG;
			}
			o->filters[o->nfilters++] = optarg;
			break;
		case 'f':
			o->foreground = true;
			break;
		case OPT_CHECK:
			o->check_only = true;
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
		fprintf(stderr, "ifstatd: unexpected argument '%s'\n",
			argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static void print_errors(const struct ifstat_config_errors *errs)
{
	unsigned int i, n = errs->count < IFSTAT_CONF_MAX_ERRORS
				    ? errs->count
				    : IFSTAT_CONF_MAX_ERRORS;

	for (i = 0; i < n; i++)
		ifstat_log_plain(IFSTAT_LOG_ERR, "%s", errs->msg[i]);
	if (errs->count > n)
		ifstat_log_plain(IFSTAT_LOG_ERR, "... and %u more errors",
				 errs->count - n);
}

/*
 * The file (when there is one), then the command line over it. Every
 * error is reported; the result is written only when there is none.
 */
static int build_config(const struct options *o, struct ifstat_config *c)
{
	static struct ifstat_config_errors errs;
	const char *path = o->config;
	const char *name = "command line";
	char err[320];
	unsigned int i;
	int ret = 0;

	memset(&errs, 0, sizeof(errs));
	ifstat_config_defaults(c);
	if (!path && !access(IFSTAT_CONF_DEFAULT, F_OK))
		path = IFSTAT_CONF_DEFAULT;
	if (path) {
		name = path;
		ret = ifstat_config_load(path, c, &errs);
		if (ret) {
			print_errors(&errs);
			return ret;
		}
	}
	if (o->ifname) {
		if (strlen(o->ifname) >= sizeof(c->interface)) {
			log_err("-i: interface name too long ('%s')",
				o->ifname);
			return -EINVAL;
		}
		snprintf(c->interface, sizeof(c->interface), "%s", o->ifname);
	}
	for (i = 0; i < o->nfilters; i++) {
		if (ifstat_config_add_filter_arg(c, o->filters[i], err,
						 sizeof(err))) {
			ifstat_log_plain(IFSTAT_LOG_ERR, "%s", err);
			ret = -EINVAL;
		}
	}
	if (ifstat_config_check_interface(name, c, &errs)) {
		print_errors(&errs);
		ret = -EINVAL;
	}
	if (!ret)
		ifstat_config_finish(c);
	return ret;
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

static int run(const struct options *o, const struct ifstat_config *c)
{
	struct ifstat_engine_opts eo = { .ifname = c->interface,
					 .pin_root = o->pin_root };
	struct ifstat_engine *e = NULL;
	bool keep = o->keep || c->keep_counters;
	int ret;

	ret = ifstat_engine_open(&e, &eo);
	if (ret)
		return ret;
	if (o->detach_only) {
		ret = ifstat_engine_detach(e, false);
		ifstat_engine_destroy(e);
		return ret;
	}
	ret = ifstat_engine_set_filters(e, c->filters, c->nfilters, c->edges,
					c->nedges);
	if (!ret)
		ret = ifstat_engine_attach(e, c->xdp_mode);
	if (ret) {
		/* Leave nothing behind that this run created; counters
		 * found pinned stay for the next try. */
		if (!ifstat_engine_resumed(e))
			ifstat_engine_detach(e, ifstat_engine_reused(e));
		ifstat_engine_destroy(e);
		return ret;
	}
	ret = ifstat_loop_run(c->interval_ms, on_tick, e);
	if (!ifstat_engine_detach(e, keep) && keep)
		log_info("counters kept in %s", ifstat_engine_pin_dir(e));
	ifstat_engine_destroy(e);
	return ret;
}

int main(int argc, char **argv)
{
	static struct options o;
	static struct ifstat_config c;

	ifstat_log_init("ifstatd", false, 0);
	if (parse_args(argc, argv, &o))
		return 2;
	if (o.check_only) {
		if (build_config(&o, &c))
			return 1;
		ifstat_config_print(stdout, &c);
		return 0;
	}
	ifstat_log_init("ifstatd", !o.foreground, o.verbose);
	if (build_config(&o, &c))
		return 1;
	return run(&o, &c) ? 1 : 0;
}
