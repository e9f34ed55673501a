#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# End to end over ubus with the real peer (OpenWrt's ubusd and ubus CLI):
# ifstatd started before ubusd, tcpreplay of the generated pcap, then
# `ubus subscribe ifstat` gets ifstat.data in the original tool's shape
# with exact counts, and ifstat.stats the whole snapshot (schema version
# 2) with the same counts; `ubus call ifstat stats` is the socket's snapshot;
# filters, argument errors, reset (one filter, all), a refused reload
# that changes nothing, ubusd killed (counting and the socket go on) and
# restarted (notifications resume, nothing lost), `ifstat --ubus`, and a
# reload that renames the object and then turns ubus off.
#
# ubusd and ubus are looked for in $IFSTAT_UBUS_PREFIX/{sbin,bin} (CTest
# passes the prefix of the libubus ifstatd was built with), else on PATH.
#
# Usage: ubus.sh PCAPGEN IFSTATD IFSTAT
# Exit: 0 pass, 1 fail, 77 skipped (not root, no ubus, tools missing).

set -u
PCAPGEN=$1
IFSTATD=$2
IFSTAT=$3
HERE=$(dirname "$0")
. "$HERE/netns.sh"
NS_SEND="ifsu-s-$$"
NS_RECV="ifsu-r-$$"
IF_SEND=ifsu-snd
IF_RECV=ifsu-rcv
PIN_ROOT="/sys/fs/bpf/ifsu-$$"

require_root_tools tcpreplay python3
"$IFSTATD" -V | grep -qx 'ubus: yes' ||
	skip "ifstatd was built without ubus (WITH_UBUS, libubus not found)"
prefix=${IFSTAT_UBUS_PREFIX:-}
if [ -n "$prefix" ] && [ -x "$prefix/sbin/ubusd" ]; then
	UBUSD=$prefix/sbin/ubusd
	UBUS=$prefix/bin/ubus
	export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
else
	UBUSD=$(command -v ubusd) ||
		skip "no ubusd (not on PATH nor in IFSTAT_UBUS_PREFIX/sbin)"
	UBUS=$(command -v ubus) || skip "no ubus CLI on PATH"
fi
[ -x "$UBUS" ] || skip "no ubus CLI next to $UBUSD"

netns_setup 9000
SOCK="$WORK/ifstatd.sock"
USOCK="$WORK/ubus.sock"
CONF="$WORK/ifstat.conf"
LOG="$WORK/ifstatd.log"
PID= UPID= SUB= ALL=
# Every process the test started, whatever state it stopped in.
CLEANUP_EXTRA='for p in $ALL; do kill -9 $p 2>/dev/null; done'
CHECK="python3 $HERE/ubuscheck.py"

"$PCAPGEN" "$WORK/traffic.pcap" "$WORK/exp1" "$WORK/f1" >/dev/null ||
	fail "pcapgen failed"
want=$(value totals.packets "$WORK/exp1")
nf=$(wc -l <"$WORK/f1")
python3 "$HERE/snapshot.py" conf "$IF_RECV" "$SOCK" 100ms "$WORK/f1" \
	ubus=yes ubus_socket="$USOCK" >"$WORK/conf1" ||
	fail "cannot write the configuration"
cp "$WORK/conf1" "$CONF"

fail_log() { # MESSAGE: fail, with what ifstatd logged
	tail -n 20 "$LOG"
	fail "$*"
}

u() { # the ubus CLI on the test's ubusd; a call that hangs fails
	"$UBUS" -s "$USOCK" -t 10 "$@"
}

snap() { # FILE: the socket's snapshot (a blocked daemon fails it)
	timeout 10 "$IFSTAT" -s "$SOCK" --json --once >"$1" ||
		fail "ifstat --json --once failed (or hung)"
}

start_ubusd() {
	"$UBUSD" -s "$USOCK" >>"$WORK/ubusd.log" 2>&1 &
	UPID=$!
	ALL="$ALL $UPID"
}

# wait_object NAME: until ifstatd registered it (5 s at most).
wait_object() {
	local i
	for i in $(seq 50); do
		u list "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	cat "$LOG"
	fail "object '$1' not on ubus within 5 s"
}

# subscribe OUT: a subscriber writing to OUT, once it has a notification.
subscribe() {
	local i
	: >"$1"
	"$UBUS" -s "$USOCK" subscribe ifstat >"$1" 2>"$1.err" &
	SUB=$!
	ALL="$ALL $SUB"
	for i in $(seq 50); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	cat "$1.err"
	fail "no notification within 5 s of subscribing"
}

# wait_note OUT TOTAL: until filter0 (all) counted TOTAL in a notification.
wait_note() {
	local i got
	for i in $(seq 100); do
		got=$($CHECK total "$1")
		[ "$got" -ge "$2" ] && break
		sleep 0.1
	done
	sleep 0.3 # a late stray frame would show as a difference
}

# call_fails STATUS_TEXT ARGS...: the call fails with that ubus status.
call_fails() {
	local what=$1 out
	shift
	out=$(u call ifstat "$@" 2>&1) && fail "ubus call $* succeeded"
	case "$out" in
	*"($what)"*) echo "ubus call $*: $what" ;;
	*) fail "ubus call $* said: $out (expected $what)" ;;
	esac
}

# ifstatd first: it must start, count and serve its socket without ubusd.
start_ifstatd "$CONF" "$LOG" "$IFSTAT" -s "$SOCK" --json --once
ALL="$ALL $PID"
grep -q "ubus: cannot connect to ubusd on $USOCK" "$LOG" || {
	cat "$LOG"
	fail "ifstatd did not say that ubusd is not there"
}
echo "started without ubusd: $(grep -m1 'ubus:' "$LOG")"

start_ubusd
wait_object ifstat
u -v list ifstat >"$WORK/list"
for m in stats filters reset reload; do
	grep -q "\"$m\":" "$WORK/list" || {
		cat "$WORK/list"
		fail "method $m missing"
	}
done
grep -q '"stats":{"filter":"String"}' "$WORK/list" ||
	fail "stats does not take a string 'filter'"

# Notifications with exact counts after a replay.
subscribe "$WORK/sub1"
replay "$WORK/traffic.pcap" "$want"
wait_note "$WORK/sub1" "$want"
$CHECK note "$WORK/exp1" "$WORK/f1" "$WORK/sub1" ||
	fail "ifstat.data differs from the expectations"
$CHECK stats "$WORK/exp1" "$WORK/sub1" --interface "$IF_RECV" \
	--direction ingress || fail "ifstat.stats differs from the expectations"
kill $SUB
wait $SUB 2>/dev/null
SUB=

# stats is the socket's snapshot; filters lists it; one filter alone.
u call ifstat stats >"$WORK/stats" || fail "ubus call ifstat stats failed"
snap "$WORK/snap"
$CHECK same "$WORK/stats" "$WORK/snap" || fail "stats != socket snapshot"
python3 "$HERE/snapshot.py" check "$WORK/exp1" "$WORK/snap" ||
	fail "socket counters differ from exp1"
u call ifstat filters >"$WORK/filters" || fail "filters failed"
$CHECK filters "$WORK/filters" "$WORK/snap" || fail "filters differ"
u call ifstat stats '{"filter":"dns"}' >"$WORK/dns" ||
	fail "stats of one filter failed"
[ "$($CHECK get "$WORK/dns" '[f["name"] for f in e["filters"]]')" = \
	"['dns']" ] || fail "stats {filter: dns} is not dns alone"
[ "$($CHECK get "$WORK/dns" 'e["filters"][0]["packets"]')" = \
	"$(value filter.dns.packets "$WORK/exp1")" ] ||
	fail "stats {filter: dns}: wrong packets"

# Wrong arguments change nothing.
call_fails "Invalid argument" stats '{"filter":5}'
call_fails "Invalid argument" reset '{"filtr":"dns"}'
call_fails "Invalid argument" filters '{"x":1}'
call_fails "Not found" reset '{"filter":"nope"}'
snap "$WORK/snap"
python3 "$HERE/snapshot.py" check "$WORK/exp1" "$WORK/snap" ||
	fail "a refused call changed the counters"

# A refused reload: the error with FILE:LINE comes back, nothing changes.
sed 's/^vlan = 100/vlan = 5000/' "$WORK/conf1" >"$CONF"
out=$(u call ifstat reload 2>&1) && fail "a bad reload succeeded: $out"
echo "$out" | grep -q "\"error\": \"$CONF:[0-9]*: vlan: .*('5000')" || {
	echo "$out"
	fail "the refused reload did not return FILE:LINE"
}
echo "refused reload: $(echo "$out" | grep -o "$CONF:[0-9]*: vlan: [^\"]*")"
cp "$WORK/conf1" "$CONF"
snap "$WORK/snap"
python3 "$HERE/snapshot.py" check "$WORK/exp1" "$WORK/snap" ||
	fail "the refused reload changed the counters"
u call ifstat filters >"$WORK/filters2" || fail "filters failed"
cmp -s "$WORK/filters" "$WORK/filters2" ||
	fail "the refused reload changed the filters"

# reset one filter, then all; the epoch moves, the answer says where.
epoch=$($CHECK get "$WORK/snap" 's["epoch"]')
u call ifstat reset '{"filter":"tcp"}' >"$WORK/reset1" ||
	fail "reset of one filter failed"
u call ifstat stats >"$WORK/stats"
[ "$($CHECK get "$WORK/stats" \
	'[(f["name"], f["packets"], f["bytes"], sum(f["sizes"])) for f in e["filters"] if f["name"] == "tcp"]')" = \
	"[('tcp', 0, 0, 0)]" ] || fail "reset {filter: tcp} did not zero tcp"
[ "$($CHECK get "$WORK/stats" \
	'[f["packets"] for f in e["filters"] if f["name"] == "all"][0]')" = \
	"$want" ] || fail "reset {filter: tcp} touched another filter"
u call ifstat reset >"$WORK/reset" || fail "reset failed"
u call ifstat stats >"$WORK/stats"
[ "$($CHECK get "$WORK/stats" \
	'sum(f["packets"] + f["bytes"] + sum(f["sizes"]) for f in e["filters"]) + sum(e["totals"].values())')" = 0 ] ||
	fail "reset left counters"
new=$($CHECK get "$WORK/stats" 's["epoch"]')
[ "$new" != "$epoch" ] || fail "reset did not move the epoch"
[ "$($CHECK get "$WORK/reset" 's["epoch"]')" = "$new" ] ||
	fail "reset did not answer with the new epoch"
echo "reset: tcp alone, then everything; epoch $epoch -> $new"

# ubusd killed: counting and the socket go on; restarted: notifications
# resume with every frame sent meanwhile.
{
	kill -9 $UPID
	wait $UPID
} 2>/dev/null
UPID=
replay "$WORK/traffic.pcap" "$want"
for i in $(seq 50); do
	snap "$WORK/snap"
	[ "$($CHECK get "$WORK/snap" 'e["totals"]["packets"]')" -ge "$want" ] &&
		break
	sleep 0.1
done
sleep 0.3
snap "$WORK/snap"
python3 "$HERE/snapshot.py" check "$WORK/exp1" "$WORK/snap" ||
	fail "counting or the socket stopped while ubusd was down"
kill -0 $PID || fail "ifstatd died with ubusd"
grep -q "ubus: connection to ubusd ($USOCK) lost" "$LOG" ||
	fail "the lost connection was not logged"
rm -f "$USOCK"
start_ubusd
wait_object ifstat
subscribe "$WORK/sub2"
wait_note "$WORK/sub2" "$want"
$CHECK note "$WORK/exp1" "$WORK/f1" "$WORK/sub2" ||
	fail "after ubusd's restart ifstat.data differs"
kill $SUB
wait $SUB 2>/dev/null
SUB=
echo "ubusd restarted: notifications resumed, nothing lost"

# ubusd stopped (SIGSTOP) while someone subscribes, notifications every
# 10 ms: libubus writes blocking, so ifstatd must stop notifying before
# the socket fills, and go on counting and serving its socket.
sed 's/^interval = .*/interval = 10ms/' "$WORK/conf1" >"$CONF"
u call ifstat reload || fail "reload to 10 ms failed"
subscribe "$WORK/sub3"
kill -STOP $UPID
sleep 3
timeout 5 "$IFSTAT" -s "$SOCK" --json --once >"$WORK/before" ||
	fail "the socket stopped while ubusd was stopped"
sleep 0.2
snap "$WORK/after"
[ "$($CHECK get "$WORK/after" 's["time_ms"]')" -gt \
	"$($CHECK get "$WORK/before" 's["time_ms"]')" ] ||
	fail "the socket's snapshots stopped while ubusd was stopped"
grep -q "ubus: ubusd is not reading; notifications skipped" "$LOG" || {
	cat "$LOG"
	fail "ifstatd did not skip notifications to a stopped ubusd"
}
kill -CONT $UPID
lines=$(wc -l <"$WORK/sub3")
for i in $(seq 50); do
	[ "$(wc -l <"$WORK/sub3")" -gt $((lines + 5)) ] && break
	sleep 0.1
done
[ "$(wc -l <"$WORK/sub3")" -gt $((lines + 5)) ] ||
	fail "notifications did not resume after SIGCONT"
kill $SUB
wait $SUB 2>/dev/null
SUB=
cp "$WORK/conf1" "$CONF"
u call ifstat reload || fail "reload back to 100 ms failed"
echo "ubusd stopped: notifications skipped, socket served; resumed"

# The client over ubus shows the same numbers as over the socket.
if "$IFSTAT" --help 2>&1 | grep -q -- '--ubus'; then
	UBUS_SOCK="$USOCK" timeout 10 "$IFSTAT" --ubus --json --once \
		>"$WORK/cu" ||
		fail "ifstat --ubus --json --once failed"
	snap "$WORK/snap"
	$CHECK same "$WORK/cu" "$WORK/snap" ||
		fail "ifstat --ubus differs from the socket"
	timeout 10 "$IFSTAT" --ubus -s "$USOCK" --once >"$WORK/cu.txt" ||
		fail "ifstat --ubus --once failed"
	timeout 10 "$IFSTAT" -s "$SOCK" --once >"$WORK/cs.txt" ||
		fail "ifstat --once failed"
	# The same table but for the time in its first line.
	diff <(tail -n +2 "$WORK/cu.txt") <(tail -n +2 "$WORK/cs.txt") ||
		fail "ifstat --ubus --once shows another table than the socket"
	row="^all"
	for k in $(grep '^filter\.all\.bucket\.' "$WORK/exp1" | cut -d' ' -f2) \
		"$(value filter.all.bytes "$WORK/exp1")" "$want"; do
		row="$row  *$k"
	done
	grep -q "$row " "$WORK/cu.txt" || {
		cat "$WORK/cu.txt"
		fail "ifstat --ubus --once does not show filter all's counts"
	}
	echo "ifstat --ubus: the socket's numbers"
	# Live: one snapshot per notification, until the object goes.
	"$IFSTAT" --ubus -s "$USOCK" --json >"$WORK/live" 2>"$WORK/live.err" &
	LIVE=$!
	ALL="$ALL $LIVE"
	for i in $(seq 50); do
		[ "$(wc -l <"$WORK/live")" -ge 5 ] && break
		sleep 0.1
	done
	[ "$(wc -l <"$WORK/live")" -ge 5 ] ||
		fail "ifstat --ubus: fewer than 5 snapshots in 5 s"
	echo "ifstat --ubus live: $(wc -l <"$WORK/live") snapshots"
else
	echo "SKIPPED: ifstat has no --ubus (client built without ubus)"
fi

# A reload over ubus that renames the object: answered on the old
# connection, then the object moves.
python3 "$HERE/snapshot.py" conf "$IF_RECV" "$SOCK" 100ms "$WORK/f1" \
	ubus=yes ubus_socket="$USOCK" ubus_object=ifstat2 >"$CONF"
u call ifstat reload || fail_log "reload renaming the object failed"
wait_object ifstat2
# The old connection closes once ubusd has read it all (src/daemon/ubus.c,
# drained()), a few ms after the new one registered.
for i in $(seq 20); do
	u list ifstat >/dev/null 2>&1 || break
	sleep 0.05
done
u list ifstat >/dev/null 2>&1 && fail_log "the old object is still there"
echo "renamed: ifstat2 registered, ifstat gone after $((i * 50)) ms at most"
if [ -n "${LIVE:-}" ]; then
	wait $LIVE
	rc=$?
	[ $rc = 1 ] || fail "ifstat --ubus exited $rc when its object went"
	grep -q "the object ifstat went away" "$WORK/live.err" || {
		cat "$WORK/live.err"
		fail "ifstat --ubus did not say that the object went away"
	}
	echo "ifstat --ubus: $(cat "$WORK/live.err")"
fi
# ... and one that turns ubus off: the object goes, the socket stays.
python3 "$HERE/snapshot.py" conf "$IF_RECV" "$SOCK" 100ms "$WORK/f1" \
	>"$CONF"
u call ifstat2 reload || fail_log "reload turning ubus off failed"
for i in $(seq 50); do
	u list ifstat2 >/dev/null 2>&1 || break
	sleep 0.1
done
u list ifstat2 >/dev/null 2>&1 && fail "ubus = no left the object"
snap "$WORK/snap"
kill -0 $PID || fail "ifstatd died turning ubus off"

stop_ifstatd
kill $UPID
wait $UPID 2>/dev/null
echo "PASS: started before ubusd; ifstat.data with exact counts in the" \
	"original shape; ifstat.stats; stats = socket; filters; argument errors; refused" \
	"reload; reset; ubusd restart without loss; object renamed and" \
	"removed by reload"
exit 0
