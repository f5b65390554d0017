// API tests of the offender and identifier columns of POST /api/v1/imports:
// the answer's parties/identifiers counts and its row/column errors, then
// the parties, their identifiers and the seizure's parties as the party API
// shows them; an idempotent re-import; the access rule for another agency.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, startServer } from '../e2e/server.mjs';
import { Client } from './client.mjs';

let server;
let admin, analyst, forester;
const PW = 'Colleague-pass-1';

const HEADER = [
	'seizure_ref', 'date', 'country', 'place', 'species', 'term', 'quantity', 'unit', 'sharing',
	'Offender 1 name', 'Offender 1 name (Khmer)', 'Offender 1 sex', 'Offender 1 birth year',
	'Offender 1 nationality', 'Offender 1 phone', 'Offender 1 passport',
	'Offender 2 name', 'Offender 2 role', 'Offender 2 phone',
	'Container', 'Vehicle plate', 'Consignee',
];
const cell = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const row = (o) => HEADER.map((c) => cell(o[c] ?? '')).join(',');
const csv = (rows) => [HEADER.map(cell).join(','), ...rows].join('\r\n') + '\r\n';

const base = { date: '2024-05-02', country: 'KH', place: 'Sihanoukville', species: 'Manis javanica', term: 'SCA', quantity: '120', unit: 'KIL' };
const good = [
	row({
		...base, seizure_ref: 'OFF-1', 'Offender 1 name': 'SUN Chantha', 'Offender 1 name (Khmer)': 'ស៊ុន ចាន់ថា',
		'Offender 1 sex': 'male', 'Offender 1 birth year': '1978', 'Offender 1 nationality': 'KH',
		'Offender 1 phone': '012 345 678', 'Offender 1 passport': 'N1234567',
		'Offender 2 name': 'Nguyen Van An', 'Offender 2 role': 'driver', 'Offender 2 phone': '+84 912 345 678',
		Container: 'MSCU1234566', 'Vehicle plate': '2A-1234', Consignee: 'Golden Dragon Trading',
	}),
	row({ ...base, seizure_ref: 'OFF-1', term: 'BON', quantity: '4', unit: '' }),
	// the same person, the phone typed another way: one party, one phone
	row({ ...base, seizure_ref: 'OFF-2', date: '2024-06-10', 'Offender 1 name': 'Sun Chantha', 'Offender 1 phone': '+855 12 345 678' }),
];

async function upload(c, body, params) {
	return c.post(`/api/v1/imports?${params}`, body, { raw: true, headers: { 'Content-Type': 'text/csv' } });
}

async function seizureId(c, ref) {
	const r = await c.get(`/api/v1/seizures?q=${encodeURIComponent(ref)}`);
	const s = r.json.items.find((x) => x.ref === ref);
	assert.ok(s, `seizure ${ref} listed`);
	return s.id;
}

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	const me = (await admin.get('/api/v1/session')).json.user;
	const f = await admin.post('/api/v1/agencies', { name: 'Forestry Administration', country: 'KH', kind: 'forestry' });
	assert.equal(f.status, 201, f.text);
	for (const [username, role, agency_id] of [['analyst1', 'analyst', me.agency.id], ['forester1', 'officer', f.json.id]])
		assert.equal((await admin.post('/api/v1/users', { username, password: PW, role, agency_id, display_name: username })).status, 201);
	analyst = new Client(server.url);
	assert.equal((await analyst.signIn('analyst1', PW)).status, 200);
	forester = new Client(server.url);
	assert.equal((await forester.signIn('forester1', PW)).status, 200);
});
after(async () => { await server?.stop(); });

describe('import with offenders and identifiers', () => {
	test('a bad container and a bad phone: row and column errors, nothing written', async () => {
		const bad = row({ ...base, seizure_ref: 'OFF-3', 'Offender 1 name': 'Keo Mony', 'Offender 1 phone': '12', Container: 'MSCU1234565' });
		for (const dry of ['1', '0']) {
			const r = await upload(analyst, csv([...good, bad]), `dry_run=${dry}&filename=people.csv`);
			assert.equal(r.status, 200, r.text);
			assert.equal(r.json.committed, false);
			const errs = Object.fromEntries(r.json.errors.map((e) => [`${e.row}:${e.field}`, e.message]));
			assert.equal(errs['5:container'], 'container number MSCU1234565: check digit is 6, not 5 (ISO 6346)', r.text);
			assert.ok(errs['5:offender_1_phone'], r.text);
			assert.equal(r.json.errors.length, 2, r.text);
		}
		assert.equal((await analyst.get('/api/v1/parties')).json.total, 0);
		assert.equal((await analyst.get('/api/v1/seizures')).json.total, 0);
	});

	test('the dry run counts, the import writes parties, identifiers and links', async () => {
		const dry = await upload(analyst, csv(good), 'dry_run=1&filename=people.csv');
		assert.equal(dry.status, 200, dry.text);
		assert.deepEqual(dry.json.parties, { created: 3, reused: 0 });
		assert.deepEqual(dry.json.identifiers, { created: 5, reused: 0 });
		assert.equal((await analyst.get('/api/v1/parties')).json.total, 0, 'dry run wrote nothing');

		const r = await upload(analyst, csv(good), 'dry_run=0&filename=people.csv');
		assert.equal(r.json.committed, true, r.text);
		assert.equal(r.json.seizures.created, 2);
		assert.deepEqual(r.json.parties, { created: 3, reused: 0 });
		// 2 phones, passport, container, plate (the second phone typing is the same)
		assert.deepEqual(r.json.identifiers, { created: 5, reused: 0 });

		const list = await analyst.get('/api/v1/parties?q=chantha');
		assert.equal(list.status, 200, list.text);
		assert.equal(list.json.total, 1);
		const p = list.json.items[0];
		assert.equal(p.kind, 'person');
		assert.deepEqual(p.names.map((n) => n.name).sort(), ['SUN Chantha', 'ស៊ុន ចាន់ថា'].sort());
		assert.equal(p.birth_year, 1978);
		assert.deepEqual(p.nationalities, ['KH']);
		assert.equal(p.sharing, 'national');

		const page = await analyst.get(`/api/v1/parties/${p.id}`);
		assert.equal(page.status, 200, page.text);
		const keys = page.json.identifiers.map((x) => `${x.identifier.kind} ${x.identifier.key} ${x.role}`).sort();
		assert.deepEqual(keys, ['passport KH:N1234567 owns', 'phone +85512345678 uses']);
		assert.equal(page.json.seizures.length, 2);
		for (const s of page.json.seizures) {
			assert.equal(s.role, 'suspect');
			assert.equal(s.source, 'import people.csv');
		}
		assert.deepEqual(page.json.seizures.map((s) => s.date).sort(), ['2024-05-02', '2024-06-10']);

		const id1 = await seizureId(analyst, 'OFF-1');
		const sp = await analyst.get(`/api/v1/seizures/${id1}/parties`);
		assert.equal(sp.status, 200, sp.text);
		const roles = sp.json.items.map((x) => `${x.role} ${x.party.kind} ${x.party.name}`).sort();
		assert.deepEqual(roles, [
			'consignee organisation Golden Dragon Trading',
			'driver person Nguyen Van An',
			'suspect person SUN Chantha',
		]);
		const seen = sp.json.identifiers.map((x) => `${x.role} ${x.identifier.kind} ${x.identifier.key}`).sort();
		assert.deepEqual(seen, ['seen_in container MSCU1234566', 'seen_in plate KH:2A1234']);
		assert.ok(sp.json.identifiers.every((x) => x.source === 'import people.csv' && x.date === '2024-05-02'));
	});

	test('the same file again creates nothing', async () => {
		const before = (await analyst.get('/api/v1/parties')).json.total;
		const r = await upload(analyst, csv(good), 'dry_run=0&filename=people-again.csv');
		assert.equal(r.json.committed, true, r.text);
		assert.equal(r.json.seizures.unchanged, 2);
		assert.deepEqual(r.json.parties, { created: 0, reused: 3 });
		assert.deepEqual(r.json.identifiers, { created: 0, reused: 5 });
		assert.equal((await analyst.get('/api/v1/parties')).json.total, before);
		const id1 = await seizureId(analyst, 'OFF-1');
		const sp = await analyst.get(`/api/v1/seizures/${id1}/parties`);
		assert.equal(sp.json.items.length, 3);
		assert.equal(sp.json.identifiers.length, 2);
	});

	test('skip-invalid rejects only the seizure with the bad value', async () => {
		const rows = [
			row({ ...base, seizure_ref: 'OFF-4', 'Offender 1 name': 'Chan Sophal', 'Offender 1 phone': '011 222 333' }),
			row({ ...base, seizure_ref: 'OFF-5', 'Offender 1 name': 'Keo Mony', Container: 'MSCU1234565' }),
		];
		const r = await upload(analyst, csv(rows), 'dry_run=0&skip_invalid=1&filename=skip.csv');
		assert.equal(r.json.committed, true, r.text);
		assert.equal(r.json.seizures.created, 1);
		assert.deepEqual(r.json.parties, { created: 1, reused: 0 });
		assert.match(r.json.rejects_csv, /OFF-5/);
		assert.match(r.json.rejects_csv, /container: container number MSCU1234565/);
		assert.equal((await analyst.get('/api/v1/parties?q=keo')).json.total, 0);
		assert.equal((await analyst.get('/api/v1/parties?q=sophal')).json.total, 1);
	});

	test('parties of a seizure shared only within its agency stay there', async () => {
		const rows = [row({ ...base, seizure_ref: 'OFF-6', sharing: 'agency', 'Offender 1 name': 'Lim Bora' })];
		const r = await upload(analyst, csv(rows), 'dry_run=0&filename=own.csv');
		assert.equal(r.json.committed, true, r.text);
		assert.equal((await analyst.get('/api/v1/parties?q=bora')).json.items[0].sharing, 'agency');
		assert.equal((await forester.get('/api/v1/parties?q=bora')).json.total, 0);
		assert.equal((await forester.get('/api/v1/parties?q=chantha')).json.total, 1);
	});

	test('a file without these columns answers as before', async () => {
		const plain = 'seizure_ref,date,country,species,term,quantity,unit\r\nPLAIN-1,2024-01-02,KH,Manis javanica,SCA,1,KIL\r\n';
		const r = await upload(analyst, plain, 'dry_run=1');
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.parties, undefined);
		assert.equal(r.json.identifiers, undefined);
	});
});
