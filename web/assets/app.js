// kouprey web interface: start-up, routing (#/path?query) and the page frame.

import { h, append, clear } from './dom.js';
import { setLang, savedLang, currentLang, t } from './i18n.js';
import { session, restoreSession, signOut, setUnauthorizedHandler, hasRole } from './api.js';
import * as signinPage from './pages/signin.js';
import * as listPage from './pages/list.js';
import * as formPage from './pages/form.js';
import * as detailPage from './pages/detail.js';
import * as importPage from './pages/import.js';
import * as reportPage from './pages/report.js';
import * as adminPage from './pages/admin.js';
import * as dashboardPage from './pages/dashboard.js';
import * as partiesPage from './pages/parties.js';
import * as partyPage from './pages/party.js';
import * as searchPage from './pages/search.js';
import * as networkPage from './pages/network.js';
import * as duplicatesPage from './pages/duplicates.js';
import { mountSearchBox } from './search-box.js';

const main = document.getElementById('main');

// Route table: pattern → page module and its parameters.
function resolve(path) {
	let m;
	if (path === '/signin')
		return { page: signinPage };
	if (path === '/' || path === '' || path === '/seizures')
		return { page: listPage };
	if (path === '/seizures/new')
		return { page: formPage, params: { id: null } };
	if ((m = /^\/seizures\/([^/]+)\/edit$/.exec(path)))
		return { page: formPage, params: { id: decodeURIComponent(m[1]) } };
	if ((m = /^\/seizures\/([^/]+)$/.exec(path)))
		return { page: detailPage, params: { id: decodeURIComponent(m[1]) } };
	if (path === '/import')
		return { page: importPage };
	if (path === '/reports')
		return { page: reportPage };
	if (path === '/analytics')
		return { page: dashboardPage };
	if (path === '/admin')
		return { page: adminPage };
	// people, organisations, identifiers and the search (issue 3)
	if (path === '/search')
		return { page: searchPage };
	if (path === '/parties')
		return { page: partiesPage };
	if (path === '/parties/new')
		return { page: { render: partiesPage.renderForm }, params: { id: null } };
	if ((m = /^\/parties\/([^/]+)\/edit$/.exec(path)))
		return { page: { render: partiesPage.renderForm }, params: { id: decodeURIComponent(m[1]) } };
	if ((m = /^\/parties\/([^/]+)$/.exec(path)))
		return { page: partyPage, params: { id: decodeURIComponent(m[1]) } };
	if (path === '/duplicates')
		return { page: duplicatesPage };
	if ((m = /^\/identifiers\/([^/]+)$/.exec(path)))
		return { page: { render: partyPage.renderIdentifier }, params: { id: decodeURIComponent(m[1]) } };
	// link analysis (issue 4): #/network?node=party:7, #/network?chart=ID
	if (path === '/network')
		return { page: networkPage };
	return null;
}

export function parseHash() {
	const raw = location.hash.replace(/^#/, '') || '/seizures';
	const i = raw.indexOf('?');
	const path = i < 0 ? raw : raw.slice(0, i);
	const search = new URLSearchParams(i < 0 ? '' : raw.slice(i + 1));
	return { path, search };
}

export function navigate(path) {
	if (location.hash === `#${path}`)
		route();
	else
		location.hash = path;
}

let renderSeq = 0;
// Each render gets a token; a page checks isCurrent(token) after awaiting so
// that a slow answer never paints over a newer page.
export function isCurrent(token) {
	return token === renderSeq;
}

async function route() {
	const { path, search } = parseHash();
	const token = ++renderSeq;
	if (!session.user && path !== '/signin') {
		sessionStorage.setItem('kouprey.after', location.hash);
		location.replace('#/signin');
		return;
	}
	renderNav(path);
	let r = resolve(path);
	if (!r) {
		clear(main).append(h('h1', { t: 'error.not_found_page' }));
		return;
	}
	clear(main);
	try {
		await r.page.render(main, { ...(r.params || {}), search, token });
	} catch (e) {
		if (!isCurrent(token))
			return;
		if (e && e.status === 401)
			return;
		main.append(errorBox(e));
	}
}

export function errorBox(e) {
	const box = h('div', { class: 'alert error', role: 'alert' });
	if (e && e.status === 403)
		box.append(h('p', { t: 'error.forbidden' }));
	else if (e && e.status === 404)
		box.append(h('p', { t: 'error.not_found' }));
	else if (e && e.code === 'network')
		box.append(h('p', { t: 'error.network' }));
	else
		append(box, [h('p', { t: 'error.generic' }), e && e.message ? h('p', { class: 'detail' }, e.message) : null]);
	return box;
}

export function toast(key, args) {
	const el = document.getElementById('toast');
	el.textContent = t(key, args);
	el.setAttribute('data-t', key);
	if (args)
		el.setAttribute('data-t-args', JSON.stringify(args));
	el.classList.add('show');
	clearTimeout(toast.timer);
	toast.timer = setTimeout(() => { el.classList.remove('show'); }, 4000);
}

function renderNav(path) {
	const nav = document.getElementById('nav');
	const who = document.getElementById('whoami');
	const out = document.getElementById('signout');
	clear(nav);
	const signedIn = !!session.user;
	who.hidden = !signedIn;
	out.hidden = !signedIn;
	const box = document.getElementById('global-search');
	if (box)
		box.hidden = !signedIn;
	if (!signedIn)
		return;
	who.textContent = session.user.display_name || session.user.username;
	const links = [['#/seizures', 'nav.seizures', '/seizures']];
	links.push(['#/parties', 'nav.parties', '/parties']);
	links.push(['#/analytics', 'nav.analytics', '/analytics']);
	links.push(['#/network', 'nav.network', '/network']);
	if (!hasRole('viewer'))
		links.push(['#/seizures/new', 'nav.new', '/seizures/new']);
	if (hasRole('admin', 'analyst'))
		links.push(['#/import', 'nav.import', '/import']);
	if (hasRole('admin', 'analyst'))
		links.push(['#/duplicates', 'nav.duplicates', '/duplicates']);
	links.push(['#/reports', 'nav.reports', '/reports']);
	if (hasRole('admin'))
		links.push(['#/admin', 'nav.admin', '/admin']);
	for (const [href, key, p] of links) {
		const a = h('a', { href, t: key });
		if (path === p || (p === '/seizures' && path === '/'))
			a.setAttribute('aria-current', 'page');
		nav.append(a);
	}
}

async function start() {
	await setLang(savedLang());
	const sel = document.getElementById('lang-select');
	sel.value = currentLang();
	sel.addEventListener('change', () => { setLang(sel.value); });
	mountSearchBox(document.getElementById('topbar'), document.querySelector('.topbar-right'));
	document.getElementById('signout').addEventListener('click', async () => {
		await signOut().catch(() => {});
		location.hash = '#/signin';
	});
	setUnauthorizedHandler(() => {
		if (parseHash().path !== '/signin') {
			sessionStorage.setItem('kouprey.after', location.hash);
			location.hash = '#/signin';
		}
	});
	try {
		await restoreSession();
	} catch { /* server unreachable: the sign-in page says so when used */ }
	window.addEventListener('hashchange', route);
	await route();
	document.body.dataset.ready = '1';
}

start();
