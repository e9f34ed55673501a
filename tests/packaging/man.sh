#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The man pages as generated for this build: no placeholder left, no
# complaint from mandoc -Tlint nor from groff through man --warnings, and
# every long option of ifstatd's and the client's --help documented.
# Usage: man.sh MAN_DIR IFSTATD CLIENT CLIENT_NAME
set -u
dir=$1 ifstatd=$2 client=$3 name=$4
pages=("$dir/man8/ifstatd.8" "$dir/man1/$name.1" "$dir/man5/ifstat.conf.5")
fail() {
	echo "FAIL: $*"
	exit 1
}
for p in "${pages[@]}"; do
	[ -f "$p" ] || fail "$p was not generated"
	grep -n '@[A-Z_]*@' "$p" && fail "$p: unsubstituted"
done
# Each --help long option appears in its page as mdoc writes it (Fl -x).
check_opts() {
	local page=$1 bin=$2 o
	for o in $("$bin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "Fl ${o#-}" "$page" || fail "$page lacks $o"
	done
}
check_opts "$dir/man8/ifstatd.8" "$ifstatd"
check_opts "$dir/man1/$name.1" "$client"
# Every key the configuration parser knows is in ifstat.conf(5).
for k in $("$ifstatd" --check-config -i lo | sed -n 's/^\([a-z_]*\) = .*/\1/p'); do
	grep -q "^\.It Cm $k" "$dir/man5/ifstat.conf.5" || fail "ifstat.conf.5 lacks $k"
done

# mandoc is the check (a build dependency of the Debian package); groff
# through man-db as well where it is installed.
command -v mandoc >/dev/null || { echo "SKIPPED: mandoc is not installed"; exit 77; }
groff=yes
command -v man >/dev/null || { groff=no; echo "SKIPPED: groff check: man-db is not installed"; }
for p in "${pages[@]}"; do
	out=$(mandoc -Tlint -Wwarning "$p" 2>&1) || fail "mandoc: $out"
	[ -z "$out" ] || fail "mandoc: $out"
	[ $groff = yes ] || continue
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$p" 2>&1 >/dev/null)
	[ -z "$out" ] || fail "groff: $out"
done
echo "PASS: ${pages[*]##*/}: complete, mandoc and groff clean"
