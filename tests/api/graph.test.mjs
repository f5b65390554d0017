// API tests of link analysis (issue 4) against a real server on a fresh
// database: neighbourhood, paths with the records proving each step,
// networks, key actors, "what links these", the graph following writes at
// once, access rules (no trace of a restricted node), saved charts and their
// exports (GraphML, i2/Gephi CSV).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, startServer } from '../e2e/server.mjs';
import { Client, pangolinSeizure } from './client.mjs';

let server;
let admin, officer, analyst, viewer, forester;
const PW = 'Colleague-pass-1';
const ids = {};

async function addUser(username, role, agency_id) {
	const r = await admin.post('/api/v1/users', { username, password: PW, role, agency_id, display_name: username });
	assert.equal(r.status, 201, r.text);
	const c = new Client(server.url);
	assert.equal((await c.signIn(username, PW)).status, 200);
	return c;
}

async function ok(promise, status = [200, 201]) {
	const r = await promise;
	assert.ok([].concat(status).includes(r.status), `${r.status} ${r.text.slice(0, 300)}`);
	return r.json;
}

const fields = (r) => Object.fromEntries((r.json?.error?.fields || []).map((f) => [f.field, f.message]));
const put = (c, path, body) => c.request('PUT', path, { body });

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	const customs = (await ok(admin.post('/api/v1/agencies', { name: 'Customs Graph Test', country: 'KH', kind: 'customs' }))).id;
	const forestry = (await ok(admin.post('/api/v1/agencies', { name: 'Forestry Graph Test', country: 'KH', kind: 'forestry' }))).id;
	officer = await addUser('g_officer', 'officer', customs);
	analyst = await addUser('g_analyst', 'analyst', customs);
	viewer = await addUser('g_viewer', 'viewer', customs);
	forester = await addUser('g_forester', 'officer', forestry);

	// A uses a phone seen in seizure s1; B owns the same phone (typed another way);
	// A is the suspect of s1.  C (forestry) sold in s2.  S, customs' informant
	// (not shared), is C's and B's associate.
	ids.s1 = (await ok(officer.post('/api/v1/seizures', pangolinSeizure({ sharing: 'national' })))).id;
	ids.s2 = (await ok(forester.post('/api/v1/seizures', pangolinSeizure({ sharing: 'national', date: '2024-06-01', origin: ['CM'] })))).id;
	ids.a = (await ok(officer.post('/api/v1/parties', { kind: 'person', names: ['Sun Chantha'] }))).id;
	ids.phone = (await ok(officer.post(`/api/v1/parties/${ids.a}/identifiers`,
		{ kind: 'phone', value: '012 345 678', role: 'uses', source: 'phone seized', seizure_id: ids.s1 }))).identifier.id;
	ids.b = (await ok(officer.post('/api/v1/parties', { kind: 'person', names: ['Chea Vuthy'],
		identifiers: [{ kind: 'phone', value: '+855 12 345 678', role: 'owns' }] }))).id;
	ids.c = (await ok(forester.post('/api/v1/parties', { kind: 'person', names: ['Lim Dara'] }))).id;
	ids.s = (await ok(officer.post('/api/v1/parties', { kind: 'person', names: ['Informant'], sharing: 'agency' }))).id;
	await ok(officer.post(`/api/v1/seizures/${ids.s1}/parties`, { party_id: ids.a, role: 'suspect', source: 'arrest report' }));
	await ok(forester.post(`/api/v1/seizures/${ids.s2}/parties`, { party_id: ids.c, role: 'seller' }));
	await ok(officer.post(`/api/v1/parties/${ids.s}/relations`, { party_id: ids.c, kind: 'associate', date: '2024-11-02' }));
	await ok(officer.post(`/api/v1/parties/${ids.s}/relations`, { party_id: ids.b, kind: 'associate' }));
});

after(async () => { await server?.stop(); });

const N = (kind, id) => `${kind}:${id}`;
const nodeIds = (arr) => arr.map((n) => n.id).sort();

describe('graph queries', () => {
	test('neighbourhood: nodes, links with role, date and record; the cap says what it cut', async () => {
		const j = await ok(analyst.get(`/api/v1/graph/neighbourhood?node=party:${ids.a}&depth=1`));
		assert.equal(j.node, N('party', ids.a));
		// B comes through the derived "shares an identifier" link
		assert.deepEqual(nodeIds(j.nodes), [N('identifier', ids.phone), N('party', ids.a), N('party', ids.b), N('seizure', ids.s1)].sort());
		assert.equal(j.truncated, null);
		const shares = j.edges.find((e) => e.kind === 'shares_identifier');
		assert.deepEqual([shares.source, shares.target], [N('party', ids.a), N('party', ids.b)]);
		assert.equal(shares.role, 'phone');
		assert.equal(shares.record.kind, 'identifier');
		assert.equal(shares.record.id, ids.phone);
		assert.ok(shares.record.ref);
		const start = j.nodes.find((n) => n.id === N('party', ids.a));
		assert.equal(start.label, 'Sun Chantha');
		assert.equal(start.type, 'person');
		assert.equal(start.depth, 0);
		const holds = j.edges.find((e) => e.kind === 'holds');
		assert.equal(holds.source, N('party', ids.a));
		assert.equal(holds.target, N('identifier', ids.phone));
		assert.equal(holds.role, 'uses');
		assert.equal(holds.provenance, 'phone seized');
		assert.equal(holds.record.kind, 'seizure');
		assert.equal(holds.record.id, ids.s1);
		assert.ok(holds.record.ref);
		const inv = j.edges.find((e) => e.kind === 'involved_in');
		assert.equal(inv.role, 'suspect');
		assert.equal(inv.date, '2025-03-14'); // the seizure's, the link has none

		const big = await ok(analyst.get(`/api/v1/graph/neighbourhood?node=party:${ids.a}&depth=3&limit=2`));
		assert.equal(big.nodes.length, 2);
		assert.ok(big.truncated.nodes_cut >= 1);
		const kinds = await ok(analyst.get(`/api/v1/graph/neighbourhood?node=party:${ids.a}&depth=2&node_kinds=party,identifier&edge_kinds=holds`));
		assert.deepEqual(nodeIds(kinds.nodes), [N('identifier', ids.phone), N('party', ids.a), N('party', ids.b)].sort());
	});

	test('paths: through the shared phone, each step with the record that proves it', async () => {
		const direct = await ok(analyst.get(`/api/v1/graph/paths?from=party:${ids.a}&to=party:${ids.b}&k=3`));
		assert.equal(direct.paths.length, 2);
		assert.equal(direct.paths[0].length, 1); // they share the phone
		assert.equal(direct.paths[0].steps[0].edge.kind, 'shares_identifier');
		assert.equal(direct.paths[0].steps[0].edge.record.id, ids.phone);
		const j = await ok(analyst.get(`/api/v1/graph/paths?from=party:${ids.a}&to=party:${ids.b}&k=3&edge_kinds=holds,involved_in,related,seen_in`));
		assert.ok(j.paths.length >= 1);
		const p = j.paths[0];
		assert.equal(p.length, 2);
		assert.deepEqual(p.steps.map((s) => [s.from, s.to]),
			[[N('party', ids.a), N('identifier', ids.phone)], [N('identifier', ids.phone), N('party', ids.b)]]);
		assert.equal(p.steps[0].edge.record.kind, 'seizure');
		assert.equal(p.steps[0].edge.record.id, ids.s1);
		assert.equal(p.steps[1].edge.role, 'owns');
		assert.equal(p.steps[1].edge.record.kind, 'link');
		assert.equal(p.steps[1].edge.record.table, 'party_identifier');
		assert.equal(p.nodes[1].type, 'phone');
		assert.equal(j.paths.length, 1); // the only loopless way
	});

	test('networks, key actors, what links these', async () => {
		const n = await ok(admin.get('/api/v1/graph/networks?limit=5'));
		assert.equal(n.total, 1); // S joins everything
		const net = n.networks[0];
		assert.equal(net.size, 7);
		assert.equal(net.kinds.seizure, 2);
		assert.equal(net.first_date, '2024-06-01');
		assert.equal(net.species[0].name, 'Manis javanica');
		assert.equal(net.species[0].seizures, 2);
		assert.ok(net.countries.some((c) => c.code === 'CM'));

		const c = await ok(admin.get(`/api/v1/graph/central?node=party:${ids.a}&measure=betweenness&limit=3`));
		assert.equal(c.network_size, 7);
		assert.equal(c.exact, true);
		assert.equal(c.items.length, 3);
		assert.ok(c.items[0].betweenness >= c.items[1].betweenness);
		const d = await ok(admin.get(`/api/v1/graph/central?node=party:${ids.a}&measure=degree`));
		// a chain s1-A-phone-B-S-C-s2, with A-B sharing the phone: A and B have 3
		assert.equal(d.items[0].degree, 3);
		assert.equal(d.items[1].degree, 3);
		assert.equal(d.items.at(-1).degree, 1);
		assert.equal(d.items[0].betweenness, undefined);

		const t = await ok(officer.post('/api/v1/graph/connect', { nodes: [N('party', ids.a), N('seizure', ids.s2)] }));
		assert.deepEqual(t.unreached, []);
		assert.equal(t.edges.length, t.nodes.length - 1);
		assert.ok(t.nodes.some((x) => x.id === N('party', ids.c)));
		const bad = await officer.post('/api/v1/graph/connect', { nodes: ['party:1'] });
		assert.equal(bad.status, 422);
	});

	test('a new seizure joining two parties shows at once', async () => {
		const before = await ok(analyst.get(`/api/v1/graph/paths?from=party:${ids.a}&to=party:${ids.c}&max_length=2`));
		assert.equal(before.paths.length, 0);
		const s3 = (await ok(officer.post('/api/v1/seizures', pangolinSeizure({ sharing: 'national', date: '2025-05-01' })))).id;
		await ok(officer.post(`/api/v1/seizures/${s3}/parties`, { party_id: ids.a, role: 'courier' }));
		await ok(forester.post(`/api/v1/seizures/${s3}/parties`, { party_id: ids.c, role: 'buyer' }));
		const now = await ok(analyst.get(`/api/v1/graph/paths?from=party:${ids.a}&to=party:${ids.c}&max_length=2`));
		assert.equal(now.paths.length, 1);
		assert.equal(now.paths[0].steps[0].to, N('seizure', s3));
		// and leaves with the link
		const gone = await officer.delete(`/api/v1/parties/${ids.a}/seizures?seizure_id=${s3}`);
		assert.equal(gone.status, 204, gone.text);
		const after = await ok(analyst.get(`/api/v1/graph/paths?from=party:${ids.a}&to=party:${ids.c}&max_length=2`));
		assert.equal(after.paths.length, 0);
	});

	test('access: another agency sees no trace of a restricted node', async () => {
		// customs sees C - S - B; forestry sees neither S nor the path through it
		const mine = await ok(officer.get(`/api/v1/graph/paths?from=party:${ids.c}&to=party:${ids.b}&max_length=2`));
		assert.equal(mine.paths.length, 1);
		const theirs = await ok(forester.get(`/api/v1/graph/paths?from=party:${ids.c}&to=party:${ids.b}&max_length=2`));
		assert.equal(theirs.paths.length, 0);
		const hood = await ok(forester.get(`/api/v1/graph/neighbourhood?node=party:${ids.c}&depth=3`));
		assert.ok(!JSON.stringify(hood).includes(N('party', ids.s)));
		assert.equal(hood.truncated, null);
		const hidden = await forester.get(`/api/v1/graph/neighbourhood?node=party:${ids.s}`);
		const absent = await forester.get('/api/v1/graph/neighbourhood?node=party:987654');
		assert.equal(hidden.status, 404);
		assert.equal(absent.status, 404);
		assert.equal(hidden.json.error.code, absent.json.error.code);
		const central = await ok(forester.get(`/api/v1/graph/central?node=party:${ids.c}`));
		assert.ok(!JSON.stringify(central).includes(N('party', ids.s)));
		const nets = await ok(forester.get('/api/v1/graph/networks'));
		assert.ok(!JSON.stringify(nets).includes(N('party', ids.s)));
		const t = await ok(forester.post('/api/v1/graph/connect', { nodes: [N('party', ids.c), N('party', ids.b)] }));
		assert.ok(!JSON.stringify(t).includes(N('party', ids.s)));
		const t2 = await forester.post('/api/v1/graph/connect', { nodes: [N('party', ids.c), N('party', ids.s)] });
		assert.equal(t2.status, 404);
	});

	test('bad parameters are 422 naming them; signed out is 401', async () => {
		const r = await analyst.get(`/api/v1/graph/neighbourhood?node=person:1&depth=7&colour=red`);
		assert.equal(r.status, 422);
		const f = fields(r);
		assert.ok(f.node && f.depth && f.colour, JSON.stringify(f));
		const p = await analyst.get('/api/v1/graph/paths?from=party:1');
		assert.equal(p.status, 422);
		assert.ok(fields(p).to);
		const m = await analyst.get(`/api/v1/graph/central?node=party:${ids.a}&measure=fame`);
		assert.ok(fields(m).measure);
		const d = await analyst.get('/api/v1/graph/networks?from=yesterday');
		assert.ok(fields(d).from);
		const out = await new Client(server.url).get('/api/v1/graph/networks');
		assert.equal(out.status, 401);
	});
});

describe('saved charts', () => {
	let chart;
	test('save, list, reopen with its graph as the reader may see it', async () => {
		const body = { name: 'Phone ring', chart: { nodes: [
			{ id: N('party', ids.a), x: 10, y: 20, pinned: true },
			{ id: N('identifier', ids.phone), x: 50, y: 20 },
			{ id: N('party', ids.b), x: 90, y: 20 },
			{ id: N('party', ids.s), x: 90, y: 80 },
		], hidden: [], filters: { from: '2024' } } };
		const r = await analyst.post('/api/v1/graph/charts', body);
		assert.equal(r.status, 201, r.text);
		chart = r.json;
		assert.equal(chart.name, 'Phone ring');
		assert.equal(chart.version, 1);
		assert.equal(chart.nodes, 4);
		assert.equal(chart.owner.username, 'g_analyst');
		assert.deepEqual(chart.chart.filters, { from: '2024' });
		const list = await ok(officer.get('/api/v1/graph/charts'));
		assert.ok(list.items.some((c) => c.id === chart.id));
		assert.equal((await ok(forester.get('/api/v1/graph/charts'))).items.length, 0);
		const got = await ok(officer.get(`/api/v1/graph/charts/${chart.id}`));
		assert.equal(got.graph.nodes.length, 4);
		assert.equal(got.graph.edges.length, 4); // A-phone, phone-B, A-B (they share it), S-B
		assert.equal(got.graph.missing, 0);
		assert.equal(got.chart.nodes[0].pinned, true);
		assert.equal((await forester.get(`/api/v1/graph/charts/${chart.id}`)).status, 404);
	});

	test('only the owner changes it; stale versions conflict; viewers do not save', async () => {
		const r = await put(analyst, `/api/v1/graph/charts/${chart.id}`, { name: 'Phone ring (2)', version: 1 });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.version, 2);
		assert.equal(r.json.chart.nodes.length, 4);
		assert.equal((await put(analyst, `/api/v1/graph/charts/${chart.id}`, { name: 'x', version: 1 })).status, 409);
		assert.equal((await put(officer, `/api/v1/graph/charts/${chart.id}`, { name: 'x' })).status, 403);
		assert.equal((await viewer.post('/api/v1/graph/charts', { name: 'v', chart: {} })).status, 403);
		const bad = await analyst.post('/api/v1/graph/charts', { name: '', chart: { nodes: [{ id: 'person:1' }] } });
		assert.equal(bad.status, 422);
		assert.ok(fields(bad).name && fields(bad)['chart.nodes[0].id']);
	});

	test('exports: GraphML and the i2/Gephi entity and link CSV files', async () => {
		const g = await officer.get(`/api/v1/graph/charts/${chart.id}/export?format=graphml`);
		assert.equal(g.status, 200);
		assert.match(g.headers.get('content-type'), /graphml/);
		assert.match(g.headers.get('content-disposition'), /attachment; filename="chart-\d+\.graphml"/);
		assert.match(g.text, /<graphml xmlns="http:\/\/graphml.graphdrawing.org\/xmlns">/);
		assert.ok(g.text.includes(`<node id="${N('party', ids.a)}">`));
		assert.ok(g.text.includes('<data key="n_label">Sun Chantha</data>'));
		assert.ok(g.text.includes(`source="${N('party', ids.a)}" target="${N('identifier', ids.phone)}"`));
		assert.equal((g.text.match(/<edge /g) || []).length, 4);
		const e = await officer.get(`/api/v1/graph/charts/${chart.id}/export?format=entities`);
		const lines = e.text.trim().split(/\r?\n/);
		assert.equal(lines[0], 'Id,Label,Type,Kind,Date,Country');
		assert.equal(lines.length, 5);
		assert.ok(lines.some((l) => l.startsWith(`${N('party', ids.a)},Sun Chantha,Person,party`)));
		assert.ok(lines.some((l) => l.includes(',phone,identifier')));
		const l = await officer.get(`/api/v1/graph/charts/${chart.id}/export?format=links`);
		const ll = l.text.trim().split(/\r?\n/);
		assert.equal(ll[0], 'Id,Source,Target,Type,Label,Kind,Role,Date,Provenance,Record');
		assert.equal(ll.length, 5);
		assert.ok(ll.some((x) => x.includes(`${N('party', ids.a)},${N('party', ids.b)},Undirected,phone,shares_identifier,phone`) && x.includes(',identifier ')), ll.join('\n'));
		assert.ok(ll.some((x) => x.includes(`${N('party', ids.a)},${N('identifier', ids.phone)},Undirected,uses,holds,uses`) && x.includes(',seizure ')));
		// forestry's export leaves the informant out and says nothing of it
		assert.equal((await forester.get(`/api/v1/graph/charts/${chart.id}/export?format=links`)).status, 404);
		assert.equal((await officer.get(`/api/v1/graph/charts/${chart.id}/export?format=pdf`)).status, 422);
	});

	test('delete (owner or admin); audited', async () => {
		assert.equal((await officer.delete(`/api/v1/graph/charts/${chart.id}`)).status, 403);
		assert.equal((await analyst.delete(`/api/v1/graph/charts/${chart.id}`)).status, 204);
		assert.equal((await analyst.get(`/api/v1/graph/charts/${chart.id}`)).status, 404);
	});
});
