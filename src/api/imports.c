/* /api/v1/imports, /api/v1/exports/seizures, /api/v1/reports/aitr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "index/seizure_index.h"
#include "lib/dynbuf.h"
#include "lib/sha256.h"
#include "lib/table.h"
#include "seizure/aitr.h"
#include "seizure/export.h"
#include "seizure/filter.h"
#include "seizure/import.h"

enum { EXPORT_MAX_BYTES = 1024u << 20 };

static int flag(struct api_ctx *c, const char *name, int def, int *out)
{
	const char *v = query_get(&c->req->query, name);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0) {
		*out = 1;
		return 0;
	}
	if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0) {
		*out = 0;
		return 0;
	}
	return error_field(&c->err, name, "must be 1 or 0 (true or false)");
}

int api_imports_create(struct api_ctx *c)
{
	if (api_require_role(c, ROLE_ANALYST) != 0)
		return -1;
	struct import_options opt = { 0 };
	int bad = flag(c, "dry_run", 1, &opt.dry_run) != 0;
	bad |= flag(c, "skip_invalid", 0, &opt.skip_invalid) != 0;
	if (bad)
		return -1;
	if (c->req->body_len == 0)
		return error_set(&c->err, ERR_BAD_REQUEST,
				 "send the CSV or XLSX file as the request body");
	const char *name = query_get(&c->req->query, "filename");
	opt.filename = name && *name ? name : "upload";
	char hex[SHA256_HEX_SIZE];
	sha256_hex(c->req->body, c->req->body_len, hex);
	opt.sha256 = hex;
	struct dynbuf rejects = DYNBUF_INIT(256u << 20);
	if (opt.skip_invalid) {
		opt.rejects = seizure_write_dynbuf;
		opt.rejects_ctx = &rejects;
	}
	struct table_reader *in = table_open_mem(c->req->body, c->req->body_len, &c->err);
	if (!in)
		return -1;
	struct import_report rep = { 0 };
	int rc = seizure_import(c->st, c->ref, &c->who, in, &opt, &rep, &c->err);
	table_close(in);
	struct error ie = ERROR_INIT;
	if (rep.committed && c->app->index && seizure_index_refresh(c->app->index, c->st, 0, &ie) != 0)
		fprintf(stderr, "kouprey: rebuilding the list index failed: %s\n",
			ie.message ? ie.message : "?");
	error_clear(&ie);
	if (rc == 0 || rep.nerrors || rep.rows) {
		/* the report is the answer, whether or not anything was written */
		error_clear(&c->err);
		api_json(c, 200, import_report_to_json(&rep, opt.skip_invalid ? dynbuf_str(&rejects) : NULL));
		rc = 0;
	}
	import_report_free(&rep);
	dynbuf_free(&rejects);
	return rc;
}

int api_exports_seizures(struct api_ctx *c)
{
	static const char *const extra[] = { "format", NULL };
	struct seizure_filter f;
	if (seizure_filter_parse(c->ref, &c->req->query, extra, &f, c->req->arena, &c->err) != 0)
		return -1;
	enum export_format format = EXPORT_CSV;
	const char *fmt = query_get(&c->req->query, "format");
	if (fmt && *fmt && export_format_parse(fmt, &format) != 0)
		return error_field(&c->err, "format", "must be csv, json or geojson");
	struct dynbuf out = DYNBUF_INIT(EXPORT_MAX_BYTES);
	if (seizure_export(c->st, c->ref, &c->who, &f, format, seizure_write_dynbuf, &out,
			   &c->err) != 0) {
		if (!error_is_set(&c->err))
			error_set(&c->err, ERR_TOO_LARGE, "the export is larger than %u MiB; narrow the filters",
				  EXPORT_MAX_BYTES >> 20);
		dynbuf_free(&out);
		return -1;
	}
	size_t len = out.len;
	api_download(c, export_format_mime(format),
		     arena_sprintf(c->req->arena, "seizures.%s", export_format_ext(format)),
		     dynbuf_take(&out), len);
	return 0;
}

int api_reports_aitr(struct api_ctx *c)
{
	int64_t year;
	if (query_get_int(&c->req->query, "year", 1900, 9999, 0, &year, &c->err) != 0)
		return -1;
	if (!year)
		return error_field(&c->err, "year", "is required: the year of the report, e.g. 2025");
	struct aitr_options opt = { .year = (int)year, .lang = query_get(&c->req->query, "lang"),
				    .format = AITR_XLSX };
	if (opt.lang && *opt.lang && strcmp(opt.lang, "en") != 0 && strcmp(opt.lang, "km") != 0)
		return error_field(&c->err, "lang", "must be en or km");
	const char *fmt = query_get(&c->req->query, "format");
	if (fmt && *fmt && aitr_format_parse(fmt, &opt.format) != 0)
		return error_field(&c->err, "format", "must be xlsx or csv");
	struct dynbuf out = DYNBUF_INIT(EXPORT_MAX_BYTES);
	size_t rows = 0;
	if (aitr_report(c->st, c->ref, &c->who, &opt, seizure_write_dynbuf, &out, &rows, &c->err) != 0) {
		dynbuf_free(&out);
		return -1;
	}
	size_t len = out.len;
	api_download(c, aitr_format_mime(opt.format),
		     arena_sprintf(c->req->arena, "cites-aitr-%d%s.%s", opt.year,
				   opt.lang && strcmp(opt.lang, "km") == 0 ? "-km" : "",
				   opt.format == AITR_CSV ? "csv" : "xlsx"),
		     dynbuf_take(&out), len);
	return 0;
}
