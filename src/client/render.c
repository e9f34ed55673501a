// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "render.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "delta.h"
#include "fmt.h"
#include "text.h"

/* Every cell but a filter's match text; a name of 31 bytes shown
 * escaped (\xNN) takes up to 124. */
#define CELL_MAX 128
#define MAX_COLS (1 + IFSTAT_MAX_BUCKETS + 5)

/* Row kinds of both tables. */
enum { ROW_TITLE, ROW_ABS, ROW_DELTA };

/* One entry's two tables. */
struct table {
	const struct ifstat_report *cur;
	const struct ifstat_report_entry *e; /* of cur */
	double seconds; /* between the snapshots; 0: no rates */
	unsigned int nbuckets;
	unsigned int nshown;
	unsigned int shown[IFSTAT_MAX_FILTERS]; /* indexes into cur */
	struct ifstat_delta delta[IFSTAT_MAX_FILTERS]; /* of shown[] */
	struct ifstat_delta_totals totals;
};

/* Writes the cell of (row, col) to out; returns a match text instead. */
typedef const char *cell_fn(const struct table *t, unsigned int row,
			    unsigned int col, char *out, size_t len);

static void u64_cell(char *out, size_t len, uint64_t v)
{
	snprintf(out, len, "%" PRIu64, v);
}

static void rate_cells(const struct table *t, bool none, uint64_t packets,
		       uint64_t bytes, bool bits, char *out, size_t len)
{
	if (none || !t->seconds)
		snprintf(out, len, "-");
	else if (bits)
		ifstat_fmt_rate(out, len, (double)bytes * 8 / t->seconds,
				"bit/s");
	else
		ifstat_fmt_rate(out, len, (double)packets / t->seconds, "pps");
}

static const char *delta_label(enum ifstat_delta_kind k)
{
	return k == IFSTAT_DELTA_FROM_ZERO ? "  delta*" : "  delta";
}

/* Filters: Filter, one column per bucket, Bytes, Packets, Rate, Bitrate,
 * Match. Row 0 is the title, then two rows per shown filter. */
static const char *filter_cell(const struct table *t, unsigned int row,
			       unsigned int col, char *out, size_t len)
{
	const struct ifstat_report_filter *f;
	const struct ifstat_delta *d;
	unsigned int nb = t->nbuckets, k;
	bool none;

	static const char *const tail[] = { "Bytes", "Packets", "Rate",
					    "Bitrate", "Match" };

	out[0] = '\0';
	if (!row) {
		if (!col)
			snprintf(out, len, "Filter");
		else if (col <= nb)
			ifstat_fmt_bucket(out, len, t->cur->edges,
					  t->cur->nedges, col - 1);
		else
			snprintf(out, len, "%s", tail[col - nb - 1]);
		return NULL;
	}
	f = &t->e->filters[t->shown[(row - 1) / 2]];
	d = &t->delta[(row - 1) / 2];
	none = d->kind == IFSTAT_DELTA_NONE;
	k = col > nb ? col - nb : 0; /* 1 Bytes .. 5 Match */
	if ((row - 1) % 2 == 0) {
		if (!col)
			ifstat_visible(out, len, f->name);
		else if (col <= nb)
			u64_cell(out, len, f->sizes[col - 1]);
		else if (k == 1)
			u64_cell(out, len, f->bytes);
		else if (k == 2)
			u64_cell(out, len, f->packets);
		else if (k == 5)
			return f->match;
		return NULL;
	}
	if (!col)
		snprintf(out, len, "%s", delta_label(d->kind));
	else if (k == 5)
		return NULL;
	else if (k >= 3)
		rate_cells(t, none, d->packets, d->bytes, k == 4, out, len);
	else if (none)
		snprintf(out, len, "-");
	else if (col <= nb)
		u64_cell(out, len, d->sizes[col - 1]);
	else
		u64_cell(out, len, k == 1 ? d->bytes : d->packets);
	return NULL;
}

/* Totals: Interface, Packets, Bytes, Unmatched, Non-IP, Malformed, Rate,
 * Bitrate; title, absolute and delta rows. */
static const char *totals_cell(const struct table *t, unsigned int row,
			       unsigned int col, char *out, size_t len)
{
	static const char *const title[] = { "Interface", "Packets",
					     "Bytes",	  "Unmatched",
					     "Non-IP",	  "Malformed",
					     "Rate",	  "Bitrate" };
	const struct ifstat_report_totals *v = row == ROW_ABS ? &t->e->totals
							      : &t->totals.t;
	const uint64_t vals[] = { v->packets, v->bytes, v->unmatched, v->non_ip,
				  v->malformed };
	bool none = t->totals.kind == IFSTAT_DELTA_NONE;

	out[0] = '\0';
	if (row == ROW_TITLE)
		snprintf(out, len, "%s", title[col]);
	else if (!col)
		ifstat_visible(
			out, len,
			row == ROW_ABS ? t->e->interface : delta_label(t->totals.kind));
	else if (col >= 6) {
		if (row == ROW_DELTA) /* rates belong to the delta row */
			rate_cells(t, none, v->packets, v->bytes, col == 7, out,
				   len);
	} else if (row == ROW_DELTA && none) {
		snprintf(out, len, "-");
	} else {
		u64_cell(out, len, vals[col - 1]);
	}
	return NULL;
}

/*
 * Column 0 left-aligned, the others right-aligned to their widest cell;
 * a match text (the last column) is left as is. Rates and the match get
 * two spaces before them, numbers one.
 */
static void grid(struct ifstat_buf *b, const struct table *t, cell_fn *cell,
		 unsigned int nrows, unsigned int ncols, unsigned int wide_from)
{
	unsigned int r, c, w[MAX_COLS] = { 0 };
	char s[CELL_MAX];
	const char *m;
	size_t start;

	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			m = cell(t, r, c, s, sizeof(s));
			if (!m && strlen(s) > w[c])
				w[c] = (unsigned int)strlen(s);
		}
	for (r = 0; r < nrows; r++) {
		start = b->len;
		for (c = 0; c < ncols; c++) {
			m = cell(t, r, c, s, sizeof(s));
			if (c)
				ifstat_buf_add(b, "  ", c >= wide_from ? 2 : 1);
			if (m)
				ifstat_buf_visible(b, m);
			else if (!c)
				ifstat_buf_printf(b, "%-*s", (int)w[c], s);
			else
				ifstat_buf_printf(b, "%*s", (int)w[c], s);
		}
		/* No trailing blanks where the last cells are empty. */
		while (!b->err && b->len > start && b->data[b->len - 1] == ' ')
			b->data[--b->len] = '\0';
		ifstat_buf_add(b, "\n", 1);
	}
}

static void header(struct ifstat_buf *b, const struct ifstat_report *r)
{
	char when[32] = "", every[24];
	time_t sec = (time_t)(r->time_ms / 1000);
	struct tm tm;

	if (localtime_r(&sec, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	ifstat_fmt_interval(every, sizeof(every), r->interval_ms);
	ifstat_buf_printf(b, "ifstat, interval %s, %s.%03u\n", every, when,
			  (unsigned int)(r->time_ms % 1000));
}

/* "eth0 ingress (xdp native)", ", missing" while it is not counted. */
static void entry_header(struct ifstat_buf *b,
			 const struct ifstat_report_entry *e)
{
	/* Names as the socket sent them may hold anything: shown escaped. */
	ifstat_buf_visible(b, e->interface);
	ifstat_buf_add(b, " ", 1);
	ifstat_buf_visible(b, e->direction);
	if (!strcmp(e->hook, "none")) {
		ifstat_buf_add(b, " (not attached)", 15);
	} else {
		ifstat_buf_add(b, " (", 2);
		ifstat_buf_visible(b, e->hook);
		ifstat_buf_add(b, " ", 1);
		ifstat_buf_visible(b, e->mode);
		ifstat_buf_add(b, ")", 1);
	}
	if (!e->present)
		ifstat_buf_add(b, ", missing", 9);
	ifstat_buf_add(b, "\n", 1);
}

/* The tables of cur->entries[ei]; whether a delta counted from zero. */
static bool render_entry(struct ifstat_buf *b, const struct ifstat_report *cur,
			 const struct ifstat_report *prev, unsigned int ei,
			 const struct ifstat_select *sel)
{
	struct table t = { .cur = cur,
			   .e = &cur->entries[ei],
			   .nbuckets = cur->nedges + 1 };
	bool from_zero = false;
	unsigned int i;

	t.seconds = ifstat_delta_seconds(prev, cur);
	for (i = 0; i < t.e->nfilters; i++) {
		if (!ifstat_select_wants(&sel->filters, t.e->filters[i].name))
			continue;
		ifstat_delta_filter(prev, cur, ei, i, &t.delta[t.nshown]);
		if (t.delta[t.nshown].kind == IFSTAT_DELTA_FROM_ZERO)
			from_zero = true;
		t.shown[t.nshown++] = i;
	}
	ifstat_delta_totals(prev, cur, ei, &t.totals);
	if (t.totals.kind == IFSTAT_DELTA_FROM_ZERO)
		from_zero = true;

	entry_header(b, t.e);
	grid(b, &t, filter_cell, 1 + 2 * t.nshown, 1 + t.nbuckets + 5,
	     1 + t.nbuckets + 2);
	grid(b, &t, totals_cell, 3, 8, 6);
	return from_zero;
}

void ifstat_render_table(struct ifstat_buf *b, const struct ifstat_report *cur,
			 const struct ifstat_report *prev,
			 const struct ifstat_select *sel)
{
	bool from_zero = false;
	unsigned int e, shown = 0;

	header(b, cur);
	/* Entries come grouped, each interface's directions together. */
	for (e = 0; e < cur->nentries; e++) {
		if (!ifstat_select_entry(sel, &cur->entries[e]))
			continue;
		if (shown++)
			ifstat_buf_add(b, "\n", 1);
		if (render_entry(b, cur, prev, e, sel))
			from_zero = true;
	}
	if (prev && prev->epoch != cur->epoch)
		ifstat_buf_printf(b, "counters were reset since the previous "
				     "snapshot\n");
	if (from_zero)
		ifstat_buf_printf(b, "* counted from zero: new or changed "
				     "filter, or its counters were reset\n");
}
