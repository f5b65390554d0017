// Browser tests of the analytics dashboard (#/analytics): a filter moved in
// the bar changes every chart; a bar drills into the seizure list with its
// filter; a chart's data downloads as CSV (checked line by line) and as PNG;
// a country of the map drills too; the PDF brief downloads; and the page in
// Khmer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer } from './server.mjs';
import { launch, newPage, signIn, screenshot, apiFromPage } from './browser.mjs';

let server;
let browser;

before(async () => {
	server = await startServer();
	browser = await launch();
	// four seizures: pangolin scales twice (KH, TH), tiger bone, elephant tusks
	const page = await newPage(browser);
	await signIn(page, server.url);
	const seizures = [
		{ ref: 'DASH-1', date: '2024-03-14', country: 'KH', origin: ['NG'], transit: ['MY'], destination: ['VN'], transport_mode: 'sea', latitude: 10.63, longitude: 103.5,
			items: [{ species: 'Manis javanica', term: 'SCA', quantity: 120, unit: 'KIL' }] },
		{ ref: 'DASH-2', date: '2024-05-02', country: 'VN', origin: ['KH'], destination: ['CN'], transport_mode: 'road',
			items: [{ species: 'Panthera tigris', term: 'BON', quantity: 3, unit: 'KIL' }] },
		{ ref: 'DASH-3', date: '2024-07-20', country: 'TH', transport_mode: 'air',
			items: [{ species: 'Manis javanica', term: 'SCA', quantity: 5.5, unit: 'KIL' }] },
		{ ref: 'DASH-4', date: '2025-01-08', country: 'KH', origin: ['MZ'], destination: ['CN'], transport_mode: 'sea',
			items: [{ species: 'Elephas maximus', term: 'TUS', quantity: 2, unit: '' }] },
	];
	for (const s of seizures) {
		const r = await apiFromPage(page, 'POST', '/seizures', { sharing: 'national', ...s });
		assert.equal(r.status, 201, JSON.stringify(r.body));
	}
	await page.context().close();
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

async function openDashboard(page) {
	await page.getByRole('link', { name: 'Analytics', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
	await page.locator('.dash-grid[data-loaded="1"]').waitFor();
}

const figure = (page) => page.locator('.dash-figures').getAttribute('data-seizures');

test('a filter moves every chart, a bar drills into the list, and the chart downloads as CSV and PNG', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await openDashboard(page);
	assert.equal(await figure(page), '4');
	const species = page.locator('#dash-species');
	await species.getByText('Panthera tigris').waitFor();
	await screenshot(page, 'dashboard-en');

	// move a filter: the term SCA (pangolin scales) only
	await page.getByLabel('Term', { exact: true }).selectOption('SCA');
	await page.waitForURL(/#\/analytics\?term=SCA$/);
	await page.locator('.dash-grid[data-loaded="1"]').waitFor();
	assert.equal(await figure(page), '2');
	assert.equal(await species.locator('.bar-row').count(), 1, 'one species left');
	await species.getByText('Manis javanica').waitFor();
	const country = page.locator('#dash-country');
	assert.deepEqual((await country.locator('.bar-row').evaluateAll((rows) => rows.map((r) => r.dataset.key))).sort(), ['KH', 'TH']);

	// the species chart's data as CSV
	let downloading = page.waitForEvent('download');
	await species.getByRole('button', { name: 'CSV' }).click();
	let download = await downloading;
	assert.equal(download.suggestedFilename(), 'kouprey-by-species.csv');
	const csv = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
	assert.equal(csv[0], 'key,label,seizures,items,weight_kg,share');
	assert.equal(csv.length, 2, csv.join('\n'));
	const [, label, seizures, items, kg, share] = csv[1].split(',');
	assert.equal(label, 'Manis javanica');
	assert.equal(Number(seizures), 2);
	assert.equal(Number(items), 2);
	assert.equal(Number(kg), 125.5);
	assert.equal(Number(share), 1);

	// and as PNG
	downloading = page.waitForEvent('download');
	await species.getByRole('button', { name: 'PNG' }).click();
	download = await downloading;
	assert.equal(download.suggestedFilename(), 'kouprey-by-species.png');
	const png = fs.readFileSync(await download.path());
	assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
	assert.ok(png.length > 2000, `a PNG with something drawn (${png.length} bytes)`);

	// the time series too: one line per period with seizures and weight
	downloading = page.waitForEvent('download');
	await page.locator('#dash-series').getByRole('button', { name: 'CSV' }).click();
	download = await downloading;
	const series = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
	assert.equal(series[0], 'period,period_start,seizures,weight_kg');
	const sum = series.slice(1).reduce((a, line) => a + Number(line.split(',')[2]), 0);
	assert.equal(sum, 2, 'the periods add up to the two seizures');

	// drill into the bar: the seizure list with the same filters
	await species.getByRole('link', { name: /Manis javanica/ }).click();
	await page.getByRole('heading', { level: 1, name: 'Seizures' }).waitFor();
	const hash = new URLSearchParams(new URL(page.url()).hash.split('?')[1]);
	assert.equal(hash.get('term'), 'SCA');
	assert.equal(hash.get('species'), 'Manis javanica');
	await page.getByText('Seizures found: 2').waitFor();
	const refs = await page.locator('.seizure-row .ref').allTextContents();
	assert.deepEqual(refs.sort(), ['DASH-1', 'DASH-3']);
	assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
	await page.context().close();
});

test('a country on the map and a route drill into the list; the PDF brief downloads', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await openDashboard(page);
	// the map is drawn on a canvas; its list of countries links the same way
	const map = page.locator('#dash-map');
	await map.locator('.leaflet-container').waitFor();
	assert.ok(await map.locator('canvas').count() >= 1, 'the outlines are drawn');
	await map.locator('.dash-map-list a[data-key="TH"]').click();
	await page.getByRole('heading', { level: 1, name: 'Seizures' }).waitFor();
	assert.match(page.url(), /#\/seizures\?country=TH$/);
	await page.getByText('Seizures found: 1').waitFor();

	await page.goBack();
	await page.locator('.dash-grid[data-loaded="1"]').waitFor();
	const routes = page.locator('#dash-routes');
	const firstRoute = routes.locator('a.route-link').filter({ hasText: 'Nigeria' });
	await firstRoute.waitFor();
	assert.match(await firstRoute.textContent(), /Nigeria → Malaysia → Vietnam/);
	await firstRoute.click();
	await page.getByRole('heading', { level: 1, name: 'Seizures' }).waitFor();
	assert.match(page.url(), /country=NG/);
	await page.getByText('Seizures found: 1').waitFor();

	// the brief of the dashboard's filters
	await page.goto(`${server.url}/#/analytics?from=2024-01-01&to=2024-12-31`);
	await page.locator('.dash-grid[data-loaded="1"]').waitFor();
	assert.equal(await figure(page), '3');
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'PDF brief' }).click();
	const download = await downloading;
	assert.match(download.suggestedFilename(), /\.pdf$/);
	const pdf = fs.readFileSync(await download.path());
	assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
	await page.context().close();
});

test('the dashboard in Khmer', async () => {
	const page = await newPage(browser, { lang: 'km' });
	await signIn(page, server.url);
	await page.getByRole('link', { name: 'ការវិភាគ', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'ការវិភាគទិន្នន័យ' }).waitFor();
	await page.locator('.dash-grid[data-loaded="1"]').waitFor();
	await page.locator('#dash-country').getByText('កម្ពុជា').waitFor();
	await page.getByRole('heading', { level: 2, name: 'ផ្លូវដឹកជញ្ជូន' }).waitFor();
	await screenshot(page, 'dashboard-km');
	await page.context().close();
});
