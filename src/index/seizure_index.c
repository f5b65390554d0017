#include "index/seizure_index.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strmap.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"
#include "store/store.h"

enum { MAX_Q_WORDS = SEIZURE_Q_MAX_WORDS };

/* What the filters look at, for one seizure; one allocation with its arrays. */
struct entry {
	int64_t id;
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

/* The contents, swapped whole on a rebuild. */
struct contents {
	struct entry **order;         /* newest first: date_from desc, id desc */
	size_t n, cap;
	struct entry **by_id;         /* indexed by id (ids are dense) */
	size_t by_id_cap;
	struct strmap codes;          /* "c:KH", "t:SCA", "m:sea" -> 1.. */
	int64_t ncodes;
	int64_t generation;
};

struct seizure_index {
	pthread_rwlock_t lock;
	struct contents c;
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
	return e;
}

/* <0 when a comes before b in the list (newer), >0 after. */
static int order_cmp(const struct entry *a, const struct entry *b)
{
	if (a->date_from != b->date_from)
		return a->date_from > b->date_from ? -1 : 1;
	if (a->id != b->id)
		return a->id > b->id ? -1 : 1;
	return 0;
}

static int order_qsort(const void *a, const void *b)
{
	return order_cmp(*(struct entry *const *)a, *(struct entry *const *)b);
}

/* First position whose entry does not come before key. */
static size_t lower_bound(const struct contents *c, int32_t date, int64_t id)
{
	struct entry key = { .id = id, .date_from = date };
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (order_cmp(c->order[mid], &key) < 0)
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
		c->order = xreallocarray(c->order, c->cap, sizeof(struct entry *));
	}
	c->order[c->n++] = e;
	set_by_id(c, e->id, e);
}

static void contents_free(struct contents *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->order[i]);
	free(c->order);
	free(c->by_id);
	strmap_free(&c->codes);
	memset(c, 0, sizeof *c);
}

static int collect(void *ctx, const struct seizure *s)
{
	struct contents *c = ctx;
	push(c, make_entry(c, s));
	return 0;
}

/* Reads everything into c (the caller holds a consistent snapshot). */
static int load(struct contents *c, struct store *st, struct error *err)
{
	memset(c, 0, sizeof *c);
	strmap_init(&c->codes);
	if (store_seizure_generation(st, &c->generation, err) != 0 ||
	    store_seizure_all(st, collect, c, err) != 0) {
		contents_free(c);
		return -1;
	}
	qsort(c->order, c->n, sizeof *c->order, order_qsort);
	return 0;
}

struct seizure_index *seizure_index_build(struct store *st, struct error *err)
{
	struct seizure_index *ix = xcalloc(1, sizeof *ix);
	if (load(&ix->c, st, err) != 0) {
		free(ix);
		return NULL;
	}
	pthread_rwlock_init(&ix->lock, NULL);
	return ix;
}

void seizure_index_free(struct seizure_index *ix)
{
	if (!ix)
		return;
	contents_free(&ix->c);
	pthread_rwlock_destroy(&ix->lock);
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
	if (load(&fresh, st, err) != 0)
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
	if (pos < c->n && c->order[pos] == e) {
		memmove(c->order + pos, c->order + pos + 1, (c->n - pos - 1) * sizeof *c->order);
		c->n--;
	}
	set_by_id(c, e->id, NULL);
	free(e);
}

static void insert_entry(struct contents *c, struct entry *e)
{
	push(c, e); /* grows the array and records the id */
	c->n--;
	size_t pos = lower_bound(c, e->date_from, e->id);
	memmove(c->order + pos + 1, c->order + pos, (c->n - pos) * sizeof *c->order);
	c->order[pos] = e;
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

int seizure_index_sync(struct seizure_index *ix, struct store *st, struct error *err)
{
	int64_t gen;
	if (store_seizure_generation(st, &gen, err) != 0)
		return -1;
	pthread_rwlock_rdlock(&ix->lock);
	int current = ix->c.generation == gen;
	pthread_rwlock_unlock(&ix->lock);
	return current ? 0 : rebuild(ix, st, err);
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
	const char *words[MAX_Q_WORDS];
	size_t nwords;
	int impossible;               /* a code no seizure has */
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

static int matches(const struct matcher *m, const struct entry *e)
{
	if (m->who->role != ROLE_ADMIN && e->agency_id != m->who->agency_id && !e->national)
		return 0;
	if (e->date_to < m->from || e->date_from > m->to)
		return 0;
	if (m->agency_id && e->agency_id != m->agency_id)
		return 0;
	if (m->want_transport && e->transport != m->transport)
		return 0;
	if (m->want_country && e->country != m->country) {
		int found = 0;
		for (size_t i = 0; i < e->ncountries && !found; i++)
			found = e->countries[i] == m->country;
		if (!found)
			return 0;
	}
	if (m->want_term) {
		int found = 0;
		for (size_t i = 0; i < e->nitems && !found; i++)
			found = e->terms[i] == m->term;
		if (!found)
			return 0;
	}
	if (m->want_taxa) {
		int found = 0;
		for (size_t i = 0; i < e->nitems && !found; i++)
			found = has_taxon(m, e->taxa[i]);
		if (!found)
			return 0;
	}
	for (size_t i = 0; i < m->nwords; i++)
		if (!strstr(e->search, m->words[i]))
			return 0;
	return 1;
}

struct group_ctx {
	int64_t *ids;
	size_t n, cap;
};

int seizure_index_query(struct seizure_index *ix, const struct refdata *ref,
			const struct actor *who, const struct seizure_filter *f, int64_t *ids,
			size_t *n, int *has_more, int64_t *total, struct error *err)
{
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
	if (f->q && *f->q) {
		qcopy = xstrdup(f->q);
		char *save = NULL;
		for (char *w = strtok_r(qcopy, " ", &save); w && m.nwords < MAX_Q_WORDS;
		     w = strtok_r(NULL, " ", &save))
			m.words[m.nwords++] = w;
	}
	int limit = f->limit > 0 ? f->limit : 50;
	*n = 0;
	*has_more = 0;
	*total = 0;
	pthread_rwlock_rdlock(&ix->lock);
	const struct contents *c = &ix->c;
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
	size_t start = 0;
	if (f->after_id)
		start = lower_bound(c, ymd(f->after_date), f->after_id);
	/* a cursor names the last row shown: start after it */
	if (f->after_id && start < c->n && c->order[start]->id == f->after_id &&
	    c->order[start]->date_from == ymd(f->after_date))
		start++;
	for (size_t i = 0; !m.impossible && i < c->n; i++) {
		if (!matches(&m, c->order[i]))
			continue;
		(*total)++;
		if (i < start)
			continue;
		if (*n < (size_t)limit)
			ids[(*n)++] = c->order[i]->id;
		else
			*has_more = 1;
	}
	pthread_rwlock_unlock(&ix->lock);
	free(qcopy);
	free(group);
	(void)err;
	return 0;
}
