#!/usr/bin/env python3
"""Derive the project's reference data files from the shared source data.

Usage:
    python3 tools/derive_data.py SHARED_DATA_DIR OUT_DIR

SHARED_DATA_DIR is the folder described by its own SOURCES.md (cites/,
geo/, lexicon/).  OUT_DIR is the project's data/ folder; its curated/
subfolder holds the hand-written files merged here (regional common
names, Khmer names of codes, controlled vocabularies).

Standard library only.  Not run by the build or the tests: the derived
files are committed.  Every output is UTF-8 CSV (RFC 4180 quoting, LF
line ends) with a header line; multi-valued cells are "|"-separated.

The script fails (exit status 1) if a check fails: a duplicate key, a
curated name for a taxon that is not in the Species+ export, a term-unit
pair naming an unknown code, and so on.
"""

import csv
import gzip
import io
import os
import re
import sys

# ----------------------------------------------------------------------
# helpers


class DataError(Exception):
	pass


def read_csv(path, encoding="utf-8"):
	"""Rows of a CSV file as dicts (header from the first line)."""
	with open(path, encoding=encoding, newline="") as f:
		return list(csv.DictReader(f))


def write_csv(path, header, rows):
	"""Write header + rows; return the number of data rows."""
	n = 0
	with open(path, "w", encoding="utf-8", newline="") as f:
		w = csv.writer(f, lineterminator="\n")
		w.writerow(header)
		for r in rows:
			if len(r) != len(header):
				raise DataError("%s: row of %d cells, header has %d: %r"
						% (path, len(r), len(header), r))
			for cell in r:
				if "\r" in cell or "\n" in cell:
					raise DataError("%s: line break in cell: %r" % (path, r))
			w.writerow(r)
			n += 1
	return n


def squash(s):
	"""Trim and collapse runs of white space."""
	return " ".join(s.split())


def check_unique(name, keys):
	seen = set()
	for k in keys:
		if k in seen:
			raise DataError("%s: duplicate key %r" % (name, k))
		seen.add(k)


def join_multi(values):
	"""'|'-join distinct non-empty values, keeping first-seen order."""
	out = []
	for v in values:
		v = squash(v.replace("|", "/"))
		if v and v not in out:
			out.append(v)
	return "|".join(out)


# ----------------------------------------------------------------------
# species (Species+ 2017 export)

# Start of a binomial: Genus [(Subgenus)] [x] epithet.  Chunks of the
# SynonymsWithAuthors list that do not match are continuations of the
# previous synonym's author string ("Lesson & DeLattre, 1839").
BINOMIAL = re.compile(
	r"^(?:[×x] ?)?([A-Z][A-Za-zë-]+)"
	r"(?: \([A-Za-z]+\))?"
	r" ((?:[×x] )?[a-z][a-zë-]+)")
INFRA_MARKERS = {"ssp.", "subsp.", "var.", "f.", "forma", "subvar.", "cv."}
# lower-case words that begin an author string rather than a trinomial
AUTHOR_PARTICLES = {
	"de", "da", "das", "del", "della", "di", "do", "dos", "du", "van", "von",
	"der", "den", "la", "le", "ex", "in", "et", "al.", "auct.", "hort.",
	"non", "nec", "sensu", "emend.", "nom.", "s.l.", "s.str.", "sp.",
	"spp.", "and", "d'", "y", "ten", "ter", "zu",
	# botanical "auct." / "hort." written without the dot, and typos
	"auct", "auctt", "acutt", "hort", "fide", "var", "ker",
}
UNINOMIAL = re.compile(r"^([A-Z][a-zë]+)(?:\s|$)")


def synonym_names(text, rank):
	"""Scientific names (authors stripped) of a SynonymsWithAuthors cell."""
	text = squash(text)
	if not text:
		return []
	chunks = text.split(", ")
	names = []
	if rank in ("SPECIES", "SUBSPECIES", "VARIETY"):
		for ch in chunks:
			m = BINOMIAL.match(ch)
			if not m:
				continue
			name = [m.group(1), m.group(2).replace("x ", "× ")]
			rest = ch[m.end():].split()
			if len(rest) >= 2 and rest[0] in INFRA_MARKERS and \
					re.fullmatch(r"[a-z][a-zë-]+", rest[1]):
				name += [rest[0], rest[1]]
			elif rest and re.fullmatch(r"[a-z][a-zë-]+", rest[0]) and \
					rest[0] not in AUTHOR_PARTICLES:
				name.append(rest[0])
			names.append(" ".join(name))
	else:
		# genus and higher: uninomials; author chunks contain initials
		# ("Z.J.Liu") or years and are skipped
		for i, ch in enumerate(chunks):
			m = UNINOMIAL.match(ch)
			if not m:
				continue
			word = m.group(1)
			rest = ch[m.end():]
			if i > 0 and ("&" in rest or "." in word):
				continue
			if i > 0 and rest == "" and len(word) < 4:
				continue
			names.append(word)
	return names


def english_names(text):
	"""Species+ EnglishNames: a ', '-separated list."""
	return [squash(n) for n in text.split(", ") if squash(n)]


def derive_species(src):
	path = os.path.join(src, "cites", "species_plus_2017.csv.gz")
	with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
		rows = list(csv.DictReader(f))
	out = []
	for r in rows:
		accepted = {"true": "1", "false": "0"}.get(r["CitesAccepted"])
		if accepted is None:
			raise DataError("CitesAccepted %r for %s"
					% (r["CitesAccepted"], r["TaxonId"]))
		syn = [s for s in synonym_names(r["SynonymsWithAuthors"],
				r["RankName"]) if s != r["FullName"]]
		out.append([
			r["TaxonId"], r["Kingdom"], r["Phylum"], r["Class"],
			r["Order"], r["Family"], r["Genus"], r["Species"],
			r["Subspecies"], squash(r["FullName"]),
			squash(r["AuthorYear"]), r["RankName"],
			r["CurrentListing"], accepted, join_multi(syn),
			join_multi(english_names(r["EnglishNames"])),
		])
	check_unique("species taxon_id", (r[0] for r in out))
	check_unique("species full_name", (r[9] for r in out))
	return out


# ----------------------------------------------------------------------
# common names in other languages

LANGS = ("km", "vi", "th", "zh", "lo", "en")


def derive_species_names(src, curated_dir, species):
	by_id = {r[0]: r[9] for r in species}
	known = set(by_id.values())
	rows = []
	# (b) curated regional names come first: they are the usual names
	for i, r in enumerate(read_csv(os.path.join(curated_dir,
			"regional_names.csv")), start=2):
		fn, lang, name = squash(r["full_name"]), r["lang"], squash(r["name"])
		if fn not in known:
			raise DataError("regional_names.csv line %d: %r is not in "
					"the Species+ export" % (i, fn))
		if lang not in LANGS or not name:
			raise DataError("regional_names.csv line %d: bad row %r"
					% (i, r))
		rows.append((fn, lang, name))
	# (a) Chinese names of the SAPI list; RecId is the Species+ TaxonId
	zh = read_csv(os.path.join(src, "cites", "codes",
			"chinese_common_names.csv"))
	joined = 0
	for r in zh:
		fn = by_id.get(r["RecId"].strip())
		name = squash(r["ComName"])
		if fn and name and r["LangShort"] == "ZHO":
			rows.append((fn, "zh", name))
			joined += 1
	seen = set()
	out = []
	for row in rows:
		if row not in seen:
			seen.add(row)
			out.append(list(row))
	order = {l: i for i, l in enumerate(LANGS)}
	out.sort(key=lambda r: (r[0], order[r[1]]))  # stable: curated first
	return out, joined, len(zh)


# ----------------------------------------------------------------------
# CITES codes

def parse_guide(src):
	"""Term and unit names of the Trade Database Guide annex 1."""
	path = os.path.join(src, "cites", "codes",
			"cites_trade_db_guide_v8_annex1-3.txt")
	terms, units = {}, {}
	section = None
	entry = re.compile(r"\b([A-Z]{3})\s+(\S.*?)(?=\s+[A-Z]{3}\s+\S|\s*$)")
	pending = None  # (dict, code) of a name with an unclosed "("
	with open(path, encoding="utf-8") as f:
		for line in f:
			line = line.rstrip("\n")
			if line.startswith("DESCRIPTION OF TRADE TERMS"):
				section = terms
				continue
			if line.strip() == "UNITS":
				section = units
				continue
			if line.startswith("Annex 2"):
				break
			if section is None or not line.strip():
				continue
			leftovers = []
			pending_new = None
			found = entry.findall(line)
			if not found:
				leftovers.append(line.strip())
			for code, text in found:
				# a wide gap inside the text separates the name from
				# the wrapped tail of a name in another column
				parts = re.split(r"\s{3,}", text)
				section[code] = squash(parts[0])
				leftovers += parts[1:]
				if section[code].count("(") > section[code].count(")"):
					pending_new = (section, code)
			for tail in leftovers:
				if pending:
					d, c = pending
					d[c] = squash(d[c] + " " + tail)
					pending = None
			if found:
				pending = pending_new
	return terms, units


def cap(s):
	s = squash(s)
	return s[:1].upper() + s[1:]


# units missing from the guide annex whose file name is an abbreviation
UNIT_EN = {"YAR": "Yards"}


def curated_km(curated_dir, fname, key, codes):
	out = {}
	for r in read_csv(os.path.join(curated_dir, fname)):
		k = r[key].strip()
		if k not in codes:
			raise DataError("%s: unknown code %r" % (fname, k))
		if k in out:
			raise DataError("%s: duplicate code %r" % (fname, k))
		out[k] = squash(r["name_km"])
	return out


def derive_codes(src, curated_dir):
	cdir = os.path.join(src, "cites", "codes")
	g_terms, g_units = parse_guide(src)

	terms = read_csv(os.path.join(cdir, "term_codes_utf8.csv"))
	check_unique("term codes", (r["Term_code"] for r in terms))
	tcodes = {r["Term_code"] for r in terms}
	t_km = curated_km(curated_dir, "cites_terms_km.csv", "code", tcodes)
	term_rows = []
	for r in sorted(terms, key=lambda r: r["Term_code"]):
		c = r["Term_code"]
		term_rows.append([c, g_terms.get(c) or cap(r["English_Term_Name"]),
				squash(r["French_Term_name"]),
				squash(r["Spanish_Term_Name"]), t_km.get(c, "")])

	units = read_csv(os.path.join(cdir, "unit_codes_utf8.csv"))
	check_unique("unit codes", (r["Unit_code"] for r in units))
	ucodes = {r["Unit_code"] for r in units}
	u_km = curated_km(curated_dir, "cites_units_km.csv", "code", ucodes)
	# The Spanish names of SQC and SQD are swapped in the source file.
	es_fix = {"SQC": "centímetros cuadrados", "SQD": "decímetros cuadrados"}
	unit_rows = []
	for r in sorted(units, key=lambda r: r["Unit_code"]):
		c = r["Unit_code"]
		unit_rows.append([c, g_units.get(c) or UNIT_EN.get(c)
				or cap(r["English_Unit_Name"]),
				squash(r["French_Unit_name"]),
				es_fix.get(c, squash(r["Spanish_Unit_name"])),
				u_km.get(c, "")])

	pairs = read_csv(os.path.join(cdir, "term_unit_pairs_utf8.csv"))
	pair_rows, seen, dropped = [], set(), {}
	for r in pairs:
		t, u = r["TERM_CODE"].strip(), r["UNIT_CODE"].strip()
		if t not in tcodes:
			dropped[t] = dropped.get(t, 0) + 1
			continue
		if u and u not in ucodes:
			raise DataError("term-unit pair with unknown unit %r" % u)
		if (t, u) in seen:
			continue
		seen.add((t, u))
		pair_rows.append([t, u])
	pair_rows.sort()

	purposes = read_csv(os.path.join(cdir, "purpose_codes_utf8.csv"))
	# "artificially propagation" in the source: fixed
	purpose_rows = sorted([[r["Purpose_code"],
			squash(r["English_Purpose_Name"]).replace(
				"or artificially propagation",
				"or artificial propagation"),
			squash(r["French_Purpose_Name"]),
			squash(r["Spanish_Purpose_Name"])] for r in purposes])
	sources = read_csv(os.path.join(cdir, "source_codes_utf8.csv"))
	source_rows = sorted([[r["Source_code"], squash(r["Source_English_Name"]),
			squash(r["Source_French_Name"]),
			squash(r["Source_Spanish_Name"])] for r in sources])
	# Source code X (CoP16, 2013) is in the Trade Database Guide annex 2
	# but not in the 2013 code file; French and Spanish left blank.
	if "X" not in {r[0] for r in source_rows}:
		source_rows.append(["X", "Taken in the marine environment not "
				"under the jurisdiction of any State", "", ""])
	check_unique("purposes", (r[0] for r in purpose_rows))
	check_unique("sources", (r[0] for r in source_rows))
	return term_rows, unit_rows, pair_rows, dropped, purpose_rows, source_rows


# ----------------------------------------------------------------------
# countries

# CLDR display names that are abbreviations or awkward in a form.
NAME_EN_OVERRIDES = {
	"GB": "United Kingdom",
	"US": "United States",
	"CD": "DR Congo",
	"CG": "Congo",
	"BA": "Bosnia and Herzegovina",
	"CC": "Cocos (Keeling) Islands",
}
# Currency: the file lists several codes for a few countries; the first
# is kept except where the second is the national currency in use.
# Türkiye has no currency code in this copy of the file.
CURRENCY_OVERRIDES = {"BT": "BTN", "SV": "USD", "TR": "TRY"}
# Dialling codes: the "Dial" column of country-codes.csv, except where it
# is ambiguous or too coarse for telling a number's country from its
# leading digits (ITU-T E.164 assigned country codes and the national
# numbering plans of Kazakhstan, Puerto Rico and the Vatican):
# Kazakhstan shares +7 with Russia and holds the ranges +7 6 and +7 7;
# Puerto Rico is +1 787 and +1 939 (the file gives plain "1", which would
# make it share all of +1 with the United States and Canada); the Vatican
# is +39 06 698 inside Rome's 06 (the file's "39-06" would claim all of
# Rome).
DIAL_OVERRIDES = {"KZ": "7-6|7-7", "PR": "1-787|1-939", "VA": "39-06698"}


def cites_regions(src):
	"""ISO2 -> CITES region name, from countries_utf8.csv.

	That file has CR line ends only (it looks like one long line); the
	last column is the CITES region number, the row number of the region
	in cites_regions_utf8.csv.  Territories have no region of their own:
	they take the region of the country in the "Under" column."""
	cdir = os.path.join(src, "cites", "codes")
	regions = []
	for r in read_csv(os.path.join(cdir, "cites_regions_utf8.csv")):
		regions.append(re.sub(r"^\d+-\s*", "", r["name"]).strip())
	with open(os.path.join(cdir, "countries_utf8.csv"), encoding="utf-8",
			newline="") as f:
		text = f.read().replace("\r\n", "\n").replace("\r", "\n")
	rows = list(csv.DictReader(io.StringIO(text)))
	num = {}
	under = {}
	for r in rows:
		code = r["ISO2"].strip()
		# the 2013 list still codes Serbia as CS (Serbia and Montenegro)
		code = {"CS": "RS"}.get(code, code)
		reg = r["CITES Region"].strip()
		if reg:
			if not reg.isdigit() or not 1 <= int(reg) <= len(regions):
				raise DataError("CITES region %r for %s" % (reg, code))
			num[code] = regions[int(reg) - 1]
		if r["Under"].strip():
			under[code] = r["Under"].strip()
	out = dict(num)
	for code, parent in under.items():
		if code not in out and parent in num:
			out[code] = num[parent]
	return out, under


def dial_code(a2, text):
	"""The dial column: the E.164 country code, and for a country that
	shares it and is told apart by the first digits of the national
	number, those digits after a "-" ("1-876" Jamaica); several ranges
	"|"-separated ("1-809|1-829|1-849").  The source writes ranges with
	"," and adds footnote letters ("290 n", "381 p"); blank when none."""
	if a2 in DIAL_OVERRIDES:
		return DIAL_OVERRIDES[a2]
	out = []
	for part in text.split(","):
		part = re.sub(r"[^0-9-]", "", part)
		if not part:
			continue
		if not re.match(r"^[1-9][0-9]{0,2}(-[0-9]{1,5})?$", part):
			raise DataError("country %s: dial code %r" % (a2, text))
		out.append(part)
	return "|".join(out)


def derive_countries(src, curated_dir):
	rows = read_csv(os.path.join(src, "geo", "country-codes.csv"))
	regions, under = cites_regions(src)
	iso2s = {r["ISO3166-1-Alpha-2"] for r in rows if r["ISO3166-1-Alpha-2"]}
	km = curated_km(curated_dir, "countries_km.csv", "iso2", iso2s)
	out = []
	for r in rows:
		a2 = r["ISO3166-1-Alpha-2"].strip()
		a3 = r["ISO3166-1-Alpha-3"].strip()
		if not a2 or not a3:
			continue
		name = NAME_EN_OVERRIDES.get(a2) or squash(r["CLDR display name"]) \
			or squash(r["UNTERM English Short"]) \
			or squash(r["official_name_en"])
		name = name.replace("’", "'")
		region = regions.get(a2, "")
		if not region:
			# territories missing from the CITES list: "Part of FR" etc.
			m = re.search(r"\b(?:of|with) ([A-Z]{2})$",
					r["is_independent"].strip())
			if m and m.group(1) in regions:
				region = regions[m.group(1)]
		cur = CURRENCY_OVERRIDES.get(a2) or \
			r["ISO4217-currency_alphabetic_code"].split(",")[0].strip()
		dial = dial_code(a2, r["Dial"])
		out.append([a2, a3, name, km.get(a2, ""), region, cur, dial])
	out.sort()
	check_unique("countries iso2", (r[0] for r in out))
	check_unique("countries iso3", (r[1] for r in out))
	return out


# ----------------------------------------------------------------------
# UN/LOCODE

DROP_STATUS = {"XX", "RR"}
# Land borders matter most in the Mekong region, and few of its road and
# rail crossings carry the "B" function: road/rail/ICD entries are kept
# for these countries as well.
LAND_COUNTRIES = {"KH", "LA", "TH", "VN", "MM"}
COORD = re.compile(r"^(\d{2})(\d{2})([NS]) (\d{3})(\d{2})([EW])$")


def decimal_coords(s):
	m = COORD.match(s.strip())
	if not m:
		return "", ""
	lat = int(m.group(1)) + int(m.group(2)) / 60.0
	lon = int(m.group(4)) + int(m.group(5)) / 60.0
	if m.group(3) == "S":
		lat = -lat
	if m.group(6) == "W":
		lon = -lon
	return "%.5f" % lat, "%.5f" % lon


def wanted_location(fn, country):
	fn = (fn + "--------")[:8]
	if fn[0] == "1" or fn[3] == "4" or "B" in fn:
		return True
	if country in LAND_COUNTRIES and (fn[1] == "2" or fn[2] == "3" or
			fn[5] == "6"):
		return True
	return False


def derive_locations(src):
	rows = read_csv(os.path.join(src, "geo", "unlocode_asia.csv"))
	out = {}
	order = []
	aliases = []
	dup = 0
	for r in rows:
		if r["Change"] == "=":
			aliases.append((r["Country"], r["Name"]))
			continue
		if not r["Location"].strip():
			continue  # country header rows
		if r["Status"].strip() in DROP_STATUS or r["Change"] == "X":
			continue
		if not wanted_location(r["Function"], r["Country"]):
			continue
		code = r["Country"].strip() + r["Location"].strip()
		if code in out:
			dup += 1  # same code listed twice (e.g. two name forms)
			continue
		lat, lon = decimal_coords(r["Coordinates"])
		out[code] = [code, r["Country"].strip(), squash(r["Name"]),
				r["Subdivision"].strip(), (r["Function"] + "--------")[:8],
				r["IATA"].strip(), lat, lon]
		order.append(code)
	# "X = Y" reference entries name an old or other form X of the
	# location Y: add X to Y's name as UN/LOCODE itself does for
	# "Paôy Pêt (Poipet)".
	by_name = {}
	for code in order:
		by_name.setdefault((out[code][1], out[code][2]), []).append(code)
	applied = 0
	for country, text in aliases:
		if " = " not in text:
			continue
		old, new = (squash(p) for p in text.split(" = ", 1))
		codes = by_name.get((country, new), [])
		if len(codes) == 1 and old.lower() not in new.lower():
			out[codes[0]][2] = "%s (%s)" % (new, old)
			applied += 1
	result = [out[c] for c in sorted(order)]
	return result, dup, applied


# ----------------------------------------------------------------------
# curated vocabularies

def derive_agency_kinds(curated_dir):
	rows = read_csv(os.path.join(curated_dir, "agency_kinds.csv"))
	out = [[r["code"].strip(), squash(r["name_en"]), squash(r["name_km"])]
			for r in rows]
	check_unique("agency_kinds", (r[0] for r in out))
	for r in out:
		if not re.fullmatch(r"[a-z][a-z_]*", r[0]) or not r[1]:
			raise DataError("agency_kinds: bad row %r" % r)
	return out


def derive_vocab(curated_dir):
	rows = read_csv(os.path.join(curated_dir, "vocab.csv"))
	out = []
	for r in rows:
		syn = [s.strip().lower() for s in r["synonyms"].split("|")]
		out.append([r["vocab"].strip(), r["code"].strip(),
				squash(r["name_en"]), squash(r["name_km"]),
				join_multi(syn)])
	check_unique("vocab", ((r[0], r[1]) for r in out))
	# a synonym must not point to two codes of the same vocabulary
	owner = {}
	for v, code, name_en, _, syn in out:
		if not re.fullmatch(r"[a-z][a-z0-9_]*", code) or not name_en:
			raise DataError("vocab: bad row %r" % [v, code])
		for s in [code, name_en.lower()] + (syn.split("|") if syn else []):
			k = (v, s)
			if owner.get(k, code) != code:
				raise DataError("vocab %s: %r means both %s and %s"
						% (v, s, owner[k], code))
			owner[k] = code
	return out


# ----------------------------------------------------------------------

def main(argv):
	if len(argv) != 3:
		sys.stderr.write("usage: %s SHARED_DATA_DIR OUT_DIR\n" % argv[0])
		return 2
	src, dst = argv[1], argv[2]
	cur = os.path.join(dst, "curated")
	counts = {}

	def out(name, header, rows):
		counts[name] = write_csv(os.path.join(dst, name), header, rows)

	species = derive_species(src)
	out("species.csv", ["taxon_id", "kingdom", "phylum", "class", "order",
			"family", "genus", "species", "subspecies", "full_name",
			"author", "rank", "listing", "accepted", "synonyms",
			"names_en"], species)

	names, zh_joined, zh_total = derive_species_names(src, cur, species)
	out("species_names.csv", ["full_name", "lang", "name"], names)

	terms, units, pairs, dropped, purposes, sources = derive_codes(src, cur)
	out("cites_terms.csv", ["code", "name_en", "name_fr", "name_es",
			"name_km"], terms)
	out("cites_units.csv", ["code", "name_en", "name_fr", "name_es",
			"name_km"], units)
	out("cites_term_units.csv", ["term", "unit"], pairs)
	out("cites_purposes.csv", ["code", "name_en", "name_fr", "name_es"],
			purposes)
	out("cites_sources.csv", ["code", "name_en", "name_fr", "name_es"],
			sources)

	out("countries.csv", ["iso2", "iso3", "name_en", "name_km", "region",
			"currency", "dial"], derive_countries(src, cur))

	locs, dup, applied = derive_locations(src)
	out("locations.csv", ["locode", "country", "name", "subdivision",
			"functions", "iata", "latitude", "longitude"], locs)

	out("agency_kinds.csv", ["code", "name_en", "name_km"],
			derive_agency_kinds(cur))
	out("vocab.csv", ["vocab", "code", "name_en", "name_km", "synonyms"],
			derive_vocab(cur))

	for name in sorted(counts):
		print("%-22s %6d rows" % (name, counts[name]))
	print("chinese names joined on RecId=TaxonId: %d of %d"
			% (zh_joined, zh_total))
	print("term-unit pairs dropped (term not in term list): %s"
			% ", ".join("%s×%d" % kv for kv in sorted(dropped.items())))
	print("locations: %d repeated codes skipped, %d aliases applied"
			% (dup, applied))
	return 0


if __name__ == "__main__":
	try:
		sys.exit(main(sys.argv))
	except DataError as e:
		sys.stderr.write("derive_data: %s\n" % e)
		sys.exit(1)
