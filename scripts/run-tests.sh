#!/usr/bin/env bash
# The whole test suite (`make test`): unit tests (normal build and under
# AddressSanitizer + UndefinedBehaviorSanitizer; those of the code that runs
# threads also under ThreadSanitizer), API tests against a real
# server (normal and sanitizer builds), browser tests in Debian's Chromium,
# and the fuzz targets for a short run.  Ends with one total line.
set -uo pipefail
cd "$(dirname "$0")/.."
log=build/test-logs
mkdir -p "$log"
total_pass=0; total_fail=0; failed=()

count() { # name, log file, pass regex, fail regex
	local p f
	p=$(sed -n "$3" "$2" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n "$4" "$2" | awk '{s+=$1} END {print s+0}')
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
}

step() { # name, command...
	local name=$1; shift
	echo "=== $name"
	"$@" 2>&1 | tee "$log/$name.log"
	local rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		failed+=("$name")
		echo "=== $name FAILED (exit $rc)"
	fi
	return 0
}

unit_counts='s/^unit: \([0-9]*\) passed.*/\1/p'
unit_fails='s/^unit: [0-9]* passed, \([0-9]*\) failed/\1/p'
node_counts='s/^# pass \([0-9]*\)$/\1/p'
node_fails='s/^# fail \([0-9]*\)$/\1/p'

step build make --no-print-directory -j2 build
step unit make --no-print-directory -j2 unit
count unit "$log/unit.log" "$unit_counts" "$unit_fails"
step unit-san make --no-print-directory -j2 SAN=1 unit build
count unit-san "$log/unit-san.log" "$unit_counts" "$unit_fails"
step unit-tsan make --no-print-directory -j2 unit-tsan
count unit-tsan "$log/unit-tsan.log" "$unit_counts" "$unit_fails"
step npm make --no-print-directory npm vendor
step api node --test --test-concurrency=1 tests/api/
count api "$log/api.log" "$node_counts" "$node_fails"
KOUPREY_BIN=build/san/kouprey ASAN_OPTIONS=detect_leaks=1 \
	step api-san node --test --test-concurrency=1 tests/api/
count api-san "$log/api-san.log" "$node_counts" "$node_fails"
step e2e node --test --test-concurrency=1 tests/e2e/
count e2e "$log/e2e.log" "$node_counts" "$node_fails"
step fuzz scripts/run-fuzz.sh

echo
echo "logs: $log/"
if [ ${#failed[@]} -gt 0 ]; then
	echo "failed steps: ${failed[*]}"
	[ "$total_fail" -eq 0 ] && total_fail=${#failed[@]}
fi
echo "$total_pass passed, $total_fail failed"
[ ${#failed[@]} -eq 0 ]
