/*
 * test_csv.c - the streaming CSV reader and writer (lib/csv.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/csv.h"
#include "lib/dynbuf.h"
#include "lib/error.h"
#include "lib/xalloc.h"

/*
 * Reads every record of r and renders them as "[f1][f2]@line\n" per record.
 * On error the message is appended as "ERR <code> <message>".
 */
static char *dump_reader(struct csv_reader *r)
{
	struct dynbuf out = DYNBUF_INIT(1 << 24);
	struct csv_record rec;
	struct error err = ERROR_INIT;
	int rc;
	size_t expect_index = 1;
	while ((rc = csv_next(r, &rec, &err)) == 1) {
		assert_int_equal(rec.index, expect_index++);
		for (size_t i = 0; i < rec.nfields; i++) {
			assert_int_equal(strlen(rec.fields[i]), rec.lens[i]);
			dynbuf_addf(&out, "[%s]", rec.fields[i]);
		}
		dynbuf_addf(&out, "@%zu\n", rec.line);
	}
	if (rc < 0) {
		dynbuf_addf(&out, "ERR %s %s", error_code_name(err.code), err.message);
		/* The reader stays failed. */
		struct error again = ERROR_INIT;
		assert_int_equal(csv_next(r, &rec, &again), -1);
		assert_true(error_is_set(&again));
		error_clear(&again);
	} else {
		assert_false(error_is_set(&err));
		/* End is sticky. */
		assert_int_equal(csv_next(r, &rec, &err), 0);
	}
	error_clear(&err);
	return dynbuf_take(&out);
}

static char *dump_lim(const char *s, size_t len, size_t max_field, size_t max_fields)
{
	struct csv_limits lim = { max_field, max_fields };
	struct csv_reader *r = csv_reader_mem(s, len, &lim);
	char *out = dump_reader(r);
	if (!strstr(out, "ERR "))
		assert_int_equal(csv_offset(r), len);
	csv_reader_free(r);
	return out;
}

static char *dump(const char *s)
{
	return dump_lim(s, strlen(s), 0, 0);
}

#define assert_dump(input, expected)                      \
	do {                                              \
		char *got_ = dump(input);                 \
		assert_string_equal(got_, expected);      \
		free(got_);                               \
	} while (0)

static void test_simple(void **state)
{
	assert_dump("a,b,c\n1,2,3\n", "[a][b][c]@1\n[1][2][3]@2\n");
	assert_dump("", "");
	assert_dump("x", "[x]@1\n");
}

static void test_line_ends(void **state)
{
	assert_dump("a,b\r\nc,d\r\n", "[a][b]@1\n[c][d]@2\n");
	assert_dump("a,b\rc,d\r", "[a][b]@1\n[c][d]@2\n");
	assert_dump("a\nb\r\nc\rd", "[a]@1\n[b]@2\n[c]@3\n[d]@4\n");
}

static void test_final_newline_and_blank_lines(void **state)
{
	/* No final newline, one, or an empty last line. */
	assert_dump("a,b\nc,d", "[a][b]@1\n[c][d]@2\n");
	assert_dump("a,b\nc,d\n", "[a][b]@1\n[c][d]@2\n");
	assert_dump("a,b\nc,d\n\n", "[a][b]@1\n[c][d]@2\n");
	assert_dump("a,b\r\nc,d\r\n\r\n", "[a][b]@1\n[c][d]@2\n");
	/* Blank lines in the middle are skipped, line numbers stay physical. */
	assert_dump("a\n\n\r\nb\n", "[a]@1\n[b]@4\n");
	assert_dump("\n\nx\n", "[x]@3\n");
}

static void test_empty_fields(void **state)
{
	assert_dump(",,\n", "[][][]@1\n");
	assert_dump("a,\n", "[a][]@1\n");
	assert_dump("a,", "[a][]@1\n");
	assert_dump(",b", "[][b]@1\n");
	assert_dump("\"\"\n", "[]@1\n");
	assert_dump("\"\",\"\"", "[][]@1\n");
}

static void test_quoted(void **state)
{
	assert_dump("\"a,b\",c\n", "[a,b][c]@1\n");
	assert_dump("\"say \"\"hi\"\"\",x\n", "[say \"hi\"][x]@1\n");
	assert_dump("\"\"\"\"\n", "[\"]@1\n");
	assert_dump("\"line1\nline2\",z\nnext\n", "[line1\nline2][z]@1\n[next]@3\n");
	/* CRLF inside quotes is kept and counts as one line. */
	assert_dump("\"a\r\nb\r\nc\",d\r\ne\r\n", "[a\r\nb\r\nc][d]@1\n[e]@4\n");
	/* Lone CR inside quotes counts as a line too. */
	assert_dump("\"a\rb\"\rc", "[a\rb]@1\n[c]@3\n");
	/* Quoted field at end of input without newline. */
	assert_dump("x,\"y\"", "[x][y]@1\n");
	/* Separators right after a closing quote. */
	assert_dump("\"a\"\r\n\"b\"\r\"c\"\n", "[a]@1\n[b]@2\n[c]@3\n");
}

static void test_bom(void **state)
{
	assert_dump("\xEF\xBB\xBF" "a,b\n", "[a][b]@1\n");
	assert_dump("\xEF\xBB\xBF", "");
	/* Only at the very start; elsewhere it is text (U+FEFF is valid UTF-8). */
	assert_dump("a\n\xEF\xBB\xBF" "b\n", "[a]@1\n[\xEF\xBB\xBF" "b]@2\n");
}

static void test_ragged(void **state)
{
	assert_dump("a,b,c\n1\n1,2,3,4,5\n\"\"\n",
		    "[a][b][c]@1\n[1]@2\n[1][2][3][4][5]@3\n[]@4\n");
}

static void test_utf8(void **state)
{
	/* Khmer, accented Latin, a 4-byte emoji. */
	assert_dump("ខ្លា,café,\xF0\x9F\x90\x85\n", "[ខ្លា][café][\xF0\x9F\x90\x85]@1\n");
	assert_dump("\"ស្បែក,ខ្លា\"\n", "[ស្បែក,ខ្លា]@1\n");
}

static void assert_error(const char *input, size_t len, const char *code, const char *msg)
{
	char *got = dump_lim(input, len, 0, 0);
	char *want = xasprintf("ERR %s %s", code, msg);
	const char *at = strstr(got, "ERR ");
	assert_non_null(at);
	assert_string_equal(at, want);
	free(want);
	free(got);
}

#define assert_err(input, msg) assert_error(input, strlen(input), "bad_request", msg)

static void test_errors(void **state)
{
	assert_err("a,b\nc,\"unterminated\nmore\n", "line 2: unterminated quoted field");
	assert_err("\"", "line 1: unterminated quoted field");
	assert_err("a\nb\n\"x\"y,z\n", "line 3: text after closing quote");
	assert_err("a\n\"multi\nline\" x\n", "line 3: text after closing quote");
	assert_err("a,b\"c\n", "line 1: quote inside unquoted field 2");
	assert_err("ok\nok\nok\nok\nok\nok\na,b,c,\xFF\n", "line 7: invalid UTF-8 in field 4");
	/* The line of the bad byte inside a multi-line field. */
	assert_err("\"one\ntwo\n\xC3\x28\"\n", "line 3: invalid UTF-8 in field 1");
	/* Overlong, surrogate, past U+10FFFF, truncated sequence. */
	assert_err("\xC0\xAF", "line 1: invalid UTF-8 in field 1");
	assert_err("\xED\xA0\x80", "line 1: invalid UTF-8 in field 1");
	assert_err("\xF4\x90\x80\x80", "line 1: invalid UTF-8 in field 1");
	assert_err("x,\xE1\x9E", "line 1: invalid UTF-8 in field 2");
	assert_error("a\nb,\0c\n", 7, "bad_request", "line 2: NUL byte in field 2");
	/* Records before the error are still returned. */
	char *got = dump("a\nb\n\"c");
	assert_string_equal(got, "[a]@1\n[b]@2\nERR bad_request line 3: unterminated quoted field");
	free(got);
}

static void test_limits(void **state)
{
	char *got = dump_lim("abcd,abcde\n", 11, 4, 0);
	assert_string_equal(got, "ERR too_large line 1: field 2 is longer than 4 bytes");
	free(got);
	got = dump_lim("ab\n\"abcd\"\"\"\n", 12, 4, 0);
	assert_string_equal(got, "[ab]@1\nERR too_large line 2: field 1 is longer than 4 bytes");
	free(got);
	got = dump_lim("abcd\n", 5, 4, 0);
	assert_string_equal(got, "[abcd]@1\n");
	free(got);
	got = dump_lim("a,b,c\na,b,c,d\n", 14, 0, 3);
	assert_string_equal(got, "[a][b][c]@1\nERR too_large line 2: record has more than 3 fields");
	free(got);
	got = dump_lim("a,b,c,\n", 7, 0, 3);
	assert_string_equal(got, "ERR too_large line 1: record has more than 3 fields");
	free(got);
}

/* A temporary file holding data, positioned at its start. */
static FILE *temp_with(const char *data, size_t len)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	rewind(f);
	return f;
}

static void test_file_block_boundaries(void **state)
{
	/* A quoted 100 KiB field with doubled quotes and CRLFs spread through
	 * it, so records cross the 64 KiB block boundary in every state. */
	size_t big = 100 * 1024;
	char *field = xmalloc(big + 1);
	for (size_t i = 0; i < big; i++)
		field[i] = (char)('a' + i % 26);
	field[65535 - 10] = '"';
	field[65536 - 10] = '"';
	field[70000] = '\r';
	field[70001] = '\n';
	field[big] = '\0';
	struct dynbuf csv = DYNBUF_INIT(1 << 24);
	const char *hdr[] = { "id", "text", "n" };
	assert_int_equal(csv_put_record(&csv, hdr, 3), 0);
	for (int i = 0; i < 3; i++) {
		char id[16];
		snprintf(id, sizeof id, "%d", i);
		const char *row[] = { id, field, "ខ្លា" };
		assert_int_equal(csv_put_record(&csv, row, 3), 0);
	}
	FILE *f = temp_with(csv.buf, csv.len);
	struct csv_reader *r = csv_reader_file(f, NULL);
	struct csv_record rec;
	struct error err = ERROR_INIT;
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.nfields, 3);
	assert_string_equal(rec.fields[1], "text");
	for (int i = 0; i < 3; i++) {
		assert_int_equal(csv_next(r, &rec, &err), 1);
		assert_int_equal(rec.nfields, 3);
		assert_int_equal(rec.lens[1], big);
		assert_memory_equal(rec.fields[1], field, big);
		assert_string_equal(rec.fields[2], "ខ្លា");
		assert_int_equal(rec.line, 2 + 2 * (size_t)i);
		assert_int_equal(rec.index, 2 + (size_t)i);
	}
	assert_int_equal(csv_next(r, &rec, &err), 0);
	assert_int_equal(csv_offset(r), csv.len);
	csv_reader_free(r);
	fclose(f);
	free(field);
	dynbuf_free(&csv);
}

static void test_file_crlf_split(void **state)
{
	/* CR as the last byte of the first block, LF as the first of the next;
	 * also a long unquoted field over the boundary, and a BOM. */
	size_t n = 65536 * 2 + 100;
	char *data = xmalloc(n);
	memcpy(data, "\xEF\xBB\xBF", 3);
	memset(data + 3, 'x', 65535 - 3);
	data[65535] = '\r';
	data[65536] = '\n';
	memset(data + 65537, 'y', n - 65537 - 1);
	data[n - 1] = '\r';
	FILE *f = temp_with(data, n);
	struct csv_reader *r = csv_reader_file(f, NULL);
	struct csv_record rec;
	struct error err = ERROR_INIT;
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.nfields, 1);
	assert_int_equal(rec.lens[0], 65535 - 3);
	assert_int_equal(rec.line, 1);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.lens[0], n - 65537 - 1);
	assert_int_equal(rec.fields[0][0], 'y');
	assert_int_equal(rec.line, 2);
	assert_int_equal(csv_next(r, &rec, &err), 0);
	assert_int_equal(csv_offset(r), n);
	csv_reader_free(r);
	fclose(f);
	free(data);
}

static void test_file_error_line(void **state)
{
	/* An unterminated quote far into a file names its line. */
	struct dynbuf csv = DYNBUF_INIT(1 << 24);
	for (int i = 0; i < 5000; i++)
		dynbuf_addf(&csv, "row %d,\"quoted %d\"\r\n", i, i);
	dynbuf_adds(&csv, "last,\"open\n");
	FILE *f = temp_with(csv.buf, csv.len);
	struct csv_reader *r = csv_reader_file(f, NULL);
	char *got = dump_reader(r);
	const char *at = strstr(got, "ERR ");
	assert_non_null(at);
	assert_string_equal(at, "ERR bad_request line 5001: unterminated quoted field");
	csv_reader_free(r);
	fclose(f);
	free(got);
	dynbuf_free(&csv);
}

static void test_put_field(void **state)
{
	struct dynbuf b = DYNBUF_INIT(1024);
	assert_int_equal(csv_put_field(&b, "plain"), 0);
	assert_int_equal(csv_put_field(&b, ""), 0);
	assert_int_equal(csv_put_field(&b, "a,b"), 0);
	assert_int_equal(csv_put_field(&b, "say \"hi\""), 0);
	assert_int_equal(csv_put_field(&b, "two\nlines"), 0);
	assert_int_equal(csv_put_field(&b, "cr\r"), 0);
	assert_int_equal(csv_put_field(&b, " lead"), 0);
	assert_int_equal(csv_put_field(&b, "trail "), 0);
	assert_int_equal(csv_put_field(&b, "\xEF\xBB\xBF" "bom"), 0);
	assert_string_equal(dynbuf_str(&b),
			    "plain\"a,b\"\"say \"\"hi\"\"\"\"two\nlines\"\"cr\r\"\" lead\"trail "
			    "\"\xEF\xBB\xBF" "bom\"");
	dynbuf_free(&b);

	/* Hitting the cap returns -1. */
	struct dynbuf small = DYNBUF_INIT(8);
	assert_int_equal(csv_put_field(&small, "0123456789"), -1);
	struct dynbuf small2 = DYNBUF_INIT(8);
	assert_int_equal(csv_put_field(&small2, "\"\"\"\""), -1);
	dynbuf_free(&small2);
	struct dynbuf small3 = DYNBUF_INIT(12);
	const char *rec[] = { "abc", "def" };
	assert_int_equal(csv_put_record(&small3, rec, 2), 0);
	assert_int_equal(csv_put_record(&small3, rec, 2), -1);
	dynbuf_free(&small3);
}

static void test_put_record(void **state)
{
	struct dynbuf b = DYNBUF_INIT(1024);
	const char *r1[] = { "a", "b,c", "" };
	const char *r2[] = { "" };
	assert_int_equal(csv_put_record(&b, r1, 3), 0);
	assert_int_equal(csv_put_record(&b, r2, 1), 0);
	assert_string_equal(dynbuf_str(&b), "a,\"b,c\",\r\n\"\"\r\n");
	dynbuf_free(&b);
}

static void test_round_trip(void **state)
{
	const char *rows[][5] = {
		{ "\xEF\xBB\xBF" "x", "", "", "", "" },
		{ "seizure_ref", "date", "notes", "species", "quantity" },
		{ "KH-1", "2023-01-02", "hidden in \"rice\" bags, Koh Kong", "Manis javanica", "12.5" },
		{ "", "", "", "", "" },
		{ " spaced", "a\r\nb", "\r", "\n", "\"" },
		{ "ខ្លា", ",", ",,", "\"\"", "end" },
	};
	size_t nrows = sizeof rows / sizeof rows[0];
	struct dynbuf b = DYNBUF_INIT(1 << 20);
	for (size_t i = 0; i < nrows; i++)
		assert_int_equal(csv_put_record(&b, rows[i], 5), 0);
	const char *lone[] = { "" };
	assert_int_equal(csv_put_record(&b, lone, 1), 0);

	struct csv_reader *r = csv_reader_mem(b.buf, b.len, NULL);
	struct csv_record rec;
	struct error err = ERROR_INIT;
	for (size_t i = 0; i < nrows; i++) {
		assert_int_equal(csv_next(r, &rec, &err), 1);
		assert_int_equal(rec.nfields, 5);
		for (size_t j = 0; j < 5; j++)
			assert_string_equal(rec.fields[j], rows[i][j]);
	}
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.nfields, 1);
	assert_string_equal(rec.fields[0], "");
	assert_int_equal(csv_next(r, &rec, &err), 0);
	csv_reader_free(r);
	dynbuf_free(&b);
}

static void test_fields_reused(void **state)
{
	/* Records stay valid until the next call; many records reuse buffers. */
	struct dynbuf b = DYNBUF_INIT(1 << 24);
	for (int i = 0; i < 20000; i++)
		dynbuf_addf(&b, "%d,name %d,\"q,%d\"\n", i, i, i);
	struct csv_reader *r = csv_reader_mem(b.buf, b.len, NULL);
	struct csv_record rec;
	struct error err = ERROR_INIT;
	for (int i = 0; i < 20000; i++) {
		assert_int_equal(csv_next(r, &rec, &err), 1);
		assert_int_equal(atoi(rec.fields[0]), i);
		char want[32];
		snprintf(want, sizeof want, "q,%d", i);
		assert_string_equal(rec.fields[2], want);
		assert_int_equal(rec.line, (size_t)i + 1);
	}
	assert_int_equal(csv_next(r, &rec, &err), 0);
	assert_int_equal(csv_offset(r), b.len);
	csv_reader_free(r);
	dynbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_final_newline_and_blank_lines),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_ragged),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_file_block_boundaries),
		cmocka_unit_test(test_file_crlf_split),
		cmocka_unit_test(test_file_error_line),
		cmocka_unit_test(test_put_field),
		cmocka_unit_test(test_put_record),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_fields_reused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
