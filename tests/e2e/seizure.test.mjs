// Browser tests: sign in, record a seizure, see it in the list, search for it,
// field errors beside their fields, and the edit conflict (409).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, newPage, signIn, pickSuggestion, screenshot, apiFromPage } from './browser.mjs';

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

// Fills the new-seizure form with one item and submits it; returns the page
// at the seizure's detail view.
async function recordSeizure(page, { speciesText, speciesOption, date, quantity, notes }) {
	await page.getByRole('link', { name: 'New seizure' }).first().click();
	await page.getByRole('heading', { level: 1, name: 'New seizure' }).waitFor();
	await page.getByLabel('Date of seizure').fill(date);
	await page.getByLabel('Country of seizure').selectOption('KH');
	await pickSuggestion(page, page, 'Port or airport (UN/LOCODE)', 'Sihanoukville', 'KHKOS');
	await page.getByLabel('Place', { exact: true }).fill('Sihanoukville');
	await page.getByLabel('Province').fill('Preah Sihanouk');
	const item = page.getByRole('group', { name: 'Item 1' });
	await pickSuggestion(page, item, 'Species', speciesText, speciesOption);
	await item.getByLabel('Term').selectOption('SCA');
	// the unit list offers only the units allowed for scales
	const units = await item.getByLabel('Unit').locator('option').evaluateAll((os) => os.map((o) => o.value));
	assert.ok(units.includes('KIL'), `KIL offered for SCA: ${units}`);
	assert.ok(!units.includes('BAG') && !units.includes('M2'), `units limited to the term: ${units}`);
	await item.getByLabel('Unit').selectOption('KIL');
	await item.getByLabel('Quantity').fill(String(quantity));
	if (notes)
		await page.getByLabel('Additional information').fill(notes);
	await page.getByRole('button', { name: 'Record seizure' }).click();
	await page.getByRole('heading', { level: 1, name: /^Seizure / }).waitFor();
}

test('sign in as admin, record pangolin scales at Sihanoukville, see it in the list and find it', async () => {
	const page = await newPage(browser);
	// a wrong password is refused with a message, and the form stays
	await page.goto(`${server.url}/`);
	await page.getByLabel('Username').fill('admin');
	await page.getByLabel('Password').fill('not-the-password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

	await signIn(page, server.url);
	assert.equal(await page.locator('#whoami').isVisible(), true);
	await page.getByRole('button', { name: 'Sign out' }).waitFor();
	const before = await apiFromPage(page, 'GET', '/seizures?limit=1');
	assert.equal(before.status, 200);

	await recordSeizure(page, { speciesText: 'pangolin', speciesOption: 'Manis javanica', date: '2025-03-14', quantity: 12.5, notes: 'e2e scales from Lagos' });
	const heading = await page.getByRole('heading', { level: 1 }).textContent();
	const ref = heading.replace(/^Seizure\s+/, '').trim();
	assert.ok(ref.length > 0, 'the detail page names the seizure');
	const items = page.locator('table.table').first();
	await items.getByText('Manis javanica').waitFor();
	assert.match(await items.textContent(), /12\.5/);
	assert.match(await items.textContent(), /kilograms|KIL/i);
	assert.match(await page.locator('.facts').textContent(), /KHKOS/);
	assert.match(await page.locator('.facts').textContent(), /Sihanoukville/);
	// the audit history shows the creation by admin
	const history = page.locator('.history table');
	await history.waitFor();
	assert.match(await history.textContent(), /admin/);
	assert.match(await history.textContent(), /created/);
	await screenshot(page, 'seizure-detail-en');

	// the list shows it, with its total
	await page.getByRole('link', { name: 'Seizures', exact: true }).click();
	const list = page.getByRole('list', { name: 'Search results' });
	await list.getByRole('link', { name: ref }).waitFor();
	assert.equal(await page.locator('.total').textContent(), `Seizures found: ${before.body.total + 1}`);
	await screenshot(page, 'seizure-list-en');

	// the search box finds it by its reference and by its notes …
	await page.getByRole('searchbox', { name: 'Search' }).fill(ref);
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await page.waitForURL(/q=/);
	await list.getByRole('link', { name: ref }).waitFor();
	assert.equal(await page.locator('.total').textContent(), 'Seizures found: 1');
	await page.getByRole('searchbox', { name: 'Search' }).fill('Sihanoukville');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await list.getByRole('link', { name: ref }).waitFor();
	// … and a search that matches nothing shows no seizure
	await page.getByRole('searchbox', { name: 'Search' }).fill('zzqxnothingmatches');
	await page.getByRole('button', { name: 'Search', exact: true }).click();
	await page.getByText('No seizures match.').waitFor();
	assert.equal(await list.getByRole('link').count(), 0);
	assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
	await page.context().close();
});

test('species found by its Khmer name ពង្រូល, and the species filter with autocomplete', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await recordSeizure(page, { speciesText: 'ពង្រូល', speciesOption: 'Manis javanica', date: '2025-04', quantity: 3 });
	const table = page.locator('table.table').first();
	assert.match(await table.textContent(), /Manis /);
	await page.getByRole('link', { name: 'Back to seizures' }).click();
	await page.getByText('Filters (0 active)').click();
	await pickSuggestion(page, page, 'Species (any name)', 'ពង្រូល', 'Manis javanica');
	const chosen = await page.getByLabel('Species (any name)').inputValue();
	assert.equal(chosen, 'Manis javanica');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await page.waitForURL(/species=/);
	const list = page.getByRole('list', { name: 'Search results' });
	await list.locator('.seizure-row').first().waitFor();
	const rows = await list.locator('.seizure-row').allTextContents();
	assert.ok(rows.length >= 1);
	for (const r of rows)
		assert.match(r, new RegExp(chosen), 'every row has the filtered species');
	await page.getByText('Filters (1 active)').waitFor();
	await page.context().close();
});

test('API field errors appear beside their fields; stale edits show the conflict', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'New seizure' }).first().click();
	await page.getByLabel('Date of seizure').fill('2025-05-02');
	const item = page.getByRole('group', { name: 'Item 1' });
	await pickSuggestion(page, item, 'Species', 'pangolin', 'Manis javanica');
	await item.getByLabel('Term').selectOption('SCA');
	await item.getByLabel('Unit').selectOption('KIL');
	// quantity left empty: the API refuses items[0].quantity
	await page.getByRole('button', { name: 'Record seizure' }).click();
	const summary = page.getByRole('alert').filter({ hasText: 'The seizure was not saved.' });
	await summary.waitFor();
	const qty = item.getByLabel('Quantity');
	await assert.doesNotReject(qty.and(page.locator('[aria-invalid=true]')).waitFor());
	const errId = await qty.getAttribute('aria-describedby');
	const msg = await page.locator(`#${errId}`).textContent();
	assert.ok(msg.trim().length > 0, 'a message beside the quantity');
	// the message sits in the quantity's own field, inside item 1
	assert.equal(await item.locator('.field.has-error').count() >= 1, true);
	assert.match(await item.locator('.field.has-error').first().textContent(), /Quantity/);
	await screenshot(page, 'seizure-form-errors-en');

	// now save it, open the editor, let someone else change it, then save
	await qty.fill('4');
	await page.getByRole('button', { name: 'Record seizure' }).click();
	await page.getByRole('heading', { level: 1, name: /^Seizure / }).waitFor();
	const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
	await page.getByRole('link', { name: 'Edit' }).click();
	await page.getByRole('heading', { level: 1, name: /^Edit seizure/ }).waitFor();
	const current = await apiFromPage(page, 'GET', `/seizures/${id}`);
	const other = await apiFromPage(page, 'PATCH', `/seizures/${id}`, { version: current.body.version, notes: 'changed elsewhere' });
	assert.equal(other.status, 200, JSON.stringify(other.body));
	await page.getByLabel('Additional information').fill('my change');
	await page.getByRole('button', { name: 'Save changes' }).click();
	const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed this seizure' });
	await conflict.waitFor();
	await screenshot(page, 'seizure-conflict-en');
	const after = await apiFromPage(page, 'GET', `/seizures/${id}`);
	assert.equal(after.body.notes, 'changed elsewhere', 'the stale edit did not overwrite');
	// reloading the form picks up the new version, and saving then works
	await conflict.getByRole('button', { name: 'Reload the form' }).click();
	await page.waitForFunction(() => document.querySelector('textarea') && [...document.querySelectorAll('textarea')].some((t) => t.value === 'changed elsewhere'));
	await page.getByLabel('Additional information').fill('my change, again');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await page.getByRole('heading', { level: 1, name: /^Seizure / }).waitFor();
	assert.match(await page.locator('.facts').textContent(), /my change, again/);
	const hist = page.locator('.history table');
	await hist.waitFor();
	assert.match(await hist.textContent(), /changed/);

	// the admin deletes it after confirming; it is gone
	page.once('dialog', (d) => d.accept());
	await page.getByRole('button', { name: 'Delete' }).click();
	await page.getByRole('heading', { level: 1, name: 'Seizures' }).waitFor();
	assert.equal((await apiFromPage(page, 'GET', `/seizures/${id}`)).status, 404);
	await page.goto(`${server.url}/#/seizures/${id}`);
	await page.getByRole('alert').filter({ hasText: 'This record does not exist or you cannot see it.' }).waitFor();
	await page.context().close();
});

test('the list pages with "More" and the total stays right; filters narrow it', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	const start = (await apiFromPage(page, 'GET', '/seizures?limit=1')).body.total;
	// 30 seizures by road, more than one page of 25
	for (let i = 0; i < 30; i++) {
		const r = await apiFromPage(page, 'POST', '/seizures', {
			date: `2023-01-${String((i % 28) + 1).padStart(2, '0')}`, country: 'KH', place: `E2E page ${i}`, transport_mode: 'road',
			items: [{ species: 'Elephas maximus', term: 'TUS', quantity: i + 1, unit: '' }],
		});
		assert.equal(r.status, 201, JSON.stringify(r.body));
	}
	await page.goto(`${server.url}/#/seizures?from=2023-01-01&to=2023-12-31`);
	const list = page.getByRole('list', { name: 'Search results' });
	await page.locator('.total').filter({ hasText: 'Seizures found: 30' }).waitFor();
	assert.equal(await list.locator('.seizure-row').count(), 25);
	await page.getByText('Filters (2 active)').waitFor();
	await page.getByRole('button', { name: 'More' }).click();
	await page.waitForFunction(() => document.querySelectorAll('.seizure-row').length === 30);
	assert.equal(await page.getByRole('button', { name: 'More' }).isVisible(), false, 'no more pages');
	const refs = await list.locator('.seizure-row .ref').allTextContents();
	assert.equal(new Set(refs).size, 30, 'no seizure shown twice');
	// without the date filter, the total counts everything
	await page.goto(`${server.url}/#/seizures`);
	await page.locator('.total').filter({ hasText: `Seizures found: ${start + 30}` }).waitFor();
	// the higher-taxon filter: elephants are not pangolins
	await page.getByText('Filters (0 active)').click();
	await page.getByLabel('Higher taxon').fill('Elephantidae');
	await page.getByLabel('Transport mode').selectOption('road');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await page.locator('.total').filter({ hasText: 'Seizures found: 30' }).waitFor();
	await page.getByLabel('Higher taxon').fill('Manidae');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await page.getByText('No seizures match.').waitFor();
	await page.context().close();
});

test('when the session ends the next action shows the sign-in page, then returns', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	// the session is ended elsewhere (e.g. it expired)
	const out = await page.evaluate(async () => {
		const s = await fetch('api/v1/session').then((r) => r.json());
		return (await fetch('api/v1/session', { method: 'DELETE', headers: { 'X-CSRF-Token': s.csrf_token } })).status;
	});
	assert.equal(out, 204);
	await page.goto(`${server.url}/#/seizures?q=Sihanoukville`);
	await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
	await page.getByLabel('Username').fill('admin');
	await page.getByLabel('Password').fill('Test-admin-pass-1');
	await page.getByRole('button', { name: 'Sign in' }).click();
	// back where the user was going
	await page.waitForURL(/#\/seizures\?q=Sihanoukville$/);
	assert.equal(await page.getByRole('searchbox', { name: 'Search' }).inputValue(), 'Sihanoukville');

	// ended while a form is being filled: saving leads to sign-in, and what
	// was typed is still there afterwards
	await page.getByRole('link', { name: 'New seizure' }).first().click();
	await page.getByLabel('Date of seizure').fill('2025-08-09');
	await page.getByLabel('Place', { exact: true }).fill('Koh Kong checkpoint');
	const item = page.getByRole('group', { name: 'Item 1' });
	await pickSuggestion(page, item, 'Species', 'pangolin', 'Manis javanica');
	await item.getByLabel('Term').selectOption('SCA');
	await item.getByLabel('Unit').selectOption('KIL');
	await item.getByLabel('Quantity').fill('7');
	await page.evaluate(async () => {
		const s = await fetch('api/v1/session').then((r) => r.json());
		await fetch('api/v1/session', { method: 'DELETE', headers: { 'X-CSRF-Token': s.csrf_token } });
	});
	await page.getByRole('button', { name: 'Record seizure' }).click();
	await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
	await page.getByLabel('Username').fill('admin');
	await page.getByLabel('Password').fill('Test-admin-pass-1');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.getByRole('heading', { level: 1, name: 'New seizure' }).waitFor();
	assert.equal(await page.getByLabel('Date of seizure').inputValue(), '2025-08-09');
	assert.equal(await page.getByLabel('Place', { exact: true }).inputValue(), 'Koh Kong checkpoint');
	assert.equal(await item.getByLabel('Species').inputValue(), 'Manis javanica');
	assert.equal(await item.getByLabel('Unit').inputValue(), 'KIL');
	await page.getByRole('button', { name: 'Record seizure' }).click();
	await page.getByRole('heading', { level: 1, name: /^Seizure / }).waitFor();
	assert.match(await page.locator('.facts').textContent(), /Koh Kong checkpoint/);
	await page.context().close();
});
