# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Sourced by the e2e tests: two network namespaces joined by a veth pair,
# quiet enough that every frame the receiving end sees came from the test.
#
# Sets NS_SEND, NS_RECV, IF_SEND, IF_RECV, PIN_ROOT, PIN_DIR (after
# netns_setup), WORK; defines skip,
# fail, in_send, in_recv, netns_setup MTU (which sets a cleanup trap on
# EXIT, CLEANUP_EXTRA running first, and starts the deadline),
# start_ifstatd, start_ifstatd_in, stop_ifstatd, expect_refused, value,
# xdp_id, replay, check_counters.
#
# Every test ends by its own deadline, E2E_DEADLINE seconds (below
# CTest's TIMEOUT): a watchdog then stops the script and its children
# with SIGTERM, whose trap runs the cleanup. CTest's own kill at its
# timeout cannot be trapped and would leave namespaces, pins and files.

NS_SEND="ifstat-e2e-s-$$"
NS_RECV="ifstat-e2e-r-$$"
IF_SEND=vsend
IF_RECV=vrecv
# The MACs tests/lib/frame.h writes: the frames are addressed to IF_RECV.
MAC_SEND=02:00:00:00:00:01
MAC_RECV=02:00:00:00:00:02
PIN_ROOT="/sys/fs/bpf/ifstat-test-$$"
WORK=
CLEANUP_EXTRA=
E2E_DEADLINE=${E2E_DEADLINE:-150}
WATCHDOG=

skip() {
	echo "SKIPPED: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	exit 1
}

# `ip netns exec` remounts /sys and so hides bpffs; nsenter enters only the
# network namespace, so the pinned maps stay where the engine put them.
in_send() {
	nsenter --net="/run/netns/$NS_SEND" "$@"
}

in_recv() {
	nsenter --net="/run/netns/$NS_RECV" "$@"
}

cleanup() {
	rc=$?
	set +e
	[ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
	if [ -n "$CLEANUP_EXTRA" ]; then
		eval "$CLEANUP_EXTRA"
	fi
	# Deleting the namespace deletes the veth, and with it the program.
	ip netns del "$NS_SEND" 2>/dev/null
	ip netns del "$NS_RECV" 2>/dev/null
	rm -rf "$PIN_ROOT"
	[ -n "$WORK" ] && rm -rf "$WORK"
	exit $rc
}

require_root_tools() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, XDP)"
	for t in ip nsenter sysctl "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
	done
}

# Sets a sysctl in a namespace; IPv6 knobs are absent when the kernel
# has no IPv6, which is as quiet as it gets.
ns_sysctl() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$ns" sysctl -q -w "$@" 2>/dev/null || true
}

# The deadline: SIGTERM to this script and its children (the foreground
# one first of all: the trap runs once it has ended). Quiet and on
# /dev/null, so that it holds none of CTest's pipes.
start_watchdog() {
	local main=$$
	# Stopped (by the cleanup, or with the others), it takes its sleep
	# along and does nothing else.
	(
		trap 'kill $s 2>/dev/null; exit 0' TERM
		sleep "$E2E_DEADLINE" &
		s=$!
		wait $s || exit 0
		touch "$WORK/deadline"
		kill -TERM "$main"
		pkill -TERM -P "$main"
	) </dev/null >/dev/null 2>&1 &
	WATCHDOG=$!
}

on_term() {
	if [ -e "$WORK/deadline" ]; then
		echo "FAIL: no result within $E2E_DEADLINE s (E2E_DEADLINE)"
		exit 1
	fi
	exit 143
}

# netns_setup MTU: namespaces, veth, addresses, links up.
netns_setup() {
	local mtu=$1 ns c v6
	trap cleanup EXIT
	trap 'exit 130' INT
	trap on_term TERM
	WORK=$(mktemp -d /tmp/ifstat-e2e.XXXXXX)
	start_watchdog
	ip netns add "$NS_SEND" || fail "cannot create netns $NS_SEND"
	ip netns add "$NS_RECV" || fail "cannot create netns $NS_RECV"
	ip link add "$IF_SEND" netns "$NS_SEND" type veth \
		peer name "$IF_RECV" netns "$NS_RECV" ||
		fail "cannot create the veth pair"
	# Before any link is up: no IPv6 (router solicitations, DAD, MLD
	# reports) and no gratuitous ARP, so nothing but the pcap reaches
	# the counters.
	for ns in "$NS_SEND" "$NS_RECV"; do
		for c in all default "$IF_SEND" "$IF_RECV"; do
			[ -d "/proc/sys/net/ipv6" ] || break
			ns_sysctl "$ns" "net.ipv6.conf.$c.accept_ra=0" \
				"net.ipv6.conf.$c.autoconf=0" \
				"net.ipv6.conf.$c.disable_ipv6=1"
		done
		ns_sysctl "$ns" net.ipv4.conf.all.arp_notify=0 \
			net.ipv4.conf.default.arp_notify=0 \
			net.ipv4.ip_forward=0
	done
	ip -n "$NS_SEND" link set "$IF_SEND" address "$MAC_SEND" mtu "$mtu"
	ip -n "$NS_RECV" link set "$IF_RECV" address "$MAC_RECV" mtu "$mtu"
	ip -n "$NS_SEND" addr add 198.51.100.1/24 dev "$IF_SEND"
	ip -n "$NS_RECV" addr add 198.51.100.2/24 dev "$IF_RECV"
	ip -n "$NS_SEND" link set "$IF_SEND" up
	ip -n "$NS_RECV" link set "$IF_RECV" up
	# Outside the host's namespace ifstat names its lock and pins
	# IFACE@NETNS_INODE (src/lib/engine.c, instance_key).
	PIN_DIR="$PIN_ROOT/$IF_RECV@$(stat -L -c %i "/run/netns/$NS_RECV")"
	v6=$(in_recv sysctl -n "net.ipv6.conf.$IF_RECV.disable_ipv6" \
		2>/dev/null || echo 1)
	[ "$v6" = 1 ] || fail "IPv6 is still enabled on $IF_RECV"
}

# start_ifstatd CONF LOG READY_CMD...: ifstatd (the caller's $IFSTATD)
# in NS_RECV, logging to LOG; waits (10 s at most) until READY_CMD
# succeeds. PID is ifstatd itself (nsenter execs it), for signals.
start_ifstatd() {
	start_ifstatd_in "$NS_RECV" "$@"
}

# start_ifstatd_in NS CONF LOG READY_CMD...: the same in namespace NS.
start_ifstatd_in() {
	local ns=$1 conf=$2 log=$3 i
	shift 3
	nsenter --net="/run/netns/$ns" "$IFSTATD" -f -c "$conf" \
		--pin-root "$PIN_ROOT" >>"$log" 2>&1 &
	PID=$!
	for i in $(seq 100); do
		"$@" >/dev/null 2>&1 && return 0
		kill -0 $PID 2>/dev/null || {
			cat "$log"
			fail "ifstatd exited at start"
		}
		sleep 0.1
	done
	cat "$log"
	fail "ifstatd not ready within 10 s ($*)"
}

# stop_ifstatd: SIGTERM to PID, which must exit 0.
stop_ifstatd() {
	local rc
	kill -TERM $PID
	wait $PID
	rc=$?
	PID=
	[ $rc = 0 ] || fail "ifstatd exited $rc on SIGTERM"
}

# expect_refused WHAT PATTERN CONF [IFSTATD_ARGS...]: ifstatd -f -c CONF
# exits 1 saying PATTERN (grep); its output stays in $WORK/refused.out.
expect_refused() {
	local what=$1 pattern=$2 conf=$3 rc
	shift 3
	in_recv "$IFSTATD" -f -c "$conf" --pin-root "$PIN_ROOT" "$@" \
		>"$WORK/refused.out" 2>&1
	rc=$?
	[ $rc = 1 ] || fail "$what: exit $rc, expected 1"
	grep -q -- "$pattern" "$WORK/refused.out" || {
		cat "$WORK/refused.out"
		fail "$what: no message matching '$pattern'"
	}
	echo "$what: $(grep -m 1 -- "$pattern" "$WORK/refused.out")"
}

# value KEY FILE: the value of "KEY value" in FILE.
value() {
	awk -v k="$1" '$1 == k { print $2; found = 1 } END { exit !found }' "$2"
}

# The XDP program id on IF_RECV, or nothing.
xdp_id() {
	ip -n "$NS_RECV" -d link show dev "$IF_RECV" |
		sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p' | head -n 1
}

# The id of what counts IF_RECV's ingress: the XDP program, or with
# E2E_HOOK=tc ifstat's tc filter; or nothing.
prog_id() {
	if [ "${E2E_HOOK:-auto}" = tc ]; then
		tc -n "$NS_RECV" filter show dev "$IF_RECV" ingress 2>/dev/null |
			sed -n 's/.*ifstat_tc_in.* id \([0-9]*\).*/\1/p' |
			head -n 1
	else
		xdp_id
	fi
}

# wait_packets TOTAL CHECKER_ARGS...: polls read until totals.packets
# reaches TOTAL (bounded), leaves the last reading in $WORK/now.
wait_packets() {
	local total=$1 got i=0
	shift
	while :; do
		in_recv "$@" read >"$WORK/now" ||
			fail "reading the counters failed"
		got=$(value totals.packets "$WORK/now")
		[ "$got" -ge "$total" ] && return 0
		i=$((i + 1))
		[ $i -ge 100 ] &&
			fail "only $got of $total frames counted after 10 s"
		sleep 0.1
	done
}

# replay PCAP COUNT: sends the pcap from IF_SEND, checks all COUNT went.
replay() {
	local sent
	in_send tcpreplay -q -i "$IF_SEND" --pps=2000 "$1" \
		>"$WORK/tcpreplay" 2>&1 || {
		cat "$WORK/tcpreplay"
		fail "tcpreplay failed"
	}
	sent=$(sed -n 's/.*Successful packets: *\([0-9]*\).*/\1/p' \
		"$WORK/tcpreplay")
	[ "$sent" = "$2" ] || {
		cat "$WORK/tcpreplay"
		fail "tcpreplay sent '$sent' frames, expected $2"
	}
}

# check_counters TOTAL EXPECTED CHECKER_ARGS...: waits for TOTAL frames,
# then compares every counter with EXPECTED.
check_counters() {
	local total=$1 expected=$2
	shift 2
	wait_packets "$total" "$@"
	# A late stray frame would show up here as a difference.
	sleep 0.5
	in_recv "$@" read "$expected" >"$WORK/cmp" || {
		cat "$WORK/cmp"
		fail "counters differ from $(basename "$expected")"
	}
	cat "$WORK/cmp"
}
