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
  function getJson(path) {
    return fetch('/s/' + match[1] + path, { credentials: 'same-origin', cache: 'no-store' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, body: body }; });
    });
  }
  function post(path, payload) {
    return fetch('/s/' + match[1] + path, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, body: body }; });
    });
  }

  // The organisation running this server (branding.* in its configuration): the same for every link.
  var organisation = '';
  fetch('/share-assets/branding.json', { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : {}; })
    .then(function (b) {
      if (b.organisation) {
        el('brand-name').textContent = b.organisation;
        document.title = 'A document shared with you — ' + b.organisation;
      }
      if (b.logo) {
        el('brand-logo').src = '/share-assets/logo';
        el('brand-logo').alt = b.organisation ? b.organisation + ' logo' : 'Logo of the sender\'s organisation';
        el('brand-logo').hidden = false;
      }
      el('brand').hidden = !b.organisation && !b.logo;
      if (b.contact) {
        el('contact').textContent = b.contact;
        el('contact').hidden = false;
      }
      organisation = b.organisation || '';
    }, function () { /* the page works without branding */ });

  if (!match) {
    showError('This link is incomplete. Open it again from the message you received, or ask the sender to send it again.');
    return;
  }
  // A reload keeps a verified session (an HttpOnly cookie for this link only): ask for the document first.
  status('Opening…');
  getJson('/document').then(function (r) {
    status('');
    if (r.ok) {
      showDocument(r.body);
      return;
    }
    if (r.body && /^link\.(expired|revoked|exhausted|locked)$/.test(r.body.error || '')) {
      fail(r.body);
      return;
    }
    if (!secret) {
      showError('To see the document, open the link again from the message you received. '
        + 'For your privacy this page forgets the link when it is reloaded, and a viewing session ends after 15 minutes.');
      return;
    }
    el('start').hidden = false;
  }, function () {
    status('');
    showError('We could not reach the server. Check your connection and reload the page.');
  });

  function showSender(body) {
    if (!body.sender && !organisation) {
      return;
    }
    el('sender').textContent = (body.sender || 'Your care team') + (organisation ? ' at ' + organisation : '')
      + ' shared this document with you.';
    el('sender').hidden = false;
  }

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
      el('resend').hidden = r.body.channel === 'phone';
      showSender(r.body);
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
      getJson('/document').then(function (d) {
        if (!d.ok) {
          fail(d.body);
          return;
        }
        showDocument(d.body);
      }, function () {
        showError('We could not reach the server. Check your connection and reload the page.');
      });
    }, function () {
      el('code-submit').disabled = false;
      showError('We could not reach the server. Check your connection and try again.');
    });
  });

  el('resend').addEventListener('click', function () {
    clearError();
    el('resend').disabled = true;
    post('/verify-start', { secret: secret, resend: true }).then(function (r) {
      el('resend').disabled = false;
      if (!r.ok) {
        fail(r.body);
        return;
      }
      linkFacts(r.body);
      el('code').value = '';
      el('code').removeAttribute('aria-invalid');
      status('We sent you a new code. The code we sent before no longer works.');
      el('code').focus();
    }, function () {
      el('resend').disabled = false;
      showError('We could not reach the server. Check your connection and try again.');
    });
  });

  function pageFigure(n, total) {
    var figure = document.createElement('figure');
    figure.className = 'page';
    var img = document.createElement('img');
    img.src = '/s/' + match[1] + '/pages/' + n;
    img.alt = 'Page ' + n + ' of ' + total + ' of the shared document; its text follows the image';
    img.draggable = false;
    img.addEventListener('contextmenu', function (e) { e.preventDefault(); });
    var text = document.createElement('section');
    text.className = 'page-text';
    var heading = document.createElement('h2');
    heading.id = 'page-text-' + n;
    heading.textContent = 'Text of page ' + n;
    text.setAttribute('aria-labelledby', heading.id);
    var body = document.createElement('pre');
    body.textContent = 'Loading the text of this page…';
    text.appendChild(heading);
    text.appendChild(body);
    var caption = document.createElement('figcaption');
    figure.appendChild(img);
    figure.appendChild(text);
    figure.appendChild(caption);
    getJson('/pages/' + n + '/text').then(function (r) {
      if (!r.ok) {
        body.textContent = 'The text of this page could not be loaded. Reload the page to try again.';
        return;
      }
      body.textContent = r.body.text ? r.body.text
        : 'This page is a picture and has no text. Ask the person who sent it if you need it described.';
      caption.textContent = r.body.watermark;
    }, function () {
      body.textContent = 'The text of this page could not be loaded. Reload the page to try again.';
    });
    return figure;
  }

  function showDocument(doc) {
    status('');
    el('start').hidden = true;
    el('intro').hidden = true;
    el('document').hidden = false;
    if (doc.mode === 'download') {
      el('document-help').textContent = 'Your document is ready. You can download it once with this code.';
      el('download').href = '/s/' + match[1] + '/download';
      el('download-wrap').hidden = false;
      return;
    }
    if (!doc.viewable) {
      el('document-help').textContent = 'This kind of document cannot be shown in the browser. Ask the sender to share it for download.';
      return;
    }
    el('document-help').textContent = 'This document is for viewing only. It is marked with your name and the time. '
      + 'The text of each page is shown with it.';
    var pages = el('pages');
    pages.textContent = '';
    for (var i = 1; i <= doc.pages; i++) {
      pages.appendChild(pageFigure(i, doc.pages));
    }
  }
}());
