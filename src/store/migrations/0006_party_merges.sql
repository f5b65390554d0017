-- kouprey schema, version 6: entity resolution.  Candidate duplicate pairs
-- of parties with their score, reason and the reviewer's decision; merges
-- with who, when, why and every row they moved, so that a merge can be
-- undone exactly.  The detection watermark and the automatic-merge setting
-- live in the setting table ("resolution_watermark", "resolution").

-- One row per pair (party_a < party_b).  status: open (to review), merged
-- (merge_id says which merge), not_same (a reviewer decided; the pair is not
-- proposed again unless new evidence appears).  evidence: the facts behind
-- the proposal as space-separated tokens ("i:12" shared identifier 12,
-- "r:KH/123" shared registration, "n" name match), compared with the
-- evidence of a not_same decision to tell new evidence from old.
CREATE TABLE party_candidate (
	id INTEGER PRIMARY KEY,
	party_a INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	party_b INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	score REAL NOT NULL,
	reason TEXT NOT NULL,
	evidence TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'not_same')),
	computed_at TEXT NOT NULL,
	decided_by INTEGER REFERENCES user(id),
	decided_at TEXT,
	note TEXT,
	decided_evidence TEXT,
	merge_id INTEGER REFERENCES party_merge(id) ON DELETE SET NULL,
	CHECK (party_a < party_b),
	UNIQUE (party_a, party_b)
);
CREATE INDEX party_candidate_queue ON party_candidate(status, score DESC, id);
CREATE INDEX party_candidate_b ON party_candidate(party_b);

-- merged_id was merged into survivor_id.  user_id NULL with automatic = 1:
-- the system (automatic merge by a proving identifier).  The versions are
-- those the two parties got from the merge (undo refuses when the merged
-- party changed since).
CREATE TABLE party_merge (
	id INTEGER PRIMARY KEY,
	survivor_id INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	merged_id INTEGER NOT NULL REFERENCES party(id) ON DELETE CASCADE,
	candidate_id INTEGER REFERENCES party_candidate(id) ON DELETE SET NULL,
	reason TEXT NOT NULL,
	automatic INTEGER NOT NULL DEFAULT 0,
	user_id INTEGER REFERENCES user(id),
	at TEXT NOT NULL,
	survivor_version INTEGER NOT NULL,
	merged_version INTEGER NOT NULL,
	undone_at TEXT,
	undone_by INTEGER REFERENCES user(id),
	undo_reason TEXT,
	undo_automatic INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX party_merge_survivor ON party_merge(survivor_id);
CREATE INDEX party_merge_merged ON party_merge(merged_id);

-- What a merge did, row by row.  tbl: name, registration (line = row_id on
-- the merged party), identifier, seizure, relation (row_id = the link's
-- id).  action: moved (now on the survivor) or dropped (a duplicate of the
-- survivor's row dup_of, or for names the survivor's name of the same
-- text; a relation between the two parties themselves is dropped with
-- dup_of NULL).  data: the row as it was before the merge (JSON), and for
-- moved relations also the ends it got ("new_party_id", "new_other_id").
CREATE TABLE party_merge_row (
	id INTEGER PRIMARY KEY,
	merge_id INTEGER NOT NULL REFERENCES party_merge(id) ON DELETE CASCADE,
	tbl TEXT NOT NULL CHECK (tbl IN ('name', 'registration', 'identifier', 'seizure',
		'relation')),
	action TEXT NOT NULL CHECK (action IN ('moved', 'dropped')),
	row_id INTEGER,
	dup_of INTEGER,
	data TEXT NOT NULL
);
CREATE INDEX party_merge_row_merge ON party_merge_row(merge_id, tbl);
