/* Fuzz target: a party as the API receives it (JSON body with names,
 * registrations and identifiers -> record -> validation, identifiers
 * normalised against the reference data). */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_ref.h"
#include "party/json.h"
#include "party/party.h"

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
	struct party p;
	memset(&p, 0, sizeof p);
	struct error err = ERROR_INIT;
	if (json_is_object(j) && party_from_json(j, &p, 1, &a, &err) == 0)
		(void)party_validate(ref, &p, &a, &err);
	/* every failure names its field (an unknown key "" is named as it is) and
	 * says what is wrong */
	for (size_t i = 0; i < err.nfields; i++)
		if (!err.fields[i].field || !err.fields[i].message || !*err.fields[i].message)
			abort();
	error_clear(&err);
	arena_free(&a);
	json_decref(j);
	return 0;
}
