-- bench/search/load_parties.sql - writes gen_parties' files into a kouprey
-- database (schema of migration 0003) with the sqlite3 shell: the party
-- API would take hours for a million parties.  Run in the folder of the
-- files: (cd DIR && sqlite3 kouprey.db < load_parties.sql).
--
-- Agencies 1..6 of the generator become "Bench agency N" (id 1000 + N).
-- A party's search_text (the list's q=) is its names and romanised names in
-- lower case, near what the domain writes; the romanised column holds the
-- generator's romanisation.  The party generation is set to 1.
PRAGMA foreign_keys = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
PRAGMA temp_store = MEMORY;
.bail on
.mode tabs
CREATE TEMP TABLE g_party (id INTEGER PRIMARY KEY, kind TEXT, agency INTEGER, sharing TEXT, grp TEXT);
CREATE TEMP TABLE g_name (party_id INTEGER, script TEXT, kind TEXT, name TEXT, roman TEXT);
CREATE TEMP TABLE g_ident (id INTEGER PRIMARY KEY, party_id INTEGER, kind TEXT, country TEXT, key TEXT, display TEXT);
.import parties.tsv g_party
.import names.tsv g_name
.import identifiers.tsv g_ident
BEGIN;
INSERT OR IGNORE INTO agency (id, name, country, kind, created_at)
	SELECT DISTINCT 1000 + agency, 'Bench agency ' || agency, 'KH',
		(SELECT code FROM agency_kind ORDER BY code LIMIT 1), '2025-01-01T00:00:00Z'
	FROM g_party;
INSERT INTO party (id, kind, agency_id, sharing, search_text, version, created_at, updated_at, gen)
	SELECT p.id, p.kind, 1000 + p.agency, p.sharing, coalesce(s.t, ''), 1,
		'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 1
	FROM g_party p
	LEFT JOIN (SELECT party_id, group_concat(lower(name) || ' ' || roman, ' ') AS t
		FROM g_name GROUP BY party_id) s ON s.party_id = p.id
	ORDER BY p.id;
INSERT INTO party_name (party_id, line, name, script, kind, romanised)
	SELECT party_id, row_number() OVER (PARTITION BY party_id ORDER BY rowid), name, script, kind, roman
	FROM g_name;
INSERT INTO identifier (id, kind, key, value, display, country, agency_id, created_at)
	SELECT i.id, i.kind, i.key, i.display, i.display, nullif(i.country, ''), 1000 + p.agency,
		'2025-01-01T00:00:00Z'
	FROM g_ident i JOIN g_party p ON p.id = i.party_id
	ORDER BY i.id;
INSERT INTO party_identifier (party_id, identifier_id, role, created_at)
	SELECT party_id, id, 'uses', '2025-01-01T00:00:00Z' FROM g_ident ORDER BY id;
INSERT INTO setting (key, value) VALUES ('party_generation', '1')
	ON CONFLICT(key) DO UPDATE SET value = '1';
COMMIT;
ANALYZE;
