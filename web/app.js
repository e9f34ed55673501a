// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The live page: a section per counted interface, in it a view per
 * direction (the entries of a snapshot of schema version 2, in its
 * order). Fed by /api/v1/stream; rates follow the client's delta rule
 * (delta.js). Every name shown is user data: it is only ever set as text
 * (textContent) or an attribute value, never parsed as HTML.
 */
"use strict";

(function () {
	var D = ifstatDelta;
	var WINDOW_S = 300; /* rate history kept and drawn */
	var MAX_POINTS = 1200; /* per series, whatever the interval */
	var groups = new Map(); /* interface -> its section */
	var views = new Map(); /* "interface/direction" -> view */
	var prev = null; /* the last reading */
	var latest = null; /* the reading the next frame draws */
	var resetText = "";
	var order = ""; /* the views' keys as arranged, one a line */
	var statusEl = document.getElementById("status");
	var updatedEl = document.getElementById("updated");
	var viewsEl = document.getElementById("views");
	var source = null;
	var retryTimer = null;
	var drawing = 0; /* the requested animation frame, 0: none */

	function el(tag, cls, text) {
		var e = document.createElement(tag);

		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	function setStatus(state, text) {
		statusEl.dataset.state = state;
		statusEl.textContent = text;
	}

	function chartWidth(container) {
		return Math.max(240, Math.min(container.clientWidth || 480, 640));
	}

	/* Packets/s (left axis) and bit/s (right axis) over time. */
	function rateChart(container) {
		var opts = {
			width: chartWidth(container),
			height: 180,
			legend: { show: true },
			cursor: { drag: { x: false, y: false } },
			scales: { x: { time: true }, pps: {}, bps: {} },
			series: [
				{},
				{ label: "packets/s", scale: "pps", stroke: "#1f77b4",
				  width: 1.5,
				  value: function (u, v) {
					  return v == null ? "-" : D.rate(v, "pps");
				  } },
				{ label: "bit/s", scale: "bps", stroke: "#ff7f0e",
				  width: 1.5,
				  value: function (u, v) {
					  return v == null ? "-" : D.rate(v, "bit/s");
				  } },
			],
			axes: [
				/* Local wall-clock time of each reading; uPlot's
				 * own two-line dates overlap at this width. */
				{ space: 70,
				  values: function (u, s) {
					  return s.map(function (t) {
						  return new Date(t * 1000)
							  .toTimeString()
							  .slice(0, 8);
					  });
				  } },
				{ scale: "pps", size: 70,
				  values: function (u, s) {
					  return s.map(function (v) {
						  return D.rate(v, "");
					  });
				  } },
				{ scale: "bps", side: 1, size: 90,
				  grid: { show: false },
				  values: function (u, s) {
					  return s.map(function (v) {
						  return D.rate(v, "bit/s");
					  });
				  } },
			],
		};

		return new uPlot(opts, [[], [], []], container);
	}

	/* Frames per size bucket, the titles of the edges in force. */
	function sizeChart(container, titles) {
		var opts = {
			width: chartWidth(container),
			height: 180,
			legend: { show: false },
			cursor: { show: false },
			scales: {
				x: { time: false,
				     range: [ -0.5, titles.length - 0.5 ] },
				y: { range: function (u, lo, hi) {
					return [ 0, hi > 0 ? hi * 1.1 : 1 ];
				} },
			},
			series: [
				{},
				{ label: "frames", stroke: "#2ca02c",
				  fill: "rgba(44,160,44,0.4)",
				  paths: uPlot.paths.bars({ size: [ 0.7, 80 ] }),
				  points: { show: false } },
			],
			axes: [
				{ splits: function () {
					return titles.map(function (t, i) {
						return i;
					});
				  },
				  values: function (u, s) {
					  return s.map(function (i) {
						  return titles[i] || "";
					  });
				  },
				  grid: { show: false } },
				{ size: 60,
				  values: function (u, s) {
					  return s.map(function (v) {
						  return D.rate(v, "");
					  });
				  } },
			],
		};
		var xs = titles.map(function (t, i) {
			return i;
		});

		return new uPlot(opts, [xs, xs.map(function () {
			return 0;
		})], container);
	}

	function cell(row, key, text) {
		var td = el("td", null, text);

		td.dataset.k = key;
		row.appendChild(td);
		return td;
	}

	function headRow(table, titles) {
		var tr = el("tr");

		titles.forEach(function (t) {
			tr.appendChild(el("th", null, t));
		});
		table.appendChild(tr);
	}

	function newGroup(iface) {
		var g = { section: el("section", "iface"), views: 0 };

		g.section.dataset.interface = iface;
		g.section.appendChild(el("h2", null, iface));
		viewsEl.appendChild(g.section);
		groups.set(iface, g);
		return g;
	}

	function newView(key, e) {
		var g = groups.get(e.interface) || newGroup(e.interface);
		var v = {
			key: key,
			group: g,
			section: el("div", "view"),
			title: el("h3"),
			info: el("p", "info"),
			missing: el("p", "missing"),
			reset: el("p", "reset"),
			totals: el("table", "totals"),
			table: el("table", "filters"),
			cards: el("div", "cards"),
			filters: new Map(), /* name -> card */
			history: new Map(), /* name -> {match, t, pps, bps} */
			shown: null, /* what the next frame draws */
		};

		v.section.dataset.view = key;
		v.section.appendChild(v.title);
		v.section.appendChild(v.info);
		v.section.appendChild(v.missing);
		v.section.appendChild(v.reset);
		v.section.appendChild(el("h4", "part", "Totals"));
		v.section.appendChild(v.totals);
		v.section.appendChild(el("h4", "part", "Filters"));
		/* Up to 16 buckets: the table scrolls, not the page. */
		v.section.appendChild(el("div", "scroll")).appendChild(v.table);
		v.section.appendChild(v.cards);
		g.section.appendChild(v.section);
		g.views++;
		views.set(key, v);
		return v;
	}

	/* An entry gone (a reload removed its interface or direction). */
	function dropView(v) {
		v.filters.forEach(function (c) {
			dropCard(v, c);
		});
		v.section.remove();
		views.delete(v.key);
		if (!--v.group.views) {
			v.group.section.remove();
			groups.delete(v.group.section.dataset.interface);
		}
	}

	function newCard(v, f) {
		var c = {
			name: f.name,
			match: f.match,
			box: el("div", "card"),
			head: el("h4"),
			matchEl: el("code", "match"),
			rates: el("div", "chart rates"),
			sizes: el("div", "chart sizes"),
			sizeTable: el("table", "buckets"),
			rateChart: null,
			sizeChart: null,
			titles: null,
		};

		c.box.dataset.filter = f.name;
		c.head.textContent = f.name;
		c.matchEl.textContent = f.match;
		c.box.appendChild(c.head);
		c.box.appendChild(c.matchEl);
		c.box.appendChild(el("h5", null, "Rates"));
		c.box.appendChild(c.rates);
		c.box.appendChild(el("h5", null, "Frame sizes (since the counters started)"));
		c.box.appendChild(c.sizes);
		c.box.appendChild(c.sizeTable);
		v.cards.appendChild(c.box);
		c.rateChart = rateChart(c.rates);
		return c;
	}

	function dropCard(v, c) {
		if (c.rateChart)
			c.rateChart.destroy();
		if (c.sizeChart)
			c.sizeChart.destroy();
		c.box.remove();
		v.filters.delete(c.name);
	}

	/* A point per reading; a gap (a restart, a lost connection) breaks
	 * the line instead of drawing across it. */
	function addPoint(h, snap, d, dt) {
		var t = snap.time_ms / 1000;
		var last = h.t.length ? h.t[h.t.length - 1] : null;

		if (last !== null && t - last > 3 * snap.interval_ms / 1000) {
			h.t.push(last + snap.interval_ms / 1000);
			h.pps.push(null);
			h.bps.push(null);
		}
		h.t.push(t);
		h.pps.push(dt ? d.packets / dt : null);
		h.bps.push(dt ? 8 * d.bytes / dt : null);
		while (h.t.length &&
		       (h.t[0] < t - WINDOW_S || h.t.length > MAX_POINTS)) {
			h.t.shift();
			h.pps.shift();
			h.bps.shift();
		}
	}

	function updateSizes(c, f, titles) {
		var tkey = titles.join(" "), tr, i;

		if (c.titles !== tkey) {
			/* New edges: a new chart with its own bucket axis. */
			if (c.sizeChart)
				c.sizeChart.destroy();
			c.sizeChart = sizeChart(c.sizes, titles);
			c.titles = tkey;
		}
		c.sizeChart.setData([titles.map(function (t, i) {
			return i;
		}), f.sizes.map(D.num)]);
		c.sizeTable.replaceChildren();
		headRow(c.sizeTable, [ "bucket (bytes)", "frames", "share" ]);
		for (i = 0; i < titles.length; i++) {
			tr = el("tr");
			tr.appendChild(el("th", null, titles[i]));
			cell(tr, "count", D.exact(f.sizes[i]));
			cell(tr, "share", D.share(f.sizes[i], f.packets));
			c.sizeTable.appendChild(tr);
		}
	}

	function filterRow(v, f, d, dt, titles) {
		var tr = el("tr"), i;

		tr.dataset.filter = f.name;
		tr.appendChild(el("th", null, f.name));
		cell(tr, "match", f.match).className = "match";
		for (i = 0; i < titles.length; i++)
			cell(tr, "size-" + i, D.exact(f.sizes[i]));
		cell(tr, "bytes", D.exact(f.bytes));
		cell(tr, "packets", D.exact(f.packets));
		cell(tr, "pps", d && dt ? D.rate(d.packets / dt, "pps") : "-");
		cell(tr, "bps", d && dt ? D.rate(8 * d.bytes / dt, "bit/s") : "-");
		if (d && d.fromZero)
			tr.classList.add("restarted");
		v.table.appendChild(tr);
	}

	function updateTotals(v, e, d, dt) {
		var tr = el("tr");

		v.totals.replaceChildren();
		headRow(v.totals, [ "Packets", "Bytes", "Unmatched", "Non-IP",
				    "Malformed", "Rate", "Bitrate" ]);
		D.TOTALS.forEach(function (k) {
			cell(tr, k, D.exact(e.totals[k]));
		});
		cell(tr, "pps", d && dt ? D.rate(d.packets / dt, "pps") : "-");
		cell(tr, "bps", d && dt ? D.rate(8 * d.bytes / dt, "bit/s") : "-");
		v.totals.appendChild(tr);
	}

	/* One entry of a reading: its deltas and rate history. */
	function ingestEntry(v, snap, e, dt) {
		var seen = new Set();
		var shown = { snap: snap, e: e, dt: dt, deltas: new Map(),
			      totals: D.totalsDelta(prev, snap, e) };

		e.filters.forEach(function (f) {
			var h = v.history.get(f.name);
			var d = D.filterDelta(prev, snap, e, f);

			seen.add(f.name);
			/* Redefined: another filter under the old name; its
			 * rate history is not this one's. */
			if (!h || h.match !== f.match) {
				h = { match: f.match, t: [], pps: [], bps: [] };
				v.history.set(f.name, h);
			}
			if (d)
				addPoint(h, snap, d, dt);
			shown.deltas.set(f.name, d);
		});
		v.history.forEach(function (h, name) {
			if (!seen.has(name))
				v.history.delete(name);
		});
		v.shown = shown;
	}

	/*
	 * Every reading, at once: the deltas against the one before and the
	 * rate history, which must see them all. Drawing waits for the next
	 * frame and shows the last reading only, so a short interval or a
	 * hidden tab costs arithmetic, not redraws, and the page keeps
	 * reading its stream fast enough not to be dropped as behind.
	 */
	function ingest(snap) {
		var dt = D.seconds(prev, snap);
		var seen = new Set();

		/* As the client says it; the deltas decide for themselves. */
		if (prev && prev.epoch !== snap.epoch)
			resetText = "counters were reset before " +
				    new Date(snap.time_ms).toLocaleTimeString();
		snap.interfaces.forEach(function (e) {
			var key = e.interface + "/" + e.direction;

			seen.add(key);
			ingestEntry(views.get(key) || newView(key, e), snap, e,
				    dt);
		});
		views.forEach(function (v, key) {
			if (!seen.has(key))
				dropView(v);
		});
		prev = snap;
		latest = snap;
		if (!drawing)
			drawing = requestAnimationFrame(draw);
	}

	function drawView(v) {
		var shown = v.shown, snap = shown.snap, e = shown.e, dt = shown.dt;
		var titles = D.bucketTitles(snap.size_edges);

		v.shown = null;
		v.title.textContent = e.direction;
		v.info.textContent = (e.hook === "none" ? "not attached" :
				      "hook " + e.hook + ", mode " + e.mode) +
				     ", interval " + snap.interval_ms +
				     " ms, size edges " +
				     snap.size_edges.join(" ");
		v.missing.textContent = e.present ? "" :
				"missing: not counted now (the interface " +
				"does not exist, or ifstat is not attached)";
		v.section.dataset.present = String(e.present);
		v.reset.textContent = resetText;
		v.section.dataset.timeMs = String(snap.time_ms);
		updateTotals(v, e, shown.totals, dt);
		v.table.replaceChildren();
		headRow(v.table, [ "Filter", "Match" ].concat(titles, [ "Bytes",
			"Packets", "Rate", "Bitrate" ]));
		e.filters.forEach(function (f) {
			var c = v.filters.get(f.name);
			var h = v.history.get(f.name);

			if (c && c.match !== f.match) {
				dropCard(v, c);
				c = null;
			}
			if (!c) {
				c = newCard(v, f);
				v.filters.set(f.name, c);
			}
			/* Configuration order, also for a filter that moved. */
			v.cards.appendChild(c.box);
			filterRow(v, f, shown.deltas.get(f.name), dt, titles);
			c.rateChart.setData([h.t, h.pps, h.bps]);
			updateSizes(c, f, titles);
		});
		v.filters.forEach(function (c, name) {
			if (!v.history.has(name))
				dropCard(v, c);
		});
	}

	/* The snapshot's order: interfaces as configured, each one's
	 * ingress before its egress (appending moves a node), redone only
	 * when it changed: moving nodes every frame would jump the page. */
	function arrange(snap) {
		var keys = snap.interfaces.map(function (e) {
			return e.interface + "/" + e.direction;
		});

		if (keys.join("\n") === order)
			return;
		order = keys.join("\n");
		keys.forEach(function (key) {
			var v = views.get(key);

			viewsEl.appendChild(v.group.section);
			v.group.section.appendChild(v.section);
		});
	}

	function draw() {
		var snap = latest;

		drawing = 0;
		arrange(snap);
		views.forEach(function (v) {
			if (v.shown)
				drawView(v);
		});
		updatedEl.textContent = "updated " +
					new Date(snap.time_ms).toLocaleTimeString();
		updatedEl.dataset.timeMs = String(snap.time_ms);
	}

	function connect() {
		retryTimer = null;
		source = new EventSource("/api/v1/stream");
		source.onopen = function () {
			setStatus("live", "live");
		};
		source.onmessage = function (e) {
			var snap;

			try {
				snap = D.parse(e.data);
			} catch (err) {
				setStatus("error", "bad snapshot: " + err.message);
				return;
			}
			if (snap.version !== D.VERSION) {
				setStatus("error", "unknown snapshot version " +
					  snap.version);
				return;
			}
			setStatus("live", "live");
			ingest(snap);
		};
		source.onerror = function () {
			setStatus("reconnecting", "reconnecting");
			/* EventSource retries by itself after a lost
			 * connection, not after an answer other than 200
			 * (a daemon still attaching says 503): then we do. */
			if (source.readyState === EventSource.CLOSED &&
			    !retryTimer)
				retryTimer = setTimeout(connect, 1000);
		};
	}

	window.addEventListener("resize", function () {
		views.forEach(function (v) {
			v.filters.forEach(function (c) {
				c.rateChart.setSize({ width: chartWidth(c.rates),
						      height: 180 });
				if (c.sizeChart)
					c.sizeChart.setSize({
						width: chartWidth(c.sizes),
						height: 180 });
			});
		});
	});
	connect();
})();
