/* GET /api/v1/reports/brief?<analytics filters>&lang=&title=&marking=&chart=:
 * the intelligence brief of the filters as a PDF (src/report/brief.h), with
 * the saved network charts named by chart (repeatable, or ids joined by
 * commas; a chart the user may not see is a 404). */
#include <string.h>

#include "analytics/analytics.h"
#include "api/api.h"
#include "index/graph_index.h"
#include "lib/dynbuf.h"
#include "lib/query.h"
#include "report/brief.h"

enum { BRIEF_MAX_BYTES = 64u << 20, BRIEF_TEXT_MAX = 200 };

/* The optional text parameter `name`, at most BRIEF_TEXT_MAX bytes. */
static int text_param(struct api_ctx *c, const char *name, const char **out)
{
	const char *v = query_get(&c->req->query, name);
	*out = v && *v ? v : NULL;
	if (*out && strlen(*out) > BRIEF_TEXT_MAX)
		return error_field(&c->err, name, "must be at most %d bytes", BRIEF_TEXT_MAX);
	return 0;
}

int api_reports_brief(struct api_ctx *c)
{
	struct brief_options opt = { .lang = query_get(&c->req->query, "lang") };
	if (opt.lang && *opt.lang && strcmp(opt.lang, "en") != 0 && strcmp(opt.lang, "km") != 0)
		return error_field(&c->err, "lang", "must be en or km");
	int bad = text_param(c, "title", &opt.title) != 0;
	bad |= text_param(c, "marking", &opt.marking) != 0;
	int64_t *charts;
	size_t ncharts;
	bad |= brief_chart_ids(&c->req->query, &charts, &ncharts, c->req->arena, &c->err) != 0;
	if (bad)
		return -1;
	if (ncharts > 0) {
		if (!c->app->graph)
			return error_set(&c->err, ERR_INTERNAL, "the graph index is not built");
		if (graph_index_sync(c->app->graph, c->st, &c->err) != 0)
			return -1;
		opt.charts = charts;
		opt.ncharts = ncharts;
		opt.graph = c->app->graph;
		opt.store = c->st;
	}
	struct analytics *an = c->app->analytics;
	if (!an)
		return error_set(&c->err, ERR_INTERNAL, "the analytics columns are not built");
	if (analytics_sync(an, c->st, c->ref, &c->err) != 0)
		return -1;
	struct dynbuf out = DYNBUF_INIT(BRIEF_MAX_BYTES);
	if (brief_write(an, c->ref, &c->who, &c->req->query, &opt, seizure_write_dynbuf, &out,
			&c->err) != 0) {
		dynbuf_free(&out);
		return -1;
	}
	size_t len = out.len;
	int km = opt.lang && strcmp(opt.lang, "km") == 0;
	api_download(c, "application/pdf", km ? "kouprey-brief-km.pdf" : "kouprey-brief.pdf",
		     dynbuf_take(&out), len);
	return 0;
}
