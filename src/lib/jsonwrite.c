#include "lib/jsonwrite.h"

#include <string.h>

#include "lib/dynbuf.h"
#include "lib/numtext.h"

void jw_strn(struct dynbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	dynbuf_addc(b, '"');
	const char *run = s, *end = s + n;
	for (const char *p = s; p < end; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		dynbuf_add(b, run, (size_t)(p - run));
		run = p + 1;
		char esc[7] = { '\\', 0 };
		size_t len = 2;
		switch (ch) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			len = 6;
		}
		dynbuf_add(b, esc, len);
	}
	dynbuf_add(b, run, (size_t)(end - run));
	dynbuf_addc(b, '"');
}

void jw_str(struct dynbuf *b, const char *s)
{
	jw_strn(b, s, strlen(s));
}

void jw_int(struct dynbuf *b, int64_t v)
{
	char num[NUM_TEXT_SIZE];
	dynbuf_adds(b, num_text(num, v));
}
