// Whether this browser can be a Wardline device: a non-extractable ECDSA P-256 key from WebCrypto, kept in
// IndexedDB. Answers with the reason a person can act on when it cannot.

/** @returns {Promise<{ok: true} | {ok: false, reason: string}>} */
export async function checkDeviceSupport(scope) {
  if (!scope.isSecureContext) {
    return { ok: false, reason: "This page was not opened over HTTPS, so the browser will not keep a device key. Open Wardline from its https:// address." };
  }
  if (!scope.crypto?.subtle) {
    return { ok: false, reason: "This browser has no Web Cryptography support. Use a current Chrome, Edge, Firefox or Safari." };
  }
  if (!scope.indexedDB) {
    return { ok: false, reason: "This browser does not allow site storage (private browsing, or storage blocked by policy). Wardline needs it to keep this device's key." };
  }
  try {
    const pair = await scope.crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    if (pair.privateKey.extractable) {
      return { ok: false, reason: "This browser cannot keep a key that stays on the device." };
    }
  } catch {
    return { ok: false, reason: "This browser cannot create the signing key Wardline needs (ECDSA P-256)." };
  }
  return { ok: true };
}
