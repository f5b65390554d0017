// GET /api/v1/reports/brief?chart=ID: the brief with a saved network chart
// (pdftotext checks the chart's name and node labels), as the reader may see
// it: a node of another agency that is not shared leaves no label; another
// agency's chart is a 404; bad chart ids are field errors; and the CLI's
// `kouprey report brief --chart ID` names a chart it cannot find.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN_PASSWORD, binary, startServer } from '../e2e/server.mjs';
import { Client, pangolinSeizure } from './client.mjs';

let server, admin, analyst, officer, forester, dir;
const PW = 'Colleague-pass-1';
const ids = {};

async function addUser(username, role, agency_id) {
	const r = await admin.post('/api/v1/users', { username, password: PW, role, agency_id, display_name: username });
	assert.equal(r.status, 201, r.text);
	const c = new Client(server.url);
	assert.equal((await c.signIn(username, PW)).status, 200);
	return c;
}

async function ok(promise) {
	const r = await promise;
	assert.ok([200, 201].includes(r.status), `${r.status} ${r.text.slice(0, 300)}`);
	return r.json;
}

before(async () => {
	server = await startServer();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kouprey-brief-chart-'));
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	const customs = (await ok(admin.post('/api/v1/agencies', { name: 'Customs Brief Chart', country: 'KH', kind: 'customs' }))).id;
	const forestry = (await ok(admin.post('/api/v1/agencies', { name: 'Forestry Brief Chart', country: 'KH', kind: 'forestry' }))).id;
	officer = await addUser('bc_officer', 'officer', customs);
	analyst = await addUser('bc_analyst', 'analyst', customs);
	forester = await addUser('bc_forester', 'officer', forestry);

	ids.s1 = (await ok(officer.post('/api/v1/seizures', pangolinSeizure({ sharing: 'national' })))).id;
	ids.a = (await ok(officer.post('/api/v1/parties', { kind: 'person', names: ['Sun Chantha'] }))).id;
	ids.k = (await ok(officer.post('/api/v1/parties', { kind: 'person', names: ['សុខ ចាន់ថា'] }))).id;
	ids.phone = (await ok(officer.post(`/api/v1/parties/${ids.a}/identifiers`,
		{ kind: 'phone', value: '012 345 678', role: 'uses', source: 'phone seized', seizure_id: ids.s1 }))).identifier.id;
	// the forestry informant, not shared: customs may not see him
	ids.x = (await ok(forester.post('/api/v1/parties', { kind: 'person', names: ['Forest Informant'], sharing: 'agency' }))).id;
	await ok(officer.post(`/api/v1/seizures/${ids.s1}/parties`, { party_id: ids.a, role: 'suspect', source: 'arrest report' }));
	await ok(officer.post(`/api/v1/parties/${ids.k}/relations`, { party_id: ids.a, kind: 'family', date: '2023-11-02' }));
	await ok(forester.post(`/api/v1/parties/${ids.x}/relations`, { party_id: ids.a, kind: 'associate', date: '2024-01-05' }));
	const nodes = [['seizure', ids.s1], ['party', ids.a], ['party', ids.k], ['identifier', ids.phone], ['party', ids.x]]
		.map(([k, id], i) => ({ id: `${k}:${id}`, x: 80 * i, y: 40 * (i % 2) }));
	ids.chart = (await ok(analyst.post('/api/v1/graph/charts', { name: 'Pangolin phone ring', chart: { nodes, hidden: [], filters: {} } }))).id;
	ids.fchart = (await ok(forester.post('/api/v1/graph/charts', { name: 'Forestry own chart', chart: { nodes, hidden: [], filters: {} } }))).id;
});

after(async () => {
	await server?.stop();
	if (dir)
		fs.rmSync(dir, { recursive: true, force: true });
});

async function brief(client, query) {
	const res = await fetch(`${server.url}/api/v1/reports/brief${query}`, { headers: { Cookie: client.cookie } });
	return { res, body: Buffer.from(await res.arrayBuffer()) };
}

function pdfText(body, name) {
	const file = path.join(dir, name);
	fs.writeFileSync(file, body);
	return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

test('a brief with a chart has the chart, as the reader may see it', async () => {
	const { res, body } = await brief(analyst, `?chart=${ids.chart}`);
	assert.equal(res.status, 200, body.toString());
	assert.match(res.headers.get('content-type'), /^application\/pdf/);
	const t = pdfText(body, 'analyst.pdf');
	assert.match(t, /Network chart: Pangolin phone ring/);
	assert.match(t, /Sun Chantha/);
	assert.match(t, /សុខ ចាន់ថា/);
	assert.match(t, /4 nodes, 3 links/);
	assert.match(t, /1 of the chart's nodes not shown/);
	assert.doesNotMatch(t, /Forest Informant/);
	assert.doesNotMatch(t, /associate/);
	// the analytics sections are there too
	assert.match(t, /Seizures and weight by period/);
});

test('an admin sees every node of the chart', async () => {
	const { res, body } = await brief(admin, `?chart=${ids.chart}&lang=en`);
	assert.equal(res.status, 200);
	const t = pdfText(body, 'admin.pdf');
	assert.match(t, /Forest Informant/);
	assert.match(t, /5 nodes, 4 links/);
	assert.doesNotMatch(t, /not shown/);
});

test('two charts, and a filter matching nothing still draws them', async () => {
	const { res, body } = await brief(admin, `?from=1990-01-01&to=1990-12-31&chart=${ids.chart},${ids.fchart}`);
	assert.equal(res.status, 200, body.toString());
	const t = pdfText(body, 'two.pdf');
	assert.match(t, /No seizures match this filter/);
	assert.match(t, /Network chart: Pangolin phone ring/);
	assert.match(t, /Network chart: Forestry own chart/);
});

test("another agency's chart is a 404; bad ids are field errors", async () => {
	let r = await forester.get(`/api/v1/reports/brief?chart=${ids.chart}`);
	assert.equal(r.status, 404);
	r = await analyst.get(`/api/v1/reports/brief?chart=${ids.fchart}`);
	assert.equal(r.status, 404);
	r = await analyst.get('/api/v1/reports/brief?chart=99999');
	assert.equal(r.status, 404);
	for (const bad of ['x', '0', '3,', '-1']) {
		r = await analyst.get(`/api/v1/reports/brief?chart=${encodeURIComponent(bad)}`);
		assert.equal(r.status, 422, `${bad}: ${r.text}`);
		assert.ok(r.json.error.fields.some((f) => f.field === 'chart'), r.text);
	}
});

test('the command line: --chart, and an error naming a chart it cannot find', () => {
	const db = server.db;
	const out = path.join(dir, 'cli.pdf');
	let p = spawnSync(binary(), ['report', 'brief', '--db', db, '--as', 'bc_analyst', '--chart', String(ids.chart), '--out', out], { encoding: 'utf8' });
	assert.equal(p.status, 0, p.stderr);
	const t = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' });
	assert.match(t, /Network chart: Pangolin phone ring/);
	assert.doesNotMatch(t, /Forest Informant/);
	p = spawnSync(binary(), ['report', 'brief', '--db', db, '--as', 'bc_analyst', '--chart', String(ids.fchart), '--out', out], { encoding: 'utf8' });
	assert.equal(p.status, 1);
	assert.match(p.stderr, new RegExp(`chart ${ids.fchart} not found`));
	assert.ok(!fs.existsSync(out));
});
