// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The methods of the ubus object. They read and change the daemon only
 * through what it offers every publisher (struct ifstat_host): a reading,
 * reset and reload, as SIGHUP and the socket do. Arguments are checked strictly: an unknown key or a
 * wrong type is UBUS_STATUS_INVALID_ARGUMENT, so a typo cannot turn
 * "reset one filter" into "reset everything".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "log.h"
#include "ubus_priv.h"
#include "ubusblob.h"

enum { ARG_FILTER, ARG_MAX };

/* stats and reset: all filters, or the one named. */
static const struct blobmsg_policy filter_policy[ARG_MAX] = {
	[ARG_FILTER] = { .name = "filter", .type = BLOBMSG_TYPE_STRING },
};

static struct ifstat_ubus *ubus_of(struct ubus_object *obj)
{
	return container_of(obj, struct ifstat_ubus, obj);
}

/* Every key known and of its type (ubusblob.c, fuzzed). */
static int parse(const struct blobmsg_policy *policy, int n,
		 struct blob_attr *msg, struct blob_attr **tb)
{
	return ifstat_ubus_args(policy, n, msg, tb)
		       ? UBUS_STATUS_INVALID_ARGUMENT
		       : 0;
}

/*
 * A reading, not before the daemon counts (the program is attached after
 * the publishers start) and not after the publisher was stopped.
 */
static int read_now(struct ifstat_ubus *u, const struct ifstat_view **v)
{
	if (u->dying)
		return UBUS_STATUS_NO_DATA;
	switch (u->h->ops->read(u->h, v)) {
	case 0:
		return 0;
	case -EAGAIN:
		return UBUS_STATUS_NO_DATA;
	default:
		return UBUS_STATUS_SYSTEM_ERROR;
	}
}

/*
 * The filter set: every entry counts the configuration's filters, the
 * entry ifstat.data shows stands for all (NULL without entries).
 */
static const struct ifstat_snapshot *filter_set(const struct ifstat_view *v)
{
	const struct ifstat_entry *e = ifstat_view_main(v);

	return e ? ifstat_entry_snap(e) : NULL;
}

/* index: -1 without the argument, else the named filter's position in
 * the reading v. */
static int filter_arg(struct blob_attr *const *tb, const struct ifstat_view *v,
		      int *index)
{
	const struct ifstat_snapshot *s = filter_set(v);
	const char *name;
	unsigned int i;

	*index = -1;
	if (!tb[ARG_FILTER])
		return 0;
	name = blobmsg_get_string(tb[ARG_FILTER]);
	for (i = 0; s && i < s->nfilters; i++) {
		if (!strcmp(s->filters[i].name, name)) {
			*index = (int)i;
			return 0;
		}
	}
	return UBUS_STATUS_NOT_FOUND;
}

static int reply(struct ubus_context *ctx, struct ubus_request_data *req,
		 struct ifstat_ubus *u)
{
	return ubus_send_reply(ctx, req, u->reply.head) ? UBUS_STATUS_NO_DATA
							: 0;
}

static int do_stats(struct ubus_context *ctx, struct ubus_object *obj,
		    struct ubus_request_data *req, const char *method,
		    struct blob_attr *msg)
{
	struct ifstat_ubus *u = ubus_of(obj);
	struct blob_attr *tb[ARG_MAX];
	const struct ifstat_view *v;
	int index, ret;

	(void)method;
	ret = parse(filter_policy, ARG_MAX, msg, tb);
	if (!ret)
		ret = read_now(u, &v);
	if (!ret)
		ret = filter_arg(tb, v, &index);
	if (ret)
		return ret;
	ifstat_buf_reset(&u->json);
	ifstat_json_snapshot(&u->json, v, index);
	if (u->json.err || blob_buf_init(&u->reply, 0))
		return UBUS_STATUS_NO_MEMORY;
	ret = ifstat_ubus_blob_json(&u->reply, u->json.data);
	if (ret) {
		log_err("ubus: stats: %s", strerror(-ret));
		return ret == -ENOMEM ? UBUS_STATUS_NO_MEMORY
				      : UBUS_STATUS_UNKNOWN_ERROR;
	}
	return reply(ctx, req, u);
}

static int do_filters(struct ubus_context *ctx, struct ubus_object *obj,
		      struct ubus_request_data *req, const char *method,
		      struct blob_attr *msg)
{
	struct ifstat_ubus *u = ubus_of(obj);
	char match[IFSTAT_FILTER_TEXT_MAX];
	const struct ifstat_snapshot *s;
	const struct ifstat_view *v;
	unsigned int i;
	void *a, *t;
	int ret;

	(void)method;
	ret = parse(NULL, 0, msg, NULL);
	if (!ret)
		ret = read_now(u, &v);
	if (ret)
		return ret;
	if (blob_buf_init(&u->reply, 0))
		return UBUS_STATUS_NO_MEMORY;
	s = filter_set(v);
	a = blobmsg_open_array(&u->reply, "filters");
	for (i = 0; s && i < s->nfilters; i++) {
		if (ifstat_filter_format(&s->filters[i].filter, match,
					 sizeof(match)) < 0)
			match[0] = '\0';
		t = blobmsg_open_table(&u->reply, NULL);
		blobmsg_add_u64(&u->reply, "index", i);
		blobmsg_add_string(&u->reply, "name", s->filters[i].name);
		blobmsg_add_string(&u->reply, "match", match);
		blobmsg_close_table(&u->reply, t);
	}
	blobmsg_close_array(&u->reply, a);
	return reply(ctx, req, u);
}

static int do_reset(struct ubus_context *ctx, struct ubus_object *obj,
		    struct ubus_request_data *req, const char *method,
		    struct blob_attr *msg)
{
	struct ifstat_ubus *u = ubus_of(obj);
	struct blob_attr *tb[ARG_MAX];
	const struct ifstat_view *v;
	uint64_t epoch;
	int index, ret;

	(void)method;
	ret = parse(filter_policy, ARG_MAX, msg, tb);
	if (!ret)
		ret = read_now(u, &v);
	if (!ret)
		ret = filter_arg(tb, v, &index);
	if (ret)
		return ret;
	ret = u->h->ops->reset(u->h, index, &epoch);
	if (ret) {
		log_err("ubus: reset: %s", strerror(-ret));
		return UBUS_STATUS_SYSTEM_ERROR;
	}
	if (blob_buf_init(&u->reply, 0))
		return UBUS_STATUS_NO_MEMORY;
	blobmsg_add_u64(&u->reply, "epoch", epoch);
	return reply(ctx, req, u);
}

/*
 * As SIGHUP. A refused configuration comes back as {"error": "FILE:LINE:
 * ..."} with UBUS_STATUS_UNKNOWN_ERROR (the call itself was right); the
 * running configuration stays.
 */
static int do_reload(struct ubus_context *ctx, struct ubus_object *obj,
		     struct ubus_request_data *req, const char *method,
		     struct blob_attr *msg)
{
	struct ifstat_ubus *u = ubus_of(obj);
	struct ifstat_diags *errs;
	struct ifstat_buf errors;
	int ret;

	(void)method;
	ret = parse(NULL, 0, msg, NULL);
	if (ret)
		return ret;
	if (u->dying)
		return UBUS_STATUS_NO_DATA;
	errs = malloc(sizeof(*errs));
	if (!errs)
		return UBUS_STATUS_NO_MEMORY;
	log_info("ubus: reloading");
	ifstat_diags_init(errs);
	ifstat_buf_init(&errors);
	/* May stop this publisher (ubus = no): u stays until we return. */
	ret = u->h->ops->reload(u->h, errs);
	if (ret == -EAGAIN) {
		ret = UBUS_STATUS_NO_DATA;
		goto out;
	}
	if (!ret)
		goto out;
	ifstat_diags_write(&errors, errs);
	while (errors.len && errors.data[errors.len - 1] == '\n')
		errors.data[--errors.len] = '\0';
	ret = UBUS_STATUS_UNKNOWN_ERROR;
	if (blob_buf_init(&u->reply, 0))
		goto out;
	blobmsg_add_string(&u->reply, "error",
			   errors.len && !errors.err ? errors.data
						     : "reload refused");
	reply(ctx, req, u);
out:
	ifstat_buf_free(&errors);
	free(errs);
	return ret;
}

const struct ubus_method ifstat_ubus_methods[] = {
	UBUS_METHOD("stats", do_stats, filter_policy),
	UBUS_METHOD_NOARG("filters", do_filters),
	UBUS_METHOD("reset", do_reset, filter_policy),
	UBUS_METHOD_NOARG("reload", do_reload),
};

const int ifstat_ubus_nmethods = ARRAY_SIZE(ifstat_ubus_methods);
