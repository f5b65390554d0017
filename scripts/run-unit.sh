#!/usr/bin/env bash
# Runs the cmocka unit test binaries given as arguments, each in its own
# process, and prints cmocka's own summary per binary and a total.
# Exits non-zero if any binary fails or crashes.
set -uo pipefail
pass=0; fail=0; bad=()
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
	if [ $rc -ne 0 ]; then
		bad+=("$(basename "$t")")
		[ -z "$f" ] && fail=$((fail + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
if [ ${#bad[@]} -gt 0 ]; then
	echo "unit: failing binaries: ${bad[*]}" >&2
	exit 1
fi
