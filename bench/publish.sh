#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Publishing cost: the CPU time ifstatd uses (utime + stime of
# /proc/PID/stat over a fixed wall time) with 64 filters at a 10 ms
# interval, in steps: no client; 64 socket clients; 64 clients and a
# Prometheus scrape every second; the same at 100 ms; and for reference the
# defaults (1 s, one client). Frames flow meanwhile (trafgen, about 1000 a second, the load
# test's mix), so counters and JSON lines are not all zeros. Every client's
# lines are counted: a client the daemon dropped would make the figure
# look cheaper than it is. Markdown on stdout.
#
# Usage: publish.sh [-b BUILD] [-d SECONDS] [-p PERF_DIR]
#   -p: also record a perf profile of ifstatd in the heaviest step
#       (PERF_DIR/publish.perf; perf adds a little to the figure)
# Exit: 0 done, 1 failure, 77 cannot run here.

set -u
cd "$(dirname "$0")/.."
. bench/load_lib.sh

BUILD=build
DUR=60
PERF_DIR=
while [ $# -gt 0 ]; do
	case $1 in
	-b) BUILD=$2; shift ;;
	-d) DUR=$2; shift ;;
	-p) PERF_DIR=$2; shift ;;
	*)
		echo "usage: $0 [-b BUILD] [-d SECONDS] [-p PERF_DIR]" >&2
		exit 2
		;;
	esac
	shift
done
IFSTATD=$BUILD/src/daemon/ifstatd
CLIENTS=64
PROM_ADDR=127.0.0.1:19177

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, XDP)"
for t in ip nsenter ethtool trafgen socat curl; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
done
[ -x "$IFSTATD" ] || die "build $IFSTATD first (cmake --build $BUILD)"

netns_setup
ip -n "$NS_R" link set lo up
HZ=$(getconf CLK_TCK)
SOCK=$WORK/ifstatd.sock

# Background traffic for the whole script.
nsenter --net="/run/netns/$NS_S" trafgen -i "$WORK/mix.cfg" -o "$IF_S" -P 1 \
	-t 1ms --no-sock-mem -Q >/dev/null 2>&1 &
BG_PIDS=$!

# cpu_of PID: utime + stime in ticks, and the run time in ns of every
# thread (schedstat), for a finer figure than the ticks.
cpu_of() {
	local t ns=0
	for t in /proc/"$1"/task/*; do
		ns=$((ns + $(cut -d' ' -f1 "$t/schedstat")))
	done
	echo "$(awk '{ print $14 + $15 }' "/proc/$1/stat") $ns"
}

# step NAME INTERVAL CLIENTS PROM: one measurement; prints a table row.
step() {
	local name=$1 interval=$2 nclients=$3 prom=$4 pid i t0 t1 ns0 ns1
	local w0 w1 cpids="" spid="" lines min max scrapes
	{
		echo "[ifstat]"
		echo "interface = $IF_R"
		echo "interval = $interval"
		echo "socket = $SOCK"
		[ "$prom" = yes ] && echo "prometheus = $PROM_ADDR"
	} >"$WORK/ifstat.conf"
	args=(-f -c "$WORK/ifstat.conf" --pin-root "$PIN_ROOT")
	while read -r f; do
		args+=(-F "$f")
	done < <(ifstat_filters 64)
	nsenter --net="/run/netns/$NS_R" "$IFSTATD" "${args[@]}" \
		>"$WORK/ifstatd.log" 2>&1 &
	pid=$!
	BG_PIDS="$pid $BG_PIDS"
	for ((i = 0; i < 100; i++)); do
		[ -S "$SOCK" ] && ip -n "$NS_R" link show dev "$IF_R" |
			grep -q 'prog/xdp' && break
		sleep 0.1
	done
	[ -S "$SOCK" ] || die "ifstatd did not start: $(cat "$WORK/ifstatd.log")"
	rm -f "$WORK"/client.*
	for ((i = 0; i < nclients; i++)); do
		timeout $((DUR + 4)) socat -u "UNIX-CONNECT:$SOCK" STDOUT |
			wc -l >"$WORK/client.$i" &
		cpids="$cpids $!"
	done
	if [ "$prom" = yes ]; then
		(
			n=0
			while :; do
				in_r curl -sf "http://$PROM_ADDR/metrics" |
					grep -q '^ifstat_' &&
					n=$((n + 1)) && echo $n >"$WORK/scrapes"
				sleep 1
			done
		) &
		spid=$!
		BG_PIDS="$spid $BG_PIDS"
	fi
	sleep 2 # connected, first lines sent: measure the steady state
	read -r t0 ns0 < <(cpu_of "$pid")
	w0=$(date +%s%N)
	if [ -n "$PERF_DIR" ] && [ "$prom" = yes ]; then
		perf record -q -g -p "$pid" -o "$PERF_DIR/publish.perf" -- sleep "$DUR" \
			>/dev/null 2>&1
	else
		sleep "$DUR"
	fi
	read -r t1 ns1 < <(cpu_of "$pid")
	w1=$(date +%s%N)
	[ -n "$spid" ] && kill "$spid" && wait "$spid" 2>/dev/null
	[ -n "$cpids" ] && wait $cpids
	kill -TERM "$pid"
	wait "$pid" || die "ifstatd ended with an error: $(tail -n 5 "$WORK/ifstatd.log")"
	BG_PIDS=${BG_PIDS#"$pid "}
	[ -n "$spid" ] && BG_PIDS=${BG_PIDS#"$spid "}
	lines="-"
	if [ "$nclients" -gt 0 ]; then
		min=$(sort -n "$WORK"/client.* | head -n 1)
		max=$(sort -n "$WORK"/client.* | tail -n 1)
		lines="$min-$max"
	fi
	scrapes="-"
	[ "$prom" = yes ] && scrapes=$(cat "$WORK/scrapes" 2>/dev/null || echo 0)
	grep -q 'disconnected' "$WORK/ifstatd.log" &&
		echo "note: ifstatd dropped clients in '$name':" \
			"$(grep -c disconnected "$WORK/ifstatd.log")" >&2
	awk -v name="$name" -v t=$((t1 - t0)) -v ns=$((ns1 - ns0)) \
		-v wall=$((w1 - w0)) -v hz="$HZ" -v lines="$lines" \
		-v scrapes="$scrapes" 'BEGIN {
		printf "| %s | %.3f %% | %.3f %% | %s | %s |\n", name,
			t / hz * 1e9 / wall * 100, ns / wall * 100, lines, scrapes }'
}

echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- ifstatd with 64 filters (the load test's set), \`ifstatd -f -c ifstat.conf --pin-root DIR -F ...\`; $DUR s measured per row after 2 s of warm-up; about 1000 frames/s of the load test's mix meanwhile"
echo "- clients: \`socat -u UNIX-CONNECT:SOCK STDOUT | wc -l\`; scrapes: \`curl -sf http://$PROM_ADDR/metrics\` every second"
echo
echo "| setting | CPU (utime+stime ticks) | CPU (schedstat ns) | lines per client | scrapes |"
echo "|---|---:|---:|---:|---:|"
step "64 filters, 10 ms, no client" 10ms 0 no
step "64 filters, 10 ms, $CLIENTS socket clients" 10ms "$CLIENTS" no
step "64 filters, 10 ms, $CLIENTS clients + Prometheus every 1 s" 10ms "$CLIENTS" yes
step "64 filters, 100 ms, $CLIENTS clients + Prometheus every 1 s" 100ms "$CLIENTS" yes
step "64 filters, 1 s (default), 1 client" 1s 1 no
exit 0
