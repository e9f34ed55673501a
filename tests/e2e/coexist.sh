#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# ifstat beside xdp-filter (xdp-tools) on one interface.
#
# With libxdp's dispatcher both programs run and ifstat must count every
# frame exactly while xdp-filter is loaded. Without it (the kernel refuses
# freplace programs, e.g. under lockdown) libxdp attaches one program
# alone: then ifstat's attach must fail naming the holder, leave nothing
# pinned and xdp-filter in place, and succeed once xdp-filter is gone.
#
# Usage: coexist.sh PCAPGEN ATTACH_CHECK
# Exit: 0 pass (the dispatcher part may be reported SKIPPED), 1 fail,
# 77 skipped entirely (not root, tools missing).

set -u
PCAPGEN=$1
CHECK=$2
. "$(dirname "$0")/netns.sh"

require_root_tools tcpreplay xdp-filter xdp-loader
# xdp-filter is not frags-aware: it cannot attach at a jumbo MTU.
netns_setup 1500
CLEANUP_EXTRA='xdp_filter_unload'

# shellcheck disable=SC2317 # called from the EXIT trap
xdp_filter_unload() {
	if ip -n "$NS_RECV" -d link show dev "$IF_RECV" 2>/dev/null |
		grep -q 'xdpfilt\|xdp_dispatcher'; then
		in_recv xdp-filter unload "$IF_RECV" >/dev/null 2>&1
	fi
}

# The name of the program attached to IF_RECV.
xdp_name() {
	ip -n "$NS_RECV" -d link show dev "$IF_RECV" |
		sed -n 's/.*prog\/xdp id [0-9]* name \([^ ]*\).*/\1/p' |
		head -n 1
}

"$PCAPGEN" --max-len 1514 "$WORK/traffic.pcap" "$WORK/expected" \
	"$WORK/filters" || fail "pcapgen failed"
want=$(value totals.packets "$WORK/expected") ||
	fail "no totals.packets in the expectations"
C=("$CHECK" -i "$IF_RECV" -p "$PIN_ROOT")

# Verbose, so that libxdp says why it does without a dispatcher.
in_recv xdp-filter load -vv -m native "$IF_RECV" >"$WORK/xf" 2>&1 || {
	tail -n 20 "$WORK/xf"
	fail "xdp-filter load failed"
}
holder=$(xdp_name)
holder_id=$(xdp_id)
echo "xdp-filter attached: $holder (id $holder_id)"

if [ "$holder" = xdp_dispatcher ]; then
	# Both under the dispatcher: ours joins, counts, and leaves alone.
	in_recv "${C[@]}" -m native -F "$WORK/filters" attach >"$WORK/attach" ||
		fail "attach beside xdp-filter failed"
	[ "$(value mode "$WORK/attach")" = native ] ||
		fail "attached in '$(value mode "$WORK/attach")' mode"
	in_recv xdp-loader status "$IF_RECV" >"$WORK/status"
	# shellcheck disable=SC2015 # either missing is a failure
	grep -q xdpfilt "$WORK/status" && grep -q ifstat_xdp "$WORK/status" || {
		cat "$WORK/status"
		fail "xdp-filter and ifstat are not both in the dispatcher"
	}
	replay "$WORK/traffic.pcap" "$want"
	check_counters "$want" "$WORK/expected" "${C[@]}"
	in_recv "${C[@]}" detach || fail "detach failed"
	in_recv xdp-loader status "$IF_RECV" >"$WORK/status"
	grep -q ifstat_xdp "$WORK/status" && {
		cat "$WORK/status"
		fail "ifstat is still attached after detach"
	}
	grep -q xdpfilt "$WORK/status" || {
		cat "$WORK/status"
		fail "our detach took xdp-filter away too"
	}
	[ -e "$PIN_DIR" ] && fail "pins left in $PIN_DIR"
	in_recv xdp-filter unload "$IF_RECV" || fail "xdp-filter unload failed"
	echo "PASS: counted all $want frames exactly beside xdp-filter" \
		"under the libxdp dispatcher"
	exit 0
fi

# One program alone holds the interface: ours must say who, and change
# nothing. auto must not slip into generic mode beside a native program.
[ -n "$holder_id" ] || fail "xdp-filter load left no program attached"
for mode in native auto; do
	if in_recv "${C[@]}" -m "$mode" -F "$WORK/filters" attach >"$WORK/out" \
		2>"$WORK/err"; then
		fail "attach ($mode) succeeded while $holder holds $IF_RECV"
	fi
	named="XDP program '$holder' (id $holder_id) already holds"
	grep -qF "$named the interface" "$WORK/err" || {
		cat "$WORK/err"
		fail "attach ($mode) failed without naming" \
			"'$holder' (id $holder_id)"
	}
	[ -e "$PIN_DIR" ] &&
		fail "a refused attach ($mode) left pins in" \
			"$PIN_DIR"
	# shellcheck disable=SC2015 # either differing is a failure
	[ "$(xdp_id)" = "$holder_id" ] && [ "$(xdp_name)" = "$holder" ] ||
		fail "a refused attach ($mode) changed the attached program"
	echo "attach ($mode) refused as expected:" \
		"$(grep -F "$holder" "$WORK/err")"
done

in_recv xdp-filter unload "$IF_RECV" || fail "xdp-filter unload failed"
[ -z "$(xdp_id)" ] || fail "xdp-filter unload left a program attached"
in_recv "${C[@]}" -m native -F "$WORK/filters" attach >"$WORK/attach" ||
	fail "attach after xdp-filter unload failed"
[ "$(xdp_name)" = ifstat_xdp ] || fail "ifstat_xdp is not attached"
replay "$WORK/traffic.pcap" "$want"
check_counters "$want" "$WORK/expected" "${C[@]}"
in_recv "${C[@]}" detach || fail "detach failed"
[ -z "$(xdp_id)" ] || fail "a program is still attached after detach"
[ -e "$PIN_DIR" ] && fail "pins left in $PIN_DIR"
echo "PASS: refused beside xdp-filter naming it, nothing left behind;" \
	"attached and counted $want frames exactly after its unload"

# The dispatcher check loads a freplace program; EPERM there is the
# kernel's refusal (lockdown), any other reason is quoted as libxdp said.
eperm='dispatcher program failed: Operation not permitted'
if grep -q "Compatibility check for $eperm" "$WORK/xf"; then
	echo "SKIPPED: coexistence with xdp-filter: kernel refuses freplace" \
		"(BPF_PROG_TYPE_EXT) programs (lockdown), so libxdp cannot" \
		"run a dispatcher and attaches one program alone"
else
	why=$(grep -m 1 -i 'dispatcher.*fail\|fail.*dispatcher\|Falling back' \
		"$WORK/xf" | sed 's/^ *libxdp: //')
	echo "SKIPPED: coexistence with xdp-filter: libxdp attached" \
		"'$holder' alone, without a dispatcher" \
		"(${why:-no reason given})"
fi
exit 0
