-- kouprey schema, version 1: reference data, agencies and accounts, the
-- seizure register, imports and the audit log.

CREATE TABLE country (
	iso2 TEXT PRIMARY KEY,
	iso3 TEXT,
	name_en TEXT NOT NULL,
	name_km TEXT,
	region TEXT,
	currency TEXT
);

CREATE TABLE location (
	locode TEXT PRIMARY KEY,
	country TEXT NOT NULL,
	name TEXT NOT NULL,
	subdivision TEXT,
	functions TEXT,
	iata TEXT,
	latitude REAL,
	longitude REAL
);
CREATE INDEX location_country ON location(country);

CREATE TABLE cites_term (code TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_fr TEXT, name_es TEXT, name_km TEXT);
CREATE TABLE cites_unit (code TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_fr TEXT, name_es TEXT, name_km TEXT);
CREATE TABLE cites_term_unit (term TEXT NOT NULL, unit TEXT NOT NULL, PRIMARY KEY (term, unit));
CREATE TABLE cites_purpose (code TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_fr TEXT, name_es TEXT);
CREATE TABLE cites_source (code TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_fr TEXT, name_es TEXT);
CREATE TABLE vocab (
	vocab TEXT NOT NULL,
	code TEXT NOT NULL,
	name_en TEXT NOT NULL,
	name_km TEXT,
	synonyms TEXT,
	PRIMARY KEY (vocab, code)
);
CREATE TABLE agency_kind (code TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_km TEXT);

-- Taxa: the CITES checklist plus species protected nationally (national = 1,
-- added by an admin).
CREATE TABLE taxon (
	id INTEGER PRIMARY KEY,
	kingdom TEXT, phylum TEXT, class TEXT, order_name TEXT, family TEXT,
	genus TEXT, species TEXT, subspecies TEXT,
	full_name TEXT NOT NULL,
	author TEXT,
	rank TEXT NOT NULL,
	listing TEXT,
	accepted INTEGER NOT NULL DEFAULT 1,
	national INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX taxon_full_name ON taxon(full_name);
CREATE INDEX taxon_family ON taxon(family);
CREATE INDEX taxon_genus ON taxon(genus);
CREATE INDEX taxon_order ON taxon(order_name);
CREATE INDEX taxon_class ON taxon(class);

-- Every name a taxon is known by: kind is 'scientific', 'synonym' or
-- 'common'; lang is 'la' for scientific names, else a language code.
CREATE TABLE taxon_name (
	taxon_id INTEGER NOT NULL REFERENCES taxon(id),
	name TEXT NOT NULL,
	lang TEXT NOT NULL,
	kind TEXT NOT NULL,
	PRIMARY KEY (taxon_id, name, lang, kind)
) WITHOUT ROWID;

CREATE TABLE agency (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE,
	country TEXT NOT NULL,
	kind TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE user (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE COLLATE NOCASE,
	display_name TEXT NOT NULL,
	agency_id INTEGER NOT NULL REFERENCES agency(id),
	role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'officer', 'viewer')),
	password_hash TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	lang TEXT NOT NULL DEFAULT 'en',
	created_at TEXT NOT NULL
);

-- Sessions and API tokens are stored by the hash of their secret only.
CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES user(id),
	csrf TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX session_user ON session(user_id);

CREATE TABLE api_token (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES user(id),
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE import_job (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES user(id),
	filename TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	created_at TEXT NOT NULL,
	rows INTEGER NOT NULL,
	seizures_created INTEGER NOT NULL,
	seizures_updated INTEGER NOT NULL,
	seizures_unchanged INTEGER NOT NULL,
	rows_rejected INTEGER NOT NULL
);

-- The seizure record (CITES AITR, SC71).  Lists of countries are stored as
-- ISO codes separated by ';' and mirrored in seizure_country for filtering.
-- date is 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; date_from/date_to bound it.
CREATE TABLE seizure (
	id INTEGER PRIMARY KEY,
	ref TEXT NOT NULL,
	agency_id INTEGER NOT NULL REFERENCES agency(id),
	sharing TEXT NOT NULL CHECK (sharing IN ('agency', 'national')),
	date TEXT NOT NULL,
	date_from TEXT NOT NULL,
	date_to TEXT NOT NULL,
	country TEXT NOT NULL,
	place TEXT,
	province TEXT,
	locode TEXT,
	latitude REAL,
	longitude REAL,
	reason TEXT,
	transport_mode TEXT,
	detection_method TEXT,
	concealment TEXT,
	concealment_code TEXT,
	origin TEXT,
	transit TEXT,
	destination TEXT,
	offender_nationalities TEXT,
	value_amount REAL,
	value_currency TEXT,
	legal_action TEXT,
	law TEXT,
	sanctions TEXT,
	disposal TEXT,
	notes TEXT,
	search_text TEXT NOT NULL,
	content_hash TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES user(id),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES user(id),
	import_id INTEGER REFERENCES import_job(id),
	UNIQUE (agency_id, ref)
);
CREATE INDEX seizure_date ON seizure(date_from, id);
CREATE INDEX seizure_by_country ON seizure(country, date_from);
CREATE INDEX seizure_agency ON seizure(agency_id, date_from);
CREATE INDEX seizure_transport ON seizure(transport_mode, date_from);

CREATE TABLE seizure_item (
	id INTEGER PRIMARY KEY,
	seizure_id INTEGER NOT NULL REFERENCES seizure(id) ON DELETE CASCADE,
	line INTEGER NOT NULL,
	taxon_id INTEGER NOT NULL REFERENCES taxon(id),
	species_as_recorded TEXT NOT NULL,
	term TEXT NOT NULL,
	quantity REAL NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	live INTEGER,
	UNIQUE (seizure_id, line)
);
CREATE INDEX seizure_item_taxon ON seizure_item(taxon_id, seizure_id);
CREATE INDEX seizure_item_term ON seizure_item(term, seizure_id);

-- role: 'seizure' (country of seizure), 'origin', 'transit', 'destination',
-- 'nationality'.
CREATE TABLE seizure_country (
	seizure_id INTEGER NOT NULL REFERENCES seizure(id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	country TEXT NOT NULL,
	PRIMARY KEY (seizure_id, role, country)
) WITHOUT ROWID;
CREATE INDEX seizure_country_country ON seizure_country(country, seizure_id);

-- The audit log: append-only, each row's hash covers the previous row's hash
-- and its own content, so an edit or deletion behind the program's back
-- breaks the chain (`kouprey check`).
CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	user_id INTEGER,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id INTEGER,
	detail TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity, entity_id);

CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
