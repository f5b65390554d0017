/*
 * graph_bench.c - kouprey's graph engine measured in process (bench/graph/
 * run.sh builds it against build/release/libkouprey.a).
 *
 *   graph_bench [--seed S] [--starts 1000] [--pairs 200] [--cap 2000] DIR
 *
 * Reads DIR/nodes.csv and DIR/edges.csv (gen_graph), builds the graph and
 * measures: build time and memory, components, a full breadth-first
 * traversal from a node of the giant component, the depth-2 neighbourhood
 * of random nodes (capped at --cap nodes as the network view asks, and
 * uncapped), the shortest path between random pairs of the giant component,
 * the 3 shortest paths, betweenness of a network of a few thousand nodes,
 * and the commit of one seizure (a node and 5 edges added to the overlay).
 * Prints "key value" lines on stdout.  Writes the samples it used, so the
 * baselines ask the same questions:
 *   DIR/starts.txt   one start node per line
 *   DIR/pairs.txt    "src dst distance" per line
 *   DIR/giant.txt    the node the full traversal starts from
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph/graph.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this thread: what a query costs when the machine is shared
 * (wall time also counts the time other processes held the core). */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Percentile p (0..100) of n sorted values (nearest rank). */
static double pct(const double *v, size_t n, double p)
{
	if (!n)
		return 0;
	size_t k = (size_t)(p / 100.0 * n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static void report(const char *name, double *v, size_t n)
{
	qsort(v, n, sizeof(*v), dbl_cmp);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	printf("%s_n %zu\n%s_p50_ms %.4f\n%s_p99_ms %.4f\n%s_max_ms %.4f\n%s_mean_ms %.4f\n", name, n, name,
		pct(v, n, 50), name, pct(v, n, 99), name, n ? v[n - 1] : 0, name, n ? sum / n : 0);
}

/* Latencies in sample order, so run.sh can compare with the baselines
 * query by query. */
static void write_lat(const char *dir, const char *name, const double *v, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%.4f\n", v[i]);
	fclose(f);
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "graph_bench: cannot read %s\n", path);
		exit(2);
	}
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static uint64_t num(char **p)
{
	uint64_t v = 0;
	while (**p >= '0' && **p <= '9')
		v = v * 10 + (uint64_t)(*(*p)++ - '0');
	if (**p)
		(*p)++;   /* the separator */
	return v;
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	size_t nstarts = 1000, npairs = 200, cap = 2000;
	uint64_t seed = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--starts") && i + 1 < argc)
			nstarts = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--pairs") && i + 1 < argc)
			npairs = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--cap") && i + 1 < argc)
			cap = strtoull(argv[++i], NULL, 10);
		else
			dir = argv[i];
	}
	if (!dir) {
		fprintf(stderr, "usage: graph_bench [--seed S] [--starts N] [--pairs N] [--cap N] DIR\n");
		return 2;
	}
	rng = seed;
	struct error err = ERROR_INIT;

	/* ---- read (not measured as build) ---- */
	double t0 = now_ms();
	size_t len;
	char *text = slurp(dir, "nodes.csv", &len);
	size_t nn = 0;
	for (size_t i = 0; i < len; i++)
		nn += text[i] == '\n';
	uint8_t *nkind = malloc(nn);
	int64_t *nid = malloc(nn * sizeof(*nid));
	char *p = text;
	for (size_t i = 0; i < nn; i++) {
		num(&p);
		nkind[i] = (uint8_t)num(&p);
		nid[i] = (int64_t)num(&p);
	}
	free(text);
	text = slurp(dir, "edges.csv", &len);
	size_t m = 0;
	for (size_t i = 0; i < len; i++)
		m += text[i] == '\n';
	uint32_t *ea = malloc(m * sizeof(*ea)), *eb = malloc(m * sizeof(*eb));
	uint8_t *ek = malloc(m);
	int32_t *ed = malloc(m * sizeof(*ed));
	uint64_t *er = malloc(m * sizeof(*er));
	p = text;
	for (size_t i = 0; i < m; i++) {
		ea[i] = (uint32_t)num(&p);
		eb[i] = (uint32_t)num(&p);
		ek[i] = (uint8_t)num(&p);
		ed[i] = (int32_t)num(&p);
		er[i] = num(&p);
	}
	free(text);
	printf("read_ms %.1f\nnodes %zu\nedges %zu\n", now_ms() - t0, nn, m);

	/* ---- build ---- */
	t0 = now_ms();
	struct graph *g = graph_new(nn, m);
	for (size_t i = 0; i < nn; i++)
		graph_add_node(g, (enum graph_node_kind)nkind[i], nid[i], GRAPH_ACL_ALL);
	graph_bulk_begin(g);
	for (size_t i = 0; i < m; i++)
		if (graph_add_edge(g, ea[i], eb[i], ek[i], ed[i], er[i], &err)) {
			fprintf(stderr, "graph_bench: edge %zu: %s\n", i, err.message);
			return 1;
		}
	graph_bulk_end(g);
	double build = now_ms() - t0;
	free(ea);
	free(eb);
	free(ek);
	free(ed);
	free(er);
	printf("build_ms %.1f\ngraph_bytes %zu\nbytes_per_edge %.1f\nmb_per_million_edges %.1f\n", build,
		graph_memory(g), (double)graph_memory(g) / m, (double)graph_memory(g) / 1048576.0 / (m / 1e6));

	struct graph_work *w = graph_work_new();

	/* ---- components ---- */
	struct graph_components cc;
	double comp_ms[3];
	for (int r = 0; r < 3; r++) {
		t0 = now_ms();
		graph_components(g, w, NULL, 0, NULL, NULL, &cc, &err);
		comp_ms[r] = now_ms() - t0;
		if (r < 2)
			graph_components_free(&cc);
	}
	qsort(comp_ms, 3, sizeof(double), dbl_cmp);
	size_t small = 0;
	for (size_t i = 0; i < cc.n; i++)
		small += cc.comps[i].nnodes <= 20;
	printf("components_ms %.1f\ncomponents %zu\ngiant_nodes %zu\nsecond_nodes %zu\ncomponents_upto_20 %zu\n",
		comp_ms[1], cc.n, cc.comps[0].nnodes, cc.n > 1 ? cc.comps[1].nnodes : 0, small);
	printf("work_bytes %zu\n", graph_work_memory(w));

	/* Giant-component nodes, for pairs and the traversal. */
	uint32_t *giant = malloc(cc.comps[0].nnodes * sizeof(*giant));
	size_t ng = 0;
	for (uint32_t v = 0; v < nn; v++)
		if (cc.comp_of[v] == 0)
			giant[ng++] = v;

	char path[4096];
	snprintf(path, sizeof(path), "%s/giant.txt", dir);
	FILE *f = fopen(path, "w");
	uint32_t gstart = giant[rnd() % ng];
	fprintf(f, "%u\n", gstart);
	fclose(f);

	/* ---- full BFS ---- */
	double bfs_ms[5];
	size_t reached = 0;
	unsigned deepest = 0;
	for (int r = 0; r < 5; r++) {
		t0 = now_ms();
		reached = graph_bfs(g, w, gstart, 0, NULL, NULL, &deepest, &err);
		bfs_ms[r] = now_ms() - t0;
	}
	qsort(bfs_ms, 5, sizeof(double), dbl_cmp);
	printf("bfs_full_ms %.2f\nbfs_full_reached %zu\nbfs_full_depth %u\n", bfs_ms[2], reached, deepest);
	for (int r = 0; r < 5; r++) {
		uint32_t *order;
		t0 = now_ms();
		graph_bfs(g, w, gstart, 0, NULL, &order, NULL, &err);
		bfs_ms[r] = now_ms() - t0;
		free(order);
	}
	qsort(bfs_ms, 5, sizeof(double), dbl_cmp);
	printf("bfs_full_ids_ms %.2f\n", bfs_ms[2]);

	/* ---- depth-2 neighbourhoods ---- */
	uint32_t *starts = malloc(nstarts * sizeof(*starts));
	snprintf(path, sizeof(path), "%s/starts.txt", dir);
	f = fopen(path, "w");
	for (size_t i = 0; i < nstarts; i++) {
		starts[i] = (uint32_t)(rnd() % nn);
		fprintf(f, "%u\n", starts[i]);
	}
	fclose(f);
	double *lat = malloc((nstarts > npairs ? nstarts : npairs) * 4 * sizeof(double));
	double *cl = malloc((nstarts > npairs ? nstarts : npairs) * 4 * sizeof(double));
	double c0;
	size_t tot_nodes = 0, max_nodes = 0, truncated = 0;
	struct graph_hood_opts ho = { .depth = 2, .max_nodes = cap, .filter = GRAPH_FILTER_ALL };
	for (size_t i = 0; i < nstarts; i++) {
		struct graph_hood h;
		c0 = cpu_ms();
		t0 = now_ms();
		graph_neighbourhood(g, w, starts[i], &ho, &h, &err);
		lat[i] = now_ms() - t0;
		cl[i] = cpu_ms() - c0;
		truncated += h.truncated;
		graph_hood_free(&h);
	}
	printf("hood2_cap %zu\n", cap);
	report("hood2_capped", lat, nstarts);
	report("hood2_capped_cpu", cl, nstarts);
	printf("hood2_capped_truncated %zu\n", truncated);
	ho.max_nodes = 0;
	for (size_t i = 0; i < nstarts; i++) {
		struct graph_hood h;
		c0 = cpu_ms();
		t0 = now_ms();
		graph_neighbourhood(g, w, starts[i], &ho, &h, &err);
		lat[i] = now_ms() - t0;
		cl[i] = cpu_ms() - c0;
		tot_nodes += h.nnodes;
		if (h.nnodes > max_nodes)
			max_nodes = h.nnodes;
		graph_hood_free(&h);
	}
	report("hood2_full", lat, nstarts);
	report("hood2_full_cpu", cl, nstarts);
	printf("hood2_full_mean_nodes %.0f\nhood2_full_max_nodes %zu\n", (double)tot_nodes / nstarts, max_nodes);
	/* Only the node ids (as the PostgreSQL and igraph baselines return). */
	for (size_t i = 0; i < nstarts; i++) {
		uint32_t *ids;
		c0 = cpu_ms();
		t0 = now_ms();
		graph_bfs(g, w, starts[i], 2, NULL, &ids, NULL, &err);
		lat[i] = now_ms() - t0;
		cl[i] = cpu_ms() - c0;
		free(ids);
	}
	write_lat(dir, "lat_hood2_ids.txt", lat, nstarts);
	report("hood2_ids", lat, nstarts);
	report("hood2_ids_cpu", cl, nstarts);

	/* ---- shortest paths ---- */
	uint32_t *ps = malloc(npairs * sizeof(*ps)), *pd = malloc(npairs * sizeof(*pd));
	size_t *plen = malloc(npairs * sizeof(*plen));
	struct graph_path_opts po = { .k = 1, .max_len = GRAPH_MAX_PATH_LEN, .filter = GRAPH_FILTER_ALL };
	size_t found = 0, sumlen = 0;
	for (size_t i = 0; i < npairs; i++) {
		do {
			ps[i] = giant[rnd() % ng];
			pd[i] = giant[rnd() % ng];
		} while (ps[i] == pd[i]);
		struct graph_paths out;
		c0 = cpu_ms();
		t0 = now_ms();
		graph_shortest_paths(g, w, ps[i], pd[i], &po, &out, &err);
		lat[i] = now_ms() - t0;
		cl[i] = cpu_ms() - c0;
		plen[i] = out.n ? out.paths[0].len : 0;
		found += out.n;
		sumlen += plen[i];
		graph_paths_free(&out);
	}
	write_lat(dir, "lat_path1.txt", lat, npairs);
	report("path1", lat, npairs);
	report("path1_cpu", cl, npairs);
	printf("path1_found %zu\npath1_mean_len %.2f\n", found, found ? (double)sumlen / found : 0);
	snprintf(path, sizeof(path), "%s/pairs.txt", dir);
	f = fopen(path, "w");
	for (size_t i = 0; i < npairs; i++)
		fprintf(f, "%u %u %zu\n", ps[i], pd[i], plen[i]);
	fclose(f);
	/* 3 shortest paths (Yen) on the first 50 pairs. */
	po.k = 3;
	po.max_len = 12;
	size_t nk = npairs < 50 ? npairs : 50;
	for (size_t i = 0; i < nk; i++) {
		struct graph_paths out;
		c0 = cpu_ms();
		t0 = now_ms();
		graph_shortest_paths(g, w, ps[i], pd[i], &po, &out, &err);
		lat[i] = now_ms() - t0;
		cl[i] = cpu_ms() - c0;
		graph_paths_free(&out);
	}
	report("path3", lat, nk);
	report("path3_cpu", cl, nk);

	/* ---- betweenness of one network of a few thousand nodes ---- */
	size_t pick = 0;
	for (size_t i = 0; i < cc.n; i++)
		if (cc.comps[i].nnodes <= 2000) {
			pick = i;
			break;
		}
	uint32_t *net = malloc(cc.comps[pick].nnodes * sizeof(*net));
	size_t nnet = 0;
	for (uint32_t v = 0; v < nn; v++)
		if (cc.comp_of[v] == pick)
			net[nnet++] = v;
	double *bc = malloc(nnet * sizeof(*bc));
	int exact = 0;
	t0 = now_ms();
	graph_centrality(g, w, net, nnet, NULL, 0, 1, NULL, bc, &exact, &err);
	printf("betweenness_exact_nodes %zu\nbetweenness_exact_ms %.1f\n", nnet, now_ms() - t0);
	free(bc);
	bc = malloc(ng * sizeof(*bc));
	t0 = now_ms();
	graph_centrality(g, w, giant, ng, NULL, 64, 1, NULL, bc, &exact, &err);
	printf("betweenness_sampled_nodes %zu\nbetweenness_sampled_samples 64\nbetweenness_sampled_ms %.1f\n", ng,
		now_ms() - t0);
	free(bc);
	free(net);

	/* ---- the commit of one seizure: a node and 5 edges ---- */
	size_t nup = 1000;
	for (size_t i = 0; i < nup; i++) {
		uint32_t ends[5];
		for (int j = 0; j < 5; j++)
			ends[j] = (uint32_t)(rnd() % nn);
		c0 = cpu_ms();
		t0 = now_ms();
		uint32_t s = graph_add_node(g, GRAPH_SEIZURE, (int64_t)(100000000 + i), GRAPH_ACL_ALL);
		for (int j = 0; j < 5; j++)
			graph_add_edge(g, s, ends[j], 0, 20000, 900000000 + i * 5 + (uint64_t)j, &err);
		lat[i] = now_ms() - t0;
		cl[i] = cpu_ms() - c0;
	}
	report("update_seizure", lat, nup);
	report("update_seizure_cpu", cl, nup);
	/* Queries with 5,000 overlay edges waiting. */
	ho.max_nodes = cap;
	for (size_t i = 0; i < nstarts; i++) {
		struct graph_hood h;
		c0 = cpu_ms();
		t0 = now_ms();
		graph_neighbourhood(g, w, starts[i], &ho, &h, &err);
		lat[i] = now_ms() - t0;
		cl[i] = cpu_ms() - c0;
		graph_hood_free(&h);
	}
	report("hood2_capped_overlay", lat, nstarts);
	report("hood2_capped_overlay_cpu", cl, nstarts);
	t0 = now_ms();
	graph_compact(g);
	printf("compact_ms %.1f\n", now_ms() - t0);

	graph_components_free(&cc);
	free(giant);
	free(starts);
	free(ps);
	free(pd);
	free(plen);
	free(lat);
	free(cl);
	free(nkind);
	free(nid);
	graph_work_free(w);
	graph_free(g);
	return 0;
}
