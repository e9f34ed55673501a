#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Socket clients against a running ifstatd (see clients.sh).

Usage: clients.py SOCK PID INTERVAL_MS MAX_CLIENTS

Connects clients that come and go at once, one that sends garbage, one
that never reads and the rest up to MAX_CLIENTS that read; one more is
refused. While SIGHUPs arrive, every reader must get every snapshot (the
same sequence, no gap longer than a few intervals); the one that never
reads is disconnected, and a new client is then served at once.
"""
import json
import os
import re
import selectors
import signal
import socket
import sys
import time

SOCK, PID, INTERVAL, MAX = (sys.argv[1], int(sys.argv[2]),
                            int(sys.argv[3]), int(sys.argv[4]))
RUN_S = 4.0
DEADLINE_S = 60  # the whole script; it takes about 10 s
TIME_MS = re.compile(rb'"time_ms":(\d+)')


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def out_of_time(signum, frame):
    fail("clients.py did not finish within %d s" % DEADLINE_S)


signal.signal(signal.SIGALRM, out_of_time)
signal.alarm(DEADLINE_S)


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(SOCK)
    return s


# Clients that connect and close at once, some mid-line.
for i in range(20):
    s = connect()
    if i % 2:
        s.recv(10)
    s.close()
# Until the daemon has seen those closes they still count against the
# limit, and a reader below could be refused in their place.
time.sleep(1)

slow = connect()
slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
readers = [connect() for _ in range(MAX - 1)]
readers[0].sendall(b"garbage\x00\xff" * 100 + b"\n{not json}\n")
refused = connect()
refused.settimeout(5)
try:
    data = refused.recv(65536)
except socket.timeout:
    fail("client %d was neither served nor refused" % (MAX + 1))
if data:
    fail("client %d beyond the limit of %d got data" % (MAX + 1, MAX))
print("client %d beyond the limit was refused" % (MAX + 1))

sel = selectors.DefaultSelector()
state = {}
for r in readers:
    r.setblocking(False)
    sel.register(r, selectors.EVENT_READ)
    state[r] = {"buf": b"", "times": [], "arrivals": []}

start = time.monotonic()
hups = 0
while time.monotonic() - start < RUN_S:
    # Reloads arriving while clients are served change nothing for them.
    if hups < 5 and time.monotonic() - start > 0.5 + hups * 0.3:
        os.kill(PID, signal.SIGHUP)
        hups += 1
    for key, _ in sel.select(timeout=0.1):
        r = key.fileobj
        st = state[r]
        chunk = r.recv(1 << 20)
        if not chunk:
            fail("a reading client was disconnected")
        st["buf"] += chunk
        while b"\n" in st["buf"]:
            line, st["buf"] = st["buf"].split(b"\n", 1)
            # json.loads of every 20 KB line of 63 readers would make
            # this test, not the daemon, the slow reader on 2 cores.
            if not st["times"]:
                json.loads(line)
            st["times"].append(int(TIME_MS.search(line).group(1)))
            st["arrivals"].append(time.monotonic())

# Every reader: the first line at once, then one per interval.
counts = [len(state[r]["times"]) for r in readers]
expect = RUN_S * 1000 / INTERVAL
if min(counts) < expect * 0.7:
    fail("a reader got %d snapshots in %.1f s, expected about %d"
         % (min(counts), RUN_S, expect))
worst = 0.0
for r in readers:
    a = state[r]["arrivals"]
    worst = max([worst] + [b - x for x, b in zip(a, a[1:])])
if worst > 1.0:
    fail("a reader waited %.2f s between two snapshots" % worst)
# Same snapshots everywhere: each reader's sequence, past its first
# (connect-time) line, is a window of the longest one.
ref = max((state[r]["times"][1:] for r in readers), key=len)
for r in readers:
    t = state[r]["times"][1:]
    if t and (t[0] not in ref or
              ref[ref.index(t[0]):ref.index(t[0]) + len(t)] != t):
        fail("a reader missed a snapshot the others got")
print("%d readers: %d-%d snapshots each in %.1f s (interval %d ms), "
      "longest gap %.0f ms, %d SIGHUPs"
      % (len(readers), min(counts), max(counts), RUN_S, INTERVAL,
         worst * 1000, hups))

# The client that never read has been dropped: draining it ends in EOF,
# within 5 s. A daemon that never drops it keeps the data coming, so the
# bound is on the whole drain, not on each read.
end = time.monotonic() + 5
total = 0
try:
    while True:
        left = end - time.monotonic()
        if left <= 0:
            raise socket.timeout
        slow.settimeout(left)
        chunk = slow.recv(1 << 20)
        if not chunk:
            break
        total += len(chunk)
except socket.timeout:
    fail("the client that never read is still connected after 5 s "
         "(%d bytes read)" % total)
print("the client that never read was disconnected after %d bytes" % total)

# Room again: a new client gets the current snapshot at once.
for r in readers[:1]:
    sel.unregister(r)
    r.close()
late = connect()
late.settimeout(2)
try:
    first = late.makefile("rb").readline()
except socket.timeout:
    fail("a new client waited for its first snapshot")
json.loads(first)
print("a new client got its first snapshot at once")
sys.exit(0)
