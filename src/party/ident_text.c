/*
 * Identifiers checked by form only: e-mail, passports and ID cards, vehicle
 * plates, flights, bills of lading, online handles and addresses.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "party/ident_internal.h"
#include "ref/refdata.h"
#include "text/fold.h"

static int is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return s;
}

/* s without leading and trailing ASCII white space, into buf (cap bytes);
 * returns the length, or -1 if it does not fit. */
static long trimmed(const char *s, char *buf, size_t cap)
{
	s = skip_space(s);
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
			 s[n - 1] == '\n'))
		n--;
	if (n >= cap)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return (long)n;
}

static int refused(struct error *err, const char *what, const char *value, uint32_t bad,
		   const char *allowed)
{
	char q[64], b[32];
	if (bad == 0 && strlen(value) >= IDENT_MAX_VALUE)
		return error_field(err, "value", "%s %s: too long", what, ident_quote(q, value));
	return error_field(err, "value", "%s %s: %s is not allowed; %s", what, ident_quote(q, value),
			   ident_char_name(b, bad), allowed);
}

/* ---- e-mail ---- */

int ident_email(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		struct error *err)
{
	char buf[IDENT_MAX_VALUE], q[64];
	const char *shown = ident_quote(q, in->value);
	long n = trimmed(in->value, buf, sizeof buf);
	if (n < 0)
		return error_field(err, "value", "e-mail %s: too long", shown);
	char *s = buf;
	if (strncasecmp(s, "mailto:", 7) == 0)
		s += 7;
	size_t len = strlen(s);
	if (len >= 2 && s[0] == '<' && s[len - 1] == '>') {
		s[len - 1] = '\0';
		s++;
	}
	char *at = strchr(s, '@');
	if (!at)
		return error_field(err, "value",
				   "e-mail %s: no @; an e-mail address is name@domain (e.g. "
				   "sun.chantha@example.com)",
				   shown);
	if (strchr(at + 1, '@'))
		return error_field(err, "value",
				   "e-mail %s: more than one @ (quoted names are not supported)", shown);
	*at = '\0';
	char *local = s, *domain = at + 1;
	size_t ll = strlen(local);
	if (ll == 0)
		return error_field(err, "value", "e-mail %s: nothing before the @", shown);
	if (ll > 64)
		return error_field(err, "value",
				   "e-mail %s: the part before the @ has %zu characters, at most 64",
				   shown, ll);
	for (size_t i = 0; i < ll; i++) {
		char c = local[i];
		if (!is_alnum(c) && !((unsigned char)c & 0x80) && !strchr("!#$%&'*+-/=?^_`{|}~.", c))
			return error_field(err, "value",
					   "e-mail %s: \"%c\" is not allowed before the @ (letters, "
					   "digits and ! # $ %% & ' * + - / = ? ^ _ ` { | } ~ .)",
					   shown, c);
		local[i] = lower(c);
	}
	if (local[0] == '.' || local[ll - 1] == '.' || strstr(local, ".."))
		return error_field(err, "value",
				   "e-mail %s: the part before the @ cannot start or end with a dot or "
				   "have two dots in a row",
				   shown);
	size_t dl = strlen(domain);
	if (dl > 0 && domain[dl - 1] == '.')
		domain[--dl] = '\0';
	if (dl == 0)
		return error_field(err, "value", "e-mail %s: nothing after the @", shown);
	if (dl > 253)
		return error_field(err, "value", "e-mail %s: the domain is longer than 253 characters",
				   shown);
	size_t labels = 0, start = 0;
	int digits_only = 1, tld_digits = 0;
	for (size_t i = 0; i <= dl; i++) {
		char c = domain[i];
		if (c == '.' || c == '\0') {
			size_t lab = i - start;
			if (lab == 0 || lab > 63)
				return error_field(err, "value",
						   "e-mail %s: the domain has an empty or over-long "
						   "part (each part between dots has 1 to 63 characters)",
						   shown);
			if (domain[start] == '-' || domain[i - 1] == '-')
				return error_field(err, "value",
						   "e-mail %s: a part of the domain starts or ends "
						   "with \"-\"",
						   shown);
			labels++;
			start = i + 1;
			tld_digits = digits_only;
			digits_only = 1;
			continue;
		}
		if (!is_alnum(c) && c != '-' && !((unsigned char)c & 0x80))
			return error_field(err, "value",
					   "e-mail %s: \"%c\" is not allowed in the domain (letters, "
					   "digits, - and .)",
					   shown, c);
		if (c < '0' || c > '9')
			digits_only = 0;
		domain[i] = lower(c);
	}
	if (labels < 2)
		return error_field(err, "value",
				   "e-mail %s: the domain needs a dot and a top-level domain "
				   "(name@example.com)",
				   shown);
	if (tld_digits)
		return error_field(err, "value",
				   "e-mail %s: the domain ends in a number, not a top-level domain "
				   "(addresses at an IP address are not supported)",
				   shown);
	if (ident_put(key, err, "%s@%s", local, domain) != 0 ||
	    ident_put(display, err, "%s@%s", local, domain) != 0)
		return -1;
	return 0;
}

/* ---- passport, ID card ---- */

int ident_document(const struct ident_input *in, const struct refdata *rd, struct dynbuf *key,
		   struct dynbuf *display, struct error *err)
{
	int passport = in->kind == IDENT_PASSPORT;
	const char *what = passport ? "passport" : "ID card";
	char c[IDENT_MAX_VALUE], iso2[3];
	uint32_t bad;
	long n = ident_compact(in->value, "-./", 0, c, sizeof c, &bad);
	if (n < 0)
		return refused(err, what, in->value, bad,
			       passport ? "a passport number has letters A-Z and digits"
					: "an ID card number has letters A-Z and digits");
	if (n < 5 || n > 20)
		return error_field(err, "value",
				   "%s %s: %ld characters; a %s number has 5 to 20 letters and digits",
				   what, c, n, what);
	if (ident_country(rd, in->country, passport ? "a passport" : "an ID card", iso2, err) != 0)
		return -1;
	if (ident_put(key, err, "%s:%s", iso2, c) != 0 ||
	    ident_put(display, err, "%s (%s)", c, iso2) != 0)
		return -1;
	return 0;
}

/* ---- vehicle plate ---- */

int ident_plate(const struct ident_input *in, const struct refdata *rd, struct dynbuf *key,
		struct dynbuf *display, struct error *err)
{
	char c[IDENT_MAX_VALUE], iso2[3];
	uint32_t bad;
	long n = ident_compact(in->value, "-./_", 1, c, sizeof c, &bad);
	if (n < 0)
		return refused(err, "plate", in->value, bad,
			       "a plate has letters (Latin, Khmer, Thai, Lao or Chinese) and "
			       "digits; spaces, - . / are ignored");
	if (n < 2 || n > 16)
		return error_field(err, "value",
				   "plate %s: %ld characters; a plate has 2 to 16 letters and digits",
				   c, n);
	if (ident_country(rd, in->country, "a vehicle plate", iso2, err) != 0)
		return -1;
	if (ident_put(key, err, "%s:%s", iso2, c) != 0 ||
	    ident_put(display, err, "%s (%s)", c, iso2) != 0)
		return -1;
	return 0;
}

/* ---- flight ---- */

static int flight_date(const char *d, struct error *err)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	char q[64];
	if (!d || !*skip_space(d))
		return error_field(err, "date", "a flight needs its date (YYYY-MM-DD)");
	int ok = strlen(d) == 10 && d[4] == '-' && d[7] == '-';
	for (int i = 0; ok && i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			ok = 0;
	if (ok) {
		int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
		int m = (d[5] - '0') * 10 + (d[6] - '0');
		int day = (d[8] - '0') * 10 + (d[9] - '0');
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		ok = y >= 1900 && m >= 1 && m <= 12 && day >= 1 &&
		     day <= mdays[m - 1] + (m == 2 && leap);
	}
	if (!ok)
		return error_field(err, "date", "flight date %s is not a date (YYYY-MM-DD)",
				   ident_quote(q, d));
	return 0;
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int ident_flight(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		 struct error *err)
{
	static const char form[] =
		"a flight is the airline's IATA code (2 characters) or ICAO code (3 letters), "
		"1 to 4 digits and maybe a letter, e.g. VN123 or HVN123";
	char c[IDENT_MAX_VALUE];
	uint32_t bad;
	long n = ident_compact(in->value, "-.", 0, c, sizeof c, &bad);
	if (n < 0)
		return refused(err, "flight", in->value, bad, form);
	size_t cl;
	if (n >= 4 && is_upper(c[0]) && is_upper(c[1]) && is_upper(c[2]) && is_digit(c[3]))
		cl = 3;
	else if (n >= 3 && is_alnum(c[0]) && is_alnum(c[1]) && !(is_digit(c[0]) && is_digit(c[1])) &&
		 is_digit(c[2]))
		cl = 2;
	else
		return error_field(err, "value", "flight %s: %s", c, form);
	size_t i = cl, nd = 0;
	while (is_digit(c[i]))
		i++, nd++;
	char suffix = 0;
	if (is_upper(c[i]))
		suffix = c[i++];
	if (nd > 4 || c[i])
		return error_field(err, "value", "flight %s: %s", c, form);
	int number = 0;
	for (size_t k = cl; k < cl + nd; k++)
		number = number * 10 + (c[k] - '0');
	if (number == 0)
		return error_field(err, "value", "flight %s: 0 is not a flight number", c);
	if (flight_date(in->date, err) != 0)
		return -1;
	char s[2] = { suffix, '\0' };
	if (ident_put(key, err, "%.*s%d%s/%s", (int)cl, c, number, s, in->date) != 0 ||
	    ident_put(display, err, "%.*s %d%s, %s", (int)cl, c, number, s, in->date) != 0)
		return -1;
	return 0;
}

/* ---- bill of lading ---- */

int ident_bill_of_lading(const struct ident_input *in, struct dynbuf *key,
			 struct dynbuf *display, struct error *err)
{
	char c[IDENT_MAX_VALUE];
	uint32_t bad;
	long n = ident_compact(in->value, "-./", 0, c, sizeof c, &bad);
	if (n < 0)
		return refused(err, "bill of lading", in->value, bad,
			       "a bill of lading number has letters and digits");
	if (n < 4 || n > 35)
		return error_field(err, "value",
				   "bill of lading %s: %ld characters; a bill of lading number has 4 "
				   "to 35 letters and digits",
				   c, n);
	if (ident_put(key, err, "%s", c) != 0 || ident_put(display, err, "%s", c) != 0)
		return -1;
	return 0;
}

/* ---- online handle ---- */

static const char *const platforms[] = {
	"facebook", "instagram", "kakaotalk", "line", "qq", "signal", "skype", "snapchat",
	"telegram", "tiktok", "douyin", "viber", "wechat", "weibo", "whatsapp", "x", "youtube",
	"zalo", NULL,
};

static const char *const platform_aliases[][2] = {
	{ "fb", "facebook" }, { "messenger", "facebook" }, { "ig", "instagram" },
	{ "kakao", "kakaotalk" }, { "tg", "telegram" }, { "twitter", "x" },
	{ "weixin", "wechat" }, { "wa", "whatsapp" },
};

static const char *platform_name(const char *text)
{
	char buf[32];
	if (trimmed(text, buf, sizeof buf) < 0)
		return NULL;
	for (size_t i = 0; buf[i]; i++)
		buf[i] = lower(buf[i]);
	for (size_t i = 0; platforms[i]; i++)
		if (strcmp(platforms[i], buf) == 0)
			return platforms[i];
	for (size_t i = 0; i < sizeof platform_aliases / sizeof *platform_aliases; i++)
		if (strcmp(platform_aliases[i][0], buf) == 0)
			return platform_aliases[i][1];
	return NULL;
}

/* The handle in a profile address: "https://www.facebook.com/sun.chantha/"
 * -> "sun.chantha"; "facebook.com/profile.php?id=100012" -> "100012". */
static char *handle_from_url(char *s)
{
	char *p = strstr(s, "://");
	int url = p != NULL;
	if (p)
		s = p + 3;
	char *slash = strchr(s, '/');
	if (!slash)
		return s;
	size_t hl = (size_t)(slash - s);
	if (!url && !memchr(s, '.', hl))
		return s;  /* not a host name */
	char *path = slash + 1;
	char *id = strstr(path, "?id=");
	if (id && strncmp(path, "profile.php", 11) == 0) {
		path = id + 4;
		path[strcspn(path, "&#")] = '\0';
		return path;
	}
	path[strcspn(path, "/?#")] = '\0';
	return path;
}

int ident_handle(const struct ident_input *in, struct dynbuf *key, struct dynbuf *display,
		 struct error *err)
{
	char q[64], buf[IDENT_MAX_VALUE] = "";
	if (!in->platform || !*skip_space(in->platform))
		return error_field(err, "platform",
				   "a handle needs its platform (facebook, wechat, line, telegram, "
				   "whatsapp, zalo, tiktok, x, instagram, ...)");
	const char *platform = platform_name(in->platform);
	if (!platform) {
		char list[256] = "";
		for (size_t i = 0; platforms[i]; i++) {
			strcat(list, i ? ", " : "");
			strcat(list, platforms[i]);
		}
		return error_field(err, "platform", "platform %s is not known; one of %s",
				   ident_quote(q, in->platform), list);
	}
	const char *shown = ident_quote(q, in->value);
	if (trimmed(in->value, buf, sizeof buf) < 0)
		return error_field(err, "value", "handle %s: too long", shown);
	char *h = handle_from_url(buf);
	if (*h == '@')
		h++;
	size_t n = strlen(h);
	while (n > 0 && h[n - 1] == '/')
		h[--n] = '\0';
	if (n == 0)
		return error_field(err, "value", "handle %s: no name", shown);
	if (n > 100)
		return error_field(err, "value", "handle %s: longer than 100 characters", shown);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = ident_utf8_next(h + i, n - i, &cp);
		char b[32];
		if (len == 0)
			return error_field(err, "value", "handle %s: not valid UTF-8 text", shown);
		if (ident_is_space(cp))
			return error_field(err, "value", "handle %s: a handle has no spaces", shown);
		if (cp < 0x80 && !is_alnum((char)cp) && !strchr("._-+", (int)cp))
			return error_field(err, "value",
					   "handle %s: %s is not allowed; a handle has letters, "
					   "digits and . _ - +",
					   shown, ident_char_name(b, cp));
		if (cp >= 0x80 && cp < 0xA0)
			return error_field(err, "value", "handle %s: a control character", shown);
		if (len == 1)
			h[i] = lower(h[i]);
		i += len;
	}
	if (ident_put(key, err, "%s:%s", platform, h) != 0 ||
	    ident_put(display, err, "@%s (%s)", h, platform) != 0)
		return -1;
	return 0;
}

/* ---- address ---- */

int ident_address(const struct ident_input *in, const struct refdata *rd, struct dynbuf *key,
		  struct dynbuf *display, struct error *err)
{
	char iso2[3];
	struct arena ar;
	arena_init(&ar);
	const char *text = text_fold(&ar, in->value, strlen(in->value));
	const char *province = in->province ? text_fold(&ar, in->province, strlen(in->province))
					    : "";
	int rc = -1;
	if (!*text) {
		error_field(err, "value", "address: no letters or digits");
		goto out;
	}
	if (ident_country(rd, in->country, "an address", iso2, err) != 0)
		goto out;
	if (ident_put(key, err, "%s:%s:%s", iso2, province, text) != 0)
		goto out;
	if (display) {
		/* as typed, white space collapsed, then province and country */
		const char *s = skip_space(in->value);
		int space = 0;
		for (; *s; s++) {
			if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
				space = 1;
				continue;
			}
			if ((space && dynbuf_addc(display, ' ') != 0) || dynbuf_addc(display, *s) != 0) {
				error_set(err, ERR_TOO_LARGE, "the identifier does not fit its buffer");
				goto out;
			}
			space = 0;
		}
		const char *prov = in->province ? skip_space(in->province) : "";
		if ((*prov && ident_put(display, err, ", %s", prov) != 0) ||
		    ident_put(display, err, ", %s", iso2) != 0)
			goto out;
	}
	rc = 0;
out:
	arena_free(&ar);
	return rc;
}
