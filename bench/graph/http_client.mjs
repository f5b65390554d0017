// bench/graph/http_client.mjs - the HTTP measurement of the graph API for
// bench/graph/http.sh: signs in, then asks one request at a time (keep-alive,
// Node's fetch) and prints "KEY value" lines with p50/p99 in ms:
//   GET /api/v1/graph/neighbourhood?node=N&depth=2   one per start node (rotating)
//   GET /api/v1/graph/paths?from=A&to=B&k=1           one per pair
// Usage: node http_client.mjs URL USER PASSWORD STARTS PAIRS [ROUNDS]
//   STARTS: node names, one a line; PAIRS: "FROM TO" per line.
import fs from 'node:fs';

const [url, user, password, startsFile, pairsFile, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 1);
const lines = (f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean);

const r = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
	body: JSON.stringify({ username: user, password }), signal: AbortSignal.timeout(120000) });
if (r.status !== 200) {
	console.error(`sign-in failed: ${r.status} ${await r.text()}`);
	process.exit(2);
}
const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const headers = { Cookie: cookie };

function pctl(v, p) {
	const s = [...v].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100 * s.length) - 1))];
}

async function measure(name, paths) {
	// warm-up: the first 20, not counted
	for (const p of paths.slice(0, 20))
		await (await fetch(url + p, { headers })).arrayBuffer();
	const lat = [];
	let errors = 0, bytes = 0;
	const t0 = performance.now();
	for (let k = 0; k < rounds; k++) {
		for (const p of paths) {
			const a = performance.now();
			const res = await fetch(url + p, { headers });
			const body = await res.arrayBuffer();
			lat.push(performance.now() - a);
			bytes += body.byteLength;
			if (res.status !== 200) errors++;
		}
	}
	const wall = performance.now() - t0;
	console.log(`${name}_n ${lat.length}`);
	console.log(`${name}_errors ${errors}`);
	console.log(`${name}_p50_ms ${pctl(lat, 50).toFixed(3)}`);
	console.log(`${name}_p99_ms ${pctl(lat, 99).toFixed(3)}`);
	console.log(`${name}_mean_bytes ${Math.round(bytes / lat.length)}`);
	console.log(`${name}_rps ${(lat.length / wall * 1000).toFixed(0)}`);
}

const starts = lines(startsFile);
await measure('http_hood2', starts.map((n) => `/api/v1/graph/neighbourhood?node=${n}&depth=2`));
const pairs = lines(pairsFile).map((l) => l.split(/\s+/));
await measure('http_path1', pairs.map(([a, b]) => `/api/v1/graph/paths?from=${a}&to=${b}&k=1&max_length=12`));
// a round trip that does no graph work: what HTTP and the session cost
await measure('http_healthz', starts.slice(0, 200).map(() => '/healthz'));
