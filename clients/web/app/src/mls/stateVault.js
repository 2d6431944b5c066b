// MLS group state and message history at rest: sealed with AES-256-GCM under a non-extractable WebCrypto key, each
// record bound (as additional data) to its kind and name, so a record edited by hand, truncated or moved onto another
// conversation's name fails to open instead of being used. The storage (IndexedDB in the app) only ever sees
// ciphertext.

export class StateTamperedError extends Error {
  constructor() {
    super("This conversation's saved state on this device was changed or damaged, so it was not used. "
      + "Nothing was decrypted from it; rejoin the conversation from another of your devices or ask a member to re-add this one.");
    this.name = "StateTamperedError";
    this.code = "state.tampered";
  }
}

export class StorageFullError extends Error {
  constructor() {
    super("This browser has no room left for Wardline's conversation state. Nothing was lost on the server: "
      + "free some space (or close other sites' storage), then reload to catch up.");
    this.name = "StorageFullError";
    this.code = "storage.full";
  }
}

const VERSION = 1;

/** A new vault key: AES-GCM 256, never exportable. */
export function newVaultKey(subtle = crypto.subtle) {
  return subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

function additionalData(kind, name) {
  return new TextEncoder().encode(`wardline-state/v${VERSION}\u0000${kind}\u0000${name}`);
}

/** @returns {Promise<{v: number, iv: Uint8Array, data: Uint8Array}>} */
export async function seal(key, kind, name, plaintext) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: additionalData(kind, name) }, key, plaintext));
  return { v: VERSION, iv, data };
}

/** The plaintext of a sealed record; a {@link StateTamperedError} when it is not exactly what was sealed for this kind and name. */
export async function open(key, kind, name, record) {
  if (!record || record.v !== VERSION || !(record.iv instanceof Uint8Array) || record.iv.length !== 12 || !(record.data instanceof Uint8Array)) {
    throw new StateTamperedError();
  }
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv, additionalData: additionalData(kind, name) }, key, record.data));
  } catch {
    throw new StateTamperedError();
  }
}

/**
 * A vault over a key-value store with async get/put/delete ({@link indexedDbStore} in the app, a Map in tests).
 * The vault key is kept in the store too: a CryptoKey is stored as itself, its bytes never readable.
 */
export async function openVault(store) {
  let key = await store.get("vault-key");
  if (!key) {
    key = await newVaultKey();
    await store.put("vault-key", key);
  }
  return {
    async save(kind, name, bytes) {
      await this.saveAll([[kind, name, bytes]]);
    },
    /** Seals and writes every [kind, name, bytes] at once: all of them are kept, or none is (one IndexedDB transaction). */
    async saveAll(entries) {
      const records = [];
      for (const [kind, name, bytes] of entries) records.push([`${kind}/${name}`, await seal(key, kind, name, bytes)]);
      try {
        if (store.putAll) await store.putAll(records);
        else for (const [k, v] of records) await store.put(k, v);
      } catch (e) {
        if (e?.name === "QuotaExceededError" || e?.inner?.name === "QuotaExceededError") throw new StorageFullError();
        throw e;
      }
    },
    /** The saved bytes, or null when nothing was saved under that name. */
    async load(kind, name) {
      const record = await store.get(`${kind}/${name}`);
      return record === undefined ? null : open(key, kind, name, record);
    },
    async remove(kind, name) {
      await store.delete(`${kind}/${name}`);
    },
  };
}

/** The app's store: one IndexedDB object store, destroyed as a whole by a remote wipe ({@link destroyIndexedDbStore}). */
export function indexedDbStore(dbName = "wardline-mls") {
  const openDb = () => new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore("records");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const run = (mode, action) => openDb().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction("records", mode);
    const request = action(tx.objectStore("records"));
    tx.oncomplete = () => { db.close(); resolve(request.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
    tx.onabort = () => { db.close(); reject(tx.error ?? new Error("storage refused")); };
  }));
  return {
    get: (k) => run("readonly", (s) => s.get(k)),
    put: (k, v) => run("readwrite", (s) => s.put(v, k)),
    putAll: (records) => run("readwrite", (s) => {
      let last;
      for (const [k, v] of records) last = s.put(v, k);
      return last;
    }),
    delete: (k) => run("readwrite", (s) => s.delete(k)),
  };
}

export function destroyIndexedDbStore(dbName = "wardline-mls") {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(dbName);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("close Wardline's other tabs to finish the wipe"));
  });
}
