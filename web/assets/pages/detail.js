// One seizure and its audit history.

import { h, append, fmtTime } from '../dom.js';
import { t } from '../i18n.js';
import { get, ref, request, hasRole } from '../api.js';
import { isCurrent, navigate, errorBox, toast } from '../app.js';
import { seizurePeopleSection } from './party.js';

export async function render(main, { id, token }) {
	const path = `/seizures/${encodeURIComponent(id)}`;
	const [terms, units, countries, vocab, s] = await Promise.all([
		ref('terms'), ref('units'), ref('countries'), ref('vocab'), get(path),
	]);
	if (!isCurrent(token))
		return;
	const country = (code) => {
		const c = countries.items.find((x) => x.code === code);
		return c ? h('span', { vname: c }) : code;
	};
	const countryList = (codes) => (codes || []).flatMap((code, i) => (i ? [', ', country(code)] : [country(code)]));
	const voc = (kind, code) => {
		const e = (vocab[kind] || []).find((x) => x.code === code);
		return e ? h('span', { vname: e }) : code;
	};
	const rows = [
		['detail.date', s.date],
		['detail.agency', s.agency && s.agency.name],
		['detail.sharing', s.sharing ? h('span', { t: `sharing.${s.sharing}` }) : null],
		['detail.country', s.country ? country(s.country) : null],
		['detail.place', [s.place, s.province].filter(Boolean).join(', ')],
		['detail.locode', s.locode],
		['detail.coordinates', (s.latitude ?? '') !== '' && s.latitude !== null ? `${s.latitude}, ${s.longitude}` : null],
		['detail.origin', countryList(s.origin)],
		['detail.transit', countryList(s.transit)],
		['detail.destination', countryList(s.destination)],
		['detail.offender_nationalities', countryList(s.offender_nationalities)],
		['detail.reason', s.reason ? voc('reason', s.reason) : null],
		['detail.transport_mode', s.transport_mode ? voc('transport_mode', s.transport_mode) : null],
		['detail.detection_method', s.detection_method ? voc('detection_method', s.detection_method) : null],
		['detail.concealment', s.concealment ? voc('concealment', s.concealment) : null],
		['detail.value', s.value ? `${s.value.amount} ${s.value.currency || ''}` : null],
		['detail.legal_action', s.legal_action ? voc('legal_action', s.legal_action) : null],
		['detail.law', s.law],
		['detail.sanctions', s.sanctions],
		['detail.disposal', s.disposal ? voc('disposal', s.disposal) : null],
		['detail.notes', s.notes],
		['detail.version', String(s.version)],
		['detail.created_at', fmtTime(s.created_at)],
		['detail.updated_at', fmtTime(s.updated_at)],
	];
	const dl = h('dl', { class: 'facts' });
	for (const [key, val] of rows) {
		if (val === null || val === undefined || val === '' || (Array.isArray(val) && val.length === 0))
			continue;
		dl.append(h('div', {}, h('dt', { t: key }), h('dd', {}, val)));
	}
	const items = h('table', { class: 'table items-table' },
		h('thead', {}, h('tr', {},
			h('th', { scope: 'col', t: 'detail.item_species' }),
			h('th', { scope: 'col', t: 'detail.item_term' }),
			h('th', { scope: 'col', t: 'detail.item_quantity' }),
			h('th', { scope: 'col', t: 'detail.item_unit' }),
			h('th', { scope: 'col', t: 'detail.item_live' }))),
		h('tbody', {}, (s.items || []).map((it) => {
			const term = terms.items.find((x) => x.code === it.term);
			const unit = units.items.find((x) => x.code === it.unit);
			return h('tr', {},
				h('td', { 'data-t-label': 'detail.item_species' },
					h('span', { class: 'sp' }, (it.taxon && it.taxon.name) || it.species),
					it.taxon && it.taxon.name && it.species && it.species !== it.taxon.name ? h('span', { class: 'hint' }, ` (${it.species})`) : null,
					it.taxon && it.taxon.listing ? h('span', { class: 'badge', t: 'species.listing', targs: { l: it.taxon.listing } }) : null),
				h('td', {}, term ? h('span', { vname: term, vprefix: `${term.code} — ` }) : it.term),
				h('td', {}, String(it.quantity ?? '')),
				h('td', {}, it.unit ? (unit ? h('span', { vname: unit }) : it.unit) : h('span', { t: 'unit.specimens' })),
				h('td', {}, h('span', { t: it.live === true ? 'form.live_yes' : it.live === false ? 'form.live_no' : 'form.live_unknown' })));
		})));

	const actions = h('div', { class: 'actions' });
	if (!hasRole('viewer'))
		actions.append(h('a', { class: 'button primary', href: `#${path}/edit`, t: 'detail.edit' }));
	actions.append(h('a', { class: 'button', href: `#/network?node=seizure:${encodeURIComponent(s.id)}`, t: 'network.link' }));
	if (hasRole('admin')) {
		const del = h('button', { type: 'button', class: 'danger', t: 'detail.delete' });
		del.addEventListener('click', async () => {
			if (!window.confirm(t('detail.delete_confirm', { ref: s.ref || s.id })))
				return;
			try {
				await request('DELETE', path, { params: { version: s.version } });
				toast('detail.deleted', { ref: s.ref || s.id });
				navigate('/seizures');
			} catch (e) {
				if (e.status !== 401)
					actions.after(errorBox(e));
			}
		});
		actions.append(del);
	}

	const history = h('section', { class: 'history' }, h('h2', { t: 'detail.history' }));
	main.append(
		h('p', { class: 'crumbs' }, h('a', { href: '#/seizures', t: 'detail.back' })),
		h('h1', { t: 'detail.title', targs: { ref: s.ref || s.id } }),
		actions, dl,
		h('h2', { t: 'detail.items' }), h('div', { class: 'table-wrap' }, items),
		seizurePeopleSection(s.id, token),
		history);

	try {
		const hist = await get(`${path}/history`);
		if (!isCurrent(token))
			return;
		const list = hist.items || [];
		if (!list.length) {
			history.append(h('p', { class: 'empty', t: 'detail.history_empty' }));
			return;
		}
		// reading a seizure is audited too; those entries are hidden unless asked for
		const views = list.filter((e) => e.action === 'view').length;
		const showViews = h('input', { type: 'checkbox' });
		const tbody = h('tbody', {}, list.map((e) => h('tr', { class: e.action === 'view' ? 'view-row' : null, hidden: e.action === 'view' },
			h('td', {}, h('time', { datetime: e.at || '' }, fmtTime(e.at))),
			h('td', {}, e.user || ''),
			h('td', {}, h('span', { t: `action.${e.action}` })),
			h('td', { class: 'mono' }, summarize(e.detail)))));
		showViews.addEventListener('change', () => {
			tbody.querySelectorAll('.view-row').forEach((tr) => { tr.hidden = !showViews.checked; });
		});
		append(history, [
			views ? h('div', { class: 'field checkbox' }, h('label', {}, showViews, ' ', h('span', { t: 'detail.show_views', targs: { n: views } }))) : null,
			h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
				h('thead', {}, h('tr', {},
					h('th', { scope: 'col', t: 'detail.history_at' }),
					h('th', { scope: 'col', t: 'detail.history_user' }),
					h('th', { scope: 'col', t: 'detail.history_action' }),
					h('th', { scope: 'col', t: 'detail.history_detail' }))),
				tbody))]);
	} catch (e) {
		if (isCurrent(token) && e.status !== 401)
			history.append(errorBox(e));
	}
}

// A short text for an audit detail object: "key: value" pairs (hashes left
// out), lists joined by commas.
function summarize(d) {
	if (!d || typeof d !== 'object')
		return d ? String(d) : '';
	const parts = [];
	for (const [k, v] of Object.entries(d)) {
		if (/hash/.test(k) || v === null || v === undefined)
			continue;
		const val = Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : x)).join(', ')
			: typeof v === 'object' ? JSON.stringify(v) : String(v);
		parts.push(`${k}: ${val}`);
	}
	return parts.join('; ');
}
