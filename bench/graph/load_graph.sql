-- bench/graph/load_graph.sql - writes gen_graph's nodes.csv and edges.csv
-- into a kouprey database made by `kouprey init` (the schema of migrations
-- 0001 and 0003) with the sqlite3 shell, for the HTTP measurement of
-- bench/graph/http.sh: the API would take hours for millions of links.
-- Run in the folder of the files: (cd DIR && sqlite3 kouprey.db < load_graph.sql).
--
-- Every node is visible to everyone (one bench agency, sharing national).
-- Parties are persons named "Party N", identifiers phones, seizures of
-- 2024 in Cambodia with no items.  Edges become the link row their ends
-- allow: seizure-party party_seizure (suspect), party-identifier
-- party_identifier (uses), party-party party_relation (associate),
-- identifier-seizure identifier_seizure (seen_in); the generator's
-- seizure-seizure and identifier-identifier "shares" edges have no table in
-- the register and are dropped (http.sh reports how many rows were written).
-- A link's date is the generator's day.
PRAGMA foreign_keys = OFF;
PRAGMA synchronous = OFF;
PRAGMA journal_mode = OFF;
PRAGMA cache_size = -262144;
PRAGMA temp_store = MEMORY;
.bail on
.mode csv
CREATE TEMP TABLE g_node (ix INTEGER PRIMARY KEY, kind INTEGER, id INTEGER);
CREATE TEMP TABLE g_edge (src INTEGER, dst INTEGER, kind INTEGER, day INTEGER, record INTEGER);
.import nodes.csv g_node
.import edges.csv g_edge
BEGIN;
INSERT OR IGNORE INTO agency (id, name, country, kind, created_at)
	VALUES (1001, 'Bench graph agency', 'KH', (SELECT code FROM agency_kind ORDER BY code LIMIT 1),
		'2025-01-01T00:00:00Z');
INSERT INTO seizure (id, ref, agency_id, sharing, date, date_from, date_to, country, search_text,
		     content_hash, created_at, updated_at)
	SELECT id, 'G-' || id, 1001, 'national', '2024-01-01', '2024-01-01', '2024-01-01', 'KH', '',
		'', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'
	FROM g_node WHERE kind = 0 ORDER BY id;
INSERT INTO party (id, kind, agency_id, sharing, search_text, version, created_at, updated_at, gen)
	SELECT id, 'person', 1001, 'national', 'party ' || id, 1, '2025-01-01T00:00:00Z',
		'2025-01-01T00:00:00Z', 1
	FROM g_node WHERE kind = 1 ORDER BY id;
INSERT INTO party_name (party_id, line, name, script, kind, romanised)
	SELECT id, 1, 'Party ' || id, 'Latn', 'full', 'party ' || id FROM g_node WHERE kind = 1 ORDER BY id;
INSERT INTO identifier (id, kind, key, value, display, agency_id, created_at)
	SELECT id, 'phone', '+8551' || printf('%08d', id), '+8551' || printf('%08d', id),
		'+855 1' || printf('%08d', id), 1001, '2025-01-01T00:00:00Z'
	FROM g_node WHERE kind = 2 ORDER BY id;
CREATE TEMP TABLE g_link AS
	SELECT a.kind AS ka, a.id AS ia, b.kind AS kb, b.id AS ib, date(e.day * 86400, 'unixepoch') AS day
	FROM g_edge e JOIN g_node a ON a.ix = e.src JOIN g_node b ON b.ix = e.dst;
INSERT OR IGNORE INTO party_seizure (party_id, seizure_id, role, date, created_at)
	SELECT CASE WHEN ka = 1 THEN ia ELSE ib END, CASE WHEN ka = 0 THEN ia ELSE ib END,
		'suspect', day, '2025-01-01T00:00:00Z'
	FROM g_link WHERE (ka = 0 AND kb = 1) OR (ka = 1 AND kb = 0);
INSERT OR IGNORE INTO party_identifier (party_id, identifier_id, role, date, created_at)
	SELECT CASE WHEN ka = 1 THEN ia ELSE ib END, CASE WHEN ka = 2 THEN ia ELSE ib END,
		'uses', day, '2025-01-01T00:00:00Z'
	FROM g_link WHERE (ka = 1 AND kb = 2) OR (ka = 2 AND kb = 1);
INSERT OR IGNORE INTO party_relation (party_id, other_id, kind, date, created_at)
	SELECT ia, ib, 'associate', day, '2025-01-01T00:00:00Z'
	FROM g_link WHERE ka = 1 AND kb = 1 AND ia <> ib;
INSERT OR IGNORE INTO identifier_seizure (identifier_id, seizure_id, role, date, created_at)
	SELECT CASE WHEN ka = 2 THEN ia ELSE ib END, CASE WHEN ka = 0 THEN ia ELSE ib END,
		'seen_in', day, '2025-01-01T00:00:00Z'
	FROM g_link WHERE (ka = 2 AND kb = 0) OR (ka = 0 AND kb = 2);
INSERT INTO setting (key, value) VALUES ('party_generation', '1')
	ON CONFLICT(key) DO UPDATE SET value = '1';
COMMIT;
.mode list
SELECT 'links_written ' || ((SELECT count(*) FROM party_seizure) + (SELECT count(*) FROM party_identifier)
	+ (SELECT count(*) FROM party_relation) + (SELECT count(*) FROM identifier_seizure));
SELECT 'edges_generated ' || (SELECT count(*) FROM g_edge);
ANALYZE;
