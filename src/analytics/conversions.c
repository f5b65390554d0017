/* The conversion and rates tables: checked, saved with their audit entry in
 * one transaction, and loaded from data/ at init. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analytics/internal.h"
#include "audit/audit.h"
#include "lib/csv.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"
#include "store/store.h"

static int bad_factor(double v)
{
	return !isnan(v) && (!isfinite(v) || v < 0);
}

int analytics_conversion_validate(const struct refdata *ref, struct an_conversion *c,
				  struct error *err)
{
	size_t before = err->nfields;
	if (!c->taxon || !*c->taxon) {
		error_field(err, "taxon", "is required: a taxon name of the checklist, any rank");
	} else {
		const struct taxon *t[2];
		const char *group = refdata_group_name(ref, c->taxon);
		if (group)
			c->taxon = group;
		else if (refdata_resolve_species(ref, c->taxon, t, 2) == 1)
			c->taxon = t[0]->full_name;
		else
			error_field(err, "taxon", "\"%s\" is not a taxon of the checklist", c->taxon);
	}
	if (!c->term || !refdata_term(ref, c->term))
		error_field(err, "term", "must be a CITES term code");
	if (!c->unit)
		c->unit = "";
	if (*c->unit && !refdata_unit(ref, c->unit))
		error_field(err, "unit", "must be a CITES unit code, or \"\" for number of specimens");
	if (unit_kg(c->unit) > 0 && strcmp(c->unit, "KIL") != 0)
		error_field(err, "unit", "weight units are converted to kg first: use KIL");
	if (!c->commodity || !*c->commodity)
		error_field(err, "commodity", "is required (e.g. \"ivory\", \"pangolin scales\")");
	if (bad_factor(c->kg_per_unit))
		error_field(err, "kg_per_unit", "must be a number >= 0, or null");
	if (bad_factor(c->animals_per_unit))
		error_field(err, "animals_per_unit", "must be a number >= 0, or null");
	if (bad_factor(c->rie_factor))
		error_field(err, "rie_factor", "must be a number >= 0, or null");
	if (isnan(c->kg_per_unit) && isnan(c->animals_per_unit) && isnan(c->rie_factor))
		error_field(err, "animals_per_unit", "give at least one factor");
	if (!c->source || !*c->source)
		error_field(err, "source", "is required: cite the published source of the factor");
	return err->nfields > before ? -1 : 0;
}

static json_t *num(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static char *conversion_detail(const struct an_conversion *c)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:s}", "taxon", c->taxon,
			      "term", c->term, "unit", c->unit ? c->unit : "", "commodity",
			      c->commodity ? c->commodity : "", "kg_per_unit", num(c->kg_per_unit),
			      "animals_per_unit", num(c->animals_per_unit), "rie_factor",
			      num(c->rie_factor), "estimate", c->estimate, "source",
			      c->source ? c->source : "");
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static int require_admin(const struct actor *who, struct error *err)
{
	if (who->role != ROLE_ADMIN)
		return error_set(err, ERR_FORBIDDEN, "only an admin may change the analytics tables");
	return 0;
}

int analytics_conversion_save(struct store *st, const struct refdata *ref,
			      const struct actor *who, struct an_conversion *c, struct error *err)
{
	if (require_admin(who, err) != 0 || analytics_conversion_validate(ref, c, err) != 0)
		return -1;
	int is_new = c->id == 0;
	if (store_begin(st, err) != 0)
		return -1;
	char *detail = NULL;
	if (store_conversion_save(st, c, who->user_id, err) != 0)
		goto fail;
	detail = conversion_detail(c);
	if (audit_append(st, who, is_new ? "create" : "update", "analytics_conversion", c->id,
			 detail, err) != 0 ||
	    store_commit(st, err) != 0)
		goto fail;
	free(detail);
	return 0;
fail:
	free(detail);
	store_rollback(st);
	if (is_new)
		c->id = 0;
	return -1;
}

int analytics_conversion_delete(struct store *st, const struct actor *who, int64_t id,
				struct error *err)
{
	if (require_admin(who, err) != 0 || store_begin(st, err) != 0)
		return -1;
	if (store_conversion_delete(st, id, err) != 0 ||
	    audit_append(st, who, "delete", "analytics_conversion", id, NULL, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

static int rate_validate(struct an_rate *r, struct error *err)
{
	size_t before = err->nfields;
	if (!r->currency || strlen(r->currency) != 3)
		error_field(err, "currency", "must be an ISO 4217 code such as KHR");
	else
		for (const char *p = r->currency; *p; p++)
			if (*p < 'A' || *p > 'Z')
				error_field(err, "currency", "must be three capital letters");
	if (!(r->usd_per_unit > 0) || !isfinite(r->usd_per_unit))
		error_field(err, "usd_per_unit", "must be a number > 0 (US dollars for one unit)");
	if (!r->source || !*r->source)
		error_field(err, "source", "is required: where the rate comes from");
	return err->nfields > before ? -1 : 0;
}

int analytics_rate_save(struct store *st, const struct actor *who, struct an_rate *r,
			struct error *err)
{
	if (require_admin(who, err) != 0 || rate_validate(r, err) != 0)
		return -1;
	int is_new = r->id == 0;
	if (store_begin(st, err) != 0)
		return -1;
	json_t *j = json_pack("{s:s, s:f, s:s?, s:s, s:b}", "currency", r->currency,
			      "usd_per_unit", r->usd_per_unit, "as_of", r->as_of, "source", r->source,
			      "estimate", r->estimate);
	char *detail = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	int rc = -1;
	if (store_rate_save(st, r, who->user_id, err) == 0 &&
	    audit_append(st, who, is_new ? "create" : "update", "analytics_rate", r->id, detail,
			 err) == 0 &&
	    store_commit(st, err) == 0)
		rc = 0;
	free(detail);
	if (rc != 0) {
		store_rollback(st);
		if (is_new)
			r->id = 0;
	}
	return rc;
}

int analytics_rate_delete(struct store *st, const struct actor *who, int64_t id,
			  struct error *err)
{
	if (require_admin(who, err) != 0 || store_begin(st, err) != 0)
		return -1;
	if (store_rate_delete(st, id, err) != 0 ||
	    audit_append(st, who, "delete", "analytics_rate", id, NULL, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* ---- loading data/conversions.csv and data/rates.csv ---- */

static double cell_num(const char *v)
{
	if (!v || !*v)
		return NAN;
	char *end;
	double d = strtod(v, &end);
	return *end ? -1 : d; /* -1 fails the check */
}

typedef int (*row_fn)(struct store *st, char **v, struct error *err);

/* Calls fn with the named columns of every row of dir/file. */
static int each_row(struct store *st, const char *dir, const char *file,
		    const char *const *cols, size_t ncols, row_fn fn, struct error *err)
{
	char *path = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(path, "rb");
	if (!f) {
		error_set(err, ERR_IO, "cannot read %s", path);
		free(path);
		return -1;
	}
	struct csv_limits lim = { 1 << 16, 64 };
	struct csv_reader *r = csv_reader_file(f, &lim);
	struct csv_record rec;
	size_t idx[16];
	char *vals[16];
	int rc = 0, got = csv_next(r, &rec, err);
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
		if (fn(st, vals, err) != 0) {
			char *msg = error_format(err);
			error_clear(err);
			error_set(err, ERR_IO, "%s line %zu: %s", path, rec.line, msg);
			free(msg);
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

static int load_conversion(struct store *st, char **v, struct error *err)
{
	struct an_conversion c = {
		.taxon = v[0], .term = v[1], .unit = v[2], .commodity = v[3],
		.kg_per_unit = cell_num(v[4]), .animals_per_unit = cell_num(v[5]),
		.rie_factor = cell_num(v[6]), .estimate = strcmp(v[7], "1") == 0 ||
							   strcasecmp(v[7], "yes") == 0,
		.source = v[8], .note = v[9],
	};
	if (bad_factor(c.kg_per_unit) || bad_factor(c.animals_per_unit) || bad_factor(c.rie_factor))
		return error_set(err, ERR_VALIDATION, "factors must be numbers >= 0 or empty");
	if (!*c.taxon || !*c.term || !*c.commodity || !*c.source)
		return error_set(err, ERR_VALIDATION, "taxon, term, commodity and source are required");
	return store_conversion_save(st, &c, 0, err);
}

static int load_rate(struct store *st, char **v, struct error *err)
{
	struct an_rate r = { .currency = v[0], .usd_per_unit = cell_num(v[1]), .as_of = v[2],
			     .source = v[3], .estimate = strcmp(v[4], "1") == 0 };
	if (rate_validate(&r, err) != 0)
		return -1;
	return store_rate_save(st, &r, 0, err);
}

int analytics_load_tables(struct store *st, const char *dir, struct error *err)
{
	static const char *const conv_cols[] = { "taxon", "term", "unit", "commodity",
						 "kg_per_unit", "animals_per_unit", "rie_factor",
						 "estimate", "source", "note" };
	static const char *const rate_cols[] = { "currency", "usd_per_unit", "as_of", "source",
						 "estimate" };
	return each_row(st, dir, "conversions.csv", conv_cols, 10, load_conversion, err) != 0 ||
			       each_row(st, dir, "rates.csv", rate_cols, 5, load_rate, err) != 0
		       ? -1
		       : 0;
}
