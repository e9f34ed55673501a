/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The configuration: an INI file (systemd style, parsed with libinih)
 * with one [ifstat] section and [filter NAME] sections, plus -F filters
 * from the command line. Every error of a file is reported at once as
 * "FILE:LINE: key: what is wrong ('value')"; a refused file changes
 * nothing.
 */
#ifndef IFSTAT_CONFIG_H
#define IFSTAT_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "filter.h"
#include "ifstat_abi.h"

/* CMake sets it from the install prefix (sysconfdir), so that ifstatd,
 * the unit and the man pages name the same file. */
#ifndef IFSTAT_CONF_DEFAULT
#define IFSTAT_CONF_DEFAULT "/etc/ifstat/ifstat.conf"
#endif
#ifndef IFSTAT_SOCKET_DEFAULT
#define IFSTAT_SOCKET_DEFAULT "/run/ifstat/ifstatd.sock"
#endif
#define IFSTAT_UBUS_OBJECT_DEFAULT "ifstat"
#define IFSTAT_INTERVAL_MIN_MS 10u
#define IFSTAT_INTERVAL_MAX_MS 3600000u
#define IFSTAT_MAX_CLIENTS_MAX 1024u
#define IFSTAT_CONF_MAX_ERRORS 32
#define IFSTAT_CONF_MAX_SIZE (1024 * 1024)

struct ifstat_config {
	char interface[IF_NAMESIZE]; /* "" = none (the daemon's -i) */
	unsigned int interval_ms;
	enum ifstat_mode xdp_mode;
	uint32_t edges[IFSTAT_MAX_EDGES];
	unsigned int nedges;
	char socket[108]; /* sizeof(sun_path) */
	char socket_group[32]; /* "" = the daemon's group */
	unsigned int max_clients;
	char prometheus[64]; /* "" = off; else ADDR:PORT or [ADDR6]:PORT */
	bool ubus;
	char ubus_object[64];
	char ubus_socket[108]; /* "" = UBUS_SOCK, else libubus' default */
	bool keep_counters; /* SIGTERM leaves the pinned counters */
	struct ifstat_filter_def filters[IFSTAT_MAX_FILTERS];
	unsigned int nfilters;
	/* Line of each [filter NAME]; 0 for filters from -F. */
	unsigned int filter_line[IFSTAT_MAX_FILTERS];
};

/* The first IFSTAT_CONF_MAX_ERRORS messages; count is the total. */
struct ifstat_config_errors {
	unsigned int count;
	char msg[IFSTAT_CONF_MAX_ERRORS][256];
};

void ifstat_config_defaults(struct ifstat_config *c);

/*
 * Parses text (name is FILE in the messages) over the defaults. Returns
 * 0, -EINVAL with every error of the text in errs, or another -errno;
 * *out is written only on success.
 */
int ifstat_config_parse(const char *name, const char *text,
			struct ifstat_config *out,
			struct ifstat_config_errors *errs);

/* Reads and parses path; an unreadable file is one error and -errno. */
int ifstat_config_load(const char *path, struct ifstat_config *out,
		       struct ifstat_config_errors *errs);

/* Adds the error "FILE: interface: ..." when no interface is set. Called
 * by the daemon once -i has been applied. */
int ifstat_config_check_interface(const char *name,
				  const struct ifstat_config *c,
				  struct ifstat_config_errors *errs);

/*
 * Adds a filter "NAME=one-line filter" (-F) after those already in c.
 * Errors are "-F NAME: key: msg ('value')" in err.
 */
int ifstat_config_add_filter_arg(struct ifstat_config *c, const char *arg,
				 char *err, size_t errlen);

/* No filter at all: one filter "all" matching every frame. */
void ifstat_config_finish(struct ifstat_config *c);

/* Same settings and filters (names, order, definitions); the lines where
 * the filters were written do not count. */
bool ifstat_config_same(const struct ifstat_config *a,
			const struct ifstat_config *b);

/*
 * Writes the normalized configuration: every key, each filter with its
 * canonical one-line form in a comment. It parses back to the same
 * configuration.
 */
void ifstat_config_print(FILE *out, const struct ifstat_config *c);

#endif
