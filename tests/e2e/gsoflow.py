#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Traffic and the check of e2e_gso (gso.sh).

  gsoflow.py udp DST PORT GSO_SIZE LEN...
      one UDP_SEGMENT send of LEN bytes each (the kernel cuts each into
      GSO_SIZE-byte datagrams, the last one shorter)
  gsoflow.py vlan IFACE VID SRC DST PORT LEN...
      one frame each with an 802.1Q tag in its data, from a packet
      socket: UDP of LEN payload bytes (the receiving kernel takes the
      tag out into the skb's metadata before tc)
  gsoflow.py cut-tags IFACE VID
      one frame of three 802.1Q tags (VID, VID + 1, then a TPID alone):
      its third tag is cut; XDP reads two tags, so it is not IP and not
      malformed (the receiving kernel takes the first into the metadata)
  gsoflow.py malformed JSON DIRECTION
      that direction's totals.malformed
  gsoflow.py vlan-push IFACE VID PIN
      a tcx egress program on IFACE (before ifstat's tc filter) that puts
      VLAN tag VID into every packet's skb metadata, as a VLAN device
      over a NIC with tag offload does; its link pinned at PIN (removing
      the pin detaches it)
  gsoflow.py tcp-server ADDR PORT COUNT_FILE
      accepts one connection, reads it to the end, writes the byte count
  gsoflow.py tcp-client ADDR PORT BYTES
      connects (retrying while the server starts), sends BYTES, closes
      and waits for the server's close
  gsoflow.py compare SEND_JSON RECV_JSON FILTER...
      the sender's egress counters of each FILTER against the receiver's
      ingress ones (snapshot schema version 2): packets, bytes and every
      size bucket; exit 1 listing the differences
  gsoflow.py compare-untagged SEND_JSON RECV_JSON TAGGED UNTAGGED
      the receiver saw the sender's TAGGED frames without their tag (none
      in TAGGED, all in UNTAGGED), 4 bytes shorter each
  gsoflow.py packets JSON DIRECTION FILTER
      that filter's packets in that direction's entry
"""
import errno
import json
import os
import socket
import struct
import sys
import time

UDP_SEGMENT = 103  # linux/udp.h


def udp(dst, port, size, lengths):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_UDP, UDP_SEGMENT, int(size))
    for n in lengths:
        if s.sendto(b"\x55" * int(n), (dst, int(port))) != int(n):
            raise SystemExit("short UDP_SEGMENT send")
    s.close()


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def vlan(ifname, vid, src, dst, port, lengths):
    # The MACs of netns.sh: from the sender's end to the receiver's.
    eth = bytes.fromhex("020000000002020000000001")
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    for n in lengths:
        n = int(n)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + n, 1, 0, 64, 17, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        udp = struct.pack("!HHHH", 40000, int(port), 8 + n, 0)
        frame = eth + struct.pack("!HHH", 0x8100, int(vid), 0x0800) + ip + \
            udp + b"\x33" * n
        if s.send(frame) != len(frame):
            raise SystemExit("short packet socket send")
    s.close()


def cut_tags(ifname, vid):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    vid = int(vid)
    s.send(bytes.fromhex("020000000002020000000001") +
           struct.pack("!HHHHH", 0x8100, vid, 0x8100, vid + 1, 0x8100))
    s.close()


# __NR_bpf by machine (little-endian ones: the structs below are packed so).
NR_BPF = {"x86_64": 321, "aarch64": 280, "riscv64": 280, "ppc64le": 361,
          "i686": 357, "armv7l": 386}


def bpf(cmd, attr):
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(attr, 128)
    fd = libc.syscall(NR_BPF[os.uname().machine], cmd, buf, len(buf))
    if fd < 0:
        err = ctypes.get_errno()
        if cmd == 28 and err == errno.EINVAL:
            # BPF_LINK_CREATE without tcx (before Linux 6.6).
            print("vlan-push: no tcx on this kernel")
            sys.exit(77)
        raise SystemExit("bpf(%d): %s" % (cmd, os.strerror(err)))
    return fd


def vlan_push(ifname, vid, pin):
    # No clang needed: five instructions, bpf_skb_vlan_push(skb, 802.1Q,
    # vid) and TCX_NEXT, so ifstat's filter runs after it. Exits 77 where
    # it cannot be done (no tcx, no ctypes in a cut-down python).
    try:
        import ctypes
    except ImportError:
        print("vlan-push: no ctypes in this python")
        sys.exit(77)
    if os.uname().machine not in NR_BPF:
        raise SystemExit("vlan-push: the bpf syscall of %s is not known"
                         % os.uname().machine)
    tcx_egress, sched_cls = 47, 3
    insns = b"".join(struct.pack("<BBhi", code, regs, 0, imm) for code, regs,
                     imm in ((0xb7, 2, socket.htons(0x8100)),
                             (0xb7, 3, int(vid)), (0x85, 0, 18),
                             (0xb7, 0, -1), (0x95, 0, 0)))
    code = ctypes.create_string_buffer(insns)
    lic = ctypes.create_string_buffer(b"GPL")
    prog = bpf(5, struct.pack("<IIQQIIQII16sII", sched_cls, len(insns) // 8,
                              ctypes.addressof(code), ctypes.addressof(lic),
                              0, 0, 0, 0, 0, b"vlan_push", 0, tcx_egress))
    link = bpf(28, struct.pack("<IIII", prog, socket.if_nametoindex(ifname),
                               tcx_egress, 0))
    path = ctypes.create_string_buffer(pin.encode())
    bpf(6, struct.pack("<QI", ctypes.addressof(path), link))


def tcp_server(addr, port, count_file):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(1)
    s.settimeout(15)
    c, _ = s.accept()
    c.settimeout(15)
    n = 0
    while True:
        d = c.recv(1 << 16)
        if not d:
            break
        n += len(d)
    c.close()
    with open(count_file, "w") as f:
        f.write("%d\n" % n)


def tcp_client(addr, port, nbytes):
    deadline = time.monotonic() + 5
    while True:
        try:
            c = socket.create_connection((addr, int(port)), timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    c.sendall(b"\xaa" * int(nbytes))
    c.shutdown(socket.SHUT_WR)
    # The server's FIN: every frame of the flow has been sent.
    while c.recv(1 << 16):
        pass
    c.close()


def entry(path, direction):
    line = open(path).readline()
    snap = json.loads(line)
    if snap.get("version") != 2:
        raise SystemExit("%s: schema version %r" % (path, snap.get("version")))
    for e in snap["interfaces"]:
        if e["direction"] == direction:
            return snap, e
    raise SystemExit("%s: no %s entry" % (path, direction))


def flt(e, name):
    for f in e["filters"]:
        if f["name"] == name:
            return f
    raise SystemExit("no filter %s in %s %s" % (name, e["interface"],
                                               e["direction"]))


def compare(send_json, recv_json, names):
    snap, out = entry(send_json, "egress")
    _, inn = entry(recv_json, "ingress")
    edges = snap["size_edges"]
    labels = ["<=%d" % edges[0]] + ["%d-%d" % (a + 1, b) for a, b in
                                    zip(edges, edges[1:])]
    labels.append(">=%d" % (edges[-1] + 1))
    bad = 0
    for name in names:
        a, b = flt(out, name), flt(inn, name)
        print("%s: %s %s egress %d packets %d bytes %s | %s %s ingress "
              "%d packets %d bytes %s" % (
                  name, out["interface"], out["hook"], a["packets"],
                  a["bytes"], a["sizes"], inn["interface"], inn["hook"],
                  b["packets"], b["bytes"], b["sizes"]))
        if not a["packets"]:
            print("  %s: nothing sent" % name)
            bad += 1
        for k in ("packets", "bytes"):
            if a[k] != b[k]:
                print("  %s %s: egress %d, ingress %d" % (name, k, a[k],
                                                          b[k]))
                bad += 1
        for label, x, y in zip(labels, a["sizes"], b["sizes"]):
            if x != y:
                print("  %s bucket %s: egress %d, ingress %d" % (
                    name, label, x, y))
                bad += 1
    return 1 if bad else 0


def compare_untagged(send_json, recv_json, tagged, untagged):
    _, out = entry(send_json, "egress")
    _, inn = entry(recv_json, "ingress")
    a, t, u = flt(out, tagged), flt(inn, tagged), flt(inn, untagged)
    print("%s: egress %d packets %d bytes %s | ingress %s %d packets, "
          "%s %d packets %d bytes %s" % (
              tagged, a["packets"], a["bytes"], a["sizes"], tagged,
              t["packets"], untagged, u["packets"], u["bytes"], u["sizes"]))
    # With and without the tag the frames (43/47, 65/69, 1042/1046 bytes)
    # fall in the same buckets.
    if not a["packets"] or t["packets"] or u["packets"] != a["packets"] or \
            u["bytes"] != a["bytes"] - 4 * a["packets"] or \
            u["sizes"] != a["sizes"]:
        return 1
    return 0


def packets(path, direction, name):
    _, e = entry(path, direction)
    print(flt(e, name)["packets"])


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "udp":
        udp(args[0], args[1], args[2], args[3:])
    elif cmd == "vlan":
        vlan(args[0], args[1], args[2], args[3], args[4], args[5:])
    elif cmd == "cut-tags":
        cut_tags(*args)
    elif cmd == "malformed":
        print(entry(args[0], args[1])[1]["totals"]["malformed"])
    elif cmd == "vlan-push":
        vlan_push(*args)
    elif cmd == "tcp-server":
        tcp_server(*args)
    elif cmd == "tcp-client":
        tcp_client(*args)
    elif cmd == "compare":
        return compare(args[0], args[1], args[2:])
    elif cmd == "compare-untagged":
        return compare_untagged(*args)
    elif cmd == "packets":
        packets(*args)
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
