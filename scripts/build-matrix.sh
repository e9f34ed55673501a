#!/usr/bin/env bash
# Builds with gcc and clang, in Debug, Release, MinSizeRel and with
# Debian's default flags (dpkg-buildflags, hardening=+all), every build
# with -Werror, and runs the unit tests of each: what a distribution or a
# user may build must build without a warning. Fuzzers and the tests that
# need root are left to the main build (scripts/test.sh).
#   scripts/build-matrix.sh [DIR]     (default build-matrix/)
set -euo pipefail
cd "$(dirname "$0")/.."
top=${1:-build-matrix}
jobs=$(nproc)
mkdir -p "$top"
top=$(realpath "$top")

deb_env() {
	export DEB_BUILD_MAINT_OPTIONS=hardening=+all
	# As debhelper's cmake build system: CPPFLAGS go with CFLAGS.
	CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
	LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
	export CFLAGS LDFLAGS
}

failed=0
for cc in gcc clang; do
	for type in Debug Release MinSizeRel debian; do
		dir=$top/$cc-$type
		start=$SECONDS
		(
			export CC=$cc
			bt=$type
			if [ "$type" = debian ]; then
				deb_env
				bt=None # the flags are dpkg-buildflags' alone
			fi
			# A different prefix for some: packaging_install checks
			# that the installed paths agree under each.
			case $type in
			Debug) prefix=/opt/ifstat ;;
			MinSizeRel) prefix=/usr/local ;;
			*) prefix=/usr ;;
			esac
			cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$bt" \
				-DCMAKE_INSTALL_PREFIX=$prefix \
				-DIFSTAT_WERROR=ON -DIFSTAT_FUZZ=OFF >"$dir.log" 2>&1 &&
				cmake --build "$dir" -j"$jobs" >>"$dir.log" 2>&1
		) || {
			echo "matrix: $cc $type: build failed:"
			grep -E 'error|warning' "$dir.log" | head -20
			failed=1
			continue
		}
		# -Werror stops compiler warnings; the linker's and CMake's too.
		if grep -iE '(^|[^-])warning' "$dir.log" | grep -v 'Wno-' >"$dir.warn"; then
			echo "matrix: $cc $type: warnings:"
			head -20 "$dir.warn"
			failed=1
		fi
		(cd "$dir" && ctest -L unit -j"$jobs" --output-on-failure >"$top/$cc-$type.test.log" 2>&1) || {
			echo "matrix: $cc $type: unit tests failed:"
			tail -30 "$top/$cc-$type.test.log"
			failed=1
			continue
		}
		printf 'matrix: %-5s %-10s built and unit-tested, %d s\n' "$cc" "$type" \
			$((SECONDS - start))
	done
done
exit $failed
