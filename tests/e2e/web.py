#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""The live page and its API against a running ifstatd (see web.sh).

Runs in the receiving namespace. Starts ifstatd ($WORK/ifstat.conf,
rewritten from conf1, conf1fast, conf2 for reloads), reads the socket
all along, and drives headless chromium through selenium:

1. the page: a section per interface with a view per direction, in the
   snapshot's order (the counted interface both ways, and one that does
   not exist, marked missing); every counter of every view equals the
   socket's snapshot of the same reading (time_ms), rates equal the delta
   rule over the socket's previous line, bucket shares and titles exact,
   the charts drawn, no console error, nothing loaded from another
   origin, and it keeps updating; the generated traffic gives the
   generator's counts (ingress);
2. /api/v1/snapshot is the socket's line (but time_ms); the stream's
   events are the socket's lines byte for byte; security headers; 404 and
   405 as JSON;
3. the stream limit (exact: streams that left mid-stream free their
   slots), then 238 stuck streams at a 20 ms interval: all dropped and
   logged, the socket's reader and the page keep their interval;
4. a reload that redefines, removes and adds filters: the page follows,
   redefined filters restart at zero, the traffic counts under the new
   set;
5. a restart (counters kept): the page reconnects by itself and goes on;
   one without them: a new epoch, the page says so;
6. reloads that move the server and turn it off.
"""
import argparse
import decimal
import http.client
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import snapshot  # noqa: E402 (the generator's expectations)

ap = argparse.ArgumentParser()
for a in ("ifstatd", "work", "sock", "http", "pin-root", "send", "if-send",
          "screenshot"):
    ap.add_argument("--" + a, required=True)
A = ap.parse_args()
HOST, PORT = A.http.rsplit(":", 1)
PORT = int(PORT)
LOG = os.path.join(A.work, "ifstatd.log")
CONF = os.path.join(A.work, "ifstat.conf")
TIME_MS = re.compile(rb'"time_ms":(\d+)')
T0 = time.monotonic()
daemon = None
driver = None
# The deadline's SIGTERM (netns.sh) ends the run through the finally
# below, which stops chromium and ifstatd.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def fail(msg):
    print("FAIL: " + msg)
    if os.path.exists(LOG):
        lines = open(LOG).readlines()
        slow = [line for line in lines if "too slow" in line]
        print("--- ifstatd log (tail), %d 'too slow' lines but the last "
              "5 left out" % len(slow))
        print("".join([line for line in lines if line not in slow[:-5]]
                      [-30:]), end="")
    raise SystemExit(1)


def step(msg):
    print("[%5.1f s] %s" % (time.monotonic() - T0, msg), flush=True)


def wait_for(what, fn, timeout=10.0, every=0.05):
    end = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > end:
            fail("%s: not within %.0f s" % (what, timeout))
        time.sleep(every)


# --- the daemon -----------------------------------------------------------

def start_daemon():
    global daemon
    log = open(LOG, "a")
    daemon = subprocess.Popen([A.ifstatd, "-f", "-c", CONF, "--pin-root",
                               A.pin_root], stdout=log, stderr=log)
    with open(os.path.join(A.work, "pid"), "w") as f:
        f.write("%d\n" % daemon.pid)

    def ready():
        if daemon.poll() is not None:
            fail("ifstatd exited %d at start" % daemon.returncode)
        try:
            return http_get("/api/v1/snapshot")[0] == 200
        except OSError:
            return False
    wait_for("ifstatd serving", ready)


def stop_daemon():
    global daemon
    daemon.send_signal(signal.SIGTERM)
    rc = daemon.wait(10)
    if rc != 0:
        fail("ifstatd exited %d on SIGTERM" % rc)
    daemon = None


def reloads_done():
    return sum(1 for line in open(LOG) if line.startswith("ifstatd: reload: "))


def reload(conf):
    """SIGHUP with CONF's text; returns once ifstatd says it applied it."""
    with open(os.path.join(A.work, conf)) as src, open(CONF + ".new", "w") as d:
        d.write(src.read())
    os.rename(CONF + ".new", CONF)
    done = reloads_done()
    daemon.send_signal(signal.SIGHUP)
    wait_for("the reload to " + conf, lambda: reloads_done() > done)


def first(snap):
    """The entry the generator's traffic is counted in: the first, the
    counted interface's ingress."""
    return snapshot.entry(snap)


def replay(want_total):
    """Sends the generated traffic; waits until the socket counted it."""
    before = first(sock.last())["totals"]["packets"]
    out = subprocess.run(shlex.split(A.send) + [
        "tcpreplay", "-q", "-i", A.if_send, "--pps=2000",
        os.path.join(A.work, "traffic.pcap")], capture_output=True,
        text=True)
    if out.returncode:
        fail("tcpreplay: " + out.stdout + out.stderr)
    wait_for("%d frames counted (from %d)" % (want_total, before),
             lambda: first(sock.last())["totals"]["packets"] >= want_total)
    time.sleep(0.3)  # a late stray frame would show as a difference
    got = sock.last()
    flat = snapshot.flatten(got, first(got))
    want = {}
    for line in open(os.path.join(A.work, expected_file(want_total))):
        k, v = line.split()
        want[k] = int(v)
    bad = [k for k in sorted(set(want) | set(flat))
           if want.get(k) != flat.get(k)]
    if bad:
        fail("counters differ from the generator's: " + ", ".join(
            "%s %s != %s" % (k, flat.get(k), want.get(k)) for k in bad))
    return got


def total_of(name):
    for line in open(os.path.join(A.work, name)):
        if line.startswith("totals.packets "):
            return int(line.split()[1])
    fail("no totals.packets in " + name)


def expected_file(total):
    for name in ("exp1", "exp2", "exp3"):
        for line in open(os.path.join(A.work, name)):
            if line.startswith("totals.packets ") and \
                    int(line.split()[1]) == total:
                return name
    fail("no expectation with %d frames" % total)


# --- the socket, read all along --------------------------------------------

def lines_of(f):
    """The lines of f until it ends, a stopping daemon's reset included."""
    try:
        yield from f
    except ConnectionResetError:
        return


class SocketReader(threading.Thread):
    """Every line of the socket, by time_ms; reconnects after a restart."""

    def __init__(self):
        super().__init__(daemon=True)
        self.lock = threading.Lock()
        self.lines = {}  # time_ms -> raw line (bytes)
        self.order = []  # time_ms in arrival order (tick lines)
        self.arrivals = []  # (monotonic, time_ms)
        self.connected = threading.Event()

    def run(self):
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(A.sock)
            except OSError:
                time.sleep(0.05)
                continue
            self.connected.set()
            f = s.makefile("rb")
            first = True
            for line in lines_of(f):
                m = TIME_MS.search(line)
                if not line.endswith(b"\n") or not m:
                    break  # cut by a stop
                t = int(m.group(1))
                with self.lock:
                    self.lines[t] = line
                    # The connect-time line is a reading of its own.
                    if not first:
                        self.order.append(t)
                        self.arrivals.append((time.monotonic(), t))
                first = False
            s.close()

    def get(self, t):
        with self.lock:
            return self.lines.get(t)

    def before(self, t):
        """The tick line just before t, or None."""
        with self.lock:
            if t not in self.order:
                return None
            i = self.order.index(t)
            return self.lines[self.order[i - 1]] if i else None

    def last(self):
        with self.lock:
            t = self.order[-1] if self.order else max(self.lines)
            return json.loads(self.lines[t])


# --- HTTP -----------------------------------------------------------------

def http_get(path, method="GET", headers=None):
    c = http.client.HTTPConnection(HOST, PORT, timeout=5)
    c.request(method, path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, dict(r.getheaders()), body


SECURITY = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; "
    "style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def check_headers(what, headers, ctype, cache="no-store"):
    for k, v in list(SECURITY.items()) + [("Content-Type", ctype),
                                          ("Cache-Control", cache)]:
        if headers.get(k) != v:
            fail("%s: %s is %r, expected %r" % (what, k, headers.get(k), v))


def check_api():
    status, h, body = http_get("/api/v1/snapshot")
    if status != 200:
        fail("/api/v1/snapshot: %d" % status)
    check_headers("/api/v1/snapshot", h, "application/json")
    t = int(TIME_MS.search(body).group(1))
    ref = sock.last()
    got = json.loads(body)
    if got["time_ms"] < ref["time_ms"]:
        fail("/api/v1/snapshot is older than the socket's last line")
    got["time_ms"] = ref["time_ms"]
    if got != ref:
        fail("/api/v1/snapshot differs from the socket's snapshot:\n%s\n%s"
             % (body, json.dumps(ref)))
    # Same JSON text as the socket's line, but the time of reading.
    line = sock.get(ref["time_ms"])
    if TIME_MS.sub(b"", body) != TIME_MS.sub(b"", line):
        fail("/api/v1/snapshot is not the socket's line:\n%s%s"
             % (body, line))
    for path, method, code in (("/api/v1/nope", "GET", 404),
                               ("/api/v2/snapshot", "GET", 404),
                               ("/metrics", "GET", 404),
                               ("/api/v1/snapshot", "POST", 405),
                               ("/", "DELETE", 405)):
        status, h, body = http_get(path, method)
        if status != code:
            fail("%s %s: %d, expected %d" % (method, path, status, code))
        check_headers("%s %s" % (method, path), h, "application/json")
        if "error" not in json.loads(body):
            fail("%s %s: no JSON error: %r" % (method, path, body))
    for path, ctype in (("/", "text/html; charset=utf-8"),
                        ("/app.js", "text/javascript; charset=utf-8"),
                        ("/uPlot.iife.min.js",
                         "text/javascript; charset=utf-8"),
                        ("/uPlot.LICENSE.txt", "text/plain; charset=utf-8")):
        status, h, body = http_get(path)
        if status != 200 or not body:
            fail("%s: %d" % (path, status))
        check_headers(path, h, ctype, "no-cache")
        # Revalidation: the same version is 304 without a body.
        etag = h.get("ETag", "")
        if not re.fullmatch(r'"[0-9a-f]{16}"', etag):
            fail("%s: ETag %r" % (path, etag))
        status, h, body = http_get(path, headers={"If-None-Match": etag})
        if status != 304 or body or h.get("ETag") != etag:
            fail("%s with its ETag: %d, %d bytes" % (path, status, len(body)))
        status, h, body = http_get(path, headers={"If-None-Match": '"0"'})
        if status != 200 or not body:
            fail("%s with another ETag: %d" % (path, status))
    step("API: /api/v1/snapshot is the socket's line (time %d), errors are "
         "JSON 404/405, security headers on every answer, files revalidate "
         "to 304" % t)


def check_stream(n=6):
    """The stream's events are the socket's lines, byte for byte."""
    c = http.client.HTTPConnection(HOST, PORT, timeout=5)
    c.request("GET", "/api/v1/stream")
    r = c.getresponse()
    if r.status != 200:
        fail("/api/v1/stream: %d" % r.status)
    check_headers("/api/v1/stream", dict(r.getheaders()),
                  "text/event-stream")
    events = []
    cur = []
    while len(events) < n:
        line = r.readline()
        if not line:
            fail("the stream ended")
        if line == b"\n":
            events.append(cur)
            cur = []
        else:
            cur.append(line)
    c.close()
    if events[0][0] != b"retry: 1000\n":
        fail("the first event has no retry: %r" % events[0])
    events[0] = events[0][1:]
    matched = 0
    for ev in events:
        if len(ev) != 1 or not ev[0].startswith(b"data: "):
            fail("not one data line: %r" % ev)
        data = ev[0][len(b"data: "):]
        t = int(TIME_MS.search(data).group(1))
        line = wait_for("the socket's line of %d" % t,
                        lambda: sock.get(t), timeout=2) \
            if ev is not events[0] else sock.get(t)
        if line is None:
            continue  # the connect-time reading is the stream's own
        if data != line:
            fail("event differs from the socket's line:\n%s%s"
                 % (data, line))
        matched += 1
    if matched < n - 1:
        fail("only %d of %d events were socket lines" % (matched, n))
    step("stream: %d events, %d of them the socket's lines byte for byte"
         % (n, matched))


# --- the page ---------------------------------------------------------------

PAGE_STATE = r"""
function painted(cv) {
    var c = document.createElement('canvas'), g, d, i, n = 0, hues = {};
    if (!cv.width || !cv.height) return {px: 0, colours: []};
    /* A copy read once: reading the chart's own canvas again and again
     * is a console warning. */
    c.width = cv.width;
    c.height = cv.height;
    g = c.getContext('2d', {willReadFrequently: true});
    g.drawImage(cv, 0, 0);
    d = g.getImageData(0, 0, c.width, c.height).data;
    for (i = 0; i < d.length; i += 4) {
        if (d[i + 3] === 0) continue;
        n++;
        hues[d[i] + ',' + d[i + 1] + ',' + d[i + 2]] = 1;
    }
    return {px: n, colours: Object.keys(hues)};
}
function cells(root, sel) {
    var o = {};
    root.querySelectorAll(sel).forEach(function (td) {
        o[td.dataset.k] = td.textContent;
    });
    return o;
}
var out = {status: document.getElementById('status').dataset.state,
           views: [], origins: []};
performance.getEntriesByType('resource').forEach(function (e) {
    out.origins.push(new URL(e.name).origin);
});
document.querySelectorAll('div.view').forEach(function (sec) {
    var g = sec.closest('section.iface');
    var v = {key: sec.dataset.view, time_ms: Number(sec.dataset.timeMs),
             group: g.dataset.interface,
             group_title: g.querySelector('h2').textContent,
             title: sec.querySelector('h3').textContent,
             info: sec.querySelector('p.info').textContent,
             missing: sec.querySelector('p.missing').textContent,
             totals: cells(sec, 'table.totals td'), rows: [], cards: []};
    sec.querySelectorAll('table.filters tr[data-filter]').forEach(function (tr) {
        var r = cells(tr, 'td');
        r.name = tr.dataset.filter;
        r.title = tr.querySelector('th').textContent;
        v.rows.push(r);
    });
    v.header = Array.prototype.map.call(
        sec.querySelectorAll('table.filters tr:first-child th'),
        function (th) { return th.textContent; });
    sec.querySelectorAll('.card').forEach(function (c) {
        v.cards.push({
            name: c.dataset.filter,
            head: c.querySelector('h4').textContent,
            match: c.querySelector('code.match').textContent,
            buckets: Array.prototype.map.call(
                c.querySelectorAll('table.buckets tr'), function (tr) {
                    return Array.prototype.map.call(tr.children,
                        function (x) { return x.textContent; });
                }),
            canvases: Array.prototype.map.call(
                c.querySelectorAll('canvas'), painted)});
    });
    out.views.push(v);
});
return out;
"""


def fixed1(x):
    """JS's Number.prototype.toFixed(1): the exact value, ties up."""
    return str(decimal.Decimal(x).quantize(decimal.Decimal("0.1"),
                                           rounding=decimal.ROUND_HALF_UP))


def rate(v, unit):
    """delta.js rate(): SI steps of 1000, one decimal."""
    prefixes = ["", "k", "M", "G", "T", "P"]
    i = 0
    if not v > 0:
        v = 0.0
    while float(fixed1(v)) >= 1000 and i < len(prefixes) - 1:
        v /= 1000
        i += 1
    return fixed1(v) + " " + prefixes[i] + unit


def titles(edges):
    t = []
    for i in range(len(edges) + 1):
        lo = edges[i - 1] + 1 if i else 0
        if i == 0:
            t.append("<=%d" % edges[0])
        elif i == len(edges):
            t.append(">=%d" % lo)
        elif lo == edges[i]:
            t.append(str(lo))
        else:
            t.append("%d-%d" % (lo, edges[i]))
    return t


def prev_entry(prev, e):
    """The entry of prev for e's interface and direction, or None."""
    return next((x for x in prev["interfaces"]
                 if (x["interface"], x["direction"]) ==
                 (e["interface"], e["direction"])), None) if prev else None


def delta(prev, cur, e, f):
    """The client's delta rule (README), independently of delta.js."""
    pe = prev_entry(prev, e)
    o = next((x for x in pe["filters"] if x["name"] == f["name"]),
             None) if pe else None
    if o is not None and (prev["size_edges"] != cur["size_edges"] or
                          o["match"] != f["match"] or
                          f["packets"] < o["packets"] or
                          f["bytes"] < o["bytes"] or
                          any(a < b for a, b in zip(f["sizes"], o["sizes"]))):
        o = None
    if o is None:
        return f["packets"], f["bytes"]
    return f["packets"] - o["packets"], f["bytes"] - o["bytes"]


MISSING = ("missing: not counted now (the interface does not exist, or "
           "ifstat is not attached)")


def expected_view(snap, e, prev):
    """What the page must show for entry e of snap, prev the reading
    before it."""
    dt = (snap["time_ms"] - prev["time_ms"]) / 1000 if prev else 0
    tot = e["totals"]
    how = "not attached" if e["hook"] == "none" else \
        "hook %s, mode %s" % (e["hook"], e["mode"])
    v = {"key": e["interface"] + "/" + e["direction"],
         "group": e["interface"], "group_title": e["interface"],
         "title": e["direction"],
         "info": "%s, interval %d ms, size edges %s" % (
             how, snap["interval_ms"],
             " ".join(map(str, snap["size_edges"]))),
         "missing": "" if e["present"] else MISSING,
         "totals": {k: str(tot[k]) for k in
                    ("packets", "bytes", "unmatched", "non_ip",
                     "malformed")},
         "rows": [], "cards": []}
    if dt > 0:
        p, b = tot["packets"], tot["bytes"]
        pt = prev_entry(prev, e)
        if pt and all(tot[k] >= pt["totals"][k] for k in pt["totals"]):
            p, b = p - pt["totals"]["packets"], b - pt["totals"]["bytes"]
        v["totals"]["pps"] = rate(p / dt, "pps")
        v["totals"]["bps"] = rate(8 * b / dt, "bit/s")
    tt = titles(snap["size_edges"])
    v["header"] = ["Filter", "Match"] + tt + ["Bytes", "Packets", "Rate",
                                              "Bitrate"]
    for f in e["filters"]:
        r = {"name": f["name"], "title": f["name"], "bytes": str(f["bytes"]),
             "packets": str(f["packets"]), "match": f["match"]}
        for i, n in enumerate(f["sizes"]):
            r["size-%d" % i] = str(n)
        if dt > 0:
            p, b = delta(prev, snap, e, f)
            r["pps"] = rate(p / dt, "pps")
            r["bps"] = rate(8 * b / dt, "bit/s")
        v["rows"].append(r)
        v["cards"].append({
            "name": f["name"], "head": f["name"], "match": f["match"],
            "buckets": [["bucket (bytes)", "frames", "share"]] + [
                [t, str(n), fixed1(100 * n / f["packets"]) + " %"
                 if f["packets"] else "-"]
                for t, n in zip(tt, f["sizes"])]})
    return v


def page_state():
    return driver.execute_script(PAGE_STATE)


def check_view(pv, want, time_ms):
    for k in ("key", "group", "group_title", "title", "info", "missing",
              "header"):
        if pv[k] != want[k]:
            fail("page %s %s: %r, expected %r" % (want["key"], k, pv[k],
                                                  want[k]))
    for k, v in want["totals"].items():
        if pv["totals"].get(k) != v:
            fail("page %s totals %s: %r, expected %r"
                 % (want["key"], k, pv["totals"].get(k), v))
    if [r["name"] for r in pv["rows"]] != [r["name"] for r in want["rows"]]:
        fail("page %s filters %s, expected %s" % (
            want["key"], [r["name"] for r in pv["rows"]],
            [r["name"] for r in want["rows"]]))
    for got, exp in zip(pv["rows"], want["rows"]):
        for k, v in exp.items():
            if got.get(k) != v:
                fail("page %s filter %s %s: %r, expected %r (time %d)"
                     % (want["key"], exp["name"], k, got.get(k), v, time_ms))
    if [c["name"] for c in pv["cards"]] != [c["name"] for c in want["cards"]]:
        fail("page %s cards %s" % (want["key"],
                                   [c["name"] for c in pv["cards"]]))
    for got, exp in zip(pv["cards"], want["cards"]):
        for k in ("head", "match", "buckets"):
            if got[k] != exp[k]:
                fail("page %s card %s %s: %r, expected %r"
                     % (want["key"], exp["name"], k, got[k], exp[k]))


def check_page(want_rates=True):
    """Every view of the page against the socket's line of the reading it
    shows; returns the snapshot and the first view (the counted
    interface's ingress)."""
    for _ in range(40):
        st = page_state()
        if st["status"] != "live" or not st["views"]:
            fail("page: status %s, %d views" % (st["status"],
                                                len(st["views"])))
        pv = st["views"][0]
        line = sock.get(pv["time_ms"])
        prev = sock.before(pv["time_ms"])
        # One frame draws every view of a reading: all show its time.
        same = all(v["time_ms"] == pv["time_ms"] for v in st["views"])
        if same and line is not None and (prev is not None or
                                          not want_rates):
            break
        time.sleep(0.05)
    else:
        fail("the page shows time %d, which the socket did not send"
             % pv["time_ms"])
    snap = json.loads(line)
    prev = json.loads(prev) if want_rates else None
    if len(st["views"]) != len(snap["interfaces"]):
        fail("page: %d views, the snapshot %d entries"
             % (len(st["views"]), len(snap["interfaces"])))
    for got, e in zip(st["views"], snap["interfaces"]):
        check_view(got, expected_view(snap, e, prev), snap["time_ms"])
    if any(o != "http://%s" % A.http for o in st["origins"]):
        fail("the page loaded from elsewhere: %s" % set(st["origins"]))
    return snap, pv


def near(colours, rgb, within=40):
    """How many of the drawn colours are within reach of rgb (lines and
    bars are anti-aliased, so their exact colour may be rare)."""
    n = 0
    for c in colours:
        c = [int(x) for x in c.split(",")]
        if sum(abs(a - b) for a, b in zip(c, rgb)) <= within:
            n += 1
    return n


def check_charts(pv, names_with_traffic):
    """Two charts a filter, both drawn; where the filter counted frames
    the rate chart has a line in a series' colour (the two series share
    their shape when the traffic is one burst, one then hides the other)
    and the size chart its bars."""
    for c in pv["cards"]:
        if len(c["canvases"]) != 2:
            fail("card %s: %d canvases" % (c["name"], len(c["canvases"])))
        for cv in c["canvases"]:
            if cv["px"] == 0:
                fail("card %s: a chart is blank" % c["name"])
        if c["name"] in names_with_traffic:
            rates, sizes = c["canvases"]
            if not (near(rates["colours"], (31, 119, 180)) or
                    near(rates["colours"], (255, 127, 14))):
                fail("card %s: no rate line" % c["name"])
            if not near(sizes["colours"], (44, 160, 44), 120):
                fail("card %s: no bars" % c["name"])


def console_errors(allow=None):
    bad = []
    for e in driver.get_log("browser"):
        if e["level"] in ("SEVERE", "WARNING") and not (
                allow and allow in e["message"]):
            bad.append(e["message"])
    return bad


def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    o = Options()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
              "--window-size=1400,1800",
              "--user-data-dir=" + os.path.join(A.work, "chromium")):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                            options=o)


# --- stuck streams ----------------------------------------------------------

def stuck_streams(n):
    """n streams that send a request and never read."""
    conns = []
    for _ in range(n):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        s.connect((HOST, PORT))
        s.sendall(b"GET /api/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        conns.append(s)
    return conns


def too_slow_count():
    return sum(1 for line in open(LOG) if "http: stream client" in line
               and "too slow" in line)


def stream_status():
    """Opens a stream; its status and the connection (left open)."""
    c = http.client.HTTPConnection(HOST, PORT, timeout=5)
    c.request("GET", "/api/v1/stream")
    r = c.getresponse()
    return r.status, r, c


def check_limit_and_stuck():
    # Readers that leave mid-stream cost nothing: their slots are free
    # again at the next event, as the exact limit below shows.
    for _ in range(50):
        s = socket.create_connection((HOST, PORT))
        s.sendall(b"GET /api/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        s.recv(100)
        s.close()
    time.sleep(0.3)
    n = 240 - 2  # the page holds one, the probe below the last
    conns = stuck_streams(n)
    time.sleep(0.2)
    status, last_r, last = stream_status()
    if status != 200:
        fail("stream %d of 240 refused (%d): slots leaked" % (n + 2, status))
    status, r, c = stream_status()
    if status != 503 or json.loads(r.read()) != {"error":
                                                 "too many streams"}:
        fail("stream 241: %d, expected 503 too many streams" % status)
    r.close()
    c.close()
    status, h, body = http_get("/")
    if status != 200:
        fail("the page does not load with every stream slot taken")
    wait_for("the refusal logged", lambda: any(
        "http: refused 1 stream(s): limit of 240 reached" in line
        for line in open(LOG)))
    # The response holds the socket too: both, or it stays open unread.
    last_r.close()
    last.close()
    step("limit: 240 streams served (50 that left mid-stream freed "
         "theirs), the 241st 503 and logged, the page still loads")

    step("%d stuck streams at a 20 ms interval" % n)
    reload("conf1fast")
    wait_for("the 20 ms interval", lambda: sock.last()["interval_ms"] == 20)
    with sock.lock:
        mark = len(sock.arrivals)
    page_t0 = page_state()["views"][0]["time_ms"]
    t0 = time.monotonic()
    wait_for("%d stuck streams dropped" % n, lambda: too_slow_count() >= n,
             timeout=20, every=0.2)
    took = time.monotonic() - t0
    time.sleep(0.5)
    with sock.lock:
        arr = sock.arrivals[mark:]
    span = arr[-1][0] - arr[0][0]
    gaps = [b[0] - a[0] for a, b in zip(arr, arr[1:])]
    worst = max(gaps)
    if worst > 1.0 or len(arr) < 0.7 * span * 1000 / 20:
        fail("the socket's reader got %d lines in %.1f s, longest gap "
             "%.0f ms" % (len(arr), span, worst * 1000))
    if too_slow_count() != n:
        fail("%d streams dropped as too slow, expected the %d stuck ones"
             % (too_slow_count(), n))
    st = page_state()
    if st["status"] != "live" or st["views"][0]["time_ms"] <= page_t0:
        fail("the page stopped updating while streams were stuck")
    # Every stuck one was closed: draining it ends.
    for s in conns:
        s.settimeout(5)
        try:
            while s.recv(1 << 20):
                pass
        except ConnectionResetError:
            pass
        except socket.timeout:
            fail("a stuck stream is still open")
        s.close()
    step("stuck streams: all %d dropped and logged within %.1f s; the "
         "socket: %d lines in %.1f s, longest gap %.0f ms; the page went on"
         % (n, took, len(arr), span, worst * 1000))
    reload("conf1")
    wait_for("the 100 ms interval", lambda: sock.last()["interval_ms"] == 100)


# --- the run ----------------------------------------------------------------

sock = SocketReader()
try:
    start_daemon()
    sock.start()
    wait_for("the socket's first lines", lambda: len(sock.order) >= 2)
    step("ifstatd serving http://%s/" % A.http)
    check_api()
    check_stream()

    driver = start_browser()
    driver.get("http://%s/" % A.http)
    wait_for("the page live",
             lambda: page_state()["status"] == "live" and
             page_state()["views"], timeout=15)
    step("page loaded in chromium")
    time.sleep(0.5)
    snap, pv = check_page()
    f1 = [f["name"] for f in first(snap)["filters"]]
    views = [(e["interface"], e["direction"], e["present"])
             for e in snap["interfaces"]]
    if len(views) < 3 or views[0][2] is not True or views[-1][2] is not False:
        fail("the test's entries: %s (the counted interface both ways and "
             "a missing one)" % views)
    step("page before traffic: %d views %s, %d filters, every value as the "
         "socket's (time %d)" % (len(views), views, len(f1), pv["time_ms"]))

    want1 = total_of("exp1")
    replay(want1)
    time.sleep(0.3)
    snap, pv = check_page()
    check_charts(pv, [f["name"] for f in first(snap)["filters"]
                      if f["packets"]])
    step("traffic: the generator's %d frames; page values, rates, shares "
         "exact; charts drawn" % want1)
    # Keeps updating: three more readings, each shown.
    seen = {pv["time_ms"]}

    def more():
        seen.add(page_state()["views"][0]["time_ms"])
        return len(seen) >= 4
    wait_for("three more readings on the page", more, timeout=5)
    bad = console_errors()
    if bad:
        fail("console errors: %s" % bad)
    step("the page keeps updating; no console error or warning")

    check_limit_and_stuck()
    check_page()

    step("reload: filters redefined (web), removed (all), added (icmp)")
    reload("conf2")
    f2 = [line.split("=", 1)[0] for line in
          open(os.path.join(A.work, "f2"))]
    wait_for("the page with the new filter set", lambda: [
        r["name"] for r in page_state()["views"][0]["rows"]] == f2)
    snap, pv = check_page()
    web = next(f for f in first(snap)["filters"] if f["name"] == "web")
    if web["match"] != "tcp dst port 443":
        fail("web is %r after the reload" % web["match"])
    want2 = total_of("exp2")
    replay(want2)
    time.sleep(0.3)
    snap, pv = check_page()
    check_charts(pv, [f["name"] for f in first(snap)["filters"]
                      if f["packets"]])
    bad = console_errors()
    if bad:
        fail("console errors: %s" % bad)
    step("after the reload: the page follows, counts as the generator's")

    step("restart (counters kept)")
    stop_daemon()
    wait_for("the page notices", lambda: page_state()["status"] ==
             "reconnecting", timeout=5)
    start_daemon()
    wait_for("the page live again", lambda: page_state()["status"] ==
             "live", timeout=10)
    time.sleep(0.5)
    snap, pv = check_page()
    if first(snap)["totals"]["packets"] != want2:
        fail("after the restart: %d frames, expected %d kept"
             % (first(snap)["totals"]["packets"], want2))
    want3 = total_of("exp3")
    replay(want3)
    time.sleep(0.3)
    snap, pv = check_page()
    check_charts(pv, [f["name"] for f in first(snap)["filters"]
                      if f["packets"]])
    # While the daemon was down the stream's reconnection attempts fail
    # in the console; nothing else may.
    bad = console_errors(allow="/api/v1/stream")
    if bad:
        fail("console errors: %s" % bad)
    driver.save_screenshot(A.screenshot)
    step("the page reconnected by itself and goes on; screenshot %s"
         % A.screenshot)

    # A restart without the counters: a new epoch, everything from zero.
    epoch = snap["epoch"]
    reload("conf2nokeep")
    stop_daemon()
    start_daemon()
    wait_for("the page on the new epoch", lambda: page_state()["status"] ==
             "live" and sock.last()["epoch"] != epoch and
             page_state()["views"][0]["time_ms"] > sock.last()["epoch"],
             timeout=10)
    time.sleep(0.5)
    snap, pv = check_page()
    if first(snap)["totals"]["packets"] != 0 or snap["epoch"] == epoch:
        fail("a start without pinned counters: %d frames, epoch %d"
             % (first(snap)["totals"]["packets"], snap["epoch"]))
    note = driver.execute_script(
        "return document.querySelector('div.view p.reset').textContent")
    if not note.startswith("counters were reset before "):
        fail("no reset note: %r" % note)
    step("a restart without the counters: the page says so and shows the "
         "new epoch's zeros")

    # A reload that moves the server, then one that turns it off.
    reload("conf2moved")

    def serving(port):
        try:
            c = http.client.HTTPConnection(HOST, port, timeout=2)
            c.request("GET", "/api/v1/snapshot")
            ok = c.getresponse().status == 200
            c.close()
            return ok
        except OSError:
            return False
    wait_for("the server on :8081", lambda: serving(8081))
    if serving(PORT):
        fail("still serving on :%d after the move" % PORT)
    reload("conf2off")
    wait_for("the server off", lambda: not serving(8081))
    if daemon.poll() is not None:
        fail("ifstatd exited")
    step("reloads moved the server to :8081 and turned it off")
    stop_daemon()
finally:
    if driver:
        driver.quit()
    if daemon:
        daemon.kill()
        daemon.wait()
print("PASS: page, API and stream in %.1f s" % (time.monotonic() - T0))
