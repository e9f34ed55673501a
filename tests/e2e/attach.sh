#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# End to end: attach ifstat to a veth in a network namespace, replay the
# generated pcap from the other end with tcpreplay, and compare every
# counter with what the generator says that traffic must give. Attach,
# read and detach are separate processes, as across a daemon restart.
#
# Usage: attach.sh PCAPGEN ATTACH_CHECK
# Exit: 0 pass, 1 fail, 77 skipped (not root, tools missing).

set -u
PCAPGEN=$1
CHECK=$2
. "$(dirname "$0")/netns.sh"

require_root_tools tcpreplay
netns_setup 9000

"$PCAPGEN" "$WORK/traffic.pcap" "$WORK/expected" "$WORK/filters" \
	"$WORK/expected2" "$WORK/filters2" ||
	fail "pcapgen failed"
want=$(value totals.packets "$WORK/expected") ||
	fail "no totals.packets in the expectations"
C=("$CHECK" -i "$IF_RECV" -p "$PIN_ROOT")

# Filters go in before the program is attached, so no frame is missed.
in_recv "${C[@]}" -m native -F "$WORK/filters" attach >"$WORK/attach" ||
	fail "attach failed"
mode=$(value mode "$WORK/attach")
[ "$mode" = native ] || fail "attached in '$mode' mode, expected native"
id=$(xdp_id)
[ -n "$id" ] || fail "no XDP program on $IF_RECV after attach"
for m in counters conf; do
	[ -e "$PIN_DIR/$m" ] ||
		fail "$PIN_DIR/$m not pinned"
done
echo "attached (native, prog id $id), pinned in $PIN_DIR"

# Anything counted now is stray traffic that would spoil the comparison.
sleep 1
in_recv "${C[@]}" read >"$WORK/before" || fail "read before the replay failed"
awk '$1 != "filters" && $2 != 0 { print "stray: " $0; bad = 1 }
	END { exit bad }' "$WORK/before" ||
	fail "counters are not zero before the replay"
[ "$(value filters "$WORK/before")" = "$(wc -l <"$WORK/filters")" ] ||
	fail "the filter set read back is not the one installed"

replay "$WORK/traffic.pcap" "$want"
check_counters "$want" "$WORK/expected" "${C[@]}"
# The same state through another process: pinned maps found again.
in_recv "${C[@]}" read >"$WORK/read1" || fail "second read failed"
in_recv "${C[@]}" read >"$WORK/read2" || fail "third read failed"
cmp -s "$WORK/read1" "$WORK/read2" || {
	diff "$WORK/read1" "$WORK/read2"
	fail "two reads in new processes disagree"
}
[ "$(xdp_id)" = "$id" ] || fail "the program changed while reading"

# A reload from another process: kept filters go on counting, a changed
# or new one starts at zero, and frames no filter wants become unmatched.
in_recv "${C[@]}" -F "$WORK/filters2" set ||
	fail "installing the second set failed"
[ "$(xdp_id)" = "$id" ] || fail "the program changed on a filter reload"
replay "$WORK/traffic.pcap" "$want"
check_counters $((want * 2)) "$WORK/expected2" "${C[@]}"

in_recv "${C[@]}" detach || fail "detach failed"
ip -n "$NS_RECV" link show dev "$IF_RECV" | grep -q 'prog/xdp' &&
	fail "an XDP program is still attached after detach"
[ -e "$PIN_DIR" ] && fail "pins left in $PIN_DIR"
in_recv "${C[@]}" read >/dev/null 2>&1 && fail "read succeeded after detach"
echo "PASS: $want frames twice, every counter as expected under both" \
	"filter sets; detached, unpinned"
exit 0
