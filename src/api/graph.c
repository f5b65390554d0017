/*
 * /api/v1/graph/...: link analysis (issue 4) from the graph index
 * (index/graph_index.h), and the network view's saved charts.
 *
 *   GET  /graph/neighbourhood?node=&depth=&node_kinds=&edge_kinds=&from=&to=&limit=
 *   GET  /graph/paths?from=&to=&k=&max_length=&node_kinds=&edge_kinds=
 *   GET  /graph/networks?node_kinds=&edge_kinds=&from=&to=&min_size=&limit=
 *   GET  /graph/central?node=&measure=degree|betweenness&limit=
 *   POST /graph/connect {"nodes":[...]}
 *   GET/POST /graph/charts, GET/PUT/DELETE /graph/charts/{id}
 *   GET  /graph/charts/{id}/export?format=graphml|entities|links
 *
 * The shapes are in docs/api.md ("Graph API").  Every answer shows only what
 * the actor may see; the index catches up with the store before answering.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "audit/viewlog.h"
#include "index/graph_index.h"
#include "lib/csv.h"
#include "lib/dynbuf.h"
#include "lib/xalloc.h"
#include "store/store.h"

static int graph_ready(struct api_ctx *c)
{
	if (!c->app->graph)
		return error_set(&c->err, ERR_INTERNAL, "the graph index is not built");
	return graph_index_sync(c->app->graph, c->st, &c->err);
}

static int answer(struct api_ctx *c, enum graph_index_query q)
{
	if (graph_ready(c) != 0)
		return -1;
	json_t *out;
	if (graph_index_query(c->app->graph, c->st, &c->who, q, &c->req->query, &out, &c->err) != 0)
		return -1;
	api_json(c, 200, out);
	return 0;
}

int api_graph_neighbourhood(struct api_ctx *c)
{
	return answer(c, GRAPH_Q_NEIGHBOURHOOD);
}

int api_graph_paths(struct api_ctx *c)
{
	return answer(c, GRAPH_Q_PATHS);
}

int api_graph_networks(struct api_ctx *c)
{
	return answer(c, GRAPH_Q_NETWORKS);
}

int api_graph_central(struct api_ctx *c)
{
	return answer(c, GRAPH_Q_CENTRAL);
}

/* The strings of a JSON list of node names (field errors otherwise). */
static const char **node_list(struct api_ctx *c, json_t *arr, const char *field, size_t *n)
{
	*n = 0;
	if (!json_is_array(arr)) {
		error_field(&c->err, field, "is required: a list of nodes such as \"party:7\"");
		return NULL;
	}
	size_t len = json_array_size(arr);
	const char **v = arena_alloc(c->req->arena, (len ? len : 1) * sizeof *v);
	for (size_t i = 0; i < len; i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		if (!s) {
			error_field(&c->err, arena_sprintf(c->req->arena, "%s[%zu]", field, i),
				    "is not a string");
			continue;
		}
		v[(*n)++] = s;
	}
	return error_is_set(&c->err) ? NULL : v;
}

int api_graph_connect(struct api_ctx *c)
{
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	size_t n;
	const char **nodes = node_list(c, json_object_get(body, "nodes"), "nodes", &n);
	int rc = -1;
	json_t *out;
	if (nodes && graph_ready(c) == 0 &&
	    graph_index_connect(c->app->graph, c->st, &c->who, nodes, n, &out, &c->err) == 0) {
		api_json(c, 200, out);
		rc = 0;
	}
	json_decref(body);
	return rc;
}

/* ---- saved charts ----------------------------------------------------------- */

static json_t *chart_json(const struct store_chart *ch, int with_body)
{
	json_t *j = json_pack("{s:I, s:s, s:I, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:s}", "id",
			      (json_int_t)ch->id, "name", ch->name, "version",
			      (json_int_t)ch->version, "owner", "id", (json_int_t)ch->owner_id,
			      "username", ch->owner ? ch->owner : "", "agency", "id",
			      (json_int_t)ch->agency_id, "name", ch->agency ? ch->agency : "",
			      "created_at", ch->created_at, "updated_at", ch->updated_at);
	json_t *body = json_loads(ch->body, 0, NULL);
	json_object_set_new(j, "nodes",
			    json_integer((json_int_t)json_array_size(json_object_get(body, "nodes"))));
	if (with_body)
		json_object_set(j, "chart", body ? body : json_object());
	json_decref(body);
	return j;
}

int api_graph_charts_list(struct api_ctx *c)
{
	struct store_chart *list;
	size_t n;
	if (graph_chart_list(c->st, &c->who, &list, &n, c->req->arena, &c->err) != 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, chart_json(&list[i], 0));
	api_json(c, 200, json_pack("{s:o}", "items", items));
	return 0;
}

/* The chart's node names (as saved). */
static const char **chart_nodes(struct api_ctx *c, const struct store_chart *ch, size_t *n,
				json_t **keep)
{
	*keep = json_loads(ch->body, 0, NULL);
	json_t *nodes = json_object_get(*keep, "nodes");
	size_t len = json_array_size(nodes);
	const char **v = arena_alloc(c->req->arena, (len ? len : 1) * sizeof *v);
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		const char *s = json_string_value(json_object_get(json_array_get(nodes, i), "id"));
		if (s)
			v[(*n)++] = s;
	}
	return v;
}

/* The chart with the graph of its nodes as the actor may see them now. */
static int chart_with_graph(struct api_ctx *c, const struct store_chart *ch, json_t **out)
{
	if (graph_ready(c) != 0)
		return -1;
	size_t n;
	json_t *keep;
	const char **names = chart_nodes(c, ch, &n, &keep);
	json_t *g;
	int rc = graph_index_subgraph(c->app->graph, c->st, &c->who, names, n, &g, &c->err);
	json_decref(keep);
	if (rc != 0)
		return -1;
	*out = chart_json(ch, 1);
	json_object_set_new(*out, "graph", g);
	return 0;
}

static int chart_input(struct api_ctx *c, json_t *body, const char **name, json_t **chart,
		       int64_t *version)
{
	static const char *const known[] = { "name", "chart", "version", NULL };
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		int ok = 0;
		for (size_t i = 0; known[i] && !ok; i++)
			ok = strcmp(key, known[i]) == 0;
		if (!ok)
			error_field(&c->err, key, "is not a field of a chart; use name, chart, version");
	}
	json_t *jn = json_object_get(body, "name");
	*name = json_string_value(jn);
	if (jn && !*name)
		error_field(&c->err, "name", "must be a string");
	*chart = json_object_get(body, "chart");
	json_t *jv = json_object_get(body, "version");
	*version = 0;
	if (jv) {
		if (!json_is_integer(jv) || json_integer_value(jv) < 1)
			error_field(&c->err, "version", "must be the version read (a positive integer)");
		else
			*version = json_integer_value(jv);
	}
	return error_is_set(&c->err) ? -1 : 0;
}

int api_graph_charts_create(struct api_ctx *c)
{
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	const char *name;
	json_t *chart;
	int64_t version;
	struct store_chart ch;
	int rc = -1;
	if (chart_input(c, body, &name, &chart, &version) == 0 &&
	    graph_chart_create(c->st, &c->who, name, chart, &ch, c->req->arena, &c->err) == 0) {
		http_set_header(c->res, "Location",
				arena_sprintf(c->req->arena, "/api/v1/graph/charts/%lld", (long long)ch.id));
		api_json(c, 201, chart_json(&ch, 1));
		rc = 0;
	}
	json_decref(body);
	return rc;
}

int api_graph_charts_get(struct api_ctx *c)
{
	struct store_chart ch;
	if (graph_chart_get(c->st, &c->who, c->id, &ch, c->req->arena, &c->err) != 0)
		return -1;
	json_t *out;
	if (chart_with_graph(c, &ch, &out) != 0)
		return -1;
	if (c->app->views)
		viewlog_record(c->app->views, &c->who, "graph_chart", ch.id);
	api_json(c, 200, out);
	return 0;
}

int api_graph_charts_update(struct api_ctx *c)
{
	json_t *body = api_body_json(c);
	if (!body)
		return -1;
	const char *name;
	json_t *chart;
	int64_t version;
	struct store_chart ch;
	int rc = -1;
	if (chart_input(c, body, &name, &chart, &version) == 0 &&
	    graph_chart_update(c->st, &c->who, c->id, name, chart, version, &ch, c->req->arena,
			       &c->err) == 0) {
		api_json(c, 200, chart_json(&ch, 1));
		rc = 0;
	}
	json_decref(body);
	return rc;
}

int api_graph_charts_delete(struct api_ctx *c)
{
	if (graph_chart_delete(c->st, &c->who, c->id, &c->err) != 0)
		return -1;
	http_set_body(c->res, 204, NULL, NULL, 0);
	return 0;
}

/* ---- exports ------------------------------------------------------------------ */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* "seizure KH-1", "identifier +85512345678" (a shared identifier) or
 * "party_identifier 12": the record that proves a link. */
static const char *record_text(struct arena *ar, json_t *edge)
{
	json_t *r = json_object_get(edge, "record");
	if (strcmp(jstr(r, "kind"), "seizure") == 0)
		return arena_sprintf(ar, "seizure %s", jstr(r, "ref"));
	if (strcmp(jstr(r, "kind"), "identifier") == 0)
		return arena_sprintf(ar, "identifier %s", jstr(r, "ref"));
	return arena_sprintf(ar, "%s %lld", jstr(r, "table"),
			     (long long)json_integer_value(json_object_get(r, "id")));
}

/* An entity's type for i2 and Gephi: Person, Organisation, Seizure, or the
 * identifier's kind (phone, container, ...). */
static const char *entity_type(json_t *node)
{
	const char *kind = jstr(node, "kind"), *type = jstr(node, "type");
	if (strcmp(kind, "seizure") == 0)
		return "Seizure";
	if (strcmp(kind, "party") == 0)
		return strcmp(type, "organisation") == 0 ? "Organisation" : "Person";
	return *type ? type : "Identifier";
}

/*
 * CSV for i2 Analyst's Notebook (import specification: one entity file,
 * one link file, columns mapped by name) and Gephi (Data Laboratory: nodes
 * table with Id and Label, edges table with Source, Target, Type):
 *   entities: Id,Label,Type,Kind,Date,Country
 *   links:    Id,Source,Target,Type,Label,Kind,Role,Date,Provenance,Record
 */
static char *export_csv(struct api_ctx *c, json_t *g, int links, size_t *len)
{
	struct dynbuf b;
	dynbuf_init(&b, 64u << 20);
	if (!links) {
		static const char *const head[] = { "Id", "Label", "Type", "Kind", "Date", "Country" };
		csv_put_record(&b, head, 6);
		json_t *nodes = json_object_get(g, "nodes");
		for (size_t i = 0; i < json_array_size(nodes); i++) {
			json_t *n = json_array_get(nodes, i);
			const char *row[6] = { jstr(n, "id"), jstr(n, "label"), entity_type(n),
					       jstr(n, "kind"), jstr(n, "date"), jstr(n, "country") };
			csv_put_record(&b, row, 6);
		}
	} else {
		static const char *const head[] = { "Id", "Source", "Target", "Type", "Label",
						    "Kind", "Role", "Date", "Provenance", "Record" };
		csv_put_record(&b, head, 10);
		json_t *edges = json_object_get(g, "edges");
		for (size_t i = 0; i < json_array_size(edges); i++) {
			json_t *e = json_array_get(edges, i);
			const char *role = jstr(e, "role");
			const char *row[10] = { jstr(e, "id"), jstr(e, "source"), jstr(e, "target"),
						"Undirected", *role ? role : jstr(e, "kind"),
						jstr(e, "kind"), role, jstr(e, "date"),
						jstr(e, "provenance"), record_text(c->req->arena, e) };
			csv_put_record(&b, row, 10);
		}
	}
	*len = b.len;
	return dynbuf_take(&b);
}

static void xml_text(struct dynbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': dynbuf_adds(b, "&amp;"); break;
		case '<': dynbuf_adds(b, "&lt;"); break;
		case '>': dynbuf_adds(b, "&gt;"); break;
		case '"': dynbuf_adds(b, "&quot;"); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
				dynbuf_addc(b, *s);
		}
	}
}

static void xml_data(struct dynbuf *b, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	dynbuf_addf(b, "      <data key=\"%s\">", key);
	xml_text(b, value);
	dynbuf_adds(b, "</data>\n");
}

/* GraphML (yEd, Gephi, Cytoscape desktop, igraph read it). */
static char *export_graphml(struct api_ctx *c, json_t *g, const char *title, size_t *len)
{
	struct dynbuf b;
	dynbuf_init(&b, 64u << 20);
	dynbuf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
	static const char *const nkeys[] = { "label", "kind", "type", "date", "country" };
	static const char *const ekeys[] = { "kind", "role", "date", "provenance", "record" };
	for (size_t i = 0; i < 5; i++)
		dynbuf_addf(&b, "  <key id=\"n_%s\" for=\"node\" attr.name=\"%s\" attr.type=\"string\"/>\n",
			    nkeys[i], nkeys[i]);
	for (size_t i = 0; i < 5; i++)
		dynbuf_addf(&b, "  <key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" attr.type=\"string\"/>\n",
			    ekeys[i], ekeys[i]);
	dynbuf_adds(&b, "  <graph id=\"");
	xml_text(&b, title);
	dynbuf_adds(&b, "\" edgedefault=\"undirected\">\n");
	json_t *nodes = json_object_get(g, "nodes"), *edges = json_object_get(g, "edges");
	for (size_t i = 0; i < json_array_size(nodes); i++) {
		json_t *n = json_array_get(nodes, i);
		dynbuf_adds(&b, "    <node id=\"");
		xml_text(&b, jstr(n, "id"));
		dynbuf_adds(&b, "\">\n");
		xml_data(&b, "n_label", jstr(n, "label"));
		xml_data(&b, "n_kind", jstr(n, "kind"));
		xml_data(&b, "n_type", entity_type(n));
		xml_data(&b, "n_date", jstr(n, "date"));
		xml_data(&b, "n_country", jstr(n, "country"));
		dynbuf_adds(&b, "    </node>\n");
	}
	for (size_t i = 0; i < json_array_size(edges); i++) {
		json_t *e = json_array_get(edges, i);
		dynbuf_adds(&b, "    <edge id=\"");
		xml_text(&b, jstr(e, "id"));
		dynbuf_adds(&b, "\" source=\"");
		xml_text(&b, jstr(e, "source"));
		dynbuf_adds(&b, "\" target=\"");
		xml_text(&b, jstr(e, "target"));
		dynbuf_adds(&b, "\">\n");
		xml_data(&b, "e_kind", jstr(e, "kind"));
		xml_data(&b, "e_role", jstr(e, "role"));
		xml_data(&b, "e_date", jstr(e, "date"));
		xml_data(&b, "e_provenance", jstr(e, "provenance"));
		xml_data(&b, "e_record", record_text(c->req->arena, e));
		dynbuf_adds(&b, "    </edge>\n");
	}
	dynbuf_adds(&b, "  </graph>\n</graphml>\n");
	*len = b.len;
	return dynbuf_take(&b);
}

int api_graph_charts_export(struct api_ctx *c)
{
	const struct query *qs = &c->req->query;
	for (size_t i = 0; i < qs->n; i++)
		if (strcmp(qs->keys[i], "format") != 0)
			error_field(&c->err, qs->keys[i], "is not a parameter here; use format");
	const char *format = query_get(qs, "format");
	if (!format || !*format)
		format = "graphml";
	int graphml = strcmp(format, "graphml") == 0, entities = strcmp(format, "entities") == 0,
	    links = strcmp(format, "links") == 0;
	if (!graphml && !entities && !links)
		error_field(&c->err, "format",
			    "is graphml, entities (i2/Gephi entities CSV) or links (i2/Gephi links CSV)");
	if (error_is_set(&c->err))
		return -1;
	struct store_chart ch;
	if (graph_chart_get(c->st, &c->who, c->id, &ch, c->req->arena, &c->err) != 0)
		return -1;
	json_t *out;
	if (chart_with_graph(c, &ch, &out) != 0)
		return -1;
	json_t *g = json_object_get(out, "graph");
	size_t len;
	char *body;
	const char *file;
	if (graphml) {
		body = export_graphml(c, g, ch.name, &len);
		file = arena_sprintf(c->req->arena, "chart-%lld.graphml", (long long)ch.id);
	} else {
		body = export_csv(c, g, links, &len);
		file = arena_sprintf(c->req->arena, "chart-%lld-%s.csv", (long long)ch.id,
				     links ? "links" : "entities");
	}
	json_decref(out);
	if (c->app->views)
		viewlog_record(c->app->views, &c->who, "graph_chart", ch.id);
	api_download(c, graphml ? "application/graphml+xml; charset=utf-8" : "text/csv; charset=utf-8",
		     file, body, len);
	return 0;
}
