#!/usr/bin/env python3
"""The dashboard queries of queries.json as SQL in SQLite, on the kouprey
database itself (the real schema and its indexes; ANALYZE run by load.sql).
Prints {"Qn": {"ms": median wall ms, "cpu_ms": median CPU ms, "rows": n}}.

    sqlite_bench.py DB queries.json [runs]
"""
import json
import sqlite3
import statistics
import sys
import time

db, qfile = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
con = sqlite3.connect(db)
con.execute("PRAGMA cache_size = -1048576")   # up to 1 GiB of page cache
con.execute("PRAGMA mmap_size = 4294967296")
con.execute("PRAGMA temp_store = MEMORY")
out = {}


def run(sql):
    n = 0
    for stmt in [s for s in sql.split(";") if s.strip()]:
        n += len(con.execute(stmt).fetchall())
    return n


for q in json.load(open(qfile)):
    rows = run(q["sql"])  # warm the cache
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.thread_time()
        run(q["sql"])
        wall.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.thread_time() - c0) * 1e3)
    out[q["id"]] = {"ms": statistics.median(wall), "cpu_ms": statistics.median(cpu), "rows": rows}
print(json.dumps(out))
