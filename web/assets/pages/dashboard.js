// Analytics dashboard (#/analytics): one filter bar driving the summary
// figures, seizures and weight by period (uPlot), bars by species, country
// and CITES term, the route table, the ETIS-style indices (uPlot) with the
// API's caveat, and a map of country outlines (Leaflet, no tile server).
//
// The filters live in the URL (#/analytics?term=SCA&from=2024-01-01…), so a
// view can be bookmarked and sent.  Clicking a bar, a period, a route or a
// country opens the seizure list with the matching filters.  Every chart's
// data downloads as CSV (built here from the numbers shown) and every chart
// as PNG (canvas toBlob).  The PDF brief of the same filters comes from
// GET /api/v1/reports/brief.

import { h, append, field, vocabSelect, clear, download } from '../dom.js';
import { get, ref, request } from '../api.js';
import { t, currentLang, vname } from '../i18n.js';
import { isCurrent, navigate, errorBox } from '../app.js';
import { speciesPicker } from '../components.js';

// The filter bar, as URL and API parameters.
export const FILTERS = ['from', 'to', 'species', 'taxon', 'term', 'country', 'origin', 'destination', 'agency', 'transport_mode'];
// What the seizure list understands (its country= is any role).
const LIST_FILTERS = ['species', 'taxon', 'term', 'country', 'agency', 'from', 'to', 'transport_mode'];

const COLORS = { accent: '#2f6b3a', weight: '#c7721a', index2: '#c7721a', ink: '#1c2320', muted: '#56615b', line: '#d5dad4' };
// axis steps for counts: whole numbers only
const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000, 250000, 1e6];
const CHOROPLETH = ['#d9eed9', '#a6d6a8', '#6bb372', '#38874a', '#175422'];

// ---- browser libraries (make vendor copies them to /assets/vendor) --------

const loaded = new Map();
function loadOnce(key, make) {
	if (!loaded.has(key)) {
		loaded.set(key, new Promise((resolve, reject) => {
			const el = make();
			el.addEventListener('load', () => resolve());
			el.addEventListener('error', () => { loaded.delete(key); reject(new Error(`cannot load ${key}`)); });
			document.head.append(el);
		}));
	}
	return loaded.get(key);
}
const loadScript = (src) => loadOnce(src, () => h('script', { src }));
const loadCss = (href) => loadOnce(href, () => h('link', { rel: 'stylesheet', href }));

function libraries() {
	return Promise.all([
		loadCss('assets/dashboard.css'),
		loadCss('assets/vendor/uPlot.min.css'),
		loadCss('assets/vendor/leaflet.css'),
		loadScript('assets/vendor/uPlot.iife.min.js'),
		loadScript('assets/vendor/leaflet.js'),
	]);
}

// The country outlines, once per page load (they never change).
let outlines = null;
function countryOutlines() {
	if (!outlines)
		outlines = get('/reference/map').catch((e) => { outlines = null; throw e; });
	return outlines;
}

// ---- small helpers -----------------------------------------------------

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
export function fmt(n) {
	if (n === null || n === undefined || Number.isNaN(n))
		return '–';
	return numberFormat.format(n);
}

// Inline style attributes are refused by the server's Content-Security-Policy
// (style-src 'self'); styles set through the CSSOM are not.
function styled(el, props) {
	Object.assign(el.style, props);
	return el;
}

function csvCell(v) {
	const s = v === null || v === undefined ? '' : String(v);
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function csvText(rows) {
	return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function hashWith(path, params) {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) {
		if (v !== undefined && v !== null && v !== '')
			p.set(k, v);
	}
	const s = p.toString();
	return `#${path}${s ? '?' + s : ''}`;
}

// The seizure list of the current filters narrowed by `extra`.  The list
// has one country filter (any role): origin or destination of the bar fill
// it when the bar has no country of its own.
function listHref(cur, extra = {}) {
	const p = {};
	for (const k of LIST_FILTERS) {
		if (cur[k])
			p[k] = cur[k];
	}
	if (!p.country && (cur.origin || cur.destination))
		p.country = (cur.origin || cur.destination).split(',')[0];
	Object.assign(p, extra);
	return hashWith('/seizures', p);
}

// "2024-03-01" + one period of `grain` - 1 day.
function periodEnd(start, grain) {
	const d = new Date(`${start}T00:00:00Z`);
	if (grain === 'day')
		d.setUTCDate(d.getUTCDate() + 1);
	else if (grain === 'week')
		d.setUTCDate(d.getUTCDate() + 7);
	else if (grain === 'month')
		d.setUTCMonth(d.getUTCMonth() + 1);
	else if (grain === 'quarter')
		d.setUTCMonth(d.getUTCMonth() + 3);
	else
		d.setUTCFullYear(d.getUTCFullYear() + 1);
	d.setUTCDate(d.getUTCDate() - 1);
	return d.toISOString().slice(0, 10);
}

function autoGrain(first, last) {
	if (!first || !last)
		return 'month';
	const days = (Date.parse(last) - Date.parse(first)) / 86400000;
	if (days > 4 * 365)
		return 'year';
	if (days > 548)
		return 'quarter';
	if (days < 62)
		return 'day';
	return 'month';
}

// ---- PNG: a titled canvas ----------------------------------------------

const FONT = getComputedStyle(document.documentElement).getPropertyValue('--font') || 'sans-serif';

function pngCanvas(width, height, title) {
	const ratio = 2;
	const c = document.createElement('canvas');
	c.width = width * ratio;
	c.height = (height + 40) * ratio;
	const g = c.getContext('2d');
	g.scale(ratio, ratio);
	g.fillStyle = '#ffffff';
	g.fillRect(0, 0, width, height + 40);
	g.fillStyle = COLORS.ink;
	g.font = `600 16px ${FONT}`;
	g.textBaseline = 'top';
	g.fillText(title, 12, 12);
	return { c, g, top: 40 };
}

function savePng(canvas, name) {
	canvas.toBlob((blob) => { if (blob) download(blob, `kouprey-${name}.png`, 'image/png'); }, 'image/png');
}

// A chart's own canvas under a title.
function canvasPng(source, title, name) {
	const w = source.width / (window.devicePixelRatio || 1);
	const hgt = source.height / (window.devicePixelRatio || 1);
	const { c, g, top } = pngCanvas(w, hgt, title);
	g.drawImage(source, 0, top, w, hgt);
	savePng(c, name);
}

// Horizontal bars [{label, value, note}] drawn for the PNG.
function barsPng(rows, title, name) {
	const w = 760, rowH = 24, labelW = 240;
	const { c, g, top } = pngCanvas(w, rows.length * rowH + 10, title);
	const max = Math.max(1, ...rows.map((r) => r.value));
	g.font = `13px ${FONT}`;
	g.textBaseline = 'middle';
	rows.forEach((r, i) => {
		const y = top + i * rowH + rowH / 2;
		g.fillStyle = COLORS.ink;
		g.textAlign = 'right';
		g.fillText(r.label, labelW - 8, y, labelW - 16);
		const bw = (w - labelW - 140) * r.value / max;
		g.fillStyle = COLORS.accent;
		g.fillRect(labelW, y - 7, Math.max(1, bw), 14);
		g.fillStyle = COLORS.ink;
		g.textAlign = 'left';
		g.fillText(r.note, labelW + bw + 6, y);
	});
	savePng(c, name);
}

// A table [[cells]] (first row = header) drawn for the PNG.
function tablePng(rows, title, name) {
	const colW = 150, rowH = 24;
	const w = Math.max(400, rows[0].length * colW + 24);
	const { c, g, top } = pngCanvas(w, rows.length * rowH + 10, title);
	g.textBaseline = 'middle';
	rows.forEach((r, i) => {
		const y = top + i * rowH + rowH / 2;
		if (i === 0) {
			g.fillStyle = '#eaede8';
			g.fillRect(12, y - rowH / 2, w - 24, rowH);
		}
		g.font = `${i === 0 ? '600 ' : ''}13px ${FONT}`;
		g.fillStyle = COLORS.ink;
		r.forEach((cell, j) => g.fillText(String(cell), 18 + j * colW, y, colW - 10));
		g.strokeStyle = COLORS.line;
		g.beginPath();
		g.moveTo(12, y + rowH / 2);
		g.lineTo(w - 12, y + rowH / 2);
		g.stroke();
	});
	savePng(c, name);
}

// ---- a card: title, CSV and PNG buttons, body, note --------------------

function card(name, titleKey, { csv, png, wide } = {}) {
	const id = `dash-${name}`;
	const body = h('div', { class: 'dash-body' });
	const note = h('p', { class: 'dash-note', hidden: true });
	const actions = h('div', { class: 'dash-actions' },
		csv ? h('button', { type: 'button', class: 'small', 'data-download': 'csv', t: 'dash.csv', onclick: csv }) : null,
		png ? h('button', { type: 'button', class: 'small', 'data-download': 'png', t: 'dash.png', onclick: png }) : null);
	const el = h('section', { class: `card dash-card${wide ? ' wide' : ''}`, id, 'aria-labelledby': `${id}-h` },
		h('div', { class: 'dash-head' }, h('h2', { id: `${id}-h`, t: titleKey }), actions),
		body, note);
	return {
		el, body, actions,
		setNote(text) {
			note.textContent = text || '';
			note.hidden = !text;
		},
		setEmpty() {
			clear(body).append(h('p', { class: 'empty', t: 'dash.no_data' }));
			actions.hidden = true;
		},
	};
}

function countryEntry(countries, code) {
	return countries.items.find((x) => x.code === code);
}
function countryNode(countries, code) {
	if (!code)
		return h('span', { t: 'dash.not_recorded' });
	const c = countryEntry(countries, code);
	return c ? h('span', { vname: c }) : code;
}
function countryText(countries, code) {
	if (!code)
		return t('dash.not_recorded');
	const c = countryEntry(countries, code);
	return c ? vname(c) : code;
}

// ---- the page ----------------------------------------------------------

export async function render(main, { search, token }) {
	const [terms, countries, agencies, vocab] = await Promise.all([
		ref('terms'), ref('countries'), ref('agencies'), ref('vocab'), libraries(),
	]);
	if (!isCurrent(token))
		return;
	const cur = {};
	for (const k of FILTERS)
		cur[k] = search.get(k) || '';
	const params = {};
	for (const k of FILTERS) {
		if (cur[k])
			params[k] = cur[k];
	}

	// the filter bar: a change of any control applies the filters
	const controls = {
		from: h('input', { type: 'date', name: 'from', value: cur.from }),
		to: h('input', { type: 'date', name: 'to', value: cur.to }),
		species: h('input', { type: 'text', name: 'species', value: cur.species }),
		taxon: h('input', { type: 'text', name: 'taxon', value: cur.taxon, tplaceholder: 'list.taxon_placeholder' }),
		term: vocabSelect(terms.items, { emptyKey: 'common.any', value: cur.term, codePrefix: true }),
		country: vocabSelect(countries.items, { emptyKey: 'common.any', value: cur.country }),
		origin: vocabSelect(countries.items, { emptyKey: 'common.any', value: cur.origin }),
		destination: vocabSelect(countries.items, { emptyKey: 'common.any', value: cur.destination }),
		agency: h('select', { name: 'agency' }, h('option', { value: '', t: 'common.any' }),
			(agencies.items || []).map((a) => h('option', { value: a.id }, a.name))),
		transport_mode: vocabSelect(vocab.transport_mode, { emptyKey: 'common.any', value: cur.transport_mode }),
	};
	controls.agency.value = cur.agency;
	speciesPicker(controls.species, () => {});
	function apply() {
		const p = {};
		for (const [k, el] of Object.entries(controls)) {
			const v = el.value.trim();
			if (v)
				p[k] = v;
		}
		navigate(hashWith('/analytics', p).slice(1));
	}
	const pdfButton = h('button', { type: 'button', t: 'dash.pdf' });
	const pdfMsg = h('span', { class: 'dash-pdf-msg', 'aria-live': 'polite' });
	const form = h('form', { class: 'search-form dash-filters', role: 'search', 'aria-label': t('dash.filters') },
		h('div', { class: 'grid' },
			field('dash.from', controls.from),
			field('dash.to', controls.to),
			field('list.species', controls.species),
			field('list.taxon', controls.taxon),
			field('list.term', controls.term),
			field('dash.country_any', controls.country),
			field('dash.origin', controls.origin),
			field('dash.destination', controls.destination),
			field('list.agency', controls.agency),
			field('list.transport_mode', controls.transport_mode)),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', class: 'primary', t: 'list.apply' }),
			h('button', { type: 'button', t: 'list.clear', onclick: () => navigate('/analytics') }),
			pdfButton, pdfMsg));
	form.setAttribute('data-t-aria-label', 'dash.filters');
	form.addEventListener('submit', (ev) => { ev.preventDefault(); apply(); });
	form.addEventListener('change', (ev) => {
		// text boxes apply on Enter or a picked suggestion; the rest at once
		if (ev.target.tagName === 'SELECT' || ev.target.type === 'date' || ev.target === controls.species)
			apply();
	});
	pdfButton.addEventListener('click', async () => {
		pdfButton.disabled = true;
		pdfMsg.textContent = t('dash.pdf_wait');
		try {
			const r = await request('GET', '/reports/brief', { params: { ...params, lang: currentLang() }, blob: true });
			download(r.blob, r.filename || 'kouprey-brief.pdf', 'application/pdf');
			pdfMsg.textContent = '';
		} catch (e) {
			pdfMsg.textContent = '';
			if (e.status !== 401)
				pdfMsg.append(errorBox(e));
		} finally {
			pdfButton.disabled = false;
		}
	});

	const figures = h('div', { class: 'dash-figures', 'aria-live': 'polite' });
	const grid = h('div', { class: 'dash-grid' });
	main.append(h('div', { class: 'page-head' }, h('h1', { t: 'dash.title' })), form, figures, grid);

	// summary first: it says whether there is anything, and the span of dates
	let summary;
	try {
		summary = await get('/analytics/summary', params);
	} catch (e) {
		if (isCurrent(token) && e.status !== 401)
			grid.append(errorBox(e));
		return;
	}
	if (!isCurrent(token))
		return;
	renderFigures(figures, summary);
	// what raw counts can and cannot say: once, above the charts (the API's
	// words in English; the same in Khmer from the string files)
	const caveat = currentLang() === 'km' ? h('p', { class: 'dash-caveat', t: 'dash.caveat' }) : h('p', { class: 'dash-caveat' }, summary.note || '');
	figures.after(caveat);
	if (!summary.total || !summary.total.seizures) {
		grid.append(h('p', { class: 'empty', t: 'dash.no_data' }));
		grid.dataset.loaded = '1';
		return;
	}

	const ctx = { cur, params, countries, terms, token, summary };
	const cards = [
		seriesCard(ctx),
		breakdownCard(ctx, 'species', 'dash.by_species'),
		breakdownCard(ctx, 'country', 'dash.by_country'),
		breakdownCard(ctx, 'term', 'dash.by_term'),
		routesCard(ctx),
		mapCard(ctx),
		indicesCard(ctx),
	];
	for (const c of cards)
		grid.append(c.el);
	await Promise.all(cards.map((c) => c.load().catch((e) => {
		if (isCurrent(token) && e.status !== 401)
			clear(c.body).append(errorBox(e));
	})));
	// for tests and people: every card has its answer
	if (isCurrent(token))
		grid.dataset.loaded = '1';
}

function renderFigures(el, s) {
	const c = s.total || {};
	const fig = (key, value) => h('div', { class: 'dash-figure' },
		h('span', { class: 'value' }, fmt(value)), h('span', { class: 'label', t: key }));
	append(clear(el), [
		fig('dash.seizures', c.seizures || 0),
		fig('dash.items', c.items || 0),
		c.weight_kg ? fig('dash.weight_kg', c.weight_kg) : null,
		c.animals ? fig('dash.animals', c.animals) : null,
		s.first ? h('div', { class: 'dash-figure' },
			h('span', { class: 'value small' }, `${s.first} – ${s.last}`), h('span', { class: 'label', t: 'dash.span' })) : null]);
	el.dataset.seizures = String(c.seizures || 0);
}

// ---- seizures and weight by period (uPlot) ---------------------------------

function seriesCard(ctx) {
	const grain = autoGrain(ctx.summary.first, ctx.summary.last);
	let data = null;
	let plot = null;
	const c = card('series', 'dash.by_period', {
		wide: true,
		csv: () => {
			const rows = [['period', 'period_start', 'seizures', 'weight_kg']];
			data.periods.forEach((p, i) => rows.push([p, data.start[i], data.seizures[i], data.weight[i]]));
			download(csvText(rows), 'kouprey-by-period.csv', 'text/csv');
		},
		png: () => canvasPng(plot.ctx.canvas, t('dash.by_period'), 'by-period'),
	});
	c.load = async () => {
		const [n, kg] = await Promise.all([
			get('/analytics/timeseries', { ...ctx.params, grain, measure: 'seizures' }),
			get('/analytics/timeseries', { ...ctx.params, grain, measure: 'weight_kg' }),
		]);
		if (!isCurrent(ctx.token))
			return;
		const all = (r) => (r.series && r.series[0] ? r.series[0].values : []);
		data = { periods: n.periods || [], start: n.period_start || [], seizures: all(n), weight: all(kg) };
		if (!data.periods.length)
			return c.setEmpty();
		// periods evenly spaced, labelled as the API names them
		const x = data.periods.map((p, i) => i);
		const np = x.length;
		const width = Math.max(300, c.body.clientWidth || 700);
		const every = Math.max(1, Math.ceil(np / 12));
		const opts = {
			width, height: 280,
			scales: {
				x: { time: false, range: () => [-0.5, np - 0.5] },
				n: { range: (u, min, max) => [0, Math.max(1, max)] },
				kg: { range: (u, min, max) => [0, Math.max(1, max)] },
			},
			series: [
				{ label: t('dash.period'), value: (u, v) => (v === null || v === undefined ? '' : data.periods[v]) },
				{ label: t('dash.seizures'), scale: 'n', stroke: COLORS.accent, fill: 'rgba(47,107,58,0.55)', paths: window.uPlot.paths.bars({ size: [0.7, 60] }), points: { show: false } },
				{ label: t('dash.weight_kg'), scale: 'kg', stroke: COLORS.weight, width: 2, points: { show: true, size: 5 } },
			],
			axes: [
				{ splits: () => x.filter((i) => i % every === 0), values: (u, vals) => vals.map((v) => data.periods[v] ?? '') },
				{ scale: 'n', label: t('dash.seizures'), incrs: COUNT_STEPS },
				{ scale: 'kg', side: 1, label: t('dash.weight_kg'), grid: { show: false } },
			],
		};
		clear(c.body);
		plot = new window.uPlot(opts, [x, data.seizures, data.weight], c.body);
		// a click on a period opens its seizures
		plot.over.addEventListener('click', () => {
			const i = plot.cursor.idx;
			if (i === null || i === undefined)
				return;
			navigate(listHref(ctx.cur, { from: data.start[i], to: periodEnd(data.start[i], grain) }).slice(1));
		});
		plot.over.style.cursor = 'pointer';
		const ro = new ResizeObserver(() => {
			const w2 = c.body.clientWidth;
			if (w2 > 0 && Math.abs(w2 - plot.width) > 4)
				plot.setSize({ width: w2, height: 280 });
		});
		ro.observe(c.body);
	};
	return c;
}

// ---- bars: by species, country, term (HTML rows; drawn again for the PNG) ---

function breakdownCard(ctx, by, titleKey) {
	let groups = [];
	const label = (g) => {
		if (by === 'country')
			return countryText(ctx.countries, g.key);
		if (by === 'term') {
			const e = ctx.terms.items.find((x) => x.code === g.key);
			return e ? `${g.key} — ${vname(e)}` : (g.key || t('dash.not_recorded'));
		}
		return g.label || g.key || t('dash.not_recorded');
	};
	const note = (g) => (g.cell && g.cell.weight_kg ? `${fmt(g.value)} (${fmt(g.cell.weight_kg)} kg)` : fmt(g.value));
	const c = card(by, titleKey, {
		csv: () => {
			const rows = [['key', 'label', 'seizures', 'items', 'weight_kg', 'share']];
			for (const g of groups)
				rows.push([g.key, label(g), g.cell ? g.cell.seizures : g.value, g.cell ? g.cell.items : '', g.cell ? g.cell.weight_kg : '', g.share ?? '']);
			download(csvText(rows), `kouprey-by-${by}.csv`, 'text/csv');
		},
		png: () => barsPng(groups.map((g) => ({ label: label(g), value: g.value, note: note(g) })), t(titleKey), `by-${by}`),
	});
	c.load = async () => {
		const r = await get('/analytics/breakdown', { ...ctx.params, by, measure: 'seizures', limit: 12 });
		if (!isCurrent(ctx.token))
			return;
		groups = r.groups || [];
		if (!groups.length)
			return c.setEmpty();
		const max = Math.max(1, ...groups.map((g) => g.value));
		const list = h('ol', { class: 'bars' });
		for (const g of groups) {
			let nameNode;
			if (by === 'country')
				nameNode = countryNode(ctx.countries, g.key);
			else if (by === 'term') {
				const e = ctx.terms.items.find((x) => x.code === g.key);
				nameNode = e ? h('span', { vname: e, vprefix: `${g.key} — ` }) : (g.key || h('span', { t: 'dash.not_recorded' }));
			} else {
				nameNode = h('span', { class: 'sp' }, g.label || g.key);
			}
			const drill = by === 'species' ? { species: g.label || g.key } : by === 'country' ? { country: g.key } : { term: g.key };
			const row = g.key
				? h('a', { class: 'bar-row', href: listHref(ctx.cur, drill), 'data-key': g.key })
				: h('span', { class: 'bar-row', 'data-key': '' });
			row.append(
				h('span', { class: 'bar-label' }, nameNode),
				h('span', { class: 'bar-track' }, styled(h('span', { class: 'bar' }), { width: `${(100 * g.value / max).toFixed(1)}%` })),
				h('span', { class: 'bar-value' }, note(g)));
			list.append(h('li', {}, row));
		}
		clear(c.body).append(list);
		if (r.groups_total > groups.length)
			c.body.append(h('p', { class: 'hint', t: 'dash.more_groups', targs: { n: r.groups_total - groups.length } }));
		c.setNote(r.multi ? t('dash.multi') : '');
	};
	return c;
}

// ---- routes ------------------------------------------------------------

function routesCard(ctx) {
	let routes = [];
	const transitText = (r) => (Array.isArray(r.transit) ? r.transit : (r.transit ? String(r.transit).split(';') : []));
	const trendText = (r) => (r.trend === null || r.trend === undefined ? '–' : `${r.trend > 0 ? '+' : ''}${Math.round(r.trend * 100)} %`);
	const cells = (r) => [
		countryText(ctx.countries, r.origin),
		transitText(r).map((x) => countryText(ctx.countries, x)).join(', ') || t('dash.direct'),
		countryText(ctx.countries, r.destination),
		fmt(r.now ? r.now.seizures : r.value), fmt(r.now && r.now.weight_kg ? r.now.weight_kg : null), trendText(r),
	];
	const head = () => [t('dash.origin'), t('dash.transit'), t('dash.destination'), t('dash.seizures'), t('dash.weight_kg'), t('dash.trend')];
	const c = card('routes', 'dash.routes', {
		wide: true,
		csv: () => {
			const rows = [['origin', 'transit', 'destination', 'seizures', 'weight_kg', 'previous_seizures', 'trend']];
			for (const r of routes)
				rows.push([r.origin, transitText(r).join(';'), r.destination, r.now ? r.now.seizures : r.value, r.now ? r.now.weight_kg : '', r.before ? r.before.seizures : r.previous_value, r.trend ?? '']);
			download(csvText(rows), 'kouprey-routes.csv', 'text/csv');
		},
		png: () => tablePng([head(), ...routes.map(cells)], t('dash.routes'), 'routes'),
	});
	c.load = async () => {
		const r = await get('/analytics/routes', { ...ctx.params, measure: 'seizures', limit: 20 });
		if (!isCurrent(ctx.token))
			return;
		routes = (r.routes || []).filter((x) => x.origin || x.destination);
		if (!routes.length)
			return c.setEmpty();
		const tbody = h('tbody');
		for (const x of routes) {
			const drillCountry = x.origin || x.destination;
			const arrow = h('span', { class: 'route-arrow', 'aria-hidden': 'true' }, ' → ');
			const transit = transitText(x);
			tbody.append(h('tr', {},
				h('td', {}, h('a', { href: listHref(ctx.cur, { country: drillCountry }), class: 'route-link' },
					countryNode(ctx.countries, x.origin), arrow,
					transit.length ? transit.flatMap((y, i) => (i ? [', ', countryNode(ctx.countries, y)] : [countryNode(ctx.countries, y)])) : h('span', { class: 'muted', t: 'dash.direct' }),
					arrow.cloneNode(true), countryNode(ctx.countries, x.destination))),
				h('td', { class: 'num' }, fmt(x.now ? x.now.seizures : x.value)),
				h('td', { class: 'num' }, fmt(x.now && x.now.weight_kg ? x.now.weight_kg : null)),
				h('td', { class: `num trend ${x.trend > 0 ? 'up' : x.trend < 0 ? 'down' : ''}` }, trendText(x))));
		}
		clear(c.body).append(h('div', { class: 'table-wrap' }, h('table', { class: 'table routes' },
			h('thead', {}, h('tr', {},
				h('th', { scope: 'col', t: 'dash.route' }),
				h('th', { scope: 'col', class: 'num', t: 'dash.seizures' }),
				h('th', { scope: 'col', class: 'num', t: 'dash.weight_kg' }),
				h('th', { scope: 'col', class: 'num', t: 'dash.trend' }))),
			tbody)));
		if (r.period && r.period.from)
			c.body.append(h('p', { class: 'hint', t: 'dash.routes_period', targs: { from: r.period.from, to: r.period.to, pfrom: r.previous ? r.previous.from : '', pto: r.previous ? r.previous.to : '' } }));
	};
	return c;
}

// ---- map (Leaflet; outlines from /reference/map; canvas renderer) ----------

function mapCard(ctx) {
	let rows = [];
	let renderer = null;
	const c = card('map', 'dash.map', {
		wide: true,
		csv: () => {
			const out = [['country', 'name', 'seizures', 'weight_kg']];
			for (const x of rows)
				out.push([x.key, countryText(ctx.countries, x.key), x.cell ? x.cell.seizures : x.value, x.cell ? x.cell.weight_kg : '']);
			download(csvText(out), 'kouprey-map.csv', 'text/csv');
		},
		png: () => canvasPng(renderer._container, t('dash.map'), 'map'),
	});
	c.load = async () => {
		const [m, geo] = await Promise.all([
			get('/analytics/map', { ...ctx.params, role: 'country', measure: 'seizures', points_limit: 5000 }),
			countryOutlines(),
		]);
		if (!isCurrent(ctx.token))
			return;
		rows = (m.countries || []).filter((x) => x.key);
		const points = m.points || [];
		if (!rows.length && !points.length)
			return c.setEmpty();
		const counts = new Map(rows.map((x) => [x.key, x.value]));
		const max = Math.max(1, ...counts.values());
		const shade = (v) => {
			if (!v)
				return '#f7f7f2';
			const k = max <= 1 ? 4 : Math.min(4, Math.floor(5 * Math.log(v) / Math.log(max)));
			return CHOROPLETH[Math.max(0, k)];
		};
		const box = h('div', { class: 'dash-map', role: 'img', 'aria-label': t('dash.map') });
		clear(c.body).append(box);
		const L = window.L;
		renderer = L.canvas({ padding: 0 });
		const map = L.map(box, { renderer, attributionControl: true, zoomSnap: 0.25, minZoom: 1, maxZoom: 8, worldCopyJump: false });
		map.setView([12, 105], 3); // Leaflet draws nothing without a view
		map.attributionControl.setPrefix(false);
		map.attributionControl.addAttribution('Natural Earth');
		let bounds = null;
		const layer = L.geoJSON(geo, {
			renderer,
			style: (f) => ({ fillColor: shade(counts.get(f.properties.ISO_A2)), fillOpacity: 1, color: '#8a938d', weight: 0.6 }),
			onEachFeature: (f, l) => {
				const iso = f.properties.ISO_A2;
				const v = counts.get(iso) || 0;
				l.bindTooltip(`${countryText(ctx.countries, iso) || f.properties.NAME}: ${fmt(v)}`, { sticky: true });
				if (v) {
					l.on('click', () => navigate(listHref(ctx.cur, { country: iso }).slice(1)));
					const b = l.getBounds();
					// countries across the antimeridian would span the world
					if (b.getEast() - b.getWest() < 180)
						bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
				}
			},
		}).addTo(map);
		for (const p of points) {
			L.circleMarker([p.lat, p.lon], { renderer, radius: 3.5, color: '#a31717', weight: 1, fillColor: '#d23a3a', fillOpacity: 0.85 })
				.bindTooltip(`${p.date || ''}${p.weight_kg ? ` · ${fmt(p.weight_kg)} kg` : ''}`)
				.on('click', () => navigate(`/seizures/${encodeURIComponent(p.id)}`))
				.addTo(map);
			const ll = L.latLng(p.lat, p.lon);
			bounds = bounds ? bounds.extend(ll) : L.latLngBounds(ll, ll);
		}
		if (bounds)
			map.fitBounds(bounds.pad(0.15), { maxZoom: 5 });
		else
			map.fitBounds(layer.getBounds());
		// the same as a list: readable without the map, and each links to the list
		const legend = h('ol', { class: 'dash-map-list' },
			rows.slice(0, 12).map((x) => h('li', {},
				styled(h('span', { class: 'swatch' }), { background: shade(x.value) }),
				h('a', { href: listHref(ctx.cur, { country: x.key }), 'data-key': x.key }, countryNode(ctx.countries, x.key)),
				` ${fmt(x.value)}`)));
		c.body.append(legend);
		if (points.length)
			c.body.append(h('p', { class: 'hint', t: 'dash.map_points', targs: { n: points.length, total: m.points_total ?? points.length } }));
		setTimeout(() => map.invalidateSize(), 0);
	};
	return c;
}

// ---- indices (uPlot) ----------------------------------------------------

function indicesCard(ctx) {
	let years = [];
	let plot = null;
	const c = card('indices', 'dash.indices', {
		wide: true,
		csv: () => {
			const rows = [['year', 'transactions', 'weight_kg', 'transaction_index', 'weight_index']];
			for (const y of years)
				rows.push([y.year, y.transactions.all, y.weight_kg.all, y.transaction_index.all ?? '', y.weight_index.all ?? '']);
			download(csvText(rows), 'kouprey-indices.csv', 'text/csv');
		},
		png: () => canvasPng(plot.ctx.canvas, t('dash.indices'), 'indices'),
	});
	c.load = async () => {
		const r = await get('/analytics/indices', ctx.params);
		if (!isCurrent(ctx.token))
			return;
		years = r.years || [];
		if (!years.length)
			return c.setEmpty();
		const width = Math.max(300, c.body.clientWidth || 700);
		clear(c.body);
		c.body.append(h('p', { class: 'hint', t: 'dash.base_year', targs: { y: r.base_year } }));
		const holder = h('div');
		c.body.append(holder);
		const idx = (k) => years.map((y) => (y[k] && y[k].all !== null && y[k].all !== undefined ? y[k].all : null));
		plot = new window.uPlot({
			width, height: 240,
			scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(150, max * 1.1)] } },
			series: [
				{ label: t('dash.year'), value: (u, v) => (v === null ? '' : String(v)) },
				{ label: t('dash.transaction_index'), stroke: COLORS.accent, width: 2, points: { show: true, size: 6 } },
				{ label: t('dash.weight_index'), stroke: COLORS.index2, width: 2, points: { show: true, size: 6 } },
			],
			axes: [{ values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')) }, {}],
		}, [years.map((y) => y.year), idx('transaction_index'), idx('weight_index')], holder);
		// the caveat and the method, as the API gives them
		c.setNote([r.note, r.method].filter(Boolean).join(' '));
	};
	return c;
}
