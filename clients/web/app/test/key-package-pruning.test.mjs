// Key packages' private halves do not pile up in IndexedDB (src/mls/keyPackages.js): every connection publishes new
// ones with REPLACE, and those replaced more than the claim window ago are deleted once nothing waits in the inbox;
// the current ones, and ones replaced too recently for a Welcome to be ruled out, stay.
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { CLAIM_WINDOW_MS, keyPackageUpload, pruneKeyPackages } from "../src/mls/keyPackages.js";
import { openVault } from "../src/mls/stateVault.js";
import { Tag } from "../src/messaging/frames.js";
import { hex } from "../src/mls/keyPackages.js";
import { makeKeyPackageRef } from "ts-mls/keyPackage.js";
import { decodeMlsMessage } from "ts-mls";
import { cipherSuite } from "../src/mls/keyPackages.js";

const device = "urn:wardline:user:00000000-0000-4000-8000-000000000009:device:10000000-0000-4000-8000-000000000009";

function memoryStore() {
  const map = new Map();
  return { map, get: async (k) => map.get(k), put: async (k, v) => { map.set(k, v); }, delete: async (k) => { map.delete(k); } };
}

async function refsOf(upload) {
  const cs = await cipherSuite();
  return Promise.all(upload.all(Tag.KEY_PACKAGE).map(async (kp) => hex(await makeKeyPackageRef(decodeMlsMessage(kp, 0)[0].keyPackage, cs.hash))));
}

test("packages replaced more than the claim window ago are pruned; the newest and the recently replaced stay", async () => {
  const store = memoryStore();
  const vault = await openVault(store);
  const t0 = 1_000_000_000_000;
  const first = await refsOf(await keyPackageUpload(vault, device, 3, 1, t0));
  const second = await refsOf(await keyPackageUpload(vault, device, 3, 2, t0 + 10_000));
  for (const ref of [...first, ...second]) assert.ok(await vault.load("key-package", ref), "sealed before upload");

  assert.equal(await pruneKeyPackages(vault, t0 + 10_000 + CLAIM_WINDOW_MS - 1), 0, "a Welcome may still name them");
  for (const ref of first) assert.ok(await vault.load("key-package", ref));

  const third = await refsOf(await keyPackageUpload(vault, device, 3, 3, t0 + 20_000));
  assert.equal(await pruneKeyPackages(vault, t0 + 10_000 + CLAIM_WINDOW_MS), 3, "only the first upload's are spent");
  for (const ref of first) assert.equal(await vault.load("key-package", ref), null);
  for (const ref of [...second, ...third]) assert.ok(await vault.load("key-package", ref));

  assert.equal(await pruneKeyPackages(vault, t0 + 20_000 + CLAIM_WINDOW_MS), 3, "then the second's");
  for (const ref of third) assert.ok(await vault.load("key-package", ref), "the current packages are never pruned");
  assert.equal(await pruneKeyPackages(vault, t0 + 100 * CLAIM_WINDOW_MS), 0);
  assert.equal(store.map.size, 1 + 1 + 1 + 3, "vault key, signing identity, index and the three current packages");
});
