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

#include "bpffs.h"
#include "config.h"
#include "daemon.h"
#include "engine.h"
#include "ifaces.h"
#include "instance.h"
#include "kcheck.h"
#include "log.h"

#ifndef IFSTAT_VERSION
#define IFSTAT_VERSION "dev"
#endif
#ifndef IFSTAT_WITH_UBUS
#define IFSTAT_WITH_UBUS "no"
#endif
#ifndef IFSTAT_WITH_PROMETHEUS
#define IFSTAT_WITH_PROMETHEUS "no"
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ifstatd [options]\n"
		"Counts the traffic of interfaces (XDP or tc, ingress and "
		"egress), per filter.\n\n"
		"  -c, --config FILE       configuration (default %s, if it "
		"exists)\n"
		"  -i, --interface IFACE   interface to count (repeatable; "
		"overrides the file)\n"
		"  -F, --filter NAME=EXPR  a filter in the one-line form, e.g. "
		"'ssh=tcp port 22'\n"
		"                          (repeatable, after the file's; none "
		"at all: all=any)\n"
		"  -f, --foreground        stay in the foreground, log to "
		"stderr (else syslog)\n"
		"      --check-config      validate, print the normalized "
		"configuration, exit\n"
		"      --keep              leave the counters pinned on exit\n"
		"      --detach            detach from the interfaces, remove "
		"pins, exit\n"
		"      --pin-root DIR      bpffs directory (default %s)\n"
		"  -v, --verbose           more messages (repeatable)\n"
		"  -V, --version           print the version\n"
		"  -h, --help              this help\n",
		IFSTAT_CONF_DEFAULT, IFSTAT_PIN_ROOT);
}

static int parse_args(int argc, char **argv, struct ifstatd_args *o)
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
			if (o->nifnames >= IFSTAT_MAX_IFACES) {
				fprintf(stderr,
					"ifstatd: -i: more than %d interfaces "
					"('%s')\n",
					IFSTAT_MAX_IFACES, optarg);
				return -E2BIG;
			}
			o->ifnames[o->nifnames++] = optarg;
			break;
		case 'F':
			if (o->nfilters >= IFSTATD_MAX_ARG_FILTERS) {
				fprintf(stderr,
					"ifstatd: -F: more than %d filters "
					"('%s')\n",
					IFSTATD_MAX_ARG_FILTERS, optarg);
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
			printf("ifstatd %s\nubus: %s\nprometheus: %s\n",
			       IFSTAT_VERSION, IFSTAT_WITH_UBUS,
			       IFSTAT_WITH_PROMETHEUS);
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

int main(int argc, char **argv)
{
	static struct ifstatd_args o;
	static struct ifstat_config c;
	static struct ifstat_diags errs;

	ifstat_log_init("ifstatd", false, 0);
	if (parse_args(argc, argv, &o))
		return 2;
	/* It reads a file and prints: no capability at all. */
	if (o.check_only && ifstatd_caps_limit(0))
		return 1;
	if (o.check_only) {
		if (ifstatd_build_config(&o, &c, &errs)) {
			ifstatd_log_diags(&errs);
			return 1;
		}
		ifstat_config_print(stdout, &c);
		return 0;
	}
	ifstat_log_init("ifstatd", !o.foreground, o.verbose);
	ifstat_log_bpf_init();
	if (ifstatd_build_config(&o, &c, &errs)) {
		ifstatd_log_diags(&errs);
		return 1;
	}
	if (o.detach_only)
		return ifstatd_ifaces_detach(&c, o.pin_root) ? 1 : 0;
	if (ifstat_kcheck())
		return 1;
	/* After kcheck: its probes may need libbpf's memlock bump (before
	 * 5.11), which CAP_SYS_RESOURCE allows. */
	ifstat_bpffs_init();
	ifstat_instance_init();
	if (ifstatd_caps_limit(ifstatd_caps_kept))
		return 1;
	return ifstatd_run(&o, &c) ? 1 : 0;
}
