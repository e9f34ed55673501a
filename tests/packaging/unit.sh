#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The systemd unit, as CMake generated it for this build: it runs the
# installed ifstatd with the configuration ifstatd reads by default, and
# it parses and names only real binaries (systemd-analyze verify, with the
# installed path replaced by the ifstatd just built).
# Usage: unit.sh UNIT INSTALLED_IFSTATD BUILT_IFSTATD CONFIG MAN_DIR
set -u
unit=$1 installed=$2 built=$3 conf=$4 mandir=$5
fail() {
	echo "FAIL: $*"
	exit 1
}
grep -qx "ExecStart=$installed -c $conf" "$unit" ||
	fail "ExecStart is not '$installed -c $conf': $(grep ExecStart= "$unit")"
grep -qx "ExecStartPre=$installed --check-config -c $conf" "$unit" ||
	fail "ExecStartPre does not check $conf"
grep -qx "ConditionPathExists=$conf" "$unit" ||
	fail "the unit does not wait for $conf"
# @VAR@ only: SystemCallFilter names groups as @system-service.
grep -qE '@[A-Za-z0-9_]+@' "$unit" &&
	fail "unsubstituted: $(grep -E '@[A-Za-z0-9_]+@' "$unit")"
command -v systemd-analyze >/dev/null ||
	{ echo "SKIPPED: systemd-analyze is not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The condition would skip the unit without a configuration; verify
# checks the rest.
sed -e "s|$installed|$built|g" -e '/^ConditionPathExists=/d' "$unit" \
	>"$work/ifstatd.service"
# verify runs man for Documentation=man:...: the pages of this build.
out=$(MANPATH="$mandir" systemd-analyze verify "$work/ifstatd.service" 2>&1)
rc=$?
[ $rc = 0 ] && [ -z "$out" ] || fail "$out"
# The sandbox stays as tight as issue 17 left it (2.7; it was 4.4).
score=$(systemd-analyze security --offline=true "$work/ifstatd.service" \
	2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
if [ -n "$score" ]; then
	awk -v s="$score" 'BEGIN { exit !(s <= 2.7) }' ||
		fail "systemd-analyze security: exposure $score, above 2.7"
	echo "systemd-analyze security: exposure $score"
fi
echo "PASS: paths agree with ifstatd's; systemd-analyze verify: no complaint"
