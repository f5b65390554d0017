/* Reference tables: species, codes, countries, locations, vocabularies. */
#include <stdio.h>
#include <string.h>

#include "lib/xalloc.h"
#include "store/internal.h"

struct ref_def {
	const char *table;
	const char *columns;     /* in the order of enum ref_table's comment */
	size_t ncols;
	size_t nkeys;            /* leading columns that are never NULL */
	const char *order;
};

static const struct ref_def ref_defs[REF_TABLE_COUNT] = {
	[REF_COUNTRY] = { "country", "iso2, iso3, name_en, name_km, region, currency, dial", 7, 3,
			  "iso2" },
	[REF_LOCATION] = { "location",
			   "locode, country, name, subdivision, functions, iata, latitude, longitude",
			   8, 3, "locode" },
	[REF_TERM] = { "cites_term", "code, name_en, name_fr, name_es, name_km", 5, 2, "code" },
	[REF_UNIT] = { "cites_unit", "code, name_en, name_fr, name_es, name_km", 5, 2, "code" },
	[REF_TERM_UNIT] = { "cites_term_unit", "term, unit", 2, 2, "term, unit" },
	[REF_PURPOSE] = { "cites_purpose", "code, name_en, name_fr, name_es", 4, 2, "code" },
	[REF_SOURCE] = { "cites_source", "code, name_en, name_fr, name_es", 4, 2, "code" },
	[REF_VOCAB] = { "vocab", "vocab, code, name_en, name_km, synonyms", 5, 3, "vocab, rowid" },
	[REF_AGENCY_KIND] = { "agency_kind", "code, name_en, name_km", 3, 2, "rowid" },
	[REF_TAXON] = { "taxon",
			"id, kingdom, phylum, class, order_name, family, genus, species, "
			"subspecies, full_name, author, rank, listing, accepted, national",
			15, 1, "id" },
	[REF_TAXON_NAME] = { "taxon_name", "taxon_id, name, lang, kind", 4, 4, "taxon_id" },
};

size_t store_ref_columns(enum ref_table t)
{
	return ref_defs[t].ncols;
}

int store_ref_insert(struct store *st, enum ref_table t, const char *const *values,
		     struct error *err)
{
	const struct ref_def *d = &ref_defs[t];
	sqlite3_stmt *s = st->stmts[S_REF_INSERT_FIRST + t];
	if (!s) {
		char sql[512];
		char marks[64] = "";
		for (size_t i = 0; i < d->ncols; i++)
			strcat(marks, i ? ", ?" : "?");
		snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO %s(%s) VALUES(%s)", d->table,
			 d->columns, marks);
		s = store_stmt(st, S_REF_INSERT_FIRST + t, sql, err);
	} else {
		s = store_stmt(st, S_REF_INSERT_FIRST + t, NULL, err);
	}
	if (!s)
		return -1;
	for (size_t i = 0; i < d->ncols; i++) {
		if (i < d->nkeys)
			bind_text(s, (int)i + 1, values[i] ? values[i] : "");
		else
			bind_text_null(s, (int)i + 1, values[i]);
	}
	return step_done(st, s, err, d->table);
}

int store_ref_each(struct store *st, enum ref_table t, store_row_fn fn, void *ctx,
		   struct error *err)
{
	const struct ref_def *d = &ref_defs[t];
	sqlite3_stmt *s = st->stmts[S_REF_SELECT_FIRST + t];
	if (!s) {
		char sql[512];
		snprintf(sql, sizeof sql, "SELECT %s FROM %s ORDER BY %s", d->columns, d->table,
			 d->order);
		s = store_stmt(st, S_REF_SELECT_FIRST + t, sql, err);
	} else {
		s = store_stmt(st, S_REF_SELECT_FIRST + t, NULL, err);
	}
	if (!s)
		return -1;
	const char *vals[16];
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (size_t i = 0; i < d->ncols; i++)
			vals[i] = (const char *)sqlite3_column_text(s, (int)i);
		if (fn(ctx, vals, d->ncols) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, d->table);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

int64_t store_ref_count(struct store *st, enum ref_table t)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", ref_defs[t].table);
	sqlite3_stmt *s;
	int64_t n = -1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	return n;
}

int64_t store_taxon_next_id(struct store *st)
{
	struct error e = ERROR_INIT;
	sqlite3_stmt *s = store_stmt(st, S_TAXON_NEXT_ID,
				     "SELECT max(max(id) + 1, 10000000) FROM taxon", &e);
	int64_t id = -1;
	if (s && sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	if (s)
		sqlite3_reset(s);
	error_clear(&e);
	return id;
}
