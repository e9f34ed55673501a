#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The OpenWrt package files hold together: the rpcd ACL is valid JSON and
# grants read (stats, filters, subscribing) apart from write (reset,
# reload), naming only methods the daemon registers; the procd script
# parses; the default configuration is one ifstatd accepts; every file
# the package Makefile installs exists.
# Usage: openwrt.sh SOURCE_DIR IFSTATD
set -u
src=$1
ifstatd=$2
dir="$src/packaging/openwrt"
fail() {
	echo "FAIL: $*"
	exit 1
}
command -v python3 >/dev/null ||
	{ echo "SKIPPED: python3 is not installed"; exit 77; }

python3 -m json.tool "$dir/files/ifstat.acl.json" >/dev/null ||
	fail "ifstat.acl.json is not valid JSON"
methods=$(sed -n 's/.*UBUS_METHOD[_A-Z]*("\([a-z]*\)".*/\1/p' \
	"$src/src/daemon/ubus_methods.c" | sort | tr '\n' ' ')
[ "$methods" = "filters reload reset stats " ] ||
	fail "the daemon registers '$methods'"
python3 - "$dir/files/ifstat.acl.json" "$methods" <<'PY' || exit 1
import json, sys
acl = json.load(open(sys.argv[1]))
methods = set(sys.argv[2].split()) | {":subscribe"}
want = {"read": ["stats", "filters", ":subscribe"],
        "write": ["reset", "reload"]}
if list(acl) != ["ifstat"]:
    sys.exit("FAIL: ACL groups %s, expected ['ifstat']" % list(acl))
g = acl["ifstat"]
if not isinstance(g.get("description"), str):
    sys.exit("FAIL: the ACL group has no description")
for level, names in want.items():
    got = g.get(level, {}).get("ubus", {})
    if got != {"ifstat": names}:
        sys.exit("FAIL: %s grants %s, expected ifstat: %s" % (level, got, names))
    if set(names) - methods:
        sys.exit("FAIL: %s names unknown methods %s" % (level, set(names) - methods))
print("rpcd ACL: read %s, write %s" % (want["read"], want["write"]))
PY

sh -n "$dir/files/ifstatd.init" || fail "ifstatd.init does not parse"
grep -q '^USE_PROCD=1$' "$dir/files/ifstatd.init" || fail "not a procd script"
"$ifstatd" --check-config -c "$dir/files/ifstat.conf" >/dev/null ||
	fail "ifstatd refuses the package's default configuration"
grep -qx 'ubus = yes' "$dir/files/ifstat.conf" ||
	fail "the package's configuration does not publish on ubus"
for f in $(sed -n 's|.*\./files/\([^ ]*\).*|\1|p' "$dir/Makefile"); do
	[ -f "$dir/files/$f" ] || fail "the Makefile installs missing files/$f"
done
echo "PASS: ACL, procd script, default configuration and Makefile agree"
