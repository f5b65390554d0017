// API tests of the party register against a real server on a fresh
// database: persons and organisations with names in several scripts,
// identifiers (one row per canonical key), links to seizures and between
// parties, the party page, versions, validation and the access rules.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, startServer } from '../e2e/server.mjs';
import { Client, pangolinSeizure } from './client.mjs';

let server;
let admin, officer, viewer, forester;
let customs, forestry;
const PW = 'Colleague-pass-1';

async function addUser(username, role, agency_id) {
	const r = await admin.post('/api/v1/users', { username, password: PW, role, agency_id, display_name: username });
	assert.equal(r.status, 201, r.text);
	const c = new Client(server.url);
	assert.equal((await c.signIn(username, PW)).status, 200);
	return c;
}

const fields = (r) => Object.fromEntries((r.json?.error?.fields || []).map((f) => [f.field, f.message]));

function chantha(extra = {}) {
	return {
		kind: 'person',
		names: [
			{ name: 'ស៊ុន ចាន់ថា', kind: 'full' },
			{ name: 'SUN Chantha', script: 'Latn', kind: 'full' },
			{ name: 'Tha', kind: 'nickname' },
		],
		sex: 'male',
		birth_year: 1978,
		nationalities: ['KH'],
		notes: 'trader, Koh Kong',
		...extra,
	};
}

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	let a = await admin.post('/api/v1/agencies', { name: 'Customs Party Test', country: 'KH', kind: 'customs' });
	assert.equal(a.status, 201, a.text);
	customs = a.json.id;
	a = await admin.post('/api/v1/agencies', { name: 'Forestry Party Test', country: 'KH', kind: 'forestry' });
	assert.equal(a.status, 201, a.text);
	forestry = a.json.id;
	officer = await addUser('p_officer', 'officer', customs);
	viewer = await addUser('p_viewer', 'viewer', customs);
	forester = await addUser('p_forester', 'officer', forestry);
});

after(async () => { await server?.stop(); });

describe('parties', () => {
	test('a person with Khmer and Latin names: scripts filled, romanised, main name', async () => {
		const r = await officer.post('/api/v1/parties', chantha());
		assert.equal(r.status, 201, r.text);
		const p = r.json;
		assert.match(r.headers.get('location'), new RegExp(`/api/v1/parties/${p.id}$`));
		assert.equal(p.kind, 'person');
		assert.equal(p.version, 1);
		assert.equal(p.agency.id, customs);
		assert.equal(p.sharing, 'national');
		assert.equal(p.name, 'ស៊ុន ចាន់ថា');
		assert.equal(p.names.length, 3);
		assert.equal(p.names[0].script, 'Khmr');
		assert.equal(p.names[1].script, 'Latn');
		assert.equal(p.names[2].kind, 'nickname');
		assert.equal(p.names[0].romanised, 'sun chantha');
		assert.equal(p.names[1].romanised, 'sun chantha');
		assert.deepEqual(p.nationalities, ['KH']);
		assert.equal(p.birth_year, 1978);
		assert.deepEqual(p.identifiers, []);
		assert.deepEqual(p.timeline, []);

		const list = await viewer.get('/api/v1/parties?q=chantha');
		assert.equal(list.status, 200);
		assert.ok(list.json.items.some((x) => x.id === p.id), list.text);
		const km = await viewer.get(`/api/v1/parties?q=${encodeURIComponent('ចាន់ថា')}`);
		assert.ok(km.json.items.some((x) => x.id === p.id), 'found by a Khmer substring');
		const upper = await viewer.get('/api/v1/parties?q=SUN%20CHAN&kind=person');
		assert.ok(upper.json.items.some((x) => x.id === p.id), 'case-insensitive, all words');
		const orgs = await viewer.get('/api/v1/parties?q=chantha&kind=organisation');
		assert.equal(orgs.json.total, 0);
	});

	test('a phone typed two ways is one identifier; the page lists it with its link', async () => {
		const p = (await officer.post('/api/v1/parties', chantha())).json;
		const a = await officer.post(`/api/v1/parties/${p.id}/identifiers`, { kind: 'phone', value: '012 345 678', role: 'uses', source: 'police statement', date: '2025-03-14' });
		assert.equal(a.status, 201, a.text);
		assert.equal(a.json.created, true);
		assert.equal(a.json.identifier.key, '+85512345678');
		const b = await officer.post(`/api/v1/parties/${p.id}/identifiers`, { kind: 'phone', value: '+855 12 345 678', role: 'owns', source: 'customs declaration' });
		assert.equal(b.status, 201, b.text);
		assert.equal(b.json.identifier.id, a.json.identifier.id, 'the same identifier row');
		const again = await officer.post(`/api/v1/parties/${p.id}/identifiers`, { kind: 'phone', value: '0085512345678', role: 'uses' });
		assert.equal(again.status, 200, 'the same link again changes nothing');
		assert.equal(again.json.created, false);

		const other = (await officer.post('/api/v1/parties', chantha({ names: [{ name: 'Soun Chanthar' }] }))).json;
		const c = await officer.post(`/api/v1/parties/${other.id}/identifiers`, { kind: 'phone', value: '+85512345678' });
		assert.equal(c.json.identifier.id, a.json.identifier.id);

		const page = (await officer.get(`/api/v1/parties/${p.id}`)).json;
		assert.equal(page.identifiers.length, 2);
		assert.deepEqual(page.identifiers.map((x) => x.role).sort(), ['owns', 'uses']);
		const uses = page.identifiers.find((x) => x.role === 'uses');
		assert.equal(uses.source, 'police statement');
		assert.equal(uses.date, '2025-03-14');
		assert.equal(uses.identifier.kind, 'phone');
		assert.equal(uses.identifier.value, '012 345 678');

		const ident = await viewer.get(`/api/v1/identifiers/${a.json.identifier.id}`);
		assert.equal(ident.status, 200, ident.text);
		assert.equal(ident.json.key, '+85512345678');
		assert.deepEqual([...new Set(ident.json.parties.map((x) => x.party.id))].sort(), [p.id, other.id].sort());

		const del = await officer.delete(`/api/v1/parties/${p.id}/identifiers?identifier_id=${a.json.identifier.id}&role=owns`);
		assert.equal(del.status, 204);
		assert.equal((await officer.get(`/api/v1/parties/${p.id}`)).json.identifiers.length, 1);
		const gone = await officer.delete(`/api/v1/parties/${p.id}/identifiers?identifier_id=${a.json.identifier.id}&role=owns`);
		assert.equal(gone.status, 404);
	});

	test('new party with identifiers in one go; a bad container number is a 422 naming the field, nothing written', async () => {
		const before = (await admin.get('/api/v1/parties')).json.total;
		const bad = await officer.post('/api/v1/parties', {
			kind: 'organisation', names: [{ name: 'Mekong Star Logistics Co., Ltd.' }], org_kind: 'logistics', country: 'KH',
			identifiers: [
				{ kind: 'phone', value: '+855 23 999 888', role: 'registered_to' },
				{ kind: 'container', value: 'MSCU1234565', role: 'owns' },
				{ kind: 'fax', value: '1' },
			],
		});
		assert.equal(bad.status, 422, bad.text);
		const f = fields(bad);
		assert.match(f['identifiers[1].value'], /check digit/, bad.text);
		assert.ok(f['identifiers[2].kind'], bad.text);
		assert.equal((await admin.get('/api/v1/parties')).json.total, before);

		const ok = await officer.post('/api/v1/parties', {
			kind: 'organisation', names: [{ name: 'Mekong Star Logistics Co., Ltd.' }, { name: '湄公星物流', kind: 'alias' }],
			org_kind: 'logistics', country: 'Cambodia', registrations: [{ country: 'KH', number: '00012345' }],
			identifiers: [{ kind: 'container', value: 'mscu 123456 6', role: 'owns', source: 'bill of lading' }],
		});
		assert.equal(ok.status, 201, ok.text);
		assert.equal(ok.json.country, 'KH');
		assert.equal(ok.json.names[1].script, 'Hani');
		assert.equal(ok.json.registrations[0].number, '00012345');
		assert.equal(ok.json.identifiers[0].identifier.key, 'MSCU1234566');
		assert.equal(ok.json.identifiers[0].role, 'owns');

		const single = await officer.post(`/api/v1/parties/${ok.json.id}/identifiers`, { kind: 'container', value: 'MSCU1234565' });
		assert.equal(single.status, 422);
		assert.match(fields(single).value, /check digit/);
	});

	test('validation names every field', async () => {
		const r = await officer.post('/api/v1/parties', {
			kind: 'person', names: [{ name: '' }, { name: 'Wang Wei', kind: 'boss', script: 'Latin!' }],
			sex: 'x', birth_date: '1978-02-30', nationalities: ['KH', 'Narnia'], org_kind: 'shop', colour: 'red',
		});
		assert.equal(r.status, 422, r.text);
		const f = fields(r);
		for (const k of ['names[0].name', 'names[1].kind', 'names[1].script', 'sex', 'birth_date', 'nationalities[1]', 'org_kind', 'colour'])
			assert.ok(f[k], `expected an error on ${k}: ${r.text}`);
		const none = await officer.post('/api/v1/parties', { kind: 'person', names: [] });
		assert.ok(fields(none).names);
		const kind = await officer.post('/api/v1/parties', { kind: 'robot', names: ['X'] });
		assert.match(fields(kind).kind, /person/);
	});

	test('update with the version read; a stale version is 409; delete is for admins', async () => {
		const p = (await officer.post('/api/v1/parties', chantha())).json;
		const u = await officer.patch(`/api/v1/parties/${p.id}`, { version: 1, notes: 'moved to Phnom Penh', names: [{ name: 'SUN Chantha' }] });
		assert.equal(u.status, 200, u.text);
		assert.equal(u.json.version, 2);
		assert.equal(u.json.notes, 'moved to Phnom Penh');
		assert.equal(u.json.names.length, 1);
		assert.equal(u.json.birth_year, 1978, 'fields not sent are kept');
		const stale = await officer.patch(`/api/v1/parties/${p.id}`, { version: 1, notes: 'overwrite' });
		assert.equal(stale.status, 409);
		assert.equal(stale.json.error.code, 'conflict');
		const noVersion = await officer.patch(`/api/v1/parties/${p.id}`, { notes: 'x' });
		assert.equal(noVersion.status, 422);
		assert.equal((await viewer.patch(`/api/v1/parties/${p.id}`, { version: 2, notes: 'x' })).status, 403);
		assert.equal((await officer.delete(`/api/v1/parties/${p.id}?version=2`)).status, 403);
		assert.equal((await admin.delete(`/api/v1/parties/${p.id}?version=1`)).status, 409);
		assert.equal((await admin.delete(`/api/v1/parties/${p.id}?version=2`)).status, 204);
		assert.equal((await admin.get(`/api/v1/parties/${p.id}`)).status, 404);
	});
});

describe('links', () => {
	test('a party linked to a seizure: role, seizure summary, timeline; the seizure lists it', async () => {
		const s = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'PARTY-S1' }));
		assert.equal(s.status, 201, s.text);
		const p = (await officer.post('/api/v1/parties', chantha())).json;
		await officer.post(`/api/v1/parties/${p.id}/identifiers`, { kind: 'phone', value: '+66 81 234 5678', date: '2024-11-02', source: 'phone seized' });
		const l = await officer.post(`/api/v1/seizures/${s.json.id}/parties`, { party_id: p.id, role: 'consignee', source: 'customs declaration' });
		assert.equal(l.status, 201, l.text);
		assert.equal(l.json.items.length, 1);
		assert.equal(l.json.items[0].role, 'consignee');
		assert.equal(l.json.items[0].party.id, p.id);
		const dup = await officer.post(`/api/v1/seizures/${s.json.id}/parties`, { party_id: p.id, role: 'consignee' });
		assert.equal(dup.status, 200);
		const badRole = await officer.post(`/api/v1/seizures/${s.json.id}/parties`, { party_id: p.id, role: 'mastermind' });
		assert.equal(badRole.status, 422);
		assert.match(fields(badRole).role, /suspect/);

		// an inline new party: the driver
		const d = await officer.post(`/api/v1/seizures/${s.json.id}/parties`, { party: { kind: 'person', names: ['Wang Wei', '王伟'] }, role: 'driver', date: '2025-03-14' });
		assert.equal(d.status, 201, d.text);
		assert.equal(d.json.items.length, 2);
		const driver = d.json.items.find((x) => x.role === 'driver').party;
		const badInline = await officer.post(`/api/v1/seizures/${s.json.id}/parties`, { party: { kind: 'person', names: [] }, role: 'driver' });
		assert.equal(badInline.status, 422);
		assert.ok(fields(badInline)['party.names'], badInline.text);

		const plate = await officer.post(`/api/v1/seizures/${s.json.id}/identifiers`, { kind: 'plate', value: '2A-1234', country: 'KH', source: 'truck at the port' });
		assert.equal(plate.status, 201, plate.text);
		const sp = (await viewer.get(`/api/v1/seizures/${s.json.id}/parties`)).json;
		assert.equal(sp.identifiers.length, 1);
		assert.equal(sp.identifiers[0].role, 'seen_in');

		const rel = await officer.post(`/api/v1/parties/${driver.id}/relations`, { party_id: p.id, kind: 'employee_of', source: 'driver statement', date: '2025-03-15', seizure_id: s.json.id });
		assert.equal(rel.status, 201, rel.text);
		assert.equal(rel.json.relations[0].direction, 'out');
		assert.equal((await officer.post(`/api/v1/parties/${p.id}/relations`, { party_id: p.id, kind: 'family' })).status, 422);

		const page = (await viewer.get(`/api/v1/parties/${p.id}`)).json;
		assert.equal(page.seizures.length, 1);
		const link = page.seizures[0];
		assert.equal(link.role, 'consignee');
		assert.equal(link.source, 'customs declaration');
		assert.equal(link.seizure.ref, 'PARTY-S1');
		assert.equal(link.seizure.date, '2025-03-14');
		assert.equal(link.seizure.country, 'KH');
		assert.match(link.seizure.species, /Manis javanica \(SCA 1200.5 KIL\)/);
		assert.equal(page.relations.length, 1);
		assert.equal(page.relations[0].direction, 'in');
		assert.equal(page.relations[0].kind, 'employee_of');
		assert.equal(page.relations[0].party.id, driver.id);
		assert.equal(page.relations[0].party.name, 'Wang Wei');
		assert.deepEqual(page.timeline.map((e) => `${e.date} ${e.type}`), ['2025-03-15 relation', '2025-03-14 seizure', '2024-11-02 identifier']);

		const ident = (await viewer.get(`/api/v1/identifiers/${plate.json.identifier.id}`)).json;
		assert.equal(ident.seizures[0].seizure.id, s.json.id);

		assert.equal((await officer.delete(`/api/v1/parties/${p.id}/seizures?seizure_id=${s.json.id}`)).status, 204);
		assert.equal((await viewer.get(`/api/v1/parties/${p.id}`)).json.seizures.length, 0);
		assert.equal((await officer.delete(`/api/v1/parties/${driver.id}/relations?party_id=${p.id}`)).status, 204);
		assert.equal((await viewer.get(`/api/v1/parties/${p.id}`)).json.relations.length, 0);
	});
});

describe('access', () => {
	test('an agency-only party is invisible to another agency, in lists and links too', async () => {
		const p = await officer.post('/api/v1/parties', chantha({ sharing: 'agency', names: [{ name: 'Informant Zebra' }] }));
		assert.equal(p.status, 201, p.text);
		const id = p.json.id;
		const ph = await officer.post(`/api/v1/parties/${id}/identifiers`, { kind: 'phone', value: '+855 97 111 2233' });
		assert.equal(ph.status, 201, ph.text);
		assert.equal((await forester.get(`/api/v1/parties/${id}`)).status, 404);
		assert.equal((await forester.get('/api/v1/parties?q=zebra')).json.total, 0);
		assert.equal((await viewer.get('/api/v1/parties?q=zebra')).json.total, 1, 'same agency sees it');
		assert.equal((await admin.get(`/api/v1/parties/${id}`)).status, 200);
		assert.equal((await forester.patch(`/api/v1/parties/${id}`, { version: 1, notes: 'x' })).status, 404);
		assert.equal((await forester.get(`/api/v1/identifiers/${ph.json.identifier.id}`)).status, 404, 'its only identifier is hidden too');
		assert.equal((await forester.post(`/api/v1/parties/${id}/identifiers`, { kind: 'email', value: 'a@b.kh' })).status, 404);

		// a nationally shared party of customs: the forester sees it, may not change it,
		// but may link it to a seizure of their own agency
		const shared = (await officer.post('/api/v1/parties', chantha())).json;
		assert.equal((await forester.get(`/api/v1/parties/${shared.id}`)).status, 200);
		assert.equal((await forester.patch(`/api/v1/parties/${shared.id}`, { version: 1, notes: 'x' })).status, 403);
		const fs = await forester.post('/api/v1/seizures', pangolinSeizure({ ref: 'FA-1', sharing: 'agency' }));
		assert.equal(fs.status, 201, fs.text);
		const l = await forester.post(`/api/v1/seizures/${fs.json.id}/parties`, { party_id: shared.id, role: 'seller' });
		assert.equal(l.status, 201, l.text);
		// customs does not see forestry's agency-only seizure on the party page
		assert.equal((await officer.get(`/api/v1/parties/${shared.id}`)).json.seizures.length, 0);
		assert.equal((await forester.get(`/api/v1/parties/${shared.id}`)).json.seizures.length, 1);
		// nor may it link anything to it
		assert.equal((await officer.post(`/api/v1/seizures/${fs.json.id}/parties`, { party_id: shared.id, role: 'buyer' })).status, 404);
		assert.equal((await viewer.post('/api/v1/parties', chantha())).status, 403);
	});

	test('lists page with a cursor, newest first', async () => {
		for (let i = 0; i < 7; i++)
			assert.equal((await officer.post('/api/v1/parties', { kind: 'organisation', names: [`Paging Shop ${i}`], org_kind: 'shop' })).status, 201);
		const seen = [];
		let cursor = null;
		do {
			const r = await viewer.get(`/api/v1/parties?q=paging&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
			assert.equal(r.status, 200, r.text);
			assert.equal(r.json.total, 7);
			seen.push(...r.json.items.map((x) => x.id));
			cursor = r.json.next;
		} while (cursor);
		assert.equal(seen.length, 7);
		assert.deepEqual(seen, [...seen].sort((a, b) => b - a));
		const bad = await viewer.get('/api/v1/parties?limit=0&colour=red&cursor=zz');
		assert.equal(bad.status, 422);
		assert.deepEqual(Object.keys(fields(bad)).sort(), ['colour', 'cursor', 'limit']);
	});
	test('an identifier given with a new party keeps the seizure it came from; a seizure the user cannot see is refused', async () => {
		const s = await officer.post('/api/v1/seizures', pangolinSeizure({ ref: 'P-ORIGIN-1' }));
		assert.equal(s.status, 201, s.text);
		const p = await officer.post('/api/v1/parties', chantha({ names: [{ name: 'Keo Sophal' }],
			identifiers: [{ kind: 'phone', value: '+855 97 555 0101', role: 'uses', source: 'phone seized', seizure_id: s.json.id }] }));
		assert.equal(p.status, 201, p.text);
		assert.equal(p.json.identifiers[0].seizure_id, s.json.id);

		const hidden = await forester.post('/api/v1/seizures', pangolinSeizure({ ref: 'FA-ORIGIN', sharing: 'agency' }));
		assert.equal(hidden.status, 201, hidden.text);
		const before = (await officer.get('/api/v1/parties?q=Sophea%20Hidden')).json.total;
		const bad = await officer.post('/api/v1/parties', chantha({ names: [{ name: 'Sophea Hidden' }],
			identifiers: [{ kind: 'phone', value: '+855 97 555 0102', seizure_id: hidden.json.id }] }));
		assert.equal(bad.status, 422, bad.text);
		assert.match(fields(bad)['identifiers[0].seizure_id'], /not found/);
		assert.equal((await officer.get('/api/v1/parties?q=Sophea%20Hidden')).json.total, before);
	});
});
