/* Fuzz target: a query string as the list, export and analytics URLs
 * receive it (percent-decoding, then the seizure filter and the analytics
 * request). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_ref.h"
#include "analytics/analytics.h"
#include "lib/query.h"
#include "seizure/filter.h"

static struct refdata *ref;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ref = fuzz_refdata();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	struct query q;
	struct error err = ERROR_INIT;
	if (query_parse(&q, (const char *)data, size, &a, &err) == 0) {
		struct seizure_filter f;
		static const char *const extra[] = { "format", NULL };
		if (seizure_filter_parse(ref, &q, extra, &f, &a, &err) == 0 && (f.limit < 1 || f.limit > 500))
			abort();
		struct an_request r;
		analytics_request_init(&r);
		error_clear(&err);
		static const char *const an_extra[] = { "format", NULL };
		if (analytics_request_parse(ref, &q, an_extra, &r, &a, &err) != 0)
			for (size_t i = 0; i < err.nfields; i++)
				if (!err.fields[i].field || !err.fields[i].message)
					abort();
	}
	error_clear(&err);
	arena_free(&a);
	return 0;
}
