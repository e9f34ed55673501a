#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# GSO packets count as their wire frames (doc/semantics.md rules 1, 9 and
# 11), end to end: one ifstatd counts the sender's veth at tc egress,
# where a UDP_SEGMENT send or a TCP burst is one skb standing for many
# frames; another counts the receiver's veth at ingress, where the
# frames the kernel cut arrive one by one: first at native XDP (the
# sender's veth then has no GSO of its own: the stack segments after tc),
# then at tc with GRO off. Tagged frames from a packet socket have the
# tag in their data at the sender and in the skb's metadata at the
# receiver's tc; a tcx program before ifstat's puts it in the metadata
# at the sender's egress (rule 12). For every flow, the sender's packets,
# bytes and size buckets must equal the receiver's exactly, but for the
# metadata tag at XDP, which XDP does not see (rule 12's exception).
#
# Usage: gso.sh IFSTATD
# Exit: 0 pass, 1 fail, 77 skipped (not root, tools missing).

set -u
IFSTATD=$1
HERE=$(dirname "$0")
. "$HERE/netns.sh"

require_root_tools ethtool python3 socat
netns_setup 1500
GSOFLOW=$HERE/gsoflow.py
flow() { python3 "$GSOFLOW" "$@"; }
PID=
PID_S=
PID_R=
CLEANUP_EXTRA='for p in $PID_S $PID_R; do kill -9 $p 2>/dev/null; done'

# The receiver's address without ARP: the frames of the VLAN push
# program are tagged, ARP's too, and the receiver has no VLAN device.
in_send ip neigh replace 198.51.100.2 lladdr "$MAC_RECV" dev "$IF_SEND" ||
	fail "cannot set the receiver's address"

# One filter per flow, the only traffic it can match.
cat >"$WORK/filters" <<EOF
udp=udp dst 198.51.100.2 dst port 9000
tso=tcp dst 198.51.100.2 dst port 9001
notso=tcp dst 198.51.100.2 dst port 9002
swgso=tcp dst 198.51.100.2 dst port 9003
vlan=vlan 100 udp dst 203.0.113.2 dst port 9004
meta=vlan 100 udp dst 198.51.100.2 dst port 9005
untagged=udp dst 198.51.100.2 dst port 9005
cut=vlan 300
EOF

snap() { # SIDE: its JSON line in $WORK/SIDE.json
	timeout 2 socat -u "UNIX-CONNECT:$WORK/$1/ifstatd.sock" - 2>/dev/null |
		head -n 1 >"$WORK/$1.json"
	[ -s "$WORK/$1.json" ]
}

# daemons HOOK: ifstatd counting egress of IF_SEND, another ingress of
# IF_RECV at HOOK, both from zero.
daemons() {
	local hook=$1 side ns ifc dir sock
	for side in send recv; do
		if [ $side = send ]; then
			ns=$NS_SEND ifc=$IF_SEND dir=egress
		else
			ns=$NS_RECV ifc=$IF_RECV dir=ingress
		fi
		sock="$WORK/$side/ifstatd.sock"
		python3 "$HERE/snapshot.py" conf "$ifc" "$sock" 200ms \
			"$WORK/filters" "direction=$dir" "hook=$hook" \
			>"$WORK/$side.conf" || fail "cannot write $side.conf"
		start_ifstatd_in "$ns" "$WORK/$side.conf" "$WORK/$side.log" \
			snap $side
		if [ $side = send ]; then PID_S=$PID; else PID_R=$PID; fi
	done
}

stop_daemons() {
	PID=$PID_S
	stop_ifstatd
	PID=$PID_R
	stop_ifstatd
	PID_S=
	PID_R=
}

# settle NAME: waits (5 s at most) until the receiver has counted as many
# frames of filter NAME as the sender, and for one more period; leaves
# both lines in $WORK/{send,recv}.json.
settle() {
	local i s r
	for i in $(seq 50); do
		snap send
		snap recv
		s=$(flow packets "$WORK/send.json" egress "$1")
		r=$(flow packets "$WORK/recv.json" ingress "$1")
		[ -n "$s" ] && [ "$s" = "$r" ] && [ "$s" != 0 ] && break
		sleep 0.1
	done
	# A frame still on its way would show as a difference.
	sleep 0.3
	snap send
	snap recv
}

check() { # NAME WHAT: the flow's counters on both sides, equal
	settle "$1"
	flow compare "$WORK/send.json" "$WORK/recv.json" "$1" ||
		fail "$2: the sender's egress and the receiver's ingress differ"
}

tcp_flow() { # PORT BYTES
	local got
	rm -f "$WORK/tcp.count"
	in_recv python3 "$GSOFLOW" tcp-server 198.51.100.2 "$1" \
		"$WORK/tcp.count" &
	in_send python3 "$GSOFLOW" tcp-client 198.51.100.2 "$1" "$2" ||
		fail "the TCP client to port $1 failed"
	wait $! || fail "the TCP server on port $1 failed"
	got=$(cat "$WORK/tcp.count")
	[ "$got" = "$2" ] || fail "the server got $got bytes of $2"
}

offload() { # TSO GSO: the sender's veth offloads
	in_send ethtool -K "$IF_SEND" tso "$1" gso "$2" >/dev/null ||
		fail "ethtool -K $IF_SEND tso $1 gso $2 failed"
}

# The segments of a UDP_SEGMENT send: 1000 bytes each and a short last
# one (23, 1 byte), or all full; three size buckets in all.
udp_sends() { # DST PORT
	in_send python3 "$GSOFLOW" udp "$1" "$2" 1000 3023 5000 2001 ||
		fail "UDP_SEGMENT send to $1 port $2 failed"
}

run_flows() { # HOOK
	local hook=$1
	udp_sends 198.51.100.2 9000
	check udp "$hook: UDP_SEGMENT"
	offload on on
	tcp_flow 9001 1000000
	check tso "$hook: TCP with TSO"
	offload off off
	tcp_flow 9002 300000
	check notso "$hook: TCP without TSO or GSO"
	offload off on
	tcp_flow 9003 1000000
	check swgso "$hook: TCP with GSO in software"
	in_send python3 "$GSOFLOW" vlan "$IF_SEND" 100 203.0.113.1 \
		203.0.113.2 9004 0 100 1000 1454 ||
		fail "the tagged frames were not sent"
	check vlan "$hook: tagged frames (the tag in metadata at tc ingress)"
	# Three tags, the third cut: not IP, not malformed, wherever the
	# first tag is (the only frame of the test that could be malformed).
	in_send python3 "$GSOFLOW" cut-tags "$IF_SEND" 300 ||
		fail "the frame with three tags was not sent"
	check cut "$hook: three tags, the third cut"
	for side in send recv; do
		[ "$(flow malformed "$WORK/$side.json" \
			"$([ $side = send ] && echo egress || echo ingress)")" = 0 ] ||
			fail "$hook: the $side side counted a malformed frame"
	done
	# The tag in the skb's metadata from the sender's tc on: the
	# receiver's tc finds it there too, its XDP does not see it.
	in_send python3 "$GSOFLOW" vlan-push "$IF_SEND" 100 \
		"$PIN_ROOT/vlan-push"
	case $? in
	0) ;;
	77)
		echo "$hook: the tag in the skb's metadata: skipped (above)"
		return
		;;
	*) fail "cannot attach the VLAN push program" ;;
	esac
	udp_sends 198.51.100.2 9005
	rm -f "$PIN_ROOT/vlan-push"
	if [ "$hook" = tc ]; then
		check meta "$hook: UDP_SEGMENT, the tag in the skb's metadata"
	else
		settle untagged
		flow compare-untagged "$WORK/send.json" "$WORK/recv.json" \
			meta untagged || fail "$hook: UDP_SEGMENT, the tag in \
the skb's metadata: not XDP's known blind spot (rule 12)"
	fi
}

daemons xdp
grep -q '"hook":"xdp","mode":"native"' "$WORK/recv.json" ||
	fail "the receiver is not counted at native XDP: $(cat "$WORK/recv.json")"
run_flows xdp
stop_daemons

in_recv ethtool -K "$IF_RECV" gro off >/dev/null ||
	fail "ethtool -K $IF_RECV gro off failed"
daemons tc
grep -q '"hook":"tc"' "$WORK/recv.json" ||
	fail "the receiver is not counted at tc: $(cat "$WORK/recv.json")"
run_flows tc
stop_daemons
echo "PASS"
