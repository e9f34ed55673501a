#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The repository stands alone: no file points to documents outside it
# (the team's design notes beside the repository are not shipped; the
# counting rules are doc/semantics.md).
# Usage: standalone.sh SOURCE_DIR
set -u
cd "$1" || exit 1
command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1 ||
	{ echo "SKIPPED: not a git checkout"; exit 77; }
self=tests/packaging/standalone.sh
hits=$(git ls-files -z | grep -zv "^$self\$" |
	xargs -0 grep -nE '\.\./shared|DESIGN\.md' 2>/dev/null)
[ -z "$hits" ] || { echo "FAIL: pointing outside the repository:"; echo "$hits"; exit 1; }
echo "PASS: nothing points outside the repository"
