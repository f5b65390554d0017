// API tests of the analytics (issue 5) against a real server on a fresh
// database: every endpoint's shape and hand-computed figures, filters,
// CSV downloads, access rules in aggregates (an agency's restricted
// seizures never change another agency's numbers), the columns following
// writes, and the admin-only, audited conversion and rates tables.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, startServer } from '../e2e/server.mjs';
import { Client } from './client.mjs';

let server;
let admin;
let officer; // customs
let forester; // forestry
let customs;
let forestry;
const PW = 'Colleague-pass-1';

async function addUser(username, role, agency_id) {
	const r = await admin.post('/api/v1/users', { username, password: PW, role, agency_id, display_name: username });
	assert.equal(r.status, 201, r.text);
	const c = new Client(server.url);
	assert.equal((await c.signIn(username, PW)).status, 200);
	return c;
}

function seizure(extra) {
	return { date: '2024-05-01', country: 'KH', sharing: 'national', items: [], ...extra };
}

async function add(who, body) {
	const r = await who.post('/api/v1/seizures', body);
	assert.equal(r.status, 201, r.text);
	return r.json;
}

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	let a = await admin.post('/api/v1/agencies', { name: 'Customs', country: 'KH', kind: 'customs' });
	assert.equal(a.status, 201, a.text);
	customs = a.json.id;
	a = await admin.post('/api/v1/agencies', { name: 'Forestry', country: 'KH', kind: 'forestry' });
	forestry = a.json.id;
	officer = await addUser('officer1', 'officer', customs);
	forester = await addUser('forester1', 'officer', forestry);
	// the shipped factors: Manidae SCA KIL 2.7778 animals/kg; tiger skin 1; worked ivory RIE / 0.7
	await add(officer, seizure({ date: '2023-03-10', country: 'VN', origin: ['NG'], transit: ['MY'], destination: ['VN'], transport_mode: 'sea',
		latitude: 10.77, longitude: 106.7, value: { amount: 2000, currency: 'USD' },
		items: [{ species: 'Manis javanica', term: 'SCA', quantity: 120, unit: 'KIL' }] }));
	await add(officer, seizure({ date: '2024-02-01', country: 'KH', origin: ['NG'], destination: ['CN'], transport_mode: 'air',
		items: [{ species: 'Panthera tigris', term: 'SKI', quantity: 2, unit: '' },
			{ species: 'Loxodonta africana', term: 'IVC', quantity: 7, unit: 'KIL' }] }));
	await add(forester, seizure({ date: '2024-07', country: 'KH', origin: ['LA'], destination: ['VN'], transport_mode: 'road',
		value: { amount: 4110000, currency: 'KHR' },
		items: [{ species: 'Manis javanica', term: 'SCA', quantity: 9, unit: 'KIL' }] }));
});

after(async () => { await server?.stop(); });

describe('analytics', () => {
	test('summary: totals, equivalents, classes, columns', async () => {
		const r = await admin.get('/api/v1/analytics/summary');
		assert.equal(r.status, 200, r.text);
		const j = r.json;
		assert.equal(j.total.seizures, 3);
		assert.equal(j.total.items, 4);
		assert.ok(Math.abs(j.total.weight_kg - 136) < 1e-9); // 120 + 7 + 9
		assert.equal(j.total.items_unweighed, 1); // the skins
		assert.ok(Math.abs(j.total.animals - (129 * 2.7778 + 2)) < 1e-3);
		assert.equal(j.first, '2023-03-10');
		assert.equal(j.last, '2024-07-01');
		const cls = Object.fromEntries(j.weight_classes.map((g) => [g.key, g.cell.seizures]));
		assert.deepEqual(cls, { lt10: 1, '10to100': 1, ge100: 1, unknown: 0 }); // 7/0.7 = 10 kg -> 10to100
		assert.ok(j.commodities.find((g) => g.key === 'pangolin'));
		assert.equal(j.columns.seizures, 3);
		assert.ok(j.columns.bytes > 0);
		assert.match(j.note, /enforcement/);
		// value in riel: 2000 USD / 0.0002433 + 4,110,000 KHR
		const v = await admin.get('/api/v1/analytics/summary?currency=KHR&measure=value');
		assert.equal(v.status, 200, v.text);
		assert.ok(Math.abs(v.json.total.value - (2000 / 0.0002433 + 4110000)) < 1);
		assert.equal(v.json.currency, 'KHR');
	});

	test('breakdown by species, filters, CSV', async () => {
		let r = await admin.get('/api/v1/analytics/breakdown?by=species&measure=weight_kg');
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.groups[0].label, 'Manis javanica');
		assert.equal(r.json.groups[0].value, 129);
		assert.equal(r.json.groups[0].cell.seizures, 2);
		assert.equal(r.json.multi, true);
		assert.ok(Math.abs(r.json.groups[0].share - 129 / 136) < 1e-9);
		r = await admin.get('/api/v1/analytics/breakdown?by=origin&from=2024&country=KH,VN');
		assert.deepEqual(r.json.groups.map((g) => [g.key, g.value]).sort(), [['LA', 1], ['NG', 1]]);
		r = await admin.get('/api/v1/analytics/breakdown?by=agency');
		assert.deepEqual(r.json.groups.map((g) => g.label).sort(), ['Customs', 'Forestry']);
		r = await admin.get('/api/v1/analytics/breakdown?by=month&taxon=Manidae&format=csv');
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /text\/csv/);
		assert.match(r.headers.get('content-disposition'), /attachment/);
		const lines = r.text.trim().split('\n');
		assert.equal(lines[0], 'key,label,value,seizures,items,quantity,weight_kg,animals,value_amount,share');
		assert.equal(lines.length, 3);
		r = await admin.get('/api/v1/analytics/breakdown?by=colour&frobnicate=1');
		assert.equal(r.status, 422);
		assert.deepEqual(r.json.error.fields.map((f) => f.field).sort(), ['by', 'frobnicate']);
	});

	test('timeseries, routes, indices, map', async () => {
		let r = await admin.get('/api/v1/analytics/timeseries?grain=year&split=family&measure=weight_kg');
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.periods, ['2023', '2024']);
		const man = r.json.series.find((s) => s.key === 'Manidae');
		assert.deepEqual(man.values, [120, 9]);
		r = await admin.get('/api/v1/analytics/timeseries?grain=month&format=csv');
		assert.equal(r.text.split('\n')[0], 'period,All');
		r = await admin.get('/api/v1/analytics/routes?from=2024-01-01&to=2024-12-31');
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.previous.to, '2023-12-31');
		const ngcn = r.json.routes.find((x) => x.origin === 'NG' && x.destination === 'CN');
		assert.equal(ngcn.value, 1);
		assert.equal(ngcn.trend, null);
		const ngvn = r.json.routes.find((x) => x.origin === 'NG' && x.destination === 'VN');
		assert.deepEqual(ngvn.transit, ['MY']);
		assert.equal(ngvn.previous_value, 1);
		assert.equal(ngvn.trend, -1);
		const kh = r.json.countries.find((x) => x.country === 'KH');
		assert.equal(kh.seizures_in, 2);
		assert.deepEqual(kh.points_to.map((p) => p.country).sort(), ['LA', 'NG']);
		r = await admin.get('/api/v1/analytics/indices?base_year=2023');
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.years[1].transaction_index.all, 200);
		assert.match(r.json.method, /simplified/);
		r = await admin.get('/api/v1/analytics/map?role=country');
		assert.equal(r.json.points_total, 1);
		assert.equal(r.json.points[0].country, 'VN');
		assert.equal(r.json.points_omitted, 0);
		r = await admin.get('/api/v1/analytics/map?points_limit=0');
		assert.equal(r.json.points_omitted, 1);
	});

	test('access rules: restricted seizures of one agency never change another\'s numbers', async () => {
		const before1 = (await officer.get('/api/v1/analytics/summary')).json.total;
		const before2 = (await officer.get('/api/v1/analytics/breakdown?by=species&measure=weight_kg')).json;
		assert.equal(before1.seizures, 3);
		await add(forester, seizure({ sharing: 'agency', date: '2024-08-01', origin: ['NG'], destination: ['CN'],
			items: [{ species: 'Manis javanica', term: 'SCA', quantity: 5000, unit: 'KIL' }] }));
		const after1 = (await officer.get('/api/v1/analytics/summary')).json.total;
		const after2 = (await officer.get('/api/v1/analytics/breakdown?by=species&measure=weight_kg')).json;
		assert.deepEqual(after1, before1);
		assert.deepEqual(after2.groups, before2.groups);
		const routes = (await officer.get('/api/v1/analytics/routes?from=2024')).json.routes;
		assert.equal(routes.find((x) => x.origin === 'NG' && x.destination === 'CN').now.weight_kg, 7);
		// the forester and the admin see it at once (the columns followed the write)
		assert.equal((await forester.get('/api/v1/analytics/summary')).json.total.seizures, 4);
		assert.equal((await admin.get('/api/v1/analytics/summary')).json.total.seizures, 4);
	});

	test('conversion and rates tables: admin only, audited, numbers follow', async () => {
		let r = await officer.get('/api/v1/analytics/conversions');
		assert.equal(r.status, 200);
		const row = r.json.items.find((x) => x.taxon === 'Manidae' && x.term === 'SCA' && x.unit === 'KIL');
		assert.ok(row && row.source.length > 20 && row.estimate === true);
		r = await officer.request('PUT', `/api/v1/analytics/conversions/${row.id}`, { body: { ...row, animals_per_unit: 1 } });
		assert.equal(r.status, 403);
		const base = (await admin.get('/api/v1/analytics/summary?taxon=Manidae')).json.total.animals;
		r = await admin.request('PUT', `/api/v1/analytics/conversions/${row.id}`, { body: { ...row, animals_per_unit: 1 } });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.animals_per_unit, 1);
		const now = (await admin.get('/api/v1/analytics/summary?taxon=Manidae')).json.total.animals;
		assert.ok(Math.abs(now - base / 2.7778) < 1e-3);
		r = await admin.post('/api/v1/analytics/conversions', { taxon: 'Nosuchus', term: 'XXX', commodity: '', source: '' });
		assert.equal(r.status, 422);
		r = await admin.post('/api/v1/analytics/conversions', { ...row, id: undefined });
		assert.equal(r.status, 409);
		r = await admin.post('/api/v1/analytics/conversions', { taxon: 'Helarctos malayanus', term: 'CLA', unit: '', commodity: 'bear', animals_per_unit: 0.05, source: 'Anatomy: 20 claws', estimate: true });
		assert.equal(r.status, 201, r.text);
		assert.equal((await admin.delete(`/api/v1/analytics/conversions/${r.json.id}`)).status, 204);
		assert.equal((await admin.delete(`/api/v1/analytics/conversions/${r.json.id}`)).status, 404);
		// rates
		r = await admin.get('/api/v1/analytics/rates');
		const khr = r.json.items.find((x) => x.currency === 'KHR');
		r = await admin.request('PUT', `/api/v1/analytics/rates/${khr.id}`, { body: { ...khr, usd_per_unit: 0.0005 } });
		assert.equal(r.status, 200, r.text);
		const v = (await admin.get('/api/v1/analytics/summary?currency=KHR')).json.total.value;
		assert.ok(Math.abs(v - (2000 / 0.0005 + 4110000)) < 1);
		r = await admin.post('/api/v1/analytics/rates', { currency: 'XBT', usd_per_unit: -1, source: '' });
		assert.equal(r.status, 422);
		assert.equal((await admin.get('/api/v1/analytics/summary?currency=XAF')).status, 422);
	});
});
