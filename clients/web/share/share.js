// The patient share page. The link secret lives only in the URL fragment, which browsers never send to a
// server; this script reads it, removes it from the address bar, and sends it only in POST bodies.
(function () {
  'use strict';
  var match = /^\/s\/([0-9a-fA-F-]{36})$/.exec(window.location.pathname);
  var secret = window.location.hash.length > 1 ? window.location.hash.substring(1) : '';
  if (secret) {
    history.replaceState(null, '', window.location.pathname);
  }
  var el = function (id) { return document.getElementById(id); };

  function showError(message) {
    var box = el('error');
    box.textContent = message;
    box.hidden = false;
    box.focus();
  }
  function clearError() {
    el('error').hidden = true;
    el('error').textContent = '';
  }
  var attemptsLeft = null;
  function triesText() {
    return attemptsLeft === 1 ? 'You have 1 try left before the link locks.'
      : 'You have ' + attemptsLeft + ' tries before the link locks.';
  }
  function linkFacts(body) {
    var until = new Date(body.expiresAt);
    var when = isNaN(until.getTime()) ? '' : until.toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
    attemptsLeft = typeof body.attemptsLeft === 'number' ? body.attemptsLeft : null;
    el('link-facts').textContent = (when ? 'This link works until ' + when + '. ' : '')
      + (attemptsLeft === null ? '' : triesText());
  }
  function status(text) {
    el('status').textContent = text;
  }
  function fail(body) {
    var message = body && body.message ? body.message : 'Something went wrong. Please try again in a moment.';
    showError(message);
    if (body && /^link\.(expired|revoked|exhausted|locked)$/.test(body.error || '')) {
      el('start').hidden = true;
      el('code-form').hidden = true;
      el('document').hidden = true;
    }
  }
  function post(path, payload) {
    return fetch('/s/' + match[1] + path, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, body: body }; });
    });
  }

  if (!match || !secret) {
    showError('This link is incomplete. Open it again from the message you received, or ask the sender to send it again.');
    return;
  }
  el('start').hidden = false;

  el('start-button').addEventListener('click', function () {
    clearError();
    el('start-button').disabled = true;
    status('Checking the link…');
    post('/verify-start', { secret: secret }).then(function (r) {
      el('start-button').disabled = false;
      status('');
      if (!r.ok) {
        fail(r.body);
        return;
      }
      el('start').hidden = true;
      el('code-help').textContent = r.body.channel === 'phone'
        ? 'Enter the code the person who sent you this link gave you by phone.'
        : 'We sent a one-time code to your email address. It expires in 10 minutes.';
      linkFacts(r.body);
      el('code-form').hidden = false;
      el('code').focus();
    }, function () {
      el('start-button').disabled = false;
      showError('We could not reach the server. Check your connection and try again.');
    });
  });

  el('code-form').addEventListener('submit', function (event) {
    event.preventDefault();
    clearError();
    var code = el('code').value.replace(/\s+/g, '');
    if (!/^[0-9]{6,8}$/.test(code)) {
      showError('The code is 6 digits. Check it and try again.');
      el('code').focus();
      return;
    }
    el('code-submit').disabled = true;
    post('/verify', { secret: secret, code: code }).then(function (r) {
      el('code-submit').disabled = false;
      if (!r.ok) {
        el('code').value = '';
        el('code').setAttribute('aria-invalid', 'true');
        if (r.body && r.body.error === 'link.code_invalid' && attemptsLeft !== null && attemptsLeft > 0) {
          attemptsLeft -= 1;
          el('link-facts').textContent = el('link-facts').textContent.replace(/You have .*$/, triesText());
        }
        fail(r.body);
        return;
      }
      secret = '';
      el('code-form').hidden = true;
      showDocument();
    }, function () {
      el('code-submit').disabled = false;
      showError('We could not reach the server. Check your connection and try again.');
    });
  });

  function showDocument() {
    fetch('/s/' + match[1] + '/document', { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) {
        fail(r.body);
        return;
      }
      el('intro').hidden = true;
      el('document').hidden = false;
      if (r.body.mode === 'download') {
        el('document-help').textContent = 'Your document is ready. You can download it once with this code.';
        el('download').href = '/s/' + match[1] + '/download';
        el('download-wrap').hidden = false;
        return;
      }
      if (!r.body.viewable) {
        el('document-help').textContent = 'This kind of document cannot be shown in the browser. Ask the sender to share it for download.';
        return;
      }
      el('document-help').textContent = 'This document is for viewing only. It is marked with your name and the time.';
      var pages = el('pages');
      for (var i = 1; i <= r.body.pages; i++) {
        var img = document.createElement('img');
        img.src = '/s/' + match[1] + '/pages/' + i;
        img.alt = 'Page ' + i + ' of ' + r.body.pages + ' of the shared document';
        img.draggable = false;
        img.addEventListener('contextmenu', function (e) { e.preventDefault(); });
        pages.appendChild(img);
      }
    }, function () {
      showError('We could not reach the server. Check your connection and try again.');
    });
  }
}());
