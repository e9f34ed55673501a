// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

struct ctx {
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 2, 3)))
fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int member(struct ctx *c, struct json_object *o, const char *where,
		  const char *key, enum json_type type, struct json_object **m)
{
	if (!json_object_object_get_ex(o, key, m))
		return fail(c, "%s%s: missing", where, key);
	if (!json_object_is_type(*m, type))
		return fail(c, "%s%s: not %s", where, key,
			    type == json_type_int	? "an integer"
			    : type == json_type_string	? "a string"
			    : type == json_type_array	? "an array"
			    : type == json_type_boolean ? "a boolean"
							: "an object");
	return 0;
}

/* Counters may exceed INT64_MAX; json-c keeps those as unsigned. */
/* Sets *v exactly when it returns 0. The errors return -EINVAL here rather
 * than fail()'s value: gcc does not look into the variadic fail() and,
 * optimizing, would warn that a caller's *v may be used uninitialized. */
static int uint_value(struct ctx *c, struct json_object *m, const char *what,
		      uint64_t max, uint64_t *v)
{
	uint64_t u;

	if (!json_object_is_type(m, json_type_int)) {
		fail(c, "%s: not an integer", what);
		return -EINVAL;
	}
	if (json_object_get_int64(m) < 0) {
		fail(c, "%s: negative", what);
		return -EINVAL;
	}
	u = json_object_get_uint64(m);
	if (u > max) {
		fail(c, "%s: %llu is too large", what, (unsigned long long)u);
		return -EINVAL;
	}
	*v = u;
	return 0;
}

static int get_uint(struct ctx *c, struct json_object *o, const char *where,
		    const char *key, uint64_t max, uint64_t *v)
{
	struct json_object *m;
	char what[64];
	int err;

	err = member(c, o, where, key, json_type_int, &m);
	if (err)
		return err;
	snprintf(what, sizeof(what), "%s%s", where, key);
	return uint_value(c, m, what, max, v);
}

static int get_str(struct ctx *c, struct json_object *o, const char *where,
		   const char *key, char *dst, size_t size)
{
	struct json_object *m;
	const char *s;
	int err;

	err = member(c, o, where, key, json_type_string, &m);
	if (err)
		return err;
	s = json_object_get_string(m);
	if (strlen(s) >= size)
		return fail(c, "%s%s: longer than %zu characters", where, key,
			    size - 1);
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int parse_edges(struct ctx *c, struct json_object *o,
		       struct ifstat_report *r)
{
	struct json_object *a;
	char what[32];
	uint64_t v;
	size_t i, n;
	int err;

	err = member(c, o, "", "size_edges", json_type_array, &a);
	if (err)
		return err;
	n = json_object_array_length(a);
	if (n < 1 || n > IFSTAT_MAX_EDGES)
		return fail(c, "size_edges: %zu edges, expected 1 to %d", n,
			    IFSTAT_MAX_EDGES);
	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "size_edges[%zu]", i);
		err = uint_value(c, json_object_array_get_idx(a, i), what,
				 UINT32_MAX, &v);
		if (err)
			return err;
		if (i && v <= r->edges[i - 1])
			return fail(c, "size_edges: not increasing at %zu", i);
		r->edges[i] = (uint32_t)v;
	}
	r->nedges = (unsigned int)n;
	return 0;
}

static int parse_totals(struct ctx *c, struct json_object *o, const char *where,
			struct ifstat_report_totals *t)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "packets", offsetof(struct ifstat_report_totals, packets) },
		{ "bytes", offsetof(struct ifstat_report_totals, bytes) },
		{ "unmatched",
		  offsetof(struct ifstat_report_totals, unmatched) },
		{ "non_ip", offsetof(struct ifstat_report_totals, non_ip) },
		{ "malformed",
		  offsetof(struct ifstat_report_totals, malformed) },
	};
	struct json_object *m;
	char in[96];
	size_t i;
	int err;

	err = member(c, o, where, "totals", json_type_object, &m);
	snprintf(in, sizeof(in), "%stotals.", where);
	for (i = 0; !err && i < sizeof(keys) / sizeof(keys[0]); i++)
		err = get_uint(c, m, in, keys[i].key, UINT64_MAX,
			       (uint64_t *)((char *)t + keys[i].off));
	return err;
}

static int parse_filter(struct ctx *c, struct json_object *o, const char *where,
			unsigned int nbuckets, struct ifstat_report_filter *f)
{
	struct json_object *a;
	char what[128];
	uint64_t v;
	size_t b, n;
	int err;

	if (!json_object_is_type(o, json_type_object))
		return fail(c, "%.*s: not an object", (int)strlen(where) - 1,
			    where);
	err = get_uint(c, o, where, "index", IFSTAT_MAX_FILTERS - 1, &v);
	if (err)
		return err;
	f->index = (unsigned int)v;
	err = get_str(c, o, where, "name", f->name, sizeof(f->name));
	if (!err)
		err = get_str(c, o, where, "match", f->match, sizeof(f->match));
	if (!err)
		err = get_uint(c, o, where, "packets", UINT64_MAX, &f->packets);
	if (!err)
		err = get_uint(c, o, where, "bytes", UINT64_MAX, &f->bytes);
	if (!err)
		err = member(c, o, where, "sizes", json_type_array, &a);
	if (err)
		return err;
	n = json_object_array_length(a);
	if (n != nbuckets)
		return fail(c, "%ssizes: %zu values, expected %u", where, n,
			    nbuckets);
	for (b = 0; b < n; b++) {
		snprintf(what, sizeof(what), "%ssizes[%zu]", where, b);
		err = uint_value(c, json_object_array_get_idx(a, b), what,
				 UINT64_MAX, &f->sizes[b]);
		if (err)
			return err;
	}
	return 0;
}

/* The array key of o, at most max long ("N nouns, at most max"). */
static int array(struct ctx *c, struct json_object *o, const char *where,
		 const char *key, const char *nouns, size_t max,
		 struct json_object **a, size_t *n)
{
	int err = member(c, o, where, key, json_type_array, a);

	if (err)
		return err;
	*n = json_object_array_length(*a);
	if (*n > max)
		return fail(c, "%s%s: %zu %s, at most %zu", where, key, *n,
			    nouns, max);
	return 0;
}

static int parse_filters(struct ctx *c, struct json_object *o,
			 const char *where, unsigned int nbuckets,
			 struct ifstat_report_entry *e)
{
	struct json_object *a;
	char in[96];
	size_t i, j, n;
	int err;

	err = array(c, o, where, "filters", "filters", IFSTAT_MAX_FILTERS, &a,
		    &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		snprintf(in, sizeof(in), "%sfilters[%zu].", where, i);
		err = parse_filter(c, json_object_array_get_idx(a, i), in,
				   nbuckets, &e->filters[i]);
		if (err)
			return err;
		/* Deltas pair filters by name: a name must say which one. */
		for (j = 0; j < i; j++)
			if (!strcmp(e->filters[j].name, e->filters[i].name))
				return fail(c, "%sname: '%s' twice", in,
					    e->filters[i].name);
	}
	e->nfilters = (unsigned int)n;
	return 0;
}

static int parse_entry(struct ctx *c, struct json_object *o, size_t i,
		       struct ifstat_report *r)
{
	struct ifstat_report_entry *e = &r->entries[i];
	struct json_object *m;
	char where[32];
	int err;

	memset(e, 0, sizeof(*e));
	snprintf(where, sizeof(where), "interfaces[%zu].", i);
	if (!json_object_is_type(o, json_type_object))
		return fail(c, "interfaces[%zu]: not an object", i);
	err = get_str(c, o, where, "interface", e->interface,
		      sizeof(e->interface));
	if (!err)
		err = get_str(c, o, where, "direction", e->direction,
			      sizeof(e->direction));
	if (!err)
		err = get_str(c, o, where, "hook", e->hook, sizeof(e->hook));
	if (!err)
		err = get_str(c, o, where, "mode", e->mode, sizeof(e->mode));
	if (!err)
		err = member(c, o, where, "present", json_type_boolean, &m);
	if (err)
		return err;
	e->present = json_object_get_boolean(m);
	/* Deltas pair entries by both: they must say which one. */
	if (ifstat_report_entry(r, e->interface, e->direction) != e)
		return fail(c, "interfaces[%zu]: %s %s twice", i, e->interface,
			    e->direction);
	err = parse_totals(c, o, where, &e->totals);
	if (!err)
		err = parse_filters(c, o, where, r->nedges + 1, e);
	return err;
}

static int parse_entries(struct ctx *c, struct json_object *o,
			 struct ifstat_report *r)
{
	struct json_object *a;
	size_t i, n;
	int err;

	err = array(c, o, "", "interfaces", "entries",
		    IFSTAT_REPORT_MAX_ENTRIES, &a, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		/* Counted before it is parsed: the duplicate check sees it. */
		r->nentries = (unsigned int)i + 1;
		err = parse_entry(c, json_object_array_get_idx(a, i), i, r);
		if (err)
			return err;
	}
	return 0;
}

static int parse_object(struct ctx *c, struct json_object *o,
			struct ifstat_report *r)
{
	uint64_t v;
	int err;

	if (!json_object_is_type(o, json_type_object))
		return fail(c, "not a JSON object");
	err = get_uint(c, o, "", "version", UINT64_MAX, &v);
	if (err)
		return err;
	if (v != IFSTAT_REPORT_VERSION)
		return fail(c,
			    "schema version %llu (%s ifstatd), this ifstat "
			    "reads version %d",
			    (unsigned long long)v,
			    v < IFSTAT_REPORT_VERSION ? "an older" : "a newer",
			    IFSTAT_REPORT_VERSION);
	err = get_uint(c, o, "", "interval_ms", UINT32_MAX, &v);
	if (err)
		return err;
	r->interval_ms = (unsigned int)v;
	err = get_uint(c, o, "", "time_ms", UINT64_MAX, &r->time_ms);
	if (!err)
		err = get_uint(c, o, "", "epoch", UINT64_MAX, &r->epoch);
	if (!err)
		err = parse_edges(c, o, r);
	if (!err)
		err = parse_entries(c, o, r);
	return err;
}

int ifstat_report_parse(const char *line, struct ifstat_report *r, char *err,
			size_t errlen)
{
	struct ctx c = { err, errlen };
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error jerr;
	size_t len = strlen(line), end;
	int ret;

	/* Not the entries: parse_entry clears each it writes (a report is
	 * large, most of it unused). */
	memset(r, 0, offsetof(struct ifstat_report, entries));
	if (len > INT32_MAX)
		return fail(&c, "line too long");
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, line, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!o || jerr != json_tokener_success) {
		json_object_put(o);
		if (jerr == json_tokener_continue)
			return fail(&c, "not JSON: unexpected end of line");
		return fail(&c, "not JSON: %s at offset %zu",
			    json_tokener_error_desc(jerr), end);
	}
	while (end < len && isspace((unsigned char)line[end]))
		end++;
	if (end < len)
		ret = fail(&c, "not JSON: text after the object at offset %zu",
			   end);
	else
		ret = parse_object(&c, o, r);
	json_object_put(o);
	return ret;
}

int ifstat_report_find(const struct ifstat_report_entry *e, const char *name)
{
	unsigned int i;

	for (i = 0; i < e->nfilters; i++)
		if (!strcmp(e->filters[i].name, name))
			return (int)i;
	return -1;
}

const struct ifstat_report_entry *
ifstat_report_entry(const struct ifstat_report *r, const char *interface,
		    const char *direction)
{
	unsigned int i;

	for (i = 0; i < r->nentries; i++)
		if (!strcmp(r->entries[i].interface, interface) &&
		    !strcmp(r->entries[i].direction, direction))
			return &r->entries[i];
	return NULL;
}
