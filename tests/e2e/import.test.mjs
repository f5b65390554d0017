// Browser tests: import a CSV file with one bad row: the dry run shows that
// row's error and writes nothing; with "skip invalid rows" the good rows are
// committed and the rejects can be downloaded.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer } from './server.mjs';
import { launch, newPage, signIn, screenshot, apiFromPage } from './browser.mjs';
import { xlsx } from './xlsx.mjs';

let server;
let browser;
before(async () => {
	server = await startServer();
	browser = await launch();
});
after(async () => {
	await browser?.close();
	await server?.stop();
});

// Line 1 is the header; line 3 (the second seizure) has a unit that scales
// cannot be counted in.
const BAD_LINE = 3;
const CSV = [
	'seizure_ref,date,country,place,locode,species,term,quantity,unit,transport_mode',
	'E2E-IMP-1,2024-02-01,KH,Phnom Penh airport,KHPNH,Manis javanica,SCA,40,KIL,air',
	'E2E-IMP-2,2024-02-02,KH,Sihanoukville,KHKOS,Manis javanica,SCA,12,BAG,sea',
	'E2E-IMP-3,2024-02-03,KH,Sihanoukville,KHKOS,Elephas maximus,TUS,6,,sea',
].join('\r\n') + '\r\n';

async function total(page) {
	const r = await apiFromPage(page, 'GET', '/seizures?limit=1');
	assert.equal(r.status, 200);
	return r.body.total;
}

test('an import with one bad row reports the row and field, and writes nothing', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	const before = await total(page);
	await page.getByRole('link', { name: 'Import', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'Import seizures' }).waitFor();
	await page.getByLabel('File to import').setInputFiles({ name: 'seizures.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
	await page.getByRole('button', { name: 'Check file' }).click();
	await page.getByRole('heading', { name: 'Check result (nothing saved yet)' }).waitFor();
	assert.equal(await page.locator('[data-count=rows]').textContent(), '3');
	const errors = page.locator('table.errors tbody tr');
	await errors.first().waitFor();
	assert.equal(await errors.count(), 1, await page.locator('table.errors').textContent());
	const cells = await errors.first().locator('td').allTextContents();
	assert.equal(cells[0], String(BAD_LINE), 'the row number of the bad line');
	assert.match(cells[1], /unit/, 'the field of the error');
	assert.ok(cells[2].length > 0, 'a message');
	// with an error and without "skip", committing is not offered …
	assert.equal(await page.getByRole('button', { name: 'Commit import' }).isDisabled(), true);
	await screenshot(page, 'import-errors-en');
	// … and nothing was written
	assert.equal(await total(page), before);
	await page.getByRole('link', { name: 'Seizures', exact: true }).click();
	await page.locator('.total').filter({ hasText: `Seizures found: ${before}` }).waitFor();
	assert.equal(await page.getByRole('link', { name: /^E2E-IMP-/ }).count(), 0);
	await page.context().close();
});

test('skip invalid rows: commit imports the good rows, rejects can be downloaded', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	const before = await total(page);
	await page.getByRole('link', { name: 'Import', exact: true }).click();
	await page.getByLabel('File to import').setInputFiles({ name: 'seizures.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
	await page.getByLabel('Skip invalid rows').check();
	await page.getByRole('button', { name: 'Check file' }).click();
	await page.getByRole('heading', { name: 'Check result (nothing saved yet)' }).waitFor();
	assert.equal(await page.locator('[data-count=created]').textContent(), '2');
	assert.equal(await total(page), before, 'the dry run wrote nothing');
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download rejected rows (CSV)' }).click();
	const download = await downloading;
	const rejects = fs.readFileSync(await download.path(), 'utf8');
	assert.match(rejects, /E2E-IMP-2/, 'the rejected row is in the file');
	assert.doesNotMatch(rejects, /E2E-IMP-1/);
	await page.getByRole('button', { name: 'Commit import' }).click();
	await page.getByRole('heading', { name: 'Import done' }).waitFor();
	assert.equal(await page.locator('[data-count=created]').textContent(), '2');
	await screenshot(page, 'import-committed-en');
	assert.equal(await total(page), before + 2);
	await page.getByRole('link', { name: 'See the seizures' }).click();
	await page.getByRole('searchbox', { name: 'Search' }).fill('E2E-IMP');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await page.locator('.total').filter({ hasText: 'Seizures found: 2' }).waitFor();
	await page.context().close();
});

test('an XLSX file imports; importing it again changes nothing', async () => {
	const book = xlsx([
		['seizure_ref', 'date', 'country', 'place', 'species', 'term', 'quantity', 'unit', 'live'],
		['E2E-XLSX-1', '2024-06-01', 'KH', 'ក្រុងព្រះសីហនុ', 'Sunda Pangolin', 'LIV', 4, '', 'live'],
		['E2E-XLSX-1', '2024-06-01', 'KH', 'ក្រុងព្រះសីហនុ', 'Manis javanica', 'SCA', 1.5, 'KIL', ''],
	]);
	const page = await newPage(browser);
	await signIn(page, server.url);
	const before = await total(page);
	await page.getByRole('link', { name: 'Import', exact: true }).click();
	const file = { name: 'seizures.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: book };
	await page.getByLabel('File to import').setInputFiles(file);
	await page.getByText('seizures.xlsx').waitFor();
	await page.getByRole('button', { name: 'Check file' }).click();
	await page.getByRole('heading', { name: 'Check result (nothing saved yet)' }).waitFor();
	assert.equal(await page.locator('[data-count=rows]').textContent(), '2');
	assert.equal(await page.locator('[data-count=created]').textContent(), '1');
	await page.getByText('No errors found.').waitFor();
	await page.getByRole('button', { name: 'Commit import' }).click();
	await page.getByRole('heading', { name: 'Import done' }).waitFor();
	assert.equal(await total(page), before + 1);
	// the seizure has both items, the Khmer place kept
	const found = await apiFromPage(page, 'GET', '/seizures?q=E2E-XLSX-1');
	assert.equal(found.body.total, 1);
	const s = await apiFromPage(page, 'GET', `/seizures/${found.body.items[0].id}`);
	assert.equal(s.body.place, 'ក្រុងព្រះសីហនុ');
	assert.equal(s.body.items.length, 2);
	assert.equal(s.body.items[0].live, true);

	// the same file again: one unchanged seizure, nothing new
	await page.getByRole('link', { name: 'Import', exact: true }).click();
	await page.getByLabel('File to import').setInputFiles(file);
	await page.getByRole('button', { name: 'Check file' }).click();
	await page.getByRole('heading', { name: 'Check result (nothing saved yet)' }).waitFor();
	assert.equal(await page.locator('[data-count=unchanged]').textContent(), '1');
	assert.equal(await page.locator('[data-count=created]').textContent(), '0');
	await page.getByRole('button', { name: 'Commit import' }).click();
	await page.getByRole('heading', { name: 'Import done' }).waitFor();
	assert.equal(await total(page), before + 1);
	await page.context().close();
});

test('a file with offender and container columns: the check counts people and identifiers; the commit links them to the seizure', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	const csv = [
		'seizure_ref,date,country,species,term,quantity,unit,offender 1 name,offender 1 phone,container',
		'E2E-PTY-1,2024-03-01,KH,Manis javanica,SCA,20,KIL,SUN Chantha,012 345 678,CSQU3054383',
		'E2E-PTY-2,2024-03-02,KH,Manis javanica,SCA,5,KIL,SUN Chantha,+855 12 345 678,',
	].join('\r\n') + '\r\n';
	await page.getByRole('link', { name: 'Import', exact: true }).click();
	await page.getByLabel('File to import').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: 'Check file' }).click();
	await page.getByRole('heading', { name: 'Check result (nothing saved yet)' }).waitFor();
	assert.equal(await page.locator('[data-count=parties]').textContent(), '1 new, 0 already known');
	assert.equal(await page.locator('[data-count=identifiers]').textContent(), '2 new, 0 already known');
	await page.getByRole('button', { name: 'Commit import' }).click();
	await page.getByRole('heading', { name: 'Import done' }).waitFor();
	const list = await apiFromPage(page, 'GET', '/seizures?q=E2E-PTY-1');
	assert.equal(list.status, 200);
	const id = list.body.items.find((s) => s.ref === 'E2E-PTY-1').id;
	const parties = await apiFromPage(page, 'GET', `/seizures/${id}/parties`);
	assert.equal(parties.status, 200);
	assert.match(JSON.stringify(parties.body), /SUN Chantha/);
	await page.context().close();
});
