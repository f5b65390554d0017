/*
 * gen_analytics - a reproducible synthetic seizure register for the
 * analytics benchmark, written as two CSV files ready to load into the
 * kouprey schema (bench/analytics/load.sql) and into DuckDB:
 *
 *   gen_analytics --seizures N [--seed S] --out DIR
 *
 * DIR/seizures.csv: id,ref,agency_id,sharing,date,date_from,date_to,country,
 *   transport_mode,detection_method,concealment_code,origin,transit,
 *   destination,latitude,longitude,value_amount,value_currency
 * DIR/items.csv: id,seizure_id,line,species,term,quantity,unit
 * DIR/countries.csv: seizure_id,role,country (as the seizure_country table:
 *   role seizure, origin, transit, destination)
 *
 * 1-5 items per seizure (3 on average), dates 2015-01-01 .. 2025-06-30 with
 * a rising trend, 15 agencies (70% of seizures shared nationally), Mekong
 * and African source countries, species of the regional trade with their
 * terms and units, 40% with coordinates, 30% with a value.  Same arguments,
 * same bytes.
 *
 * Build: cc -O2 -std=c17 -o gen_analytics gen_analytics.c -lm
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unit(struct rng *r)
{
	return (double)(next(r) >> 11) * 0x1.0p-53;
}

static unsigned below(struct rng *r, unsigned n)
{
	return (unsigned)(unit(r) * n);
}

static double lognormal(struct rng *r, double median, double sigma)
{
	double u1 = unit(r), u2 = unit(r);
	if (u1 < 1e-300)
		u1 = 1e-300;
	return median * exp(sigma * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2));
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

struct profile {
	const char *species, *term, *unit;
	double median, sigma, weight;
	int africa;               /* origin mostly African */
};

static const struct profile profiles[] = {
	{ "Manis javanica", "SCA", "KIL", 40, 1.2, 8, 0 },
	{ "Manis javanica", "LIV", "", 6, 0.9, 5, 0 },
	{ "Manis javanica", "BOD", "", 5, 1.0, 3, 0 },
	{ "Manis pentadactyla", "SCA", "KIL", 15, 1.0, 2, 0 },
	{ "Manis gigantea", "SCA", "KIL", 400, 1.3, 3, 1 },
	{ "Manis tricuspis", "SCA", "KIL", 250, 1.3, 3, 1 },
	{ "Manis crassicaudata", "SCA", "KIL", 20, 1.0, 1, 0 },
	{ "Loxodonta africana", "TUS", "", 8, 1.1, 4, 1 },
	{ "Loxodonta africana", "TUS", "KIL", 90, 1.3, 4, 1 },
	{ "Loxodonta africana", "IVC", "KIL", 3, 1.2, 3, 1 },
	{ "Loxodonta africana", "IVP", "KIL", 15, 1.2, 2, 1 },
	{ "Elephas maximus", "TUS", "", 2, 0.6, 1, 0 },
	{ "Elephas maximus", "IVC", "GRM", 400, 1.0, 1, 0 },
	{ "Panthera tigris", "SKI", "", 1, 0.5, 2, 0 },
	{ "Panthera tigris", "BON", "KIL", 8, 0.9, 2, 0 },
	{ "Panthera tigris", "CLA", "", 15, 0.8, 1, 0 },
	{ "Panthera tigris", "TEE", "", 6, 0.7, 1, 0 },
	{ "Panthera tigris", "LIV", "", 1, 0.4, 1, 0 },
	{ "Ceratotherium simum", "HOR", "", 2, 0.6, 2, 1 },
	{ "Ceratotherium simum", "HOR", "KIL", 6, 0.9, 2, 1 },
	{ "Diceros bicornis", "HOR", "", 2, 0.5, 1, 1 },
	{ "Ursus thibetanus", "GAB", "", 4, 0.9, 2, 0 },
	{ "Ursus thibetanus", "GAL", "GRM", 150, 1.0, 1, 0 },
	{ "Helarctos malayanus", "GAB", "", 2, 0.7, 1, 0 },
	{ "Geochelone elegans", "LIV", "", 40, 1.1, 3, 0 },
	{ "Cuora amboinensis", "LIV", "", 80, 1.2, 3, 0 },
	{ "Indotestudo elongata", "LIV", "", 20, 1.0, 2, 0 },
	{ "Dalbergia cochinchinensis", "TIM", "KIL", 1500, 1.4, 6, 0 },
	{ "Pterocarpus santalinus", "TIM", "KIL", 3000, 1.3, 2, 0 },
	{ "Python reticulatus", "SKI", "", 20, 1.1, 3, 0 },
	{ "Varanus salvator", "SKI", "", 40, 1.1, 2, 0 },
	{ "Macaca fascicularis", "LIV", "", 8, 1.0, 3, 0 },
	{ "Nycticebus bengalensis", "LIV", "", 2, 0.7, 2, 0 },
	{ "Rhinoplax vigil", "CAR", "", 3, 0.8, 1, 0 },
	{ "Hippocampus kuda", "BOD", "KIL", 8, 1.2, 2, 0 },
	{ "Scleropages formosus", "LIV", "", 5, 1.0, 2, 0 },
};

struct place {
	const char *code;
	double weight, lat, lon;
};

static const struct place seize_countries[] = {
	{ "KH", 30, 12.5, 104.9 }, { "VN", 25, 16.0, 106.5 }, { "TH", 15, 14.5, 101.0 },
	{ "LA", 8, 18.5, 103.0 }, { "CN", 10, 24.0, 105.0 }, { "MY", 5, 3.5, 102.0 },
	{ "SG", 2, 1.35, 103.8 }, { "MM", 3, 19.0, 96.5 }, { "HK", 2, 22.3, 114.1 },
};
static const char *const africa[] = { "NG", "CM", "CD", "MZ", "ZA", "KE", "TZ", "UG", "CG", "GA" };
static const char *const asia[] = { "LA", "MM", "KH", "TH", "ID", "MY", "VN", "IN", "CN" };
static const char *const transits[] = { "MY", "SG", "TH", "LA", "AE", "ET", "KE", "HK" };
static const char *const dests[] = { "VN", "CN", "TH", "HK", "KH", "LA" };
static const char *const modes[] = { "sea", "air", "road", "road", "road", "post", "rail",
				     "on_foot", "vessel" };
static const char *const detections[] = { "routine_inspection", "risk_profiling", "xray",
					  "sniffer_dog", "intelligence", "tip_off", "patrol",
					  "online_monitoring" };
static const char *const concealments[] = { "none", "hidden_in_luggage", "false_compartment",
					    "mixed_with_legal_goods", "declared_as_other", "body",
					    "vehicle", "container", "post_parcel" };
static const char *const currencies[] = { "USD", "USD", "KHR", "VND", "THB" };

static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static size_t pick(struct rng *r, const double *w, size_t n, double total)
{
	double x = unit(r) * total;
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

int main(int argc, char **argv)
{
	long n = 0;
	uint64_t seed = 1;
	const char *out = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--seizures"))
			n = strtol(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--seed"))
			seed = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
	}
	if (n <= 0 || !out) {
		fprintf(stderr, "usage: gen_analytics --seizures N [--seed S] --out DIR\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/seizures.csv", out);
	FILE *fs = fopen(path, "w");
	snprintf(path, sizeof path, "%s/items.csv", out);
	FILE *fi = fopen(path, "w");
	snprintf(path, sizeof path, "%s/countries.csv", out);
	FILE *fc = fopen(path, "w");
	if (!fs || !fi || !fc) {
		perror("gen_analytics");
		return 1;
	}
	fprintf(fs, "id,ref,agency_id,sharing,date,date_from,date_to,country,transport_mode,"
		    "detection_method,concealment_code,origin,transit,destination,latitude,"
		    "longitude,value_amount,value_currency\n");
	fprintf(fi, "id,seizure_id,line,species,term,quantity,unit\n");
	fprintf(fc, "seizure_id,role,country\n");
	struct rng r = { seed * 0x2545F4914F6CDD1DULL + 7 };
	double pw[COUNT(profiles)], ptotal = 0, cw[COUNT(seize_countries)], ctotal = 0;
	for (size_t i = 0; i < COUNT(profiles); i++)
		ptotal += pw[i] = profiles[i].weight;
	for (size_t i = 0; i < COUNT(seize_countries); i++)
		ctotal += cw[i] = seize_countries[i].weight;
	int32_t d0 = days_from_civil(2015, 1, 1), d1 = days_from_civil(2025, 6, 30);
	long item_id = 0;
	for (long id = 1; id <= n; id++) {
		/* more seizures in later years: the square root of a uniform */
		int32_t day = d0 + (int32_t)(sqrt(unit(&r)) * (d1 - d0));
		int y, m, d;
		civil(day, &y, &m, &d);
		const struct place *pl = &seize_countries[pick(&r, cw, COUNT(seize_countries), ctotal)];
		unsigned nitems = 1 + below(&r, 5);
		size_t first = pick(&r, pw, COUNT(profiles), ptotal);
		int afr = profiles[first].africa;
		char origin[32] = "", transit[32] = "", dest[8] = "";
		double u = unit(&r);
		if (u < 0.85) {
			const char *o = afr ? africa[below(&r, COUNT(africa))] : asia[below(&r, COUNT(asia))];
			snprintf(origin, sizeof origin, "%s", o);
			if (unit(&r) < 0.05) {
				const char *o2 = afr ? africa[below(&r, COUNT(africa))]
						     : asia[below(&r, COUNT(asia))];
				if (strcmp(o2, o))
					snprintf(origin, sizeof origin, "%s;%s", o, o2);
			}
		}
		if (unit(&r) < 0.45) {
			snprintf(transit, sizeof transit, "%s", transits[below(&r, COUNT(transits))]);
			if (unit(&r) < 0.1)
				snprintf(transit + strlen(transit), sizeof transit - strlen(transit), ";%s",
					 transits[below(&r, COUNT(transits))]);
		}
		if (unit(&r) < 0.8)
			snprintf(dest, sizeof dest, "%s", dests[below(&r, COUNT(dests))]);
		fprintf(fs, "%ld,B-%ld,%u,%s,%04d-%02d-%02d,%04d-%02d-%02d,%04d-%02d-%02d,%s,%s,%s,%s,%s,%s,%s,",
			id, id, 1 + below(&r, 15), unit(&r) < 0.7 ? "national" : "agency", y, m, d, y,
			m, d, y, m, d, pl->code, modes[below(&r, COUNT(modes))],
			detections[below(&r, COUNT(detections))],
			concealments[below(&r, COUNT(concealments))], origin, transit, dest);
		if (unit(&r) < 0.4)
			fprintf(fs, "%.5f,%.5f,", pl->lat + (unit(&r) - 0.5) * 4,
				pl->lon + (unit(&r) - 0.5) * 4);
		else
			fputs(",,", fs);
		if (unit(&r) < 0.3) {
			const char *cur = currencies[below(&r, COUNT(currencies))];
			double usd = lognormal(&r, 5000, 1.5);
			double amount = !strcmp(cur, "KHR") ? usd * 4110 : !strcmp(cur, "VND") ? usd * 23800
							 : !strcmp(cur, "THB")		? usd * 34.8
												: usd;
			fprintf(fs, "%.2f,%s\n", amount, cur);
		} else {
			fputs(",\n", fs);
		}
		fprintf(fc, "%ld,seizure,%s\n", id, pl->code);
		const char *roles[3] = { "origin", "transit", "destination" };
		const char *lists[3] = { origin, transit, dest };
		for (int k = 0; k < 3; k++) {
			char copy[32];
			snprintf(copy, sizeof copy, "%s", lists[k]);
			char *save = NULL;
			int dup = 0;
			char seen[4][4] = { "", "", "", "" };
			int ns = 0;
			for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
				dup = 0;
				for (int j = 0; j < ns; j++)
					dup |= !strcmp(seen[j], t);
				if (dup || ns == 4)
					continue;
				snprintf(seen[ns++], 4, "%s", t);
				fprintf(fc, "%ld,%s,%s\n", id, roles[k], t);
			}
		}
		for (unsigned k = 0; k < nitems; k++) {
			size_t pi = k == 0 ? first : pick(&r, pw, COUNT(profiles), ptotal);
			const struct profile *p = &profiles[pi];
			double q = lognormal(&r, p->median, p->sigma);
			if (!*p->unit || q < 1)
				q = q < 1 ? 1 : floor(q + 0.5);
			else
				q = floor(q * 100 + 0.5) / 100;
			fprintf(fi, "%ld,%ld,%u,%s,%s,%.2f,%s\n", ++item_id, id, k + 1, p->species,
				p->term, q, p->unit);
		}
	}
	fclose(fs);
	fclose(fi);
	fclose(fc);
	fprintf(stderr, "gen_analytics: %ld seizures, %ld items\n", n, item_id);
	return 0;
}
