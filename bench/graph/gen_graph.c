/*
 * gen_graph.c - a synthetic link-analysis graph for the graph benchmark
 * (bench/graph/run.sh; see README.md there).
 *
 *   gen_graph --nodes N --edges M [--seed S] OUTDIR
 *
 * N parties and identifiers (half each) plus N/10 seizures, M undirected
 * edges, written as
 *   OUTDIR/nodes.csv   index,kind,id            (kind 0 seizure, 1 party, 2 identifier)
 *   OUTDIR/edges.csv   src,dst,kind,day,record  (node indexes; day: days since 1970)
 *   OUTDIR/edges.el    "src dst" per line       (igraph's edge-list reader)
 *
 * Structure, meant to look like a register of wildlife-crime networks:
 *   - nodes fall into networks whose sizes follow a Pareto law (shape 1.3,
 *     from 2 nodes up to 60,000): many networks of a handful of nodes, a few
 *     of tens of thousands;
 *   - inside a network each new member links to 1 + Exp(mean) earlier
 *     members, half of them chosen uniformly and half by preferential
 *     attachment (an end of an earlier edge), which gives every large
 *     network a power-law degree tail;
 *   - 8% of the edges go to 2,000 hubs (ports, freight forwarders, shared
 *     addresses) chosen by a Zipf law (exponent 1): the largest hubs have
 *     tens of thousands of links; only networks "connected to the world"
 *     use them (probability 0.05 + size/2000), so hubs glue the large
 *     networks into one giant component and leave most small ones apart.
 * Edge kinds follow the ends' kinds (0 role: seizure-party, 1 holds:
 * party-identifier, 2 relation: party-party, 3 shares: anything else);
 * days are uniform over 2015-2025; record = edge number + 1.  The same
 * arguments give the same files on any machine (splitmix64, no clock).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(void)
{
	return ((rnd() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static uint32_t below(uint64_t n)
{
	return (uint32_t)(rnd() % n);
}

static void *xmalloc_or_die(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "gen_graph: out of memory\n");
		exit(1);
	}
	return p;
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

int main(int argc, char **argv)
{
	uint64_t npi = 10000, m = 50000, seed = 1;
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--nodes") && i + 1 < argc)
			npi = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--edges") && i + 1 < argc)
			m = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else {
			fprintf(stderr, "usage: gen_graph --nodes N --edges M [--seed S] OUTDIR\n");
			return 2;
		}
	}
	if (!dir || npi < 100 || m < npi) {
		fprintf(stderr, "usage: gen_graph --nodes N --edges M [--seed S] OUTDIR (N >= 100, M >= N)\n");
		return 2;
	}
	rng_state = seed * 0x2545f4914f6cdd1dULL + 17;
	uint32_t n = (uint32_t)(npi + npi / 10);
	uint8_t *kind = xmalloc_or_die(n);
	for (uint32_t i = 0; i < n; i++)
		kind[i] = i < npi / 2 ? 1 : i < npi ? 2 : 0;

	/* Members in a random order, cut into networks. */
	uint32_t *perm = xmalloc_or_die((size_t)n * sizeof(*perm));
	for (uint32_t i = 0; i < n; i++)
		perm[i] = i;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = below((uint64_t)i + 1), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}

	uint64_t m_hub = m * 8 / 100, m_intra = m - m_hub;
	double mean_extra = (double)m_intra / n - 1.0;
	if (mean_extra < 0)
		mean_extra = 0;
	uint32_t *src = xmalloc_or_die((size_t)m * sizeof(*src));
	uint32_t *dst = xmalloc_or_die((size_t)m * sizeof(*dst));
	uint64_t ne = 0;
	uint8_t *world = xmalloc_or_die(n);   /* node is in a network connected to the hubs */
	uint32_t nnet = 0, largest = 0;
	uint32_t *enet = xmalloc_or_die((size_t)m * sizeof(*enet));   /* network of each edge */
	uint64_t *net_lo = xmalloc_or_die((size_t)n * sizeof(*net_lo));
	uint64_t *net_hi = xmalloc_or_die((size_t)n * sizeof(*net_hi));
	for (uint32_t at = 0; at < n;) {
		uint32_t s = (uint32_t)(2 + floor(3.0 * (pow(unif(), -1.0 / 1.3) - 1.0)));
		if (s > 60000)
			s = 60000;
		if (s > n - at)
			s = n - at;
		if (s > largest)
			largest = s;
		nnet++;
		int connected = unif() < 0.05 + s / 2000.0;
		const uint32_t *mem = perm + at;
		uint64_t first = ne;
		for (uint32_t i = 0; i < s; i++)
			world[mem[i]] = (uint8_t)connected;
		for (uint32_t i = 1; i < s && ne < m_intra; i++) {
			uint32_t k = 1 + (uint32_t)floor(-log(unif()) * mean_extra);
			if (k > i)
				k = i;
			for (uint32_t j = 0; j < k && ne < m_intra; j++) {
				uint32_t t;
				if (ne > first && unif() < 0.5) {
					uint64_t e = first + below(ne - first);
					t = (rnd() & 1) ? src[e] : dst[e];
				} else {
					t = mem[below(i)];
				}
				if (t == mem[i] || (ne > first && src[ne - 1] == mem[i] && dst[ne - 1] == t))
					t = mem[below(i)];
				src[ne] = mem[i];
				dst[ne] = t;
				enet[ne] = nnet - 1;
				ne++;
			}
		}
		net_lo[nnet - 1] = first;
		net_hi[nnet - 1] = ne;
		at += s;
	}
	/* Small networks cannot take their share (a network of 3 has at most
	 * 3 distinct ties): the rest closes triangles and repeats ties inside
	 * networks already drawn (an edge's end joined to an end of another
	 * edge of the same network). */
	uint64_t drawn = ne;
	while (ne < m_intra && drawn > 0) {
		uint64_t e = below(drawn);
		uint32_t net = enet[e];
		uint64_t f = net_lo[net] + below(net_hi[net] - net_lo[net]);
		uint32_t a = src[e], b = (rnd() & 1) ? src[f] : dst[f];
		if (a == b)
			b = dst[e];
		src[ne] = a;
		dst[ne] = b;
		ne++;
	}
	free(enet);
	free(net_lo);
	free(net_hi);

	/* Hubs: the first 2,000 identifiers of the random order. */
	uint32_t nhub = 0, hubs[2000];
	for (uint32_t i = 0; i < n && nhub < 2000; i++)
		if (kind[perm[i]] == 2)
			hubs[nhub++] = perm[i];
	double cdf[2000], total = 0;
	for (uint32_t r = 0; r < nhub; r++) {
		total += 1.0 / (r + 1);
		cdf[r] = total;
	}
	uint32_t *wl = xmalloc_or_die((size_t)n * sizeof(*wl));
	uint32_t nw = 0;
	for (uint32_t i = 0; i < n; i++)
		if (world[i])
			wl[nw++] = i;
	while (ne < m && nw > 0) {
		double x = unif() * total;
		uint32_t lo = 0, hi = nhub - 1;
		while (lo < hi) {
			uint32_t mid = (lo + hi) / 2;
			if (cdf[mid] < x)
				lo = mid + 1;
			else
				hi = mid;
		}
		uint32_t a = wl[below(nw)], h = hubs[lo];
		if (a == h)
			continue;
		src[ne] = a;
		dst[ne] = h;
		ne++;
	}

	char path[4096];
	snprintf(path, sizeof(path), "%s/nodes.csv", dir);
	FILE *fn = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/edges.csv", dir);
	FILE *fe = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/edges.el", dir);
	FILE *fl = fopen(path, "w");
	if (!fn || !fe || !fl) {
		perror("gen_graph: cannot write to OUTDIR");
		return 1;
	}
	char line[128];
	for (uint32_t i = 0; i < n; i++) {
		char *p = put_u64(line, i);
		*p++ = ',';
		*p++ = (char)('0' + kind[i]);
		*p++ = ',';
		p = put_u64(p, (uint64_t)i + 1);
		*p++ = '\n';
		fwrite(line, 1, (size_t)(p - line), fn);
	}
	for (uint64_t e = 0; e < ne; e++) {
		uint8_t ka = kind[src[e]], kb = kind[dst[e]];
		unsigned k = 3;
		if ((ka == 0 && kb == 1) || (ka == 1 && kb == 0))
			k = 0;
		else if ((ka == 1 && kb == 2) || (ka == 2 && kb == 1))
			k = 1;
		else if (ka == 1 && kb == 1)
			k = 2;
		uint32_t day = 16436 + below(4018);   /* 2015-01-01 .. 2025-12-31 */
		char *p = put_u64(line, src[e]);
		*p++ = ',';
		p = put_u64(p, dst[e]);
		char *q = p;
		*p++ = ',';
		*p++ = (char)('0' + k);
		*p++ = ',';
		p = put_u64(p, day);
		*p++ = ',';
		p = put_u64(p, e + 1);
		*p++ = '\n';
		fwrite(line, 1, (size_t)(p - line), fe);
		*q++ = '\n';
		for (char *c = line; c < q; c++)
			if (*c == ',')
				*c = ' ';
		fwrite(line, 1, (size_t)(q - line), fl);
	}
	if (fclose(fn) || fclose(fe) || fclose(fl)) {
		perror("gen_graph: write");
		return 1;
	}
	fprintf(stderr, "gen_graph: %u nodes (%llu parties and identifiers, %u seizures), %llu edges, "
		"%u networks (largest drawn %u nodes), %u hubs, %u nodes in networks using hubs\n",
		n, (unsigned long long)npi, n - (uint32_t)npi, (unsigned long long)ne, nnet, largest, nhub, nw);
	free(kind);
	free(perm);
	free(src);
	free(dst);
	free(world);
	free(wl);
	return 0;
}
