// Browser tests: user administration (add, role, reset password, disable),
// adding an agency, the AITR report download, and sign-out.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer } from './server.mjs';
import { launch, newPage, signIn, screenshot } from './browser.mjs';

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

async function signOut(page) {
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
}

async function trySignIn(page, user, password) {
	await page.getByLabel('Username').fill(user);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

test('admin adds an agency and an officer; the officer signs in with a limited menu; reset and disable work', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'Users', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'Users and agencies' }).waitFor();
	assert.ok(await page.locator('tr[data-user=admin]').count() === 1, 'the admin is listed');

	// a password that is too short is refused beside the field
	const addUser = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a user' }) });
	await addUser.getByLabel('Username').fill('e2e.officer');
	await addUser.getByLabel('Full name').fill('E2E Officer');
	await addUser.getByLabel('Password').fill('short');
	await addUser.getByLabel('Role').selectOption('officer');
	await addUser.getByRole('button', { name: 'Add user' }).click();
	await addUser.locator('.field.has-error').first().waitFor();
	assert.match(await addUser.locator('.field.has-error').first().textContent(), /Password/);
	assert.equal(await page.locator('tr[data-user="e2e.officer"]').count(), 0);

	// add an agency, then the user in it
	const addAgency = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add an agency' }) });
	await addAgency.getByLabel('Agency name').fill('E2E Wildlife Rapid Rescue Team');
	await addAgency.getByLabel('Country').selectOption('KH');
	const kinds = await addAgency.getByLabel('Kind of agency').locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
	assert.ok(kinds.length > 0, 'agency kinds come from the vocabulary');
	await addAgency.getByLabel('Kind of agency').selectOption(kinds[0]);
	await addAgency.getByRole('button', { name: 'Add agency' }).click();
	await page.locator('.agency-list li').filter({ hasText: 'E2E Wildlife Rapid Rescue Team' }).waitFor();

	await addUser.getByLabel('Password').fill('officer-pass-123');
	await addUser.getByLabel('Agency').selectOption({ label: 'E2E Wildlife Rapid Rescue Team' });
	await addUser.getByRole('button', { name: 'Add user' }).click();
	const row = page.locator('tr[data-user="e2e.officer"]');
	await row.waitFor();
	assert.match(await row.textContent(), /Officer/);
	assert.match(await row.textContent(), /E2E Wildlife Rapid Rescue Team/);
	assert.match(await row.textContent(), /Active/);
	await screenshot(page, 'admin-en');

	// the officer signs in: no Import, no Users
	await signOut(page);
	await trySignIn(page, 'e2e.officer', 'officer-pass-123');
	await page.getByRole('heading', { level: 1, name: 'Seizures' }).waitFor();
	assert.equal(await page.getByRole('link', { name: 'Users', exact: true }).count(), 0);
	assert.equal(await page.getByRole('link', { name: 'Import', exact: true }).count(), 0);
	assert.equal(await page.getByRole('link', { name: 'New seizure' }).count() >= 1, true);
	await signOut(page);

	// admin resets the password, then disables the account
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'Users', exact: true }).click();
	const row2 = page.locator('tr[data-user="e2e.officer"]');
	await row2.getByRole('button', { name: 'Reset password' }).click();
	await row2.getByLabel('New password').fill('officer-pass-456');
	await row2.getByRole('button', { name: 'Set password', exact: true }).click();
	await page.getByRole('status').filter({ hasText: 'Password of e2e.officer changed.' }).waitFor();
	await row2.getByRole('button', { name: 'Disable' }).click();
	await page.locator('tr[data-user="e2e.officer"]').getByText('Disabled').waitFor();
	await signOut(page);
	await trySignIn(page, 'e2e.officer', 'officer-pass-456');
	await page.getByRole('alert').waitFor();
	assert.equal(await page.getByRole('heading', { level: 1, name: 'Sign in' }).count(), 1, 'a disabled user stays out');

	// enable again: the new password works, the old one does not
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'Users', exact: true }).click();
	await page.locator('tr[data-user="e2e.officer"]').getByRole('button', { name: 'Enable' }).click();
	await page.locator('tr[data-user="e2e.officer"]').getByText('Active').waitFor();
	await signOut(page);
	await trySignIn(page, 'e2e.officer', 'officer-pass-123');
	await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
	await trySignIn(page, 'e2e.officer', 'officer-pass-456');
	await page.getByRole('heading', { level: 1, name: 'Seizures' }).waitFor();
	await page.context().close();
});

test('the AITR report downloads as CSV in Khmer and as XLSX', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'Reports' }).click();
	await page.getByRole('heading', { level: 1, name: 'CITES Annual Illegal Trade Report' }).waitFor();
	await page.getByLabel('Year').fill('2025');
	await page.getByLabel('Format').selectOption('csv');
	await page.getByLabel('Language of the report').selectOption('km');
	let downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download' }).click();
	let download = await downloading;
	const csv = fs.readFileSync(await download.path(), 'utf8');
	assert.match(download.suggestedFilename(), /\.csv$/);
	assert.ok(csv.split('\n').length >= 1 && csv.length > 10, 'a CSV with a header');
	assert.match(csv, /[\u1780-\u17FF]/, 'the Khmer report has Khmer text');
	await page.getByText('The report was downloaded.').waitFor();

	await page.getByLabel('Format').selectOption('xlsx');
	await page.getByLabel('Language of the report').selectOption('en');
	downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download' }).click();
	download = await downloading;
	const xlsx = fs.readFileSync(await download.path());
	assert.equal(xlsx.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a zip');
	assert.match(download.suggestedFilename(), /\.xlsx$/);
	await page.context().close();
});

test('an admin adds a nationally protected species; a bad name is refused beside the field; the new species can be recorded', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'Users', exact: true }).click();
	const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Add a nationally protected species' }) });
	await form.waitFor();

	// an existing CITES taxon is refused, with the message beside the name
	await form.getByLabel('Scientific name').fill('Manis javanica');
	await form.getByRole('button', { name: 'Add species' }).click();
	await form.locator('.field.has-error').first().waitFor();
	assert.match(await form.locator('.field.has-error').first().textContent(), /already a taxon/);
	assert.equal(await page.locator('.species-list li').count(), 0);

	await form.getByLabel('Scientific name').fill('Cuora kaoprinensis');
	await form.getByLabel('Class').fill('Reptilia');
	await form.getByLabel('Family').fill('Geoemydidae');
	await form.getByLabel('Law or list protecting it').fill('Sub-decree 123 (test)');
	await form.getByLabel('Common name (English)').fill('E2E box turtle');
	await form.getByLabel('Common name (Khmer)').fill('អណ្ដើកសាកល្បង');
	await form.getByRole('button', { name: 'Add species' }).click();
	await page.locator('.species-list li').filter({ hasText: 'Cuora kaoprinensis' }).waitFor();
	assert.match(await page.locator('.species-list li').first().textContent(), /NC/);

	// the species search finds it by its Khmer common name
	const res = await page.evaluate(async () => (await fetch('/api/v1/species?q=' + encodeURIComponent('អណ្ដើកសាកល្បង'))).json());
	assert.equal(res.items[0].name, 'Cuora kaoprinensis');
	await page.context().close();
});
