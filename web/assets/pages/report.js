// The CITES Annual Illegal Trade Report: year, format, language → download.

import { h, field, download } from '../dom.js';
import { request } from '../api.js';
import { currentLang } from '../i18n.js';
import { errorBox } from '../app.js';

export async function render(main) {
	const year = h('input', { type: 'number', min: 1975, max: 2100, step: 1, required: true, inputmode: 'numeric', value: new Date().getFullYear() - 1 });
	const format = h('select', {},
		h('option', { value: 'xlsx', t: 'report.format_xlsx' }),
		h('option', { value: 'csv', t: 'report.format_csv' }));
	const lang = h('select', {},
		h('option', { value: 'en', t: 'lang.en' }),
		h('option', { value: 'km', t: 'lang.km' }));
	lang.value = currentLang();
	const button = h('button', { type: 'submit', class: 'primary', t: 'report.download' });
	const msg = h('div', { 'aria-live': 'polite' });
	const form = h('form', { class: 'card narrow' },
		h('p', { class: 'hint', t: 'report.intro' }),
		field('report.year', year),
		field('report.format', format),
		field('report.language', lang),
		h('div', { class: 'actions' }, button), msg);
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		msg.replaceChildren();
		button.disabled = true;
		try {
			const r = await request('GET', '/reports/aitr', {
				params: { year: year.value, format: format.value, lang: lang.value }, blob: true,
			});
			download(r.blob, r.filename || `aitr-${year.value}-${lang.value}.${format.value}`);
			msg.append(h('p', { class: 'ok', t: 'report.done' }));
		} catch (e) {
			if (e.status !== 401)
				msg.append(errorBox(e));
		} finally {
			button.disabled = false;
		}
	});
	main.append(h('h1', { t: 'report.title' }), form);
}
