#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The /metrics server under bad and many clients, and across reloads:
# wrong methods, unknown paths, oversized headers and URIs, keep-alive;
# 200 concurrent scrapes; 250 stuck scrapers while /metrics answers and
# the local socket keeps its interval; more connections than the limit;
# a port already taken at start; reloads that keep, move (also to the
# same port on another address, and to IPv6) and turn off the server;
# the reload result in the metrics.
#
# Usage: prom_http.sh IFSTATD
# Exit: 0 pass, 1 fail, 77 skipped (not root, tools missing).

set -u
IFSTATD=$1
HERE=$(dirname "$0")
. "$HERE/netns.sh"
# This test's own names (netns.sh's defaults are shared by other tests).
NS_SEND="ifsp-s-$$"
NS_RECV="ifsp-r-$$"
PIN_ROOT="/sys/fs/bpf/ifsp-$$"

require_root_tools python3 curl ss
netns_setup 1500
ip -n "$NS_RECV" link set lo up
# IPv6 on the loopback only, for [::1]; the veth stays IPv4-only.
ns_sysctl "$NS_RECV" net.ipv6.conf.lo.disable_ipv6=0
SOCK="$WORK/ifstatd.sock"
CONF="$WORK/ifstat.conf"
LOG="$WORK/ifstatd.log"
PORT=9877
PID=
HOLD=
CLEANUP_EXTRA='[ -n "$PID" ] && kill -9 $PID 2>/dev/null
	[ -n "$HOLD" ] && kill $HOLD 2>/dev/null
	wait 2>/dev/null'
PC=(python3 "$HERE/promcheck.py")

# The largest text: 64 filters, 15 size edges (about 90 KB).
conf() { # PROMETHEUS [PROTOCOL]: writes the configuration
	local i
	{
		cat <<EOF
[ifstat]
interface = $IF_RECV
socket = $SOCK
interval = 100ms
size_buckets = 64 128 192 256 320 384 448 512 640 768 896 1024 1280 1500 9000
prometheus = $1

[filter all]

[filter ${2:-tcp}]
protocol = ${2:-tcp}
EOF
		for i in $(seq 1000 1061); do
			printf '\n[filter port%s]\nprotocol = tcp\nport = %s\n' $i $i
		done
	} >"$CONF"
}

scrape() { # URL: the body, or a failure
	in_recv curl -gsS --fail --max-time 5 "$1"
}

reload() { # SIGHUP, then waits for the reload's outcome in the log
	local n i re='reload: \|reload refused'
	n=$(grep -c "$re" "$LOG")
	kill -HUP $PID
	for i in $(seq 50); do
		[ "$(grep -c "$re" "$LOG")" -gt "$n" ] && return 0
		sleep 0.1
	done
	cat "$LOG"
	fail "no reload in the log 5 s after SIGHUP"
}

conf "127.0.0.1:$PORT"
start_ifstatd "$CONF" "$LOG" scrape "http://127.0.0.1:$PORT/metrics"
scrape "http://127.0.0.1:$PORT/metrics" >/dev/null ||
	fail "no /metrics within 10 s"

# A port already taken at start: exit 1 with the reason, before anything
# is attached (the running daemon holds the interface: untouched).
sed -e "s|^socket = .*|socket = $WORK/other.sock|" "$CONF" >"$WORK/taken.conf"
expect_refused "port taken at start" \
	"prometheus: cannot listen on 127.0.0.1:$PORT: Address already in use" \
	"$WORK/taken.conf" --pin-root "$PIN_ROOT-2"

in_recv "${PC[@]}" http 127.0.0.1 $PORT >"$WORK/http" || {
	cat "$WORK/http"
	fail "HTTP behaviour"
}
echo "HTTP: $(grep -c '^ok:' "$WORK/http") answers as expected"

in_recv "${PC[@]}" concurrent 127.0.0.1 $PORT 200 || fail "concurrent scrapes"

# Stuck scrapers cost the loop nothing: scrapes stay fast, the socket
# publisher keeps its 100 ms.
in_recv "${PC[@]}" stuck 127.0.0.1 $PORT 200 "$SOCK" 4 100 ||
	fail "stuck scrapers delayed something"

# More connections than the limit: ifstatd accepts 256, the rest wait in
# the backlog; once the idle ones time out (10 s) a scrape gets through.
accepted() {
	in_recv ss -Htnp state established "( sport = :$PORT )" |
		grep -c "pid=$PID,"
}
in_recv "${PC[@]}" hold 127.0.0.1 $PORT 300 30 >"$WORK/hold" &
HOLD=$!
for i in $(seq 50); do
	[ "$(accepted)" -ge 256 ] && break
	sleep 0.1
done
sleep 0.5
n=$(accepted)
[ "$n" = 256 ] || fail "$n connections accepted, expected the limit 256"
t0=$(date +%s%N)
scrape "http://127.0.0.1:$PORT/metrics" >/dev/null 2>&1 ||
	in_recv curl -sS --max-time 20 -o /dev/null \
		"http://127.0.0.1:$PORT/metrics" ||
	fail "no scrape beyond the connection limit within 25 s"
ms=$((($(date +%s%N) - t0) / 1000000))
echo "300 half requests: 256 accepted, a scrape beyond them answered after $ms ms"
kill $HOLD
wait $HOLD 2>/dev/null
HOLD=

# Reload with the same address: the server stays (no second "serving").
conf "127.0.0.1:$PORT" udp
reload
[ "$(grep -c "prometheus: serving" "$LOG")" = 1 ] ||
	fail "the server restarted although its address did not change"
scrape "http://127.0.0.1:$PORT/metrics" >"$WORK/m" || fail "/metrics after a reload"
grep -q 'filter="udp"' "$WORK/m" ||
	fail "/metrics does not show the reloaded filter"
grep -q '^ifstat_config_last_reload_successful 1$' "$WORK/m" ||
	fail "the applied reload is not reported"

# A refused reload: reported as 0, the server goes on.
echo "bogus = 1" >>"$CONF"
reload
scrape "http://127.0.0.1:$PORT/metrics" >"$WORK/m" ||
	fail "/metrics after a refused reload"
grep -q '^ifstat_config_last_reload_successful 0$' "$WORK/m" ||
	fail "the refused reload is not reported"
start=$(sed -n 's/^ifstat_start_time_seconds //p' "$WORK/m")
last=$(sed -n 's/^ifstat_config_last_reload_timestamp_seconds //p' "$WORK/m")
python3 -c "import sys; sys.exit(not $last > $start)" ||
	fail "reload time $last is not after the start $start"

# Another port: the old one closes, the new one serves.
conf "127.0.0.1:9878" udp
reload
scrape "http://127.0.0.1:9878/metrics" >/dev/null || fail "not moved to 9878"
scrape "http://127.0.0.1:$PORT/metrics" >/dev/null 2>&1 &&
	fail "the old port still answers"
# The same port on every address: taken by the old socket until it closes.
conf "0.0.0.0:9878" udp
reload
grep -q "prometheus: closing 127.0.0.1:9878 to take 0.0.0.0:9878" "$LOG" ||
	fail "no move from 127.0.0.1:9878 to 0.0.0.0:9878"
scrape "http://198.51.100.2:9878/metrics" >/dev/null ||
	fail "not serving on 0.0.0.0:9878"
# IPv6.
conf "[::1]:9879" udp
reload
scrape "http://[::1]:9879/metrics" >"$WORK/m" ||
	fail "not serving on [::1]:9879"
grep -q '^ifstat_packet_size_bytes_count' "$WORK/m" ||
	fail "[::1]:9879 does not serve the metrics"
scrape "http://198.51.100.2:9878/metrics" >/dev/null 2>&1 &&
	fail "0.0.0.0:9878 still answers"
# A port another process holds: refused, the server stays where it was.
nsenter --net="/run/netns/$NS_RECV" python3 -c "import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 9880)); s.listen(); time.sleep(60)" &
HOLD=$!
for i in $(seq 50); do
	in_recv ss -Htln | grep -q '127.0.0.1:9880 ' && break
	sleep 0.1
done
conf "127.0.0.1:9880" udp
reload
grep -q "prometheus: cannot listen on 127.0.0.1:9880: Address already in use" \
	"$LOG" || fail "no message for a taken port at reload"
scrape "http://[::1]:9879/metrics" >"$WORK/m" ||
	fail "[::1]:9879 not brought back after a failed move"
# The filters were replaced, the server was not: the reload failed.
grep -q '^ifstat_config_last_reload_successful 0$' "$WORK/m" ||
	fail "a reload that kept the old server is reported as successful"
grep -q "reload applied in part" "$LOG" ||
	fail "the partial reload was not logged as such"
kill $HOLD
wait $HOLD 2>/dev/null
HOLD=
# Off.
conf "" udp
reload
scrape "http://[::1]:9879/metrics" >/dev/null 2>&1 &&
	fail "still serving with prometheus empty"
in_recv ss -Htlnp | grep -q "pid=$PID," && {
	in_recv ss -Htlnp
	fail "ifstatd still listens on TCP"
}
echo "reloads: kept, moved to 9878, to 0.0.0.0:9878, to [::1]:9879," \
	"not to a taken port, off"

stop_ifstatd
grep -i "error\|cannot" "$LOG" | grep -v "bogus\|127.0.0.1:9880" &&
	fail "errors in the log"
echo "PASS: HTTP answers, 200 concurrent, 250 stuck, the connection limit," \
	"a taken port, reloads"
exit 0
