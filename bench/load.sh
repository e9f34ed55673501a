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

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, XDP, nft)"
for t in ip nsenter taskset trafgen nft ethtool; do
	command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
done
[ -x "$CHECK" ] && [ -x "$XDP_PASS" ] ||
	die "build $CHECK and $XDP_PASS first (cmake --build $BUILD)"
NCPU=$(nproc)
[ -n "$TOPO" ] || { [ "$NCPU" -ge 2 ] && TOPO=split || TOPO=shared; }
case $TOPO in
split)
	[ "$NCPU" -ge 2 ] || skip "split needs 2 CPUs"
	SEND_CPU=0 RECV_CPU=1
	;;
shared) SEND_CPU=0 RECV_CPU=0 ;;
*) die "-t split or shared" ;;
esac

netns_setup
pgrep "^napi/${IF_R:0:10}" >"$WORK/napi.foreign"
if [ $TOPO = split ]; then
	r_sysfs_set threaded 1 || die "cannot enable threaded NAPI on $IF_R"
fi

# cpu_ticks CPU: busy and steal ticks (USER_HZ) of one CPU, and softirq.
cpu_ticks() {
	awk -v c="cpu$1" '$1 == c { print $2+$3+$4+$7+$8, $9, $8 }' /proc/stat
}

napi_ns() {
	local pid sum=0
	for pid in $(napi_pids); do
		sum=$((sum + $(cut -d' ' -f1 "/proc/$pid/schedstat")))
	done
	echo $sum
}

HZ=$(getconf CLK_TCK)

# run MODE ROUND: one timed run; appends a record to $WORK/runs.
run() {
	local mode=$1 round=$2 pid rx0 rx1 n0 n1 busy0 steal0 si0 busy1 steal1 si1
	local sb0 sb1 out wall send_us recv_ns seen
	mode_up "$mode"
	if [ $TOPO = split ]; then
		# NAPI threads come and go with the program: pin the current ones.
		for pid in $(napi_pids); do
			taskset -pc "$RECV_CPU" "$pid" >/dev/null
		done
		[ -n "$(napi_pids)" ] || die "$mode: no NAPI thread for $IF_R"
	fi
	rx0=$(r_sysfs statistics/rx_packets)
	n0=$(napi_ns)
	read -r busy0 steal0 si0 < <(cpu_ticks "$RECV_CPU")
	read -r sb0 _ _ < <(cpu_ticks "$SEND_CPU")
	# -t 0: one blocking sendto per frame, retried when the veth ring is
	# full, so nothing is lost. (The TX_RING path aborts on the first full
	# socket buffer unless trafgen may raise net.core.wmem_default, which
	# is system-wide and cannot be set from a network namespace.)
	local perf=()
	[ "$round" = 0 ] && perf=(perf record -q -g -C "$RECV_CPU" -F 2999
		-o "$PERF_DIR/$mode.perf" --)
	out=$( (
		"${perf[@]}" taskset -c "$SEND_CPU" \
			nsenter --net="/run/netns/$NS_S" \
			trafgen -i "$WORK/mix.cfg" -o "$IF_S" -n "$PACKETS" -P 1 \
			-t 0 --no-sock-mem -Q 2>&1
		times
	) | tr -d "\r" | grep -v '^\[ perf' | tail -n 3)
	read -r sb1 _ _ < <(cpu_ticks "$SEND_CPU")
	read -r busy1 steal1 si1 < <(cpu_ticks "$RECV_CPU")
	n1=$(napi_ns)
	rx1=$(r_sysfs statistics/rx_packets)
	# trafgen's own figure: the send loop, "S sec, U usec on CPU0".
	wall=$(echo "$out" | sed -n 's/^ *\([0-9]*\) sec, *\([0-9]*\) usec on CPU.*/\1 \2/p' |
		awk '{ printf "%d", $1 * 1000000 + $2 }')
	send_us=$(echo "$out" | tail -n 1 | awk '{
		t = 0
		for (i = 1; i <= 2; i++) {
			split($i, a, "m"); sub("s", "", a[2]); t += a[1] * 60 + a[2]
		}
		printf "%d", t * 1000000 }')
	[ -n "$wall" ] && [ "$wall" -gt 0 ] || {
		echo "$out" >&2
		die "$mode: trafgen failed"
	}
	seen=$((rx1 - rx0))
	[ "$seen" -eq "$PACKETS" ] ||
		die "$mode: $IF_R received $seen frames, $PACKETS were sent"
	if [ $TOPO = split ]; then
		recv_ns=$((n1 - n0))
	else
		recv_ns=$(((si1 - si0) * 1000000000 / HZ))
	fi
	counted=$seen
	if [[ $mode == ifstat-* ]]; then
		counted=$(in_r "$CHECK" -i "$IF_R" -p "$PIN_ROOT" read |
			awk '$1 == "totals.packets" { print $2 }')
	fi
	mode_check "$mode" "$PACKETS"
	mode_down "$mode"
	if [ "$round" = 0 ]; then
		breakdown "$mode" "$recv_ns" >>"$WORK/breakdown"
		return 0
	fi
	echo "$mode $round $PACKETS $wall $recv_ns $send_us $((busy1 - busy0)) \
$((steal1 - steal0)) $((sb1 - sb0)) $counted $seen" >>"$WORK/runs"
	echo "round $round $mode: $((PACKETS * 1000000 / wall)) pps," \
		"receive $((recv_ns / PACKETS)) ns/frame, counted $counted of $seen" >&2
}

# breakdown MODE RECV_NS: shares of the receiving side's samples (the NAPI
# thread, or with shared the whole CPU) in the XDP program, in nftables,
# and in veth's copy of the frame for XDP (skb_pp_cow_data, inclusive).
breakdown() {
	local comm='^napi/'
	[ $TOPO = shared ] && comm='.'
	perf report -i "$PERF_DIR/$1.perf" --children --sort comm,sym \
		-g none --percent-limit 0 --stdio 2>/dev/null |
		awk -v m="$1" -v ns="$2" -v n="$PACKETS" -v c="$comm" '
		$1 ~ /%$/ && $3 ~ c {
			ch = $1; se = $2; sub("%", "", ch); sub("%", "", se)
			sym = $NF
			tot += se
			if (sym ~ /^bpf_prog_/) prog += se
			if (sym ~ /^(nft_|__nft|nf_)/) nft += se
			if (sym == "skb_pp_cow_data") cow += ch
		}
		END {
			if (!tot) tot = 1
			f = ns / n / tot
			printf "| %s | %.0f | %.1f %% (%.0f ns) | %.1f %% (%.0f ns) | %.1f %% (%.0f ns) |\n",
				m, ns / n, prog, prog * f, nft, nft * f, cow, cow * f
		}'
}

# Every round runs every mode; the starting mode moves by one each round
# so that no mode always follows the same other one.
read -r -a mode_list <<<"$MODES"
nm=${#mode_list[@]}
start=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "$PERF_DIR" ]; then
	command -v perf >/dev/null 2>&1 || die "-p needs perf (linux-perf)"
	mkdir -p "$PERF_DIR"
	for m in "${mode_list[@]}"; do
		run "$m" 0
	done
fi
for ((r = 1; r <= ROUNDS; r++)); do
	for ((i = 0; i < nm; i++)); do
		run "${mode_list[$(((i + r - 1) % nm))]}" "$r"
	done
done

# ---- report -------------------------------------------------------------------
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# col MODE FIELD EXPR: the median over rounds of an awk expression.
col() {
	awk -v m="$1" "\$1 == m { print $2 }" "$WORK/runs" | median
}

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
