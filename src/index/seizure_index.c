#include "index/seizure_index.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/dynbuf.h"
#include "lib/strmap.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"
#include "store/store.h"

enum { MAX_Q_WORDS = SEIZURE_Q_MAX_WORDS };

/* What the filters look at, for one seizure; one allocation with its arrays. */
struct entry {
	int64_t id;
	uint64_t stamp;               /* unique to this entry: renders of it are cached under it */
	int64_t agency_id;
	int32_t date_from, date_to;   /* YYYYMMDD */
	uint16_t country, transport;  /* interned codes; 0 = none */
	uint16_t ncountries, nitems;
	uint8_t national;
	uint16_t *countries;          /* origin, transit, destination */
	uint32_t *taxa;
	uint16_t *terms;
	char *search;
};

struct posting {
	const char *word;             /* the map's copy */
	uint32_t *ids;
	uint32_t n, cap;
};

/*
 * One row per seizure in list order, contiguous, holding what most queries
 * decide on (so a scan reads memory in sequence); masks of the countries,
 * taxa and terms let it skip the entry's lists when they cannot match.
 */
enum { INLINE = 4 };

struct row {
	int64_t id;
	struct entry *e;
	uint64_t country_mask, taxon_mask, term_mask;
	int64_t agency_id;
	int32_t date_from, date_to;
	uint16_t country, transport;
	uint8_t national;
	uint8_t inline_lists;         /* the lists below are complete (short) */
	uint16_t ncountries, nitems;
	uint16_t countries[INLINE], terms[INLINE];
	uint32_t taxa[INLINE];
};

static uint64_t bit16(uint16_t v)
{
	return 1ULL << (v & 63);
}

static uint64_t bit_taxon(uint32_t t)
{
	return 1ULL << ((t * 2654435761u) >> 26 & 63);
}

/* The contents, swapped whole on a rebuild. */
struct contents {
	struct row *order;            /* newest first: date_from desc, id desc */
	size_t n, cap;
	struct entry **by_id;         /* indexed by id (ids are dense) */
	size_t by_id_cap;
	struct strmap codes;          /* "c:KH", "t:SCA", "m:sea" -> 1.. */
	int64_t ncodes;
	/* the words of the search texts, each with the ids of the seizures
	 * whose text has it (sorted): q's words are found in the dictionary,
	 * not in every text */
	struct strmap words;          /* word -> index in postings */
	struct posting *postings;
	size_t nwords, words_cap;
	int64_t generation;
	_Atomic uint64_t *stamps;     /* the index's counter of entry stamps */
};

/*
 * Recent answers: for a filter (and what the actor may see), every match in
 * list order, valid for one generation of the register.  Paging through a
 * list, or coming back to it, is then a binary search, not a scan.
 */
enum { CACHE_SLOTS = 16, CACHE_MAX_HITS = 250000 };

struct hit {
	int64_t id;
	int32_t date_from;
};

struct cached {
	char *key;
	int64_t generation;
	struct hit *hits;
	size_t n;
	uint64_t used;
};

/*
 * Rendered JSON of single seizures, direct-mapped by id (a newer render of
 * another id takes the slot), valid while the seizure's entry (its stamp)
 * and the reference data it was rendered with are current.
 */
enum { RENDER_SLOTS = 1 << 15, RENDER_LOCKS = 64, RENDER_MAX_BYTES = 1 << 16 };

struct render {
	int64_t id;
	uint64_t stamp;
	const void *ref;
	char *json; /* cap bytes, reused by the slot's next render */
	size_t len, cap;
};

struct seizure_index {
	pthread_rwlock_t lock;
	struct contents c;
	pthread_mutex_t cache_lock;
	struct cached cache[CACHE_SLOTS];
	uint64_t tick;
	_Atomic uint64_t stamps;
	pthread_mutex_t render_locks[RENDER_LOCKS];
	struct render *renders[SEIZURE_JSON_KINDS]; /* RENDER_SLOTS each */
};

static int32_t ymd(const char *s)
{
	if (!s || strlen(s) < 10)
		return 0;
	return (int32_t)(strtol(s, NULL, 10) * 10000 + strtol(s + 5, NULL, 10) * 100 +
			 strtol(s + 8, NULL, 10));
}

static uint16_t intern(struct contents *c, char kind, const char *code)
{
	if (!code || !*code)
		return 0;
	char key[64];
	snprintf(key, sizeof key, "%c:%s", kind, code);
	int64_t v;
	if (strmap_get(&c->codes, key, &v))
		return (uint16_t)v;
	if (c->ncodes >= UINT16_MAX)
		return 0;
	strmap_put(&c->codes, key, ++c->ncodes);
	return (uint16_t)c->ncodes;
}

/* 0 when the code was never seen (nothing can match it). */
static uint16_t lookup(const struct contents *c, char kind, const char *code)
{
	char key[64];
	snprintf(key, sizeof key, "%c:%s", kind, code);
	int64_t v;
	return strmap_get(&c->codes, key, &v) ? (uint16_t)v : 0;
}

/* Calls fn for each word of a folded text (words are separated by single
 * spaces; a word that comes twice is given twice). */
static void each_word(const char *text, void (*fn)(struct contents *, const char *, uint32_t),
		      struct contents *c, uint32_t id)
{
	char word[256];
	const char *p = text;
	while (p && *p) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > 0 && len < sizeof word) {
			memcpy(word, p, len);
			word[len] = '\0';
			fn(c, word, id);
		}
		if (!end)
			break;
		p = end + 1;
	}
}

static void posting_add(struct contents *c, const char *word, uint32_t id)
{
	int64_t w;
	if (!strmap_get(&c->words, word, &w)) {
		if (c->nwords == c->words_cap) {
			c->words_cap = c->words_cap ? c->words_cap * 2 : 1024;
			c->postings = xreallocarray(c->postings, c->words_cap, sizeof *c->postings);
		}
		w = (int64_t)c->nwords++;
		memset(&c->postings[w], 0, sizeof *c->postings);
		c->postings[w].word = strmap_put(&c->words, word, w);
	}
	struct posting *pl = &c->postings[w];
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 4;
		pl->ids = xreallocarray(pl->ids, pl->cap, sizeof *pl->ids);
	}
	/* ids arrive in order when loading; a changed record may come back lower */
	uint32_t pos = pl->n;
	while (pos > 0 && pl->ids[pos - 1] > id)
		pos--;
	if (pos > 0 && pl->ids[pos - 1] == id)
		return; /* the word came twice in the text */
	memmove(pl->ids + pos + 1, pl->ids + pos, (pl->n - pos) * sizeof *pl->ids);
	pl->ids[pos] = id;
	pl->n++;
}

static void posting_remove(struct contents *c, const char *word, uint32_t id)
{
	int64_t w;
	if (!strmap_get(&c->words, word, &w))
		return;
	struct posting *pl = &c->postings[w];
	uint32_t lo = 0, hi = pl->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (pl->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < pl->n && pl->ids[lo] == id) {
		memmove(pl->ids + lo, pl->ids + lo + 1, (pl->n - lo - 1) * sizeof *pl->ids);
		pl->n--;
	}
}

static size_t count_list(const char *list)
{
	size_t n = 0;
	for (const char *p = list; p && *p; p++)
		if (p == list || p[-1] == ';')
			n += *p != ';';
	return n;
}

static void add_list(struct contents *c, struct entry *e, const char *list)
{
	const char *p = list;
	while (p && *p) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > 0 && len < 8) {
			char code[8];
			memcpy(code, p, len);
			code[len] = '\0';
			e->countries[e->ncountries++] = intern(c, 'c', code);
		}
		if (!end)
			break;
		p = end + 1;
	}
}

static struct entry *make_entry(struct contents *c, const struct seizure *s)
{
	size_t nc = count_list(s->origin) + count_list(s->transit) + count_list(s->destination);
	size_t ni = s->nitems;
	size_t slen = s->search_text ? strlen(s->search_text) : 0;
	size_t size = sizeof(struct entry) + ni * sizeof(uint32_t) + (nc + ni) * sizeof(uint16_t) +
		      slen + 1;
	struct entry *e = xmalloc(size);
	memset(e, 0, sizeof *e);
	e->taxa = (uint32_t *)(e + 1);
	e->countries = (uint16_t *)(e->taxa + ni);
	e->terms = e->countries + nc;
	e->search = (char *)(e->terms + ni);
	e->id = s->id;
	e->stamp = ++*c->stamps;
	e->agency_id = s->agency_id;
	e->date_from = ymd(s->date_from);
	e->date_to = ymd(s->date_to);
	e->national = s->sharing && strcmp(s->sharing, "national") == 0;
	e->country = intern(c, 'c', s->country);
	e->transport = intern(c, 'm', s->transport_mode);
	add_list(c, e, s->origin);
	add_list(c, e, s->transit);
	add_list(c, e, s->destination);
	for (size_t i = 0; i < ni; i++) {
		e->taxa[i] = (uint32_t)s->items[i].taxon_id;
		e->terms[i] = intern(c, 't', s->items[i].term);
	}
	e->nitems = (uint16_t)ni;
	memcpy(e->search, s->search_text ? s->search_text : "", slen + 1);
	each_word(e->search, posting_add, c, (uint32_t)e->id);
	return e;
}

static int row_cmp(const struct row *a, const struct row *b)
{
	if (a->date_from != b->date_from)
		return a->date_from > b->date_from ? -1 : 1;
	if (a->id != b->id)
		return a->id > b->id ? -1 : 1;
	return 0;
}

static int order_qsort(const void *a, const void *b)
{
	return row_cmp(a, b);
}

static struct row make_row(struct entry *e)
{
	struct row r = { .id = e->id, .e = e, .agency_id = e->agency_id,
			 .date_from = e->date_from, .date_to = e->date_to, .country = e->country,
			 .transport = e->transport, .national = e->national };
	r.inline_lists = e->ncountries <= INLINE && e->nitems <= INLINE;
	if (r.inline_lists) {
		r.ncountries = e->ncountries;
		r.nitems = e->nitems;
		memcpy(r.countries, e->countries, e->ncountries * sizeof *e->countries);
		memcpy(r.terms, e->terms, e->nitems * sizeof *e->terms);
		memcpy(r.taxa, e->taxa, e->nitems * sizeof *e->taxa);
	}
	r.country_mask = e->country ? bit16(e->country) : 0;
	for (size_t i = 0; i < e->ncountries; i++)
		r.country_mask |= bit16(e->countries[i]);
	for (size_t i = 0; i < e->nitems; i++) {
		r.taxon_mask |= bit_taxon(e->taxa[i]);
		r.term_mask |= bit16(e->terms[i]);
	}
	return r;
}

/* First position whose entry does not come before key. */
static size_t lower_bound(const struct contents *c, int32_t date, int64_t id)
{
	struct row key = { .id = id, .date_from = date };
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (row_cmp(&c->order[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void set_by_id(struct contents *c, int64_t id, struct entry *e)
{
	if (id <= 0)
		return;
	if ((size_t)id >= c->by_id_cap) {
		size_t cap = c->by_id_cap ? c->by_id_cap : 1024;
		while (cap <= (size_t)id)
			cap *= 2;
		c->by_id = xreallocarray(c->by_id, cap, sizeof(struct entry *));
		memset(c->by_id + c->by_id_cap, 0, (cap - c->by_id_cap) * sizeof(struct entry *));
		c->by_id_cap = cap;
	}
	c->by_id[id] = e;
}

static void push(struct contents *c, struct entry *e)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->order = xreallocarray(c->order, c->cap, sizeof(struct row));
	}
	c->order[c->n++] = make_row(e);
	set_by_id(c, e->id, e);
}

static void contents_free(struct contents *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->order[i].e);
	free(c->order);
	free(c->by_id);
	strmap_free(&c->codes);
	for (size_t i = 0; i < c->nwords; i++)
		free(c->postings[i].ids);
	free(c->postings);
	strmap_free(&c->words);
	memset(c, 0, sizeof *c);
}

static int collect(void *ctx, const struct seizure *s)
{
	struct contents *c = ctx;
	push(c, make_entry(c, s));
	return 0;
}

/* Reads everything into c (the caller holds a consistent snapshot). */
static int load(struct contents *c, _Atomic uint64_t *stamps, struct store *st,
		struct error *err)
{
	memset(c, 0, sizeof *c);
	c->stamps = stamps;
	strmap_init(&c->codes);
	strmap_init(&c->words);
	if (store_seizure_generation(st, &c->generation, err) != 0 ||
	    store_seizure_all(st, collect, c, err) != 0) {
		contents_free(c);
		return -1;
	}
	if (c->n > 1)
		qsort(c->order, c->n, sizeof *c->order, order_qsort);
	return 0;
}

struct seizure_index *seizure_index_build(struct store *st, struct error *err)
{
	struct seizure_index *ix = xcalloc(1, sizeof *ix);
	if (load(&ix->c, &ix->stamps, st, err) != 0) {
		free(ix);
		return NULL;
	}
	pthread_rwlock_init(&ix->lock, NULL);
	pthread_mutex_init(&ix->cache_lock, NULL);
	for (int i = 0; i < RENDER_LOCKS; i++)
		pthread_mutex_init(&ix->render_locks[i], NULL);
	for (int k = 0; k < SEIZURE_JSON_KINDS; k++)
		ix->renders[k] = xcalloc(RENDER_SLOTS, sizeof(struct render));
	return ix;
}

void seizure_index_free(struct seizure_index *ix)
{
	if (!ix)
		return;
	contents_free(&ix->c);
	pthread_rwlock_destroy(&ix->lock);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(ix->cache[i].key);
		free(ix->cache[i].hits);
	}
	pthread_mutex_destroy(&ix->cache_lock);
	for (int i = 0; i < RENDER_LOCKS; i++)
		pthread_mutex_destroy(&ix->render_locks[i]);
	for (int k = 0; k < SEIZURE_JSON_KINDS; k++) {
		for (size_t i = 0; i < RENDER_SLOTS; i++)
			free(ix->renders[k][i].json);
		free(ix->renders[k]);
	}
	free(ix);
}

size_t seizure_index_size(struct seizure_index *ix)
{
	pthread_rwlock_rdlock(&ix->lock);
	size_t n = ix->c.n;
	pthread_rwlock_unlock(&ix->lock);
	return n;
}

/* Replaces the contents with a fresh load (built outside the lock). */
static int rebuild(struct seizure_index *ix, struct store *st, struct error *err)
{
	struct contents fresh;
	if (load(&fresh, &ix->stamps, st, err) != 0)
		return -1;
	pthread_rwlock_wrlock(&ix->lock);
	struct contents old = ix->c;
	if (fresh.generation >= old.generation) {
		ix->c = fresh;
		fresh = old;
	}
	pthread_rwlock_unlock(&ix->lock);
	contents_free(&fresh);
	return 0;
}

static void remove_entry(struct contents *c, struct entry *e)
{
	size_t pos = lower_bound(c, e->date_from, e->id);
	if (pos < c->n && c->order[pos].e == e) {
		memmove(c->order + pos, c->order + pos + 1, (c->n - pos - 1) * sizeof *c->order);
		c->n--;
	}
	set_by_id(c, e->id, NULL);
	each_word(e->search, posting_remove, c, (uint32_t)e->id);
	free(e);
}

static void insert_entry(struct contents *c, struct entry *e)
{
	push(c, e); /* grows the array and records the id */
	c->n--;
	size_t pos = lower_bound(c, e->date_from, e->id);
	memmove(c->order + pos + 1, c->order + pos, (c->n - pos) * sizeof *c->order);
	c->order[pos] = make_row(e);
	c->n++;
}

int seizure_index_refresh(struct seizure_index *ix, struct store *st, int64_t id,
			  struct error *err)
{
	int64_t gen;
	if (store_seizure_generation(st, &gen, err) != 0)
		return -1;
	pthread_rwlock_rdlock(&ix->lock);
	int64_t have = ix->c.generation;
	pthread_rwlock_unlock(&ix->lock);
	if (gen == have)
		return 0;
	if (!id || gen != have + 1)
		return rebuild(ix, st, err);
	struct arena a;
	arena_init(&a);
	struct seizure s;
	struct error e2 = ERROR_INIT;
	int gone = store_seizure_get(st, id, &s, &a, &e2) != 0;
	if (gone && e2.code != ERR_NOT_FOUND) {
		error_clear(err);
		*err = e2;
		arena_free(&a);
		return -1;
	}
	error_clear(&e2);
	pthread_rwlock_wrlock(&ix->lock);
	struct contents *c = &ix->c;
	if (c->generation == have) {
		if ((size_t)id < c->by_id_cap && c->by_id[id])
			remove_entry(c, c->by_id[id]);
		if (!gone)
			insert_entry(c, make_entry(c, &s));
		c->generation = gen;
	}
	pthread_rwlock_unlock(&ix->lock);
	arena_free(&a);
	return 0;
}

int seizure_index_sync_generation(struct seizure_index *ix, struct store *st, int64_t *gen,
				  struct error *err)
{
	if (store_seizure_generation(st, gen, err) != 0)
		return -1;
	pthread_rwlock_rdlock(&ix->lock);
	int current = ix->c.generation == *gen;
	pthread_rwlock_unlock(&ix->lock);
	return current ? 0 : rebuild(ix, st, err);
}

int seizure_index_sync(struct seizure_index *ix, struct store *st, struct error *err)
{
	int64_t gen;
	return seizure_index_sync_generation(ix, st, &gen, err);
}

/* ---- queries ---- */

struct matcher {
	const struct actor *who;
	int32_t from, to;
	uint16_t country, transport, term;
	int want_country, want_transport, want_term;
	int64_t agency_id;
	const int64_t *taxa;          /* sorted */
	size_t ntaxa;
	int want_taxa;
	uint64_t *text_hits;          /* by id: the text has every word of q */
	size_t text_hits_bits;
	int want_text;
	int impossible;               /* a code no seizure has */
	uint64_t country_mask, taxon_mask, term_mask; /* bits a match must have (any, for taxa) */
};

static int has_taxon(const struct matcher *m, uint32_t t)
{
	size_t lo = 0, hi = m->ntaxa;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->taxa[mid] < (int64_t)t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->ntaxa && m->taxa[lo] == (int64_t)t;
}

static int matches(const struct matcher *m, const struct row *r)
{
	if (m->who->role != ROLE_ADMIN && r->agency_id != m->who->agency_id && !r->national)
		return 0;
	if (r->date_to < m->from || r->date_from > m->to)
		return 0;
	if (m->agency_id && r->agency_id != m->agency_id)
		return 0;
	if (m->want_transport && r->transport != m->transport)
		return 0;
	if ((r->country_mask & m->country_mask) != m->country_mask ||
	    (m->want_taxa && !(r->taxon_mask & m->taxon_mask)) ||
	    (r->term_mask & m->term_mask) != m->term_mask)
		return 0;
	/* short lists are in the row; long ones only in the entry */
	const uint16_t *countries = r->inline_lists ? r->countries : r->e->countries;
	const uint16_t *terms = r->inline_lists ? r->terms : r->e->terms;
	const uint32_t *taxa = r->inline_lists ? r->taxa : r->e->taxa;
	size_t ncountries = r->inline_lists ? r->ncountries : r->e->ncountries;
	size_t nitems = r->inline_lists ? r->nitems : r->e->nitems;
	if (m->want_country && r->country != m->country) {
		int found = 0;
		for (size_t i = 0; i < ncountries && !found; i++)
			found = countries[i] == m->country;
		if (!found)
			return 0;
	}
	if (m->want_term) {
		int found = 0;
		for (size_t i = 0; i < nitems && !found; i++)
			found = terms[i] == m->term;
		if (!found)
			return 0;
	}
	if (m->want_taxa) {
		int found = 0;
		for (size_t i = 0; i < nitems && !found; i++)
			found = has_taxon(m, taxa[i]);
		if (!found)
			return 0;
	}
	if (m->want_text && ((uint64_t)r->id >= m->text_hits_bits ||
			     !(m->text_hits[r->id >> 6] & (1ULL << (r->id & 63)))))
		return 0;
	return 1;
}

/*
 * The ids whose text contains every word of q (each q word a substring of
 * one of the text's words, as LIKE '%word%' finds it): the dictionary is
 * searched, and the postings of the words that contain a q word are merged.
 */
static void text_matches(const struct contents *c, const char *q, struct matcher *m)
{
	size_t bits = c->by_id_cap ? c->by_id_cap : 64;
	size_t words64 = (bits + 63) / 64;
	m->want_text = 1;
	m->text_hits_bits = bits;
	m->text_hits = xcalloc(words64, sizeof(uint64_t));
	uint64_t *one = xcalloc(words64, sizeof(uint64_t));
	char *copy = xstrdup(q);
	char *save = NULL;
	int first = 1;
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		memset(one, 0, words64 * sizeof(uint64_t));
		for (size_t k = 0; k < c->nwords; k++) {
			const struct posting *pl = &c->postings[k];
			if (pl->n == 0 || !strstr(pl->word, w))
				continue;
			for (uint32_t j = 0; j < pl->n; j++)
				one[pl->ids[j] >> 6] |= 1ULL << (pl->ids[j] & 63);
		}
		for (size_t k = 0; k < words64; k++)
			m->text_hits[k] = first ? one[k] : (m->text_hits[k] & one[k]);
		first = 0;
	}
	free(copy);
	free(one);
}

/* The filter and the actor's visibility as a cache key (cursor and limit
 * aside). */
static char *cache_key(const struct actor *who, const struct seizure_filter *f)
{
	char vis[32];
	if (who->role == ROLE_ADMIN)
		snprintf(vis, sizeof vis, "all");
	else
		snprintf(vis, sizeof vis, "%lld", (long long)who->agency_id);
	return xasprintf("%s\x1f%s\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%lld\x1f%s\x1f%s\x1f%s", vis,
			 f->q ? f->q : "", (long long)f->taxon_id, f->taxon_group ? f->taxon_group : "",
			 f->term ? f->term : "", f->country ? f->country : "",
			 (long long)f->agency_id, f->from ? f->from : "", f->to ? f->to : "",
			 f->transport_mode ? f->transport_mode : "");
}

/* The page after the cursor from a cached list of matches. */
static void page_from_hits(const struct hit *hits, size_t nhits, const struct seizure_filter *f,
			   int64_t *ids, size_t *n, int *has_more, int64_t *total)
{
	size_t lo = 0, hi = nhits;
	if (f->after_id) {
		int32_t d = ymd(f->after_date);
		/* first hit after (d, after_id) in the order date desc, id desc */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			const struct hit *h = &hits[mid];
			int before_or_at = h->date_from > d || (h->date_from == d && h->id >= f->after_id);
			if (before_or_at)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	size_t limit = (size_t)(f->limit > 0 ? f->limit : 50);
	*n = 0;
	for (size_t i = lo; i < nhits && *n < limit; i++)
		ids[(*n)++] = hits[i].id;
	*has_more = lo + *n < nhits;
	*total = (int64_t)nhits;
}

static int cache_lookup(struct seizure_index *ix, const char *key, int64_t gen,
			const struct seizure_filter *f, int64_t *ids, size_t *n, int *has_more,
			int64_t *total)
{
	int found = 0;
	pthread_mutex_lock(&ix->cache_lock);
	for (int i = 0; i < CACHE_SLOTS && !found; i++) {
		struct cached *c = &ix->cache[i];
		if (c->key && c->generation == gen && strcmp(c->key, key) == 0) {
			page_from_hits(c->hits, c->n, f, ids, n, has_more, total);
			c->used = ++ix->tick;
			found = 1;
		}
	}
	pthread_mutex_unlock(&ix->cache_lock);
	return found;
}

/* Keeps hits (taken) for key; the least recently used answer makes room. */
static void cache_store(struct seizure_index *ix, char *key, int64_t gen, struct hit *hits,
			size_t n)
{
	pthread_mutex_lock(&ix->cache_lock);
	struct cached *slot = &ix->cache[0];
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (!ix->cache[i].key || ix->cache[i].used < slot->used) {
			slot = &ix->cache[i];
			if (!slot->key)
				break;
		}
	free(slot->key);
	free(slot->hits);
	*slot = (struct cached){ key, gen, hits, n, ++ix->tick };
	pthread_mutex_unlock(&ix->cache_lock);
}

int seizure_index_query(struct seizure_index *ix, const struct refdata *ref,
			const struct actor *who, const struct seizure_filter *f, int64_t *ids,
			size_t *n, int *has_more, int64_t *total, struct error *err)
{
	pthread_rwlock_rdlock(&ix->lock);
	int64_t gen = ix->c.generation;
	pthread_rwlock_unlock(&ix->lock);
	char *key = cache_key(who, f);
	if (cache_lookup(ix, key, gen, f, ids, n, has_more, total)) {
		free(key);
		return 0;
	}
	struct matcher m = { .who = who, .from = INT32_MIN, .to = INT32_MAX,
			     .agency_id = f->agency_id };
	if (f->from && *f->from)
		m.from = ymd(f->from);
	if (f->to && *f->to)
		m.to = ymd(f->to);
	int64_t one = f->taxon_id;
	int64_t *group = NULL;
	if (f->taxon_id) {
		m.taxa = &one;
		m.ntaxa = 1;
		m.want_taxa = 1;
	}
	if (f->taxon_group && *f->taxon_group) {
		m.ntaxa = refdata_group_members(ref, f->taxon_group, &group);
		if (f->taxon_id) { /* both: the taxon must be in the group */
			size_t k = 0;
			for (size_t i = 0; i < m.ntaxa; i++)
				if (group[i] == f->taxon_id)
					group[k++] = group[i];
			m.ntaxa = k;
		}
		m.taxa = group;
		m.want_taxa = 1;
	}
	char *qcopy = NULL;
	size_t nhits = 0, cap = 0;
	struct hit *hits = NULL;
	pthread_rwlock_rdlock(&ix->lock);
	const struct contents *c = &ix->c;
	gen = c->generation;
	if (f->country && *f->country) {
		m.want_country = 1;
		m.impossible |= !(m.country = lookup(c, 'c', f->country));
	}
	if (f->transport_mode && *f->transport_mode) {
		m.want_transport = 1;
		m.impossible |= !(m.transport = lookup(c, 'm', f->transport_mode));
	}
	if (f->term && *f->term) {
		m.want_term = 1;
		m.impossible |= !(m.term = lookup(c, 't', f->term));
	}
	if (m.want_taxa && m.ntaxa == 0)
		m.impossible = 1;
	if (f->q && *f->q)
		text_matches(c, f->q, &m);
	if (m.want_country)
		m.country_mask = bit16(m.country);
	if (m.want_term)
		m.term_mask = bit16(m.term);
	for (size_t i = 0; i < m.ntaxa; i++)
		m.taxon_mask |= bit_taxon((uint32_t)m.taxa[i]);
	for (size_t i = 0; !m.impossible && i < c->n; i++) {
		if (!matches(&m, &c->order[i]))
			continue;
		if (nhits == cap) {
			cap = cap ? cap * 2 : 256;
			hits = xreallocarray(hits, cap, sizeof *hits);
		}
		hits[nhits++] = (struct hit){ c->order[i].id, c->order[i].date_from };
	}
	pthread_rwlock_unlock(&ix->lock);
	page_from_hits(hits, nhits, f, ids, n, has_more, total);
	if (nhits <= CACHE_MAX_HITS) {
		cache_store(ix, key, gen, hits, nhits);
	} else {
		free(key);
		free(hits);
	}
	free(qcopy);
	free(group);
	free(m.text_hits);
	(void)err;
	return 0;
}

/* ---- single seizures and their rendered JSON ---- */

static int visible_to(const struct actor *who, const struct entry *e)
{
	return who->role == ROLE_ADMIN || e->agency_id == who->agency_id || e->national;
}

int seizure_index_lookup(struct seizure_index *ix, const struct actor *who, int64_t generation,
			 const int64_t *ids, size_t n, struct seizure_index_info *out)
{
	int rc = 0;
	pthread_rwlock_rdlock(&ix->lock);
	const struct contents *c = &ix->c;
	if (c->generation != generation) {
		rc = -1;
	} else {
		for (size_t i = 0; i < n; i++) {
			const struct entry *e = ids[i] > 0 && (size_t)ids[i] < c->by_id_cap
							? c->by_id[ids[i]]
							: NULL;
			if (e && !visible_to(who, e))
				e = NULL;
			out[i] = (struct seizure_index_info){ 0 };
			if (e) {
				out[i].stamp = e->stamp;
				out[i].date_from = e->date_from;
				rc++;
			}
		}
	}
	pthread_rwlock_unlock(&ix->lock);
	return rc;
}

static struct render *render_slot(struct seizure_index *ix, enum seizure_json_kind kind,
				  int64_t id, pthread_mutex_t **lock)
{
	size_t i = (size_t)id & (RENDER_SLOTS - 1);
	*lock = &ix->render_locks[i % RENDER_LOCKS];
	return &ix->renders[kind][i];
}

int seizure_index_json_get(struct seizure_index *ix, enum seizure_json_kind kind, int64_t id,
			   uint64_t stamp, const struct refdata *ref, struct dynbuf *b)
{
	pthread_mutex_t *lock;
	struct render *r = render_slot(ix, kind, id, &lock);
	int hit = 0;
	pthread_mutex_lock(lock);
	if (r->json && r->id == id && r->stamp == stamp && r->ref == (const void *)ref) {
		dynbuf_add(b, r->json, r->len);
		hit = 1;
	}
	pthread_mutex_unlock(lock);
	return hit;
}

void seizure_index_json_put(struct seizure_index *ix, enum seizure_json_kind kind, int64_t id,
			    uint64_t stamp, const struct refdata *ref, const char *json,
			    size_t len)
{
	if (!stamp || len > RENDER_MAX_BYTES)
		return;
	pthread_mutex_t *lock;
	struct render *r = render_slot(ix, kind, id, &lock);
	pthread_mutex_lock(lock);
	/* the slot keeps its buffer: once the cache is warm, a render is copied
	 * in place (no allocation, and no free of another thread's memory,
	 * which waits on that thread's malloc arena) */
	if (r->cap < len) {
		free(r->json);
		r->cap = (len + 1023) & ~(size_t)1023;
		r->json = xmalloc(r->cap);
	}
	memcpy(r->json, json, len);
	r->id = id;
	r->stamp = stamp;
	r->ref = ref;
	r->len = len;
	pthread_mutex_unlock(lock);
}
