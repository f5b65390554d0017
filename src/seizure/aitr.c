/* The CITES Annual Illegal Trade Report (see aitr.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "lib/arena.h"
#include "lib/csv.h"
#include "lib/dynbuf.h"
#include "lib/xalloc.h"
#include "ref/refdata.h"
#include "seizure/aitr.h"
#include "seizure/seizure.h"
#include "store/store.h"

enum {
	A_REPORTING, A_DATE, A_AGENCY, A_LOCATION, A_REASON, A_SPECIES, A_APPENDIX, A_TERM_CODE,
	A_TERM, A_QUANTITY, A_UNIT, A_TRANSPORT, A_DETECTION, A_CONCEALMENT, A_ORIGIN,
	A_TRANSIT, A_DESTINATION, A_NATIONALITIES, A_VALUE, A_CURRENCY, A_LEGAL, A_LAW,
	A_SANCTIONS, A_DISPOSAL, A_NOTES, A_COUNT
};

/* Titles in English (the standard format's wording) and Khmer, with the
 * column width used in the workbook. */
static const struct {
	const char *en, *km;
	double width;
} columns[A_COUNT] = {
	[A_REPORTING] = { "Reporting country", "ប្រទេសរាយការណ៍", 14 },
	[A_DATE] = { "Date of seizure", "កាលបរិច្ឆេទរឹបអូស", 12 },
	[A_AGENCY] = { "Detecting/seizing agency", "ស្ថាប័នរកឃើញ/រឹបអូស", 28 },
	[A_LOCATION] = { "Location of seizure", "ទីកន្លែងរឹបអូស", 30 },
	[A_REASON] = { "Reason for seizure", "មូលហេតុនៃការរឹបអូស", 20 },
	[A_SPECIES] = { "Species (scientific name)", "ប្រភេទ (ឈ្មោះវិទ្យាសាស្ត្រ)", 26 },
	[A_APPENDIX] = { "CITES Appendix", "ឧបសម្ព័ន្ធ CITES", 9 },
	[A_TERM_CODE] = { "Term code", "លេខកូដប្រភេទសំណាក", 8 },
	[A_TERM] = { "Description of specimens", "ការពិពណ៌នាអំពីសំណាក", 20 },
	[A_QUANTITY] = { "Quantity", "បរិមាណ", 10 },
	[A_UNIT] = { "Unit", "ឯកតា", 7 },
	[A_TRANSPORT] = { "Mode of transport", "មធ្យោបាយដឹកជញ្ជូន", 16 },
	[A_DETECTION] = { "Method of detection", "វិធីសាស្ត្ររកឃើញ", 18 },
	[A_CONCEALMENT] = { "Method of concealment", "វិធីសាស្ត្រលាក់បាំង", 24 },
	[A_ORIGIN] = { "Alleged country of origin", "ប្រទេសដើមដែលសង្ស័យ", 12 },
	[A_TRANSIT] = { "Countries of transit", "ប្រទេសឆ្លងកាត់", 12 },
	[A_DESTINATION] = { "Alleged final destination", "គោលដៅចុងក្រោយដែលសង្ស័យ", 12 },
	[A_NATIONALITIES] = { "Nationality of offenders", "សញ្ជាតិជនល្មើស", 12 },
	[A_VALUE] = { "Estimated value", "តម្លៃប៉ាន់ស្មាន", 12 },
	[A_CURRENCY] = { "Currency", "រូបិយប័ណ្ណ", 9 },
	[A_LEGAL] = { "Criminal/civil/administrative action",
		      "វិធានការព្រហ្មទណ្ឌ/រដ្ឋប្បវេណី/រដ្ឋបាល", 18 },
	[A_LAW] = { "Law under which charges were brought", "ច្បាប់ដែលប្រើសម្រាប់ចោទប្រកាន់", 26 },
	[A_SANCTIONS] = { "Sanctions", "ទោសទណ្ឌ", 24 },
	[A_DISPOSAL] = { "Disposal of confiscated specimens", "ការចាត់ចែងសំណាកដែលបានរឹបអូស", 20 },
	[A_NOTES] = { "Additional information", "ព័ត៌មានបន្ថែម", 40 },
};

size_t aitr_column_count(void)
{
	return A_COUNT;
}

static int is_km(const char *lang)
{
	return lang && strcmp(lang, "km") == 0;
}

const char *aitr_column_title(size_t i, const char *lang)
{
	if (i >= A_COUNT)
		return NULL;
	return is_km(lang) ? columns[i].km : columns[i].en;
}

int aitr_format_parse(const char *name, enum aitr_format *out)
{
	if (name && strcasecmp(name, "csv") == 0)
		*out = AITR_CSV;
	else if (name && strcasecmp(name, "xlsx") == 0)
		*out = AITR_XLSX;
	else
		return -1;
	return 0;
}

const char *aitr_format_mime(enum aitr_format f)
{
	return f == AITR_XLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			      : "text/csv; charset=utf-8";
}

/* ---- values -------------------------------------------------------------- */

struct report {
	const struct refdata *ref;
	int km;
	const char *reporting;
	/* CSV */
	struct dynbuf buf;
	seizure_write_fn write;
	void *ctx;
	int failed;
	/* XLSX */
	lxw_worksheet *sheet;
	lxw_format *text;
	uint32_t row;
	size_t rows;
};

static const char *pick(int km, const char *en, const char *kmname)
{
	return km && kmname && *kmname ? kmname : en;
}

static const char *vocab_name(const struct report *r, const char *vocab, const char *code)
{
	if (!code || !*code)
		return "";
	const struct code_entry *e;
	size_t n = refdata_vocab(r->ref, vocab, &e);
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].code, code) == 0)
			return pick(r->km, e[i].name_en, e[i].name_km);
	return code;
}

/* "KH;VN" -> "KH, VN" */
static const char *country_list(struct arena *a, const char *list)
{
	if (!list || !*list)
		return "";
	size_t n = strlen(list), extra = 0;
	for (size_t i = 0; i < n; i++)
		extra += list[i] == ';';
	char *out = arena_alloc(a, n + extra + 1), *p = out;
	for (size_t i = 0; i < n; i++) {
		if (list[i] == ';') {
			*p++ = ',';
			*p++ = ' ';
		} else {
			*p++ = list[i];
		}
	}
	*p = '\0';
	return out;
}

static const char *location(struct arena *a, const struct seizure *s)
{
	struct dynbuf b = DYNBUF_INIT(1 << 16);
	if (s->place && *s->place)
		dynbuf_adds(&b, s->place);
	if (s->province && *s->province)
		dynbuf_addf(&b, "%s%s", b.len ? ", " : "", s->province);
	if (s->locode && *s->locode)
		dynbuf_addf(&b, b.len ? " (%s)" : "%s", s->locode);
	const char *out = arena_strdup(a, dynbuf_str(&b));
	dynbuf_free(&b);
	return out;
}

static void format_number(char *buf, size_t size, double v)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, size, "%.0f", v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static void flush_csv(struct report *r, int force)
{
	if (!r->write || (!force && r->buf.len < 32768) || !r->buf.len)
		return;
	if (!r->failed && r->write(r->ctx, r->buf.buf, r->buf.len) != 0)
		r->failed = 1;
	dynbuf_reset(&r->buf);
}

static int one_seizure(void *ctx, const struct seizure *s)
{
	struct report *r = ctx;
	struct arena a;
	arena_init(&a);
	const char *v[A_COUNT];
	char value[40] = "";
	if (s->has_value)
		format_number(value, sizeof value, s->value_amount);
	v[A_REPORTING] = r->reporting;
	v[A_DATE] = s->date ? s->date : "";
	v[A_AGENCY] = s->agency ? s->agency : "";
	v[A_LOCATION] = location(&a, s);
	v[A_REASON] = vocab_name(r, "reason", s->reason);
	v[A_TRANSPORT] = vocab_name(r, "transport_mode", s->transport_mode);
	v[A_DETECTION] = vocab_name(r, "detection_method", s->detection_method);
	if (s->concealment && *s->concealment)
		v[A_CONCEALMENT] = s->concealment;
	else
		v[A_CONCEALMENT] = vocab_name(r, "concealment", s->concealment_code);
	v[A_ORIGIN] = country_list(&a, s->origin);
	v[A_TRANSIT] = country_list(&a, s->transit);
	v[A_DESTINATION] = country_list(&a, s->destination);
	v[A_NATIONALITIES] = country_list(&a, s->offender_nationalities);
	v[A_VALUE] = value;
	v[A_CURRENCY] = s->value_currency ? s->value_currency : "";
	v[A_LEGAL] = vocab_name(r, "legal_action", s->legal_action);
	v[A_LAW] = s->law ? s->law : "";
	v[A_SANCTIONS] = s->sanctions ? s->sanctions : "";
	v[A_DISPOSAL] = vocab_name(r, "disposal", s->disposal);
	v[A_NOTES] = s->notes ? s->notes : "";
	for (size_t i = 0; i < s->nitems; i++) {
		const struct seizure_item *it = &s->items[i];
		const struct taxon *t = refdata_taxon_by_id(r->ref, it->taxon_id);
		const struct code_entry *term = it->term ? refdata_term(r->ref, it->term) : NULL;
		char qty[40];
		format_number(qty, sizeof qty, it->quantity);
		v[A_SPECIES] = t ? t->full_name : it->taxon_name ? it->taxon_name : "";
		v[A_APPENDIX] = t && t->listing ? t->listing : "";
		v[A_TERM_CODE] = it->term ? it->term : "";
		v[A_TERM] = term ? pick(r->km, term->name_en, term->name_km) : "";
		v[A_QUANTITY] = qty;
		v[A_UNIT] = it->unit ? it->unit : "";
		r->rows++;
		if (r->sheet) {
			r->row++;
			for (int c = 0; c < A_COUNT; c++) {
				if ((c == A_QUANTITY || (c == A_VALUE && s->has_value)) && *v[c]) {
					double num = c == A_QUANTITY ? it->quantity : s->value_amount;
					if (worksheet_write_number(r->sheet, r->row, (lxw_col_t)c, num,
								   NULL) != LXW_NO_ERROR)
						r->failed = 1;
				} else if (*v[c] && worksheet_write_string(r->sheet, r->row, (lxw_col_t)c,
									   v[c], r->text) != LXW_NO_ERROR) {
					r->failed = 1;
				}
			}
		} else {
			if (csv_put_record(&r->buf, v, A_COUNT) != 0)
				r->failed = 1;
			flush_csv(r, 0);
		}
	}
	arena_free(&a);
	return r->failed;
}

/* ---- the report ---------------------------------------------------------- */

static int copy_file_to_sink(const char *path, seizure_write_fn write, void *ctx,
			     struct error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_set(err, ERR_IO, "cannot read the workbook: %s", strerror(errno));
	char buf[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (write(ctx, buf, n) != 0) {
			rc = error_set(err, ERR_IO, "writing the report failed");
			break;
		}
	if (rc == 0 && ferror(f))
		rc = error_set(err, ERR_IO, "cannot read the workbook");
	fclose(f);
	return rc;
}

int aitr_report(struct store *st, const struct refdata *ref, const struct actor *who,
		const struct aitr_options *opt, seizure_write_fn write, void *ctx,
		size_t *rows_out, struct error *err)
{
	if (rows_out)
		*rows_out = 0;
	if (opt->year < 1900 || opt->year > 9999)
		return error_field(err, "year", "must be a year such as 2024");
	if (opt->lang && strcmp(opt->lang, "en") != 0 && strcmp(opt->lang, "km") != 0)
		return error_field(err, "lang", "must be en or km");

	struct report r;
	memset(&r, 0, sizeof r);
	r.ref = ref;
	r.km = is_km(opt->lang);
	dynbuf_init(&r.buf, (size_t)1 << 30);

	char *country = NULL;
	struct error e = ERROR_INIT;
	if (store_setting_get(st, "country", &country, &e) != 0)
		country = xstrdup("KH");
	error_clear(&e);
	const struct country *c = refdata_country(ref, country);
	r.reporting = c ? pick(r.km, c->name_en, c->name_km) : country;

	struct seizure_filter f;
	memset(&f, 0, sizeof f);
	char from[16], to[16];
	snprintf(from, sizeof from, "%04d-01-01", opt->year);
	snprintf(to, sizeof to, "%04d-12-31", opt->year);
	f.from = from;
	f.to = to;

	int rc = -1;
	char *path = NULL;
	lxw_workbook *wb = NULL;
	if (opt->format == AITR_XLSX) {
		const char *tmp = getenv("TMPDIR");
		if (!tmp || !*tmp)
			tmp = "/tmp";
		path = xasprintf("%s/kouprey-aitr-XXXXXX.xlsx", tmp);
		int fd = mkstemps(path, 5);
		if (fd < 0) {
			error_set(err, ERR_IO, "cannot create a temporary file in %s: %s", tmp,
				  strerror(errno));
			goto out;
		}
		close(fd);
		lxw_workbook_options wo = { .constant_memory = 1, .tmpdir = (char *)tmp };
		wb = workbook_new_opt(path, &wo);
		char name[32];
		snprintf(name, sizeof name, "AITR %04d", opt->year);
		r.sheet = wb ? workbook_add_worksheet(wb, name) : NULL;
		if (!r.sheet) {
			error_set(err, ERR_IO, "cannot create the workbook");
			goto out;
		}
		lxw_format *bold = workbook_add_format(wb);
		format_set_bold(bold);
		format_set_text_wrap(bold);
		format_set_align(bold, LXW_ALIGN_VERTICAL_TOP);
		r.text = workbook_add_format(wb);
		format_set_num_format(r.text, "@");
		for (int k = 0; k < A_COUNT; k++) {
			worksheet_set_column(r.sheet, (lxw_col_t)k, (lxw_col_t)k, columns[k].width,
					     NULL);
			worksheet_write_string(r.sheet, 0, (lxw_col_t)k,
					       r.km ? columns[k].km : columns[k].en, bold);
		}
		worksheet_freeze_panes(r.sheet, 1, 0);
	} else {
		r.write = write;
		r.ctx = ctx;
		const char *head[A_COUNT];
		for (int k = 0; k < A_COUNT; k++)
			head[k] = r.km ? columns[k].km : columns[k].en;
		csv_put_record(&r.buf, head, A_COUNT);
	}

	if (store_seizure_each(st, who, &f, one_seizure, &r, err) != 0)
		goto out;
	if (r.failed) {
		error_set(err, ERR_IO, "writing the report failed");
		goto out;
	}
	if (wb) {
		lxw_error le = workbook_close(wb);
		wb = NULL;
		if (le != LXW_NO_ERROR) {
			error_set(err, ERR_IO, "cannot write the workbook: %s", lxw_strerror(le));
			goto out;
		}
		if (copy_file_to_sink(path, write, ctx, err) != 0)
			goto out;
	} else {
		flush_csv(&r, 1);
		if (r.failed) {
			error_set(err, ERR_IO, "writing the report failed");
			goto out;
		}
	}
	if (rows_out)
		*rows_out = r.rows;
	rc = 0;
out:
	if (wb)
		workbook_close(wb);
	if (path) {
		unlink(path);
		free(path);
	}
	dynbuf_free(&r.buf);
	free(country);
	return rc;
}
