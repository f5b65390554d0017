/*
 * driver - the analytics benchmark in process: opens a kouprey database,
 * builds the columns (timed, memory reported), then runs the queries of
 * queries.json through the analytics API (src/analytics/analytics.h), each
 * `--runs` times, and the twelve back to back.  Prints one JSON object.
 *
 *   driver --db FILE --queries queries.json [--runs 7] [--split ROWS]
 *          [--dump FILE] [--only ID]
 *
 * --split: scans of at least ROWS seizures run on two threads (the
 * library's default when not given; 0: every scan on one thread).  CPU
 * times are the process's (every thread's), so they count both halves of a
 * split scan.  --dump: every query's whole answer, every figure to the
 * last bit (%.17g), written to FILE once: to compare two builds' answers.
 * --only ID: that query alone (for profiling it).
 *
 * Built by run.sh against build/release/libkouprey.a.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analytics/analytics.h"
#include "lib/arena.h"
#include "lib/query.h"
#include "ref/refdata.h"
#include "store/store.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* CPU time of the process, every thread: what a query costs in cores (the
 * wall time also counts waiting for a shared machine's cores). */
static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct q {
	const char *id, *endpoint, *actor, *query;
};

static void dump_cell(FILE *f, const char *what, const struct an_cell *c)
{
	fprintf(f, "  %s %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", what, c->seizures,
		c->items, c->quantity, c->weight_kg, c->animals, c->value, c->items_unweighed,
		c->seizures_valued);
}

static void dump_groups(FILE *f, const char *what, const struct an_group *g, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		fprintf(f, " %s %s (%s)\n", what, g[k].key ? g[k].key : "-",
			g[k].label ? g[k].label : "-");
		dump_cell(f, "cell", &g[k].cell);
	}
}

/* Runs one query; returns a check figure (seizures counted); its whole
 * answer to dump when not NULL. */
static double run(struct analytics *an, const struct refdata *ref, const struct q *q,
		  const struct actor *admin, const struct actor *officer, FILE *dump)
{
	struct arena a;
	arena_init(&a);
	struct error err = ERROR_INIT;
	struct query qs;
	if (query_parse(&qs, q->query, strlen(q->query), &a, &err) != 0) {
		fprintf(stderr, "%s: bad query\n", q->id);
		exit(1);
	}
	struct an_request r;
	if (analytics_request_parse(ref, &qs, NULL, &r, &a, &err) != 0) {
		fprintf(stderr, "%s: %s %s\n", q->id, err.message ? err.message : "",
			err.nfields ? err.fields[0].message : "");
		exit(1);
	}
	const struct actor *who = strcmp(q->actor, "officer") == 0 ? officer : admin;
	double check = 0;
	int rc = -1;
	if (!strcmp(q->endpoint, "summary")) {
		struct an_summary s;
		rc = analytics_summary(an, ref, who, &r, &s, &a, &err);
		check = s.total.seizures;
		if (rc == 0 && dump) {
			fprintf(dump, "%s days %d %d\n", q->id, (int)s.first_day, (int)s.last_day);
			dump_cell(dump, "total", &s.total);
			dump_groups(dump, "unit", s.units, s.nunits);
			dump_groups(dump, "commodity", s.commodities, s.ncommodities);
			dump_groups(dump, "class", s.classes, s.nclasses);
		}
	} else if (!strcmp(q->endpoint, "breakdown")) {
		struct an_breakdown b;
		rc = analytics_breakdown(an, ref, who, &r, &b, &a, &err);
		check = b.total.seizures;
		if (rc == 0 && dump) {
			fprintf(dump, "%s groups %zu of %zu multi %d\n", q->id, b.ngroups,
				b.ngroups_total, b.multi);
			dump_cell(dump, "total", &b.total);
			dump_cell(dump, "other", &b.other);
			dump_groups(dump, "group", b.groups, b.ngroups);
		}
	} else if (!strcmp(q->endpoint, "timeseries")) {
		struct an_timeseries t;
		rc = analytics_timeseries(an, ref, who, &r, &t, &a, &err);
		for (size_t k = 0; rc == 0 && t.nseries && k < t.nperiods; k++)
			check += t.series[0].values[k];
		if (rc == 0 && dump) {
			fprintf(dump, "%s periods %zu series %zu\n", q->id, t.nperiods, t.nseries);
			for (size_t i = 0; i < t.nseries; i++) {
				fprintf(dump, " series %s %.17g\n", t.series[i].key, t.series[i].total);
				for (size_t k = 0; k < t.nperiods; k++)
					fprintf(dump, "  %s %.17g\n", t.periods[k], t.series[i].values[k]);
			}
		}
	} else if (!strcmp(q->endpoint, "routes")) {
		struct an_routes o;
		rc = analytics_routes(an, ref, who, &r, &o, &a, &err);
		check = (double)o.nroutes_total;
		if (rc == 0 && dump) {
			fprintf(dump, "%s period %d-%d before %d-%d routes %zu of %zu\n", q->id,
				(int)o.from, (int)o.to, (int)o.prev_from, (int)o.prev_to, o.nroutes,
				o.nroutes_total);
			for (size_t k = 0; k < o.nroutes; k++) {
				fprintf(dump, " route %s|%s|%s trend %.17g\n", o.routes[k].origin,
					o.routes[k].transit, o.routes[k].destination, o.routes[k].trend);
				dump_cell(dump, "now", &o.routes[k].now);
				dump_cell(dump, "before", &o.routes[k].before);
			}
			for (size_t i = 0; i < o.norigins; i++)
				for (size_t j = 0; j < o.ndestinations; j++) {
					fprintf(dump, " matrix %s %s\n", o.origins[i], o.destinations[j]);
					dump_cell(dump, "cell", &o.matrix[i * o.ndestinations + j]);
				}
			for (size_t k = 0; k < o.ncountries; k++) {
				const struct an_country_flow *fl = &o.countries[k];
				fprintf(dump, " country %s in %.17g out %.17g\n", fl->country,
					fl->seizures_in, fl->seizures_out);
				for (size_t j = 0; j < fl->npoints_to; j++)
					fprintf(dump, "  to %s %.17g\n", fl->points_to[j].country,
						fl->points_to[j].seizures);
			}
		}
	} else if (!strcmp(q->endpoint, "indices")) {
		struct an_indices x;
		rc = analytics_indices(an, ref, who, &r, &x, &a, &err);
		for (size_t k = 0; rc == 0 && k < x.nyears; k++)
			check += x.years[k].transactions[AN_CLASS_ALL];
		if (rc == 0 && dump) {
			fprintf(dump, "%s base %d years %zu\n", q->id, x.base_year, x.nyears);
			for (size_t k = 0; k < x.nyears; k++)
				for (int cl = 0; cl < AN_CLASSES; cl++)
					fprintf(dump, " %d/%d %.17g %.17g %.17g %.17g\n", x.years[k].year,
						cl, x.years[k].transactions[cl], x.years[k].weight_kg[cl],
						x.years[k].transaction_index[cl],
						x.years[k].weight_index[cl]);
		}
	} else if (!strcmp(q->endpoint, "map")) {
		struct an_map m;
		rc = analytics_map(an, ref, who, &r, &m, &a, &err);
		for (size_t k = 0; rc == 0 && k < m.ncountries; k++)
			check += m.countries[k].cell.seizures;
		if (rc == 0 && dump) {
			fprintf(dump, "%s points %zu of %zu\n", q->id, m.npoints, m.points_total);
			dump_groups(dump, "country", m.countries, m.ncountries);
			for (size_t k = 0; k < m.npoints; k++)
				fprintf(dump, " point %lld %.17g %.17g %d %s %.17g\n",
					(long long)m.points[k].id, m.points[k].latitude,
					m.points[k].longitude, (int)m.points[k].day, m.points[k].country,
					m.points[k].weight_kg);
		}
	}
	if (rc != 0) {
		fprintf(stderr, "%s failed: %s\n", q->id, err.message ? err.message : "?");
		exit(1);
	}
	arena_free(&a);
	return check;
}

int main(int argc, char **argv)
{
	const char *db = NULL, *qfile = NULL, *dumpfile = NULL, *only = NULL;
	int runs = 7;
	long split = -1;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--db"))
			db = argv[i + 1];
		else if (!strcmp(argv[i], "--queries"))
			qfile = argv[i + 1];
		else if (!strcmp(argv[i], "--runs"))
			runs = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--split"))
			split = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--dump"))
			dumpfile = argv[i + 1];
		else if (!strcmp(argv[i], "--only"))
			only = argv[i + 1];
	}
	if (!db || !qfile || runs < 1 || runs > 100) {
		fprintf(stderr, "usage: driver --db FILE --queries queries.json [--runs N] [--split ROWS] [--dump FILE] [--only ID]\n");
		return 2;
	}
	json_error_t jerr;
	json_t *qs = json_load_file(qfile, 0, &jerr);
	if (!qs) {
		fprintf(stderr, "%s: %s\n", qfile, jerr.text);
		return 1;
	}
	size_t nall = json_array_size(qs), nq = 0;
	struct q *queries = calloc(nall ? nall : 1, sizeof *queries);
	for (size_t i = 0; i < nall; i++) {
		json_t *o = json_array_get(qs, i);
		const char *id = json_string_value(json_object_get(o, "id"));
		if (only && (!id || strcmp(id, only) != 0))
			continue;
		queries[nq++] = (struct q){ json_string_value(json_object_get(o, "id")),
					 json_string_value(json_object_get(o, "endpoint")),
					 json_string_value(json_object_get(o, "actor")),
					 json_string_value(json_object_get(o, "query")) };
	}
	struct error err = ERROR_INIT;
	struct store *st = store_open(db, STORE_OPEN_EXISTING, &err);
	if (!st) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	struct refdata *ref = refdata_load(st, &err);
	double t0 = now_ms();
	store_read_begin(st, &err);
	struct analytics *an = ref ? analytics_build(st, ref, &err) : NULL;
	store_read_end(st);
	double build = now_ms() - t0;
	if (!an) {
		fprintf(stderr, "build: %s\n", err.message ? err.message : "?");
		return 1;
	}
	if (split >= 0)
		analytics_set_split(an, (size_t)split);
	struct analytics_memory mem;
	analytics_memory(an, &mem);
	struct actor admin = { .user_id = 0, .agency_id = 1, .role = ROLE_ADMIN };
	struct actor officer = { .user_id = 0, .agency_id = 1, .role = ROLE_OFFICER };
	json_t *out = json_object(), *res = json_object();
	double *t = calloc((size_t)runs, sizeof *t), *u = calloc((size_t)runs, sizeof *u);
	FILE *dump = dumpfile ? fopen(dumpfile, "w") : NULL;
	if (dumpfile && !dump) {
		perror(dumpfile);
		return 1;
	}
	for (size_t i = 0; i < nq; i++) /* warm every query once */
		run(an, ref, &queries[i], &admin, &officer, dump);
	if (dump)
		fclose(dump);
	for (size_t i = 0; i < nq; i++) {
		double check = run(an, ref, &queries[i], &admin, &officer, NULL);
		for (int k = 0; k < runs; k++) {
			double s = now_ms(), cs = cpu_ms();
			run(an, ref, &queries[i], &admin, &officer, NULL);
			t[k] = now_ms() - s;
			u[k] = cpu_ms() - cs;
		}
		json_object_set_new(res, queries[i].id,
				    json_pack("{s:f, s:f, s:f}", "ms", median(t, runs), "cpu_ms",
					      median(u, runs), "check", check));
	}
	for (int k = 0; k < runs; k++) {
		double s = now_ms(), cs = cpu_ms();
		for (size_t i = 0; i < nq; i++)
			run(an, ref, &queries[i], &admin, &officer, NULL);
		t[k] = now_ms() - s;
		u[k] = cpu_ms() - cs;
	}
	json_object_set_new(out, "queries", res);
	json_object_set_new(out, "all_ms", json_real(median(t, runs)));
	json_object_set_new(out, "all_cpu_ms", json_real(median(u, runs)));
	json_object_set_new(out, "build_ms", json_real(build));
	json_object_set_new(out, "split", json_integer(split));
	json_object_set_new(out, "bytes", json_integer((json_int_t)mem.bytes));
	json_object_set_new(out, "seizures", json_integer((json_int_t)mem.seizures));
	json_object_set_new(out, "items", json_integer((json_int_t)mem.items));
	json_dumpf(out, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(out);
	json_decref(qs);
	free(t);
	free(u);
	free(queries);
	analytics_free(an);
	refdata_free(ref);
	store_close(st);
	return 0;
}
