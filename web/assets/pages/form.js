// Seizure form, for a new seizure (POST) and to edit one (PATCH with the
// version it changes; a 409 answer is shown as a conflict).

import { h, append, field, vocabSelect, selectedValues, clear, showFieldError, clearFieldErrors } from '../dom.js';
import { t } from '../i18n.js';
import { request, get, ref, session } from '../api.js';
import { isCurrent, navigate, errorBox, toast } from '../app.js';
import { speciesPicker, locationPicker } from '../components.js';

const TEXT_FIELDS = ['place', 'province', 'locode', 'law', 'sanctions', 'notes'];
const VOCAB_FIELDS = ['reason', 'transport_mode', 'detection_method', 'concealment', 'legal_action', 'disposal'];
const COUNTRY_LISTS = ['origin', 'transit', 'destination', 'offender_nationalities'];

export async function render(main, { id, token }) {
	const [terms, units, countries, agencies, vocab, seizure] = await Promise.all([
		ref('terms'), ref('units'), ref('countries'), ref('agencies'), ref('vocab'),
		id ? get(`/seizures/${encodeURIComponent(id)}`) : Promise.resolve(null),
	]);
	if (!isCurrent(token))
		return;
	// a draft saved when the session ended during a save is put back
	const draftKey = `kouprey.draft:${id || 'new'}`;
	let draft = null;
	try { draft = JSON.parse(sessionStorage.getItem(draftKey) || 'null'); } catch { draft = null; }
	sessionStorage.removeItem(draftKey);
	const s = { ...(seizure || {}), ...(draft || {}) };
	const editing = !!seizure;
	const c = {}; // controls by API field name

	c.date = h('input', { type: 'text', value: s.date || '', required: true, inputmode: 'numeric', tplaceholder: 'form.date_placeholder', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?' });
	c.agency = h('select', {}, (agencies.items || []).map((a) => h('option', { value: String(a.id) }, a.name)));
	const agencyId = (s.agency && s.agency.id) ?? (session.user.agency && session.user.agency.id);
	if (agencyId !== undefined && agencyId !== null)
		c.agency.value = String(agencyId);
	c.sharing = h('select', {},
		h('option', { value: 'agency', t: 'sharing.agency' }),
		h('option', { value: 'national', t: 'sharing.national' }));
	c.sharing.value = s.sharing || 'national';
	c.country = vocabSelect(countries.items, { emptyKey: 'common.choose', value: s.country || (editing ? '' : 'KH') });
	c.country.required = true;
	for (const k of TEXT_FIELDS)
		c[k] = h(k === 'notes' || k === 'sanctions' ? 'textarea' : 'input', { type: 'text', value: s[k] || '' });
	c.notes.rows = 3;
	c.sanctions.rows = 2;
	const locInfo = h('p', { class: 'hint picked', 'aria-live': 'polite' });
	locationPicker(c.locode, () => c.country.value, (o) => {
		if (!o)
			return;
		const l = o.data;
		c.locode.value = l.locode;
		if (!c.place.value)
			c.place.value = l.name;
		if (l.latitude !== undefined && l.latitude !== null && !c.latitude.value)
			c.latitude.value = l.latitude;
		if (l.longitude !== undefined && l.longitude !== null && !c.longitude.value)
			c.longitude.value = l.longitude;
		locInfo.textContent = `${l.locode} — ${l.name}`;
	});
	c.latitude = h('input', { type: 'number', step: 'any', min: -90, max: 90, inputmode: 'decimal', value: s.latitude ?? '' });
	c.longitude = h('input', { type: 'number', step: 'any', min: -180, max: 180, inputmode: 'decimal', value: s.longitude ?? '' });
	for (const k of VOCAB_FIELDS)
		c[k] = vocabSelect(vocab[k] || [], { emptyKey: 'common.none', value: s[k] || '' });
	for (const k of COUNTRY_LISTS) {
		c[k] = vocabSelect(countries.items, { multiple: true, value: s[k] || [] });
		c[k].size = 4;
	}
	const amount = h('input', { type: 'number', step: 'any', min: 0, inputmode: 'decimal', value: s.value ? s.value.amount : '' });
	const currency = h('input', { type: 'text', maxlength: 3, value: s.value ? s.value.currency : 'USD', autocapitalize: 'characters' });

	const itemsBox = h('div', { class: 'items-box' });
	const itemRows = [];

	function unitOptions(sel, termCode, keep) {
		const term = terms.items.find((x) => x.code === termCode);
		const allowed = term ? term.units : units.items.map((u) => u.code).concat(['']);
		clear(sel);
		if (!term)
			sel.append(h('option', { value: '', t: 'form.choose_term_first' }));
		for (const code of allowed) {
			if (code === '') {
				if (term)
					sel.append(h('option', { value: '', t: 'unit.specimens' }));
				continue;
			}
			const u = units.items.find((x) => x.code === code);
			sel.append(h('option', { value: code, vname: u || { code, name_en: code }, vprefix: `${code} — ` }));
		}
		sel.value = allowed.includes(keep) ? keep : (allowed[0] ?? '');
		sel.disabled = !term;
	}

	function addItem(it = {}) {
		const row = { el: null };
		row.species = h('input', { type: 'text', value: it.species || (it.taxon && it.taxon.name) || '', required: true, tplaceholder: 'form.species_placeholder' });
		const picked = h('p', { class: 'hint picked', 'aria-live': 'polite' });
		if (it.taxon && it.taxon.name)
			picked.textContent = it.taxon.name + (it.taxon.listing ? ` · ${t('species.listing', { l: it.taxon.listing })}` : '');
		speciesPicker(row.species, (o) => {
			picked.textContent = o ? [o.label, o.detail].filter(Boolean).join(' — ') : '';
		});
		row.term = vocabSelect(terms.items, { emptyKey: 'common.choose', value: it.term || '', codePrefix: true });
		row.unit = h('select', {});
		unitOptions(row.unit, row.term.value, it.unit ?? '');
		row.term.addEventListener('change', () => unitOptions(row.unit, row.term.value, row.unit.value));
		row.quantity = h('input', { type: 'number', step: 'any', min: 0, inputmode: 'decimal', required: true, value: it.quantity ?? '' });
		row.live = h('select', {},
			h('option', { value: '', t: 'form.live_unknown' }),
			h('option', { value: 'true', t: 'form.live_yes' }),
			h('option', { value: 'false', t: 'form.live_no' }));
		row.live.value = it.live === true ? 'true' : it.live === false ? 'false' : '';
		row.legend = h('legend', {});
		row.remove = h('button', { type: 'button', class: 'link-button danger', t: 'form.remove_item' });
		row.wraps = {
			species: field('form.species', row.species, { wide: true }),
			term: field('form.term', row.term),
			unit: field('form.unit', row.unit),
			quantity: field('form.quantity', row.quantity),
			live: field('form.live', row.live),
		};
		row.wraps.species.append(picked);
		row.el = h('fieldset', { class: 'item' }, row.legend,
			h('div', { class: 'grid' }, Object.values(row.wraps)),
			h('p', { class: 'field-error item-error', hidden: true }),
			h('div', { class: 'actions' }, row.remove));
		row.remove.addEventListener('click', () => {
			const i = itemRows.indexOf(row);
			if (i >= 0 && itemRows.length > 1) {
				itemRows.splice(i, 1);
				row.el.remove();
				renumber();
			}
		});
		itemRows.push(row);
		itemsBox.append(row.el);
		renumber();
		return row;
	}
	function renumber() {
		itemRows.forEach((row, i) => {
			row.legend.setAttribute('data-t', 'form.item_n');
			row.legend.setAttribute('data-t-args', JSON.stringify({ n: i + 1 }));
			row.legend.textContent = t('form.item_n', { n: i + 1 });
			for (const [k, w] of Object.entries(row.wraps))
				w.dataset.field = `items[${i}].${k}`;
			row.el.dataset.field = `items[${i}]`;
			row.remove.hidden = itemRows.length < 2;
		});
	}
	for (const it of (s.items && s.items.length ? s.items : [{}]))
		addItem(it);
	const addButton = h('button', { type: 'button', t: 'form.add_item', onclick: () => addItem().species.focus() });

	const summary = h('div', { class: 'alert error', role: 'alert', hidden: true, tabindex: '-1' });
	const conflict = h('div', { class: 'alert conflict', role: 'alert', hidden: true });
	const submit = h('button', { type: 'submit', class: 'primary', t: editing ? 'form.save' : 'form.create' });
	const cancel = h('a', { class: 'button', href: editing ? `#/seizures/${encodeURIComponent(id)}` : '#/seizures', t: 'form.cancel' });

	const f = (key, name, opts) => field(key, c[name], { name, ...opts });
	const form = h('form', { class: 'seizure-form', novalidate: true },
		summary, conflict,
		h('fieldset', {}, h('legend', { t: 'form.section_when_where' }),
			h('div', { class: 'grid' },
				f('form.date', 'date', { hint: 'form.date_hint' }),
				f('form.country', 'country'),
				f('form.agency', 'agency'),
				f('form.sharing', 'sharing'),
				f('form.locode', 'locode', { hint: 'form.locode_hint' }),
				f('form.place', 'place'),
				f('form.province', 'province'),
				f('form.latitude', 'latitude'),
				f('form.longitude', 'longitude'))),
		h('section', { class: 'items-section', 'data-field': 'items' },
			h('h2', { t: 'form.section_items' }),
			h('p', { class: 'field-error', hidden: true }),
			itemsBox, h('div', { class: 'actions' }, addButton)),
		h('fieldset', {}, h('legend', { t: 'form.section_route' }),
			h('p', { class: 'hint', t: 'form.multi_hint' }),
			h('div', { class: 'grid' },
				f('form.origin', 'origin'),
				f('form.transit', 'transit'),
				f('form.destination', 'destination'),
				f('form.offender_nationalities', 'offender_nationalities'))),
		h('fieldset', {}, h('legend', { t: 'form.section_circumstances' }),
			h('div', { class: 'grid' },
				f('form.reason', 'reason'),
				f('form.transport_mode', 'transport_mode'),
				f('form.detection_method', 'detection_method'),
				f('form.concealment', 'concealment'),
				field('form.value_amount', amount, { name: 'value.amount' }),
				field('form.value_currency', currency, { name: 'value.currency' }))),
		h('fieldset', {}, h('legend', { t: 'form.section_legal' }),
			h('div', { class: 'grid' },
				f('form.legal_action', 'legal_action'),
				f('form.law', 'law'),
				f('form.sanctions', 'sanctions', { wide: true }),
				f('form.disposal', 'disposal'),
				f('form.notes', 'notes', { wide: true }))),
		h('div', { class: 'actions form-actions' }, submit, cancel));

	main.append(h('h1', { t: editing ? 'form.title_edit' : 'form.title_new', targs: editing ? { ref: s.ref || s.id } : undefined }), form);

	function num(v) {
		return v === '' || v === null || v === undefined ? null : Number(v);
	}
	function collect() {
		const out = {
			date: c.date.value.trim(),
			country: c.country.value,
			agency: c.agency.value ? { id: isNaN(Number(c.agency.value)) ? c.agency.value : Number(c.agency.value) } : null,
			sharing: c.sharing.value,
			latitude: num(c.latitude.value),
			longitude: num(c.longitude.value),
			value: amount.value !== '' ? { amount: Number(amount.value), currency: currency.value.trim().toUpperCase() } : null,
		};
		for (const k of TEXT_FIELDS)
			out[k] = c[k].value.trim();
		for (const k of VOCAB_FIELDS)
			out[k] = c[k].value;
		for (const k of COUNTRY_LISTS)
			out[k] = selectedValues(c[k]);
		out.items = itemRows.map((row) => ({
			species: row.species.value.trim(),
			term: row.term.value,
			quantity: num(row.quantity.value),
			unit: row.unit.value,
			live: row.live.value === '' ? null : row.live.value === 'true',
		}));
		return out;
	}
	// What the loaded record had, in the shape collect() returns, so that an
	// edit sends only the fields that changed.
	const before = editing ? ((o) => {
		const b = {
			date: o.date || '', country: o.country || '',
			agency: o.agency ? { id: o.agency.id } : null, sharing: o.sharing || 'national',
			latitude: o.latitude ?? null, longitude: o.longitude ?? null,
			value: o.value ? { amount: Number(o.value.amount), currency: o.value.currency } : null,
		};
		for (const k of TEXT_FIELDS)
			b[k] = o[k] || '';
		for (const k of VOCAB_FIELDS)
			b[k] = o[k] || '';
		for (const k of COUNTRY_LISTS)
			b[k] = o[k] || [];
		b.items = (o.items || []).map((it) => ({
			species: it.species || (it.taxon && it.taxon.name) || '', term: it.term, quantity: it.quantity,
			unit: it.unit ?? '', live: it.live ?? null,
		}));
		return b;
	})(seizure) : null;

	function wrapFor(name) {
		const all = Array.from(form.querySelectorAll('[data-field]'));
		let w = all.find((el) => el.dataset.field === name);
		let n = name;
		while (!w && /[.[]/.test(n)) {
			n = n.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
			w = all.find((el) => el.dataset.field === n);
		}
		return w;
	}
	function showErrors(e) {
		clearFieldErrors(form);
		form.querySelectorAll('.item-error, .items-section > .field-error').forEach((p) => { p.hidden = true; p.textContent = ''; });
		const unplaced = [];
		for (const fe of e.fields) {
			const w = wrapFor(fe.field);
			if (w && w.classList.contains('field')) {
				showFieldError(w, fe.message);
			} else if (w) {
				const p = w.querySelector(':scope > .field-error, :scope > .item-error');
				p.textContent = [p.textContent, fe.message].filter(Boolean).join(' ');
				p.hidden = false;
			} else {
				unplaced.push(fe);
			}
		}
		append(clear(summary), [
			h('p', { t: e.status === 422 ? 'form.errors_intro' : 'error.generic' }),
			e.status !== 422 && e.message ? h('p', { class: 'detail' }, e.message) : null,
			unplaced.length ? h('ul', {}, unplaced.map((fe) => h('li', {}, fe.field ? `${fe.field}: ${fe.message}` : fe.message))) : null]);
		summary.hidden = false;
		const first = form.querySelector('[aria-invalid=true]');
		(first || summary).focus();
	}

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		summary.hidden = true;
		conflict.hidden = true;
		const data = collect();
		let body;
		if (editing) {
			body = { version: s.version };
			for (const [k, v] of Object.entries(data)) {
				if (JSON.stringify(v) !== JSON.stringify(before[k]))
					body[k] = v === '' ? null : v;
			}
		} else {
			body = {};
			for (const [k, v] of Object.entries(data)) {
				if (v === '' || v === null || (Array.isArray(v) && v.length === 0))
					continue;
				body[k] = v;
			}
		}
		submit.disabled = true;
		try {
			const saved = editing
				? await request('PATCH', `/seizures/${encodeURIComponent(id)}`, { body })
				: await request('POST', '/seizures', { body });
			toast(editing ? 'form.saved' : 'form.created', { ref: saved.ref || saved.id });
			navigate(`/seizures/${encodeURIComponent(saved.id)}`);
		} catch (e) {
			if (e.status === 401) {
				// signed out meanwhile: keep what was typed for after sign-in
				sessionStorage.setItem(draftKey, JSON.stringify(data));
				return;
			}
			if (e.status === 409) {
				clear(conflict).append(
					h('h2', { t: 'form.conflict_title' }),
					h('p', { t: 'form.conflict_text' }),
					h('div', { class: 'actions' },
						h('a', { class: 'button', href: `#/seizures/${encodeURIComponent(id)}`, target: '_blank', t: 'form.conflict_view' }),
						h('button', { type: 'button', t: 'form.conflict_reload', onclick: () => navigate(`/seizures/${encodeURIComponent(id)}/edit?r=${Date.now()}`) })));
				conflict.hidden = false;
				conflict.scrollIntoView({ block: 'center' });
			} else {
				showErrors(e);
			}
		} finally {
			submit.disabled = false;
		}
	});
	if (!editing)
		c.date.focus();
}
