// The HTTP API client.  Holds the signed-in session (user and CSRF token),
// sends X-CSRF-Token on every changing request, and reports 401 to the app
// (which then shows the sign-in page).

const BASE = 'api/v1';

export const session = { user: null, csrf: null };

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) {
	onUnauthorized = fn;
}

// Thrown for any non-2xx answer: status, code, message and the per-field
// errors of the API ({field, message}).
export class ApiError extends Error {
	constructor(status, body) {
		const e = (body && body.error) || {};
		super(e.message || `HTTP ${status}`);
		this.status = status;
		this.code = e.code || (status === 0 ? 'network' : 'http_' + status);
		this.fields = Array.isArray(e.fields) ? e.fields : [];
	}
}

export function query(params) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params || {})) {
		if (v === undefined || v === null || v === '')
			continue;
		q.set(k, String(v));
	}
	const s = q.toString();
	return s ? `?${s}` : '';
}

// request('GET', '/seizures', {params}) → parsed JSON (or null for 204).
// opts.body: object sent as JSON; opts.raw: Blob/ArrayBuffer sent as is with
// opts.contentType; opts.blob: return {blob, filename} instead of JSON.
export async function request(method, path, opts = {}) {
	const headers = { Accept: 'application/json' };
	let body;
	if (opts.raw !== undefined) {
		body = opts.raw;
		headers['Content-Type'] = opts.contentType || 'application/octet-stream';
	} else if (opts.body !== undefined) {
		body = JSON.stringify(opts.body);
		headers['Content-Type'] = 'application/json';
	}
	if (method !== 'GET' && method !== 'HEAD' && session.csrf)
		headers['X-CSRF-Token'] = session.csrf;
	let res;
	try {
		res = await fetch(BASE + path + query(opts.params), {
			method, headers, body, credentials: 'same-origin',
		});
	} catch (e) {
		throw new ApiError(0, { error: { code: 'network', message: String(e && e.message || e) } });
	}
	if (res.status === 401 && !opts.allow401) {
		session.user = null;
		session.csrf = null;
		onUnauthorized();
	}
	if (!res.ok) {
		let data = null;
		try { data = await res.json(); } catch { /* not JSON */ }
		throw new ApiError(res.status, data);
	}
	if (opts.blob) {
		const cd = res.headers.get('Content-Disposition') || '';
		const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
		return { blob: await res.blob(), filename: m ? decodeURIComponent(m[1]) : null };
	}
	if (res.status === 204)
		return null;
	const text = await res.text();
	return text ? JSON.parse(text) : null;
}

export const get = (path, params, opts) => request('GET', path, { ...opts, params });

export async function signIn(username, password) {
	const data = await request('POST', '/session', { body: { username, password }, allow401: true });
	session.user = data.user;
	session.csrf = data.csrf_token;
	return data.user;
}

export async function restoreSession() {
	try {
		const data = await request('GET', '/session', { allow401: true });
		session.user = data.user;
		session.csrf = data.csrf_token;
		return data.user;
	} catch (e) {
		if (e.status === 401)
			return null;
		throw e;
	}
}

export async function signOut() {
	try {
		await request('DELETE', '/session', { allow401: true });
	} finally {
		session.user = null;
		session.csrf = null;
		refCache.clear();
	}
}

// Reference data, fetched once per sign-in.
const refCache = new Map();
export function ref(name) {
	if (!refCache.has(name)) {
		const p = get(name === 'vocab' ? '/reference/vocab' : `/reference/${name}`).catch((e) => {
			refCache.delete(name);
			throw e;
		});
		refCache.set(name, p);
	}
	return refCache.get(name);
}
export function forgetRef(name) {
	refCache.delete(name);
}

export function hasRole(...roles) {
	return !!session.user && roles.includes(session.user.role);
}
