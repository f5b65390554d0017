// Strings of the interface, in English and Khmer.
//
// Every visible string comes from assets/i18n/<lang>.json.  Elements carry the
// key they show in data attributes so that switching language re-labels the
// page in place, without losing what the user has typed:
//   data-t="key"              text content
//   data-t-args='{"n":3}'     parameters for {n} in the string
//   data-t-placeholder="key"  placeholder attribute
//   data-t-aria-label="key"   aria-label attribute
//   data-t-title="key"        title attribute
//   data-name-en / data-name-km   bilingual data from the API (vocabulary names)

const STORAGE_KEY = 'kouprey.lang';
export const LANGS = ['en', 'km'];

const state = { lang: 'en', strings: {}, fallback: {} };

async function load(lang) {
	const res = await fetch(`assets/i18n/${lang}.json`, { cache: 'no-cache' });
	if (!res.ok)
		throw new Error(`cannot load strings for ${lang}`);
	return res.json();
}

export function currentLang() {
	return state.lang;
}

export function savedLang() {
	let lang = null;
	try { lang = localStorage.getItem(STORAGE_KEY); } catch { /* private mode */ }
	return LANGS.includes(lang) ? lang : 'en';
}

export async function setLang(lang) {
	if (!LANGS.includes(lang))
		lang = 'en';
	if (!state.fallback['app.name'])
		state.fallback = await load('en');
	state.strings = lang === 'en' ? state.fallback : await load(lang);
	state.lang = lang;
	try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* ignore */ }
	document.documentElement.lang = lang;
	applyStrings(document);
}

// t('list.total', {n: 5}) → "5 seizures".  A missing key shows the key
// itself so that the gap is visible (the tests check both files are complete).
export function t(key, args) {
	let s = state.strings[key] ?? state.fallback[key] ?? key;
	if (args)
		s = s.replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));
	return s;
}

// The name of a vocabulary entry from the API ({name_en, name_km}).
export function vname(entry) {
	if (!entry)
		return '';
	return (state.lang === 'km' && entry.name_km) ? entry.name_km : (entry.name_en || entry.code || '');
}

function argsOf(el) {
	const a = el.getAttribute('data-t-args');
	if (!a)
		return undefined;
	try { return JSON.parse(a); } catch { return undefined; }
}

export function applyStrings(root) {
	const scope = root.querySelectorAll ? root : document;
	const each = (sel, fn) => {
		if (scope.matches && scope.matches(sel))
			fn(scope);
		scope.querySelectorAll(sel).forEach(fn);
	};
	each('[data-t]', (el) => { el.textContent = t(el.getAttribute('data-t'), argsOf(el)); });
	for (const attr of ['placeholder', 'aria-label', 'title']) {
		each(`[data-t-${attr}]`, (el) => { el.setAttribute(attr, t(el.getAttribute(`data-t-${attr}`))); });
	}
	each('[data-name-en]', (el) => {
		const km = el.getAttribute('data-name-km');
		const en = el.getAttribute('data-name-en');
		const prefix = el.getAttribute('data-name-prefix') || '';
		el.textContent = prefix + ((state.lang === 'km' && km) ? km : en);
	});
}
