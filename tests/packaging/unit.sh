#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The systemd unit parses and names only real binaries: verified with
# systemd-analyze against the ifstatd just built.
# Usage: unit.sh UNIT IFSTATD
set -u
command -v systemd-analyze >/dev/null ||
	{ echo "SKIPPED: systemd-analyze is not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|/usr/sbin/ifstatd|$2|g" "$1" >"$work/ifstatd.service"
out=$(systemd-analyze verify "$work/ifstatd.service" 2>&1)
rc=$?
[ $rc = 0 ] && [ -z "$out" ] || { echo "FAIL: $out"; exit 1; }
echo "PASS: systemd-analyze verify: no complaint"
