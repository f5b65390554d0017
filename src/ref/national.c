#include "ref/national.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "ref/refdata.h"
#include "store/store.h"

static int is_word(const char *s, size_t n, int capital)
{
	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int ok = (c >= 'a' && c <= 'z') || c == '-' || (i == 0 && capital && c >= 'A' && c <= 'Z');
		if (!ok)
			return 0;
	}
	return !capital || (s[0] >= 'A' && s[0] <= 'Z');
}

/* Splits "Genus species subspecies" into words; checks the form for the rank. */
static int check_name(const char *name, const char *rank, const char *parts[3], size_t lens[3])
{
	size_t n = 0;
	const char *p = name;
	while (*p && n < 4) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (n < 3) {
			parts[n] = p;
			lens[n] = len;
		}
		n++;
		if (!e)
			break;
		p = e + 1;
	}
	size_t want = strcmp(rank, "GENUS") == 0 ? 1 : strcmp(rank, "SPECIES") == 0 ? 2 : 3;
	if (n != want || !is_word(parts[0], lens[0], 1))
		return -1;
	for (size_t i = 1; i < n; i++)
		if (!is_word(parts[i], lens[i], 0))
			return -1;
	return 0;
}

int national_taxon_add(struct store *st, const struct refdata *ref, const struct actor *who,
		       const struct national_taxon *t, int64_t *id, struct error *err)
{
	if (!who || who->role != ROLE_ADMIN)
		return error_set(err, ERR_FORBIDDEN, "only an administrator may add a species");
	const char *rank = t->rank && *t->rank ? t->rank : "SPECIES";
	if (strcmp(rank, "SPECIES") != 0 && strcmp(rank, "SUBSPECIES") != 0 &&
	    strcmp(rank, "GENUS") != 0)
		error_field(err, "rank", "must be SPECIES, SUBSPECIES or GENUS");
	const char *parts[3] = { 0 };
	size_t lens[3] = { 0 };
	if (!t->full_name || !*t->full_name || strlen(t->full_name) > 200)
		error_field(err, "name", "is required: the scientific name, e.g. \"Cuora mouhotii\"");
	else if (!error_is_set(err) && check_name(t->full_name, rank, parts, lens) != 0)
		error_field(err, "name",
			    "must be a scientific name of the rank: \"Genus\", \"Genus species\" or "
			    "\"Genus species subspecies\" (Latin letters, genus capitalised)");
	else if (ref) {
		const struct taxon *found[2];
		if (refdata_resolve_species(ref, t->full_name, found, 2) > 0 &&
		    strcasecmp(found[0]->full_name, t->full_name) == 0)
			error_field(err, "name", "%s is already a taxon (id %lld)", found[0]->full_name,
				    (long long)found[0]->id);
	}
	const char *kingdom = t->kingdom && *t->kingdom ? t->kingdom : "Animalia";
	if (strcmp(kingdom, "Animalia") != 0 && strcmp(kingdom, "Plantae") != 0 &&
	    strcmp(kingdom, "Fungi") != 0)
		error_field(err, "kingdom", "must be Animalia, Plantae or Fungi");
	for (size_t i = 0; i < t->nnames; i++) {
		const char *lang = t->name_langs[i];
		static const char *const langs[] = { "en", "km", "vi", "th", "lo", "zh" };
		int known = 0;
		for (size_t k = 0; lang && k < sizeof langs / sizeof *langs; k++)
			known |= strcmp(lang, langs[k]) == 0;
		if (!known) {
			char f[48];
			snprintf(f, sizeof f, "common_names[%zu].lang", i);
			error_field(err, f, "must be one of en, km, vi, th, lo, zh");
		}
		if (!t->names[i] || !*t->names[i] || strlen(t->names[i]) > 200) {
			char f[48];
			snprintf(f, sizeof f, "common_names[%zu].name", i);
			error_field(err, f, "is required (at most 200 bytes)");
		}
	}
	if (error_is_set(err))
		return -1;
	char genus[128] = "", species[128] = "", sub[128] = "", ids[32];
	snprintf(genus, sizeof genus, "%.*s", (int)lens[0], parts[0]);
	if (parts[1])
		snprintf(species, sizeof species, "%.*s", (int)lens[1], parts[1]);
	if (parts[2])
		snprintf(sub, sizeof sub, "%.*s", (int)lens[2], parts[2]);
	if (store_begin(st, err) != 0)
		return -1;
	*id = store_taxon_next_id(st);
	snprintf(ids, sizeof ids, "%lld", (long long)*id);
	const char *row[15] = { ids, kingdom, t->phylum, t->class_name, t->order_name, t->family,
				genus, species, sub, t->full_name, t->law, rank, "NC", "1", "1" };
	if (store_ref_insert(st, REF_TAXON, row, err) != 0)
		goto fail;
	for (size_t i = 0; i < t->nnames; i++) {
		const char *nrow[4] = { ids, t->names[i], t->name_langs[i], "common" };
		if (store_ref_insert(st, REF_TAXON_NAME, nrow, err) != 0)
			goto fail;
	}
	json_t *j = json_pack("{s:s, s:s, s:s?}", "name", t->full_name, "rank", rank, "law", t->law);
	char *detail = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	int rc = audit_append(st, who, "create", "taxon", *id, detail, err);
	free(detail);
	if (rc != 0 || store_commit(st, err) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}
