// Browser tests of the duplicate review queue: two parties sharing a phone
// appear as a pair side by side with score and reason; a merge needs a
// reason; after the merge the merged party's page says it was merged into
// the survivor, and undo restores it; "not the same" takes a pair out of
// the queue; officers have no queue in their menu.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, newPage, signIn, screenshot, apiFromPage } from './browser.mjs';

let server;
let browser;
const data = {};
const OFFICER_PW = 'Officer-pass-123';

before(async () => {
	server = await startServer();
	browser = await launch();
	const page = await newPage(browser);
	await signIn(page, server.url);
	const api = async (m, p, b) => {
		const r = await apiFromPage(page, m, p, b);
		assert.ok(r.status === 200 || r.status === 201, `${m} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
		return r.body;
	};
	const ag = (await api('GET', '/reference/agencies')).items[0];
	await api('POST', '/users', { username: 'dup_officer', display_name: 'Dup Officer', password: OFFICER_PW, role: 'officer', agency_id: ag.id });
	data.pen = await api('POST', '/parties', {
		kind: 'person', names: ['Pen Sovann'], nationalities: ['KH'],
		identifiers: [{ kind: 'phone', value: '012 777 666', role: 'uses', source: 'police statement' }],
	});
	data.penKm = await api('POST', '/parties', {
		kind: 'person', names: [{ name: 'ប៉ែន សុវណ្ណ' }], birth_year: 1983,
		identifiers: [{ kind: 'phone', value: '+855 12 777 666', role: 'uses', source: 'phone seized' }],
	});
	data.lim = await api('POST', '/parties', {
		kind: 'person', names: ['Lim Heng'],
		identifiers: [{ kind: 'email', value: 'heng@example.com' }],
	});
	data.limToo = await api('POST', '/parties', {
		kind: 'person', names: ['Lim Hieng'],
		identifiers: [{ kind: 'email', value: 'HENG@example.com' }],
	});
	await page.context().close();
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

const pairOf = (page, a, b) => page.locator('section.dup-pair[data-pair]')
	.filter({ has: page.locator(`.dup-side[data-party="${a}"]`) })
	.filter({ has: page.locator(`.dup-side[data-party="${b}"]`) });

test('two parties sharing a phone are a pair; merge (reason required); the merged page says so; undo restores it', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'Review duplicates' }).click();
	await page.getByRole('heading', { level: 1, name: 'Possible duplicates' }).waitFor();
	const pair = pairOf(page, data.pen.id, data.penKm.id);
	await pair.waitFor();
	const text = await pair.textContent();
	assert.match(text, /same phone \+855 12 777 666/);
	assert.match(text, /Score \d\.\d\d/);
	const sides = pair.locator('.dup-side');
	assert.equal(await sides.count(), 2);
	const left = await sides.nth(0).textContent();
	const right = await sides.nth(1).textContent();
	assert.ok([left, right].some((s) => /ប៉ែន សុវណ្ណ/.test(s) && /1983/.test(s)), 'the Khmer one with its birth year');
	assert.ok([left, right].some((s) => /Pen Sovann/.test(s) && /Cambodia/.test(s)), 'the Latin one with its nationality');
	for (const s of [left, right]) {
		assert.match(s, /\+855 12 777 666/);
		assert.match(s, /Seizures0/);
		assert.match(s, /Administration/);
	}
	const before = await page.locator('.total').textContent();
	await screenshot(page, 'duplicates-queue-en');

	// a merge needs a reason
	await pair.getByRole('button', { name: 'Merge' }).click();
	const reason = pair.getByLabel('Reason (required)');
	await reason.and(page.locator('[aria-invalid=true]')).waitFor();
	assert.match(await pair.locator('.field.has-error').textContent(), /Give a reason\./);

	// keep the Latin-named one
	const keep = pair.locator(`.dup-side[data-party="${data.pen.id}"]`).getByLabel('Keep this one');
	await keep.check();
	await reason.fill('same phone, same trader');
	await pair.getByRole('button', { name: 'Merge' }).click();
	await page.locator('#toast').filter({ hasText: 'Merged into Pen Sovann.' }).waitFor();
	const recent = page.locator('section.dup-done');
	await recent.waitFor();
	assert.match(await recent.textContent(), /ប៉ែន សុវណ្ណ merged into Pen Sovann/);
	await pairOf(page, data.pen.id, data.penKm.id).waitFor({ state: 'detached' });
	assert.notEqual(await page.locator('.total').textContent(), before, 'the queue count changed');

	// the merged party's page says where it went
	await recent.getByRole('link', { name: 'Open the merged record' }).click();
	const banner = page.locator('.merged-into');
	await banner.waitFor();
	assert.match(await banner.textContent(), /This record was merged into\s+Pen Sovann/);
	await screenshot(page, 'party-merged-en');
	// the survivor now has the Khmer name too
	await banner.getByRole('link', { name: 'Pen Sovann' }).click();
	await page.locator('h1.party-title').filter({ hasText: 'Pen Sovann' }).waitFor();
	await page.locator('table.names-table tbody tr').filter({ hasText: 'ប៉ែន សុវណ្ណ' }).waitFor();
	// undo from the survivor's page, with a reason
	const merge = page.locator('.merge-item').first();
	await merge.getByRole('button', { name: 'Undo' }).click();
	await merge.getByLabel('Reason for undoing').and(page.locator('[aria-invalid=true]')).waitFor();
	await merge.getByLabel('Reason for undoing').fill('brothers, not one man');
	await merge.getByRole('button', { name: 'Undo' }).click();
	await page.locator('#toast').filter({ hasText: 'The merge was undone.' }).waitFor();
	await page.locator('.merge-item .badge').filter({ hasText: 'undone' }).waitFor();
	assert.equal(await page.locator('table.names-table tbody tr').filter({ hasText: 'ប៉ែន សុវណ្ណ' }).count(), 0);
	// the merged party is itself again
	await page.goto(`${server.url}/#/parties/${data.penKm.id}`);
	await page.locator('h1.party-title').filter({ hasText: 'ប៉ែន សុវណ្ណ' }).waitFor();
	assert.equal(await page.locator('.merged-into').count(), 0);
	assert.match(await page.locator('table.idents-table').textContent(), /\+855 12 777 666/);
	// and the pair is back in the queue
	await page.getByRole('link', { name: 'Review duplicates' }).click();
	await pairOf(page, data.pen.id, data.penKm.id).waitFor();
	assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
	await page.context().close();
});

test('not the same takes the pair out of the queue; undo of a merge made just now', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.goto(`${server.url}/#/duplicates`);
	const lim = pairOf(page, data.lim.id, data.limToo.id);
	await lim.waitFor();
	await lim.getByLabel('Reason (required)').fill('cousins, different birth dates');
	await lim.getByRole('button', { name: 'Not the same' }).click();
	await page.locator('#toast').filter({ hasText: 'Marked as not the same.' }).waitFor();
	await lim.waitFor({ state: 'detached' });

	// merge, then undo straight from the queue
	const pen = pairOf(page, data.pen.id, data.penKm.id);
	await pen.getByLabel('Reason (required)').fill('same phone');
	await pen.getByRole('button', { name: 'Merge' }).click();
	const recent = page.locator('section.dup-done');
	await recent.waitFor();
	await recent.getByLabel('Reason for undoing').fill('too quick');
	await recent.getByRole('button', { name: 'Undo' }).click();
	await page.locator('#toast').filter({ hasText: 'The merge was undone.' }).waitFor();
	await pairOf(page, data.pen.id, data.penKm.id).waitFor();
	await page.context().close();
});

test('in Khmer on a phone the queue fits and speaks Khmer; officers have no queue', async () => {
	const page = await newPage(browser, { viewport: { width: 375, height: 740 }, lang: 'km' });
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'ពិនិត្យកំណត់ត្រាស្ទួន' }).click();
	await page.getByRole('heading', { level: 1, name: 'កំណត់ត្រាដែលអាចស្ទួនគ្នា' }).waitFor();
	const pair = pairOf(page, data.pen.id, data.penKm.id);
	await pair.waitFor();
	await pair.getByRole('button', { name: 'បញ្ចូលគ្នា' }).waitFor();
	await pair.getByRole('button', { name: 'មិនមែនតែមួយ' }).waitFor();
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
	assert.ok(w[0] <= w[1], `page ${w[0]}px wide on ${w[1]}px`);
	await screenshot(page, 'duplicates-phone-km');
	await page.context().close();

	const officer = await newPage(browser);
	await signIn(officer, server.url, 'dup_officer', OFFICER_PW);
	await officer.getByRole('link', { name: 'People', exact: true }).waitFor();
	assert.equal(await officer.getByRole('link', { name: 'Review duplicates' }).count(), 0);
	await officer.context().close();
});
