-- kouprey schema, version 7: saved charts of the network view (issue 4).
-- body is the chart as the browser saved it (JSON: nodes with positions and
-- pins, hidden nodes, filters); the graph itself is always read fresh, so a
-- chart reopened by another user shows only what that user may see.  The
-- owner's agency sees the chart; the owner (or an admin) changes it.
CREATE TABLE graph_chart (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	owner_id INTEGER NOT NULL REFERENCES user(id),
	agency_id INTEGER NOT NULL REFERENCES agency(id),
	body TEXT NOT NULL,
	version INTEGER NOT NULL DEFAULT 1,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX graph_chart_agency ON graph_chart(agency_id, updated_at);
