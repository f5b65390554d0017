-- kouprey schema, version 8: a seizure's items are stored with the seizure,
-- keyed by (seizure_id, line) in one b-tree (WITHOUT ROWID).  Reading a
-- record's items is one descent instead of an index lookup followed by a
-- table lookup per item, and an import appends to the tree in key order.
-- The item's own rowid (never shown, never referenced) goes.
ALTER TABLE seizure_item RENAME TO seizure_item_old;

CREATE TABLE seizure_item (
	seizure_id INTEGER NOT NULL REFERENCES seizure(id) ON DELETE CASCADE,
	line INTEGER NOT NULL,
	taxon_id INTEGER NOT NULL REFERENCES taxon(id),
	species_as_recorded TEXT NOT NULL,
	term TEXT NOT NULL,
	quantity REAL NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	live INTEGER,
	PRIMARY KEY (seizure_id, line)
) WITHOUT ROWID;

INSERT INTO seizure_item(seizure_id, line, taxon_id, species_as_recorded, term, quantity, unit,
			 live)
	SELECT seizure_id, line, taxon_id, species_as_recorded, term, quantity, unit, live
	FROM seizure_item_old ORDER BY seizure_id, line;

DROP TABLE seizure_item_old;

CREATE INDEX seizure_item_taxon ON seizure_item(taxon_id, seizure_id);
CREATE INDEX seizure_item_term ON seizure_item(term, seizure_id);
