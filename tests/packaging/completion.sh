#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The bash completions, as installed for this build, offer every long
# option of the command's --help, loaded the way bash-completion loads
# them (by the command's name).
# Usage: completion.sh IFSTATD_COMPLETION CLIENT_COMPLETION IFSTATD CLIENT CLIENT_NAME
set -u
bc=/usr/share/bash-completion/bash_completion
[ -f $bc ] || { echo "SKIPPED: bash-completion is not installed"; exit 77; }
check() {
	local file=$1 bin=$2 name=$3 o got
	for o in $("$bin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		got=$(bash -c 'source "$1"; source "$2"; fn=$(complete -p "$3" | sed "s/.*-F \([^ ]*\) .*/\1/")
			COMP_WORDS=("$3" "$4"); COMP_CWORD=1; COMP_LINE="$3 $4"; COMP_POINT=${#COMP_LINE}
			$fn "$3" "$4" "$3"; echo "${COMPREPLY[*]}"' _ "$bc" "$file" "$name" "$o")
		[[ " $got " == *" $o "* ]] || { echo "FAIL: $name: '$o' completes to '$got'"; exit 1; }
	done
}
check "$1" "$3" ifstatd
check "$2" "$4" "$5"
echo "PASS: the completions of ifstatd and $5 offer every option"
