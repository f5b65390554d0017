-- kouprey schema, version 10: an import is one audit entry.
-- An import used to append one audit entry per seizure it wrote: a third of
-- a large import's writing and of the pages it added.  Now the seizures an
-- import created or changed are listed here, one row each with the version
-- the import wrote and that version's content hash, and the import appends
-- one audit entry (entity 'import', action 'import') whose detail carries a
-- digest of its list: `kouprey check` finds a row of it changed, added or
-- removed.  A seizure's history reads its entries and its import rows
-- together.  Entries written before this version stay as they are.
CREATE TABLE IF NOT EXISTS import_seizure (
	import_id INTEGER NOT NULL REFERENCES import_job(id),
	seizure_id INTEGER NOT NULL,
	version INTEGER NOT NULL,
	content_hash TEXT NOT NULL,
	PRIMARY KEY (import_id, seizure_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS import_seizure_seizure ON import_seizure(seizure_id);
