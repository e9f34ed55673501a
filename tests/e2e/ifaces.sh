#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Several interfaces in one ifstatd, followed through rtnetlink (issue 12
# item 6). Veth pairs between two quiet namespaces, the daemon in the
# receiving one; frames sent with AF_PACKET from either end (ifaces.py
# send), so that every interface and direction gets traffic of its own,
# and every counter of every entry of the JSON line compared with what
# was sent (ifaces.py check):
#   1. three interfaces, both directions, with hook = xdp, then hook = tc
#   2. an interface configured before it exists: present false, then
#      counted once created, without a restart
#   3. deleted and created again: kept while gone, continued after, the
#      epoch unchanged
#   4. renamed: the old name not present, counts kept, the renamed
#      interface not counted; renamed back: continued
#   5. a second daemon on a renamed interface the first still holds:
#      refused naming the first; accepted once the first let go
#   6. MTU 9000 and back under native XDP: multi-buffer frames in their
#      size bucket, nothing lost across the changes
#   7. a reload adding and removing interfaces while traffic flows
#   8. bad interface lists refused with FILE:LINE, by --check-config and
#      at start; a missing interface is not an error
#
# Usage: ifaces.sh IFSTATD
# Exit: 0 pass, 1 fail, 77 skipped (not root, tools missing).

set -u
IFSTATD=$1
HERE=$(dirname "$0")
. "$HERE/netns.sh"

require_root_tools python3 tc
netns_setup 1500
PY="python3 $HERE/ifaces.py"
PID=
PID_A=
PID_B=
NS_INO=$(stat -L -c %i "/run/netns/$NS_RECV")
# Daemons still running (a stopped one continued first), their logs on
# a failure, and the lock files of a daemon that could not remove them.
CLEANUP_EXTRA='
for p in $PID $PID_A $PID_B; do
	kill -CONT $p 2>/dev/null
	kill -9 $p 2>/dev/null
done
if [ $rc != 0 ]; then
	for l in "$WORK"/*.log; do
		[ -s "$l" ] && { echo "--- $l"; tail -n 30 "$l"; }
	done
fi
rm -f /run/ifstat/*@"$NS_INO".lock'

echo "namespaces $NS_SEND (senders), $NS_RECV (ifstatd)"

# pair NAME PEER: a veth pair, NAME in NS_RECV, PEER in NS_SEND, both up.
# The namespaces' defaults (netns_setup) keep IPv6 off on new links, and
# neither end has an address: nothing but the test's frames.
pair() {
	ip link add "$1" netns "$NS_RECV" type veth peer name "$2" \
		netns "$NS_SEND" || fail "cannot create the veth pair $1/$2"
	ip -n "$NS_RECV" link set "$1" up
	ip -n "$NS_SEND" link set "$2" up
	[ "$(in_recv sysctl -n "net.ipv6.conf.$1.disable_ipv6" 2>/dev/null ||
		echo 1)" = 1 ] || fail "IPv6 is on on $1"
}

# rename NS OLD NEW: a link must be down to be renamed.
rename() {
	ip -n "$1" link set "$2" down &&
		ip -n "$1" link set "$2" name "$3" &&
		ip -n "$1" link set "$3" up || fail "cannot rename $2 to $3"
}

# send_in PEER FLOW...: frames from PEER (NS_SEND), ingress at its pair.
# send_out IFACE FLOW...: frames from IFACE (NS_RECV), its egress.
send_in() {
	in_send $PY send "$@" || fail "sending on $1 failed"
}
send_out() {
	in_recv $PY send "$@" || fail "sending on $1 failed"
}

# conf FILE SOCK INTERFACES [KEY=VALUE...]: a configuration, interface
# on line 2, the test's size buckets and filters.
conf() {
	local file=$1 sock=$2 ifs=$3 kv
	shift 3
	{
		echo "[ifstat]"
		echo "interface = $ifs"
		echo "socket = $sock"
		echo "interval = 100ms"
		echo "size_buckets = 64 127 255 511 1023 1512 8191"
		for kv in "$@"; do
			echo "${kv%%=*} = ${kv#*=}"
		done
		echo
		$PY filters
	} >"$file"
}

# daemon CONF SOCK LOG: ifstatd started on CONF, ready on SOCK; PID.
daemon() {
	start_ifstatd "$1" "$3" $PY snap "$2"
}

# check WHAT SOCK [--epoch N] [--base FILE] ENTRY...: see ifaces.py.
check() {
	local what=$1
	shift
	echo "$what:"
	$PY check "$@" || fail "$what: counters differ"
}

snap() { # SOCK [EXPR]
	$PY snap "$@" || fail "cannot read the snapshot on $1"
}

# detached NAME...: no XDP program and none of our tc filters on them.
detached() {
	local i
	for i in "$@"; do
		ip -n "$NS_RECV" link show dev "$i" | grep -q 'prog/xdp' &&
			fail "an XDP program is still on $i"
		[ -z "$(tc -n "$NS_RECV" filter show dev "$i" ingress)" ] &&
			[ -z "$(tc -n "$NS_RECV" filter show dev "$i" \
				egress)" ] ||
			fail "a tc filter is still on $i"
	done
	return 0
}

# no_pins: nothing left under the pin root.
no_pins() {
	[ -z "$(ls -A "$PIN_ROOT" 2>/dev/null)" ] ||
		fail "pins left: $(ls -A "$PIN_ROOT")"
}

# rx_packets NS IFACE: what the interface received.
rx_packets() {
	ip -n "$1" -s -j link show dev "$2" | python3 -c 'import json, sys
print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'
}

start_time=$(date +%s.%N)

### 8. Bad interface lists: refused with FILE:LINE, checked and at start.
bad_list() { # WHAT LIST PATTERN
	local f="$WORK/bad.conf" out rc
	conf "$f" "$WORK/bad.sock" "$2"
	out=$(in_recv "$IFSTATD" --check-config -c "$f" 2>&1)
	rc=$?
	[ $rc = 1 ] || fail "--check-config of $1: exit $rc, expected 1"
	grep -q -- "^$f:2: interface: $3" <<<"$out" || {
		echo "$out"
		fail "--check-config of $1: no '$f:2: interface: $3'"
	}
	echo "--check-config, $1: $out"
	expect_refused "start with $1" "^$f:2: interface: $3" "$f"
	[ -e "$WORK/bad.sock" ] && fail "socket left after a refused start"
	no_pins
}
bad_list "a name with a /" "eth0 eth/1" \
	"'eth/1' is not an interface name (1-15 characters"
bad_list "a name of 16 characters" "abcdefghijklmnop" \
	"not an interface name (1-15 characters"
bad_list "a name of 16 characters in a list" "eth0 abcdefghijklmnop" \
	"'abcdefghijklmnop' is not an interface name (1-15 characters"
bad_list "a name listed twice" "vb1 vb2 vb1" "'vb1' is listed twice"
conf "$WORK/ok.conf" "$WORK/ok.sock" "nosuch0 abcdefghijklmno"
out=$(in_recv "$IFSTATD" --check-config -c "$WORK/ok.conf" 2>&1) || {
	echo "$out"
	fail "--check-config refused a missing interface"
}
grep -q '^interface = nosuch0 abcdefghijklmno$' <<<"$out" ||
	fail "--check-config did not print the interface list: $out"
echo "--check-config, missing interfaces and a name of 15: accepted"

### 1. Three interfaces, both directions, hook = xdp then hook = tc.
pair vb1 pb1
pair vb2 pb2
pair vb3 pb3
SOCK="$WORK/run/one.sock"
three() { # HOOK: a fresh daemon on vb1 vb2 vb3 with that hook
	local hook=$1 in=$1
	conf "$WORK/one.conf" "$SOCK" "vb1 vb2 vb3" direction=both \
		hook="$hook"
	daemon "$WORK/one.conf" "$SOCK" "$WORK/one-$hook.log"
	check "$hook: three interfaces, nothing yet" "$SOCK" \
		vb1/ingress="$in" vb1/egress=tc vb2/ingress="$in" \
		vb2/egress=tc vb3/ingress="$in" vb3/egress=tc
	send_in pb1 3x100:a 2x1400:u 1x60:raw
	send_out vb1 2x200:b
	send_in pb2 5x300:b 1x1514:a
	send_out vb2 4x64:a 1x700:u
	send_in pb3 7x128:a
	send_out vb3 3x1000:b 2x65:raw
	check "$hook: each interface and direction its own frames" "$SOCK" \
		vb1/ingress="$in",3x100:a,2x1400:u,1x60:raw \
		vb1/egress=tc,2x200:b \
		vb2/ingress="$in",5x300:b,1x1514:a \
		vb2/egress=tc,4x64:a,1x700:u \
		vb3/ingress="$in",7x128:a \
		vb3/egress=tc,3x1000:b,2x65:raw
	stop_ifstatd
	detached vb1 vb2 vb3
	no_pins
}
three xdp
three tc

### 2-4. Created after the start, deleted and created again, renamed.
pair vc1 pc1
follow() { # HOOK
	local in=$1
	SOCK="$WORK/run/follow.sock"
	conf "$WORK/follow.conf" "$SOCK" "vc1 vc2" direction=both hook="$in"
	daemon "$WORK/follow.conf" "$SOCK" "$WORK/follow-$in.log"
	epoch=$(snap "$SOCK" 's["epoch"]')
	fcheck() { # WHAT ENTRY...: check at that epoch
		check "$in: $1" "$SOCK" --epoch "$epoch" "${@:2}"
	}
	fcheck "vc2 configured, not there yet" \
		vc1/ingress=$in vc1/egress=tc vc2/ingress=none vc2/egress=none
	grep -q "vc2: no such interface yet" "$WORK/follow-$in.log" ||
		fail "the log does not say that vc2 is missing"
	send_in pc1 2x150:a
	VC1_IN="2x150:a"
	VC1_OUT=""
	pair vc2 pc2
	fcheck "vc2 created: counted without a restart" \
		vc1/ingress=$in,$VC1_IN vc1/egress=tc \
		vc2/ingress=$in vc2/egress=tc
	send_in pc2 4x400:b 1x90:u
	send_out vc2 3x80:a
	VC2_IN="4x400:b,1x90:u"
	VC2_OUT="3x80:a"
	fcheck "vc2 counted" \
		vc1/ingress=$in,$VC1_IN vc1/egress=tc \
		vc2/ingress=$in,$VC2_IN vc2/egress=tc,$VC2_OUT

	ip -n "$NS_RECV" link del vc2 || fail "cannot delete vc2"
	fcheck "vc2 deleted: not present, counts kept" \
		vc1/ingress=$in,$VC1_IN vc1/egress=tc \
		vc2/ingress=none,$VC2_IN vc2/egress=none,$VC2_OUT
	pair vc2 pc2
	send_in pc2 2x500:a
	send_out vc2 1x1200:b
	VC2_IN="$VC2_IN,2x500:a"
	VC2_OUT="$VC2_OUT,1x1200:b"
	fcheck "vc2 created again: the kept counts continue" \
		vc1/ingress=$in,$VC1_IN vc1/egress=tc \
		vc2/ingress=$in,$VC2_IN vc2/egress=tc,$VC2_OUT

	rename "$NS_RECV" vc1 vr1
	fcheck "vc1 renamed to vr1: not present, counts kept" \
		vc1/ingress=none,$VC1_IN vc1/egress=none \
		vc2/ingress=$in,$VC2_IN vc2/egress=tc,$VC2_OUT
	detached vr1
	rx=$(rx_packets "$NS_RECV" vr1)
	send_in pc1 5x100:a
	send_out vr1 2x100:b
	fcheck "traffic on vr1 not counted as vc1" \
		vc1/ingress=none,$VC1_IN vc1/egress=none \
		vc2/ingress=$in,$VC2_IN vc2/egress=tc,$VC2_OUT
	rx=$(($(rx_packets "$NS_RECV" vr1) - rx))
	[ "$rx" = 5 ] || fail "vr1 received $rx frames, not the 5 sent"
	rename "$NS_RECV" vr1 vc1
	send_in pc1 1x333:a
	send_out vc1 2x99:u
	VC1_IN="$VC1_IN,1x333:a"
	VC1_OUT="2x99:u"
	fcheck "renamed back to vc1: counted again, continuing" \
		vc1/ingress=$in,$VC1_IN vc1/egress=tc,$VC1_OUT \
		vc2/ingress=$in,$VC2_IN vc2/egress=tc,$VC2_OUT
	stop_ifstatd
	detached vc1 vc2
	no_pins
	# Not there at the next start.
	ip -n "$NS_RECV" link del vc2 || fail "cannot delete vc2"
}
follow xdp
follow tc

### 5. A second daemon on a renamed interface the first still holds.
pair x1 px1
SOCK_A="$WORK/run/a.sock"
SOCK_B="$WORK/run/b.sock"
conf "$WORK/a.conf" "$SOCK_A" x1 hook=xdp
conf "$WORK/b.conf" "$SOCK_B" y1 hook=xdp
daemon "$WORK/a.conf" "$SOCK_A" "$WORK/a.log"
PID_A=$PID
PID=
send_in px1 2x100:a
check "daemon A on x1" "$SOCK_A" x1/ingress=xdp,2x100:a
kill -STOP $PID_A
rename "$NS_RECV" x1 y1
held="y1: another ifstat is already running on this interface"
expect_refused "daemon B on y1 while A is stopped" \
	"$held: ifstatd $PID_A counts it as 'x1'" "$WORK/b.conf"
[ -e "$SOCK_B" ] && fail "B left its socket after a refused start"
[ -e "$PIN_ROOT/y1@$NS_INO" ] && fail "B left its pins after a refused start"
kill -CONT $PID_A
check "A continued: x1 let go, counts kept" "$SOCK_A" \
	x1/ingress=none,2x100:a
daemon "$WORK/b.conf" "$SOCK_B" "$WORK/b.log"
PID_B=$PID
send_in px1 3x200:b
check "daemon B counts y1" "$SOCK_B" y1/ingress=xdp,3x200:b
check "A's x1 unchanged" "$SOCK_A" x1/ingress=none,2x100:a
# Both running, y1 renamed back to x1: A and B hear of it at once, and A
# may try before B has let go; it must count x1 once B has.
rename "$NS_RECV" y1 x1
check "renamed back to x1: B let go" "$SOCK_B" y1/ingress=none,3x200:b
check "renamed back to x1: A took it over" "$SOCK_A" x1/ingress=xdp,2x100:a
send_in px1 4x300:u
check "A counts x1 again, continuing" "$SOCK_A" \
	x1/ingress=xdp,2x100:a,4x300:u
check "B's y1 unchanged" "$SOCK_B" y1/ingress=none,3x200:b
stop_ifstatd
PID_B=
PID=$PID_A
PID_A=
stop_ifstatd
detached x1
no_pins

### 6. MTU 9000 and back under native XDP: multi-buffer frames.
pair vm1 pm1
SOCK="$WORK/run/mtu.sock"
conf "$WORK/mtu.conf" "$SOCK" vm1 direction=both hook=xdp
daemon "$WORK/mtu.conf" "$SOCK" "$WORK/mtu.log"
prog=$(ip -n "$NS_RECV" -d link show dev vm1 |
	sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1)
[ -n "$prog" ] || fail "no XDP program on vm1"
send_in pm1 3x1514:a
send_out vm1 2x1500:b
VM_IN="3x1514:a"
VM_OUT="2x1500:b"
check "vm1 at MTU 1500" "$SOCK" vm1/ingress=xdp,$VM_IN vm1/egress=tc,$VM_OUT
ip -n "$NS_RECV" link set vm1 mtu 9000 ||
	fail "MTU 9000 refused on vm1 under the XDP program"
ip -n "$NS_SEND" link set pm1 mtu 9000 || fail "MTU 9000 refused on pm1"
send_in pm1 4x8000:a 1x9014:b 1x2000:u
send_out vm1 2x8000:b
VM_IN="$VM_IN,4x8000:a,1x9014:b,1x2000:u"
VM_OUT="$VM_OUT,2x8000:b"
check "vm1 at MTU 9000: multi-buffer frames" "$SOCK" \
	vm1/ingress=xdp,$VM_IN vm1/egress=tc,$VM_OUT
ip -n "$NS_SEND" link set pm1 mtu 1500 &&
	ip -n "$NS_RECV" link set vm1 mtu 1500 ||
	fail "cannot go back to MTU 1500"
send_in pm1 2x1514:u 1x64:a
send_out vm1 1x64:a
VM_IN="$VM_IN,2x1514:u,1x64:a"
VM_OUT="$VM_OUT,1x64:a"
check "vm1 back at MTU 1500: nothing lost" "$SOCK" \
	vm1/ingress=xdp,$VM_IN vm1/egress=tc,$VM_OUT
now=$(ip -n "$NS_RECV" -d link show dev vm1 |
	sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1)
[ "$now" = "$prog" ] || fail "the XDP program changed ($prog, now $now)"
stop_ifstatd
no_pins

### 7. A reload adding and removing interfaces while traffic flows.
pair vd1 pd1
pair vd2 pd2
pair vd3 pd3
SOCK="$WORK/run/reload.sock"
CONF="$WORK/reload.conf"
conf "$CONF" "$SOCK" "vd1 vd2" direction=both hook=xdp
daemon "$CONF" "$SOCK" "$WORK/reload.log"
epoch=$(snap "$SOCK" 's["epoch"]')
senders=
in_send $PY send pd1 --gap 5 400x100:a &
senders="$senders $!"
in_recv $PY send vd1 --gap 7 300x120:b &
senders="$senders $!"
in_send $PY send pd2 --gap 7 300x140:a &
senders="$senders $!"
in_send $PY send pd3 --gap 7 300x160:b &
senders="$senders $!"
sleep 0.3
conf "$CONF" "$SOCK" "vd1 vd3" direction=both hook=xdp
kill -HUP $PID
shown=
for i in $(seq 50); do
	shown=$(snap "$SOCK" '" ".join(e["interface"] + ":" + e["hook"]
		for e in s["interfaces"])')
	[ "$shown" = "vd1:xdp vd1:tc vd3:xdp vd3:tc" ] && break
	sleep 0.05
done
[ "$shown" = "vd1:xdp vd1:tc vd3:xdp vd3:tc" ] ||
	fail "the reload to vd1 vd3 did not show: $shown"
alive=0
for p in $senders; do
	kill -0 $p 2>/dev/null && alive=$((alive + 1))
done
[ $alive = 4 ] || fail "only $alive of 4 senders still running at the reload"
echo "reloaded to vd1 vd3 while 4 senders ran"
for p in $senders; do
	wait $p || fail "a sender failed"
done
# What vd3 counted of its 300 frames depends on when the reload came:
# read once the frames in flight are in, then held as its base.
sleep 0.5
snap "$SOCK" >"$WORK/base.json"
check "after the reload: vd1 kept every count, vd2 gone" "$SOCK" \
	--epoch "$epoch" --base "$WORK/base.json" \
	vd1/ingress=xdp,400x100:a vd1/egress=tc,300x120:b \
	vd2=gone vd3/ingress=xdp,base vd3/egress=tc
got=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))
print([e["totals"]["packets"] for e in s["interfaces"]
       if e["interface"] == "vd3"][0])' "$WORK/base.json")
[ "$got" -gt 0 ] && [ "$got" -lt 300 ] ||
	fail "vd3 counted $got of the 300 frames sent across the reload"
echo "vd3 counted $got of the 300 frames sent across the reload"
detached vd2
[ -e "$PIN_ROOT/vd2@$NS_INO" ] && fail "vd2's pins left after its removal"
send_in pd3 5x200:a
send_out vd3 2x210:b
check "vd3 added: counting" "$SOCK" --epoch "$epoch" --base "$WORK/base.json" \
	vd1/ingress=xdp,base vd1/egress=tc,base \
	vd3/ingress=xdp,base,5x200:a vd3/egress=tc,base,2x210:b
stop_ifstatd
detached vd1 vd3
no_pins

end_time=$(date +%s.%N)
echo "PASS: three interfaces both ways (xdp, tc), created late, deleted" \
	"and re-created, renamed and back, a second daemon refused then" \
	"accepted, MTU 9000 multi-buffer and back, a reload adding and" \
	"removing interfaces under traffic, bad lists refused" \
	"($(python3 -c "print('%.1f' % ($end_time - $start_time))") s)"
exit 0
