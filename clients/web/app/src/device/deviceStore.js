// This browser's device: its non-extractable ECDSA P-256 key pair and what the server said at enrollment, kept in
// IndexedDB (a CryptoKey is stored as itself; its private half can be used, never read).
const DB = "wardline";
const STORE = "device";
const KEY = "this-device";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run(mode, action) {
  return open().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = action(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(request.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
    tx.onabort = () => { db.close(); reject(tx.error ?? new Error("storage refused")); };
  }));
}

/** A new key pair whose private key cannot be exported, and its public key as a JWK. */
export async function newDeviceKeys() {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const publicJwk = await crypto.subtle.exportKey("jwk", keys.publicKey);
  return { keys, publicJwk };
}

/** @returns {Promise<null | {privateKey: CryptoKey, publicKey: CryptoKey, publicJwk: JsonWebKey, deviceId: string, userId: string, name: string}>} */
export async function loadDevice() {
  return (await run("readonly", (store) => store.get(KEY))) ?? null;
}

export async function saveDevice(device) {
  await run("readwrite", (store) => store.put(device, KEY));
}

export async function forgetDevice() {
  await run("readwrite", (store) => store.delete(KEY));
}
