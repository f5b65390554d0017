// Seizure list: search box, filters, total, cursor pagination ("more").

import { h, field, vocabSelect, clear } from '../dom.js';
import { get, ref, hasRole } from '../api.js';
import { t } from '../i18n.js';
import { isCurrent, navigate, errorBox } from '../app.js';
import { speciesPicker } from '../components.js';

const FILTERS = ['q', 'species', 'taxon', 'term', 'country', 'agency', 'from', 'to', 'transport_mode'];

// One item as nodes that follow the language switch: "Manis javanica — scales: 12 kilograms".
export function itemNodes(it, terms, units) {
	const term = terms.find((x) => x.code === it.term);
	const unit = units.find((x) => x.code === it.unit);
	const qty = it.quantity === null || it.quantity === undefined ? '' : String(it.quantity);
	const unitEl = it.unit ? (unit ? h('span', { vname: unit }) : it.unit) : h('span', { t: 'unit.specimens' });
	const termEl = term ? h('span', { vname: term }) : (it.term || '');
	const name = (it.taxon && it.taxon.name) || it.species || '';
	return [h('span', { class: 'sp' }, name), ' — ', termEl, ': ', qty, ' ', unitEl];
}

export async function render(main, { search, token }) {
	const [terms, units, countries, agencies, vocab] = await Promise.all([
		ref('terms'), ref('units'), ref('countries'), ref('agencies'), ref('vocab'),
	]);
	if (!isCurrent(token))
		return;
	const cur = {};
	for (const k of FILTERS)
		cur[k] = search.get(k) || '';

	const q = h('input', { type: 'search', name: 'q', value: cur.q, tplaceholder: 'list.search_placeholder' });
	const species = h('input', { type: 'text', name: 'species', value: cur.species });
	speciesPicker(species, () => {});
	const taxon = h('input', { type: 'text', name: 'taxon', value: cur.taxon, tplaceholder: 'list.taxon_placeholder' });
	const term = vocabSelect(terms.items, { emptyKey: 'common.any', value: cur.term, codePrefix: true });
	const country = vocabSelect(countries.items, { emptyKey: 'common.any', value: cur.country });
	const agency = h('select', { name: 'agency' }, h('option', { value: '', t: 'common.any' }),
		(agencies.items || []).map((a) => h('option', { value: a.id }, a.name)));
	agency.value = cur.agency;
	const from = h('input', { type: 'date', name: 'from', value: cur.from });
	const to = h('input', { type: 'date', name: 'to', value: cur.to });
	const mode = vocabSelect(vocab.transport_mode, { emptyKey: 'common.any', value: cur.transport_mode });
	const controls = { q, species, taxon, term, country, agency, from, to, transport_mode: mode };
	const activeFilters = FILTERS.filter((k) => k !== 'q' && cur[k]).length;

	const form = h('form', { class: 'search-form', role: 'search' },
		h('div', { class: 'search-row' },
			field('list.search', q),
			h('button', { type: 'submit', class: 'primary', t: 'list.search_button' })),
		h('details', { class: 'filters', open: activeFilters > 0 },
			h('summary', { t: 'list.filters', targs: { n: activeFilters } }),
			h('div', { class: 'grid' },
				field('list.species', species),
				field('list.taxon', taxon),
				field('list.term', term),
				field('list.country', country),
				field('list.agency', agency),
				field('list.transport_mode', mode),
				field('list.from', from),
				field('list.to', to)),
			h('div', { class: 'actions' },
				h('button', { type: 'submit', class: 'primary', t: 'list.apply' }),
				h('button', { type: 'button', t: 'list.clear', onclick: () => navigate('/seizures') }))));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const p = new URLSearchParams();
		for (const [k, el] of Object.entries(controls)) {
			const v = el.value.trim();
			if (v)
				p.set(k, v);
		}
		const s = p.toString();
		navigate(`/seizures${s ? '?' + s : ''}`);
	});

	const total = h('p', { class: 'total', 'aria-live': 'polite' });
	const list = h('ol', { class: 'seizure-list', 'aria-label': t('list.results') });
	list.setAttribute('data-t-aria-label', 'list.results');
	const more = h('button', { type: 'button', class: 'more', t: 'list.more', hidden: true });
	const status = h('div');

	main.append(
		h('div', { class: 'page-head' },
			h('h1', { t: 'list.title' }),
			hasRole('viewer') ? null : h('a', { class: 'button primary', href: '#/seizures/new', t: 'nav.new' })),
		form, total, status, list, more);

	const params = {};
	for (const k of FILTERS) {
		if (cur[k])
			params[k] = cur[k];
	}
	let cursor = null;
	let shown = 0;
	async function load() {
		more.disabled = true;
		try {
			const r = await get('/seizures', { ...params, limit: 25, cursor: cursor || undefined });
			if (!isCurrent(token))
				return;
			for (const s of r.items || [])
				list.append(row(s));
			shown += (r.items || []).length;
			total.setAttribute('data-t', 'list.total');
			total.setAttribute('data-t-args', JSON.stringify({ n: r.total ?? shown, shown }));
			total.textContent = t('list.total', { n: r.total ?? shown, shown });
			if (shown === 0) {
				clear(status).append(h('p', { class: 'empty', t: 'list.empty' }));
			}
			cursor = r.next || null;
			more.hidden = !cursor;
		} catch (e) {
			if (isCurrent(token) && e.status !== 401)
				clear(status).append(errorBox(e));
		} finally {
			more.disabled = false;
		}
	}
	function row(s) {
		const c = countries.items.find((x) => x.code === s.country);
		const m = (vocab.transport_mode || []).find((x) => x.code === s.transport_mode);
		return h('li', { class: 'seizure-row' },
			h('a', { href: `#/seizures/${encodeURIComponent(s.id)}`, class: 'ref' }, s.ref || String(s.id)),
			h('span', { class: 'date' }, s.date || ''),
			h('span', { class: 'where' }, [s.place, c ? h('span', { vname: c }) : s.country].filter(Boolean).flatMap((x, i) => (i ? [', ', x] : [x]))),
			h('span', { class: 'agency' }, (s.agency && s.agency.name) || ''),
			m ? h('span', { class: 'mode', vname: m }) : null,
			h('ul', { class: 'items' }, (s.items || []).map((it) => h('li', {}, itemNodes(it, terms.items, units.items)))));
	}
	more.addEventListener('click', load);
	await load();
}
