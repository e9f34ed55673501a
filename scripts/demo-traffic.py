#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Endless demo traffic for scripts/run.sh: raw Ethernet frames on IFACE
for each example filter (ssh, dns over IPv4 and IPv6, web on VLAN 100),
plus frames no filter matches and non-IP frames, sizes across every
bucket. Documentation addresses only.

Usage: demo-traffic.py IFACE DST_MAC [PPS]
"""
import random
import socket
import struct
import sys
import time

IFACE, DST = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
PPS = int(sys.argv[3]) if len(sys.argv) > 3 else 300
SRC = bytes.fromhex("020000000001")
SIZES = (60, 100, 200, 400, 800, 1400, 1514)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF


def l4(proto, sport, dport, room):
    if proto == 6:
        hdr = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x18,
                          8192, 0, 0)
    else:
        hdr = struct.pack("!HHHH", sport, dport, 8 + max(room - 8, 0), 0)
    return hdr + bytes(max(room - len(hdr), 0))


def ipv4(src, dst, proto, sport, dport, size):
    room = size - 14 - 20
    body = l4(proto, sport, dport, room)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0, 0x4000,
                      64, proto, 0, socket.inet_aton(src),
                      socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return b"\x08\x00" + hdr + body


def ipv6(src, dst, proto, sport, dport, size):
    body = l4(proto, sport, dport, size - 14 - 40)
    hdr = struct.pack("!IHBB16s16s", 6 << 28, len(body), proto, 64,
                      socket.inet_pton(socket.AF_INET6, src),
                      socket.inet_pton(socket.AF_INET6, dst))
    return b"\x86\xdd" + hdr + body


def frame(kind, size):
    if kind == "ssh":
        p = ipv4("192.0.2.10", "198.51.100.2", 6, 22, 40000, size)
    elif kind == "dns4":
        p = ipv4("198.51.100.1", "198.51.100.2", 17, 40001, 53, size)
    elif kind == "dns6":
        p = ipv6("2001:db8::1", "2001:db8::2", 17, 40002, 53, size)
    elif kind == "web100":
        p = b"\x81\x00" + struct.pack("!H", 100) + ipv4(
            "203.0.113.7", "198.51.100.2", 6, 40003, 8080, size - 4)
    elif kind == "other":
        p = ipv4("203.0.113.9", "198.51.100.2", 17, 5000, 6000, size)
    else:  # non-IP: an ARP request
        p = b"\x08\x06" + bytes.fromhex("0001080006040001") + SRC + \
            socket.inet_aton("198.51.100.1") + bytes(6) + \
            socket.inet_aton("198.51.100.2") + bytes(18)
    return DST + SRC + p


KINDS = ("ssh", "ssh", "dns4", "dns4", "dns6", "web100", "web100", "other",
         "arp")
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((IFACE, 0))
gap = 1.0 / PPS
while True:
    f = frame(random.choice(KINDS), random.choice(SIZES))
    s.send(f[:1514] if len(f) > 1514 else f)
    time.sleep(gap)
