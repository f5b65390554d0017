-- kouprey schema, version 4: the analytics' conversion table (weights and
-- whole-animal equivalents of seized commodities) and currency rates, both
-- shipped as data/conversions.csv and data/rates.csv (loaded by kouprey init)
-- and editable by an admin through the API (every change audited).

-- One factor per taxon (a name at any rank, as in the checklist), CITES term
-- and unit ('' = number of specimens; 'KIL' = per kilogram, any weight unit
-- being converted to kg first).  The most specific taxon wins.
CREATE TABLE analytics_conversion (
	id INTEGER PRIMARY KEY,
	taxon TEXT NOT NULL,
	term TEXT NOT NULL,
	unit TEXT NOT NULL DEFAULT '',
	commodity TEXT NOT NULL,
	kg_per_unit REAL,
	animals_per_unit REAL,
	rie_factor REAL,
	estimate INTEGER NOT NULL DEFAULT 1,
	source TEXT NOT NULL,
	note TEXT,
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES user(id),
	UNIQUE (taxon, term, unit)
);

-- US dollars for one unit of a currency (ISO 4217).
CREATE TABLE analytics_rate (
	id INTEGER PRIMARY KEY,
	currency TEXT NOT NULL UNIQUE,
	usd_per_unit REAL NOT NULL CHECK (usd_per_unit > 0),
	as_of TEXT,
	source TEXT NOT NULL,
	estimate INTEGER NOT NULL DEFAULT 1,
	updated_at TEXT NOT NULL,
	updated_by INTEGER REFERENCES user(id)
);
