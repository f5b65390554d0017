/*
 * clock.h - wall-clock time for records and the audit log.  Dates are
 * worked out by arithmetic (no time zone lock, unlike gmtime_r in glibc):
 * any thread may call these at any rate.
 */
#ifndef KOUPREY_CLOCK_H
#define KOUPREY_CLOCK_H

#include <stdint.h>

/* Seconds since the epoch. */
int64_t clock_unix(void);
/* Monotonic milliseconds, for durations and throttling. */
int64_t clock_ms(void);
/* "2026-11-29T08:15:02.123Z" into buf (at least 32 bytes): now, in UTC. */
void clock_iso(char *buf, unsigned size);
/* The same for t seconds since the epoch and ms milliseconds (0..999). */
void clock_iso_of(char *buf, unsigned size, int64_t t, int ms);
/* Today as "YYYY-MM-DD" (UTC) into buf (at least 11 bytes). */
void clock_today(char *buf, unsigned size);
/* The date y-m-d as "YYYY-MM-DD" into buf (11 bytes); returns buf.  Years
 * 0..9999, months 1..12, days 1..31 (the caller's to check). */
char *date_text(char buf[11], int y, int m, int d);

#endif
