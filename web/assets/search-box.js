// The search box in the top bar (every page, signed in): one box across
// people and organisations, identifiers and seizures (GET /api/v1/search).
//
// Typing shows up to 8 suggestions (debounced), each with its kind, label,
// score and the reason the server gives.  It is an ARIA combobox: ↓/↑ move
// through the suggestions, Enter opens the highlighted one (or, with none
// highlighted, the results page #/search?q=…), Escape closes the list (and
// a second Escape clears the box).

import { h, clear } from './dom.js';
import { get } from './api.js';
import { t } from './i18n.js';

export const SUGGESTIONS = 8;
const DEBOUNCE_MS = 200;

// Where a hit leads.
export function hitHref(it) {
	const id = encodeURIComponent(it.id);
	if (it.kind === 'party')
		return `#/parties/${id}`;
	if (it.kind === 'identifier')
		return `#/identifiers/${id}`;
	return `#/seizures/${id}`;
}

// Whether a hit is exact (an identifier typed any way, a seizure reference).
export function hitExact(it) {
	if (typeof it.exact === 'boolean')
		return it.exact;
	return it.kind === 'identifier' || (it.kind === 'seizure' && it.score >= 1);
}

// The small kind badge of a hit: the identifier's kind for identifiers.
export function kindBadge(it) {
	const key = it.kind === 'identifier' && it.identifier_kind ? `ident.kind_${it.identifier_kind}` : `search.kind_${it.kind}`;
	return h('span', { class: `kind-badge kind-${it.kind}`, t: key });
}

export function fmtScore(s) {
	return typeof s === 'number' ? s.toFixed(2) : '';
}

let cssLoaded = false;
export function loadPartiesCss() {
	if (cssLoaded || document.querySelector('link[href="assets/parties.css"]'))
		return;
	cssLoaded = true;
	document.head.append(h('link', { rel: 'stylesheet', href: 'assets/parties.css' }));
}

// Builds the box and puts it in `where` before `before` (or at the end).
export function mountSearchBox(where, before) {
	loadPartiesCss();
	const listId = 'global-search-list';
	const input = h('input', {
		type: 'text', id: 'global-search-input', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
		'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
		tplaceholder: 'search.placeholder', enterkeyhint: 'search',
	});
	const label = h('label', { for: input.id, class: 'visually-hidden', t: 'search.box_label' });
	const list = h('ul', { class: 'suggestions global-suggestions', role: 'listbox', id: listId, hidden: true, tarialabel: 'search.suggestions' });
	const status = h('span', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
	const form = h('form', { class: 'global-search', id: 'global-search', role: 'search', tarialabel: 'search.region' },
		label, h('div', { class: 'global-search-field' }, input, list), status);

	let options = [];   // [{href, el}]
	let active = -1;
	let timer = null;
	let asked = 0;

	function close() {
		list.hidden = true;
		input.setAttribute('aria-expanded', 'false');
		input.removeAttribute('aria-activedescendant');
		active = -1;
	}
	function highlight(i) {
		active = i;
		options.forEach((o, j) => o.el.setAttribute('aria-selected', j === i ? 'true' : 'false'));
		if (i >= 0) {
			input.setAttribute('aria-activedescendant', options[i].el.id);
			options[i].el.scrollIntoView({ block: 'nearest' });
		} else {
			input.removeAttribute('aria-activedescendant');
		}
	}
	function go(href) {
		close();
		if (location.hash === href)
			window.dispatchEvent(new HashChangeEvent('hashchange'));
		else
			location.hash = href;
	}
	function resultsHref(q) {
		return `#/search?q=${encodeURIComponent(q)}`;
	}
	function show(q, r) {
		clear(list);
		options = [];
		const items = (r.items || []).slice(0, SUGGESTIONS);
		items.forEach((it, i) => {
			const li = h('li', { role: 'option', id: `${listId}-${i}`, 'aria-selected': 'false', class: 'hit', 'data-kind': it.kind },
				h('span', { class: 'hit-main' },
					kindBadge(it),
					h('span', { class: 'hit-label' }, it.label || String(it.id)),
					hitExact(it) ? h('span', { class: 'exact-badge', t: 'search.exact' }) : null,
					h('span', { class: 'hit-score', ttitle: 'search.score' }, fmtScore(it.score))),
				it.reason ? h('small', { class: 'hit-reason' }, it.reason) : null);
			options.push({ href: hitHref(it), el: li });
		});
		const all = h('li', { role: 'option', id: `${listId}-all`, 'aria-selected': 'false', class: 'hit-all' },
			h('span', { t: items.length ? 'search.all_results' : 'search.no_suggestions', targs: { q, n: r.total ?? items.length } }));
		options.push({ href: resultsHref(q), el: all });
		options.forEach((o, i) => {
			o.el.addEventListener('mousedown', (ev) => ev.preventDefault());
			o.el.addEventListener('click', () => go(options[i].href));
			list.append(o.el);
		});
		list.hidden = false;
		input.setAttribute('aria-expanded', 'true');
		active = -1;
		status.textContent = t('search.n_suggestions', { n: items.length });
	}
	async function run() {
		const q = input.value.trim();
		const mine = ++asked;
		if (q.length < 2) {
			close();
			return;
		}
		try {
			const r = await get('/search', { q, limit: SUGGESTIONS });
			if (mine === asked && document.activeElement === input)
				show(q, r);
		} catch {
			if (mine === asked)
				close();
		}
	}
	input.addEventListener('input', () => {
		clearTimeout(timer);
		timer = setTimeout(run, DEBOUNCE_MS);
	});
	input.addEventListener('keydown', (ev) => {
		if (ev.key === 'ArrowDown') {
			ev.preventDefault();
			if (list.hidden) {
				clearTimeout(timer);
				run();
			} else {
				highlight(Math.min(active + 1, options.length - 1));
			}
		} else if (ev.key === 'ArrowUp') {
			if (!list.hidden) {
				ev.preventDefault();
				highlight(Math.max(active - 1, 0));
			}
		} else if (ev.key === 'Escape') {
			if (!list.hidden)
				close();
			else
				input.value = '';
		} else if (ev.key === 'Enter') {
			ev.preventDefault();
			clearTimeout(timer);
			asked += 1;   // an answer still on its way is not shown
			const q = input.value.trim();
			if (!list.hidden && active >= 0)
				go(options[active].href);
			else if (q)
				go(resultsHref(q));
		}
	});
	form.addEventListener('submit', (ev) => ev.preventDefault());
	input.addEventListener('blur', () => setTimeout(close, 150));
	window.addEventListener('hashchange', close);

	if (before && before.parentNode === where)
		where.insertBefore(form, before);
	else
		where.append(form);
	return { form, input, list, close };
}
