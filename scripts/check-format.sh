#!/usr/bin/env bash
# Fails when a C file is not formatted per .clang-format (kernel style).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h')
clang-format --dry-run --Werror "${files[@]}"
echo "check-format: ${#files[@]} files clean"
