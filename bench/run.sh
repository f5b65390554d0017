#!/usr/bin/env bash
# bench/run.sh - runs kouprey's benchmark suites (`make bench`).
#
# Each suite is a folder bench/<suite>/ with an executable run.sh that
# measures kouprey beside its baselines, prints Markdown tables and (unless
# BENCH_WRITE_RESULTS=0) writes its section of bench/RESULTS.md through
# bench_write_results (bench/lib.sh).  BENCH_SUITES picks suites by name
# ("register search" …); the default is every suite, in name order.
# Benchmarks are measurements, not tests: a suite's slow number never fails
# the run; a suite that cannot run at all is reported and the rest go on.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

suites=${BENCH_SUITES:-$(for d in bench/*/run.sh; do basename "$(dirname "$d")"; done)}
status=0
for s in $suites; do
	if [ ! -x "bench/$s/run.sh" ]; then
		echo "bench: no suite '$s' (bench/$s/run.sh)" >&2
		status=2
		continue
	fi
	echo "bench: ---- suite $s ----" >&2
	"bench/$s/run.sh" || { echo "bench: suite $s could not run (exit $?)" >&2; status=2; }
done
exit $status
