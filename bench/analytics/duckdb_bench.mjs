// The dashboard queries of queries.json as SQL in DuckDB (@duckdb/node-api,
// in memory), on the same data: the generator's CSV files and the taxa of
// the kouprey database (exported by run.sh).  Loading is timed apart.
// Prints {"load_ms", "threads", "queries": {"Qn": {"ms", "rows"}}}.
//
//   node duckdb_bench.mjs DIR queries.json [runs]
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, qfile, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const queries = JSON.parse(fs.readFileSync(qfile, 'utf8'));
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const f = (name) => `'${path.join(dir, name).replaceAll("'", "''")}'`;
let t0 = performance.now();
await con.run(`CREATE TABLE taxon AS SELECT * FROM read_csv(${f('taxa.csv')}, header = true,
	columns = {'id': 'BIGINT', 'full_name': 'VARCHAR', 'family': 'VARCHAR'})`);
await con.run(`CREATE TABLE seizure AS SELECT * FROM read_csv(${f('seizures.csv')}, header = true,
	columns = {'id': 'BIGINT', 'ref': 'VARCHAR', 'agency_id': 'BIGINT', 'sharing': 'VARCHAR',
	'date': 'VARCHAR', 'date_from': 'VARCHAR', 'date_to': 'VARCHAR', 'country': 'VARCHAR',
	'transport_mode': 'VARCHAR', 'detection_method': 'VARCHAR', 'concealment_code': 'VARCHAR',
	'origin': 'VARCHAR', 'transit': 'VARCHAR', 'destination': 'VARCHAR', 'latitude': 'DOUBLE',
	'longitude': 'DOUBLE', 'value_amount': 'DOUBLE', 'value_currency': 'VARCHAR'})`);
await con.run(`CREATE TABLE seizure_item AS SELECT i.id, i.seizure_id, i.line, t.id AS taxon_id,
	i.term, i.quantity, coalesce(i.unit, '') AS unit
	FROM read_csv(${f('items.csv')}, header = true, columns = {'id': 'BIGINT', 'seizure_id': 'BIGINT',
	'line': 'INTEGER', 'species': 'VARCHAR', 'term': 'VARCHAR', 'quantity': 'DOUBLE', 'unit': 'VARCHAR'}) i
	JOIN (SELECT full_name, min(id) AS id FROM taxon GROUP BY full_name) t ON t.full_name = i.species`);
await con.run(`CREATE TABLE seizure_country AS SELECT * FROM read_csv(${f('countries.csv')}, header = true,
	columns = {'seizure_id': 'BIGINT', 'role': 'VARCHAR', 'country': 'VARCHAR'})`);
const loadMs = performance.now() - t0;
const threads = (await con.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];

async function run(sql) {
	let n = 0;
	for (const stmt of sql.split(';').filter((s) => s.trim())) n += (await con.runAndReadAll(stmt)).getRows().length;
	return n;
}
const out = {};
for (const q of queries) {
	const rows = await run(q.sql);
	const times = [];
	for (let k = 0; k < runs; k++) {
		t0 = performance.now();
		await run(q.sql);
		times.push(performance.now() - t0);
	}
	times.sort((a, b) => a - b);
	out[q.id] = { ms: times[Math.floor(times.length / 2)], rows };
}
console.log(JSON.stringify({ load_ms: loadMs, threads: Number(threads), queries: out }));
