// Browser tests of the search box in the top bar and the results page:
// a Latin spelling finds the Khmer-named person (with the reason), a phone
// typed another way finds the identifier first and exact, the box works
// from the keyboard (arrows, Enter, Escape), in Khmer and on a phone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, newPage, signIn, screenshot, apiFromPage } from './browser.mjs';

let server;
let browser;
const data = {};

before(async () => {
	server = await startServer();
	browser = await launch();
	const page = await newPage(browser);
	await signIn(page, server.url);
	const s = await apiFromPage(page, 'POST', '/seizures', {
		ref: 'KH-SRCH-2025-0007', date: '2025-03-14', country: 'KH', place: 'Sihanoukville port',
		items: [{ species: 'Manis javanica', term: 'SCA', quantity: 120, unit: 'KIL' }],
	});
	assert.equal(s.status, 201, JSON.stringify(s.body));
	data.seizure = s.body;
	let r = await apiFromPage(page, 'POST', '/parties', {
		kind: 'person', names: [{ name: 'ស៊ុន ចាន់ថា' }], nationalities: ['KH'], birth_year: 1978,
		identifiers: [{ kind: 'phone', value: '012 345 678', role: 'uses', source: 'police statement' }],
	});
	assert.equal(r.status, 201, JSON.stringify(r.body));
	data.chantha = r.body;
	r = await apiFromPage(page, 'POST', '/parties', { kind: 'person', names: ['Sun Chanthy'] });
	assert.equal(r.status, 201, JSON.stringify(r.body));
	data.chanthy = r.body;
	await page.context().close();
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

const BOX = 'Search people, identifiers and seizures';

async function typeInBox(page, text) {
	const box = page.getByRole('combobox', { name: BOX });
	await box.fill('');
	await box.pressSequentially(text, { delay: 15 });
	const list = page.locator('#global-search-list');
	await list.locator('[role=option]').first().waitFor();
	await page.waitForFunction(() => document.getElementById('global-search-input').getAttribute('aria-expanded') === 'true');
	return { box, list };
}

test('a Latin spelling finds the Khmer-named person, with score and reason; arrow keys and Enter open it', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	const { box, list } = await typeInBox(page, 'Soun Chanthar');
	const first = list.locator('[role=option]').first();
	await first.filter({ hasText: 'ស៊ុន ចាន់ថា' }).waitFor();
	const text = await first.textContent();
	assert.match(text, /sun chantha/, 'the reason says what the Khmer was romanised to');
	assert.match(text, /Person or organisation/);
	assert.match(text, /\d\.\d\d/, 'a score');
	// at most 8 suggestions, and the last entry opens every result
	const n = await list.locator('[role=option]').count();
	assert.ok(n <= 9, `${n} options`);
	await list.locator('[role=option]').last().filter({ hasText: /All results for “Soun Chanthar”/ }).waitFor();
	await screenshot(page, 'search-suggestions-en');

	// keyboard: ↓ highlights the first, Enter opens it
	await box.press('ArrowDown');
	assert.equal(await first.getAttribute('aria-selected'), 'true');
	assert.equal(await box.getAttribute('aria-activedescendant'), await first.getAttribute('id'));
	await box.press('Enter');
	await page.waitForURL(new RegExp(`#/parties/${data.chantha.id}$`));
	await page.locator('h1.party-title').filter({ hasText: 'ស៊ុន ចាន់ថា' }).waitFor();
	assert.equal(await box.getAttribute('aria-expanded'), 'false');

	// Escape closes the list and leaves the page as it is
	await typeInBox(page, 'Sun Chanthy');
	await box.press('Escape');
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
	assert.equal(await list.isVisible(), false);
	assert.match(page.url(), new RegExp(`#/parties/${data.chantha.id}$`));
	assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
	await page.context().close();
});

test('a phone typed another way: the identifier first, marked exact, in the box and on the results page', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	const { box, list } = await typeInBox(page, '+855-12-345-678');
	const first = list.locator('[role=option]').first();
	await first.filter({ hasText: '+855 12 345 678' }).waitFor();
	assert.match(await first.textContent(), /Phone/);
	assert.match(await first.textContent(), /exact/);
	assert.match(await first.textContent(), /exact phone \+85512345678/);

	// Enter with nothing highlighted opens every result, grouped by kind
	await box.press('Enter');
	await page.waitForURL(/#\/search\?q=/);
	await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
	const groups = page.locator('.hit-group');
	await groups.first().waitFor();
	assert.match(await groups.first().locator('h2').textContent(), /^Identifiers \(\d+\)$/);
	const top = page.locator('.hit-row').first();
	assert.match(await top.textContent(), /\+855 12 345 678/);
	await top.locator('.exact-badge').waitFor();
	assert.match(await top.textContent(), /Score 1\.00/);
	assert.match(await top.textContent(), /exact phone/);
	await screenshot(page, 'search-results-phone-en');

	// the identifier's page names the person who uses it
	await top.getByRole('link', { name: '+855 12 345 678' }).click();
	await page.getByRole('heading', { level: 1, name: '+855 12 345 678' }).waitFor();
	await page.getByRole('link', { name: 'ស៊ុន ចាន់ថា' }).waitFor();
	assert.match(await page.locator('.facts').textContent(), /\+85512345678/);
	assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
	await page.context().close();
});

test('the results page: names ranked with their reasons, a seizure by its reference, nothing found', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.goto(`${server.url}/#/search?q=${encodeURIComponent('Sun Chantha')}`);
	const parties = page.locator('.hit-group[data-kind=party]');
	await parties.waitFor();
	const rows = parties.locator('.hit-row');
	assert.ok(await rows.count() >= 2);
	assert.match(await rows.nth(0).textContent(), /ស៊ុន ចាន់ថា/);
	assert.match(await rows.nth(1).textContent(), /Sun Chanthy/);
	const scores = await parties.locator('.hit-score').allTextContents();
	const nums = scores.map((s) => Number(s.replace(/[^\d.]/g, '')));
	assert.deepEqual(nums, [...nums].sort((a, b) => b - a), 'best first');
	assert.match(await page.locator('.total').textContent(), /results for “Sun Chantha”/);

	await page.getByLabel(BOX, { exact: true }).and(page.locator('main input')).fill('kh-srch-2025-0007');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	const seizure = page.locator('.hit-group[data-kind=seizure] .hit-row').first();
	await seizure.filter({ hasText: 'KH-SRCH-2025-0007' }).waitFor();
	await seizure.locator('.exact-badge').waitFor();
	await seizure.getByRole('link', { name: 'KH-SRCH-2025-0007' }).click();
	await page.getByRole('heading', { level: 1, name: 'Seizure KH-SRCH-2025-0007' }).waitFor();

	await page.goto(`${server.url}/#/search?q=Zzyzx%20Qwerty`);
	await page.getByText('Nothing matches.', { exact: false }).waitFor();
	await page.context().close();
});

test('in Khmer the box and the results speak Khmer; on a phone they fit the screen', async () => {
	const page = await newPage(browser, { lang: 'km', viewport: { width: 375, height: 740 } });
	await signIn(page, server.url);
	const box = page.getByRole('combobox', { name: 'ស្វែងរកបុគ្គល លេខសម្គាល់ និងការរឹបអូស' });
	await box.waitFor();
	assert.match(await box.getAttribute('placeholder'), /[\u1780-\u17FF]/);
	const bounds = await box.boundingBox();
	assert.ok(bounds.x >= 0 && bounds.x + bounds.width <= 376, `box at ${bounds.x}..${bounds.x + bounds.width}`);
	await box.pressSequentially('Sun Chantha', { delay: 15 });
	const opt = page.locator('#global-search-list [role=option]').first();
	await opt.filter({ hasText: 'ស៊ុន ចាន់ថា' }).waitFor();
	assert.match(await opt.textContent(), /បុគ្គល ឬអង្គភាព/);
	const lb = await page.locator('#global-search-list').boundingBox();
	assert.ok(lb.x >= -1 && lb.x + lb.width <= 377, `suggestions at ${lb.x}..${lb.x + lb.width}`);
	await screenshot(page, 'search-suggestions-phone-km');
	await box.press('Enter');
	await page.getByRole('heading', { level: 1, name: 'ស្វែងរក' }).waitFor();
	await page.locator('.hit-group h2').first().filter({ hasText: 'បុគ្គល និងអង្គភាព' }).waitFor();
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
	assert.ok(w[0] <= w[1], `page ${w[0]}px wide on ${w[1]}px`);
	await screenshot(page, 'search-results-phone-km');
	await page.context().close();
});
