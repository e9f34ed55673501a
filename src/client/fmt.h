/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Small text formatters of the table: rates, bucket titles, durations. */
#ifndef IFSTAT_FMT_H
#define IFSTAT_FMT_H

#include <stddef.h>
#include <stdint.h>

/*
 * v per second with one decimal in SI steps of 1000, the prefix chosen
 * after rounding: 999.94 "999.9 pps", 999.96 "1.0 kpps"; unit is "pps"
 * or "bit/s". Negative and NaN read as 0.
 */
void ifstat_fmt_rate(char *out, size_t len, double v, const char *unit);

/*
 * Title of bucket b of the given upper edges: "<=64", "65-127", ">=1513";
 * a one-value bucket is that value ("65").
 */
void ifstat_fmt_bucket(char *out, size_t len, const uint32_t *edges,
		       unsigned int nedges, unsigned int b);

/* An interval: "500 ms", "1 s", "1500 ms". */
void ifstat_fmt_interval(char *out, size_t len, unsigned int ms);

#endif
