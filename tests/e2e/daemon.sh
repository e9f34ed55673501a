#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# End to end through the daemon and the real client: ifstatd on one end
# of a veth pair, tcpreplay of the generated pcap from the other, the
# counters read with `ifstat --json --once` and compared with the
# generator's expectations. Then a reload (kept and zeroed counters), a
# refused reload, kill -9 with traffic while the daemon is down and a
# restart (nothing lost), SIGTERM (nothing left behind), a bad
# configuration at start and the client without a daemon.
#
# With E2E_HOOK=tc the same at tc ingress: the same counts.
#
# Usage: daemon.sh PCAPGEN IFSTATD IFSTAT
# Exit: 0 pass, 1 fail, 77 skipped (not root, tools missing).

set -u
PCAPGEN=$1
IFSTATD=$2
IFSTAT=$3
HERE=$(dirname "$0")
. "$HERE/netns.sh"

require_root_tools tcpreplay python3
netns_setup 9000
SOCK="$WORK/run/ifstatd.sock"
CONF="$WORK/ifstat.conf"
LOG="$WORK/ifstatd.log"
PID=
CLEANUP_EXTRA='[ -n "$PID" ] && kill -9 $PID 2>/dev/null'

"$PCAPGEN" "$WORK/traffic.pcap" "$WORK/exp1" "$WORK/f1" "$WORK/exp2" \
	"$WORK/f2" >/dev/null || fail "pcapgen failed"
"$PCAPGEN" --rounds 3 "$WORK/traffic.pcap" "$WORK/exp1" "$WORK/f1" \
	"$WORK/exp3" "$WORK/f2" >/dev/null || fail "pcapgen failed"
want=$(value totals.packets "$WORK/exp1")
conf() { # FILTERS: the test's configuration with that filter set
	python3 "$HERE/snapshot.py" conf "$IF_RECV" "$SOCK" 100ms "$1" \
		${E2E_HOOK:+hook=$E2E_HOOK}
}
conf "$WORK/f1" >"$WORK/conf1" && conf "$WORK/f2" >"$WORK/conf2" ||
	fail "cannot write the configurations"

# The client without a daemon: a clear message and exit 1.
out=$("$IFSTAT" -s "$SOCK" --once 2>&1)
rc=$?
[ $rc = 1 ] || fail "client without a daemon: exit $rc, expected 1"
case "$out" in
"ifstat: cannot connect to $SOCK: "*"(is ifstatd running?)"*) ;;
*) fail "client without a daemon said: $out" ;;
esac
echo "client without a daemon: $out"

# A bad configuration at start: exit 1, the error with its line, nothing
# attached, pinned or bound.
sed 's/^interval = .*/interval = 5ms/' "$WORK/conf1" >"$WORK/bad.conf"
expect_refused "bad configuration at start" \
	"^$WORK/bad.conf:4: interval: .*('5ms')" "$WORK/bad.conf"
[ -z "$(prog_id)" ] || fail "a program is attached after a refused start"
[ -e "$PIN_DIR" ] && fail "pins left after a refused start"
[ -e "$SOCK" ] && fail "socket left after a refused start"

start_daemon() {
	start_ifstatd "$CONF" "$LOG" "$IFSTAT" -s "$SOCK" --json --once
	snap
}

snap() { # the current snapshot in $WORK/snap, through the client
	"$IFSTAT" -s "$SOCK" --json --once >"$WORK/snap" ||
		fail "ifstat --json --once failed"
}

field() { # PYTHON_EXPR over the snapshot s, e its first entry
	python3 "$HERE/snapshot.py" get "$WORK/snap" "$1"
}

# expect EXPECTED: waits for its totals.packets, then compares all.
expect() {
	local total i
	total=$(value totals.packets "$1")
	for i in $(seq 100); do
		snap
		[ "$(field 'e["totals"]["packets"]')" -ge "$total" ] && break
		sleep 0.1
	done
	sleep 0.3 # a late stray frame would show as a difference
	snap
	python3 "$HERE/snapshot.py" check "$1" "$WORK/snap" ||
		fail "counters differ from $(basename "$1")"
}

reload_to() { # FILTERS: SIGHUP, then waits for that many filters
	kill -HUP $PID
	for i in $(seq 50); do
		snap
		[ "$(field 'len(e["filters"])')" = "$(wc -l <"$1")" ] && return
		sleep 0.1
	done
	fail "the reload to $(basename "$1") did not show"
}

cp "$WORK/conf1" "$CONF"
start_daemon
[ -e "$PIN_DIR/counters" ] || fail "counters not pinned in $PIN_DIR"
[ "$(field 'e["totals"]["packets"]')" = 0 ] || fail "stray frames counted"
if [ "${E2E_HOOK:-auto}" = tc ]; then
	[ "$(field 'e["hook"] + " " + e["mode"]')" = "tc clsact" ] ||
		fail "not attached at tc"
else
	[ "$(field 'e["hook"] + " " + e["mode"]')" = "xdp native" ] ||
		fail "not attached natively at XDP"
fi
epoch=$(field 's["epoch"]')
replay "$WORK/traffic.pcap" "$want"
expect "$WORK/exp1"

# Reload: kept filters go on, the changed and the new start at zero.
cp "$WORK/conf2" "$CONF"
reload_to "$WORK/f2"
replay "$WORK/traffic.pcap" "$want"
expect "$WORK/exp2"
[ "$(field 's["epoch"]')" = "$epoch" ] || fail "a reload moved the epoch"

# A refused reload: logged with its line, the running set stays.
sed 's/^vlan = 100/vlan = 5000/' "$WORK/conf2" >"$CONF"
kill -HUP $PID
for i in $(seq 50); do
	grep -q "reload refused" "$LOG" && break
	sleep 0.1
done
grep -q "^$CONF:[0-9]*: vlan: .*('5000')" "$LOG" || {
	cat "$LOG"
	fail "the refused reload did not log FILE:LINE"
}
expect "$WORK/exp2"
kill -0 $PID || fail "ifstatd died on a refused reload"
cp "$WORK/conf2" "$CONF"

# with_tcp EXPECTED ROUNDS NAME...: EXPECTED plus one filter per NAME,
# each defined as "tcp" and having counted ROUNDS replays.
with_tcp() {
	local exp=$1 rounds=$2 name
	shift 2
	awk -v k=$# '$1 == "filters" { $2 = $2 + k } { print }' "$exp"
	for name in "$@"; do
		sed -n "s/^filter\.tcp\./filter.$name./p" "$WORK/exp1" |
			awk -v r="$rounds" '{ print $1, $2 * r }'
	done
}
"$PCAPGEN" --rounds 4 "$WORK/traffic.pcap" "$WORK/exp1" "$WORK/f1" \
	"$WORK/exp4" "$WORK/f2" >/dev/null || fail "pcapgen failed"
{
	cat "$WORK/f2"
	echo "tcp2=tcp"
} >"$WORK/f3"
{
	cat "$WORK/f3"
	echo "tcp3=tcp"
} >"$WORK/f4"

# kill -9: the program stays attached and counts; a restart continues,
# here with one filter more: the new process swaps in its own program,
# and every counter whose filter did not change goes on.
id=$(prog_id)
kill -9 $PID
wait $PID 2>/dev/null
PID=
[ "$(prog_id)" = "$id" ] || fail "the program went away with the daemon"
replay "$WORK/traffic.pcap" "$want"
conf "$WORK/f3" >"$CONF"
start_daemon
with_tcp "$WORK/exp3" 0 tcp2 >"$WORK/exp3+tcp2"
expect "$WORK/exp3+tcp2"
if [ "${E2E_HOOK:-auto}" != tc ] &&
	ip -n "$NS_RECV" -d link show dev "$IF_RECV" | grep -q 'name xdp_dispatcher'; then
	# Under libxdp's dispatcher (6.1: even alone) the running program
	# stays: it reads the new filters from the maps it shares.
	[ "$(prog_id)" = "$id" ] || fail "the restart replaced the dispatcher"
	echo "restart with one filter more: libxdp's dispatcher $id kept"
else
	[ "$(prog_id)" != "$id" ] || fail "the restart kept the old program"
	echo "restart with one filter more: program $id replaced by $(prog_id)"
fi

# A reload with one filter more: the classifier's tables change, the
# program stays (nothing in it depends on the number of filters), nothing
# lost.
id=$(prog_id)
conf "$WORK/f4" >"$CONF"
reload_to "$WORK/f4"
[ "$(prog_id)" = "$id" ] || fail "a reload with one filter more replaced the program"
replay "$WORK/traffic.pcap" "$want"
with_tcp "$WORK/exp4" 1 tcp2 tcp3 >"$WORK/exp4+tcp"
expect "$WORK/exp4+tcp"
echo "reload with one filter more: program $id kept"

# SIGTERM: a connected client is told, nothing is left behind.
"$IFSTAT" -s "$SOCK" >"$WORK/client.out" 2>&1 &
client=$!
sleep 0.5
stop_ifstatd
wait $client
rc=$?
[ $rc = 1 ] || fail "the client exited $rc when the daemon stopped"
tail -n 1 "$WORK/client.out" | grep -q "ifstatd" || {
	tail -n 3 "$WORK/client.out"
	fail "the client did not say that the daemon stopped"
}
[ -z "$(prog_id)" ] || fail "program still attached after SIGTERM"
[ -e "$PIN_DIR" ] && fail "pins left after SIGTERM"
[ -e "$SOCK" ] && fail "socket left after SIGTERM"
echo "PASS: exact counts through the client after a replay, a reload," \
	"a refused reload and kill -9 with traffic while down; clean stop"
exit 0
