// Browser tests: the Khmer interface, and that both string files are complete.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, ROOT } from './server.mjs';
import { launch, newPage, signIn, screenshot } from './browser.mjs';

const WEB = path.join(ROOT, 'web');
const en = JSON.parse(fs.readFileSync(path.join(WEB, 'assets/i18n/en.json'), 'utf8'));
const km = JSON.parse(fs.readFileSync(path.join(WEB, 'assets/i18n/km.json'), 'utf8'));

function sources(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
		const p = path.join(dir, d.name);
		if (d.isDirectory())
			return d.name === 'vendor' ? [] : sources(p);
		return /\.(js|html)$/.test(d.name) ? [p] : [];
	});
}

test('en.json and km.json have the same keys, none empty, and every key the code uses', () => {
	assert.deepEqual(Object.keys(km).sort(), Object.keys(en).sort());
	for (const [k, v] of Object.entries(km)) {
		assert.ok(typeof v === 'string' && v.trim() !== '', `km ${k} is empty`);
		assert.ok(en[k].trim() !== '', `en ${k} is empty`);
		// the same {placeholders} in both languages
		assert.deepEqual((v.match(/\{\w+\}/g) || []).sort(), (en[k].match(/\{\w+\}/g) || []).sort(), `placeholders of ${k}`);
	}
	// Khmer strings are Khmer: most contain Khmer letters (names like
	// "kouprey", "CSV", "English", "—" excepted)
	const khmer = /[\u1780-\u17FF]/;
	const latinOnly = Object.entries(km).filter(([, v]) => !khmer.test(v)).map(([k]) => k);
	assert.deepEqual(latinOnly.sort(), ['app.name', 'common.none', 'detail.locode', 'lang.en', 'report.format_csv', 'report.format_xlsx'].sort());
	// keys written literally in the code
	const used = new Set();
	const keyRe = /(?:\bt|tplaceholder|tarialabel|ttitle|emptyKey|hint|data-t(?:-[a-z-]+)?)\s*[:=(]\s*["'`]([a-z_]+\.[a-z_0-9]+)["'`]|\b(?:t|field|f)\(\s*'([a-z_]+\.[a-z_0-9]+)'/g;
	for (const file of sources(WEB)) {
		const text = fs.readFileSync(file, 'utf8');
		for (const m of text.matchAll(keyRe))
			used.add(m[1] || m[2]);
	}
	assert.ok(used.size > 150, `found ${used.size} keys in the code`);
	const missing = [...used].filter((k) => !(k in en));
	assert.deepEqual(missing, [], 'keys used in the code but missing from the string files');
	// keys built at run time
	for (const k of ['role.admin', 'role.analyst', 'role.officer', 'role.viewer', 'action.create', 'action.update',
		'action.view', 'action.delete', 'action.import', 'sharing.agency', 'sharing.national'])
		assert.ok(k in en, k);
});

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

test('switching to Khmer relabels the page, sets lang=km, and is remembered', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	assert.equal(await page.getAttribute('html', 'lang'), 'en');
	await page.getByLabel('Language').selectOption('km');
	await page.waitForFunction(() => document.documentElement.lang === 'km');
	// known Khmer strings: the page title, the navigation, the search label
	await page.getByRole('heading', { level: 1, name: 'ការរឹបអូស' }).waitFor();
	await page.getByRole('link', { name: 'ការរឹបអូសថ្មី' }).first().waitFor();
	await page.getByRole('button', { name: 'ចាកចេញ' }).waitFor();
	await page.getByRole('searchbox', { name: 'ស្វែងរក' }).waitFor();
	assert.equal(await page.getByText('Sign out').count(), 0, 'no English left in the bar');
	assert.match(await page.locator('.total').textContent(), /^រកឃើញការរឹបអូសចំនួន \d+$/);
	// the Khmer font is used
	const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
	assert.match(font, /Khmer OS/);
	await screenshot(page, 'list-km');

	// every string on the form is in Khmer (labels checked one by one)
	await page.getByRole('link', { name: 'ការរឹបអូសថ្មី' }).first().click();
	await page.getByRole('heading', { level: 1, name: 'ការរឹបអូសថ្មី' }).waitFor();
	const labels = await page.locator('label').allTextContents();
	assert.ok(labels.length > 20);
	for (const l of labels)
		assert.match(l, /[\u1780-\u17FF]/, `label "${l}" is in Khmer`);
	await page.getByLabel('កាលបរិច្ឆេទនៃការរឹបអូស').waitFor();
	await page.getByRole('group', { name: 'វត្ថុទី 1' }).getByLabel('ប្រភេទសត្វ').waitFor();
	// vocabulary from the API is shown with its Khmer name
	const countryText = await page.getByLabel('ប្រទេសដែលរឹបអូស').locator('option:checked').textContent();
	assert.equal(countryText, 'កម្ពុជា');
	await screenshot(page, 'form-km');

	// remembered after a reload
	await page.reload();
	await page.getByRole('heading', { level: 1, name: 'ការរឹបអូសថ្មី' }).waitFor();
	assert.equal(await page.getAttribute('html', 'lang'), 'km');
	assert.equal(await page.evaluate(() => localStorage.getItem('kouprey.lang')), 'km');
	// and back to English, typed text kept
	await page.getByLabel('កាលបរិច្ឆេទនៃការរឹបអូស').fill('2025-01-02');
	await page.getByLabel('ភាសា').selectOption('en');
	await page.getByRole('heading', { level: 1, name: 'New seizure' }).waitFor();
	assert.equal(await page.getByLabel('Date of seizure').inputValue(), '2025-01-02');
	assert.equal(await page.getAttribute('html', 'lang'), 'en');
	await page.context().close();
});

test('the sign-in page can be used in Khmer', async () => {
	const page = await newPage(browser, { lang: 'km' });
	await page.goto(`${server.url}/`);
	await page.getByRole('heading', { level: 1, name: 'ចូលប្រើ' }).waitFor();
	assert.equal(await page.getAttribute('html', 'lang'), 'km');
	await page.getByLabel('ឈ្មោះអ្នកប្រើ').fill('admin');
	await page.getByLabel('ពាក្យសម្ងាត់').fill('wrong-password-x');
	await page.getByRole('button', { name: 'ចូលប្រើ' }).click();
	await page.getByRole('alert').filter({ hasText: 'ឈ្មោះអ្នកប្រើ ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ។' }).waitFor();
	await screenshot(page, 'signin-km');
	await page.context().close();
});
