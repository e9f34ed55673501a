#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Helpers of the Prometheus e2e tests (prom.sh, prom_http.sh).

  promcheck.py check EXPECTED METRICS_FILE [--interface IF] [--direction D]
      parse /metrics text, check its structure (HELP and TYPE before each
      family's samples, cumulative buckets, +Inf = count, interface and
      direction on every series of an entry, an info and a present series
      per entry) and compare every counter of one entry (the first
      ifstat_interface_info names, or IF and D) with pcapgen's "key
      value" expectations
  promcheck.py query PROM_URL EXPR
      the value of a PromQL expression with one result, via /api/v1/query
      ("none" when it has no result)
  promcheck.py http HOST PORT
      answers to good and bad requests: /, /metrics, HEAD, wrong methods,
      unknown paths, oversized headers and URI, keep-alive
  promcheck.py concurrent HOST PORT N
      N connections at once, each one GET /metrics: all answered in full
  promcheck.py stuck HOST PORT N SOCKET SECONDS INTERVAL_MS
      N scrapers that never finish their request and N/4 that never read
      the answer, held SECONDS; meanwhile /metrics must answer quickly and
      the local SOCKET must deliver a line every INTERVAL_MS
  promcheck.py hold HOST PORT N SECONDS
      N connections that send half a request, held SECONDS
"""
import json
import re
import selectors
import socket
import sys
import time
import urllib.parse
import urllib.request

from snapshot import compare  # same directory: pcapgen's expectations

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')


def unescape(v):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n"
                  else m.group(1), v)


def parse(text):
    """[(name, {labels}, value)], checking HELP/TYPE order on the way."""
    samples, types, helped = [], {}, set()
    for n, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line.startswith("# HELP "):
            helped.add(line.split()[2])
            continue
        if line.startswith("# TYPE "):
            _, _, name, typ = line.split()
            if name in types:
                raise SystemExit("line %d: second TYPE of %s" % (n, name))
            if name not in helped:
                raise SystemExit("line %d: TYPE of %s before HELP" % (n, name))
            types[name] = typ
            continue
        m = SAMPLE.match(line)
        if not m:
            raise SystemExit("line %d: not a sample: %r" % (n, line))
        name, labels = m.group(1), {}
        if m.group(3):
            rest = m.group(3)
            for lm in LABEL.finditer(rest):
                labels[lm.group(1)] = unescape(lm.group(2))
        fam = re.sub(r'_(bucket|sum|count)$', '', name)
        if name not in types and fam not in types:
            raise SystemExit("line %d: %s has no TYPE before it" % (n, name))
        samples.append((name, labels, float(m.group(4))))
    return samples, types


# The families of an entry: every series names its interface and direction.
ENTRY_FAMILIES = ("ifstat_interface_info", "ifstat_interface_present",
                  "ifstat_frames_total", "ifstat_bytes_total",
                  "ifstat_filter_info", "ifstat_packet_size_bytes_bucket",
                  "ifstat_packet_size_bytes_sum",
                  "ifstat_packet_size_bytes_count")


def entries(samples):
    """[(interface, direction)] in the order of ifstat_interface_info,
    each with one info and one present series."""
    info = [(lb["interface"], lb["direction"]) for name, lb, _ in samples
            if name == "ifstat_interface_info"]
    present = [(lb["interface"], lb["direction"]) for name, lb, _ in samples
               if name == "ifstat_interface_present"]
    if sorted(info) != sorted(set(present)) or len(set(info)) != len(info):
        raise SystemExit("ifstat_interface_info %s, ifstat_interface_present"
                         " %s" % (info, present))
    for name, lb, _ in samples:
        if name in ENTRY_FAMILIES and \
                (lb.get("interface"), lb.get("direction")) not in info:
            raise SystemExit("%s%s: not an entry of ifstat_interface_info"
                             % (name, lb))
    return info


def flatten(samples, interface=None, direction=None):
    """One entry's samples as pcapgen's keys, checking each histogram."""
    out, kinds = {}, {"all": "packets", "unmatched": "unmatched",
                      "non_ip": "non_ip", "malformed": "malformed"}
    buckets = {}
    nfilters = 0
    pick = [e for e in entries(samples)
            if interface in (None, e[0]) and direction in (None, e[1])]
    if not pick:
        raise SystemExit("no entry for interface %s, direction %s"
                         % (interface, direction))
    for name, lb, v in samples:
        if name in ENTRY_FAMILIES and \
                (lb["interface"], lb["direction"]) != pick[0]:
            continue
        v = int(v)
        if name == "ifstat_frames_total":
            out["totals." + kinds[lb["kind"]]] = v
        elif name == "ifstat_bytes_total":
            out["totals.bytes"] = v
        elif name == "ifstat_filter_info":
            nfilters += 1
        elif name == "ifstat_packet_size_bytes_bucket":
            buckets.setdefault(lb["filter"], []).append((lb["le"], v))
        elif name == "ifstat_packet_size_bytes_sum":
            out["filter.%s.bytes" % lb["filter"]] = v
        elif name == "ifstat_packet_size_bytes_count":
            out["filter.%s.packets" % lb["filter"]] = v
    out["filters"] = nfilters
    for f, bs in buckets.items():
        if bs[-1][0] != "+Inf":
            raise SystemExit("filter %s: last bucket is not +Inf" % f)
        if bs[-1][1] != out["filter.%s.packets" % f]:
            raise SystemExit("filter %s: +Inf bucket is not the count" % f)
        prev_edge, prev = 0, 0
        for le, v in bs:
            if v < prev:
                raise SystemExit("filter %s: bucket le=%s decreases" % (f, le))
            if le == "+Inf":
                label = "%d+" % (prev_edge + 1)
            else:
                label = "%d-%s" % (prev_edge + 1 if prev_edge else 0, le)
                prev_edge = int(le)
            out["filter.%s.bucket.%s" % (f, label)] = v - prev
            prev = v
    return out


def check(expected, path, *args):
    samples, types = parse(open(path).read())
    opt = {"interface": None, "direction": None}
    for k, v in zip(args[::2], args[1::2]):
        if k not in ("--interface", "--direction"):
            raise SystemExit(__doc__)
        opt[k[2:]] = v
    for fam, typ in (("ifstat_packet_size_bytes", "histogram"),
                     ("ifstat_frames_total", "counter"),
                     ("ifstat_bytes_total", "counter"),
                     ("ifstat_filter_info", "gauge"),
                     ("ifstat_interface_info", "gauge"),
                     ("ifstat_interface_present", "gauge")):
        if types.get(fam) != typ:
            raise SystemExit("%s: TYPE %s, expected %s"
                             % (fam, types.get(fam), typ))
    return compare(expected, flatten(samples, **opt), "in /metrics")


def query(url, expr):
    q = urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen("%s/api/v1/query?%s" % (url, q),
                                timeout=5) as r:
        doc = json.load(r)
    if doc.get("status") != "success":
        raise SystemExit("query %s: %s" % (expr, doc))
    res = doc["data"]["result"]
    if doc["data"]["resultType"] == "scalar":
        print(res[1])
    elif not res:
        print("none")
    elif len(res) > 1:
        raise SystemExit("query %s: %d results" % (expr, len(res)))
    else:
        print(res[0]["value"][1])
    return 0


def request(host, port, raw, timeout=5):
    """Sends raw bytes, reads one response: (status, {headers}, body)."""
    s = socket.create_connection((host, port), timeout=timeout)
    s.sendall(raw)
    return read_response(s, head=raw.startswith(b"HEAD "), close=True)


def read_response(s, head=False, close=False):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("connection closed before the headers: %r"
                             % data[:200])
        data += chunk
    hdr, body = data.split(b"\r\n\r\n", 1)
    lines = hdr.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    n = 0 if head else int(headers.get("content-length", "0"))
    while len(body) < n:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    if close:
        s.close()
    return status, headers, body


def expect(what, got, want):
    if got != want:
        raise SystemExit("%s: got %r, expected %r" % (what, got, want))
    print("ok: %s -> %r" % (what, want))


def http(host, port):
    port = int(port)
    h = "Host: %s:%d\r\n" % (host, port)

    def req(method, path, extra=""):
        raw = "%s %s HTTP/1.1\r\n%s%sConnection: close\r\n\r\n" % (
            method, path, h, extra)
        return request(host, port, raw.encode())

    st, hd, body = req("GET", "/")
    expect("GET / status", st, 200)
    expect("GET / type", hd.get("content-type"), "text/html; charset=utf-8")
    expect("GET / links /metrics", b'href="/metrics"' in body, True)

    st, hd, body = req("GET", "/metrics")
    expect("GET /metrics status", st, 200)
    expect("GET /metrics type", hd.get("content-type"),
           "text/plain; version=0.0.4; charset=utf-8")
    expect("GET /metrics length", int(hd["content-length"]), len(body))
    expect("GET /metrics has the histogram",
           b"# TYPE ifstat_packet_size_bytes histogram\n" in body, True)
    st, hd, body = req("GET", "/metrics?x=1")
    expect("GET /metrics?x=1 status", st, 200)

    st, hd, body = req("HEAD", "/metrics")
    expect("HEAD /metrics status", st, 200)
    expect("HEAD /metrics body", body, b"")
    expect("HEAD /metrics has a length", int(hd["content-length"]) > 1000,
           True)

    for m in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"):
        for path in ("/metrics", "/"):
            st, hd, body = req(m, path)
            expect("%s %s status" % (m, path), st, 405)
            expect("%s %s Allow" % (m, path), hd.get("allow"), "GET, HEAD")
    st, hd, _ = req("POST", "/metrics",
                    "Content-Length: 100000\r\n")  # body never sent
    expect("POST /metrics with a body never sent", st, 405)

    for path in ("/nope", "/metrics/", "/metricsx", "/index.html",
                 "/%2e%2e/etc/passwd"):
        st, _, _ = req("GET", path)
        expect("GET %s status" % path, st, 404)
    st, _, _ = req("DELETE", "/nope")
    expect("DELETE /nope status", st, 404)

    st, _, _ = req("GET", "/metrics", "X-Big: %s\r\n" % ("a" * 20000))
    expect("GET /metrics with a 20 KB header", st, 431)
    st, _, _ = req("GET", "/metrics",
                   "".join("X-H%d: %s\r\n" % (i, "b" * 100)
                           for i in range(200)))
    expect("GET /metrics with 200 headers of 100 bytes", st, 431)
    st, _, _ = req("GET", "/" + "m" * 20000)
    expect("GET of a 20 KB URI", st, 414)
    st, _, _ = request(host, port,
                       ("GET /metrics HTTP/9.9\r\n%s\r\n" % h).encode())
    expect("GET /metrics HTTP/9.9", st, 505)
    # Not HTTP at all: libmicrohttpd closes without an answer.
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"GARBAGE\r\n\r\n")
    expect("a request line that is not HTTP", s.recv(100), b"")
    s.close()

    # Keep-alive: three requests on one connection, as Prometheus does.
    s = socket.create_connection((host, port), timeout=5)
    for i in range(3):
        s.sendall(("GET /metrics HTTP/1.1\r\n%s\r\n" % h).encode())
        st, hd, body = read_response(s)
        expect("keep-alive request %d" % (i + 1), st, 200)
        expect("keep-alive request %d not closed" % (i + 1),
               hd.get("connection"), None)
    s.close()

    # A known small request still works after all of the above.
    st, _, _ = req("GET", "/metrics")
    expect("GET /metrics at the end", st, 200)
    return 0


def concurrent(host, port, n):
    port, n = int(port), int(n)
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(n):
        s = socket.create_connection((host, port), timeout=10)
        conns.append(s)
    # Every connection is open before the first request is sent.
    raw = ("GET /metrics HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n"
           % (host, port)).encode()
    for s in conns:
        s.sendall(raw)
    bufs = {}
    for s in conns:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        bufs[s] = b""
    deadline = time.monotonic() + 20
    open_ = len(conns)
    while open_ and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            s = key.fileobj
            chunk = s.recv(65536)
            if chunk:
                bufs[s] += chunk
            else:
                sel.unregister(s)
                s.close()
                open_ -= 1
    if open_:
        raise SystemExit("%d of %d connections not answered in 20 s"
                         % (open_, n))
    good = 0
    for s, data in bufs.items():
        hdr, _, body = data.partition(b"\r\n\r\n")
        lines = hdr.decode().split("\r\n")
        length = [l for l in lines if l.lower().startswith("content-length:")]
        if (lines[0].startswith("HTTP/1.1 200 ") and length and
                int(length[0].split(":")[1]) == len(body) and
                body.endswith(b"\n") and
                b"ifstat_packet_size_bytes_count{" in body):
            good += 1
    expect("%d concurrent GET /metrics answered in full" % n, good, n)
    return 0


def stuck(host, port, n, sock_path, seconds, interval_ms):
    port, n, seconds = int(port), int(n), float(seconds)
    interval = int(interval_ms) / 1000.0
    held = []
    for i in range(n):
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")  # never ends
        held.append(s)
    for i in range(n // 4):
        s = socket.create_connection((host, port), timeout=5)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 50)
        held.append(s)  # never reads what it asked for
    print("holding %d stuck connections" % len(held))

    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    u.connect(sock_path)
    u.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(u, selectors.EVENT_READ)
    lines, gaps, buf, last = 0, [], b"", None  # last: the line's time_ms
    scrapes, worst = 0, 0.0
    end = time.monotonic() + seconds
    next_scrape = time.monotonic()
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_scrape:
            t0 = time.monotonic()
            st, _, body = request(host, port, (
                "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                "\r\n").encode())
            worst = max(worst, time.monotonic() - t0)
            if st != 200 or b"ifstat_frames_total{" not in body:
                raise SystemExit("scrape beside stuck ones: status %d" % st)
            scrapes += 1
            next_scrape = time.monotonic() + 0.2
        for key, _ in sel.select(timeout=0.05):
            chunk = u.recv(1 << 20)
            if not chunk:
                raise SystemExit("the local socket closed")
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                # The daemon's own clock at each tick: a loop held up by
                # HTTP work shows as a late tick, whatever this reader's
                # own delays.
                t = json.loads(line)["time_ms"] / 1000.0
                if last is not None:
                    gaps.append(t - last)
                last = t
                lines += 1
    for s in held:
        s.close()
    u.close()
    print("%d scrapes, slowest %.1f ms; %d socket lines, longest gap "
          "between their time_ms %.1f ms (interval %.0f ms)"
          % (scrapes, worst * 1000, lines, max(gaps) * 1000,
             interval * 1000))
    if worst > 0.5:
        raise SystemExit("a scrape took %.2f s beside stuck ones" % worst)
    # The first line is the current snapshot at connect, then one per
    # interval.
    if lines < seconds / interval * 0.8:
        raise SystemExit("only %d socket lines in %.0f s" % (lines, seconds))
    if max(gaps) > interval + 0.05:
        raise SystemExit("the socket publisher paused %.0f ms"
                         % (max(gaps) * 1000))
    return 0


def hold(host, port, n, seconds):
    held = []
    for i in range(int(n)):
        s = socket.create_connection((host, int(port)), timeout=5)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
        held.append(s)
    print("holding %d half requests" % len(held), flush=True)
    time.sleep(float(seconds))
    return 0


if __name__ == "__main__":
    a = sys.argv[1:]
    cmds = {"check": (check, 2), "query": (query, 2), "http": (http, 2),
            "concurrent": (concurrent, 3), "stuck": (stuck, 6),
            "hold": (hold, 4)}
    # check takes --interface IF and --direction D after its two.
    if not a or a[0] not in cmds or len(a) - 1 != cmds[a[0]][1] and \
            (a[0] != "check" or len(a) - 1 not in (4, 6)):
        sys.exit(__doc__)
    sys.exit(cmds[a[0]][0](*a[1:]))
