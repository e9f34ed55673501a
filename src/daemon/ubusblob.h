/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The blobmsg forms of what ifstatd publishes over ubus. Pure (no
 * connection), so they are unit-tested against the real libubox.
 */
#ifndef IFSTATD_UBUSBLOB_H
#define IFSTATD_UBUSBLOB_H

#include <libubox/blobmsg.h>

#include "snapjson.h"

/*
 * The notification "ifstat.data" in the original tool's shape: one table
 * "filter<index>" per filter with its "pkts_*" keys (ubusnames.h), every
 * value a 64-bit integer, for one entry of v (ifstat_view_main: the
 * original counted one interface, ingress). Starts b afresh. Returns 0
 * or -errno.
 */
int ifstat_ubus_blob_data(struct blob_buf *b, const struct ifstat_view *v);

/*
 * Adds the members of the JSON object json to the open table of b. Every
 * JSON integer becomes a 64-bit blobmsg integer, whatever its value, so a
 * C consumer reads every counter with one policy type (libblobmsg_json
 * would pick 32 or 64 bits by value). Returns 0, -EINVAL (not a JSON
 * object) or -ENOMEM.
 */
int ifstat_ubus_blob_json(struct blob_buf *b, const char *json);

/*
 * A method's arguments, strictly: every member named in policy (n
 * entries) and of its type, so a typo never widens what a call does;
 * tb filled as blobmsg_parse does. 0 or -EINVAL. msg comes from any
 * caller ubusd lets through (fuzzed: fuzz_ubus).
 */
int ifstat_ubus_args(const struct blobmsg_policy *policy, int n,
		     struct blob_attr *msg, struct blob_attr **tb);

#endif
