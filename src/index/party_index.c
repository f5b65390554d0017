#include "index/party_index.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/dynbuf.h"
#include "lib/strmap.h"
#include "lib/xalloc.h"
#include "party/identifier.h"
#include "party/party.h"
#include "store/store.h"
#include "text/names.h"

/*
 * Tuning.  TERMS_MAX: blocking terms read of a query.  BUDGET: postings
 * read per query before the commonest terms are only used to re-weigh the
 * candidates already found.  CANDIDATES: distinct keys scored with
 * name_compare() (the scorer is the costly part; keys are shared by all the
 * parties whose name is spelt the same).
 */
enum {
	TERMS_MAX = 48,
	BUDGET = 60000,
	PROBE_MAX = 4000,
	DEL_BUDGET = 8192,
	CANDIDATES = 128,
	GUESSES_MAX = 16,
	WHY_SIZE = 200,
	NONE = UINT32_MAX,
};

/* Weight of one shared skeleton variant and of one shared pair of words (a
 * rare blocking term weighs about 10, a common one 1 or 2). */
#define DEL_WEIGHT 2.0f
#define PAIR_WEIGHT 6.0f

/* ---- a pool of strings addressed by 32-bit offsets ----------------------- */

struct pool {
	char *buf;
	size_t len, cap;
};

static uint32_t pool_add(struct pool *p, const void *data, size_t n)
{
	if (p->len + n + 1 > p->cap) {
		size_t cap = p->cap ? p->cap : 1 << 16;
		while (p->len + n + 1 > cap)
			cap *= 2;
		p->buf = xrealloc(p->buf, cap);
		p->cap = cap;
	}
	if (p->len + n + 1 > UINT32_MAX)
		abort(); /* four gigabytes of names: far beyond any register */
	uint32_t off = (uint32_t)p->len;
	memcpy(p->buf + p->len, data, n);
	p->buf[p->len + n] = '\0';
	p->len += n + 1;
	return off;
}

static uint32_t pool_str(struct pool *p, const char *s)
{
	return pool_add(p, s, strlen(s));
}

/* ---- an open-addressing table of ids (the keys live elsewhere) ------------ */

struct islot {
	uint32_t id;              /* id + 1; 0 empty */
	uint32_t hash;            /* of the key, to skip most other keys unread */
};

struct itab {
	struct islot *slot;
	uint32_t cap, n;          /* cap a power of two */
};

typedef const char *(*itab_key_fn)(const void *ctx, uint32_t id, size_t *len);

static uint32_t itab_find(const struct itab *t, const char *key, size_t len, itab_key_fn get,
			  const void *ctx)
{
	if (!t->cap)
		return NONE;
	uint32_t mask = t->cap - 1;
	uint32_t h = (uint32_t)strmap_hash(key, len);
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		const struct islot *sl = &t->slot[i];
		if (!sl->id)
			return NONE;
		if (sl->hash != h)
			continue;
		size_t l;
		const char *k = get(ctx, sl->id - 1, &l);
		if (l == len && memcmp(k, key, len) == 0)
			return sl->id - 1;
	}
}

static void itab_insert_raw(struct itab *t, uint32_t h, uint32_t id)
{
	uint32_t mask = t->cap - 1;
	uint32_t i = h & mask;
	while (t->slot[i].id)
		i = (i + 1) & mask;
	t->slot[i] = (struct islot){ id + 1, h };
	t->n++;
}

/* Inserts id (whose key is not in the table yet). */
static void itab_insert(struct itab *t, const char *key, size_t len, uint32_t id)
{
	if ((t->n + 1) * 4 >= (uint64_t)t->cap * 3) {
		struct itab bigger = { .cap = t->cap ? t->cap * 2 : 1024 };
		bigger.slot = xcalloc(bigger.cap, sizeof *bigger.slot);
		for (uint32_t i = 0; i < t->cap; i++)
			if (t->slot[i].id)
				itab_insert_raw(&bigger, t->slot[i].hash, t->slot[i].id - 1);
		free(t->slot);
		*t = bigger;
	}
	itab_insert_raw(t, (uint32_t)strmap_hash(key, len), id);
}

/* ---- contents -------------------------------------------------------------------- */

struct party_ent {
	int64_t id;               /* 0: removed */
	uint32_t agency;
	uint32_t label;           /* pool offset of names[0] */
	uint32_t first_name;      /* the party's names are contiguous */
	uint32_t first_ident;     /* and the identifiers it brought */
	uint16_t nnames, nidents;
	uint8_t national, organisation;
};

struct name_ent {
	uint32_t party;           /* slot in parties */
	uint32_t key;             /* key id */
	uint32_t next;            /* next name with the same key, or NONE */
};

struct key_ent {
	uint32_t blob;            /* pool offset of the serialised key (u16 length first) */
	uint32_t head;            /* first name with this key, or NONE */
};

struct posting {
	uint32_t *ids;            /* key ids, ascending */
	uint32_t n, cap;
	uint32_t term;            /* pool offset of the term */
};

struct del_ent {
	uint32_t hash;
	uint32_t key;
	uint32_t next;            /* next entry of the bucket, or NONE */
};

struct ident_ent {
	int64_t id;               /* 0: removed */
	uint32_t key, display;    /* pool offsets (display NONE: the key) */
	uint32_t party_id;
	uint32_t agency;
	uint32_t party;           /* slot of the party that brought it, or NONE */
	uint32_t next;            /* next identifier with the same key */
	uint32_t next_suffix;     /* next with the same value (has_suffix_key) */
	uint8_t national, kind;
};

/* Someone besides the parties that brought an identifier may see it: the
 * agency that recorded it, the agencies of the seizures it was seen in
 * (and everyone, when one of them is shared nationally). */
struct grant {
	int64_t ident;            /* identifier id */
	uint32_t agency;
	uint32_t national;
};

/* Grants sorted by identifier id. */
struct grants {
	struct grant *v;
	size_t n, cap;
};

struct contents {
	struct pool pool;
	struct party_ent *parties;
	size_t nparties, parties_cap, live_parties;
	uint32_t *party_by_id;    /* id -> slot + 1 */
	size_t party_by_id_cap;
	struct name_ent *names;
	size_t nnames, names_cap, live_names;
	struct key_ent *keys;
	size_t nkeys, keys_cap;
	struct itab key_tab;
	struct posting *postings;
	size_t nterms, terms_cap, npostings;
	struct itab term_tab;
	/* the skeleton of each key and its one-letter deletions, hashed: a
	 * spelling one edit away from a key shares one of these with it */
	struct del_ent *dels;
	size_t ndels, dels_cap;
	uint32_t *del_head;       /* bucket (hash & mask) -> first entry */
	uint32_t del_mask;
	struct ident_ent *idents;
	size_t nidents, idents_cap, live_idents;
	uint32_t *ident_by_id;
	size_t ident_by_id_cap;
	struct itab ident_tab;    /* key -> first identifier (chained by next) */
	struct itab suffix_tab;   /* value after the colon -> first (next_suffix) */
	/* identifiers brought by parties of other agencies, private, and
	 * recorded by an agency that is none of them (from the build) */
	struct grants recorded;
	/* identifiers seen in seizures (read again whenever the store moved) */
	struct grants seized;
	int64_t ident_max;        /* the largest identifier id read */
	int64_t generation;
	int64_t seizure_generation;
	/* While loading: names already keyed (text -> key id, NONE for a name
	 * without a key), since many parties are named alike and keying a name
	 * is the costly part of a build.  Dropped when loading ends. */
	struct pool text_pool;
	uint32_t *text_off, *text_key;
	size_t ntexts, texts_cap;
	struct itab text_tab;
	int loading;
};

struct party_index {
	pthread_rwlock_t lock;
	struct contents c;
	/* held while catching up with the store: one thread does it, the others
	 * search what is there meanwhile */
	pthread_mutex_t sync_lock;
};

static const char *key_of_key(const void *ctx, uint32_t id, size_t *len)
{
	const struct contents *c = ctx;
	const char *b = c->pool.buf + c->keys[id].blob;
	uint16_t l;
	memcpy(&l, b, sizeof l);
	*len = l;
	return b + sizeof l;
}

static const char *key_of_term(const void *ctx, uint32_t id, size_t *len)
{
	const struct contents *c = ctx;
	const char *s = c->pool.buf + c->postings[id].term;
	*len = strlen(s);
	return s;
}

static const char *key_of_ident(const void *ctx, uint32_t id, size_t *len)
{
	const struct contents *c = ctx;
	const char *s = c->pool.buf + c->idents[id].key;
	*len = strlen(s);
	return s;
}

/*
 * Keys of some kinds are "prefix:value": a handle's "platform:name", a
 * passport's, ID card's, plate's "country:number".  Those are also filed
 * under the value alone, so that "@name" finds the handle on any platform
 * and a passport number typed without its country finds it whatever the
 * issuing country.
 */
static int has_suffix_key(enum ident_kind kind)
{
	return kind == IDENT_HANDLE || kind == IDENT_PASSPORT || kind == IDENT_ID_CARD ||
	       kind == IDENT_PLATE;
}

static const char *key_value(const char *key)
{
	const char *colon = strchr(key, ':');
	return colon ? colon + 1 : key;
}

static const char *key_of_suffix(const void *ctx, uint32_t id, size_t *len)
{
	const struct contents *c = ctx;
	const char *s = key_value(c->pool.buf + c->idents[id].key);
	*len = strlen(s);
	return s;
}

static const char *key_of_text(const void *ctx, uint32_t id, size_t *len)
{
	const struct contents *c = ctx;
	const char *t = c->text_pool.buf + c->text_off[id];
	*len = strlen(t);
	return t;
}

static void text_cache_drop(struct contents *c)
{
	free(c->text_pool.buf);
	free(c->text_off);
	free(c->text_key);
	free(c->text_tab.slot);
	memset(&c->text_pool, 0, sizeof c->text_pool);
	c->text_off = c->text_key = NULL;
	c->ntexts = c->texts_cap = 0;
	memset(&c->text_tab, 0, sizeof c->text_tab);
}

static void contents_free(struct contents *c)
{
	text_cache_drop(c);
	free(c->pool.buf);
	free(c->parties);
	free(c->party_by_id);
	free(c->names);
	free(c->keys);
	free(c->key_tab.slot);
	for (size_t i = 0; i < c->nterms; i++)
		free(c->postings[i].ids);
	free(c->postings);
	free(c->term_tab.slot);
	free(c->dels);
	free(c->del_head);
	free(c->idents);
	free(c->ident_by_id);
	free(c->ident_tab.slot);
	free(c->suffix_tab.slot);
	free(c->recorded.v);
	free(c->seized.v);
	memset(c, 0, sizeof *c);
}

static void grow(void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return;
	size_t n = *cap ? *cap : 1024;
	while (n < need)
		n *= 2;
	*arr = xreallocarray(*arr, n, size);
	*cap = n;
}

/* id -> slot map: slot + 1, 0 when absent. */
static void by_id_set(uint32_t **map, size_t *cap, int64_t id, uint32_t v)
{
	if ((size_t)id >= *cap) {
		size_t n = *cap ? *cap : 1024;
		while (n <= (size_t)id)
			n *= 2;
		*map = xreallocarray(*map, n, sizeof **map);
		memset(*map + *cap, 0, (n - *cap) * sizeof **map);
		*cap = n;
	}
	(*map)[id] = v;
}

static uint32_t by_id_get(const uint32_t *map, size_t cap, int64_t id)
{
	return id > 0 && (size_t)id < cap ? map[id] : 0;
}

/* ---- grants ------------------------------------------------------------------------ */

static void grant_add(struct grants *g, int64_t ident, int64_t agency, int national)
{
	if (g->n && g->v[g->n - 1].ident == ident &&
	    (g->v[g->n - 1].national || (!national && g->v[g->n - 1].agency == (uint32_t)agency)))
		return; /* the same again (the links come in identifier order) */
	grow((void **)&g->v, &g->cap, g->n + 1, sizeof *g->v);
	g->v[g->n++] = (struct grant){ ident, (uint32_t)agency, national ? 1u : 0u };
}

/* 1 when one of the grants of ident lets who see it. */
static int grant_allows(const struct grants *g, int64_t ident, const struct actor *who)
{
	size_t lo = 0, hi = g->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (g->v[mid].ident < ident)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < g->n && g->v[lo].ident == ident; lo++)
		if (g->v[lo].national || (int64_t)g->v[lo].agency == who->agency_id)
			return 1;
	return 0;
}

/* ---- keys: serialised name_key ---------------------------------------------------
 *
 * A name_key is a web of pointers into an arena (hundreds of bytes); the
 * index keeps it flat instead: a u16 length, then the script, the number of
 * tokens, terms and alternative readings (bytes), then NUL-terminated
 * strings: romanised, the words, the tokens, their phonetic keys, skeleton,
 * skeleton_phonetic, the joined pairs, the terms, the alternative readings.
 * The sorted order of the tokens is recomputed when the key is read back.
 * Every field name_compare() reads must be here (the unit test checks that a
 * key read back scores exactly as the one built).
 */

enum { KEY_MAX_TERMS = 64, KEY_MAX_ALTS = 16 };

static void blob_add(struct dynbuf *b, const char *s)
{
	s = s ? s : "";
	dynbuf_add(b, s, strlen(s) + 1);
}

static int serialise_key(const struct name_key *k, struct dynbuf *b)
{
	size_t n = k->ntokens < NAME_MAX_TOKENS ? k->ntokens : NAME_MAX_TOKENS;
	size_t nterms = k->nterms < KEY_MAX_TERMS ? k->nterms : KEY_MAX_TERMS;
	size_t nalts = k->nalts < KEY_MAX_ALTS ? k->nalts : KEY_MAX_ALTS;
	dynbuf_reset(b);
	uint16_t room = 0; /* the length, filled in below */
	dynbuf_add(b, &room, sizeof room);
	unsigned char head[4] = { (unsigned char)k->script, (unsigned char)n,
				  (unsigned char)nterms, (unsigned char)nalts };
	dynbuf_add(b, head, sizeof head);
	blob_add(b, k->romanised);
	for (size_t i = 0; i < n; i++)
		blob_add(b, k->words ? k->words[i] : k->tokens[i]);
	for (size_t i = 0; i < n; i++)
		blob_add(b, k->tokens[i]);
	for (size_t i = 0; i < n; i++)
		blob_add(b, k->phonetic ? k->phonetic[i] : "");
	blob_add(b, k->skeleton);
	blob_add(b, k->skeleton_phonetic);
	for (size_t i = 0; i + 1 < n; i++)
		blob_add(b, k->joined ? k->joined[i] : "");
	for (size_t i = 0; i < nterms; i++)
		blob_add(b, k->terms[i]);
	for (size_t i = 0; i < nalts; i++)
		blob_add(b, k->alts[i]);
	if (b->len - sizeof room > UINT16_MAX)
		return -1;
	room = (uint16_t)(b->len - sizeof room);
	memcpy(b->buf, &room, sizeof room);
	return 0;
}

struct key_view {
	struct name_key k;
	const char *words[NAME_MAX_TOKENS], *tokens[NAME_MAX_TOKENS], *sorted[NAME_MAX_TOKENS],
		*phonetic[NAME_MAX_TOKENS], *joined[NAME_MAX_TOKENS], *terms[KEY_MAX_TERMS],
		*alts[KEY_MAX_ALTS];
};

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *next_str(const char *s)
{
	return s + strlen(s) + 1;
}

static void key_read(const struct contents *c, uint32_t key, struct key_view *v)
{
	size_t len;
	const unsigned char *p = (const unsigned char *)key_of_key(c, key, &len);
	memset(&v->k, 0, sizeof v->k);
	v->k.script = (enum name_script)p[0];
	size_t n = p[1], nterms = p[2], nalts = p[3];
	const char *s = (const char *)p + 4;
	v->k.romanised = s;
	s = next_str(s);
	for (size_t i = 0; i < n; i++, s = next_str(s))
		v->words[i] = s;
	for (size_t i = 0; i < n; i++, s = next_str(s))
		v->tokens[i] = v->sorted[i] = s;
	for (size_t i = 0; i < n; i++, s = next_str(s))
		v->phonetic[i] = s;
	v->k.skeleton = s;
	s = next_str(s);
	v->k.skeleton_phonetic = s;
	s = next_str(s);
	for (size_t i = 0; i + 1 < n; i++, s = next_str(s))
		v->joined[i] = s;
	for (size_t i = 0; i < nterms; i++, s = next_str(s))
		v->terms[i] = s;
	for (size_t i = 0; i < nalts; i++, s = next_str(s))
		v->alts[i] = s;
	qsort(v->sorted, n, sizeof *v->sorted, str_ptr_cmp);
	v->k.ntokens = n;
	v->k.words = v->words;
	v->k.tokens = v->tokens;
	v->k.sorted = v->sorted;
	v->k.phonetic = v->phonetic;
	v->k.joined = v->joined;
	v->k.nterms = nterms;
	v->k.terms = v->terms;
	v->k.nalts = nalts;
	v->k.alts = nalts ? v->alts : NULL;
}

static void posting_add(struct contents *c, const char *term, uint32_t key)
{
	size_t len = strlen(term);
	uint32_t t = itab_find(&c->term_tab, term, len, key_of_term, c);
	if (t == NONE) {
		grow((void **)&c->postings, &c->terms_cap, c->nterms + 1, sizeof *c->postings);
		t = (uint32_t)c->nterms++;
		memset(&c->postings[t], 0, sizeof c->postings[t]);
		c->postings[t].term = pool_add(&c->pool, term, len);
		itab_insert(&c->term_tab, term, len, t);
	}
	struct posting *p = &c->postings[t];
	if (p->n && p->ids[p->n - 1] >= key)
		return; /* keys are filed once, in increasing order */
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 2;
		p->ids = xreallocarray(p->ids, p->cap, sizeof *p->ids);
	}
	p->ids[p->n++] = key;
	c->npostings++;
}

/*
 * The skeleton's variants: itself and each one-letter deletion (a run of the
 * same letter deleted once), as hashes, at most DEL_MAX of them.  Skeletons
 * longer than DEL_LONG give only themselves (long names have enough terms).
 */
enum { DEL_LONG = 32, PAIRS_MAX = 15, DEL_MAX = DEL_LONG + 1 + PAIRS_MAX };

/*
 * ... and the pairs of the name's (normalised) words, each pair in
 * bytewise order: "mingyang feng" shares (feng, mingyang) with "Feng
 * Mingyang" and "Nguyen Hung" (nguyen, hung) with "Nguyen Van Hung",
 * whatever the order of the words and the words between.
 */
static size_t pairs(const struct name_key *k, uint32_t *out)
{
	size_t n = 0, nt = k->ntokens < 6 ? k->ntokens : 6;
	char buf[256];
	for (size_t i = 0; i < nt; i++)
		for (size_t j = i + 1; j < nt && n < PAIRS_MAX; j++) {
			const char *a = k->tokens[i], *b = k->tokens[j];
			if (strcmp(a, b) > 0) {
				const char *t = a;
				a = b;
				b = t;
			}
			int len = snprintf(buf, sizeof buf, "%s|%s", a, b);
			if (len > 0 && (size_t)len < sizeof buf)
				out[n++] = (uint32_t)strmap_hash(buf, (size_t)len);
		}
	return n;
}

static size_t deletions(const char *skel, uint32_t *out)
{
	size_t len = strlen(skel), n = 0;
	out[n++] = (uint32_t)strmap_hash(skel, len);
	if (len > DEL_LONG || len < 4)
		return n;
	char buf[DEL_LONG + 1];
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && skel[i] == skel[i - 1])
			continue;
		memcpy(buf, skel, i);
		memcpy(buf + i, skel + i + 1, len - i - 1);
		out[n++] = (uint32_t)strmap_hash(buf, len - 1);
	}
	return n;
}

static void del_grow(struct contents *c)
{
	uint32_t buckets = c->del_mask ? (c->del_mask + 1) * 2 : 1u << 16;
	free(c->del_head);
	c->del_head = xmalloc(buckets * sizeof *c->del_head);
	memset(c->del_head, 0xff, buckets * sizeof *c->del_head);
	c->del_mask = buckets - 1;
	for (size_t i = 0; i < c->ndels; i++) {
		uint32_t b = c->dels[i].hash & c->del_mask;
		c->dels[i].next = c->del_head[b];
		c->del_head[b] = (uint32_t)i;
	}
}

/* The hashes a key is found by (deletions and pairs), at most DEL_MAX. */
static size_t precise_terms(const struct name_key *k, uint32_t *h)
{
	size_t n = k->skeleton && *k->skeleton ? deletions(k->skeleton, h) : 0;
	return n + pairs(k, h + n);
}

static void del_add(struct contents *c, const uint32_t *h, size_t n, uint32_t key)
{
	for (size_t i = 0; i < n; i++) {
		if (c->ndels >= (size_t)c->del_mask + 1 || !c->del_head)
			del_grow(c);
		grow((void **)&c->dels, &c->dels_cap, c->ndels + 1, sizeof *c->dels);
		uint32_t b = h[i] & c->del_mask;
		c->dels[c->ndels] = (struct del_ent){ h[i], key, c->del_head[b] };
		c->del_head[b] = (uint32_t)c->ndels++;
	}
}

/*
 * A name keyed outside the index (key_compute touches nothing shared, so
 * several threads key names at once while loading): the serialised key, its
 * blocking terms, its precise hashes; ok 0 when the name gives no key.
 */
struct keyed {
	int ok;
	struct dynbuf blob;       /* u16 length, then the key */
	struct dynbuf terms;      /* nterms NUL-terminated terms */
	size_t nterms;
	uint32_t precise[DEL_MAX];
	size_t nprecise;
};

static void keyed_init(struct keyed *r)
{
	memset(r, 0, sizeof *r);
	dynbuf_init(&r->blob, 1 << 17);
	dynbuf_init(&r->terms, 1 << 16);
}

static void keyed_free(struct keyed *r)
{
	dynbuf_free(&r->blob);
	dynbuf_free(&r->terms);
}

static void key_compute(const char *name, struct keyed *r)
{
	struct arena a;
	arena_init(&a);
	struct name_key k;
	struct error err = ERROR_INIT;
	r->ok = 0;
	r->nterms = r->nprecise = 0;
	dynbuf_reset(&r->terms);
	if (name_key_build(name, &a, &k, &err) == 0 && k.ntokens > 0 &&
	    serialise_key(&k, &r->blob) == 0) {
		const char *terms[TERMS_MAX];
		size_t nt = name_key_terms(&k, terms, TERMS_MAX);
		for (size_t i = 0; i < nt && i < TERMS_MAX; i++)
			if (dynbuf_add(&r->terms, terms[i], strlen(terms[i]) + 1) == 0)
				r->nterms++;
		r->nprecise = precise_terms(&k, r->precise);
		r->ok = 1;
	}
	error_clear(&err);
	arena_free(&a);
}

/* The key id of a keyed name, filed under its terms when new; NONE when the
 * name gave no key. */
static uint32_t key_intern(struct contents *c, const struct keyed *r)
{
	if (!r->ok)
		return NONE;
	const char *blob = r->blob.buf + sizeof(uint16_t);
	size_t blen = r->blob.len - sizeof(uint16_t);
	uint32_t id = itab_find(&c->key_tab, blob, blen, key_of_key, c);
	if (id != NONE)
		return id;
	grow((void **)&c->keys, &c->keys_cap, c->nkeys + 1, sizeof *c->keys);
	id = (uint32_t)c->nkeys++;
	c->keys[id] = (struct key_ent){ .blob = pool_add(&c->pool, r->blob.buf, r->blob.len),
					.head = NONE };
	itab_insert(&c->key_tab, blob, blen, id);
	const char *t = r->terms.buf;
	for (size_t i = 0; i < r->nterms; i++, t += strlen(t) + 1)
		posting_add(c, t, id);
	del_add(c, r->precise, r->nprecise, id);
	return id;
}

/*
 * The cache's form of a name: ASCII letters in lower case ("SUN Chantha"
 * and "Sun Chantha" key alike: name_key_build folds case), in buf when it
 * fits (else the name as it is).
 */
static const char *cache_form(const char *name, char *buf, size_t size, size_t *len)
{
	size_t n = strlen(name);
	*len = n;
	if (n >= size)
		return name;
	for (size_t i = 0; i <= n; i++) {
		char ch = name[i];
		buf[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
	}
	return buf;
}

/* Remembers (while loading) the key of a text; returns its cache slot. */
static uint32_t text_remember(struct contents *c, const char *name, size_t len, uint32_t key)
{
	if (c->ntexts == c->texts_cap) {
		c->texts_cap = c->texts_cap ? c->texts_cap * 2 : 1024;
		c->text_off = xreallocarray(c->text_off, c->texts_cap, sizeof *c->text_off);
		c->text_key = xreallocarray(c->text_key, c->texts_cap, sizeof *c->text_key);
	}
	uint32_t t = (uint32_t)c->ntexts++;
	c->text_off[t] = pool_add(&c->text_pool, name, len);
	c->text_key[t] = key;
	itab_insert(&c->text_tab, name, len, t);
	return t;
}

/* The key id of a name (a new key is filed under its terms); NONE when the
 * name gives no key. */
static uint32_t intern_name(struct contents *c, const char *name, struct keyed *r)
{
	char buf[256];
	size_t len;
	const char *form = cache_form(name, buf, sizeof buf, &len);
	if (c->loading) {
		uint32_t t = itab_find(&c->text_tab, form, len, key_of_text, c);
		if (t != NONE)
			return c->text_key[t];
	}
	key_compute(name, r);
	uint32_t key = key_intern(c, r);
	if (c->loading)
		text_remember(c, form, len, key);
	return key;
}

/*
 * The threads that key names while loading.  They live as long as the load
 * (ICU's transliterators and the romaniser's caches are per thread, and
 * opening Han-Latin alone costs a tenth of a second): each batch, thread t
 * keys the texts t, t + nthreads, ...; the loading thread takes slice 0 and
 * the slices of threads that could not be started.
 */
enum { PREKEY_THREADS_MAX = 8 };

struct keypool {
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	const char **texts;       /* this round's */
	struct keyed *out;
	size_t n;
	unsigned round;           /* counts the batches handed out */
	size_t pending;           /* threads still keying this round */
	int quit;
	size_t nthreads;          /* slices, the loading thread's included */
	size_t started;           /* threads running slices 1..started */
	pthread_t tid[PREKEY_THREADS_MAX];
	struct keypool_worker {
		struct keypool *p;
		size_t slice;
	} w[PREKEY_THREADS_MAX];
};

static void key_slice(const char **texts, struct keyed *out, size_t n, size_t from, size_t step)
{
	for (size_t i = from; i < n; i += step)
		key_compute(texts[i], &out[i]);
}

static void *keypool_main(void *arg)
{
	struct keypool_worker *w = arg;
	struct keypool *p = w->p;
	unsigned seen = 0;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->round == seen && !p->quit)
			pthread_cond_wait(&p->go, &p->mu);
		if (p->quit)
			break;
		seen = p->round;
		const char **texts = p->texts;
		struct keyed *out = p->out;
		size_t n = p->n;
		pthread_mutex_unlock(&p->mu);
		key_slice(texts, out, n, w->slice, p->nthreads);
		pthread_mutex_lock(&p->mu);
		if (--p->pending == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static void keypool_start(struct keypool *p)
{
	memset(p, 0, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	p->nthreads = cores < 1 ? 1 : cores > PREKEY_THREADS_MAX ? PREKEY_THREADS_MAX : (size_t)cores;
	for (size_t t = 1; t < p->nthreads; t++) {
		p->w[t] = (struct keypool_worker){ p, t };
		if (pthread_create(&p->tid[t], NULL, keypool_main, &p->w[t]) != 0)
			break;
		p->started = t;
	}
}

static void keypool_stop(struct keypool *p)
{
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (size_t t = 1; t <= p->started; t++)
		pthread_join(p->tid[t], NULL);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
}

/* Keys texts[0..n) into out[0..n) on every thread of the pool. */
static void keypool_run(struct keypool *p, const char **texts, struct keyed *out, size_t n)
{
	if (n < 64 || p->started == 0) {
		key_slice(texts, out, n, 0, 1);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->texts = texts;
	p->out = out;
	p->n = n;
	p->pending = p->started;
	p->round++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	key_slice(texts, out, n, 0, p->nthreads);
	for (size_t t = p->started + 1; t < p->nthreads; t++)
		key_slice(texts, out, n, t, p->nthreads);
	pthread_mutex_lock(&p->mu);
	while (p->pending)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

/*
 * Keys the names not seen yet of a batch of parties on the pool's threads,
 * then files them in order (so the index does not depend on the threads),
 * leaving each text in the cache for put_party to find.
 */
static void prekey(struct contents *c, struct keypool *pool, const struct party_doc *docs,
		   size_t ndocs)
{
	size_t cap = 0, n = 0;
	for (size_t i = 0; i < ndocs; i++)
		cap += docs[i].nnames;
	const char **texts = xmalloc((cap ? cap : 1) * sizeof *texts);
	uint32_t *slots = xmalloc((cap ? cap : 1) * sizeof *slots);
	for (size_t i = 0; i < ndocs; i++)
		for (size_t k = 0; k < docs[i].nnames; k++) {
			const char *name = docs[i].names[k];
			if (!name)
				continue;
			char buf[256];
			size_t len;
			const char *form = cache_form(name, buf, sizeof buf, &len);
			if (itab_find(&c->text_tab, form, len, key_of_text, c) != NONE)
				continue;
			slots[n] = text_remember(c, form, len, NONE);
			texts[n++] = name;
		}
	struct keyed *out = xmalloc((n ? n : 1) * sizeof *out);
	for (size_t i = 0; i < n; i++)
		keyed_init(&out[i]);
	keypool_run(pool, texts, out, n);
	for (size_t i = 0; i < n; i++) {
		c->text_key[slots[i]] = key_intern(c, &out[i]);
		keyed_free(&out[i]);
	}
	free(out);
	free(slots);
	free(texts);
}

static void unlink_name(struct contents *c, uint32_t ni)
{
	struct name_ent *n = &c->names[ni];
	uint32_t *link = &c->keys[n->key].head;
	while (*link != NONE && *link != ni)
		link = &c->names[*link].next;
	if (*link == ni)
		*link = n->next;
	n->party = NONE;
	c->live_names--;
}

static void remove_party(struct contents *c, int64_t id)
{
	uint32_t s = by_id_get(c->party_by_id, c->party_by_id_cap, id);
	if (!s)
		return;
	struct party_ent *p = &c->parties[s - 1];
	for (uint32_t i = 0; i < p->nnames; i++)
		unlink_name(c, p->first_name + i);
	for (uint32_t i = 0; i < p->nidents; i++)
		if (c->idents[p->first_ident + i].id) {
			c->idents[p->first_ident + i].id = 0; /* skipped in the chains */
			c->live_idents--;
		}
	p->id = 0;
	p->nnames = 0;
	p->nidents = 0;
	c->live_parties--;
	by_id_set(&c->party_by_id, &c->party_by_id_cap, id, 0);
}

static uint32_t add_ident_entry(struct contents *c, const struct ident_doc *d, int64_t agency,
				int national, uint32_t party);

static void put_party(struct contents *c, const struct party_doc *d, struct keyed *b)
{
	remove_party(c, d->id);
	grow((void **)&c->parties, &c->parties_cap, c->nparties + 1, sizeof *c->parties);
	uint32_t slot = (uint32_t)c->nparties++;
	struct party_ent *p = &c->parties[slot];
	*p = (struct party_ent){ .id = d->id, .agency = (uint32_t)d->agency_id,
				 .national = d->national ? 1 : 0,
				 .organisation = d->organisation ? 1 : 0,
				 .first_name = (uint32_t)c->nnames };
	p->label = pool_str(&c->pool, d->nnames && d->names[0] ? d->names[0] : "");
	for (size_t i = 0; i < d->nnames && i < UINT16_MAX; i++) {
		if (!d->names[i])
			continue;
		uint32_t key = intern_name(c, d->names[i], b);
		if (key == NONE)
			continue;
		grow((void **)&c->names, &c->names_cap, c->nnames + 1, sizeof *c->names);
		uint32_t ni = (uint32_t)c->nnames++;
		c->names[ni] = (struct name_ent){ .party = slot, .key = key, .next = c->keys[key].head };
		c->keys[key].head = ni;
		p = &c->parties[slot];
		p->nnames++;
		c->live_names++;
	}
	c->parties[slot].first_ident = (uint32_t)c->nidents;
	for (size_t i = 0; i < d->nidents && i < UINT16_MAX; i++) {
		if (d->idents[i].id <= 0 || !d->idents[i].key || !*d->idents[i].key)
			continue;
		struct ident_doc id = d->idents[i];
		id.party_id = d->id;
		add_ident_entry(c, &id, d->agency_id, d->national, slot);
		c->parties[slot].nidents++;
	}
	c->live_parties++;
	by_id_set(&c->party_by_id, &c->party_by_id_cap, d->id, slot + 1);
}

static void remove_ident(struct contents *c, int64_t id)
{
	uint32_t s = by_id_get(c->ident_by_id, c->ident_by_id_cap, id);
	if (!s)
		return;
	/* unlinked from its chains lazily: a removed entry (id 0) is skipped */
	if (c->idents[s - 1].id) {
		c->idents[s - 1].id = 0;
		c->live_idents--;
	}
	by_id_set(&c->ident_by_id, &c->ident_by_id_cap, id, 0);
}

static void put_ident(struct contents *c, const struct ident_doc *d)
{
	remove_ident(c, d->id);
	uint32_t slot = add_ident_entry(c, d, d->agency_id, d->national, NONE);
	by_id_set(&c->ident_by_id, &c->ident_by_id_cap, d->id, slot + 1);
}

static uint32_t add_ident_entry(struct contents *c, const struct ident_doc *d, int64_t agency,
				int national, uint32_t party)
{
	enum ident_kind kind = IDENT_KIND_COUNT;
	ident_kind_parse(d->kind ? d->kind : "", &kind);
	grow((void **)&c->idents, &c->idents_cap, c->nidents + 1, sizeof *c->idents);
	uint32_t slot = (uint32_t)c->nidents++;
	struct ident_ent *e = &c->idents[slot];
	*e = (struct ident_ent){ .id = d->id, .party_id = (uint32_t)d->party_id,
				 .agency = (uint32_t)agency, .national = national ? 1 : 0,
				 .kind = (uint8_t)kind, .party = party, .next = NONE,
				 .next_suffix = NONE, .display = NONE };
	e->key = pool_str(&c->pool, d->key);
	if (d->display && strcmp(d->display, d->key) != 0)
		e->display = pool_str(&c->pool, d->display);
	size_t len = strlen(d->key);
	uint32_t first = itab_find(&c->ident_tab, d->key, len, key_of_ident, c);
	if (first == NONE) {
		itab_insert(&c->ident_tab, d->key, len, slot);
	} else { /* after the first of the chain (the table points at it) */
		e->next = c->idents[first].next;
		c->idents[first].next = slot;
	}
	if (has_suffix_key(kind)) {
		const char *hn = key_value(d->key);
		size_t hl = strlen(hn);
		first = itab_find(&c->suffix_tab, hn, hl, key_of_suffix, c);
		if (first == NONE) {
			itab_insert(&c->suffix_tab, hn, hl, slot);
		} else {
			c->idents[slot].next_suffix = c->idents[first].next_suffix;
			c->idents[first].next_suffix = slot;
		}
	}
	c->live_idents++;
	return slot;
}

/* ---- after loading: no spare room ------------------------------------------------ */

/* Shrinks *arr (of *cap elements, n used) to n elements; nothing when empty. */
static void shrink(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n == 0 || n >= *cap)
		return;
	*arr = xreallocarray(*arr, n, size);
	*cap = n;
}

/*
 * The arrays grow by doubling while loading, so up to half of each is
 * spare when it ends; a loaded index gives it back (later changes grow
 * them again as needed).
 */
static void contents_trim(struct contents *c)
{
	shrink((void **)&c->parties, &c->parties_cap, c->nparties, sizeof *c->parties);
	shrink((void **)&c->names, &c->names_cap, c->nnames, sizeof *c->names);
	shrink((void **)&c->keys, &c->keys_cap, c->nkeys, sizeof *c->keys);
	shrink((void **)&c->postings, &c->terms_cap, c->nterms, sizeof *c->postings);
	shrink((void **)&c->dels, &c->dels_cap, c->ndels, sizeof *c->dels);
	shrink((void **)&c->idents, &c->idents_cap, c->nidents, sizeof *c->idents);
	shrink((void **)&c->recorded.v, &c->recorded.cap, c->recorded.n, sizeof *c->recorded.v);
	shrink((void **)&c->seized.v, &c->seized.cap, c->seized.n, sizeof *c->seized.v);
	for (size_t i = 0; i < c->nterms; i++) {
		struct posting *pt = &c->postings[i];
		if (pt->n && pt->n < pt->cap) {
			pt->ids = xreallocarray(pt->ids, pt->n, sizeof *pt->ids);
			pt->cap = pt->n;
		}
	}
	shrink((void **)&c->pool.buf, &c->pool.cap, c->pool.len, 1);
}

/* ---- public: filling without a store -------------------------------------------- */

static struct party_index *index_alloc(void)
{
	struct party_index *ix = xcalloc(1, sizeof *ix);
	pthread_rwlock_init(&ix->lock, NULL);
	pthread_mutex_init(&ix->sync_lock, NULL);
	return ix;
}

struct party_index *party_index_new(void)
{
	struct party_index *ix = index_alloc();
	ix->c.loading = 1;
	return ix;
}

void party_index_loaded(struct party_index *ix)
{
	pthread_rwlock_wrlock(&ix->lock);
	ix->c.loading = 0;
	text_cache_drop(&ix->c);
	contents_trim(&ix->c);
	pthread_rwlock_unlock(&ix->lock);
}

void party_index_free(struct party_index *ix)
{
	if (!ix)
		return;
	contents_free(&ix->c);
	pthread_rwlock_destroy(&ix->lock);
	pthread_mutex_destroy(&ix->sync_lock);
	free(ix);
}

int party_index_put(struct party_index *ix, const struct party_doc *d, struct error *err)
{
	if (d->id <= 0)
		return error_field(err, "id", "must be a positive integer");
	struct keyed b;
	keyed_init(&b);
	pthread_rwlock_wrlock(&ix->lock);
	put_party(&ix->c, d, &b);
	pthread_rwlock_unlock(&ix->lock);
	keyed_free(&b);
	return 0;
}

void party_index_remove(struct party_index *ix, int64_t party_id)
{
	pthread_rwlock_wrlock(&ix->lock);
	remove_party(&ix->c, party_id);
	pthread_rwlock_unlock(&ix->lock);
}

int party_index_put_ident(struct party_index *ix, const struct ident_doc *d, struct error *err)
{
	if (d->id <= 0)
		return error_field(err, "id", "must be a positive integer");
	if (!d->key || !*d->key)
		return error_field(err, "key", "is required");
	pthread_rwlock_wrlock(&ix->lock);
	put_ident(&ix->c, d);
	pthread_rwlock_unlock(&ix->lock);
	return 0;
}

void party_index_remove_ident(struct party_index *ix, int64_t ident_id)
{
	pthread_rwlock_wrlock(&ix->lock);
	remove_ident(&ix->c, ident_id);
	pthread_rwlock_unlock(&ix->lock);
}

/* ---- from the store --------------------------------------------------------------- */

/* Parties are read in batches so that their names are keyed on every core
 * (prekey) before they are filed in order. */
enum { LOAD_BATCH = 16384 };

struct loader {
	struct contents *c;
	struct keyed b;
	/* identifiers brought by a party, by id: 0 none, BROUGHT_NATIONAL when
	 * a party shared nationally brought it, else the agency + 1 of the
	 * (first) party that did */
	uint32_t *brought;
	size_t brought_cap;
	struct party_doc *batch;  /* copies, in the batch's arena */
	size_t nbatch;
	struct arena ar;
	struct keypool pool;
};

#define BROUGHT_NATIONAL UINT32_MAX

static void loader_mark(struct loader *l, int64_t id, const struct party *p)
{
	if (id <= 0)
		return;
	uint32_t v = p->sharing && strcmp(p->sharing, "national") == 0
			     ? BROUGHT_NATIONAL
			     : (uint32_t)p->agency_id + 1;
	size_t have = l->brought_cap;
	if ((size_t)id >= have) {
		size_t n = have ? have : 1024;
		while (n <= (size_t)id)
			n *= 2;
		l->brought = xreallocarray(l->brought, n, sizeof *l->brought);
		memset(l->brought + have, 0, (n - have) * sizeof *l->brought);
		l->brought_cap = n;
	}
	if (!l->brought[id] || v == BROUGHT_NATIONAL)
		l->brought[id] = v;
}

static uint32_t loader_brought(const struct loader *l, int64_t id)
{
	return id > 0 && (size_t)id < l->brought_cap ? l->brought[id] : 0;
}

/* A party of the store as a party_doc (arrays in ar). */
static void doc_of(const struct party *p, const struct identifier *ids, size_t nids,
		   struct party_doc *d, struct arena *ar)
{
	const char **names = arena_alloc(ar, (p->nnames ? p->nnames : 1) * sizeof *names);
	for (size_t i = 0; i < p->nnames; i++)
		names[i] = p->names[i].name;
	struct ident_doc *idents = arena_alloc(ar, (nids ? nids : 1) * sizeof *idents);
	for (size_t i = 0; i < nids; i++)
		idents[i] = (struct ident_doc){ .id = ids[i].id, .party_id = p->id,
						.kind = ids[i].kind, .key = ids[i].key,
						.display = ids[i].display };
	*d = (struct party_doc){
		.id = p->id, .agency_id = p->agency_id,
		.national = p->sharing && strcmp(p->sharing, "national") == 0,
		.organisation = p->kind && strcmp(p->kind, "organisation") == 0,
		.names = names, .nnames = p->nnames, .idents = idents, .nidents = nids,
	};
}

/* doc_of, with every string copied into ar. */
static void doc_copy(const struct party *p, const struct identifier *ids, size_t nids,
		     struct party_doc *d, struct arena *ar)
{
	doc_of(p, ids, nids, d, ar);
	const char **names = (const char **)d->names;
	for (size_t i = 0; i < d->nnames; i++)
		names[i] = names[i] ? arena_strdup(ar, names[i]) : NULL;
	struct ident_doc *idents = (struct ident_doc *)d->idents;
	for (size_t i = 0; i < d->nidents; i++) {
		idents[i].kind = arena_strdup(ar, idents[i].kind ? idents[i].kind : "");
		idents[i].key = arena_strdup(ar, idents[i].key ? idents[i].key : "");
		idents[i].display = idents[i].display ? arena_strdup(ar, idents[i].display) : NULL;
	}
}

static void load_flush(struct loader *l)
{
	prekey(l->c, &l->pool, l->batch, l->nbatch);
	for (size_t i = 0; i < l->nbatch; i++)
		put_party(l->c, &l->batch[i], &l->b);
	l->nbatch = 0;
	arena_free(&l->ar);
	arena_init(&l->ar);
}

static int load_party(void *ctx, const struct party *p, const struct identifier *ids, size_t nids)
{
	struct loader *l = ctx;
	doc_copy(p, ids, nids, &l->batch[l->nbatch++], &l->ar);
	for (size_t i = 0; i < nids; i++)
		loader_mark(l, ids[i].id, p);
	if (l->nbatch == LOAD_BATCH)
		load_flush(l);
	return 0;
}

static int load_ident(void *ctx, const struct identifier *id)
{
	struct loader *l = ctx;
	if (id->id > l->c->ident_max)
		l->c->ident_max = id->id;
	if (!id->key || !*id->key)
		return 0;
	uint32_t by = loader_brought(l, id->id);
	if (by == BROUGHT_NATIONAL || by == (uint32_t)id->agency_id + 1)
		return 0; /* whoever recorded it sees it through its party */
	if (by) { /* brought only by another agency's private parties */
		grant_add(&l->c->recorded, id->id, id->agency_id, 0);
		return 0;
	}
	struct ident_doc d = { .id = id->id, .kind = id->kind, .key = id->key,
			       .display = id->display };
	/* linked to no party: the agency that recorded it sees it */
	uint32_t slot = add_ident_entry(l->c, &d, id->agency_id, 0, NONE);
	by_id_set(&l->c->ident_by_id, &l->c->ident_by_id_cap, d.id, slot + 1);
	return 0;
}

static int load_seized(void *ctx, int64_t ident, int64_t seizure, int64_t agency, int national)
{
	(void)seizure;
	grant_add(ctx, ident, agency, national);
	return 0;
}

/* Reads everything into c (the caller holds a consistent snapshot). */
static int load(struct contents *c, struct store *st, struct error *err)
{
	memset(c, 0, sizeof *c);
	c->loading = 1;
	struct loader l = { .c = c };
	keyed_init(&l.b);
	arena_init(&l.ar);
	l.batch = xmalloc(LOAD_BATCH * sizeof *l.batch);
	keypool_start(&l.pool);
	int rc = store_party_generation(st, &c->generation, err) != 0 ||
			 store_seizure_generation(st, &c->seizure_generation, err) != 0 ||
			 store_party_all(st, load_party, &l, err) != 0
		 ? -1
		 : 0;
	if (rc == 0)
		load_flush(&l);
	keypool_stop(&l.pool);
	if (rc == 0 && (store_identifier_all(st, load_ident, &l, err) != 0 ||
			store_identifier_seizure_all(st, load_seized, &c->seized, err) != 0))
		rc = -1;
	keyed_free(&l.b);
	arena_free(&l.ar);
	free(l.batch);
	free(l.brought);
	c->loading = 0;
	text_cache_drop(c);
	if (rc != 0)
		contents_free(c);
	else
		contents_trim(c);
	return rc;
}

struct party_index *party_index_build(struct store *st, struct error *err)
{
	struct party_index *ix = index_alloc();
	if (load(&ix->c, st, err) != 0) {
		party_index_free(ix);
		return NULL;
	}
	return ix;
}

/* Replaces the contents with a fresh load (built outside the lock). */
static int rebuild(struct party_index *ix, struct store *st, struct error *err)
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

/* The changed parties, read again: ids, and for each its doc if it is still
 * there. */
struct changes {
	int64_t *ids;
	size_t n, cap;
	int too_many;
	struct party_doc *docs;   /* by index in ids */
	unsigned char *present;   /* 0: the feed had nothing (gone or merged) */
	struct arena *ar;
	size_t at;
};

static int note_change(void *ctx, int64_t id, int gone)
{
	struct changes *ch = ctx;
	(void)gone; /* read again either way: the feed says whether it is there */
	for (size_t i = ch->n; i > 0 && i + 8 > ch->n; i--)
		if (ch->ids[i - 1] == id)
			return 0; /* repeated just now */
	if (ch->n >= PARTY_INDEX_REFRESH_MAX) {
		ch->too_many = 1;
		return 1;
	}
	ch->ids = arena_grow(ch->ar, ch->ids, ch->n, &ch->cap, sizeof *ch->ids);
	ch->ids[ch->n++] = id;
	return 0;
}

/* Copies what the feed gives into the arena (it lives until fn returns). */
static int keep_doc(void *ctx, const struct party *p, const struct identifier *ids, size_t nids)
{
	struct changes *ch = ctx;
	doc_copy(p, ids, nids, &ch->docs[ch->at], ch->ar);
	ch->present[ch->at] = 1;
	return 0;
}

static int sync_locked(struct party_index *ix, struct store *st, struct error *err);

int party_index_sync(struct party_index *ix, struct store *st, struct error *err)
{
	if (pthread_mutex_trylock(&ix->sync_lock) != 0)
		return 0; /* another thread is catching up */
	int rc = sync_locked(ix, st, err);
	pthread_mutex_unlock(&ix->sync_lock);
	return rc;
}

/* Identifiers added since the index's largest id, copied. */
struct new_idents {
	struct ident_doc *v;
	size_t n, cap;
	int64_t max;
	struct arena *ar;
};

static int keep_ident(void *ctx, const struct identifier *id)
{
	struct new_idents *ni = ctx;
	if (id->id > ni->max)
		ni->max = id->id;
	if (!id->key || !*id->key)
		return 0;
	ni->v = arena_grow(ni->ar, ni->v, ni->n, &ni->cap, sizeof *ni->v);
	ni->v[ni->n++] = (struct ident_doc){
		.id = id->id, .agency_id = id->agency_id,
		.kind = arena_strdup(ni->ar, id->kind ? id->kind : ""),
		.key = arena_strdup(ni->ar, id->key),
		.display = id->display ? arena_strdup(ni->ar, id->display) : NULL,
	};
	return 0;
}

static int sync_locked(struct party_index *ix, struct store *st, struct error *err)
{
	int64_t gen, sgen;
	if (store_party_generation(st, &gen, err) != 0 ||
	    store_seizure_generation(st, &sgen, err) != 0)
		return -1;
	pthread_rwlock_rdlock(&ix->lock);
	int64_t have = ix->c.generation, shave = ix->c.seizure_generation;
	int64_t imax = ix->c.ident_max;
	pthread_rwlock_unlock(&ix->lock);
	if (gen == have && sgen == shave)
		return 0;
	if (gen < have)
		return rebuild(ix, st, err); /* another database?  start again */
	struct arena a;
	arena_init(&a);
	struct changes ch = { .ar = &a };
	int rc = gen == have ? 0 : store_party_changed_since(st, have, note_change, &ch, err);
	if (rc == 0 && ch.too_many) {
		arena_free(&a);
		return rebuild(ix, st, err);
	}
	ch.docs = arena_alloc(&a, (ch.n ? ch.n : 1) * sizeof(struct party_doc));
	ch.present = arena_alloc(&a, ch.n ? ch.n : 1);
	for (size_t i = 0; rc == 0 && i < ch.n; i++) {
		ch.at = i;
		rc = store_party_feed(st, ch.ids[i], keep_doc, &ch, err);
	}
	/* identifiers recorded meanwhile (seen by the agency that recorded
	 * them), and the seizures' grants read again whole: a link to a
	 * seizure added or removed, a seizure deleted or its sharing changed */
	struct new_idents ni = { .max = imax, .ar = &a };
	struct grants seized = { 0 };
	if (rc == 0)
		rc = store_identifier_after(st, imax, keep_ident, &ni, err);
	if (rc == 0)
		rc = store_identifier_seizure_all(st, load_seized, &seized, err);
	if (rc == 0) {
		struct keyed b;
		keyed_init(&b);
		pthread_rwlock_wrlock(&ix->lock);
		struct contents *c = &ix->c;
		/* nobody applied these meanwhile */
		if (c->generation == have && c->seizure_generation == shave &&
		    c->ident_max == imax) {
			for (size_t i = 0; i < ch.n; i++) {
				if (ch.present[i])
					put_party(c, &ch.docs[i], &b);
				else
					remove_party(c, ch.ids[i]);
			}
			for (size_t i = 0; i < ni.n; i++)
				put_ident(c, &ni.v[i]);
			struct grants old = c->seized;
			c->seized = seized;
			seized = old;
			c->ident_max = ni.max;
			c->generation = gen;
			c->seizure_generation = sgen;
		}
		pthread_rwlock_unlock(&ix->lock);
		keyed_free(&b);
	}
	free(seized.v);
	arena_free(&a);
	return rc;
}

int party_index_refresh(struct party_index *ix, struct store *st, int64_t party_id,
			struct error *err)
{
	(void)party_id; /* the changes since the index's generation include it */
	return party_index_sync(ix, st, err);
}

/* ---- search -------------------------------------------------------------------------- */

static int visible(const struct actor *who, uint32_t agency, int national)
{
	return who->role == ROLE_ADMIN || national || (int64_t)agency == who->agency_id;
}

/* An identifier entry: through the party that brought it (or, linked to no
 * party, its agency), or one of the identifier's grants. */
static int ident_visible(const struct contents *c, const struct actor *who,
			 const struct ident_ent *ie)
{
	return visible(who, ie->agency, ie->national) || grant_allows(&c->seized, ie->id, who) ||
	       grant_allows(&c->recorded, ie->id, who);
}

/* Accumulated weight per candidate key (open addressing, with the list of
 * used slots so that walking the candidates does not read empty slots). */
struct acc {
	uint32_t *key;            /* key id + 1; 0 empty */
	float *w;
	uint32_t *used;           /* slots in use, in insertion order */
	uint32_t cap, n;
};

static void acc_init(struct acc *a, size_t expect)
{
	uint32_t cap = 64;
	while (cap < expect * 2 && cap < (1u << 30))
		cap *= 2;
	a->cap = cap;
	a->n = 0;
	a->key = xcalloc(cap, sizeof *a->key);
	a->w = xmalloc(cap * sizeof *a->w);
	a->used = xmalloc(cap / 2 * sizeof *a->used);
}

static void acc_free(struct acc *a)
{
	free(a->key);
	free(a->w);
	free(a->used);
}

static uint32_t acc_slot(const struct acc *a, uint32_t key)
{
	uint32_t mask = a->cap - 1, i = (key * 2654435761u) & mask;
	while (a->key[i] && a->key[i] != key + 1)
		i = (i + 1) & mask;
	return i;
}

/* Adds w to key's weight; a new key only while the table is at most half
 * full (the budget keeps it so). */
static void acc_add(struct acc *a, uint32_t key, float w)
{
	uint32_t i = acc_slot(a, key);
	if (a->key[i]) {
		a->w[i] += w;
	} else if (a->n < a->cap / 2) {
		a->key[i] = key + 1;
		a->w[i] = w;
		a->used[a->n++] = i;
	}
}

static int posting_has(const struct posting *p, uint32_t key)
{
	uint32_t lo = 0, hi = p->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (p->ids[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->n && p->ids[lo] == key;
}

struct cand {
	float w;
	uint32_t key;
};

/* Higher weight first; equal weights by key id. */
static int cand_before(const struct cand *a, const struct cand *b)
{
	return a->w > b->w || (a->w == b->w && a->key < b->key);
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	return cand_before(x, y) ? -1 : cand_before(y, x) ? 1 : 0;
}

static void cand_swap(struct cand *a, struct cand *b)
{
	struct cand t = *a;
	*a = *b;
	*b = t;
}

/* Moves the k best of v[0..n) to the front (in no order): quickselect. */
static void select_best(struct cand *v, size_t n, size_t k)
{
	if (k == 0 || k >= n)
		return;
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		cand_swap(&v[lo + (hi - lo) / 2], &v[hi]);
		struct cand pivot = v[hi];
		size_t store = lo;
		for (size_t i = lo; i < hi; i++)
			if (cand_before(&v[i], &pivot))
				cand_swap(&v[i], &v[store++]);
		cand_swap(&v[store], &v[hi]);
		if (store == k || store + 1 == k)
			return;
		if (store < k)
			lo = store + 1;
		else
			hi = store - 1;
	}
}

struct term_ref {
	const struct posting *p;
};

static int term_ref_cmp(const void *a, const void *b)
{
	const struct term_ref *x = a, *y = b;
	return x->p->n < y->p->n ? -1 : x->p->n > y->p->n;
}

struct phit {
	uint32_t party;           /* slot */
	double score;
	const char *why;
};

/* qsort without a context: the hits carry their party id in a parallel pass */
struct phit_sort {
	double score;
	int64_t id;
	uint32_t idx;
};

static int phit_sort_cmp(const void *a, const void *b)
{
	const struct phit_sort *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Party slot -> index in the hits (small open-addressing map). */
struct seen {
	uint32_t *k, *v;
	uint32_t cap, n;
};

static uint32_t seen_get_or_put(struct seen *s, uint32_t key, uint32_t v)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct seen b = { .cap = s->cap ? s->cap * 2 : 256 };
		b.k = xcalloc(b.cap, sizeof *b.k);
		b.v = xmalloc(b.cap * sizeof *b.v);
		for (uint32_t i = 0; i < s->cap; i++)
			if (s->k[i])
				seen_get_or_put(&b, s->k[i] - 1, s->v[i]);
		free(s->k);
		free(s->v);
		*s = b;
	}
	uint32_t mask = s->cap - 1, i = (key * 2654435761u) & mask;
	while (s->k[i]) {
		if (s->k[i] == key + 1)
			return s->v[i];
		i = (i + 1) & mask;
	}
	s->k[i] = key + 1;
	s->v[i] = v;
	s->n++;
	return NONE;
}

/* The best name hits: parties (slots) with score and reason, in ar. */
static int search_names(const struct contents *c, const struct actor *who, const char *q,
			struct arena *ar, struct phit **out, size_t *nout, struct error *err)
{
	*out = NULL;
	*nout = 0;
	struct name_key qk;
	if (name_key_build(q, ar, &qk, err) != 0)
		return -1;
	if (qk.ntokens == 0 || c->nkeys == 0)
		return 0;
	const char *terms[TERMS_MAX];
	size_t nt = name_key_terms(&qk, terms, TERMS_MAX);
	if (nt > TERMS_MAX)
		nt = TERMS_MAX;
	struct term_ref refs[TERMS_MAX];
	size_t nr = 0, total_df = 0;
	for (size_t i = 0; i < nt; i++) {
		uint32_t t = itab_find(&c->term_tab, terms[i], strlen(terms[i]), key_of_term, c);
		if (t == NONE || c->postings[t].n == 0)
			continue;
		refs[nr++].p = &c->postings[t];
		total_df += c->postings[t].n;
	}
	if (nr > 1)
		qsort(refs, nr, sizeof *refs, term_ref_cmp);
	/* the skeleton's deletion variants: a few, precise entries */
	uint32_t dh[DEL_MAX];
	size_t ndel = qk.skeleton && *qk.skeleton ? deletions(qk.skeleton, dh) : 0;
	size_t ndh = ndel + pairs(&qk, dh + ndel);
	struct acc acc;
	acc_init(&acc, (total_df < BUDGET ? total_df : BUDGET) + DEL_BUDGET);
	for (size_t i = 0; i < ndh && c->del_head; i++) {
		size_t seen_here = 0;
		for (uint32_t e = c->del_head[dh[i] & c->del_mask]; e != NONE && seen_here < DEL_BUDGET / DEL_MAX;
		     e = c->dels[e].next)
			if (c->dels[e].hash == dh[i]) {
				acc_add(&acc, c->dels[e].key, i < ndel ? DEL_WEIGHT : PAIR_WEIGHT);
				seen_here++;
			}
	}
	size_t visited = 0;
	double nk = (double)c->nkeys;
	for (size_t i = 0; i < nr; i++) {
		const struct posting *p = refs[i].p;
		float w = (float)log((nk + 1) / (p->n + 1.0)) + 0.1f;
		if (i == 0 || visited + p->n <= BUDGET) {
			uint32_t n = p->n < BUDGET ? p->n : BUDGET;
			for (uint32_t j = 0; j < n; j++)
				acc_add(&acc, p->ids[j], w);
			visited += n;
		} else if (acc.n <= PROBE_MAX) {
			for (uint32_t u = 0; u < acc.n; u++) {
				uint32_t sl = acc.used[u];
				if (posting_has(p, acc.key[sl] - 1))
					acc.w[sl] += w;
			}
		}
	}
	struct cand *cands = xmalloc((acc.n ? acc.n : 1) * sizeof *cands);
	size_t ncand = 0;
	for (uint32_t u = 0; u < acc.n; u++) {
		uint32_t sl = acc.used[u];
		cands[ncand++] = (struct cand){ acc.w[sl], acc.key[sl] - 1 };
	}
	acc_free(&acc);
	/* the best few times CANDIDATES, in order; then the first CANDIDATES
	 * keys that some visible party has are scored */
	size_t pool_n = ncand < 4 * CANDIDATES ? ncand : 4 * CANDIDATES;
	select_best(cands, ncand, pool_n);
	qsort(cands, pool_n, sizeof *cands, cand_cmp);

	struct phit *hits = NULL;
	size_t nhits = 0, hcap = 0;
	struct seen seen = { 0 };
	size_t scored = 0;
	char why[WHY_SIZE];
	for (size_t i = 0; i < pool_n && scored < CANDIDATES; i++) {
		uint32_t key = cands[i].key;
		int any = 0;
		for (uint32_t ni = c->keys[key].head; ni != NONE && !any; ni = c->names[ni].next) {
			const struct party_ent *p = &c->parties[c->names[ni].party];
			any = visible(who, p->agency, p->national);
		}
		if (!any)
			continue;
		scored++;
		struct key_view kv;
		key_read(c, key, &kv);
		why[0] = '\0';
		double score = name_compare(&qk, &kv.k, why, sizeof why);
		if (score < PARTY_SEARCH_MIN_SCORE)
			continue;
		const char *reason = NULL;
		for (uint32_t ni = c->keys[key].head; ni != NONE; ni = c->names[ni].next) {
			uint32_t ps = c->names[ni].party;
			const struct party_ent *p = &c->parties[ps];
			if (!visible(who, p->agency, p->national))
				continue;
			if (!reason)
				reason = arena_strdup(ar, why);
			uint32_t at = seen_get_or_put(&seen, ps, (uint32_t)nhits);
			if (at != NONE && hits) {
				if (score > hits[at].score) {
					hits[at].score = score;
					hits[at].why = reason;
				}
				continue;
			}
			if (nhits == hcap) {
				hcap = hcap ? hcap * 2 : 64;
				hits = xreallocarray(hits, hcap, sizeof *hits);
			}
			hits[nhits++] = (struct phit){ ps, score, reason };
		}
	}
	free(cands);
	free(seen.k);
	free(seen.v);
	if (nhits == 0) {
		free(hits);
		return 0;
	}
	struct phit_sort *order = xmalloc(nhits * sizeof *order);
	for (size_t i = 0; i < nhits; i++)
		order[i] = (struct phit_sort){ hits[i].score, c->parties[hits[i].party].id,
					       (uint32_t)i };
	qsort(order, nhits, sizeof *order, phit_sort_cmp);
	struct phit *sorted = arena_alloc(ar, nhits * sizeof *sorted);
	for (size_t i = 0; i < nhits; i++)
		sorted[i] = hits[order[i].idx];
	free(order);
	free(hits);
	*out = sorted;
	*nout = nhits;
	return 0;
}

static void add_ident_hit(const struct contents *c, const struct actor *who,
			  const struct ident_ent *ie, int exact, struct arena *ar,
			  struct party_hit **hits, size_t *n, size_t *cap)
{
	int64_t party_id = 0;
	uint32_t ps = by_id_get(c->party_by_id, c->party_by_id_cap, ie->party_id);
	if (ps && visible(who, c->parties[ps - 1].agency, c->parties[ps - 1].national))
		party_id = ie->party_id;
	for (size_t j = 0; j < *n; j++)
		if ((*hits)[j].id == ie->id) {
			if (!(*hits)[j].party_id) /* found first without its party */
				(*hits)[j].party_id = party_id;
			return;
		}
	const char *display = c->pool.buf + (ie->display != NONE ? ie->display : ie->key);
	const char *kind = ident_kind_name((enum ident_kind)ie->kind);
	*hits = arena_grow(ar, *hits, *n, cap, sizeof **hits);
	(*hits)[(*n)++] = (struct party_hit){
		.kind = PARTY_HIT_IDENTIFIER, .id = ie->id, .party_id = party_id,
		.label = arena_strdup(ar, display), .ident_kind = kind, .score = 1.0,
		.reason = exact ? arena_sprintf(ar, "exact %s %s", kind, c->pool.buf + ie->key)
				: arena_sprintf(ar, "same %s number %s", kind,
						c->pool.buf + ie->key),
	};
}

/* Exact identifiers for the guesses, visible, each once: the whole key
 * first, then (for the kinds with a prefix) the value alone. */
static void search_idents(const struct contents *c, const struct actor *who,
			  const struct party_query *q, struct arena *ar, struct party_hit **out,
			  size_t *nout)
{
	struct ident_guess g[GUESSES_MAX];
	size_t ng = ident_guess(q->q, q->ref, q->default_country, g, GUESSES_MAX, ar);
	if (ng > GUESSES_MAX)
		ng = GUESSES_MAX;
	struct party_hit *hits = NULL;
	size_t n = 0, cap = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ng; i++) {
			int star = strncmp(g[i].key, "*:", 2) == 0;
			int by_value = pass == 1 || star;
			if (pass == 1 && (star || !has_suffix_key(g[i].kind)))
				continue;
			const char *k = star ? g[i].key + 2 : pass == 1 ? key_value(g[i].key) : g[i].key;
			const struct itab *tab = by_value ? &c->suffix_tab : &c->ident_tab;
			uint32_t e = itab_find(tab, k, strlen(k), by_value ? key_of_suffix : key_of_ident, c);
			for (; e != NONE; e = by_value ? c->idents[e].next_suffix : c->idents[e].next) {
				const struct ident_ent *ie = &c->idents[e];
				if (ie->id && ie->kind == (uint8_t)g[i].kind &&
				    ident_visible(c, who, ie))
					add_ident_hit(c, who, ie, !by_value || star, ar, &hits, &n, &cap);
			}
		}
	}
	*out = hits;
	*nout = n;
}

int party_index_search(struct party_index *ix, const struct actor *who,
		       const struct party_query *q, struct arena *ar, struct party_hit **hits,
		       size_t *n, int64_t *total, struct error *err)
{
	*hits = NULL;
	*n = 0;
	*total = 0;
	size_t limit = q->limit ? q->limit : 20;
	pthread_rwlock_rdlock(&ix->lock);
	const struct contents *c = &ix->c;
	struct party_hit *ih = NULL;
	size_t nih = 0;
	if (q->want_identifiers)
		search_idents(c, who, q, ar, &ih, &nih);
	struct phit *ph = NULL;
	size_t nph = 0;
	int rc = 0;
	if (q->want_parties)
		rc = search_names(c, who, q->q, ar, &ph, &nph, err);
	if (rc == 0) {
		size_t want = nih + nph < limit ? nih + nph : limit;
		struct party_hit *out = arena_alloc(ar, (want ? want : 1) * sizeof *out);
		size_t k = 0;
		for (size_t i = 0; i < nih && k < want; i++)
			out[k++] = ih[i];
		for (size_t i = 0; i < nph && k < want; i++) {
			const struct party_ent *p = &c->parties[ph[i].party];
			out[k++] = (struct party_hit){ .kind = PARTY_HIT_PARTY, .id = p->id,
						       .party_id = p->id,
						       .label = arena_strdup(ar, c->pool.buf + p->label),
						       .score = ph[i].score, .reason = ph[i].why };
		}
		*hits = out;
		*n = k;
		*total = (int64_t)(nih + nph);
	}
	pthread_rwlock_unlock(&ix->lock);
	return rc;
}

/* ---- size ------------------------------------------------------------------------------ */

void party_index_stats(struct party_index *ix, struct party_index_stats *out)
{
	pthread_rwlock_rdlock(&ix->lock);
	const struct contents *c = &ix->c;
	size_t bytes = c->pool.cap + c->parties_cap * sizeof *c->parties +
		       c->party_by_id_cap * sizeof *c->party_by_id +
		       c->names_cap * sizeof *c->names + c->keys_cap * sizeof *c->keys +
		       (size_t)c->key_tab.cap * sizeof(struct islot) + c->terms_cap * sizeof *c->postings +
		       (size_t)c->term_tab.cap * sizeof(struct islot) + c->idents_cap * sizeof *c->idents +
		       c->ident_by_id_cap * sizeof *c->ident_by_id + (size_t)c->ident_tab.cap * sizeof(struct islot) +
		       (size_t)c->suffix_tab.cap * sizeof(struct islot) + c->text_pool.cap +
		       c->texts_cap * 2 * sizeof(uint32_t) + c->dels_cap * sizeof *c->dels +
		       (c->del_head ? ((size_t)c->del_mask + 1) * sizeof *c->del_head : 0) + (size_t)c->text_tab.cap * sizeof(struct islot) +
		       (c->recorded.cap + c->seized.cap) * sizeof(struct grant);
	for (size_t i = 0; i < c->nterms; i++)
		bytes += (size_t)c->postings[i].cap * sizeof(uint32_t);
	*out = (struct party_index_stats){
		.parties = c->live_parties, .names = c->live_names, .keys = c->nkeys,
		.terms = c->nterms, .postings = c->npostings, .identifiers = c->live_idents,
		.bytes = bytes, .generation = c->generation,
	};
	pthread_rwlock_unlock(&ix->lock);
}
