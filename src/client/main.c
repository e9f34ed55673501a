// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * ifstat: show what ifstatd publishes on its socket, as a live table or
 * as the JSON lines themselves.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "lines.h"
#include "render.h"
#include "report.h"
#include "select.h"
#include "text.h"
#include "wait.h"
#ifdef IFSTAT_HAVE_UBUS
#include "ubus_source.h"
#endif

#ifndef IFSTAT_VERSION
#define IFSTAT_VERSION "dev"
#endif

/* Exit statuses (README, "ifstat, the client"), decided in main() only. */
enum { EXIT_DONE = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct options {
	const char *path;
	const char *ubus; /* --ubus: the object; path is ubusd's (-s) */
	bool path_set;
	bool json, once;
	struct ifstat_select sel;
};

struct client {
	const struct options *o;
	bool tty;
	unsigned long shown; /* snapshots printed */
	struct ifstat_report *cur, *prev; /* prev NULL before the first */
	struct ifstat_report reports[2];
	struct ifstat_buf out;
	int fd; /* the socket, and what came on it */
	struct ifstat_lines lines;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ifstat [options]\n"
		"Shows the per-filter counters that ifstatd publishes.\n\n"
		"  -s, --socket PATH   ifstatd's socket (default %s)\n"
#ifdef IFSTAT_HAVE_UBUS
		"      --ubus[=OBJECT] from ubus (object ifstat); -s is then "
		"ubusd's\n"
		"                      socket (default $UBUS_SOCK, else "
		"libubus's)\n"
#endif
		"      --json          print the snapshots as JSON lines "
		"(every\n"
		"                      interface and direction: --interface "
		"and\n"
		"                      --direction do not apply)\n"
		"      --once          print one snapshot and exit\n"
		"      --filter NAME   only this filter (repeatable)\n"
		"      --interface NAME\n"
		"                      only this interface (repeatable)\n"
		"      --direction ingress|egress\n"
		"                      only this direction\n"
		"  -V, --version       print the version\n"
		"  -h, --help          this help\n",
		IFSTAT_SOCKET_DEFAULT);
}

/* 0 to go on, IFSTAT_DONE after -V or -h, -EINVAL on a usage error. */
static int parse_args(int argc, char **argv, struct options *o)
{
	enum {
		OPT_JSON = 256,
		OPT_ONCE,
		OPT_FILTER,
		OPT_INTERFACE,
		OPT_DIRECTION,
		OPT_UBUS
	};
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "filter", required_argument, NULL, OPT_FILTER },
		{ "interface", required_argument, NULL, OPT_INTERFACE },
		{ "direction", required_argument, NULL, OPT_DIRECTION },
#ifdef IFSTAT_HAVE_UBUS
		{ "ubus", optional_argument, NULL, OPT_UBUS },
#endif
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	o->path = IFSTAT_SOCKET_DEFAULT;
	while ((c = getopt_long(argc, argv, "s:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->path = optarg;
			o->path_set = true;
			break;
		case OPT_UBUS:
			o->ubus = optarg ? optarg : "ifstat";
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_ONCE:
			o->once = true;
			break;
		case OPT_FILTER:
		case OPT_INTERFACE:
			if (ifstat_select_add(c == OPT_FILTER
						      ? &o->sel.filters
						      : &o->sel.interfaces,
					      optarg)) {
				fprintf(stderr,
					"ifstat: at most %d --%s names\n",
					IFSTAT_MAX_FILTERS,
					c == OPT_FILTER ? "filter"
							: "interface");
				return -EINVAL;
			}
			break;
		case OPT_DIRECTION:
			if (strcmp(optarg, "ingress") && strcmp(optarg, "egres"
									"s")) {
				fprintf(stderr,
					"ifstat: --direction: '%s' is neither "
					"ingress nor egress\n",
					optarg);
				return -EINVAL;
			}
			o->sel.direction = optarg;
			break;
		case 'V':
			printf("ifstat %s\n", IFSTAT_VERSION);
			return IFSTAT_DONE;
		case 'h':
			usage(stdout);
			return IFSTAT_DONE;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ifstat: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static int print_out(struct client *c)
{
	int ret;

	if (c->out.err) {
		fprintf(stderr, "ifstat: %s\n", strerror(-c->out.err));
		return c->out.err;
	}
	fwrite(c->out.data, 1, c->out.len, stdout);
	if (fflush(stdout) || ferror(stdout)) {
		ret = errno ? -errno : -EIO;
		fprintf(stderr, "ifstat: writing the output: %s\n",
			strerror(-ret));
		return ret;
	}
	return 0;
}

/* 0 to go on, IFSTAT_DONE after --once's table, or -errno. */
static int on_line(struct client *c, const char *line)
{
	struct ifstat_report *swap;
	char err[256], shown[1024]; /* escaped: \xNN for one byte */
	int ret;

	if (!*line) /* not a snapshot, nor worth a complaint */
		return 0;
	if (ifstat_report_parse(line, c->cur, err, sizeof(err))) {
		ifstat_visible(shown, sizeof(shown), err);
		fprintf(stderr, "ifstat: skipping a snapshot: %s\n", shown);
		return 0;
	}
	ifstat_buf_reset(&c->out);
	if (!c->shown) {
		ret = ifstat_select_check(&c->o->sel, c->cur, &c->out);
		if (c->out.len && !c->out.err)
			fputs(c->out.data, stderr);
		if (ret)
			return ret;
		ifstat_buf_reset(&c->out);
	}
	if (c->o->json) {
		ret = 0;
		if (!c->o->sel.filters.n)
			ifstat_buf_printf(&c->out, "%s\n", line);
		else
			ret = ifstat_select_json(&c->o->sel, line, &c->out);
		if (ret && !c->out.err)
			c->out.err = ret;
	} else {
		/* Redraw in place on a terminal; a blank line between tables
		 * in a file or pipe. */
		if (c->tty)
			ifstat_buf_add(&c->out, "\033[H\033[J", 6);
		else if (c->shown)
			ifstat_buf_add(&c->out, "\n", 1);
		ifstat_render_table(&c->out, c->cur, c->prev, &c->o->sel);
	}
	ret = print_out(c);
	if (ret)
		return ret;
	c->shown++;
	swap = c->prev ? c->prev : &c->reports[1];
	c->prev = c->cur;
	c->cur = swap;
	return c->o->once ? IFSTAT_DONE : 0;
}

/* What arrived on the socket: the complete lines it holds. */
static int on_readable(void *ctx)
{
	struct client *c = ctx;
	size_t len;
	char *line;
	long n;
	int ret = 0, r;

	n = ifstat_lines_fill(&c->lines, c->fd);
	if (n < 0) {
		fprintf(stderr, "ifstat: reading %s: %s\n", c->o->path,
			strerror((int)-n));
		return (int)n;
	}
	if (!n) {
		fprintf(stderr, "ifstat: ifstatd closed the connection\n");
		return -ECONNRESET;
	}
	while (!ret && (r = ifstat_lines_next(&c->lines, &line, &len)) == 1)
		ret = on_line(c, line);
	if (!ret && r == -EMSGSIZE) {
		fprintf(stderr,
			"ifstat: a line from %s is longer than %d bytes\n",
			c->o->path, IFSTAT_LINE_MAX);
		ret = r;
	}
	return ret;
}

static int run(struct client *c, int fd)
{
	int ret;

	c->fd = fd;
	ifstat_lines_init(&c->lines, IFSTAT_LINE_MAX);
	ret = ifstat_wait_fd(fd, &stop, on_readable, c);
	ifstat_lines_free(&c->lines);
	return ret;
}

#ifdef IFSTAT_HAVE_UBUS
static int on_ubus_line(void *ctx, const char *line)
{
	return on_line(ctx, line);
}

static int from_ubus(const struct options *o, struct client *c)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int ret;

	/* Before connecting: libubus sets its own handlers only where
	 * there is none. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	c->o = o;
	c->tty = isatty(STDOUT_FILENO);
	c->cur = &c->reports[0];
	ifstat_buf_init(&c->out);
	ret = ifstat_ubus_source(o->path_set ? o->path : NULL, o->ubus,
				 on_ubus_line, c, &stop);
	ifstat_buf_free(&c->out);
	return ret;
}
#endif

int main(int argc, char **argv)
{
	static struct options o;
	static struct client c;
	struct sigaction sa = { .sa_handler = on_signal };
	int fd, err, ret;

	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_USAGE : EXIT_DONE;
#ifdef IFSTAT_HAVE_UBUS
	if (o.ubus)
		return from_ubus(&o, &c) < 0 ? EXIT_FAIL : EXIT_DONE;
#endif
	err = ifstat_connect(o.path, &fd);
	if (err) {
		fprintf(stderr,
			"ifstat: cannot connect to %s: %s (is ifstatd "
			"running?)\n",
			o.path, strerror(-err));
		return EXIT_FAIL;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	c.o = &o;
	c.tty = isatty(STDOUT_FILENO);
	c.cur = &c.reports[0];
	ifstat_buf_init(&c.out);
	ret = run(&c, fd);
	ifstat_buf_free(&c.out);
	close(fd);
	return ret < 0 ? EXIT_FAIL : EXIT_DONE;
}
