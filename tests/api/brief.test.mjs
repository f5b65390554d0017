// GET /api/v1/reports/brief: the PDF brief of the analytics filters, as the
// signed-in user may see them (pdftotext checks the figures), in Khmer with
// a Khmer font, and the errors of bad parameters.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ADMIN_PASSWORD, startServer } from '../e2e/server.mjs';
import { Client } from './client.mjs';

let server;
let admin;
let dir;

before(async () => {
	server = await startServer();
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kouprey-brief-'));
	admin = new Client(server.url);
	assert.equal((await admin.signIn('admin', ADMIN_PASSWORD)).status, 200);
	const seizures = [
		{ ref: 'BRIEF-1', date: '2024-03-14', country: 'KH', origin: ['NG'], transit: ['MY'], destination: ['VN'],
			items: [{ species: 'Manis javanica', term: 'SCA', quantity: 120, unit: 'KIL' }] },
		{ ref: 'BRIEF-2', date: '2024-05-02', country: 'VN', origin: ['KH'], destination: ['CN'],
			items: [{ species: 'Panthera tigris', term: 'BON', quantity: 3.5, unit: 'KIL' }] },
	];
	for (const s of seizures) {
		const r = await admin.post('/api/v1/seizures', { sharing: 'national', ...s });
		assert.equal(r.status, 201, r.text);
	}
});
after(async () => {
	await server?.stop();
	if (dir)
		fs.rmSync(dir, { recursive: true, force: true });
});

async function pdf(query, headers = { Cookie: admin.cookie }) {
	const res = await fetch(`${server.url}/api/v1/reports/brief${query}`, { headers });
	const body = Buffer.from(await res.arrayBuffer());
	return { res, body };
}

function text(body, name) {
	const file = path.join(dir, name);
	fs.writeFileSync(file, body);
	return { file, text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }) };
}

test('the brief of a filter is a PDF with its figures', async () => {
	const { res, body } = await pdf('?from=2024-01-01&to=2024-12-31&marking=FOR%20THE%20CASE%20MEETING');
	assert.equal(res.status, 200, body.toString());
	assert.match(res.headers.get('content-type'), /^application\/pdf/);
	assert.match(res.headers.get('content-disposition'), /attachment; filename="?kouprey-brief\.pdf/);
	assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-');
	const { text: t } = text(body, 'en.pdf');
	assert.match(t, /FOR THE CASE MEETING/);
	assert.doesNotMatch(t, /RESTRICTED/);
	assert.match(t, /Period: 2024-01-01 – 2024-12-31/);
	assert.match(t, /123\.5/);                  /* 120 + 3.5 kg */
	assert.match(t, /Manis javanica/);
	assert.match(t, /Panthera tigris/);
	assert.match(t, /Nigeria/);
	assert.match(t, /Main routes/);

	// a filter narrows it
	const one = await pdf('?term=BON');
	assert.equal(one.res.status, 200);
	const { text: t2 } = text(one.body, 'bon.pdf');
	assert.match(t2, /Panthera tigris/);
	assert.doesNotMatch(t2, /Manis javanica/);
});

test('the Khmer brief uses a Khmer font', async () => {
	const { res, body } = await pdf('?lang=km');
	assert.equal(res.status, 200);
	assert.match(res.headers.get('content-disposition'), /kouprey-brief-km\.pdf/);
	const { file } = text(body, 'km.pdf');
	assert.match(execFileSync('pdffonts', [file], { encoding: 'utf8' }), /Khmer/);
});

test('bad parameters are 422 naming them; signed out is 401', async () => {
	let r = await pdf('?lang=fr');
	assert.equal(r.res.status, 422);
	assert.equal(JSON.parse(r.body).error.fields[0].field, 'lang');
	r = await pdf('?colour=red');
	assert.equal(r.res.status, 422);
	assert.equal(JSON.parse(r.body).error.fields[0].field, 'colour');
	r = await pdf(`?title=${'x'.repeat(300)}`);
	assert.equal(r.res.status, 422);
	r = await pdf('', {});
	assert.equal(r.res.status, 401);
});
