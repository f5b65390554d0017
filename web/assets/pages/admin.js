// User and agency administration (admins).

import { h, field, vocabSelect, clear, showFieldError, clearFieldErrors, setDefault } from '../dom.js';
import { get, request, ref, forgetRef, session } from '../api.js';
import { isCurrent, errorBox, toast } from '../app.js';

const ROLES = ['admin', 'analyst', 'officer', 'viewer'];

function roleSelect(value) {
	const sel = h('select', {}, ROLES.map((r) => h('option', { value: r, t: `role.${r}` })));
	setDefault(sel, value || 'officer');
	return sel;
}

// Place API field errors on a small form whose fields carry data-field.
function showErrors(form, box, e) {
	clearFieldErrors(form);
	box.replaceChildren();
	let placed = 0;
	for (const fe of e.fields) {
		const w = form.querySelector(`.field[data-field="${CSS.escape(fe.field)}"]`);
		if (w) {
			showFieldError(w, fe.message);
			placed += 1;
		}
	}
	if (!placed || placed < e.fields.length || !e.fields.length)
		box.append(errorBox(e));
}

export async function render(main, { token }) {
	const [users, agencies, countries, vocab] = await Promise.all([
		get('/users'), ref('agencies'), ref('countries'), ref('vocab'),
	]);
	if (!isCurrent(token))
		return;
	const agencyOptions = (sel, value) => {
		clear(sel);
		for (const a of agencies.items || [])
			sel.append(h('option', { value: String(a.id) }, a.name));
		if (value !== undefined && value !== null)
			sel.value = String(value);
	};

	// --- users table
	const tbody = h('tbody');
	const table = h('table', { class: 'table users' },
		h('thead', {}, h('tr', {},
			h('th', { scope: 'col', t: 'admin.username' }),
			h('th', { scope: 'col', t: 'admin.display_name' }),
			h('th', { scope: 'col', t: 'admin.role' }),
			h('th', { scope: 'col', t: 'admin.agency' }),
			h('th', { scope: 'col', t: 'admin.status' }),
			h('th', { scope: 'col', t: 'admin.actions' }))),
		tbody);
	const fillUsers = (list) => {
		clear(tbody);
		for (const u of list)
			tbody.append(userRow(u));
	};
	function userRow(u) {
		const tr = h('tr', { 'data-user': u.username });
		const toggle = h('button', { type: 'button', t: u.disabled ? 'admin.enable' : 'admin.disable',
			disabled: session.user && u.id === session.user.id });
		const reset = h('button', { type: 'button', t: 'admin.reset_password' });
		const resetBox = h('div', { class: 'inline-form', hidden: true });
		toggle.addEventListener('click', async () => {
			toggle.disabled = true;
			try {
				const nu = await request('PATCH', `/users/${encodeURIComponent(u.id)}`, { body: { disabled: !u.disabled } });
				tr.replaceWith(userRow({ ...u, ...nu }));
				toast(nu.disabled ? 'admin.disabled_done' : 'admin.enabled_done', { user: u.username });
			} catch (e) {
				toggle.disabled = false;
				if (e.status !== 401)
					{ resetBox.replaceChildren(errorBox(e)); resetBox.hidden = false; }
			}
		});
		reset.addEventListener('click', () => {
			const pw = h('input', { type: 'password', autocomplete: 'new-password', minlength: 10, required: true });
			const err = h('div');
			const f = h('form', {}, field('admin.new_password', pw, { name: 'password', hint: 'admin.password_hint' }),
				h('div', { class: 'actions' },
					h('button', { type: 'submit', class: 'primary', t: 'admin.save_password' }),
					h('button', { type: 'button', t: 'form.cancel', onclick: () => { resetBox.hidden = true; } })),
				err);
			f.addEventListener('submit', async (ev) => {
				ev.preventDefault();
				try {
					await request('PATCH', `/users/${encodeURIComponent(u.id)}`, { body: { password: pw.value } });
					resetBox.hidden = true;
					toast('admin.password_done', { user: u.username });
				} catch (e) {
					if (e.status !== 401)
						showErrors(f, err, e);
				}
			});
			resetBox.replaceChildren(f);
			resetBox.hidden = false;
			pw.focus();
		});
		tr.append(
			h('td', {}, u.username),
			h('td', {}, u.display_name || ''),
			h('td', {}, h('span', { t: `role.${u.role}` })),
			h('td', {}, (u.agency && u.agency.name) || ''),
			h('td', {}, h('span', { class: u.disabled ? 'badge off' : 'badge on', t: u.disabled ? 'admin.disabled' : 'admin.active' })),
			h('td', { class: 'row-actions' }, toggle, reset, resetBox));
		return tr;
	}
	fillUsers(users.items || []);

	// --- add user
	const nu = {
		username: h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'none', required: true }),
		display_name: h('input', { type: 'text', required: true }),
		password: h('input', { type: 'password', autocomplete: 'new-password', minlength: 10, required: true }),
		role: roleSelect('officer'),
		agency_id: h('select', {}),
	};
	agencyOptions(nu.agency_id, session.user.agency && session.user.agency.id);
	const userErr = h('div');
	const userForm = h('form', { class: 'card', novalidate: true },
		h('h2', { t: 'admin.add_user' }),
		h('div', { class: 'grid' },
			field('admin.username', nu.username, { name: 'username' }),
			field('admin.display_name', nu.display_name, { name: 'display_name' }),
			field('admin.password', nu.password, { name: 'password', hint: 'admin.password_hint' }),
			field('admin.role', nu.role, { name: 'role' }),
			field('admin.agency', nu.agency_id, { name: 'agency_id' })),
		userErr,
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', t: 'admin.add_user_button' })));
	userForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearFieldErrors(userForm);
		userErr.replaceChildren();
		const aid = nu.agency_id.value;
		try {
			const created = await request('POST', '/users', { body: {
				username: nu.username.value.trim(),
				display_name: nu.display_name.value.trim(),
				password: nu.password.value,
				role: nu.role.value,
				agency_id: isNaN(Number(aid)) ? aid : Number(aid),
			} });
			tbody.append(userRow(created));
			toast('admin.user_added', { user: created.username });
			userForm.reset();
			agencyOptions(nu.agency_id, session.user.agency && session.user.agency.id);
		} catch (e) {
			if (e.status !== 401)
				showErrors(userForm, userErr, e);
		}
	});

	// --- add agency
	const na = {
		name: h('input', { type: 'text', required: true }),
		country: vocabSelect(countries.items, { emptyKey: 'common.choose', value: 'KH' }),
		kind: vocabSelect(vocab.agency_kind || [], { emptyKey: 'common.choose' }),
	};
	const agencyErr = h('div');
	const agencyList = h('ul', { class: 'agency-list' }, (agencies.items || []).map((a) => h('li', {}, a.name, a.country ? ` (${a.country})` : '')));
	const agencyForm = h('form', { class: 'card', novalidate: true },
		h('h2', { t: 'admin.add_agency' }),
		h('div', { class: 'grid' },
			field('admin.agency_name', na.name, { name: 'name' }),
			field('admin.agency_country', na.country, { name: 'country' }),
			field('admin.agency_kind', na.kind, { name: 'kind' })),
		agencyErr,
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', t: 'admin.add_agency_button' })));
	agencyForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearFieldErrors(agencyForm);
		agencyErr.replaceChildren();
		try {
			const a = await request('POST', '/agencies', { body: { name: na.name.value.trim(), country: na.country.value, kind: na.kind.value } });
			forgetRef('agencies');
			agencies.items = [...(agencies.items || []), a];
			agencyOptions(nu.agency_id, nu.agency_id.value);
			agencyList.append(h('li', {}, a.name, a.country ? ` (${a.country})` : ''));
			toast('admin.agency_added', { name: a.name });
			agencyForm.reset();
		} catch (e) {
			if (e.status !== 401)
				showErrors(agencyForm, agencyErr, e);
		}
	});

	// --- nationally protected species (not CITES-listed)
	const ns = {
		name: h('input', { type: 'text', required: true, autocomplete: 'off' }),
		rank: h('select', {}, ['SPECIES', 'SUBSPECIES', 'GENUS'].map((r) => h('option', { value: r }, r))),
		class: h('input', { type: 'text', autocomplete: 'off' }),
		family: h('input', { type: 'text', autocomplete: 'off' }),
		law: h('input', { type: 'text', autocomplete: 'off' }),
		name_en: h('input', { type: 'text', autocomplete: 'off' }),
		name_km: h('input', { type: 'text', autocomplete: 'off', lang: 'km' }),
	};
	const speciesErr = h('div');
	const speciesList = h('ul', { class: 'species-list' });
	const speciesForm = h('form', { class: 'card', novalidate: true },
		h('h2', { t: 'admin.add_species' }),
		h('p', { class: 'hint', t: 'admin.species_hint' }),
		h('div', { class: 'grid' },
			field('admin.species_name', ns.name, { name: 'name' }),
			field('admin.species_rank', ns.rank, { name: 'rank' }),
			field('admin.species_class', ns.class, { name: 'class' }),
			field('admin.species_family', ns.family, { name: 'family' }),
			field('admin.species_law', ns.law, { name: 'law' }),
			field('admin.species_name_en', ns.name_en, { name: 'common_names' }),
			field('admin.species_name_km', ns.name_km, { name: 'common_names_km' })),
		speciesErr,
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', t: 'admin.add_species_button' })));
	speciesForm.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clearFieldErrors(speciesForm);
		speciesErr.replaceChildren();
		const body = { name: ns.name.value.trim(), rank: ns.rank.value };
		for (const k of ['class', 'family', 'law'])
			if (ns[k].value.trim())
				body[k] = ns[k].value.trim();
		const common = [];
		if (ns.name_en.value.trim())
			common.push({ lang: 'en', name: ns.name_en.value.trim() });
		if (ns.name_km.value.trim())
			common.push({ lang: 'km', name: ns.name_km.value.trim() });
		if (common.length)
			body.common_names = common;
		try {
			const tx = await request('POST', '/species', { body });
			speciesList.append(h('li', {}, h('i', {}, tx.name), ` (${tx.listing})`));
			toast('admin.species_added', { name: tx.name });
			speciesForm.reset();
		} catch (e) {
			if (e.status !== 401)
				showErrors(speciesForm, speciesErr, e);
		}
	});

	main.append(
		h('h1', { t: 'admin.title' }),
		h('h2', { t: 'admin.users' }),
		h('div', { class: 'table-wrap' }, table),
		userForm,
		h('h2', { t: 'admin.agencies' }),
		agencyList,
		agencyForm,
		h('h2', { t: 'admin.species' }),
		speciesList,
		speciesForm);
}
