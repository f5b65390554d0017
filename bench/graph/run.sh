#!/usr/bin/env bash
# bench/graph/run.sh - the link-analysis graph's benchmark (issue 4; run by
# `make bench` through bench/run.sh; see bench/graph/README.md).
#
#   1. generates a synthetic graph (bench/graph/gen_graph.c);
#   2. measures kouprey's graph engine in process (bench/graph/graph_bench.c,
#      linked against build/release/libkouprey.a), which also writes the
#      sample queries it used;
#   3. asks python3-igraph the same questions (bench/graph/igraph_bench.py);
#   4. asks PostgreSQL 15 recursive CTEs the same questions, on the same
#      edge table indexed in both directions (a private server it starts);
#   5. measures the same queries over HTTP against `kouprey serve` on a
#      database loaded with the same graph (bench/graph/http.sh);
#   6. prints Markdown tables and writes them to bench/RESULTS.md.
#
# Environment:
#   BENCH_GRAPH_NODES=1000000   parties and identifiers (plus 10% seizures)
#   BENCH_GRAPH_EDGES=5000000   edges
#   BENCH_SEED=1                generator and sample seed
#   BENCH_PG=1                  0 skips PostgreSQL
#   BENCH_IGRAPH=1              0 skips igraph
#   BENCH_PG_STARTS=100         depth-2 neighbourhoods asked of PostgreSQL
#   BENCH_PG_PAIRS=20           shortest paths asked of PostgreSQL
#   BENCH_PG_TIMEOUT=10         seconds per PostgreSQL query (statement_timeout)
#   BENCH_HTTP=1                0 skips the HTTP measurement
#   BENCH_WRITE_RESULTS=1       0 leaves bench/RESULTS.md alone
#
# A measurement, not a test: exits 0 whatever the numbers; non-zero only
# when it cannot run at all.
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 2
. bench/lib.sh
NODES=${BENCH_GRAPH_NODES:-1000000}
EDGES=${BENCH_GRAPH_EDGES:-5000000}
SEED=${BENCH_SEED:-1}
PG_STARTS=${BENCH_PG_STARTS:-100}
PG_PAIRS=${BENCH_PG_PAIRS:-20}
PG_TIMEOUT=${BENCH_PG_TIMEOUT:-10}
OUT=bench/out/graph
LOGS=bench/out/logs
DATA=$OUT/g-$NODES-$EDGES-s$SEED
PY=/usr/bin/python3
mkdir -p "$OUT" "$LOGS" "$DATA"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench graph: $*"; exit 2; }

PG_DIR="" PG_BIN=""
cleanup() {
	if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1
		rm -rf "$PG_DIR"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

human() {
	awk -v n="$1" 'BEGIN {
		if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6
		else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n / 1e3
		else printf "%d", n }'
}
thousands() { awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); o = "";
	while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
	print s o }'; }
# get FILE KEY: the value of "KEY value" in FILE (empty when absent)
get() { awk -v k="$2" '$1 == k { print $2; exit }' "$1" 2>/dev/null; }
# ratio A B: A / B, 3 significant digits below 10 ("n/a" when either is missing or zero)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf (a / b >= 10 ? "%.0f" : "%.3g"), a / b; else print "n/a" }'; }
# pctl FILE P: the P-th percentile (nearest rank) of the numbers in FILE
pctl() { sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END { if (!NR) { print ""; exit }
	k = int(p / 100 * NR + 0.999999); if (k < 1) k = 1; if (k > NR) k = NR; print v[k] }'; }
ms() { awk -v v="$1" 'BEGIN { if (v == "") print "—"; else if (v < 0.01) printf "%.4f", v; else if (v < 0.1) printf "%.3f", v; else if (v < 10) printf "%.2f", v; else printf "%.0f", v }'; }

LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
MACHINE="$(nproc) cores, ${CPU:-unknown CPU}, $MEM, Linux $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC')"
say "bench graph: $MACHINE, load average $LOAD_START"

# ---- build -----------------------------------------------------------------------

cc -O2 -std=c17 -o "$OUT/gen_graph" bench/graph/gen_graph.c -lm || die "cannot build the generator"
make --no-print-directory build/release/libkouprey.a >"$LOGS/graph-make.log" 2>&1 \
	|| die "cannot build build/release/libkouprey.a (see $LOGS/graph-make.log)"
# The graph engine needs nothing outside src/graph and src/lib: the archive
# alone resolves it.
cc -O2 -g -std=c17 -D_GNU_SOURCE -Isrc -o "$OUT/graph_bench" bench/graph/graph_bench.c \
	build/release/libkouprey.a -lm || die "cannot build the driver"

# ---- data ------------------------------------------------------------------------

if [ ! -s "$DATA/edges.csv" ] || [ "$OUT/gen_graph" -nt "$DATA/edges.csv" ]; then
	say "bench graph: generating $(human "$NODES") parties and identifiers, $(human "$EDGES") edges ..."
	t0=$(date +%s%N)
	"$OUT/gen_graph" --nodes "$NODES" --edges "$EDGES" --seed "$SEED" "$DATA" 2>"$LOGS/graph-gen.log" \
		|| die "generator failed: $(cat "$LOGS/graph-gen.log")"
	GEN_NOTE="generated in $(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s"
else
	GEN_NOTE="cached"
fi
say "bench graph: $(cat "$LOGS/graph-gen.log" 2>/dev/null | sed 's/^gen_graph: //') ($GEN_NOTE)"

# ---- kouprey in process ---------------------------------------------------------------

K=$LOGS/graph-kouprey.txt
say "bench graph: kouprey in process ..."
if ! /usr/bin/time -f 'peak_rss_kb %M' -a -o "$K.rss" timeout 1800 "$OUT/graph_bench" --seed "$SEED" "$DATA" >"$K" 2>"$LOGS/graph-kouprey.err"; then
	die "graph_bench failed: $(tail -3 "$LOGS/graph-kouprey.err")"
fi
cat "$K.rss" >>"$K" 2>/dev/null; rm -f "$K.rss"
say "bench graph:   build $(get "$K" build_ms) ms, depth-2 p99 $(get "$K" hood2_capped_p99_ms) ms, path p99 $(get "$K" path1_p99_ms) ms"

# ---- igraph ------------------------------------------------------------------------------

I=$LOGS/graph-igraph.txt
IG_NOTE=""
: >"$I"
if [ "${BENCH_IGRAPH:-1}" = 0 ]; then
	IG_NOTE="skipped (BENCH_IGRAPH=0)"
elif ! "$PY" -c 'import igraph' 2>/dev/null; then
	IG_NOTE="python3-igraph is not installed (Debian package python3-igraph)"
else
	say "bench graph: python3-igraph ..."
	timeout 1800 "$PY" bench/graph/igraph_bench.py "$DATA" >"$I" 2>"$LOGS/graph-igraph.err" \
		|| IG_NOTE="failed: $(tail -1 "$LOGS/graph-igraph.err")"
fi

# ---- PostgreSQL recursive CTEs ------------------------------------------------------------------

P=$LOGS/graph-pg.txt
PG_NOTE=""
: >"$P"
free_port() {
	local p
	for p in $(seq 18300 18399); do
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}
pg_start() {
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || { PG_NOTE="PostgreSQL server binaries are not installed"; return 1; }
	[ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 || { PG_NOTE="starting a private PostgreSQL needs root and the postgres user"; return 1; }
	PG_DIR=$(mktemp -d -t kouprey-bench-pg.XXXXXX)
	chown postgres: "$PG_DIR"
	PG_PORT=$(free_port) || { PG_NOTE="no free port"; return 1; }
	runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
		>"$LOGS/graph-pg-initdb.log" 2>&1 || { PG_NOTE="initdb failed"; return 1; }
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
		-o "-p $PG_PORT -k $PG_DIR -c listen_addresses='' -c shared_buffers=1GB -c work_mem=64MB -c max_parallel_workers_per_gather=0" \
		-w -t 60 start >"$LOGS/graph-pg-start.log" 2>&1 || { PG_NOTE="the server did not start"; return 1; }
	chmod 755 "$PG_DIR"
	PG_VERSION=$("$PG_BIN/postgres" --version | awk '{ print $3 }')
}
psql_run() { psql -X -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

# pg_timed SQLFILE OUTFILE: runs each statement of SQLFILE (one per line)
# with \timing; writes one line per statement: its time in ms, or "timeout".
pg_timed() {
	local script=$LOGS/graph-pg-timed.sql
	{
		echo "SET statement_timeout = '${PG_TIMEOUT}s';"
		echo '\timing on'
		while IFS= read -r q; do
			echo '\echo @@'
			echo "$q"
		done <"$1"
		echo '\echo @@'
	} >"$script"
	psql -X -h "$PG_DIR" -p "$PG_PORT" -U postgres -f "$script" 2>&1 | awk '
		/^@@$/ { if (started) print (t == "" || err ? "timeout" : t); started = 1; t = ""; err = 0; next }
		/^Time: / { t = $2 }
		/ERROR/ { err = 1 }' >"$2"
}

ADJ_VIEW="CREATE VIEW adj AS SELECT src AS a, dst AS b FROM edge UNION ALL SELECT dst, src FROM edge;"
if [ "${BENCH_PG:-1}" = 0 ]; then
	PG_NOTE="skipped (BENCH_PG=0)"
elif pg_start; then
	say "bench graph: PostgreSQL $PG_VERSION: loading the edge table ..."
	t0=$(date +%s%N)
	if psql_run >"$LOGS/graph-pg-load.log" 2>&1 <<-SQL
		CREATE TABLE edge (src int NOT NULL, dst int NOT NULL, kind smallint, day int, record bigint);
		\copy edge FROM '$DATA/edges.csv' WITH (FORMAT csv)
		CREATE INDEX edge_src_dst ON edge (src, dst);
		CREATE INDEX edge_dst_src ON edge (dst, src);
		VACUUM ANALYZE edge;
		$ADJ_VIEW
		CREATE EXTENSION IF NOT EXISTS pg_prewarm;
		SELECT pg_prewarm('edge'), pg_prewarm('edge_src_dst'), pg_prewarm('edge_dst_src');
	SQL
	then
		echo "load_s $(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')" >>"$P"
		echo "table_mb $(psql_run -At -c "SELECT pg_total_relation_size('edge') / 1048576")" >>"$P"
		head -n "$PG_STARTS" "$DATA/starts.txt" | while read -r s; do
			echo "WITH RECURSIVE nb(node, depth) AS (SELECT $s, 0 UNION SELECT adj.b, nb.depth + 1 FROM nb JOIN adj ON adj.a = nb.node WHERE nb.depth < 2) SELECT count(DISTINCT node) FROM nb;"
		done >"$LOGS/graph-pg-hood.sql"
		say "bench graph: PostgreSQL: $PG_STARTS depth-2 neighbourhoods ..."
		pg_timed "$LOGS/graph-pg-hood.sql" "$DATA/pg_hood.txt"
		# The depth bound is each pair's true distance (from kouprey): the
		# most favourable bound PostgreSQL could be given.
		head -n "$PG_PAIRS" "$DATA/pairs.txt" | while read -r s t d; do
			echo "WITH RECURSIVE bfs(node, depth) AS (SELECT $s, 0 UNION SELECT adj.b, bfs.depth + 1 FROM bfs JOIN adj ON adj.a = bfs.node WHERE bfs.depth < $d) SELECT min(depth) FROM bfs WHERE node = $t;"
		done >"$LOGS/graph-pg-path.sql"
		say "bench graph: PostgreSQL: $PG_PAIRS shortest paths ..."
		pg_timed "$LOGS/graph-pg-path.sql" "$DATA/pg_path.txt"
	else
		PG_NOTE="loading failed: $(tail -1 "$LOGS/graph-pg-load.log")"
	fi
fi

# ---- kouprey over HTTP ------------------------------------------------------------------------

H=$LOGS/graph-http.txt
: >"$H"
if [ "${BENCH_HTTP:-1}" = 0 ]; then
	echo "http_note skipped (BENCH_HTTP=0)" >"$H"
else
	say "bench graph: kouprey over HTTP (database load, kouprey serve) ..."
	bench/graph/http.sh "$DATA" "$H"
fi

# ---- report ------------------------------------------------------------------------------------

# pg_stats FILE N KLAT: sets PG_P50 PG_P99 PG_DONE PG_TO and K_P50 K_P99
# (kouprey over the same first N queries, from its latency file KLAT).
pg_stats() {
	PG_P50="" PG_P99="" K_P50="" K_P99="" PG_DONE=0 PG_TO=0
	[ -s "$1" ] || return
	PG_TO=$(grep -c timeout "$1")
	grep -v timeout "$1" >"$1.ok"
	PG_DONE=$(wc -l <"$1.ok")
	# Timed-out queries count as the time limit (so percentiles are lower bounds).
	sed "s/timeout/$((PG_TIMEOUT * 1000))/" "$1" >"$1.all"
	PG_P50=$(pctl "$1.all" 50)
	PG_P99=$(pctl "$1.all" 99)
	head -n "$2" "$3" >"$3.head"
	K_P50=$(pctl "$3.head" 50)
	K_P99=$(pctl "$3.head" 99)
}

verdict() { case $1 in yes) echo "**met**";; no) echo "**missed**";; *) echo "n/a";; esac; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "na"; else print (a + 0 < b + 0) ? "yes" : "no" }'; }

report() {
	local n e
	n=$(get "$K" nodes) e=$(get "$K" edges)
	echo "Machine: $MACHINE. Load average (1 min) at the start $LOAD_START, at the end $(cut -d' ' -f1 /proc/loadavg): the machine was shared with other work, which slows every number here."
	echo "Generator seed $SEED; kouprey at commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src/graph 2>/dev/null || echo ' (with uncommitted changes in src/graph/)'). python3-igraph $(get "$I" version); PostgreSQL ${PG_VERSION:-n/a}."
	echo
	echo "Graph: $(thousands "$n") nodes ($(thousands "$NODES") parties and identifiers, $(thousands $((n - NODES))) seizures), $(thousands "$e") edges; $(thousands "$(get "$K" components)") networks, $(thousands "$(get "$K" components_upto_20)") of them of at most 20 nodes; the giant network has $(thousands "$(get "$K" giant_nodes)") nodes (hubs glue the large networks together), the next $(thousands "$(get "$K" second_nodes)"). Depth-2 neighbourhoods of the sample hold $(get "$K" hood2_full_mean_nodes) nodes on average, $(thousands "$(get "$K" hood2_full_max_nodes)") at most (next to a hub); sample shortest paths are $(get "$K" path1_mean_len) steps on average. Samples: $(get "$K" hood2_ids_n) random start nodes, $(get "$K" path1_n) random pairs of the giant network (the same for every tool; PostgreSQL gets the first $PG_STARTS and $PG_PAIRS)."
	echo
	echo "### Build and memory (kouprey)"
	echo
	echo "| measure | value |"
	echo "| --- | ---: |"
	echo "| build from edge arrays in memory (nodes, id table, CSR) | $(get "$K" build_ms) ms |"
	echo "| graph memory | $(awk -v b="$(get "$K" graph_bytes)" 'BEGIN { printf "%.0f", b / 1048576 }') MB ($(get "$K" bytes_per_edge) bytes per edge) |"
	echo "| graph memory per million edges | **$(get "$K" mb_per_million_edges) MB** |"
	echo "| work area per querying thread | $(awk -v b="$(get "$K" work_bytes)" 'BEGIN { printf "%.0f", b / 1048576 }') MB |"
	echo "| peak RSS of the benchmark process (input arrays included) | $(awk -v k="$(get "$K" peak_rss_kb)" 'BEGIN { printf "%.0f", k / 1024 }') MB |"
	echo "| python3-igraph: build from the edge list file (parse included) | $(get "$I" build_ms) ms |"
	[ -n "$(get "$P" load_s)" ] && echo "| PostgreSQL: COPY, two indexes, VACUUM ANALYZE | $(get "$P" load_s) s, table and indexes $(get "$P" table_mb) MB |"
	echo
	echo "### Queries"
	echo
	[ -n "$IG_NOTE" ] && echo "igraph: $IG_NOTE." && echo
	[ -n "$PG_NOTE" ] && echo "PostgreSQL: $PG_NOTE." && echo
	echo "Times in ms. kouprey runs in process (over HTTP: below the table); igraph through its Python binding (one call per query into its C core; the call itself costs $(get "$I" call_overhead_ms) ms); PostgreSQL through psql over a Unix socket with \`\\timing\`, warm (pg_prewarm), $PG_TIMEOUT s limit per query, a timed-out query counted as the limit."
	echo
	echo "| query | kouprey p50 | kouprey p99 | igraph p50 | igraph p99 | PostgreSQL p50 | PostgreSQL p99 | igraph ÷ kouprey (p50) | PostgreSQL ÷ kouprey (p50, same queries) |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	pg_stats "$DATA/pg_hood.txt" "$PG_STARTS" "$DATA/lat_hood2_ids.txt"
	local pg_hood_ratio pg_path_ratio hood_note path_note
	pg_hood_ratio=$(ratio "$PG_P50" "$K_P50")
	hood_note="$PG_DONE done, $PG_TO timed out"
	echo "| depth-2 neighbourhood, node ids | $(ms "$(get "$K" hood2_ids_p50_ms)") | $(ms "$(get "$K" hood2_ids_p99_ms)") | $(ms "$(get "$I" hood2_ids_p50_ms)") | $(ms "$(get "$I" hood2_ids_p99_ms)") | $(ms "$PG_P50") | $(ms "$PG_P99") ($hood_note) | $(ratio "$(get "$I" hood2_ids_p50_ms)" "$(get "$K" hood2_ids_p50_ms)") | $pg_hood_ratio |"
	echo "| depth-2 neighbourhood with edges and records, cap $(thousands "$(get "$K" hood2_cap)") nodes (what the network view asks; $(get "$K" hood2_capped_truncated) of $(get "$K" hood2_capped_n) hit the cap) | $(ms "$(get "$K" hood2_capped_p50_ms)") | $(ms "$(get "$K" hood2_capped_p99_ms)") | | | | | | |"
	echo "| the same, CPU time of the querying thread (what the query costs without the other work on the machine) | $(ms "$(get "$K" hood2_capped_cpu_p50_ms)") | $(ms "$(get "$K" hood2_capped_cpu_p99_ms)") | | | | | | |"
	echo "| the same, uncapped | $(ms "$(get "$K" hood2_full_p50_ms)") | $(ms "$(get "$K" hood2_full_p99_ms)") | | | | | | |"
	echo "| the same, capped, with 5,000 edges waiting in the overlay | $(ms "$(get "$K" hood2_capped_overlay_p50_ms)") | $(ms "$(get "$K" hood2_capped_overlay_p99_ms)") | | | | | | |"
	pg_stats "$DATA/pg_path.txt" "$PG_PAIRS" "$DATA/lat_path1.txt"
	pg_path_ratio=$(ratio "$PG_P50" "$K_P50")
	path_note="$PG_DONE done, $PG_TO timed out; depth bound = the true distance"
	echo "| shortest path (each step with its record) | $(ms "$(get "$K" path1_p50_ms)") | $(ms "$(get "$K" path1_p99_ms)") | $(ms "$(get "$I" path1_p50_ms)") | $(ms "$(get "$I" path1_p99_ms)") | $(ms "$PG_P50") | $(ms "$PG_P99") ($path_note) | $(ratio "$(get "$I" path1_p50_ms)" "$(get "$K" path1_p50_ms)") | $pg_path_ratio |"
	echo "| the same, CPU time of the querying thread | $(ms "$(get "$K" path1_cpu_p50_ms)") | $(ms "$(get "$K" path1_cpu_p99_ms)") | | | | | | |"
	echo "| 3 shortest paths (Yen), at most 12 steps, first 50 pairs | $(ms "$(get "$K" path3_p50_ms)") | $(ms "$(get "$K" path3_p99_ms)") | | | | | | |"
	echo "| full BFS from a node of the giant network (median of 5) | $(ms "$(get "$K" bfs_full_ms)") | | $(ms "$(get "$I" bfs_full_ms)") | | | | $(ratio "$(get "$I" bfs_full_ms)" "$(get "$K" bfs_full_ms)") | |"
	echo "| the same, returning the node ids (igraph: subcomponent) | $(ms "$(get "$K" bfs_full_ids_ms)") | | $(ms "$(get "$I" bfs_full_ids_ms)") | | | | $(ratio "$(get "$I" bfs_full_ids_ms)" "$(get "$K" bfs_full_ids_ms)") | |"
	echo "| connected components of the whole graph (median of 3) | $(ms "$(get "$K" components_ms)") | | $(ms "$(get "$I" components_ms)") | | | | $(ratio "$(get "$I" components_ms)" "$(get "$K" components_ms)") | |"
	echo "| betweenness, exact, network of $(thousands "$(get "$K" betweenness_exact_nodes)") nodes | $(ms "$(get "$K" betweenness_exact_ms)") | | | | | | | |"
	echo "| betweenness, sampled (64 sources), giant network | $(ms "$(get "$K" betweenness_sampled_ms)") | | | | | | | |"
	echo "| commit of one seizure: a node and 5 edges into the overlay | $(ms "$(get "$K" update_seizure_p50_ms)") | $(ms "$(get "$K" update_seizure_p99_ms)") | | | | | | |"
	echo "| compaction after 1,000 such commits | $(ms "$(get "$K" compact_ms)") | | | | | | | |"
	if [ -n "$(get "$H" http_hood2_p50_ms)" ]; then
		echo
		echo "Over HTTP: \`kouprey serve\` on a database of the same graph (bench/graph/http.sh: $(thousands "$(get "$H" http_links_written)") link rows written by the sqlite3 shell from the $(thousands "$(get "$H" http_edges_generated)") generated edges — identifier-identifier and seizure-seizure edges have no link table and repeated pairs are one row — in $(get "$H" http_load_s) s; server start $(get "$H" http_start_s) s, RSS $(get "$H" http_server_rss_mb) MB), one request at a time from Node's fetch over keep-alive, signed in as an admin, JSON answers included; load average $(get "$H" http_load_before) before, $(get "$H" http_load_after) after."
		echo
		echo "| query over HTTP | requests | p50 | p99 | mean answer | req/s (one client) |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: |"
		echo "| GET /api/v1/graph/neighbourhood?depth=2 (cap 200 nodes) | $(get "$H" http_hood2_n) | $(ms "$(get "$H" http_hood2_p50_ms)") | $(ms "$(get "$H" http_hood2_p99_ms)") | $(thousands "$(get "$H" http_hood2_mean_bytes)") B | $(get "$H" http_hood2_rps) |"
		echo "| GET /api/v1/graph/paths?k=1 | $(get "$H" http_path1_n) | $(ms "$(get "$H" http_path1_p50_ms)") | $(ms "$(get "$H" http_path1_p99_ms)") | $(thousands "$(get "$H" http_path1_mean_bytes)") B | $(get "$H" http_path1_rps) |"
		echo "| GET /healthz (HTTP and client alone) | $(get "$H" http_healthz_n) | $(ms "$(get "$H" http_healthz_p50_ms)") | $(ms "$(get "$H" http_healthz_p99_ms)") | | $(get "$H" http_healthz_rps) |"
	elif [ -n "$(awk '$1 == "http_note"' "$H" 2>/dev/null)" ]; then
		echo
		echo "Over HTTP: $(awk '$1 == "http_note" { $1 = ""; print substr($0, 2); exit }' "$H")."
	fi
	echo
	local v1 v2 v3 v4 v5 v6 v7 r_bfs r_path
	v1=$(lt "$(get "$K" hood2_capped_p99_ms)" 2)
	v2=$(lt "$(get "$K" path1_p99_ms)" 20)
	v3=$(awk -v r="$pg_hood_ratio" 'BEGIN { if (r == "n/a") print "na"; else print (r + 0 >= 100) ? "yes" : "no" }')
	v4=$(awk -v r="$pg_path_ratio" 'BEGIN { if (r == "n/a") print "na"; else print (r + 0 >= 100) ? "yes" : "no" }')
	r_bfs=$(ratio "$(get "$K" bfs_full_ids_ms)" "$(get "$I" bfs_full_ids_ms)")
	r_path=$(ratio "$(get "$K" path1_p50_ms)" "$(get "$I" path1_p50_ms)")
	v5=$(awk -v r="$r_bfs" 'BEGIN { if (r == "n/a") print "na"; else print (r + 0 <= 2) ? "yes" : "no" }')
	v6=$(awk -v r="$r_path" 'BEGIN { if (r == "n/a") print "na"; else print (r + 0 <= 2) ? "yes" : "no" }')
	v7=$(lt "$(get "$K" update_seizure_p99_ms)" 1)
	echo "| target | measured | verdict |"
	echo "| --- | ---: | --- |"
	echo "| depth-2 neighbourhood p99 < 2 ms in process (capped, with edges) | $(ms "$(get "$K" hood2_capped_p99_ms)") ms | $(verdict "$v1") |"
	echo "| the same, CPU time (p99) | $(ms "$(get "$K" hood2_capped_cpu_p99_ms)") ms | $(verdict "$(lt "$(get "$K" hood2_capped_cpu_p99_ms)" 2)") |"
	echo "| shortest path p99 < 20 ms in process | $(ms "$(get "$K" path1_p99_ms)") ms | $(verdict "$v2") |"
	echo "| the same, CPU time (p99) | $(ms "$(get "$K" path1_cpu_p99_ms)") ms | $(verdict "$(lt "$(get "$K" path1_cpu_p99_ms)" 20)") |"
	echo "| ≥ 100× faster than PostgreSQL CTEs: depth-2 neighbourhood | ${pg_hood_ratio}× | $(verdict "$v3") |"
	echo "| ≥ 100× faster than PostgreSQL CTEs: shortest path | ${pg_path_ratio}× | $(verdict "$v4") |"
	echo "| within 2× of igraph: full BFS (kouprey ÷ igraph, node ids) | ${r_bfs}× | $(verdict "$v5") |"
	echo "| within 2× of igraph: shortest path (kouprey ÷ igraph, p50) | ${r_path}× | $(verdict "$v6") |"
	echo "| commit of one seizure < 1 ms (p99) | $(ms "$(get "$K" update_seizure_p99_ms)") ms | $(verdict "$v7") |"
	echo "| over HTTP: depth-2 neighbourhood p99 (no target; in-process target 2 ms) | $(ms "$(get "$H" http_hood2_p99_ms)") ms | n/a |"
	[ "$NODES" != 1000000 ] || [ "$EDGES" != 5000000 ] && echo && echo "(The targets are stated for 1M parties and identifiers and 5M edges; this run had $(human "$NODES") and $(human "$EDGES").)"
}

TABLES=$(report)
printf '\n%s\n' "$TABLES"
if [ "${BENCH_WRITE_RESULTS:-1}" != 0 ]; then
	{
		echo
		echo "## Link analysis graph ($(human "$NODES") parties and identifiers, $(human "$EDGES") edges)"
		echo
		echo "$TABLES"
	} >"$OUT/graph-results.md"
	bench_write_results graph "$OUT/graph-results.md"
	say "bench graph: wrote bench/RESULTS.md (section graph)"
fi
exit 0
