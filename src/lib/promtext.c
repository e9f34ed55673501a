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

/* "NAME{interface="IF",direction="DIR"": the caller adds its labels and
 * the '}'. */
static void series(struct ifstat_buf *b, const char *name,
		   const struct ifstat_entry *e)
{
	ifstat_buf_printf(b, "%s{interface=", name);
	ifstat_prom_label(b, e->interface);
	ifstat_buf_add(b, ",direction=", 11);
	ifstat_prom_label(b, e->direction);
}

static void process_info(struct ifstat_buf *b,
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
}

static void interface_info(struct ifstat_buf *b, const struct ifstat_view *v)
{
	unsigned int i;

	family(b, "ifstat_interface_info", "gauge",
	       "An interface and direction counted and how: the hook (xdp, "
	       "tc; none while not attached) and its mode; always 1.");
	for (i = 0; i < v->nentries; i++) {
		series(b, "ifstat_interface_info", &v->entries[i]);
		ifstat_buf_add(b, ",hook=", 6);
		ifstat_prom_label(b, v->entries[i].hook);
		ifstat_buf_add(b, ",mode=", 6);
		ifstat_prom_label(b, v->entries[i].mode);
		ifstat_buf_add(b, "} 1\n", 4);
	}
	family(b, "ifstat_interface_present", "gauge",
	       "1 while the interface exists and is counted, 0 while it is "
	       "missing (its counters do not move).");
	for (i = 0; i < v->nentries; i++) {
		series(b, "ifstat_interface_present", &v->entries[i]);
		ifstat_buf_printf(b, "} %d\n", v->entries[i].present);
	}
}

static void totals(struct ifstat_buf *b, const struct ifstat_view *v)
{
	static const char *const kinds[] = { "all", "unmatched", "non_ip",
					     "malformed" };
	unsigned int i;
	size_t k;

	family(b, "ifstat_frames_total", "counter",
	       "Frames seen at the hook: all, matched by no filter, neither "
	       "IPv4 nor IPv6, malformed. The kinds overlap: all includes "
	       "the others.");
	for (i = 0; i < v->nentries; i++) {
		const struct ifstat_snapshot *s =
			ifstat_entry_snap(&v->entries[i]);
		const uint64_t n[] = { s->totals.packets, s->totals.unmatched,
				       s->totals.non_ip, s->totals.malformed };

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			series(b, "ifstat_frames_total", &v->entries[i]);
			ifstat_buf_printf(b, ",kind=\"%s\"} %" PRIu64 "\n",
					  kinds[k], n[k]);
		}
	}
	family(b, "ifstat_bytes_total", "counter",
	       "Bytes of all frames seen at the hook (whole frames, without "
	       "FCS).");
	for (i = 0; i < v->nentries; i++) {
		series(b, "ifstat_bytes_total", &v->entries[i]);
		ifstat_buf_printf(
			b, "} %" PRIu64 "\n",
			ifstat_entry_snap(&v->entries[i])->totals.bytes);
	}
}

/* "NAME{interface="IF",direction="DIR",filter="F"" */
static void filter_series(struct ifstat_buf *b, const char *name,
			  const struct ifstat_entry *e, unsigned int i)
{
	series(b, name, e);
	ifstat_buf_add(b, ",filter=", 8);
	ifstat_prom_label(b, ifstat_entry_snap(e)->filters[i].name);
}

static void filter_info(struct ifstat_buf *b, const struct ifstat_entry *e)
{
	const struct ifstat_snapshot *s = ifstat_entry_snap(e);
	char match[IFSTAT_FILTER_TEXT_MAX];
	unsigned int i;

	for (i = 0; i < s->nfilters; i++) {
		if (ifstat_filter_format(&s->filters[i].filter, match,
					 sizeof(match)) < 0)
			match[0] = '\0';
		filter_series(b, "ifstat_filter_info", e, i);
		ifstat_buf_printf(b, ",index=\"%u\",match=", i);
		ifstat_prom_label(b, match);
		ifstat_buf_add(b, "} 1\n", 4);
	}
}

static void histograms(struct ifstat_buf *b, const struct ifstat_view *v,
		       const struct ifstat_entry *e)
{
	const struct ifstat_snapshot *s = ifstat_entry_snap(e);
	unsigned int i, k;
	uint64_t cum;

	for (i = 0; i < s->nfilters; i++) {
		const struct ifstat_filter_stats *f = &s->filters[i];

		cum = 0;
		for (k = 0; k < v->nedges; k++) {
			cum += f->buckets[k];
			filter_series(b, "ifstat_packet_size_bytes_bucket", e,
				      i);
			ifstat_buf_printf(b, ",le=\"%u\"} %" PRIu64 "\n",
					  v->edges[k], cum);
		}
		/*
		 * The count is the sum of the buckets, not f->packets: a read
		 * races with the program on other CPUs, so the two may differ
		 * by a frame in flight, and a histogram whose +Inf bucket is
		 * not its count or is below a finite bucket is invalid.
		 */
		cum += f->buckets[v->nedges];
		filter_series(b, "ifstat_packet_size_bytes_bucket", e, i);
		ifstat_buf_printf(b, ",le=\"+Inf\"} %" PRIu64 "\n", cum);
		filter_series(b, "ifstat_packet_size_bytes_sum", e, i);
		ifstat_buf_printf(b, "} %" PRIu64 "\n", f->bytes);
		filter_series(b, "ifstat_packet_size_bytes_count", e, i);
		ifstat_buf_printf(b, "} %" PRIu64 "\n", cum);
	}
}

void ifstat_prom_text(struct ifstat_buf *b, const struct ifstat_view *v,
		      const struct ifstat_prom_info *info)
{
	unsigned int i;

	process_info(b, info);
	interface_info(b, v);
	totals(b, v);
	family(b, "ifstat_filter_info", "gauge",
	       "A filter: its name, position and definition in the "
	       "canonical one-line form; always 1.");
	for (i = 0; i < v->nentries; i++)
		filter_info(b, &v->entries[i]);
	family(b, "ifstat_packet_size_bytes", "histogram",
	       "Sizes of the frames a filter matched (whole frames, without "
	       "FCS); the buckets are the configured size edges.");
	for (i = 0; i < v->nentries; i++)
		histograms(b, v, &v->entries[i]);
}
