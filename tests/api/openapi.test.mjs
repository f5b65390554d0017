// Keeps docs/openapi.json true: the served document is the file, every route
// of the router is documented and every documented operation exists, the
// documented status codes are what the server answers, and the seizure
// schema has exactly the fields the server returns.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN_PASSWORD, ROOT, startServer } from '../e2e/server.mjs';
import { Client, pangolinSeizure } from './client.mjs';

const doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'openapi.json'), 'utf8'));
let server;
let admin;
let seizure;
let party;
let chart;

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	const r = await admin.post('/api/v1/seizures', pangolinSeizure({ ref: 'OPENAPI-1' }));
	assert.equal(r.status, 201, r.text);
	seizure = r.json;
	const p = await admin.post('/api/v1/parties', { kind: 'person', names: ['Sun Chantha'],
		identifiers: [{ kind: 'phone', value: '+85512345678' }] });
	assert.equal(p.status, 201, p.text);
	party = p.json;
	const c = await admin.post('/api/v1/graph/charts', { name: 'openapi', chart: { nodes: [{ id: `party:${party.id}` }] } });
	assert.equal(c.status, 201, c.text);
	chart = c.json;
});

// A value for each required query parameter that the server accepts.
function sampleParam(x) {
	switch (x.name) {
	case 'node':
	case 'from': return `party:${party.id}`;
	case 'to': return `identifier:${party.identifiers[0].identifier.id}`;
	default: return x.schema.type === 'integer' ? 2025 : 'pangolin';
	}
}

// A record that exists for each resource whose paths take an {id}: the
// collection is the path's first segment after /api/v1/.
function sampleId(p) {
	const collection = p.split('/')[3];
	if (collection === 'parties') return party.id;
	if (collection === 'identifiers') return party.identifiers[0].identifier.id;
	if (collection === 'graph') return chart.id;
	return seizure.id;
}
after(async () => { await server?.stop(); });

function documented() {
	const ops = [];
	for (const [p, item] of Object.entries(doc.paths))
		for (const m of Object.keys(item)) ops.push(`${m.toUpperCase()} ${p}`);
	return ops.sort();
}

test('the server serves docs/openapi.json', async () => {
	const r = await fetch(`${server.url}/api/v1/openapi.json`);
	assert.equal(r.status, 200);
	assert.deepEqual(await r.json(), doc);
});

test('every route of the router is documented, and nothing else', () => {
	const src = fs.readFileSync(path.join(ROOT, 'src', 'api', 'router.c'), 'utf8');
	const routes = [...src.matchAll(/\{ "(GET|POST|PATCH|DELETE|PUT)", "([^"]+)", api_/g)]
		.map((m) => `${m[1]} ${m[2]}`).sort();
	assert.ok(routes.length >= 10, 'found the route table');
	assert.deepEqual(routes, documented());
});

test('documented GET operations answer with a documented status', async () => {
	for (const [p, item] of Object.entries(doc.paths)) {
		if (!item.get) continue;
		const required = (item.get.parameters || []).filter((x) => x.in === 'query' && x.required);
		let url = p.replace('{id}', String(sampleId(p)));
		if (required.length) url += '?' + required.map((x) => `${x.name}=${encodeURIComponent(sampleParam(x))}`).join('&');
		const r = await admin.get(url);
		const codes = Object.keys(item.get.responses);
		assert.ok(codes.includes(String(r.status)), `GET ${url} answered ${r.status}, documented ${codes}`);
		assert.ok(r.status < 400, `GET ${url}: ${r.status} ${r.text.slice(0, 200)}`);
	}
});

test('errors have the documented shape', async () => {
	const r = await admin.post('/api/v1/seizures', { date: 'soon' });
	assert.equal(r.status, 422);
	const e = doc.components.schemas.Error.properties.error;
	assert.deepEqual(Object.keys(r.json.error).sort(), e.required.slice().sort());
	assert.ok(e.properties.code.enum.includes(r.json.error.code));
});

test('the seizure schema lists exactly the fields the server returns', async () => {
	const r = await admin.get(`/api/v1/seizures/${seizure.id}`);
	const props = doc.components.schemas.Seizure.properties;
	assert.deepEqual(Object.keys(r.json).sort(), Object.keys(props).sort());
	const itemProps = Object.entries(doc.components.schemas.Item.properties)
		.filter(([, v]) => !v.writeOnly).map(([k]) => k).sort();
	assert.deepEqual(Object.keys(r.json.items[0]).sort(), itemProps);
});
