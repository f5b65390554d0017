#include "ref/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analytics/analytics.h"
#include "lib/csv.h"
#include "lib/strmap.h"
#include "lib/xalloc.h"
#include "store/store.h"

typedef int (*row_fn)(void *ctx, const char *const *v, size_t line, struct error *err);

/*
 * Reads dir/file, finds the named columns in its header (all required),
 * and calls fn with the values in the order of cols.
 */
static int each_row(const char *dir, const char *file, const char *const *cols, size_t ncols,
		    row_fn fn, void *ctx, struct error *err)
{
	char *path = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(path, "rb");
	if (!f) {
		error_set(err, ERR_IO, "cannot read %s", path);
		free(path);
		return -1;
	}
	struct csv_limits lim = { 1 << 20, 256 };
	struct csv_reader *r = csv_reader_file(f, &lim);
	struct csv_record rec;
	size_t idx[32];
	const char *vals[32];
	int rc = 0;
	int got = csv_next(r, &rec, err);
	if (got != 1) {
		rc = got == 0 ? error_set(err, ERR_IO, "%s is empty", path) : -1;
		goto out;
	}
	for (size_t c = 0; c < ncols; c++) {
		idx[c] = (size_t)-1;
		for (size_t k = 0; k < rec.nfields; k++)
			if (strcasecmp(rec.fields[k], cols[c]) == 0)
				idx[c] = k;
		if (idx[c] == (size_t)-1) {
			rc = error_set(err, ERR_IO, "%s: no column \"%s\"", path, cols[c]);
			goto out;
		}
	}
	while ((got = csv_next(r, &rec, err)) == 1) {
		if (rec.nfields == 1 && rec.lens[0] == 0)
			continue;
		for (size_t c = 0; c < ncols; c++)
			vals[c] = idx[c] < rec.nfields ? rec.fields[idx[c]] : "";
		if (fn(ctx, vals, rec.line, err) != 0) {
			char *msg = xasprintf("%s line %zu: %s", path, rec.line,
					      err->message ? err->message : "error");
			free(err->message);
			err->message = msg;
			rc = -1;
			goto out;
		}
	}
	if (got < 0)
		rc = -1;
out:
	csv_reader_free(r);
	fclose(f);
	free(path);
	return rc;
}

struct loader {
	struct store *st;
	enum ref_table table;
	struct strmap taxa;   /* full_name -> id */
};

static int insert_plain(void *ctx, const char *const *v, size_t line, struct error *err)
{
	struct loader *l = ctx;
	return store_ref_insert(l->st, l->table, v, err);
}

static int load_plain(struct loader *l, const char *dir, const char *file, enum ref_table t,
		      const char *const *cols, size_t n, struct error *err)
{
	l->table = t;
	return each_row(dir, file, cols, n, insert_plain, l, err);
}

static int insert_names(struct loader *l, const char *id, const char *list, const char *lang,
			const char *kind, struct error *err)
{
	if (!list || !*list)
		return 0;
	char *copy = xstrdup(list);
	int rc = 0;
	char *save = NULL;
	for (char *tok = strtok_r(copy, "|", &save); tok && rc == 0; tok = strtok_r(NULL, "|", &save)) {
		const char *v[4] = { id, tok, lang, kind };
		rc = store_ref_insert(l->st, REF_TAXON_NAME, v, err);
	}
	free(copy);
	return rc;
}

static int insert_taxon(void *ctx, const char *const *v, size_t line, struct error *err)
{
	struct loader *l = ctx;
	/* taxon_id..accepted (14 columns) then national = 0 */
	const char *row[15];
	memcpy(row, v, 14 * sizeof *row);
	row[14] = "0";
	if (store_ref_insert(l->st, REF_TAXON, row, err) != 0)
		return -1;
	strmap_put(&l->taxa, v[9], strtoll(v[0], NULL, 10));
	if (insert_names(l, v[0], v[14], "la", "synonym", err) != 0 ||
	    insert_names(l, v[0], v[15], "en", "common", err) != 0)
		return -1;
	return 0;
}

static int insert_species_name(void *ctx, const char *const *v, size_t line, struct error *err)
{
	struct loader *l = ctx;
	int64_t id;
	if (!strmap_get(&l->taxa, v[0], &id))
		return error_set(err, ERR_IO, "unknown taxon \"%s\"", v[0]);
	char ids[32];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	const char *row[4] = { ids, v[2], v[1], "common" };
	return store_ref_insert(l->st, REF_TAXON_NAME, row, err);
}

int ref_load_dir(struct store *st, const char *dir, struct error *err)
{
	static const char *const species_cols[] = {
		"taxon_id", "kingdom", "phylum", "class", "order", "family", "genus", "species",
		"subspecies", "full_name", "author", "rank", "listing", "accepted", "synonyms",
		"names_en",
	};
	static const char *const names_cols[] = { "full_name", "lang", "name" };
	static const char *const code5[] = { "code", "name_en", "name_fr", "name_es", "name_km" };
	static const char *const code4[] = { "code", "name_en", "name_fr", "name_es" };
	static const char *const pair_cols[] = { "term", "unit" };
	static const char *const country_cols[] = { "iso2", "iso3", "name_en", "name_km", "region",
						    "currency", "dial" };
	static const char *const loc_cols[] = { "locode", "country", "name", "subdivision",
						"functions", "iata", "latitude", "longitude" };
	static const char *const vocab_cols[] = { "vocab", "code", "name_en", "name_km", "synonyms" };
	static const char *const kind_cols[] = { "code", "name_en", "name_km" };

	struct loader l = { .st = st };
	strmap_init(&l.taxa);
	int rc = -1;
	if (store_begin(st, err) != 0)
		goto out;
	if (each_row(dir, "species.csv", species_cols, 16, insert_taxon, &l, err) != 0 ||
	    each_row(dir, "species_names.csv", names_cols, 3, insert_species_name, &l, err) != 0 ||
	    load_plain(&l, dir, "cites_terms.csv", REF_TERM, code5, 5, err) != 0 ||
	    load_plain(&l, dir, "cites_units.csv", REF_UNIT, code5, 5, err) != 0 ||
	    load_plain(&l, dir, "cites_term_units.csv", REF_TERM_UNIT, pair_cols, 2, err) != 0 ||
	    load_plain(&l, dir, "cites_purposes.csv", REF_PURPOSE, code4, 4, err) != 0 ||
	    load_plain(&l, dir, "cites_sources.csv", REF_SOURCE, code4, 4, err) != 0 ||
	    load_plain(&l, dir, "countries.csv", REF_COUNTRY, country_cols, 7, err) != 0 ||
	    load_plain(&l, dir, "locations.csv", REF_LOCATION, loc_cols, 8, err) != 0 ||
	    load_plain(&l, dir, "vocab.csv", REF_VOCAB, vocab_cols, 5, err) != 0 ||
	    load_plain(&l, dir, "agency_kinds.csv", REF_AGENCY_KIND, kind_cols, 3, err) != 0 ||
	    analytics_load_tables(st, dir, err) != 0) {
		store_rollback(st);
		goto out;
	}
	rc = store_commit(st, err);
out:
	strmap_free(&l.taxa);
	return rc;
}
