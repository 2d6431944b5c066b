'use strict';
// Password, then a second factor: the code of an authenticator app (TOTP), a recovery code, or a passkey.
// Tokens stay in this page's memory only.
(function () {
  const $ = (id) => document.getElementById(id);
  let pendingToken = null;
  let recovery = false;
  window.wardline = { accessToken: null };

  function show(id, visible) { $(id).hidden = !visible; }
  function fail(message) {
    $('error').textContent = message;
    show('error', true);
    $('error').focus();
  }

  async function post(path, body, bearer) {
    const headers = { 'Content-Type': 'application/json' };
    if (bearer) headers.Authorization = 'Bearer ' + bearer;
    const r = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body || {}) });
    const json = r.status === 204 ? {} : await r.json();
    if (!r.ok) throw new Error(json.message || json.error || ('HTTP ' + r.status));
    return json;
  }

  async function signedIn(tokens) {
    window.wardline.accessToken = tokens.accessToken;
    const me = await fetch('/v1/me', { headers: { Authorization: 'Bearer ' + tokens.accessToken } }).then((r) => r.json());
    pendingToken = null;
    $('signed-in-name').textContent = me.username;
    show('second-factor', false);
    show('signed-in', true);
    $('status').textContent = 'Signed in.';
  }

  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    show('error', false);
    try {
      const r = await post('/v1/auth/login', { username: $('username').value, password: $('password').value });
      if (r.status === 'mfa_enrollment_required') {
        fail('This account has no second factor yet. Set one up first: run `wardline login` on your computer, '
          + 'which shows a QR code for your authenticator app, then sign in here.');
        return;
      }
      if (r.status !== 'mfa_required') {
        fail('This account cannot sign in on this page; use the Wardline app.');
        return;
      }
      pendingToken = r.pendingToken;
      $('password').value = '';
      show('password-form', false);
      show('second-factor', true);
      $('status').textContent = 'Password accepted. Now confirm it is you.';
      $('code').focus();
    } catch (e) {
      fail(e.message);
    }
  });

  $('recovery-toggle').addEventListener('click', () => {
    recovery = !recovery;
    $('code-label').textContent = recovery ? 'Recovery code (one of those you saved when you set up your account)'
      : 'Code from your authenticator app (6 digits)';
    $('code').setAttribute('inputmode', recovery ? 'text' : 'numeric');
    $('recovery-toggle').textContent = recovery ? 'Use my authenticator app instead' : 'Use a recovery code instead';
    $('code').value = '';
    $('code').focus();
  });

  $('code-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    show('error', false);
    const value = $('code').value.replace(/\s+/g, '');
    if (!value) {
      fail(recovery ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code your authenticator app shows.');
      return;
    }
    $('code-submit').disabled = true;
    try {
      const body = recovery ? { pendingToken, recoveryCode: value } : { pendingToken, code: value };
      await signedIn(await post('/v1/auth/mfa', body));
    } catch (e) {
      $('code').value = '';
      fail(e.message);
    } finally {
      $('code-submit').disabled = false;
    }
  });

  $('passkey-button').addEventListener('click', async () => {
    show('error', false);
    try {
      const options = await post('/v1/auth/webauthn/sign-in/options', { pendingToken });
      const credential = await navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey)
      });
      await signedIn(await post('/v1/auth/webauthn/sign-in/verify',
        { pendingToken, challengeId: options.challengeId, credential: credential.toJSON() }));
    } catch (e) {
      fail(e.message);
    }
  });

  $('sign-out').addEventListener('click', async () => {
    show('error', false);
    try {
      await post('/v1/auth/logout', {}, window.wardline.accessToken);
    } catch (e) {
      // The session ends on the server's idle timeout anyway; the page forgets it now.
    }
    window.wardline.accessToken = null;
    show('signed-in', false);
    show('password-form', true);
    $('status').textContent = 'Signed out.';
    $('username').focus();
  });
})();
