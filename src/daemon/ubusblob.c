// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "ubusblob.h"

#include <errno.h>
#include <json-c/json.h>
#include <string.h>

#include "ubusnames.h"

int ifstat_ubus_blob_data(struct blob_buf *b, const struct ifstat_view *v)
{
	const struct ifstat_entry *e = ifstat_view_main(v);
	const struct ifstat_snapshot *s = e ? ifstat_entry_snap(e) : NULL;
	char key[IFSTAT_UBUS_KEY_MAX];
	unsigned int i, k;
	void *t;
	int ret;

	if (blob_buf_init(b, 0))
		return -ENOMEM;
	for (i = 0; s && i < s->nfilters; i++) {
		const struct ifstat_filter_stats *f = &s->filters[i];

		ret = ifstat_ubus_filter_key(i, key, sizeof(key));
		if (ret)
			return ret;
		t = blobmsg_open_table(b, key);
		if (!t)
			return -ENOMEM;
		for (k = 0; k <= v->nedges; k++) {
			ret = ifstat_ubus_bucket_key(v->edges, v->nedges, k,
						     key, sizeof(key));
			if (ret)
				return ret;
			if (blobmsg_add_u64(b, key, f->buckets[k]))
				return -ENOMEM;
		}
		if (blobmsg_add_u64(b, "pkts_bytes", f->bytes) ||
		    blobmsg_add_u64(b, "pkts_cnt", f->packets))
			return -ENOMEM;
		blobmsg_close_table(b, t);
	}
	return 0;
}

static int add_value(struct blob_buf *b, const char *name,
		     struct json_object *o);

static int add_object(struct blob_buf *b, struct json_object *o)
{
	int ret;

	json_object_object_foreach(o, key, val)
	{
		ret = add_value(b, key, val);
		if (ret)
			return ret;
	}
	return 0;
}

static int add_array(struct blob_buf *b, struct json_object *o)
{
	size_t i, n = json_object_array_length(o);
	int ret;

	for (i = 0; i < n; i++) {
		ret = add_value(b, NULL, json_object_array_get_idx(o, i));
		if (ret)
			return ret;
	}
	return 0;
}

static int add_value(struct blob_buf *b, const char *name,
		     struct json_object *o)
{
	int64_t i;
	void *c;
	int ret;

	switch (json_object_get_type(o)) {
	case json_type_object:
		c = blobmsg_open_table(b, name);
		if (!c)
			return -ENOMEM;
		ret = add_object(b, o);
		blobmsg_close_table(b, c);
		return ret;
	case json_type_array:
		c = blobmsg_open_array(b, name);
		if (!c)
			return -ENOMEM;
		ret = add_array(b, o);
		blobmsg_close_array(b, c);
		return ret;
	case json_type_int:
		/* Counters are unsigned and may pass INT64_MAX. */
		i = json_object_get_int64(o);
		return blobmsg_add_u64(b, name,
				       i < 0 ? (uint64_t)i
					     : json_object_get_uint64(o))
			       ? -ENOMEM
			       : 0;
	case json_type_boolean:
		return blobmsg_add_u8(b, name, json_object_get_boolean(o))
			       ? -ENOMEM
			       : 0;
	case json_type_double:
		return blobmsg_add_double(b, name, json_object_get_double(o))
			       ? -ENOMEM
			       : 0;
	case json_type_string:
		return blobmsg_add_string(b, name, json_object_get_string(o))
			       ? -ENOMEM
			       : 0;
	case json_type_null:
		return blobmsg_add_field(b, BLOBMSG_TYPE_UNSPEC, name, NULL, 0)
			       ? -ENOMEM
			       : 0;
	}
	return -EINVAL;
}

int ifstat_ubus_blob_json(struct blob_buf *b, const char *json)
{
	struct json_object *o = json_tokener_parse(json);
	int ret;

	if (!o)
		return -EINVAL;
	ret = json_object_is_type(o, json_type_object) ? add_object(b, o)
						       : -EINVAL;
	json_object_put(o);
	return ret;
}

int ifstat_ubus_args(const struct blobmsg_policy *policy, int n,
		     struct blob_attr *msg, struct blob_attr **tb)
{
	struct blob_attr *cur;
	size_t rem;
	int i;

	blob_for_each_attr(cur, msg, rem)
	{
		if (!blobmsg_check_attr(cur, true))
			return -EINVAL;
		for (i = 0; i < n; i++)
			if (!strcmp(blobmsg_name(cur), policy[i].name))
				break;
		if (i == n || blobmsg_type(cur) != (int)policy[i].type)
			return -EINVAL;
	}
	if (n)
		blobmsg_parse(policy, n, tb, blob_data(msg), blob_len(msg));
	return 0;
}
