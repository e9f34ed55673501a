#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Checks of the ubus e2e test (tests/e2e/ubus.sh).

  ubuscheck.py note EXPECTED FILTERS SUBSCRIBE_OUTPUT [EDGES...]
      the last "ifstat.data" line `ubus subscribe` printed has the original
      tool's shape (filter<index> tables, the nine pkts_* keys named after
      the edges, integers) and pcapgen's per-filter counts; exit 1 if not
  ubuscheck.py stats EXPECTED SUBSCRIBE_OUTPUT [--interface IF]
          [--direction D]
      the last "ifstat.stats" notification is a snapshot of schema version
      2 whose entry (the first, or IF and D) has pcapgen's counts
  ubuscheck.py total SUBSCRIBE_OUTPUT
      pkts_cnt of filter0 in the last ifstat.data (0 without one)
  ubuscheck.py same STATS_JSON SOCKET_JSON
      `ubus call ifstat stats` is the socket's snapshot (time_ms aside)
  ubuscheck.py filters FILTERS_JSON SOCKET_JSON
      `ubus call ifstat filters` lists the index, name, match of the
      snapshot's first ingress entry
  ubuscheck.py get JSON_FILE PYTHON_EXPR
      snapshot.py get: PYTHON_EXPR over the JSON document s, e its first
      entry
"""
import json
import sys

import snapshot  # same directory: entries, pcapgen's expectations

DEFAULT_EDGES = (64, 127, 255, 511, 1023, 1512)


def load(path):
    """A JSON document, or the one JSON line of a file."""
    text = open(path).read()
    return json.loads(text)


NOTES = ("ifstat.data", "ifstat.stats")


def last_note(path, kind="ifstat.data"):
    notes = []
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        if len(msg) != 1 or list(msg)[0] not in NOTES:
            raise SystemExit("not an ifstat notification: %s" % line)
        if kind in msg:
            notes.append(msg[kind])
    return notes[-1] if notes else None


def stats(expected, output, *args):
    snap = last_note(output, "ifstat.stats")
    if snap is None:
        print("no ifstat.stats notification received")
        return 1
    pos, opt = snapshot.options(list(args))
    if pos:
        raise SystemExit(__doc__)
    e = snapshot.entry(snap, **opt)
    return snapshot.compare(expected, snapshot.flatten(snap, e),
                            "in ifstat.stats (%s %s)"
                            % (e["interface"], e["direction"]))


def bucket_labels(edges):
    """pcapgen's bucket labels and the original tool's keys, in order."""
    out = []
    for b in range(len(edges) + 1):
        if b == 0:
            out.append(("0-%d" % edges[0], "pkts_%d" % edges[0]))
        elif b == len(edges):
            out.append(("%d+" % (edges[-1] + 1), "pkts_%d" % (edges[-1] + 1)))
        else:
            out.append(("%d-%d" % (edges[b - 1] + 1, edges[b]),
                        "pkts_%d_%d" % (edges[b - 1] + 1, edges[b])))
    return out


def note(expected, filters, output, edges):
    edges = tuple(int(e) for e in edges) or DEFAULT_EDGES
    data = last_note(output)
    if data is None:
        print("no ifstat.data notification received")
        return 1
    names = [l.split("=", 1)[0] for l in open(filters) if l.strip()]
    want = {}
    for line in open(expected):
        k, v = line.split()
        want[k] = int(v)
    labels = bucket_labels(edges)
    keys = [k for _, k in labels] + ["pkts_bytes", "pkts_cnt"]
    bad = 0
    tables = ["filter%d" % i for i in range(len(names))]
    if list(data) != tables:
        print("tables %s, expected %s" % (list(data), tables))
        return 1
    for i, name in enumerate(names):
        t = data["filter%d" % i]
        if list(t) != keys:
            print("filter%d: keys %s, expected %s" % (i, list(t), keys))
            bad = 1
            continue
        p = "filter.%s." % name
        pairs = [(p + "bucket." + lab, key) for lab, key in labels]
        pairs += [(p + "bytes", "pkts_bytes"), (p + "packets", "pkts_cnt")]
        for wk, key in pairs:
            v = t[key]
            if type(v) is not int or v != want[wk]:
                print("filter%d (%s) %s: expected %s, got %r"
                      % (i, name, key, want[wk], v))
                bad = 1
    if not bad:
        print("ifstat.data: %d filters, every pkts_* value as expected"
              % len(names))
    return bad


def total(output):
    data = last_note(output)
    print(data["filter0"]["pkts_cnt"] if data else 0)
    return 0


def same(stats, socket):
    a, b = load(stats), load(socket)
    for s in (a, b):
        s.pop("time_ms", None)
    if a != b:
        print("ubus stats:", json.dumps(a, sort_keys=True))
        print("socket:    ", json.dumps(b, sort_keys=True))
        return 1
    e = snapshot.entry(a)
    print("stats is the socket's snapshot (%d entries; %s %s: %d filters, "
          "%d packets)" % (len(a["interfaces"]), e["interface"],
                           e["direction"], len(e["filters"]),
                           e["totals"]["packets"]))
    return 0


def filters(flist, socket):
    got = load(flist)["filters"]
    snap = load(socket)
    try:
        e = snapshot.entry(snap, direction="ingress")
    except SystemExit:
        e = snapshot.entry(snap)
    want = [{"index": f["index"], "name": f["name"], "match": f["match"]}
            for f in e["filters"]]
    if got != want:
        print("filters: %s\nsnapshot: %s" % (got, want))
        return 1
    print("filters: %d, as in the snapshot" % len(got))
    return 0


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) >= 4 and a[0] == "note":
        sys.exit(note(a[1], a[2], a[3], a[4:]))
    if len(a) >= 3 and a[0] == "stats":
        sys.exit(stats(*a[1:]))
    if len(a) == 2 and a[0] == "total":
        sys.exit(total(a[1]))
    if len(a) == 3 and a[0] == "same":
        sys.exit(same(a[1], a[2]))
    if len(a) == 3 and a[0] == "filters":
        sys.exit(filters(a[1], a[2]))
    if len(a) == 3 and a[0] == "get":
        sys.exit(snapshot.get(a[1], a[2]))
    sys.exit(__doc__)
