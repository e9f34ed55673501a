// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The pure parts of the page: parsing a snapshot line (schema version 2),
 * the client's delta rule (src/client/delta.c, README "ifstat, the
 * client"), bucket titles and number formats. No DOM here.
 */
"use strict";

var ifstatDelta = (function () {
	/*
	 * Counters are 64-bit; a JS number is exact to 2^53 only. Where the
	 * browser gives the source text of a number (JSON.parse source text
	 * access), a larger counter is kept as its exact decimal string for
	 * display and turned into a number only for rates.
	 */
	function parse(text) {
		return JSON.parse(text, function (key, v, ctx) {
			if (typeof v === "number" && !Number.isSafeInteger(v) &&
			    ctx && typeof ctx.source === "string" &&
			    /^[0-9]+$/.test(ctx.source))
				return ctx.source;
			return v;
		});
	}

	function num(v) {
		return typeof v === "string" ? Number(v) : v;
	}

	function exact(v) {
		return typeof v === "string" ? v : String(v);
	}

	/* a - b for counters that may be exact strings. */
	function sub(a, b) {
		if (typeof a === "string" || typeof b === "string")
			return Number(BigInt(a) - BigInt(b));
		return a - b;
	}

	function less(a, b) {
		if (typeof a === "string" || typeof b === "string")
			return BigInt(a) < BigInt(b);
		return a < b;
	}

	function sameEdges(a, b) {
		var i;

		if (a.size_edges.length !== b.size_edges.length)
			return false;
		for (i = 0; i < a.size_edges.length; i++)
			if (a.size_edges[i] !== b.size_edges[i])
				return false;
		return true;
	}

	/* The entry of snap for an interface and direction, or null. */
	function findEntry(snap, iface, direction) {
		var i, e;

		for (i = 0; i < snap.interfaces.length; i++) {
			e = snap.interfaces[i];
			if (e.interface === iface && e.direction === direction)
				return e;
		}
		return null;
	}

	function findFilter(entry, name) {
		var i;

		for (i = 0; i < entry.filters.length; i++)
			if (entry.filters[i].name === name)
				return entry.filters[i];
		return null;
	}

	/* The entry of prev that e (of the next snapshot) continues. */
	function before(prev, e) {
		return findEntry(prev, e.interface, e.direction);
	}

	/*
	 * The filter f of cur's entry e against prev: paired by interface,
	 * direction and name; the difference when match and size_edges are
	 * the same and no counter went down, else counted from zero
	 * (fromZero: it restarted within the interval, or is new). null
	 * without a previous snapshot.
	 */
	function filterDelta(prev, cur, e, f) {
		var pe, o, b, d;

		if (!prev)
			return null;
		pe = before(prev, e);
		o = pe ? findFilter(pe, f.name) : null;
		if (o && (!sameEdges(prev, cur) || o.match !== f.match ||
			  less(f.packets, o.packets) || less(f.bytes, o.bytes)))
			o = null;
		for (b = 0; o && b < f.sizes.length; b++)
			if (less(f.sizes[b], o.sizes[b]))
				o = null;
		d = { fromZero: !o, sizes: [] };
		d.packets = o ? sub(f.packets, o.packets) : num(f.packets);
		d.bytes = o ? sub(f.bytes, o.bytes) : num(f.bytes);
		for (b = 0; b < f.sizes.length; b++)
			d.sizes.push(o ? sub(f.sizes[b], o.sizes[b]) :
					 num(f.sizes[b]));
		return d;
	}

	var TOTALS = [ "packets", "bytes", "unmatched", "non_ip", "malformed" ];

	/* The totals of cur's entry e by the same rule (none going down). */
	function totalsDelta(prev, cur, e) {
		var d = { fromZero: false }, i, k, pe;

		if (!prev)
			return null;
		pe = before(prev, e);
		d.fromZero = !pe;
		for (i = 0; pe && i < TOTALS.length; i++)
			if (less(e.totals[TOTALS[i]], pe.totals[TOTALS[i]]))
				d.fromZero = true;
		for (i = 0; i < TOTALS.length; i++) {
			k = TOTALS[i];
			d[k] = d.fromZero ? num(e.totals[k]) :
					    sub(e.totals[k], pe.totals[k]);
		}
		return d;
	}

	/* Seconds between two snapshots; 0 when time stands or goes back. */
	function seconds(prev, cur) {
		if (!prev || cur.time_ms <= prev.time_ms)
			return 0;
		return (cur.time_ms - prev.time_ms) / 1000;
	}

	/* As the client titles its columns: <=64, 65-127, ..., >=1513; a
	 * one-value bucket by its value. */
	function bucketTitles(edges) {
		var t = [], i, lo;

		for (i = 0; i <= edges.length; i++) {
			lo = i ? edges[i - 1] + 1 : 0;
			if (i === 0)
				t.push("<=" + edges[0]);
			else if (i === edges.length)
				t.push(">=" + lo);
			else if (lo === edges[i])
				t.push(String(lo));
			else
				t.push(lo + "-" + edges[i]);
		}
		return t;
	}

	/* SI steps of 1000, one decimal, as the client prints rates. */
	function rate(v, unit) {
		var prefixes = [ "", "k", "M", "G", "T", "P" ], i = 0;

		if (!(v > 0))
			v = 0;
		/* On the printed value, so 999.96 never shows as 1000.0. */
		while (Number(v.toFixed(1)) >= 1000 && i < prefixes.length - 1) {
			v /= 1000;
			i++;
		}
		return v.toFixed(1) + " " + prefixes[i] + unit;
	}

	function share(part, whole) {
		whole = num(whole);
		if (!whole)
			return "-";
		return (100 * num(part) / whole).toFixed(1) + " %";
	}

	return {
		parse: parse,
		VERSION: 2,
		findEntry: findEntry,
		num: num,
		exact: exact,
		filterDelta: filterDelta,
		totalsDelta: totalsDelta,
		seconds: seconds,
		bucketTitles: bucketTitles,
		rate: rate,
		share: share,
		TOTALS: TOTALS,
	};
})();
