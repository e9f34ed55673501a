// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "select.h"

#include <errno.h>
#include <string.h>

#include <json-c/json.h>

int ifstat_select_add(struct ifstat_names *s, const char *name)
{
	if (s->n == IFSTAT_MAX_FILTERS)
		return -E2BIG;
	s->names[s->n++] = name;
	return 0;
}

bool ifstat_select_wants(const struct ifstat_names *s, const char *name)
{
	unsigned int i;

	if (!s->n)
		return true;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return true;
	return false;
}

bool ifstat_select_entry(const struct ifstat_select *s,
			 const struct ifstat_report_entry *e)
{
	return ifstat_select_wants(&s->interfaces, e->interface) &&
	       (!s->direction || !strcmp(s->direction, e->direction));
}

/* A kind of name a snapshot holds, count() of them in each entry (the
 * same name may be in several). */
struct kind {
	const char *word;
	unsigned int (*count)(const struct ifstat_report_entry *e);
	const char *(*name)(const struct ifstat_report_entry *e,
			    unsigned int k);
};

static unsigned int filter_count(const struct ifstat_report_entry *e)
{
	return e->nfilters;
}

static const char *filter_name(const struct ifstat_report_entry *e,
			       unsigned int k)
{
	return e->filters[k].name;
}

static unsigned int one(const struct ifstat_report_entry *e)
{
	(void)e;
	return 1;
}

static const char *interface_name(const struct ifstat_report_entry *e,
				  unsigned int k)
{
	(void)k;
	return e->interface;
}

static const struct kind filters = { "filter", filter_count, filter_name };
static const struct kind interfaces = { "interface", one, interface_name };

/* Whether name is in r before entry e's k-th name (all of r: e past the
 * last entry). */
static bool seen(const struct kind *kd, const struct ifstat_report *r,
		 const char *name, unsigned int e, unsigned int k)
{
	unsigned int i, j;

	for (i = 0; i <= e && i < r->nentries; i++)
		for (j = 0; j < (i < e ? kd->count(&r->entries[i]) : k); j++)
			if (!strcmp(kd->name(&r->entries[i], j), name))
				return true;
	return false;
}

static void known_names(const struct kind *kd, const struct ifstat_report *r,
			struct ifstat_buf *msg)
{
	unsigned int e, k;
	bool none = true;

	ifstat_buf_add(msg, " (known: ", 9);
	for (e = 0; e < r->nentries; e++)
		for (k = 0; k < kd->count(&r->entries[e]); k++) {
			if (seen(kd, r, kd->name(&r->entries[e], k), e, k))
				continue;
			if (!none)
				ifstat_buf_add(msg, ", ", 2);
			none = false;
			ifstat_buf_visible(msg, kd->name(&r->entries[e], k));
		}
	if (none)
		ifstat_buf_add(msg, "none", 4);
	ifstat_buf_add(msg, ")\n", 2);
}

static int check_names(const struct kind *kd, const struct ifstat_names *s,
		       const struct ifstat_report *r, struct ifstat_buf *msg)
{
	unsigned int i, known = 0;

	for (i = 0; i < s->n; i++)
		if (seen(kd, r, s->names[i], r->nentries, 0))
			known++;
	if (!s->n || known) {
		for (i = 0; i < s->n; i++) {
			if (seen(kd, r, s->names[i], r->nentries, 0))
				continue;
			ifstat_buf_printf(msg, "ifstat: no %s named '%s'",
					  kd->word, s->names[i]);
			known_names(kd, r, msg);
		}
		return 0;
	}
	ifstat_buf_printf(msg, "ifstat: no %s named ", kd->word);
	for (i = 0; i < s->n; i++)
		ifstat_buf_printf(msg, "%s'%s'", i ? ", " : "", s->names[i]);
	known_names(kd, r, msg);
	return -ENOENT;
}

int ifstat_select_check(const struct ifstat_select *s,
			const struct ifstat_report *r, struct ifstat_buf *msg)
{
	unsigned int e;
	int ret;

	ret = check_names(&filters, &s->filters, r, msg);
	if (!ret)
		ret = check_names(&interfaces, &s->interfaces, r, msg);
	if (ret || !s->direction)
		return ret;
	for (e = 0; e < r->nentries; e++)
		if (ifstat_select_entry(s, &r->entries[e]))
			return 0;
	ifstat_buf_printf(msg,
			  "ifstat: nothing counted %s (known:", s->direction);
	for (e = 0; e < r->nentries; e++) {
		ifstat_buf_add(msg, e ? ", " : " ", e ? 2 : 1);
		ifstat_buf_visible(msg, r->entries[e].interface);
		ifstat_buf_add(msg, " ", 1);
		ifstat_buf_visible(msg, r->entries[e].direction);
	}
	ifstat_buf_add(msg, r->nentries ? ")\n" : " none)\n",
		       r->nentries ? 2 : 7);
	return -ENOENT;
}

/* The filters of one entry of the line's "interfaces", the wanted ones
 * alone. */
static int keep_filters(const struct ifstat_select *s, struct json_object *e)
{
	struct json_object *filters, *keep, *f, *name;
	size_t i, n;

	if (!json_object_object_get_ex(e, "filters", &filters) ||
	    !json_object_is_type(filters, json_type_array))
		return -EINVAL;
	keep = json_object_new_array();
	if (!keep)
		return -ENOMEM;
	n = json_object_array_length(filters);
	for (i = 0; i < n; i++) {
		f = json_object_array_get_idx(filters, i);
		if (!json_object_object_get_ex(f, "name", &name) ||
		    !ifstat_select_wants(&s->filters,
					 json_object_get_string(name)))
			continue;
		if (json_object_array_add(keep, json_object_get(f))) {
			json_object_put(f);
			json_object_put(keep);
			return -ENOMEM;
		}
	}
	/* Replacing the member drops the old array and its references. */
	if (json_object_object_add(e, "filters", keep)) {
		json_object_put(keep);
		return -ENOMEM;
	}
	return 0;
}

int ifstat_select_json(const struct ifstat_select *s, const char *line,
		       struct ifstat_buf *out)
{
	struct json_object *o, *entries;
	const char *text;
	size_t i, n;
	int ret = -EINVAL;

	o = json_tokener_parse(line);
	if (!o)
		return -EINVAL;
	if (!json_object_object_get_ex(o, "interfaces", &entries) ||
	    !json_object_is_type(entries, json_type_array))
		goto out;
	n = json_object_array_length(entries);
	for (i = 0, ret = 0; !ret && i < n; i++)
		ret = keep_filters(s, json_object_array_get_idx(entries, i));
	if (ret)
		goto out;
	text = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	ifstat_buf_printf(out, "%s\n", text);
	ret = out->err;
out:
	json_object_put(o);
	return ret;
}
