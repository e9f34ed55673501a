/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Filters on the user side: set a field from text (the INI keys), check
 * the whole filter, and the one-line canonical form ("tcp src 192.0.2.1
 * src port 22", "any"). One table (ifstat_filter_fields) lists the
 * fields; everything here and the configuration's filter keys walk it.
 */
#ifndef IFSTAT_FILTER_H
#define IFSTAT_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "ifstat_abi.h"

/* Longest canonical form: proto, vlan, three IPv6 prefixes, three ranges. */
#define IFSTAT_FILTER_TEXT_MAX 256

/* A named filter, as the configuration holds it and the engine installs
 * it. */
struct ifstat_filter_def {
	char name[IFSTAT_NAME_MAX];
	struct ifstat_filter filter; /* finished (ifstat_filter_finish) */
};

/* How a field's value is read and written. */
enum ifstat_field_kind {
	IFSTAT_FIELD_PROTO, /* any, a name or 0-255 */
	IFSTAT_FIELD_VLAN, /* min-max */
	IFSTAT_FIELD_PREFIX, /* address[/len]; len_offset: its length */
	IFSTAT_FIELD_PORTS, /* n or lo-hi within min-max */
};

/* A filter field; absent (matching anything) is every field's default. */
struct ifstat_filter_field {
	const char *key; /* INI key */
	const char *word; /* one-line form: "src port" */
	unsigned int bit; /* IFSTAT_F_* */
	enum ifstat_field_kind kind;
	size_t offset; /* the value in struct ifstat_filter */
	size_t len_offset; /* IFSTAT_FIELD_PREFIX: the prefix length */
	unsigned long min, max;
};

/* In the order of the canonical one-line form. */
#define IFSTAT_FILTER_MAX_FIELDS 16 /* room in the INI reader */
extern const struct ifstat_filter_field ifstat_filter_fields[];
extern const unsigned int ifstat_filter_nfields;

/* Index in ifstat_filter_fields of an INI key, or -1. */
int ifstat_filter_field_index(const char *key);

/* Field i's value as the INI file writes it ("tcp", "192.0.2.0/24",
 * "8000-8080"); its length or -ENOSPC. */
int ifstat_filter_field_format(const struct ifstat_filter *f, unsigned int i,
			       char *buf, size_t len);

void ifstat_filter_init(struct ifstat_filter *f);

/* key: protocol, src, dst, host, src_port, dst_port, port, vlan. */
int ifstat_filter_set(struct ifstat_filter *f, const char *key,
		      const char *value, struct ifstat_diag *err);

/* Cross-field checks (ports need tcp/udp, one family); fills f->need. */
int ifstat_filter_finish(struct ifstat_filter *f, struct ifstat_diag *err);

/* Parses the one-line form into a finished filter. */
int ifstat_filter_parse(const char *text, struct ifstat_filter *f,
			struct ifstat_diag *err);

/* Writes the canonical one-line form; returns its length or -ENOSPC. */
int ifstat_filter_format(const struct ifstat_filter *f, char *buf, size_t len);

/* Same definition, whatever slot and generation they hold. */
bool ifstat_filter_same(const struct ifstat_filter *a,
			const struct ifstat_filter *b);

#endif
