// A small HTTP client for the API tests: keeps the session cookie and CSRF
// token of one signed-in user.

export class Client {
	constructor(url) {
		this.url = url;
		this.cookie = null;
		this.csrf = null;
		this.bearer = null;
	}

	async request(method, path, { body, headers = {}, raw = false, csrf = true } = {}) {
		const h = { ...headers };
		if (this.cookie) h.Cookie = this.cookie;
		if (this.bearer) h.Authorization = `Bearer ${this.bearer}`;
		if (csrf && this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
		let payload = body;
		if (body !== undefined && !raw && typeof body !== 'string') {
			payload = JSON.stringify(body);
			h['Content-Type'] = 'application/json';
		}
		const res = await fetch(this.url + path, { method, headers: h, body: payload });
		const setCookie = res.headers.get('set-cookie');
		if (setCookie) {
			const m = /kouprey_session=([^;]*)/.exec(setCookie);
			if (m) this.cookie = m[1] ? `kouprey_session=${m[1]}` : null;
		}
		const type = res.headers.get('content-type') || '';
		const text = await res.text();
		let json = null;
		if (type.startsWith('application/json') && text) json = JSON.parse(text);
		return { status: res.status, headers: res.headers, json, text };
	}

	get(path, opts) { return this.request('GET', path, opts); }
	post(path, body, opts = {}) { return this.request('POST', path, { ...opts, body }); }
	patch(path, body, opts = {}) { return this.request('PATCH', path, { ...opts, body }); }
	delete(path, opts) { return this.request('DELETE', path, opts); }

	async signIn(username, password) {
		const r = await this.post('/api/v1/session', { username, password });
		if (r.status === 200) this.csrf = r.json.csrf_token;
		return r;
	}
}

export function pangolinSeizure(extra = {}) {
	return {
		date: '2025-03-14',
		country: 'KH',
		place: 'Sihanoukville port',
		locode: 'KHKOS',
		transport_mode: 'sea',
		detection_method: 'xray',
		origin: ['NG'],
		destination: ['VN'],
		items: [{ species: 'Manis javanica', term: 'SCA', quantity: 1200.5, unit: 'KIL' }],
		...extra,
	};
}
