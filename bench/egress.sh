#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Egress and tc (issue 12): what counting costs at either end of a veth
# pair. trafgen sends the mix of bench/load_lib.sh through the qdisc
# layer (-q, so that tc and nftables egress see every frame) from one
# namespace to the other, while in turn:
#   none            nothing counts
#   ifstat-tcout-64 ifstat at the sender's tc egress, 64 filters
#   nft-egress-64   64 nftables counting rules on the sender's egress hook
#   xdp-empty       an empty XDP program on the receiver (native)
#   ifstat-64       ifstat at the receiver's native XDP, 64 filters
#   ifstat-tcin-64  ifstat at the receiver's tc ingress, 64 filters
# The sender's CPU is trafgen's (the send path runs in its context up to
# veth's hand-over to the receiver's NAPI thread), the receiver's the
# NAPI thread's run time (threaded NAPI on the other CPU). Modes alternate
# inside every round; medians over rounds, each against none of the same
# run. After every run the counts are checked exactly (ifstat's totals,
# filters and buckets, nft's counters), else the script fails.
# Then the data path alone, per frame: bench_datapath through
# BPF_PROG_TEST_RUN for the XDP program and both tc programs.
#
# Usage: egress.sh [-b BUILD] [-n PACKETS] [-r ROUNDS] [--quick]
# Exit: 0 done, 1 failure (wrong counts included), 77 cannot run here.

set -u
cd "$(dirname "$0")/.."
. bench/load_lib.sh

BUILD=build
PACKETS=2000000
ROUNDS=7
TOPO=split
MODES="none ifstat-tcout-64 nft-egress-64 xdp-empty ifstat-64 ifstat-tcin-64"
QUICK=0
PERF_DIR=
TEST_RUN_ARGS="--repeat 300000 --rounds 5 --rand-frames 16"
while [ $# -gt 0 ]; do
	case $1 in
	-b) BUILD=$2; shift ;;
	-n) PACKETS=$2; shift ;;
	-r) ROUNDS=$2; shift ;;
	--quick)
		QUICK=1
		PACKETS=40000
		ROUNDS=1
		TEST_RUN_ARGS=--quick
		;;
	*)
		echo "usage: $0 [-b BUILD] [-n PACKETS] [-r ROUNDS] [--quick]" >&2
		exit 2
		;;
	esac
	shift
done
CHECK=$BUILD/tests/e2e/attach_check
XDP_PASS=$BUILD/bench/xdp_pass
DATAPATH=$BUILD/bench/bench_datapath
TRAFGEN_QDISC=-q
[ $((PACKETS % CYCLE)) -eq 0 ] || die "-n must be a multiple of $CYCLE"
[ -x "$DATAPATH" ] || die "build $DATAPATH first (cmake --build $BUILD)"

prepare
run_rounds

# ---- report -------------------------------------------------------------------
where() {
	case $1 in
	none) echo "-" ;;
	ifstat-tcout-* | nft-egress-*) echo "sender, egress" ;;
	*) echo "receiver, ingress" ;;
	esac
}

echo "- $start, kernel $(uname -r) $(uname -m), $NCPU CPUs, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $PACKETS frames per run (the $CYCLE-frame mix of bench/load_lib.sh repeated), $ROUNDS rounds, modes alternating inside each round; medians over rounds"
echo "- sender: \`trafgen -i mix.cfg -o $IF_S -n $PACKETS -P 1 -t 0 --no-sock-mem -Q -q\` under \`taskset -c $SEND_CPU\` (-q: through the qdisc layer, where tc and nftables egress run); sender CPU = trafgen's user + system time"
echo "- receiver: the NAPI thread of $IF_R (threaded NAPI, GRO on) on CPU $RECV_CPU; receiver CPU = its run time"
echo
echo "| mode | counts at | sender CPU ns/frame | x none | receiver CPU ns/frame | x none | received pps | x none | counted / seen |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
base_snd=$(col none '$6 * 1000 / $3')
base_rcv=$(col none '$5 / $3')
base_pps=$(col none '$3 * 1000000 / $4')
for m in "${mode_list[@]}"; do
	snd=$(col "$m" '$6 * 1000 / $3')
	rcv=$(col "$m" '$5 / $3')
	pps=$(col "$m" '$3 * 1000000 / $4')
	cs=$(awk -v m="$m" '$1 == m { c += $10; s += $11 } END { printf "%d / %d", c, s }' "$WORK/runs")
	awk -v m="$m" -v w="$(where "$m")" -v snd="$snd" -v rcv="$rcv" \
		-v pps="$pps" -v bs="$base_snd" -v br="$base_rcv" \
		-v bp="$base_pps" -v cs="$cs" 'BEGIN {
		printf "| %s | %s | %.0f | %.3f | %.0f | %.3f | %.0f | %.3f | %s |\n",
			m, w, snd, snd / bs, rcv, rcv / br, pps, pps / bp, cs }'
done
echo
echo "Per run (mode round frames send_loop_us receive_cpu_ns sender_cpu_us recv_cpu_busy_ticks recv_cpu_steal_ticks send_cpu_busy_ticks counted seen):"
echo
echo '```'
cat "$WORK/runs"
echo '```'

# The data path alone: the 64-filter cells of bench_datapath's first
# table for each program, each against its own empty program.
for p in xdp tc_in tc_out; do
	taskset -c "$RECV_CPU" "$DATAPATH" --prog "$p" --cpu "$RECV_CPU" \
		$TEST_RUN_ARGS >"$WORK/datapath.$p" ||
		die "bench_datapath --prog $p failed"
done
echo
echo "Per frame through BPF_PROG_TEST_RUN (\`bench_datapath --prog P --cpu $RECV_CPU $TEST_RUN_ARGS\`; ns per frame, thread CPU time, median over rounds; x: against the empty program of the same type in the same run):"
echo
echo "| frame | xdp empty | xdp 64 filters (x) | tc_in empty | tc_in 64 filters (x) | tc_out empty | tc_out 64 filters (x) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
# Rows of "ns per frame and ratio to the empty program": frame, empty,
# 0, 1, 5, 64 filters, ...
for p in xdp tc_in tc_out; do
	awk -F' *[|] *' '/^### ns per frame/ { t = 1; next }
		/^###/ { t = 0 }
		t && $2 != "" && $2 != "Frame" && $2 !~ /^-/ { print $2 "|" $3 "|" $7 }' \
		"$WORK/datapath.$p" >"$WORK/cells.$p"
done
paste -d'|' "$WORK/cells.xdp" "$WORK/cells.tc_in" "$WORK/cells.tc_out" |
	awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n",
		$1, $2, $3, $5, $6, $8, $9 }'
grep -h '^- ifstat_.* as loaded' "$WORK"/datapath.*
[ $QUICK = 1 ] && echo "PASS: every run counted exactly what was sent"
exit 0
