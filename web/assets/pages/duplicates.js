// The duplicate review queue (#/duplicates, analysts and admins): pairs of
// parties that may be one, side by side (names, birth, nationalities,
// identifiers, number of seizures, agency), with the score and the reason
// the server gives.  Merge (choose the record to keep; a reason is
// required), or mark "not the same" (with a reason); after a merge, Undo.
// The queue is read again after each decision.

import { h, append, field, clear, fmtTime } from '../dom.js';
import { get, request, ref } from '../api.js';
import { t } from '../i18n.js';
import { isCurrent, errorBox, toast } from '../app.js';
import { loadPartiesCss } from '../search-box.js';
import { countryNames, nameNodes, placeErrors } from './parties.js';
import { mergeItem } from './party.js';

const PAGE = 20;

export async function render(main, { token }) {
	loadPartiesCss();
	const countries = await ref('countries');
	if (!isCurrent(token))
		return;
	const C = countries.items;
	const total = h('p', { class: 'total', 'aria-live': 'polite' });
	const done = h('div', { class: 'dup-done-list' });
	const list = h('div', { class: 'dup-list' });
	const more = h('button', { type: 'button', class: 'more', t: 'list.more', hidden: true });
	main.append(h('h1', { t: 'dup.title' }), h('p', { class: 'hint', t: 'dup.intro' }), total, done, list, more);

	let cursor = null;
	let n = 0;
	async function load(reset) {
		if (reset) {
			cursor = null;
			n = 0;
		}
		more.disabled = true;
		try {
			const r = await get('/duplicates', { status: 'open', limit: PAGE, cursor: cursor || undefined });
			if (!isCurrent(token))
				return;
			if (reset)
				clear(list);
			for (const it of r.items || [])
				list.append(pair(it, ++n));
			total.setAttribute('data-t', 'dup.total');
			total.setAttribute('data-t-args', JSON.stringify({ n: r.total ?? n }));
			total.textContent = t('dup.total', { n: r.total ?? n });
			if (!n)
				list.append(h('p', { class: 'empty', t: 'dup.empty' }));
			cursor = r.next || null;
			more.hidden = !cursor;
		} catch (e) {
			if (isCurrent(token) && e.status !== 401)
				clear(list).append(errorBox(e));
		} finally {
			more.disabled = false;
		}
	}

	function side(p, i, pairId) {
		const keep = h('input', { type: 'radio', name: `survivor-${pairId}`, value: String(p.id), checked: i === 0 });
		const birth = p.birth_date || (p.birth_year ? String(p.birth_year) : '');
		const rows = [
			['party.names', (p.names || []).map((nm) => h('div', {}, nameNodes(nm),
				nm.kind && nm.kind !== 'full' ? h('span', { class: 'hint' }, ' · ', h('span', { t: `name_kind.${nm.kind}` })) : null))],
			['party.birth', birth],
			['party.sex', p.sex ? h('span', { t: `sex.${p.sex}` }) : ''],
			['party.nationalities', countryNames(C, p.nationalities)],
			['party.org_kind', p.org_kind ? h('span', { t: `org.${p.org_kind}` }) : ''],
			['party.identifiers', (p.identifiers || []).map((x) => h('div', {},
				h('span', { class: 'kind-badge small', t: `ident.kind_${x.kind}` }), ' ', h('span', { class: 'mono' }, x.display || x.key)))],
			['party.seizures', String(p.seizures ?? 0)],
			['party.agency', (p.agency && p.agency.name) || ''],
		];
		const dl = h('dl', {});
		for (const [k, v] of rows) {
			if (v === '' || v === null || v === undefined || (Array.isArray(v) && !v.length))
				continue;
			dl.append(h('div', {}, h('dt', { t: k }), h('dd', {}, v)));
		}
		return h('div', { class: 'dup-side', 'data-party': p.id },
			h('h3', {}, h('a', { href: `#/parties/${encodeURIComponent(p.id)}` }, nameNodes((p.names || [])[0] || { name: p.name })),
				h('span', { class: `kind-badge small kind-${p.kind}`, t: `party.kind_${p.kind}` })),
			dl,
			h('label', { class: 'keep' }, keep, h('span', { t: 'dup.keep_this' })));
	}

	function pair(it, num) {
		const [a, b] = it.parties || [];
		const card = h('section', { class: 'dup-pair', 'data-pair': it.id, 'aria-labelledby': `pair-${it.id}` });
		const reason = h('input', { type: 'text', autocomplete: 'off' });
		const summary = h('div', { class: 'alert error', role: 'alert', hidden: true });
		const mergeBtn = h('button', { type: 'button', class: 'primary', t: 'dup.merge' });
		const notSame = h('button', { type: 'button', t: 'dup.not_same' });
		const form = h('form', { class: 'dup-actions', novalidate: true },
			field('dup.your_reason', reason, { name: 'reason', hint: 'dup.reason_hint' }),
			summary,
			h('div', { class: 'actions' }, mergeBtn, notSame));
		form.addEventListener('submit', (ev) => ev.preventDefault());
		append(card, [
			h('h2', { id: `pair-${it.id}` }, h('span', { t: 'dup.pair', targs: { n: num } }),
				h('span', { class: 'hit-score', t: 'dup.score', targs: { s: (it.score ?? 0).toFixed(2) } })),
			h('p', { class: 'dup-reason' }, h('strong', { t: 'dup.reason' }), ': ', it.reason || ''),
			it.note ? h('p', { class: 'hint' }, it.note) : null,
			h('fieldset', { class: 'dup-sides-set' }, h('legend', { class: 'visually-hidden', t: 'dup.survivor' }),
				h('div', { class: 'dup-sides' }, a ? side(a, 0, it.id) : null, b ? side(b, 1, it.id) : null)),
			form]);
		const why = () => {
			if (reason.value.trim())
				return reason.value.trim();
			placeErrors(form, null, { status: 422, fields: [{ field: 'reason', message: t('dup.reason_required') }] });
			return null;
		};
		const busy = (yes) => { mergeBtn.disabled = yes; notSame.disabled = yes; };
		mergeBtn.addEventListener('click', async () => {
			summary.hidden = true;
			const r = why();
			if (!r)
				return;
			const survivor = Number(card.querySelector(`input[name="survivor-${it.id}"]:checked`).value);
			busy(true);
			try {
				const m = await request('POST', `/duplicates/${encodeURIComponent(it.id)}/merge`, { body: { survivor, reason: r } });
				toast('dup.merged', { name: (m.survivor && m.survivor.name) || survivor });
				showMerged(m);
				await load(true);
			} catch (e) {
				busy(false);
				if (e.status !== 401)
					placeErrors(form, summary, e);
			}
		});
		notSame.addEventListener('click', async () => {
			summary.hidden = true;
			const r = why();
			if (!r)
				return;
			busy(true);
			try {
				await request('POST', `/duplicates/${encodeURIComponent(it.id)}/not-same`, { body: { reason: r } });
				toast('dup.marked_not_same');
				await load(true);
			} catch (e) {
				busy(false);
				if (e.status !== 401)
					placeErrors(form, summary, e);
			}
		});
		return card;
	}

	// A merge just made, with its undo, above the queue.
	function showMerged(m) {
		const box = h('section', { class: 'dup-pair dup-done', 'data-merge': m.id },
			h('h2', { t: 'dup.recent' }),
			h('ul', { class: 'merge-list' }, mergeItem(m, async () => {
				toast('dup.undone');
				box.remove();
				await load(true);
			})),
			h('p', {}, h('a', { href: `#/parties/${encodeURIComponent(m.survivor.id)}`, t: 'dup.open_survivor' }),
				' · ', h('a', { href: `#/parties/${encodeURIComponent(m.merged.id)}`, t: 'dup.open_merged' }),
				' ', h('span', { class: 'hint' }, fmtTime(m.at))));
		done.prepend(box);
	}

	more.addEventListener('click', () => load(false));
	await load(true);
}
