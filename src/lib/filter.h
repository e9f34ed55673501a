/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Filters on the user side: set a field from text (the INI keys of
 * doc/semantics.md rule 7), check the whole filter, and the one-line canonical form
 * ("tcp src 192.0.2.1 src port 22", "any").
 */
#ifndef IFSTAT_FILTER_H
#define IFSTAT_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "ifstat_abi.h"

/* Longest canonical form: proto, vlan, three IPv6 prefixes, three ranges. */
#define IFSTAT_FILTER_TEXT_MAX 256

struct ifstat_filter_err {
	char field[16]; /* the key, as the INI file spells it */
	char msg[96];
	char value[80]; /* the offending text, quoted by callers */
};

void ifstat_filter_init(struct ifstat_filter *f);

/* key: protocol, src, dst, host, src_port, dst_port, port, vlan. */
int ifstat_filter_set(struct ifstat_filter *f, const char *key,
		      const char *value, struct ifstat_filter_err *err);

/* Cross-field checks (ports need tcp/udp, one family); fills f->need. */
int ifstat_filter_finish(struct ifstat_filter *f,
			 struct ifstat_filter_err *err);

/* Parses the one-line form into a finished filter. */
int ifstat_filter_parse(const char *text, struct ifstat_filter *f,
			struct ifstat_filter_err *err);

/* Writes the canonical one-line form; returns its length or -ENOSPC. */
int ifstat_filter_format(const struct ifstat_filter *f, char *buf, size_t len);

/* Same definition, whatever slot and generation they hold. */
bool ifstat_filter_same(const struct ifstat_filter *a,
			const struct ifstat_filter *b);

/* Formats "field: msg ('value')" for logs. */
void ifstat_filter_err_str(const struct ifstat_filter_err *err, char *buf,
			   size_t len);

#endif
