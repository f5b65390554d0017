// Shared widgets: an accessible autocomplete (combobox) and the species and
// location pickers built on it.

import { h, clear } from './dom.js';
import { get } from './api.js';
import { currentLang, t } from './i18n.js';

let seq = 0;

// combobox(input, {search, onPick, minChars}) turns a text input into an
// ARIA combobox.  search(q) returns a promise of options
// [{value, label, detail, data}]; picking one puts `value` in the input and
// calls onPick(option).  Typing after a pick calls onPick(null).
export function combobox(input, { search, onPick = () => {}, minChars = 2 }) {
	seq += 1;
	const listId = `cb-list-${seq}`;
	const list = h('ul', { class: 'suggestions', role: 'listbox', id: listId, hidden: true });
	input.setAttribute('role', 'combobox');
	input.setAttribute('aria-autocomplete', 'list');
	input.setAttribute('aria-expanded', 'false');
	input.setAttribute('aria-controls', listId);
	input.setAttribute('autocomplete', 'off');
	let options = [];
	let active = -1;
	let timer = null;
	let asked = 0;
	let attached = false;

	// the list hangs from a zero-height anchor right below the input
	function attach() {
		if (!attached) {
			const anchor = h('div', { class: 'combo-anchor' }, list);
			input.insertAdjacentElement('afterend', anchor);
			attached = true;
		}
	}
	function close() {
		list.hidden = true;
		input.setAttribute('aria-expanded', 'false');
		input.removeAttribute('aria-activedescendant');
		active = -1;
	}
	function pick(i) {
		const o = options[i];
		if (!o)
			return;
		input.value = o.value;
		close();
		onPick(o);
		input.dispatchEvent(new Event('change', { bubbles: true }));
	}
	function highlight(i) {
		active = i;
		list.querySelectorAll('[role=option]').forEach((li, j) => {
			li.setAttribute('aria-selected', j === i ? 'true' : 'false');
		});
		if (i >= 0) {
			input.setAttribute('aria-activedescendant', `${listId}-${i}`);
			list.children[i].scrollIntoView({ block: 'nearest' });
		}
	}
	function show(opts) {
		options = opts;
		attach();
		clear(list);
		opts.forEach((o, i) => {
			const li = h('li', { role: 'option', id: `${listId}-${i}`, 'aria-selected': 'false' },
				h('span', { class: 'opt-label' }, o.label),
				o.detail ? h('span', { class: 'opt-detail' }, o.detail) : null);
			li.addEventListener('mousedown', (ev) => ev.preventDefault());
			li.addEventListener('click', () => pick(i));
			list.append(li);
		});
		list.hidden = opts.length === 0;
		input.setAttribute('aria-expanded', opts.length ? 'true' : 'false');
		active = -1;
	}
	async function run() {
		const q = input.value.trim();
		const mine = ++asked;
		if ([...q].length < minChars) {
			show([]);
			return;
		}
		try {
			const opts = await search(q);
			if (mine === asked && document.activeElement === input)
				show(opts);
		} catch {
			if (mine === asked)
				show([]);
		}
	}
	input.addEventListener('input', () => {
		onPick(null);
		clearTimeout(timer);
		timer = setTimeout(run, 180);
	});
	input.addEventListener('keydown', (ev) => {
		if (list.hidden) {
			if (ev.key === 'ArrowDown' && input.value.trim()) {
				ev.preventDefault();
				run();
			}
			return;
		}
		if (ev.key === 'ArrowDown') {
			ev.preventDefault();
			highlight(Math.min(active + 1, options.length - 1));
		} else if (ev.key === 'ArrowUp') {
			ev.preventDefault();
			highlight(Math.max(active - 1, 0));
		} else if (ev.key === 'Enter') {
			if (active >= 0) {
				ev.preventDefault();
				pick(active);
			}
		} else if (ev.key === 'Escape') {
			close();
		}
	});
	input.addEventListener('blur', () => setTimeout(close, 150));
	return { input, list, close };
}

// The names to show for a species from /species: the scientific name, and
// the common name in the interface language (or the one that matched).
function speciesOption(s) {
	const lang = currentLang();
	const commons = (s.common && (s.common[lang] || s.common.en)) || [];
	const parts = [];
	if (s.matched && s.matched !== s.name)
		parts.push(s.matched);
	for (const c of commons) {
		if (!parts.includes(c))
			parts.push(c);
	}
	const extra = [s.rank && s.rank !== 'SPECIES' ? s.rank.toLowerCase() : null, s.family, s.listing ? t('species.listing', { l: s.listing }) : null].filter(Boolean);
	return {
		value: s.name,
		label: s.name,
		detail: [parts.slice(0, 3).join(', '), extra.join(' · ')].filter(Boolean).join(' — '),
		data: s,
	};
}

export function speciesSearch(q) {
	return get('/species', { q, limit: 12 }).then((r) => (r.items || []).map(speciesOption));
}

export function speciesPicker(input, onPick) {
	return combobox(input, { search: speciesSearch, onPick, minChars: 2 });
}

// Locations (UN/LOCODE) of `countryFn()` (if set) matching q.
export function locationPicker(input, countryFn, onPick) {
	return combobox(input, {
		minChars: 2,
		onPick,
		search: (q) => get('/reference/locations', { q, country: countryFn() || undefined, limit: 12 })
			.then((r) => (r.items || []).map((l) => ({
				value: l.locode,
				label: `${l.locode} — ${l.name}`,
				detail: l.country,
				data: l,
			}))),
	});
}
