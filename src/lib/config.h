/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The configuration: an INI file (systemd style, read by ini.c with
 * libinih) with one [ifstat] section and [filter NAME] sections, plus -F
 * filters from the command line. Every error of a file is reported at
 * once as "FILE:LINE: key: what is wrong ('value')" (diag.h); a refused
 * file changes nothing.
 */
#ifndef IFSTAT_CONFIG_H
#define IFSTAT_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "filter.h"
#include "ifstat_abi.h"
#include "mode.h"

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
#define IFSTAT_CONF_MAX_SIZE (1024 * 1024)

/* Interfaces one ifstatd counts (each with its own counters). */
#define IFSTAT_MAX_IFACES 32

/* An interface to count: NAME, or NAME:DIRECTION for its own. */
struct ifstat_iface_conf {
	char name[IF_NAMESIZE];
	enum ifstat_dirs dirs; /* 0: the [ifstat] direction */
};

struct ifstat_config {
	/* In the order given; none: the daemon's -i. */
	struct ifstat_iface_conf interfaces[IFSTAT_MAX_IFACES];
	unsigned int ninterfaces;
	enum ifstat_dirs direction;
	enum ifstat_hook hook;
	unsigned int interval_ms;
	enum ifstat_mode xdp_mode;
	uint32_t edges[IFSTAT_MAX_EDGES];
	unsigned int nedges;
	char socket[108]; /* sizeof(sun_path) */
	char socket_group[32]; /* "" = the daemon's group */
	unsigned int max_clients;
	char prometheus[64]; /* "" = off; else ADDR:PORT or [ADDR6]:PORT */
	char http[64]; /* the live page and /api/v1/; as prometheus */
	bool ubus;
	char ubus_object[64];
	char ubus_socket[108]; /* "" = UBUS_SOCK, else libubus' default */
	bool keep_counters; /* SIGTERM leaves the pinned counters */
	struct ifstat_filter_def filters[IFSTAT_MAX_FILTERS];
	unsigned int nfilters;
	/* Line of each [filter NAME]; 0 for filters from -F. */
	unsigned int filter_line[IFSTAT_MAX_FILTERS];
};

/* How a key's value is read and written (config.c). */
enum ifstat_key_kind {
	IFSTAT_KEY_IFNAMES, /* NAME[:DIRECTION] ...; count, max */
	IFSTAT_KEY_HOOK, /* auto, xdp, tc */
	IFSTAT_KEY_DIRS, /* ingress, egress, both */
	IFSTAT_KEY_DURATION, /* N ms or N s, min-max in ms */
	IFSTAT_KEY_MODE, /* auto, native, generic */
	IFSTAT_KEY_EDGES, /* increasing numbers min-max; count: how many */
	IFSTAT_KEY_PATH, /* an absolute path */
	IFSTAT_KEY_NAME, /* IFSTAT_NAME_RULE */
	IFSTAT_KEY_UINT, /* min-max */
	IFSTAT_KEY_ADDRPORT, /* ADDR:PORT or [ADDR6]:PORT, canonical */
	IFSTAT_KEY_BOOL, /* yes/no and the like */
};

/*
 * An [ifstat] key. One table of them (ifstat_config_keys) drives
 * parsing, the defaults, the reload comparison and --check-config.
 */
struct ifstat_key {
	const char *key;
	enum ifstat_key_kind kind;
	size_t offset; /* in struct ifstat_config */
	size_t size; /* text kinds: the member's size */
	size_t count; /* IFSTAT_KEY_EDGES: offset of the number of edges */
	unsigned long min, max; /* text kinds: min 1 when it may not be "" */
	const char *def; /* the default as the file writes it */
};

#define IFSTAT_CONF_MAX_KEYS 32 /* room in the reader's bookkeeping */
extern const struct ifstat_key ifstat_config_keys[];
extern const unsigned int ifstat_config_nkeys;

/* Longest value ifstat_config_get writes. */
#define IFSTAT_KEY_TEXT_MAX (IFSTAT_MAX_IFACES * (IF_NAMESIZE + 8))

/* Index in ifstat_config_keys of key, or -1. */
int ifstat_config_key_index(const char *key);
/* Sets key i from text; -EINVAL with what is wrong in msg. */
int ifstat_config_set(struct ifstat_config *c, unsigned int i, const char *v,
		      char *msg, size_t len);
/* Key i's value as the file writes it (canonical). */
void ifstat_config_get(const struct ifstat_config *c, unsigned int i, char *buf,
		       size_t len);

void ifstat_config_defaults(struct ifstat_config *c);

/*
 * Parses text (name is FILE in the messages) over the defaults (ini.c).
 * Returns 0, -EINVAL with every error of the text in errs, or another
 * -errno; *out is written only on success.
 */
int ifstat_config_parse(const char *name, const char *text,
			struct ifstat_config *out, struct ifstat_diags *errs);

/* Reads and parses path; an unreadable file is one error and -errno. */
int ifstat_config_load(const char *path, struct ifstat_config *out,
		       struct ifstat_diags *errs);

/* Adds a filter "NAME=one-line filter" (-F) after those already in c;
 * errors are "-F NAME: key: msg ('value')". */
int ifstat_config_add_filter_arg(struct ifstat_config *c, const char *arg,
				 struct ifstat_diags *errs);

/* Index of the filter named by the n characters at name, or -1. */
int ifstat_config_find_filter(const struct ifstat_config *c, const char *name,
			      size_t n);

/* No filter at all: one filter "all" matching every frame. */
void ifstat_config_finish(struct ifstat_config *c);

/*
 * Refuses (-ENOSPC, one diagnostic at the filter's line, or "-F NAME")
 * a filter set the classifier's tables cannot hold exactly: never
 * approximated. file: the configuration file the filters came from.
 */
int ifstat_config_check_tables(const struct ifstat_config *c, const char *file,
			       struct ifstat_diags *errs);

/* Same settings and filters (names, order, definitions); the lines where
 * the filters were written do not count. */
bool ifstat_config_same(const struct ifstat_config *a,
			const struct ifstat_config *b);
/* The directions counted on interface i: its own or the [ifstat] one. */
enum ifstat_dirs ifstat_config_dirs(const struct ifstat_config *c,
				    unsigned int i);

/* The same filter set: names, order, definitions and bucket edges. */
bool ifstat_config_same_filters(const struct ifstat_config *a,
				const struct ifstat_config *b);

/*
 * Writes the normalized configuration: every key, each filter with its
 * canonical one-line form in a comment. It parses back to the same
 * configuration.
 */
void ifstat_config_print(FILE *out, const struct ifstat_config *c);

#endif
