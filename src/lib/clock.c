#include "lib/clock.h"

#include <stdio.h>
#include <time.h>

int64_t clock_unix(void)
{
	return (int64_t)time(NULL);
}

int64_t clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* n as exactly width decimal digits at p (n >= 0). */
static char *put_digits(char *p, long n, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + n % 10);
		n /= 10;
	}
	return p + width;
}

/*
 * The civil (proleptic Gregorian) date of a day counted from 1970-01-01,
 * by the well-known days-to-civil arithmetic (eras of 400 years, years
 * starting in March).  Instead of gmtime_r(), whose glibc version takes the
 * time zone lock on every call: the server's threads and an import's two
 * threads each ask for the time once per record.
 */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468; /* days from 0000-03-01 */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                       /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);              /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                     /* [0, 11] from March */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Splits t (seconds since the epoch, UTC) into its date and time of day. */
static void split_time(int64_t t, int64_t *y, int *mon, int *day, int *sec_of_day)
{
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, y, mon, day);
	*sec_of_day = (int)rem;
}

void clock_iso(char *buf, unsigned size)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	clock_iso_of(buf, size, (int64_t)ts.tv_sec, (int)(ts.tv_nsec / 1000000));
}

void clock_iso_of(char *buf, unsigned size, int64_t t, int ms)
{
	int64_t y;
	int mon, day, sod;
	split_time(t, &y, &mon, &day, &sod);
	if (size < 25 || y < 0 || y > 9999) {
		snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, mon, day,
			 sod / 3600, sod / 60 % 60, sod % 60, ms);
		return;
	}
	/* by hand: this runs for every audit entry */
	char *p = put_digits(buf, (long)y, 4);
	*p++ = '-';
	p = put_digits(p, mon, 2);
	*p++ = '-';
	p = put_digits(p, day, 2);
	*p++ = 'T';
	p = put_digits(p, sod / 3600, 2);
	*p++ = ':';
	p = put_digits(p, sod / 60 % 60, 2);
	*p++ = ':';
	p = put_digits(p, sod % 60, 2);
	*p++ = '.';
	p = put_digits(p, ms, 3);
	*p++ = 'Z';
	*p = '\0';
}

char *date_text(char buf[11], int y, int m, int d)
{
	/* by hand: an import makes two per seizure */
	char *p = put_digits(buf, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p = '\0';
	return buf;
}

void clock_today(char *buf, unsigned size)
{
	int64_t y;
	int mon, day, sod;
	split_time((int64_t)time(NULL), &y, &mon, &day, &sod);
	if (size >= 11 && y >= 0 && y <= 9999)
		date_text(buf, (int)y, mon, day);
	else
		snprintf(buf, size, "%04lld-%02d-%02d", (long long)y, mon, day);
}
