// API tests against a real server on a fresh database: sign-in, CSRF, roles,
// seizures create/read/update/conflict/delete, validation, access rules,
// lists, history, limits and headers.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, startServer } from '../e2e/server.mjs';
import { Client, pangolinSeizure } from './client.mjs';

let server;
let admin;
const PW = 'Colleague-pass-1';

async function addUser(username, role, agency_id) {
	const r = await admin.post('/api/v1/users', { username, password: PW, role, agency_id, display_name: username });
	assert.equal(r.status, 201, r.text);
	const c = new Client(server.url);
	assert.equal((await c.signIn(username, PW)).status, 200);
	return c;
}

let customs, forestry, officer, viewer, analyst;

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	const r = await admin.signIn('admin', ADMIN_PASSWORD);
	assert.equal(r.status, 200, r.text);
	let a = await admin.post('/api/v1/agencies', { name: 'General Department of Customs and Excise', country: 'KH', kind: 'customs' });
	assert.equal(a.status, 201, a.text);
	customs = a.json.id;
	a = await admin.post('/api/v1/agencies', { name: 'Forestry Administration', country: 'KH', kind: 'forestry' });
	assert.equal(a.status, 201, a.text);
	forestry = a.json.id;
	officer = await addUser('officer1', 'officer', customs);
	viewer = await addUser('viewer1', 'viewer', customs);
	analyst = await addUser('analyst1', 'analyst', forestry);
});

after(async () => { await server?.stop(); });

describe('session', () => {
	test('wrong password is refused without saying which part is wrong', async () => {
		const c = new Client(server.url);
		const r = await c.signIn('admin', 'not-the-password');
		assert.equal(r.status, 401);
		assert.equal(r.json.error.code, 'unauthorized');
		const r2 = await c.signIn('nobody-here', 'not-the-password');
		assert.equal(r2.status, 401);
		assert.equal(r2.json.error.message, r.json.error.message);
	});

	test('session cookie is HttpOnly and SameSite=Strict, and GET /session returns the user', async () => {
		const c = new Client(server.url);
		const r = await c.post('/api/v1/session', { username: 'admin', password: ADMIN_PASSWORD });
		assert.equal(r.status, 200);
		const sc = r.headers.get('set-cookie');
		assert.match(sc, /HttpOnly/);
		assert.match(sc, /SameSite=Strict/);
		assert.ok(r.json.csrf_token.length >= 32);
		const me = await c.get('/api/v1/session');
		assert.equal(me.status, 200);
		assert.equal(me.json.user.username, 'admin');
		assert.equal(me.json.user.role, 'admin');
	});

	test('an account locks after repeated failures', async () => {
		const r0 = await admin.post('/api/v1/users', { username: 'locky', password: PW, role: 'viewer', agency_id: customs });
		assert.equal(r0.status, 201);
		const c = new Client(server.url);
		const codes = [];
		for (let i = 0; i < 5; i++) codes.push((await c.signIn('locky', 'wrong-password-x')).status);
		assert.deepEqual(codes.slice(0, 4), [401, 401, 401, 401]);
		assert.equal(codes[4], 429);
		const ok = await c.signIn('locky', PW);
		assert.equal(ok.status, 429, 'the right password is refused while locked');
		assert.equal(ok.json.error.code, 'locked');
	});

	test('sign-out ends the session', async () => {
		const c = new Client(server.url);
		await c.signIn('admin', ADMIN_PASSWORD);
		assert.equal((await c.delete('/api/v1/session')).status, 204);
		assert.equal((await c.get('/api/v1/seizures')).status, 401);
	});

	test('requests without a session are refused', async () => {
		const c = new Client(server.url);
		const r = await c.get('/api/v1/seizures');
		assert.equal(r.status, 401);
		assert.equal(r.json.error.code, 'unauthorized');
	});

	test('a changing request without the CSRF token is refused and changes nothing', async () => {
		const before = (await officer.get('/api/v1/seizures')).json.total;
		const r = await officer.post('/api/v1/seizures', pangolinSeizure(), { csrf: false });
		assert.equal(r.status, 403);
		assert.equal(r.json.error.code, 'csrf_failed');
		const wrong = await officer.post('/api/v1/seizures', pangolinSeizure(), { csrf: false, headers: { 'X-CSRF-Token': 'forged' } });
		assert.equal(wrong.status, 403);
		assert.equal((await officer.get('/api/v1/seizures')).json.total, before);
	});

	test('an API token works without CSRF', async () => {
		const t = await officer.post('/api/v1/tokens', { name: 'script' });
		assert.equal(t.status, 201, t.text);
		assert.match(t.json.token, /^kp_[0-9a-f]{64}$/);
		const script = new Client(server.url);
		script.bearer = t.json.token;
		const r = await script.post('/api/v1/seizures', pangolinSeizure({ ref: 'TOKEN-1' }));
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.agency.id, customs);
		const bad = new Client(server.url);
		bad.bearer = 'kp_' + '0'.repeat(64);
		assert.equal((await bad.get('/api/v1/seizures')).status, 401);
	});
});

describe('seizures', () => {
	test('create, read, update, conflict, delete', async () => {
		const c = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'CUS-2025-001', value: { amount: 350000, currency: 'usd' } }));
		assert.equal(c.status, 201, c.text);
		const s = c.json;
		assert.equal(s.ref, 'CUS-2025-001');
		assert.equal(s.version, 1);
		assert.equal(s.agency.id, customs);
		assert.equal(s.items[0].taxon.name, 'Manis javanica');
		assert.equal(s.items[0].taxon.listing, 'I');
		assert.equal(s.value.currency, 'USD');
		assert.deepEqual(s.destination, ['VN']);
		assert.match(c.headers.get('location'), new RegExp(`/api/v1/seizures/${s.id}$`));

		const g = await analyst.get(`/api/v1/seizures/${s.id}`);
		assert.equal(g.status, 200);
		assert.equal(g.json.place, 'Sihanoukville port');

		const u = await officer.patch(`/api/v1/seizures/${s.id}`, { version: 1, notes: 'scales in bags labelled as cashew' });
		assert.equal(u.status, 200, u.text);
		assert.equal(u.json.version, 2);
		assert.equal(u.json.notes, 'scales in bags labelled as cashew');
		assert.equal(u.json.items.length, 1, 'fields not sent are kept');

		const stale = await officer.patch(`/api/v1/seizures/${s.id}`, { version: 1, notes: 'overwriting' });
		assert.equal(stale.status, 409);
		assert.equal(stale.json.error.code, 'conflict');
		assert.equal((await officer.get(`/api/v1/seizures/${s.id}`)).json.notes, 'scales in bags labelled as cashew');

		const noDel = await officer.delete(`/api/v1/seizures/${s.id}?version=2`);
		assert.equal(noDel.status, 403);
		const staleDel = await admin.delete(`/api/v1/seizures/${s.id}?version=1`);
		assert.equal(staleDel.status, 409);
		const del = await admin.delete(`/api/v1/seizures/${s.id}?version=2`);
		assert.equal(del.status, 204);
		assert.equal((await admin.get(`/api/v1/seizures/${s.id}`)).status, 404);
	});

	test('validation errors name every field and change nothing', async () => {
		const before = (await admin.get('/api/v1/seizures')).json.total;
		const r = await officer.post('/api/v1/seizures', {
			date: '2099-01-01', country: 'Atlantis', latitude: 95, longitude: 10,
			transport_mode: 'teleport', origin: ['NG', 'Narnia'],
			items: [
				{ species: 'Manis javanica', term: 'SCA', quantity: 10, unit: 'PCS' },
				{ species: 'Unicornus magnificus', term: 'XYZ', quantity: 0 },
			],
		});
		assert.equal(r.status, 422);
		assert.equal(r.json.error.code, 'validation_failed');
		const fields = Object.fromEntries(r.json.error.fields.map((f) => [f.field, f.message]));
		for (const f of ['date', 'country', 'latitude', 'transport_mode', 'origin[1]', 'items[0].unit',
			'items[1].species', 'items[1].term', 'items[1].quantity'])
			assert.ok(fields[f], `expected an error on ${f}: ${JSON.stringify(fields)}`);
		assert.match(fields['items[0].unit'], /KIL/, 'says which units are allowed');
		assert.match(fields.transport_mode, /sea/, 'lists the allowed modes');
		assert.equal((await admin.get('/api/v1/seizures')).json.total, before);
	});

	test('bad JSON and unknown fields are clear errors', async () => {
		const r = await officer.post('/api/v1/seizures', '{"date": ', { headers: { 'Content-Type': 'application/json' } });
		assert.equal(r.status, 400);
		assert.equal(r.json.error.code, 'bad_request');
		const u = await officer.post('/api/v1/seizures', pangolinSeizure({ colour: 'red' }));
		assert.equal(u.status, 422);
		assert.equal(u.json.error.fields[0].field, 'colour');
	});

	test('an ambiguous species name lists the candidates', async () => {
		const r = await officer.post('/api/v1/seizures', pangolinSeizure({ items: [{ species: 'tê tê', term: 'SCA', quantity: 1, unit: 'KIL' }] }));
		assert.equal(r.status, 422);
		const f = r.json.error.fields.find((x) => x.field === 'items[0].species');
		assert.ok(f, r.text);
		assert.match(f.message, /ambiguous/);
		assert.match(f.message, /Manis/);
	});

	test('species are found by common names in any language and by synonyms', async () => {
		for (const q of ['pangolin', 'ពង្រូល', 'Manis', 'tê tê', '穿山甲']) {
			const r = await officer.get(`/api/v1/species?q=${encodeURIComponent(q)}`);
			assert.equal(r.status, 200);
			assert.ok(r.json.items.some((t) => t.name.startsWith('Manis')), `${q}: ${r.text.slice(0, 200)}`);
		}
		const r = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'KM-NAME', items: [{ species: 'ពង្រូលជ្វា', term: 'SCA', quantity: 3, unit: 'KIL' }] }));
		if (r.status === 201) assert.equal(r.json.items[0].taxon.name, 'Manis javanica');
		else assert.equal(r.status, 422, r.text);
	});

	test('roles: a viewer may not record; an officer may not record for another agency', async () => {
		const v = await viewer.post('/api/v1/seizures', pangolinSeizure());
		assert.equal(v.status, 403);
		const o = await officer.post('/api/v1/seizures', pangolinSeizure({ agency: { id: forestry } }));
		assert.equal(o.status, 403);
		const users = await officer.get('/api/v1/users');
		assert.equal(users.status, 403);
		const add = await officer.post('/api/v1/users', { username: 'sneaky', password: PW, role: 'admin', agency_id: customs });
		assert.equal(add.status, 403);
	});

	test('access: agency-only seizures are invisible to other agencies, in lists too', async () => {
		const c = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'SECRET-1', sharing: 'agency', notes: 'informant zebra' }));
		assert.equal(c.status, 201, c.text);
		const id = c.json.id;
		assert.equal((await analyst.get(`/api/v1/seizures/${id}`)).status, 404);
		const l = await analyst.get('/api/v1/seizures?q=zebra');
		assert.equal(l.json.total, 0);
		assert.equal((await viewer.get('/api/v1/seizures?q=zebra')).json.total, 1, 'same agency sees it');
		assert.equal((await admin.get(`/api/v1/seizures/${id}`)).status, 200);
		const p = await analyst.patch(`/api/v1/seizures/${id}`, { version: 1, notes: 'x' });
		assert.equal(p.status, 404);
	});

	test('lists filter, count and page with a cursor', async () => {
		const mk = (i) => ({
			ref: `LIST-${i}`, date: `2024-0${1 + (i % 9)}-1${i % 10}`, country: i % 2 ? 'VN' : 'KH',
			transport_mode: i % 2 ? 'road' : 'air',
			items: [i % 3 === 0
				? { species: 'Panthera tigris', term: 'BON', quantity: 2 + i, unit: 'KIL' }
				: { species: 'Elephas maximus', term: 'TUS', quantity: 1 + i }],
		});
		for (let i = 0; i < 12; i++) {
			const r = await analyst.post('/api/v1/seizures', mk(i));
			assert.equal(r.status, 201, r.text);
		}
		const tigers = await admin.get('/api/v1/seizures?species=Panthera%20tigris');
		assert.equal(tigers.json.total, 4);
		assert.ok(tigers.json.items.every((s) => s.items.some((it) => it.taxon.name === 'Panthera tigris')));
		const felidae = await admin.get('/api/v1/seizures?taxon=Felidae');
		assert.equal(felidae.json.total, 4);
		const road = await admin.get('/api/v1/seizures?transport_mode=road&q=list');
		assert.equal(road.json.total, 6);
		const vn = await admin.get('/api/v1/seizures?country=VN&term=TUS');
		assert.equal(vn.json.total, 4);
		const range = await admin.get('/api/v1/seizures?q=list&from=2024-03&to=2024-04-30');
		assert.ok(range.json.items.every((s) => s.date >= '2024-03' && s.date <= '2024-04-30'));
		assert.equal(range.json.total, 3);
		// pages of 5 cover all 12 exactly once, newest first
		const seen = [];
		let cursor = null;
		do {
			const r = await admin.get(`/api/v1/seizures?q=list&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
			assert.equal(r.status, 200);
			assert.equal(r.json.total, 12);
			seen.push(...r.json.items.map((s) => s.ref));
			cursor = r.json.next;
		} while (cursor);
		assert.equal(seen.length, 12);
		assert.equal(new Set(seen).size, 12);
		const bad = await admin.get('/api/v1/seizures?limit=0&from=yesterday&colour=red');
		assert.equal(bad.status, 422);
		const fields = bad.json.error.fields.map((f) => f.field).sort();
		assert.deepEqual(fields, ['colour', 'from', 'limit']);
	});

	test('history shows create, update and views with who did them', async () => {
		const c = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'HIST-1' }));
		const id = c.json.id;
		await officer.patch(`/api/v1/seizures/${id}`, { version: 1, place: 'Sihanoukville Autonomous Port' });
		await analyst.get(`/api/v1/seizures/${id}`);
		const h = await admin.get(`/api/v1/seizures/${id}/history`);
		assert.equal(h.status, 200);
		const actions = h.json.items.map((e) => `${e.action}:${e.user}`);
		assert.deepEqual(actions.slice(0, 3), ['create:officer1', 'update:officer1', 'view:analyst1']);
	});
});

describe('reference data', () => {
	test('terms come with their allowed units', async () => {
		const r = await officer.get('/api/v1/reference/terms');
		const sca = r.json.items.find((t) => t.code === 'SCA');
		assert.ok(sca.units.includes('KIL'));
		assert.ok(!sca.units.includes('PCS'));
	});
	test('countries have Khmer names, locations are searchable', async () => {
		const r = await officer.get('/api/v1/reference/countries');
		const kh = r.json.items.find((c) => c.code === 'KH');
		assert.equal(kh.name_en, 'Cambodia');
		assert.ok(kh.name_km);
		const l = await officer.get('/api/v1/reference/locations?q=sihanouk&country=KH');
		assert.ok(l.json.items.some((x) => x.locode === 'KHKOS'), l.text);
	});
	test('vocabularies list codes with English and Khmer names', async () => {
		const r = await officer.get('/api/v1/reference/vocab');
		assert.ok(r.json.transport_mode.some((v) => v.code === 'sea'));
		assert.ok(r.json.agency_kind.some((v) => v.code === 'customs'));
	});
});

describe('protocol', () => {
	test('security headers on API and pages', async () => {
		for (const p of ['/healthz', '/']) {
			const r = await fetch(server.url + p);
			assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
			assert.equal(r.headers.get('x-frame-options'), 'DENY');
			assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
		}
	});
	test('bodies over the limit are refused with 413', async () => {
		const big = JSON.stringify({ notes: 'x'.repeat(2 << 20) });
		const r = await officer.post('/api/v1/seizures', big, { headers: { 'Content-Type': 'application/json' } });
		assert.equal(r.status, 413);
		assert.equal(r.json.error.code, 'too_large');
	});
	test('unknown resources are 404, wrong methods 405, bad query strings 400', async () => {
		assert.equal((await officer.get('/api/v1/nothing')).status, 404);
		assert.equal((await officer.request('PUT', '/api/v1/seizures')).status, 405);
		assert.equal((await officer.get('/api/v1/seizures?q=%ZZ')).status, 400);
	});
	test('the web interface is served with a fallback to index.html, without path traversal', async () => {
		const r = await fetch(server.url + '/seizures/new');
		assert.equal(r.status, 200);
		assert.match(await r.text(), /<html/i);
		// node's http module sends the path as it is (fetch would normalise it)
		const { port, hostname } = new URL(server.url);
		for (const p of ['/assets/../../Makefile', '/assets/%2e%2e/%2e%2e/Makefile', '/..%2fMakefile']) {
			const body = await new Promise((resolve, reject) => {
				http.get({ host: hostname, port, path: p }, (res) => {
					let b = '';
					res.on('data', (d) => { b += d; });
					res.on('end', () => resolve(`${res.statusCode} ${b}`));
				}).on('error', reject);
			});
			assert.doesNotMatch(body, /SHELL :=/, `${p} must not serve the Makefile`);
		}
	});
});

describe('national species', () => {
	test('an admin adds a nationally protected species, which can then be recorded', async () => {
		const body = { name: 'Testudo nationalis', family: 'Testudinidae', class: 'Reptilia', law: 'Forestry Law (2002), art. 48', common_names: [{ lang: 'km', name: 'អណ្តើកជាតិ' }, { lang: 'en', name: 'National test tortoise' }] };
		assert.equal((await officer.post('/api/v1/species', body)).status, 403);
		const bad = await admin.post('/api/v1/species', { name: 'not a name' });
		assert.equal(bad.status, 422);
		assert.equal(bad.json.error.fields[0].field, 'name');
		const r = await admin.post('/api/v1/species', body);
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.listing, 'NC');
		assert.ok(r.json.id >= 10000000);
		const again = await admin.post('/api/v1/species', body);
		assert.equal(again.status, 422, 'the same name twice is refused');
		const found = await officer.get(`/api/v1/species?q=${encodeURIComponent('អណ្តើកជាតិ')}`);
		assert.equal(found.json.items[0].name, 'Testudo nationalis');
		const s = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'NAT-1', items: [{ species: 'National test tortoise', term: 'LIV', quantity: 4 }] }));
		assert.equal(s.status, 201, s.text);
		assert.equal(s.json.items[0].taxon.id, r.json.id);
	});
});
