/*
 * /api/v1/search: one search box across parties, identifiers and seizures.
 *
 *   GET /api/v1/search?q=...&kinds=parties,identifiers,seizures&limit=20
 *   -> {"items": [{"kind", "id", "label", "score", "reason", ...}], "total": n}
 *
 * Exact hits come first: identifiers whose canonical key is one the typed
 * text could be (a phone typed any way), and seizures whose reference is
 * the text (case and punctuation aside).  Then parties by name score
 * (name_compare: across scripts, spellings and word order), and seizures
 * whose search text holds every word of q (the list's q= search, from the
 * seizure index; scored SEIZURE_TEXT_SCORE), best first.  Only what the
 * actor may see is found or counted.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "index/party_index.h"
#include "index/seizure_index.h"
#include "seizure/seizure.h"
#include "store/store.h"
#include "text/fold.h"

enum { SEARCH_LIMIT_MAX = 100, SEARCH_Q_MAX = 200 };

/* A seizure found by the words of q (not its reference) scores this. */
#define SEIZURE_TEXT_SCORE 0.6

enum { KIND_PARTIES = 1, KIND_IDENTIFIERS = 2, KIND_SEIZURES = 4 };

static int parse_kinds(const char *v, unsigned *kinds, struct error *err)
{
	*kinds = 0;
	const char *p = v;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len == 7 && strncmp(p, "parties", 7) == 0)
			*kinds |= KIND_PARTIES;
		else if (len == 11 && strncmp(p, "identifiers", 11) == 0)
			*kinds |= KIND_IDENTIFIERS;
		else if (len == 8 && strncmp(p, "seizures", 8) == 0)
			*kinds |= KIND_SEIZURES;
		else
			return error_field(err, "kinds",
					   "\"%.*s\" is not a kind; use parties, identifiers, seizures "
					   "(comma-separated)",
					   (int)(len > 40 ? 40 : len), p);
		if (!end)
			break;
		p = end + 1;
	}
	if (!*kinds)
		return error_field(err, "kinds",
				   "names no kind; use parties, identifiers, seizures (comma-separated)");
	return 0;
}

struct item {
	const char *kind;         /* "party", "identifier", "seizure" */
	int64_t id, party_id;
	const char *label, *reason, *ident_kind;
	double score;
	int exact;
	size_t order;             /* as found: identifiers, parties, seizures */
};

/* Exact hits first, then by score; equal ones in the order found. */
static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->exact != y->exact)
		return x->exact ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The seizures for q: by reference (exact) and by the words of q. */
static int search_seizures(struct api_ctx *c, const char *q, size_t limit, struct item **items,
			   size_t *n, size_t *cap, int64_t *total)
{
	struct arena *ar = c->req->arena;
	const char *folded = text_fold(ar, q, strlen(q));
	/* the list's q= takes at most SEIZURE_Q_MAX_WORDS words */
	char *words = arena_strdup(ar, folded);
	size_t nw = 0;
	for (char *p = words; *p; p++)
		if (*p == ' ' && ++nw >= SEIZURE_Q_MAX_WORDS) {
			*p = '\0';
			break;
		}
	if (!*words)
		return 0;
	if (seizure_index_sync(c->app->index, c->st, &c->err) != 0)
		return -1;
	struct seizure_filter f;
	memset(&f, 0, sizeof f);
	f.q = words;
	f.limit = (int)limit;
	f.want_total = 1;
	int64_t *ids = arena_alloc(ar, limit * sizeof *ids);
	size_t nids = 0;
	int has_more = 0;
	int64_t found = 0;
	if (seizure_index_query(c->app->index, c->ref, &c->who, &f, ids, &nids, &has_more, &found,
				&c->err) != 0)
		return -1;
	struct seizure *s = arena_alloc(ar, (nids ? nids : 1) * sizeof *s);
	size_t ns = 0;
	if (nids && store_seizure_get_many(c->st, ids, nids, s, &ns, ar, &c->err) != 0)
		return -1;
	for (size_t i = 0; i < ns; i++) {
		const char *ref = s[i].ref ? s[i].ref : "";
		int exact = strcmp(text_fold(ar, ref, strlen(ref)), folded) == 0;
		*items = arena_grow(ar, *items, *n, cap, sizeof **items);
		(*items)[(*n)++] = (struct item){
			.kind = "seizure", .id = s[i].id, .label = ref, .exact = exact,
			.score = exact ? 1.0 : SEIZURE_TEXT_SCORE,
			.reason = exact ? arena_sprintf(ar, "seizure reference %s", ref)
					: "every word of the query in the seizure's text",
		};
	}
	*total += found;
	return 0;
}

int api_search(struct api_ctx *c)
{
	const struct query *qs = &c->req->query;
	for (size_t i = 0; i < qs->n; i++)
		if (strcmp(qs->keys[i], "q") != 0 && strcmp(qs->keys[i], "kinds") != 0 &&
		    strcmp(qs->keys[i], "limit") != 0)
			error_field(&c->err, qs->keys[i], "is not a search parameter; use q, kinds, limit");
	const char *q = query_get(qs, "q");
	const char *start = q ? q : "";
	while (*start == ' ' || *start == '\t')
		start++;
	if (!*start)
		error_field(&c->err, "q", "is required: the name, identifier or reference to look for");
	else if (strlen(start) > SEARCH_Q_MAX)
		error_field(&c->err, "q", "is too long (at most %d bytes)", SEARCH_Q_MAX);
	unsigned kinds = KIND_PARTIES | KIND_IDENTIFIERS | KIND_SEIZURES;
	const char *kv = query_get(qs, "kinds");
	if (kv && *kv)
		parse_kinds(kv, &kinds, &c->err);
	int64_t limit = 20;
	query_get_int(qs, "limit", 1, SEARCH_LIMIT_MAX, 20, &limit, &c->err);
	if (error_is_set(&c->err))
		return -1;
	if ((kinds & (KIND_PARTIES | KIND_IDENTIFIERS)) && !c->app->parties)
		return error_set(&c->err, ERR_INTERNAL, "the search index is not built");

	struct arena *ar = c->req->arena;
	struct item *items = NULL;
	size_t n = 0, cap = 0;
	int64_t total = 0;
	if (kinds & (KIND_PARTIES | KIND_IDENTIFIERS)) {
		if (party_index_sync(c->app->parties, c->st, &c->err) != 0)
			return -1;
		const char *country = NULL;
		struct agency_rec ag;
		struct error e2 = ERROR_INIT;
		if (c->who.agency_id && store_agency_by_id(c->st, c->who.agency_id, &ag, ar, &e2) == 0)
			country = ag.country;
		error_clear(&e2);
		struct party_query pq = { .q = start, .want_parties = !!(kinds & KIND_PARTIES),
					  .want_identifiers = !!(kinds & KIND_IDENTIFIERS),
					  .limit = (size_t)limit, .default_country = country,
					  .ref = c->ref };
		struct party_hit *hits;
		size_t nh;
		int64_t found;
		if (party_index_search(c->app->parties, &c->who, &pq, ar, &hits, &nh, &found,
				       &c->err) != 0)
			return -1;
		for (size_t i = 0; i < nh; i++) {
			int ident = hits[i].kind == PARTY_HIT_IDENTIFIER;
			items = arena_grow(ar, items, n, &cap, sizeof *items);
			items[n++] = (struct item){
				.kind = ident ? "identifier" : "party", .id = hits[i].id,
				.party_id = ident ? hits[i].party_id : 0, .label = hits[i].label,
				.reason = hits[i].reason, .ident_kind = hits[i].ident_kind,
				.score = hits[i].score, .exact = ident,
			};
		}
		total += found;
	}
	if ((kinds & KIND_SEIZURES) &&
	    search_seizures(c, start, (size_t)limit, &items, &n, &cap, &total) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		items[i].order = i;
	if (n > 1)
		qsort(items, n, sizeof *items, item_cmp);
	json_t *arr = json_array();
	for (size_t i = 0; i < n && i < (size_t)limit; i++) {
		const struct item *it = &items[i];
		json_t *j = json_pack("{s:s, s:I, s:s, s:f, s:s}", "kind", it->kind, "id",
				      (json_int_t)it->id, "label", it->label ? it->label : "", "score",
				      round(it->score * 1000) / 1000, "reason",
				      it->reason ? it->reason : "");
		if (it->ident_kind)
			json_object_set_new(j, "identifier_kind", json_string(it->ident_kind));
		if (strcmp(it->kind, "identifier") == 0)
			json_object_set_new(j, "party_id",
					    it->party_id ? json_integer(it->party_id) : json_null());
		json_array_append_new(arr, j);
	}
	api_json(c, 200, json_pack("{s:o, s:I}", "items", arr, "total", (json_int_t)total));
	return 0;
}

void api_search_follow_party(struct api_ctx *c, int64_t party_id)
{
	if (!c->app->parties)
		return;
	struct error e = ERROR_INIT;
	if (party_index_refresh(c->app->parties, c->st, party_id, &e) != 0)
		fprintf(stderr, "kouprey: updating the search index failed: %s\n",
			e.message ? e.message : "?");
	error_clear(&e);
}
