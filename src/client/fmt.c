// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>

void ifstat_fmt_rate(char *out, size_t len, double v, const char *unit)
{
	static const char *const prefix[] = { "", "k", "M", "G", "T", "P" };
	unsigned int p = 0;

	if (!(v > 0)) /* also NaN */
		v = 0;
	/* Decide on the printed value, so 999.96 never shows as 1000.0. */
	for (;;) {
		snprintf(out, len, "%.1f", v);
		if (strtod(out, NULL) < 1000.0 ||
		    p + 1 == sizeof(prefix) / sizeof(prefix[0]))
			break;
		v /= 1000.0;
		p++;
	}
	snprintf(out, len, "%.1f %s%s", v, prefix[p], unit);
}

void ifstat_fmt_bucket(char *out, size_t len, const uint32_t *edges,
		       unsigned int nedges, unsigned int b)
{
	unsigned long long lo;

	if (b == 0) {
		snprintf(out, len, "<=%u", edges[0]);
		return;
	}
	lo = (unsigned long long)edges[b - 1] + 1;
	if (b >= nedges)
		snprintf(out, len, ">=%llu", lo);
	else if (lo == edges[b])
		snprintf(out, len, "%u", edges[b]);
	else
		snprintf(out, len, "%llu-%u", lo, edges[b]);
}

void ifstat_fmt_interval(char *out, size_t len, unsigned int ms)
{
	if (ms && ms % 1000 == 0)
		snprintf(out, len, "%u s", ms / 1000);
	else
		snprintf(out, len, "%u ms", ms);
}
