// Browser test of the network view (#/network, issue 4): opened from a
// party's page, a node expanded with a double-click, the path between two
// parties found and highlighted, the view exported as CSV (entities and
// links, checked line by line) and GraphML, saved as a chart and reopened,
// and the page in Khmer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer } from './server.mjs';
import { launch, newPage, signIn, screenshot, apiFromPage } from './browser.mjs';

let server;
let browser;
const ids = {};

async function api(page, method, path, body) {
	const r = await apiFromPage(page, method, path, body);
	assert.ok(r.status === 200 || r.status === 201, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
	return r.body;
}

before(async () => {
	server = await startServer();
	browser = await launch();
	// A uses a phone (seen when seizure NET-1 was made) that B owns, so A and
	// B share an identifier; A is the suspect of NET-1, C its consignee and D
	// C's employee.
	const page = await newPage(browser);
	await signIn(page, server.url);
	ids.s1 = (await api(page, 'POST', '/seizures', { ref: 'NET-1', sharing: 'national', date: '2025-03-14', country: 'KH',
		items: [{ species: 'Manis javanica', term: 'SCA', quantity: 120, unit: 'KIL' }] })).id;
	ids.a = (await api(page, 'POST', '/parties', { kind: 'person', names: ['Sun Chantha'] })).id;
	ids.b = (await api(page, 'POST', '/parties', { kind: 'person', names: ['Chea Vuthy'] })).id;
	ids.c = (await api(page, 'POST', '/parties', { kind: 'organisation', names: ['Mekong Freight Co'], org_kind: 'logistics' })).id;
	ids.phone = (await api(page, 'POST', `/parties/${ids.a}/identifiers`, { kind: 'phone', value: '012 345 678', role: 'uses', source: 'phone seized', seizure_id: ids.s1 })).identifier.id;
	await api(page, 'POST', `/parties/${ids.b}/identifiers`, { kind: 'phone', value: '+85512345678', role: 'owns' });
	await api(page, 'POST', `/seizures/${ids.s1}/parties`, { party_id: ids.a, role: 'suspect' });
	await api(page, 'POST', `/seizures/${ids.s1}/parties`, { party_id: ids.c, role: 'consignee' });
	ids.d = (await api(page, 'POST', '/parties', { kind: 'person', names: ['Keo Sokha'] })).id;
	await api(page, 'POST', `/parties/${ids.d}/relations`, { party_id: ids.c, kind: 'employee_of' });
	await page.context().close();
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

const canvas = (page) => page.locator('#network-canvas');
const loads = async (page) => Number(await canvas(page).getAttribute('data-loaded') || 0);
const waitLoads = (page, n) => page.waitForFunction((k) => Number(document.getElementById('network-canvas')?.dataset.loaded || 0) >= k, n);

// The on-screen position of a node, for real mouse clicks on the canvas.
async function nodePoint(page, id) {
	await canvas(page).scrollIntoViewIfNeeded();
	const box = await canvas(page).boundingBox();
	const p = await page.evaluate((nid) => document.getElementById('network-canvas').cy.getElementById(nid).renderedPosition(), id);
	return { x: box.x + p.x, y: box.y + p.y };
}

test('open from a party, expand, find a path, export CSV and GraphML, save and reopen', async () => {
	const page = await newPage(browser);
	await signIn(page, server.url);
	await page.goto(`${server.url}/#/parties/${ids.a}`);
	await page.getByRole('heading', { level: 1, name: 'Sun Chantha' }).waitFor();
	await page.locator('main').getByRole('link', { name: 'Network', exact: true }).click();
	await page.waitForURL(new RegExp(`#/network\\?node=party:${ids.a}$`));
	await page.getByRole('heading', { level: 1, name: 'Network' }).waitFor();
	await waitLoads(page, 1);
	// A, the phone, NET-1, and B who shares the phone (A-phone, B-phone,
	// A-B, A-NET-1)
	assert.equal(await canvas(page).getAttribute('data-nodes'), '4');
	await page.getByText('4 nodes, 4 links.').waitFor();
	assert.equal(await page.evaluate(() => document.getElementById('network-canvas').cy.edges('[kind = "shares_identifier"]').length), 1);

	// expand the seizure with a double-click: C comes in
	const before = await loads(page);
	const pt = await nodePoint(page, `seizure:${ids.s1}`);
	await page.mouse.dblclick(pt.x, pt.y);
	await waitLoads(page, before + 1);
	assert.equal(await canvas(page).getAttribute('data-nodes'), '5');
	// and C with the Expand button: D comes in
	await page.evaluate((nid) => { const cy = document.getElementById('network-canvas').cy; cy.elements().unselect(); cy.getElementById(nid).select(); }, `party:${ids.c}`);
	const b2 = await loads(page);
	await page.getByRole('button', { name: 'Expand', exact: true }).click();
	await waitLoads(page, b2 + 1);
	assert.equal(await canvas(page).getAttribute('data-nodes'), '6');

	// a click shows a link's record
	const mid = await page.evaluate((eid) => document.getElementById('network-canvas').cy.getElementById(eid).renderedMidpoint(),
		await page.evaluate(() => document.getElementById('network-canvas').cy.edges('[kind = "holds"][role = "uses"]')[0].id()));
	await canvas(page).scrollIntoViewIfNeeded();
	const box = await canvas(page).boundingBox();
	await page.mouse.click(box.x + mid.x, box.y + mid.y);
	await page.locator('.network-panel').getByText('phone seized').waitFor();
	await page.locator('.network-panel').getByRole('link', { name: 'NET-1' }).waitFor();

	// the path between B and C: B - A (sharing the phone) - NET-1 - C
	await page.evaluate(([x, y]) => { const cy = document.getElementById('network-canvas').cy; cy.elements().unselect(); cy.getElementById(x).select(); cy.getElementById(y).select(); },
		[`party:${ids.b}`, `party:${ids.c}`]);
	await page.getByRole('button', { name: 'Find path', exact: true }).click();
	await page.getByText('Shortest path: 3 steps (highlighted).').waitFor();
	assert.equal(await canvas(page).getAttribute('data-path'),
		[`party:${ids.b}`, `party:${ids.a}`, `seizure:${ids.s1}`, `party:${ids.c}`].join(' '));
	assert.equal(await page.evaluate(() => document.getElementById('network-canvas').cy.$('.path').length), 7);
	await screenshot(page, 'network-path');

	// CSV for i2 / Gephi: entities, then links
	const downloads = [];
	page.on('download', (d) => downloads.push(d));
	await page.getByRole('button', { name: 'CSV (i2, Gephi)' }).click();
	await page.waitForFunction(() => true, null, { timeout: 100 }).catch(() => {});
	for (let i = 0; i < 50 && downloads.length < 2; i++) await page.waitForTimeout(100);
	assert.equal(downloads.length, 2);
	const [ent, lnk] = downloads;
	assert.match(ent.suggestedFilename(), /^kouprey-network-party-\d+-entities\.csv$/);
	const entities = fs.readFileSync(await ent.path(), 'utf8').trim().split(/\r?\n/);
	assert.equal(entities[0], 'Id,Label,Type,Kind,Date,Country');
	assert.equal(entities.length, 7);
	assert.ok(entities.includes(`party:${ids.a},Sun Chantha,Person,party,,`));
	assert.ok(entities.includes(`party:${ids.c},Mekong Freight Co,Organisation,party,,`));
	assert.ok(entities.some((l) => l.startsWith(`seizure:${ids.s1},NET-1,Seizure,seizure,2025-03-14,KH`)));
	const links = fs.readFileSync(await lnk.path(), 'utf8').trim().split(/\r?\n/);
	assert.equal(links[0], 'Id,Source,Target,Type,Label,Kind,Role,Date,Provenance,Record');
	assert.equal(links.length, 7);
	assert.ok(links.some((l) => l.includes(`,party:${ids.a},party:${ids.b},Undirected,phone,shares_identifier,phone,,,identifier +855 12 345 678`)), links.join('\n'));
	assert.ok(links.some((l) => l.includes(`,party:${ids.a},identifier:${ids.phone},Undirected,uses,holds,uses,,phone seized,seizure NET-1`)), links.join('\n'));
	assert.ok(links.some((l) => l.includes(`,party:${ids.c},seizure:${ids.s1},Undirected,consignee,involved_in,consignee,`)));

	// GraphML
	const gdl = page.waitForEvent('download');
	await page.getByRole('button', { name: 'GraphML' }).click();
	const g = await gdl;
	const xml = fs.readFileSync(await g.path(), 'utf8');
	assert.match(xml, /<graphml xmlns="http:\/\/graphml.graphdrawing.org\/xmlns">/);
	assert.equal((xml.match(/<node /g) || []).length, 6);
	assert.equal((xml.match(/<edge /g) || []).length, 6);
	assert.ok(xml.includes('<data key="n_label">Mekong Freight Co</data>'));

	// PNG
	const pdl = page.waitForEvent('download');
	await page.getByRole('button', { name: 'PNG' }).click();
	const png = fs.readFileSync(await (await pdl).path());
	assert.equal(png.subarray(1, 4).toString(), 'PNG');

	// hide a node, save the chart, reopen it
	await page.evaluate((nid) => { const cy = document.getElementById('network-canvas').cy; cy.elements().unselect(); cy.getElementById(nid).select(); }, `party:${ids.c}`);
	await page.getByRole('button', { name: 'Pin', exact: true }).click();
	await page.getByPlaceholder('Chart name').fill('Phone ring');
	await page.getByRole('button', { name: 'Save chart' }).click();
	await page.waitForURL(/#\/network\?chart=\d+$/);
	const chartId = await canvas(page).getAttribute('data-chart');
	await page.goto(`${server.url}/#/network`);
	await page.getByRole('link', { name: 'Phone ring' }).click();
	await page.waitForURL(new RegExp(`#/network\\?chart=${chartId}$`));
	await waitLoads(page, 1);
	assert.equal(await canvas(page).getAttribute('data-nodes'), '6');
	assert.equal(await page.getByPlaceholder('Chart name').inputValue(), 'Phone ring');
	assert.equal(await page.evaluate((nid) => document.getElementById('network-canvas').cy.getElementById(nid).locked(), `party:${ids.c}`), true);
	assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
	await page.context().close();
});

test('the network view in Khmer', async () => {
	const page = await newPage(browser, { lang: 'km' });
	await signIn(page, server.url);
	await page.goto(`${server.url}/#/network?node=seizure:${ids.s1}`);
	await page.getByRole('heading', { level: 1, name: 'បណ្ដាញ' }).waitFor();
	await waitLoads(page, 1);
	assert.equal(await canvas(page).getAttribute('data-nodes'), '3'); // NET-1, A, C
	await page.getByRole('button', { name: 'រកផ្លូវ' }).waitFor();
	await screenshot(page, 'network-km');
	assert.deepEqual(page.problems.filter((p) => !/401/.test(p)), []);
	await page.context().close();
});
