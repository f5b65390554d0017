// The dashboard queries of queries.json over HTTP against a running
// `kouprey serve`: GET /api/v1/analytics/<endpoint>?<query>, signed in as
// the admin or as an officer of agency 1 (created here), each query `runs`
// times one after the other (median), then the twelve back to back.
// Prints {"queries": {"Qn": {"ms", "bytes"}}, "all_ms"}.
//
//   node http_bench.mjs URL ADMIN_PASSWORD queries.json [runs]
import fs from 'node:fs';

const [url, password, qfile, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 7);
const queries = JSON.parse(fs.readFileSync(qfile, 'utf8'));

async function signIn(username, pw) {
	const r = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ username, password: pw }) });
	if (r.status !== 200) throw new Error(`sign-in ${username}: ${r.status} ${await r.text()}`);
	const j = await r.json();
	return { cookie: /kouprey_session=[^;]*/.exec(r.headers.get('set-cookie'))[0], csrf: j.csrf_token };
}
const admin = await signIn('admin', password);
const officerPw = 'bench-officer-password';
await fetch(`${url}/api/v1/users`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: admin.cookie,
	'X-CSRF-Token': admin.csrf }, body: JSON.stringify({ username: 'benchofficer', display_name: 'bench officer',
	password: officerPw, role: 'officer', agency_id: 1 }) });
const officer = await signIn('benchofficer', officerPw);

async function get(q) {
	const who = q.actor === 'officer' ? officer : admin;
	const r = await fetch(`${url}/api/v1/analytics/${q.endpoint}?${q.query}`, { headers: { Cookie: who.cookie } });
	const body = await r.arrayBuffer();
	if (r.status !== 200) throw new Error(`${q.id}: ${r.status} ${Buffer.from(body).toString()}`);
	return body.byteLength;
}
const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
const out = {};
for (const q of queries) await get(q); // warm
for (const q of queries) {
	const times = [];
	let bytes = 0;
	for (let k = 0; k < runs; k++) {
		const t0 = performance.now();
		bytes = await get(q);
		times.push(performance.now() - t0);
	}
	out[q.id] = { ms: median(times), bytes };
}
const all = [];
for (let k = 0; k < runs; k++) {
	const t0 = performance.now();
	for (const q of queries) await get(q);
	all.push(performance.now() - t0);
}
console.log(JSON.stringify({ queries: out, all_ms: median(all) }));
