// Import seizures from a CSV or XLSX file: a dry run first, its report, then
// "Commit import" sends the same file again with dry_run=0.

import { h, field, clear, download } from '../dom.js';
import { request } from '../api.js';
import { t } from '../i18n.js';
import { errorBox } from '../app.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function typeOf(file) {
	return /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv';
}

export async function render(main) {
	// the native file button shows the browser's language: it is hidden
	// (still focusable and labelled) behind a button in ours
	const file = h('input', { type: 'file', id: 'import-file', class: 'visually-hidden', accept: '.csv,.xlsx,text/csv,' + XLSX, required: true });
	const fileName = h('span', { class: 'file-name', t: 'import.no_file_chosen' });
	const skip = h('input', { type: 'checkbox' });
	const check = h('button', { type: 'submit', class: 'primary', t: 'import.check' });
	const out = h('div', { class: 'import-result', 'aria-live': 'polite' });
	const form = h('form', { class: 'card' },
		h('p', { class: 'hint', t: 'import.intro' }),
		field('import.file', file),
		h('div', { class: 'file-picker' }, h('label', { for: 'import-file', class: 'button', t: 'import.choose_file' }), fileName),
		h('div', { class: 'field checkbox' }, h('label', {}, skip, ' ', h('span', { t: 'import.skip_invalid' })),
			h('p', { class: 'hint', t: 'import.skip_hint' })),
		h('div', { class: 'actions' }, check));
	main.append(h('h1', { t: 'import.title' }), form, out);

	let bytes = null;
	let chosen = null;
	file.addEventListener('change', () => {
		clear(out);
		bytes = null;
		if (file.files[0]) {
			fileName.removeAttribute('data-t');
			fileName.textContent = file.files[0].name;
		}
	});

	async function upload(dry) {
		return request('POST', '/imports', {
			params: { dry_run: dry ? 1 : 0, skip_invalid: skip.checked ? 1 : 0, filename: chosen.name },
			raw: bytes, contentType: typeOf(chosen),
		});
	}

	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clear(out);
		chosen = file.files[0];
		if (!chosen) {
			out.append(h('div', { class: 'alert error', role: 'alert' }, h('p', { t: 'import.no_file' })));
			return;
		}
		check.disabled = true;
		try {
			bytes = await chosen.arrayBuffer();
			const r = await upload(true);
			showReport(r, true);
		} catch (e) {
			if (e.status !== 401)
				out.append(errorBox(e));
		} finally {
			check.disabled = false;
		}
	});

	function showReport(r, dry) {
		clear(out);
		const sz = r.seizures || {};
		const errors = r.errors || [];
		const heading = dry ? 'import.report_dry' : (r.committed ? 'import.report_committed' : 'import.report_not_committed');
		out.append(h('h2', { t: heading }));
		out.append(h('dl', { class: 'facts counts' },
			h('div', {}, h('dt', { t: 'import.rows' }), h('dd', { 'data-count': 'rows' }, String(r.rows ?? 0))),
			h('div', {}, h('dt', { t: 'import.created' }), h('dd', { 'data-count': 'created' }, String(sz.created ?? 0))),
			h('div', {}, h('dt', { t: 'import.updated' }), h('dd', { 'data-count': 'updated' }, String(sz.updated ?? 0))),
			h('div', {}, h('dt', { t: 'import.unchanged' }), h('dd', { 'data-count': 'unchanged' }, String(sz.unchanged ?? 0))),
			sz.rejected !== undefined ? h('div', {}, h('dt', { t: 'import.rejected' }), h('dd', { 'data-count': 'rejected' }, String(sz.rejected))) : null,
			r.parties ? h('div', {}, h('dt', { t: 'import.parties' }), h('dd', { 'data-count': 'parties' },
				t('import.created_reused', { created: r.parties.created ?? 0, reused: r.parties.reused ?? 0 }))) : null,
			r.identifiers ? h('div', {}, h('dt', { t: 'import.identifiers' }), h('dd', { 'data-count': 'identifiers' },
				t('import.created_reused', { created: r.identifiers.created ?? 0, reused: r.identifiers.reused ?? 0 }))) : null,
			h('div', {}, h('dt', { t: 'import.agencies_created' }), h('dd', { 'data-count': 'agencies' },
				(r.agencies_created || []).length ? r.agencies_created.join(', ') : '0'))));
		const warnings = r.warnings || [];
		if (warnings.length) {
			out.append(h('h3', { t: 'import.warnings' }),
				h('ul', { class: 'warnings' }, warnings.map((w) => h('li', {}, typeof w === 'string' ? w : (w.message || JSON.stringify(w))))));
		}
		if (errors.length) {
			out.append(h('h3', { t: 'import.errors', targs: { n: errors.length + (r.errors_omitted || 0) } }),
				h('div', { class: 'table-wrap' }, h('table', { class: 'table errors' },
					h('thead', {}, h('tr', {},
						h('th', { scope: 'col', t: 'import.col_row' }),
						h('th', { scope: 'col', t: 'import.col_field' }),
						h('th', { scope: 'col', t: 'import.col_message' }))),
					h('tbody', {}, errors.map((e) => h('tr', {},
						h('td', {}, String(e.row ?? '')),
						h('td', { class: 'mono' }, e.field || ''),
						h('td', {}, e.message || '')))))));
			if (r.errors_omitted)
				out.append(h('p', { class: 'hint', t: 'import.errors_omitted', targs: { n: r.errors_omitted } }));
			if (!skip.checked)
				out.append(h('p', { class: 'alert warn', t: dry ? 'import.fix_or_skip' : 'import.nothing_written' }));
		} else {
			out.append(h('p', { class: 'ok', t: 'import.no_errors' }));
		}
		if (r.rejects_csv) {
			const name = (chosen.name.replace(/\.[^.]*$/, '') || 'import') + '-rejects.csv';
			out.append(h('p', {}, h('button', { type: 'button', class: 'link-button', t: 'import.download_rejects',
				onclick: () => download(r.rejects_csv, name, 'text/csv') })));
		}
		if (dry) {
			const canCommit = errors.length === 0 || skip.checked;
			const commit = h('button', { type: 'button', class: 'primary', t: 'import.commit', disabled: !canCommit });
			commit.addEventListener('click', async () => {
				commit.disabled = true;
				try {
					const r2 = await upload(false);
					showReport(r2, false);
				} catch (e) {
					if (e.status !== 401)
						out.append(errorBox(e));
					commit.disabled = false;
				}
			});
			out.append(h('div', { class: 'actions' }, commit));
		} else if (r.committed) {
			out.append(h('p', {}, h('a', { href: '#/seizures', t: 'import.see_list' })));
		}
	}
}
