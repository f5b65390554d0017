// Browser tests of the party pages: open a person from the search box and
// see the names (Khmer with its romanisation), identifiers, seizures,
// relations and timeline; add an identifier (a container with a wrong check
// digit is refused beside the field, then a good one); add a name; the
// edit conflict (409); a new person with several names and an identifier;
// the seizure page's people section; a phone-sized screen.

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
	const api = async (m, p, b, status = [200, 201]) => {
		const r = await apiFromPage(page, m, p, b);
		assert.ok(status.includes(r.status), `${m} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
		return r.body;
	};
	data.seizure = await api('POST', '/seizures', {
		ref: 'KH-PARTY-2025-0001', date: '2025-03-14', country: 'KH', place: 'Sihanoukville port',
		items: [{ species: 'Manis javanica', term: 'SCA', quantity: 1200.5, unit: 'KIL' }],
	});
	data.chantha = await api('POST', '/parties', {
		kind: 'person', names: [{ name: 'ស៊ុន ចាន់ថា' }, { name: 'SUN Chantha' }, { name: 'Tha', kind: 'nickname' }],
		sex: 'male', birth_year: 1978, nationalities: ['KH'], notes: 'trader, Koh Kong',
		identifiers: [{ kind: 'phone', value: '012 345 678', role: 'uses', source: 'police statement', date: '2024-11-02' }],
	});
	data.dragon = await api('POST', '/parties', {
		kind: 'organisation', names: ['Golden Dragon Trading Co., Ltd.'], org_kind: 'logistics', country: 'KH',
	});
	await api('POST', `/seizures/${data.seizure.id}/parties`, { party_id: data.chantha.id, role: 'consignee', source: 'customs declaration' });
	await api('POST', `/parties/${data.chantha.id}/relations`, { party_id: data.dragon.id, kind: 'director_of', date: '2025-05-01', source: 'company register' });
	await page.context().close();
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

// The small form opened by `button` on the party page.
function inlineForm(page, title) {
	return page.locator('form.inline-card').filter({ has: page.getByRole('heading', { level: 3, name: title }) });
}

test('open a person from the search box: names, identifiers, seizure, relation, timeline', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	const box = page.getByRole('combobox', { name: 'Search people, identifiers and seizures' });
	await box.pressSequentially('Sun Chantha', { delay: 15 });
	await page.locator('#global-search-list [role=option]').filter({ hasText: 'ស៊ុន ចាន់ថា' }).first().click();
	await page.locator('h1.party-title').filter({ hasText: 'ស៊ុន ចាន់ថា' }).waitFor();
	assert.match(await page.locator('h1.party-title').textContent(), /\(sun chantha\)/, 'romanisation beside the Khmer name');

	const names = page.locator('table.names-table tbody tr');
	assert.equal(await names.count(), 3);
	const khmer = await names.nth(0).locator('td').allTextContents();
	assert.deepEqual(khmer, ['ស៊ុន ចាន់ថា', 'Khmer', 'Full name', 'sun chantha']);
	assert.equal(await names.nth(0).locator('[lang=km]').count(), 1, 'the Khmer name is marked lang=km');
	assert.deepEqual(await names.nth(1).locator('td').allTextContents(), ['SUN Chantha', 'Latin', 'Full name', '']);
	assert.match(await names.nth(2).textContent(), /Nickname/);

	const facts = await page.locator('.facts').textContent();
	for (const s of ['Male', '1978', 'Cambodia', 'trader, Koh Kong', 'All agencies in the country'])
		assert.ok(facts.includes(s), `facts show ${s}: ${facts}`);

	const ident = page.locator('table.idents-table tbody tr');
	assert.equal(await ident.count(), 1);
	assert.deepEqual((await ident.first().locator('td').allTextContents()).slice(0, 5),
		['Phone', '+855 12 345 678 (012 345 678)', 'uses', 'police statement', '2024-11-02']);

	const sz = page.locator('table.seizures-table tbody tr');
	assert.equal(await sz.count(), 1);
	assert.match(await sz.first().textContent(), /Consignee/);
	assert.match(await sz.first().textContent(), /Manis javanica \(SCA 1200\.5 KIL\)/);

	const rel = page.locator('table.relations-table tbody tr');
	assert.match(await rel.first().textContent(), /director or owner of/);
	await rel.first().getByRole('link', { name: 'Golden Dragon Trading Co., Ltd.' }).waitFor();

	// timeline, newest first: the relation (2025-05-01), the seizure (2025-03-14), the phone (2024-11-02)
	const tl = await page.locator('.timeline li time').allTextContents();
	assert.deepEqual(tl, ['2025-05-01', '2025-03-14', '2024-11-02']);
	assert.match(await page.locator('.timeline li').nth(1).textContent(), /Seizure.*Consignee.*KH-PARTY-2025-0001/);
	await screenshot(page, 'party-page-en');

	// links lead on: the seizure, whose page lists the person with the role
	await sz.first().getByRole('link', { name: 'KH-PARTY-2025-0001' }).click();
	await page.getByRole('heading', { level: 1, name: 'Seizure KH-PARTY-2025-0001' }).waitFor();
	const people = page.locator('section.seizure-people');
	await people.getByRole('heading', { level: 2, name: 'People and identifiers' }).waitFor();
	const row = people.locator('table.people-table tbody tr').first();
	await row.waitFor();
	assert.match(await row.textContent(), /ស៊ុន ចាន់ថា/);
	assert.match(await row.textContent(), /Consignee/);
	assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
	await page.context().close();
});

test('add an identifier: a container with a wrong check digit is refused beside the field, a good one is added', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.goto(`${server.url}/#/parties/${data.chantha.id}`);
	await page.locator('h1.party-title').waitFor();
	await page.getByRole('button', { name: 'Add an identifier' }).click();
	const form = inlineForm(page, 'Add an identifier');
	await form.getByLabel('Kind', { exact: true }).selectOption('container');
	await form.getByLabel('Number or value').fill('MSCU1234565');
	await form.getByLabel('Role', { exact: true }).selectOption('owns');
	await form.getByLabel('Source').fill('bill of lading');
	await form.getByRole('button', { name: 'Save' }).click();
	const value = form.getByLabel('Number or value');
	await value.and(page.locator('[aria-invalid=true]')).waitFor();
	const errId = await value.getAttribute('aria-describedby');
	const msg = await page.locator(`#${errId}`).textContent();
	assert.match(msg, /check digit is 6, not 5/, msg);
	assert.match(await form.locator('.field.has-error').textContent(), /Number or value/);
	assert.equal(await page.locator('table.idents-table tbody tr').count(), 1, 'nothing added');
	await screenshot(page, 'party-identifier-error-en');

	await value.fill('MSCU 123456 6');
	await form.getByRole('button', { name: 'Save' }).click();
	const rows = page.locator('table.idents-table tbody tr');
	await rows.nth(1).waitFor();
	const added = rows.filter({ hasText: 'Container' });
	assert.match(await added.textContent(), /MSCU/);
	assert.match(await added.textContent(), /owns/);
	assert.match(await added.textContent(), /bill of lading/);
	await page.locator('#toast').filter({ hasText: 'Identifier added.' }).waitFor();
	await page.context().close();
});

test('add a name; a stale edit shows the conflict and reloads', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.goto(`${server.url}/#/parties/${data.dragon.id}`);
	await page.locator('h1.party-title').filter({ hasText: 'Golden Dragon' }).waitFor();
	await page.getByRole('button', { name: 'Add a name' }).click();
	const nf = inlineForm(page, 'Add a name');
	await nf.getByLabel('Name', { exact: true }).fill('金龙贸易有限公司');
	await nf.getByRole('button', { name: 'Save' }).click();
	const hani = page.locator('table.names-table tbody tr').filter({ hasText: '金龙贸易有限公司' });
	await hani.waitFor();
	assert.match(await hani.textContent(), /Chinese/);
	assert.match(await hani.textContent(), /Alias/);
	assert.ok((await hani.locator('td').last().textContent()).trim().length > 0, 'the romanisation beside it');

	// open the editor, let someone else change the record, then save
	await page.getByRole('link', { name: 'Edit', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: /^Edit Golden Dragon/ }).waitFor();
	const cur = await apiFromPage(page, 'GET', `/parties/${data.dragon.id}`);
	const other = await apiFromPage(page, 'PATCH', `/parties/${data.dragon.id}`, { version: cur.body.version, notes: 'changed by a colleague' });
	assert.equal(other.status, 200);
	await page.getByLabel('Notes').fill('my change');
	await page.getByRole('button', { name: 'Save changes' }).click();
	const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed this record' });
	await conflict.waitFor();
	await screenshot(page, 'party-conflict-en');
	await conflict.getByRole('button', { name: 'Reload' }).click();
	await page.waitForFunction(() => /Golden Dragon/.test(document.querySelector('h1')?.textContent || '') && document.querySelector('form.party-form'));
	assert.equal(await page.getByLabel('Notes').inputValue(), 'changed by a colleague');
	await page.getByLabel('Notes').fill('my change, again');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await page.locator('h1.party-title').filter({ hasText: 'Golden Dragon' }).waitFor();
	assert.match(await page.locator('.facts').textContent(), /my change, again/);
	await page.context().close();
});

test('a new person with two names and a phone; field errors from the API beside the fields', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'People', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'People and organisations' }).waitFor();
	await page.locator('.total').filter({ hasText: /Found: 2/ }).waitFor();
	await page.getByRole('link', { name: 'New person' }).click();
	await page.getByRole('heading', { level: 1, name: 'New person' }).waitFor();
	await page.getByLabel('Name 1').fill('ឈឹម វុទ្ធី');
	await page.getByRole('button', { name: 'Add a name' }).click();
	await page.getByLabel('Name 2').fill('Chhim Vuthy');
	await page.getByLabel('Year of birth').fill('1979');
	await page.getByRole('button', { name: 'Add an identifier' }).click();
	const id1 = page.getByRole('group', { name: 'Identifier 1' });
	await id1.getByLabel('Kind', { exact: true }).selectOption('container');
	await id1.getByLabel('Number or value').fill('MSCU1234565');
	await page.getByRole('button', { name: 'Record', exact: true }).click();
	// the API's error on identifiers[0].value sits beside that field, in Identifier 1
	await page.getByRole('alert').filter({ hasText: 'Not saved.' }).waitFor();
	const value = id1.getByLabel('Number or value');
	await value.and(page.locator('[aria-invalid=true]')).waitFor();
	assert.match(await id1.locator('.field.has-error').textContent(), /check digit/);
	assert.equal(await page.getByLabel('Name 1').inputValue(), 'ឈឹម វុទ្ធី', 'what was typed is kept');
	await id1.getByLabel('Kind', { exact: true }).selectOption('phone');
	await value.fill('097 765 432');
	await page.getByRole('button', { name: 'Record', exact: true }).click();
	await page.locator('h1.party-title').filter({ hasText: 'ឈឹម វុទ្ធី' }).waitFor();
	const names = await page.locator('table.names-table tbody tr').allTextContents();
	assert.equal(names.length, 2);
	assert.match(names[0], /Khmer/);
	assert.match(names[1], /Latin/);
	assert.match(await page.locator('table.idents-table').textContent(), /\+855 97 765 432/);
	await page.context().close();
});

test('the seizure page links a new person with a role, and an existing one found by name', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.goto(`${server.url}/#/seizures/${data.seizure.id}`);
	const people = page.locator('section.seizure-people');
	await people.locator('form').waitFor();
	await people.getByLabel('Who').selectOption('new');
	await people.getByLabel('Name of the new person or organisation').fill('Wang Wei 王伟');
	await people.getByLabel('Role').selectOption('driver');
	await people.getByRole('button', { name: 'Link', exact: true }).click();
	await people.locator('table.people-table tbody tr').filter({ hasText: 'Wang Wei' }).filter({ hasText: 'Driver' }).waitFor();

	await people.getByLabel('Who').selectOption('existing');
	const who = people.getByLabel('Person or organisation', { exact: true });
	await who.pressSequentially('Golden Dragon', { delay: 15 });
	const listId = await who.getAttribute('aria-controls');
	await page.locator(`#${listId} [role=option]`).filter({ hasText: 'Golden Dragon' }).first().click();
	await people.getByLabel('Role').selectOption('owner');
	await people.getByRole('button', { name: 'Link', exact: true }).click();
	await people.locator('table.people-table tbody tr').filter({ hasText: 'Golden Dragon' }).filter({ hasText: 'Owner' }).waitFor();
	assert.equal(await people.locator('table.people-table tbody tr').count(), 3);
	await screenshot(page, 'seizure-people-en');
	await page.context().close();
});

test('on a phone the party page fits; in Khmer its headings and roles are Khmer', async () => {
	const page = await newPage(browser, { viewport: { width: 375, height: 740 }, lang: 'km' });
	await signIn(page, server.url);
	await page.goto(`${server.url}/#/parties/${data.chantha.id}`);
	await page.locator('h1.party-title').waitFor();
	await page.getByRole('heading', { level: 2, name: 'លេខសម្គាល់' }).waitFor();
	await page.getByRole('heading', { level: 2, name: 'លំដាប់ព្រឹត្តិការណ៍' }).waitFor();
	assert.match(await page.locator('table.seizures-table').textContent(), /អ្នកទទួលទំនិញ/);
	const r = await page.evaluate(() => {
		const w = document.documentElement.clientWidth;
		const bad = [];
		for (const el of document.querySelectorAll('input, select, textarea, button, label')) {
			const b = el.getBoundingClientRect();
			if (b.width === 0 && b.height === 0)
				continue;
			if (b.left < -1 || b.right > w + 1)
				bad.push(`${el.tagName} ${el.textContent.trim().slice(0, 30)}`);
		}
		return { scroll: document.documentElement.scrollWidth, w, bad };
	});
	assert.ok(r.scroll <= r.w, `page is ${r.scroll}px wide on ${r.w}px`);
	assert.deepEqual(r.bad, []);
	await screenshot(page, 'party-page-phone-km');
	await page.context().close();
});
