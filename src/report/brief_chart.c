/* The network chart section of the brief (see brief.h, brief_add_chart). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/graph_index.h"
#include "lib/xalloc.h"
#include "report/brief.h"
#include "store/store.h"

/* What a node is drawn as: its shape and colour (the legend's rows). */
enum group {
	G_SEIZURE, G_PERSON, G_ORGANISATION, G_COMMS, G_TRANSPORT, G_DOCUMENT, G_MONEY, G_OTHER,
	G_COUNT
};

static const char *const group_keys[G_COUNT] = {
	"k_seizure", "k_person", "k_organisation", "k_comms", "k_transport", "k_document",
	"k_money", "k_address",
};

static const double group_rgb[G_COUNT][3] = {
	{ 0.70, 0.13, 0.13 }, /* seizure: red square */
	{ 0.18, 0.42, 0.23 }, /* person: green circle */
	{ 0.10, 0.30, 0.55 }, /* organisation: blue hexagon */
	{ 0.85, 0.50, 0.05 }, /* phone, e-mail, handle: orange diamond */
	{ 0.45, 0.30, 0.60 }, /* transport: purple diamond */
	{ 0.30, 0.55, 0.60 }, /* documents: teal diamond */
	{ 0.70, 0.60, 0.10 }, /* money: ochre diamond */
	{ 0.50, 0.50, 0.50 }, /* address, other: grey diamond */
};

enum { E_HOLDS, E_INVOLVED_IN, E_RELATED, E_SEEN_IN, E_SHARES, E_COUNT };
static const char *const edge_names[E_COUNT] = { "holds", "involved_in", "related", "seen_in",
						 "shares_identifier" };
static const char *const edge_keys[E_COUNT] = { "e_holds", "e_involved_in", "e_related",
						"e_seen_in", "e_shares" };
static const double edge_rgb[E_COUNT][3] = {
	{ 0.85, 0.50, 0.05 }, { 0.70, 0.13, 0.13 }, { 0.10, 0.30, 0.55 }, { 0.45, 0.45, 0.45 },
	{ 0.85, 0.50, 0.05 },
};
/* dash patterns: solid, solid, long dashes, dots, short dashes */
static const double edge_dash[E_COUNT][2] = { { 0, 0 }, { 0, 0 }, { 4, 2 }, { 1, 1.6 },
					      { 2, 2 } };

struct cnode {
	const char *id, *label;
	enum group group;
	double x, y;
	int has_pos;
};

struct cedge {
	size_t a, b;
	int kind;
	const char *role, *date;
};

struct chart {
	const char *lang, *until;
	struct cnode *nodes;
	size_t nn;
	struct cedge *edges;
	size_t ne;
	size_t missing;
	const char *first, *last; /* link dates, NULL when none */
	int undated;              /* links without a date */
};

static enum group group_of(const char *kind, const char *type)
{
	if (!kind)
		return G_OTHER;
	if (strcmp(kind, "seizure") == 0)
		return G_SEIZURE;
	if (strcmp(kind, "party") == 0)
		return type && strcmp(type, "organisation") == 0 ? G_ORGANISATION : G_PERSON;
	if (!type)
		return G_OTHER;
	static const struct {
		const char *type;
		enum group g;
	} ids[] = {
		{ "phone", G_COMMS }, { "email", G_COMMS }, { "handle", G_COMMS },
		{ "plate", G_TRANSPORT }, { "vessel", G_TRANSPORT }, { "flight", G_TRANSPORT },
		{ "container", G_TRANSPORT }, { "bill_of_lading", G_TRANSPORT },
		{ "airway_bill", G_TRANSPORT }, { "passport", G_DOCUMENT }, { "id_card", G_DOCUMENT },
		{ "bank_account", G_MONEY },
	};
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
		if (strcmp(ids[i].type, type) == 0)
			return ids[i].g;
	return G_OTHER;
}

static int edge_kind(const char *s)
{
	for (int i = 0; s && i < E_COUNT; i++)
		if (strcmp(edge_names[i], s) == 0)
			return i;
	return -1;
}

/* 1 when the comma list `list` (NULL or "": everything) holds word. */
static int in_list(const char *list, const char *word)
{
	if (!list || !*list)
		return 1;
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		const char *e = p + strcspn(p, ",");
		if ((size_t)(e - p) == n && strncmp(p, word, n) == 0)
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

/* ---- collecting ------------------------------------------------------------- */

int brief_chart_ids(const struct query *q, int64_t **out, size_t *n, struct arena *a,
		    struct error *err)
{
	*out = arena_alloc(a, BRIEF_MAX_CHARTS * sizeof **out);
	*n = 0;
	for (size_t i = 0; i < q->n; i++) {
		if (strcmp(q->keys[i], "chart") != 0)
			continue;
		const char *p = q->values[i] ? q->values[i] : "";
		do {
			char *end;
			long long v = strtoll(p, &end, 10);
			if (end == p || v < 1 || (*end && *end != ',') || (*end == ',' && !end[1]))
				return error_field(err, "chart",
						   "must be the id of a saved chart (or several, "
						   "joined by commas)");
			int dup = 0;
			for (size_t j = 0; j < *n; j++)
				dup |= (*out)[j] == v;
			if (!dup) {
				if (*n >= BRIEF_MAX_CHARTS)
					return error_field(err, "chart", "at most %d charts in a brief",
							   BRIEF_MAX_CHARTS);
				(*out)[(*n)++] = v;
			}
			p = *end ? end + 1 : end;
		} while (*p);
	}
	return 0;
}

static const char *str(json_t *o, const char *key, struct arena *a)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? arena_strdup(a, s) : NULL;
}

static size_t node_index(const struct chart *c, const char *id)
{
	for (size_t i = 0; id && i < c->nn; i++)
		if (strcmp(c->nodes[i].id, id) == 0)
			return i;
	return (size_t)-1;
}

static int draw_chart(cairo_t *cr, double x, double y, double w, double h, void *ctx);

int brief_add_chart(struct brief *b, struct graph_index *ix, struct store *st,
		    const struct actor *who, int64_t chart_id, struct arena *a, struct error *err)
{
	struct store_chart sc;
	if (graph_chart_get(st, who, chart_id, &sc, a, err) != 0)
		return -1;
	json_t *body = json_loads(sc.body ? sc.body : "{}", 0, NULL);
	json_t *nodes = json_object_get(body, "nodes"), *hidden = json_object_get(body, "hidden");
	json_t *filters = json_object_get(body, "filters");
	const char *node_kinds = json_string_value(json_object_get(filters, "node_kinds"));
	const char *edge_kinds = json_string_value(json_object_get(filters, "edge_kinds"));
	size_t len = json_array_size(nodes);
	const char **names = arena_alloc(a, (len ? len : 1) * sizeof *names);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		const char *id = json_string_value(json_object_get(json_array_get(nodes, i), "id"));
		if (!id)
			continue;
		int is_hidden = 0;
		for (size_t j = 0; j < json_array_size(hidden) && !is_hidden; j++) {
			const char *hid = json_string_value(json_array_get(hidden, j));
			is_hidden = hid && strcmp(hid, id) == 0;
		}
		if (!is_hidden)
			names[n++] = arena_strdup(a, id);
	}
	json_t *g = NULL;
	if (graph_index_subgraph(ix, st, who, names, n, &g, err) != 0) {
		json_decref(body);
		return -1;
	}
	struct chart *c = arena_alloc(a, sizeof *c);
	c->lang = b->lang;
	c->until = str(filters, "until", a);
	c->missing = (size_t)json_integer_value(json_object_get(g, "missing"));
	json_t *gn = json_object_get(g, "nodes"), *ge = json_object_get(g, "edges");
	c->nodes = arena_alloc(a, (json_array_size(gn) + 1) * sizeof *c->nodes);
	for (size_t i = 0; i < json_array_size(gn); i++) {
		json_t *o = json_array_get(gn, i);
		const char *kind = json_string_value(json_object_get(o, "kind"));
		if (!kind || !in_list(node_kinds, kind))
			continue;
		struct cnode *cn = &c->nodes[c->nn++];
		cn->id = str(o, "id", a);
		cn->label = str(o, "label", a);
		if (!cn->label || !*cn->label)
			cn->label = cn->id;
		cn->group = group_of(kind, json_string_value(json_object_get(o, "type")));
		/* the saved position */
		for (size_t j = 0; j < len; j++) {
			json_t *sn = json_array_get(nodes, j);
			const char *sid = json_string_value(json_object_get(sn, "id"));
			json_t *jx = json_object_get(sn, "x"), *jy = json_object_get(sn, "y");
			if (sid && strcmp(sid, cn->id) == 0 && json_is_number(jx) && json_is_number(jy)) {
				cn->x = json_number_value(jx);
				cn->y = json_number_value(jy);
				cn->has_pos = isfinite(cn->x) && isfinite(cn->y);
				break;
			}
		}
	}
	c->edges = arena_alloc(a, (json_array_size(ge) + 1) * sizeof *c->edges);
	for (size_t i = 0; i < json_array_size(ge); i++) {
		json_t *o = json_array_get(ge, i);
		const char *kind = json_string_value(json_object_get(o, "kind"));
		int k = edge_kind(kind);
		if (k < 0 || !in_list(edge_kinds, kind))
			continue;
		size_t ea = node_index(c, json_string_value(json_object_get(o, "source")));
		size_t eb = node_index(c, json_string_value(json_object_get(o, "target")));
		if (ea == (size_t)-1 || eb == (size_t)-1)
			continue;
		const char *date = json_string_value(json_object_get(o, "date"));
		/* the view's timeline: links dated after "until" are not shown */
		if (date && c->until && *c->until && strncmp(date, c->until, 10) > 0)
			continue;
		struct cedge *ce = &c->edges[c->ne++];
		ce->a = ea;
		ce->b = eb;
		ce->kind = k;
		ce->role = str(o, "role", a);
		ce->date = date ? arena_strdup(a, date) : NULL;
		if (!ce->date)
			c->undated++;
		else {
			if (!c->first || strcmp(ce->date, c->first) < 0)
				c->first = ce->date;
			if (!c->last || strcmp(ce->date, c->last) > 0)
				c->last = ce->date;
		}
	}
	json_decref(g);
	json_decref(body);

	size_t cap = b->nextra;
	b->extra = arena_grow(a, b->extra, b->nextra, &cap, sizeof *b->extra);
	struct brief_section *s = &b->extra[b->nextra++];
	memset(s, 0, sizeof *s);
	s->title = arena_sprintf(a, "%s: %s", brief_label(b->lang, "chart"), sc.name ? sc.name : "");
	s->height = 640;
	s->draw = draw_chart;
	s->ctx = c;
	return 0;
}

/* ---- drawing ------------------------------------------------------------------ */

static void set_rgb3(cairo_t *cr, const double *c)
{
	cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

/* The node's shape as a path centred on (x, y), radius r. */
static void shape(cairo_t *cr, enum group g, double x, double y, double r)
{
	switch (g) {
	case G_SEIZURE:
		cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
		break;
	case G_PERSON:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, r, 0, 2 * M_PI);
		break;
	case G_ORGANISATION:
		for (int i = 0; i < 6; i++) {
			double t = M_PI / 6 + i * M_PI / 3;
			if (i == 0)
				cairo_move_to(cr, x + r * 1.1 * cos(t), y + r * 1.1 * sin(t));
			else
				cairo_line_to(cr, x + r * 1.1 * cos(t), y + r * 1.1 * sin(t));
		}
		cairo_close_path(cr);
		break;
	default:
		cairo_move_to(cr, x, y - r * 1.2);
		cairo_line_to(cr, x + r * 1.2, y);
		cairo_line_to(cr, x, y + r * 1.2);
		cairo_line_to(cr, x - r * 1.2, y);
		cairo_close_path(cr);
		break;
	}
}

static void edge_style(cairo_t *cr, int k, double width)
{
	set_rgb3(cr, edge_rgb[k]);
	cairo_set_line_width(cr, width);
	if (edge_dash[k][0] > 0)
		cairo_set_dash(cr, edge_dash[k], 2, 0);
	else
		cairo_set_dash(cr, NULL, 0, 0);
}

/* A fixed order for the circle layout: by group, then label, then id. */
static int by_group_label(const void *pa, const void *pb)
{
	const struct cnode *a = *(const struct cnode *const *)pa;
	const struct cnode *b = *(const struct cnode *const *)pb;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	int c = strcmp(a->label, b->label);
	return c ? c : strcmp(a->id, b->id);
}

/* Legend rows: the groups and link kinds present, wrapped in width w.
 * Returns the height; draws when draw != 0. */
static double legend(cairo_t *cr, const struct chart *c, double x, double y, double w, int draw)
{
	int has_g[G_COUNT] = { 0 }, has_e[E_COUNT] = { 0 };
	for (size_t i = 0; i < c->nn; i++)
		has_g[c->nodes[i].group] = 1;
	for (size_t i = 0; i < c->ne; i++)
		has_e[c->edges[i].kind] = 1;
	double lx = x, ly = y, row = 13, size = 7.5;
	for (int pass = 0; pass < 2; pass++) {
		int nitems = pass == 0 ? G_COUNT : E_COUNT;
		for (int i = 0; i < nitems; i++) {
			if (pass == 0 ? !has_g[i] : !has_e[i])
				continue;
			const char *lab = brief_label(c->lang, pass == 0 ? group_keys[i] : edge_keys[i]);
			double tw;
			brief_section_text(cr, 0, 0, 0, lab, size, 0, BRIEF_LEFT, 0, 0, &tw);
			double item = 22 + tw + 12;
			if (lx > x && lx + item > x + w) {
				lx = x;
				ly += row;
			}
			if (draw) {
				if (pass == 0) {
					shape(cr, (enum group)i, lx + 8, ly + 5.5, 4);
					set_rgb3(cr, group_rgb[i]);
					cairo_fill(cr);
				} else {
					edge_style(cr, i, 1.4);
					cairo_move_to(cr, lx, ly + 5.5);
					cairo_line_to(cr, lx + 17, ly + 5.5);
					cairo_stroke(cr);
					cairo_set_dash(cr, NULL, 0, 0);
				}
				cairo_set_source_rgb(cr, 0.11, 0.14, 0.13);
				brief_section_text(cr, lx + 22, ly, 0, lab, size, 0, BRIEF_LEFT, 0, 1, NULL);
			}
			lx += item;
		}
		if (pass == 0 && lx > x) { /* link kinds on their own row */
			lx = x;
			ly += row;
		}
	}
	if (lx > x)
		ly += row;
	return ly - y;
}

static int draw_chart(cairo_t *cr, double x, double y, double w, double h, void *ctx)
{
	struct chart *c = ctx;
	const double ink[3] = { 0.11, 0.14, 0.13 }, muted[3] = { 0.34, 0.38, 0.36 };
	/* the line under the title: counts and dates */
	char line[512];
	int len = snprintf(line, sizeof line, "%zu %s, %zu %s", c->nn,
			   brief_label(c->lang, "chart_nodes"), c->ne, brief_label(c->lang, "chart_links"));
	if (c->first && len > 0 && (size_t)len < sizeof line)
		len += snprintf(line + len, sizeof line - (size_t)len, " · %s %.10s – %.10s",
				brief_label(c->lang, "chart_dates"), c->first, c->last);
	else if (c->ne > 0 && len > 0 && (size_t)len < sizeof line)
		len += snprintf(line + len, sizeof line - (size_t)len, " · %s",
				brief_label(c->lang, "chart_undated"));
	if (c->until && *c->until && len > 0 && (size_t)len < sizeof line)
		snprintf(line + len, sizeof line - (size_t)len, " (%s %.10s)",
			 brief_label(c->lang, "chart_until"), c->until);
	set_rgb3(cr, muted);
	double top = y + brief_section_text(cr, x, y, w, line, 8.5, 0, BRIEF_LEFT, 0, 1, NULL) + 2;
	if (c->missing > 0) {
		char m[256];
		snprintf(m, sizeof m, "%zu %s", c->missing, brief_label(c->lang, "chart_missing"));
		top += brief_section_text(cr, x, top, w, m, 8.5, 0, BRIEF_LEFT, 0, 1, NULL) + 2;
	}
	if (c->nn == 0) {
		set_rgb3(cr, ink);
		brief_section_text(cr, x, top + 10, w, brief_label(c->lang, "chart_empty"), 11, 0,
				   BRIEF_LEFT, 0, 1, NULL);
		return 0;
	}
	double leg_h = legend(cr, c, x, 0, w, 0);
	double box_y = top + 4, box_h = h - (box_y - y) - leg_h - 8;
	if (box_h < 100)
		box_h = 100;
	/* frame */
	cairo_set_source_rgb(cr, 0.985, 0.985, 0.975);
	cairo_rectangle(cr, x, box_y, w, box_h);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0.80, 0.83, 0.80);
	cairo_set_line_width(cr, 0.6);
	cairo_stroke(cr);

	/* sizes by how crowded the chart is */
	double r = c->nn <= 30 ? 6 : c->nn <= 120 ? 4.5 : c->nn <= 400 ? 3 : 2;
	double font = c->nn <= 30 ? 7.5 : c->nn <= 120 ? 6.5 : 5;
	double lab_w = c->nn <= 30 ? 110 : c->nn <= 120 ? 80 : 56;
	/* positions: the saved ones scaled into the box, else a circle */
	double *px = xcalloc(c->nn, sizeof *px), *py = xcalloc(c->nn, sizeof *py);
	int all_pos = 1;
	for (size_t i = 0; i < c->nn; i++)
		all_pos &= c->nodes[i].has_pos;
	double pad_x = lab_w / 2 + 4, pad_top = r + 8, pad_bottom = r + font + 10;
	double ix0 = x + pad_x, iw = w - 2 * pad_x, iy0 = box_y + pad_top,
	       ih = box_h - pad_top - pad_bottom;
	if (all_pos) {
		double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
		for (size_t i = 0; i < c->nn; i++) {
			x0 = fmin(x0, c->nodes[i].x), x1 = fmax(x1, c->nodes[i].x);
			y0 = fmin(y0, c->nodes[i].y), y1 = fmax(y1, c->nodes[i].y);
		}
		double sw = x1 - x0, sh = y1 - y0;
		double scale = fmin(sw > 0 ? iw / sw : INFINITY, sh > 0 ? ih / sh : INFINITY);
		if (!isfinite(scale))
			scale = 1;
		double ox = ix0 + (iw - sw * scale) / 2, oy = iy0 + (ih - sh * scale) / 2;
		for (size_t i = 0; i < c->nn; i++) {
			px[i] = ox + (c->nodes[i].x - x0) * scale;
			py[i] = oy + (c->nodes[i].y - y0) * scale;
		}
	} else {
		/* an array of pointers to the nodes, sorted */
		const struct cnode **order = xcalloc(c->nn, sizeof *order); // NOLINT(bugprone-sizeof-expression)
		for (size_t i = 0; i < c->nn; i++)
			order[i] = &c->nodes[i];
		qsort(order, c->nn, sizeof *order, by_group_label); // NOLINT(bugprone-sizeof-expression)
		double cx = ix0 + iw / 2, cy = iy0 + ih / 2, rad = fmin(iw, ih) / 2;
		for (size_t k = 0; k < c->nn; k++) {
			double t = c->nn == 1 ? 0 : -M_PI / 2 + 2 * M_PI * (double)k / (double)c->nn;
			size_t i = (size_t)(order[k] - c->nodes);
			px[i] = c->nn == 1 ? cx : cx + rad * cos(t);
			py[i] = c->nn == 1 ? cy : cy + rad * sin(t);
		}
		free(order);
	}
	/* links, then their roles where there is room */
	cairo_save(cr);
	cairo_rectangle(cr, x, box_y, w, box_h);
	cairo_clip(cr);
	double ew = c->ne <= 60 ? 1.0 : 0.6;
	for (size_t i = 0; i < c->ne; i++) {
		const struct cedge *e = &c->edges[i];
		edge_style(cr, e->kind, ew);
		cairo_move_to(cr, px[e->a], py[e->a]);
		cairo_line_to(cr, px[e->b], py[e->b]);
		cairo_stroke(cr);
	}
	cairo_set_dash(cr, NULL, 0, 0);
	if (c->ne <= 60) {
		for (size_t i = 0; i < c->ne; i++) {
			const struct cedge *e = &c->edges[i];
			const char *what = e->role && *e->role ? e->role : edge_names[e->kind];
			set_rgb3(cr, edge_rgb[e->kind]);
			brief_section_text(cr, (px[e->a] + px[e->b]) / 2, (py[e->a] + py[e->b]) / 2 - 8,
					   0, what, 6, 0, BRIEF_CENTER, 0, 1, NULL);
		}
	}
	/* nodes and labels */
	for (size_t i = 0; i < c->nn; i++) {
		const struct cnode *n = &c->nodes[i];
		shape(cr, n->group, px[i], py[i], r);
		set_rgb3(cr, group_rgb[n->group]);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_set_line_width(cr, 0.8);
		cairo_stroke(cr);
	}
	set_rgb3(cr, ink);
	for (size_t i = 0; i < c->nn; i++)
		brief_section_text(cr, px[i] - lab_w / 2, py[i] + r * 1.2 + 1.5, lab_w,
				   c->nodes[i].label, font, 0, BRIEF_CENTER, 1, 1, NULL);
	cairo_restore(cr);
	free(px);
	free(py);
	legend(cr, c, x, box_y + box_h + 8, w, 1);
	return 0;
}
