// API tests of the in-memory authentication cache (src/auth/session_cache.h):
// a request whose session or API token was answered from the cache must be
// refused at once after a sign-out, a disabled account, a role change or a
// password change, whether the change came through the API of this server or
// from the command line (`kouprey user disable|passwd`) on the same database.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { ADMIN_PASSWORD, binary, startServer } from '../e2e/server.mjs';
import { Client, pangolinSeizure } from './client.mjs';

let server;
let admin;
let agency;
const PW = 'Colleague-pass-1';

async function addUser(username, role = 'officer') {
	const r = await admin.post('/api/v1/users', { username, password: PW, role, agency_id: agency });
	assert.equal(r.status, 201, r.text);
	const c = new Client(server.url);
	assert.equal((await c.signIn(username, PW)).status, 200);
	return { id: r.json.id, client: c };
}

// Several reads, so the answer is in the cache when the change comes.
async function warm(c) {
	for (let i = 0; i < 3; i++) {
		const r = await c.get('/api/v1/session');
		assert.equal(r.status, 200, r.text);
	}
}

function cli(...args) {
	const r = spawnSync(binary(), [...args, '--db', server.db], { encoding: 'utf8', timeout: 30000 });
	assert.equal(r.status, 0, `kouprey ${args.join(' ')}: ${r.stdout}${r.stderr}`);
	return r.stdout;
}

function withCookie(cookie) {
	const c = new Client(server.url);
	c.cookie = cookie;
	return c;
}

function withToken(token) {
	const c = new Client(server.url);
	c.bearer = token;
	return c;
}

before(async () => {
	server = await startServer();
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	const a = await admin.post('/api/v1/agencies', { name: 'Customs cache test', country: 'KH', kind: 'customs' });
	assert.equal(a.status, 201, a.text);
	agency = a.json.id;
});

after(async () => { await server?.stop(); });

describe('authentication cache', () => {
	test('a signed-out session is refused at once, the other sessions go on', async () => {
		const { client } = await addUser('cache-signout');
		const other = new Client(server.url);
		assert.equal((await other.signIn('cache-signout', PW)).status, 200);
		await warm(client);
		await warm(other);
		const cookie = client.cookie;
		assert.equal((await client.delete('/api/v1/session')).status, 204);
		const r = await withCookie(cookie).get('/api/v1/session');
		assert.equal(r.status, 401, r.text);
		assert.equal((await other.get('/api/v1/session')).status, 200);
	});

	test('a user disabled through the API is refused at once (session and token)', async () => {
		const { id, client } = await addUser('cache-disable-api');
		const t = await client.post('/api/v1/tokens', { name: 'script' });
		assert.equal(t.status, 201, t.text);
		const token = withToken(t.json.token);
		await warm(client);
		await warm(token);
		const p = await admin.patch(`/api/v1/users/${id}`, { disabled: true });
		assert.equal(p.status, 200, p.text);
		assert.equal((await client.get('/api/v1/session')).status, 401);
		assert.equal((await token.get('/api/v1/session')).status, 401);
		// enabled again, the token works again (the session was ended)
		assert.equal((await admin.patch(`/api/v1/users/${id}`, { disabled: false })).status, 200);
		assert.equal((await token.get('/api/v1/session')).status, 200);
		assert.equal((await client.get('/api/v1/session')).status, 401);
	});

	test('a user disabled with the command line is refused at once (session and token)', async () => {
		const { client } = await addUser('cache-disable-cli');
		const t = await client.post('/api/v1/tokens', { name: 'script' });
		assert.equal(t.status, 201, t.text);
		const token = withToken(t.json.token);
		await warm(client);
		await warm(token);
		cli('user', 'disable', 'cache-disable-cli');
		assert.equal((await client.get('/api/v1/session')).status, 401);
		assert.equal((await token.get('/api/v1/seizures?limit=1')).status, 401);
		cli('user', 'enable', 'cache-disable-cli');
		assert.equal((await token.get('/api/v1/session')).status, 200);
	});

	test('a password changed with the command line ends the cached sessions at once', async () => {
		const { client } = await addUser('cache-passwd-cli');
		await warm(client);
		cli('user', 'passwd', 'cache-passwd-cli', '--password', 'Another-pass-2');
		assert.equal((await client.get('/api/v1/session')).status, 401);
		const again = new Client(server.url);
		assert.equal((await again.signIn('cache-passwd-cli', 'Another-pass-2')).status, 200);
	});

	test('a role change is seen by the next request', async () => {
		const { id, client } = await addUser('cache-role', 'officer');
		await warm(client);
		let r = await client.post('/api/v1/seizures', pangolinSeizure());
		assert.equal(r.status, 201, r.text);
		assert.equal((await admin.patch(`/api/v1/users/${id}`, { role: 'viewer' })).status, 200);
		r = await client.get('/api/v1/session');
		assert.equal(r.status, 200);
		assert.equal(r.json.user.role, 'viewer');
		r = await client.post('/api/v1/seizures', pangolinSeizure());
		assert.equal(r.status, 403, r.text);
	});

	test('an API token is not a session cookie, nor the other way round', async () => {
		const { client } = await addUser('cache-kinds');
		const t = await client.post('/api/v1/tokens', { name: 'script' });
		assert.equal(t.status, 201, t.text);
		await warm(withToken(t.json.token));
		await warm(client);
		assert.equal((await withCookie(`kouprey_session=${t.json.token}`).get('/api/v1/session')).status, 401);
		const session = client.cookie.replace(/^kouprey_session=/, '');
		assert.equal((await withToken(session).get('/api/v1/session')).status, 401);
	});

	test('the CSRF token of a cached session is still required and checked', async () => {
		const { client } = await addUser('cache-csrf');
		await warm(client);
		let r = await client.post('/api/v1/seizures', pangolinSeizure(), { csrf: false });
		assert.equal(r.status, 403, r.text);
		r = await client.post('/api/v1/seizures', pangolinSeizure(), { headers: { 'X-CSRF-Token': 'wrong' }, csrf: false });
		assert.equal(r.status, 403, r.text);
		r = await client.post('/api/v1/seizures', pangolinSeizure());
		assert.equal(r.status, 201, r.text);
	});
});
