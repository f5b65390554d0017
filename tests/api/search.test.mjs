// API tests of the search box (GET /api/v1/search) against a real server on
// a fresh database: names across scripts and spellings, identifiers typed
// any way, seizure references, ranking, the access rules (in the hits and
// in the total; an identifier seen in a seizure through the seizure),
// following changes, and errors naming the parameter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, startServer } from '../e2e/server.mjs';
import { Client, pangolinSeizure } from './client.mjs';

let server;
let admin, officer, viewer, forester;
let customs, forestry;
let chantha, wangwei, chanthy, dragon, seizure;
const PW = 'Colleague-pass-1';

async function addUser(username, role, agency_id) {
	const r = await admin.post('/api/v1/users', { username, password: PW, role, agency_id, display_name: username });
	assert.equal(r.status, 201, r.text);
	const c = new Client(server.url);
	assert.equal((await c.signIn(username, PW)).status, 200);
	return c;
}

async function party(client, body) {
	const r = await client.post('/api/v1/parties', body);
	assert.equal(r.status, 201, r.text);
	return r.json;
}

const search = (client, params) => client.get(`/api/v1/search?${new URLSearchParams(params)}`);
const fields = (r) => Object.fromEntries((r.json?.error?.fields || []).map((f) => [f.field, f.message]));
const rank = (r, kind, id) => r.json.items.findIndex((x) => x.kind === kind && x.id === id);

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	let a = await admin.post('/api/v1/agencies', { name: 'Customs Search Test', country: 'KH', kind: 'customs' });
	assert.equal(a.status, 201, a.text);
	customs = a.json.id;
	a = await admin.post('/api/v1/agencies', { name: 'Forestry Search Test', country: 'KH', kind: 'forestry' });
	assert.equal(a.status, 201, a.text);
	forestry = a.json.id;
	officer = await addUser('s_officer', 'officer', customs);
	viewer = await addUser('s_viewer', 'viewer', customs);
	forester = await addUser('s_forester', 'officer', forestry);

	chantha = await party(officer, {
		kind: 'person', names: [{ name: 'ស៊ុន ចាន់ថា' }], nationalities: ['KH'],
		identifiers: [{ kind: 'phone', value: '012 345 678', role: 'uses' }],
	});
	wangwei = await party(officer, { kind: 'person', names: [{ name: '王伟' }] });
	dragon = await party(officer, { kind: 'organisation', names: [{ name: 'Golden Dragon Trading Co., Ltd.' }], org_kind: 'logistics', country: 'KH' });
	chanthy = await party(forester, {
		kind: 'person', sharing: 'agency', names: [{ name: 'Sun Chanthy' }],
		identifiers: [{ kind: 'phone', value: '097 765 432', role: 'uses' }],
	});
	const s = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'KH-CUS-2025-0042' }));
	assert.equal(s.status, 201, s.text);
	seizure = s.json;
});

after(async () => { await server?.stop(); });

describe('search', () => {
	test('a Khmer name is found by its Latin spellings, first, with score and reason', async () => {
		for (const q of ['SUN Chantha', 'Soun Chanthar', 'Sun Chan Tha', 'Chantha Sun', 'ស៊ុន ចាន់ថា']) {
			const r = await search(viewer, { q });
			assert.equal(r.status, 200, r.text);
			assert.equal(rank(r, 'party', chantha.id), 0, `${q}: ${r.text}`);
			const hit = r.json.items[0];
			assert.equal(hit.label, 'ស៊ុន ចាន់ថា');
			assert.ok(hit.score >= 0.8 && hit.score <= 1, `${q}: score ${hit.score}`);
			assert.equal(typeof hit.reason, 'string');
			assert.ok(hit.reason.length > 0);
			assert.ok(r.json.total >= 1);
		}
		const r = await search(viewer, { q: 'Soun Chanthar' });
		assert.match(r.json.items[0].reason, /sun chantha/, 'the reason says what the Khmer was romanised to');
		const w = await search(viewer, { q: 'Wang Wei' });
		assert.equal(rank(w, 'party', wangwei.id), 0, w.text);
		const d = await search(viewer, { q: 'Golden Dragn Trading' });
		assert.equal(rank(d, 'party', dragon.id), 0, d.text);
	});

	test('a phone typed any way finds the identifier first, exact', async () => {
		for (const q of ['+855-12-345-678', '012345678', '0085512345678', '+855 12 345 678']) {
			const r = await search(viewer, { q });
			assert.equal(r.status, 200, r.text);
			const hit = r.json.items[0];
			assert.equal(hit.kind, 'identifier', `${q}: ${r.text}`);
			assert.equal(hit.identifier_kind, 'phone');
			assert.equal(hit.score, 1);
			assert.equal(hit.reason, 'exact phone +85512345678');
			assert.equal(hit.party_id, chantha.id);
		}
	});

	test('hits are ranked by score; exact identifiers and references come first', async () => {
		const r = await search(admin, { q: 'Sun Chantha' });
		const scores = r.json.items.map((x) => x.score);
		assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
		assert.ok(rank(r, 'party', chanthy.id) > rank(r, 'party', chantha.id), 'the near name after the exact one');
		const ref = await search(viewer, { q: 'kh-cus-2025-0042' });
		assert.equal(ref.status, 200, ref.text);
		assert.equal(ref.json.items[0].kind, 'seizure', ref.text);
		assert.equal(ref.json.items[0].id, seizure.id);
		assert.equal(ref.json.items[0].label, 'KH-CUS-2025-0042');
		assert.equal(ref.json.items[0].score, 1);
		const limited = await search(admin, { q: 'Sun Chantha', limit: '1' });
		assert.equal(limited.json.items.length, 1);
		assert.ok(limited.json.total >= 2, 'the total counts past the limit');
	});

	test('kinds picks what is searched', async () => {
		const ids = await search(viewer, { q: '012 345 678', kinds: 'identifiers' });
		assert.ok(ids.json.items.length >= 1);
		assert.ok(ids.json.items.every((x) => x.kind === 'identifier'));
		const names = await search(viewer, { q: 'Sun Chantha', kinds: 'parties' });
		assert.ok(names.json.items.every((x) => x.kind === 'party'));
		const none = await search(viewer, { q: 'Sun Chantha', kinds: 'seizures' });
		assert.equal(none.json.items.length, 0);
		const s = await search(viewer, { q: 'KH-CUS-2025-0042', kinds: 'seizures, parties' });
		assert.equal(s.json.items[0].kind, 'seizure');
	});

	test('another agency\'s party, not shared, is neither found nor counted', async () => {
		const mine = await search(forester, { q: 'Sun Chanthy' });
		assert.ok(rank(mine, 'party', chanthy.id) >= 0, mine.text);
		const theirs = await search(officer, { q: 'Sun Chanthy' });
		assert.equal(rank(theirs, 'party', chanthy.id), -1);
		const all = await search(admin, { q: 'Sun Chanthy' });
		assert.ok(rank(all, 'party', chanthy.id) >= 0);
		assert.equal(theirs.json.total, all.json.total - 1, 'not in the total either');
		const phone = await search(officer, { q: '097 765 432' });
		assert.ok(!phone.json.items.some((x) => x.kind === 'identifier'), phone.text);
		assert.equal(phone.json.total, 0);
		const own = await search(forester, { q: '097 765 432' });
		assert.equal(own.json.items[0].kind, 'identifier');
		assert.equal(own.json.items[0].party_id, chanthy.id);
	});

	test('a container seen only in a seizure is found by whoever sees the seizure, and by no one else', async () => {
		const shared = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'KH-CUS-2025-0200', sharing: 'national' }));
		assert.equal(shared.status, 201, shared.text);
		const own = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'KH-CUS-2025-0201', sharing: 'agency' }));
		assert.equal(own.status, 201, own.text);
		const seen = async (s, value) => {
			const r = await officer.post(`/api/v1/seizures/${s.json.id}/identifiers`, { kind: 'container', value });
			assert.equal(r.status, 201, r.text);
			return r.json.identifier.id;
		};
		const open = await seen(shared, 'CSQU3054383');
		const kept = await seen(own, 'MSCU1234566');
		// forestry sees the national seizure: its container is found, with no party
		let r = await search(forester, { q: 'CSQU 305438 3' });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.items.length, 1, r.text);
		assert.equal(r.json.items[0].kind, 'identifier');
		assert.equal(r.json.items[0].id, open);
		assert.equal(r.json.items[0].identifier_kind, 'container');
		assert.equal(r.json.items[0].party_id, null);
		assert.equal(r.json.total, 1);
		// not the one seen in customs' own seizure: not in the hits, not in the total
		r = await search(forester, { q: 'MSCU1234566', kinds: 'identifiers' });
		assert.deepEqual(r.json, { items: [], total: 0 });
		r = await search(viewer, { q: 'MSCU1234566', kinds: 'identifiers' });
		assert.equal(r.json.items[0]?.id, kept, r.text);
		assert.equal(r.json.total, 1);
		// the seizure kept to customs: forestry loses its container
		const s = (await officer.get(`/api/v1/seizures/${shared.json.id}`)).json;
		const u = await officer.patch(`/api/v1/seizures/${shared.json.id}`, { version: s.version, sharing: 'agency' });
		assert.equal(u.status, 200, u.text);
		r = await search(forester, { q: 'CSQU3054383' });
		assert.equal(r.json.items.some((x) => x.kind === 'identifier'), false, r.text);
		assert.equal(r.json.total, 0);
		r = await search(officer, { q: 'CSQU3054383' });
		assert.equal(r.json.items[0]?.id, open, r.text);
	});

	test('the index follows changes: renamed, an identifier added, deleted', async () => {
		const p = await party(officer, { kind: 'person', names: [{ name: 'Keo Sambath' }] });
		assert.equal(rank(await search(viewer, { q: 'Keo Sambat' }), 'party', p.id), 0);
		const u = await officer.patch(`/api/v1/parties/${p.id}`, { version: 1, names: [{ name: 'ឈឹម វុទ្ធី' }] });
		assert.equal(u.status, 200, u.text);
		assert.equal(rank(await search(viewer, { q: 'Keo Sambath' }), 'party', p.id), -1, 'the old name is gone');
		const r = await search(viewer, { q: 'Chhim Vuthy' });
		assert.equal(rank(r, 'party', p.id), 0, r.text);
		assert.equal(r.json.items[0].label, 'ឈឹម វុទ្ធី');
		const add = await officer.post(`/api/v1/parties/${p.id}/identifiers`, { kind: 'passport', value: 'N1234567', country: 'KH' });
		assert.equal(add.status, 201, add.text);
		const pass = await search(viewer, { q: 'n1234567' });
		assert.equal(pass.json.items[0].kind, 'identifier', pass.text);
		assert.equal(pass.json.items[0].party_id, p.id);
		const version = (await admin.get(`/api/v1/parties/${p.id}`)).json.version;
		assert.equal((await admin.delete(`/api/v1/parties/${p.id}?version=${version}`)).status, 204);
		assert.equal(rank(await search(admin, { q: 'Chhim Vuthy' }), 'party', p.id), -1, 'deleted');
	});

	test('errors name the parameter', async () => {
		let r = await search(viewer, { q: '' });
		assert.equal(r.status, 422);
		assert.ok(fields(r).q, r.text);
		r = await search(viewer, { q: '   ' });
		assert.equal(r.status, 422);
		assert.ok(fields(r).q);
		r = await viewer.get('/api/v1/search');
		assert.equal(r.status, 422);
		assert.ok(fields(r).q);
		r = await search(viewer, { q: 'Sun', kinds: 'people' });
		assert.equal(r.status, 422);
		assert.match(fields(r).kinds, /people/);
		assert.match(fields(r).kinds, /parties, identifiers, seizures/);
		r = await search(viewer, { q: 'Sun', limit: '0' });
		assert.equal(r.status, 422);
		assert.ok(fields(r).limit);
		r = await search(viewer, { q: 'Sun', colour: 'red' });
		assert.equal(r.status, 422);
		assert.ok(fields(r).colour);
		r = await search(viewer, { q: 'x'.repeat(201) });
		assert.equal(r.status, 422);
		assert.ok(fields(r).q);
		assert.equal((await viewer.get('/api/v1/search?q=%ZZ')).status, 400);
		assert.equal((await new Client(server.url).get('/api/v1/search?q=Sun')).status, 401);
		const nothing = await search(viewer, { q: 'Zzyzx Qwerty' });
		assert.equal(nothing.status, 200);
		assert.deepEqual(nothing.json, { items: [], total: 0 });
	});
});
