#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# ifstatd under libxdp's dispatcher beside xdp-filter, on a kernel that
# lets libxdp build one (tests/vm runs it on Debian 12's 6.1; a kernel
# that refuses freplace programs, e.g. under lockdown, skips it).
#
# xdp-filter drops UDP to port 53, which is in the test traffic, so it
# visibly filters while ifstat, which runs first in the dispatcher and
# always passes, must still count every frame exactly:
#  A. xdp-filter first, then ifstatd: both in the dispatcher, exact counts;
#     a reload (kept and new filters), kill -9 with traffic while down and
#     a restart that continues the counters, all without xdp-filter's
#     program changing; xdp-filter unloaded while ifstatd stays and counts
#     on; SIGTERM leaves nothing attached.
#  B. ifstatd first, then xdp-filter joins: exact counts, xdp-filter
#     filtering; ifstatd stopped, xdp-filter stays and goes on filtering.
# Before them, on any kernel: a missing dispatcher object is named as such.
#
# Usage: dispatcher.sh PCAPGEN IFSTATD IFSTAT
# Exit: 0 pass, 1 fail, 77 skipped (not root, tools missing, no dispatcher).

set -u
PCAPGEN=$1
IFSTATD=$2
IFSTAT=$3
E2E="$(dirname "$0")/../e2e"
# shellcheck source=../e2e/netns.sh
. "$E2E/netns.sh"

require_root_tools tcpreplay python3 xdp-filter xdp-loader
# xdp-filter is not frags-aware: it cannot attach at a jumbo MTU.
netns_setup 1500
SOCK="$WORK/run/ifstatd.sock"
CONF="$WORK/ifstat.conf"
LOG="$WORK/ifstatd.log"
PID=
CLEANUP_EXTRA='[ -n "$PID" ] && kill -9 $PID 2>/dev/null; xdp_filter_unload'

# shellcheck disable=SC2317 # called from the EXIT trap
xdp_filter_unload() {
	in_recv xdp-filter unload "$IF_RECV" >/dev/null 2>&1
}

for r in 2 3 4; do
	"$PCAPGEN" --max-len 1514 --rounds $r "$WORK/traffic.pcap" \
		"$WORK/exp1" "$WORK/f1" "$WORK/exp$r" "$WORK/f2" >/dev/null ||
		fail "pcapgen failed"
done
want=$(value totals.packets "$WORK/exp1")
for f in f1 f2; do
	python3 "$E2E/snapshot.py" conf "$IF_RECV" "$SOCK" 100ms \
		"$WORK/$f" >"$WORK/conf.$f" || fail "cannot write conf.$f"
done

# The programs in the dispatcher, "PRIO NAME ID" in run order.
chain() {
	in_recv xdp-loader status "$IF_RECV" |
		awk '$1 == "=>" { print $2, $3, $4 }'
}

filter_id() {
	chain | awk '$2 ~ /^xdpfilt/ { print $3 }'
}

# Frames xdp-filter dropped so far (its own statistics).
drops() {
	in_recv xdp-filter status | awk '$1 == "XDP_DROP" { print $2 }'
}

snap() {
	"$IFSTAT" -s "$SOCK" --json --once >"$WORK/snap" ||
		fail "ifstat --json --once failed"
}

field() { # PYTHON_EXPR over the snapshot s, e its first entry
	python3 "$E2E/snapshot.py" get "$WORK/snap" "$1"
}

# expect EXPECTED: waits for its totals.packets, then compares all.
expect() {
	local total
	total=$(value totals.packets "$1")
	for _ in $(seq 100); do
		snap
		[ "$(field 'e["totals"]["packets"]')" -ge "$total" ] && break
		sleep 0.1
	done
	sleep 0.3 # a late stray frame would show as a difference
	snap
	python3 "$E2E/snapshot.py" check "$1" "$WORK/snap" || {
		chain
		fail "counters differ from $(basename "$1")"
	}
}

# both: ifstat and xdp-filter in the dispatcher, ifstat first.
both() {
	chain >"$WORK/chain"
	awk 'NR == 1 && $2 == "ifstat_xdp" { a = 1 }
		NR == 2 && $2 ~ /^xdpfilt/ { b = 1 } END { exit !(a && b) }' \
		"$WORK/chain" || {
		cat "$WORK/chain"
		fail "$1: ifstat_xdp and xdp-filter are not both in the" \
			"dispatcher, ifstat first"
	}
}

# filtering ROUNDS: xdp-filter dropped ROUNDS times what one replay gives.
filtering() {
	local d
	d=$(drops)
	[ "$d" = $((per_round * $1)) ] ||
		fail "xdp-filter dropped $d frames after $1 replays," \
			"expected $((per_round * $1))"
}

load_filter() {
	in_recv xdp-filter load -m native "$IF_RECV" >"$WORK/xf" 2>&1 || {
		cat "$WORK/xf"
		fail "xdp-filter load failed"
	}
	in_recv xdp-filter port 53 -p udp -m dst >"$WORK/xf" 2>&1 || {
		cat "$WORK/xf"
		fail "xdp-filter port 53 failed"
	}
}

# Bad input: libxdp's dispatcher object missing. Named as such, not as
# the kernel refusing the program, and nothing attached or pinned.
mkdir "$WORK/no-objects"
LIBXDP_OBJECT_PATH="$WORK/no-objects" expect_refused \
	"no dispatcher object" \
	"libxdp's dispatcher xdp-dispatcher.o is not in $WORK/no-objects" \
	"$WORK/conf.f1"
grep -q 'kernel refused' "$WORK/refused.out" &&
	fail "a missing dispatcher object blamed on the kernel"
[ -z "$(xdp_id)" ] || fail "a program is attached after a refused start"
[ -e "$PIN_DIR" ] && fail "pins left after a refused start"

load_filter
main=$(ip -n "$NS_RECV" -d link show dev "$IF_RECV" |
	sed -n 's/.*prog\/xdp id [0-9]* name \([^ ]*\).*/\1/p')
[ "$main" = xdp_dispatcher ] ||
	skip "libxdp attached xdp-filter alone ('$main'), without its" \
		"dispatcher: the kernel refuses freplace programs (lockdown?)"

# A. xdp-filter first.
cp "$WORK/conf.f1" "$CONF"
start_ifstatd "$CONF" "$LOG" "$IFSTAT" -s "$SOCK" --json --once
both "ifstatd after xdp-filter"
fid=$(filter_id)
replay "$WORK/traffic.pcap" "$want"
expect "$WORK/exp1"
per_round=$(drops)
[ "$per_round" -gt 0 ] || fail "xdp-filter dropped nothing"
echo "A: ifstatd beside xdp-filter: exact counts, xdp-filter dropped" \
	"$per_round of $want frames"

cp "$WORK/conf.f2" "$CONF"
kill -HUP "$PID"
for _ in $(seq 50); do
	snap
	[ "$(field 'len(e["filters"])')" = "$(wc -l <"$WORK/f2")" ] && break
	sleep 0.1
done
replay "$WORK/traffic.pcap" "$want"
expect "$WORK/exp2"
both "after a reload"
[ "$(filter_id)" = "$fid" ] || fail "the reload changed xdp-filter's program"
filtering 2
echo "A: reload under the dispatcher: kept and new filters exact"

kill -9 "$PID"
wait "$PID" 2>/dev/null
PID=
replay "$WORK/traffic.pcap" "$want"
start_ifstatd "$CONF" "$LOG" "$IFSTAT" -s "$SOCK" --json --once
expect "$WORK/exp3"
both "after kill -9 and a restart"
[ "$(filter_id)" = "$fid" ] || fail "the restart changed xdp-filter's program"
filtering 3
echo "A: kill -9, traffic while down, restart: counters continued"

in_recv xdp-filter unload "$IF_RECV" || fail "xdp-filter unload failed"
chain >"$WORK/chain"
[ "$(awk '{ print $2 }' "$WORK/chain")" = ifstat_xdp ] || {
	cat "$WORK/chain"
	fail "after xdp-filter's unload ifstat_xdp is not alone"
}
replay "$WORK/traffic.pcap" "$want"
expect "$WORK/exp4"
kill -0 "$PID" || fail "ifstatd died"
echo "A: xdp-filter unloaded, ifstatd stays and counts on"
stop_ifstatd
[ -z "$(xdp_id)" ] || fail "a program is still attached after SIGTERM"
[ -e "$PIN_DIR" ] && fail "pins left after SIGTERM"

# B. ifstatd first, xdp-filter joins.
cp "$WORK/conf.f1" "$CONF"
start_ifstatd "$CONF" "$LOG" "$IFSTAT" -s "$SOCK" --json --once
load_filter
both "xdp-filter after ifstatd"
fid=$(filter_id)
replay "$WORK/traffic.pcap" "$want"
expect "$WORK/exp1"
filtering 1
echo "B: xdp-filter joined ifstatd: exact counts, xdp-filter filtering"
stop_ifstatd
chain >"$WORK/chain"
[ "$(awk '{ print $2 }' "$WORK/chain")" = "$(awk -v id="$fid" \
	'$3 == id { print $2 }' "$WORK/chain")" ] && [ -n "$fid" ] || {
	cat "$WORK/chain"
	fail "ifstatd's stop took xdp-filter away"
}
[ "$(filter_id)" = "$fid" ] || fail "ifstatd's stop changed xdp-filter's program"
replay "$WORK/traffic.pcap" "$want"
filtering 2
in_recv xdp-filter unload "$IF_RECV" || fail "xdp-filter unload failed"
[ -z "$(xdp_id)" ] || fail "a program is still attached at the end"
echo "PASS: ifstatd beside xdp-filter under libxdp's dispatcher, both" \
	"orders: exact counts with xdp-filter filtering, reload, kill -9 and" \
	"restart, xdp-filter unloaded under ifstatd and ifstatd stopped" \
	"under xdp-filter"
exit 0
