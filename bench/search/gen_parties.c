/*
 * gen_parties - a reproducible synthetic register of parties (people and
 * organisations) with multi-script names and identifiers, and a set of
 * search queries with known answers, for kouprey's search benchmark.
 *
 *   gen_parties --parties N [--seed S] [--queries Q] --out DIR
 *
 * Writes, in DIR, tab-separated UTF-8 files without header (no field
 * contains a tab or a newline):
 *
 *   parties.tsv      id, kind (person|organisation), agency_id (1-6),
 *                    sharing (agency|national), group
 *   names.tsv        party_id, script (Khmr|Thai|Hani|Latn), kind
 *                    (full|alias), text, romanised
 *   identifiers.tsv  id, party_id, kind, country, key, display
 *   queries.tsv      id, category, text, romanised, party_id, ident_id
 *
 * The output depends only on the arguments: same arguments, same bytes.
 *
 * People are Cambodian (Khmer script and the Latin spellings common in
 * Cambodian documents: "ស៊ុន ចាន់ថា", "SUN Chantha", "Soun Chanthar", "Sun
 * Chan Tha"), Thai (Thai script and RTGS with the usual variants),
 * Vietnamese (with and without diacritics) and Chinese (hanzi and pinyin,
 * with some Cantonese and Wade-Giles surname readings); organisations have
 * Latin names.  A party has one to three names, each in one script.
 *
 * "group" is the party's canonical romanised name (lower-case ASCII, family
 * name first for Khmer, Vietnamese and Chinese, given name first for Thai):
 * two parties with the same group have names that no name query can tell
 * apart, so a search hit counts as right when its group is the target's.
 *
 * "romanised" (names and queries) is the generator's own romanisation of the
 * text (the group's spelling for the parts it covers): the baselines
 * (pg_trgm, FTS5) search these, so they get the same help with scripts as
 * kouprey's romaniser gives it.
 *
 * Query categories (the true party is party_id; identifier queries also
 * name the identifier):
 *   cross-script     the query is in a script none of the party's names is
 *                    in (a Khmer, Thai or Chinese name searched in Latin, or
 *                    a Latin name searched in its script)
 *   spelling         another Latin spelling of a Latin name the party has
 *   typo             a stored Latin name with one letter changed, dropped,
 *                    added or two swapped
 *   order            a stored name with family and given name swapped
 *   diacritics       a Vietnamese name typed without (or with) diacritics
 *   surname-reading  a Chinese name with a Cantonese or Wade-Giles surname
 *   organisation     an organisation's name with a word dropped or a typo
 *   identifier       a phone, passport, plate or e-mail typed another way
 *
 * Build: cc -O2 -std=c17 -o gen_parties gen_parties.c
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static int rng_below(struct rng *r, int n)
{
	return (int)(rng_unit(r) * n);
}

static int chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* ---- name tables ------------------------------------------------------------
 *
 * Each entry: the name part in its script, then its Latin spellings
 * separated by '|', the first being the canonical one.
 *
 * Khmer: the UNGEGN-based spellings with the variants seen in Cambodian
 * passports, customs declarations and police reports (ou/u, final h/r,
 * doubled consonants, ea/ia, ch/chh).  Thai: RTGS first, then the common
 * informal spellings (oo for u, ee for i, p for ph, j for ch).  Chinese:
 * Hanyu Pinyin, then Cantonese (Hong Kong government) and Wade-Giles
 * readings of the surname.
 */

struct part {
	const char *script;
	const char *latin;        /* "canonical|variant|..." */
};

static const struct part khmer_family[] = {
	{ "សុខ", "sok|sokh" },       { "ស៊ុន", "sun|soun" },     { "ចាន់", "chan|chann" },
	{ "ហេង", "heng" },           { "លី", "ly|lee|li" },       { "គឹម", "kim|keum" },
	{ "ម៉ៅ", "mao|mau" },        { "ទេព", "tep|teb" },        { "ឈឹម", "chhim|chim|chhem" },
	{ "ជា", "chea|chia" },        { "កែវ", "keo|kaev|keov" },  { "ងួន", "nguon|nguorn" },
	{ "ហ៊ុន", "hun|houn" },      { "សេង", "seng" },           { "ម៉ម", "mom|mum" },
	{ "ញឹម", "nhim|nhem|nim" },  { "ពៅ", "pov|pao|pauv" },    { "អ៊ុក", "ouk|ok|uk" },
	{ "ប៊ុន", "bun|boun" },      { "ខៀវ", "khieu|khiev|khiv" }, { "យឹម", "yim|yem" },
	{ "ព្រំ", "prum|prom" },     { "ឡុង", "long" },           { "ម៉ែន", "men|maen" },
	{ "ទូច", "touch|toch|tuch" }, { "ផាន", "phan|phann" },    { "ផល", "phal|phol" },
	{ "រស់", "ros|ruos|ross" },  { "ឌួង", "duong|doung" },    { "នួន", "nuon|noun" },
	{ "ធី", "thy|thi" },         { "ហួត", "huot|hout" },      { "ប្រាក់", "prak|brak" },
	{ "ម៉ុក", "mok|mouk" },      { "ឈុន", "chhun|chun" },     { "សាន", "san|sann" },
	{ "ពេជ្រ", "pich|pech|petch" }, { "ខេង", "kheng" },       { "ឡាយ", "lay|lai" },
	{ "តាំង", "taing|tang" },    { "វង់", "vong|voung" },     { "ពិន", "pin|pinn" },
	{ "អ៊ឹម", "im|eum|em" },     { "ស៊ឹម", "sim|seum" },      { "ស្រេង", "sreng|sraeng" },
	{ "ម៉ាន់", "man|mann" },     { "សយ", "soy|soiy" },
};

/* Syllables that combine into two-syllable given names (ចាន់ + ថា). */
static const struct part khmer_syllable[] = {
	{ "ចាន់", "chan|chann" },    { "ថា", "tha|thar|ta" },     { "សុ", "so|sou" },
	{ "ភា", "phea|pha|phear" },  { "ដា", "da|dar" },          { "រ៉ា", "ra|rah" },
	{ "វិ", "vi|vy" },           { "ចិត្រ", "chet|cheth|chetr" }, { "រិទ្ធ", "rith|rit|reth" },
	{ "ខា", "kha|khar" },        { "ពិ", "pi|py" },           { "សី", "sey|sei|si" },
	{ "ស្រី", "srey|srei|sray" }, { "មុំ", "mom|mum" },       { "នី", "ny|nee|ni" },
	{ "បូ", "bo|bou" },          { "ធា", "thea|thia" },       { "ណា", "na|nar" },
	{ "លី", "li|ly|lee" },       { "ពៅ", "pov|pao" },         { "វណ្ណ", "vann|van|vanna" },
	{ "ធី", "thy|thi" },         { "សំ", "sam|som" },         { "ហេង", "heng" },
	{ "លាភ", "leap|leab" },      { "ម៉េង", "meng" },          { "គា", "kea|kia" },
};

/* Given names of one word. */
static const struct part khmer_given[] = {
	{ "ផល្លា", "phalla|phala" },        { "បុប្ផា", "bopha|bupha|boppha" },
	{ "រតនា", "ratana|rattana|rotana" }, { "កុសល", "kosal|kusal" },
	{ "សម្បត្តិ", "sambath|sambat|sombath" }, { "ឧត្តម", "oudom|udom|outdom" },
	{ "វាសនា", "veasna|veasana|vesna" }, { "ពិសិដ្ឋ", "piseth|piset" },
	{ "ចំរើន", "chamroeun|chamreun|chamroen" }, { "សុផល", "sophal|sophol" },
	{ "សុវណ្ណ", "sovann|sovan|sovanna" }, { "ម៉ាលី", "maly|mali|malee" },
	{ "វុទ្ធី", "vuthy|vuthi|vutthy" },  { "សុធា", "sothea|sotha" },
	{ "ធារី", "theary|theari|thary" },   { "បញ្ញា", "panha|pagna|banha" },
	{ "ដាវី", "davy|davi" },             { "រដ្ឋា", "ratha|rotha|rattha" },
	{ "នារី", "neary|neari|nary" },      { "លក្ខិណា", "leakhena|lakhena|leakena" },
	{ "សុភ័ក្រ", "sopheak|sophak" },     { "វិបុល", "vibol|vibul" },
	{ "ពិសី", "pisey|pisei|pisy" },      { "សុខា", "sokha|sokhar" },
	{ "ដារ៉ា", "dara|darah|darra" },     { "សុភា", "sophea|sopha|sophear" },
};

static const struct part thai_given[] = {
	{ "สมชาย", "somchai|somchay" },      { "สมศักดิ์", "somsak|somsack" },
	{ "สมพงษ์", "somphong|sompong" },    { "วิชัย", "wichai|vichai|wichay" },
	{ "ประเสริฐ", "prasoet|prasert" },   { "สุริยา", "suriya|suriyah" },
	{ "อนันต์", "anan|anant" },          { "ชัยวัฒน์", "chaiwat|chaiwath|chaiyawat" },
	{ "ธนา", "thana|tana" },             { "กิตติ", "kitti|kiti" },
	{ "ณัฐพล", "natthaphon|nattapol|natthapol" }, { "สุนทร", "sunthon|soonthorn|sunthorn" },
	{ "ปรีชา", "pricha|preecha" },       { "บุญมี", "bunmi|boonmee|bunmee" },
	{ "มาลี", "mali|malee" },            { "สุดา", "suda|sooda" },
	{ "นภา", "napha|napa" },             { "วันเพ็ญ", "wanphen|wanpen" },
	{ "อรุณี", "aruni|arunee" },         { "พิมพ์", "phim|pim" },
	{ "ศิริพร", "siriphon|siriporn" },   { "สุภาพ", "suphap|supap|suparp" },
	{ "ทองใบ", "thongbai|tongbai" },     { "อำนาจ", "amnat|amnart" },
	{ "เกียรติ", "kiat|kiet" },          { "ยุทธนา", "yutthana|yuttana|yuthana" },
	{ "จิราพร", "chiraphon|jiraporn|chiraporn" }, { "วีระ", "wira|weera|veera" },
	{ "สมหญิง", "somying|sommying" },    { "ประยุทธ", "prayut|prayuth|prayoot" },
};

/* Parts that combine into Thai surnames (ศรี + สุข = ศรีสุข, Srisuk). */
static const struct part thai_surname_part[] = {
	{ "ศรี", "si|sri|sree" },    { "สุข", "suk|sook|sukh" },  { "ทอง", "thong|tong" },
	{ "ดี", "di|dee" },          { "แก้ว", "kaeo|kaew|keaw" }, { "ใจ", "chai|jai" },
	{ "บุญ", "bun|boon" },       { "มา", "ma|mah" },           { "รักษ์", "rak|ruk" },
	{ "วงศ์", "wong|vong" },     { "ชัย", "chai|chay" },       { "เจริญ", "charoen|charern|jaroen" },
	{ "พันธ์", "phan|pan" },     { "สวัสดิ์", "sawat|sawad|swat" }, { "มั่น", "man|mun" },
	{ "เพชร", "phet|petch|pet" }, { "รัตน", "rattana|ratana" }, { "กุล", "kun|kul" },
};

struct vn_part {
	const char *accented;
	const char *plain;
	int weight;
};

static const struct vn_part vn_family[] = {
	{ "Nguyễn", "Nguyen", 30 }, { "Trần", "Tran", 11 }, { "Lê", "Le", 9 },
	{ "Phạm", "Pham", 7 },      { "Hoàng", "Hoang", 5 }, { "Huỳnh", "Huynh", 5 },
	{ "Phan", "Phan", 4 },      { "Vũ", "Vu", 4 },       { "Võ", "Vo", 4 },
	{ "Đặng", "Dang", 2 },      { "Bùi", "Bui", 2 },     { "Đỗ", "Do", 2 },
	{ "Hồ", "Ho", 2 },          { "Ngô", "Ngo", 2 },     { "Dương", "Duong", 2 },
	{ "Lý", "Ly", 1 },          { "Đinh", "Dinh", 2 },   { "Trương", "Truong", 2 },
	{ "Lâm", "Lam", 2 },        { "Mai", "Mai", 2 },
};

static const struct vn_part vn_middle[] = {
	{ "Văn", "Van", 1 },   { "Thị", "Thi", 1 },    { "Minh", "Minh", 1 }, { "Đức", "Duc", 1 },
	{ "Thanh", "Thanh", 1 }, { "Hữu", "Huu", 1 },  { "Quang", "Quang", 1 }, { "Ngọc", "Ngoc", 1 },
	{ "Xuân", "Xuan", 1 }, { "Thu", "Thu", 1 },    { "Anh", "Anh", 1 },   { "Kim", "Kim", 1 },
	{ "Công", "Cong", 1 }, { "Đình", "Dinh", 1 },  { "Mạnh", "Manh", 1 }, { "Quốc", "Quoc", 1 },
	{ "Bảo", "Bao", 1 },   { "Hoài", "Hoai", 1 },
};

static const struct vn_part vn_given[] = {
	{ "Hùng", "Hung", 1 },   { "Dũng", "Dung", 1 },   { "Lan", "Lan", 1 },    { "Hương", "Huong", 1 },
	{ "Tuấn", "Tuan", 1 },   { "Anh", "Anh", 1 },     { "Nam", "Nam", 1 },    { "Linh", "Linh", 1 },
	{ "Hải", "Hai", 1 },     { "Long", "Long", 1 },   { "Minh", "Minh", 1 },  { "Phương", "Phuong", 1 },
	{ "Hà", "Ha", 1 },       { "Thảo", "Thao", 1 },   { "Trang", "Trang", 1 }, { "Sơn", "Son", 1 },
	{ "Thắng", "Thang", 1 }, { "Cường", "Cuong", 1 }, { "Hiếu", "Hieu", 1 },  { "Quân", "Quan", 1 },
	{ "Trung", "Trung", 1 }, { "Hòa", "Hoa", 1 },     { "Bình", "Binh", 1 },  { "Tâm", "Tam", 1 },
	{ "Nga", "Nga", 1 },     { "Huệ", "Hue", 1 },     { "Khoa", "Khoa", 1 },  { "Phúc", "Phuc", 1 },
	{ "Việt", "Viet", 1 },   { "Hạnh", "Hanh", 1 },   { "Thủy", "Thuy", 1 },  { "Vy", "Vy", 1 },
	{ "Yến", "Yen", 1 },     { "Đạt", "Dat", 1 },     { "Khánh", "Khanh", 1 }, { "Lộc", "Loc", 1 },
	{ "Nhung", "Nhung", 1 }, { "Oanh", "Oanh", 1 },   { "Quỳnh", "Quynh", 1 }, { "Tùng", "Tung", 1 },
};

/* Surname: hanzi, pinyin, then Cantonese / Wade-Giles readings. */
static const struct part han_family[] = {
	{ "王", "wang|wong" },        { "李", "li|lee" },           { "张", "zhang|cheung|chang" },
	{ "刘", "liu|lau" },          { "陈", "chen|chan" },        { "杨", "yang|yeung" },
	{ "黄", "huang|wong" },       { "赵", "zhao|chiu|chao" },   { "吴", "wu|ng|woo" },
	{ "周", "zhou|chow|chou" },   { "徐", "xu|tsui|hsu" },      { "孙", "sun|suen" },
	{ "马", "ma|mah" },           { "朱", "zhu|chu" },          { "胡", "hu|woo" },
	{ "郭", "guo|kwok|kuo" },     { "何", "he|ho" },            { "林", "lin|lam" },
	{ "罗", "luo|law|lo" },       { "高", "gao|ko|kao" },       { "梁", "liang|leung" },
	{ "宋", "song|sung" },        { "郑", "zheng|cheng" },      { "谢", "xie|tse|hsieh" },
	{ "韩", "han|hon" },          { "唐", "tang|tong" },        { "冯", "feng|fung" },
	{ "于", "yu|yue" },           { "董", "dong|tung" },        { "萧", "xiao|siu|hsiao" },
};

static const struct part han_given[] = {
	{ "伟", "wei" },  { "芳", "fang" }, { "娜", "na" },   { "敏", "min" },  { "静", "jing" },
	{ "丽", "li" },   { "强", "qiang" }, { "磊", "lei" }, { "军", "jun" },  { "洋", "yang" },
	{ "勇", "yong" }, { "艳", "yan" },  { "杰", "jie" },  { "娟", "juan" }, { "涛", "tao" },
	{ "明", "ming" }, { "超", "chao" }, { "秀", "xiu" },  { "英", "ying" }, { "华", "hua" },
	{ "平", "ping" }, { "刚", "gang" }, { "建", "jian" }, { "国", "guo" },  { "志", "zhi" },
	{ "文", "wen" },  { "海", "hai" },  { "红", "hong" }, { "小", "xiao" }, { "龙", "long" },
	{ "云", "yun" },  { "飞", "fei" },  { "鹏", "peng" }, { "辉", "hui" },  { "玲", "ling" },
	{ "宇", "yu" },   { "浩", "hao" },  { "晨", "chen" }, { "峰", "feng" }, { "斌", "bin" },
};

static const char *org_prefix[] = {
	"Golden", "Mekong", "Royal", "Asia", "Green", "Silver", "Lucky", "Star", "Dragon",
	"Phoenix", "Angkor", "Siam", "Lotus", "Jade", "Pearl", "Orient", "Pacific", "Sunrise",
	"Harmony", "Eastern", "Grand", "Prosperity", "Fortune", "Unity", "Everest", "Tonle",
	"Bayon", "Delta", "Crystal", "Victory",
};
static const char *org_activity[] = {
	"Trading", "Logistics", "Import Export", "Transport", "Shipping", "Timber", "Seafood",
	"Agriculture", "Construction", "Investment", "Development", "Freight", "Cargo",
	"Express", "Holdings", "Pharmacy", "Restaurant", "Farm", "Zoo", "Wildlife Farm",
};
static const char *org_place[] = {
	"Phnom Penh", "Sihanoukville", "Koh Kong", "Bavet", "Poipet", "Battambang", "Siem Reap",
	"Kampot", "Saigon", "Bangkok", "Vientiane", "Kunming", "Guangzhou", "Mong Cai", "Lao Cai",
	"Stung Treng", "Kratie", "Mondulkiri", "Takeo", "Pailin",
};
static const char *org_suffix[] = {
	"Co., Ltd.", "Company Limited", "Ltd", "Group", "Enterprise", "Import Export Co., Ltd.",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The k-th spelling of a part (k clamped to the last one) into out. */
static void spelling(const char *latin, int k, char *out, size_t size)
{
	const char *p = latin;
	for (int i = 0; i < k; i++) {
		const char *bar = strchr(p, '|');
		if (!bar)
			break;
		p = bar + 1;
	}
	size_t len = strcspn(p, "|");
	if (len >= size)
		len = size - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

static int nspellings(const char *latin)
{
	int n = 1;
	for (const char *p = latin; *p; p++)
		n += *p == '|';
	return n;
}

/* ---- string helpers -------------------------------------------------------- */

struct sb {
	char s[512];
	size_t n;
};

static void sb_reset(struct sb *b)
{
	b->n = 0;
	b->s[0] = '\0';
}

static void sb_add(struct sb *b, const char *s)
{
	size_t len = strlen(s);
	if (b->n + len >= sizeof b->s)
		len = sizeof b->s - 1 - b->n;
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static void sb_word(struct sb *b, const char *s)
{
	if (b->n)
		sb_add(b, " ");
	sb_add(b, s);
}

static void capitalise(char *s)
{
	if (*s)
		*s = (char)toupper((unsigned char)*s);
}

static void upper(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* ---- people ------------------------------------------------------------------ */

enum people { KHMER, THAI, VIET, HAN, ORG };

#define MAXP 4

/* A person's name as parts: the family name and the given name (each a
 * list of parts of one table), or an organisation's words. */
struct person {
	enum people who;
	int family[MAXP], nfamily;   /* Khmer/Han: 1 part; Thai: 2-3 surname parts */
	int given[MAXP], ngiven;     /* Khmer: a khmer_given (ngiven 1, given_full) or syllables */
	int given_full;              /* Khmer: given[0] indexes khmer_given */
	int middle[2], nmiddle;      /* Vietnamese */
	struct sb org;               /* organisation: the full name */
	struct sb org_core;          /* organisation: without its legal suffix */
};

static int weighted(struct rng *r, const struct vn_part *t, size_t n)
{
	int total = 0;
	for (size_t i = 0; i < n; i++)
		total += t[i].weight;
	int x = rng_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < t[i].weight)
			return (int)i;
		x -= t[i].weight;
	}
	return 0;
}

static void make_person(struct rng *r, struct person *p)
{
	memset(p, 0, sizeof *p);
	double x = rng_unit(r);
	p->who = x < 0.35 ? KHMER : x < 0.50 ? THAI : x < 0.70 ? VIET : x < 0.90 ? HAN : ORG;
	switch (p->who) {
	case KHMER:
		p->family[p->nfamily++] = rng_below(r, N(khmer_family));
		if (chance(r, 0.35)) {
			p->given_full = 1;
			p->given[p->ngiven++] = rng_below(r, N(khmer_given));
		} else {
			int a = rng_below(r, N(khmer_syllable)), b;
			do
				b = rng_below(r, N(khmer_syllable));
			while (b == a);
			p->given[p->ngiven++] = a;
			p->given[p->ngiven++] = b;
		}
		break;
	case THAI: {
		p->given[p->ngiven++] = rng_below(r, N(thai_given));
		int parts = chance(r, 0.3) ? 3 : 2;
		for (int i = 0; i < parts; i++) {
			int v;
			do
				v = rng_below(r, N(thai_surname_part));
			while (i > 0 && v == p->family[i - 1]);
			p->family[p->nfamily++] = v;
		}
		break;
	}
	case VIET:
		p->family[p->nfamily++] = weighted(r, vn_family, N(vn_family));
		p->nmiddle = chance(r, 0.2) ? 2 : 1;
		for (int i = 0; i < p->nmiddle; i++)
			p->middle[i] = rng_below(r, N(vn_middle));
		p->given[p->ngiven++] = rng_below(r, N(vn_given));
		break;
	case HAN:
		p->family[p->nfamily++] = rng_below(r, N(han_family));
		p->ngiven = chance(r, 0.7) ? 2 : 1;
		for (int i = 0; i < p->ngiven; i++)
			p->given[i] = rng_below(r, N(han_given));
		break;
	case ORG: {
		sb_reset(&p->org_core);
		if (chance(r, 0.4)) {
			char w[64];
			spelling(khmer_family[rng_below(r, N(khmer_family))].latin, 0, w, sizeof w);
			capitalise(w);
			sb_word(&p->org_core, w);
			spelling(khmer_family[rng_below(r, N(khmer_family))].latin, 0, w, sizeof w);
			capitalise(w);
			sb_word(&p->org_core, w);
		} else {
			sb_word(&p->org_core, org_prefix[rng_below(r, N(org_prefix))]);
			if (chance(r, 0.5))
				sb_word(&p->org_core, org_prefix[rng_below(r, N(org_prefix))]);
		}
		if (chance(r, 0.4))
			sb_word(&p->org_core, org_place[rng_below(r, N(org_place))]);
		sb_word(&p->org_core, org_activity[rng_below(r, N(org_activity))]);
		p->org = p->org_core;
		sb_word(&p->org, org_suffix[rng_below(r, N(org_suffix))]);
		break;
	}
	}
}

/* The name in its own script (Khmer, Thai, Han; Vietnamese with
 * diacritics). */
static void render_script(const struct person *p, struct sb *b)
{
	sb_reset(b);
	switch (p->who) {
	case KHMER:
		sb_add(b, khmer_family[p->family[0]].script);
		sb_add(b, " ");
		if (p->given_full)
			sb_add(b, khmer_given[p->given[0]].script);
		else
			for (int i = 0; i < p->ngiven; i++)
				sb_add(b, khmer_syllable[p->given[i]].script);
		break;
	case THAI:
		sb_add(b, thai_given[p->given[0]].script);
		sb_add(b, " ");
		for (int i = 0; i < p->nfamily; i++)
			sb_add(b, thai_surname_part[p->family[i]].script);
		break;
	case VIET:
		sb_word(b, vn_family[p->family[0]].accented);
		for (int i = 0; i < p->nmiddle; i++)
			sb_word(b, vn_middle[p->middle[i]].accented);
		sb_word(b, vn_given[p->given[0]].accented);
		break;
	case HAN:
		sb_add(b, han_family[p->family[0]].script);
		for (int i = 0; i < p->ngiven; i++)
			sb_add(b, han_given[p->given[i]].script);
		break;
	case ORG:
		sb_add(b, p->org.s);
		break;
	}
}

/* How a Latin rendering is written. */
struct style {
	int variants;      /* 0: canonical spellings; 1: pick spellings at random */
	int split;         /* given name: 0 joined, 1 spaced, 2 hyphenated */
	int caps;          /* 0 Title, 1 FAMILY upper-case, 2 all lower-case */
	int swapped;       /* 1: the other order than the people's usual */
	int plain;         /* Vietnamese: 1 without diacritics */
	int reading;       /* Han: 1 a non-pinyin surname reading */
};

static void part_spelling(struct rng *r, const char *latin, const struct style *st, char *w,
			  size_t size)
{
	int k = st->variants ? rng_below(r, nspellings(latin)) : 0;
	spelling(latin, k, w, size);
}

/* Family and given name, rendered separately (lower-case). */
static void render_latin_parts(struct rng *r, const struct person *p, const struct style *st,
			       struct sb *family, struct sb *given)
{
	char w[64];
	sb_reset(family);
	sb_reset(given);
	switch (p->who) {
	case KHMER:
		part_spelling(r, khmer_family[p->family[0]].latin, st, w, sizeof w);
		sb_add(family, w);
		if (p->given_full) {
			part_spelling(r, khmer_given[p->given[0]].latin, st, w, sizeof w);
			sb_add(given, w);
		} else {
			for (int i = 0; i < p->ngiven; i++) {
				part_spelling(r, khmer_syllable[p->given[i]].latin, st, w, sizeof w);
				if (i > 0)
					sb_add(given, st->split == 1 ? " " : st->split == 2 ? "-" : "");
				sb_add(given, w);
			}
		}
		break;
	case THAI:
		part_spelling(r, thai_given[p->given[0]].latin, st, w, sizeof w);
		sb_add(given, w);
		for (int i = 0; i < p->nfamily; i++) {
			part_spelling(r, thai_surname_part[p->family[i]].latin, st, w, sizeof w);
			sb_add(family, w);
		}
		break;
	case VIET:
		sb_add(family, st->plain ? vn_family[p->family[0]].plain : vn_family[p->family[0]].accented);
		for (int i = 0; i < p->nmiddle; i++)
			sb_word(given, st->plain ? vn_middle[p->middle[i]].plain
						 : vn_middle[p->middle[i]].accented);
		sb_word(given, st->plain ? vn_given[p->given[0]].plain : vn_given[p->given[0]].accented);
		break;
	case HAN: {
		const char *latin = han_family[p->family[0]].latin;
		int k = st->reading ? 1 + rng_below(r, nspellings(latin) - 1) : 0;
		spelling(latin, k, w, sizeof w);
		sb_add(family, w);
		for (int i = 0; i < p->ngiven; i++) {
			if (i > 0)
				sb_add(given, st->split == 1 ? " " : st->split == 2 ? "-" : "");
			sb_add(given, han_given[p->given[i]].latin);
		}
		break;
	}
	case ORG:
		sb_add(family, p->org.s);
		break;
	}
}

/* A Latin rendering of the name in the style. */
static void render_latin(struct rng *r, const struct person *p, const struct style *st,
			 struct sb *out)
{
	struct sb fam, giv;
	render_latin_parts(r, p, st, &fam, &giv);
	sb_reset(out);
	if (p->who == ORG) {
		sb_add(out, fam.s);
		return;
	}
	/* capitalisation, word by word (Vietnamese keeps its own) */
	if (p->who != VIET || st->plain) {
		if (st->caps == 1)
			upper(fam.s);
		else if (st->caps == 0)
			capitalise(fam.s);
		if (st->caps != 2) {
			int start = 1;
			for (char *c = giv.s; *c; c++) {
				if (start)
					*c = (char)toupper((unsigned char)*c);
				start = *c == ' ' || (*c == '-' && st->split == 1);
			}
		}
		if (st->caps == 2) {
			lower(fam.s);
			lower(giv.s);
		}
	} else if (st->caps == 1) {
		/* Vietnamese with diacritics: upper-case only the ASCII letters would
		 * be wrong; keep title case */
	}
	int family_first = p->who != THAI;
	if (st->swapped)
		family_first = !family_first;
	if (family_first) {
		sb_word(out, fam.s);
		sb_word(out, giv.s);
	} else {
		sb_word(out, giv.s);
		sb_word(out, fam.s);
	}
}

/* The canonical romanisation: the group. */
static void canonical(struct rng *r, const struct person *p, struct sb *out)
{
	if (p->who == ORG) {
		sb_reset(out);
		sb_add(out, p->org_core.s);
		lower(out->s);
		return;
	}
	struct style st = { .caps = 2, .plain = 1 };
	render_latin(r, p, &st, out);
	lower(out->s);
}

/* ---- identifiers ------------------------------------------------------------- */

struct ident {
	const char *kind;
	char country[3];
	char key[96];
	char display[96];
	char typed[96];    /* how a query types it (not the key, not the display) */
};

static const char *kh_prefixes[] = { "12", "15", "16", "17", "61", "69", "70", "76", "77",
				     "78", "85", "89", "92", "95", "96", "97", "98", "99",
				     "10", "11", "31", "38", "60", "66", "67", "68", "71",
				     "81", "86", "87", "88", "90", "93" };

static void digits(struct rng *r, char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (char)('0' + rng_below(r, 10));
	out[n] = '\0';
}

static void make_phone(struct rng *r, enum people who, struct ident *id)
{
	char sub[16], rest[16];
	id->kind = "phone";
	double x = rng_unit(r);
	/* most numbers are Cambodian whoever the person is */
	if (who == KHMER || who == ORG || x < 0.4) {
		snprintf(id->country, sizeof id->country, "KH");
		snprintf(sub, sizeof sub, "%s", kh_prefixes[rng_below(r, N(kh_prefixes))]);
		int n = chance(r, 0.7) ? 6 : 7;
		digits(r, rest, n);
		snprintf(id->key, sizeof id->key, "+855%s%s", sub, rest);
		snprintf(id->display, sizeof id->display, "+855 %s %.3s %s", sub, rest, rest + 3);
		switch (rng_below(r, 4)) {
		case 0: snprintf(id->typed, sizeof id->typed, "0%s %.3s %s", sub, rest, rest + 3); break;
		case 1: snprintf(id->typed, sizeof id->typed, "0%s%s", sub, rest); break;
		case 2: snprintf(id->typed, sizeof id->typed, "+855-%s-%s", sub, rest); break;
		default: snprintf(id->typed, sizeof id->typed, "00855%s%s", sub, rest); break;
		}
	} else if (who == THAI) {
		snprintf(id->country, sizeof id->country, "TH");
		snprintf(sub, sizeof sub, "%d", 6 + rng_below(r, 4));
		digits(r, rest, 8);
		snprintf(id->key, sizeof id->key, "+66%s%s", sub, rest);
		snprintf(id->display, sizeof id->display, "+66 %s%.1s %.3s %s", sub, rest, rest + 1,
			 rest + 4);
		snprintf(id->typed, sizeof id->typed, "+66 %s-%.4s-%s", sub, rest, rest + 4);
	} else if (who == VIET) {
		snprintf(id->country, sizeof id->country, "VN");
		snprintf(sub, sizeof sub, "%d", 90 + rng_below(r, 10));
		digits(r, rest, 7);
		snprintf(id->key, sizeof id->key, "+84%s%s", sub, rest);
		snprintf(id->display, sizeof id->display, "+84 %s %.3s %s", sub, rest, rest + 3);
		snprintf(id->typed, sizeof id->typed, "0084 %s %s", sub, rest);
	} else {
		snprintf(id->country, sizeof id->country, "CN");
		snprintf(sub, sizeof sub, "1%d%d", 3 + rng_below(r, 6), rng_below(r, 10));
		digits(r, rest, 8);
		snprintf(id->key, sizeof id->key, "+86%s%s", sub, rest);
		snprintf(id->display, sizeof id->display, "+86 %s %.4s %s", sub, rest, rest + 4);
		snprintf(id->typed, sizeof id->typed, "+86 %s-%.4s-%s", sub, rest, rest + 4);
	}
}

static const char *country_of(enum people who)
{
	switch (who) {
	case THAI: return "TH";
	case VIET: return "VN";
	case HAN: return "CN";
	default: return "KH";
	}
}

static void make_ident(struct rng *r, const struct person *p, const char *roman, int64_t serial,
		       struct ident *id)
{
	memset(id, 0, sizeof *id);
	double x = rng_unit(r);
	if (x < 0.6 || p->who == ORG) {
		make_phone(r, p->who, id);
	} else if (x < 0.72) {
		char local[64];
		size_t k = 0;
		for (const char *c = roman; *c && k < 40; c++)
			local[k++] = *c == ' ' ? '.' : *c;
		local[k] = '\0';
		static const char *domains[] = { "gmail.com", "yahoo.com", "hotmail.com", "qq.com",
						 "163.com", "outlook.com" };
		id->kind = "email";
		snprintf(id->key, sizeof id->key, "%s%lld@%s", local, (long long)(serial % 9973),
			 domains[rng_below(r, N(domains))]);
		snprintf(id->display, sizeof id->display, "%s", id->key);
		snprintf(id->typed, sizeof id->typed, "%s", id->key);
		upper(id->typed);
	} else if (x < 0.86) {
		const char *c = country_of(p->who);
		char num[16];
		digits(r, num, 7);
		char letter = (char)('A' + rng_below(r, 26));
		id->kind = "passport";
		snprintf(id->country, sizeof id->country, "%s", c);
		snprintf(id->key, sizeof id->key, "%s:%c%s", c, letter, num);
		snprintf(id->display, sizeof id->display, "%c%s", letter, num);
		snprintf(id->typed, sizeof id->typed, "%c %s", tolower(letter), num);
	} else {
		const char *c = country_of(p->who);
		char num[8];
		digits(r, num, 4);
		int province = 1 + rng_below(r, 9);
		char letter = (char)('A' + rng_below(r, 26));
		id->kind = "plate";
		snprintf(id->country, sizeof id->country, "%s", c);
		snprintf(id->key, sizeof id->key, "%s:%d%c%s", c, province, letter, num);
		snprintf(id->display, sizeof id->display, "%d%c-%s", province, letter, num);
		snprintf(id->typed, sizeof id->typed, "%d%c %s", province, tolower(letter), num);
	}
}

/* Keys already given out (64-bit hashes, open addressing): identifiers are
 * one per (kind, key) in kouprey, so the generator never repeats a key. */
struct keyset {
	uint64_t *slot;
	size_t cap;
};

static uint64_t fnv64(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h | 1; /* 0 marks an empty slot */
}

/* 1 when key was new (and is now taken), 0 when it was given out before. */
static int keyset_take(struct keyset *k, const char *key)
{
	uint64_t h = fnv64(key);
	size_t i = (size_t)(h >> 7) & (k->cap - 1);
	while (k->slot[i]) {
		if (k->slot[i] == h)
			return 0;
		i = (i + 1) & (k->cap - 1);
	}
	k->slot[i] = h;
	return 1;
}

/* ---- queries ------------------------------------------------------------------ */

/* One edit inside a word of at least 4 letters (not its first letter). */
static int typo(struct rng *r, const char *in, struct sb *out)
{
	size_t n = strlen(in);
	size_t cand[128], nc = 0;
	for (size_t i = 1; i < n && nc < N(cand); i++) {
		/* letter positions inside an ASCII word of length >= 4 */
		size_t s = i;
		while (s > 0 && isalpha((unsigned char)in[s - 1]))
			s--;
		size_t e = i;
		while (e < n && isalpha((unsigned char)in[e]))
			e++;
		if (isalpha((unsigned char)in[i]) && i > s && e - s >= 4)
			cand[nc++] = i;
	}
	if (!nc)
		return -1;
	size_t i = cand[rng_below(r, (int)nc)];
	char buf[512];
	snprintf(buf, sizeof buf, "%s", in);
	int op = rng_below(r, 4);
	char letter = (char)('a' + rng_below(r, 26));
	if (isupper((unsigned char)in[i]))
		letter = (char)toupper(letter);
	switch (op) {
	case 0: /* substitute */
		if (tolower((unsigned char)buf[i]) == tolower(letter))
			letter = buf[i] == 'z' || buf[i] == 'Z' ? 'e' : (char)(buf[i] + 1);
		buf[i] = letter;
		break;
	case 1: /* delete */
		memmove(buf + i, buf + i + 1, n - i);
		break;
	case 2: /* insert */
		memmove(buf + i + 1, buf + i, n - i + 1);
		buf[i] = letter;
		break;
	default: /* transpose with the next letter when it is one */
		if (i + 1 < n && isalpha((unsigned char)buf[i + 1]) && buf[i] != buf[i + 1]) {
			char t = buf[i];
			buf[i] = buf[i + 1];
			buf[i + 1] = t;
		} else {
			memmove(buf + i, buf + i + 1, n - i);
		}
	}
	sb_reset(out);
	sb_add(out, buf);
	return 0;
}

/* ---- main ------------------------------------------------------------------------ */

struct stored {
	char script[8];
	char text[512];
	char roman[512];
	int latin;
	int plain_vn;   /* a Vietnamese name without diacritics */
};

static void usage(void)
{
	fprintf(stderr, "usage: gen_parties --parties N [--seed S] [--queries Q] --out DIR\n");
	exit(2);
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "gen_parties: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static void lowercase_copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
	lower(dst);
}

/* A random Latin style for a stored name or a query. */
static struct style random_style(struct rng *r, int variants)
{
	struct style st = { .variants = variants };
	double x = rng_unit(r);
	st.split = x < 0.7 ? 0 : x < 0.9 ? 1 : 2;
	x = rng_unit(r);
	st.caps = x < 0.5 ? 0 : x < 0.9 ? 1 : 2;
	st.swapped = chance(r, 0.15);
	return st;
}

/* A name in the party's script (Khmer, Thai, Han; Vietnamese with
 * diacritics), with the baselines' romanisation. */
static void form_script(struct rng *r, const struct person *p, struct stored *s)
{
	struct sb b;
	memset(s, 0, sizeof *s);
	render_script(p, &b);
	snprintf(s->text, sizeof s->text, "%s", b.s);
	const char *code = p->who == KHMER ? "Khmr" : p->who == THAI ? "Thai" : p->who == HAN ? "Hani" : "Latn";
	snprintf(s->script, sizeof s->script, "%s", code);
	canonical(r, p, &b);
	snprintf(s->roman, sizeof s->roman, "%s", b.s);
	s->latin = p->who == VIET || p->who == ORG;
}

/* A Latin rendering in the style, with the baselines' romanisation (the
 * text itself, lower-cased; without diacritics for Vietnamese). */
static void form_latin(struct rng *r, const struct person *p, const struct style *st,
		       struct stored *s)
{
	struct sb b;
	memset(s, 0, sizeof *s);
	render_latin(r, p, st, &b);
	snprintf(s->text, sizeof s->text, "%s", b.s);
	snprintf(s->script, sizeof s->script, "Latn");
	s->latin = 1;
	s->plain_vn = p->who == VIET && st->plain;
	if (p->who == VIET && !st->plain) {
		struct style plain = *st;
		plain.plain = 1;
		render_latin(r, p, &plain, &b);
		lowercase_copy(s->roman, sizeof s->roman, b.s);
	} else {
		lowercase_copy(s->roman, sizeof s->roman, s->text);
	}
}

static int same_text(const char *a, const char *b)
{
	char x[512], y[512];
	lowercase_copy(x, sizeof x, a);
	lowercase_copy(y, sizeof y, b);
	return strcmp(x, y) == 0;
}

/* The first word moved to the end ("Sun Chan Tha" -> "Chan Tha Sun"). */
static void rotate_words(const char *in, struct sb *out)
{
	const char *sp = strchr(in, ' ');
	sb_reset(out);
	if (!sp) {
		sb_add(out, in);
		return;
	}
	sb_add(out, sp + 1);
	sb_add(out, " ");
	char first[256];
	size_t n = (size_t)(sp - in) < sizeof first - 1 ? (size_t)(sp - in) : sizeof first - 1;
	memcpy(first, in, n);
	first[n] = '\0';
	sb_add(out, first);
}

struct query {
	const char *category;
	char text[512];
	char roman[512];
	int64_t ident_id;
};

static void tsv_field(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

/* Makes a name query for the party; 0 when one was made. */
static int name_query(struct rng *r, const struct person *p, const struct stored *names,
		      int nnames, struct query *q)
{
	int has_latin = 0, has_script = 0, has_plain = 0, has_accented = 0;
	int latin_idx[4], nlatin = 0;
	for (int i = 0; i < nnames; i++) {
		if (names[i].latin && p->who != VIET) {
			has_latin = 1;
			latin_idx[nlatin++] = i;
		} else if (p->who == VIET) {
			latin_idx[nlatin++] = i;
			if (names[i].plain_vn)
				has_plain = 1;
			else
				has_accented = 1;
		} else {
			has_script = 1;
		}
	}
	struct stored s;
	memset(q, 0, sizeof *q);
	if (p->who == ORG) {
		const struct stored *n = &names[latin_idx[rng_below(r, nlatin)]];
		q->category = "organisation";
		struct sb b;
		if (chance(r, 0.5)) {
			sb_reset(&b);
			sb_add(&b, p->org_core.s);
		} else if (typo(r, n->text, &b) != 0) {
			return -1;
		}
		snprintf(q->text, sizeof q->text, "%s", b.s);
		lowercase_copy(q->roman, sizeof q->roman, b.s);
		return 0;
	}
	if (p->who == VIET) {
		double x = rng_unit(r);
		if (x < 0.5 && (has_plain != has_accented)) {
			struct style st = random_style(r, 0);
			st.plain = has_accented;
			st.swapped = 0;
			form_latin(r, p, &st, &s);
			q->category = "diacritics";
		} else if (x < 0.75) {
			struct sb b;
			const struct stored *n = &names[latin_idx[rng_below(r, nlatin)]];
			struct style st = random_style(r, 0);
			st.plain = 1;
			st.swapped = 0;
			form_latin(r, p, &st, &s);
			if (typo(r, s.text, &b) != 0)
				return -1;
			(void)n;
			snprintf(s.text, sizeof s.text, "%s", b.s);
			lowercase_copy(s.roman, sizeof s.roman, b.s);
			q->category = "typo";
		} else {
			const struct stored *n = &names[latin_idx[rng_below(r, nlatin)]];
			struct sb b;
			rotate_words(n->text, &b);
			snprintf(s.text, sizeof s.text, "%s", b.s);
			rotate_words(n->roman, &b);
			snprintf(s.roman, sizeof s.roman, "%s", b.s);
			q->category = "order";
		}
		snprintf(q->text, sizeof q->text, "%s", s.text);
		snprintf(q->roman, sizeof q->roman, "%s", s.roman);
		return 0;
	}
	double x = rng_unit(r);
	if (has_script && !has_latin) {
		/* cross-script: searched in Latin */
		struct style st = random_style(r, 1);
		st.swapped = chance(r, 0.1);
		form_latin(r, p, &st, &s);
		q->category = "cross-script";
	} else if (has_latin && !has_script && x < 0.7) {
		form_script(r, p, &s);
		q->category = "cross-script";
	} else if (p->who == HAN && x < 0.8 && has_latin) {
		struct style st = random_style(r, 0);
		st.reading = 1;
		form_latin(r, p, &st, &s);
		q->category = "surname-reading";
	} else {
		double y = rng_unit(r);
		const struct stored *n = &names[latin_idx[rng_below(r, nlatin)]];
		int made = 0;
		if (y < 0.4 && p->who != HAN) {
			for (int tries = 0; tries < 12 && !made; tries++) {
				struct style st = random_style(r, 1);
				st.swapped = 0;
				form_latin(r, p, &st, &s);
				made = 1;
				for (int i = 0; i < nnames; i++)
					if (names[i].latin && same_text(names[i].text, s.text))
						made = 0;
			}
			if (made)
				q->category = "spelling";
		} else if (y < 0.7) {
			struct sb b;
			rotate_words(n->text, &b);
			snprintf(s.text, sizeof s.text, "%s", b.s);
			lowercase_copy(s.roman, sizeof s.roman, b.s);
			q->category = "order";
			made = 1;
		}
		if (!made) {
			struct sb b;
			if (typo(r, n->text, &b) != 0)
				return -1;
			snprintf(s.text, sizeof s.text, "%s", b.s);
			lowercase_copy(s.roman, sizeof s.roman, b.s);
			q->category = "typo";
		}
	}
	snprintf(q->text, sizeof q->text, "%s", s.text);
	snprintf(q->roman, sizeof q->roman, "%s", s.roman);
	return 0;
}

int main(int argc, char **argv)
{
	long long nparties = 0, nqueries = 2000;
	unsigned long long seed = 1;
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--parties") == 0 && i + 1 < argc)
			nparties = atoll(argv[++i]);
		else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc)
			nqueries = atoll(argv[++i]);
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			dir = argv[++i];
		else
			usage();
	}
	if (nparties <= 0 || !dir || nqueries < 0)
		usage();
	mkdir(dir, 0755);
	FILE *fp = open_out(dir, "parties.tsv"), *fn = open_out(dir, "names.tsv"),
	     *fi = open_out(dir, "identifiers.tsv"), *fq = open_out(dir, "queries.tsv");
	struct rng r, rq;
	rng_seed(&r, seed);
	rng_seed(&rq, seed ^ 0x5eed5eedULL);
	double qrate = (double)nqueries / (double)nparties;
	struct keyset keys = { .cap = 1 << 16 };
	while (keys.cap < (size_t)nparties * 8)
		keys.cap *= 2;
	keys.slot = calloc(keys.cap, sizeof *keys.slot);
	if (!keys.slot) {
		fprintf(stderr, "gen_parties: out of memory\n");
		return 1;
	}
	int64_t ident_id = 0, query_id = 0;
	for (int64_t id = 1; id <= nparties; id++) {
		struct person p;
		make_person(&r, &p);
		int agency = 1 + rng_below(&r, 6);
		const char *sharing = chance(&r, 0.7) ? "national" : "agency";
		struct sb group;
		canonical(&r, &p, &group);
		fprintf(fp, "%lld\t%s\t%d\t%s\t", (long long)id, p.who == ORG ? "organisation" : "person",
			agency, sharing);
		tsv_field(fp, group.s);
		fputc('\n', fp);

		struct stored names[4];
		int nn = 0;
		double x = rng_unit(&r);
		if (p.who == ORG) {
			struct style st = { 0 };
			form_latin(&r, &p, &st, &names[nn++]);
		} else if (p.who == VIET) {
			struct style st = random_style(&r, 0);
			st.swapped = chance(&r, 0.1);
			if (x < 0.7) {
				form_latin(&r, &p, &st, &names[nn++]);
			}
			if (x >= 0.5) {
				st.plain = 1;
				form_latin(&r, &p, &st, &names[nn++]);
			}
		} else {
			if (x < 0.8)
				form_script(&r, &p, &names[nn++]);
			if (x < 0.5 || x >= 0.8) {
				struct style st = random_style(&r, 1);
				form_latin(&r, &p, &st, &names[nn++]);
			}
		}
		/* an alias now and then: a nickname-like second given name */
		int alias = -1;
		if (p.who != ORG && chance(&r, 0.08)) {
			struct person other;
			do
				make_person(&r, &other);
			while (other.who != p.who);
			memcpy(other.family, p.family, sizeof p.family);
			other.nfamily = p.nfamily;
			struct style st = random_style(&r, 1);
			alias = nn;
			form_latin(&r, &other, &st, &names[nn++]);
		}
		for (int i = 0; i < nn; i++) {
			fprintf(fn, "%lld\t%s\t%s\t", (long long)id, names[i].script,
				i == alias ? "alias" : "full");
			tsv_field(fn, names[i].text);
			fputc('\t', fn);
			tsv_field(fn, names[i].roman);
			fputc('\n', fn);
		}
		x = rng_unit(&r);
		int nid = x < 0.25 ? 1 : x < 0.75 ? 2 : 3;
		struct ident ids[3];
		for (int i = 0; i < nid; i++) {
			for (int tries = 0; tries < 50; tries++) {
				make_ident(&r, &p, group.s, ident_id + 1, &ids[i]);
				if (keyset_take(&keys, ids[i].key))
					break;
			}
			ident_id++;
			fprintf(fi, "%lld\t%lld\t%s\t%s\t%s\t%s\n", (long long)ident_id, (long long)id,
				ids[i].kind, ids[i].country, ids[i].key, ids[i].display);
		}

		if (rng_unit(&rq) >= qrate)
			continue;
		/* names of the alias are not what a query aims at */
		int nbase = alias >= 0 ? nn - 1 : nn;
		struct query q;
		if (p.who != ORG && chance(&rq, 0.15)) {
			int k = rng_below(&rq, nid);
			memset(&q, 0, sizeof q);
			q.category = "identifier";
			snprintf(q.text, sizeof q.text, "%s", ids[k].typed);
			snprintf(q.roman, sizeof q.roman, "%s", ids[k].typed);
			q.ident_id = ident_id - nid + 1 + k;
		} else if (name_query(&rq, &p, names, nbase, &q) != 0) {
			continue;
		}
		fprintf(fq, "%lld\t%s\t", (long long)++query_id, q.category);
		tsv_field(fq, q.text);
		fputc('\t', fq);
		tsv_field(fq, q.roman);
		fprintf(fq, "\t%lld\t%lld\n", (long long)id, (long long)q.ident_id);
	}
	free(keys.slot);
	int bad = 0;
	bad |= fclose(fp) != 0;
	bad |= fclose(fn) != 0;
	bad |= fclose(fi) != 0;
	bad |= fclose(fq) != 0;
	if (bad) {
		fprintf(stderr, "gen_parties: writing %s failed\n", dir);
		return 1;
	}
	fprintf(stderr, "gen_parties: %lld parties, %lld identifiers, %lld queries in %s\n",
		nparties, (long long)ident_id, (long long)query_id, dir);
	return 0;
}
