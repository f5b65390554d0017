// Sign-in page.

import { h, field } from '../dom.js';
import { signIn, session } from '../api.js';
import { navigate } from '../app.js';

export async function render(main) {
	const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
	const pass = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
	const msg = h('div', { class: 'alert error', role: 'alert', hidden: true });
	const button = h('button', { type: 'submit', class: 'primary', t: 'signin.submit' });
	const form = h('form', { class: 'card narrow signin', novalidate: true },
		h('h1', { t: 'signin.title' }),
		h('p', { class: 'hint', t: 'signin.intro' }),
		msg,
		field('signin.username', user),
		field('signin.password', pass),
		h('div', { class: 'actions' }, button));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		msg.hidden = true;
		if (!user.value || !pass.value) {
			msg.replaceChildren(h('p', { t: 'signin.missing' }));
			msg.hidden = false;
			return;
		}
		button.disabled = true;
		try {
			await signIn(user.value.trim(), pass.value);
			const after = sessionStorage.getItem('kouprey.after');
			sessionStorage.removeItem('kouprey.after');
			navigate(after && !after.startsWith('#/signin') ? after.slice(1) : '/seizures');
		} catch (e) {
			pass.value = '';
			let key = 'signin.failed';
			if (e.status === 429)
				key = 'signin.locked';
			else if (e.code === 'network')
				key = 'error.network';
			else if (e.status !== 401)
				key = 'error.generic';
			msg.replaceChildren(h('p', { t: key }));
			msg.hidden = false;
			pass.focus();
		} finally {
			button.disabled = false;
		}
	});
	main.append(form);
	if (session.user)
		navigate('/seizures');
	else
		user.focus();
}
