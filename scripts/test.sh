#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite: every test under CTest
# (with the VM test, label vm: tests/vm/tests.list on Debian 12's kernel
# under QEMU), the style check, then the user-space tests and the daemon's
# end-to-end tests again under ASan + UBSan, the unit tests in every build
# a distribution may make (scripts/build-matrix.sh) and the Debian package
# (scripts/test-deb.sh). The project's own builds turn warnings into
# errors (IFSTAT_WERROR); a user's or a distribution's do not.
#   sudo scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# ctest hides the output of tests that pass; the reasons a test (or part
# of one) did not run are worth seeing anyway.
show_skipped() {
	grep -h 'SKIPPED' "$1/Testing/Temporary/LastTest.log" 2>/dev/null | sort -u || true
	# The VM test (label vm: tests/vm on Debian 12's kernel): its time.
	grep -h '^vm: all passed' "$1/Testing/Temporary/LastTest.log" 2>/dev/null || true
}

scripts/setup.sh build -DIFSTAT_WERROR=ON
(cd build && ctest --output-on-failure) || { show_skipped build; exit 1; }
show_skipped build

scripts/check-format.sh

scripts/setup.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DIFSTAT_SANITIZE=ON \
	-DIFSTAT_WERROR=ON
(cd build-asan &&
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -L 'unit|datapath' &&
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			ctest --output-on-failure -R '^e2e_(daemon|clients|ubus|web|ifaces|l3)$')
show_skipped build-asan

scripts/build-matrix.sh
scripts/test-deb.sh
echo "test: all passed"
