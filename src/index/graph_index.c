/* The link-analysis graph of the register, in memory: see graph_index.h. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "graph/graph.h"
#include "index/graph_index.h"
#include "lib/clock.h"
#include "lib/xalloc.h"
#include "store/store.h"

/* An edge's record: the link's table (enum store_link) and row id. */
#define REC(table, id) (((uint64_t)(table) << 56) | (uint64_t)(id))
#define REC_TABLE(r) ((int)((r) >> 56))
#define REC_ID(r) ((int64_t)((r) & ((UINT64_C(1) << 56) - 1)))

/* Edge kinds: the four link tables (enum store_link), then the derived
 * "shares an identifier" (party - party; its record is REC(EDGE_SHARES, the
 * identifier's node index), stable for the life of a gstate). */
enum { NODE_KINDS = 3, LINK_KINDS = 4, EDGE_SHARES = 4, EDGE_KINDS = 5 };

static const char *const node_kind_names[NODE_KINDS] = { "seizure", "party", "identifier" };
static const char *const edge_kind_names[EDGE_KINDS] = { "holds", "involved_in", "related",
							 "seen_in", "shares_identifier" };
/* by enum store_link */
static const char *const link_table_names[LINK_KINDS] = { "party_identifier", "party_seizure",
							  "party_relation",
							  "identifier_seizure" };
static const int link_from_kind[LINK_KINDS] = { GRAPH_PARTY, GRAPH_PARTY, GRAPH_PARTY,
						GRAPH_IDENTIFIER };
static const int link_to_kind[LINK_KINDS] = { GRAPH_IDENTIFIER, GRAPH_SEIZURE, GRAPH_PARTY,
					      GRAPH_SEIZURE };

enum { F_NATIONAL = 1, F_ALIVE = 2 };

/* The agencies (besides the recorder) whose parties or seizures an
 * identifier is linked to. */
struct agency_set {
	int64_t *ids;
	uint32_t n, cap;
};

/* One generation of the index: the graph and what the access rule needs per
 * node.  Replaced whole by a rebuild. */
struct gstate {
	struct graph *g;
	int64_t *agency;          /* per node: recording agency */
	uint8_t *flags;
	uint32_t *set;            /* per node: index into sets (0: none) */
	size_t cap;
	struct agency_set *sets;
	size_t nsets, capsets;
	int64_t party_gen, seizure_gen, audit_id, max_ident;
};

struct graph_index {
	pthread_rwlock_t lock;    /* readers: answers; writer: sync */
	pthread_mutex_t sync_lock;
	struct gstate *s;
	double build_ms;
	size_t updates, rebuilds;
	pthread_mutex_t work_lock;
	struct graph_work **works;
	size_t nworks, capworks;
};

/* ---- dates ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * "YYYY", "YYYY-MM" or "YYYY-MM-DD" as a day number: the first day of the
 * period, or its last when last is set.  GRAPH_DATE_NONE when it is none of
 * these.
 */

/* The value of n decimal digits (the caller checked they are digits). */
static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}
static int32_t parse_day(const char *s, int last)
{
	if (!s)
		return GRAPH_DATE_NONE;
	int y = 0, m = 0, d = 0;
	size_t len = strlen(s);
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || ((i == 4 || i == 7) && s[i] == '-')))
			return GRAPH_DATE_NONE;
	if (len == 4)
		y = digits_value(s, 4), m = last ? 12 : 1, d = last ? 31 : 1;
	else if (len == 7 && s[4] == '-')
		y = digits_value(s, 4), m = digits_value(s + 5, 2), d = 1;
	else if (len == 10 && s[4] == '-' && s[7] == '-')
		y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
	else
		return GRAPH_DATE_NONE;
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1000 || m < 1 || m > 12)
		return GRAPH_DATE_NONE;
	int dim = mdays[m - 1] + (m == 2 && is_leap(y));
	if (len == 7 && last)
		d = dim;
	if (d < 1 || d > dim)
		return GRAPH_DATE_NONE;
	return days_from_civil(y, m, d);
}

static json_t *day_json(int32_t day)
{
	if (day == GRAPH_DATE_NONE)
		return json_null();
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	char buf[48];
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	return json_string(buf);
}

/* ---- per-node data and the access rule ----------------------------------------- */

static uint64_t agency_bit(int64_t agency)
{
	return UINT64_C(1) << (1 + (uint64_t)agency % 63);
}

static void meta_ensure(struct gstate *s, uint32_t node)
{
	if (node < s->cap)
		return;
	size_t cap = s->cap ? s->cap : 1024;
	while (cap <= node)
		cap *= 2;
	s->agency = xreallocarray(s->agency, cap, sizeof *s->agency);
	s->flags = xreallocarray(s->flags, cap, sizeof *s->flags);
	s->set = xreallocarray(s->set, cap, sizeof *s->set);
	memset(s->agency + s->cap, 0, (cap - s->cap) * sizeof *s->agency);
	memset(s->flags + s->cap, 0, (cap - s->cap) * sizeof *s->flags);
	memset(s->set + s->cap, 0, (cap - s->cap) * sizeof *s->set);
	s->cap = cap;
}

/* The mask of the engine: everyone for national nodes; the agencies' bits
 * otherwise (bits are shared by agencies 63 apart: node_visible decides). */
static void set_acl(struct gstate *s, uint32_t n)
{
	uint64_t acl = 0;
	if (s->flags[n] & F_ALIVE) {
		if (s->flags[n] & F_NATIONAL) {
			acl = GRAPH_ACL_ALL;
		} else {
			acl = agency_bit(s->agency[n]);
			if (s->set[n]) {
				const struct agency_set *a = &s->sets[s->set[n]];
				for (uint32_t i = 0; i < a->n; i++)
					acl |= agency_bit(a->ids[i]);
			}
		}
	}
	graph_set_node_acl(s->g, n, acl);
}

static void set_add(struct gstate *s, uint32_t n, int64_t agency)
{
	if (agency == s->agency[n])
		return;
	if (!s->set[n]) {
		if (s->nsets + 1 >= s->capsets) {
			s->capsets = s->capsets ? s->capsets * 2 : 64;
			s->sets = xreallocarray(s->sets, s->capsets, sizeof *s->sets);
		}
		if (s->nsets == 0)
			s->nsets = 1; /* 0 means none */
		s->set[n] = (uint32_t)s->nsets;
		s->sets[s->nsets++] = (struct agency_set){ 0 };
	}
	struct agency_set *a = &s->sets[s->set[n]];
	for (uint32_t i = 0; i < a->n; i++)
		if (a->ids[i] == agency)
			return;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 2;
		a->ids = xreallocarray(a->ids, a->cap, sizeof *a->ids);
	}
	a->ids[a->n++] = agency;
}

/* An identifier node takes the visibility of a party or seizure it is
 * linked to. */
static void absorb(struct gstate *s, uint32_t ident, uint32_t other)
{
	if (!(s->flags[other] & F_ALIVE))
		return;
	if (s->flags[other] & F_NATIONAL)
		s->flags[ident] |= F_NATIONAL;
	else
		set_add(s, ident, s->agency[other]);
}

/* Adds (or updates) a node from the store's view of it; identifiers keep
 * what their links give them (ident_recompute sets that). */
static uint32_t put_node(struct gstate *s, const struct store_graph_node *n)
{
	uint32_t i = graph_add_node(s->g, (enum graph_node_kind)n->kind, n->id, 0);
	meta_ensure(s, i);
	s->agency[i] = n->agency_id;
	if (n->kind == GRAPH_IDENTIFIER)
		s->flags[i] |= F_ALIVE;
	else
		s->flags[i] = (uint8_t)((n->national ? F_NATIONAL : 0) | (n->gone ? 0 : F_ALIVE));
	set_acl(s, i);
	return i;
}

struct vis {
	const struct gstate *s;
	int64_t agency;
	uint64_t acl;
};

static int vis_node(void *ctx, const struct graph *g, uint32_t n)
{
	(void)g;
	const struct vis *v = ctx;
	const struct gstate *s = v->s;
	if (s->flags[n] & F_NATIONAL)
		return 1;
	if (s->agency[n] == v->agency)
		return 1;
	if (s->set[n]) {
		const struct agency_set *a = &s->sets[s->set[n]];
		for (uint32_t i = 0; i < a->n; i++)
			if (a->ids[i] == v->agency)
				return 1;
	}
	return 0;
}

/* A derived edge is seen with its identifier; the others with their ends. */
static int vis_edge(void *ctx, const struct graph *g, const struct graph_edge *e)
{
	const struct vis *v = ctx;
	if (e->kind != EDGE_SHARES)
		return 1;
	uint32_t ident = (uint32_t)REC_ID(e->record);
	return (graph_node_acl(g, ident) & v->acl) && vis_node(ctx, g, ident);
}

/* The filter of what `who` may see (kinds and dates left open). */
static void actor_filter(const struct gstate *s, const struct actor *who, struct vis *v,
			 struct graph_filter *f)
{
	memset(f, 0, sizeof *f);
	v->s = s;
	v->agency = who->agency_id;
	if (who->role == ROLE_ADMIN) {
		f->acl = v->acl = GRAPH_ACL_ALL;
	} else {
		f->acl = v->acl = agency_bit(who->agency_id);
		f->node_visible = vis_node;
		f->edge_visible = vis_edge;
		f->ctx = v;
	}
}

static int node_seen(const struct gstate *s, const struct graph_filter *f, uint32_t n)
{
	if (n == GRAPH_NONE || !(graph_node_acl(s->g, n) & f->acl))
		return 0;
	return !f->node_visible || f->node_visible(f->ctx, s->g, n);
}

static void gstate_free(struct gstate *s)
{
	if (!s)
		return;
	graph_free(s->g);
	for (size_t i = 1; i < s->nsets; i++)
		free(s->sets[i].ids);
	free(s->sets);
	free(s->agency);
	free(s->flags);
	free(s->set);
	free(s);
}

/* ---- work areas --------------------------------------------------------------- */

static struct graph_work *work_take(struct graph_index *ix)
{
	struct graph_work *w = NULL;
	pthread_mutex_lock(&ix->work_lock);
	if (ix->nworks)
		w = ix->works[--ix->nworks];
	pthread_mutex_unlock(&ix->work_lock);
	return w ? w : graph_work_new();
}

static void work_give(struct graph_index *ix, struct graph_work *w)
{
	pthread_mutex_lock(&ix->work_lock);
	if (ix->nworks == ix->capworks) {
		ix->capworks = ix->capworks ? ix->capworks * 2 : 8;
		/* an array of pointers to the works */
		ix->works = xreallocarray(ix->works, ix->capworks, sizeof *ix->works); // NOLINT(bugprone-sizeof-expression)
	}
	ix->works[ix->nworks++] = w;
	pthread_mutex_unlock(&ix->work_lock);
}

/* ---- building ----------------------------------------------------------------- */

/* A party holding an identifier, for the derived edges. */
struct holder {
	uint32_t ident, party;
	int32_t date;
};

struct build {
	struct gstate *s;
	struct error *err;
	int failed;
	struct holder *holds;     /* every holds link read */
	size_t nholds, capholds;
};

static int build_node(void *ctx, const struct store_graph_node *n)
{
	struct build *b = ctx;
	if (!n->gone)
		put_node(b->s, n);
	return 0;
}

static int build_link(void *ctx, const struct store_graph_link *l)
{
	struct build *b = ctx;
	struct gstate *s = b->s;
	uint32_t x = graph_lookup(s->g, (enum graph_node_kind)link_from_kind[l->table], l->from);
	uint32_t y = graph_lookup(s->g, (enum graph_node_kind)link_to_kind[l->table], l->to);
	if (x == GRAPH_NONE || y == GRAPH_NONE || x == y)
		return 0; /* an end merged away: its links moved with it */
	if (graph_add_edge(s->g, x, y, (unsigned)l->table, parse_day(l->date, 0),
			   REC(l->table, l->id), b->err) != 0) {
		b->failed = 1;
		return 1;
	}
	if (link_from_kind[l->table] == GRAPH_IDENTIFIER)
		absorb(s, x, y);
	if (link_to_kind[l->table] == GRAPH_IDENTIFIER)
		absorb(s, y, x);
	if (l->table == LINK_PARTY_IDENTIFIER) {
		if (b->nholds == b->capholds) {
			b->capholds = b->capholds ? b->capholds * 2 : 4096;
			b->holds = xreallocarray(b->holds, b->capholds, sizeof *b->holds);
		}
		b->holds[b->nholds++] = (struct holder){ y, x, parse_day(l->date, 0) };
	}
	return 0;
}

/* ---- the derived edges ("shares an identifier") ----------------------------------- */

static int holder_cmp(const void *x, const void *y)
{
	const struct holder *a = x, *b = y;
	if (a->ident != b->ident)
		return a->ident < b->ident ? -1 : 1;
	if (a->party != b->party)
		return a->party < b->party ? -1 : 1;
	return 0;
}

static int32_t earlier(int32_t a, int32_t b)
{
	if (a == GRAPH_DATE_NONE)
		return b;
	if (b == GRAPH_DATE_NONE)
		return a;
	return a < b ? a : b;
}

/* Sorts h[0..n) (one identifier's holders, or many identifiers') and folds
 * a party's several holds links of one identifier into one, dated by the
 * first.  Returns the new count. */
static size_t holders_fold(struct holder *h, size_t n)
{
	if (n < 2)
		return n; /* h may be NULL when n is 0 */
	qsort(h, n, sizeof *h, holder_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && h[m - 1].ident == h[i].ident && h[m - 1].party == h[i].party)
			h[m - 1].date = earlier(h[m - 1].date, h[i].date);
		else
			h[m++] = h[i];
	}
	return m;
}

/* The date of the edge between two holders: the later of their first
 * holds links (GRAPH_DATE_NONE is below every date). */
static int32_t shares_date(const struct holder *a, const struct holder *b)
{
	return a->date > b->date ? a->date : b->date;
}

/* Adds the pairs among h[0..n) (one identifier's folded holders). */
static int shares_add_all(struct gstate *s, const struct holder *h, size_t n, struct error *err)
{
	if (n < 2 || n > GRAPH_SHARES_MAX)
		return 0;
	uint64_t rec = REC(EDGE_SHARES, h[0].ident);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (graph_add_edge(s->g, h[i].party, h[j].party, EDGE_SHARES,
					   shares_date(&h[i], &h[j]), rec, err) != 0)
				return -1;
	return 0;
}

/* At build: the pairs of every identifier from the holds links read. */
static int shares_build(struct build *b)
{
	size_t n = holders_fold(b->holds, b->nholds);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && b->holds[j].ident == b->holds[i].ident)
			j++;
		if (shares_add_all(b->s, b->holds + i, j - i, b->err) != 0)
			return -1;
		i = j;
	}
	return 0;
}

static int read_gens(struct store *st, int64_t *pg, int64_t *sg, int64_t *maxid,
		     struct error *err)
{
	if (store_party_generation(st, pg, err) != 0 || store_seizure_generation(st, sg, err) != 0 ||
	    store_graph_max_identifier(st, maxid, err) != 0)
		return -1;
	return 0;
}

static struct gstate *gstate_build(struct store *st, struct error *err)
{
	struct gstate *s = xcalloc(1, sizeof *s);
	s->g = graph_new(0, 0);
	if (read_gens(st, &s->party_gen, &s->seizure_gen, &s->max_ident, err) != 0 ||
	    store_audit_max_id(st, &s->audit_id, err) != 0)
		goto fail;
	struct build b = { s, err, 0, NULL, 0, 0 };
	if (store_graph_nodes_all(st, 0, build_node, &b, err) != 0)
		goto fail;
	graph_bulk_begin(s->g);
	int rc = store_graph_links_all(st, build_link, &b, err);
	if (rc == 0 && !b.failed && shares_build(&b) != 0)
		rc = -1;
	graph_bulk_end(s->g);
	free(b.holds);
	if (rc != 0 || b.failed)
		goto fail;
	size_t n = graph_node_count(s->g);
	for (uint32_t i = 0; i < n; i++)
		if (graph_node(s->g, i).kind == GRAPH_IDENTIFIER)
			set_acl(s, i);
	return s;
fail:
	gstate_free(s);
	return NULL;
}

struct graph_index *graph_index_build(struct store *st, struct error *err)
{
	int64_t t0 = clock_ms();
	struct gstate *s = gstate_build(st, err);
	if (!s)
		return NULL;
	struct graph_index *ix = xcalloc(1, sizeof *ix);
	pthread_rwlock_init(&ix->lock, NULL);
	pthread_mutex_init(&ix->sync_lock, NULL);
	pthread_mutex_init(&ix->work_lock, NULL);
	ix->s = s;
	ix->build_ms = (double)(clock_ms() - t0);
	return ix;
}

void graph_index_free(struct graph_index *ix)
{
	if (!ix)
		return;
	gstate_free(ix->s);
	for (size_t i = 0; i < ix->nworks; i++)
		graph_work_free(ix->works[i]);
	free(ix->works);
	pthread_rwlock_destroy(&ix->lock);
	pthread_mutex_destroy(&ix->sync_lock);
	pthread_mutex_destroy(&ix->work_lock);
	free(ix);
}

void graph_index_stats(struct graph_index *ix, struct graph_index_stats *out)
{
	memset(out, 0, sizeof *out);
	pthread_rwlock_rdlock(&ix->lock);
	const struct gstate *s = ix->s;
	out->nodes = graph_node_count(s->g);
	out->edges = graph_edge_count(s->g);
	out->overlay = graph_overlay_size(s->g);
	out->bytes = graph_memory(s->g) + s->cap * (sizeof *s->agency + sizeof *s->flags +
						    sizeof *s->set);
	for (size_t i = 1; i < s->nsets; i++)
		out->bytes += sizeof s->sets[i] + s->sets[i].cap * sizeof(int64_t);
	out->party_gen = s->party_gen;
	out->seizure_gen = s->seizure_gen;
	out->build_ms = ix->build_ms;
	out->updates = ix->updates;
	out->rebuilds = ix->rebuilds;
	pthread_rwlock_unlock(&ix->lock);
}

/* ---- keeping up ------------------------------------------------------------------ */

/* A link as a changed node wants it. */
struct want_link {
	int table;
	int64_t id, from, to;
	int32_t date;
	struct store_graph_node other;   /* the far end, read when not in the graph */
	int other_read;
};

/* A node that changed, and what the store says of it now. */
struct pending {
	int kind;
	int64_t id;
	struct store_graph_node node;
	struct want_link *links;
	size_t nlinks, cap;
};

struct changes {
	struct pending *p;
	size_t n, cap;
	int too_many;
	struct arena *ar;
};

static void changes_add(struct changes *c, int kind, int64_t id)
{
	for (size_t i = 0; i < c->n; i++) /* the feeds repeat ids */
		if (c->p[i].kind == kind && c->p[i].id == id)
			return;
	if (c->n >= GRAPH_INDEX_REFRESH_MAX) {
		c->too_many = 1;
		return;
	}
	c->p = arena_grow(c->ar, c->p, c->n, &c->cap, sizeof *c->p);
	memset(&c->p[c->n], 0, sizeof c->p[c->n]);
	c->p[c->n].kind = kind;
	c->p[c->n].id = id;
	c->n++;
}

static int party_changed(void *ctx, int64_t id, int gone)
{
	(void)gone; /* read again either way: the store says whether it is there */
	struct changes *c = ctx;
	changes_add(c, GRAPH_PARTY, id);
	return c->too_many;
}

static int seizure_changed(void *ctx, int64_t id)
{
	struct changes *c = ctx;
	changes_add(c, GRAPH_SEIZURE, id);
	return c->too_many;
}

struct want_ctx {
	struct pending *p;
	struct arena *ar;
};

static int want_link(void *ctx, const struct store_graph_link *l)
{
	struct want_ctx *w = ctx;
	struct pending *p = w->p;
	p->links = arena_grow(w->ar, p->links, p->nlinks, &p->cap, sizeof *p->links);
	p->links[p->nlinks++] = (struct want_link){ .table = l->table, .id = l->id,
						    .from = l->from, .to = l->to,
						    .date = parse_day(l->date, 0) };
	return 0;
}

/* The end of link l that is not (kind, id) (either end of a relation). */
static void far_end(const struct want_link *l, int kind, int64_t id, int *okind, int64_t *oid)
{
	if (link_from_kind[l->table] == kind && l->from == id) {
		*okind = link_to_kind[l->table];
		*oid = l->to;
	} else {
		*okind = link_from_kind[l->table];
		*oid = l->from;
	}
}

/* Reads from the store what each changed node is now (under the read
 * lock: only looks the far ends up). */
static int read_changes(struct graph_index *ix, struct store *st, struct changes *c,
			struct error *err)
{
	for (size_t i = 0; i < c->n; i++) {
		struct pending *p = &c->p[i];
		if (store_graph_node_get(st, p->kind, p->id, &p->node, err) != 0)
			return -1;
		if (p->node.gone)
			continue;
		struct want_ctx w = { p, c->ar };
		if (store_graph_links_of(st, p->kind, p->id, want_link, &w, err) != 0)
			return -1;
		for (size_t j = 0; j < p->nlinks; j++) {
			struct want_link *l = &p->links[j];
			int ok;
			int64_t oid;
			far_end(l, p->kind, p->id, &ok, &oid);
			pthread_rwlock_rdlock(&ix->lock);
			uint32_t o = graph_lookup(ix->s->g, (enum graph_node_kind)ok, oid);
			pthread_rwlock_unlock(&ix->lock);
			if (o == GRAPH_NONE) {
				if (store_graph_node_get(st, ok, oid, &l->other, err) != 0)
					return -1;
				l->other_read = 1;
			}
		}
	}
	return 0;
}

/* The identifiers whose visibility must be worked out again. */
struct touched {
	uint32_t *v;
	size_t n, cap;
};

static void touch_ident(struct gstate *s, struct touched *t, uint32_t n)
{
	if (graph_node(s->g, n).kind != GRAPH_IDENTIFIER)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	t->v[t->n++] = n;
}

/* The edges touching x, whatever the access rules (x's own mask is opened
 * for the call). */
static int edges_of(struct gstate *s, struct graph_work *w, uint32_t x, struct graph_hood *h,
		    struct error *err)
{
	uint64_t acl = graph_node_acl(s->g, x);
	graph_set_node_acl(s->g, x, GRAPH_ACL_ALL);
	struct graph_hood_opts o = { .depth = 1, .filter = GRAPH_FILTER_ALL };
	int rc = graph_neighbourhood(s->g, w, x, &o, h, err);
	graph_set_node_acl(s->g, x, acl);
	return rc;
}

/* Removes party's derived edges through identifier node ident. */
static int shares_drop(struct gstate *s, struct graph_work *w, uint32_t party, uint32_t ident,
		       struct error *err)
{
	uint64_t rec = REC(EDGE_SHARES, ident);
	struct graph_hood h;
	memset(&h, 0, sizeof h);
	if (edges_of(s, w, party, &h, err) != 0)
		return -1;
	for (size_t i = 0; i < h.nedges; i++)
		if (h.edges[i].record == rec && (h.edges[i].a == party || h.edges[i].b == party))
			graph_remove_edge(s->g, h.edges[i].a, h.edges[i].b, rec);
	graph_hood_free(&h);
	return 0;
}

static const struct holder *holder_find(const struct holder *h, size_t n, uint32_t party)
{
	struct holder key = { h ? h[0].ident : 0, party, 0 };
	return n ? bsearch(&key, h, n, sizeof *h, holder_cmp) : NULL;
}

/* Makes identifier n's derived edges what its holds links (the edges in
 * hn, n's neighbourhood) say: stale pairs go, missing pairs come. */
static int shares_update(struct gstate *s, struct graph_work *w, uint32_t n,
			 const struct graph_hood *hn, struct error *err)
{
	struct holder *hs = xreallocarray(NULL, hn->nedges ? hn->nedges : 1, sizeof *hs);
	size_t nh = 0;
	for (size_t i = 0; i < hn->nedges; i++) {
		const struct graph_edge *e = &hn->edges[i];
		if (e->kind != LINK_PARTY_IDENTIFIER || (e->a != n && e->b != n))
			continue;
		uint32_t p = e->a == n ? e->b : e->a;
		if (s->flags[p] & F_ALIVE)
			hs[nh++] = (struct holder){ n, p, e->date };
	}
	nh = holders_fold(hs, nh);
	int wanted = nh >= 2 && nh <= GRAPH_SHARES_MAX;
	unsigned char *present = wanted ? xcalloc(nh * nh, 1) : NULL;
	uint64_t rec = REC(EDGE_SHARES, n);
	int rc = 0;
	for (size_t k = 0; k < nh && rc == 0; k++) {
		struct graph_hood h;
		memset(&h, 0, sizeof h);
		if ((rc = edges_of(s, w, hs[k].party, &h, err)) != 0)
			break;
		for (size_t i = 0; i < h.nedges; i++) {
			const struct graph_edge *e = &h.edges[i];
			if (e->record != rec || (e->a != hs[k].party && e->b != hs[k].party))
				continue;
			uint32_t v = e->a == hs[k].party ? e->b : e->a;
			const struct holder *o = holder_find(hs, nh, v);
			if (wanted && o && e->date == shares_date(&hs[k], o))
				present[k * nh + (size_t)(o - hs)] = 1;
			else
				graph_remove_edge(s->g, e->a, e->b, rec);
		}
		graph_hood_free(&h);
	}
	for (size_t k = 0; k < nh && wanted && rc == 0; k++)
		for (size_t l = k + 1; l < nh && rc == 0; l++)
			if (!present[k * nh + l] && !present[l * nh + k])
				rc = graph_add_edge(s->g, hs[k].party, hs[l].party, EDGE_SHARES,
						    shares_date(&hs[k], &hs[l]), rec, err);
	free(present);
	free(hs);
	return rc;
}

/* An identifier's visibility from its linked parties and seizures, and its
 * derived edges. */
static int ident_recompute(struct gstate *s, struct graph_work *w, uint32_t n, struct error *err)
{
	s->flags[n] = F_ALIVE;
	if (s->set[n])
		s->sets[s->set[n]].n = 0;
	struct graph_hood h;
	memset(&h, 0, sizeof h);
	if (edges_of(s, w, n, &h, err) != 0)
		return -1;
	for (size_t i = 0; i < h.nedges; i++) {
		const struct graph_edge *e = &h.edges[i];
		if (e->a == n)
			absorb(s, n, e->b);
		else if (e->b == n)
			absorb(s, n, e->a);
	}
	set_acl(s, n);
	int rc = shares_update(s, w, n, &h, err);
	graph_hood_free(&h);
	return rc;
}

/* Makes the graph's links of one changed node what the store says. */
static int apply_pending(struct gstate *s, struct graph_work *w, const struct pending *p,
			 struct touched *t, struct error *err)
{
	uint32_t x = graph_lookup(s->g, (enum graph_node_kind)p->kind, p->id);
	if (x == GRAPH_NONE) {
		if (p->node.gone)
			return 0;
		x = put_node(s, &p->node);
	}
	struct graph_hood h;
	memset(&h, 0, sizeof h);
	if (edges_of(s, w, x, &h, err) != 0)
		return -1;
	/* remove what the store no longer has */
	for (size_t i = 0; i < h.nedges; i++) {
		const struct graph_edge *e = &h.edges[i];
		if (e->a != x && e->b != x)
			continue;
		uint32_t o = e->a == x ? e->b : e->a;
		int keep = 0;
		if (e->kind == EDGE_SHARES) {
			/* derived: kept while x still holds the identifier (its
			 * pairs are redone by ident_recompute) */
			uint32_t ident = (uint32_t)REC_ID(e->record);
			int64_t iid = graph_node(s->g, ident).id;
			for (size_t j = 0; j < p->nlinks && !keep; j++)
				keep = p->links[j].table == LINK_PARTY_IDENTIFIER &&
				       p->links[j].to == iid;
			if (!keep) {
				graph_remove_edge(s->g, e->a, e->b, e->record);
				touch_ident(s, t, ident);
			}
			continue;
		}
		for (size_t j = 0; j < p->nlinks && !keep; j++)
			keep = REC(p->links[j].table, p->links[j].id) == e->record &&
			       p->links[j].date == e->date;
		if (!keep) {
			graph_remove_edge(s->g, e->a, e->b, e->record);
			touch_ident(s, t, o);
			/* an identifier losing a holder: the holder's pairs through it go */
			if (e->kind == LINK_PARTY_IDENTIFIER && p->kind == GRAPH_IDENTIFIER &&
			    shares_drop(s, w, o, x, err) != 0) {
				graph_hood_free(&h);
				return -1;
			}
		}
	}
	/* add what the graph lacks */
	for (size_t j = 0; j < p->nlinks; j++) {
		const struct want_link *l = &p->links[j];
		uint64_t rec = REC(l->table, l->id);
		int have = 0;
		for (size_t i = 0; i < h.nedges && !have; i++)
			have = h.edges[i].record == rec && h.edges[i].date == l->date &&
			       (h.edges[i].a == x || h.edges[i].b == x);
		int ok;
		int64_t oid;
		far_end(l, p->kind, p->id, &ok, &oid);
		uint32_t o = graph_lookup(s->g, (enum graph_node_kind)ok, oid);
		if (o == GRAPH_NONE && l->other_read && !l->other.gone)
			o = put_node(s, &l->other);
		if (o == GRAPH_NONE || o == x)
			continue;
		touch_ident(s, t, o);
		if (have)
			continue;
		if (graph_add_edge(s->g, x, o, (unsigned)l->table, l->date, rec, err) != 0) {
			graph_hood_free(&h);
			return -1;
		}
	}
	graph_hood_free(&h);
	if (p->kind != GRAPH_IDENTIFIER)
		put_node(s, &p->node); /* agency, sharing, gone */
	touch_ident(s, t, x);
	return 0;
}

static int new_ident(void *ctx, const struct store_graph_node *n)
{
	struct changes *c = ctx;
	changes_add(c, n->kind, n->id);
	return c->too_many;
}

int graph_index_sync(struct graph_index *ix, struct store *st, struct error *err)
{
	int64_t pg, sg, maxid;
	if (read_gens(st, &pg, &sg, &maxid, err) != 0)
		return -1;
	pthread_mutex_lock(&ix->sync_lock);
	struct gstate *s = ix->s; /* only this (locked) path replaces it */
	/* A snapshot older than the index has nothing new to say. */
	if (pg <= s->party_gen && sg <= s->seizure_gen && maxid <= s->max_ident) {
		pthread_mutex_unlock(&ix->sync_lock);
		return 0;
	}
	struct arena ar;
	arena_init(&ar);
	struct changes c = { .ar = &ar };
	int64_t audit_id = s->audit_id;
	int rc = 0;
	if (pg > s->party_gen && store_party_changed_since(st, s->party_gen, party_changed, &c, err) != 0)
		rc = -1;
	/* seizures: their audit entries (an identifier linked from a seizure's
	 * side moves only the party generation, and is audited on the seizure) */
	if (rc == 0 && !c.too_many &&
	    store_graph_seizures_changed(st, s->audit_id, seizure_changed, &c, &audit_id, err) != 0)
		rc = -1;
	if (rc == 0 && !c.too_many && maxid > s->max_ident &&
	    store_graph_nodes_all(st, s->max_ident, new_ident, &c, err) != 0)
		rc = -1;
	if (rc == 0 && c.too_many) {
		/* rebuild whole, outside the write lock, then swap */
		int64_t t0 = clock_ms();
		struct gstate *ns = gstate_build(st, err);
		if (!ns) {
			rc = -1;
		} else {
			pthread_rwlock_wrlock(&ix->lock);
			ix->s = ns;
			ix->rebuilds++;
			ix->build_ms = (double)(clock_ms() - t0);
			pthread_rwlock_unlock(&ix->lock);
			gstate_free(s);
		}
		arena_free(&ar);
		pthread_mutex_unlock(&ix->sync_lock);
		return rc;
	}
	if (rc == 0)
		rc = read_changes(ix, st, &c, err);
	if (rc != 0) {
		arena_free(&ar);
		pthread_mutex_unlock(&ix->sync_lock);
		return -1;
	}
	struct graph_work *w = work_take(ix);
	struct touched t = { 0 };
	pthread_rwlock_wrlock(&ix->lock);
	for (size_t i = 0; i < c.n && rc == 0; i++) {
		if (c.p[i].kind == GRAPH_IDENTIFIER && !c.p[i].node.gone &&
		    graph_lookup(s->g, GRAPH_IDENTIFIER, c.p[i].id) == GRAPH_NONE)
			put_node(s, &c.p[i].node);
		rc = apply_pending(s, w, &c.p[i], &t, err);
	}
	for (size_t i = 0; i < t.n && rc == 0; i++)
		rc = ident_recompute(s, w, t.v[i], err);
	if (graph_overlay_size(s->g) > graph_edge_count(s->g) / 4 + 65536)
		graph_compact(s->g);
	if (rc == 0) {
		s->party_gen = pg > s->party_gen ? pg : s->party_gen;
		s->seizure_gen = sg > s->seizure_gen ? sg : s->seizure_gen;
		s->max_ident = maxid > s->max_ident ? maxid : s->max_ident;
		s->audit_id = audit_id;
		ix->updates++;
	}
	pthread_rwlock_unlock(&ix->lock);
	work_give(ix, w);
	free(t.v);
	arena_free(&ar);
	pthread_mutex_unlock(&ix->sync_lock);
	return rc;
}

/* ---- parameters ------------------------------------------------------------------- */

int graph_index_parse_node(const char *s, int *kind, int64_t *id, const char *field,
			   struct error *err)
{
	if (!s || !*s)
		return error_field(err, field, "is required: a node such as party:7, seizure:12 "
					       "or identifier:3");
	const char *colon = strchr(s, ':');
	if (colon) {
		for (int k = 0; k < NODE_KINDS; k++) {
			size_t len = strlen(node_kind_names[k]);
			if ((size_t)(colon - s) == len && strncmp(s, node_kind_names[k], len) == 0) {
				char *end;
				long long v = strtoll(colon + 1, &end, 10);
				if (colon[1] >= '1' && colon[1] <= '9' && *end == '\0' && v > 0) {
					*kind = k;
					*id = v;
					return 0;
				}
			}
		}
	}
	return error_field(err, field, "\"%.40s\" is not a node; write KIND:ID with KIND seizure, "
				       "party or identifier (party:7)", s);
}

static char *node_name(struct arena *ar, struct graph_node_ref r)
{
	return arena_sprintf(ar, "%s:%lld", (int)r.kind < NODE_KINDS ? node_kind_names[r.kind] : "node",
			     (long long)r.id);
}

/* A comma list of names into a kind mask (0 when absent). */
static int parse_kinds(const char *v, const char *const *names, int count, const char *field,
		       uint32_t *mask, struct error *err)
{
	*mask = 0;
	if (!v || !*v)
		return 0;
	const char *p = v;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		int found = -1;
		for (int k = 0; k < count; k++) {
			size_t nl = strlen(names[k]);
			/* "seizures" as well as "seizure" */
			if ((len == nl || (len == nl + 1 && p[nl] == 's')) &&
			    strncmp(p, names[k], nl) == 0)
				found = k;
			if (strcmp(names[k], "party") == 0 && len == 7 && strncmp(p, "parties", 7) == 0)
				found = k;
		}
		if (found < 0) {
			char list[160] = "";
			for (int k = 0; k < count; k++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 k ? ", " : "", names[k]);
			return error_field(err, field, "\"%.*s\" is not one of %s (comma-separated)",
					   (int)(len > 40 ? 40 : len), p, list);
		}
		*mask |= GRAPH_KIND_BIT(found);
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

struct params {
	const struct query *q;
	struct error *err;
};

static void check_known(const struct query *q, const char *const *known, struct error *err)
{
	for (size_t i = 0; i < q->n; i++) {
		int ok = 0;
		for (size_t k = 0; known[k] && !ok; k++)
			ok = strcmp(q->keys[i], known[k]) == 0;
		if (!ok) {
			char list[256] = "";
			for (size_t k = 0; known[k]; k++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 k ? ", " : "", known[k]);
			error_field(err, q->keys[i], "is not a parameter here; use %s", list);
		}
	}
}

/* node_kinds, edge_kinds, and (when dates) from/to into f. */
static void parse_filter(const struct query *q, int dates, struct graph_filter *f,
			 struct error *err)
{
	parse_kinds(query_get(q, "node_kinds"), node_kind_names, NODE_KINDS, "node_kinds",
		    &f->node_kinds, err);
	parse_kinds(query_get(q, "edge_kinds"), edge_kind_names, EDGE_KINDS, "edge_kinds",
		    &f->edge_kinds, err);
	if (!dates)
		return;
	const char *from = query_get(q, "from"), *to = query_get(q, "to");
	int32_t a = INT32_MIN + 1, b = INT32_MAX;
	if (from && *from && (a = parse_day(from, 0)) == GRAPH_DATE_NONE)
		error_field(err, "from", "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
	if (to && *to && (b = parse_day(to, 1)) == GRAPH_DATE_NONE)
		error_field(err, "to", "is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
	if ((from && *from) || (to && *to)) {
		f->has_dates = 1;
		f->date_from = a;
		f->date_to = b;
		if (a > b && a != GRAPH_DATE_NONE && b != GRAPH_DATE_NONE)
			error_field(err, "to", "is before from");
	}
}

/* ---- rendering --------------------------------------------------------------------- */

struct render {
	const struct gstate *s;
	struct store *st;
	const struct graph_filter *f;   /* the actor's access (for proving seizures) */
	struct arena *ar;
};

/* Node objects for nodes[0..n) (depth[i] when depth is not NULL). */
static json_t *render_nodes(struct render *r, const uint32_t *nodes, const uint8_t *depth,
			    size_t n, struct error *err)
{
	int *kinds = arena_alloc(r->ar, (n ? n : 1) * sizeof *kinds);
	int64_t *ids = arena_alloc(r->ar, (n ? n : 1) * sizeof *ids);
	struct store_graph_label *lab = arena_alloc(r->ar, (n ? n : 1) * sizeof *lab);
	for (size_t i = 0; i < n; i++) {
		struct graph_node_ref ref = graph_node(r->s->g, nodes[i]);
		kinds[i] = (int)ref.kind;
		ids[i] = ref.id;
	}
	if (store_graph_labels(r->st, kinds, ids, n, lab, r->ar, err) != 0)
		return NULL;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct graph_node_ref ref = { (enum graph_node_kind)kinds[i], ids[i] };
		json_t *j = json_pack("{s:s, s:s, s:I, s:s}", "id", node_name(r->ar, ref), "kind",
				      node_kind_names[kinds[i]], "record_id", (json_int_t)ids[i],
				      "label", lab[i].label ? lab[i].label : "");
		if (lab[i].type)
			json_object_set_new(j, "type", json_string(lab[i].type));
		if (lab[i].date)
			json_object_set_new(j, "date", json_string(lab[i].date));
		if (lab[i].country)
			json_object_set_new(j, "country", json_string(lab[i].country));
		if (depth)
			json_object_set_new(j, "depth", json_integer(depth[i]));
		json_array_append_new(arr, j);
	}
	return arr;
}

/* A derived edge: parties a and b (ordered by id) share identifier iid
 * (label: its value and type). */
static json_t *render_shares(struct render *r, const struct graph_edge *e, struct graph_node_ref a,
			     struct graph_node_ref b, int64_t iid, const struct store_graph_label *lab)
{
	if (b.id < a.id) {
		struct graph_node_ref x = a;
		a = b;
		b = x;
	}
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "id",
			      arena_sprintf(r->ar, "%s:%lld:%lld-%lld", edge_kind_names[EDGE_SHARES],
					    (long long)iid, (long long)a.id, (long long)b.id),
			      "source", node_name(r->ar, a), "target", node_name(r->ar, b), "kind",
			      edge_kind_names[EDGE_SHARES]);
	json_object_set_new(j, "role", lab->type ? json_string(lab->type) : json_null());
	json_object_set_new(j, "date", day_json(e->date));
	json_object_set_new(j, "provenance", json_null());
	json_t *rec = json_pack("{s:s, s:I}", "kind", "identifier", "id", (json_int_t)iid);
	if (lab->label)
		json_object_set_new(rec, "ref", json_string(lab->label));
	json_object_set_new(j, "record", rec);
	return j;
}

/* Edge objects for e[0..n), each with its record. */
static json_t *render_edges(struct render *r, const struct graph_edge *e, size_t n,
			    struct error *err)
{
	size_t m = n ? n : 1;
	int *tables = arena_alloc(r->ar, m * sizeof *tables);
	int64_t *ids = arena_alloc(r->ar, m * sizeof *ids);
	struct store_graph_link *links = arena_alloc(r->ar, m * sizeof *links);
	for (size_t i = 0; i < n; i++) {
		tables[i] = REC_TABLE(e[i].record);
		ids[i] = REC_ID(e[i].record);
		if (tables[i] == EDGE_SHARES) /* the identifier's node: its id */
			ids[i] = graph_node(r->s->g, (uint32_t)ids[i]).id;
	}
	if (store_graph_links_get(r->st, tables, ids, n, links, r->ar, err) != 0)
		return NULL;
	/* the proving seizures the actor may see, with their references */
	int *skinds = arena_alloc(r->ar, m * sizeof *skinds);
	int64_t *sids = arena_alloc(r->ar, m * sizeof *sids);
	struct store_graph_label *slab = arena_alloc(r->ar, m * sizeof *slab);
	for (size_t i = 0; i < n; i++) {
		skinds[i] = -1; /* none */
		sids[i] = 0;
		if (tables[i] == EDGE_SHARES) { /* seen with the edge (vis_edge) */
			skinds[i] = GRAPH_IDENTIFIER;
			sids[i] = ids[i];
			continue;
		}
		if (!links[i].id || !links[i].seizure_id)
			continue;
		uint32_t sn = graph_lookup(r->s->g, GRAPH_SEIZURE, links[i].seizure_id);
		if (node_seen(r->s, r->f, sn)) {
			skinds[i] = GRAPH_SEIZURE;
			sids[i] = links[i].seizure_id;
		}
	}
	if (store_graph_labels(r->st, skinds, sids, n, slab, r->ar, err) != 0)
		return NULL;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct store_graph_link *l = &links[i];
		int t = tables[i];
		if (t < 0 || t >= EDGE_KINDS)
			continue;
		struct graph_node_ref a = graph_node(r->s->g, e[i].a), b = graph_node(r->s->g, e[i].b);
		if (t == EDGE_SHARES) {
			json_array_append_new(arr, render_shares(r, &e[i], a, b, ids[i], &slab[i]));
			continue;
		}
		/* source -> target as the link reads (from -> to) */
		if (l->id && (int)b.kind == link_from_kind[t] && b.id == l->from &&
		    !((int)a.kind == link_from_kind[t] && a.id == l->from)) {
			struct graph_node_ref x = a;
			a = b;
			b = x;
		}
		json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "id",
				      arena_sprintf(r->ar, "%s:%lld", edge_kind_names[t],
						    (long long)ids[i]),
				      "source", node_name(r->ar, a), "target", node_name(r->ar, b),
				      "kind", edge_kind_names[t]);
		json_object_set_new(j, "role", l->role ? json_string(l->role) : json_null());
		json_object_set_new(j, "date", l->date ? json_string(l->date) : day_json(e[i].date));
		json_object_set_new(j, "provenance", l->source ? json_string(l->source) : json_null());
		json_t *rec;
		if (skinds[i] == GRAPH_SEIZURE && slab[i].label)
			rec = json_pack("{s:s, s:I, s:s}", "kind", "seizure", "id",
					(json_int_t)sids[i], "ref", slab[i].label);
		else
			rec = json_pack("{s:s, s:s, s:I}", "kind", "link", "table", link_table_names[t],
					"id", (json_int_t)ids[i]);
		json_object_set_new(j, "record", rec);
		json_array_append_new(arr, j);
	}
	return arr;
}

/* ---- queries ------------------------------------------------------------------------ */

static uint32_t lookup_param(const struct gstate *s, const struct graph_filter *f,
			     const char *value, const char *field, struct error *err)
{
	int kind;
	int64_t id;
	if (graph_index_parse_node(value, &kind, &id, field, err) != 0)
		return GRAPH_NONE;
	struct error e = ERROR_INIT;
	uint32_t n = graph_lookup_visible(s->g, (enum graph_node_kind)kind, id, f, &e);
	error_clear(&e);
	if (n == GRAPH_NONE)
		error_set(err, ERR_NOT_FOUND, "%s %s not found", field, value);
	return n;
}

static int q_neighbourhood(struct render *r, struct graph_work *w, const struct query *q,
			   struct graph_filter *f, json_t **out, struct error *err)
{
	static const char *const known[] = { "node", "depth", "node_kinds", "edge_kinds", "from",
					     "to", "limit", NULL };
	check_known(q, known, err);
	int64_t depth = 1, limit = 200;
	query_get_int(q, "depth", 1, 3, 1, &depth, err);
	query_get_int(q, "limit", 1, 2000, 200, &limit, err);
	parse_filter(q, 1, f, err);
	int kind;
	int64_t id;
	const char *node = query_get(q, "node");
	if (graph_index_parse_node(node, &kind, &id, "node", err) == 0 && f->node_kinds)
		f->node_kinds |= GRAPH_KIND_BIT(kind); /* the start is always shown */
	if (error_is_set(err))
		return -1;
	uint32_t start = lookup_param(r->s, f, node, "node", err);
	if (start == GRAPH_NONE)
		return -1;
	struct graph_hood_opts o = { .depth = (unsigned)depth, .max_nodes = (size_t)limit,
				     .max_edges = (size_t)limit * 5, .filter = *f };
	struct graph_hood h;
	memset(&h, 0, sizeof h);
	if (graph_neighbourhood(r->s->g, w, start, &o, &h, err) != 0)
		return -1;
	json_t *nodes = render_nodes(r, h.nodes, h.depth, h.nnodes, err);
	json_t *edges = nodes ? render_edges(r, h.edges, h.nedges, err) : NULL;
	if (!nodes || !edges) {
		json_decref(nodes);
		graph_hood_free(&h);
		return -1;
	}
	json_t *trunc = json_null();
	if (h.truncated || h.edges_cut)
		trunc = json_pack("{s:I, s:I, s:i, s:I}", "nodes_cut", (json_int_t)h.nodes_cut,
				  "edges_cut", (json_int_t)h.edges_cut, "depth", (int)h.cut_depth,
				  "links_unexplored", (json_int_t)h.links_unexplored);
	*out = json_pack("{s:s, s:I, s:o, s:o, s:o}", "node", node_name(r->ar, graph_node(r->s->g, start)),
			 "depth", (json_int_t)depth, "nodes", nodes, "edges", edges, "truncated", trunc);
	graph_hood_free(&h);
	return 0;
}

static int q_paths(struct render *r, struct graph_work *w, const struct query *q,
		   struct graph_filter *f, json_t **out, struct error *err)
{
	static const char *const known[] = { "from", "to", "k", "max_length", "node_kinds",
					     "edge_kinds", NULL };
	check_known(q, known, err);
	int64_t k = 3, maxlen = 6;
	query_get_int(q, "k", 1, 10, 3, &k, err);
	query_get_int(q, "max_length", 1, 12, 6, &maxlen, err);
	parse_filter(q, 0, f, err);
	const char *from = query_get(q, "from"), *to = query_get(q, "to");
	int kd;
	int64_t id;
	if (graph_index_parse_node(from, &kd, &id, "from", err) == 0 && f->node_kinds)
		f->node_kinds |= GRAPH_KIND_BIT(kd);
	if (graph_index_parse_node(to, &kd, &id, "to", err) == 0 && f->node_kinds)
		f->node_kinds |= GRAPH_KIND_BIT(kd);
	if (error_is_set(err))
		return -1;
	uint32_t a = lookup_param(r->s, f, from, "from", err);
	if (a == GRAPH_NONE)
		return -1;
	uint32_t b = lookup_param(r->s, f, to, "to", err);
	if (b == GRAPH_NONE)
		return -1;
	if (a == b)
		return error_field(err, "to", "is the same node as from");
	struct graph_path_opts o = { .k = (unsigned)k, .max_len = (unsigned)maxlen, .filter = *f };
	struct graph_paths ps;
	memset(&ps, 0, sizeof ps);
	if (graph_shortest_paths(r->s->g, w, a, b, &o, &ps, err) != 0)
		return -1;
	json_t *paths = json_array();
	int rc = 0;
	for (size_t i = 0; i < ps.n && rc == 0; i++) {
		const struct graph_path *p = &ps.paths[i];
		json_t *nodes = render_nodes(r, p->nodes, NULL, p->len + 1, err);
		json_t *edges = nodes ? render_edges(r, p->steps, p->len, err) : NULL;
		if (!nodes || !edges) {
			json_decref(nodes);
			rc = -1;
			break;
		}
		json_t *steps = json_array();
		for (size_t j = 0; j < p->len; j++)
			json_array_append_new(
				steps, json_pack("{s:s, s:s, s:O}", "from",
						 node_name(r->ar, graph_node(r->s->g, p->nodes[j])), "to",
						 node_name(r->ar, graph_node(r->s->g, p->nodes[j + 1])),
						 "edge", json_array_get(edges, j)));
		json_decref(edges);
		json_array_append_new(paths, json_pack("{s:I, s:o, s:o}", "length", (json_int_t)p->len,
						       "nodes", nodes, "steps", steps));
	}
	graph_paths_free(&ps);
	if (rc != 0) {
		json_decref(paths);
		return -1;
	}
	*out = json_pack("{s:s, s:s, s:I, s:o}", "from", node_name(r->ar, graph_node(r->s->g, a)),
			 "to", node_name(r->ar, graph_node(r->s->g, b)), "max_length",
			 (json_int_t)maxlen, "paths", paths);
	return 0;
}

/* Networks: per reported component, its seizures (a sample) and a member. */
enum { NET_SEIZURES_MAX = 2000 };

struct net_visit {
	size_t limit;
	struct net {
		int64_t *seizures;
		size_t n;
		int sampled;
		uint32_t member;   /* a party when there is one, else the first node */
	} *nets;
	const struct graph *g;
};

static void net_visit(void *ctx, size_t comp, const struct graph *g, uint32_t node)
{
	struct net_visit *v = ctx;
	if (comp >= v->limit)
		return;
	struct net *n = &v->nets[comp];
	struct graph_node_ref r = graph_node(g, node);
	if (n->member == GRAPH_NONE || (r.kind == GRAPH_PARTY &&
					graph_node(g, n->member).kind != GRAPH_PARTY))
		n->member = node;
	if (r.kind != GRAPH_SEIZURE)
		return;
	if (n->n >= NET_SEIZURES_MAX) {
		n->sampled = 1;
		return;
	}
	n->seizures[n->n++] = r.id;
}

struct tally {
	struct tally_row {
		const char *value;
		size_t count;
	} *rows;
	size_t n, cap;
	struct arena *ar;
};

struct facts_ctx {
	struct tally *species, *countries;
	/* a value counts once per seizure */
	const char *seen[64];
	size_t nseen;
};

static void tally_add(struct tally *t, const char *value)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].value, value) == 0) {
			t->rows[i].count++;
			return;
		}
	t->rows = arena_grow(t->ar, t->rows, t->n, &t->cap, sizeof *t->rows);
	t->rows[t->n++] = (struct tally_row){ arena_strdup(t->ar, value), 1 };
}

static int fact(void *ctx, const char *what, const char *value)
{
	struct facts_ctx *c = ctx;
	if (!value || !*value)
		return 0;
	tally_add(strcmp(what, "species") == 0 ? c->species : c->countries, value);
	return 0;
}

static int tally_cmp(const void *x, const void *y)
{
	const struct tally_row *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->value, b->value);
}

static json_t *tally_json(struct tally *t, const char *key, size_t max)
{
	if (t->n > 1)
		qsort(t->rows, t->n, sizeof *t->rows, tally_cmp);
	json_t *arr = json_array();
	for (size_t i = 0; i < t->n && i < max; i++)
		json_array_append_new(arr, json_pack("{s:s, s:I}", key, t->rows[i].value, "seizures",
						     (json_int_t)t->rows[i].count));
	return arr;
}

static int q_networks(struct render *r, struct graph_work *w, const struct query *q,
		      struct graph_filter *f, json_t **out, struct error *err)
{
	static const char *const known[] = { "node_kinds", "edge_kinds", "from", "to", "min_size",
					     "limit", NULL };
	check_known(q, known, err);
	int64_t min_size = 2, limit = 20;
	query_get_int(q, "min_size", 1, 1000000000, 2, &min_size, err);
	query_get_int(q, "limit", 1, 100, 20, &limit, err);
	parse_filter(q, 1, f, err);
	if (error_is_set(err))
		return -1;
	struct net_visit v = { .limit = (size_t)limit, .g = r->s->g };
	v.nets = arena_alloc(r->ar, (size_t)limit * sizeof *v.nets);
	for (int64_t i = 0; i < limit; i++) {
		v.nets[i] = (struct net){ .member = GRAPH_NONE };
		v.nets[i].seizures = arena_alloc(r->ar, NET_SEIZURES_MAX * sizeof(int64_t));
	}
	struct graph_components cs;
	memset(&cs, 0, sizeof cs);
	if (graph_components(r->s->g, w, f, (size_t)min_size, net_visit, &v, &cs, err) != 0)
		return -1;
	json_t *arr = json_array();
	int rc = 0;
	for (size_t i = 0; i < cs.n && i < (size_t)limit && rc == 0; i++) {
		const struct graph_component *c = &cs.comps[i];
		struct tally sp = { .ar = r->ar }, co = { .ar = r->ar };
		struct facts_ctx fc = { &sp, &co, { 0 }, 0 };
		for (size_t j = 0; j < v.nets[i].n && rc == 0; j++)
			rc = store_graph_seizure_facts(r->st, v.nets[i].seizures[j], fact, &fc, err);
		json_t *kinds = json_object();
		for (int k = 0; k < NODE_KINDS; k++)
			json_object_set_new(kinds, node_kind_names[k], json_integer((json_int_t)c->kind_count[k]));
		uint32_t member = v.nets[i].member != GRAPH_NONE ? v.nets[i].member : c->first_node;
		json_array_append_new(
			arr, json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:s, s:b}", "rank",
				       (json_int_t)i + 1, "size", (json_int_t)c->nnodes, "edges",
				       (json_int_t)c->nedges, "kinds", kinds, "first_date",
				       day_json(c->first_date), "last_date", day_json(c->last_date),
				       "species", tally_json(&sp, "name", 10), "countries",
				       tally_json(&co, "code", 10), "node",
				       node_name(r->ar, graph_node(r->s->g, member)), "sampled",
				       v.nets[i].sampled));
	}
	size_t total = cs.n;
	graph_components_free(&cs);
	if (rc != 0) {
		json_decref(arr);
		return -1;
	}
	*out = json_pack("{s:o, s:I, s:s}", "networks", arr, "total", (json_int_t)total, "note",
			 "species and countries come from the seizures in each network (at most "
			 "2000 per network; sampled says when more were left out)");
	return 0;
}

struct central_row {
	uint32_t node;
	uint32_t degree;
	double betweenness;
};

static int central_by_betweenness(const void *x, const void *y)
{
	const struct central_row *a = x, *b = y;
	if (a->betweenness != b->betweenness)
		return a->betweenness > b->betweenness ? -1 : 1;
	if (a->degree != b->degree)
		return a->degree > b->degree ? -1 : 1;
	return a->node < b->node ? -1 : a->node > b->node;
}

static int central_by_degree(const void *x, const void *y)
{
	const struct central_row *a = x, *b = y;
	if (a->degree != b->degree)
		return a->degree > b->degree ? -1 : 1;
	if (a->betweenness != b->betweenness)
		return a->betweenness > b->betweenness ? -1 : 1;
	return a->node < b->node ? -1 : a->node > b->node;
}

/* Networks above this many nodes get sampled betweenness. */
enum { CENTRAL_EXACT_MAX = 3000 };

static int q_central(struct render *r, struct graph_work *w, const struct query *q,
		     struct graph_filter *f, json_t **out, struct error *err)
{
	static const char *const known[] = { "node", "measure", "limit", "node_kinds",
					     "edge_kinds", NULL };
	check_known(q, known, err);
	int64_t limit = 20;
	query_get_int(q, "limit", 1, 100, 20, &limit, err);
	parse_filter(q, 0, f, err);
	const char *measure = query_get(q, "measure");
	if (!measure || !*measure)
		measure = "betweenness";
	int by_degree = strcmp(measure, "degree") == 0;
	if (!by_degree && strcmp(measure, "betweenness") != 0)
		error_field(err, "measure", "is degree or betweenness");
	const char *node = query_get(q, "node");
	int kd;
	int64_t id;
	if (graph_index_parse_node(node, &kd, &id, "node", err) == 0 && f->node_kinds)
		f->node_kinds |= GRAPH_KIND_BIT(kd);
	if (error_is_set(err))
		return -1;
	uint32_t start = lookup_param(r->s, f, node, "node", err);
	if (start == GRAPH_NONE)
		return -1;
	uint32_t *members = NULL;
	size_t n = graph_bfs(r->s->g, w, start, 0, f, &members, NULL, err);
	if (!n)
		return -1;
	/* sampled sources: fewer as the network grows, so the cost stays bounded */
	size_t samples = 0;
	if (!by_degree && n > CENTRAL_EXACT_MAX) {
		samples = (size_t)(20000000.0 / (double)n);
		if (samples < 16)
			samples = 16;
		if (samples > 256)
			samples = 256;
	}
	uint32_t *deg = xcalloc(n, sizeof *deg);
	double *bet = by_degree ? NULL : xcalloc(n, sizeof *bet);
	int exact = 1;
	if (graph_centrality(r->s->g, w, members, n, f, samples, 20250101, deg, bet, &exact, err) != 0) {
		free(members);
		free(deg);
		free(bet);
		return -1;
	}
	struct central_row *rows = xcalloc(n, sizeof *rows);
	for (size_t i = 0; i < n; i++)
		rows[i] = (struct central_row){ members[i], deg[i], bet ? bet[i] : 0 };
	qsort(rows, n, sizeof *rows, by_degree ? central_by_degree : central_by_betweenness);
	size_t top = n < (size_t)limit ? n : (size_t)limit;
	uint32_t *topn = arena_alloc(r->ar, (top ? top : 1) * sizeof *topn);
	for (size_t i = 0; i < top; i++)
		topn[i] = rows[i].node;
	json_t *nodes = render_nodes(r, topn, NULL, top, err);
	if (!nodes) {
		free(members);
		free(deg);
		free(bet);
		free(rows);
		return -1;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < top; i++) {
		json_t *j = json_pack("{s:O, s:I}", "node", json_array_get(nodes, i), "degree",
				      (json_int_t)rows[i].degree);
		if (!by_degree)
			json_object_set_new(j, "betweenness", json_real(round(rows[i].betweenness * 1000) / 1000));
		json_array_append_new(items, j);
	}
	json_decref(nodes);
	*out = json_pack("{s:s, s:s, s:I, s:b, s:o}", "node",
			 node_name(r->ar, graph_node(r->s->g, start)), "measure",
			 by_degree ? "degree" : "betweenness", "network_size", (json_int_t)n,
			 "exact", by_degree || exact, "items", items);
	if (!by_degree && !exact) {
		json_object_set_new(*out, "samples", json_integer((json_int_t)samples));
		json_object_set_new(*out, "note",
				    json_string("approximate: betweenness estimated from a sample of "
						"source nodes (Brandes and Pich 2007); the ranking of the "
						"top actors is reliable, the figures are estimates"));
	}
	free(members);
	free(deg);
	free(bet);
	free(rows);
	return 0;
}

int graph_index_query(struct graph_index *ix, struct store *st, const struct actor *who,
		      enum graph_index_query q, const struct query *params, json_t **out,
		      struct error *err)
{
	*out = NULL;
	struct arena ar;
	arena_init(&ar);
	struct graph_work *w = work_take(ix);
	pthread_rwlock_rdlock(&ix->lock);
	struct vis v;
	struct graph_filter f;
	actor_filter(ix->s, who, &v, &f);
	struct graph_filter access = f;
	struct render r = { ix->s, st, &access, &ar };
	int rc;
	switch (q) {
	case GRAPH_Q_NEIGHBOURHOOD: rc = q_neighbourhood(&r, w, params, &f, out, err); break;
	case GRAPH_Q_PATHS: rc = q_paths(&r, w, params, &f, out, err); break;
	case GRAPH_Q_NETWORKS: rc = q_networks(&r, w, params, &f, out, err); break;
	case GRAPH_Q_CENTRAL: rc = q_central(&r, w, params, &f, out, err); break;
	default: rc = error_set(err, ERR_BAD_REQUEST, "unknown graph query");
	}
	pthread_rwlock_unlock(&ix->lock);
	work_give(ix, w);
	arena_free(&ar);
	return rc;
}

int graph_index_connect(struct graph_index *ix, struct store *st, const struct actor *who,
			const char *const *nodes, size_t n, json_t **out, struct error *err)
{
	*out = NULL;
	if (n < 2 || n > GRAPH_MAX_TERMINALS)
		return error_field(err, "nodes", "takes 2 to %d nodes", GRAPH_MAX_TERMINALS);
	struct arena ar;
	arena_init(&ar);
	struct graph_work *w = work_take(ix);
	pthread_rwlock_rdlock(&ix->lock);
	struct vis v;
	struct graph_filter f;
	actor_filter(ix->s, who, &v, &f);
	struct render r = { ix->s, st, &f, &ar };
	uint32_t *term = arena_alloc(&ar, n * sizeof *term);
	size_t nt = 0;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char field[32];
		snprintf(field, sizeof field, "nodes[%zu]", i);
		int kind;
		int64_t id;
		if (graph_index_parse_node(nodes[i], &kind, &id, field, err) != 0)
			continue;
		struct error e = ERROR_INIT;
		uint32_t x = graph_lookup_visible(ix->s->g, (enum graph_node_kind)kind, id, &f, &e);
		error_clear(&e);
		if (x == GRAPH_NONE) {
			error_set(err, ERR_NOT_FOUND, "%s %s not found", field, nodes[i]);
			rc = -1;
			break;
		}
		int dup = 0;
		for (size_t j = 0; j < nt && !dup; j++)
			dup = term[j] == x;
		if (!dup)
			term[nt++] = x;
	}
	if (rc == 0 && error_is_set(err))
		rc = -1;
	if (rc == 0 && nt < 2)
		rc = error_field(err, "nodes", "names fewer than 2 different nodes");
	struct graph_steiner t;
	memset(&t, 0, sizeof t);
	if (rc == 0)
		rc = graph_steiner(ix->s->g, w, term, nt, NULL, &f, &t, err);
	if (rc == 0) {
		json_t *jn = render_nodes(&r, t.nodes, NULL, t.nnodes, err);
		json_t *je = jn ? render_edges(&r, t.edges, t.nedges, err) : NULL;
		if (!jn || !je) {
			json_decref(jn);
			rc = -1;
		} else {
			json_t *un = json_array();
			for (size_t i = 0; i < t.nunreached; i++)
				json_array_append_new(
					un, json_string(node_name(&ar, graph_node(ix->s->g, t.unreached[i]))));
			*out = json_pack("{s:o, s:o, s:o, s:I}", "nodes", jn, "edges", je, "unreached",
					 un, "length", (json_int_t)t.nedges);
		}
	}
	graph_steiner_free(&t);
	pthread_rwlock_unlock(&ix->lock);
	work_give(ix, w);
	arena_free(&ar);
	return rc;
}

static int u32_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

int graph_index_subgraph(struct graph_index *ix, struct store *st, const struct actor *who,
			 const char *const *names, size_t n, json_t **out, struct error *err)
{
	*out = NULL;
	struct arena ar;
	arena_init(&ar);
	struct graph_work *w = work_take(ix);
	pthread_rwlock_rdlock(&ix->lock);
	struct vis v;
	struct graph_filter f;
	actor_filter(ix->s, who, &v, &f);
	struct render r = { ix->s, st, &f, &ar };
	uint32_t *set = arena_alloc(&ar, (n ? n : 1) * sizeof *set);
	size_t ns = 0, missing = 0;
	for (size_t i = 0; i < n; i++) {
		int kind;
		int64_t id;
		struct error e = ERROR_INIT;
		uint32_t x = GRAPH_NONE;
		if (graph_index_parse_node(names[i], &kind, &id, "node", &e) == 0)
			x = graph_lookup_visible(ix->s->g, (enum graph_node_kind)kind, id, &f, &e);
		error_clear(&e);
		if (x == GRAPH_NONE)
			missing++;
		else
			set[ns++] = x;
	}
	if (ns > 1)
		qsort(set, ns, sizeof *set, u32_cmp);
	size_t k = 0; /* drop repeats */
	for (size_t i = 0; i < ns; i++)
		if (!k || set[k - 1] != set[i])
			set[k++] = set[i];
	ns = k;
	struct graph_edge *edges = NULL;
	size_t ne = 0, cap = 0;
	int rc = 0;
	for (size_t i = 0; i < ns && rc == 0; i++) {
		struct graph_hood_opts o = { .depth = 1, .filter = f };
		struct graph_hood h;
		memset(&h, 0, sizeof h);
		if ((rc = graph_neighbourhood(ix->s->g, w, set[i], &o, &h, err)) != 0)
			break;
		for (size_t j = 0; j < h.nedges; j++) {
			const struct graph_edge *e = &h.edges[j];
			uint32_t other = e->a == set[i] ? e->b : e->b == set[i] ? e->a : GRAPH_NONE;
			if (other == GRAPH_NONE || other < set[i] ||
			    !bsearch(&other, set, ns, sizeof *set, u32_cmp))
				continue;
			edges = arena_grow(&ar, edges, ne, &cap, sizeof *edges);
			edges[ne++] = *e;
		}
		graph_hood_free(&h);
	}
	if (rc == 0) {
		json_t *jn = render_nodes(&r, set, NULL, ns, err);
		json_t *je = jn ? render_edges(&r, edges, ne, err) : NULL;
		if (!jn || !je) {
			json_decref(jn);
			rc = -1;
		} else {
			*out = json_pack("{s:o, s:o, s:I}", "nodes", jn, "edges", je, "missing",
					 (json_int_t)missing);
		}
	}
	pthread_rwlock_unlock(&ix->lock);
	work_give(ix, w);
	arena_free(&ar);
	return rc;
}

/* ---- saved charts --------------------------------------------------------------------- */

int graph_chart_check(const char *name, json_t *chart, struct error *err)
{
	size_t len = name ? strlen(name) : 0;
	while (len && (name[len - 1] == ' '))
		len--;
	if (!name || !len || strspn(name, " \t") == strlen(name))
		error_field(err, "name", "is required");
	else if (strlen(name) > GRAPH_CHART_NAME_MAX)
		error_field(err, "name", "is too long (at most %d bytes)", GRAPH_CHART_NAME_MAX);
	if (!json_is_object(chart))
		return error_field(err, "chart", "is required: an object with nodes, hidden, filters");
	json_t *nodes = json_object_get(chart, "nodes");
	if (nodes && !json_is_array(nodes))
		return error_field(err, "chart.nodes", "must be a list");
	if (json_array_size(nodes) > GRAPH_CHART_MAX_NODES)
		return error_field(err, "chart.nodes", "holds at most %d nodes", GRAPH_CHART_MAX_NODES);
	for (size_t i = 0; i < json_array_size(nodes); i++) {
		json_t *nd = json_array_get(nodes, i);
		char field[48];
		snprintf(field, sizeof field, "chart.nodes[%zu].id", i);
		int kind;
		int64_t id;
		const char *s = json_string_value(json_object_get(nd, "id"));
		if (!json_is_object(nd) || !s)
			error_field(err, field, "is required (KIND:ID)");
		else
			graph_index_parse_node(s, &kind, &id, field, err);
		if (err->nfields > 20)
			break;
	}
	return error_is_set(err) ? -1 : 0;
}

static int chart_may_see(const struct actor *who, const struct store_chart *c)
{
	return who->role == ROLE_ADMIN || c->agency_id == who->agency_id;
}

static int chart_may_write(const struct actor *who, const struct store_chart *c)
{
	return who->role == ROLE_ADMIN || (c->owner_id == who->user_id && who->role != ROLE_VIEWER);
}

static char *trimmed(struct arena *ar, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(ar, s, n);
}

static int audit_chart(struct store *st, const struct actor *who, const char *action,
		       const struct store_chart *c, struct error *err)
{
	json_t *d = json_pack("{s:s}", "name", c->name ? c->name : "");
	char *detail = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	int rc = audit_append(st, who, action, "graph_chart", c->id, detail, err);
	free(detail);
	return rc;
}

int graph_chart_create(struct store *st, const struct actor *who, const char *name,
		       json_t *chart, struct store_chart *out, struct arena *ar, struct error *err)
{
	if (who->role == ROLE_VIEWER)
		return error_set(err, ERR_FORBIDDEN, "viewers cannot save charts");
	if (graph_chart_check(name, chart, err) != 0)
		return -1;
	char *body = json_dumps(chart, JSON_COMPACT);
	memset(out, 0, sizeof *out);
	out->name = trimmed(ar, name);
	out->owner_id = who->user_id;
	out->agency_id = who->agency_id;
	out->body = arena_strdup(ar, body);
	free(body);
	if (store_begin(st, err) != 0)
		return -1;
	if (store_chart_save(st, out, err) != 0 || audit_chart(st, who, "create", out, err) != 0 ||
	    store_commit(st, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return store_chart_get(st, out->id, out, ar, err);
}

int graph_chart_get(struct store *st, const struct actor *who, int64_t id,
		    struct store_chart *out, struct arena *ar, struct error *err)
{
	struct error e = ERROR_INIT;
	int rc = store_chart_get(st, id, out, ar, &e);
	if (rc != 0 && e.code != ERR_NOT_FOUND) {
		error_set(err, e.code, "%s", e.message ? e.message : "reading the chart failed");
		error_clear(&e);
		return -1;
	}
	error_clear(&e);
	if (rc != 0 || !chart_may_see(who, out))
		return error_set(err, ERR_NOT_FOUND, "chart %lld not found", (long long)id);
	return 0;
}

int graph_chart_update(struct store *st, const struct actor *who, int64_t id, const char *name,
		       json_t *chart, int64_t version, struct store_chart *out, struct arena *ar,
		       struct error *err)
{
	if (store_begin(st, err) != 0)
		return -1;
	struct store_chart cur;
	if (graph_chart_get(st, who, id, &cur, ar, err) != 0)
		goto fail;
	if (!chart_may_write(who, &cur)) {
		error_set(err, ERR_FORBIDDEN, "only the chart's owner or an admin may change it");
		goto fail;
	}
	if (version && version != cur.version) {
		error_set(err, ERR_CONFLICT, "the chart was changed by someone else meanwhile; reload it");
		goto fail;
	}
	if (!name)
		name = cur.name;
	json_t *parsed = NULL;
	if (!chart) {
		parsed = json_loads(cur.body, 0, NULL);
		chart = parsed;
	}
	int bad = graph_chart_check(name, chart, err);
	char *body = bad ? NULL : json_dumps(chart, JSON_COMPACT);
	json_decref(parsed);
	if (bad)
		goto fail;
	cur.name = trimmed(ar, name);
	cur.body = arena_strdup(ar, body);
	free(body);
	if (store_chart_save(st, &cur, err) != 0 || audit_chart(st, who, "update", &cur, err) != 0 ||
	    store_commit(st, err) != 0)
		goto fail;
	return store_chart_get(st, id, out, ar, err);
fail:
	store_rollback(st);
	return -1;
}

int graph_chart_delete(struct store *st, const struct actor *who, int64_t id, struct error *err)
{
	struct arena ar;
	arena_init(&ar);
	int rc = -1;
	if (store_begin(st, err) != 0)
		goto out;
	struct store_chart cur;
	if (graph_chart_get(st, who, id, &cur, &ar, err) != 0)
		goto fail;
	if (!chart_may_write(who, &cur)) {
		error_set(err, ERR_FORBIDDEN, "only the chart's owner or an admin may delete it");
		goto fail;
	}
	if (store_chart_delete(st, id, err) != 0 || audit_chart(st, who, "delete", &cur, err) != 0 ||
	    store_commit(st, err) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	arena_free(&ar);
	return rc;
}

int graph_chart_list(struct store *st, const struct actor *who, struct store_chart **out,
		     size_t *n, struct arena *ar, struct error *err)
{
	return store_chart_list(st, who->role == ROLE_ADMIN ? 0 : who->agency_id, out, n, ar, err);
}
