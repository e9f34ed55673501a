#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Helpers of the daemon e2e tests.

  snapshot.py check EXPECTED [JSON_FILE] [--interface IF] [--direction DIR]
      compare one entry of a snapshot (schema version 2; the first entry,
      or the one of IF and DIR: DIR alone picks the first entry of that
      direction, IF alone the first of that interface) with pcapgen's
      "key value" expectations; exit 1 listing differences
  snapshot.py get JSON_FILE PYTHON_EXPR
      prints PYTHON_EXPR over the JSON document s, e its first entry
  snapshot.py conf IFACE SOCKET INTERVAL FILTERS [KEY=VALUE...]
      write an ifstatd configuration with pcapgen's filters
      ("name=one-line filter" lines) as [filter NAME] sections
"""
import json
import sys


def entry(snap, interface=None, direction=None):
    """The entry of a version 2 snapshot for interface and direction (None:
    any), the first that fits; exits when none does."""
    if snap.get("version") != 2:
        raise SystemExit("schema version %r, expected 2"
                         % snap.get("version"))
    for e in snap["interfaces"]:
        if interface not in (None, e["interface"]):
            continue
        if direction not in (None, e["direction"]):
            continue
        return e
    raise SystemExit("no entry for interface %s, direction %s in %s"
                     % (interface or "any", direction or "any",
                        [(e["interface"], e["direction"])
                         for e in snap["interfaces"]]))


def flatten(snap, e):
    """Entry e of the snapshot as pcapgen's keys."""
    out = {}
    for k in ("packets", "bytes", "unmatched", "non_ip", "malformed"):
        out["totals." + k] = e["totals"][k]
    edges = snap["size_edges"]
    labels = []
    for b in range(len(edges) + 1):
        if b == 0:
            labels.append("0-%d" % edges[0])
        elif b == len(edges):
            labels.append("%d+" % (edges[-1] + 1))
        else:
            labels.append("%d-%d" % (edges[b - 1] + 1, edges[b]))
    out["filters"] = len(e["filters"])
    for f in e["filters"]:
        p = "filter.%s." % f["name"]
        out[p + "packets"] = f["packets"]
        out[p + "bytes"] = f["bytes"]
        if len(f["sizes"]) != len(labels):
            raise SystemExit("filter %s: %d sizes for %d buckets"
                             % (f["name"], len(f["sizes"]), len(labels)))
        for label, n in zip(labels, f["sizes"]):
            out[p + "bucket." + label] = n
    return out


def check(expected_path, json_path=None, interface=None, direction=None):
    text = open(json_path).read() if json_path else sys.stdin.read()
    lines = [l for l in text.splitlines() if l.strip()]
    if len(lines) != 1:
        print("expected one JSON line, got %d" % len(lines))
        return 1
    snap = json.loads(lines[0])
    e = entry(snap, interface, direction)
    return compare(expected_path, flatten(snap, e),
                   "(%s %s, epoch %d)" % (e["interface"], e["direction"],
                                          snap["epoch"]))


def get(path, expr):
    s = json.load(open(path))
    e = s["interfaces"][0] if s.get("interfaces") else None
    print(eval(expr, {"s": s, "e": e}))
    return 0


def options(args):
    """Positional arguments and the --interface/--direction values."""
    pos, opt = [], {"interface": None, "direction": None}
    while args:
        a = args.pop(0)
        if a in ("--interface", "--direction") and args:
            opt[a[2:]] = args.pop(0)
        else:
            pos.append(a)
    return pos, opt


def compare(expected_path, got, what):
    """Prints every key where got differs from pcapgen's expectations;
    0 when none does."""
    want = {}
    for line in open(expected_path):
        k, v = line.split()
        want[k] = int(v)
    bad = 0
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            print("%s: expected %s, got %s" % (k, want.get(k), got.get(k)))
            bad = 1
    if not bad:
        print("all %d counters as expected %s" % (len(want), what))
    return bad


PROTOS = ("any", "tcp", "udp", "icmp", "icmpv6")


def ini_keys(expr):
    """The one-line form (the few shapes pcapgen writes) as INI keys."""
    w = expr.split()
    keys = []
    i = 0
    while i < len(w):
        if w[i] in PROTOS:
            keys.append(("protocol", w[i]))
            i += 1
        elif w[i] in ("src", "dst") and i + 2 < len(w) and w[i + 1] == "port":
            keys.append((w[i] + "_port", w[i + 2]))
            i += 3
        elif w[i] in ("src", "dst", "host", "port", "vlan"):
            keys.append((w[i], w[i + 1]))
            i += 2
        else:
            raise SystemExit("cannot convert filter '%s'" % expr)
    return keys


def conf(iface, sock, interval, filters, extra):
    print("[ifstat]")
    print("interface = %s" % iface)
    print("socket = %s" % sock)
    print("interval = %s" % interval)
    # The tests were written for XDP, which hook = auto leaves on veth.
    keys = dict(kv.split("=", 1) for kv in extra)
    keys.setdefault("hook", "xdp")
    for k, v in keys.items():
        print("%s = %s" % (k, v))
    for line in open(filters):
        name, expr = line.rstrip("\n").split("=", 1)
        print("\n[filter %s]" % name)
        for k, v in ini_keys(expr):
            print("%s = %s" % (k, v))
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        pos, opt = options(sys.argv[2:])
        if len(pos) <= 2:
            sys.exit(check(*pos, **opt))
    if len(sys.argv) == 4 and sys.argv[1] == "get":
        sys.exit(get(*sys.argv[2:]))
    if len(sys.argv) >= 6 and sys.argv[1] == "conf":
        sys.exit(conf(*sys.argv[2:6], sys.argv[6:]))
    sys.exit(__doc__)
