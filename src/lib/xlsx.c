/*
 * xlsx.c - the first worksheet of an XLSX workbook, row by row (see xlsx.h).
 */
#include "lib/xlsx.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "lib/dynbuf.h"
#include "lib/xalloc.h"

/* Caps on uncompressed bytes read from each part. */
#define CAP_SHEET ((uint64_t)512 << 20)
#define CAP_SHARED ((uint64_t)64 << 20)
#define CAP_SMALL ((uint64_t)16 << 20)   /* workbook, rels, styles */
#define CAP_CELL ((size_t)1 << 20)        /* text of one cell */
#define CAP_ROW ((size_t)16 << 20)        /* text of one row */
#define MAX_COLS 16384                    /* XFD */

/* One part of the ZIP being parsed: libxml2 pulls its bytes through part_read. */
struct part {
	const char *name;
	zip_file_t *zf;
	uint64_t size;      /* uncompressed size claimed by the ZIP */
	uint64_t read;
	uint64_t cap;
	int too_large;
	int zip_failed;
	char zip_msg[160];
	char *xml_msg;      /* first error libxml2 reported */
	xmlTextReaderPtr xr;
};

struct rel {
	char *id, *type, *target;
};

struct xlsx_reader {
	zip_t *zip;
	int date1904;
	int failed;
	int done;

	/* Shared strings: NUL-terminated, one after the other in sst. */
	struct dynbuf sst;
	size_t *sst_off;
	size_t nsst, sst_cap;

	/* Per cellXfs entry: 1 when its number format is a date. */
	unsigned char *xf_date;
	size_t nxf;

	struct part sheet;

	/* Current row. */
	size_t row_num;         /* sheet row number of the row being read */
	size_t nrows;           /* rows returned */
	char *rbuf;             /* cell texts, NUL-terminated; rbuf[0] is "" */
	size_t rlen, rcap;
	size_t *slot_off;       /* per column: offset in rbuf, 0 when empty */
	size_t *slot_len;
	size_t ncols;           /* 1 + last column holding text */
	size_t slot_cap;
	char **fields;
	size_t *lens;
	size_t fcap;

	/* Current cell. */
	struct dynbuf cell;
	size_t col;             /* 0-based */
	size_t last_col;        /* column of the previous cell + 1 */
	char ctype[16];
	size_t style;
	int has_style;
	int in_row, in_cell, in_v, in_is, in_t, in_rph;
};

/* ---- parts --------------------------------------------------------------- */

static void xml_error_cb(void *arg, const char *msg, xmlParserSeverities severity,
			 xmlTextReaderLocatorPtr loc)
{
	struct part *p = arg;
	if (severity != XML_PARSER_SEVERITY_ERROR && severity != XML_PARSER_SEVERITY_VALIDITY_ERROR)
		return;
	if (p->xml_msg)
		return;
	char *m = xstrdup(msg ? msg : "XML error");
	size_t n = strlen(m);
	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
	p->xml_msg = m;
}

static int part_read(void *ctx, char *buf, int len)
{
	struct part *p = ctx;
	if (len <= 0)
		return 0;
	zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		p->zip_failed = 1;
		snprintf(p->zip_msg, sizeof p->zip_msg, "%s", zip_file_strerror(p->zf));
		return -1;
	}
	p->read += (uint64_t)n;
	if (p->read > p->cap) {
		p->too_large = 1;
		return -1;
	}
	return (int)n;
}

static int part_close_cb(void *ctx)
{
	return 0;
}

static void part_close(struct part *p)
{
	if (p->xr)
		xmlFreeTextReader(p->xr);
	if (p->zf)
		zip_fclose(p->zf);
	free(p->xml_msg);
	memset(p, 0, sizeof *p);
}

/*
 * Opens a part of the ZIP for streaming.  0 on success, 1 when the part does
 * not exist (nothing set), -1 on error.
 */
static int part_open(struct xlsx_reader *x, struct part *p, const char *name, uint64_t cap,
		     struct error *err)
{
	memset(p, 0, sizeof *p);
	p->name = name;
	p->cap = cap;
	zip_int64_t idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return 1;
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) {
		p->size = st.size;
		if (st.size > cap)
			return error_set(err, ERR_TOO_LARGE,
					 "not a valid XLSX file: %s is larger than %llu MiB uncompressed",
					 name, (unsigned long long)(cap >> 20));
	}
	p->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
	if (!p->zf) {
		zip_error_t *ze = zip_get_error(x->zip);
		int code = zip_error_code_zip(ze);
		if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP || code == ZIP_ER_WRONGPASSWD)
			return error_set(err, ERR_BAD_REQUEST,
					 "not a valid XLSX file: the workbook is encrypted");
		return error_set(err, ERR_BAD_REQUEST, "not a valid XLSX file: cannot read %s: %s",
				 name, zip_error_strerror(ze));
	}
	p->xr = xmlReaderForIO(part_read, part_close_cb, p, NULL, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
	if (!p->xr) {
		part_close(p);
		return error_set(err, ERR_BAD_REQUEST, "not a valid XLSX file: cannot parse %s", name);
	}
	xmlTextReaderSetErrorHandler(p->xr, xml_error_cb, p);
	return 0;
}

/* Why the last read of p failed, for a message. */
static const char *part_why(const struct part *p)
{
	if (p->zip_failed)
		return p->zip_msg;
	if (p->xml_msg)
		return p->xml_msg;
	return "malformed XML";
}

/*
 * Next node of a part: 1 and the node, 0 at the end, -1 with err set (the
 * message prefixed by where).  Document type declarations are refused, so
 * no entity is ever expanded.
 */
static int part_next(struct part *p, const char *where, struct error *err)
{
	int rc = xmlTextReaderRead(p->xr);
	if (rc == 1 && xmlTextReaderNodeType(p->xr) == XML_READER_TYPE_DOCUMENT_TYPE)
		return error_set(err, ERR_BAD_REQUEST, "%s%s: DTD not allowed", where, p->name);
	if (rc >= 0)
		return rc;
	if (p->too_large)
		return error_set(err, ERR_TOO_LARGE, "%s%s is larger than %llu MiB uncompressed",
				 where, p->name, (unsigned long long)(p->cap >> 20));
	return error_set(err, ERR_BAD_REQUEST, "%s%s: %s", where, p->name, part_why(p));
}

static int is_elem(struct part *p, const char *name)
{
	return xmlTextReaderNodeType(p->xr) == XML_READER_TYPE_ELEMENT &&
	       strcmp((const char *)xmlTextReaderConstLocalName(p->xr), name) == 0;
}

static int is_end(struct part *p, const char *name)
{
	return xmlTextReaderNodeType(p->xr) == XML_READER_TYPE_END_ELEMENT &&
	       strcmp((const char *)xmlTextReaderConstLocalName(p->xr), name) == 0;
}

static int is_text(struct part *p)
{
	int t = xmlTextReaderNodeType(p->xr);
	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* The value of attribute name (local name, any namespace), malloc'd, or NULL. */
static char *attr(struct part *p, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(p->xr, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/* The r:id of a <sheet>: an "id" attribute in some namespace. */
static char *attr_rel_id(struct part *p)
{
	char *id = NULL;
	if (xmlTextReaderMoveToFirstAttribute(p->xr) != 1)
		return NULL;
	do {
		const char *ln = (const char *)xmlTextReaderConstLocalName(p->xr);
		const char *ns = (const char *)xmlTextReaderConstNamespaceUri(p->xr);
		if (ln && ns && strcmp(ln, "id") == 0) {
			const char *v = (const char *)xmlTextReaderConstValue(p->xr);
			id = xstrdup(v ? v : "");
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(p->xr) == 1);
	xmlTextReaderMoveToElement(p->xr);
	return id;
}

/*
 * Copies attributes "r", "t", "s" of the current element into small
 * buffers (values longer than the buffer are cut and flagged by a
 * truncated string of the buffer's full size).
 */
static void attrs_rts(struct part *p, char *r, char *t, char *s, size_t n)
{
	r[0] = t[0] = s[0] = '\0';
	if (xmlTextReaderMoveToFirstAttribute(p->xr) != 1)
		return;
	do {
		const char *ln = (const char *)xmlTextReaderConstLocalName(p->xr);
		if (!ln || ln[0] == '\0' || ln[1] != '\0')
			continue;
		char *dst = ln[0] == 'r' ? r : ln[0] == 't' ? t : ln[0] == 's' ? s : NULL;
		if (!dst)
			continue;
		const char *v = (const char *)xmlTextReaderConstValue(p->xr);
		snprintf(dst, n, "%s", v ? v : "");
	} while (xmlTextReaderMoveToNextAttribute(p->xr) == 1);
	xmlTextReaderMoveToElement(p->xr);
}

/* ---- workbook ------------------------------------------------------------ */

static int parse_size(const char *s, size_t *out)
{
	if (!s || !*s)
		return -1;
	size_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (SIZE_MAX - 9) / 10)
			return -1;
		v = v * 10 + (size_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int is_true(const char *s)
{
	return s && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0);
}

/* xl/workbook.xml: the r:ids of the sheets in order, and date1904. */
static int read_workbook(struct xlsx_reader *x, char ***ids, size_t *nids, struct error *err)
{
	struct part p;
	int rc = part_open(x, &p, "xl/workbook.xml", CAP_SMALL, err);
	if (rc == 1)
		return error_set(err, ERR_BAD_REQUEST,
				 "not a valid XLSX file: the ZIP archive has no xl/workbook.xml");
	if (rc < 0)
		return -1;
	size_t cap = 0;
	while ((rc = part_next(&p, "not a valid XLSX file: ", err)) == 1) {
		if (is_elem(&p, "workbookPr")) {
			char *v = attr(&p, "date1904");
			x->date1904 = is_true(v);
			free(v);
		} else if (is_elem(&p, "sheet")) {
			char *id = attr_rel_id(&p);
			if (!id)
				continue;
			if (*nids == cap) {
				cap = cap ? cap * 2 : 8;
				*ids = xreallocarray(*ids, cap, sizeof **ids);
			}
			(*ids)[(*nids)++] = id;
		}
	}
	part_close(&p);
	return rc < 0 ? -1 : 0;
}

static void free_rels(struct rel *rels, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rels[i].id);
		free(rels[i].type);
		free(rels[i].target);
	}
	free(rels);
}

/* xl/_rels/workbook.xml.rels; a missing file is an empty list. */
static int read_rels(struct xlsx_reader *x, struct rel **rels, size_t *n, struct error *err)
{
	struct part p;
	int rc = part_open(x, &p, "xl/_rels/workbook.xml.rels", CAP_SMALL, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	size_t cap = 0;
	while ((rc = part_next(&p, "not a valid XLSX file: ", err)) == 1) {
		if (!is_elem(&p, "Relationship"))
			continue;
		char *mode = attr(&p, "TargetMode");
		int external = mode && strcmp(mode, "External") == 0;
		free(mode);
		if (external)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*rels = xreallocarray(*rels, cap, sizeof **rels);
		}
		struct rel *r = &(*rels)[(*n)++];
		r->id = attr(&p, "Id");
		r->type = attr(&p, "Type");
		r->target = attr(&p, "Target");
	}
	part_close(&p);
	return rc < 0 ? -1 : 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A relationship target as a ZIP entry name (relative to xl/). */
static char *resolve_target(const char *target)
{
	if (target[0] == '/')
		return xstrdup(target + 1);
	const char *dir = "xl/";
	while (strncmp(target, "./", 2) == 0)
		target += 2;
	if (strncmp(target, "../", 3) == 0) {
		target += 3;
		dir = "";
	}
	return xasprintf("%s%s", dir, target);
}

/* ---- shared strings ------------------------------------------------------ */

static int add_shared(struct xlsx_reader *x, const char *s, size_t n, struct error *err)
{
	if (x->nsst == x->sst_cap) {
		x->sst_cap = x->sst_cap ? x->sst_cap * 2 : 256;
		x->sst_off = xreallocarray(x->sst_off, x->sst_cap, sizeof *x->sst_off);
	}
	x->sst_off[x->nsst++] = x->sst.len;
	if (dynbuf_add(&x->sst, s, n) || dynbuf_addc(&x->sst, '\0'))
		return error_set(err, ERR_TOO_LARGE, "not a valid XLSX file: shared strings larger than %llu MiB",
				 (unsigned long long)(CAP_SHARED >> 20));
	return 0;
}

static int read_shared(struct xlsx_reader *x, const char *name, struct error *err)
{
	struct part p;
	int rc = part_open(x, &p, name, CAP_SHARED, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	struct dynbuf s = DYNBUF_INIT(CAP_CELL);
	int in_si = 0, in_t = 0, in_rph = 0;
	while ((rc = part_next(&p, "not a valid XLSX file: ", err)) == 1) {
		if (is_elem(&p, "si")) {
			dynbuf_reset(&s);
			in_t = in_rph = 0;
			if (xmlTextReaderIsEmptyElement(p.xr)) {
				if (add_shared(x, "", 0, err))
					goto fail;
			} else {
				in_si = 1;
			}
		} else if (!in_si) {
			continue;
		} else if (is_end(&p, "si")) {
			in_si = 0;
			if (add_shared(x, dynbuf_str(&s), s.len, err))
				goto fail;
		} else if (is_elem(&p, "rPh")) {
			in_rph = !xmlTextReaderIsEmptyElement(p.xr);
		} else if (is_end(&p, "rPh")) {
			in_rph = 0;
		} else if (is_elem(&p, "t")) {
			in_t = !in_rph && !xmlTextReaderIsEmptyElement(p.xr);
		} else if (is_end(&p, "t")) {
			in_t = 0;
		} else if (in_t && is_text(&p)) {
			const char *v = (const char *)xmlTextReaderConstValue(p.xr);
			if (v && dynbuf_adds(&s, v)) {
				error_set(err, ERR_TOO_LARGE,
					  "not a valid XLSX file: shared string %zu is longer than %zu bytes",
					  x->nsst, CAP_CELL);
				goto fail;
			}
		}
	}
	dynbuf_free(&s);
	part_close(&p);
	return rc < 0 ? -1 : 0;
fail:
	dynbuf_free(&s);
	part_close(&p);
	return -1;
}

/* ---- styles -------------------------------------------------------------- */

/* Does a custom number format show a date?  Quoted text, [..] sections and
 * escaped characters do not count; "m" alone is a date unless the format
 * also has hours or seconds (then it is minutes). */
static int format_is_date(const char *code)
{
	int d = 0, m = 0, y = 0, h = 0, s = 0;
	for (const char *c = code; *c; c++) {
		switch (*c) {
		case '"':
			c++;
			while (*c && *c != '"')
				c++;
			if (!*c)
				goto out;
			break;
		case '[':
			while (*c && *c != ']')
				c++;
			if (!*c)
				goto out;
			break;
		case '\\':
		case '_':
		case '*':
			if (!c[1])
				goto out;
			c++;
			break;
		case 'd': case 'D': d = 1; break;
		case 'm': case 'M': m = 1; break;
		case 'y': case 'Y': y = 1; break;
		case 'h': case 'H': h = 1; break;
		case 's': case 'S': s = 1; break;
		default: break;
		}
	}
out:
	return d || y || (m && !h && !s);
}

static int builtin_is_date(size_t id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

static int read_styles(struct xlsx_reader *x, const char *name, struct error *err)
{
	struct part p;
	int rc = part_open(x, &p, name, CAP_SMALL, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	size_t *fmt_ids = NULL, nfmt = 0, fmt_cap = 0;   /* custom formats that are dates */
	size_t *xf_fmt = NULL, xf_cap = 0;
	int in_xfs = 0;
	while ((rc = part_next(&p, "not a valid XLSX file: ", err)) == 1) {
		if (is_elem(&p, "numFmt")) {
			char *id = attr(&p, "numFmtId"), *code = attr(&p, "formatCode");
			size_t v;
			if (code && parse_size(id, &v) == 0 && format_is_date(code)) {
				if (!fmt_ids || nfmt == fmt_cap) {
					fmt_cap = fmt_cap ? fmt_cap * 2 : 16;
					fmt_ids = xreallocarray(fmt_ids, fmt_cap, sizeof *fmt_ids);
				}
				fmt_ids[nfmt++] = v;
			}
			free(id);
			free(code);
		} else if (is_elem(&p, "cellXfs")) {
			in_xfs = !xmlTextReaderIsEmptyElement(p.xr);
		} else if (is_end(&p, "cellXfs")) {
			in_xfs = 0;
		} else if (in_xfs && is_elem(&p, "xf")) {
			char *id = attr(&p, "numFmtId");
			size_t v;
			if (parse_size(id, &v) < 0)
				v = 0;
			free(id);
			if (!xf_fmt || x->nxf == xf_cap) {
				xf_cap = xf_cap ? xf_cap * 2 : 16;
				xf_fmt = xreallocarray(xf_fmt, xf_cap, sizeof *xf_fmt);
			}
			xf_fmt[x->nxf++] = v;
		}
	}
	part_close(&p);
	if (rc == 0 && x->nxf && xf_fmt) {
		x->xf_date = xcalloc(x->nxf, 1);
		for (size_t i = 0; i < x->nxf; i++) {
			int date = builtin_is_date(xf_fmt[i]);
			for (size_t j = 0; !date && j < nfmt; j++)
				date = fmt_ids[j] == xf_fmt[i];
			x->xf_date[i] = (unsigned char)date;
		}
	}
	free(fmt_ids);
	free(xf_fmt);
	return rc < 0 ? -1 : 0;
}

/* ---- opening ------------------------------------------------------------- */

static struct xlsx_reader *open_zip(zip_t *zip, struct error *err)
{
	struct xlsx_reader *x = xcalloc(1, sizeof *x);
	x->zip = zip;
	dynbuf_init(&x->sst, CAP_SHARED);
	dynbuf_init(&x->cell, CAP_CELL);
	x->rbuf = xmalloc(256);
	x->rcap = 256;
	x->rbuf[0] = '\0';
	x->rlen = 1;

	char **ids = NULL;
	size_t nids = 0;
	struct rel *rels = NULL;
	size_t nrels = 0;
	char *sheet = NULL, *shared = NULL, *styles = NULL;
	int ok = 0;

	if (read_workbook(x, &ids, &nids, err) || read_rels(x, &rels, &nrels, err))
		goto done;
	/* The first <sheet> whose relationship is a worksheet. */
	for (size_t i = 0; i < nids && !sheet; i++)
		for (size_t j = 0; j < nrels; j++)
			if (rels[j].id && rels[j].target && rels[j].type &&
			    strcmp(rels[j].id, ids[i]) == 0 && ends_with(rels[j].type, "/worksheet")) {
				sheet = resolve_target(rels[j].target);
				break;
			}
	for (size_t j = 0; j < nrels; j++) {
		if (!rels[j].type || !rels[j].target)
			continue;
		if (!shared && ends_with(rels[j].type, "/sharedStrings"))
			shared = resolve_target(rels[j].target);
		else if (!styles && ends_with(rels[j].type, "/styles"))
			styles = resolve_target(rels[j].target);
	}
	if (!sheet) {
		error_set(err, ERR_BAD_REQUEST, "not a valid XLSX file: the workbook has no worksheet");
		goto done;
	}
	if (read_shared(x, shared ? shared : "xl/sharedStrings.xml", err) ||
	    read_styles(x, styles ? styles : "xl/styles.xml", err))
		goto done;
	int rc = part_open(x, &x->sheet, sheet, CAP_SHEET, err);
	if (rc == 1) {
		error_set(err, ERR_BAD_REQUEST, "not a valid XLSX file: the worksheet %s is missing", sheet);
		goto done;
	}
	if (rc < 0)
		goto done;
	/* part_open keeps the name pointer; keep it alive with the reader. */
	x->sheet.name = "the worksheet";
	ok = 1;
done:
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	free_rels(rels, nrels);
	free(sheet);
	free(shared);
	free(styles);
	if (!ok) {
		xlsx_close(x);
		return NULL;
	}
	return x;
}

static int zip_open_error(struct error *err, int code)
{
	zip_error_t ze;
	zip_error_init_with_code(&ze, code);
	error_set(err, ERR_BAD_REQUEST, "not a valid XLSX file (damaged or truncated ZIP archive: %s)",
		  zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return -1;
}

struct xlsx_reader *xlsx_open(const char *path, struct error *err)
{
	xmlInitParser();
	int code = 0;
	zip_t *zip = zip_open(path, ZIP_RDONLY, &code);
	if (!zip) {
		if (code == ZIP_ER_OPEN || code == ZIP_ER_NOENT || code == ZIP_ER_READ)
			error_set(err, ERR_IO, "cannot open %s: %s", path, strerror(errno));
		else
			zip_open_error(err, code);
		return NULL;
	}
	return open_zip(zip, err);
}

struct xlsx_reader *xlsx_open_mem(const char *data, size_t len, struct error *err)
{
	xmlInitParser();
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return zip_open_error(err, ZIP_ER_MEMORY), NULL;
	}
	zip_t *zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!zip) {
		int code = zip_error_code_zip(&ze);
		zip_source_free(src);
		zip_error_fini(&ze);
		zip_open_error(err, code);
		return NULL;
	}
	zip_error_fini(&ze);
	return open_zip(zip, err);
}

void xlsx_close(struct xlsx_reader *x)
{
	if (!x)
		return;
	part_close(&x->sheet);
	if (x->zip)
		zip_discard(x->zip);
	dynbuf_free(&x->sst);
	dynbuf_free(&x->cell);
	free(x->sst_off);
	free(x->xf_date);
	free(x->rbuf);
	free(x->slot_off);
	free(x->slot_len);
	free(x->fields);
	free(x->lens);
	free(x);
}

double xlsx_progress(const struct xlsx_reader *x)
{
	if (!x->sheet.size)
		return -1;
	double f = (double)x->sheet.read / (double)x->sheet.size;
	return f > 1 ? 1 : f;
}

/* ---- cells --------------------------------------------------------------- */

/* "A1" style column letters of a 0-based column. */
static void col_name(size_t col, char out[8])
{
	char tmp[8];
	size_t n = 0;
	col++;
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* Column of a reference such as "B3" (0-based); -1 when malformed. */
static long ref_col(const char *r)
{
	long col = 0;
	size_t n = 0;
	for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++, n++) {
		if (n == 3)
			return -1;
		col = col * 26 + ((*r | 0x20) - 'a' + 1);
	}
	if (n == 0 || col > MAX_COLS)
		return -1;
	for (; *r; r++)
		if (*r < '0' || *r > '9')
			return -1;
	return col - 1;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long yy = (long long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

/* A date serial as "YYYY-MM-DD"; 0 when out of Excel's range. */
static int serial_to_date(double v, int date1904, char out[48])
{
	/* Half a millisecond of slack for serials stored as 45000.999999999. */
	double day = floor(v + 0.5 / 86400000.0);
	long long unix_days;
	if (date1904) {
		if (day < 0 || day > 2957003)
			return 0;
		unix_days = -24107 + (long long)day;
	} else {
		if (day < 1 || day > 2958465)
			return 0;
		if (day == 60) {
			/* Excel's 29 February 1900, which never was. */
			snprintf(out, 48, "1900-02-29");
			return 1;
		}
		unix_days = -25569 + (long long)day + (day < 60 ? 1 : 0);
	}
	long long y;
	unsigned m, d;
	civil_from_days(unix_days, &y, &m, &d);
	snprintf(out, 48, "%04lld-%02u-%02u", y, m, d);
	return 1;
}

/*
 * A number as Excel shows it: 15 significant digits, which %g gives in the
 * shortest form ("12.5", "3", "0.3" for 0.30000000000000004).
 */
static void format_number(double v, char out[48])
{
	if (v == 0)
		v = 0; /* no "-0" */
	snprintf(out, 48, "%.15g", v);
}

static int parse_number(const char *s, double *out)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	if (!*s)
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static void row_reserve_cols(struct xlsx_reader *x, size_t ncols)
{
	if (ncols <= x->slot_cap)
		return;
	size_t cap = x->slot_cap ? x->slot_cap : 32;
	while (cap < ncols)
		cap *= 2;
	x->slot_off = xreallocarray(x->slot_off, cap, sizeof *x->slot_off);
	x->slot_len = xreallocarray(x->slot_len, cap, sizeof *x->slot_len);
	for (size_t i = x->slot_cap; i < cap; i++)
		x->slot_off[i] = x->slot_len[i] = 0;
	x->slot_cap = cap;
}

static int cell_error(struct xlsx_reader *x, struct error *err, enum err_code code,
		      const char *fmt, const char *detail)
{
	char col[8];
	col_name(x->col, col);
	char *what = xasprintf(fmt, detail);
	error_set(err, code, "row %zu: cell %s%zu: %s", x->row_num, col, x->row_num, what);
	free(what);
	return -1;
}

/* Turns the collected cell into text and stores it in its column. */
static int finish_cell(struct xlsx_reader *x, struct error *err)
{
	const char *raw = dynbuf_str(&x->cell);
	const char *text = raw;
	char tmp[48];
	const char *t = x->ctype;

	if (raw[0] == '\0' && strcmp(t, "inlineStr") != 0)
		return 0;
	if (strcmp(t, "s") == 0) {
		size_t idx;
		if (parse_size(raw, &idx) < 0 || idx >= x->nsst)
			return cell_error(x, err, ERR_BAD_REQUEST, "shared string index \"%s\" out of range", raw);
		text = x->sst.buf + x->sst_off[idx];
	} else if (strcmp(t, "b") == 0) {
		text = strcmp(raw, "1") == 0 ? "TRUE" : strcmp(raw, "0") == 0 ? "FALSE" : raw;
	} else if (t[0] == '\0' || strcmp(t, "n") == 0) {
		double v;
		if (parse_number(raw, &v) < 0)
			return cell_error(x, err, ERR_BAD_REQUEST, "not a number: \"%.40s\"", raw);
		int date = x->has_style && x->style < x->nxf && x->xf_date[x->style];
		if (!date || !serial_to_date(v, x->date1904, tmp))
			format_number(v, tmp);
		text = tmp;
	}
	/* inlineStr, str, e, d and unknown types: the text as it is. */

	size_t n = strlen(text);
	if (n == 0)
		return 0;
	if (n > CAP_CELL)
		return cell_error(x, err, ERR_TOO_LARGE, "longer than %s bytes", "1048576");
	if (x->rlen + n + 1 > CAP_ROW)
		return error_set(err, ERR_TOO_LARGE, "row %zu: row larger than %zu MiB", x->row_num,
				 CAP_ROW >> 20);
	if (x->rlen + n + 1 > x->rcap) {
		size_t cap = x->rcap;
		while (cap < x->rlen + n + 1)
			cap *= 2;
		x->rbuf = xrealloc(x->rbuf, cap);
		x->rcap = cap;
	}
	row_reserve_cols(x, x->col + 1);
	memcpy(x->rbuf + x->rlen, text, n + 1);
	x->slot_off[x->col] = x->rlen;
	x->slot_len[x->col] = n;
	x->rlen += n + 1;
	if (x->col + 1 > x->ncols)
		x->ncols = x->col + 1;
	return 0;
}

static int start_row(struct xlsx_reader *x, struct error *err)
{
	char rbig[24];
	char *rv = attr(&x->sheet, "r");
	snprintf(rbig, sizeof rbig, "%s", rv ? rv : "");
	free(rv);
	size_t num;
	if (rbig[0] == '\0')
		num = x->row_num + 1;
	else if (parse_size(rbig, &num) < 0 || num == 0 || num > 100000000)
		return error_set(err, ERR_BAD_REQUEST, "row %zu: bad row number \"%s\"", x->row_num + 1,
				 rbig);
	x->row_num = num;
	for (size_t i = 0; i < x->ncols; i++)
		x->slot_off[i] = x->slot_len[i] = 0;
	x->ncols = 0;
	x->rlen = 1;
	x->last_col = 0;
	x->in_row = 1;
	return 0;
}

static int start_cell(struct xlsx_reader *x, struct error *err)
{
	char r[16], t[16], s[16];
	attrs_rts(&x->sheet, r, t, s, sizeof r);
	if (r[0]) {
		long col = ref_col(r);
		if (col < 0) {
			x->col = x->last_col;
			return cell_error(x, err, ERR_BAD_REQUEST, "bad cell reference \"%s\"", r);
		}
		x->col = (size_t)col;
	} else {
		x->col = x->last_col;
		if (x->col >= MAX_COLS)
			return error_set(err, ERR_BAD_REQUEST, "row %zu: more than %d columns", x->row_num,
					 MAX_COLS);
	}
	x->last_col = x->col + 1;
	memcpy(x->ctype, t, sizeof x->ctype);
	x->has_style = parse_size(s, &x->style) == 0;
	dynbuf_reset(&x->cell);
	x->in_cell = 1;
	x->in_v = x->in_is = x->in_t = x->in_rph = 0;
	return 0;
}

/* Builds the record for the finished row; 1 when it has text, 0 when not. */
static int finish_row(struct xlsx_reader *x, struct csv_record *row)
{
	x->in_row = 0;
	if (x->ncols == 0)
		return 0;
	if (x->ncols > x->fcap) {
		size_t cap = x->fcap ? x->fcap : 32;
		while (cap < x->ncols)
			cap *= 2;
		x->fields = xreallocarray(x->fields, cap, sizeof *x->fields);
		x->lens = xreallocarray(x->lens, cap, sizeof *x->lens);
		x->fcap = cap;
	}
	for (size_t i = 0; i < x->ncols; i++) {
		x->fields[i] = x->rbuf + x->slot_off[i];
		x->lens[i] = x->slot_len[i];
	}
	row->nfields = x->ncols;
	row->fields = x->fields;
	row->lens = x->lens;
	row->line = x->row_num;
	row->index = ++x->nrows;
	return 1;
}

int xlsx_next(struct xlsx_reader *x, struct csv_record *row, struct error *err)
{
	if (x->failed)
		return error_set(err, ERR_BAD_REQUEST, "row %zu: reading stopped after an earlier error",
				 x->row_num);
	if (x->done)
		return 0;
	struct part *p = &x->sheet;
	for (;;) {
		int rc = xmlTextReaderRead(p->xr);
		if (rc == 1 && xmlTextReaderNodeType(p->xr) == XML_READER_TYPE_DOCUMENT_TYPE) {
			error_set(err, ERR_BAD_REQUEST, "not a valid XLSX file: the worksheet: DTD not allowed");
			goto fail;
		}
		if (rc < 0) {
			char where[48];
			snprintf(where, sizeof where, "row %zu: damaged sheet: ",
				 x->in_row ? x->row_num : x->row_num + 1);
			if (p->too_large)
				error_set(err, ERR_TOO_LARGE, "%sthe worksheet is larger than %llu MiB uncompressed",
					  where, (unsigned long long)(p->cap >> 20));
			else
				error_set(err, ERR_BAD_REQUEST, "%s%s", where, part_why(p));
			goto fail;
		}
		if (rc == 0) {
			x->done = 1;
			if (x->in_row && finish_row(x, row))
				return 1;
			return 0;
		}
		int type = xmlTextReaderNodeType(p->xr);
		if (type == XML_READER_TYPE_ELEMENT) {
			const char *name = (const char *)xmlTextReaderConstLocalName(p->xr);
			int empty = xmlTextReaderIsEmptyElement(p->xr);
			if (strcmp(name, "row") == 0) {
				if (x->in_row) {
					error_set(err, ERR_BAD_REQUEST, "row %zu: row inside a row", x->row_num);
					goto fail;
				}
				if (start_row(x, err))
					goto fail;
				if (empty)
					x->in_row = 0;
			} else if (!x->in_row) {
				continue;
			} else if (strcmp(name, "c") == 0) {
				if (start_cell(x, err))
					goto fail;
				if (empty) {
					x->in_cell = 0;
					if (finish_cell(x, err))
						goto fail;
				}
			} else if (!x->in_cell || empty) {
				continue;
			} else if (strcmp(name, "v") == 0) {
				x->in_v = 1;
			} else if (strcmp(name, "is") == 0) {
				x->in_is = 1;
			} else if (x->in_is && strcmp(name, "rPh") == 0) {
				x->in_rph = 1;
			} else if (x->in_is && !x->in_rph && strcmp(name, "t") == 0) {
				x->in_t = 1;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			const char *name = (const char *)xmlTextReaderConstLocalName(p->xr);
			if (strcmp(name, "sheetData") == 0) {
				x->done = 1;
				if (x->in_row && finish_row(x, row))
					return 1;
				return 0;
			} else if (!x->in_row) {
				continue;
			} else if (strcmp(name, "row") == 0) {
				if (finish_row(x, row))
					return 1;
			} else if (!x->in_cell) {
				continue;
			} else if (strcmp(name, "c") == 0) {
				x->in_cell = 0;
				if (finish_cell(x, err))
					goto fail;
			} else if (strcmp(name, "v") == 0) {
				x->in_v = 0;
			} else if (strcmp(name, "is") == 0) {
				x->in_is = 0;
			} else if (strcmp(name, "rPh") == 0) {
				x->in_rph = 0;
			} else if (strcmp(name, "t") == 0) {
				x->in_t = 0;
			}
		} else if (x->in_cell && (x->in_v || (x->in_t && !x->in_rph)) && is_text(p)) {
			const char *v = (const char *)xmlTextReaderConstValue(p->xr);
			if (v && dynbuf_adds(&x->cell, v)) {
				cell_error(x, err, ERR_TOO_LARGE, "longer than %s bytes", "1048576");
				goto fail;
			}
		}
	}
fail:
	x->failed = 1;
	return -1;
}
