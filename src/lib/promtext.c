// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "promtext.h"

#include <inttypes.h>
#include <string.h>

#include "filter.h"
#include "text.h"

/*
 * The text format escapes \\, " and the line feed in a label value, which
 * must be UTF-8. Other control characters and bytes that are not UTF-8
 * (an interface may be named with any byte) are written as the visible
 * text \\xNN, backslash escaped: the value reads as the terminal and the
 * log show the name.
 */
void ifstat_prom_label(struct ifstat_buf *b, const char *s)
{
	const char *p = s;
	char esc[5];
	size_t n;

	ifstat_buf_add(b, "\"", 1);
	while (*p) {
		n = ifstat_visible_seq(p, esc);
		if (*p == '\\')
			ifstat_buf_add(b, "\\\\", 2);
		else if (*p == '"')
			ifstat_buf_add(b, "\\\"", 2);
		else if (*p == '\n')
			ifstat_buf_add(b, "\\n", 2);
		else if (n)
			ifstat_buf_add(b, p, n);
		else
			ifstat_buf_printf(b, "\\%s", esc);
		p += n ? n : 1;
	}
	ifstat_buf_add(b, "\"", 1);
}

static void family(struct ifstat_buf *b, const char *name, const char *type,
		   const char *help)
{
	ifstat_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
			  type);
}

/* Wall-clock milliseconds as the seconds Prometheus timestamps are in. */
static void seconds(struct ifstat_buf *b, uint64_t ms)
{
	ifstat_buf_printf(b, "%" PRIu64 ".%03u\n", ms / 1000,
			  (unsigned int)(ms % 1000));
}

/* "NAME{interface="IF"" : the caller adds its labels and the '}'. */
static void series(struct ifstat_buf *b, const char *name, const char *ifname)
{
	ifstat_buf_printf(b, "%s{interface=", name);
	ifstat_prom_label(b, ifname);
}

static void process_info(struct ifstat_buf *b, const struct ifstat_view *v,
			 const struct ifstat_prom_info *info)
{
	uint64_t reload_ms = info->reload_time_ms ? info->reload_time_ms
						  : info->start_time_ms;
	bool ok = info->reload_time_ms ? info->reload_ok : true;

	family(b, "ifstat_build_info", "gauge",
	       "The version of ifstatd serving these metrics; always 1.");
	ifstat_buf_add(b, "ifstat_build_info{version=", 26);
	ifstat_prom_label(b, info->version);
	ifstat_buf_add(b, "} 1\n", 4);

	family(b, "ifstat_start_time_seconds", "gauge",
	       "When ifstatd started, in seconds since the Unix epoch.");
	ifstat_buf_add(b, "ifstat_start_time_seconds ", 26);
	seconds(b, info->start_time_ms);

	/* The start is the first load, as Prometheus counts its own. */
	family(b, "ifstat_config_last_reload_successful", "gauge",
	       "1 when the last configuration reload was applied (or none "
	       "was asked for yet), 0 when it was refused.");
	ifstat_buf_printf(b, "ifstat_config_last_reload_successful %d\n", ok);
	family(b, "ifstat_config_last_reload_timestamp_seconds", "gauge",
	       "When the last configuration reload was attempted (the start "
	       "when none was), in seconds since the Unix epoch.");
	ifstat_buf_add(b, "ifstat_config_last_reload_timestamp_seconds ", 44);
	seconds(b, reload_ms);

	family(b, "ifstat_xdp_info", "gauge",
	       "The interface counted and how the XDP program is attached; "
	       "always 1.");
	series(b, "ifstat_xdp_info", v->entries[0].interface);
	ifstat_buf_add(b, ",mode=", 6);
	ifstat_prom_label(b, v->entries[0].mode);
	ifstat_buf_add(b, "} 1\n", 4);
}

static void totals(struct ifstat_buf *b, const struct ifstat_view *v)
{
	const struct ifstat_snapshot *s = v->entries[0].snap;
	const struct {
		const char *kind;
		uint64_t n;
	} kinds[] = {
		{ "all", s->totals.packets },
		{ "unmatched", s->totals.unmatched },
		{ "non_ip", s->totals.non_ip },
		{ "malformed", s->totals.malformed },
	};
	size_t i;

	family(b, "ifstat_frames_total", "counter",
	       "Frames seen at the XDP hook: all, matched by no filter, "
	       "neither IPv4 nor IPv6, malformed. The kinds overlap: all "
	       "includes the others.");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		series(b, "ifstat_frames_total", v->entries[0].interface);
		ifstat_buf_printf(b, ",kind=\"%s\"} %" PRIu64 "\n",
				  kinds[i].kind, kinds[i].n);
	}
	family(b, "ifstat_bytes_total", "counter",
	       "Bytes of all frames seen at the XDP hook (whole frames, "
	       "without FCS).");
	series(b, "ifstat_bytes_total", v->entries[0].interface);
	ifstat_buf_printf(b, "} %" PRIu64 "\n", s->totals.bytes);
}

static void filter_info(struct ifstat_buf *b, const struct ifstat_view *v)
{
	const struct ifstat_snapshot *s = v->entries[0].snap;
	char match[IFSTAT_FILTER_TEXT_MAX];
	unsigned int i;

	family(b, "ifstat_filter_info", "gauge",
	       "A filter: its name, position and definition in the "
	       "canonical one-line form; always 1.");
	for (i = 0; i < s->nfilters; i++) {
		if (ifstat_filter_format(&s->filters[i].filter, match,
					 sizeof(match)) < 0)
			match[0] = '\0';
		series(b, "ifstat_filter_info", v->entries[0].interface);
		ifstat_buf_add(b, ",filter=", 8);
		ifstat_prom_label(b, s->filters[i].name);
		ifstat_buf_printf(b, ",index=\"%u\",match=", i);
		ifstat_prom_label(b, match);
		ifstat_buf_add(b, "} 1\n", 4);
	}
}

/* "NAME{interface="IF",filter="F"" */
static void filter_series(struct ifstat_buf *b, const char *name,
			  const struct ifstat_view *v, unsigned int i)
{
	series(b, name, v->entries[0].interface);
	ifstat_buf_add(b, ",filter=", 8);
	ifstat_prom_label(b, v->entries[0].snap->filters[i].name);
}

static void histograms(struct ifstat_buf *b, const struct ifstat_view *v)
{
	const struct ifstat_snapshot *s = v->entries[0].snap;
	unsigned int i, e;
	uint64_t cum;

	family(b, "ifstat_packet_size_bytes", "histogram",
	       "Sizes of the frames a filter matched (whole frames, without "
	       "FCS); the buckets are the configured size edges.");
	for (i = 0; i < s->nfilters; i++) {
		const struct ifstat_filter_stats *f = &s->filters[i];

		cum = 0;
		for (e = 0; e < s->nedges; e++) {
			cum += f->buckets[e];
			filter_series(b, "ifstat_packet_size_bytes_bucket", v,
				      i);
			ifstat_buf_printf(b, ",le=\"%u\"} %" PRIu64 "\n",
					  s->edges[e], cum);
		}
		/*
		 * The count is the sum of the buckets, not f->packets: a read
		 * races with the program on other CPUs, so the two may differ
		 * by a frame in flight, and a histogram whose +Inf bucket is
		 * not its count or is below a finite bucket is invalid.
		 */
		cum += f->buckets[s->nedges];
		filter_series(b, "ifstat_packet_size_bytes_bucket", v, i);
		ifstat_buf_printf(b, ",le=\"+Inf\"} %" PRIu64 "\n", cum);
		filter_series(b, "ifstat_packet_size_bytes_sum", v, i);
		ifstat_buf_printf(b, "} %" PRIu64 "\n", f->bytes);
		filter_series(b, "ifstat_packet_size_bytes_count", v, i);
		ifstat_buf_printf(b, "} %" PRIu64 "\n", cum);
	}
}

void ifstat_prom_text(struct ifstat_buf *b, const struct ifstat_view *v,
		      const struct ifstat_prom_info *info)
{
	process_info(b, v, info);
	totals(b, v);
	filter_info(b, v);
	histograms(b, v);
}
