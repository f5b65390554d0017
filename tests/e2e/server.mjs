// Test helper: runs a kouprey server on a fresh database for the browser tests.
//
// startServer() creates a temporary directory, runs
//   kouprey init --db DIR/k.db --admin-password ADMIN_PASSWORD
// then `kouprey serve` on a free port of 127.0.0.1 and waits for GET /healthz.
// It builds nothing: the binary is build/kouprey (or $KOUPREY_BIN, e.g. the
// sanitizer build) and must exist.  stop() ends the server and removes the
// directory; the server's output is kept in DIR/server.log and printed when
// the server fails to start.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'Test-admin-pass-1';
export const ARTIFACTS = path.join(ROOT, 'build', 'e2e-artifacts');

export function binary() {
	const bin = process.env.KOUPREY_BIN
		? path.resolve(ROOT, process.env.KOUPREY_BIN)
		: path.join(ROOT, 'build', 'kouprey');
	if (!fs.existsSync(bin)) {
		throw new Error(`kouprey binary not found at ${bin}: run \`make build\` first ` +
			'(or set KOUPREY_BIN to the binary to test)');
	}
	return bin;
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(url, child, logFile, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`kouprey serve exited (${child.exitCode ?? child.signalCode}) before answering:\n` +
				fs.readFileSync(logFile, 'utf8'));
		}
		try {
			const res = await fetch(`${url}/healthz`);
			if (res.ok) {
				const body = await res.json();
				if (body.status === 'ok')
					return;
				last = JSON.stringify(body);
			} else {
				last = `HTTP ${res.status}`;
			}
		} catch (e) {
			last = String(e.cause?.code || e.message);
		}
		await sleep(100);
	}
	throw new Error(`kouprey did not answer GET /healthz within ${timeoutMs} ms (last: ${last}):\n` +
		fs.readFileSync(logFile, 'utf8'));
}

// Starts a server; resolves to {url, dir, db, stop()}.  With $KOUPREY_URL
// set, uses that already running server instead (its admin password must be
// ADMIN_PASSWORD, and tests that count records expect a fresh database).
export async function startServer({ timeoutMs = 20000 } = {}) {
	if (process.env.KOUPREY_URL)
		return { url: process.env.KOUPREY_URL.replace(/\/$/, ''), dir: null, db: null, logFile: null, stop: async () => {} };
	const bin = binary();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kouprey-e2e-'));
	const db = path.join(dir, 'k.db');
	const init = spawnSync(bin, ['init', '--db', db, '--admin-password', ADMIN_PASSWORD],
		{ cwd: ROOT, encoding: 'utf8', timeout: 120000 });
	if (init.status !== 0) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw new Error(`kouprey init failed (status ${init.status}):\n${init.stdout}\n${init.stderr}`);
	}
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const logFile = path.join(dir, 'server.log');
	const log = fs.openSync(logFile, 'a');
	// serve from the repository root so that the web/ folder is found
	const child = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
		{ cwd: ROOT, stdio: ['ignore', log, log] });
	fs.closeSync(log);
	try {
		await waitHealthy(url, child, logFile, timeoutMs);
	} catch (e) {
		child.kill('SIGKILL');
		fs.rmSync(dir, { recursive: true, force: true });
		throw e;
	}
	let stopped = false;
	async function stop() {
		if (stopped)
			return;
		stopped = true;
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		}
		// a sanitizer build reports memory errors and undefined behaviour in
		// its output: that fails the tests even if every page worked
		const out = fs.readFileSync(logFile, 'utf8');
		const bad = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/.exec(out);
		if (process.env.KOUPREY_E2E_KEEP || bad)
			console.log(`kept ${dir}`);
		else
			fs.rmSync(dir, { recursive: true, force: true });
		if (bad)
			throw new Error(`kouprey reported a sanitizer error:\n${out.slice(Math.max(0, bad.index - 200), bad.index + 4000)}`);
	}
	return { url, dir, db, logFile, stop };
}
