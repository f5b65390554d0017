-- kouprey schema, version 9: fewer indexes for every write to keep up.
-- Filtered lists are answered from the server's in-memory index
-- (src/index/); the SQL filters of store/seizure.c remain for exports and
-- the command line, which read the register through anyway.  The indexes
-- that served only those filters go, and with them seizure_country, a second
-- copy of each seizure's country, origin, transit and destination columns.
-- Kept: seizure_date (exports and the AITR in date order, a year at a time),
-- UNIQUE (agency_id, ref) (imports, and the agency foreign key) and the
-- audit indexes.  (IF EXISTS: a database from before the migration ledger
-- may be missing some of them already.)
DROP INDEX IF EXISTS seizure_by_country;
DROP INDEX IF EXISTS seizure_agency;
DROP INDEX IF EXISTS seizure_transport;
DROP INDEX IF EXISTS seizure_item_taxon;
DROP INDEX IF EXISTS seizure_item_term;
DROP INDEX IF EXISTS seizure_country_country;
DROP TABLE IF EXISTS seizure_country;
