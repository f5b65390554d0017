/* Fuzz target: a seizure as the API receives it (JSON body -> record ->
 * validation against the reference data). */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_ref.h"
#include "seizure/json.h"
#include "seizure/seizure.h"

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
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!j)
		return 0;
	struct arena a;
	arena_init(&a);
	struct seizure s;
	memset(&s, 0, sizeof s);
	struct error err = ERROR_INIT;
	if (seizure_from_json(j, &s, &a, &err) == 0 && seizure_validate(ref, &s, &a, &err) == 0) {
		/* a valid record renders and reads back to the same content */
		json_t *out = seizure_to_json(&s, ref, 0);
		struct seizure back;
		memset(&back, 0, sizeof back);
		struct error e2 = ERROR_INIT;
		back.agency_id = s.agency_id;
		if (seizure_from_json(out, &back, &a, &e2) != 0 ||
		    seizure_validate(ref, &back, &a, &e2) != 0 ||
		    strcmp(back.content_hash, s.content_hash) != 0)
			abort();
		error_clear(&e2);
		json_decref(out);
	}
	for (size_t i = 0; i < err.nfields; i++)
		if (!err.fields[i].field || !err.fields[i].message)
			abort();
	error_clear(&err);
	arena_free(&a);
	json_decref(j);
	return 0;
}
