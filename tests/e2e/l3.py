#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Traffic on a tun interface (no link-layer header) and what ifstatd
must count of it, both directions.

  l3.py IFNAME SOCKET

Runs inside the test's namespace: creates IFNAME (tun, no packet info),
writes IP packets into it (the interface's ingress), sends UDP through it
(its egress), then compares the daemon's snapshot (schema version 2, on
SOCKET) with the expectation, every counter of both entries. The
expectation is computed here from the packets, by the rules of
doc/semantics.md: the length is the IP packet's, there is no VLAN.
"""
import fcntl
import json
import os
import socket
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
EDGES = [64, 127, 255, 511, 1023, 1512]


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ihl=5):
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(payload), 1,
                    0, 64, proto, 0, socket.inet_aton(src),
                    socket.inet_aton(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def udp(sport, dport, n):
    return struct.pack("!HHHH", sport, dport, 8 + n, 0) + b"u" * n


def tcp(sport, dport, n):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x18,
                       1024, 0, 0) + b"t" * n


def bucket(n):
    for i, e in enumerate(EDGES):
        if n <= e:
            return i
    return len(EDGES)


class Expect:
    def __init__(self, names):
        self.tot = dict(packets=0, bytes=0, unmatched=0, non_ip=0,
                        malformed=0)
        self.f = {n: [0, 0, [0] * (len(EDGES) + 1)] for n in names}

    def add(self, pkt, matched, malformed=False):
        self.tot["packets"] += 1
        self.tot["bytes"] += len(pkt)
        self.tot["malformed"] += malformed
        if not matched:
            self.tot["unmatched"] += 1
        for n in matched:
            f = self.f[n]
            f[0] += 1
            f[1] += len(pkt)
            f[2][bucket(len(pkt))] += 1


def check(entry, exp, what):
    bad = []
    for k, v in exp.tot.items():
        if entry["totals"][k] != v:
            bad.append("totals.%s %d, expected %d" %
                       (k, entry["totals"][k], v))
    for f in entry["filters"]:
        want = exp.f[f["name"]]
        got = [f["packets"], f["bytes"], f["sizes"]]
        if got != want:
            bad.append("%s: %s, expected %s" % (f["name"], got, want))
    if not entry["present"] or entry["hook"] != "tc":
        bad.append("present %s hook %s, expected true, tc" %
                   (entry["present"], entry["hook"]))
    for b in bad:
        print("FAIL: %s %s" % (what, b))
    return not bad


def snapshot(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    line = s.makefile().readline()
    s.close()
    return json.loads(line)


def main():
    ifname, sock = sys.argv[1:3]
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF,
                struct.pack("16sH", ifname.encode(), IFF_TUN | IFF_NO_PI))
    subprocess.run(["ip", "addr", "add", "192.0.2.1/24", "dev", ifname],
                   check=True)
    subprocess.run(["ip", "link", "set", ifname, "up"], check=True)
    names = ["udp4", "v6", "out"]
    ein, eout = Expect(names), Expect(names)
    # Wait until the daemon counts the interface.
    for _ in range(100):
        s = snapshot(sock)
        if all(e["present"] for e in s["interfaces"]):
            break
        time.sleep(0.05)
    else:
        sys.exit("FAIL: %s not counted within 5 s" % ifname)

    # A listener: no ICMP "port unreachable" goes out for them.
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("192.0.2.1", 9999))
    ingress = [
        (ipv4("192.0.2.2", "192.0.2.1", 17, udp(5555, 9999, 100)),
         ["udp4"], False),
        (ipv4("192.0.2.2", "192.0.2.1", 17, udp(5555, 9999, 1300)),
         ["udp4"], False),
        (ipv4("192.0.2.3", "192.0.2.1", 17, udp(5555, 9999, 10)), [],
         False),
        (ipv6("2001:db8::2", "2001:db8::1", 6, tcp(80, 4000, 30)), ["v6"],
         False),
        (ipv6("2001:db8::2", "2001:db8::1", 6, tcp(80, 4000, 600)), ["v6"],
         False),
        # ihl 4: malformed, counted, then dropped by IP.
        (ipv4("192.0.2.2", "192.0.2.1", 17, udp(1, 2, 40), ihl=4), [],
         True),
    ]
    for pkt, matched, bad in ingress:
        os.write(fd, pkt)
        ein.add(pkt, matched, bad)
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for n in (50, 400, 1400):
        out.sendto(b"y" * n, ("192.0.2.2", 7777))
        eout.add(ipv4("192.0.2.1", "192.0.2.2", 17, udp(1, 7777, n)),
                 ["out"])
    time.sleep(0.5)
    s = snapshot(sock)
    ok = True
    for e in s["interfaces"]:
        exp = ein if e["direction"] == "ingress" else eout
        ok &= check(e, exp, "%s %s:" % (e["interface"], e["direction"]))
    if ok:
        print("tun: every counter of both directions as expected")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
