#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# End-to-end load: trafgen sends a fixed mix of frames (every size bucket,
# IPv4/IPv6, TCP/UDP) over a veth pair between two network namespaces,
# while the receiving device has, in turn: nothing, an empty XDP program,
# ifstat with 1, 5 and 64 filters, and nftables counting rules equivalent
# to the 5 and 64 filters. Runs alternate mode by mode inside every round;
# the medians over rounds are printed as Markdown. After every run the
# counts are checked: the receiving device got every frame sent, and
# ifstat's totals, filters and buckets (and nft's counters) are exactly
# what was sent, else the script fails.
#
# Usage: load.sh [-b BUILD] [-n PACKETS] [-r ROUNDS] [-t split|shared]
#                [-m "MODE..."] [-p PERF_DIR] [--quick]
#   -t split:  sender on CPU 0, the receiving device's NAPI thread on CPU 1
#              (default with 2 CPUs or more);
#   -t shared: both on CPU 0, the receive path runs in softirq right after
#              each transmit (the only choice with 1 CPU).
#   -p: first an untimed round under `perf record -g` of the receiving CPU,
#       one profile per mode in PERF_DIR, and a table of where the receive
#       time goes (the XDP program, nftables, veth's copy for XDP).
# Exit: 0 done, 1 failure (wrong counts included), 77 cannot run here.

set -u
cd "$(dirname "$0")/.."
. bench/load_lib.sh

BUILD=build
PACKETS=2000000
ROUNDS=7
TOPO=
MODES=$MODES_ALL
QUICK=0
PERF_DIR=
while [ $# -gt 0 ]; do
	case $1 in
	-b) BUILD=$2; shift ;;
	-n) PACKETS=$2; shift ;;
	-r) ROUNDS=$2; shift ;;
	-t) TOPO=$2; shift ;;
	-m) MODES=$2; shift ;;
	-p) PERF_DIR=$2; shift ;;
	--quick)
		QUICK=1
		PACKETS=40000
		ROUNDS=1
		MODES="xdp-empty ifstat-1 ifstat-5 ifstat-64 nft-netdev-5 nft-inet-5"
		;;
	*)
		echo "usage: $0 [-b BUILD] [-n PACKETS] [-r ROUNDS] [-t split|shared] [-m MODES] [-p PERF_DIR] [--quick]" >&2
		exit 2
		;;
	esac
	shift
done
CHECK=$BUILD/tests/e2e/attach_check
XDP_PASS=$BUILD/bench/xdp_pass
[ $((PACKETS % CYCLE)) -eq 0 ] || die "-n must be a multiple of $CYCLE"

prepare
run_rounds

# ---- report -------------------------------------------------------------------
echo "- $start, kernel $(uname -r) $(uname -m), $NCPU CPUs, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $PACKETS frames per run (the $CYCLE-frame mix repeated), $ROUNDS rounds, modes alternating inside each round; medians over rounds"
if [ $TOPO = split ]; then
	echo "- topology split: trafgen on CPU $SEND_CPU, the NAPI thread of $IF_R (threaded NAPI) on CPU $RECV_CPU; receive CPU = the NAPI thread's run time"
else
	echo "- topology shared: trafgen and the receive path (softirq after each transmit) on CPU $SEND_CPU; receive CPU = softirq time of CPU $SEND_CPU"
fi
echo "- sender: \`trafgen -i mix.cfg -o $IF_S -n $PACKETS -P 1 -t 0 --no-sock-mem -Q\` under \`taskset -c $SEND_CPU\`"
echo
echo "| mode | received pps | x empty | receive CPU ns/frame | x empty | receive capacity (1/CPU) | x empty | sender CPU ns/frame | sender busy | receive CPU busy | counted / seen |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
base_pps=$(col xdp-empty '$3 * 1000000 / $4')
base_ns=$(col xdp-empty '$5 / $3')
for m in "${mode_list[@]}"; do
	pps=$(col "$m" '$3 * 1000000 / $4')
	ns=$(col "$m" '$5 / $3')
	snd=$(col "$m" '$6 * 1000 / $3')
	sbusy=$(col "$m" '$6 / $4 * 100')
	busy=$(col "$m" "\$7 * 1000000 / $HZ / \$4 * 100")
	cs=$(awk -v m="$m" '$1 == m { c += $10; s += $11 } END { printf "%d / %d", c, s }' "$WORK/runs")
	ratio=$(awk -v m="$m" '$1 == m && $10 != $11 { bad = 1 } END { print bad ? "NOT 1" : "1" }' "$WORK/runs")
	awk -v m="$m" -v pps="$pps" -v ns="$ns" -v bp="${base_pps:-0}" -v bn="${base_ns:-0}" \
		-v snd="$snd" -v sbusy="$sbusy" -v busy="$busy" -v cs="$cs" -v ratio="$ratio" 'BEGIN {
		rp = bp ? sprintf("%.3f", pps / bp) : "-"
		rn = bn ? sprintf("%.3f", ns / bn) : "-"
		rc = bn ? sprintf("%.3f", bn / ns) : "-"
		printf "| %s | %.0f | %s | %.0f | %s | %.2f Mpps | %s | %.0f | %.0f %% | %.0f %% | %s (%s) |\n",
			m, pps, rp, ns, rn, 1000 / ns, rc, snd, sbusy, busy, ratio, cs }'
done
if [ -n "$PERF_DIR" ]; then
	echo
	echo "Where the receive time goes (the untimed round under \`perf record -g -C $RECV_CPU -F 2999\`; share of the receiving side's samples, and that share of the run's receive CPU per frame):"
	echo
	echo "| mode | receive CPU ns/frame (under perf) | XDP program | nftables (nft_*, nf_*) | veth's copy for XDP (skb_pp_cow_data) |"
	echo "|---|---:|---:|---:|---:|"
	cat "$WORK/breakdown"
fi
echo
echo "Per run (mode round frames send_loop_us receive_cpu_ns sender_cpu_us recv_cpu_busy_ticks recv_cpu_steal_ticks send_cpu_busy_ticks counted seen):"
echo
echo '```'
cat "$WORK/runs"
echo '```'
[ $QUICK = 1 ] && echo "PASS: every run counted exactly what was sent"
exit 0
