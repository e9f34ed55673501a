#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `cmake --install` of this build into a scratch DESTDIR: every file is
# where the build's prefix says, and the paths that installed files name
# agree with each other and with ifstatd (the unit runs the installed
# ifstatd with the configuration it reads by default, beside which the
# example lies; the docs the unit and the man pages name exist).
# Usage: install.sh BUILD_DIR SBINDIR BINDIR CLIENT CONF UNITDIR DOCDIR MANDIR
set -u
build=$1 sbindir=$2 bindir=$3 client=$4 conf=$5 unitdir=$6 docdir=$7 mandir=$8
fail() {
	echo "FAIL: $*"
	exit 1
}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
DESTDIR=$d cmake --install "$build" >"$d.log" 2>&1 ||
	{ cat "$d.log"; rm -f "$d.log"; fail "cmake --install"; }
rm -f "$d.log"
unit=$d$unitdir/ifstatd.service
for f in "$sbindir/ifstatd" "$bindir/$client" "$unitdir/ifstatd.service" \
	"${conf%/*}/ifstat.conf.example" "$docdir/README.md" \
	"$docdir/semantics.md" "$mandir/man8/ifstatd.8" "$mandir/man1/$client.1" \
	"$mandir/man5/ifstat.conf.5"; do
	[ -e "$d$f" ] || fail "not installed: $f"
done
grep -qx "ExecStart=$sbindir/ifstatd -c $conf" "$unit" ||
	fail "the unit runs $(grep ^ExecStart= "$unit"), not $sbindir/ifstatd -c $conf"
"$d$sbindir/ifstatd" --help | grep -qF "default $conf" ||
	fail "ifstatd's default configuration is not $conf"
doc=$(sed -n 's|^Documentation=.*file:\([^ ]*\).*|\1|p' "$unit")
[ -e "$d$doc" ] || fail "the unit's Documentation= names $doc, not installed"
grep -q "$conf" "$d$mandir/man8/ifstatd.8" || fail "ifstatd(8) does not name $conf"
echo "PASS: installed under $(dirname "$sbindir"): unit, ifstatd ($conf), example, docs and man pages agree"
