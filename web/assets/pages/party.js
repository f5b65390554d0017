// The party page (#/parties/{id}): every name with its script and kind
// (non-Latin names with their romanisation beside), the person's or
// organisation's facts, identifiers, seizures, relations and the timeline
// (newest first), and the actions the user's role allows: edit, add a name,
// add an identifier (the API's field errors beside the fields), link to a
// seizure, add a relation; the merges of this party, with undo.
//
// Also the identifier page (#/identifiers/{id}) and the "People and
// identifiers" section of the seizure page.

import { h, field, clear, fmtTime } from '../dom.js';
import { get, request, ref, hasRole } from '../api.js';
import { t } from '../i18n.js';
import { isCurrent, errorBox, toast } from '../app.js';
import { combobox } from '../components.js';
import { loadPartiesCss } from '../search-box.js';
import {
	SEIZURE_ROLES, NAME_KINDS, keySelect, countryName, countryNames, canWriteParty, nameNodes,
	placeErrors, identifierFields, showConflict,
} from './parties.js';

// A picker (combobox) over /search of one kind: onPick gets the hit or null.
function searchPicker(input, kinds, onPick) {
	return combobox(input, {
		minChars: 2,
		onPick,
		search: (q) => get('/search', { q, kinds, limit: 8 }).then((r) => (r.items || []).map((it) => ({
			value: it.label, label: it.label, detail: it.reason, data: it,
		}))),
	});
}

function table(heads, rows, cls) {
	return h('div', { class: 'table-wrap' }, h('table', { class: `table ptable ${cls || ''}` },
		h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col', t: k })))),
		h('tbody', {}, rows)));
}

// A small form that opens from a button: returns {wrap, form, open()}.
function toggleForm(buttonKey, titleKey, build) {
	const btn = h('button', { type: 'button', t: buttonKey, 'aria-expanded': 'false' });
	const summary = h('div', { class: 'alert error', role: 'alert', hidden: true, tabindex: '-1' });
	const form = h('form', { class: 'card inline-card', novalidate: true, hidden: true },
		h('h3', { t: titleKey }), summary);
	const cancel = h('button', { type: 'button', t: 'form.cancel' });
	build(form, summary);
	form.append(h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', t: 'party.save_link' }), cancel));
	const open = (yes) => {
		form.hidden = !yes;
		btn.setAttribute('aria-expanded', yes ? 'true' : 'false');
		if (yes) {
			const first = form.querySelector('input:not([type=hidden]),select');
			if (first)
				first.focus();
		}
	};
	btn.addEventListener('click', () => open(form.hidden));
	cancel.addEventListener('click', () => open(false));
	return { btn, form, summary, open };
}

export async function render(main, { id, token }) {
	loadPartiesCss();
	const path = `/parties/${encodeURIComponent(id)}`;
	const [countries, p] = await Promise.all([ref('countries'), get(path)]);
	if (!isCurrent(token))
		return;
	const C = countries.items;
	const writable = canWriteParty(p);
	const refresh = async (msgKey, args) => {
		if (!isCurrent(token))
			return;
		const y = window.scrollY;
		const fresh = h('div');
		await render(fresh, { id, token });
		if (!isCurrent(token))
			return;
		clear(main).append(...fresh.childNodes);
		window.scrollTo(0, y);
		if (msgKey)
			toast(msgKey, args);
	};

	// --- heading, merged banner, actions
	const head = h('div', { class: 'page-head' },
		h('h1', { class: 'party-title' }, nameNodes((p.names || [])[0] || { name: p.name })),
		h('span', { class: `kind-badge kind-${p.kind}`, t: `party.kind_${p.kind}` }));
	const merged = h('div', { class: 'merged-box' });
	if (p.merged_into) {
		let into = null;
		try { into = await get(`/parties/${encodeURIComponent(p.merged_into)}`); } catch { into = null; }
		if (!isCurrent(token))
			return;
		merged.append(h('div', { class: 'alert warn merged-into', role: 'status' },
			h('p', {}, h('span', { t: 'party.merged_into' }), ' ',
				h('a', { href: `#/parties/${encodeURIComponent(p.merged_into)}` }, into ? into.name : `#${p.merged_into}`))));
	}
	const conflict = h('div', { class: 'alert conflict', role: 'alert', hidden: true });
	const actions = h('div', { class: 'actions' });
	if (writable && !p.merged_into)
		actions.append(h('a', { class: 'button primary', href: `#${path}/edit`, t: 'party.edit' }));
	if (!p.merged_into)
		actions.append(h('a', { class: 'button', href: `#/network?node=party:${encodeURIComponent(p.id)}`, t: 'network.link' }));

	// --- names (+ add a name)
	const namesTable = table(['party.name', 'party.script', 'party.name_kind', 'party.romanised'],
		(p.names || []).map((n) => h('tr', {},
			h('td', {}, h('span', { class: 'pname', lang: n.script === 'Khmr' ? 'km' : null }, n.name)),
			h('td', {}, h('span', { t: `script.${n.script || 'Zzzz'}` })),
			h('td', {}, h('span', { t: `name_kind.${n.kind || 'full'}` })),
			h('td', { class: 'romanised' }, n.script && n.script !== 'Latn' ? (n.romanised || '') : ''))), 'names-table');
	const nameForm = toggleForm('party.add_name', 'party.add_name', (form, summary) => {
		const name = h('input', { type: 'text', autocomplete: 'off' });
		const kind = keySelect(NAME_KINDS, 'name_kind.', { value: 'alias' });
		form.append(h('div', { class: 'grid', 'data-field': 'names' },
			field('parties.name', name, { name: `names[${(p.names || []).length}].name` }),
			field('parties.name_kind', kind, { name: `names[${(p.names || []).length}].kind` })),
		h('p', { class: 'hint', t: 'parties.names_hint' }));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			summary.hidden = true;
			const names = (p.names || []).map((n) => ({ name: n.name, kind: n.kind, script: n.script }));
			names.push({ name: name.value.trim(), kind: kind.value });
			try {
				await request('PATCH', path, { body: { version: p.version, names } });
				await refresh('party.name_added');
			} catch (e) {
				if (e.status === 409)
					showConflict(conflict, `${path}?r=${Date.now()}`);
				else if (e.status !== 401)
					placeErrors(form, summary, e);
			}
		});
	});

	// --- facts
	const facts = [
		['party.kind', h('span', { t: `party.kind_${p.kind}` })],
		['party.sex', p.sex ? h('span', { t: `sex.${p.sex}` }) : null],
		['party.birth', p.birth_date || (p.birth_year ? String(p.birth_year) : null)],
		['party.nationalities', countryNames(C, p.nationalities)],
		['party.org_kind', p.org_kind ? h('span', { t: `org.${p.org_kind}` }) : null],
		['party.country', p.country ? countryName(C, p.country) : null],
		['party.registrations', (p.registrations || []).map((r, i) => [i ? '; ' : '', r.country ? [countryName(C, r.country), ' '] : '', r.number])],
		['party.agency', p.agency && p.agency.name],
		['detail.sharing', p.sharing ? h('span', { t: `sharing.${p.sharing}` }) : null],
		['party.notes', p.notes],
		['detail.version', String(p.version)],
		['detail.created_at', fmtTime(p.created_at)],
		['detail.updated_at', fmtTime(p.updated_at)],
	];
	const dl = h('dl', { class: 'facts' });
	for (const [key, val] of facts) {
		if (val === null || val === undefined || val === '' || (Array.isArray(val) && val.length === 0))
			continue;
		dl.append(h('div', {}, h('dt', { t: key }), h('dd', {}, val)));
	}

	// --- identifiers
	const identRows = (p.identifiers || []).map((l) => {
		const i = l.identifier || {};
		const del = writable ? h('button', { type: 'button', class: 'link-button danger', t: 'party.unlink' }) : null;
		if (del) {
			del.addEventListener('click', async () => {
				try {
					await request('DELETE', `${path}/identifiers`, { params: { identifier_id: i.id, role: l.role } });
					await refresh('party.unlinked');
				} catch (e) {
					if (e.status !== 401)
						del.after(errorBox(e));
				}
			});
		}
		return h('tr', {},
			h('td', {}, h('span', { t: `ident.kind_${i.kind}` })),
			h('td', {}, h('a', { class: 'mono', href: `#/identifiers/${encodeURIComponent(i.id)}` }, i.display || i.value || i.key),
				i.value && i.display && i.value !== i.display ? h('span', { class: 'hint' }, ` (${i.value})`) : null),
			h('td', {}, h('span', { t: `ident.role_${l.role}` })),
			h('td', {}, l.source || ''),
			h('td', {}, l.date || ''),
			h('td', {}, l.seizure_id ? h('a', { href: `#/seizures/${encodeURIComponent(l.seizure_id)}`, t: 'party.from_record' }) : null, del));
	});
	const identForm = toggleForm('party.add_identifier', 'party.add_identifier', (form, summary) => {
		const f = identifierFields(C);
		form.append(h('div', { class: 'grid' }, f.wraps));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			summary.hidden = true;
			try {
				const r = await request('POST', `${path}/identifiers`, { body: f.collect() });
				await refresh(r && r.created === false ? 'party.identifier_existed' : 'party.identifier_added');
			} catch (e) {
				if (e.status !== 401)
					placeErrors(form, summary, e);
			}
		});
	});

	// --- seizures
	const seizureRows = (p.seizures || []).map((l) => {
		const s = l.seizure || {};
		const del = writable ? h('button', { type: 'button', class: 'link-button danger', t: 'party.unlink' }) : null;
		if (del) {
			del.addEventListener('click', async () => {
				try {
					await request('DELETE', `${path}/seizures`, { params: { seizure_id: s.id, role: l.role } });
					await refresh('party.unlinked');
				} catch (e) {
					if (e.status !== 401)
						del.after(errorBox(e));
				}
			});
		}
		return h('tr', {},
			h('td', {}, h('span', { t: `prole.${l.role}` })),
			h('td', {}, h('a', { href: `#/seizures/${encodeURIComponent(s.id)}` }, s.ref || `#${s.id}`)),
			h('td', {}, s.date || ''),
			h('td', {}, s.country ? countryName(C, s.country) : ''),
			h('td', { class: 'sp-cell' }, s.species || ''),
			h('td', {}, (s.agency && s.agency.name) || ''),
			h('td', {}, l.source || '', del));
	});
	const seizureForm = toggleForm('party.link_seizure', 'party.link_seizure', (form, summary) => {
		let picked = null;
		const which = h('input', { type: 'text', autocomplete: 'off', tplaceholder: 'party.seizure_placeholder' });
		searchPicker(which, 'seizures', (o) => { picked = o ? o.data : null; });
		const role = keySelect(SEIZURE_ROLES, 'prole.', { value: 'suspect' });
		const source = h('input', { type: 'text', tplaceholder: 'party.source_placeholder' });
		const date = h('input', { type: 'date' });
		form.append(h('div', { class: 'grid' },
			field('party.seizure', which, { name: 'seizure_id', hint: 'party.pick_hint' }),
			field('party.role', role, { name: 'role' }),
			field('party.source', source, { name: 'source' }),
			field('party.link_date', date, { name: 'date' })));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			summary.hidden = true;
			if (!picked) {
				placeErrors(form, summary, { status: 422, fields: [{ field: 'seizure_id', message: t('party.pick_first') }] });
				return;
			}
			try {
				await request('POST', `/seizures/${encodeURIComponent(picked.id)}/parties`, {
					body: { party_id: p.id, role: role.value, source: source.value.trim() || undefined, date: date.value || undefined },
				});
				await refresh('party.linked');
			} catch (e) {
				if (e.status !== 401)
					placeErrors(form, summary, e);
			}
		});
	});

	// --- relations
	const relRows = (p.relations || []).map((r) => {
		const del = writable ? h('button', { type: 'button', class: 'link-button danger', t: 'party.unlink' }) : null;
		if (del) {
			del.addEventListener('click', async () => {
				try {
					await request('DELETE', `${path}/relations`, { params: { party_id: r.party.id, kind: r.kind } });
					await refresh('party.unlinked');
				} catch (e) {
					if (e.status !== 401)
						del.after(errorBox(e));
				}
			});
		}
		const sym = r.kind === 'family' || r.kind === 'associate';
		return h('tr', {},
			h('td', {}, h('span', { t: sym || r.direction !== 'in' ? `rel.${r.kind}` : `rel.${r.kind}_in` })),
			h('td', {}, h('a', { href: `#/parties/${encodeURIComponent(r.party.id)}` }, r.party.name || `#${r.party.id}`),
				h('span', { class: 'kind-badge small', t: `party.kind_${r.party.kind}` })),
			h('td', {}, r.source || ''),
			h('td', {}, r.date || ''),
			h('td', {}, r.seizure_id ? h('a', { href: `#/seizures/${encodeURIComponent(r.seizure_id)}`, t: 'party.from_record' }) : null, del));
	});
	const relForm = toggleForm('party.add_relation', 'party.add_relation', (form, summary) => {
		let picked = null;
		const kind = h('select', {},
			['family', 'associate', 'employee_of', 'director_of'].map((k) => h('option', { value: `out:${k}`, t: `rel.${k}` })),
			['employee_of', 'director_of'].map((k) => h('option', { value: `in:${k}`, t: `rel.${k}_in` })));
		const other = h('input', { type: 'text', autocomplete: 'off', tplaceholder: 'party.party_placeholder' });
		searchPicker(other, 'parties', (o) => { picked = o ? o.data : null; });
		const source = h('input', { type: 'text', tplaceholder: 'party.source_placeholder' });
		const date = h('input', { type: 'date' });
		form.append(h('p', { class: 'hint', t: 'party.relation_hint', targs: { name: p.name || '' } }),
			h('div', { class: 'grid' },
				field('party.relation_kind', kind, { name: 'kind' }),
				field('party.other_party', other, { name: 'party_id', hint: 'party.pick_hint' }),
				field('party.source', source, { name: 'source' }),
				field('party.link_date', date, { name: 'date' })));
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			summary.hidden = true;
			if (!picked) {
				placeErrors(form, summary, { status: 422, fields: [{ field: 'party_id', message: t('party.pick_first') }] });
				return;
			}
			const [dir, k] = kind.value.split(':');
			const from = dir === 'out' ? p.id : picked.id;
			const to = dir === 'out' ? picked.id : p.id;
			try {
				await request('POST', `/parties/${encodeURIComponent(from)}/relations`, {
					body: { party_id: to, kind: k, source: source.value.trim() || undefined, date: date.value || undefined },
				});
				await refresh('party.linked');
			} catch (e) {
				if (e.status !== 401)
					placeErrors(form, summary, e);
			}
		});
	});

	// --- timeline, newest first
	const timeline = (p.timeline || []).slice().sort((a, b) => String(b.date || '').localeCompare(String(a.date || '')));
	const tl = h('ol', { class: 'timeline' }, timeline.map((e) => {
		const href = e.type === 'seizure' ? `#/seizures/${encodeURIComponent(e.id)}`
			: e.type === 'identifier' ? `#/identifiers/${encodeURIComponent(e.id)}` : `#/parties/${encodeURIComponent(e.id)}`;
		const roleKey = e.type === 'seizure' ? `prole.${e.role}` : e.type === 'identifier' ? `ident.role_${e.role}` : `rel.${e.role}`;
		return h('li', { 'data-type': e.type },
			h('time', { datetime: e.date || '' }, e.date || ''),
			h('span', { class: 'tl-type', t: `party.tl_${e.type}` }),
			e.role ? h('span', { class: 'tl-role', t: roleKey }) : null,
			h('a', { href }, e.label || `#${e.id}`),
			e.source ? h('span', { class: 'hint' }, ` — ${e.source}`) : null);
	}));

	const section = (key, body, form, emptyKey, n) => h('section', { class: 'party-section' },
		h('h2', { t: key }),
		n ? body : h('p', { class: 'empty', t: emptyKey }),
		form && writable && !p.merged_into ? h('div', { class: 'actions' }, form.btn) : null,
		form && writable && !p.merged_into ? form.form : null);
	const seizureSection = h('section', { class: 'party-section' },
		h('h2', { t: 'party.seizures' }),
		seizureRows.length ? table(['party.role', 'party.seizure', 'detail.date', 'detail.country', 'detail.items', 'detail.agency', 'party.source'], seizureRows, 'seizures-table')
			: h('p', { class: 'empty', t: 'party.no_seizures' }),
		!hasRole('viewer') && !p.merged_into ? h('div', { class: 'actions' }, seizureForm.btn) : null,
		!hasRole('viewer') && !p.merged_into ? seizureForm.form : null);

	const mergesBox = h('section', { class: 'party-section merges', hidden: true });
	main.append(
		h('p', { class: 'crumbs' }, h('a', { href: '#/parties', t: 'party.back' })),
		head, merged, conflict, actions,
		h('section', { class: 'party-section' }, h('h2', { t: 'party.names' }), namesTable,
			writable && !p.merged_into ? h('div', { class: 'actions' }, nameForm.btn) : null,
			writable && !p.merged_into ? nameForm.form : null),
		dl,
		section('party.identifiers', table(['ident.kind', 'party.identifier', 'ident.role', 'party.source', 'party.link_date', 'party.record'], identRows, 'idents-table'), identForm, 'party.no_identifiers', identRows.length),
		seizureSection,
		section('party.relations', table(['party.relation_kind', 'party.other_party', 'party.source', 'party.link_date', 'party.record'], relRows, 'relations-table'), relForm, 'party.no_relations', relRows.length),
		h('section', { class: 'party-section' }, h('h2', { t: 'party.timeline' }),
			timeline.length ? tl : h('p', { class: 'empty', t: 'party.no_timeline' })),
		mergesBox);
	await mergeHistory(mergesBox, p, token, refresh);
}

// The merges this party took part in (GET /api/v1/parties/{id}/merges),
// each with its undo (analysts and admins; a reason is required).
async function mergeHistory(box, p, token, refresh) {
	let r;
	try {
		r = await get(`/parties/${encodeURIComponent(p.id)}/merges`);
	} catch {
		return;
	}
	if (!isCurrent(token))
		return;
	const items = (r && r.items) || [];
	if (!items.length)
		return;
	box.hidden = false;
	box.append(h('h2', { t: 'party.merges' }));
	const list = h('ul', { class: 'merge-list' });
	for (const m of items)
		list.append(mergeItem(m, () => refresh('dup.undone')));
	box.append(list);
}

// One merge: "A merged into B", who, when, why; undone or an undo form.
export function mergeItem(m, onUndone) {
	const surv = m.survivor || {};
	const gone = m.merged || {};
	const li = h('li', { class: 'merge-item', 'data-merge': m.id },
		h('span', { t: 'party.merge_line', targs: { merged: gone.name || `#${gone.id}`, survivor: surv.name || `#${surv.id}` } }),
		' ', h('span', { class: 'hint' }, [fmtTime(m.at), m.user, m.reason].filter(Boolean).join(' · ')));
	if (m.undone) {
		li.append(' ', h('span', { class: 'badge off', t: 'dup.undone_badge' }),
			' ', h('span', { class: 'hint' }, [fmtTime(m.undone.at), m.undone.user, m.undone.reason].filter(Boolean).join(' · ')));
		return li;
	}
	if (!hasRole('admin', 'analyst'))
		return li;
	const reason = h('input', { type: 'text', autocomplete: 'off' });
	const summary = h('div', { class: 'alert error', role: 'alert', hidden: true });
	const form = h('form', { class: 'undo-form', novalidate: true },
		field('dup.undo_reason', reason, { name: 'reason' }),
		h('button', { type: 'submit', t: 'dup.undo' }), summary);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		summary.hidden = true;
		if (!reason.value.trim()) {
			placeErrors(form, null, { status: 422, fields: [{ field: 'reason', message: t('dup.reason_required') }] });
			return;
		}
		const btn = form.querySelector('button');
		btn.disabled = true;
		try {
			await request('POST', `/merges/${encodeURIComponent(m.id)}/undo`, { body: { reason: reason.value.trim() } });
			await onUndone();
		} catch (e) {
			btn.disabled = false;
			if (e.status !== 401)
				placeErrors(form, summary, e);
		}
	});
	li.append(form);
	return li;
}

// ---- identifier page -----------------------------------------------------

export async function renderIdentifier(main, { id, token }) {
	loadPartiesCss();
	const [countries, i] = await Promise.all([ref('countries'), get(`/identifiers/${encodeURIComponent(id)}`)]);
	if (!isCurrent(token))
		return;
	const C = countries.items;
	const rows = [
		['ident.kind', h('span', { t: `ident.kind_${i.kind}` })],
		['ident.key', h('span', { class: 'mono' }, i.key)],
		['ident.value', i.value],
		['ident.country', i.country ? countryName(C, i.country) : null],
		['ident.platform', i.platform],
		['ident.flight_date', i.date],
		['ident.province', i.province],
		['detail.created_at', fmtTime(i.created_at)],
	];
	const dl = h('dl', { class: 'facts' });
	for (const [k, v] of rows) {
		if (v !== null && v !== undefined && v !== '')
			dl.append(h('div', {}, h('dt', { t: k }), h('dd', {}, v)));
	}
	main.append(
		h('p', { class: 'crumbs' }, h('a', { href: '#/parties', t: 'party.back' })),
		h('div', { class: 'page-head' }, h('h1', { class: 'mono-title' }, i.display || i.key),
			h('span', { class: 'kind-badge', t: `ident.kind_${i.kind}` })),
		h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/network?node=identifier:${encodeURIComponent(i.id)}`, t: 'network.link' })),
		dl,
		h('h2', { t: 'ident.parties' }),
		(i.parties || []).length ? table(['ident.role', 'party.name', 'party.source', 'party.link_date'], i.parties.map((l) => h('tr', {},
			h('td', {}, h('span', { t: `ident.role_${l.role}` })),
			h('td', {}, h('a', { href: `#/parties/${encodeURIComponent(l.party.id)}` }, l.party.name || `#${l.party.id}`)),
			h('td', {}, l.source || ''),
			h('td', {}, l.date || '')))) : h('p', { class: 'empty', t: 'ident.no_parties' }),
		h('h2', { t: 'ident.seizures' }),
		(i.seizures || []).length ? table(['party.role', 'party.seizure', 'detail.date', 'detail.items'], i.seizures.map((l) => h('tr', {},
			h('td', {}, h('span', { t: l.role === 'seen_in' ? 'ident.role_seen_in' : `prole.${l.role}` })),
			h('td', {}, h('a', { href: `#/seizures/${encodeURIComponent(l.seizure.id)}` }, l.seizure.ref || `#${l.seizure.id}`)),
			h('td', {}, l.seizure.date || ''),
			h('td', { class: 'sp-cell' }, l.seizure.species || '')))) : h('p', { class: 'empty', t: 'ident.no_seizures' }));
}

// ---- the seizure page's "People and identifiers" -----------------------

// A section for the seizure page: the parties linked to seizure `seizureId`
// with their roles, the identifiers seen in it, and (for those who write) a
// form to link an existing party (found with the search) or a new one.
export function seizurePeopleSection(seizureId, token) {
	loadPartiesCss();
	const sec = h('section', { class: 'seizure-people' }, h('h2', { t: 'seizure_people.title' }));
	const body = h('div');
	sec.append(body);
	const base = `/seizures/${encodeURIComponent(seizureId)}/parties`;
	async function load() {
		let r;
		try {
			r = await get(base);
		} catch (e) {
			if (isCurrent(token) && e.status !== 401)
				clear(body).append(errorBox(e));
			return;
		}
		if (!isCurrent(token))
			return;
		fill(r);
	}
	function fill(r) {
		clear(body);
		const items = r.items || [];
		body.append(items.length ? table(['party.name', 'party.role', 'party.source', 'party.link_date'], items.map((l) => h('tr', {},
			h('td', {}, h('a', { href: `#/parties/${encodeURIComponent(l.party.id)}` }, nameNodes((l.party.names || [])[0] || { name: l.party.name })),
				h('span', { class: 'kind-badge small', t: `party.kind_${l.party.kind}` })),
			h('td', {}, h('span', { t: `prole.${l.role}` })),
			h('td', {}, l.source || ''),
			h('td', {}, l.date || ''))), 'people-table') : h('p', { class: 'empty', t: 'seizure_people.none' }));
		const idents = r.identifiers || [];
		if (idents.length) {
			body.append(h('h3', { t: 'seizure_people.identifiers' }),
				h('ul', { class: 'ident-chips' }, idents.map((l) => h('li', {},
					h('span', { class: 'kind-badge small', t: `ident.kind_${l.identifier.kind}` }), ' ',
					h('a', { class: 'mono', href: `#/identifiers/${encodeURIComponent(l.identifier.id)}` }, l.identifier.display || l.identifier.key),
					l.source ? h('span', { class: 'hint' }, ` — ${l.source}`) : null))));
		}
		if (!hasRole('viewer'))
			body.append(linkForm());
	}
	function linkForm() {
		let picked = null;
		const summary = h('div', { class: 'alert error', role: 'alert', hidden: true, tabindex: '-1' });
		const mode = h('select', {}, h('option', { value: 'existing', t: 'seizure_people.existing' }), h('option', { value: 'new', t: 'seizure_people.new' }));
		const who = h('input', { type: 'text', autocomplete: 'off', tplaceholder: 'party.party_placeholder' });
		searchPicker(who, 'parties', (o) => { picked = o ? o.data : null; });
		const kind = h('select', {}, h('option', { value: 'person', t: 'party.kind_person' }), h('option', { value: 'organisation', t: 'party.kind_organisation' }));
		const name = h('input', { type: 'text', autocomplete: 'off' });
		const role = keySelect(SEIZURE_ROLES, 'prole.', { value: 'suspect' });
		const source = h('input', { type: 'text', tplaceholder: 'party.source_placeholder' });
		const date = h('input', { type: 'date' });
		const wWho = field('seizure_people.party', who, { name: 'party_id', hint: 'party.pick_hint' });
		const wKind = field('party.kind', kind, { name: 'party.kind' });
		const wName = field('seizure_people.new_name', name, { name: 'party.names', hint: 'parties.names_hint' });
		const sync = () => {
			const isNew = mode.value === 'new';
			wWho.hidden = isNew;
			wKind.hidden = !isNew;
			wName.hidden = !isNew;
		};
		mode.addEventListener('change', sync);
		const form = h('form', { class: 'card inline-card', novalidate: true },
			h('h3', { t: 'seizure_people.link' }), summary,
			h('div', { class: 'grid' },
				field('seizure_people.mode', mode),
				wWho, wKind, wName,
				field('party.role', role, { name: 'role' }),
				field('party.source', source, { name: 'source' }),
				field('party.link_date', date, { name: 'date' })),
			h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', t: 'seizure_people.submit' })));
		sync();
		form.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			summary.hidden = true;
			const body = { role: role.value, source: source.value.trim() || undefined, date: date.value || undefined };
			if (mode.value === 'new') {
				body.party = { kind: kind.value, names: name.value.trim() ? [name.value.trim()] : [] };
			} else if (picked) {
				body.party_id = picked.id;
			} else {
				placeErrors(form, summary, { status: 422, fields: [{ field: 'party_id', message: t('party.pick_first') }] });
				return;
			}
			try {
				const r = await request('POST', base, { body });
				toast('party.linked');
				fill(r);
			} catch (e) {
				if (e.status !== 401)
					placeErrors(form, summary, e);
			}
		});
		return form;
	}
	load();
	return sec;
}
