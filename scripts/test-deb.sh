#!/usr/bin/env bash
# The Debian package, as a user gets it: built from a clean copy of the
# tree outside the repository (dpkg-buildpackage -us -uc -b), checked by
# lintian (no error, no warning that is not overridden with a reason),
# installed, run (ifstatd --check-config, ifstat-xdp --version, the unit
# and the man pages in place), checked against Debian's own package
# "ifstat" (no file in common), then purged with nothing left behind.
# Run as root (installs and purges ifstat-xdp). Needs debhelper, lintian
# and the build dependencies (scripts/setup.sh installs them).
#   sudo scripts/test-deb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=ifstat-xdp

fail() {
	echo "test-deb: FAIL: $*"
	exit 1
}
[ "$(id -u)" = 0 ] || { echo "test-deb: SKIPPED: not root (installs the package)"; exit 0; }
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'installed'; then
	echo "test-deb: SKIPPED: $pkg is installed on this machine; not touching it"
	exit 0
fi

# One version: CMake's project() and debian/changelog.
cmake_ver=$(sed -n 's/^project(ifstat VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
deb_ver=$(dpkg-parsechangelog -S Version)
[ "$cmake_ver" = "${deb_ver%%-*}" ] ||
	fail "CMakeLists.txt says $cmake_ver, debian/changelog $deb_ver"

work=$(mktemp -d /tmp/ifstat-deb.XXXXXX)
cleanup() {
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'installed' &&
		apt-get purge -y -qq "$pkg" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# The tracked files only: nothing a local build left behind.
mkdir "$work/src"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work/src"
start=$SECONDS
(cd "$work/src" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
	tail -40 "$work/build.log"
	fail "dpkg-buildpackage failed"
}
echo "test-deb: built $(cd "$work" && echo *.deb) in $((SECONDS - start)) s"
deb=$(ls "$work"/${pkg}_*.deb)
changes=$(ls "$work"/*.changes)

# Warnings are failures too, unless overridden with a reason.
lintian --fail-on error,warning --info "$changes" 2>&1 |
	grep -v 'running with root privileges is not recommended' ||
	true
lintian --fail-on error,warning "$changes" >/dev/null 2>&1 ||
	fail "lintian (above)"
echo "test-deb: lintian: no errors or warnings"

# Beside Debian's "ifstat" (which owns /usr/bin/ifstat): no shared file.
if (cd "$work" && apt-get download -qq ifstat >/dev/null 2>&1); then
	common=$(comm -12 <(dpkg-deb -c "$work"/ifstat_*.deb | awk '$1 !~ /^d/ {print $6}' | sort) \
		<(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sort))
	[ -z "$common" ] || fail "files shared with Debian's ifstat: $common"
	echo "test-deb: no file in common with Debian's ifstat $(dpkg-deb -f "$work"/ifstat_*.deb Version)"
else
	echo "test-deb: SKIPPED: Debian's ifstat cannot be downloaded (apt lists?): no overlap check"
fi

apt-get install -y -qq "$deb" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; fail "install"; }
files=$(dpkg -L "$pkg")
/usr/sbin/ifstatd --check-config -c /etc/ifstat/ifstat.conf.example >/dev/null ||
	fail "the installed ifstatd refuses the installed example"
/usr/sbin/ifstatd -V | grep -qx 'prometheus: yes' || fail "ifstatd -V: $(/usr/sbin/ifstatd -V)"
out=$(/usr/bin/ifstat-xdp --version)
[ "$out" = "ifstat $cmake_ver" ] || [ "$out" = "ifstat-xdp $cmake_ver" ] ||
	fail "ifstat-xdp --version says '$out'"
grep -qx 'ExecStart=/usr/sbin/ifstatd -c /etc/ifstat/ifstat.conf' \
	/lib/systemd/system/ifstatd.service || fail "the unit's ExecStart"
for page in ifstatd.8 ifstat-xdp.1 ifstat.conf.5; do
	[ -f "/usr/share/man/man${page##*.}/$page.gz" ] || fail "no man page $page"
done
[ -f /usr/share/doc/$pkg/README.md ] && [ -f /usr/share/doc/$pkg/semantics.md ] ||
	fail "README.md and semantics.md not in /usr/share/doc/$pkg"
[ -f /usr/share/bash-completion/completions/ifstat-xdp ] || fail "no completion"
echo "test-deb: installed: ifstatd --check-config, ifstat-xdp --version ($out), unit, man pages, docs"

apt-get purge -y -qq "$pkg" >/dev/null 2>&1 || fail "purge"
left=$(
	for f in $files; do
		if [ -f "$f" ] || { [ -L "$f" ] && [ ! -d "$f" ]; }; then echo "$f"; fi
	done
	for d in /etc/ifstat /usr/share/doc/$pkg; do
		if [ -e "$d" ]; then echo "$d"; fi
	done
	# dh_installsystemd's enablement and its record of it.
	find /etc/systemd /var/lib/systemd -name 'ifstatd*' 2>/dev/null
)
[ -z "$left" ] || fail "left after purge: $left"
echo "test-deb: purged, nothing left"
echo "test-deb: passed ($((SECONDS - start)) s)"
