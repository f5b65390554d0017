/* Identifiers: kinds, the normalisation entry point, and search-box guesses. */
#include "party/identifier.h"

#include <stdio.h>
#include <string.h>

#include "party/ident_internal.h"
#include "text/fold.h"

static const char *const kind_names[IDENT_KIND_COUNT] = {
	[IDENT_PHONE] = "phone",
	[IDENT_EMAIL] = "email",
	[IDENT_PASSPORT] = "passport",
	[IDENT_ID_CARD] = "id_card",
	[IDENT_PLATE] = "plate",
	[IDENT_VESSEL] = "vessel",
	[IDENT_FLIGHT] = "flight",
	[IDENT_CONTAINER] = "container",
	[IDENT_BILL_OF_LADING] = "bill_of_lading",
	[IDENT_AIRWAY_BILL] = "airway_bill",
	[IDENT_BANK_ACCOUNT] = "bank_account",
	[IDENT_HANDLE] = "handle",
	[IDENT_ADDRESS] = "address",
};

/* How a kind is called in messages. */
static const char *const kind_words[IDENT_KIND_COUNT] = {
	[IDENT_PHONE] = "phone",
	[IDENT_EMAIL] = "e-mail",
	[IDENT_PASSPORT] = "passport",
	[IDENT_ID_CARD] = "ID card",
	[IDENT_PLATE] = "plate",
	[IDENT_VESSEL] = "IMO number",
	[IDENT_FLIGHT] = "flight",
	[IDENT_CONTAINER] = "container number",
	[IDENT_BILL_OF_LADING] = "bill of lading",
	[IDENT_AIRWAY_BILL] = "airway bill",
	[IDENT_BANK_ACCOUNT] = "bank account",
	[IDENT_HANDLE] = "handle",
	[IDENT_ADDRESS] = "address",
};

const char *ident_kind_name(enum ident_kind kind)
{
	return (unsigned)kind < IDENT_KIND_COUNT ? kind_names[kind] : "";
}

int ident_kind_parse(const char *name, enum ident_kind *out)
{
	if (!name)
		return -1;
	for (int k = 0; k < IDENT_KIND_COUNT; k++) {
		if (strcmp(kind_names[k], name) == 0) {
			*out = (enum ident_kind)k;
			return 0;
		}
	}
	return -1;
}

int ident_normalise(const struct ident_input *in, const struct refdata *rd, struct dynbuf *key,
		    struct dynbuf *display, struct error *err)
{
	if ((unsigned)in->kind >= IDENT_KIND_COUNT)
		return error_field(err, "kind", "not a kind of identifier");
	const char *word = kind_words[in->kind];
	const char *v = in->value ? in->value : "";
	size_t n = strlen(v);
	size_t i = 0;
	while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n'))
		i++;
	if (i == n)
		return error_field(err, "value", "%s: no value given", word);
	size_t max = in->kind == IDENT_ADDRESS ? IDENT_MAX_ADDRESS : IDENT_MAX_VALUE - 1;
	if (n > max)
		return error_field(err, "value", "%s: %zu bytes, at most %zu allowed", word, n, max);
	if (!text_valid_utf8(v, n))
		return error_field(err, "value", "%s: not valid UTF-8 text (or has control characters)",
				   word);
	struct ident_input c = *in;
	c.value = v;
	switch (in->kind) {
	case IDENT_PHONE: return ident_phone(&c, rd, key, display, err);
	case IDENT_EMAIL: return ident_email(&c, key, display, err);
	case IDENT_PASSPORT:
	case IDENT_ID_CARD: return ident_document(&c, rd, key, display, err);
	case IDENT_PLATE: return ident_plate(&c, rd, key, display, err);
	case IDENT_VESSEL: return ident_vessel(&c, key, display, err);
	case IDENT_FLIGHT: return ident_flight(&c, key, display, err);
	case IDENT_CONTAINER: return ident_container(&c, key, display, err);
	case IDENT_BILL_OF_LADING: return ident_bill_of_lading(&c, key, display, err);
	case IDENT_AIRWAY_BILL: return ident_airway_bill(&c, key, display, err);
	case IDENT_BANK_ACCOUNT: return ident_bank_account(&c, rd, key, display, err);
	case IDENT_HANDLE: return ident_handle(&c, key, display, err);
	case IDENT_ADDRESS: return ident_address(&c, rd, key, display, err);
	case IDENT_KIND_COUNT: break;
	}
	return error_field(err, "kind", "not a kind of identifier");
}

/* ---- guesses for the search box ---- */

struct guesser {
	const struct refdata *rd;
	const char *country;
	struct ident_guess *out;
	size_t max, n;
	struct arena *ar;
	struct dynbuf key;
};

static void add_key(struct guesser *g, enum ident_kind kind, const char *key)
{
	if (g->n >= g->max || !*key)
		return;
	for (size_t i = 0; i < g->n; i++)
		if (g->out[i].kind == kind && strcmp(g->out[i].key, key) == 0)
			return;
	g->out[g->n].kind = kind;
	g->out[g->n].key = arena_strdup(g->ar, key);
	g->n++;
}

/* Adds kind if text normalises as it (with country, platform as given). */
static void try_kind(struct guesser *g, enum ident_kind kind, const char *text,
		     const char *country)
{
	if (g->n >= g->max)
		return;
	struct ident_input in = { .kind = kind, .value = text, .country = country };
	struct error e = ERROR_INIT;
	dynbuf_reset(&g->key);
	if (ident_normalise(&in, g->rd, &g->key, NULL, &e) == 0)
		add_key(g, kind, dynbuf_str(&g->key));
	error_clear(&e);
}

/* A handle on any platform: key "*:name". */
static void try_handle(struct guesser *g, const char *text)
{
	if (g->n >= g->max)
		return;
	struct ident_input in = { .kind = IDENT_HANDLE, .value = text, .platform = "x" };
	struct error e = ERROR_INIT;
	dynbuf_reset(&g->key);
	if (ident_normalise(&in, g->rd, &g->key, NULL, &e) == 0) {
		const char *k = dynbuf_str(&g->key);  /* "x:name" */
		add_key(g, IDENT_HANDLE, arena_sprintf(g->ar, "*%s", strchr(k, ':')));
	}
	error_clear(&e);
}

/* What the text is made of, ignoring spaces and - . / ( ). */
struct shape {
	size_t digits, letters, other, len;  /* len: characters kept */
	int plus;                            /* starts with + */
	int at;                              /* has an @ after the start */
	int space;                           /* has white space inside */
};

static void shape_of(const char *t, struct shape *s)
{
	memset(s, 0, sizeof *s);
	size_t n = strlen(t);
	int first = 1;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = ident_utf8_next(t + i, n - i, &cp);
		if (len == 0) {
			s->other++;
			i++;
			continue;
		}
		i += len;
		if (ident_is_space(cp)) {
			s->space = 1;
			continue;
		}
		if (cp == '+' && first)
			s->plus = 1;
		else if (cp == '@' && !first)
			s->at = 1;
		else if (ident_digit_value(cp) >= 0)
			s->digits++, s->len++;
		else if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp >= 0x80)
			s->letters++, s->len++;
		else if (!strchr("-./()", (int)cp))
			s->other++;
		first = 0;
	}
}

size_t ident_guess(const char *text, const struct refdata *rd, const char *default_country,
		   struct ident_guess *out, size_t max, struct arena *ar)
{
	if (!text || max == 0)
		return 0;
	size_t n = strlen(text);
	if (n == 0 || n >= IDENT_MAX_VALUE || !text_valid_utf8(text, n))
		return 0;
	char buf[IDENT_MAX_VALUE];
	while (*text == ' ' || *text == '\t')
		text++;
	n = strlen(text);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\r' ||
			 text[n - 1] == '\n'))
		n--;
	if (n == 0)
		return 0;
	memcpy(buf, text, n);
	buf[n] = '\0';

	struct guesser g = { .rd = rd, .country = default_country, .out = out, .max = max,
			     .ar = ar };
	dynbuf_init(&g.key, 4 * IDENT_MAX_VALUE);
	const char *dc = default_country && *default_country ? default_country : NULL;
	struct shape s;
	shape_of(buf, &s);

	if (s.at && !s.space) {
		try_kind(&g, IDENT_EMAIL, buf, NULL);
	} else if (buf[0] == '@' && !s.space && n > 1) {
		try_handle(&g, buf);  /* "@sun.chantha": a handle on any platform */
	} else if (s.other == 0) {
		/* verified by check digits first */
		if (s.letters >= 4 && s.digits == 7)
			try_kind(&g, IDENT_CONTAINER, buf, NULL);
		if (s.digits == 7 && (s.letters == 0 || s.letters == 3))
			try_kind(&g, IDENT_VESSEL, buf, NULL);
		if (s.digits == 11 && s.letters == 0 && !s.plus)
			try_kind(&g, IDENT_AIRWAY_BILL, buf, NULL);
		if (s.letters >= 2 && s.len >= 15)
			try_kind(&g, IDENT_BANK_ACCOUNT, buf, NULL);  /* an IBAN only */
		/* phones: as typed with the default country, and as an
		 * international number typed without its + */
		if (s.letters == 0 && s.digits >= 6) {
			try_kind(&g, IDENT_PHONE, buf, dc);
			if (!s.plus && buf[0] != '0') {
				char intl[IDENT_MAX_VALUE + 1];
				snprintf(intl, sizeof intl, "+%s", buf);
				try_kind(&g, IDENT_PHONE, intl, NULL);
			}
		}
		/* free-form numbers, in the default country */
		if (dc && s.len >= 2 && s.len <= 16 && s.digits > 0)
			try_kind(&g, IDENT_PLATE, buf, dc);
		if (dc && s.len >= 5 && s.len <= 20 && s.digits > 0) {
			try_kind(&g, IDENT_PASSPORT, buf, dc);
			try_kind(&g, IDENT_ID_CARD, buf, dc);
		}
		if (s.len >= 6 && s.digits > 0 && !s.plus)
			try_kind(&g, IDENT_BILL_OF_LADING, buf, NULL);
		if (dc && s.letters == 0 && s.digits >= 6 && !s.plus)
			try_kind(&g, IDENT_BANK_ACCOUNT, buf, dc);
	}
	/* a single word of handle characters: a handle on some platform */
	if (!s.space && !s.plus && buf[0] != '@' && !s.at && s.letters > 0 && n >= 3) {
		try_handle(&g, buf);
	}
	dynbuf_free(&g.key);
	return g.n;
}
