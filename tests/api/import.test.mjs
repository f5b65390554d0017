// API tests for import (dry run, all or nothing, commit, idempotent
// re-import, skip-invalid), export (CSV round trip, JSON, GeoJSON) and the
// CITES AITR report.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, binary, startServer } from '../e2e/server.mjs';
import { Client } from './client.mjs';

let server;
let admin;
let officer;

const HEADER = 'seizure_ref,date,agency,country,place,province,locode,latitude,longitude,reason,transport_mode,detection_method,concealment,origin,transit,destination,offender_nationalities,value_amount,value_currency,legal_action,law,sanctions,disposal,notes,species,term,quantity,unit,live';
function row(o) {
	const cols = HEADER.split(',');
	return cols.map((c) => {
		const v = o[c] ?? '';
		return /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
	}).join(',');
}
const base = { date: '2024-05-02', agency: 'General Department of Customs and Excise', country: 'KH', place: 'Sihanoukville', locode: 'KHKOS', transport_mode: 'sea', detection_method: 'x-ray', origin: 'NG', destination: 'VN;CN' };
const good = [
	row({ ...base, seizure_ref: 'GDCE-24-001', species: 'Manis javanica', term: 'SCA', quantity: '1250', unit: 'KIL', notes: 'scales, "cashew" bags' }),
	row({ ...base, seizure_ref: 'GDCE-24-001', species: 'Loxodonta africana', term: 'TUS', quantity: '84', unit: '' }),
	row({ ...base, seizure_ref: 'GDCE-24-002', date: '2024-07', agency: 'Forestry Administration', place: 'ក្រុងព្រះសីហនុ', locode: '', transport_mode: 'road', species: 'Dalbergia cochinchinensis', term: 'TIM', quantity: '12.5', unit: 'CUM' }),
];
const csv = (rows) => [HEADER, ...rows].join('\r\n') + '\r\n';

async function upload(c, body, params) {
	return c.post(`/api/v1/imports?${params}`, body, { raw: true, headers: { 'Content-Type': 'text/csv' } });
}

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	const a = await admin.post('/api/v1/agencies', { name: 'General Department of Customs and Excise', country: 'KH', kind: 'customs' });
	assert.equal(a.status, 201);
	assert.equal((await admin.post('/api/v1/users', { username: 'officer1', password: 'Colleague-pass-1', role: 'officer', agency_id: a.json.id })).status, 201);
	officer = new Client(server.url);
	assert.equal((await officer.signIn('officer1', 'Colleague-pass-1')).status, 200);
});
after(async () => { await server?.stop(); });

describe('import', () => {
	test('officers may not import', async () => {
		const r = await upload(officer, csv(good), 'dry_run=1');
		assert.equal(r.status, 403);
	});

	test('a bad row: the dry run and the real run name it, and nothing is written', async () => {
		const bad = row({ ...base, seizure_ref: 'GDCE-24-003', species: 'Manis javanica', term: 'SCA', quantity: '5', unit: 'PCS' });
		for (const dry of ['1', '0']) {
			const r = await upload(admin, csv([...good, bad]), `dry_run=${dry}`);
			assert.equal(r.status, 200, r.text);
			assert.equal(r.json.committed, false);
			assert.equal(r.json.errors.length, 1, r.text);
			assert.equal(r.json.errors[0].row, 5);
			assert.equal(r.json.errors[0].field, 'unit');
			assert.match(r.json.errors[0].message, /KIL/);
		}
		assert.equal((await admin.get('/api/v1/seizures')).json.total, 0);
	});

	test('commit, then the same file again changes nothing', async () => {
		const dry = await upload(admin, csv(good), 'dry_run=1&filename=2024.csv');
		assert.equal(dry.json.committed, false);
		assert.equal(dry.json.seizures.created, 2);
		assert.equal((await admin.get('/api/v1/seizures')).json.total, 0, 'dry run wrote nothing');
		const r = await upload(admin, csv(good), 'dry_run=0&filename=2024.csv');
		assert.equal(r.json.committed, true, r.text);
		assert.equal(r.json.rows, 3);
		assert.equal(r.json.seizures.created, 2);
		assert.deepEqual(r.json.agencies_created, ['Forestry Administration']);
		const list = await admin.get('/api/v1/seizures?q=gdce');
		assert.equal(list.json.total, 2);
		const s1 = list.json.items.find((s) => s.ref === 'GDCE-24-001');
		assert.equal(s1.items.length, 2);
		const again = await upload(admin, csv(good), 'dry_run=0');
		assert.equal(again.json.seizures.created, 0);
		assert.equal(again.json.seizures.unchanged, 2);
		assert.equal((await admin.get('/api/v1/seizures')).json.total, 2);
		const changed = good.slice();
		changed[2] = changed[2].replace('12.5', '13');
		const upd = await upload(admin, csv(changed), 'dry_run=0');
		assert.equal(upd.json.seizures.updated, 1);
		assert.equal(upd.json.seizures.unchanged, 1);
		// the changed seizure's history: the two imports that wrote it, by admin
		const s2 = (await admin.get('/api/v1/seizures?q=GDCE-24-002')).json.items[0];
		assert.equal(s2.version, 2);
		const hist = await admin.get(`/api/v1/seizures/${s2.id}/history`);
		assert.equal(hist.status, 200);
		const imports = hist.json.items.filter((e) => e.action === 'import');
		assert.deepEqual(imports.map((e) => [e.detail.import_id, e.detail.version, e.user]),
			[[r.json.import_id, 1, 'admin'], [upd.json.import_id, 2, 'admin']]);
		assert.match(imports[1].detail.content_hash, /^[0-9a-f]{32}$/);
		assert.notEqual(imports[0].detail.content_hash, imports[1].detail.content_hash);
	});

	test('skip-invalid writes the good seizures and returns the bad rows with reasons', async () => {
		const rows = [
			row({ ...base, seizure_ref: 'SKIP-1', species: 'Panthera tigris', term: 'BON', quantity: '3', unit: 'KIL' }),
			row({ ...base, seizure_ref: 'SKIP-2', species: 'Panthera tigris', term: 'BON', quantity: '-3', unit: 'KIL' }),
		];
		const r = await upload(admin, csv(rows), 'dry_run=0&skip_invalid=1');
		assert.equal(r.json.committed, true, r.text);
		assert.equal(r.json.seizures.created, 1);
		assert.match(r.json.rejects_csv, /SKIP-2/);
		assert.match(r.json.rejects_csv.split(/\r?\n/)[0], /reason/);
		assert.equal((await admin.get('/api/v1/seizures?q=skip')).json.total, 1);
	});

	test('a file that is not a table is a clear error', async () => {
		const r = await upload(admin, 'PK\x03\x04garbage', 'dry_run=1');
		assert.ok(r.status === 400 || (r.status === 200 && r.json.errors.length > 0), r.text);
	});
});

describe('export', () => {
	test('CSV export imports back to identical records', async () => {
		const r = await admin.get('/api/v1/exports/seizures?format=csv');
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-disposition'), /attachment; filename="seizures.csv"/);
		const back = await upload(admin, r.text, 'dry_run=1');
		assert.equal(back.json.errors.length, 0, back.text);
		assert.equal(back.json.seizures.created, 0);
		assert.equal(back.json.seizures.updated, 0);
		assert.equal(back.json.seizures.unchanged, (await admin.get('/api/v1/seizures')).json.total);
	});
	test('JSON and GeoJSON exports honour filters', async () => {
		const j = await admin.get('/api/v1/exports/seizures?format=json&species=Manis%20javanica');
		const body = JSON.parse(j.text);
		assert.equal(body.items.length, 1);
		assert.equal(body.items[0].ref, 'GDCE-24-001');
		const g = await admin.get('/api/v1/exports/seizures?format=geojson&country=KH');
		const fc = JSON.parse(g.text);
		assert.equal(fc.type, 'FeatureCollection');
		const f = fc.features.find((x) => x.properties.ref === 'GDCE-24-001');
		assert.ok(f, 'located by its LOCODE');
		assert.equal(f.geometry.type, 'Point');
		const bad = await admin.get('/api/v1/exports/seizures?format=pdf');
		assert.equal(bad.status, 422);
	});
});

describe('CITES AITR', () => {
	test('CSV in English and Khmer, one row per item of the year', async () => {
		const r = await admin.get('/api/v1/reports/aitr?year=2024&format=csv');
		assert.equal(r.status, 200, r.text);
		const lines = r.text.trim().split(/\r?\n/);
		assert.match(lines[0], /Date of seizure/i);
		assert.match(r.text, /Manis javanica/);
		assert.match(r.text, /SCA/);
		assert.match(r.text, /KIL/);
		const n = JSON.parse((await admin.get('/api/v1/exports/seizures?format=json&from=2024&to=2024')).text)
			.items.reduce((a, s) => a + s.items.length, 0);
		assert.ok(n >= 4);
		assert.equal(lines.length - 1, n);
		const km = await admin.get('/api/v1/reports/aitr?year=2024&format=csv&lang=km');
		assert.match(km.text.split(/\r?\n/)[0], /[\u1780-\u17FF]/);
		const none = await admin.get('/api/v1/reports/aitr?year=2019&format=csv');
		assert.equal(none.text.trim().split(/\r?\n/).length, 1, 'header only');
	});
	test('the AITR imports back as it is (dry run: one seizure per row, no error)', async () => {
		const r = await admin.get('/api/v1/reports/aitr?year=2024&format=csv');
		const rows = r.text.trim().split(/\r?\n/).length - 1;
		const back = await upload(admin, r.text, 'dry_run=1');
		assert.equal(back.status, 200, back.text);
		assert.deepEqual(back.json.errors, []);
		assert.equal(back.json.seizures.created, rows);
		assert.ok(back.json.warnings.some((w) => w.includes('Reporting country')), back.text);
	});
	test('XLSX download', async () => {
		const res = await fetch(`${server.url}/api/v1/reports/aitr?year=2024`, { headers: { Cookie: admin.cookie } });
		assert.equal(res.status, 200);
		assert.match(res.headers.get('content-type'), /spreadsheetml/);
		const buf = Buffer.from(await res.arrayBuffer());
		assert.equal(buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
	});
	test('a year is required', async () => {
		const r = await admin.get('/api/v1/reports/aitr');
		assert.equal(r.status, 422);
		assert.equal(r.json.error.fields[0].field, 'year');
	});
});

describe('import from the command line', () => {
	// Last in this file: it adds a seizure the tests above do not expect.
	// `kouprey import seizures FILE` beside the running server: the CLI hashes
	// the file on a thread of its own while the rows are read; the import job
	// records that hash, and the server sees the records.
	test('records the file\'s SHA-256 and its seizures reach the server', async () => {
		const file = path.join(server.dir, 'cli-import.csv');
		const body = csv([row({ ...base, seizure_ref: 'CLI-24-001', species: 'Manis javanica', term: 'SCA', quantity: '3', unit: 'KIL' })]);
		fs.writeFileSync(file, body);
		const r = spawnSync(binary(), ['import', 'seizures', file, '--db', server.db], { encoding: 'utf8' });
		assert.equal(r.status, 0, r.stdout + r.stderr);
		const q = spawnSync('sqlite3', [server.db, "SELECT filename || ' ' || sha256 FROM import_job WHERE filename = 'cli-import.csv'"], { encoding: 'utf8' });
		assert.equal(q.status, 0, q.stderr);
		assert.equal(q.stdout.trim(), `cli-import.csv ${createHash('sha256').update(body).digest('hex')}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const list = await admin.get('/api/v1/seizures?q=CLI-24-001');
		assert.equal(list.status, 200, list.text);
		assert.equal(list.json.items.length, 1, list.text);
	});
});
