#include "lib/numtext.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *num_text(char buf[NUM_TEXT_SIZE], int64_t v)
{
	int i = NUM_TEXT_SIZE - 1;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	buf[i] = '\0';
	do
		buf[--i] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		buf[--i] = '-';
	return &buf[i];
}

/* 5^k for k = 0..20 */
static uint64_t pow5(int k)
{
	uint64_t p = 1;
	while (k-- > 0)
		p *= 5;
	return p;
}

enum { G17_DIGITS = 17 };
#define TEN_TO_16 10000000000000000ULL
#define TEN_TO_17 100000000000000000ULL

/*
 * The 17 significant digits of |v| (v = m * 2^e, m < 2^53) whose leading
 * digit has weight 10^x: round(|v| * 10^(16 - x)), exact in 128 bits, ties
 * to even as glibc's printf rounds.  -1 when out of the range handled here.
 */
static int digits17(uint64_t m, int e, int x, uint64_t *out)
{
	int k = 16 - x;
	if (k < 0 || k > 20)
		return -1;
	unsigned __int128 n = (unsigned __int128)m * pow5(k);
	int sh = e + k; /* |v| * 10^k = n * 2^sh */
	unsigned __int128 d;
	if (sh >= 0) {
		if (sh > 10)
			return -1;
		d = n << sh;
	} else {
		int s = -sh;
		if (s > 120)
			return -1;
		d = n >> s;
		unsigned __int128 rem = n - (d << s), half = (unsigned __int128)1 << (s - 1);
		if (rem > half || (rem == half && (d & 1)))
			d++;
	}
	if (d >= (unsigned __int128)TEN_TO_17 * 10)
		return -1;
	*out = (uint64_t)d;
	return 0;
}

char *num_g17(char buf[NUM_G17_SIZE], double v)
{
	double a = fabs(v);
	/* by hand: the f-style range of %.17g from 1e-4 (a leading digit of
	 * weight 10^-4) up to 10^16; zero, the rest and NaN through snprintf */
	if (!(a >= 1e-4 && a < 1e16)) {
		snprintf(buf, NUM_G17_SIZE, "%.17g", v);
		return buf;
	}
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	uint64_t m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
	int e = (int)((bits >> 52) & 0x7ff) - 1075;
	int x = (int)floor(log10(a));
	uint64_t d = 0;
	int tries = 0;
	for (;; tries++) {
		if (tries == 4 || digits17(m, e, x, &d) != 0) {
			snprintf(buf, NUM_G17_SIZE, "%.17g", v);
			return buf;
		}
		if (d >= TEN_TO_17)
			x++;
		else if (d < TEN_TO_16)
			x--;
		else
			break;
	}
	if (x < -4 || x > 15) { /* rounded out of the f-style range */
		snprintf(buf, NUM_G17_SIZE, "%.17g", v);
		return buf;
	}
	char dig[G17_DIGITS];
	for (int i = G17_DIGITS - 1; i >= 0; i--, d /= 10)
		dig[i] = (char)('0' + d % 10);
	int last = G17_DIGITS - 1; /* the last digit kept: trailing zeros go */
	while (last > 0 && dig[last] == '0')
		last--;
	char *p = buf;
	if (v < 0)
		*p++ = '-';
	if (x >= 0) {
		memcpy(p, dig, (size_t)x + 1);
		p += x + 1;
		if (last > x) {
			*p++ = '.';
			memcpy(p, dig + x + 1, (size_t)(last - x));
			p += last - x;
		}
	} else {
		*p++ = '0';
		*p++ = '.';
		for (int i = 0; i < -x - 1; i++)
			*p++ = '0';
		memcpy(p, dig, (size_t)last + 1);
		p += last + 1;
	}
	*p = '\0';
	return buf;
}
