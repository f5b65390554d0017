#!/usr/bin/env bash
# bench/register/run.sh - the seizure register's benchmarks (issue 2; run by
# `make bench` through bench/run.sh; see bench/README.md).
#
#   1. generates synthetic seizure files (bench/register/gen_seizures.c) of each size;
#   2. imports each file with `kouprey import seizures`, with the sqlite3
#      shell's .import into a flat table, and with PostgreSQL 15's
#      COPY ... FROM STDIN into a flat table (a private server it starts);
#   3. serves the largest kouprey database and loads it with wrk on 127.0.0.1:
#      single seizures by random id, and filtered lists;
#   4. prints Markdown tables and writes them to bench/RESULTS.md.
#
# Environment:
#   BENCH_SIZES="10000 100000 1000000"  item rows per file (default shown)
#   BENCH_SEED=1                        generator seed
#   BENCH_HTTP=1                        0 skips the HTTP benchmark
#   BENCH_PG=1                          0 skips the PostgreSQL baseline
#   BENCH_IMPORT_BASELINES=1            0 skips both import baselines (sqlite3, PostgreSQL)
#   BENCH_IMPORT_RUNS=3                 runs of each import (kouprey and baselines; the median is reported)
#   BENCH_REUSE_DB=0                    1 reuses bench/out/kouprey-N.db from an earlier run
#                                       instead of importing again (import not timed; for
#                                       HTTP-only runs: the database must be from a
#                                       kouprey of the same schema)
#   BENCH_WRITE_RESULTS=1               0 leaves bench/RESULTS.md alone
#   BENCH_DURATION=10                   seconds of each measured wrk run
#   BENCH_GET_RUNS=3                    runs of the random single GET (the median is reported)
#
# Benchmarks are measurements, not tests: the script exits 0 whatever the
# numbers are; it exits non-zero only when it cannot run at all.  Every step
# is bounded in time and all traffic goes to 127.0.0.1.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
. bench/lib.sh
ROOT=$PWD
OUT=bench/out
LOGS=$OUT/logs
SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
SEED=${BENCH_SEED:-1}
DURATION=${BENCH_DURATION:-10}
GET_RUNS=${BENCH_GET_RUNS:-3}
KOUPREY=${BENCH_KOUPREY:-build/kouprey}
ADMIN_PASSWORD=bench-admin-password
mkdir -p "$LOGS"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }

# ---- cleanup of what this script started ---------------------------------

SERVER_PID=""
PG_DIR=""
PG_BIN=""
cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$SERVER_PID" 2>/dev/null
	fi
	if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop \
			>/dev/null 2>&1
		rm -rf "$PG_DIR"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers -------------------------------------------------------------

now_ns() { date +%s%N; }

# seconds between two now_ns values, 3 decimals
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

# 1000000 -> 1M, 100000 -> 100k
human() {
	awk -v n="$1" 'BEGIN {
		if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6
		else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n / 1e3
		else printf "%d", n }'
}

# 1234567 -> 1,234,567
thousands() { awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); o = "";
	while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
	print s o }'; }

rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print 0 }'; }
kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# A free TCP port on 127.0.0.1.
free_port() {
	local p
	for p in $(seq 18180 18299); do
		if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# measure LABEL TIMEOUT CMD... : runs CMD with its output in $LOGS/LABEL.log,
# sets M_STATUS (exit code; 124 on time-out), M_WALL (s), M_RSS (peak
# resident set, kB; empty when it cannot be measured) and M_ANON (the largest
# RssAnon sampled every 0.2 s, kB).
TIME_BIN=""
[ -x /usr/bin/time ] && TIME_BIN=/usr/bin/time
measure() {
	local label=$1 limit=$2
	shift 2
	local log=$LOGS/$label.log tfile=$LOGS/$label.time t0 t1 bg pid kid anon
	rm -f "$tfile"
	M_ANON=0
	t0=$(now_ns)
	if [ -n "$TIME_BIN" ]; then
		timeout "$limit" "$TIME_BIN" -f '%M' -o "$tfile" "$@" >"$log" 2>&1 &
	else
		timeout "$limit" "$@" >"$log" 2>&1 &
	fi
	bg=$!
	# Sample the measured process's anonymous memory (RssAnon: heap and
	# stacks, not the pages of files it maps) while it runs.  The process
	# (under timeout and time) is found once; each sample then reads its
	# status with the shell's own read, so that the sampling takes next to
	# no CPU from an import that uses both cores.
	local found="" want comm
	want=$(basename "$1" | cut -c1-15)
	while kill -0 "$bg" 2>/dev/null; do
		if [ -z "$found" ]; then
			pid=$bg
			while kid=$(pgrep -P "$pid" | head -1) && [ -n "$kid" ]; do pid=$kid; done
			comm=""
			read -r comm 2>/dev/null <"/proc/$pid/comm"
			[ "$comm" = "$want" ] && found=1
		fi
		anon=""
		{ while read -r key value _; do
			[ "$key" = "RssAnon:" ] && anon=$value && break
		done <"/proc/$pid/status"; } 2>/dev/null
		[ -n "$anon" ] && [ "$anon" -gt "$M_ANON" ] && M_ANON=$anon
		sleep 0.2
	done
	wait "$bg"
	M_STATUS=$?
	t1=$(now_ns)
	M_WALL=$(elapsed "$t0" "$t1")
	M_RSS=""
	[ -s "$tfile" ] && M_RSS=$(grep -E '^[0-9]+$' "$tfile" | tail -1)
}

# measure_runs LABEL LIMIT PREP CMD...: PREP, then CMD measured, IMPORT_RUNS
# times, each run started after `sync` (no writeback of the run before still
# going).  M_WALL is the median wall, M_RSS and M_ANON the largest peaks,
# M_RUNS every wall in order ("a · b · c").  Stops at the first failure (its
# M_STATUS is kept).  This VM's timings vary by 10-30% from run to run, more
# for a program that keeps both cores busy.
IMPORT_RUNS=${BENCH_IMPORT_RUNS:-3}
measure_runs() {
	local label=$1 limit=$2 prep=$3 i rss=0 anon=0
	local -a walls=()
	shift 3
	for ((i = 1; i <= IMPORT_RUNS; i++)); do
		$prep || { M_STATUS=1; return; }
		sync
		measure "$label" "$limit" "$@"
		[ "$M_STATUS" != 0 ] && return
		walls+=("$M_WALL")
		[ "${M_RSS:-0}" -gt "$rss" ] && rss=${M_RSS:-0}
		[ "${M_ANON:-0}" -gt "$anon" ] && anon=${M_ANON:-0}
		[ -n "${M_AFTER:-}" ] && $M_AFTER
	done
	M_RUNS=$(printf '%s\n' "${walls[@]}" | paste -sd' ' | sed 's/ / · /g')
	M_WALL=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	M_RSS=$rss M_ANON=$anon
}

# ---- the machine ----------------------------------------------------------

CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
MACHINE="$(nproc) cores, ${CPU:-unknown CPU}, $MEM, Linux $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC')"
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
say "bench: $MACHINE, load average $LOAD_START"
say "bench: sizes: $SIZES (seed $SEED)"
[ -z "$TIME_BIN" ] && say "bench: /usr/bin/time (Debian package time) is missing: peak memory is not measured"

# ---- generator --------------------------------------------------------------

GEN=$OUT/gen_seizures
if [ ! -x "$GEN" ] || [ bench/register/gen_seizures.c -nt "$GEN" ]; then
	cc -O2 -std=c17 -o "$GEN" bench/register/gen_seizures.c -lm || die "cannot build the generator"
fi
"$GEN" --check data >&2 || die "the generator's tables do not match data/ (see above)"

declare -A FILE SEIZURES BYTES GEN_TIME
for n in $SIZES; do
	[[ $n =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ] || die "BENCH_SIZES: \"$n\" is not a row count"
	f=$OUT/seizures-$n-s$SEED.csv
	if [ ! -s "$f" ] || [ "$GEN" -nt "$f" ]; then
		t0=$(now_ns)
		"$GEN" --rows "$n" --seed "$SEED" >"$f.tmp" && mv "$f.tmp" "$f" || die "generator failed"
		GEN_TIME[$n]="$(elapsed "$t0" "$(now_ns)") s"
	else
		GEN_TIME[$n]="cached"
	fi
	FILE[$n]=$f
	BYTES[$n]=$(stat -c %s "$f")
	SEIZURES[$n]=$(awk -F, 'NR > 1 && $1 ~ /^[A-Z0-9]+-[0-9][0-9][0-9][0-9]-[0-9]+$/ { print $1 }' "$f" | uniq | wc -l)
	say "bench: $(human "$n") rows: $f, $(kb_to_mb $((BYTES[$n] / 1024))) MB, ${SEIZURES[$n]} seizures (generated: ${GEN_TIME[$n]})"
done

COLUMNS_SQL=$(head -1 "${FILE[${SIZES%% *}]}" | sed 's/,/ TEXT, /g; s/$/ TEXT/')

# ---- import: kouprey ------------------------------------------------------------

declare -A K_WALL K_RSS K_ANON S_ANON K_STATUS K_NOTE S_WALL S_RSS S_STATUS P_WALL P_RSS P_STATUS
declare -A K_RUNS S_RUNS P_RUNS
KOUPREY_IMPORT=0
KOUPREY_NOTE=""
if [ ! -x "$KOUPREY" ]; then
	KOUPREY_NOTE="$KOUPREY is not built (make build)"
elif ! "$KOUPREY" import --help >/dev/null 2>&1; then
	KOUPREY_NOTE="\`kouprey import\` does not exist yet in this build"
elif ! "$KOUPREY" init --help >/dev/null 2>&1; then
	KOUPREY_NOTE="\`kouprey init\` does not exist yet in this build"
else
	KOUPREY_IMPORT=1
fi

if [ "$KOUPREY_IMPORT" = 1 ]; then
	TEMPLATE=$OUT/template.db
	rm -f "$TEMPLATE" "$TEMPLATE-wal" "$TEMPLATE-shm"
	if ! timeout 300 "$KOUPREY" init --db "$TEMPLATE" --admin-password "$ADMIN_PASSWORD" \
		>"$LOGS/init.log" 2>&1; then
		KOUPREY_IMPORT=0
		KOUPREY_NOTE="\`kouprey init\` failed: $(tail -1 "$LOGS/init.log")"
	fi
fi

# a database as `kouprey init` leaves it, for the import of $n rows
kouprey_fresh_db() {
	rm -f "$db" "$db-wal" "$db-shm"
	cp "$TEMPLATE" "$db" && { [ ! -f "$TEMPLATE-wal" ] || cp "$TEMPLATE-wal" "$db-wal"; }
}

for n in $SIZES; do
	[ "$KOUPREY_IMPORT" = 1 ] || break
	db=$OUT/kouprey-$n.db
	if [ "${BENCH_REUSE_DB:-0}" = 1 ] && [ -s "$db" ]; then
		K_STATUS[$n]=0 K_WALL[$n]="" K_RSS[$n]="" K_ANON[$n]=0
		K_NOTE[$n]="reused from an earlier run (BENCH_REUSE_DB=1), not timed"
		say "bench: kouprey import, $(human "$n") rows: ${K_NOTE[$n]}"
		continue
	fi
	say "bench: kouprey import seizures, $(human "$n") rows, $IMPORT_RUNS runs ..."
	measure_runs "kouprey-import-$n" 1500 kouprey_fresh_db \
		"$KOUPREY" import seizures "${FILE[$n]}" --db "$db"
	K_WALL[$n]=$M_WALL K_RSS[$n]=$M_RSS K_ANON[$n]=$M_ANON K_STATUS[$n]=$M_STATUS
	K_RUNS[$n]=$M_RUNS
	if [ "$M_STATUS" != 0 ]; then
		K_NOTE[$n]="exit $M_STATUS: $(grep -v '^$' "$LOGS/kouprey-import-$n.log" | tail -1 | cut -c1-160)"
		say "bench:   FAILED (${K_NOTE[$n]}); log: $LOGS/kouprey-import-$n.log"
	else
		got_items=$(sqlite3 "$db" 'SELECT count(*) FROM seizure_item' 2>/dev/null || echo "?")
		got_seizures=$(sqlite3 "$db" 'SELECT count(*) FROM seizure' 2>/dev/null || echo "?")
		K_NOTE[$n]="$got_seizures seizures, $got_items items in the database"
		if [ "$got_items" != "$n" ] || [ "$got_seizures" != "${SEIZURES[$n]}" ]; then
			K_NOTE[$n]="${K_NOTE[$n]} (expected ${SEIZURES[$n]} and $n)"
		fi
		say "bench:   $M_WALL s (median of $M_RUNS), peak $(kb_to_mb "${M_RSS:-0}") MB (anonymous $(kb_to_mb "$M_ANON") MB); ${K_NOTE[$n]}"
	fi
done

# ---- import: sqlite3 shell ---------------------------------------------------------

IMPORT_BASELINES=${BENCH_IMPORT_BASELINES:-1}
# an empty database with the flat table, for the import of $n rows
sqlite_fresh_db() {
	rm -f "$db" "$db-journal" "$db-wal"
	sqlite3 "$db" "CREATE TABLE seizure_flat ($COLUMNS_SQL);" || die "sqlite3 cannot create a table"
}

for n in $SIZES; do
	[ "$IMPORT_BASELINES" = 0 ] && break
	db=$OUT/sqlite-$n.db
	say "bench: sqlite3 .import, $(human "$n") rows, $IMPORT_RUNS runs ..."
	measure_runs "sqlite-import-$n" 900 sqlite_fresh_db \
		sqlite3 "$db" ".import --csv --skip 1 ${FILE[$n]} seizure_flat"
	S_WALL[$n]=$M_WALL S_RSS[$n]=$M_RSS S_ANON[$n]=$M_ANON S_STATUS[$n]=$M_STATUS
	S_RUNS[$n]=$M_RUNS
	got=$(sqlite3 "$db" 'SELECT count(*) FROM seizure_flat' 2>/dev/null || echo "?")
	[ "$got" = "$n" ] || S_STATUS[$n]="rows: $got"
	say "bench:   $M_WALL s (median of $M_RUNS), peak $(kb_to_mb "${M_RSS:-0}") MB, $got rows"
	rm -f "$db"
done

# ---- import: PostgreSQL COPY ---------------------------------------------------------

PG_NOTE=""
PG_PORT=""
pg_start() {
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
		PG_NOTE="PostgreSQL server binaries are not installed (Debian package postgresql)"
		return 1
	fi
	if [ "$(id -u)" != 0 ] || ! id postgres >/dev/null 2>&1; then
		PG_NOTE="starting a private PostgreSQL needs root and the postgres user"
		return 1
	fi
	PG_DIR=$(mktemp -d -t kouprey-bench-pg.XXXXXX)
	chown postgres: "$PG_DIR"
	PG_PORT=$(free_port) || { PG_NOTE="no free port"; return 1; }
	if ! runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres \
		-E UTF8 --locale=C.UTF-8 >"$LOGS/pg-initdb.log" 2>&1; then
		PG_NOTE="initdb failed (see $LOGS/pg-initdb.log)"
		return 1
	fi
	if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
		-o "-p $PG_PORT -k $PG_DIR -c listen_addresses=''" -w -t 60 start \
		>"$LOGS/pg-start.log" 2>&1; then
		PG_NOTE="the PostgreSQL server did not start (see $LOGS/pg-start.log)"
		cp "$PG_DIR/server.log" "$LOGS/pg-server.log" 2>/dev/null
		return 1
	fi
	chmod 755 "$PG_DIR"
	PG_VERSION=$("$PG_BIN/postgres" --version | awk '{ print $3 }')
}
psql_run() { psql -X -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

if [ "$IMPORT_BASELINES" = 0 ]; then
	PG_NOTE="skipped (BENCH_IMPORT_BASELINES=0)"
elif [ "${BENCH_PG:-1}" = 0 ]; then
	PG_NOTE="skipped (BENCH_PG=0)"
elif pg_start; then
	# an empty flat table; the backend's peak of each run, the largest kept
	pg_fresh_table() {
		psql_run -c "SET client_min_messages = warning; DROP TABLE IF EXISTS seizure_flat; CREATE TABLE seizure_flat ($COLUMNS_SQL);"
	}
	pg_peak() {
		local k
		k=$(awk '/VmHWM/ { print $2 }' "$LOGS/pg-copy-$n.log")
		[ -n "$k" ] && [ "$k" -gt "${P_RSS[$n]:-0}" ] && P_RSS[$n]=$k
		return 0
	}
	for n in $SIZES; do
		pg_fresh_table || { PG_NOTE="psql cannot create a table"; break; }
		script=$LOGS/pg-copy-$n.sql
		{
			echo 'SELECT pg_backend_pid() AS pid \gset'
			echo '\setenv KOUPREY_BENCH_BACKEND :pid'
			echo "\\copy seizure_flat FROM '$ROOT/${FILE[$n]}' WITH (FORMAT csv, HEADER true)"
			echo '\! grep VmHWM /proc/$KOUPREY_BENCH_BACKEND/status'
		} >"$script"
		say "bench: PostgreSQL COPY FROM STDIN, $(human "$n") rows, $IMPORT_RUNS runs ..."
		P_RSS[$n]=0
		M_AFTER=pg_peak measure_runs "pg-copy-$n" 900 pg_fresh_table \
			psql -X -h "$PG_DIR" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -f "$script"
		P_WALL[$n]=$M_WALL P_STATUS[$n]=$M_STATUS P_RUNS[$n]=$M_RUNS
		got=$(psql_run -At -c 'SELECT count(*) FROM seizure_flat' 2>/dev/null || echo "?")
		[ "$got" = "$n" ] || P_STATUS[$n]="rows: $got"
		say "bench:   $M_WALL s (median of $M_RUNS), backend peak $(kb_to_mb "${P_RSS[$n]:-0}") MB, $got rows"
		psql_run -c 'DROP TABLE seizure_flat' >/dev/null 2>&1
	done
fi
[ -n "$PG_NOTE" ] && say "bench: PostgreSQL baseline: $PG_NOTE"

# ---- HTTP ------------------------------------------------------------------------------

HTTP_NOTE=""
declare -a HTTP_ROWS=()
HTTP_N=""
for n in $SIZES; do
	[ "${K_STATUS[$n]:-x}" = 0 ] && HTTP_N=$n
done

to_ms() {
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) printf "%.2f", substr(v, 1, length(v) - 2) / 1000
		else if (v ~ /ms$/) printf "%.2f", substr(v, 1, length(v) - 2)
		else if (v ~ /s$/) printf "%.2f", substr(v, 1, length(v) - 1) * 1000
		else print "" }'
}

# wrk_run LABEL SCRIPT SECONDS: runs wrk; sets W_RPS W_P50 W_P99 W_REQ W_ERR
# (W_P50 and W_P99 empty when no request completed).
wrk_run() {
	local log=$LOGS/wrk-$1.log
	timeout $(($3 + 30)) wrk -t2 -c32 -d"$3s" --timeout 5s --latency -s "$2" \
		"http://127.0.0.1:$HTTP_PORT" >"$log" 2>&1
	W_REQ=$(awk '/requests in/ { print $1 }' "$log")
	W_RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$log")
	W_P50="" W_P99=""
	if [ "${W_REQ:-0}" -gt 0 ]; then
		W_P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$log")")
		W_P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$log")")
	fi
	W_ERR=$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
		/Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
		END { print n + 0 }' "$log")
}

# The server is restarted before each measured run, so that requests still
# queued from the previous run (a slow one) do not weigh on the next.
server_stop() {
	[ -n "$SERVER_PID" ] || return 0
	kill "$SERVER_PID" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=""
}
server_start() {
	local t0 up=0
	server_stop
	t0=$(now_ns)
	"$KOUPREY" serve --db "$HTTP_DB" --listen "127.0.0.1:$HTTP_PORT" >>"$LOGS/serve.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1200); do
		if curl -sf -m 2 "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null 2>&1; then up=1; break; fi
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	START_TIME=$(elapsed "$t0" "$(now_ns)")
	[ "$up" = 1 ]
}
# server_peak: the server's peak resident memory so far, kB
server_peak() {
	local k
	k=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null)
	[ -n "$k" ] && [ "$k" -gt "${SERVE_RSS:-0}" ] && SERVE_RSS=$k
}

# alone PATH: median time (ms) of 3 requests one after the other; sets
# A_CODE (status of the last) and A_MS.
alone() {
	local t=() i out
	A_CODE=""
	for i in 1 2 3; do
		out=$(curl -s -o "$LOGS/sample.json" -w '%{http_code} %{time_total}' -m 30 \
			-H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT$1")
		A_CODE=${out%% *}
		[ "$A_CODE" = 200 ] || break
		t+=("${out##* }")
	done
	A_MS=""
	[ ${#t[@]} = 3 ] && A_MS=$(printf '%s\n' "${t[@]}" | sort -g | sed -n 2p | awk '{ printf "%.1f", $1 * 1000 }')
}

# http_case KIND NAME SCRIPT SECONDS SAMPLE-PATH: one measured run and its table row
http_case() {
	local kind=$1 name=$2 script=$3 secs=$4 sample=$5 total
	if ! server_start; then
		HTTP_ROWS+=("$name|||||server did not start: $(tail -1 "$LOGS/serve.log" | tr '|' '/')|$kind")
		return
	fi
	alone "$sample"
	if [ "$A_CODE" != 200 ]; then
		HTTP_ROWS+=("$name|||||answered ${A_CODE:-nothing}: $(head -c 120 "$LOGS/sample.json" | tr '|\n' '/ ')|$kind")
		say "bench:   $name answered ${A_CODE:-nothing}"
		return
	fi
	total=$(grep -o '"total": *[0-9-]*' "$LOGS/sample.json" | head -1 | grep -o '[0-9-]*$')
	[ -n "$total" ] && name="$name (total $(thousands "$total"))"
	say "bench: wrk $name, $secs s (alone: $A_MS ms) ..."
	# the first seconds after a restart grow the heap (each connection's
	# page cache, the rendered-record cache): a cold start, not the rate a
	# running server keeps up
	[ "$kind" = get ] || [ "$kind" = get1 ] && wrk_run "$kind-warmup" "$script" 5
	local label runs=1 all=() i
	label="$kind-$(echo "$name" | md5sum | cut -c1-8)"
	# the single GET is the rate with the most run-to-run spread on a shared
	# virtual machine: three runs, the median one reported, all three shown
	[ "$kind" = get ] && runs=$GET_RUNS
	for ((i = 1; i <= runs; i++)); do
		wrk_run "$label-$i" "$script" "$secs"
		all+=("$W_RPS $W_P50 $W_P99 ${W_REQ:-0} $W_ERR")
	done
	read -r W_RPS W_P50 W_P99 W_REQ W_ERR < <(printf '%s\n' "${all[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
	server_peak
	local note="${W_REQ:-0} requests, $W_ERR errors"
	[ "${W_REQ:-0}" = 0 ] && note="no request completed within 5 s"
	[ "$runs" -gt 1 ] && note="$note; median of $runs runs of $secs s: $(printf '%s\n' "${all[@]}" | cut -d' ' -f1 | sort -n | paste -sd' ' | sed 's/ / · /g') req/s"
	HTTP_ROWS+=("$name|$A_MS|$W_RPS|$W_P50|$W_P99|$note|$kind")
	say "bench:   ${W_RPS:-0} req/s, p50 ${W_P50:-n/a} ms, p99 ${W_P99:-n/a} ms, $note"
}

if [ "${BENCH_HTTP:-1}" = 0 ]; then
	HTTP_NOTE="skipped (BENCH_HTTP=0)"
elif [ -z "$HTTP_N" ]; then
	HTTP_NOTE="no kouprey database was imported${KOUPREY_NOTE:+ ($KOUPREY_NOTE)}"
elif ! command -v wrk >/dev/null; then
	HTTP_NOTE="wrk is not installed (Debian package wrk)"
elif ! "$KOUPREY" serve --help >/dev/null 2>&1; then
	HTTP_NOTE="\`kouprey serve\` does not exist yet in this build"
else
	HTTP_DB=$OUT/kouprey-$HTTP_N.db
	: >"$LOGS/serve.log"
	TOKEN=$(timeout 60 "$KOUPREY" user token admin --name "bench-$(date +%s)" --db "$HTTP_DB" \
		2>"$LOGS/token.log" | grep -Eo '[A-Za-z0-9_.~+/=-]{20,}' | tail -1)
	HTTP_PORT=$(free_port)
	if [ -z "$TOKEN" ]; then
		HTTP_NOTE="could not create an API token: $(tail -1 "$LOGS/token.log")"
	elif [ -z "$HTTP_PORT" ]; then
		HTTP_NOTE="no free port"
	elif ! server_start; then
		HTTP_NOTE="the server did not answer /healthz within 120 s: $(tail -1 "$LOGS/serve.log")"
	else
		say "bench: kouprey serve on 127.0.0.1:$HTTP_PORT with the $(human "$HTTP_N")-row database: up in $START_TIME s"
		FIRST_START=$START_TIME
		read -r ID_MIN ID_MAX < <(sqlite3 -separator ' ' "$HTTP_DB" 'SELECT min(id), max(id) FROM seizure')
		export KOUPREY_TOKEN=$TOKEN KOUPREY_ID_MIN=$ID_MIN KOUPREY_ID_MAX=$ID_MAX
		http_case get "GET /api/v1/seizures/{id}, random id in $ID_MIN..$ID_MAX" \
			bench/register/wrk_get.lua "$DURATION" "/api/v1/seizures/$(( (ID_MIN + ID_MAX) / 2 ))"
		# the same record asked again and again (a record in the news, an
		# analyst's open case): served from the rendered-record cache
		ONE_ID=$(( (ID_MIN + ID_MAX) / 2 ))
		KOUPREY_ID_MIN=$ONE_ID KOUPREY_ID_MAX=$ONE_ID http_case get1 \
			"GET /api/v1/seizures/$ONE_ID, the same seizure every time" \
			bench/register/wrk_get.lua "$DURATION" "/api/v1/seizures/$ONE_ID"
		LIST_PATHS=(
			"/api/v1/seizures?species=Manis%20javanica&country=KH&from=2020-01-01&limit=50"
			"/api/v1/seizures?taxon=Manidae&country=VN&limit=50"
			"/api/v1/seizures?species=Loxodonta%20africana&from=2018-01-01&to=2019-12-31&limit=50"
			"/api/v1/seizures?transport_mode=air&country=TH&from=2023-01-01&limit=50"
			"/api/v1/seizures?term=TIM&country=KH&limit=50"
			"/api/v1/seizures?q=Sihanoukville&limit=50"
		)
		for p in "${LIST_PATHS[@]}"; do
			export KOUPREY_PATHS=$p
			http_case list "GET ${p#/api/v1/seizures}" bench/register/wrk_list.lua 5 "$p"
		done
		export KOUPREY_PATHS="${LIST_PATHS[*]:0:5}"
		http_case mix "the first five lists, rotated" bench/register/wrk_list.lua "$DURATION" "${LIST_PATHS[0]}"
		server_stop
	fi
fi
[ -n "$HTTP_NOTE" ] && say "bench: HTTP benchmark: $HTTP_NOTE"

# ---- report ------------------------------------------------------------------------------

LARGEST=""
for n in $SIZES; do LARGEST=$n; done
verdict() { if [ "$1" = yes ]; then echo "**met**"; elif [ "$1" = no ]; then echo "**missed**"; else echo "n/a"; fi; }

report() {
	echo "Machine: $MACHINE. Load average (1 min) at the start $LOAD_START, at the end $(cut -d' ' -f1 /proc/loadavg): other work on the machine slows every number here."
	echo "Generator seed $SEED; \`kouprey\` at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (with uncommitted changes in src/)')."
	echo
	echo "### Input files"
	echo
	echo "| rows | seizures | size | generated in |"
	echo "| ---: | ---: | ---: | ---: |"
	for n in $SIZES; do
		echo "| $(thousands "$n") | $(thousands "${SEIZURES[$n]}") | $(kb_to_mb $((BYTES[$n] / 1024))) MB | ${GEN_TIME[$n]} |"
	done
	echo
	echo "### Import"
	echo
	[ -n "$KOUPREY_NOTE" ] && echo "kouprey: $KOUPREY_NOTE." && echo
	[ "$IMPORT_BASELINES" = 0 ] && echo "sqlite3 .import: skipped (BENCH_IMPORT_BASELINES=0)." && echo
	[ -n "$PG_NOTE" ] && echo "PostgreSQL: $PG_NOTE." && echo
	echo "| rows | tool | time (s) | rows/s | peak RSS (MB) | peak anon (MB) | kouprey ÷ this | notes |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"
	for n in $SIZES; do
		local h kw=${K_WALL[$n]:-} sw=${S_WALL[$n]:-} pw=${P_WALL[$n]:-}
		h=$(human "$n")
		if [ "${K_STATUS[$n]:-x}" = 0 ] && [ -z "$kw" ]; then
			echo "| $h | kouprey import | not timed | | | | | ${K_NOTE[$n]} |"
		elif [ "${K_STATUS[$n]:-x}" = 0 ]; then
			echo "| $h | kouprey import | $kw | $(thousands "$(rate "$n" "$kw")") | $(kb_to_mb "${K_RSS[$n]:-0}") | $(kb_to_mb "${K_ANON[$n]:-0}") | 1.00 | median of ${K_RUNS[$n]} s; ${K_NOTE[$n]} |"
		elif [ -n "${K_STATUS[$n]:-}" ]; then
			echo "| $h | kouprey import | failed | | | | | ${K_NOTE[$n]//|//} |"
		else
			echo "| $h | kouprey import | not run | | | | | |"
		fi
		local kok=0
		[ "${K_STATUS[$n]:-x}" = 0 ] && kok=1
		if [ -n "$sw" ]; then
			echo "| $h | sqlite3 .import (flat table) | $sw | $(thousands "$(rate "$n" "$sw")") | $(kb_to_mb "${S_RSS[$n]:-0}") | $(kb_to_mb "${S_ANON[$n]:-0}") | $([ $kok = 1 ] && ratio "$kw" "$sw" || echo n/a) | median of ${S_RUNS[$n]:-} s; $([ "${S_STATUS[$n]}" = 0 ] && echo ok || echo "status ${S_STATUS[$n]}") |"
		fi
		if [ -n "$pw" ]; then
			echo "| $h | PostgreSQL ${PG_VERSION:-} COPY (flat table) | $pw | $(thousands "$(rate "$n" "$pw")") | $(kb_to_mb "${P_RSS[$n]:-0}") | | $([ $kok = 1 ] && ratio "$kw" "$pw" || echo n/a) | median of ${P_RUNS[$n]:-} s; server backend's peak; $([ "${P_STATUS[$n]}" = 0 ] && echo ok || echo "status ${P_STATUS[$n]}") |"
		fi
	done
	echo
	local t_ratio="n/a" t_mem="n/a" r="" at
	at=$(human "$LARGEST")
	if [ "${K_STATUS[$LARGEST]:-x}" = 0 ] && [ -n "${S_WALL[$LARGEST]:-}" ]; then
		r=$(ratio "${K_WALL[$LARGEST]}" "${S_WALL[$LARGEST]}")
		t_ratio=$(awk -v r="$r" 'BEGIN { print (r <= 1.5) ? "yes" : "no" }')
	fi
	if [ "${K_STATUS[$LARGEST]:-x}" = 0 ] && [ -n "${K_RSS[$LARGEST]:-}" ]; then
		t_mem=$(awk -v k="${K_RSS[$LARGEST]}" 'BEGIN { print (k < 200 * 1024) ? "yes" : "no" }')
	fi
	echo "| target (at $at rows) | measured | verdict |"
	echo "| --- | ---: | --- |"
	echo "| kouprey import within 1.5× of sqlite3 .import | $([ -n "$r" ] && echo "${r}×" || echo n/a) | $(verdict "$t_ratio") |"
	echo "| kouprey import peak memory < 200 MB | $( [ -n "${K_RSS[$LARGEST]:-}" ] && echo "$(kb_to_mb "${K_RSS[$LARGEST]}") MB" || echo n/a) | $(verdict "$t_mem") |"
	if [ "${K_STATUS[$LARGEST]:-x}" = 0 ] && [ "${K_ANON[$LARGEST]:-0}" -gt 0 ]; then
		echo "| (for reference) the same, anonymous memory only, without mapped database pages | $(kb_to_mb "${K_ANON[$LARGEST]}") MB | $(verdict "$(awk -v k="${K_ANON[$LARGEST]}" 'BEGIN { print (k < 200 * 1024) ? "yes" : "no" }')") |"
	fi
	[ "$LARGEST" != 1000000 ] && echo && echo "(The targets are stated at 1M rows; this run's largest file has $(thousands "$LARGEST") rows.)"
	echo
	echo "### HTTP (wrk, 2 threads, 32 connections, 127.0.0.1)"
	echo
	if [ -n "$HTTP_NOTE" ]; then
		echo "Not run: $HTTP_NOTE."
		return
	fi
	echo "Database: the $(human "$HTTP_N")-row import ($(thousands "${SEIZURES[$HTTP_N]}") seizures). The server is restarted before each row (up in ${FIRST_START} s the first time); its peak RSS over all rows was $(kb_to_mb "${SERVE_RSS:-0}") MB (VmHWM, which counts the pages of the database file it maps). \"alone\" is the median of 3 requests one at a time before the load. Each list ran 5 s under load; the random single GET (after a 5 s warm-up, also after each restart; the median of $GET_RUNS runs) and the mix ran $DURATION s."
	echo
	echo "| request | alone (ms) | req/s | p50 (ms) | p99 (ms) | notes |"
	echo "| --- | ---: | ---: | ---: | ---: | --- |"
	local row get_rps="" get1_rps="" mix_p99="" worst_p99="" mix_seen=0 list_seen=0
	for row in "${HTTP_ROWS[@]}"; do
		IFS='|' read -r name alone_ms rps p50 p99 note kind <<<"$row"
		echo "| \`${name}\` | $alone_ms | ${rps:+$(thousands "$rps")} | ${p50:-—} | ${p99:-—} | $note |"
		[ "$kind" = get ] && get_rps=${rps:-0}
		[ "$kind" = get1 ] && get1_rps=${rps:-0}
		if [ "$kind" = mix ]; then
			mix_seen=1
			mix_p99=${p99:-timeout}
		fi
		if [ "$kind" = list ] && [[ $name != *"q="* ]]; then
			list_seen=1
			if [ -z "$p99" ]; then
				worst_p99=timeout
			elif [ "$worst_p99" != timeout ]; then
				worst_p99=$(awk -v a="${worst_p99:-0}" -v b="$p99" 'BEGIN { print (b + 0 > a + 0) ? b : a }')
			fi
		fi
	done
	echo
	local v1="n/a" v1b="n/a" v2="n/a" v3="n/a"
	[ -n "$get_rps" ] && v1=$(awk -v r="$get_rps" 'BEGIN { print (r >= 20000) ? "yes" : "no" }')
	[ -n "$get1_rps" ] && v1b=$(awk -v r="$get1_rps" 'BEGIN { print (r >= 20000) ? "yes" : "no" }')
	[ "$mix_seen" = 1 ] && v2=$(awk -v p="$mix_p99" 'BEGIN { print (p != "timeout" && p + 0 < 20) ? "yes" : "no" }')
	[ "$list_seen" = 1 ] && v3=$(awk -v p="$worst_p99" 'BEGIN { print (p != "timeout" && p + 0 < 20) ? "yes" : "no" }')
	ms() { case $1 in timeout) echo "none within 5 s";; "") echo n/a;; *) echo "$1 ms";; esac; }
	echo "| target (at $(thousands "$HTTP_N") items) | measured | verdict |"
	echo "| --- | ---: | --- |"
	echo "| GET one seizure ≥ 20,000 req/s (random ids: most not in the rendered-record cache) | $([ -n "$get_rps" ] && echo "$(thousands "$get_rps") req/s" || echo n/a) | $(verdict "$v1") |"
	echo "| the same, one seizure asked again and again | $([ -n "$get1_rps" ] && echo "$(thousands "$get1_rps") req/s" || echo n/a) | $(verdict "$v1b") |"
	echo "| filtered list p99 < 20 ms (the rotated mix) | $(ms "$mix_p99") | $(verdict "$v2") |"
	echo "| filtered list p99 < 20 ms (worst single filter, q= aside) | $(ms "$worst_p99") | $(verdict "$v3") |"
}

TABLES=$(report)
printf '\n%s\n' "$TABLES"

if [ "${BENCH_WRITE_RESULTS:-1}" != 0 ]; then
	{
		echo
		echo "## Seizure register ($(human "$LARGEST") rows at most; sizes: $(for n in $SIZES; do printf '%s ' "$(human "$n")"; done | sed 's/ $//'))"
		echo
		echo "$TABLES"
	} >"$OUT/register-results.md"
	bench_write_results register "$OUT/register-results.md"
	say "bench: wrote bench/RESULTS.md (section register)"
fi
exit 0
