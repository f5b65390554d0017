/*
 * gen_seizures - a reproducible synthetic seizure file for kouprey's benchmarks.
 *
 *   gen_seizures --rows N [--seed S] > seizures.csv
 *   gen_seizures --check DATA_DIR
 *
 * Writes N item rows (plus a header) in kouprey's canonical import format:
 * one row per seizure item, the rows of one seizure contiguous and carrying
 * the same seizure_ref and the same seizure fields.  The output depends only
 * on N and the seed (default 1): same arguments, same bytes, on any machine.
 *
 * The content is meant to look like a Mekong-region register: 1-5 items per
 * seizure, dates in 2015-2025, about fifteen agencies of Cambodia and its
 * neighbours, real UN/LOCODEs with their coordinates, CITES species with
 * plausible terms, units and quantities, controlled vocabulary given as codes
 * or documented synonyms, and free text in Khmer, Vietnamese, Thai, Lao,
 * Chinese, French and Portuguese, with commas, quotes and newlines that force
 * CSV quoting.
 *
 * --check DATA_DIR verifies the generator's tables against kouprey's
 * reference data (species.csv, cites_term_units.csv, locations.csv,
 * vocab.csv, countries.csv) and exits non-zero, naming each problem, if a
 * species, term/unit pair, LOCODE, vocabulary value or country it would
 * write is not known there.
 *
 * Build: cc -O2 -std=c17 -o gen_seizures gen_seizures.c -lm
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- deterministic PRNG: xoshiro256** seeded through splitmix64 ---------- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n). */
static unsigned rng_below(struct rng *r, unsigned n)
{
	return (unsigned)(rng_unit(r) * n);
}

static int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* Log-normal with the given median; sigma is the spread of the log. */
static double rng_lognormal(struct rng *r, double median, double sigma)
{
	double u1 = rng_unit(r), u2 = rng_unit(r);
	if (u1 < 1e-300)
		u1 = 1e-300;
	double z = sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
	return median * exp(sigma * z);
}

/* Index into weights[0..n) chosen in proportion to the weights. */
static size_t pick_weighted(struct rng *r, const double *w, size_t n)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	double x = rng_unit(r) * total;
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))
#define PICK(r, a) ((a)[rng_below((r), (unsigned)COUNT(a))])

/* ---- the tables ---------------------------------------------------------- */

struct agency {
	const char *name;
	const char *country;
	const char *ref_prefix;
	double weight; /* within its country */
};

static const struct agency agencies[] = {
	{ "General Department of Customs and Excise", "KH", "GDCE", 4 },
	{ "Forestry Administration", "KH", "FA", 3 },
	{ "Wildlife Crime Unit", "KH", "WCU", 2 },
	{ "Fisheries Administration", "KH", "FIA", 1 },
	{ "Department of Environmental Police", "VN", "C05", 2 },
	{ "General Department of Vietnam Customs", "VN", "GDVC", 3 },
	{ "Thai Customs Department", "TH", "TCD", 1 },
	{ "Lao Customs Department", "LA", "LCD", 1 },
	{ "General Administration of Customs of China", "CN", "GACC", 1 },
	{ "Royal Malaysian Customs Department", "MY", "RMCD", 1 },
	{ "Directorate General of Customs and Excise (Indonesia)", "ID", "DJBC", 1 },
	{ "Myanmar Customs Department", "MM", "MCD", 1 },
	{ "Nigeria Customs Service", "NG", "NCS", 1 },
	{ "Direction Générale des Douanes et Accises", "CD", "DGDA", 1 },
	{ "Autoridade Tributária de Moçambique – Alfândegas", "MZ", "ATM", 1 },
};

struct country_weight {
	const char *iso2;
	double weight;
	int africa;
};

static const struct country_weight seizure_countries[] = {
	{ "KH", 40, 0 }, { "VN", 16, 0 }, { "TH", 10, 0 }, { "LA", 5, 0 },
	{ "CN", 9, 0 },	 { "MY", 5, 0 },  { "ID", 4, 0 },  { "MM", 3, 0 },
	{ "NG", 4, 1 },	 { "CD", 2, 1 },  { "MZ", 2, 1 },
};

/*
 * Places of seizure.  A place with a LOCODE names an entry of
 * data/locations.csv of the same country; coordinates are those of the file
 * where it has them, else the place's well-known position.  mode is the
 * usual transport mode there.  A NULL locode is a site with no port code
 * (a protected area, a road checkpoint).
 */
struct place {
	const char *country;
	const char *locode;
	const char *name;
	const char *local; /* the name in the local script */
	const char *province;
	double lat, lon;
	const char *mode;
	double weight;
};

static const struct place places[] = {
	{ "KH", "KHKOS", "Kâmpóng Saôm (Sihanoukville)", "ក្រុងព្រះសីហនុ", "Preah Sihanouk", 10.60000, 103.51667, "sea", 6 },
	{ "KH", "KHPNH", "Phnom Penh", "ភ្នំពេញ", "Phnom Penh", 11.55640, 104.92820, "air", 8 },
	{ "KH", "KHREP", "Siem Reap", "សៀមរាប", "Siem Reap", 13.36330, 103.85640, "air", 2 },
	{ "KH", "KHPPT", "Paôy Pêt (Poipet)", "ប៉ោយប៉ែត", "Banteay Meanchey", 13.65000, 102.55000, "road", 3 },
	{ "KH", "KHBVT", "Bavet", "បាវិត", "Svay Rieng", 11.06667, 106.13333, "road", 3 },
	{ "KH", "KHKKZ", "Koh Kong", "កោះកុង", "Koh Kong", 11.61530, 102.98380, "vessel", 2 },
	{ "KH", "KHTNX", "Stung Treng", "ស្ទឹងត្រែង", "Stung Treng", 13.52590, 105.96830, "road", 2 },
	{ "KH", "KHKTI", "Kratie", "ក្រចេះ", "Kratie", 12.48810, 106.01880, "vessel", 2 },
	{ "KH", "KHRBE", "Ratanakiri", "រតនគិរី", "Ratanakiri", 13.73940, 106.98730, "road", 1 },
	{ "KH", "KHMWV", "Mundulkiri", "មណ្ឌលគិរី", "Mondulkiri", 12.45580, 107.18810, "road", 1 },
	{ "KH", "KHBBM", "Battambang", "បាត់ដំបង", "Battambang", 13.09570, 103.20220, "road", 1 },
	{ "KH", NULL, "Keo Seima Wildlife Sanctuary", "ដែនជម្រកសត្វព្រៃកែវសីមា", "Mondulkiri", 12.25000, 106.90000, "on_foot", 2 },
	{ "KH", NULL, "Prey Lang Wildlife Sanctuary", "ដែនជម្រកសត្វព្រៃព្រៃឡង់", "Kampong Thom", 13.20000, 105.50000, "road", 2 },
	{ "KH", NULL, "Cardamom Mountains, Thma Bang", "ជួរភ្នំក្រវាញ ថ្មបាំង", "Koh Kong", 11.85000, 103.20000, "on_foot", 1 },
	{ "VN", "VNSGN", "Ho Chi Minh City", "Thành phố Hồ Chí Minh", "Hồ Chí Minh", 10.76667, 106.66667, "air", 3 },
	{ "VN", "VNTSN", "Tan Son Nhat Apt", "Sân bay Tân Sơn Nhất", "Hồ Chí Minh", 10.81880, 106.65190, "air", 3 },
	{ "VN", "VNCLI", "Cát Lái", "Cảng Cát Lái", "Hồ Chí Minh", 10.76667, 106.78333, "sea", 4 },
	{ "VN", "VNHAN", "Hanoi", "Hà Nội", "Hà Nội", 21.03333, 105.85000, "air", 3 },
	{ "VN", "VNHPH", "Haiphong", "Hải Phòng", "Hải Phòng", 20.84490, 106.68810, "sea", 3 },
	{ "VN", "VNDAD", "Da Nang", "Đà Nẵng", "Đà Nẵng", 16.06667, 108.21667, "sea", 2 },
	{ "VN", "VNMOC", "Mong Cai", "Móng Cái", "Quảng Ninh", 21.52470, 107.96640, "road", 2 },
	{ "VN", "VNLAO", "Lao Bao", "Lao Bảo", "Quảng Trị", 16.61667, 106.60000, "road", 2 },
	{ "TH", "THBKK", "Bangkok", "กรุงเทพมหานคร", "Bangkok", 13.75000, 100.51667, "sea", 3 },
	{ "TH", "THSIA", "Suvarnabhumi International Apt", "ท่าอากาศยานสุวรรณภูมิ", "Samut Prakan", 13.71667, 100.78333, "air", 4 },
	{ "TH", "THLCH", "Laem Chabang", "แหลมฉบัง", "Chon Buri", 13.08333, 100.88333, "sea", 2 },
	{ "TH", "THNOK", "Nong Khai Customs House", "หนองคาย", "Nong Khai", 17.85000, 102.73333, "road", 2 },
	{ "TH", "THMDN", "Mukdahan", "มุกดาหาร", "Mukdahan", 16.53333, 104.71667, "road", 1 },
	{ "LA", "LAVTE", "Vientiane", "ນະຄອນຫຼວງວຽງຈັນ", "Vientiane Capital", 17.97570, 102.63310, "road", 3 },
	{ "LA", "LAHOE", "Houeisay", "ຫ້ວຍຊາຍ", "Bokeo", 20.27660, 100.41280, "vessel", 2 },
	{ "LA", "LASAV", "Savannakhét", "ສະຫວັນນະເຂດ", "Savannakhet", 16.55000, 104.75000, "road", 2 },
	{ "CN", "CNCAN", "Guangzhou Baiyun International Apt (Canton)", "广州白云国际机场", "广东", 23.39240, 113.29880, "air", 3 },
	{ "CN", "CNDOX", "Dongxing", "东兴", "广西", 21.48333, 107.98333, "road", 3 },
	{ "CN", "CNKNM", "Kunming", "昆明", "云南", 25.06667, 102.70000, "road", 2 },
	{ "CN", "CNSNZ", "Shenzhen", "深圳", "广东", 22.55000, 114.11667, "sea", 2 },
	{ "CN", "CNXAM", "Xiamen", "厦门", "福建", 24.45000, 118.10000, "sea", 1 },
	{ "MY", "MYPKG", "Port Klang (Pelabuhan Klang)", "Pelabuhan Klang", "Selangor", 3.00000, 101.40000, "sea", 3 },
	{ "MY", "MYKUL", "Kuala Lumpur", "Kuala Lumpur", "Wilayah Persekutuan", 2.74560, 101.70720, "air", 3 },
	{ "MY", "MYPEN", "Penang (Georgetown)", "Pulau Pinang", "Pulau Pinang", 5.41667, 100.31667, "sea", 1 },
	{ "MY", "MYTPP", "Tanjung Pelepas", "Tanjung Pelepas", "Johor", 1.36667, 103.55000, "sea", 1 },
	{ "ID", "IDJKT", "Jakarta, Java", "Tanjung Priok, Jakarta", "DKI Jakarta", -6.13333, 106.83333, "sea", 3 },
	{ "ID", "IDSUB", "Surabaya", "Surabaya", "Jawa Timur", -7.23333, 112.75000, "sea", 2 },
	{ "MM", "MMRGN", "Yangon (Rangoon)", "ရန်ကုန်", "Yangon", 16.84090, 96.17350, "sea", 2 },
	{ "MM", "MMTHL", "Tachilek", "တာချီလိတ်", "Shan", 20.44780, 99.88080, "road", 2 },
	{ "MM", "MMMSE", "Mu Se", "မူဆယ်", "Shan", 23.98333, 97.90000, "road", 1 },
	{ "NG", "NGLOS", "Lagos", "Lagos", "Lagos", 6.45500, 3.38410, "air", 2 },
	{ "NG", "NGAPP", "Apapa", "Apapa", "Lagos", 6.44740, 3.36410, "sea", 3 },
	{ "CD", "CDFIH", "Kinshasa", "Kinshasa", "Kinshasa", -4.32170, 15.31250, "air", 2 },
	{ "CD", "CDMAT", "Matadi", "Matadi", "Kongo-Central", -5.81670, 13.45000, "sea", 1 },
	{ "MZ", "MZMPM", "Maputo", "Maputo", "Maputo", -25.96530, 32.58920, "sea", 2 },
	{ "MZ", "MZBEW", "Beira", "Beira", "Sofala", -19.84360, 34.83890, "sea", 1 },
	{ "MZ", "MZPOL", "Pemba", "Pemba", "Cabo Delgado", -12.97400, 40.51780, "sea", 1 },
};

/* One kind of item a species is seized as: CITES term, unit ("" = number of
 * specimens), a log-normal quantity, and whether the specimens are live. */
struct product {
	const char *term;
	const char *unit;
	double median, sigma, min, max;
	int decimals;  /* 0 = a whole count */
	int live;      /* 1 live, 0 dead */
	double weight;
};

enum trade { TRADE_ASIA, TRADE_AFRICA, TRADE_TIMBER };

struct species {
	const char *name; /* a full_name of data/species.csv */
	double w_asia, w_africa; /* how often seized in Asian / African countries */
	enum trade trade;
	struct product products[5];
};

#define P(term, unit, median, sigma, min, max, dec, live, w) \
	{ term, unit, median, sigma, min, max, dec, live, w }

static const struct species species_table[] = {
	{ "Manis javanica", 18, 0, TRADE_ASIA, {
		P("SCA", "KIL", 40, 1.6, 0.2, 12000, 1, 0, 6),
		P("LIV", "", 4, 1.0, 1, 300, 0, 1, 3),
		P("BOD", "", 6, 1.2, 1, 2000, 0, 0, 2),
		P("MEA", "KIL", 15, 1.0, 0.5, 2000, 1, 0, 1),
		P("SCA", "GRM", 300, 1.0, 5, 5000, 0, 0, 1) } },
	{ "Manis pentadactyla", 3, 0, TRADE_ASIA, {
		P("SCA", "KIL", 25, 1.4, 0.2, 5000, 1, 0, 3),
		P("LIV", "", 2, 0.8, 1, 50, 0, 1, 1) } },
	{ "Manis culionensis", 1, 0, TRADE_ASIA, {
		P("SCA", "KIL", 20, 1.2, 0.5, 2000, 1, 0, 2),
		P("BOD", "", 10, 1.0, 1, 500, 0, 0, 1) } },
	{ "Manis gigantea", 0, 8, TRADE_AFRICA, {
		P("SCA", "KIL", 500, 1.5, 5, 15000, 1, 0, 5) } },
	{ "Manis tricuspis", 0, 8, TRADE_AFRICA, {
		P("SCA", "KIL", 300, 1.5, 2, 12000, 1, 0, 5),
		P("BOD", "", 5, 1.0, 1, 200, 0, 0, 1) } },
	{ "Panthera tigris", 4, 0, TRADE_ASIA, {
		P("BON", "KIL", 8, 1.0, 0.2, 300, 2, 0, 3),
		P("SKI", "", 1, 0.6, 1, 20, 0, 0, 2),
		P("BOD", "", 1, 0.5, 1, 10, 0, 0, 1),
		P("CLA", "", 10, 1.0, 1, 400, 0, 0, 1),
		P("TEE", "", 6, 1.0, 1, 200, 0, 0, 1) } },
	{ "Panthera pardus", 2, 1, TRADE_ASIA, {
		P("SKI", "", 1, 0.6, 1, 30, 0, 0, 3),
		P("BON", "KIL", 3, 1.0, 0.1, 100, 2, 0, 1),
		P("CLA", "", 8, 1.0, 1, 200, 0, 0, 1) } },
	{ "Elephas maximus", 4, 0, TRADE_ASIA, {
		P("TUS", "", 2, 0.8, 1, 60, 0, 0, 3),
		P("IVC", "", 20, 1.5, 1, 5000, 0, 0, 3),
		P("IVC", "KIL", 3, 1.2, 0.05, 500, 2, 0, 2),
		P("LIV", "", 1, 0.2, 1, 3, 0, 1, 1) } },
	{ "Loxodonta africana", 6, 25, TRADE_AFRICA, {
		P("TUS", "KIL", 300, 1.4, 2, 9000, 1, 0, 4),
		P("TUS", "", 20, 1.5, 1, 1000, 0, 0, 3),
		P("IVC", "KIL", 5, 1.3, 0.05, 800, 2, 0, 2),
		P("IVC", "", 30, 1.5, 1, 8000, 0, 0, 2) } },
	{ "Ceratotherium simum", 2, 6, TRADE_AFRICA, {
		P("HOR", "", 3, 1.0, 1, 60, 0, 0, 4),
		P("HOR", "KIL", 8, 1.0, 0.2, 300, 2, 0, 1) } },
	{ "Diceros bicornis", 0.3, 2, TRADE_AFRICA, {
		P("HOR", "", 2, 0.8, 1, 20, 0, 0, 1) } },
	{ "Dalbergia cochinchinensis", 10, 0, TRADE_TIMBER, {
		P("TIM", "CUM", 8, 1.3, 0.1, 600, 2, 0, 4),
		P("LOG", "CUM", 10, 1.3, 0.1, 800, 2, 0, 3),
		P("LOG", "", 40, 1.4, 1, 5000, 0, 0, 2),
		P("TIM", "KIL", 800, 1.4, 5, 60000, 0, 0, 1) } },
	{ "Dalbergia oliveri", 4, 0, TRADE_TIMBER, {
		P("TIM", "CUM", 6, 1.2, 0.1, 400, 2, 0, 2),
		P("LOG", "", 30, 1.3, 1, 3000, 0, 0, 1) } },
	{ "Pterocarpus santalinus", 1, 0, TRADE_TIMBER, {
		P("LOG", "KIL", 2000, 1.2, 20, 80000, 0, 0, 2),
		P("TIM", "KIL", 1000, 1.2, 10, 40000, 0, 0, 1) } },
	{ "Aquilaria crassna", 3, 0, TRADE_TIMBER, {
		P("CHP", "KIL", 12, 1.3, 0.1, 2000, 2, 0, 3),
		P("TIM", "KIL", 60, 1.2, 1, 5000, 1, 0, 1) } },
	{ "Cuora amboinensis", 6, 0, TRADE_ASIA, {
		P("LIV", "", 80, 1.5, 1, 5000, 0, 1, 1) } },
	{ "Indotestudo elongata", 3, 0, TRADE_ASIA, {
		P("LIV", "", 20, 1.3, 1, 2000, 0, 1, 1) } },
	{ "Heosemys annandalii", 2, 0, TRADE_ASIA, {
		P("LIV", "", 30, 1.3, 1, 2000, 0, 1, 1) } },
	{ "Geochelone platynota", 0.5, 0, TRADE_ASIA, {
		P("LIV", "", 5, 1.0, 1, 200, 0, 1, 1) } },
	{ "Python reticulatus", 4, 0, TRADE_ASIA, {
		P("SKI", "", 50, 1.5, 1, 3000, 0, 0, 3),
		P("SKI", "SQM", 30, 1.2, 0.5, 2000, 1, 0, 1),
		P("LIV", "", 3, 1.0, 1, 100, 0, 1, 2) } },
	{ "Nycticebus coucang", 1.5, 0, TRADE_ASIA, {
		P("LIV", "", 2, 0.9, 1, 40, 0, 1, 1) } },
	{ "Nycticebus bengalensis", 1, 0, TRADE_ASIA, {
		P("LIV", "", 2, 0.9, 1, 40, 0, 1, 1) } },
	{ "Nycticebus pygmaeus", 1.5, 0, TRADE_ASIA, {
		P("LIV", "", 3, 0.9, 1, 60, 0, 1, 1) } },
	{ "Rhinoplax vigil", 1.5, 0, TRADE_ASIA, {
		P("CAR", "", 5, 1.2, 1, 400, 0, 0, 3),
		P("SKU", "", 4, 1.2, 1, 300, 0, 0, 1) } },
	{ "Helarctos malayanus", 2, 0, TRADE_ASIA, {
		P("GAL", "", 3, 1.0, 1, 100, 0, 0, 2),
		P("LIV", "", 1, 0.4, 1, 6, 0, 1, 1),
		P("CLA", "", 12, 1.0, 1, 300, 0, 0, 1) } },
	{ "Ursus thibetanus", 1, 0, TRADE_ASIA, {
		P("GAL", "", 4, 1.0, 1, 200, 0, 0, 2),
		P("GAL", "GRM", 200, 1.0, 5, 5000, 0, 0, 1) } },
	{ "Varanus salvator", 2, 0, TRADE_ASIA, {
		P("SKI", "", 100, 1.4, 1, 5000, 0, 0, 1),
		P("LIV", "", 10, 1.2, 1, 500, 0, 1, 1) } },
	{ "Macaca fascicularis", 2, 0, TRADE_ASIA, {
		P("LIV", "", 6, 1.3, 1, 500, 0, 1, 1) } },
	{ "Hippocampus kuda", 2, 0, TRADE_ASIA, {
		P("BOD", "KIL", 20, 1.3, 0.2, 2000, 1, 0, 2),
		P("BOD", "", 300, 1.3, 5, 50000, 0, 0, 1) } },
	{ "Crocodylus siamensis", 1, 0, TRADE_ASIA, {
		P("LIV", "", 4, 1.2, 1, 300, 0, 1, 1),
		P("SKI", "", 10, 1.2, 1, 500, 0, 0, 1) } },
	{ "Psittacus erithacus", 0, 3, TRADE_AFRICA, {
		P("LIV", "", 40, 1.2, 1, 1500, 0, 1, 1) } },
	{ "Hylobates pileatus", 0.5, 0, TRADE_ASIA, {
		P("LIV", "", 1, 0.4, 1, 5, 0, 1, 1) } },
	{ "Naja naja", 1, 0, TRADE_ASIA, {
		P("LIV", "", 15, 1.2, 1, 800, 0, 1, 1) } },
	{ "Tridacna gigas", 0.5, 0, TRADE_ASIA, {
		P("SHE", "", 10, 1.2, 1, 500, 0, 0, 1),
		P("SHE", "KIL", 100, 1.2, 1, 8000, 1, 0, 1) } },
};

/* Controlled vocabulary: the code, then documented synonyms (vocab.csv). */
struct vocab_value {
	const char *code;
	const char *synonyms[3];
	double weight;
};

static const struct vocab_value reasons[] = {
	{ "no_permit", { "without permit", "no licence", "unlicensed" }, 5 },
	{ "false_declaration", { "misdeclared", "undeclared", "false description" }, 2 },
	{ "prohibited_species", { "protected species", "prohibited", NULL }, 3 },
	{ "invalid_permit", { "fake permit", "forged permit", "expired permit" }, 1 },
	{ "quantity_exceeds_permit", { "excess quantity", NULL, NULL }, 0.5 },
	{ "illegal_possession", { "possession", NULL, NULL }, 3 },
	{ "other", { NULL, NULL, NULL }, 0.3 },
};

static const struct vocab_value transport_modes[] = {
	{ "air", { "air cargo", "air freight", "flight" }, 1 },
	{ "sea", { "sea freight", "ship", "maritime" }, 1 },
	{ "road", { "truck", "car", "motorbike" }, 1 },
	{ "rail", { "train", "railway", NULL }, 0.1 },
	{ "post", { "courier", "express mail", "parcel post" }, 0.3 },
	{ "on_foot", { "on foot", "foot", NULL }, 0.2 },
	{ "vessel", { "boat", "river boat", "fishing boat" }, 0.3 },
	{ "unknown", { "not known", "n/a", NULL }, 0.2 },
};

static const struct vocab_value detection_methods[] = {
	{ "routine_inspection", { "routine", "physical inspection", "routine check" }, 4 },
	{ "risk_profiling", { "profiling", "targeting", NULL }, 2 },
	{ "xray", { "x-ray", "scanner", "x ray" }, 3 },
	{ "sniffer_dog", { "k9", "detector dog", "canine" }, 1 },
	{ "intelligence", { "intel", "investigation", NULL }, 3 },
	{ "tip_off", { "informant", "hotline", "tip-off" }, 2 },
	{ "patrol", { "ranger patrol", "patrolling", NULL }, 2 },
	{ "online_monitoring", { "social media", "online", NULL }, 0.5 },
	{ "other", { NULL, NULL, NULL }, 0.3 },
};

static const struct vocab_value legal_actions[] = {
	{ "criminal", { "prosecution", "criminal case", NULL }, 5 },
	{ "civil", { "civil case", NULL, NULL }, 0.3 },
	{ "administrative", { "fine", "administrative fine", NULL }, 2 },
	{ "none", { "no action", NULL, NULL }, 1 },
	{ "pending", { "under investigation", "ongoing", NULL }, 3 },
	{ "unknown", { "not known", NULL, NULL }, 1 },
};

static const struct vocab_value disposals_dead[] = {
	{ "stockpile", { "government stockpile", "warehouse", "stored" }, 4 },
	{ "destroyed", { "burned", "crushed", "incinerated" }, 2 },
	{ "auction", { "auctioned", NULL, NULL }, 0.3 },
	{ "held_as_evidence", { "evidence", NULL, NULL }, 3 },
	{ "returned_to_origin", { "repatriated", NULL, NULL }, 0.2 },
	{ "pending", { "undecided", NULL, NULL }, 1 },
	{ "other", { NULL, NULL, NULL }, 0.2 },
};

static const struct vocab_value disposals_live[] = {
	{ "rescue_centre", { "rescue center", "sanctuary", "rehabilitation centre" }, 4 },
	{ "returned_to_wild", { "released", "released to wild", NULL }, 4 },
	{ "held_as_evidence", { "evidence", NULL, NULL }, 0.5 },
	{ "returned_to_origin", { "repatriation", NULL, NULL }, 0.5 },
};

static const struct {
	const char *vocab;
	const struct vocab_value *values;
	size_t n;
} vocabularies[] = {
	{ "reason", reasons, COUNT(reasons) },
	{ "transport_mode", transport_modes, COUNT(transport_modes) },
	{ "detection_method", detection_methods, COUNT(detection_methods) },
	{ "legal_action", legal_actions, COUNT(legal_actions) },
	{ "disposal", disposals_dead, COUNT(disposals_dead) },
	{ "disposal", disposals_live, COUNT(disposals_live) },
};

/* Free-text concealment: some match a concealment synonym, some do not. */
static const char *const concealments[] = {
	"suitcase", "luggage", "checked baggage", "false compartment", "hidden compartment",
	"in container", "shipping container", "parcel", "strapped", "mixed with cargo",
	"Hidden under frozen fish in a refrigerated container",
	"Declared as \"plastic scrap\", behind a false wall",
	"In bags of cashew nuts, 40 bags in total",
	"Giấu trong thùng xốp đông lạnh",
	"លាក់ក្នុងវ៉ាលី",
	"藏于冷冻鱼货中",
	"ซ่อนในกระเป๋าเดินทาง",
	"Under the floor of a minivan (Toyota Hiace)",
	"Wrapped in aluminium foil inside tea boxes",
};

/* Origin, transit and destination pools by trade. */
static const char *const origin_asia[] = { "KH", "LA", "MM", "TH", "VN", "ID", "MY" };
static const char *const origin_africa[] = { "NG", "CD", "MZ", "KE", "TZ", "UG", "CM", "AO" };
static const char *const origin_timber[] = { "KH", "LA", "MM" };
static const char *const transit_any[] = { "MY", "SG", "TH", "KH", "VN", "HK", "LA" };
static const char *const destination_any[] = { "CN", "CN", "CN", "VN", "VN", "TH", "HK", "LA" };
static const char *const nationalities[] = { "KH", "KH", "VN", "VN", "CN", "CN", "TH", "LA",
					     "NG", "MY", "MM" };
/* English names from countries.csv, used instead of a code now and then. */
static const struct {
	const char *iso2, *name;
} country_names[] = {
	{ "KH", "Cambodia" }, { "VN", "Vietnam" }, { "CN", "China" },	 { "TH", "Thailand" },
	{ "LA", "Laos" },     { "NG", "Nigeria" }, { "MY", "Malaysia" }, { "HK", "Hong Kong" },
	{ "CD", "DR Congo" }, { "MZ", "Mozambique" },
};

/* People's names for the notes, in their scripts. */
static const char *const people[] = {
	"Sok Chantha", "សុខ ចាន់ថា", "Chea Sovann", "ជា សុវណ្ណ", "Nguyễn Văn Hùng",
	"Trần Thị Lan", "Lê Quang Minh", "สมชาย ใจดี", "Somchai Jaidee", "王伟",
	"李娜", "Zhang Wei", "ສົມພອນ ແກ້ວມະນີ", "Chukwuemeka Okafor", "Ahmad bin Ismail",
};

static const char *const laws[][3] = {
	/* KH */ { "Law on Forestry (2002), Article 98", "Law on Natural Protected Areas (2008), Art. 62",
		   "ច្បាប់ស្តីពីព្រៃឈើ មាត្រា ៩៨" },
	/* VN */ { "Bộ luật Hình sự 2015, Điều 244", "Nghị định 35/2019/NĐ-CP",
		   "Criminal Code 2015, Article 244" },
	/* TH */ { "Wild Animal Conservation and Protection Act B.E. 2562 (2019)",
		   "พ.ร.บ.สงวนและคุ้มครองสัตว์ป่า พ.ศ. 2562 มาตรา 17", "Customs Act B.E. 2560, s. 244" },
	/* LA */ { "Wildlife and Aquatic Law (2007), Art. 78", "Penal Code (2017), Art. 361",
		   "ກົດໝາຍວ່າດ້ວຍສັດນ້ຳ ແລະ ສັດປ່າ" },
	/* CN */ { "中华人民共和国刑法 第151条", "Criminal Law of the PRC, Art. 151",
		   "中华人民共和国野生动物保护法" },
	/* MY */ { "International Trade in Endangered Species Act 2008 (Act 686)",
		   "Customs Act 1967, s. 135", "Wildlife Conservation Act 2010" },
	/* ID */ { "UU No. 5 Tahun 1990, Pasal 21", "UU No. 17 Tahun 2006 (Kepabeanan)",
		   "UU No. 5/1990, Pasal 40" },
	/* MM */ { "Conservation of Biodiversity and Protected Areas Law 2018",
		   "Sea Customs Act, s. 167", "Forest Law 2018" },
	/* NG */ { "Endangered Species (Control of International Trade and Traffic) Act, 2016",
		   "Customs and Excise Management Act, s. 46", "Customs and Excise Management Act, s. 47" },
	/* CD */ { "Loi n° 14/003 du 11 février 2014, art. 71", "Code des douanes, art. 382",
		   "Loi relative à la conservation de la nature, art. 77" },
	/* MZ */ { "Lei n.º 16/2014 (Lei da Conservação), art. 60", "Código Penal, art. 356",
		   "Lei n.º 5/2017, art. 60" },
};

/* ---- CSV output ------------------------------------------------------------ */

static void put_field(FILE *out, const char *s, int last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		putc('"', out);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				putc('"', out);
			putc(*p, out);
		}
		putc('"', out);
	} else if (s) {
		fputs(s, out);
	}
	putc(last ? '\n' : ',', out);
}

static const char *const header[] = {
	"seizure_ref", "date", "agency", "country", "place", "province", "locode", "latitude",
	"longitude", "reason", "transport_mode", "detection_method", "concealment", "origin",
	"transit", "destination", "offender_nationalities", "value_amount", "value_currency",
	"legal_action", "law", "sanctions", "disposal", "notes", "species", "term",
	"quantity", "unit", "live",
};
enum { NCOLS = COUNT(header), NSEIZURE_COLS = 24 };

/* ---- generation -------------------------------------------------------------- */

struct item {
	const struct species *sp;
	const struct product *pr;
	char quantity[32];
};

/* A code (85%) or one of its synonyms (15%). */
static const char *vocab_pick(struct rng *r, const struct vocab_value *v, size_t n)
{
	double w[16];
	for (size_t i = 0; i < n; i++)
		w[i] = v[i].weight;
	const struct vocab_value *e = &v[pick_weighted(r, w, n)];
	if (rng_chance(r, 0.15)) {
		size_t k = 0;
		while (k < 3 && e->synonyms[k])
			k++;
		if (k)
			return e->synonyms[rng_below(r, (unsigned)k)];
	}
	return e->code;
}

static const char *country_text(struct rng *r, const char *iso2)
{
	if (rng_chance(r, 0.08))
		for (size_t i = 0; i < COUNT(country_names); i++)
			if (strcmp(country_names[i].iso2, iso2) == 0)
				return country_names[i].name;
	return iso2;
}

/* Appends 1..max distinct codes from pool (excluding except) to buf. */
static void country_list(struct rng *r, char *buf, size_t size, const char *const *pool,
			 size_t n, int max, const char *except)
{
	buf[0] = '\0';
	int want = 1 + (int)rng_below(r, (unsigned)max);
	const char *sep = rng_chance(r, 0.1) ? ", " : ";";
	for (int tries = 0; want > 0 && tries < 8; tries++) {
		const char *c = pool[rng_below(r, (unsigned)n)];
		if (except && strcmp(c, except) == 0)
			continue;
		if (strstr(buf, c))
			continue;
		const char *text = country_text(r, c);
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s", len ? sep : "", text);
		want--;
	}
}

static void format_quantity(struct rng *r, const struct product *p, char *buf, size_t size)
{
	double q = rng_lognormal(r, p->median, p->sigma);
	if (q < p->min)
		q = p->min;
	if (q > p->max)
		q = p->max;
	if (p->decimals == 0) {
		q = floor(q + 0.5);
		if (q < 1)
			q = 1;
		snprintf(buf, size, "%.0f", q);
	} else {
		snprintf(buf, size, "%.*f", p->decimals, q);
	}
}

static const struct product *pick_product(struct rng *r, const struct species *sp)
{
	double w[5];
	size_t n = 0;
	while (n < 5 && sp->products[n].term) {
		w[n] = sp->products[n].weight;
		n++;
	}
	return &sp->products[pick_weighted(r, w, n)];
}

static const struct species *pick_species(struct rng *r, int africa)
{
	double w[COUNT(species_table)];
	for (size_t i = 0; i < COUNT(species_table); i++)
		w[i] = africa ? species_table[i].w_africa : species_table[i].w_asia;
	return &species_table[pick_weighted(r, w, COUNT(species_table))];
}

static const struct place *pick_place(struct rng *r, const char *country)
{
	double w[COUNT(places)];
	for (size_t i = 0; i < COUNT(places); i++)
		w[i] = strcmp(places[i].country, country) == 0 ? places[i].weight : 0;
	return &places[pick_weighted(r, w, COUNT(places))];
}

static const struct agency *pick_agency(struct rng *r, const char *country)
{
	double w[COUNT(agencies)];
	for (size_t i = 0; i < COUNT(agencies); i++)
		w[i] = strcmp(agencies[i].country, country) == 0 ? agencies[i].weight : 0;
	return &agencies[pick_weighted(r, w, COUNT(agencies))];
}

static int items_count(struct rng *r)
{
	static const double w[] = { 55, 25, 10, 6, 4 };
	return 1 + (int)pick_weighted(r, w, COUNT(w));
}

static void make_notes(struct rng *r, const struct place *pl, const struct item *first,
		       char *buf, size_t size)
{
	size_t w1 = rng_below(r, (unsigned)COUNT(people));
	size_t w2 = (w1 + 1 + rng_below(r, (unsigned)COUNT(people) - 1)) % COUNT(people);
	const char *who = people[w1], *who2 = people[w2];
	switch (rng_below(r, 12)) {
	case 0:
	case 1:
		buf[0] = '\0';
		break;
	case 2:
		snprintf(buf, size, "Suspect %s arrested at %s.", who, pl->name);
		break;
	case 3:
		snprintf(buf, size, "Tip-off from the hotline; two suspects fled, %s detained.", who);
		break;
	case 4:
		snprintf(buf, size,
			 "Consignment declared as \"frozen fish\"; the X-ray image showed irregular "
			 "density. %s %s seized.",
			 first->quantity, first->pr->unit[0] ? first->pr->unit : "specimens");
		break;
	case 5:
		snprintf(buf, size, "Shipment routed via Kuala Lumpur.\nSuspects: %s, %s.\nCase "
				    "referred to the prosecutor.",
			 who, who2);
		break;
	case 6:
		snprintf(buf, size, "វត្ថុតាងសត្វព្រៃត្រូវបានរឹបអូសនៅ%s។ ជនសង្ស័យ៖ %s", pl->local,
			 who);
		break;
	case 7:
		snprintf(buf, size, "Bắt giữ đối tượng %s vận chuyển hàng cấm tại %s.", who,
			 pl->local);
		break;
	case 8:
		snprintf(buf, size, "ตรวจพบของกลางซุกซ่อนในสัมภาระ ผู้ต้องหา %s", who);
		break;
	case 9:
		snprintf(buf, size, "海关在%s查获%s，嫌疑人%s已被移送司法机关。", pl->local,
			 first->sp->name, who);
		break;
	case 10:
		snprintf(buf, size, "%s (%s) — joint operation with %s; see report #%u",
			 first->sp->name, first->pr->term, "INTERPOL NCB", rng_below(r, 90000) + 10000);
		break;
	default:
		snprintf(buf, size, "Owner %s claims the goods were for \"traditional medicine\", "
				    "not for sale.",
			 who);
		break;
	}
}

static int generate(unsigned long long rows, uint64_t seed)
{
	struct rng r;
	rng_seed(&r, seed);
	static char obuf[1 << 20];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	FILE *out = stdout;

	for (size_t i = 0; i < NCOLS; i++)
		put_field(out, header[i], i + 1 == NCOLS);

	double cw[COUNT(seizure_countries)];
	for (size_t i = 0; i < COUNT(seizure_countries); i++)
		cw[i] = seizure_countries[i].weight;

	unsigned long long written = 0, seq = 0;
	while (written < rows) {
		const struct country_weight *cn = &seizure_countries[pick_weighted(&r, cw, COUNT(cw))];
		const struct agency *ag = pick_agency(&r, cn->iso2);
		const struct place *pl = pick_place(&r, cn->iso2);
		seq++;

		/* Date: 2015-01-01 .. 2025-12-31, mostly to the day. */
		int year = 2015 + (int)rng_below(&r, 11);
		int month = 1 + (int)rng_below(&r, 12);
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int dim = mdays[month - 1] + (month == 2 && year % 4 == 0);
		int day = 1 + (int)rng_below(&r, (unsigned)dim);
		char date[40], ref[48];
		double dp = rng_unit(&r);
		if (dp < 0.94)
			snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
		else if (dp < 0.99)
			snprintf(date, sizeof date, "%04d-%02d", year, month);
		else
			snprintf(date, sizeof date, "%04d", year);
		snprintf(ref, sizeof ref, "%s-%04d-%07llu", ag->ref_prefix, year, seq);

		/* Items. */
		struct item items[5];
		int n = items_count(&r);
		if ((unsigned long long)n > rows - written)
			n = (int)(rows - written);
		int nitems = 0, any_live = 0;
		for (int k = 0; k < n; k++) {
			const struct species *sp;
			if (k > 0 && rng_chance(&r, 0.6))
				sp = items[0].sp;
			else
				sp = pick_species(&r, cn->africa);
			const struct product *pr = pick_product(&r, sp);
			int dup = 0;
			for (int j = 0; j < nitems; j++)
				if (items[j].sp == sp && items[j].pr == pr)
					dup = 1;
			if (dup)
				continue;
			items[nitems].sp = sp;
			items[nitems].pr = pr;
			format_quantity(&r, pr, items[nitems].quantity, sizeof items[nitems].quantity);
			any_live |= pr->live;
			nitems++;
		}

		/* Seizure fields. */
		const char *f[NSEIZURE_COLS];
		char lat[24] = "", lon[24] = "", origin[64], transit[64], dest[64], nat[64];
		char value[32] = "", notes[1024], sanctions[128] = "";
		const char *currency = "";
		f[0] = ref;
		f[1] = date;
		f[2] = ag->name;
		f[3] = country_text(&r, cn->iso2);
		double pp = rng_unit(&r);
		f[4] = pp < 0.65 ? pl->name : pp < 0.95 ? pl->local : "";
		f[5] = rng_chance(&r, 0.7) ? pl->province : "";
		f[6] = pl->locode && rng_chance(&r, 0.85) ? pl->locode : "";
		if (rng_chance(&r, 0.85)) {
			snprintf(lat, sizeof lat, "%.5f", pl->lat + (rng_unit(&r) - 0.5) * 0.04);
			snprintf(lon, sizeof lon, "%.5f", pl->lon + (rng_unit(&r) - 0.5) * 0.04);
		}
		f[7] = lat;
		f[8] = lon;
		f[9] = rng_chance(&r, 0.9) ? vocab_pick(&r, reasons, COUNT(reasons)) : "";
		if (rng_chance(&r, 0.75) && !rng_chance(&r, 0.15))
			f[10] = pl->mode;
		else
			f[10] = vocab_pick(&r, transport_modes, COUNT(transport_modes));
		f[11] = rng_chance(&r, 0.85) ? vocab_pick(&r, detection_methods, COUNT(detection_methods))
					     : "";
		f[12] = rng_chance(&r, 0.7) ? PICK(&r, concealments) : "";
		enum trade tr = items[0].sp->trade;
		if (rng_chance(&r, 0.8)) {
			if (tr == TRADE_AFRICA)
				country_list(&r, origin, sizeof origin, origin_africa, COUNT(origin_africa), 2, NULL);
			else if (tr == TRADE_TIMBER)
				country_list(&r, origin, sizeof origin, origin_timber, COUNT(origin_timber), 1, NULL);
			else
				country_list(&r, origin, sizeof origin, origin_asia, COUNT(origin_asia), 2, NULL);
		} else {
			origin[0] = '\0';
		}
		if (rng_chance(&r, 0.4))
			country_list(&r, transit, sizeof transit, transit_any, COUNT(transit_any), 2, cn->iso2);
		else
			transit[0] = '\0';
		if (rng_chance(&r, 0.75))
			country_list(&r, dest, sizeof dest, destination_any, COUNT(destination_any), 1, NULL);
		else
			dest[0] = '\0';
		if (rng_chance(&r, 0.7))
			country_list(&r, nat, sizeof nat, nationalities, COUNT(nationalities), 3, NULL);
		else
			nat[0] = '\0';
		f[13] = origin;
		f[14] = transit;
		f[15] = dest;
		f[16] = nat;
		if (rng_chance(&r, 0.55)) {
			static const struct {
				const char *code;
				double per_usd, weight;
			} cur[] = { { "USD", 1, 60 }, { "KHR", 4100, 15 }, { "VND", 25000, 10 },
				    { "THB", 35, 8 },  { "CNY", 7.2, 7 } };
			double w[COUNT(cur)];
			for (size_t i = 0; i < COUNT(cur); i++)
				w[i] = cur[i].weight;
			size_t c = pick_weighted(&r, w, COUNT(cur));
			double usd = rng_lognormal(&r, 15000, 1.5);
			snprintf(value, sizeof value, "%.0f", floor(usd * cur[c].per_usd / 100) * 100 + 100);
			currency = cur[c].code;
		}
		f[17] = value;
		f[18] = currency;
		f[19] = rng_chance(&r, 0.8) ? vocab_pick(&r, legal_actions, COUNT(legal_actions)) : "";
		size_t ci = (size_t)(cn - seizure_countries);
		f[20] = rng_chance(&r, 0.7) ? laws[ci][rng_below(&r, 3)] : "";
		switch (rng_below(&r, 6)) {
		case 0:
			snprintf(sanctions, sizeof sanctions, "Fine of %u,000,000 KHR",
				 2 + rng_below(&r, 40));
			break;
		case 1:
			snprintf(sanctions, sizeof sanctions, "%u years imprisonment, fine of %u,000 USD",
				 1 + rng_below(&r, 10), 1 + rng_below(&r, 50));
			break;
		case 2:
			snprintf(sanctions, sizeof sanctions, "Phạt tù %u năm", 1 + rng_below(&r, 12));
			break;
		default:
			break;
		}
		f[21] = sanctions;
		if (rng_chance(&r, 0.8))
			f[22] = any_live ? vocab_pick(&r, disposals_live, COUNT(disposals_live))
					 : vocab_pick(&r, disposals_dead, COUNT(disposals_dead));
		else
			f[22] = "";
		make_notes(&r, pl, &items[0], notes, sizeof notes);
		f[23] = notes;

		for (int k = 0; k < nitems; k++) {
			for (size_t i = 0; i < NSEIZURE_COLS; i++)
				put_field(out, f[i], 0);
			put_field(out, items[k].sp->name, 0);
			put_field(out, items[k].pr->term, 0);
			put_field(out, items[k].quantity, 0);
			put_field(out, items[k].pr->unit, 0);
			const char *live = items[k].pr->live ? "true" : rng_chance(&r, 0.3) ? "false" : "";
			put_field(out, live, 1);
		}
		written += (unsigned long long)nitems;
	}
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "gen_seizures: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

/* ---- --check: the tables against kouprey's reference data -------------------- */

/* Reads one CSV record into fields (at most max, each up to 1 KiB); returns the
 * number of fields, or -1 at end of file. */
static int read_record(FILE *in, char fields[][1024], int max)
{
	int c = getc(in);
	if (c == EOF)
		return -1;
	int nf = 0, quoted = 0;
	size_t len = 0;
	for (;;) {
		if (quoted) {
			if (c == EOF)
				break;
			if (c == '"') {
				c = getc(in);
				if (c != '"') {
					quoted = 0;
					continue;
				}
			}
		} else if (c == '"') {
			quoted = 1;
			c = getc(in);
			continue;
		} else if (c == ',' || c == '\n' || c == EOF) {
			if (nf < max) {
				fields[nf][len < 1024 ? len : 1023] = '\0';
				nf++;
			}
			len = 0;
			if (c != ',')
				break;
			c = getc(in);
			continue;
		} else if (c == '\r') {
			c = getc(in);
			continue;
		}
		if (nf < max && len < 1023)
			fields[nf][len] = (char)c;
		len++;
		c = getc(in);
	}
	return nf;
}

static FILE *open_data(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "gen_seizures: cannot open %s: %s\n", path, strerror(errno));
	return f;
}

static char rows_buf[40][1024];

static int check(const char *dir)
{
	int problems = 0, nf;
	FILE *f;

	/* Species: each a full_name (column 10). */
	int found[COUNT(species_table)] = { 0 };
	if (!(f = open_data(dir, "species.csv")))
		return 1;
	while ((nf = read_record(f, rows_buf, 40)) >= 0)
		for (size_t i = 0; nf >= 10 && i < COUNT(species_table); i++)
			if (strcmp(rows_buf[9], species_table[i].name) == 0)
				found[i] = 1;
	fclose(f);
	for (size_t i = 0; i < COUNT(species_table); i++)
		if (!found[i]) {
			fprintf(stderr, "species \"%s\" is not a full_name of species.csv\n",
				species_table[i].name);
			problems++;
		}

	/* Term/unit pairs. */
	int npairs = 0;
	for (size_t i = 0; i < COUNT(species_table); i++)
		for (size_t k = 0; k < 5 && species_table[i].products[k].term; k++) {
			const struct product *p = &species_table[i].products[k];
			int ok = 0;
			if (!(f = open_data(dir, "cites_term_units.csv")))
				return 1;
			while ((nf = read_record(f, rows_buf, 40)) >= 0)
				if (nf >= 2 && strcmp(rows_buf[0], p->term) == 0 &&
				    strcmp(rows_buf[1], p->unit) == 0)
					ok = 1;
			fclose(f);
			npairs++;
			if (!ok) {
				fprintf(stderr, "%s: term %s with unit \"%s\" is not in cites_term_units.csv\n",
					species_table[i].name, p->term, p->unit);
				problems++;
			}
		}

	/* LOCODEs in the place's country. */
	int lfound[COUNT(places)] = { 0 };
	if (!(f = open_data(dir, "locations.csv")))
		return 1;
	while ((nf = read_record(f, rows_buf, 40)) >= 0)
		for (size_t i = 0; nf >= 2 && i < COUNT(places); i++)
			if (places[i].locode && strcmp(rows_buf[0], places[i].locode) == 0 &&
			    strcmp(rows_buf[1], places[i].country) == 0)
				lfound[i] = 1;
	fclose(f);
	for (size_t i = 0; i < COUNT(places); i++)
		if (places[i].locode && !lfound[i]) {
			fprintf(stderr, "LOCODE %s is not a location of %s in locations.csv\n",
				places[i].locode, places[i].country);
			problems++;
		}

	/* Vocabulary codes and synonyms (vocab,code,name_en,name_km,synonyms). */
	for (size_t v = 0; v < COUNT(vocabularies); v++)
		for (size_t i = 0; i < vocabularies[v].n; i++) {
			const struct vocab_value *e = &vocabularies[v].values[i];
			int code_ok = 0, syn_ok[3] = { 0 };
			if (!(f = open_data(dir, "vocab.csv")))
				return 1;
			while ((nf = read_record(f, rows_buf, 40)) >= 0) {
				if (nf < 5 || strcmp(rows_buf[0], vocabularies[v].vocab) != 0 ||
				    strcmp(rows_buf[1], e->code) != 0)
					continue;
				code_ok = 1;
				for (int k = 0; k < 3 && e->synonyms[k]; k++) {
					char syn[1024], *save = NULL;
					memcpy(syn, rows_buf[4], sizeof syn);
					for (char *t = strtok_r(syn, "|", &save); t;
					     t = strtok_r(NULL, "|", &save))
						if (strcmp(t, e->synonyms[k]) == 0)
							syn_ok[k] = 1;
				}
			}
			fclose(f);
			if (!code_ok) {
				fprintf(stderr, "%s code %s is not in vocab.csv\n", vocabularies[v].vocab,
					e->code);
				problems++;
			}
			for (int k = 0; k < 3 && e->synonyms[k]; k++)
				if (code_ok && !syn_ok[k]) {
					fprintf(stderr, "%s: \"%s\" is not a synonym of %s in vocab.csv\n",
						vocabularies[v].vocab, e->synonyms[k], e->code);
					problems++;
				}
		}
	for (size_t i = 0; i < COUNT(places); i++) {
		int ok = 0;
		for (size_t k = 0; k < COUNT(transport_modes); k++)
			if (strcmp(places[i].mode, transport_modes[k].code) == 0)
				ok = 1;
		if (!ok) {
			fprintf(stderr, "place %s: transport mode %s is not a code\n", places[i].name,
				places[i].mode);
			problems++;
		}
	}

	/* Countries: codes of every pool, and the English names used. */
	const char *codes[128];
	size_t ncodes = 0;
#define ADD_POOL(pool)                                                  \
	for (size_t i = 0; i < COUNT(pool) && ncodes < COUNT(codes); i++) \
	codes[ncodes++] = (pool)[i]
	ADD_POOL(origin_asia);
	ADD_POOL(origin_africa);
	ADD_POOL(origin_timber);
	ADD_POOL(transit_any);
	ADD_POOL(destination_any);
	ADD_POOL(nationalities);
#undef ADD_POOL
	for (size_t i = 0; i < COUNT(seizure_countries); i++)
		codes[ncodes++] = seizure_countries[i].iso2;
	int cfound[128] = { 0 }, nfound[COUNT(country_names)] = { 0 };
	if (!(f = open_data(dir, "countries.csv")))
		return 1;
	while ((nf = read_record(f, rows_buf, 40)) >= 0) {
		if (nf < 3)
			continue;
		for (size_t i = 0; i < ncodes; i++)
			if (strcmp(rows_buf[0], codes[i]) == 0)
				cfound[i] = 1;
		for (size_t i = 0; i < COUNT(country_names); i++)
			if (strcmp(rows_buf[0], country_names[i].iso2) == 0 &&
			    strcmp(rows_buf[2], country_names[i].name) == 0)
				nfound[i] = 1;
	}
	fclose(f);
	for (size_t i = 0; i < ncodes; i++)
		if (!cfound[i]) {
			fprintf(stderr, "country %s is not in countries.csv\n", codes[i]);
			problems++;
		}
	for (size_t i = 0; i < COUNT(country_names); i++)
		if (!nfound[i]) {
			fprintf(stderr, "\"%s\" is not the name_en of %s in countries.csv\n",
				country_names[i].name, country_names[i].iso2);
			problems++;
		}
	for (size_t i = 0; i < COUNT(agencies); i++) {
		int ok = 0;
		for (size_t k = 0; k < COUNT(seizure_countries); k++)
			ok |= strcmp(agencies[i].country, seizure_countries[k].iso2) == 0;
		if (!ok) {
			fprintf(stderr, "agency %s: country %s has no weight\n", agencies[i].name,
				agencies[i].country);
			problems++;
		}
	}
	for (size_t i = 0; i < COUNT(seizure_countries); i++) {
		int has_agency = 0, has_place = 0;
		for (size_t k = 0; k < COUNT(agencies); k++)
			has_agency |= strcmp(agencies[k].country, seizure_countries[i].iso2) == 0;
		for (size_t k = 0; k < COUNT(places); k++)
			has_place |= strcmp(places[k].country, seizure_countries[i].iso2) == 0;
		if (!has_agency || !has_place) {
			fprintf(stderr, "country %s lacks an agency or a place\n",
				seizure_countries[i].iso2);
			problems++;
		}
	}

	if (problems) {
		fprintf(stderr, "gen_seizures --check: %d problem(s)\n", problems);
		return 1;
	}
	printf("gen_seizures --check: ok (%zu species, %d term/unit pairs, %zu places, "
	       "%zu agencies, %zu countries)\n",
	       COUNT(species_table), npairs, COUNT(places), COUNT(agencies), ncodes);
	return 0;
}

/* ---- main ---------------------------------------------------------------------- */

static void usage(FILE *out)
{
	fprintf(out, "usage: gen_seizures --rows N [--seed S] > seizures.csv\n"
		     "       gen_seizures --check DATA_DIR\n"
		     "Writes N seizure item rows (1-5 per seizure) in kouprey's import format;\n"
		     "the same N and seed (default 1) always give the same bytes.\n");
}

static int parse_ull(const char *s, unsigned long long *v)
{
	char *end;
	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long rows = 0, seed = 1;
	int have_rows = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--check") == 0 && i + 1 < argc) {
			return check(argv[i + 1]);
		} else if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc) {
			if (parse_ull(argv[++i], &rows) != 0) {
				fprintf(stderr, "gen_seizures: --rows wants a whole number\n");
				return 2;
			}
			have_rows = 1;
		} else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			if (parse_ull(argv[++i], &seed) != 0) {
				fprintf(stderr, "gen_seizures: --seed wants a whole number\n");
				return 2;
			}
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!have_rows) {
		usage(stderr);
		return 2;
	}
	return generate(rows, seed);
}
