// Small DOM helpers.  h('p', {t: 'key'}) makes a <p> showing string `key`;
// other props are set as attributes, on* as event listeners.  Children may be
// nodes, strings (data, shown as is) or arrays of these.

import { t, vname } from './i18n.js';

export function h(tag, props, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(props || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k === 't') {
			el.setAttribute('data-t', v);
			el.textContent = t(v, props.targs);
		} else if (k === 'targs') {
			el.setAttribute('data-t-args', JSON.stringify(v));
		} else if (k === 'tplaceholder' || k === 'tarialabel' || k === 'ttitle') {
			const attr = { tplaceholder: 'placeholder', tarialabel: 'aria-label', ttitle: 'title' }[k];
			el.setAttribute(`data-t-${attr}`, v);
			el.setAttribute(attr, t(v));
		} else if (k === 'vname') {
			// bilingual name from the API
			el.setAttribute('data-name-en', v.name_en || v.code || '');
			if (v.name_km)
				el.setAttribute('data-name-km', v.name_km);
			if (props.vprefix)
				el.setAttribute('data-name-prefix', props.vprefix);
			el.textContent = (props.vprefix || '') + vname(v);
		} else if (k === 'vprefix') {
			continue;
		} else if (k.startsWith('on') && typeof v === 'function') {
			el.addEventListener(k.slice(2).toLowerCase(), v);
		} else if (k === 'value') {
			el.value = v;
		} else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'multiple' || k === 'required' || k === 'hidden') {
			el[k] = !!v;
		} else if (k === 'class') {
			el.className = v;
		} else if (v === true) {
			el.setAttribute(k, '');
		} else {
			el.setAttribute(k, String(v));
		}
	}
	append(el, children);
	return el;
}

export function append(el, children) {
	for (const c of children.flat(Infinity)) {
		if (c === null || c === undefined || c === false)
			continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return el;
}

export function clear(el) {
	while (el.firstChild)
		el.removeChild(el.firstChild);
	return el;
}

let uid = 0;
export function newId(prefix) {
	uid += 1;
	return `${prefix || 'f'}-${uid}`;
}

// A labelled field: <div class="field"><label for=id>…</label> control <p error></p></div>
// `name` is the API field path (e.g. "items[0].unit") used to place errors.
export function field(labelKey, control, { name, hint, wide } = {}) {
	if (!control.id)
		control.id = newId('f');
	const label = h('label', { for: control.id, t: labelKey });
	const err = h('p', { class: 'field-error', id: `${control.id}-err`, hidden: true });
	const wrap = h('div', { class: wide ? 'field wide' : 'field' }, label, control);
	if (hint)
		wrap.append(h('p', { class: 'hint', t: hint }));
	wrap.append(err);
	if (name) {
		wrap.dataset.field = name;
		control.dataset.field = name;
	}
	return wrap;
}

// Show one API field error beside its control.
export function showFieldError(wrap, message) {
	const control = wrap.querySelector('input,select,textarea');
	const err = wrap.querySelector('.field-error');
	err.textContent = message;
	err.hidden = false;
	wrap.classList.add('has-error');
	if (control) {
		control.setAttribute('aria-invalid', 'true');
		control.setAttribute('aria-describedby', err.id);
	}
}

export function clearFieldErrors(root) {
	root.querySelectorAll('.field.has-error').forEach((w) => {
		w.classList.remove('has-error');
		const err = w.querySelector('.field-error');
		err.hidden = true;
		err.textContent = '';
		const control = w.querySelector('input,select,textarea');
		if (control) {
			control.removeAttribute('aria-invalid');
			control.removeAttribute('aria-describedby');
		}
	});
}

// <select> of vocabulary entries [{code,name_en,name_km}], with an empty first
// option labelled by `emptyKey` (or none when emptyKey is null).
export function vocabSelect(entries, { emptyKey = 'common.none', value = '', multiple = false, codePrefix = false } = {}) {
	const sel = h('select', { multiple });
	if (emptyKey && !multiple)
		sel.append(h('option', { value: '', t: emptyKey }));
	for (const e of entries || []) {
		sel.append(h('option', { value: e.code, vname: e, vprefix: codePrefix ? `${e.code} — ` : undefined }));
	}
	if (multiple) {
		const vals = Array.isArray(value) ? value : [];
		for (const o of sel.options)
			o.selected = o.defaultSelected = vals.includes(o.value);
	} else {
		setDefault(sel, value || '');
	}
	return sel;
}

// Selects `value` and makes it the value a form reset returns to.
export function setDefault(sel, value) {
	for (const o of sel.options)
		o.defaultSelected = o.value === value;
	sel.value = value;
}

export function selectedValues(sel) {
	return Array.from(sel.selectedOptions).map((o) => o.value).filter((v) => v !== '');
}

// Save text or a Blob as a download.
export function download(data, filename, type) {
	const blob = data instanceof Blob ? data : new Blob([data], { type: type || 'text/plain' });
	const url = URL.createObjectURL(blob);
	const a = h('a', { href: url, download: filename, hidden: true });
	document.body.append(a);
	a.click();
	setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
}

// "2026-11-29T08:13:20.466Z" → "2026-11-29 15:13" in the browser's time zone.
export function fmtTime(iso) {
	if (!iso)
		return '';
	const d = new Date(iso);
	if (isNaN(d.getTime()))
		return String(iso);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
