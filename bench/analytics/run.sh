#!/usr/bin/env bash
# bench/analytics/run.sh - issue 5's analytics benchmark (run by `make bench`
# through bench/run.sh; BENCH_SUITES=analytics runs it alone).
#
#   1. generates N seizures (1-5 items each, 3 on average) with
#      bench/analytics/gen_analytics.c, for each size;
#   2. loads them into a database made by `kouprey init` with the sqlite3
#      shell (load.sql: the real schema, every index, ANALYZE);
#   3. runs the 12 dashboard queries of queries.json:
#        - in process: driver.c, linked against build/release/libkouprey.a,
#          builds the analytics' columns and calls src/analytics/analytics.h;
#        - over HTTP: `kouprey serve` on 127.0.0.1 and http_bench.mjs;
#        - as SQL in SQLite (sqlite_bench.py, on the kouprey database);
#        - as SQL in DuckDB (duckdb_bench.mjs, @duckdb/node-api, the same CSVs);
#   4. writes its section of bench/RESULTS.md (report.py).
#
# Environment:
#   BENCH_ANALYTICS_SIZES="10000 100000 1000000"   seizures per data set
#   BENCH_SEED=1, BENCH_RUNS=7, BENCH_HTTP=1 (0 skips HTTP),
#   BENCH_WRITE_RESULTS=1 (0 leaves bench/RESULTS.md alone)
#   BENCH_BASELINES=1 (0 keeps the SQLite and DuckDB results and the loaded
#     database of an earlier run on the same data, when present, and says so
#     in the report: for re-measuring kouprey alone after a change)
#
# A measurement, not a test: exits 0 whatever the numbers; non-zero only
# when it cannot run at all.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
. bench/lib.sh
OUT=bench/out/analytics
LOGS=$OUT/logs
SIZES=${BENCH_ANALYTICS_SIZES:-"10000 100000 1000000"}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-7}
KOUPREY=${BENCH_KOUPREY:-build/kouprey}
ADMIN_PASSWORD=bench-admin-password
mkdir -p "$LOGS"
rm -f "$OUT"/reused-*

say() { printf '%s\n' "$*" >&2; }
die() { say "bench analytics: $*"; exit 2; }

SERVER_PID=""
cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$SERVER_PID" 2>/dev/null
	fi
	SERVER_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	local p
	for p in $(seq 18300 18399); do
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}

CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
MACHINE="$(nproc) cores, ${CPU:-unknown CPU}, $MEM, Linux $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC')"
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
say "bench analytics: $MACHINE, load average $LOAD_START; sizes: $SIZES"

[ -x "$KOUPREY" ] && [ -f build/release/libkouprey.a ] || make build >&2 || die "make build failed"
command -v sqlite3 >/dev/null || die "the sqlite3 shell is missing"

GEN=$OUT/gen_analytics
if [ ! -x "$GEN" ] || [ bench/analytics/gen_analytics.c -nt "$GEN" ]; then
	cc -O2 -std=c17 -o "$GEN" bench/analytics/gen_analytics.c -lm || die "cannot build the generator"
fi
PKGS=$(sed -n 's/^PKGS := //p' Makefile)
DRIVER=$OUT/driver
# shellcheck disable=SC2086
cc -O2 -std=c17 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Isrc $(pkg-config --cflags $PKGS) -o "$DRIVER" \
	bench/analytics/driver.c build/release/libkouprey.a $(pkg-config --libs $PKGS) -lpthread -lm \
	|| die "cannot build the driver"

TEMPLATE=$OUT/template.db
rm -f "$TEMPLATE" "$TEMPLATE"-wal "$TEMPLATE"-shm
"$KOUPREY" init --db "$TEMPLATE" --admin-password "$ADMIN_PASSWORD" >"$LOGS/init.log" 2>&1 \
	|| die "kouprey init failed (see $LOGS/init.log)"
sqlite3 "$TEMPLATE" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;' >/dev/null

for n in $SIZES; do
	[[ $n =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ] || die "BENCH_ANALYTICS_SIZES: \"$n\" is not a number"
	data=$OUT/data-$n-s$SEED
	mkdir -p "$data"
	if [ ! -s "$data/items.csv" ] || [ "$GEN" -nt "$data/items.csv" ]; then
		say "bench analytics: generating $n seizures ..."
		"$GEN" --seizures "$n" --seed "$SEED" --out "$data" 2>>"$LOGS/gen.log" || die "generator failed"
	fi
	db=$OUT/kouprey-$n.db
	reuse=0
	if [ "${BENCH_BASELINES:-1}" = 0 ] && [ -s "$db" ] && [ "$db" -nt "$data/items.csv" ] &&
	   [ -s "$OUT/sqlite-$n.json" ] && [ -s "$OUT/duckdb-$n.json" ]; then
		reuse=1
	fi
	if [ "$reuse" = 1 ]; then
		say "bench analytics: $n seizures: reusing $db and the SQLite and DuckDB results of an earlier run"
	else
		rm -f "$db" "$db"-wal "$db"-shm
		cp "$TEMPLATE" "$db"
		say "bench analytics: loading $n seizures into $db ..."
		t0=$(date +%s%N)
		(cd "$data" && sqlite3 "$OLDPWD/$db" <"$OLDPWD/bench/analytics/load.sql") >"$LOGS/load-$n.log" 2>&1 \
			|| die "loading failed (see $LOGS/load-$n.log)"
		say "bench analytics:   $(tail -1 "$LOGS/load-$n.log") in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
		sqlite3 -csv -header "$db" 'SELECT id, full_name, family FROM taxon' >"$data/taxa.csv"
	fi

	# the load's writes reach the disk before anything is timed (otherwise
	# the kernel's writeback of a 1 GB database competes with the first
	# timed runs)
	sync
	say "bench analytics: in process ..."
	timeout 1800 "$DRIVER" --db "$db" --queries bench/analytics/queries.json --runs "$RUNS" \
		>"$OUT/inproc-$n.json" 2>"$LOGS/inproc-$n.log" || say "bench analytics:   in process FAILED (see $LOGS/inproc-$n.log)"
	if [ "$reuse" = 0 ]; then
		say "bench analytics: SQLite ..."
		timeout 3600 python3 bench/analytics/sqlite_bench.py "$db" bench/analytics/queries.json "$RUNS" \
			>"$OUT/sqlite-$n.json" 2>"$LOGS/sqlite-$n.log" || say "bench analytics:   SQLite FAILED (see $LOGS/sqlite-$n.log)"
		say "bench analytics: DuckDB ..."
		timeout 3600 node bench/analytics/duckdb_bench.mjs "$data" bench/analytics/queries.json "$RUNS" \
			>"$OUT/duckdb-$n.json" 2>"$LOGS/duckdb-$n.log" || say "bench analytics:   DuckDB FAILED (see $LOGS/duckdb-$n.log)"
	else
		touch "$OUT/reused-$n"
	fi
	rm -f "$OUT/http-$n.json"
	if [ "${BENCH_HTTP:-1}" = 1 ]; then
		port=$(free_port) || die "no free port"
		"$KOUPREY" serve --db "$db" --listen "127.0.0.1:$port" --threads 2 >"$LOGS/serve-$n.log" 2>&1 &
		SERVER_PID=$!
		for _ in $(seq 1200); do
			curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		say "bench analytics: over HTTP ($(grep -m1 'analytics columns' "$LOGS/serve-$n.log")) ..."
		timeout 1800 node bench/analytics/http_bench.mjs "http://127.0.0.1:$port" "$ADMIN_PASSWORD" \
			bench/analytics/queries.json "$RUNS" >"$OUT/http-$n.json" 2>"$LOGS/http-$n.log" \
			|| say "bench analytics:   HTTP FAILED (see $LOGS/http-$n.log)"
		cleanup
	fi
done

LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
python3 bench/analytics/report.py "$OUT" "$SIZES" "$MACHINE" "$LOAD_START" "$LOAD_END" >"$OUT/results.md" \
	|| die "cannot write the report"
cat "$OUT/results.md"
if [ "${BENCH_WRITE_RESULTS:-1}" = 1 ]; then
	bench_write_results analytics "$OUT/results.md"
fi
exit 0
