#!/usr/bin/env bash
# bench/graph/http.sh DATA OUTFILE - the graph API over HTTP (issue 4's
# "kouprey ... over HTTP"), called by bench/graph/run.sh with the folder of
# gen_graph's files:
#
#   1. a kouprey database (`kouprey init`) with the graph's parties,
#      identifiers, seizures and link rows written by the sqlite3 shell
#      (bench/graph/load_graph.sql; the API would take hours);
#   2. `kouprey serve` on a free port of 127.0.0.1 (it builds the graph
#      index, the search index and the analytics columns at start);
#   3. bench/graph/http_client.mjs: GET /api/v1/graph/neighbourhood (depth 2,
#      the sample's start nodes in turn) and /graph/paths (the sample's pairs),
#      one request at a time over a keep-alive connection, p50 and p99.
#
# Writes "KEY value" lines to OUTFILE (or "http_note TEXT" when it cannot
# run).  BENCH_HTTP_ROUNDS=1: passes over the samples.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
DATA=$1 OUTFILE=$2
LOGS=bench/out/logs
mkdir -p "$LOGS"
: >"$OUTFILE"
note() { echo "http_note $*" >>"$OUTFILE"; printf 'bench graph http: %s\n' "$*" >&2; exit 0; }
BIN=build/release/kouprey
[ -x "$BIN" ] || make --no-print-directory build >"$LOGS/graph-http-make.log" 2>&1 || note "cannot build kouprey"
command -v sqlite3 >/dev/null || note "the sqlite3 shell is not installed"
command -v node >/dev/null || note "node is not installed"
PW='Bench-graph-pass-1'
DIR=$(mktemp -d -t kouprey-bench-graph-http.XXXXXX)
SERVER=""
cleanup() {
	if [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; then
		for _ in $(seq 1 20); do
			kill -0 "$SERVER" 2>/dev/null || break
			sleep 0.5
		done
		kill -9 "$SERVER" 2>/dev/null
		wait "$SERVER" 2>/dev/null
	fi
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB=$DIR/k.db
"$BIN" init --db "$DB" --admin-password "$PW" >"$LOGS/graph-http-init.log" 2>&1 || note "kouprey init failed"
t0=$(date +%s%N)
(cd "$DATA" && sqlite3 "$DB" <"$OLDPWD/bench/graph/load_graph.sql") >"$DIR/load.txt" 2>"$LOGS/graph-http-load.log" \
	|| note "loading the database failed: $(tail -1 "$LOGS/graph-http-load.log")"
echo "http_load_s $(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')" >>"$OUTFILE"
grep ' ' "$DIR/load.txt" | sed 's/^/http_/' >>"$OUTFILE"
echo "http_db_mb $(du -m "$DB" | cut -f1)" >>"$OUTFILE"

# node names of the sample (index -> kind:id)
awk -F, 'BEGIN { k[0] = "seizure"; k[1] = "party"; k[2] = "identifier" }
	NR == FNR { name[$1] = k[$2] ":" $3; next }
	FILENAME ~ /starts/ { print name[$1] > "/dev/stdout" }' "$DATA/nodes.csv" "$DATA/starts.txt" >"$DIR/starts.txt"
awk -F, 'BEGIN { k[0] = "seizure"; k[1] = "party"; k[2] = "identifier" }
	NR == FNR { name[$1] = k[$2] ":" $3; next }
	{ split($0, f, " "); print name[f[1]], name[f[2]] }' "$DATA/nodes.csv" "$DATA/pairs.txt" >"$DIR/pairs.txt"

PORT=""
for p in $(seq 18400 18499); do
	ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { PORT=$p; break; }
done
[ -n "$PORT" ] || note "no free port"
t0=$(date +%s%N)
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$LOGS/graph-http-serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 1200); do
	curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
	kill -0 "$SERVER" 2>/dev/null || note "kouprey serve stopped: $(tail -1 "$LOGS/graph-http-serve.log")"
	sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 || note "kouprey serve did not answer in 10 minutes"
echo "http_start_s $(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')" >>"$OUTFILE"
echo "http_server_rss_mb $(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER/status")" >>"$OUTFILE"
echo "http_load_before $(cut -d' ' -f1 /proc/loadavg)" >>"$OUTFILE"
node bench/graph/http_client.mjs "http://127.0.0.1:$PORT" admin "$PW" "$DIR/starts.txt" "$DIR/pairs.txt" \
	"${BENCH_HTTP_ROUNDS:-1}" >>"$OUTFILE" 2>"$LOGS/graph-http-client.log" \
	|| note "the client failed: $(tail -1 "$LOGS/graph-http-client.log")"
echo "http_load_after $(cut -d' ' -f1 /proc/loadavg)" >>"$OUTFILE"
exit 0
