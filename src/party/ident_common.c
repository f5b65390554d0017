/* Identifiers: UTF-8 and digit helpers, quoting for messages, countries. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "party/ident_internal.h"
#include "ref/refdata.h"

size_t ident_utf8_next(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	size_t len;
	uint32_t c, min;
	if ((u[0] & 0xE0) == 0xC0) {
		len = 2, c = u[0] & 0x1F, min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		len = 3, c = u[0] & 0x0F, min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		len = 4, c = u[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int ident_digit_value(uint32_t cp)
{
	static const uint32_t zeros[] = { '0', 0x17E0, 0x0E50, 0x0ED0, 0xFF10 };
	for (size_t i = 0; i < sizeof zeros / sizeof *zeros; i++)
		if (cp >= zeros[i] && cp <= zeros[i] + 9)
			return (int)(cp - zeros[i]);
	return -1;
}

int ident_is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 ||
	       (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x3000;
}

const char *ident_quote(char buf[64], const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0, j = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
			 s[n - 1] == '\r'))
		n--;
	while (i < n) {
		uint32_t cp;
		size_t len = ident_utf8_next(s + i, n - i, &cp);
		if (j + (len ? len : 1) > 40) {
			memcpy(buf + j, "...", 3);
			j += 3;
			break;
		}
		if (len == 0 || cp < 0x20 || cp == 0x7F) {
			buf[j++] = '?';
			i += len ? len : 1;
			continue;
		}
		memcpy(buf + j, s + i, len);
		j += len;
		i += len;
	}
	buf[j] = '\0';
	return buf;
}

int ident_put(struct dynbuf *b, struct error *err, const char *fmt, ...)
{
	if (!b)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	int rc = dynbuf_vaddf(b, fmt, ap);
	va_end(ap);
	if (rc != 0)
		return error_set(err, ERR_TOO_LARGE, "the identifier does not fit its buffer");
	return 0;
}

int ident_country(const struct refdata *rd, const char *text, const char *what, char iso2[3],
		  struct error *err)
{
	char q[64];
	while (text && (*text == ' ' || *text == '\t'))
		text++;
	if (!text || !*text)
		return error_field(err, "country", "%s needs a country (ISO 3166 alpha-2, e.g. KH)",
				   what);
	if (rd) {
		const struct country *c = refdata_country(rd, text);
		if (!c)
			return error_field(err, "country", "country %s is not an ISO 3166 code",
					   ident_quote(q, text));
		memcpy(iso2, c->iso2, 2);
		iso2[2] = '\0';
		return 0;
	}
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	char a = text[0] & ~0x20, b = n > 1 ? text[1] & ~0x20 : 0;
	if (n != 2 || a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
		return error_field(err, "country", "country %s is not an ISO 3166 code",
				   ident_quote(q, text));
	iso2[0] = a;
	iso2[1] = b;
	iso2[2] = '\0';
	return 0;
}

static int script_letter(uint32_t cp)
{
	return (cp >= 0x1780 && cp <= 0x17D3) || cp == 0x17DD ||  /* Khmer */
	       (cp >= 0x0E01 && cp <= 0x0E3A) || (cp >= 0x0E40 && cp <= 0x0E4E) || /* Thai */
	       (cp >= 0x0E81 && cp <= 0x0ECD) ||                    /* Lao */
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF); /* CJK */
}

long ident_compact(const char *value, const char *drop, int keep_scripts, char *out,
		   size_t cap, uint32_t *bad)
{
	size_t n = strlen(value), j = 0;
	long chars = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = ident_utf8_next(value + i, n - i, &cp);
		if (len == 0) {
			*bad = 0;
			return -1;
		}
		const char *piece = value + i;
		size_t plen = len;
		char c;
		int d = ident_digit_value(cp);
		i += len;
		if (ident_is_space(cp) || (cp < 0x80 && cp && strchr(drop, (int)cp)) ||
		    (cp == 0xB7 && strchr(drop, '.')))  /* middle dot: "2A·1234" */
			continue;
		if (d >= 0) {
			c = (char)('0' + d);
			piece = &c, plen = 1;
		} else if (cp >= 'a' && cp <= 'z') {
			c = (char)(cp - 32);
			piece = &c, plen = 1;
		} else if ((cp >= 'A' && cp <= 'Z') || (keep_scripts && script_letter(cp))) {
			/* as it is */
		} else {
			*bad = cp;
			return -1;
		}
		if (j + plen >= cap) {
			*bad = 0;
			return -1;
		}
		memcpy(out + j, piece, plen);
		j += plen;
		chars++;
	}
	out[j] = '\0';
	return chars;
}

const char *ident_char_name(char buf[32], uint32_t cp)
{
	if (cp == 0)
		snprintf(buf, 32, "invalid UTF-8");
	else if (cp == ' ')
		snprintf(buf, 32, "a space");
	else if (cp < 0x20 || cp == 0x7F)
		snprintf(buf, 32, "a control character");
	else if (cp < 0x80)
		snprintf(buf, 32, "\"%c\"", (char)cp);
	else
		snprintf(buf, 32, "U+%04X", (unsigned)cp);
	return buf;
}
