// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "ubusnames.h"

#include <errno.h>
#include <stdio.h>

static int fit(int n, size_t len)
{
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int ifstat_ubus_bucket_key(const uint32_t *edges, unsigned int nedges,
			   unsigned int i, char *buf, size_t len)
{
	if (!nedges || i > nedges)
		return -EINVAL;
	if (i == 0)
		return fit(snprintf(buf, len, "pkts_%u", edges[0]), len);
	/* An edge is the last size of its bucket, so the next starts one
	 * above; (uint64_t) keeps an edge of UINT32_MAX from wrapping. */
	if (i == nedges)
		return fit(snprintf(buf, len, "pkts_%llu",
				    (unsigned long long)edges[i - 1] + 1),
			   len);
	return fit(snprintf(buf, len, "pkts_%llu_%u",
			    (unsigned long long)edges[i - 1] + 1, edges[i]),
		   len);
}

int ifstat_ubus_filter_key(unsigned int index, char *buf, size_t len)
{
	return fit(snprintf(buf, len, "filter%u", index), len);
}
