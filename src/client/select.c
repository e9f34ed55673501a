// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "select.h"

#include <errno.h>
#include <string.h>

#include <json-c/json.h>

int ifstat_select_add(struct ifstat_select *s, const char *name)
{
	if (s->n == IFSTAT_MAX_FILTERS)
		return -E2BIG;
	s->names[s->n++] = name;
	return 0;
}

bool ifstat_select_wants(const struct ifstat_select *s, const char *name)
{
	unsigned int i;

	if (!s->n)
		return true;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return true;
	return false;
}

static void known_names(const struct ifstat_report *r, struct ifstat_buf *msg)
{
	unsigned int i;

	ifstat_buf_add(msg, " (known: ", 9);
	if (!r->nfilters)
		ifstat_buf_add(msg, "none", 4);
	for (i = 0; i < r->nfilters; i++) {
		if (i)
			ifstat_buf_add(msg, ", ", 2);
		ifstat_buf_visible(msg, r->filters[i].name);
	}
	ifstat_buf_add(msg, ")\n", 2);
}

int ifstat_select_check(const struct ifstat_select *s,
			const struct ifstat_report *r, struct ifstat_buf *msg)
{
	unsigned int i, known = 0;

	for (i = 0; i < s->n; i++)
		if (ifstat_report_find(r, s->names[i]) >= 0)
			known++;
	if (!s->n || known) {
		for (i = 0; i < s->n; i++) {
			if (ifstat_report_find(r, s->names[i]) >= 0)
				continue;
			ifstat_buf_printf(msg, "ifstat: no filter named '%s'",
					  s->names[i]);
			known_names(r, msg);
		}
		return 0;
	}
	ifstat_buf_add(msg, "ifstat: no filter named ", 24);
	for (i = 0; i < s->n; i++)
		ifstat_buf_printf(msg, "%s'%s'", i ? ", " : "", s->names[i]);
	known_names(r, msg);
	return -ENOENT;
}

int ifstat_select_json(const struct ifstat_select *s, const char *line,
		       struct ifstat_buf *out)
{
	struct json_object *o, *filters, *keep, *f, *name;
	const char *text;
	size_t i, n;
	int ret = -EINVAL;

	o = json_tokener_parse(line);
	if (!o)
		return -EINVAL;
	if (!json_object_object_get_ex(o, "filters", &filters) ||
	    !json_object_is_type(filters, json_type_array))
		goto out;
	keep = json_object_new_array();
	if (!keep) {
		ret = -ENOMEM;
		goto out;
	}
	n = json_object_array_length(filters);
	for (i = 0; i < n; i++) {
		f = json_object_array_get_idx(filters, i);
		if (!json_object_object_get_ex(f, "name", &name) ||
		    !ifstat_select_wants(s, json_object_get_string(name)))
			continue;
		if (json_object_array_add(keep, json_object_get(f))) {
			json_object_put(f);
			json_object_put(keep);
			ret = -ENOMEM;
			goto out;
		}
	}
	/* Replacing the member drops the old array and its references. */
	if (json_object_object_add(o, "filters", keep)) {
		json_object_put(keep);
		ret = -ENOMEM;
		goto out;
	}
	text = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	ifstat_buf_printf(out, "%s\n", text);
	ret = out->err;
out:
	json_object_put(o);
	return ret;
}
