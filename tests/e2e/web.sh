#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# The live page in a real browser (headless chromium driven by selenium)
# and its API, against ifstatd on one end of a veth pair with the
# generated traffic replayed from the other. ifstatd, chromium and the
# checker run in the receiving namespace and talk over its loopback, so
# the page's own traffic is never counted. What is checked: web.py.
#
# Usage: web.sh PCAPGEN IFSTATD SCREENSHOT
# Exit: 0 pass, 1 fail, 77 skipped (not root, tools missing).

set -u
PCAPGEN=$1
IFSTATD=$2
SHOT=$3
HERE=$(dirname "$0")
. "$HERE/netns.sh"

require_root_tools tcpreplay chromium chromedriver
# Debian's selenium is for Debian's python3, which a python3 earlier on
# PATH (pyenv, a venv) may not see.
PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import selenium' 2>/dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || skip "python3-selenium is not installed"

# The counted interface's name is user data the page shows: markup in
# it must come out as text (the kernel allows <, >, &, quotes).
IF_RECV='v<i>&"x'
netns_setup 9000
ip -n "$NS_RECV" link set lo up || fail "cannot bring up lo in $NS_RECV"
SOCK="$WORK/run/ifstatd.sock"
HTTP=127.0.0.1:8080
"$PCAPGEN" --rounds 3 "$WORK/traffic.pcap" "$WORK/exp1" "$WORK/f1" \
	"$WORK/exp3" "$WORK/f2" >/dev/null || fail "pcapgen failed"
"$PCAPGEN" "$WORK/traffic.pcap" "$WORK/exp1" "$WORK/f1" "$WORK/exp2" \
	"$WORK/f2" >/dev/null || fail "pcapgen failed"
# Both directions of the counted interface, and an interface that does
# not exist: the page shows three views, the last one missing.
conf() { # FILTERS INTERVAL [HTTP [KEEP]]: the test's configuration
	"$PY" "$HERE/snapshot.py" conf "$IF_RECV ifsw-gone" "$SOCK" "$2" "$1" \
		"http=${3-$HTTP}" "keep_counters=${4-yes}" direction=both
}
conf "$WORK/f1" 100ms >"$WORK/conf1" &&
	conf "$WORK/f1" 20ms >"$WORK/conf1fast" &&
	conf "$WORK/f2" 100ms >"$WORK/conf2" &&
	conf "$WORK/f2" 100ms "$HTTP" no >"$WORK/conf2nokeep" &&
	conf "$WORK/f2" 100ms 127.0.0.1:8081 >"$WORK/conf2moved" &&
	conf "$WORK/f2" 100ms "" >"$WORK/conf2off" ||
	fail "cannot write the configurations"
cp "$WORK/conf1" "$WORK/ifstat.conf"

# web.py starts and stops ifstatd itself (a restart is one of its
# checks); whatever it leaves running goes with the namespace.
CLEANUP_EXTRA='[ -s "$WORK/pid" ] && kill -9 "$(cat "$WORK/pid")" 2>/dev/null'
in_recv "$PY" "$HERE/web.py" --ifstatd "$IFSTATD" --work "$WORK" \
	--sock "$SOCK" --http "$HTTP" --pin-root "$PIN_ROOT" \
	--send "nsenter --net=/run/netns/$NS_SEND" --if-send "$IF_SEND" \
	--screenshot "$SHOT" || fail "see above"
