// Search results (#/search?q=…&kinds=…): every hit of GET /api/v1/search,
// grouped by kind (the group of the best hit first, so an exact identifier
// leads), each with its score and the reason the server gives.

import { h, clear, field } from '../dom.js';
import { get } from '../api.js';
import { t } from '../i18n.js';
import { isCurrent, navigate, errorBox } from '../app.js';
import { hitHref, hitExact, kindBadge, fmtScore, loadPartiesCss } from '../search-box.js';

const LIMIT = 100;
const GROUP_KEY = { party: 'search.group_party', identifier: 'search.group_identifier', seizure: 'search.group_seizure' };

export async function render(main, { search, token }) {
	loadPartiesCss();
	const q = (search.get('q') || '').trim();
	const input = h('input', { type: 'search', value: q, tplaceholder: 'search.placeholder' });
	const form = h('form', { class: 'search-form', role: 'search' },
		h('div', { class: 'search-row' },
			field('search.page_field', input),
			h('button', { type: 'submit', class: 'primary', t: 'search.go' })));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const v = input.value.trim();
		if (v)
			navigate(`/search?q=${encodeURIComponent(v)}`);
	});
	const box = document.getElementById('global-search-input');
	if (box && q)
		box.value = q;
	const total = h('p', { class: 'total', 'aria-live': 'polite' });
	const results = h('div', { class: 'search-results' });
	main.append(h('h1', { t: 'search.title' }), form, total, results);
	if (!q) {
		input.focus();
		return;
	}
	let r;
	try {
		r = await get('/search', { q, limit: LIMIT });
	} catch (e) {
		if (isCurrent(token) && e.status !== 401)
			results.append(errorBox(e));
		return;
	}
	if (!isCurrent(token))
		return;
	const items = r.items || [];
	total.setAttribute('data-t', 'search.total');
	total.setAttribute('data-t-args', JSON.stringify({ n: r.total ?? items.length, q }));
	total.textContent = t('search.total', { n: r.total ?? items.length, q });
	if (!items.length) {
		clear(results).append(h('p', { class: 'empty', t: 'search.empty' }));
		return;
	}
	// groups in the order of their best hit (the API sorts exact hits first)
	const order = [];
	for (const it of items) {
		if (!order.includes(it.kind))
			order.push(it.kind);
	}
	for (const kind of order) {
		const hits = items.filter((x) => x.kind === kind);
		const list = h('ol', { class: 'hit-list', 'data-kind': kind });
		for (const it of hits) {
			list.append(h('li', { class: hitExact(it) ? 'hit-row exact' : 'hit-row' },
				h('div', { class: 'hit-main' },
					kindBadge(it),
					h('a', { href: hitHref(it), class: 'hit-label' }, it.label || String(it.id)),
					hitExact(it) ? h('span', { class: 'exact-badge', t: 'search.exact' }) : null,
					h('span', { class: 'hit-score' }, h('span', { t: 'search.score' }), ' ', fmtScore(it.score))),
				it.reason ? h('p', { class: 'hit-reason' }, it.reason) : null,
				it.kind === 'identifier' && it.party_id ? h('p', { class: 'hit-more' },
					h('a', { href: `#/parties/${encodeURIComponent(it.party_id)}`, t: 'search.open_party' })) : null));
		}
		results.append(h('section', { class: 'hit-group', 'data-kind': kind },
			h('h2', { t: GROUP_KEY[kind] || 'search.group_other', targs: { n: hits.length } }), list));
	}
}
