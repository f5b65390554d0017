#include "ref/refdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/strmap.h"
#include "lib/xalloc.h"
#include "store/store.h"
#include "text/fold.h"

static const char *const vocab_names[] = {
	"transport_mode", "detection_method", "reason", "legal_action",
	"disposal", "concealment", "agency_kind", NULL,
};
enum { NVOCAB = 7 };

struct vec {
	void *v;
	size_t n, cap, size;
};

static void *vec_push(struct vec *v)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->v = xreallocarray(v->v, v->cap, v->size);
	}
	void *p = (char *)v->v + v->n * v->size;
	memset(p, 0, v->size);
	v->n++;
	return p;
}

struct vocab_set {
	struct vec entries;       /* struct code_entry */
	struct strmap index;      /* folded text -> entry index */
};

/* One dialling range of a country: "1876" of Jamaica (cc_len 1). */
struct dial_range {
	char digits[12];
	size_t cc_len;
	uint32_t country;         /* index into the countries */
};

struct refdata {
	struct arena strings;
	struct vec taxa;          /* struct taxon, sorted by id */
	struct vec names;         /* struct taxon_name */
	int32_t *name_next;       /* chain of names with the same folded form */
	struct strmap name_index; /* folded -> first name index */
	struct vec terms, units;  /* struct code_entry */
	struct strmap term_index, unit_index, term_unit, term_units;
	struct vec term_unit_lists; /* const char * per term */
	struct vec countries;     /* struct country */
	struct strmap country_index;
	struct vec dials;         /* struct dial_range, sorted by digits */
	struct vec locations;     /* struct location */
	struct strmap location_index;
	struct vocab_set vocab[NVOCAB];
};

static const char *dup(struct refdata *r, const char *s)
{
	return s ? arena_strdup(&r->strings, s) : NULL;
}

static const char *dup_empty(struct refdata *r, const char *s)
{
	return s && *s ? arena_strdup(&r->strings, s) : NULL;
}

static void index_folded(struct refdata *r, struct strmap *m, const char *text, int64_t value)
{
	if (!text || !*text)
		return;
	char small[128];
	char *big = NULL;
	const char *f = text_fold_ascii(small, sizeof small, text);
	if (!f)
		f = big = text_fold_dup(text);
	int64_t old;
	if (*f && !strmap_get(m, f, &old))
		strmap_put(m, f, value);
	free(big);
}

/* ---- loading ---- */

static int load_taxon(void *ctx, const char *const *v, size_t n)
{
	struct refdata *r = ctx;
	struct taxon *t = vec_push(&r->taxa);
	t->id = strtoll(v[0], NULL, 10);
	t->kingdom = dup(r, v[1]);
	t->phylum = dup(r, v[2]);
	t->class_name = dup(r, v[3]);
	t->order_name = dup(r, v[4]);
	t->family = dup(r, v[5]);
	t->genus = dup(r, v[6]);
	t->full_name = dup(r, v[9]);
	t->author = dup(r, v[10]);
	t->rank = dup(r, v[11]);
	t->listing = dup(r, v[12]);
	t->accepted = v[13] ? (int)strtol(v[13], NULL, 10) : 1;
	t->national = v[14] ? (int)strtol(v[14], NULL, 10) : 0;
	return 0;
}

static uint32_t taxon_index(const struct refdata *r, int64_t id, int *found)
{
	const struct taxon *t = r->taxa.v;
	size_t lo = 0, hi = r->taxa.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < r->taxa.n && t[lo].id == id;
	return (uint32_t)lo;
}

static void add_name(struct refdata *r, uint32_t taxon, enum name_kind kind, const char *lang,
		     const char *name)
{
	if (!name || !*name)
		return;
	struct taxon_name *nm = vec_push(&r->names);
	nm->taxon = taxon;
	nm->kind = kind;
	snprintf(nm->lang, sizeof nm->lang, "%s", lang);
	nm->name = dup(r, name);
	nm->folded = text_fold(&r->strings, name, strlen(name));
}

static int load_taxon_name(void *ctx, const char *const *v, size_t n)
{
	struct refdata *r = ctx;
	int found;
	uint32_t i = taxon_index(r, strtoll(v[0], NULL, 10), &found);
	if (!found)
		return 0;
	enum name_kind kind = NAME_COMMON;
	if (strcmp(v[3], "synonym") == 0)
		kind = NAME_SYNONYM;
	else if (strcmp(v[3], "scientific") == 0)
		kind = NAME_SCIENTIFIC;
	add_name(r, i, kind, v[2], v[1]);
	return 0;
}

static int load_code(struct refdata *r, struct vec *vec, struct strmap *idx, const char *code,
		     const char *en, const char *km)
{
	struct code_entry *e = vec_push(vec);
	e->code = dup(r, code);
	e->name_en = dup(r, en);
	e->name_km = dup_empty(r, km);
	strmap_put(idx, code, (int64_t)vec->n - 1);
	return 0;
}

static int load_term(void *ctx, const char *const *v, size_t n)
{
	struct refdata *r = ctx;
	return load_code(r, &r->terms, &r->term_index, v[0], v[1], v[4]);
}

static int load_unit(void *ctx, const char *const *v, size_t n)
{
	struct refdata *r = ctx;
	return load_code(r, &r->units, &r->unit_index, v[0], v[1], v[4]);
}

static int load_term_unit(void *ctx, const char *const *v, size_t n)
{
	struct refdata *r = ctx;
	const char *unit = v[1] ? v[1] : "";
	char key[64];
	snprintf(key, sizeof key, "%s|%s", v[0], unit);
	strmap_put(&r->term_unit, key, 1);
	int64_t li;
	const char **slot;
	if (strmap_get(&r->term_units, v[0], &li)) {
		slot = (const char **)r->term_unit_lists.v + li;
		*slot = arena_sprintf(&r->strings, "%s|%s", *slot, *unit ? unit : "-");
	} else {
		slot = vec_push(&r->term_unit_lists);
		*slot = arena_sprintf(&r->strings, "%s", *unit ? unit : "-");
		strmap_put(&r->term_units, v[0], (int64_t)r->term_unit_lists.n - 1);
	}
	return 0;
}

static int load_country(void *ctx, const char *const *v, size_t n)
{
	struct refdata *r = ctx;
	struct country *c = vec_push(&r->countries);
	c->iso2 = dup(r, v[0]);
	c->iso3 = dup_empty(r, v[1]);
	c->name_en = dup(r, v[2]);
	c->name_km = dup_empty(r, v[3]);
	c->region = dup_empty(r, v[4]);
	c->currency = dup_empty(r, v[5]);
	c->dial = n > 6 ? dup_empty(r, v[6]) : NULL;
	if (c->dial)
		c->dial_code = arena_strndup(&r->strings, c->dial, strcspn(c->dial, "-|"));
	return 0;
}

static int load_location(void *ctx, const char *const *v, size_t n)
{
	struct refdata *r = ctx;
	struct location *l = vec_push(&r->locations);
	l->locode = dup(r, v[0]);
	l->country = dup(r, v[1]);
	l->name = dup(r, v[2]);
	l->subdivision = dup_empty(r, v[3]);
	l->functions = dup_empty(r, v[4]);
	l->iata = dup_empty(r, v[5]);
	l->has_coords = v[6] && v[7] && *v[6] && *v[7];
	l->latitude = l->has_coords ? strtod(v[6], NULL) : 0;
	l->longitude = l->has_coords ? strtod(v[7], NULL) : 0;
	return 0;
}

static int vocab_slot(const char *name)
{
	for (int i = 0; vocab_names[i]; i++)
		if (strcmp(vocab_names[i], name) == 0)
			return i;
	return -1;
}

static void add_vocab(struct refdata *r, int slot, const char *code, const char *en,
		      const char *km, const char *synonyms)
{
	struct vocab_set *vs = &r->vocab[slot];
	struct code_entry *e = vec_push(&vs->entries);
	e->code = dup(r, code);
	e->name_en = dup(r, en);
	e->name_km = dup_empty(r, km);
	int64_t idx = (int64_t)vs->entries.n - 1;
	index_folded(r, &vs->index, code, idx);
	index_folded(r, &vs->index, en, idx);
	index_folded(r, &vs->index, km, idx);
	if (synonyms) {
		char *copy = xstrdup(synonyms);
		for (char *tok = strtok(copy, "|"); tok; tok = strtok(NULL, "|"))
			index_folded(r, &vs->index, tok, idx);
		free(copy);
	}
}

static int load_vocab(void *ctx, const char *const *v, size_t n)
{
	struct refdata *r = ctx;
	int slot = vocab_slot(v[0]);
	if (slot >= 0)
		add_vocab(r, slot, v[1], v[2], v[3], v[4]);
	return 0;
}

static int load_agency_kind(void *ctx, const char *const *v, size_t n)
{
	struct refdata *r = ctx;
	add_vocab(r, vocab_slot("agency_kind"), v[0], v[1], v[2], NULL);
	return 0;
}

/* The state that holds a dialling code several countries share exactly. */
static const char *const dial_holders[][2] = {
	{ "1", "US" }, { "7", "RU" }, { "44", "GB" }, { "47", "NO" }, { "61", "AU" },
	{ "212", "MA" }, { "262", "RE" }, { "358", "FI" }, { "500", "FK" },
	{ "590", "GP" }, { "599", "CW" }, { "672", "NF" },
};

static int dial_holder(const char *digits, const char *iso2)
{
	for (size_t i = 0; i < sizeof dial_holders / sizeof *dial_holders; i++)
		if (strcmp(dial_holders[i][0], digits) == 0)
			return strcmp(dial_holders[i][1], iso2) == 0;
	return 0;
}

static int dial_cmp(const void *a, const void *b)
{
	const struct dial_range *x = a, *y = b;
	int c = strcmp(x->digits, y->digits);
	if (c)
		return c;
	return x->country < y->country ? -1 : x->country > y->country;
}

/* Ranges of every country's dial column, sorted, one per digit string (the
 * holder of a shared code, else the first country in ISO order). */
static void build_dials(struct refdata *r)
{
	const struct country *c = r->countries.v;
	for (size_t i = 0; i < r->countries.n; i++) {
		if (!c[i].dial)
			continue;
		const char *p = c[i].dial;
		while (*p) {
			size_t len = strcspn(p, "|");
			struct dial_range d = { .country = (uint32_t)i };
			size_t k = 0, cc = 0;
			for (size_t j = 0; j < len && k < sizeof d.digits - 1; j++) {
				if (p[j] >= '0' && p[j] <= '9')
					d.digits[k++] = p[j];
				else if (p[j] == '-' && !cc)
					cc = k;
			}
			d.cc_len = cc ? cc : k;
			if (k)
				*(struct dial_range *)vec_push(&r->dials) = d;
			p += len;
			if (*p == '|')
				p++;
		}
	}
	struct dial_range *d = r->dials.v;
	if (r->dials.n)
		qsort(d, r->dials.n, sizeof *d, dial_cmp);
	size_t out = 0;
	for (size_t i = 0; i < r->dials.n; i++) {
		if (out && strcmp(d[out - 1].digits, d[i].digits) == 0) {
			if (dial_holder(d[i].digits, c[d[i].country].iso2))
				d[out - 1] = d[i];
			continue;
		}
		d[out++] = d[i];
	}
	r->dials.n = out;
}

static void build_indexes(struct refdata *r)
{
	/* each taxon's scientific name is a name too */
	for (size_t i = 0; i < r->taxa.n; i++) {
		const struct taxon *t = (const struct taxon *)r->taxa.v + i;
		add_name(r, (uint32_t)i, NAME_SCIENTIFIC, "la", t->full_name);
	}
	struct taxon_name *names = r->names.v;
	r->name_next = xmalloc((r->names.n + 1) * sizeof *r->name_next);
	for (size_t i = r->names.n; i-- > 0;) {
		int64_t first;
		r->name_next[i] = strmap_get(&r->name_index, names[i].folded, &first)
					  ? (int32_t)first
					  : -1;
		strmap_put(&r->name_index, names[i].folded, (int64_t)i);
	}
	const struct country *c = r->countries.v;
	for (size_t i = 0; i < r->countries.n; i++) {
		index_folded(r, &r->country_index, c[i].iso2, (int64_t)i);
		index_folded(r, &r->country_index, c[i].iso3, (int64_t)i);
		index_folded(r, &r->country_index, c[i].name_en, (int64_t)i);
		index_folded(r, &r->country_index, c[i].name_km, (int64_t)i);
	}
	const struct location *l = r->locations.v;
	for (size_t i = 0; i < r->locations.n; i++)
		strmap_put(&r->location_index, l[i].locode, (int64_t)i);
	build_dials(r);
}

struct refdata *refdata_load(struct store *st, struct error *err)
{
	struct refdata *r = xcalloc(1, sizeof *r);
	arena_init(&r->strings);
	r->taxa.size = sizeof(struct taxon);
	r->names.size = sizeof(struct taxon_name);
	r->terms.size = r->units.size = sizeof(struct code_entry);
	r->term_unit_lists.size = sizeof(const char *);
	r->countries.size = sizeof(struct country);
	r->locations.size = sizeof(struct location);
	r->dials.size = sizeof(struct dial_range);
	strmap_init(&r->name_index);
	strmap_init(&r->term_index);
	strmap_init(&r->unit_index);
	strmap_init(&r->term_unit);
	strmap_init(&r->term_units);
	strmap_init(&r->country_index);
	strmap_init(&r->location_index);
	for (int i = 0; i < NVOCAB; i++) {
		r->vocab[i].entries.size = sizeof(struct code_entry);
		strmap_init(&r->vocab[i].index);
	}
	if (store_ref_each(st, REF_TAXON, load_taxon, r, err) != 0 ||
	    store_ref_each(st, REF_TAXON_NAME, load_taxon_name, r, err) != 0 ||
	    store_ref_each(st, REF_TERM, load_term, r, err) != 0 ||
	    store_ref_each(st, REF_UNIT, load_unit, r, err) != 0 ||
	    store_ref_each(st, REF_TERM_UNIT, load_term_unit, r, err) != 0 ||
	    store_ref_each(st, REF_COUNTRY, load_country, r, err) != 0 ||
	    store_ref_each(st, REF_LOCATION, load_location, r, err) != 0 ||
	    store_ref_each(st, REF_VOCAB, load_vocab, r, err) != 0 ||
	    store_ref_each(st, REF_AGENCY_KIND, load_agency_kind, r, err) != 0) {
		refdata_free(r);
		return NULL;
	}
	build_indexes(r);
	return r;
}

void refdata_free(struct refdata *r)
{
	if (!r)
		return;
	free(r->taxa.v);
	free(r->names.v);
	free(r->name_next);
	free(r->terms.v);
	free(r->units.v);
	free(r->term_unit_lists.v);
	free(r->countries.v);
	free(r->locations.v);
	free(r->dials.v);
	strmap_free(&r->name_index);
	strmap_free(&r->term_index);
	strmap_free(&r->unit_index);
	strmap_free(&r->term_unit);
	strmap_free(&r->term_units);
	strmap_free(&r->country_index);
	strmap_free(&r->location_index);
	for (int i = 0; i < NVOCAB; i++) {
		free(r->vocab[i].entries.v);
		strmap_free(&r->vocab[i].index);
	}
	arena_free(&r->strings);
	free(r);
}

/* ---- taxa ---- */

size_t refdata_taxon_count(const struct refdata *r)
{
	return r->taxa.n;
}

const struct taxon *refdata_taxon_by_id(const struct refdata *r, int64_t id)
{
	int found;
	uint32_t i = taxon_index(r, id, &found);
	return found ? (const struct taxon *)r->taxa.v + i : NULL;
}

size_t refdata_resolve_species(const struct refdata *r, const char *name,
			       const struct taxon **out, size_t max)
{
	char small[128];
	char *big = NULL;
	const char *f = text_fold_ascii(small, sizeof small, name);
	if (!f)
		f = big = text_fold_dup(name);
	int64_t first;
	size_t n = 0;
	if (*f && strmap_get(&r->name_index, f, &first)) {
		const struct taxon_name *names = r->names.v;
		const struct taxon *taxa = r->taxa.v;
		for (int level = NAME_SCIENTIFIC; level <= NAME_COMMON && n == 0; level++) {
			for (int32_t i = (int32_t)first; i >= 0; i = r->name_next[i]) {
				if ((int)names[i].kind != level)
					continue;
				const struct taxon *t = &taxa[names[i].taxon];
				int seen = 0;
				for (size_t k = 0; k < n && k < max; k++)
					seen |= out[k] == t;
				if (seen)
					continue;
				if (n < max)
					out[n] = t;
				n++;
			}
		}
	}
	free(big);
	return n;
}

static int rank_weight(const char *rank)
{
	if (!rank)
		return 0;
	if (strcmp(rank, "SPECIES") == 0)
		return 3;
	if (strcmp(rank, "GENUS") == 0 || strcmp(rank, "FAMILY") == 0)
		return 2;
	return 1;
}

size_t refdata_search_species(const struct refdata *r, const char *query,
			      struct species_hit *hits, size_t max)
{
	char *q = text_fold_dup(query);
	size_t qlen = strlen(q);
	size_t n = 0;
	if (qlen == 0 || max == 0) {
		free(q);
		return 0;
	}
	const struct taxon_name *names = r->names.v;
	const struct taxon *taxa = r->taxa.v;
	for (size_t i = 0; i < r->names.n; i++) {
		const char *f = names[i].folded;
		const char *at = strstr(f, q);
		if (!at)
			continue;
		int score;
		if (at == f && f[qlen] == '\0')
			score = 1000;
		else if (at == f)
			score = 800;
		else if (at[-1] == ' ')
			score = 600;
		else
			score = 300;
		score += (names[i].kind == NAME_SCIENTIFIC ? 30 : names[i].kind == NAME_COMMON ? 20 : 0);
		const struct taxon *t = &taxa[names[i].taxon];
		score += rank_weight(t->rank) * 10;
		score -= (int)(strlen(f) > 60 ? 60 : strlen(f)) / 4;
		/* one hit per taxon: keep the best */
		size_t k;
		for (k = 0; k < n; k++)
			if (hits[k].taxon == t)
				break;
		if (k < n) {
			if (score > hits[k].score) {
				hits[k].score = score;
				hits[k].matched = names[i].name;
				hits[k].matched_lang = names[i].lang;
			}
		} else if (n < max) {
			hits[n++] = (struct species_hit){ t, names[i].name, names[i].lang, score };
		} else {
			size_t worst = 0;
			for (k = 1; k < n; k++)
				if (hits[k].score < hits[worst].score)
					worst = k;
			if (score > hits[worst].score)
				hits[worst] = (struct species_hit){ t, names[i].name, names[i].lang, score };
		}
	}
	/* sort by score desc, then name */
	for (size_t a = 1; a < n; a++) {
		struct species_hit h = hits[a];
		size_t b = a;
		while (b > 0 && (hits[b - 1].score < h.score ||
				 (hits[b - 1].score == h.score &&
				  strcmp(hits[b - 1].taxon->full_name, h.taxon->full_name) > 0))) {
			hits[b] = hits[b - 1];
			b--;
		}
		hits[b] = h;
	}
	free(q);
	return n;
}

void refdata_taxon_names(const struct refdata *r, const struct taxon *t,
			 void (*fn)(void *ctx, const struct taxon_name *n), void *ctx)
{
	/* names are stored grouped by taxon load order; scan (small use: detail views) */
	const struct taxon_name *names = r->names.v;
	uint32_t ti = (uint32_t)(t - (const struct taxon *)r->taxa.v);
	for (size_t i = 0; i < r->names.n; i++)
		if (names[i].taxon == ti)
			fn(ctx, &names[i]);
}

const char *refdata_group_name(const struct refdata *r, const char *group)
{
	const struct taxon *t = r->taxa.v;
	for (size_t i = 0; i < r->taxa.n; i++) {
		const char *levels[] = { t[i].genus, t[i].family, t[i].order_name, t[i].class_name,
					 t[i].full_name };
		for (size_t k = 0; k < sizeof levels / sizeof *levels; k++)
			if (levels[k] && strcasecmp(levels[k], group) == 0)
				return levels[k];
	}
	return NULL;
}

size_t refdata_group_members(const struct refdata *r, const char *group, int64_t **out)
{
	const struct taxon *t = r->taxa.v;
	size_t n = 0, cap = 64;
	*out = xmalloc(cap * sizeof **out);
	for (size_t i = 0; i < r->taxa.n; i++) {
		if (!refdata_taxon_in_group(&t[i], group))
			continue;
		if (n == cap) {
			cap *= 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		(*out)[n++] = t[i].id; /* taxa are sorted by id */
	}
	return n;
}

int refdata_taxon_in_group(const struct taxon *t, const char *group)
{
	const char *levels[] = { t->full_name, t->genus, t->family, t->order_name, t->class_name,
				 t->phylum, t->kingdom };
	for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
		if (levels[i] && strcasecmp(levels[i], group) == 0)
			return 1;
	return 0;
}

/* ---- codes ---- */

static const struct code_entry *code_lookup(const struct vec *v, const struct strmap *m,
					    const char *code)
{
	int64_t i;
	if (!code || !strmap_get(m, code, &i))
		return NULL;
	return (const struct code_entry *)v->v + i;
}

const struct code_entry *refdata_term(const struct refdata *r, const char *code)
{
	return code_lookup(&r->terms, &r->term_index, code);
}

const struct code_entry *refdata_unit(const struct refdata *r, const char *code)
{
	return code_lookup(&r->units, &r->unit_index, code);
}

int refdata_term_unit_allowed(const struct refdata *r, const char *term, const char *unit)
{
	char key[64];
	snprintf(key, sizeof key, "%s|%s", term, unit ? unit : "");
	int64_t v;
	return strmap_get(&r->term_unit, key, &v);
}

const char *refdata_term_units(const struct refdata *r, const char *term)
{
	int64_t i;
	if (!strmap_get(&r->term_units, term, &i))
		return "";
	return ((const char **)r->term_unit_lists.v)[i];
}

size_t refdata_terms(const struct refdata *r, const struct code_entry **out)
{
	*out = r->terms.v;
	return r->terms.n;
}

size_t refdata_units(const struct refdata *r, const struct code_entry **out)
{
	*out = r->units.v;
	return r->units.n;
}

/* ---- places ---- */

/* Looks text up in m by its fold (names and codes are filed folded). */
static int get_folded(const struct strmap *m, const char *text, int64_t *i)
{
	char small[128];
	const char *f = text_fold_ascii(small, sizeof small, text);
	if (f)
		return strmap_get(m, f, i);
	char *big = text_fold_dup(text);
	int ok = strmap_get(m, big, i);
	free(big);
	return ok;
}

const struct country *refdata_country(const struct refdata *r, const char *text)
{
	if (!text || !*text)
		return NULL;
	int64_t i;
	int ok = get_folded(&r->country_index, text, &i);
	return ok ? (const struct country *)r->countries.v + i : NULL;
}

size_t refdata_countries(const struct refdata *r, const struct country **out)
{
	*out = r->countries.v;
	return r->countries.n;
}

const char *refdata_country_dial(const struct refdata *r, const char *iso2)
{
	const struct country *c = refdata_country(r, iso2);
	return c ? c->dial_code : NULL;
}

const struct country *refdata_dial_country(const struct refdata *r, const char *digits,
					   size_t *cc_len)
{
	size_t n = 0;
	while (digits && digits[n] >= '0' && digits[n] <= '9')
		n++;
	const struct dial_range *d = r->dials.v;
	char want[sizeof d->digits];
	for (size_t len = n < sizeof want - 1 ? n : sizeof want - 1; len > 0; len--) {
		memcpy(want, digits, len);
		want[len] = '\0';
		size_t lo = 0, hi = r->dials.n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(d[mid].digits, want);
			if (c == 0) {
				if (cc_len)
					*cc_len = d[mid].cc_len;
				return (const struct country *)r->countries.v + d[mid].country;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

const struct location *refdata_location(const struct refdata *r, const char *locode)
{
	if (!locode)
		return NULL;
	char key[16];
	size_t j = 0;
	for (const char *p = locode; *p && j < sizeof key - 1; p++)
		if (*p != ' ')
			key[j++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	key[j] = '\0';
	int64_t i;
	if (!strmap_get(&r->location_index, key, &i))
		return NULL;
	return (const struct location *)r->locations.v + i;
}

size_t refdata_locations(const struct refdata *r, const struct location **out)
{
	*out = r->locations.v;
	return r->locations.n;
}

/* ---- vocabularies ---- */

const char *refdata_vocab_code(const struct refdata *r, const char *vocab, const char *text)
{
	int slot = vocab_slot(vocab);
	if (slot < 0 || !text)
		return NULL;
	int64_t i;
	int ok = get_folded(&r->vocab[slot].index, text, &i);
	return ok ? ((const struct code_entry *)r->vocab[slot].entries.v)[i].code : NULL;
}

size_t refdata_vocab(const struct refdata *r, const char *vocab, const struct code_entry **out)
{
	int slot = vocab_slot(vocab);
	if (slot < 0) {
		*out = NULL;
		return 0;
	}
	*out = r->vocab[slot].entries.v;
	return r->vocab[slot].entries.n;
}

const char *const *refdata_vocab_names(void)
{
	return vocab_names;
}
