#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Helpers of e2e_ifaces (tests/e2e/ifaces.sh).

  ifaces.py send IFACE [--gap MS] FLOW...
      sends from IFACE (AF_PACKET, in the caller's network namespace)
      each FLOW, COUNTxLEN:KIND, as COUNT frames of exactly LEN bytes
  ifaces.py filters
      prints the test's [filter] sections (the ones check expects)
  ifaces.py check SOCK [--epoch N] [--base SNAP] ENTRY...
      waits (10 s at most) until the daemon's snapshot on SOCK holds
      every ENTRY's frames, then compares every counter exactly
  ifaces.py snap SOCK [EXPR]
      the snapshot line (s), or the Python expression EXPR over it

A frame KIND (what the counters must make of it):
  a    UDP 192.0.2.1 -> 203.0.113.1:7001    filters a, net
  b    UDP 192.0.2.1 -> 203.0.113.2:7002    filters b, net
  u    UDP 192.0.2.1 -> 198.51.100.3:7003   no filter: unmatched
  raw  EtherType 0x88b5 (local experimental) non_ip, unmatched
Every frame goes to a MAC address nobody has: the receiving host drops
it after the counters have seen it, and answers nothing.

An ENTRY is IFACE/DIR=STATE[,FLOW...] or IFACE=gone:
  STATE  xdp (present, mode native), tc (present, mode clsact) or none
         (not present: hook and mode none)
  FLOW   COUNTxLEN:KIND as sent, or "base": the counters of that entry
         in the snapshot file SNAP (--base), which the flows add to
  gone   the snapshot has no entry of IFACE
The snapshot must hold exactly the entries listed (in any order); each
one's totals, filters and size buckets are computed from its flows.
"""
import json
import os
import socket
import struct
import sys
import time

EDGES = [64, 127, 255, 511, 1023, 1512, 8191]
SIZE_BUCKETS = " ".join(str(e) for e in EDGES)

# KIND: (destination, port, filters it matches); None: not IP
KINDS = {
    "a": ("203.0.113.1", 7001, ("a", "net")),
    "b": ("203.0.113.2", 7002, ("b", "net")),
    "u": ("198.51.100.3", 7003, ()),
    "raw": None,
}
FILTERS = [
    ("a", ["protocol = udp", "dst_port = 7001"]),
    ("b", ["protocol = udp", "dst_port = 7002"]),
    ("net", ["dst = 203.0.113.0/24"]),
]
DST_MAC = bytes.fromhex("020000000099")  # nobody's
SRC_MAC = bytes.fromhex("020000000098")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(length, kind):
    if KINDS[kind] is None:
        if length < 14:
            raise SystemExit("frame of %d bytes: too short" % length)
        return DST_MAC + SRC_MAC + b"\x88\xb5" + bytes(length - 14)
    dst, port, _ = KINDS[kind]
    if length < 42:
        raise SystemExit("frame of %d bytes: too short for UDP" % length)
    ip_len = length - 14
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ip_len, 1, 0, 64, 17, 0,
                     socket.inet_aton("192.0.2.1"), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", 40000, port, ip_len - 20, 0)
    return DST_MAC + SRC_MAC + b"\x08\x00" + ip + udp + bytes(length - 42)


def parse_flow(text):
    try:
        count, rest = text.split("x", 1)
        length, kind = rest.split(":", 1)
        count, length = int(count), int(length)
    except ValueError:
        raise SystemExit("bad flow '%s' (COUNTxLEN:KIND)" % text)
    if kind not in KINDS or count < 0:
        raise SystemExit("bad flow '%s'" % text)
    return count, length, kind


def send(args):
    gap = 0.0
    if len(args) >= 2 and args[1] == "--gap":
        gap = float(args[2]) / 1000
        del args[1:3]
    iface, flows = args[0], [parse_flow(f) for f in args[1:]]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    sent = 0
    for count, length, kind in flows:
        data = frame(length, kind)
        for _ in range(count):
            n = s.send(data)
            if n != length:
                raise SystemExit("%s: sent %d of %d bytes" % (iface, n,
                                                              length))
            sent += 1
            if gap:
                time.sleep(gap)
    s.close()
    return 0


def filters(_args):
    for name, keys in FILTERS:
        print("[filter %s]" % name)
        for k in keys:
            print(k)
        print()
    return 0


def read_snap(path):
    """The first line the daemon writes on its socket, parsed."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    buf = b""
    while b"\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("%s: closed before a line" % path)
        buf += chunk
    s.close()
    snap = json.loads(buf.split(b"\n", 1)[0])
    if snap.get("version") != 2:
        raise SystemExit("schema version %r, expected 2"
                         % snap.get("version"))
    return snap


def bucket(length):
    for i, e in enumerate(EDGES):
        if length <= e:
            return i
    return len(EDGES)


def zero():
    return {"packets": 0, "bytes": 0, "unmatched": 0, "non_ip": 0,
            "malformed": 0,
            "filters": {n: {"packets": 0, "bytes": 0,
                            "sizes": [0] * (len(EDGES) + 1)}
                        for n, _ in FILTERS}}


def flat(entry):
    """An entry of the snapshot in the shape expected() makes."""
    out = dict(entry["totals"])
    out["filters"] = {}
    for f in entry["filters"]:
        out["filters"][f["name"]] = {"packets": f["packets"],
                                     "bytes": f["bytes"],
                                     "sizes": list(f["sizes"])}
    return out


def expected(flows, base):
    want = base if base is not None else zero()
    for count, length, kind in flows:
        want["packets"] += count
        want["bytes"] += count * length
        if KINDS[kind] is None:
            want["non_ip"] += count
        if not (KINDS[kind] and KINDS[kind][2]):
            want["unmatched"] += count
        for name in (KINDS[kind][2] if KINDS[kind] else ()):
            f = want["filters"][name]
            f["packets"] += count
            f["bytes"] += count * length
            f["sizes"][bucket(length)] += count
    return want


HOOKS = {"xdp": ("xdp", "native", True), "tc": ("tc", "clsact", True),
         "none": ("none", "none", False)}


def parse_entries(args, base_snap):
    want, gone = {}, set()
    for a in args:
        key, _, spec = a.partition("=")
        if spec == "gone":
            gone.add(key)
            continue
        parts = spec.split(",")
        if "/" not in key or parts[0] not in HOOKS:
            raise SystemExit("bad entry '%s'" % a)
        base = None
        flows = []
        for p in parts[1:]:
            if p == "base":
                if base_snap is None:
                    raise SystemExit("'base' without --base")
                base = flat(find(base_snap, key))
            else:
                flows.append(parse_flow(p))
        want[key] = (parts[0], expected(flows, base))
    return want, gone


def find(snap, key):
    for e in snap["interfaces"]:
        if "%s/%s" % (e["interface"], e["direction"]) == key:
            return e
    raise SystemExit("no entry %s in the base snapshot" % key)


def entries(snap):
    return {"%s/%s" % (e["interface"], e["direction"]): e
            for e in snap["interfaces"]}


def differences(snap, want, gone, epoch):
    bad = []
    if snap["size_edges"] != EDGES:
        bad.append("size_edges %s, expected %s" % (snap["size_edges"],
                                                   EDGES))
    if epoch is not None and snap["epoch"] != epoch:
        bad.append("epoch %d, expected %d" % (snap["epoch"], epoch))
    have = entries(snap)
    for k in sorted(set(have) - set(want)):
        bad.append("%s: in the snapshot, not expected" % k)
    for name in gone:
        if any(k.split("/")[0] == name for k in have):
            bad.append("%s: still in the snapshot" % name)
    for k in sorted(want):
        if k not in have:
            bad.append("%s: missing from the snapshot" % k)
            continue
        e, (state, w) = have[k], want[k]
        hook, mode, present = HOOKS[state]
        for field, value in (("hook", hook), ("mode", mode),
                             ("present", present)):
            if e[field] != value:
                bad.append("%s: %s %r, expected %r" % (k, field, e[field],
                                                       value))
        got = flat(e)
        for t in ("packets", "bytes", "unmatched", "non_ip", "malformed"):
            if got[t] != w[t]:
                bad.append("%s: totals.%s %d, expected %d" % (k, t, got[t],
                                                              w[t]))
        if sorted(got["filters"]) != sorted(w["filters"]):
            bad.append("%s: filters %s" % (k, sorted(got["filters"])))
            continue
        for n in sorted(w["filters"]):
            for t in ("packets", "bytes", "sizes"):
                if got["filters"][n][t] != w["filters"][n][t]:
                    bad.append("%s: filter %s %s %s, expected %s"
                               % (k, n, t, got["filters"][n][t],
                                  w["filters"][n][t]))
    return bad


def reached(snap, want, gone):
    """Every entry in its state with its frames, nothing else."""
    have = entries(snap)
    if set(have) != set(want):
        return False
    if any(k.split("/")[0] in gone for k in have):
        return False
    for k, (state, w) in want.items():
        e = have.get(k)
        if e is None or e["hook"] != HOOKS[state][0]:
            return False
        if e["totals"]["packets"] < w["packets"]:
            return False
    return True


def check(args):
    sock, epoch, base = args[0], None, None
    args = args[1:]
    while args and args[0].startswith("--"):
        if args[0] == "--epoch":
            epoch = int(args[1])
        elif args[0] == "--base":
            base = json.load(open(args[1]))
        else:
            raise SystemExit("unknown option %s" % args[0])
        args = args[2:]
    want, gone = parse_entries(args, base)
    deadline = time.monotonic() + 10
    while True:
        snap = read_snap(sock)
        if reached(snap, want, gone) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    time.sleep(0.3)  # a late frame would show as a difference
    snap = read_snap(sock)
    bad = differences(snap, want, gone, epoch)
    for b in bad:
        print("  " + b)
    if bad:
        return 1
    print("  " + "; ".join(
        "%s %s %d/%d" % (k, want[k][0], want[k][1]["packets"],
                         want[k][1]["bytes"]) for k in sorted(want))
        + (" (gone: %s)" % " ".join(sorted(gone)) if gone else ""))
    return 0


def snap_cmd(args):
    s = read_snap(args[0])
    if len(args) > 1:
        print(eval(args[1], {"s": s}))
    else:
        print(json.dumps(s))
    return 0


def main():
    cmds = {"send": send, "filters": filters, "check": check,
            "snap": snap_cmd}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    return cmds[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
