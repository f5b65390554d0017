/* Cutting a scan in two fixed halves run on two threads (see internal.h:
 * scan_nparts, scan_run). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/internal.h"
#include "analytics/scan.h"

struct part_job {
	const struct columns *c;
	const struct prep *p;
	struct scan_part part;
	part_fn fn;
	void *ctx;
};

static void *part_main(void *arg)
{
	struct part_job *j = arg;
	j->fn(j->c, j->p, &j->part, j->ctx);
	return NULL;
}

int scan_nparts(const struct columns *c, const struct prep *p, size_t split_min)
{
	if (!split_min || p->impossible)
		return 1;
	size_t lo, hi;
	scan_bounds(c, p, &lo, &hi);
	size_t rows = hi - lo + (c->n - c->nsorted);
	return rows >= split_min && hi - lo >= 2 ? 2 : 1;
}

void scan_run(const struct columns *c, const struct prep *p, int nparts, part_fn fn,
	      void *ctx[2])
{
	struct scan_part whole;
	scan_bounds(c, p, &whole.lo, &whole.hi);
	whole.tail = 1;
	if (nparts < 2) {
		fn(c, p, &whole, ctx[0]);
		return;
	}
	size_t mid = whole.lo + (whole.hi - whole.lo) / 2;
	struct part_job first = { c, p, { whole.lo, mid, 0 }, fn, ctx[0] };
	struct scan_part second = { mid, whole.hi, 1 };
	pthread_t t;
	int threaded = pthread_create(&t, NULL, part_main, &first) == 0;
	if (!threaded)
		part_main(&first);
	fn(c, p, &second, ctx[1]);
	if (threaded)
		pthread_join(t, NULL);
}

enum { CACHE_LINE = 64 };

void *scan_calloc(size_t nmemb, size_t size)
{
	if (size && nmemb > (SIZE_MAX - CACHE_LINE) / size) {
		fprintf(stderr, "scan_calloc: %zu x %zu bytes overflow\n", nmemb, size);
		abort();
	}
	size_t bytes = (nmemb * size + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
	if (!bytes)
		bytes = CACHE_LINE;
	void *m = aligned_alloc(CACHE_LINE, bytes);
	if (!m) {
		fprintf(stderr, "scan_calloc: out of memory (%zu bytes)\n", bytes);
		abort();
	}
	memset(m, 0, bytes);
	return m;
}
