// Network view (#/network?node=party:7 or #/network?chart=ID): the link
// graph around a seizure, party or identifier, drawn with cytoscape.
//
// A double-click (or the Expand button) on a node adds its neighbours from
// GET /api/v1/graph/neighbourhood; the kind check boxes and the depth apply to
// what is fetched and hide what is shown; the timeline slider hides links
// dated after the chosen day.  Select two nodes and "Find path" asks
// /graph/paths and highlights the shortest path.  Nodes can be pinned (kept
// where they are when the layout runs) and hidden.  The chart (nodes,
// positions, pins, hidden nodes, filters) is saved under a name
// (/graph/charts) and reopened from #/network?chart=ID; the graph itself is
// always read fresh, so a reader sees only what they may see.  Exports of the
// current view: PNG (cy.png), GraphML, and the two CSV files (entities,
// links) that i2 Analyst's Notebook and Gephi import — the same columns as
// GET /graph/charts/{id}/export.

import { h, append, clear, download } from '../dom.js';
import { get, request, hasRole, session } from '../api.js';
import { t, currentLang } from '../i18n.js';
import { isCurrent, errorBox, toast } from '../app.js';

const NODE_KINDS = ['party', 'identifier', 'seizure'];
const EDGE_KINDS = ['holds', 'involved_in', 'related', 'seen_in', 'shares_identifier'];
const COLORS = { party: '#2f6b3a', identifier: '#2b5f8a', seizure: '#c7721a' };

let cytoscapeLib = null;
async function cytoscape() {
	if (!cytoscapeLib) {
		// network.css also holds the rule cytoscape would add in an inline
		// <style> (refused by the Content-Security-Policy): with this id on
		// the link, cytoscape sees its stylesheet there already.
		const css = h('link', { rel: 'stylesheet', href: 'assets/network.css', id: '__________cytoscape_stylesheet' });
		document.head.append(css);
		cytoscapeLib = (await import('../vendor/cytoscape.esm.min.mjs')).default;
	}
	return cytoscapeLib;
}

// ---- exports (the server's formats, built from the current view) -----------

function csvField(v) {
	const s = v === null || v === undefined ? '' : String(v);
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvLine = (fields) => fields.map(csvField).join(',') + '\r\n';

function entityType(n) {
	if (n.kind === 'seizure') return 'Seizure';
	if (n.kind === 'party') return n.type === 'organisation' ? 'Organisation' : 'Person';
	return n.type || 'Identifier';
}

function recordText(e) {
	const r = e.record || {};
	if (r.kind === 'seizure') return `seizure ${r.ref}`;
	if (r.kind === 'identifier') return `identifier ${r.ref}`;
	return `${r.table} ${r.id}`;
}

export function entitiesCsv(nodes) {
	let out = csvLine(['Id', 'Label', 'Type', 'Kind', 'Date', 'Country']);
	for (const n of nodes)
		out += csvLine([n.id, n.label, entityType(n), n.kind, n.date || '', n.country || '']);
	return out;
}

export function linksCsv(edges) {
	let out = csvLine(['Id', 'Source', 'Target', 'Type', 'Label', 'Kind', 'Role', 'Date', 'Provenance', 'Record']);
	for (const e of edges)
		out += csvLine([e.id, e.source, e.target, 'Undirected', e.role || e.kind, e.kind, e.role || '',
			e.date || '', e.provenance || '', recordText(e)]);
	return out;
}

const xml = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

export function graphml(nodes, edges, title) {
	const nk = ['label', 'kind', 'type', 'date', 'country'];
	const ek = ['kind', 'role', 'date', 'provenance', 'record'];
	let out = '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n';
	for (const k of nk) out += `  <key id="n_${k}" for="node" attr.name="${k}" attr.type="string"/>\n`;
	for (const k of ek) out += `  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="string"/>\n`;
	out += `  <graph id="${xml(title)}" edgedefault="undirected">\n`;
	const data = (k, v) => (v ? `      <data key="${k}">${xml(v)}</data>\n` : '');
	for (const n of nodes) {
		out += `    <node id="${xml(n.id)}">\n` + data('n_label', n.label) + data('n_kind', n.kind) +
			data('n_type', entityType(n)) + data('n_date', n.date) + data('n_country', n.country) + '    </node>\n';
	}
	for (const e of edges) {
		out += `    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}">\n` +
			data('e_kind', e.kind) + data('e_role', e.role) + data('e_date', e.date) +
			data('e_provenance', e.provenance) + data('e_record', recordText(e)) + '    </edge>\n';
	}
	return out + '  </graph>\n</graphml>\n';
}

// ---- the page ---------------------------------------------------------------

export async function render(main, { search, token }) {
	const start = search.get('node');
	const chartId = search.get('chart');
	main.append(h('h1', { t: 'network.title' }));
	if (!start && !chartId) {
		main.append(h('p', { class: 'hint', t: 'network.how_to_open' }));
		await renderChartList(main, token);
		return;
	}
	const cy0 = await cytoscape();
	if (!isCurrent(token))
		return;
	const view = new NetworkView(main, cy0, token);
	if (chartId)
		await view.openChart(chartId);
	else
		await view.expand(start, true);
}

async function renderChartList(main, token) {
	const list = await get('/graph/charts');
	if (!isCurrent(token))
		return;
	main.append(h('h2', { t: 'network.saved_charts' }));
	if (!list.items.length) {
		main.append(h('p', { class: 'hint', t: 'network.no_charts' }));
		return;
	}
	const ul = h('ul', { class: 'chart-list' });
	for (const c of list.items)
		ul.append(h('li', {}, h('a', { href: `#/network?chart=${c.id}` }, c.name), ` — ${c.owner.username}, ${c.nodes} `, h('span', { t: 'network.nodes' })));
	main.append(ul);
}

class NetworkView {
	constructor(main, cytoscapeFn, token) {
		this.token = token;
		this.nodes = new Map();     // id -> node from the API
		this.edges = new Map();     // id -> edge from the API
		this.hidden = new Set();
		this.pinned = new Set();
		this.chart = null;          // the saved chart opened, if any
		this.dates = [];
		this.build(main, cytoscapeFn);
	}

	build(main, cytoscapeFn) {
		const kindBox = (group, k) => h('label', { class: 'check' },
			h('input', { type: 'checkbox', checked: true, 'data-kind': k, name: `${group}-${k}`, onchange: () => this.applyFilters() }),
			h('span', { t: `network.kind.${k}` }));
		this.nodeKinds = h('fieldset', { class: 'kinds' }, h('legend', { t: 'network.node_kinds' }), NODE_KINDS.map((k) => kindBox('node', k)));
		this.edgeKinds = h('fieldset', { class: 'kinds' }, h('legend', { t: 'network.edge_kinds' }), EDGE_KINDS.map((k) => kindBox('edge', k)));
		this.depth = h('select', { id: 'network-depth' }, [1, 2, 3].map((d) => h('option', { value: d }, String(d))));
		this.slider = h('input', { type: 'range', id: 'network-timeline', min: 0, max: 0, value: 0, oninput: () => this.applyFilters() });
		this.sliderLabel = h('output', { for: 'network-timeline', class: 'timeline-label' });
		const btn = (key, fn, extra = {}) => h('button', { type: 'button', t: key, onclick: fn, ...extra });
		this.name = h('input', { type: 'text', id: 'network-chart-name', maxlength: 200, tplaceholder: 'network.chart_name' });
		const canSave = !hasRole('viewer');
		const toolbar = h('div', { class: 'network-toolbar', role: 'toolbar' },
			h('div', { class: 'group' },
				btn('network.expand', () => this.expandSelected(), { id: 'network-expand' }),
				h('label', { for: 'network-depth', t: 'network.depth' }), this.depth,
				btn('network.find_path', () => this.findPath(), { id: 'network-path' }),
				btn('network.pin', () => this.togglePin(), { id: 'network-pin' }),
				btn('network.hide', () => this.hideSelected(), { id: 'network-hide' }),
				btn('network.show_all', () => this.showAll(), { id: 'network-show-all' }),
				btn('network.relayout', () => this.layout(), {})),
			h('div', { class: 'group' }, this.nodeKinds, this.edgeKinds),
			h('div', { class: 'group timeline' }, h('label', { for: 'network-timeline', t: 'network.timeline' }), this.slider, this.sliderLabel),
			h('div', { class: 'group' },
				canSave ? this.name : null,
				canSave ? btn('network.save', () => this.save(), { id: 'network-save' }) : null,
				btn('network.export_png', () => this.exportPng(), { id: 'network-png' }),
				btn('network.export_graphml', () => this.exportGraphml(), { id: 'network-graphml' }),
				btn('network.export_csv', () => this.exportCsv(), { id: 'network-csv' }),
				this.briefLink = h('a', { class: 'button', id: 'network-brief', t: 'network.brief_pdf', hidden: true, download: '' })));
		this.status = h('p', { class: 'network-status', 'aria-live': 'polite' });
		this.box = h('div', { class: 'network-canvas', id: 'network-canvas' });
		this.panel = h('aside', { class: 'network-panel', 'aria-live': 'polite' }, h('p', { class: 'hint', t: 'network.select_hint' }));
		main.append(toolbar, this.status, h('div', { class: 'network-body' }, this.box, this.panel));
		this.cy = cytoscapeFn({
			container: this.box,
			wheelSensitivity: 0.3,
			style: [
				{ selector: 'node', style: { label: 'data(label)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 4,
					width: 26, height: 26, 'background-color': 'data(color)', color: '#1c2320', 'text-wrap': 'ellipsis', 'text-max-width': 120 } },
				{ selector: 'node[kind = "seizure"]', style: { shape: 'round-rectangle' } },
				{ selector: 'node[kind = "identifier"]', style: { shape: 'diamond', width: 22, height: 22 } },
				{ selector: 'node[type = "organisation"]', style: { shape: 'hexagon' } },
				{ selector: 'node.start', style: { 'border-width': 3, 'border-color': '#1c2320' } },
				{ selector: 'node.pinned', style: { 'border-width': 3, 'border-style': 'double', 'border-color': '#8a2b2b' } },
				{ selector: 'node:selected', style: { 'overlay-color': '#2b5f8a', 'overlay-opacity': 0.25 } },
				{ selector: 'edge', style: { width: 1.5, 'line-color': '#9aa59e', 'curve-style': 'bezier', label: 'data(role)', 'font-size': 8, color: '#56615b', 'text-rotation': 'autorotate' } },
				{ selector: 'edge[kind = "related"]', style: { 'line-style': 'dashed' } },
				{ selector: 'edge[kind = "shares_identifier"]', style: { 'line-style': 'dotted', 'line-color': '#c7721a' } },
				{ selector: 'edge.path', style: { 'line-color': '#d1342f', width: 4 } },
				{ selector: 'node.path', style: { 'border-color': '#d1342f', 'border-width': 4 } },
				{ selector: '.filtered', style: { display: 'none' } },
			],
		});
		this.box.cy = this.cy; // for the browser tests
		this.cy.on('dbltap', 'node', (ev) => this.expand(ev.target.id()));
		this.cy.on('tap', 'node, edge', (ev) => this.describe(ev.target));
	}

	params() {
		const checked = (fs) => [...fs.querySelectorAll('input:checked')].map((i) => i.dataset.kind);
		const nk = checked(this.nodeKinds), ek = checked(this.edgeKinds);
		return {
			depth: this.depth.value,
			node_kinds: nk.length === NODE_KINDS.length ? undefined : nk.join(','),
			edge_kinds: ek.length === EDGE_KINDS.length ? undefined : ek.join(','),
		};
	}

	setStatus(key, args) {
		this.status.setAttribute('data-t', key);
		this.status.textContent = t(key, args);
	}

	// Adds nodes and edges from an answer; returns the ids added.
	merge(nodes, edges) {
		const added = [];
		for (const n of nodes) {
			if (this.nodes.has(n.id)) continue;
			this.nodes.set(n.id, n);
			added.push({ group: 'nodes', data: { id: n.id, label: n.label, kind: n.kind, type: n.type || '', color: COLORS[n.kind] || '#777' } });
		}
		for (const e of edges) {
			if (this.edges.has(e.id) || !this.nodes.has(e.source) || !this.nodes.has(e.target)) continue;
			this.edges.set(e.id, e);
			added.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, kind: e.kind, role: e.role || '' } });
		}
		if (added.length)
			this.cy.add(added);
		return added;
	}

	async expand(node, first = false) {
		this.setStatus('network.loading');
		let r;
		try {
			r = await get('/graph/neighbourhood', { node, ...this.params(), limit: 200 });
		} catch (e) {
			if (!isCurrent(this.token)) return;
			this.status.replaceWith(errorBox(e));
			throw e;
		}
		if (!isCurrent(this.token)) return;
		const added = this.merge(r.nodes, r.edges);
		if (first)
			this.cy.getElementById(r.node).addClass('start');
		this.updateTimeline();
		this.applyFilters();
		if (added.length)
			this.layout();
		if (r.truncated)
			this.setStatus('network.truncated', { nodes: r.truncated.nodes_cut, edges: r.truncated.edges_cut });
		else
			this.setStatus('network.shown', { nodes: this.nodes.size, edges: this.edges.size });
		this.box.dataset.nodes = String(this.nodes.size);
		this.box.dataset.edges = String(this.edges.size);
		this.box.dataset.loaded = String((Number(this.box.dataset.loaded) || 0) + 1);
	}

	expandSelected() {
		const sel = this.cy.$('node:selected');
		if (!sel.length) {
			toast('network.select_first');
			return;
		}
		sel.forEach((n) => { this.expand(n.id()); });
	}

	layout() {
		this.cy.nodes().forEach((n) => { if (this.pinned.has(n.id())) n.lock(); else n.unlock(); });
		const l = this.cy.elements(':visible').layout({ name: 'cose', animate: false, randomize: false, nodeDimensionsIncludeLabels: true, padding: 30 });
		l.run();
		this.cy.nodes().unlock();
		this.cy.nodes().forEach((n) => { if (this.pinned.has(n.id())) n.lock(); });
	}

	// The edges' dates, for the timeline slider (the last position shows all).
	updateTimeline() {
		const dates = [...new Set([...this.edges.values()].map((e) => e.date).filter(Boolean))].sort();
		const atEnd = Number(this.slider.value) >= this.dates.length - 1 || !this.dates.length;
		this.dates = dates;
		this.slider.max = String(Math.max(dates.length - 1, 0));
		if (atEnd)
			this.slider.value = this.slider.max;
		this.slider.disabled = dates.length < 2;
	}

	applyFilters() {
		const checked = (fs) => new Set([...fs.querySelectorAll('input:checked')].map((i) => i.dataset.kind));
		const nk = checked(this.nodeKinds), ek = checked(this.edgeKinds);
		const until = this.dates.length ? this.dates[Number(this.slider.value)] : null;
		this.sliderLabel.textContent = until ? `≤ ${until}` : '';
		this.cy.batch(() => {
			this.cy.nodes().forEach((n) => {
				const d = this.nodes.get(n.id());
				n.toggleClass('filtered', this.hidden.has(n.id()) || !nk.has(d.kind));
			});
			this.cy.edges().forEach((e) => {
				const d = this.edges.get(e.id());
				const late = until && d.date && d.date > until;
				e.toggleClass('filtered', !ek.has(d.kind) || !!late);
			});
		});
	}

	describe(el) {
		clear(this.panel);
		if (el.isNode()) {
			const n = this.nodes.get(el.id());
			const href = n.kind === 'party' ? `#/parties/${n.record_id}` : n.kind === 'seizure' ? `#/seizures/${n.record_id}` : `#/identifiers/${n.record_id}`;
			append(this.panel, [h('h2', {}, n.label || n.id),
				h('p', {}, h('span', { t: `network.kind.${n.kind}` }), n.type ? ` · ${n.type}` : '', n.date ? ` · ${n.date}` : ''),
				h('p', {}, h('a', { href, t: 'network.open_record' })),
				this.pinned.has(n.id) ? h('p', { t: 'network.is_pinned' }) : null]);
		} else {
			const e = this.edges.get(el.id());
			const r = e.record || {};
			append(this.panel, [h('h2', { t: `network.kind.${e.kind}` }),
				h('p', {}, `${this.nodes.get(e.source)?.label || e.source} → ${this.nodes.get(e.target)?.label || e.target}`),
				e.role ? h('p', {}, h('span', { t: 'network.role' }), `: ${e.role}`) : null,
				h('p', {}, h('span', { t: 'network.date' }), `: ${e.date || '—'}`),
				e.provenance ? h('p', {}, h('span', { t: 'network.provenance' }), `: ${e.provenance}`) : null,
				h('p', {}, h('span', { t: 'network.record' }), ': ',
					r.kind === 'seizure' ? h('a', { href: `#/seizures/${r.id}` }, r.ref)
						: r.kind === 'identifier' ? h('a', { href: `#/identifiers/${r.id}` }, r.ref)
							: `${r.table} ${r.id}`)]);
		}
	}

	async findPath() {
		const sel = this.cy.$('node:selected');
		if (sel.length !== 2) {
			toast('network.select_two');
			return;
		}
		this.cy.elements().removeClass('path');
		const r = await get('/graph/paths', { from: sel[0].id(), to: sel[1].id(), k: 1, max_length: 8 });
		if (!isCurrent(this.token)) return;
		if (!r.paths.length) {
			this.setStatus('network.no_path');
			return;
		}
		const p = r.paths[0];
		this.merge(p.nodes, p.steps.map((s) => s.edge));
		this.updateTimeline();
		this.applyFilters();
		for (const n of p.nodes) this.cy.getElementById(n.id).addClass('path');
		for (const s of p.steps) this.cy.getElementById(s.edge.id).addClass('path');
		this.setStatus('network.path_found', { steps: p.length });
		this.box.dataset.path = p.nodes.map((n) => n.id).join(' ');
	}

	togglePin() {
		this.cy.$('node:selected').forEach((n) => {
			if (this.pinned.has(n.id())) {
				this.pinned.delete(n.id());
				n.removeClass('pinned').unlock();
			} else {
				this.pinned.add(n.id());
				n.addClass('pinned').lock();
			}
		});
	}

	hideSelected() {
		this.cy.$('node:selected').forEach((n) => { this.hidden.add(n.id()); n.unselect(); });
		this.applyFilters();
	}

	showAll() {
		this.hidden.clear();
		this.applyFilters();
	}

	// What the view shows now (hidden and filtered elements left out).
	visible() {
		const nodes = this.cy.nodes().filter((n) => !n.hasClass('filtered')).map((n) => this.nodes.get(n.id()));
		const ids = new Set(nodes.map((n) => n.id));
		const edges = this.cy.edges().filter((e) => !e.hasClass('filtered')).map((e) => this.edges.get(e.id()))
			.filter((e) => ids.has(e.source) && ids.has(e.target));
		return { nodes, edges };
	}

	fileBase() {
		const base = this.chart ? this.chart.name : (this.cy.$('node.start').id() || 'network');
		return 'kouprey-network-' + base.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '');
	}

	exportPng() {
		const blob = this.cy.png({ output: 'blob', full: true, bg: '#ffffff', scale: 2 });
		download(blob, `${this.fileBase()}.png`, 'image/png');
	}

	exportGraphml() {
		const { nodes, edges } = this.visible();
		download(graphml(nodes, edges, this.fileBase()), `${this.fileBase()}.graphml`, 'application/graphml+xml');
	}

	exportCsv() {
		const { nodes, edges } = this.visible();
		download(entitiesCsv(nodes), `${this.fileBase()}-entities.csv`, 'text/csv');
		setTimeout(() => download(linksCsv(edges), `${this.fileBase()}-links.csv`, 'text/csv'), 300);
	}

	state() {
		return {
			nodes: this.cy.nodes().map((n) => ({ id: n.id(), x: Math.round(n.position('x')), y: Math.round(n.position('y')), pinned: this.pinned.has(n.id()) })),
			hidden: [...this.hidden],
			filters: { ...this.params(), until: this.dates[Number(this.slider.value)] || null },
			start: this.cy.$('node.start').id() || null,
		};
	}

	async save() {
		const name = this.name.value.trim();
		if (!name) {
			toast('network.name_required');
			this.name.focus();
			return;
		}
		const body = { name, chart: this.state() };
		// the owner saving under the same name updates the chart; otherwise a new one
		const mine = this.chart && session.user && this.chart.owner.username === session.user.username;
		const saved = mine && this.chart.name === name
			? await request('PUT', `/graph/charts/${this.chart.id}`, { body: { ...body, version: this.chart.version } })
			: await request('POST', '/graph/charts', { body });
		this.chart = saved;
		toast('network.saved', { name: saved.name });
		history.replaceState(null, '', `#/network?chart=${saved.id}`);
		this.box.dataset.chart = String(saved.id);
		this.showBrief();
	}

	// The saved chart in a PDF brief (GET /reports/brief?chart=ID), in the page's language.
	showBrief() {
		if (!this.chart) return;
		this.briefLink.href = `api/v1/reports/brief?chart=${this.chart.id}&lang=${currentLang()}`;
		this.briefLink.hidden = false;
	}

	async openChart(id) {
		const c = await get(`/graph/charts/${id}`);
		if (!isCurrent(this.token)) return;
		this.chart = c;
		this.name.value = c.name;
		const st = c.chart || {};
		const f = st.filters || {};
		if (f.depth) this.depth.value = String(f.depth);
		const setKinds = (fs, list) => {
			if (!list) return;
			const want = new Set(list.split(','));
			fs.querySelectorAll('input').forEach((i) => { i.checked = want.has(i.dataset.kind); });
		};
		setKinds(this.nodeKinds, f.node_kinds);
		setKinds(this.edgeKinds, f.edge_kinds);
		this.merge(c.graph.nodes, c.graph.edges);
		const pos = new Map((st.nodes || []).map((n) => [n.id, n]));
		this.cy.nodes().forEach((n) => {
			const p = pos.get(n.id());
			if (p && Number.isFinite(p.x)) n.position({ x: p.x, y: p.y });
			if (p && p.pinned) { this.pinned.add(n.id()); n.addClass('pinned').lock(); }
		});
		for (const hId of st.hidden || []) this.hidden.add(hId);
		if (st.start) this.cy.getElementById(st.start).addClass('start');
		this.updateTimeline();
		if (f.until) {
			const i = this.dates.indexOf(f.until);
			if (i >= 0) this.slider.value = String(i);
		}
		this.applyFilters();
		this.cy.fit(undefined, 30);
		this.setStatus(c.graph.missing ? 'network.chart_missing' : 'network.shown',
			{ nodes: this.nodes.size, edges: this.edges.size, missing: c.graph.missing });
		this.box.dataset.nodes = String(this.nodes.size);
		this.box.dataset.chart = String(c.id);
		this.showBrief();
		this.box.dataset.loaded = String((Number(this.box.dataset.loaded) || 0) + 1);
	}
}
