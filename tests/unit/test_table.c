/*
 * test_table.c - CSV and XLSX rows through lib/table.h.
 *
 * XLSX fixtures are made two ways: with libxlsxwriter (a workbook as a real
 * writer makes it) and by hand with libzip (to control every XML detail:
 * date1904, inline strings, missing references, damaged parts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "lib/dynbuf.h"
#include "lib/error.h"
#include "lib/table.h"
#include "lib/xalloc.h"

/* ---- helpers ------------------------------------------------------------- */

/* A fresh temporary file name ending in suffix; the caller unlinks and frees it. */
static char *temp_path(const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = P_tmpdir;
	char *path = xasprintf("%s/kouprey-test-XXXXXX%s", dir, suffix);
	int fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	close(fd);
	return path;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct dynbuf b = DYNBUF_INIT((size_t)1 << 30);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		assert_int_equal(dynbuf_add(&b, chunk, n), 0);
	fclose(f);
	*len = b.len;
	return dynbuf_take(&b);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Renders all rows as "[a][b]@line\n"; an error as "ERR code message". */
static char *dump_table(struct table_reader *t)
{
	struct dynbuf out = DYNBUF_INIT(1 << 24);
	struct csv_record row;
	struct error err = ERROR_INIT;
	int rc;
	size_t index = 1;
	while ((rc = table_next(t, &row, &err)) == 1) {
		assert_int_equal(row.index, index++);
		for (size_t i = 0; i < row.nfields; i++) {
			assert_int_equal(strlen(row.fields[i]), row.lens[i]);
			dynbuf_addf(&out, "[%s]", row.fields[i]);
		}
		dynbuf_addf(&out, "@%zu\n", row.line);
	}
	if (rc < 0) {
		dynbuf_addf(&out, "ERR %s %s", error_code_name(err.code), err.message);
		struct error again = ERROR_INIT;
		assert_int_equal(table_next(t, &row, &again), -1);
		error_clear(&again);
	} else {
		assert_int_equal(table_next(t, &row, &err), 0);
	}
	error_clear(&err);
	return dynbuf_take(&out);
}

static char *dump_mem(const char *data, size_t len)
{
	struct error err = ERROR_INIT;
	struct table_reader *t = table_open_mem(data, len, &err);
	if (!t) {
		char *msg = xasprintf("OPEN %s %s", error_code_name(err.code), err.message);
		error_clear(&err);
		return msg;
	}
	char *out = dump_table(t);
	table_close(t);
	return out;
}

static char *dump_path(const char *path)
{
	struct error err = ERROR_INIT;
	struct table_reader *t = table_open(path, &err);
	if (!t) {
		char *msg = xasprintf("OPEN %s %s", error_code_name(err.code), err.message);
		error_clear(&err);
		return msg;
	}
	char *out = dump_table(t);
	assert_true(table_progress(t) == -1 || table_progress(t) == 1.0);
	table_close(t);
	return out;
}

struct part {
	const char *name;
	const char *xml;
};

/* A ZIP holding parts, in memory. */
static char *make_zip(const struct part *parts, size_t n, size_t *len)
{
	char *path = temp_path(".zip");
	int code = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, parts[i].xml, strlen(parts[i].xml), 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	char *data = read_file(path, len);
	unlink(path);
	free(path);
	return data;
}

#define NS_MAIN "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define NS_REL "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char *WORKBOOK =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<workbook " NS_MAIN " " NS_REL "><workbookPr/>"
	"<sheets><sheet name=\"Seizures\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *WORKBOOK_1904 =
	"<workbook " NS_MAIN " " NS_REL "><workbookPr date1904=\"1\"/>"
	"<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *RELS =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId3\" Type=\"" REL_TYPE "sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/>"
	"<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/>"
	"</Relationships>";
static const char *SHARED =
	"<sst " NS_MAIN " count=\"3\" uniqueCount=\"3\">"
	"<si><t>species</t></si>"
	"<si><r><rPr><b/></rPr><t>Panthera</t></r><r><t xml:space=\"preserve\"> tigris</t></r></si>"
	"<si><t>ខ្លា</t><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
	"</sst>";
/* xf 0 general, 1 built-in date 14, 2 custom dd/mm/yyyy, 3 time h:mm,
 * 4 custom with quoted "d" text (not a date). */
static const char *STYLES =
	"<styleSheet " NS_MAIN "><numFmts count=\"3\">"
	"<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"h:mm\"/>"
	"<numFmt numFmtId=\"166\" formatCode=\"0.0&quot; kg dry&quot;\"/>"
	"</numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
	"<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/></cellXfs></styleSheet>";

static char *hand_xlsx(const char *workbook, const char *sheet, size_t *len)
{
	const struct part parts[] = {
		{ "[Content_Types].xml", "<Types/>" },
		{ "xl/workbook.xml", workbook },
		{ "xl/_rels/workbook.xml.rels", RELS },
		{ "xl/sharedStrings.xml", SHARED },
		{ "xl/styles.xml", STYLES },
		{ "xl/worksheets/sheet1.xml", sheet },
	};
	return make_zip(parts, sizeof parts / sizeof parts[0], len);
}

static char *dump_sheet(const char *workbook, const char *rows)
{
	char *sheet = xasprintf("<worksheet " NS_MAIN "><sheetData>%s</sheetData></worksheet>", rows);
	size_t len;
	char *data = hand_xlsx(workbook, sheet, &len);
	char *out = dump_mem(data, len);
	free(data);
	free(sheet);
	return out;
}

#define assert_sheet(workbook, rows, expected)              \
	do {                                                \
		char *got_ = dump_sheet(workbook, rows);    \
		assert_string_equal(got_, expected);        \
		free(got_);                                 \
	} while (0)

/* ---- CSV ----------------------------------------------------------------- */

static void test_csv_mem(void **state)
{
	const char *csv = "\xEF\xBB\xBFspecies,quantity\r\n\"Manis javanica\",\"12,5\"\r\nខ្លា,3\r\n";
	char *got = dump_mem(csv, strlen(csv));
	assert_string_equal(got, "[species][quantity]@1\n[Manis javanica][12,5]@2\n[ខ្លា][3]@3\n");
	free(got);
	/* Empty input is a table with no rows. */
	got = dump_mem("", 0);
	assert_string_equal(got, "");
	free(got);
	/* CSV errors keep their line. */
	got = dump_mem("a\n\"b\n", 4);
	assert_string_equal(got, "[a]@1\nERR bad_request line 2: unterminated quoted field");
	free(got);
}

static void test_csv_path_and_progress(void **state)
{
	char *path = temp_path(".csv");
	struct dynbuf b = DYNBUF_INIT(1 << 24);
	dynbuf_adds(&b, "seizure_ref,date\n");
	for (int i = 0; i < 10000; i++)
		dynbuf_addf(&b, "KH-%05d,2023-01-01\n", i);
	write_file(path, b.buf, b.len);

	struct error err = ERROR_INIT;
	struct table_reader *t = table_open(path, &err);
	assert_non_null(t);
	assert_true(table_progress(t) == 0.0);
	struct csv_record row;
	size_t n = 0;
	double last = 0;
	while (table_next(t, &row, &err) == 1) {
		double p = table_progress(t);
		assert_true(p >= last && p <= 1.0);
		last = p;
		n++;
	}
	assert_false(error_is_set(&err));
	assert_int_equal(n, 10001);
	assert_true(table_progress(t) == 1.0);
	table_close(t);
	unlink(path);
	free(path);
	dynbuf_free(&b);
}

static void test_open_errors(void **state)
{
	struct error err = ERROR_INIT;
	assert_null(table_open("no/such/dir/file.csv", &err));
	assert_int_equal(err.code, ERR_IO);
	assert_non_null(strstr(err.message, "no/such/dir/file.csv"));
	error_clear(&err);

	/* Legacy .xls (OLE2). */
	const char xls[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of the file";
	char *got = dump_mem(xls, sizeof xls - 1);
	assert_string_equal(got, "OPEN bad_request old Excel 97-2003 (.xls) files are not supported: "
				 "save the sheet as .xlsx or CSV");
	free(got);
}

/* ---- XLSX made by libxlsxwriter ------------------------------------------ */

static char *write_workbook(int constant_memory)
{
	char *path = temp_path(".xlsx");
	lxw_workbook_options opt = { .constant_memory = (uint8_t)constant_memory };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	assert_non_null(wb);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Seizures");
	lxw_worksheet *other = workbook_add_worksheet(wb, "Other");
	lxw_format *iso = workbook_add_format(wb);
	format_set_num_format(iso, "yyyy-mm-dd");
	lxw_format *builtin = workbook_add_format(wb);
	format_set_num_format_index(builtin, 14);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);

	const char *hdr[] = { "seizure_ref", "date", "species", "quantity", "unit", "live", "notes" };
	for (lxw_col_t c = 0; c < 7; c++)
		worksheet_write_string(ws, 0, c, hdr[c], bold);
	/* Row 2: a gap in column E (index 4). */
	worksheet_write_string(ws, 1, 0, "KH-2023-001", NULL);
	lxw_datetime dt = { 2023, 5, 14, 0, 0, 0 };
	worksheet_write_datetime(ws, 1, 1, &dt, iso);
	worksheet_write_string(ws, 1, 2, "ខ្លា (Panthera tigris)", NULL);
	worksheet_write_number(ws, 1, 3, 12.5, NULL);
	worksheet_write_boolean(ws, 1, 5, 1, NULL);
	worksheet_write_string(ws, 1, 6, "hidden in \"rice\" bags, line\nbreak", NULL);
	/* Row 3 is left out entirely; row 4 has a date with format 14, whole and
	 * tiny numbers, and the last cell in column D. */
	worksheet_write_string(ws, 3, 0, "KH-2023-002", NULL);
	lxw_datetime dt2 = { 1999, 12, 31, 18, 30, 0 };
	worksheet_write_datetime(ws, 3, 1, &dt2, builtin);
	worksheet_write_number(ws, 3, 2, 0.1 + 0.2, NULL);
	worksheet_write_number(ws, 3, 3, 3, NULL);
	/* Row 5: a rich string and a formula with a cached string value. */
	lxw_rich_string_tuple f1 = { .format = bold, .string = "Manis" };
	lxw_rich_string_tuple f2 = { .format = NULL, .string = " javanica" };
	lxw_rich_string_tuple *rich[] = { &f1, &f2, NULL };
	if (!constant_memory)
		worksheet_write_rich_string(ws, 4, 0, rich, NULL);
	else
		worksheet_write_string(ws, 4, 0, "Manis javanica", NULL);
	worksheet_write_formula_str(ws, 4, 1, "=\"a\"&\"b\"", NULL, "ab");
	worksheet_write_number(ws, 4, 2, -1234567.25, NULL);
	worksheet_write_number(ws, 4, 3, 1e20, NULL);
	/* A blank formatted cell does not make a field. */
	worksheet_write_blank(ws, 4, 9, bold);
	worksheet_write_string(other, 0, 0, "not read", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	return path;
}

static const char *WRITER_EXPECTED =
	"[seizure_ref][date][species][quantity][unit][live][notes]@1\n"
	"[KH-2023-001][2023-05-14][ខ្លា (Panthera tigris)][12.5][][TRUE]"
	"[hidden in \"rice\" bags, line\nbreak]@2\n"
	"[KH-2023-002][1999-12-31][0.3][3]@4\n"
	"[Manis javanica][ab][-1234567.25][1e+20]@5\n";

static void test_xlsx_writer_path(void **state)
{
	char *path = write_workbook(0);
	char *got = dump_path(path);
	assert_string_equal(got, WRITER_EXPECTED);
	free(got);
	unlink(path);
	free(path);
}

static void test_xlsx_writer_mem(void **state)
{
	char *path = write_workbook(0);
	size_t len;
	char *data = read_file(path, &len);
	char *got = dump_mem(data, len);
	assert_string_equal(got, WRITER_EXPECTED);
	free(got);

	/* Progress goes from 0 to 1 over the sheet. */
	struct error err = ERROR_INIT;
	struct table_reader *t = table_open_mem(data, len, &err);
	assert_non_null(t);
	struct csv_record row;
	while (table_next(t, &row, &err) == 1)
		assert_true(table_progress(t) > 0 && table_progress(t) <= 1.0);
	assert_true(table_progress(t) == 1.0);
	table_close(t);
	free(data);
	unlink(path);
	free(path);
}

static void test_xlsx_inline_strings(void **state)
{
	/* constant_memory mode writes inline strings instead of shared ones. */
	char *path = write_workbook(1);
	char *got = dump_path(path);
	assert_string_equal(got, WRITER_EXPECTED);
	free(got);
	unlink(path);
	free(path);
}

/* ---- XLSX made by hand --------------------------------------------------- */

static void test_xlsx_cell_types(void **state)
{
	assert_sheet(WORKBOOK,
		     "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
		     "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
		     "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>in</t><r><t>line</t></r></is></c>"
		     "<c r=\"B2\" t=\"str\"><f>A1</f><v>formula</v></c>"
		     "<c r=\"C2\" t=\"b\"><v>0</v></c><c r=\"D2\" t=\"e\"><v>#N/A</v></c>"
		     "<c r=\"E2\"><v>007</v></c><c r=\"F2\" t=\"n\"><v> 2.50 </v></c>"
		     "<c r=\"G2\"><v>1.0E-3</v></c><c r=\"H2\"><v>-0</v></c></row>",
		     "[species][Panthera tigris][ខ្លា]@1\n"
		     "[inline][formula][FALSE][#N/A][7][2.5][0.001][0]@2\n");
}

static void test_xlsx_gaps_and_refs(void **state)
{
	/* Missing cells are empty strings; rows without r follow the last;
	 * cells without r follow the last; empty rows are skipped; lower-case
	 * references; a cell far to the right. */
	assert_sheet(WORKBOOK,
		     "<row r=\"2\"><c r=\"C2\"><v>1</v></c></row>"
		     "<row><c><v>2</v></c><c><v>3</v></c><c r=\"e3\"><v>4</v></c><c><v>5</v></c></row>"
		     "<row r=\"7\"/>"
		     "<row r=\"8\"><c r=\"A8\" s=\"1\"/><c r=\"B8\" t=\"inlineStr\"><is><t></t></is></c></row>"
		     "<row r=\"9\"><c r=\"AA9\" t=\"inlineStr\"><is><t>z</t></is></c></row>",
		     "[][][1]@2\n"
		     "[2][3][][][4][5]@3\n"
		     "[][][][][][][][][][][][][][][][][][][][][][][][][][][z]@9\n");
	char *got = dump_sheet(WORKBOOK, "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>");
	assert_int_equal(strlen(got), 16383 * 2 + strlen("[1]@1\n"));
	free(got);
}

static void test_xlsx_dates(void **state)
{
	/* 1900 system: serial 1, Excel's fictitious 29 Feb 1900, the days
	 * around it, a modern date with a time, built-in and custom formats;
	 * a time format and a quoted "d" are not dates; a date format on text
	 * leaves the text alone; serial 0 and negatives stay numbers. */
	assert_sheet(WORKBOOK,
		     "<row r=\"1\"><c s=\"1\"><v>1</v></c><c s=\"1\"><v>59</v></c><c s=\"1\"><v>60</v></c>"
		     "<c s=\"1\"><v>61</v></c><c s=\"2\"><v>45000.75</v></c>"
		     "<c s=\"2\"><v>45000.999999999</v></c><c s=\"2\"><v>2958465</v></c></row>"
		     "<row r=\"2\"><c s=\"3\"><v>0.5</v></c><c s=\"4\"><v>2.5</v></c>"
		     "<c s=\"2\" t=\"s\"><v>0</v></c><c s=\"1\"><v>0</v></c><c s=\"1\"><v>-3</v></c>"
		     "<c s=\"99\"><v>45000</v></c><c s=\"0\"><v>45000</v></c></row>",
		     "[1900-01-01][1900-02-28][1900-02-29][1900-03-01][2023-03-15][2023-03-16]"
		     "[9999-12-31]@1\n"
		     "[0.5][2.5][species][0][-3][45000][45000]@2\n");
	/* 1904 system. */
	assert_sheet(WORKBOOK_1904,
		     "<row r=\"1\"><c s=\"1\"><v>0</v></c><c s=\"2\"><v>43538</v></c></row>",
		     "[1904-01-01][2023-03-15]@1\n");
}

static void test_xlsx_prefixed_namespace(void **state)
{
	/* Elements with a prefix are matched by local name. */
	char *sheet = xasprintf(
		"<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<x:sheetData><x:row r=\"1\"><x:c r=\"B1\" t=\"inlineStr\"><x:is><x:t>ok</x:t></x:is>"
		"</x:c></x:row></x:sheetData></x:worksheet>");
	size_t len;
	char *data = hand_xlsx(WORKBOOK, sheet, &len);
	char *got = dump_mem(data, len);
	assert_string_equal(got, "[][ok]@1\n");
	free(got);
	free(data);
	free(sheet);
}

static void test_xlsx_sheet_errors(void **state)
{
	assert_sheet(WORKBOOK,
		     "<row r=\"1\"><c t=\"inlineStr\"><is><t>a</t></is></c></row>"
		     "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"B2\" t=\"s\"><v>9</v></c></row>",
		     "[a]@1\nERR bad_request row 2: cell B2: shared string index \"9\" out of range");
	assert_sheet(WORKBOOK, "<row r=\"4\"><c r=\"C4\"><v>12 kg</v></c></row>",
		     "ERR bad_request row 4: cell C4: not a number: \"12 kg\"");
	assert_sheet(WORKBOOK, "<row r=\"5\"><c r=\"A-1\"><v>1</v></c></row>",
		     "ERR bad_request row 5: cell A5: bad cell reference \"A-1\"");
	assert_sheet(WORKBOOK, "<row r=\"5\"><c r=\"XFE5\"><v>1</v></c></row>",
		     "ERR bad_request row 5: cell A5: bad cell reference \"XFE5\"");
	assert_sheet(WORKBOOK, "<row r=\"x\"/>", "ERR bad_request row 1: bad row number \"x\"");
	/* Malformed XML after 300 good rows: the good rows come back, then an
	 * error naming the row where reading stopped (libxml2 parses a little
	 * ahead, so that may be a few rows before the break). */
	struct dynbuf rows = DYNBUF_INIT(1 << 20);
	for (int i = 1; i <= 300; i++)
		dynbuf_addf(&rows, "<row r=\"%d\"><c><v>%d</v></c></row>", i, i);
	dynbuf_adds(&rows, "<row r=\"301\"><c><v>3</c></row>");
	char *got = dump_sheet(WORKBOOK, rows.buf);
	assert_memory_equal(got, "[1]@1\n[2]@2\n", 12);
	const char *e = strstr(got, "ERR bad_request row ");
	assert_non_null(e);
	size_t at = strtoul(e + strlen("ERR bad_request row "), NULL, 10);
	assert_true(at > 250 && at <= 301);
	assert_non_null(strstr(e, ": damaged sheet: Opening and ending tag mismatch"));
	/* Every row before the one named was returned. */
	char *want = xasprintf("[%zu]@%zu\nERR", at - 1, at - 1);
	assert_non_null(strstr(got, want));
	free(want);
	free(got);
	dynbuf_free(&rows);
}

static void test_xlsx_not_workbook(void **state)
{
	/* A ZIP that is not a workbook. */
	const struct part parts[] = { { "hello.txt", "hello" } };
	size_t len;
	char *data = make_zip(parts, 1, &len);
	char *got = dump_mem(data, len);
	assert_string_equal(got, "OPEN bad_request not a valid XLSX file: the ZIP archive has no "
				 "xl/workbook.xml");
	free(got);
	free(data);

	/* A workbook whose sheet part is missing. */
	const struct part noshet[] = {
		{ "xl/workbook.xml", WORKBOOK },
		{ "xl/_rels/workbook.xml.rels", RELS },
	};
	data = make_zip(noshet, 2, &len);
	got = dump_mem(data, len);
	assert_string_equal(got, "OPEN bad_request not a valid XLSX file: the worksheet "
				 "xl/worksheets/sheet1.xml is missing");
	free(got);
	free(data);

	/* A workbook with no sheets. */
	const struct part nosheets[] = {
		{ "xl/workbook.xml", "<workbook " NS_MAIN "><sheets/></workbook>" },
	};
	data = make_zip(nosheets, 1, &len);
	got = dump_mem(data, len);
	assert_string_equal(got, "OPEN bad_request not a valid XLSX file: the workbook has no worksheet");
	free(got);
	free(data);

	/* A DTD (entity expansion) is refused. */
	const struct part dtd[] = {
		{ "xl/workbook.xml", "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaa\">]>"
				     "<workbook>&a;</workbook>" },
	};
	data = make_zip(dtd, 1, &len);
	got = dump_mem(data, len);
	assert_string_equal(got, "OPEN bad_request not a valid XLSX file: xl/workbook.xml: DTD not allowed");
	free(got);
	free(data);

	/* Broken XML in the workbook part. */
	const struct part broken[] = { { "xl/workbook.xml", "<workbook><sheets>" } };
	data = make_zip(broken, 1, &len);
	got = dump_mem(data, len);
	assert_non_null(strstr(got, "OPEN bad_request not a valid XLSX file: xl/workbook.xml: "));
	free(got);
	free(data);
}

static void test_xlsx_truncated(void **state)
{
	char *path = write_workbook(0);
	size_t len;
	char *data = read_file(path, &len);
	/* Cut at several places: every one fails to open, clearly. */
	size_t cuts[] = { 4, 30, len / 2, len - 10 };
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		char *got = dump_mem(data, cuts[i]);
		assert_non_null(strstr(got, "OPEN bad_request not a valid XLSX file (damaged or truncated "
					    "ZIP archive: "));
		free(got);
	}
	/* The same through a path. */
	write_file(path, data, len / 2);
	char *got = dump_path(path);
	assert_non_null(strstr(got, "OPEN bad_request not a valid XLSX file (damaged"));
	free(got);
	free(data);
	unlink(path);
	free(path);
}

static void test_xlsx_part_cap(void **state)
{
	/* Shared strings past 64 MiB uncompressed are refused before reading
	 * (a zip bomb compresses this to about 65 KiB). */
	size_t big = ((size_t)64 << 20) + 1024;
	char *blob = xmalloc(big + 1);
	memset(blob, ' ', big);
	memcpy(blob, "<sst>", 5);
	blob[big] = '\0';
	const struct part parts[] = {
		{ "xl/workbook.xml", WORKBOOK },
		{ "xl/_rels/workbook.xml.rels", RELS },
		{ "xl/sharedStrings.xml", blob },
		{ "xl/worksheets/sheet1.xml", "<worksheet/>" },
	};
	size_t len;
	char *data = make_zip(parts, 4, &len);
	assert_true(len < 1024 * 1024);
	char *got = dump_mem(data, len);
	assert_string_equal(got, "OPEN too_large not a valid XLSX file: xl/sharedStrings.xml is larger "
				 "than 64 MiB uncompressed");
	free(got);
	free(data);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_mem),
		cmocka_unit_test(test_csv_path_and_progress),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_xlsx_writer_path),
		cmocka_unit_test(test_xlsx_writer_mem),
		cmocka_unit_test(test_xlsx_inline_strings),
		cmocka_unit_test(test_xlsx_cell_types),
		cmocka_unit_test(test_xlsx_gaps_and_refs),
		cmocka_unit_test(test_xlsx_dates),
		cmocka_unit_test(test_xlsx_prefixed_namespace),
		cmocka_unit_test(test_xlsx_sheet_errors),
		cmocka_unit_test(test_xlsx_not_workbook),
		cmocka_unit_test(test_xlsx_truncated),
		cmocka_unit_test(test_xlsx_part_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
