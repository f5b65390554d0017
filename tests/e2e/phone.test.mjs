// Browser tests on a phone-sized screen (375 × 740): the pages fit the width,
// and a seizure can be recorded with the form.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, newPage, signIn, pickSuggestion, screenshot } from './browser.mjs';

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

const PHONE = { width: 375, height: 740 };

// Nothing wider than the screen: no sideways scrolling, and every visible
// form control lies inside the viewport horizontally.
async function assertFits(page, what) {
	const r = await page.evaluate(() => {
		const w = document.documentElement.clientWidth;
		const bad = [];
		for (const el of document.querySelectorAll('input, select, textarea, button, label')) {
			const b = el.getBoundingClientRect();
			if (b.width === 0 && b.height === 0)
				continue;
			if (b.left < -1 || b.right > w + 1)
				bad.push(`${el.tagName} ${el.id || el.textContent.trim().slice(0, 30)} ${Math.round(b.left)}..${Math.round(b.right)}`);
		}
		return { scroll: document.documentElement.scrollWidth, w, bad };
	});
	assert.ok(r.scroll <= r.w, `${what}: page is ${r.scroll}px wide on a ${r.w}px screen`);
	assert.deepEqual(r.bad, [], `${what}: controls outside the screen`);
}

test('on a phone the list and the seizure form fit the screen and the form works', async () => {
	const page = await newPage(browser, { viewport: PHONE });
	await signIn(page, server.url);
	await assertFits(page, 'list');
	await screenshot(page, 'phone-list-en');
	await page.getByRole('link', { name: 'New seizure' }).first().click();
	await page.getByRole('heading', { level: 1, name: 'New seizure' }).waitFor();
	await assertFits(page, 'form');
	// inputs are big enough to touch
	const h = await page.getByLabel('Date of seizure').evaluate((el) => el.getBoundingClientRect().height);
	assert.ok(h >= 40, `date input is ${h}px high`);
	await page.getByLabel('Date of seizure').fill('2025-06-30');
	const item = page.getByRole('group', { name: 'Item 1' });
	await pickSuggestion(page, item, 'Species', 'pangolin', 'Manis javanica');
	// the suggestion list stayed on screen (checked while it was open in pickSuggestion);
	await item.getByLabel('Term').selectOption('SCA');
	await item.getByLabel('Unit').selectOption('KIL');
	await item.getByLabel('Quantity').fill('2.25');
	await page.getByRole('button', { name: 'Add item' }).click();
	const item2 = page.getByRole('group', { name: 'Item 2' });
	await pickSuggestion(page, item2, 'Species', 'pangolin', 'Manis javanica');
	await item2.getByLabel('Term').selectOption('SCA');
	await item2.getByLabel('Unit').selectOption('GRM');
	await item2.getByLabel('Quantity').fill('500');
	await assertFits(page, 'form with two items');
	await screenshot(page, 'phone-form-en');
	await page.getByRole('button', { name: 'Record seizure' }).click();
	await page.getByRole('heading', { level: 1, name: /^Seizure / }).waitFor();
	const rows = page.locator('table.table').first().locator('tbody tr');
	assert.equal(await rows.count(), 2);
	await assertFits(page, 'detail');
	await screenshot(page, 'phone-detail-en');
	await page.context().close();
});

test('on a phone in Khmer the form fits and keeps its labels', async () => {
	const page = await newPage(browser, { viewport: PHONE, lang: 'km' });
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'ការរឹបអូសថ្មី' }).first().click();
	await page.getByRole('heading', { level: 1, name: 'ការរឹបអូសថ្មី' }).waitFor();
	await assertFits(page, 'Khmer form');
	await page.getByLabel('កាលបរិច្ឆេទនៃការរឹបអូស').fill('2025-07-01');
	await screenshot(page, 'phone-form-km');
	await page.context().close();
});
