#!/usr/bin/env bash
# bench/search/run.sh - the search benchmark (issue 3; run by `make bench`
# through bench/run.sh; see bench/search/README.md).
#
#   1. generates parties with multi-script names, their identifiers and a
#      query set with known answers (bench/search/gen_parties.c);
#   2. builds bench/search/search_eval.c against build/release/libkouprey.a;
#   3. duplicate detection: precision and recall of name_compare() at
#      NAME_MATCH_THRESHOLD on the labelled pairs tests/names/pairs.csv;
#   4. kouprey in process: the party index built (from a kouprey database
#      when the party register exists in this build, else from the files),
#      every query timed;
#   5. kouprey over HTTP: the parties written into a kouprey database with
#      the sqlite3 shell (the party API would take hours for a million),
#      `kouprey serve`, every query sent to GET /api/v1/search;
#   6. PostgreSQL 15 pg_trgm (GIN index, `%` then similarity order) and
#      SQLite FTS5 (trigram tokenizer) on the generator's romanised names,
#      with the generator's romanised queries;
#   7. prints Markdown tables and writes them to bench/RESULTS.md.
#
# Environment:
#   BENCH_SEARCH_PARTIES=1000000  parties generated (about two identifiers each)
#   BENCH_SEARCH_QUERIES=4000     queries (about; the generator draws them)
#   BENCH_SEED=1                  generator seed
#   BENCH_HTTP=1                  0 skips the HTTP run
#   BENCH_PG=1                    0 skips PostgreSQL
#   BENCH_WRITE_RESULTS=1         0 leaves bench/RESULTS.md alone
#   BENCH_SEARCH_EVAL=            a search_eval binary to use instead of building one
#
# Benchmarks are measurements, not tests: the script exits 0 whatever the
# numbers are; non-zero only when it cannot run at all.  All traffic stays on
# 127.0.0.1 and a Unix socket.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
. bench/lib.sh
ROOT=$PWD
OUT=bench/out
LOGS=$OUT/logs
N=${BENCH_SEARCH_PARTIES:-1000000}
NQ=${BENCH_SEARCH_QUERIES:-4000}
SEED=${BENCH_SEED:-1}
KOUPREY=${BENCH_KOUPREY:-build/kouprey}
ADMIN_PASSWORD=bench-admin-password
PKGS="libmicrohttpd jansson libsodium sqlite3 libzip libxml-2.0 xlsxwriter icu-uc icu-i18n pangocairo libpq"
mkdir -p "$LOGS"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench search: $*"; exit 2; }

[[ $N =~ ^[0-9]+$ ]] && [ "$N" -gt 0 ] || die "BENCH_SEARCH_PARTIES: \"$N\" is not a count"

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

now_ns() { date +%s%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
human() {
	awk -v n="$1" 'BEGIN {
		if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6
		else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n / 1e3
		else printf "%d", n }'
}
thousands() { awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); o = "";
	while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
	print s o }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.1f", a / b; else print "n/a" }'; }
free_port() {
	local p
	for p in $(seq 18300 18399); do
		if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then echo "$p"; return 0; fi
	done
	return 1
}
# field KEY LINE: the value of key=value in a RESULT line
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }

CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
MACHINE="$(nproc) cores, ${CPU:-unknown CPU}, $MEM, Linux $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC')"
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (with uncommitted changes in src/)')"
say "bench search: $MACHINE, load average $LOAD_START; $(human "$N") parties, ~$NQ queries (seed $SEED)"

# ---- data ------------------------------------------------------------------------

GEN=$OUT/gen_parties
if [ ! -x "$GEN" ] || [ bench/search/gen_parties.c -nt "$GEN" ]; then
	cc -O2 -std=c17 -o "$GEN" bench/search/gen_parties.c || die "cannot build the generator"
fi
DATA=$OUT/search-$N-q$NQ-s$SEED
GEN_TIME=cached
if [ ! -s "$DATA/queries.tsv" ] || [ "$GEN" -nt "$DATA/queries.tsv" ]; then
	t0=$(now_ns)
	rm -rf "$DATA"
	"$GEN" --parties "$N" --queries "$NQ" --seed "$SEED" --out "$DATA" || die "generator failed"
	GEN_TIME="$(elapsed "$t0" "$(now_ns)") s"
fi
NAMES=$(wc -l <"$DATA/names.tsv")
IDENTS=$(wc -l <"$DATA/identifiers.tsv")
QUERIES=$(wc -l <"$DATA/queries.tsv")
say "bench search: $DATA: $(thousands "$N") parties, $(thousands "$NAMES") names, $(thousands "$IDENTS") identifiers, $QUERIES queries (generated: $GEN_TIME)"

# ---- the evaluator ------------------------------------------------------------------

EVAL=$OUT/search_eval
EVAL_NOTE=""
if [ -n "${BENCH_SEARCH_EVAL:-}" ]; then
	EVAL=$BENCH_SEARCH_EVAL  # a search_eval built elsewhere (development)
elif [ ! -f build/release/libkouprey.a ]; then
	EVAL_NOTE="build/release/libkouprey.a is missing (make build)"
elif ! cc -O2 -g -std=c17 -D_GNU_SOURCE -Isrc $(pkg-config --cflags $PKGS) -o "$EVAL" \
	bench/search/search_eval.c build/release/libkouprey.a $(pkg-config --libs $PKGS) \
	-lpthread -lm >"$LOGS/search-eval-cc.log" 2>&1; then
	EVAL_NOTE="search_eval does not build against this kouprey (see $LOGS/search-eval-cc.log): $(grep -m1 -E 'error|undefined' "$LOGS/search-eval-cc.log" | cut -c1-160)"
fi
[ -n "$EVAL_NOTE" ] && say "bench search: $EVAL_NOTE"
declare -a RESULTS=()
# evaluate LABEL ARGS...: runs search_eval, keeps its RESULT lines
evaluate() {
	local label=$1
	shift
	timeout 3600 "$EVAL" "$@" >"$LOGS/search-$label.out" 2>"$LOGS/search-$label.log"
	local st=$?
	while IFS= read -r line; do RESULTS+=("$line"); done < <(grep '^RESULT ' "$LOGS/search-$label.out")
	grep '^RESULT .*category=all' "$LOGS/search-$label.out" | sed 's/^/bench search:   /' >&2
	return $st
}
result() { # result SYSTEM CATEGORY -> the RESULT line
	local r
	for r in "${RESULTS[@]}"; do
		[[ $r == *"system=$1 "* && $r == *"category=$2 "* ]] && { echo "$r"; return; }
	done
}

# ---- duplicate detection on the labelled pairs ---------------------------------------------

PAIRS_NOTE=""
PAIRS_LINE=""
if [ -n "$EVAL_NOTE" ]; then
	PAIRS_NOTE="not run: $EVAL_NOTE"
elif [ ! -f tests/names/pairs.csv ]; then
	PAIRS_NOTE="tests/names/pairs.csv does not exist yet"
else
	"$EVAL" --pairs tests/names/pairs.csv >"$LOGS/search-pairs.out" 2>"$LOGS/search-pairs.log"
	PAIRS_LINE=$(grep '^RESULT pairs' "$LOGS/search-pairs.out")
	[ -z "$PAIRS_LINE" ] && PAIRS_NOTE="search_eval --pairs failed: $(tail -1 "$LOGS/search-pairs.log")"
	say "bench search: pairs: ${PAIRS_LINE:-$PAIRS_NOTE}"
fi

# ---- a kouprey database with the parties ----------------------------------------------------

# The bulk load is SQL over the generator's files: bench/search/load_parties.sql
# (written for the party register's schema, migration 0003).
KDB=$OUT/search-kouprey-$N.db
KDB_NOTE=""
if [ -n "$EVAL_NOTE" ]; then
	KDB_NOTE="not run: $EVAL_NOTE"
elif [ ! -x "$KOUPREY" ]; then
	KDB_NOTE="$KOUPREY is not built (make build)"
elif ! ls src/store/migrations/0003_*.sql >/dev/null 2>&1; then
	KDB_NOTE="the party register (migration 0003) is not in this build yet"
elif [ ! -f bench/search/load_parties.sql ]; then
	KDB_NOTE="bench/search/load_parties.sql is missing"
else
	if [ ! -s "$KDB" ] || [ "$DATA/queries.tsv" -nt "$KDB" ] || [ bench/search/load_parties.sql -nt "$KDB" ]; then
		rm -f "$KDB" "$KDB-wal" "$KDB-shm"
		if ! timeout 300 "$KOUPREY" init --db "$KDB" --admin-password "$ADMIN_PASSWORD" \
			>"$LOGS/search-init.log" 2>&1; then
			KDB_NOTE="\`kouprey init\` failed: $(tail -1 "$LOGS/search-init.log")"
		else
			say "bench search: writing the parties into $KDB with the sqlite3 shell ..."
			t0=$(now_ns)
			if (cd "$DATA" && timeout 1800 sqlite3 "$ROOT/$KDB" <"$ROOT/bench/search/load_parties.sql") \
				>"$LOGS/search-load.log" 2>&1; then
				LOAD_TIME=$(elapsed "$t0" "$(now_ns)")
				say "bench search:   $LOAD_TIME s"
			else
				KDB_NOTE="the bulk load failed: $(grep -v '^$' "$LOGS/search-load.log" | tail -1 | cut -c1-160)"
				rm -f "$KDB"
			fi
		fi
	fi
fi
[ -n "$KDB_NOTE" ] && say "bench search: kouprey database: $KDB_NOTE"

# ---- kouprey in process -------------------------------------------------------------------

INPROC_NOTE=""
if [ -n "$EVAL_NOTE" ]; then
	INPROC_NOTE="not run: $EVAL_NOTE"
else
	say "bench search: kouprey in process ..."
	if [ -z "$KDB_NOTE" ] && [ -s "$KDB" ]; then
		evaluate inproc --data "$DATA" --system kouprey --db "$KDB" || INPROC_NOTE="search_eval failed (see $LOGS/search-inproc.log)"
	else
		evaluate inproc --data "$DATA" --system kouprey || INPROC_NOTE="search_eval failed (see $LOGS/search-inproc.log)"
	fi
	[ -n "$INPROC_NOTE" ] && say "bench search:   $INPROC_NOTE: $(tail -1 "$LOGS/search-inproc.log")"
fi

# ---- kouprey over HTTP ----------------------------------------------------------------------

HTTP_NOTE=""
SERVE_START=""
SERVE_RSS=""
if [ "${BENCH_HTTP:-1}" = 0 ]; then
	HTTP_NOTE="skipped (BENCH_HTTP=0)"
elif [ -n "$KDB_NOTE" ]; then
	HTTP_NOTE="no kouprey database ($KDB_NOTE)"
else
	TOKEN=$(timeout 60 "$KOUPREY" user token admin --name "bench-search-$(date +%s)" --db "$KDB" \
		2>"$LOGS/search-token.log" | grep -Eo '[A-Za-z0-9_.~+/=-]{20,}' | tail -1)
	PORT=$(free_port)
	if [ -z "$TOKEN" ]; then
		HTTP_NOTE="could not create an API token: $(tail -1 "$LOGS/search-token.log")"
	elif [ -z "$PORT" ]; then
		HTTP_NOTE="no free port"
	else
		t0=$(now_ns)
		"$KOUPREY" serve --db "$KDB" --listen "127.0.0.1:$PORT" >"$LOGS/search-serve.log" 2>&1 &
		SERVER_PID=$!
		up=0
		for _ in $(seq 1200); do
			if curl -sf -m 2 "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then up=1; break; fi
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		SERVE_START=$(elapsed "$t0" "$(now_ns)")
		if [ "$up" != 1 ]; then
			HTTP_NOTE="the server did not answer within 120 s: $(tail -1 "$LOGS/search-serve.log")"
		else
			say "bench search: kouprey serve up in $SERVE_START s; queries over HTTP ..."
			evaluate http --data "$DATA" --system http --url "http://127.0.0.1:$PORT" --token "$TOKEN" \
				|| HTTP_NOTE="search_eval failed (see $LOGS/search-http.log)"
			SERVE_RSS=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null)
		fi
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=""
	fi
fi
[ -n "$HTTP_NOTE" ] && say "bench search: HTTP: $HTTP_NOTE"

# ---- baselines: the romanised names ---------------------------------------------------------

ROMAN=$DATA/names-romanised.tsv
[ -s "$ROMAN" ] && [ "$ROMAN" -nt "$DATA/names.tsv" ] || cut -f1,5 "$DATA/names.tsv" >"$ROMAN"

FTS_NOTE=""
FTS_DB=$OUT/search-fts5-$N.db
FTS_BUILD=""
if [ -n "$EVAL_NOTE" ]; then
	FTS_NOTE="not run: $EVAL_NOTE"
else
	rm -f "$FTS_DB"
	say "bench search: SQLite FTS5 trigram index ..."
	t0=$(now_ns)
	if sqlite3 "$FTS_DB" >"$LOGS/search-fts-load.log" 2>&1 <<-EOF
		PRAGMA journal_mode = OFF;
		PRAGMA synchronous = OFF;
		CREATE TABLE name_src (party_id INTEGER, name TEXT);
		.mode tabs
		.import $ROMAN name_src
		CREATE VIRTUAL TABLE name_fts USING fts5(name, party_id UNINDEXED, tokenize = 'trigram');
		INSERT INTO name_fts (name, party_id) SELECT name, party_id FROM name_src;
		DROP TABLE name_src;
		VACUUM;
	EOF
	then
		FTS_BUILD=$(elapsed "$t0" "$(now_ns)")
		say "bench search:   built in $FTS_BUILD s, $(mb "$(stat -c %s "$FTS_DB")") MB"
		evaluate fts5 --data "$DATA" --system fts5 --fts "$FTS_DB" || FTS_NOTE="search_eval failed (see $LOGS/search-fts5.log)"
	else
		FTS_NOTE="building the FTS5 table failed: $(tail -1 "$LOGS/search-fts-load.log")"
	fi
fi

PG_NOTE=""
PG_BUILD=""
PG_INDEX_BYTES=""
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
		-E UTF8 --locale=C.UTF-8 >"$LOGS/search-pg-initdb.log" 2>&1; then
		PG_NOTE="initdb failed (see $LOGS/search-pg-initdb.log)"
		return 1
	fi
	if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
		-o "-p $PG_PORT -k $PG_DIR -c listen_addresses='' -c shared_buffers=256MB -c maintenance_work_mem=256MB" \
		-w -t 60 start >"$LOGS/search-pg-start.log" 2>&1; then
		PG_NOTE="the PostgreSQL server did not start (see $LOGS/search-pg-start.log)"
		return 1
	fi
	chmod 755 "$PG_DIR"
	PG_VERSION=$("$PG_BIN/postgres" --version | awk '{ print $3 }')
}
psql_run() { psql -X -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

if [ "${BENCH_PG:-1}" = 0 ]; then
	PG_NOTE="skipped (BENCH_PG=0)"
elif [ -n "$EVAL_NOTE" ]; then
	PG_NOTE="not run: $EVAL_NOTE"
elif pg_start; then
	say "bench search: PostgreSQL $PG_VERSION pg_trgm GIN index ..."
	chmod a+r "$ROMAN"
	t0=$(now_ns)
	if psql_run >"$LOGS/search-pg-load.log" 2>&1 <<-EOF
		SET client_min_messages = warning;
		CREATE EXTENSION IF NOT EXISTS pg_trgm;
		CREATE TABLE party_name (party_id integer NOT NULL, name text NOT NULL);
		\copy party_name FROM '$ROOT/$ROMAN' WITH (FORMAT text)
		CREATE INDEX party_name_trgm ON party_name USING gin (name gin_trgm_ops);
		VACUUM ANALYZE party_name;
	EOF
	then
		PG_BUILD=$(elapsed "$t0" "$(now_ns)")
		PG_INDEX_BYTES=$(psql_run -At -c "SELECT pg_relation_size('party_name_trgm')")
		say "bench search:   loaded and indexed in $PG_BUILD s (GIN $(mb "${PG_INDEX_BYTES:-0}") MB)"
		evaluate pg --data "$DATA" --system pg --conninfo "host=$PG_DIR port=$PG_PORT user=postgres dbname=postgres" \
			|| PG_NOTE="search_eval failed (see $LOGS/search-pg.log)"
	else
		PG_NOTE="loading failed: $(grep -v '^$' "$LOGS/search-pg-load.log" | tail -1)"
	fi
fi
[ -n "$PG_NOTE" ] && say "bench search: PostgreSQL: $PG_NOTE"

# ---- report ----------------------------------------------------------------------------------

verdict() { if [ "$1" = yes ]; then echo "**met**"; elif [ "$1" = no ]; then echo "**missed**"; else echo "n/a"; fi; }

report() {
	echo "Machine: $MACHINE. Load average (1 min) at the start $LOAD_START, at the end $(cut -d' ' -f1 /proc/loadavg): other work on the machine slows every number here."
	echo "Generator seed $SEED; \`kouprey\` at commit $COMMIT (when the run started)."
	echo
	echo "Data: $(thousands "$N") parties, $(thousands "$NAMES") names (Khmer, Thai, Han, Vietnamese and Latin), $(thousands "$IDENTS") identifiers; $QUERIES queries with known answers (bench/search/README.md says how they are made and what counts as found)."
	echo
	echo "### Duplicate detection (name_compare ≥ NAME_MATCH_THRESHOLD)"
	echo
	if [ -n "$PAIRS_LINE" ]; then
		echo "| labelled pairs | same person | precision | recall | threshold |"
		echo "| ---: | ---: | ---: | ---: | ---: |"
		echo "| $(field pairs "$PAIRS_LINE") | $(field same "$PAIRS_LINE") | $(field precision "$PAIRS_LINE") | $(field recall "$PAIRS_LINE") | $(field threshold "$PAIRS_LINE") |"
	else
		echo "Not measured: $PAIRS_NOTE."
	fi
	echo
	echo "### Index"
	echo
	local b
	b=$(for r in "${RESULTS[@]}"; do [[ $r == *"system=kouprey build"* ]] && echo "$r"; done)
	if [ -n "$b" ]; then
		echo "| system | built from | build (s, wall) | parties | names | distinct keys | terms | postings | identifiers | memory (MB) | bytes per party |"
		echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		echo "| kouprey party index | $(field source "$b") | $(field build_s "$b") (CPU $(field build_cpu_s "$b") s, all threads) | $(thousands "$(field parties "$b")") | $(thousands "$(field names "$b")") | $(thousands "$(field keys "$b")") | $(thousands "$(field terms "$b")") | $(thousands "$(field postings "$b")") | $(thousands "$(field identifiers "$b")") | $(mb "$(field index_bytes "$b")") | $(field bytes_per_party "$b") |"
		[ -n "$FTS_BUILD" ] && echo "| SQLite FTS5 trigram | names-romanised.tsv | $FTS_BUILD | | $(thousands "$NAMES") | | | | | $(mb "$(stat -c %s "$FTS_DB")") (file) | |"
		[ -n "$PG_BUILD" ] && echo "| PostgreSQL pg_trgm GIN | names-romanised.tsv (COPY + index) | $PG_BUILD | | $(thousands "$NAMES") | | | | | $(mb "${PG_INDEX_BYTES:-0}") (index) | |"
		echo
		echo "kouprey's memory is the size of the index's arrays and string pool (party_index_stats); the process's resident memory grew by $(awk -v k="$(field rss_delta_kb "$b")" 'BEGIN { printf "%.1f", k / 1024 }') MB during the build. The build used $(field build_cpu_s "$b") s of CPU on $(nproc) cores (it keys names on every core): on this machine without other work its wall time would be at least $(awk -v c="$(field build_cpu_s "$b")" -v n="$(nproc)" 'BEGIN { printf "%.1f", c / n }') s."
	else
		echo "Not measured: ${INPROC_NOTE:-no result}."
	fi
	echo
	echo "### Recall@10 and latency, by query category"
	echo
	echo "Latency per query, one at a time, after a warm-up pass (all queries for kouprey in process, the first 200 for the others): wall-clock time, and for kouprey in process also the thread's CPU time, which the other work on a shared machine does not inflate. Baselines search the generator's romanised names with its romanised query (identifier queries are kouprey's only); HTTP is \`kouprey serve\` answering GET /api/v1/search on one kept-alive connection."
	echo
	echo "| category | queries | kouprey recall@10 | kouprey p50 / p99 (ms) | kouprey CPU p50 / p99 (ms) | HTTP p50 / p99 (ms) | pg_trgm recall@10 | pg_trgm p50 / p99 (ms) | FTS5 recall@10 | FTS5 p50 / p99 (ms) |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	local cats c k h p f
	cats=$(cut -f2 "$DATA/queries.tsv" | sort | uniq -c | sort -rn | awk '{ print $2 }')
	for c in $cats all; do
		k=$(result kouprey "$c"); h=$(result kouprey-http "$c"); p=$(result pg_trgm "$c"); f=$(result fts5_trigram "$c")
		local nq
		nq=$(field queries "$k")
		[ -z "$nq" ] && nq=$(field queries "$p")
		echo "| $c | ${nq:-} | $(field recall "$k") | $( [ -n "$k" ] && echo "$(field p50_ms "$k") / $(field p99_ms "$k")") | $( [ -n "$k" ] && echo "$(field cpu_p50_ms "$k") / $(field cpu_p99_ms "$k")") | $( [ -n "$h" ] && echo "$(field p50_ms "$h") / $(field p99_ms "$h")") | $(field recall "$p") | $( [ -n "$p" ] && echo "$(field p50_ms "$p") / $(field p99_ms "$p")") | $(field recall "$f") | $( [ -n "$f" ] && echo "$(field p50_ms "$f") / $(field p99_ms "$f")") |"
	done
	echo
	[ -n "$HTTP_NOTE" ] && echo "HTTP: $HTTP_NOTE." && echo
	[ -n "$PG_NOTE" ] && echo "PostgreSQL: $PG_NOTE." && echo
	[ -n "$FTS_NOTE" ] && echo "FTS5: $FTS_NOTE." && echo
	[ -n "$SERVE_START" ] && echo "\`kouprey serve\` on the $(human "$N")-party database was up in $SERVE_START s (index build included); its peak resident memory was $(awk -v k="${SERVE_RSS:-0}" 'BEGIN { printf "%.0f", k / 1024 }') MB." && echo
	# targets
	local kx kn pn x_rec p99 build pgp99 pgrec knames t1="n/a" t2="n/a" t3="n/a" t4="n/a"
	kx=$(result kouprey cross-script); kn=$(result kouprey all)
	x_rec=$(field recall "$kx"); p99=$(field p99_ms "$kn"); build=$(field build_s "$b")
	pn=$(result pg_trgm all); pgp99=$(field p99_ms "$pn"); pgrec=$(field recall "$pn")
	[ -n "$x_rec" ] && t1=$(awk -v r="$x_rec" 'BEGIN { print (r >= 0.95) ? "yes" : "no" }')
	local cpu99
	cpu99=$(field cpu_p99_ms "$kn")
	[ -n "$p99" ] && t2=$(awk -v p="$p99" 'BEGIN { print (p < 5) ? "yes" : "no" }')
	local t2c="n/a"
	[ -n "$cpu99" ] && t2c=$(awk -v p="$cpu99" 'BEGIN { print (p < 5) ? "yes" : "no" }')
	# kouprey's recall on the same (name) queries as pg_trgm
	local names_hits=0 names_n=0 r
	for r in "${RESULTS[@]}"; do
		if [[ $r == *"system=kouprey "* && $r != *"category=all"* && $r != *"category=identifier"* && $r == *"queries="* ]]; then
			names_hits=$((names_hits + $(field hits "$r"))); names_n=$((names_n + $(field queries "$r")))
		fi
	done
	knames=$(awk -v h="$names_hits" -v n="$names_n" 'BEGIN { if (n) printf "%.4f", h / n }')
	# kouprey's p99 on the name queries is reported with all; the ratio uses all
	if [ -n "$p99" ] && [ -n "$pgp99" ] && [ -n "$knames" ]; then
		t3=$(awk -v a="$pgp99" -v b="$p99" -v kr="$knames" -v pr="$pgrec" 'BEGIN { print (a / b >= 10 && kr >= pr) ? "yes" : "no" }')
	fi
	[ -n "$build" ] && t4=$(awk -v s="$build" 'BEGIN { print (s < 20) ? "yes" : "no" }')
	echo "| target (at $(human "$N") parties) | measured | verdict |"
	echo "| --- | ---: | --- |"
	echo "| recall@10 ≥ 0.95 on cross-script queries | ${x_rec:-n/a} | $(verdict "$t1") |"
	echo "| p99 in process < 5 ms (wall clock) | $( [ -n "$p99" ] && echo "$p99 ms" || echo n/a) | $(verdict "$t2") |"
	echo "| p99 in process < 5 ms (CPU time of the query) | $( [ -n "$cpu99" ] && echo "$cpu99 ms" || echo n/a) | $(verdict "$t2c") |"
	echo "| p99 ≥ 10× lower than pg_trgm at equal or better recall | $( [ "$t3" != n/a ] && echo "$(ratio "$pgp99" "$p99")× lower; recall on name queries $knames vs $pgrec" || echo n/a) | $(verdict "$t3") |"
	echo "| index build < 20 s | $( [ -n "$build" ] && echo "$build s" || echo n/a) | $(verdict "$t4") |"
	echo "| index memory reported | $( [ -n "$b" ] && echo "$(mb "$(field index_bytes "$b")") MB, $(field bytes_per_party "$b") bytes per party" || echo n/a) | $( [ -n "$b" ] && echo reported || echo n/a) |"
	[ "$N" != 1000000 ] && echo && echo "(The targets are stated at 1M parties; this run has $(thousands "$N").)"
}

TABLES=$(report)
printf '\n%s\n' "$TABLES"

if [ "${BENCH_WRITE_RESULTS:-1}" != 0 ]; then
	{
		echo
		echo "## Search ($(human "$N") parties)"
		echo
		echo "$TABLES"
	} >"$OUT/search-results.md"
	bench_write_results search "$OUT/search-results.md"
	say "bench search: wrote bench/RESULTS.md (section search)"
fi
exit 0
