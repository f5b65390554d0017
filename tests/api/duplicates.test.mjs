// API tests of entity resolution against a real server on a fresh database:
// the duplicate queue (pairs found after each write, side by side, highest
// score first, only pairs whose both parties the user sees), merge through
// a candidate and directly, undo (exact; 409 when it cannot be), "not the
// same", the settings of the automatic merge, and 403 for officers and
// viewers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, startServer } from '../e2e/server.mjs';
import { Client, pangolinSeizure } from './client.mjs';

let server;
let admin, analyst, officer, viewer, forester;
let customs, forestry;
const PW = 'Colleague-pass-1';

async function addUser(username, role, agency_id) {
	const r = await admin.post('/api/v1/users', { username, password: PW, role, agency_id, display_name: username });
	assert.equal(r.status, 201, r.text);
	const c = new Client(server.url);
	assert.equal((await c.signIn(username, PW)).status, 200);
	return c;
}

async function party(client, body) {
	const r = await client.post('/api/v1/parties', { kind: 'person', ...body });
	assert.equal(r.status, 201, r.text);
	return r.json;
}

async function phone(client, id, value, kind = 'phone', extra = {}) {
	const r = await client.post(`/api/v1/parties/${id}/identifiers`, { kind, value, ...extra });
	assert.equal(r.status, 201, r.text);
	return r.json.identifier;
}

async function queue(client, query = '') {
	const r = await client.get(`/api/v1/duplicates${query}`);
	assert.equal(r.status, 200, r.text);
	return r.json;
}

const pairOf = (q, x, y) => q.items.find((it) => {
	const ids = it.parties.map((p) => p.id);
	return ids.includes(x) && ids.includes(y);
});

// A page without what a merge and its undo change by design.
async function page(id) {
	const r = await admin.get(`/api/v1/parties/${id}`);
	assert.equal(r.status, 200, r.text);
	const { version, updated_at, ...rest } = r.json;
	return rest;
}

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	let a = await admin.post('/api/v1/agencies', { name: 'Customs Dup Test', country: 'KH', kind: 'customs' });
	assert.equal(a.status, 201, a.text);
	customs = a.json.id;
	a = await admin.post('/api/v1/agencies', { name: 'Forestry Dup Test', country: 'KH', kind: 'forestry' });
	assert.equal(a.status, 201, a.text);
	forestry = a.json.id;
	analyst = await addUser('d_analyst', 'analyst', customs);
	officer = await addUser('d_officer', 'officer', customs);
	viewer = await addUser('d_viewer', 'viewer', customs);
	forester = await addUser('d_forester', 'officer', forestry);
});

after(async () => { await server?.stop(); });

describe('duplicates', () => {
	test('officers and viewers have no queue and cannot decide; admins only change the settings', async () => {
		for (const c of [officer, viewer]) {
			assert.equal((await c.get('/api/v1/duplicates')).status, 403);
			assert.equal((await c.post('/api/v1/duplicates/1/merge', { survivor: 1, reason: 'x' })).status, 403);
			assert.equal((await c.post('/api/v1/duplicates/1/not-same', { reason: 'x' })).status, 403);
			assert.equal((await c.post('/api/v1/merges/1/undo', { reason: 'x' })).status, 403);
			assert.equal((await c.post('/api/v1/parties/1/merge', { other: 2, reason: 'x' })).status, 403);
			assert.equal((await c.get('/api/v1/settings/resolution')).status, 403);
		}
		assert.equal((await analyst.request('PUT', '/api/v1/settings/resolution', { body: { auto_merge_by_identifier: true } })).status, 403);
		const bad = await analyst.get('/api/v1/duplicates?status=maybe&limit=0&colour=red');
		assert.equal(bad.status, 422);
		assert.deepEqual(bad.json.error.fields.map((f) => f.field).sort(), ['colour', 'limit']);
		const bad2 = await analyst.get('/api/v1/duplicates?status=maybe');
		assert.equal(bad2.status, 422);
		assert.equal(bad2.json.error.fields[0].field, 'status');
	});

	test('a pair sharing a phone and a cross-script pair with the same birth year are proposed at once, side by side', async () => {
		const km = await party(forester, { names: [{ name: 'ស៊ុន ចាន់ថា' }], birth_year: 1980, sex: 'male', nationalities: ['KH'] });
		const la = await party(officer, { names: ['Soun Chanthar'], birth_year: 1980 });
		const x = await party(officer, { names: ['Pen Sovann'] });
		const y = await party(forester, { names: ['Lim Heng'] });
		await phone(officer, x.id, '012 777 666');
		await phone(forester, y.id, '+855 12 777 666');
		// contradicted: same name, birth years far apart
		const old = await party(officer, { names: ['Sun Chantha'], birth_year: 1950 });

		const q = await queue(analyst);
		const names = pairOf(q, km.id, la.id);
		assert.ok(names, JSON.stringify(q.items.map((i) => i.reason)));
		assert.match(names.reason, /sun chantha/);
		assert.match(names.reason, /same birth year 1980/);
		assert.equal(names.status, 'open');
		const [a, b] = names.parties;
		assert.equal(a.id, km.id);
		assert.equal(a.names[0].script, 'Khmr');
		assert.equal(a.birth_year, 1980);
		assert.equal(a.agency.id, forestry);
		assert.equal(a.sex, 'male');
		assert.equal(b.names[0].romanised, 'soun chanthar');
		assert.deepEqual(b.identifiers, []);
		assert.equal(b.seizures, 0);

		const ph = pairOf(q, x.id, y.id);
		assert.ok(ph);
		assert.match(ph.reason, /same phone \+855 12 777 666/);
		assert.equal(ph.parties[0].identifiers[0].kind, 'phone');
		assert.ok(!pairOf(q, old.id, km.id) && !pairOf(q, old.id, la.id), 'birth years 30 apart are not proposed');
		for (let i = 1; i < q.items.length; i++) assert.ok(q.items[i - 1].score >= q.items[i].score);
		assert.equal(q.pending, 0);
		assert.equal(q.total, q.items.length);

		// pages of one
		const p1 = await queue(analyst, '?limit=1');
		assert.equal(p1.items.length, 1);
		assert.ok(p1.next);
		const p2 = await queue(analyst, `?limit=1&cursor=${encodeURIComponent(p1.next)}`);
		assert.notEqual(p2.items[0].id, p1.items[0].id);
	});

	test('a pair with one party the user may not see is not listed, and cannot be acted on', async () => {
		const mine = await party(officer, { names: ['Touch Sarin'] });
		const hidden = await party(forester, { names: ['Touch Sarin'], sharing: 'agency' });
		await phone(officer, mine.id, '+855 96 123 4567');
		await phone(forester, hidden.id, '096 123 4567');
		const q = await queue(analyst);
		assert.ok(!pairOf(q, mine.id, hidden.id));
		const qa = await queue(admin);
		const it = pairOf(qa, mine.id, hidden.id);
		assert.ok(it);
		assert.equal((await analyst.post(`/api/v1/duplicates/${it.id}/not-same`, { reason: 'x' })).status, 404);
		assert.equal((await analyst.post(`/api/v1/duplicates/${it.id}/merge`, { survivor: mine.id, reason: 'x' })).status, 404);
	});

	test('merge moves names, identifiers and seizures to the survivor; undo restores both pages exactly', async () => {
		const s = await party(officer, { names: ['Chhun Rithy', 'ឈុន រិទ្ធី'], birth_year: 1975, nationalities: ['KH'] });
		const m = await party(officer, { names: ['Chhoun Rithy', 'Chhun Rithy', 'Rith'], birth_year: 1975 });
		await phone(officer, s.id, '+855 11 222 333');
		await phone(officer, m.id, '011 222 333');
		await phone(officer, m.id, 'rithy@example.com', 'email');
		const sz = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'DUP-1' }));
		assert.equal(sz.status, 201, sz.text);
		const link = await officer.post(`/api/v1/seizures/${sz.json.id}/parties`, { party_id: m.id, role: 'driver' });
		assert.ok(link.status === 201, link.text);
		const beforeS = await page(s.id);
		const beforeM = await page(m.id);

		const q = await queue(analyst);
		const it = pairOf(q, s.id, m.id);
		assert.ok(it);
		assert.match(it.reason, /same phone/);
		assert.equal(it.parties[1].seizures, 1);

		const noReason = await analyst.post(`/api/v1/duplicates/${it.id}/merge`, { survivor: s.id });
		assert.equal(noReason.status, 422);
		assert.equal(noReason.json.error.fields[0].field, 'reason');
		const wrong = await analyst.post(`/api/v1/duplicates/${it.id}/merge`, { survivor: 1, reason: 'x' });
		assert.equal(wrong.status, 422);
		assert.equal(wrong.json.error.fields[0].field, 'survivor');

		const r = await analyst.post(`/api/v1/duplicates/${it.id}/merge`, { survivor: s.id, reason: 'same phone, same man' });
		assert.equal(r.status, 201, r.text);
		const merge = r.json;
		assert.equal(merge.survivor.id, s.id);
		assert.equal(merge.merged.id, m.id);
		assert.equal(merge.user, 'd_analyst');
		assert.equal(merge.automatic, false);
		assert.equal(merge.reason, 'same phone, same man');
		assert.equal(merge.undone, null);
		const moved = merge.rows.filter((x) => x.action === 'moved').map((x) => x.table).sort();
		assert.deepEqual(moved, ['identifier', 'name', 'name', 'seizure']);
		const dropped = merge.rows.filter((x) => x.action === 'dropped').map((x) => x.table).sort();
		assert.deepEqual(dropped, ['identifier', 'name']);

		const ps = (await analyst.get(`/api/v1/parties/${s.id}`)).json;
		assert.deepEqual(ps.names.map((n) => n.name), ['Chhun Rithy', 'ឈុន រិទ្ធី', 'Chhoun Rithy', 'Rith']);
		assert.equal(ps.identifiers.length, 2);
		assert.equal(ps.seizures.length, 1);
		assert.equal(ps.seizures[0].role, 'driver');
		const pm = (await analyst.get(`/api/v1/parties/${m.id}`)).json;
		assert.equal(pm.merged_into, s.id);
		const list = (await analyst.get('/api/v1/parties?q=chhoun')).json;
		assert.deepEqual(list.items.map((p) => p.id), [s.id], 'the merged party left the list; the survivor has its name');
		const sp = (await analyst.get(`/api/v1/seizures/${sz.json.id}/parties`)).json;
		assert.deepEqual(sp.items.map((x) => x.party.id), [s.id]);

		const merges = (await viewer.get(`/api/v1/parties/${m.id}/merges`)).json.items;
		assert.equal(merges.length, 1);
		assert.equal(merges[0].id, merge.id);
		const merged = await queue(analyst, '?status=merged');
		assert.ok(pairOf(merged, s.id, m.id).merge_id === merge.id);
		assert.equal((await analyst.post(`/api/v1/duplicates/${it.id}/merge`, { survivor: s.id, reason: 'again' })).status, 409);

		// the search box follows: the merged party is gone, the survivor found by its name
		const search = await analyst.get('/api/v1/search?q=Chhoun%20Rithy&kinds=parties');
		assert.equal(search.status, 200, search.text);
		const ids = search.json.items.map((x) => x.id);
		assert.ok(!ids.includes(m.id), 'merged party not found');
		assert.ok(ids.includes(s.id), 'survivor found by the merged name');

		const noWhy = await analyst.post(`/api/v1/merges/${merge.id}/undo`, {});
		assert.equal(noWhy.status, 422);
		const u = await analyst.post(`/api/v1/merges/${merge.id}/undo`, { reason: 'not the same after all' });
		assert.equal(u.status, 200, u.text);
		assert.equal(u.json.undone.user, 'd_analyst');
		assert.equal(u.json.undone.reason, 'not the same after all');
		assert.deepEqual(await page(s.id), beforeS);
		assert.deepEqual(await page(m.id), beforeM);
		assert.equal((await analyst.post(`/api/v1/merges/${merge.id}/undo`, { reason: 'again' })).status, 409);
		// the pair is open again
		const again = pairOf(await queue(analyst), s.id, m.id);
		assert.ok(again);
		assert.match(again.note, /undone: not the same after all/);
	});

	test('undo is refused (409) when the survivor was merged later; it works once that is undone', async () => {
		const a = await party(officer, { names: ['Meas Kosal'] });
		const b = await party(officer, { names: ['Meas Kosal'] });
		const c = await party(officer, { names: ['Meas Kosal'] });
		const m1 = await analyst.post(`/api/v1/parties/${a.id}/merge`, { other: b.id, reason: 'one' });
		assert.equal(m1.status, 201, m1.text);
		const m2 = await analyst.post(`/api/v1/parties/${c.id}/merge`, { other: a.id, reason: 'two' });
		assert.equal(m2.status, 201, m2.text);
		const refused = await analyst.post(`/api/v1/merges/${m1.json.id}/undo`, { reason: 'no' });
		assert.equal(refused.status, 409);
		assert.match(refused.json.error.message, /undo that merge first/);
		assert.equal((await analyst.post(`/api/v1/merges/${m2.json.id}/undo`, { reason: 'no' })).status, 200);
		assert.equal((await analyst.post(`/api/v1/merges/${m1.json.id}/undo`, { reason: 'no' })).status, 200);
		const self = await analyst.post(`/api/v1/parties/${a.id}/merge`, { other: a.id, reason: 'x' });
		assert.equal(self.status, 422);
		assert.equal(self.json.error.fields[0].field, 'other');
		const forest = await party(forester, { names: ['Meas Kosal'] });
		const foreign = await analyst.post(`/api/v1/parties/${a.id}/merge`, { other: forest.id, reason: 'x' });
		assert.equal(foreign.status, 403, 'the analyst may not change the forestry party');
	});

	test('not the same: kept out of the queue until new evidence appears', async () => {
		const x = await party(officer, { names: ['Heng Sokha'], birth_year: 1988, nationalities: ['KH'] });
		const y = await party(officer, { names: ['Heng Sokhar'], birth_year: 1988, nationalities: ['KH'] });
		const it = pairOf(await queue(analyst), x.id, y.id);
		assert.ok(it);
		const r = await analyst.post(`/api/v1/duplicates/${it.id}/not-same`, { reason: 'cousins' });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.status, 'not_same');
		assert.equal(r.json.note, 'cousins');
		assert.equal(r.json.decided_by, 'd_analyst');
		assert.ok(!pairOf(await queue(analyst), x.id, y.id));
		// an edit without new evidence
		const p = (await officer.get(`/api/v1/parties/${x.id}`)).json;
		assert.equal((await officer.patch(`/api/v1/parties/${x.id}`, { version: p.version, notes: 'tall' })).status, 200);
		assert.ok(!pairOf(await queue(analyst), x.id, y.id));
		assert.ok(pairOf(await queue(analyst, '?status=not_same'), x.id, y.id));
		// new evidence: a shared phone
		await phone(officer, x.id, '+855 89 404 404');
		await phone(officer, y.id, '089 404 404');
		const back = pairOf(await queue(analyst), x.id, y.id);
		assert.ok(back);
		assert.match(back.reason, /same phone/);
		assert.equal(back.note, 'cousins');
	});

	test('automatic merge: off by default; on, a shared passport merges (user system, undoable), a phone never does', async () => {
		const s0 = await analyst.get('/api/v1/settings/resolution');
		assert.equal(s0.status, 200);
		assert.deepEqual(s0.json, { auto_merge_by_identifier: false, proving_kinds: ['passport', 'id_card'], provable_kinds: ['passport', 'id_card'] });
		const a = await party(officer, { names: ['Tran Van Minh'] });
		const b = await party(officer, { names: ['Trần Văn Minh'] });
		await phone(officer, a.id, 'B7654321', 'passport', { country: 'VN' });
		await phone(officer, b.id, 'b 765 4321', 'passport', { country: 'VN' });
		assert.equal((await analyst.get(`/api/v1/parties/${b.id}`)).json.merged_into, null);
		assert.ok(pairOf(await queue(analyst), a.id, b.id));

		const bad = await admin.request('PUT', '/api/v1/settings/resolution', { body: { auto_merge_by_identifier: true, proving_kinds: ['passport', 'phone'] } });
		assert.equal(bad.status, 422);
		assert.equal(bad.json.error.fields[0].field, 'proving_kinds[1]');
		const on = await admin.request('PUT', '/api/v1/settings/resolution', { body: { auto_merge_by_identifier: true } });
		assert.equal(on.status, 200, on.text);
		assert.equal(on.json.auto_merge_by_identifier, true);
		assert.deepEqual(on.json.proving_kinds, ['passport', 'id_card']);

		const c = await party(officer, { names: ['Zhang Lei'] });
		const d = await party(officer, { names: ['张磊'] });
		await phone(officer, c.id, 'G11223344', 'passport', { country: 'CN' });
		await phone(officer, d.id, 'G11223344', 'passport', { country: 'CN' });
		const e = await party(officer, { names: ['Ly Sokun'] });
		const f = await party(officer, { names: ['Ly Sokun'] });
		await phone(officer, e.id, '+855 10 999 000');
		await phone(officer, f.id, '010 999 000');
		const pd = (await analyst.get(`/api/v1/parties/${d.id}`)).json;
		assert.equal(pd.merged_into, c.id, 'merged as soon as the passport was linked');
		assert.equal((await analyst.get(`/api/v1/parties/${f.id}`)).json.merged_into, null, 'a phone proves nothing');
		const ms = (await analyst.get(`/api/v1/parties/${c.id}/merges`)).json.items;
		assert.equal(ms.length, 1);
		assert.equal(ms[0].user, 'system');
		assert.equal(ms[0].automatic, true);
		assert.match(ms[0].reason, /^automatic: same passport/);
		const u = await analyst.post(`/api/v1/merges/${ms[0].id}/undo`, { reason: 'father and son' });
		assert.equal(u.status, 200, u.text);
		assert.equal((await analyst.get(`/api/v1/parties/${d.id}`)).json.merged_into, null, 'not merged again automatically');
		const off = await admin.request('PUT', '/api/v1/settings/resolution', { body: { auto_merge_by_identifier: false } });
		assert.equal(off.status, 200);
	});
});
