#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The kernel check at ifstatd's start. On a kernel with what ifstat
# needs, ifstatd starts and stops cleanly. With IFSTAT_KERNEL_OLD=1 (set
# by tests/vm/tests-5.10.list, which boots Debian 11's 5.10) it must
# refuse: exit 1 and one line naming the missing feature, with nothing
# attached, pinned or bound, not a verifier log.
#
# Usage: kernel.sh IFSTATD IFSTAT
# Exit: 0 pass, 1 fail, 77 skipped (not root, tools missing).

set -u
IFSTATD=$1
IFSTAT=$2
# shellcheck source=../e2e/netns.sh
. "$(dirname "$0")/../e2e/netns.sh"

require_root_tools
netns_setup 1500
SOCK="$WORK/ifstatd.sock"
PID=
CLEANUP_EXTRA='[ -n "$PID" ] && kill -9 $PID 2>/dev/null'
printf '[ifstat]\ninterface = %s\nhook = xdp\nsocket = %s\n' "$IF_RECV" "$SOCK" \
	>"$WORK/conf"

if [ "${IFSTAT_KERNEL_OLD:-0}" = 1 ]; then
	expect_refused "kernel $(uname -r)" \
		"^ifstatd: this kernel ($(uname -r)) lacks multi-buffer XDP (xdp.frags programs): ifstat needs Linux 5.18 or later$" \
		"$WORK/conf"
	[ "$(wc -l <"$WORK/refused.out")" = 1 ] || {
		cat "$WORK/refused.out"
		fail "more than one line for a refused kernel"
	}
	[ -z "$(xdp_id)" ] || fail "a program is attached on a refused kernel"
	[ -e "$PIN_DIR" ] && fail "pins left on a refused kernel"
	[ -e "$SOCK" ] && fail "socket left on a refused kernel"
	echo "PASS: $(uname -r) refused in one line, nothing left behind"
	exit 0
fi

start_ifstatd "$WORK/conf" "$WORK/log" "$IFSTAT" -s "$SOCK" --once
grep -q 'lacks' "$WORK/log" && fail "the kernel check refused $(uname -r)"
[ -n "$(xdp_id)" ] || fail "nothing attached"
stop_ifstatd
echo "PASS: $(uname -r) has what ifstat needs; started and stopped"
exit 0
