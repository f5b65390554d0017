/*
 * search_eval - runs the search benchmark's queries against one system and
 * reports recall@10 and latency per query category.
 *
 *   search_eval --data DIR --system kouprey [--db PATH]
 *   search_eval --data DIR --system http --url http://127.0.0.1:PORT --token T
 *   search_eval --data DIR --system pg --conninfo "host=... port=... dbname=..."
 *   search_eval --data DIR --system fts5 --fts PATH
 *   search_eval --pairs tests/names/pairs.csv
 *
 * DIR holds gen_parties' files (parties.tsv, names.tsv, identifiers.tsv,
 * queries.tsv).  "kouprey" builds kouprey's party index in this process,
 * from the kouprey database at --db when given (party_index_build, as the
 * server does at start) or else straight from the TSV files
 * (party_index_put), and times the build and each search;
 * "http" asks a running `kouprey serve` (GET /api/v1/search, one
 * connection, one request at a time); "pg" runs PostgreSQL pg_trgm
 * similarity search on the romanised names (table party_name, GIN index,
 * `%` then similarity order); "fts5" runs SQLite FTS5 with the trigram
 * tokenizer on the romanised names (the query's words of three letters or
 * more OR-ed, bm25 order).  The baselines get the generator's romanised
 * query, kouprey the query as typed.
 *
 * A name query is answered right when one of the first 10 hits is a party
 * of the target's group (the same canonical romanised name: people named
 * alike cannot be told apart by a name); an identifier query when the
 * identifier is among the first 10 hits.
 *
 * --pairs reads the labelled name pairs (CSV with a header; the columns
 * named a, b and same (1/0, yes/no, true/false)) and reports
 * precision and recall of name_compare() >= NAME_MATCH_THRESHOLD.
 *
 * Output: lines "RESULT key=value ..." on stdout (run.sh reads them),
 * progress on stderr.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <netdb.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth/actor.h"
#include "index/party_index.h"
#include "lib/arena.h"
#include "lib/csv.h"
#include "lib/error.h"
#include "lib/strmap.h"
#include "lib/xalloc.h"
#include "store/store.h"
#include "text/names.h"

enum { K = 10, WARMUP = 200 };

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

/* Splits a TSV line in place; returns the number of fields. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	char *p = line;
	while (n < max) {
		f[n++] = p;
		char *t = strchr(p, '\t');
		if (!t)
			break;
		*t = '\0';
		p = t + 1;
	}
	return n;
}

static FILE *open_data(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "search_eval: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return f;
}

/* ---- the data ---------------------------------------------------------------- */

struct party_info {
	int32_t group;            /* interned canonical name */
	int32_t agency;
	uint8_t national, org;
};

static struct party_info *parties;
static int64_t nparties;
static struct strmap groups;

static void load_parties(const char *dir)
{
	FILE *f = open_data(dir, "parties.tsv");
	char *line = NULL;
	size_t cap = 0;
	size_t pcap = 0;
	int64_t ngroups = 0;
	strmap_init(&groups);
	while (getline(&line, &cap, f) > 0) {
		char *fl[5];
		if (split(line, fl, 5) < 5)
			continue;
		int64_t id = atoll(fl[0]);
		if (id <= 0)
			continue;
		if ((size_t)id >= pcap) {
			size_t n = pcap ? pcap * 2 : 1 << 16;
			while (n <= (size_t)id)
				n *= 2;
			parties = xreallocarray(parties, n, sizeof *parties);
			memset(parties + pcap, 0, (n - pcap) * sizeof *parties);
			pcap = n;
		}
		int64_t g;
		if (!strmap_get(&groups, fl[4], &g)) {
			g = ++ngroups;
			strmap_put(&groups, fl[4], g);
		}
		parties[id] = (struct party_info){ (int32_t)g, atoi(fl[2]),
						   strcmp(fl[3], "national") == 0,
						   strcmp(fl[1], "organisation") == 0 };
		if (id > nparties)
			nparties = id;
	}
	free(line);
	fclose(f);
}

struct query {
	char *category, *text, *roman;
	int64_t party_id, ident_id;
};

static struct query *queries;
static size_t nqueries;

static void load_queries(const char *dir)
{
	FILE *f = open_data(dir, "queries.tsv");
	char *line = NULL;
	size_t cap = 0, qcap = 0;
	while (getline(&line, &cap, f) > 0) {
		char *fl[6];
		if (split(line, fl, 6) < 6)
			continue;
		if (nqueries == qcap) {
			qcap = qcap ? qcap * 2 : 1024;
			queries = xreallocarray(queries, qcap, sizeof *queries);
		}
		queries[nqueries++] = (struct query){ xstrdup(fl[1]), xstrdup(fl[2]), xstrdup(fl[3]),
						      atoll(fl[4]), atoll(fl[5]) };
	}
	free(line);
	fclose(f);
}

/* ---- results ---------------------------------------------------------------------- */

struct outcome {
	int64_t ids[K];           /* party ids (identifier ids for identifier hits) */
	int ident[K];             /* 1 when ids[i] is an identifier */
	int n;
	int failed;
};

static int correct(const struct query *q, const struct outcome *o)
{
	for (int i = 0; i < o->n; i++) {
		if (q->ident_id) {
			if (o->ident[i] && o->ids[i] == q->ident_id)
				return 1;
		} else if (!o->ident[i] && o->ids[i] > 0 && o->ids[i] <= nparties &&
			   parties[o->ids[i]].group == parties[q->party_id].group) {
			return 1;
		}
	}
	return 0;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	if (!n)
		return 0;
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

/* Prints the per-category and overall lines. */
static void report(const char *system, const double *lat, const double *cpu, const int *ok,
		   const int *failed, int names_only)
{
	const char *cats[32];
	size_t ncats = 0;
	for (size_t i = 0; i < nqueries; i++) {
		size_t j = 0;
		while (j < ncats && strcmp(cats[j], queries[i].category) != 0)
			j++;
		if (j == ncats && ncats < 32)
			cats[ncats++] = queries[i].category;
	}
	double *v = xmalloc((nqueries ? nqueries : 1) * sizeof *v);
	double *vc = xmalloc((nqueries ? nqueries : 1) * sizeof *vc);
	for (size_t c = 0; c <= ncats; c++) {
		/* c == ncats: every query (names only for the baselines) */
		const char *name = c < ncats ? cats[c] : "all";
		size_t n = 0, hits = 0, fails = 0;
		for (size_t i = 0; i < nqueries; i++) {
			if (c < ncats && strcmp(queries[i].category, cats[c]) != 0)
				continue;
			if (names_only && queries[i].ident_id)
				continue;
			vc[n] = cpu ? cpu[i] : 0;
			v[n++] = lat[i];
			hits += (size_t)ok[i];
			fails += (size_t)failed[i];
		}
		if (!n)
			continue;
		qsort(v, n, sizeof *v, dbl_cmp);
		qsort(vc, n, sizeof *vc, dbl_cmp);
		double sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += v[i];
		printf("RESULT system=%s category=%s queries=%zu hits=%zu recall=%.4f p50_ms=%.3f "
		       "p99_ms=%.3f mean_ms=%.3f max_ms=%.3f failed=%zu",
		       system, name, n, hits, (double)hits / (double)n, pct(v, n, 0.5), pct(v, n, 0.99),
		       sum / (double)n, v[n - 1], fails);
		if (cpu)
			printf(" cpu_p50_ms=%.3f cpu_p99_ms=%.3f", pct(vc, n, 0.5), pct(vc, n, 0.99));
		printf("\n");
	}
	free(v);
	free(vc);
}

/* The names of the queries' target parties (for explaining misses). */
static char ***target_names;  /* by query: NULL-terminated */

static void load_target_names(const char *dir)
{
	target_names = xcalloc(nqueries + 1, sizeof *target_names);
	int64_t *qidx = xcalloc((size_t)nparties + 1, sizeof *qidx);
	for (size_t i = 0; i < nqueries; i++)
		if (queries[i].party_id > 0 && queries[i].party_id <= nparties)
			qidx[queries[i].party_id] = (int64_t)i + 1;
	FILE *f = open_data(dir, "names.tsv");
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		char *fl[5];
		if (split(line, fl, 5) < 4)
			continue;
		int64_t pid = atoll(fl[0]);
		if (pid <= 0 || pid > nparties || !qidx[pid])
			continue;
		char ***slot = &target_names[qidx[pid] - 1];
		size_t n = 0;
		while (*slot && (*slot)[n])
			n++;
		*slot = xreallocarray(*slot, n + 2, sizeof **slot);
		(*slot)[n] = xstrdup(fl[3]);
		(*slot)[n + 1] = NULL;
	}
	free(line);
	free(qidx);
	fclose(f);
}

/* The best name_compare() of the query against its target's names. */
static double target_score(const struct query *q)
{
	char **names = target_names ? target_names[q - queries] : NULL;
	double best = 0;
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	struct name_key qk, nk;
	if (name_key_build(q->text, &a, &qk, &err) == 0)
		for (size_t i = 0; names && names[i]; i++)
			if (name_key_build(names[i], &a, &nk, &err) == 0) {
				double s = name_compare(&qk, &nk, NULL, 0);
				best = s > best ? s : best;
			}
	error_clear(&err);
	arena_free(&a);
	return best;
}

/* ---- kouprey in process ------------------------------------------------------------ */

static struct party_index *build_from_tsv(const char *dir)
{
	struct party_index *ix = party_index_new();
	FILE *f = open_data(dir, "names.tsv");
	char *line = NULL;
	size_t cap = 0;
	int64_t cur = 0;
	const char *names[8];
	char *owned[8];
	size_t nn = 0;
	struct error err = ERROR_INIT;
	for (;;) {
		ssize_t got = getline(&line, &cap, f);
		char *fl[5];
		int nf = got > 0 ? split(line, fl, 5) : 0;
		int64_t pid = nf >= 4 ? atoll(fl[0]) : -1;
		if (pid != cur && cur > 0) {
			const struct party_info *p = &parties[cur];
			struct party_doc d = { .id = cur, .agency_id = p->agency, .national = p->national,
					       .organisation = p->org, .names = names, .nnames = nn };
			if (party_index_put(ix, &d, &err) != 0) {
				fprintf(stderr, "search_eval: party %lld: %s\n", (long long)cur, err.message);
				exit(1);
			}
			for (size_t i = 0; i < nn; i++)
				free(owned[i]);
			nn = 0;
		}
		if (got <= 0)
			break;
		if (nf < 4)
			continue;
		cur = pid;
		if (nn < 8) {
			owned[nn] = xstrdup(fl[3]);
			names[nn] = owned[nn];
			nn++;
		}
	}
	fclose(f);
	f = open_data(dir, "identifiers.tsv");
	while (getline(&line, &cap, f) > 0) {
		char *fl[6];
		if (split(line, fl, 6) < 6)
			continue;
		int64_t pid = atoll(fl[1]);
		const struct party_info *p = &parties[pid];
		struct ident_doc d = { .id = atoll(fl[0]), .party_id = pid, .agency_id = p->agency,
				       .national = p->national, .kind = fl[2], .key = fl[4],
				       .display = fl[5] };
		if (party_index_put_ident(ix, &d, &err) != 0) {
			fprintf(stderr, "search_eval: identifier %s: %s\n", fl[0], err.message);
			exit(1);
		}
	}
	fclose(f);
	free(line);
	party_index_loaded(ix);
	return ix;
}

static void run_kouprey(const char *dir, const char *db, const char *country)
{
	long rss0 = rss_kb();
	double t0 = now_ms();
	clock_t cpu0 = clock();
	struct party_index *ix = NULL;
	const char *source = "tsv";
	struct store *st = NULL;
	struct error err = ERROR_INIT;
	if (db) {
		source = "store";
		st = store_open(db, STORE_OPEN_EXISTING, &err);
		if (st && store_read_begin(st, &err) == 0) {
			ix = party_index_build(st, &err);
			store_read_end(st);
		}
		if (!ix) {
			fprintf(stderr, "search_eval: building from %s: %s\n", db,
				err.message ? err.message : "?");
			exit(1);
		}
	} else {
		ix = build_from_tsv(dir);
	}
	double build_ms = now_ms() - t0;
	double build_cpu = (double)(clock() - cpu0) / CLOCKS_PER_SEC;
	long rss1 = rss_kb();
	struct party_index_stats s;
	party_index_stats(ix, &s);
	printf("RESULT system=kouprey build source=%s build_s=%.3f build_cpu_s=%.3f parties=%zu "
	       "names=%zu keys=%zu "
	       "terms=%zu postings=%zu identifiers=%zu index_bytes=%zu rss_delta_kb=%ld "
	       "bytes_per_party=%.1f\n",
	       source, build_ms / 1e3, build_cpu, s.parties, s.names, s.keys, s.terms, s.postings,
	       s.identifiers, s.bytes, rss1 - rss0,
	       s.parties ? (double)s.bytes / (double)s.parties : 0.0);
	fflush(stdout);
	struct actor admin = { .user_id = 1, .agency_id = 1, .role = ROLE_ADMIN, .username = "bench" };
	double *lat = xcalloc(nqueries + 1, sizeof *lat), *cpu = xcalloc(nqueries + 1, sizeof *cpu);
	double *tenth = xcalloc(nqueries + 1, sizeof *tenth);
	int *ok = xcalloc(nqueries + 1, sizeof *ok), *failed = xcalloc(nqueries + 1, sizeof *failed);
	const char *dq = getenv("SEARCH_EVAL_DEBUG_QUERY");
	if (dq) { /* development: what one query finds */
		struct arena a;
		arena_init(&a);
		struct party_query pq = { .q = dq, .want_parties = 1, .want_identifiers = 1,
					  .limit = 30, .default_country = country };
		struct party_hit *hits;
		size_t n;
		int64_t total;
		party_index_search(ix, &admin, &pq, &a, &hits, &n, &total, &err);
		fprintf(stderr, "%s: %zu of %lld hits\n", dq, n, (long long)total);
		for (size_t j = 0; j < n; j++)
			fprintf(stderr, "  %lld group %d %.3f %s (%s)\n", (long long)hits[j].id,
				hits[j].kind == PARTY_HIT_PARTY ? parties[hits[j].id].group : -1,
				hits[j].score, hits[j].label, hits[j].reason);
		arena_free(&a);
	}
	/* one pass to warm the caches, one measured */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nqueries; i++) {
			struct arena a;
			arena_init(&a);
			struct party_query pq = { .q = queries[i].text, .want_parties = 1,
						  .want_identifiers = 1, .limit = K,
						  .default_country = country };
			struct party_hit *hits;
			size_t n;
			int64_t total;
			double q0 = now_ms(), c0 = cpu_ms();
			int rc = party_index_search(ix, &admin, &pq, &a, &hits, &n, &total, &err);
			double q1 = now_ms(), c1 = cpu_ms();
			cpu[i] = c1 - c0;
			tenth[i] = n >= K ? hits[K - 1].score : 0;
			struct outcome o = { .failed = rc != 0 };
			for (size_t j = 0; j < n && j < K; j++) {
				o.ids[o.n] = hits[j].id;
				o.ident[o.n++] = hits[j].kind == PARTY_HIT_IDENTIFIER;
			}
			error_clear(&err);
			lat[i] = q1 - q0;
			ok[i] = correct(&queries[i], &o);
			failed[i] = o.failed;
			arena_free(&a);
		}
	}
	report("kouprey", lat, cpu, ok, failed, 0);
	/* a few misses, for whoever reads the log */
	size_t miss_low = 0, miss_ranked = 0, miss_cand = 0;
	for (size_t i = 0; i < nqueries; i++) {
		if (ok[i])
			continue;
		size_t before = 0;
		for (size_t j = 0; j < i; j++)
			before += !ok[j] && strcmp(queries[j].category, queries[i].category) == 0;
		double best = target_score(&queries[i]);
		const char *why = best < PARTY_SEARCH_MIN_SCORE ? "scored below the minimum"
				  : best <= tenth[i]		? "scored no better than the 10th hit"
								: "not among the candidates";
		if (!queries[i].ident_id) {
			if (best < PARTY_SEARCH_MIN_SCORE)
				miss_low++;
			else if (best <= tenth[i])
				miss_ranked++;
			else
				miss_cand++;
		}
		if (before < 8)
			fprintf(stderr, "miss: [%s] %s (party %lld; best score of its names %.3f: %s)\n",
				queries[i].category, queries[i].text, (long long)queries[i].party_id,
				best, why);
	}
	printf("RESULT system=kouprey misses below_min=%zu outranked=%zu not_candidates=%zu\n",
	       miss_low, miss_ranked, miss_cand);
	party_index_free(ix);
	store_close(st);
	free(cpu);
	free(tenth);
	free(lat);
	free(ok);
	free(failed);
}

/* ---- kouprey over HTTP ------------------------------------------------------------------ */

static int http_connect(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
	if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static void urlencode(const char *s, char *out, size_t size)
{
	size_t k = 0;
	for (; *s && k + 4 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')
			out[k++] = (char)c;
		else
			k += (size_t)snprintf(out + k, size - k, "%%%02X", c);
	}
	out[k] = '\0';
}

/* One GET on a kept-alive connection; the body into *body (malloc'd).
 * Returns the status, or -1. */
static int http_get(int *fd, const char *host, const char *port, const char *path,
		    const char *token, char **body)
{
	char req[8192];
	int len = snprintf(req, sizeof req,
			   "GET %s HTTP/1.1\r\nHost: %s:%s\r\nAuthorization: Bearer %s\r\n"
			   "Connection: keep-alive\r\n\r\n",
			   path, host, port, token);
	for (int attempt = 0; attempt < 2; attempt++) {
		if (*fd < 0)
			*fd = http_connect(host, port);
		if (*fd < 0)
			return -1;
		if (write(*fd, req, (size_t)len) != len) {
			close(*fd);
			*fd = -1;
			continue;
		}
		size_t cap = 65536, n = 0;
		char *buf = xmalloc(cap);
		long content_length = -1;
		size_t header_end = 0;
		for (;;) {
			if (n + 4096 > cap) {
				cap *= 2;
				buf = xrealloc(buf, cap);
			}
			ssize_t r = read(*fd, buf + n, cap - n - 1);
			if (r <= 0)
				break;
			n += (size_t)r;
			buf[n] = '\0';
			if (!header_end) {
				char *e = strstr(buf, "\r\n\r\n");
				if (e) {
					header_end = (size_t)(e - buf) + 4;
					char *cl = strcasestr(buf, "\r\nContent-Length:");
					if (cl && cl < e)
						content_length = strtol(cl + 17, NULL, 10);
				}
			}
			if (header_end && content_length >= 0 &&
			    n >= header_end + (size_t)content_length)
				break;
		}
		if (!header_end || content_length < 0) {
			free(buf);
			close(*fd);
			*fd = -1;
			continue;
		}
		int status = atoi(buf + 9);
		*body = xstrndup(buf + header_end, (size_t)content_length);
		free(buf);
		return status;
	}
	return -1;
}

static void run_http(const char *url, const char *token)
{
	char host[256] = "127.0.0.1", port[16] = "80";
	if (sscanf(url, "http://%255[^:/]:%15[0-9]", host, port) < 1) {
		fprintf(stderr, "search_eval: bad --url %s\n", url);
		exit(2);
	}
	int fd = -1;
	double *lat = xcalloc(nqueries + 1, sizeof *lat);
	int *ok = xcalloc(nqueries + 1, sizeof *ok), *failed = xcalloc(nqueries + 1, sizeof *failed);
	size_t errors = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nqueries && (pass == 1 || i < WARMUP); i++) {
			char enc[2048], path[2400];
			urlencode(queries[i].text, enc, sizeof enc);
			snprintf(path, sizeof path,
				 "/api/v1/search?q=%s&kinds=parties,identifiers&limit=%d", enc, K);
			char *body = NULL;
			double q0 = now_ms();
			int status = http_get(&fd, host, port, path, token, &body);
			double q1 = now_ms();
			struct outcome o = { .failed = status != 200 };
			json_t *j = status == 200 ? json_loads(body, 0, NULL) : NULL;
			json_t *items = json_object_get(j, "items");
			for (size_t k = 0; k < json_array_size(items) && o.n < K; k++) {
				json_t *it = json_array_get(items, k);
				const char *kind = json_string_value(json_object_get(it, "kind"));
				if (!kind || strcmp(kind, "seizure") == 0)
					continue;
				o.ids[o.n] = json_integer_value(json_object_get(it, "id"));
				o.ident[o.n++] = strcmp(kind, "identifier") == 0;
			}
			if (status != 200 && pass == 1 && errors++ < 3)
				fprintf(stderr, "search_eval: %s -> %d %s\n", path, status,
					body ? body : "");
			json_decref(j);
			free(body);
			lat[i] = q1 - q0;
			ok[i] = correct(&queries[i], &o);
			failed[i] = o.failed;
		}
	}
	if (fd >= 0)
		close(fd);
	report("kouprey-http", lat, NULL, ok, failed, 0);
	free(lat);
	free(ok);
	free(failed);
}

/* ---- PostgreSQL pg_trgm ------------------------------------------------------------------ */

static void run_pg(const char *conninfo)
{
	PGconn *pg = PQconnectdb(conninfo);
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "search_eval: PostgreSQL: %s", PQerrorMessage(pg));
		exit(1);
	}
	PGresult *r = PQprepare(pg, "q",
				"SELECT party_id, max(similarity(name, $1)) AS s FROM party_name "
				"WHERE name % $1 GROUP BY party_id ORDER BY s DESC, party_id LIMIT 10",
				1, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "search_eval: prepare: %s", PQerrorMessage(pg));
		exit(1);
	}
	PQclear(r);
	double *lat = xcalloc(nqueries + 1, sizeof *lat);
	int *ok = xcalloc(nqueries + 1, sizeof *ok), *failed = xcalloc(nqueries + 1, sizeof *failed);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nqueries; i++) {
			if (queries[i].ident_id || (pass == 0 && i >= WARMUP))
				continue;
			const char *param = queries[i].roman;
			double q0 = now_ms();
			r = PQexecPrepared(pg, "q", 1, &param, NULL, NULL, 0);
			double q1 = now_ms();
			struct outcome o = { .failed = PQresultStatus(r) != PGRES_TUPLES_OK };
			for (int k = 0; !o.failed && k < PQntuples(r) && o.n < K; k++)
				o.ids[o.n++] = atoll(PQgetvalue(r, k, 0));
			PQclear(r);
			lat[i] = q1 - q0;
			ok[i] = correct(&queries[i], &o);
			failed[i] = o.failed;
		}
	}
	PQfinish(pg);
	report("pg_trgm", lat, NULL, ok, failed, 1);
	free(lat);
	free(ok);
	free(failed);
}

/* ---- SQLite FTS5 trigram ------------------------------------------------------------------- */

/* The words of three bytes or more, each quoted, OR-ed; "" when none. */
static void fts_query(const char *roman, char *out, size_t size)
{
	size_t k = 0;
	out[0] = '\0';
	const char *p = roman;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *s = p;
		while (*p && *p != ' ')
			p++;
		size_t len = (size_t)(p - s);
		if (len < 3)
			continue;
		if (k && k + 4 < size)
			k += (size_t)snprintf(out + k, size - k, " OR ");
		if (k + len + 3 >= size)
			break;
		out[k++] = '"';
		for (size_t i = 0; i < len; i++)
			if (s[i] != '"')
				out[k++] = s[i];
		out[k++] = '"';
		out[k] = '\0';
	}
}

static void run_fts(const char *path)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "search_eval: %s: %s\n", path, sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT party_id FROM name_fts WHERE name_fts MATCH ?1 "
			       "ORDER BY rank LIMIT 40",
			       -1, &q, NULL) != SQLITE_OK) {
		fprintf(stderr, "search_eval: FTS5: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	double *lat = xcalloc(nqueries + 1, sizeof *lat);
	int *ok = xcalloc(nqueries + 1, sizeof *ok), *failed = xcalloc(nqueries + 1, sizeof *failed);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nqueries; i++) {
			if (queries[i].ident_id || (pass == 0 && i >= WARMUP))
				continue;
			char m[2048];
			struct outcome o = { 0 };
			double q0 = now_ms();
			fts_query(queries[i].roman, m, sizeof m);
			if (*m) {
				sqlite3_bind_text(q, 1, m, -1, SQLITE_STATIC);
				int rc;
				while ((rc = sqlite3_step(q)) == SQLITE_ROW && o.n < K) {
					int64_t id = sqlite3_column_int64(q, 0);
					int dup = 0;
					for (int k = 0; k < o.n; k++)
						dup |= o.ids[k] == id;
					if (!dup)
						o.ids[o.n++] = id;
				}
				o.failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
				sqlite3_reset(q);
			}
			double q1 = now_ms();
			lat[i] = q1 - q0;
			ok[i] = correct(&queries[i], &o);
			failed[i] = o.failed;
		}
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	report("fts5_trigram", lat, NULL, ok, failed, 1);
	free(lat);
	free(ok);
	free(failed);
}

/* ---- duplicate detection on labelled pairs ------------------------------------------------- */

static int truthy(const char *s)
{
	return strcmp(s, "1") == 0 || strcasecmp(s, "yes") == 0 || strcasecmp(s, "true") == 0 ||
	       strcasecmp(s, "same") == 0;
}

static void run_pairs(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "search_eval: %s: %s\n", path, strerror(errno));
		printf("RESULT pairs missing=1\n");
		return;
	}
	struct error err = ERROR_INIT;
	struct csv_reader *cr = csv_reader_file(f, NULL);
	struct csv_record row;
	int ia = -1, ib = -1, is = -1;
	size_t tp = 0, fp = 0, fn = 0, tn = 0, bad = 0;
	int header = 1;
	double t0 = now_ms();
	while (csv_next(cr, &row, &err) == 1) {
		if (header) {
			for (size_t i = 0; i < row.nfields; i++) {
				if (strcmp(row.fields[i], "a") == 0 || strcmp(row.fields[i], "name_a") == 0)
					ia = (int)i;
				else if (strcmp(row.fields[i], "b") == 0 ||
					 strcmp(row.fields[i], "name_b") == 0)
					ib = (int)i;
				else if (strcmp(row.fields[i], "same") == 0)
					is = (int)i;
			}
			if (ia < 0 || ib < 0 || is < 0) {
				fprintf(stderr, "search_eval: %s: needs columns a, b, same\n",
					path);
				printf("RESULT pairs missing=1\n");
				csv_reader_free(cr);
				fclose(f);
				return;
			}
			header = 0;
			continue;
		}
		if ((size_t)ia >= row.nfields || (size_t)ib >= row.nfields || (size_t)is >= row.nfields) {
			bad++;
			continue;
		}
		struct arena a;
		arena_init(&a);
		struct name_key ka, kb;
		if (name_key_build(row.fields[ia], &a, &ka, &err) != 0 ||
		    name_key_build(row.fields[ib], &a, &kb, &err) != 0) {
			error_clear(&err);
			bad++;
			arena_free(&a);
			continue;
		}
		int said = name_compare(&ka, &kb, NULL, 0) >= NAME_MATCH_THRESHOLD;
		int same = truthy(row.fields[is]);
		tp += said && same;
		fp += said && !same;
		fn += !said && same;
		tn += !said && !same;
		arena_free(&a);
	}
	double ms = now_ms() - t0;
	csv_reader_free(cr);
	fclose(f);
	size_t n = tp + fp + fn + tn;
	printf("RESULT pairs pairs=%zu same=%zu tp=%zu fp=%zu fn=%zu tn=%zu precision=%.4f "
	       "recall=%.4f unreadable=%zu seconds=%.3f threshold=%.2f\n",
	       n, tp + fn, tp, fp, fn, tn, tp + fp ? (double)tp / (double)(tp + fp) : 0.0,
	       tp + fn ? (double)tp / (double)(tp + fn) : 0.0, bad, ms / 1e3, NAME_MATCH_THRESHOLD);
}

/* ---- main ---------------------------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: search_eval --data DIR --system kouprey|http|pg|fts5 [--db PATH] [--url URL]\n"
		"                   [--token T] [--conninfo C] [--fts PATH] [--country CC]\n"
		"       search_eval --pairs FILE.csv\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *system = NULL, *db = NULL, *url = NULL, *token = NULL,
		   *conninfo = NULL, *fts = NULL, *pairs = NULL, *country = "KH";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		if (strcmp(a, "--data") == 0)
			dir = v;
		else if (strcmp(a, "--system") == 0)
			system = v;
		else if (strcmp(a, "--db") == 0)
			db = v;
		else if (strcmp(a, "--url") == 0)
			url = v;
		else if (strcmp(a, "--token") == 0)
			token = v;
		else if (strcmp(a, "--conninfo") == 0)
			conninfo = v;
		else if (strcmp(a, "--fts") == 0)
			fts = v;
		else if (strcmp(a, "--pairs") == 0)
			pairs = v;
		else if (strcmp(a, "--country") == 0)
			country = v;
		else
			usage();
		i++;
	}
	if (pairs) {
		run_pairs(pairs);
		return 0;
	}
	if (!dir || !system)
		usage();
	load_parties(dir);
	load_queries(dir);
	fprintf(stderr, "search_eval: %lld parties, %zu queries, system %s\n", (long long)nparties,
		nqueries, system);
	if (strcmp(system, "kouprey") == 0) {
		load_target_names(dir);
		run_kouprey(dir, db, country);
	}
	else if (strcmp(system, "http") == 0 && url && token)
		run_http(url, token);
	else if (strcmp(system, "pg") == 0 && conninfo)
		run_pg(conninfo);
	else if (strcmp(system, "fts5") == 0 && fts)
		run_fts(fts);
	else
		usage();
	return 0;
}
