'use strict';
// Password, then a passkey as the second factor. Tokens stay in this page's memory only.
(function () {
  const $ = (id) => document.getElementById(id);
  let pendingToken = null;
  window.wardline = { accessToken: null };

  function show(id, visible) { $(id).hidden = !visible; }
  function fail(message) { $('error').textContent = message; show('error', true); }

  async function post(path, body, bearer) {
    const headers = { 'Content-Type': 'application/json' };
    if (bearer) headers.Authorization = 'Bearer ' + bearer;
    const r = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body || {}) });
    const json = r.status === 204 ? {} : await r.json();
    if (!r.ok) throw new Error(json.message || json.error || ('HTTP ' + r.status));
    return json;
  }

  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    show('error', false);
    try {
      const r = await post('/v1/auth/login', { username: $('username').value, password: $('password').value });
      if (r.status !== 'mfa_required') {
        fail('This page signs in with a passkey as the second factor; this account must use the Wardline app.');
        return;
      }
      pendingToken = r.pendingToken;
      show('password-form', false);
      show('passkey-step', true);
      $('status').textContent = 'Password accepted.';
    } catch (e) {
      fail(e.message);
    }
  });

  $('passkey-button').addEventListener('click', async () => {
    show('error', false);
    try {
      const options = await post('/v1/auth/webauthn/sign-in/options', { pendingToken });
      const credential = await navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey)
      });
      const tokens = await post('/v1/auth/webauthn/sign-in/verify',
        { pendingToken, challengeId: options.challengeId, credential: credential.toJSON() });
      window.wardline.accessToken = tokens.accessToken;
      const me = await fetch('/v1/me', { headers: { Authorization: 'Bearer ' + tokens.accessToken } }).then((r) => r.json());
      $('signed-in-name').textContent = me.username;
      show('passkey-step', false);
      show('signed-in', true);
      $('status').textContent = 'Signed in.';
    } catch (e) {
      fail(e.message);
    }
  });
})();
