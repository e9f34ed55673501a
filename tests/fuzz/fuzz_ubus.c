// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the ubus methods' argument handling: the input is
 * the payload of a method call's message (what any caller ubusd lets
 * through may send), checked against the methods' policies as
 * ubus_methods.c does. An accepted "filter" is a string whose length is
 * within the attribute. Then the input as the JSON line the answers are built from.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ubusblob.h"

static const struct blobmsg_policy filter_policy[] = {
	{ .name = "filter", .type = BLOBMSG_TYPE_STRING },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blob_attr *msg, *tb[1];
	struct blob_buf b = { 0 };
	char *json;

	if (size > 65536)
		return 0;
	/* The message as libubus hands it over: one attribute around the
	 * payload, the payload itself unchecked. */
	msg = malloc(sizeof(*msg) + size);
	if (!msg)
		abort();
	blob_set_raw_len(msg, (unsigned int)(sizeof(*msg) + size));
	memcpy(blob_data(msg), data, size);
	memset(tb, 0, sizeof(tb));
	if (!ifstat_ubus_args(filter_policy, 1, msg, tb) && tb[0]) {
		const char *name = blobmsg_get_string(tb[0]);

		if (blobmsg_type(tb[0]) != BLOBMSG_TYPE_STRING ||
		    strnlen(name, blobmsg_data_len(tb[0])) >=
			    blobmsg_data_len(tb[0]))
			abort();
	}
	ifstat_ubus_args(NULL, 0, msg, NULL); /* "filters", "reload" */
	free(msg);

	json = malloc(size + 1);
	if (!json)
		abort();
	memcpy(json, data, size);
	json[size] = '\0';
	blob_buf_init(&b, 0);
	ifstat_ubus_blob_json(&b, json);
	blob_buf_free(&b);
	free(json);
	return 0;
}
