-- kouprey schema, version 3: the party register.  Persons and organisations
-- (parties), their names and registration numbers, identifiers (phones,
-- containers, plates, ...; one row per canonical key), and the links between
-- them and the seizures: party-identifier, party-seizure, party-party and
-- identifier-seizure, each with its source, date and the seizure it came
-- from.  Lists of countries are ISO codes separated by ';'.

-- sharing and agency_id work as for seizures.  merged_into is set by entity
-- resolution (a later migration adds its tables): a merged party is hidden
-- from lists and the search feed.  gen is the party generation (setting
-- "party_generation") of the last change touching the party, names or links,
-- so an index can ask what changed since the generation it holds.
CREATE TABLE party (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
	agency_id INTEGER NOT NULL REFERENCES agency(id),
	sharing TEXT NOT NULL CHECK (sharing IN ('agency', 'national')),
	sex TEXT CHECK (sex IN ('male', 'female', 'unknown')),
	birth_date TEXT,
	birth_year INTEGER,
	nationalities TEXT,
	org_kind TEXT,
	country TEXT,
	notes TEXT,
	search_text TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES user(id),
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES user(id),
	merged_into INTEGER REFERENCES party(id),
	gen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX party_agency ON party(agency_id, id);
CREATE INDEX party_gen ON party(gen);
CREATE INDEX party_merged ON party(merged_into) WHERE merged_into IS NOT NULL;

-- script: ISO 15924 code (Latn, Khmr, Thai, Laoo, Hani, Cyrl, ...);
-- romanised: derived from name and script, for matching and display.
CREATE TABLE party_name (
	party_id INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	line INTEGER NOT NULL,
	name TEXT NOT NULL,
	script TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('full', 'alias', 'nickname')),
	romanised TEXT,
	PRIMARY KEY (party_id, line)
) WITHOUT ROWID;

CREATE TABLE party_registration (
	party_id INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	line INTEGER NOT NULL,
	country TEXT,
	number TEXT NOT NULL,
	PRIMARY KEY (party_id, line)
) WITHOUT ROWID;

-- One row per (kind, key): the same phone typed two ways is one identifier.
-- value/display/country/... are as first recorded; agency_id and created_by
-- say who recorded it first.
CREATE TABLE identifier (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	display TEXT NOT NULL,
	country TEXT,
	platform TEXT,
	date TEXT,
	province TEXT,
	agency_id INTEGER NOT NULL REFERENCES agency(id),
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES user(id),
	UNIQUE (kind, key)
);
CREATE INDEX identifier_key ON identifier(key);

-- role: uses, owns, registered_to.
CREATE TABLE party_identifier (
	id INTEGER PRIMARY KEY,
	party_id INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	identifier_id INTEGER NOT NULL REFERENCES identifier(id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('uses', 'owns', 'registered_to')),
	source TEXT,
	date TEXT,
	seizure_id INTEGER REFERENCES seizure(id) ON DELETE SET NULL,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES user(id),
	UNIQUE (party_id, identifier_id, role)
);
CREATE INDEX party_identifier_identifier ON party_identifier(identifier_id);
CREATE INDEX party_identifier_seizure ON party_identifier(seizure_id) WHERE seizure_id IS NOT NULL;

CREATE TABLE party_seizure (
	id INTEGER PRIMARY KEY,
	party_id INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	seizure_id INTEGER NOT NULL REFERENCES seizure(id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('suspect', 'arrested', 'owner', 'consignor',
		'consignee', 'carrier', 'driver', 'buyer', 'seller', 'courier', 'other')),
	source TEXT,
	date TEXT,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES user(id),
	UNIQUE (party_id, seizure_id, role)
);
CREATE INDEX party_seizure_seizure ON party_seizure(seizure_id);

-- party_id --kind--> other_id: "A employee_of B", "A director_of B";
-- family and associate read both ways.
CREATE TABLE party_relation (
	id INTEGER PRIMARY KEY,
	party_id INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	other_id INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('family', 'associate', 'employee_of', 'director_of')),
	source TEXT,
	date TEXT,
	seizure_id INTEGER REFERENCES seizure(id) ON DELETE SET NULL,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES user(id),
	CHECK (party_id <> other_id),
	UNIQUE (party_id, other_id, kind)
);
CREATE INDEX party_relation_other ON party_relation(other_id);
CREATE INDEX party_relation_seizure ON party_relation(seizure_id) WHERE seizure_id IS NOT NULL;

-- An identifier seen in a seizure (a container, a plate): role seen_in.
CREATE TABLE identifier_seizure (
	id INTEGER PRIMARY KEY,
	identifier_id INTEGER NOT NULL REFERENCES identifier(id) ON DELETE CASCADE,
	seizure_id INTEGER NOT NULL REFERENCES seizure(id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('seen_in')),
	source TEXT,
	date TEXT,
	created_at TEXT NOT NULL,
	created_by INTEGER REFERENCES user(id),
	UNIQUE (identifier_id, seizure_id, role)
);
CREATE INDEX identifier_seizure_seizure ON identifier_seizure(seizure_id);

-- Parties deleted, with the generation of their deletion, so that an index
-- following changes by generation drops them.
CREATE TABLE party_deleted (
	id INTEGER PRIMARY KEY,
	gen INTEGER NOT NULL
);

-- Deleting a seizure removes its party links by cascade, outside the party
-- code: count that as a change of the party register too.
CREATE TRIGGER party_seizure_gone AFTER DELETE ON party_seizure
BEGIN
	INSERT INTO setting(key, value) VALUES('party_generation', '1')
		ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1;
	UPDATE party SET gen = (SELECT CAST(value AS INTEGER) FROM setting
		WHERE key = 'party_generation') WHERE id = OLD.party_id;
END;
