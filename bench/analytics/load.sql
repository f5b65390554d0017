-- Loads the generator's CSV files (in the current directory) into a kouprey
-- database made by `kouprey init`: the real schema, every index of the
-- register, and for the SQL baseline the route table and indexes it uses.  Run with the sqlite3 shell: cd DIR && sqlite3 DB < load.sql
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 15)
INSERT OR IGNORE INTO agency(id, name, country, kind, created_at)
	SELECT i, 'Bench agency ' || i, 'KH', 'customs', '2025-01-01T00:00:00Z' FROM n;
CREATE TEMP TABLE s_in(id, ref, agency_id, sharing, date, date_from, date_to, country,
	transport_mode, detection_method, concealment_code, origin, transit, destination,
	latitude, longitude, value_amount, value_currency);
CREATE TEMP TABLE i_in(id, seizure_id, line, species, term, quantity, unit);
CREATE TEMP TABLE c_in(seizure_id, role, country);
.import --csv --skip 1 seizures.csv s_in
.import --csv --skip 1 items.csv i_in
.import --csv --skip 1 countries.csv c_in
INSERT INTO seizure(id, ref, agency_id, sharing, date, date_from, date_to, country,
	transport_mode, detection_method, concealment_code, origin, transit, destination,
	latitude, longitude, value_amount, value_currency, search_text, content_hash,
	created_at, updated_at)
SELECT CAST(id AS INTEGER), ref, CAST(agency_id AS INTEGER), sharing, date, date_from, date_to,
	country, NULLIF(transport_mode, ''), NULLIF(detection_method, ''),
	NULLIF(concealment_code, ''), NULLIF(origin, ''), NULLIF(transit, ''),
	NULLIF(destination, ''), CAST(NULLIF(latitude, '') AS REAL),
	CAST(NULLIF(longitude, '') AS REAL), CAST(NULLIF(value_amount, '') AS REAL),
	NULLIF(value_currency, ''), lower(ref), 'bench-' || id, '2025-01-01T00:00:00Z',
	'2025-01-01T00:00:00Z'
FROM s_in ORDER BY CAST(id AS INTEGER);
CREATE TEMP TABLE tmap AS
	SELECT full_name, min(id) AS id FROM taxon
	WHERE full_name IN (SELECT DISTINCT species FROM i_in) GROUP BY full_name;
INSERT INTO seizure_item(seizure_id, line, taxon_id, species_as_recorded, term, quantity, unit)
SELECT CAST(i.seizure_id AS INTEGER), CAST(i.line AS INTEGER), t.id,
	i.species, i.term, CAST(i.quantity AS REAL), i.unit
FROM i_in i JOIN tmap t ON t.full_name = i.species ORDER BY CAST(i.id AS INTEGER);
-- For the SQL baseline: the route table and the indexes an SQL answer to
-- these queries would use.  kouprey itself answers from its columns in
-- memory and no longer keeps them (migration 0009); they are the baseline's.
CREATE TABLE IF NOT EXISTS seizure_country (
	seizure_id INTEGER NOT NULL REFERENCES seizure(id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	country TEXT NOT NULL,
	PRIMARY KEY (seizure_id, role, country)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seizure_country_country ON seizure_country(country, seizure_id);
INSERT OR IGNORE INTO seizure_country(seizure_id, role, country)
	SELECT CAST(seizure_id AS INTEGER), role, country FROM c_in;
CREATE INDEX IF NOT EXISTS seizure_by_country ON seizure(country, date_from);
CREATE INDEX IF NOT EXISTS seizure_agency ON seizure(agency_id, date_from);
CREATE INDEX IF NOT EXISTS seizure_transport ON seizure(transport_mode, date_from);
CREATE INDEX IF NOT EXISTS seizure_item_taxon ON seizure_item(taxon_id, seizure_id);
CREATE INDEX IF NOT EXISTS seizure_item_term ON seizure_item(term, seizure_id);
INSERT INTO setting(key, value) VALUES('seizure_generation', '1')
	ON CONFLICT(key) DO UPDATE SET value = value + 1;
COMMIT;
ANALYZE;
SELECT 'loaded', (SELECT count(*) FROM seizure), (SELECT count(*) FROM seizure_item),
	(SELECT count(*) FROM i_in);
