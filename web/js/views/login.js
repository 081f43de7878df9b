// The login form: the people token, traded for a session cookie the page never sees.
import { api } from '../api.js';

export function showLogin(main, onLoggedIn) {
  main.innerHTML = `
    <section class="login">
      <div class="login-card">
        <div class="login-brand"><img src="/favicon.svg" alt="" width="36" height="36"><h1>spotfarm</h1></div>
        <p class="muted">Paste the manager's <strong>people token</strong>: the file
          <code>people.token</code> in its state folder.</p>
        <form id="login-form">
          <label for="token">People token</label>
          <input id="token" name="token" type="password" autocomplete="current-password"
                 spellcheck="false" required placeholder="64 hexadecimal digits">
          <p class="error" id="login-error" role="alert"></p>
          <button type="submit" class="primary">Log in</button>
        </form>
        <p class="muted small">The token stays on this computer; the browser keeps a session
          cookie instead, which logging out ends.</p>
      </div>
    </section>`;
  const form = main.querySelector('#login-form');
  const error = main.querySelector('#login-error');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      await api('/login', { method: 'POST', body: { token: form.token.value } });
      onLoggedIn();
    } catch (err) {
      error.textContent = err.status === 401
        ? 'That is not this manager\'s people token (the worker join token does not open the dashboard).'
        : err.message;
    }
  });
  form.token.focus();
}
