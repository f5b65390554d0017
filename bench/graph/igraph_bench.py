#!/usr/bin/python3
"""bench/graph/igraph_bench.py - python3-igraph (Debian's package, a C core)
on the same graph and the same questions as graph_bench (bench/graph/run.sh).

    igraph_bench.py DIR

Reads DIR/edges.el (igraph's own edge-list reader, in C), DIR/nodes.csv (for
the node count), DIR/giant.txt, DIR/starts.txt and DIR/pairs.txt, and prints
"key value" lines like graph_bench.  Each query is one call into igraph's C
core; the Python call around it costs a few microseconds, reported as
call_overhead_ms so it can be weighed.
"""
import sys
import time

import igraph


def pct(values, p):
    v = sorted(values)
    if not v:
        return 0.0
    k = max(1, min(len(v), int(p / 100.0 * len(v) + 0.999999)))
    return v[k - 1]


def report(name, values):
    print(f"{name}_n {len(values)}")
    print(f"{name}_p50_ms {pct(values, 50):.4f}")
    print(f"{name}_p99_ms {pct(values, 99):.4f}")
    print(f"{name}_max_ms {max(values) if values else 0:.4f}")
    print(f"{name}_mean_ms {sum(values) / len(values) if values else 0:.4f}")


def main():
    d = sys.argv[1]
    with open(f"{d}/nodes.csv", "rb") as f:
        n = sum(1 for _ in f)
    t0 = time.perf_counter()
    g = igraph.Graph.Read_Edgelist(f"{d}/edges.el", directed=False)
    if g.vcount() < n:
        g.add_vertices(n - g.vcount())
    print(f"build_ms {(time.perf_counter() - t0) * 1e3:.1f}")
    print(f"nodes {g.vcount()}")
    print(f"edges {g.ecount()}")
    print(f"version {igraph.__version__}")

    t0 = time.perf_counter()
    comps = g.connected_components()
    print(f"components_ms {(time.perf_counter() - t0) * 1e3:.1f}")
    print(f"components {len(comps)}")

    giant = int(open(f"{d}/giant.txt").read().split()[0])
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        vids, _layers, _parents = g.bfs(giant)
        times.append((time.perf_counter() - t0) * 1e3)
    print(f"bfs_full_ms {sorted(times)[2]:.2f}")
    print(f"bfs_full_reached {len(vids)}")
    # subcomponent: the same traversal returning only the node ids (one
    # list instead of three): the fairer of the two to igraph.
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        sub = g.subcomponent(giant)
        times.append((time.perf_counter() - t0) * 1e3)
    print(f"bfs_full_ids_ms {sorted(times)[2]:.2f}")
    print(f"bfs_full_ids_reached {len(sub)}")

    starts = [int(x) for x in open(f"{d}/starts.txt").read().split()]
    times = []
    for s in starts:
        t0 = time.perf_counter()
        g.neighborhood(s, order=2)
        times.append((time.perf_counter() - t0) * 1e3)
    report("hood2_ids", times)

    pairs = [tuple(int(x) for x in line.split()) for line in open(f"{d}/pairs.txt")]
    times = []
    agree = 0
    for s, t, length in pairs:
        t0 = time.perf_counter()
        p = g.get_shortest_paths(s, to=t, output="vpath")
        times.append((time.perf_counter() - t0) * 1e3)
        agree += len(p[0]) - 1 == length
    report("path1", times)
    print(f"path1_same_length {agree}")

    times = []
    for _ in range(1000):
        t0 = time.perf_counter()
        g.vcount()
        times.append((time.perf_counter() - t0) * 1e3)
    print(f"call_overhead_ms {pct(times, 50):.4f}")


if __name__ == "__main__":
    main()
