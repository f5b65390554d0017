// People and organisations: the list (#/parties, with a filter box) and the
// form for a new party (#/parties/new?kind=person|organisation: several
// names, whose script the server detects, and identifiers inline) or to edit
// one (#/parties/{id}/edit, PATCH with the version read; 409 = conflict).
//
// Also the vocabularies and small pieces the party page shares.

import { h, append, field, vocabSelect, selectedValues, clear, showFieldError, clearFieldErrors, setDefault } from '../dom.js';
import { get, request, ref, hasRole, session } from '../api.js';
import { t } from '../i18n.js';
import { isCurrent, navigate, errorBox, toast } from '../app.js';
import { loadPartiesCss } from '../search-box.js';

// ---- vocabularies of the party register (src/party/validate.c) ----------

export const IDENT_KINDS = ['phone', 'email', 'passport', 'id_card', 'plate', 'vessel', 'flight', 'container',
	'bill_of_lading', 'airway_bill', 'bank_account', 'handle', 'address'];
export const SEIZURE_ROLES = ['suspect', 'arrested', 'owner', 'consignor', 'consignee', 'carrier', 'driver',
	'buyer', 'seller', 'courier', 'other'];
export const IDENT_ROLES = ['uses', 'owns', 'registered_to'];
export const RELATION_KINDS = ['family', 'associate', 'employee_of', 'director_of'];
export const ORG_KINDS = ['company', 'vessel_operator', 'logistics', 'shop', 'restaurant', 'farm', 'zoo', 'other'];
export const NAME_KINDS = ['full', 'alias', 'nickname'];
export const SEXES = ['male', 'female', 'unknown'];
export const PLATFORMS = ['facebook', 'wechat', 'line', 'telegram', 'whatsapp', 'zalo', 'tiktok', 'x', 'instagram',
	'signal', 'viber', 'qq', 'weibo', 'youtube', 'skype', 'kakaotalk'];
// which qualifiers each identifier kind takes
const KIND_FIELDS = {
	phone: ['country'], passport: ['country'], id_card: ['country'], plate: ['country'], bank_account: ['country'],
	address: ['country', 'province'], handle: ['platform'], flight: ['flight_date'],
};

// <select> of keys shown through i18n: options `${prefix}${v}`.
export function keySelect(values, prefix, { value = '', emptyKey = null } = {}) {
	const sel = h('select', {}, emptyKey ? h('option', { value: '', t: emptyKey }) : null,
		values.map((v) => h('option', { value: v, t: `${prefix}${v}` })));
	setDefault(sel, value);
	return sel;
}

// A country (ISO2) shown by its name in the interface language.
export function countryName(countries, code) {
	const c = (countries || []).find((x) => x.code === code);
	return c ? h('span', { vname: c }) : code;
}

export function countryNames(countries, codes) {
	return (codes || []).flatMap((code, i) => (i ? [', ', countryName(countries, code)] : [countryName(countries, code)]));
}

// May the signed-in user change this party (own agency, admin any)?
export function canWriteParty(p) {
	if (!session.user || hasRole('viewer'))
		return false;
	if (hasRole('admin'))
		return true;
	return !!(p.agency && session.user.agency && p.agency.id === session.user.agency.id);
}

// A name with its romanisation beside it when the script is not Latin.
export function nameNodes(n) {
	const lang = n.script === 'Khmr' ? 'km' : n.script === 'Thai' ? 'th' : n.script === 'Laoo' ? 'lo' : n.script === 'Hani' ? 'zh' : null;
	return [h('span', { class: 'pname', lang }, n.name),
		n.script && n.script !== 'Latn' && n.romanised ? h('span', { class: 'romanised' }, ` (${n.romanised})`) : null];
}

// Field errors of the API placed beside the control whose wrapper carries
// data-field = the error's field (or its nearest parent path); the rest in
// `summary`.  Returns how many were placed.
export function placeErrors(root, summary, e, introKey) {
	clearFieldErrors(root);
	root.querySelectorAll('.group-error').forEach((p) => { p.hidden = true; p.textContent = ''; });
	const all = Array.from(root.querySelectorAll('[data-field]'));
	const unplaced = [];
	for (const fe of e.fields || []) {
		let n = fe.field || '';
		let w = all.find((el) => el.dataset.field === n);
		while (!w && /[.[]/.test(n)) {
			n = n.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
			w = all.find((el) => el.dataset.field === n);
		}
		if (w && w.classList.contains('field')) {
			showFieldError(w, fe.message);
		} else if (w && w.querySelector(':scope > .group-error')) {
			const p = w.querySelector(':scope > .group-error');
			p.textContent = [p.textContent, fe.message].filter(Boolean).join(' ');
			p.hidden = false;
		} else {
			unplaced.push(fe);
		}
	}
	if (summary) {
		clear(summary);
		if (e.status === 422) {
			summary.append(h('p', { t: introKey || 'party.errors_intro' }));
			if (unplaced.length)
				summary.append(h('ul', {}, unplaced.map((fe) => h('li', {}, fe.field ? `${fe.field}: ${fe.message}` : fe.message))));
		} else {
			summary.append(errorBox(e));
		}
		summary.hidden = false;
	}
	const first = root.querySelector('[aria-invalid=true]');
	if (first)
		first.focus();
	return (e.fields || []).length - unplaced.length;
}

// The controls of one identifier (kind, value and the qualifiers its kind
// takes, role, source, date).  `path` prefixes the API field names
// ("identifiers[0]." or "").  collect() gives the IDENT-INPUT.
export function identifierFields(countries, { path = '', roles = IDENT_ROLES, role = 'uses' } = {}) {
	const c = {
		kind: keySelect(IDENT_KINDS, 'ident.kind_', { value: 'phone' }),
		value: h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' }),
		country: vocabSelect(countries, { emptyKey: 'common.none' }),
		platform: h('select', {}, h('option', { value: '', t: 'common.choose' }), PLATFORMS.map((v) => h('option', { value: v }, v))),
		province: h('input', { type: 'text' }),
		flight_date: h('input', { type: 'date' }),
		role: keySelect(roles, roles === IDENT_ROLES ? 'ident.role_' : 'prole.', { value: role }),
		source: h('input', { type: 'text', tplaceholder: 'party.source_placeholder' }),
		date: h('input', { type: 'date' }),
	};
	const w = {
		kind: field('ident.kind', c.kind, { name: `${path}kind` }),
		value: field('ident.value', c.value, { name: `${path}value`, hint: 'ident.value_hint' }),
		country: field('ident.country', c.country, { name: `${path}country` }),
		platform: field('ident.platform', c.platform, { name: `${path}platform` }),
		province: field('ident.province', c.province, { name: `${path}province` }),
		flight_date: field('ident.flight_date', c.flight_date, { name: `${path}flight_date` }),
		role: field('ident.role', c.role, { name: `${path}role` }),
		source: field('party.source', c.source, { name: `${path}source` }),
		date: field('party.link_date', c.date, { name: `${path}date` }),
	};
	const hint = w.value.querySelector('.hint');
	function sync() {
		const k = c.kind.value;
		const extra = KIND_FIELDS[k] || [];
		for (const f of ['country', 'platform', 'province', 'flight_date'])
			w[f].hidden = !extra.includes(f);
		if (hint) {
			hint.setAttribute('data-t', `ident.example_${k}`);
			hint.textContent = t(`ident.example_${k}`);
		}
	}
	c.kind.addEventListener('change', sync);
	sync();
	function collect() {
		const extra = KIND_FIELDS[c.kind.value] || [];
		const out = { kind: c.kind.value, value: c.value.value.trim(), role: c.role.value };
		for (const f of ['country', 'platform', 'province', 'flight_date']) {
			if (extra.includes(f) && c[f].value.trim())
				out[f] = c[f].value.trim();
		}
		if (c.source.value.trim())
			out.source = c.source.value.trim();
		if (c.date.value)
			out.date = c.date.value;
		return out;
	}
	function reset() {
		c.value.value = '';
		c.source.value = '';
		c.date.value = '';
		c.province.value = '';
	}
	return { c, w, wraps: Object.values(w), collect, reset };
}

// ---- the list ------------------------------------------------------------

export async function render(main, { search, token }) {
	loadPartiesCss();
	const countries = await ref('countries');
	if (!isCurrent(token))
		return;
	const cur = { q: search.get('q') || '', kind: search.get('kind') || '' };
	const q = h('input', { type: 'search', value: cur.q, tplaceholder: 'parties.filter_placeholder' });
	const kind = h('select', {},
		h('option', { value: '', t: 'common.any' }),
		h('option', { value: 'person', t: 'party.kind_person' }),
		h('option', { value: 'organisation', t: 'party.kind_organisation' }));
	setDefault(kind, cur.kind);
	const form = h('form', { class: 'search-form parties-filter', role: 'search' },
		h('div', { class: 'search-row' },
			field('parties.filter', q),
			field('parties.kind_filter', kind),
			h('button', { type: 'submit', class: 'primary', t: 'parties.filter_button' })));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		const p = new URLSearchParams();
		if (q.value.trim())
			p.set('q', q.value.trim());
		if (kind.value)
			p.set('kind', kind.value);
		const s = p.toString();
		navigate(`/parties${s ? '?' + s : ''}`);
	});
	const total = h('p', { class: 'total', 'aria-live': 'polite' });
	const list = h('ol', { class: 'party-list', tarialabel: 'parties.results' });
	const more = h('button', { type: 'button', class: 'more', t: 'list.more', hidden: true });
	const status = h('div');
	main.append(
		h('div', { class: 'page-head' },
			h('h1', { t: 'parties.title' }),
			hasRole('viewer') ? null : h('div', { class: 'actions head-actions' },
				h('a', { class: 'button primary', href: '#/parties/new?kind=person', t: 'parties.new_person' }),
				h('a', { class: 'button', href: '#/parties/new?kind=organisation', t: 'parties.new_organisation' }))),
		form, total, status, list, more);

	let cursor = null;
	let shown = 0;
	async function load() {
		more.disabled = true;
		try {
			const r = await get('/parties', { q: cur.q || undefined, kind: cur.kind || undefined, limit: 25, cursor: cursor || undefined });
			if (!isCurrent(token))
				return;
			for (const p of r.items || [])
				list.append(row(p));
			shown += (r.items || []).length;
			total.setAttribute('data-t', 'parties.total');
			total.setAttribute('data-t-args', JSON.stringify({ n: r.total ?? shown }));
			total.textContent = t('parties.total', { n: r.total ?? shown });
			if (!shown)
				clear(status).append(h('p', { class: 'empty', t: 'parties.empty' }));
			cursor = r.next || null;
			more.hidden = !cursor;
		} catch (e) {
			if (isCurrent(token) && e.status !== 401)
				clear(status).append(errorBox(e));
		} finally {
			more.disabled = false;
		}
	}
	function row(p) {
		const others = (p.names || []).slice(1);
		const first = (p.names || [])[0] || { name: p.name };
		return h('li', { class: 'party-row' },
			h('div', { class: 'party-row-head' },
				h('a', { href: `#/parties/${encodeURIComponent(p.id)}`, class: 'pname-link' }, nameNodes(first)),
				h('span', { class: `kind-badge kind-${p.kind}`, t: `party.kind_${p.kind}` })),
			others.length ? h('p', { class: 'other-names' }, others.flatMap((n, i) => (i ? ['; ', ...nameNodes(n)] : nameNodes(n)))) : null,
			h('p', { class: 'party-row-facts' },
				p.birth_year ? h('span', { t: 'parties.born', targs: { y: p.birth_year } }) : null,
				(p.nationalities || []).length ? h('span', {}, countryNames(countries.items, p.nationalities)) : null,
				p.org_kind ? h('span', { t: `org.${p.org_kind}` }) : null,
				p.country ? h('span', {}, countryName(countries.items, p.country)) : null,
				h('span', { class: 'muted' }, (p.agency && p.agency.name) || '')));
	}
	more.addEventListener('click', load);
	await load();
}

// ---- new / edit ------------------------------------------------------------

export async function renderForm(main, { id, search, token }) {
	loadPartiesCss();
	const [countries, agencies, party] = await Promise.all([
		ref('countries'), ref('agencies'), id ? get(`/parties/${encodeURIComponent(id)}`) : Promise.resolve(null),
	]);
	if (!isCurrent(token))
		return;
	const editing = !!party;
	const p = party || { kind: search && search.get('kind') === 'organisation' ? 'organisation' : 'person', names: [] };
	const c = {};
	c.kind = h('select', {}, h('option', { value: 'person', t: 'party.kind_person' }), h('option', { value: 'organisation', t: 'party.kind_organisation' }));
	setDefault(c.kind, p.kind);
	c.kind.disabled = editing;
	c.sharing = h('select', {}, h('option', { value: 'agency', t: 'sharing.agency' }), h('option', { value: 'national', t: 'sharing.national' }));
	setDefault(c.sharing, p.sharing || 'national');
	c.agency = h('select', {}, (agencies.items || []).map((a) => h('option', { value: String(a.id) }, a.name)));
	const agencyId = (p.agency && p.agency.id) ?? (session.user.agency && session.user.agency.id);
	if (agencyId !== undefined && agencyId !== null)
		setDefault(c.agency, String(agencyId));
	c.sex = keySelect(SEXES, 'sex.', { value: p.sex || '', emptyKey: 'common.none' });
	c.birth_date = h('input', { type: 'date', value: p.birth_date || '' });
	c.birth_year = h('input', { type: 'number', min: 1900, max: 2100, inputmode: 'numeric', value: p.birth_year ?? '' });
	c.nationalities = vocabSelect(countries.items, { multiple: true, value: p.nationalities || [] });
	c.nationalities.size = 4;
	c.org_kind = keySelect(ORG_KINDS, 'org.', { value: p.org_kind || '', emptyKey: 'common.none' });
	c.country = vocabSelect(countries.items, { emptyKey: 'common.none', value: p.country || '' });
	c.notes = h('textarea', { rows: 3 }, p.notes || '');

	// names
	const nameRows = [];
	const namesBox = h('div', { class: 'names-box' });
	function addName(n = {}) {
		const row = {};
		row.name = h('input', { type: 'text', value: n.name || '', autocomplete: 'off' });
		row.kind = keySelect(NAME_KINDS, 'name_kind.', { value: n.kind || 'full' });
		row.remove = h('button', { type: 'button', class: 'link-button danger', t: 'parties.remove_name' });
		row.wName = field('parties.name', row.name);
		row.wKind = field('parties.name_kind', row.kind);
		row.el = h('div', { class: 'name-row' }, row.wName, row.wKind, row.remove);
		row.remove.addEventListener('click', () => {
			const i = nameRows.indexOf(row);
			if (i >= 0 && nameRows.length > 1) {
				nameRows.splice(i, 1);
				row.el.remove();
				renumber();
			}
		});
		row.script = n.script;
		nameRows.push(row);
		namesBox.append(row.el);
		renumber();
		return row;
	}
	function renumber() {
		nameRows.forEach((row, i) => {
			row.wName.dataset.field = `names[${i}].name`;
			row.wKind.dataset.field = `names[${i}].kind`;
			row.el.dataset.field = `names[${i}]`;
			const l = row.wName.querySelector('label');
			l.setAttribute('data-t', 'parties.name_n');
			l.setAttribute('data-t-args', JSON.stringify({ n: i + 1 }));
			l.textContent = t('parties.name_n', { n: i + 1 });
			row.remove.hidden = nameRows.length < 2;
		});
	}
	for (const n of (p.names && p.names.length ? p.names : [{}]))
		addName(n);

	// registrations (organisations)
	const regRows = [];
	const regBox = h('div', { class: 'regs-box' });
	function addReg(r = {}) {
		const row = {};
		row.country = vocabSelect(countries.items, { emptyKey: 'common.none', value: r.country || '' });
		row.number = h('input', { type: 'text', value: r.number || '' });
		row.remove = h('button', { type: 'button', class: 'link-button danger', t: 'parties.remove_registration' });
		row.wc = field('parties.registration_country', row.country);
		row.wn = field('parties.registration_number', row.number);
		row.el = h('div', { class: 'name-row' }, row.wc, row.wn, row.remove);
		row.remove.addEventListener('click', () => {
			regRows.splice(regRows.indexOf(row), 1);
			row.el.remove();
			regRenumber();
		});
		regRows.push(row);
		regBox.append(row.el);
		regRenumber();
	}
	function regRenumber() {
		regRows.forEach((row, i) => {
			row.wc.dataset.field = `registrations[${i}].country`;
			row.wn.dataset.field = `registrations[${i}].number`;
		});
	}
	for (const r of p.registrations || [])
		addReg(r);

	// identifiers, on create only
	const identRows = [];
	const identBox = h('div', { class: 'idents-box' });
	function addIdent() {
		const row = identifierFields(countries.items);
		row.remove = h('button', { type: 'button', class: 'link-button danger', t: 'parties.remove_identifier' });
		row.legend = h('legend', {});
		row.el = h('fieldset', { class: 'ident-row' }, row.legend, h('div', { class: 'grid' }, row.wraps),
			h('p', { class: 'group-error field-error', hidden: true }), h('div', { class: 'actions' }, row.remove));
		row.remove.addEventListener('click', () => {
			identRows.splice(identRows.indexOf(row), 1);
			row.el.remove();
			identRenumber();
		});
		identRows.push(row);
		identBox.append(row.el);
		identRenumber();
		return row;
	}
	function identRenumber() {
		identRows.forEach((row, i) => {
			for (const [k, w] of Object.entries(row.w))
				w.dataset.field = `identifiers[${i}].${k}`;
			row.el.dataset.field = `identifiers[${i}]`;
			row.legend.setAttribute('data-t', 'parties.identifier_n');
			row.legend.setAttribute('data-t-args', JSON.stringify({ n: i + 1 }));
			row.legend.textContent = t('parties.identifier_n', { n: i + 1 });
		});
	}

	const summary = h('div', { class: 'alert error', role: 'alert', hidden: true, tabindex: '-1' });
	const conflict = h('div', { class: 'alert conflict', role: 'alert', hidden: true });
	const submit = h('button', { type: 'submit', class: 'primary', t: editing ? 'parties.save' : 'parties.create' });
	const cancel = h('a', { class: 'button', href: editing ? `#/parties/${encodeURIComponent(id)}` : '#/parties', t: 'form.cancel' });
	const f = (key, name, opts) => field(key, c[name], { name, ...opts });
	const personBox = h('fieldset', {}, h('legend', { t: 'parties.section_person' }),
		h('div', { class: 'grid' },
			f('party.sex', 'sex'),
			f('party.birth_date', 'birth_date'),
			f('party.birth_year', 'birth_year', { hint: 'parties.birth_year_hint' }),
			f('party.nationalities', 'nationalities', { hint: 'form.multi_hint' })));
	const orgBox = h('fieldset', {}, h('legend', { t: 'parties.section_organisation' }),
		h('div', { class: 'grid' },
			f('party.org_kind', 'org_kind'),
			f('party.country', 'country')),
		h('h3', { t: 'party.registrations' }),
		h('div', { 'data-field': 'registrations' }, h('p', { class: 'group-error field-error', hidden: true }), regBox),
		h('div', { class: 'actions' }, h('button', { type: 'button', t: 'parties.add_registration', onclick: () => addReg() })));
	function syncKind() {
		personBox.hidden = c.kind.value !== 'person';
		orgBox.hidden = c.kind.value !== 'organisation';
		const title = main.querySelector('h1');
		if (title && !editing) {
			const key = c.kind.value === 'organisation' ? 'parties.title_new_organisation' : 'parties.title_new_person';
			title.setAttribute('data-t', key);
			title.textContent = t(key);
		}
	}
	c.kind.addEventListener('change', syncKind);

	const form = h('form', { class: 'party-form', novalidate: true },
		summary, conflict,
		h('fieldset', {}, h('legend', { t: 'parties.section_names' }),
			h('p', { class: 'hint', t: 'parties.names_hint' }),
			h('div', { 'data-field': 'names' }, h('p', { class: 'group-error field-error', hidden: true }), namesBox),
			h('div', { class: 'actions' }, h('button', { type: 'button', t: 'parties.add_name', onclick: () => addName().name.focus() }))),
		h('fieldset', {}, h('legend', { t: 'parties.section_record' }),
			h('div', { class: 'grid' },
				f('party.kind', 'kind'),
				f('form.sharing', 'sharing'),
				hasRole('admin') ? f('form.agency', 'agency') : null,
				f('party.notes', 'notes', { wide: true }))),
		personBox, orgBox,
		editing ? null : h('section', { class: 'idents-section', 'data-field': 'identifiers' },
			h('h2', { t: 'party.identifiers' }),
			h('p', { class: 'hint', t: 'parties.identifiers_hint' }),
			h('p', { class: 'group-error field-error', hidden: true }),
			identBox,
			h('div', { class: 'actions' }, h('button', { type: 'button', t: 'parties.add_identifier', onclick: () => addIdent().c.value.focus() }))),
		h('div', { class: 'actions form-actions' }, submit, cancel));
	main.append(h('p', { class: 'crumbs' }, h('a', { href: '#/parties', t: 'party.back' })),
		h('h1', editing ? { t: 'parties.title_edit', targs: { name: p.name || '' } } : { t: 'parties.title_new_person' }), form);
	syncKind();

	function collect() {
		const kind = c.kind.value;
		const out = {
			kind,
			sharing: c.sharing.value,
			notes: c.notes.value.trim(),
			names: nameRows.filter((r) => r.name.value.trim() || nameRows.length === 1)
				.map((r) => ({ name: r.name.value.trim(), kind: r.kind.value })),
		};
		if (hasRole('admin') && c.agency.value)
			out.agency = { id: Number(c.agency.value) };
		if (kind === 'person') {
			out.sex = c.sex.value;
			out.birth_date = c.birth_date.value;
			out.birth_year = c.birth_year.value === '' ? null : Number(c.birth_year.value);
			out.nationalities = selectedValues(c.nationalities);
		} else {
			out.org_kind = c.org_kind.value;
			out.country = c.country.value;
			out.registrations = regRows.map((r) => ({ country: r.country.value, number: r.number.value.trim() }));
		}
		return out;
	}
	const before = editing ? {
		kind: p.kind, sharing: p.sharing, notes: p.notes || '',
		names: (p.names || []).map((n) => ({ name: n.name, kind: n.kind })),
		agency: p.agency ? { id: p.agency.id } : undefined,
		sex: p.sex || '', birth_date: p.birth_date || '', birth_year: p.birth_year ?? null,
		nationalities: p.nationalities || [], org_kind: p.org_kind || '', country: p.country || '',
		registrations: (p.registrations || []).map((r) => ({ country: r.country || '', number: r.number || '' })),
	} : null;

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		summary.hidden = true;
		conflict.hidden = true;
		const data = collect();
		let body;
		if (editing) {
			body = { version: p.version };
			for (const [k, v] of Object.entries(data)) {
				if (k === 'kind')
					continue;
				if (JSON.stringify(v) !== JSON.stringify(before[k]))
					body[k] = v === '' ? null : v;
			}
			// the server derives the birth year from the date
			if ('birth_date' in body && body.birth_date && !('birth_year' in body))
				delete body.birth_year;
		} else {
			body = {};
			for (const [k, v] of Object.entries(data)) {
				if (v === '' || v === null || (Array.isArray(v) && v.length === 0 && k !== 'names'))
					continue;
				body[k] = v;
			}
			if (body.birth_date && body.birth_year)
				delete body.birth_year;
			if (identRows.length)
				body.identifiers = identRows.map((r) => r.collect());
		}
		submit.disabled = true;
		try {
			const saved = editing
				? await request('PATCH', `/parties/${encodeURIComponent(id)}`, { body })
				: await request('POST', '/parties', { body });
			toast(editing ? 'parties.saved' : 'parties.created', { name: saved.name || saved.id });
			navigate(`/parties/${encodeURIComponent(saved.id)}`);
		} catch (e) {
			if (e.status === 401)
				return;
			if (e.status === 409) {
				showConflict(conflict, `/parties/${encodeURIComponent(id)}/edit?r=${Date.now()}`);
			} else {
				placeErrors(form, summary, e, 'parties.errors_intro');
				if (!form.querySelector('[aria-invalid=true]'))
					summary.focus();
			}
		} finally {
			submit.disabled = false;
		}
	});
	if (!editing)
		nameRows[0].name.focus();
}

// The 409 message: someone else changed the party; reload to see it.
export function showConflict(box, reloadPath) {
	clear(box);
	append(box, [
		h('h2', { t: 'party.conflict_title' }),
		h('p', { t: 'party.conflict_text' }),
		h('div', { class: 'actions' },
			h('button', { type: 'button', class: 'primary', t: 'party.conflict_reload', onclick: () => navigate(reloadPath) }))]);
	box.hidden = false;
	box.scrollIntoView({ block: 'center' });
}
