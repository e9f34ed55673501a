// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The page's pure parts (web/delta.js) under node: the delta rule with the
 * cases of test_client_delta.c (the client's rule, which the page must
 * follow, entries paired by interface and direction included), bucket
 * titles as the client prints them, rates, shares, and 64-bit counters
 * beyond 2^53.
 *
 * Usage: node test_web_delta.js WEB_DIR
 */
"use strict";

const assert = require("assert");
const fs = require("fs");
const path = require("path");
const vm = require("vm");

vm.runInThisContext(fs.readFileSync(path.join(process.argv[2], "delta.js"),
				    "utf8"));
const D = globalThis.ifstatDelta;
const EDGES = [ 64, 127, 255, 511, 1023, 1512 ];

function filter(name, match, packets, bytes) {
	const sizes = [ 0, 0, 0, 0, 0, 0, 0 ];

	/* All in the first and the last bucket, half each. */
	sizes[0] = Math.floor(packets / 2);
	sizes[6] = packets - sizes[0];
	return { name: name, match: match, packets: packets, bytes: bytes,
		 sizes: sizes };
}

function entry(iface, direction, totals, filters) {
	return { interface: iface, direction: direction, hook: "xdp",
		 mode: "native", present: true,
		 totals: { packets: totals[0], bytes: totals[1],
			   unmatched: totals[2], non_ip: totals[3],
			   malformed: totals[4] },
		 filters: filters };
}

/* Schema version 2 with eth0 ingress alone. */
function snap(time_ms, epoch, totals, filters) {
	return { version: 2, interval_ms: 500, time_ms: time_ms, epoch: epoch,
		 size_edges: EDGES.slice(),
		 interfaces: [ entry("eth0", "ingress", totals, filters) ] };
}

/* The delta of filter i of cur's first entry. */
function fd(prev, cur, i) {
	return D.filterDelta(prev, cur, cur.interfaces[0],
			     cur.interfaces[0].filters[i]);
}

function setup() {
	return {
		prev: snap(10000, 7, [ 1000, 100000, 50, 20, 2 ],
			   [ filter("ssh", "tcp port 22", 100, 10000),
			     filter("dns", "udp port 53", 40, 4000) ]),
		cur: snap(10500, 7, [ 1100, 111000, 55, 21, 2 ],
			  [ filter("ssh", "tcp port 22", 160, 16500),
			    filter("dns", "udp port 53", 40, 4000) ]),
	};
}

const tests = {
	first_snapshot() {
		const { cur } = setup();

		assert.strictEqual(fd(null, cur, 0), null);
		assert.strictEqual(D.totalsDelta(null, cur, cur.interfaces[0]), null);
		assert.strictEqual(D.seconds(null, cur), 0);
	},
	difference() {
		const { prev, cur } = setup();

		assert.deepStrictEqual(fd(prev, cur, 0),
				       { fromZero: false, packets: 60, bytes: 6500,
					 sizes: [ 30, 0, 0, 0, 0, 0, 30 ] });
		assert.deepStrictEqual(fd(prev, cur, 1),
				       { fromZero: false, packets: 0, bytes: 0,
					 sizes: [ 0, 0, 0, 0, 0, 0, 0 ] });
		assert.deepStrictEqual(D.totalsDelta(prev, cur, cur.interfaces[0]),
				       { fromZero: false, packets: 100,
					 bytes: 11000, unmatched: 5, non_ip: 1,
					 malformed: 0 });
		assert.strictEqual(D.seconds(prev, cur), 0.5);
	},
	/* Pairing is by name, not position. */
	moved() {
		const { prev, cur } = setup();

		cur.interfaces[0].filters = [ filter("dns", "udp port 53", 44, 4400),
				filter("ssh", "tcp port 22", 160, 16500) ];
		let d = fd(prev, cur, 0);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes ],
				       [ false, 4, 400 ]);
		d = fd(prev, cur, 1);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes ],
				       [ false, 60, 6500 ]);
	},
	reset_all() {
		const { prev } = setup();
		const cur = snap(10500, 8, [ 30, 3000, 1, 0, 0 ],
				 [ filter("ssh", "tcp port 22", 12, 1200),
				   filter("dns", "udp port 53", 2, 200) ]);

		assert.deepStrictEqual(fd(prev, cur, 0),
				       { fromZero: true, packets: 12, bytes: 1200,
					 sizes: [ 6, 0, 0, 0, 0, 0, 6 ] });
		assert.deepStrictEqual(D.totalsDelta(prev, cur, cur.interfaces[0]),
				       { fromZero: true, packets: 30, bytes: 3000,
					 unmatched: 1, non_ip: 0, malformed: 0 });
	},
	/* The epoch moves for all; only the reset filter counts from zero. */
	reset_one() {
		const { prev, cur } = setup();

		cur.epoch = 8;
		cur.interfaces[0].filters[1] = filter("dns", "udp port 53", 6, 600);
		let d = fd(prev, cur, 0);
		assert.deepStrictEqual([ d.fromZero, d.packets ], [ false, 60 ]);
		d = fd(prev, cur, 1);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes,
					 d.sizes[0] ], [ true, 6, 600, 3 ]);
		d = D.totalsDelta(prev, cur, cur.interfaces[0]);
		assert.deepStrictEqual([ d.fromZero, d.packets ], [ false, 100 ]);
	},
	bucket_down() {
		const { prev, cur } = setup();

		cur.interfaces[0].filters[0].sizes[0] = 49;
		cur.interfaces[0].filters[0].sizes[6] = 111;
		const d = fd(prev, cur, 0);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.sizes[0],
					 d.sizes[6] ], [ true, 160, 49, 111 ]);
	},
	bytes_down() {
		const { prev, cur } = setup();

		cur.interfaces[0].filters[0].bytes = 9000;
		assert.deepStrictEqual(fd(prev, cur, 0),
				       { fromZero: true, packets: 160, bytes: 9000,
					 sizes: [ 80, 0, 0, 0, 0, 0, 80 ] });
	},
	packets_down() {
		const { prev, cur } = setup();

		cur.interfaces[0].filters[0].packets = 99;
		cur.interfaces[0].filters[0].bytes = 12000;
		cur.interfaces[0].filters[0].sizes = [ 50, 0, 0, 0, 0, 0, 50 ];
		let d = fd(prev, cur, 0);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes ],
				       [ true, 99, 12000 ]);
		d = fd(prev, cur, 1);
		assert.deepStrictEqual([ d.fromZero, d.packets ], [ false, 0 ]);
	},
	totals_one_down() {
		const { prev, cur } = setup();

		for (const k of D.TOTALS) {
			cur.interfaces[0].totals = { packets: 1100, bytes: 111000, unmatched: 55,
				       non_ip: 21, malformed: 3 };
			cur.interfaces[0].totals[k] = prev.interfaces[0].totals[k] - 1;
			const d = D.totalsDelta(prev, cur, cur.interfaces[0]);
			assert.strictEqual(d.fromZero, true, k);
			for (const j of D.TOTALS)
				assert.strictEqual(d[j], cur.interfaces[0].totals[j], k + " " + j);
		}
	},
	new_renamed_redefined() {
		const { prev, cur } = setup();

		cur.interfaces[0].filters[0].name = "ssh2";
		cur.interfaces[0].filters[1].match = "udp port 5353";
		cur.interfaces[0].filters.push(filter("web", "tcp port 443", 8, 800));
		let d = fd(prev, cur, 0);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes ],
				       [ true, 160, 16500 ]);
		d = fd(prev, cur, 1);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes ],
				       [ true, 40, 4000 ]);
		d = fd(prev, cur, 2);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes,
					 d.sizes[6] ], [ true, 8, 800, 4 ]);
	},
	edges_changed() {
		const { prev, cur } = setup();

		cur.size_edges[5] = 1500;
		let d = fd(prev, cur, 0);
		assert.deepStrictEqual([ d.fromZero, d.packets ], [ true, 160 ]);
		cur.size_edges = EDGES.slice(0, 5);
		d = fd(prev, cur, 0);
		assert.strictEqual(d.fromZero, true);
	},
	/* Several entries: pairs by interface, direction and name; an entry
	 * the previous snapshot lacks counts from zero. */
	entries() {
		const { prev, cur } = setup();

		prev.interfaces.push(entry("eth0", "egress", [ 500, 50000, 5, 0, 0 ],
					   [ filter("ssh", "tcp port 22", 10, 1000) ]));
		cur.interfaces.unshift(
			entry("eth1", "ingress", [ 7, 700, 0, 0, 0 ],
			      [ filter("ssh", "tcp port 22", 4, 400) ]),
			entry("eth0", "egress", [ 520, 52000, 6, 0, 0 ],
			      [ filter("ssh", "tcp port 22", 12, 1300) ]));
		const [ e1, out, in0 ] = cur.interfaces;
		let d = D.filterDelta(prev, cur, e1, e1.filters[0]);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes ],
				       [ true, 4, 400 ]);
		d = D.totalsDelta(prev, cur, e1);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes ],
				       [ true, 7, 700 ]);
		d = D.filterDelta(prev, cur, out, out.filters[0]);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes ],
				       [ false, 2, 300 ]);
		d = D.totalsDelta(prev, cur, out);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.unmatched ],
				       [ false, 20, 1 ]);
		d = D.filterDelta(prev, cur, in0, in0.filters[0]);
		assert.deepStrictEqual([ d.fromZero, d.packets, d.bytes ],
				       [ false, 60, 6500 ]);
		assert.strictEqual(D.findEntry(cur, "eth0", "egress"), out);
		assert.strictEqual(D.findEntry(cur, "eth1", "egress"), null);
	},
	seconds() {
		const { prev, cur } = setup();

		cur.time_ms = 11250;
		assert.strictEqual(D.seconds(prev, cur), 1.25);
		cur.time_ms = 10000;
		assert.strictEqual(D.seconds(prev, cur), 0);
		cur.time_ms = 9000;
		assert.strictEqual(D.seconds(prev, cur), 0);
	},
	/* As test_client_fmt.c titles them. */
	bucket_titles() {
		assert.deepStrictEqual(D.bucketTitles(EDGES),
				       [ "<=64", "65-127", "128-255", "256-511",
					 "512-1023", "1024-1512", ">=1513" ]);
		assert.deepStrictEqual(D.bucketTitles([ 64, 65, 1512, 9000 ]),
				       [ "<=64", "65", "66-1512", "1513-9000",
					 ">=9001" ]);
		assert.deepStrictEqual(D.bucketTitles([ 100 ]),
				       [ "<=100", ">=101" ]);
	},
	rate() {
		assert.strictEqual(D.rate(0, "pps"), "0.0 pps");
		assert.strictEqual(D.rate(-1, "pps"), "0.0 pps");
		assert.strictEqual(D.rate(NaN, "pps"), "0.0 pps");
		assert.strictEqual(D.rate(61.2, "pps"), "61.2 pps");
		assert.strictEqual(D.rate(999.94, "pps"), "999.9 pps");
		/* Printed 1000.0: the next step instead. */
		assert.strictEqual(D.rate(999.96, "pps"), "1.0 kpps");
		assert.strictEqual(D.rate(290800, "bit/s"), "290.8 kbit/s");
		assert.strictEqual(D.rate(1.2e9, "bit/s"), "1.2 Gbit/s");
		assert.strictEqual(D.rate(5e18, "bit/s"), "5000.0 Pbit/s");
	},
	share() {
		assert.strictEqual(D.share(1, 3), "33.3 %");
		assert.strictEqual(D.share(2, 3), "66.7 %");
		assert.strictEqual(D.share(0, 0), "-");
		assert.strictEqual(D.share(7, 7), "100.0 %");
	},
	/* Counters past 2^53: exact as strings where the engine gives the
	 * source text, differences through BigInt. */
	big_counters() {
		const big = "18446744073709551000";
		const s = D.parse('{"a": ' + big + ', "b": 5}');
		const hasSource = JSON.parse("1", (k, v, c) => c !== undefined);

		assert.strictEqual(s.b, 5);
		assert.strictEqual(D.exact(s.a), hasSource ? big : String(Number(big)));
		const { prev, cur } = setup();
		prev.interfaces[0].filters[0].bytes = "9007199254740993"; /* 2^53 + 1 */
		cur.interfaces[0].filters[0].bytes = "9007199254741000";
		const d = fd(prev, cur, 0);
		assert.deepStrictEqual([ d.fromZero, d.bytes ], [ false, 7 ]);
		cur.interfaces[0].filters[0].bytes = "9007199254740992";
		assert.strictEqual(fd(prev, cur, 0).fromZero,
				   true);
		assert.strictEqual(D.exact(cur.interfaces[0].filters[0].bytes),
				   "9007199254740992");
	},
};

let failed = 0;
for (const [ name, fn ] of Object.entries(tests)) {
	try {
		fn();
		console.log("ok " + name);
	} catch (e) {
		failed++;
		console.log("FAIL " + name + ": " + e.message);
	}
}
console.log(failed ? failed + " failed" : Object.keys(tests).length +
	    " passed");
process.exit(failed ? 1 : 0);
