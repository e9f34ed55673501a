#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# End to end through Prometheus itself: ifstatd with `prometheus =` on one
# end of a veth pair, a real Prometheus server (Debian's) scraping it
# every second on the namespace's loopback, tcpreplay of the generated
# pcap from the other end. /metrics must pass `promtool check metrics`
# and hold every expected counter; Prometheus' HTTP API must return the
# exact packet count of every filter, and the README's PromQL examples
# must evaluate.
#
# Usage: prom.sh PCAPGEN IFSTATD
# Exit: 0 pass, 1 fail, 77 skipped (not root, tools missing).

set -u
PCAPGEN=$1
IFSTATD=$2
HERE=$(dirname "$0")
. "$HERE/netns.sh"
# This test's own names (netns.sh's defaults are shared by other tests).
NS_SEND="ifsp-s-$$"
NS_RECV="ifsp-r-$$"
PIN_ROOT="/sys/fs/bpf/ifsp-$$"

require_root_tools tcpreplay python3 curl promtool prometheus
netns_setup 9000
ip -n "$NS_RECV" link set lo up
SOCK="$WORK/ifstatd.sock"
CONF="$WORK/ifstat.conf"
LOG="$WORK/ifstatd.log"
EXPORTER=127.0.0.1:9877
PROM=http://127.0.0.1:9090
PID=
PROM_PID=
CLEANUP_EXTRA='[ -n "$PID" ] && kill -9 $PID 2>/dev/null
	[ -n "$PROM_PID" ] && kill -9 $PROM_PID 2>/dev/null
	wait 2>/dev/null'

"$PCAPGEN" "$WORK/traffic.pcap" "$WORK/exp" "$WORK/filters" \
	>/dev/null || fail "pcapgen failed"
want=$(value totals.packets "$WORK/exp")
python3 "$HERE/snapshot.py" conf "$IF_RECV" "$SOCK" 100ms "$WORK/filters" \
	"prometheus=$EXPORTER" >"$CONF" || fail "cannot write the configuration"

metrics() { # the exporter's answer in $WORK/metrics
	in_recv curl -sS --max-time 5 -o "$WORK/metrics" \
		"http://$EXPORTER/metrics"
}

promql() { # EXPR: its one value through Prometheus' HTTP API
	in_recv python3 "$HERE/promcheck.py" query "$PROM" "$1"
}

# nsenter, not the in_recv function: $! must be the process itself.
start_ifstatd "$CONF" "$LOG" metrics
metrics || {
	cat "$LOG"
	fail "no /metrics on $EXPORTER within 10 s"
}
grep -q "prometheus: serving http://$EXPORTER/metrics" "$LOG" ||
	fail "ifstatd did not say where it serves /metrics"

# The real linter on the real output (exit 3 means lint problems).
promtool check metrics <"$WORK/metrics" >"$WORK/promtool" 2>&1 || {
	cat "$WORK/promtool"
	fail "promtool check metrics refused /metrics"
}
echo "promtool check metrics: ok ($(wc -l <"$WORK/metrics") lines)"
grep -q '^ifstat_frames_total{interface="vrecv",direction="ingress",kind="all"} 0$' \
	"$WORK/metrics" || fail "frames counted before the replay"

# A Prometheus server of its own: temp dir, own port, killed at the end.
mkdir -p "$WORK/tsdb"
cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: ifstat
    static_configs:
      - targets: ['$EXPORTER']
EOF
promtool check config "$WORK/prometheus.yml" >/dev/null ||
	fail "promtool refused the scrape configuration"
nsenter --net="/run/netns/$NS_RECV" prometheus \
	--config.file="$WORK/prometheus.yml" \
	--storage.tsdb.path="$WORK/tsdb" \
	--web.listen-address=127.0.0.1:9090 --log.level=warn \
	>"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
up=
for i in $(seq 150); do
	up=$(promql 'up{job="ifstat"}' 2>/dev/null)
	[ "$up" = 1 ] && break
	kill -0 $PROM_PID 2>/dev/null || {
		cat "$WORK/prometheus.log"
		fail "prometheus exited"
	}
	sleep 0.2
done
[ "$up" = 1 ] || {
	cat "$WORK/prometheus.log"
	fail "Prometheus does not see the target up (up=$up)"
}
echo "Prometheus scrapes $EXPORTER: up=1"

replay "$WORK/traffic.pcap" "$want"

# /metrics itself: every counter of the expectations, exactly.
for i in $(seq 100); do
	metrics || fail "scrape failed"
	grep -q "^ifstat_frames_total{interface=\"vrecv\",direction=\"ingress\",kind=\"all\"} $want\$" \
		"$WORK/metrics" && break
	sleep 0.1
done
sleep 0.3 # a late stray frame would show as a difference
metrics || fail "scrape failed"
python3 "$HERE/promcheck.py" check "$WORK/exp" "$WORK/metrics" ||
	fail "/metrics differs from the expectations"
promtool check metrics <"$WORK/metrics" >"$WORK/promtool" 2>&1 || {
	cat "$WORK/promtool"
	fail "promtool check metrics refused /metrics after the replay"
}

# Prometheus' view: the exact count of every filter.
while IFS='=' read -r name _; do
	exp=$(value "filter.$name.packets" "$WORK/exp")
	got=
	for i in $(seq 100); do
		got=$(promql "ifstat_packet_size_bytes_count{filter=\"$name\"}")
		[ "$got" = "$exp" ] && break
		sleep 0.1
	done
	[ "$got" = "$exp" ] ||
		fail "Prometheus has $got packets for filter $name, expected $exp"
	echo "Prometheus: ifstat_packet_size_bytes_count{filter=\"$name\"} = $got"
done <"$WORK/filters"
got=$(promql 'ifstat_frames_total{kind="all"}')
[ "$got" = "$want" ] || fail "Prometheus has $got frames, expected $want"

# The README's PromQL, against the same server. Rates need two samples
# in the window, which one-second scrapes give after two seconds.
small=$(($(value filter.all.bucket.0-64 "$WORK/exp") +
	$(value filter.all.bucket.65-127 "$WORK/exp")))
got=$(promql 'ifstat_packet_size_bytes_bucket{filter="all",le="127"}
	/ ignoring(le) ifstat_packet_size_bytes_count{filter="all"}')
exp=$(python3 -c "print(repr($small / $want))")
[ "$got" = "$exp" ] || fail "share of small frames: $got, expected $exp"
echo "share of frames <= 127 bytes (filter all): $got"
# The README's examples themselves, each counted: one series per filter.
python3 - "$HERE/../../README.md" >"$WORK/promql" <<'EOF' ||
import sys
text = open(sys.argv[1]).read()
block = text.split("\nPromQL (", 1)[1].split("\nA fleet:", 1)[0]
queries = []
for line in block.split("\n"):
    if line.startswith("    ") and not line.startswith("    #"):
        if line.startswith("     ") and queries:
            queries[-1] += " " + line.strip()
        elif line.strip():
            queries.append(line.strip())
print("\n".join(queries))
EOF
	fail "no PromQL examples in the README"
[ "$(wc -l <"$WORK/promql")" -ge 6 ] || fail "too few README PromQL examples"
sleep 2
nfilters=$(wc -l <"$WORK/filters")
while read -r q; do
	case "$q" in
	*malformed*) exp=1 ;;       # the pcap holds malformed frames
	*"== 0") exp=none ;;        # no reload was refused
	*) exp=$nfilters ;;
	esac
	got=$(promql "count($q)") || fail "PromQL failed: $q"
	[ "$got" = "$exp" ] || fail "PromQL 'count($q)' gave $got, expected $exp"
done <"$WORK/promql"
echo "README PromQL: $(wc -l <"$WORK/promql") examples evaluate as expected"

kill -TERM $PROM_PID
wait $PROM_PID 2>/dev/null
PROM_PID=
stop_ifstatd
in_recv curl -s --max-time 2 "http://$EXPORTER/metrics" >/dev/null &&
	fail "/metrics still answers after SIGTERM"
echo "PASS: promtool accepts /metrics, every counter exact in /metrics" \
	"and in Prometheus after $want frames"
exit 0
