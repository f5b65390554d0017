// Test helper: Debian's Chromium driven by playwright-core, and the steps the
// tests share (sign in, pick from an autocomplete, save a screenshot).

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ARTIFACTS, ADMIN_USER, ADMIN_PASSWORD } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export async function launch() {
	if (!fs.existsSync(CHROMIUM))
		throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_BIN)`);
	return chromium.launch({
		executablePath: CHROMIUM,
		args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

// A new page whose console errors and failed requests are collected in
// page.problems (the tests assert it stays empty where that matters).
export async function newPage(browser, { viewport = { width: 1280, height: 900 }, lang } = {}) {
	const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'en-GB' });
	if (lang) {
		await context.addInitScript((l) => { window.localStorage.setItem('kouprey.lang', l); }, lang);
	}
	const page = await context.newPage();
	page.setDefaultTimeout(10000);
	page.problems = [];
	page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
	page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
	return page;
}

export async function signIn(page, url, user = ADMIN_USER, password = ADMIN_PASSWORD) {
	await page.goto(`${url}/`);
	await page.getByLabel(/Username|ឈ្មោះអ្នកប្រើ/).fill(user);
	await page.getByLabel(/Password|ពាក្យសម្ងាត់/).fill(password);
	await page.getByRole('button', { name: /^(Sign in|ចូលប្រើ)$/ }).click();
	const list = page.getByRole('heading', { level: 1, name: /^(Seizures|ការរឹបអូស)$/ });
	const refused = page.locator('form [role=alert]:not([hidden])');
	await list.or(refused).first().waitFor();
	if (await refused.isVisible())
		throw new Error(`sign-in as ${user} refused: ${await refused.textContent()}`);
}

// Types `text` into the combobox labelled `label` and clicks the suggestion
// whose text matches `option`.
export async function pickSuggestion(page, scope, label, text, option) {
	const input = scope.getByLabel(label, { exact: true });
	await input.fill('');
	await input.pressSequentially(text, { delay: 20 });
	const listId = await input.getAttribute('aria-controls');
	const opt = page.locator(`#${listId} [role=option]`).filter({ hasText: option }).first();
	await opt.waitFor();
	await opt.click();
	return input;
}

export async function screenshot(page, name) {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const file = path.join(ARTIFACTS, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

// The API, called from inside the signed-in page (cookie + CSRF token).
export async function apiFromPage(page, method, path, body) {
	return page.evaluate(async ([m, p, b]) => {
		const s = await fetch('api/v1/session').then((r) => r.json());
		const res = await fetch(`api/v1${p}`, {
			method: m,
			headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
			body: b === undefined ? undefined : JSON.stringify(b),
		});
		const text = await res.text();
		return { status: res.status, body: text ? JSON.parse(text) : null };
	}, [method, path, body]);
}
