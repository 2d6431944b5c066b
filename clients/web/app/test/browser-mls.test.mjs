// The browser device's MLS pieces (src/mls): uncompressed P-384 key packages, the Wardline authentication service
// (refuses credentials that do not name a device, or an X.509 chain not issued by Wardline's CA), and group state
// sealed under a non-extractable AES-GCM key (refused when edited by hand or moved, a full quota said in words).
import "reflect-metadata"; // @peculiar/x509 needs it, as src/main.js
import { test } from "node:test";
import assert from "node:assert/strict";
import * as x509 from "@peculiar/x509";
import {
  createCommit, createGroup, emptyPskIndex, encodeGroupState, decodeGroupState,
  getCiphersuiteFromName, getCiphersuiteImpl, joinGroup, generateKeyPackage, defaultCapabilities, defaultLifetime,
} from "ts-mls";
import { newKeyPackage, newSigningKeys, SUITE_NAME } from "../src/mls/deviceKeyPackage.js";
import { deviceUriOf, wardlineAuthenticationService, wardlineClientConfig } from "../src/mls/authenticationService.js";
import { newVaultKey, openVault, StateTamperedError, StorageFullError } from "../src/mls/stateVault.js";

x509.cryptoProvider.set(globalThis.crypto);
const cs = await getCiphersuiteImpl(getCiphersuiteFromName(SUITE_NAME));
const device = (n) => `urn:wardline:user:00000000-0000-4000-8000-00000000000${n}:device:10000000-0000-4000-8000-00000000000${n}`;
const P384 = { name: "ECDSA", namedCurve: "P-384", hash: "SHA-384" };

async function ca(name) {
  const keys = await crypto.subtle.generateKey(P384, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01", name: `CN=${name}`, keys, signingAlgorithm: P384,
    notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000),
    extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
  });
  return { keys, cert };
}

/** A device certificate for the MLS key {@code publicKey} (raw uncompressed P-384), issued by {@code issuer}. */
async function deviceCertificate(issuer, uri, publicKey) {
  const spki = await crypto.subtle.importKey("raw", publicKey, { name: "ECDSA", namedCurve: "P-384" }, true, ["verify"]);
  return x509.X509CertificateGenerator.create({
    serialNumber: "02", subject: "CN=device", issuer: issuer.cert.subject, publicKey: spki,
    signingKey: issuer.keys.privateKey, signingAlgorithm: P384,
    notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000),
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: "url", value: uri }])],
  });
}

test("a browser device's key package carries an uncompressed P-384 signature key and its device URI", async () => {
  const keys = newSigningKeys();
  assert.equal(keys.publicKey.length, 97);
  assert.equal(keys.publicKey[0], 0x04);
  const kp = await newKeyPackage(device(1), keys, cs);
  assert.deepEqual(kp.publicPackage.leafNode.signaturePublicKey, keys.publicKey);
  assert.equal(deviceUriOf(kp.publicPackage.leafNode.credential), device(1));
});

test("the authentication service accepts a device's basic credential and refuses any other name", async () => {
  const { cert } = await ca("Wardline Root CA");
  const as = wardlineAuthenticationService({ rootCertificates: [cert.toString("pem")] });
  const basic = (s) => ({ credentialType: "basic", identity: new TextEncoder().encode(s) });
  assert.equal(await as.validateCredential(basic(device(1)), new Uint8Array(97)), true);
  assert.equal(await as.validateCredential(basic("mallory"), new Uint8Array(97)), false);
  assert.equal(await as.validateCredential(basic(device(1).toUpperCase()), new Uint8Array(97)), false, "not canonical");
  assert.equal(await as.validateCredential(basic(device(1) + "\n"), new Uint8Array(97)), false);
  assert.equal(await as.validateCredential({ credentialType: "basic", identity: new Uint8Array([0xff, 0xfe]) }, new Uint8Array(97)), false);
});

test("an X.509 credential passes only when Wardline's CA issued it for that very key", async () => {
  const wardline = await ca("Wardline Root CA");
  const foreign = await ca("Some Other CA");
  const as = wardlineAuthenticationService({ rootCertificates: [wardline.cert.toString("pem")] });
  const keys = newSigningKeys();
  const der = (c) => new Uint8Array(c.rawData);
  const ours = await deviceCertificate(wardline, device(2), keys.publicKey);
  assert.equal(await as.validateCredential({ credentialType: "x509", certificates: [der(ours), der(wardline.cert)] }, keys.publicKey), true);
  const theirs = await deviceCertificate(foreign, device(2), keys.publicKey);
  assert.equal(await as.validateCredential({ credentialType: "x509", certificates: [der(theirs), der(foreign.cert)] }, keys.publicKey), false,
    "a chain not issued by Wardline's CA");
  assert.equal(await as.validateCredential({ credentialType: "x509", certificates: [der(theirs), der(wardline.cert)] }, keys.publicKey), false,
    "a foreign leaf presented with Wardline's root");
  assert.equal(await as.validateCredential({ credentialType: "x509", certificates: [der(ours)] }, newSigningKeys().publicKey), false,
    "a certificate for another key");
  const notADevice = await deviceCertificate(wardline, "https://example.org/", keys.publicKey);
  assert.equal(await as.validateCredential({ credentialType: "x509", certificates: [der(notADevice)] }, keys.publicKey), false);
});

test("a member joining through ts-mls refuses a group holding a credential that names no device", async () => {
  const { cert } = await ca("Wardline Root CA");
  const clientConfig = wardlineClientConfig({ rootCertificates: [cert.toString("pem")] });
  const mallory = await generateKeyPackage({ credentialType: "basic", identity: new TextEncoder().encode("mallory") },
    defaultCapabilities(), defaultLifetime, [], cs);
  const browser = await newKeyPackage(device(3), newSigningKeys(), cs);
  const group = await createGroup(new TextEncoder().encode("ward-7"), mallory.publicPackage, mallory.privatePackage, [], cs);
  const added = await createCommit({ state: group, cipherSuite: cs }, {
    ratchetTreeExtension: true, extraProposals: [{ proposalType: "add", add: { keyPackage: browser.publicPackage } }],
  });
  await assert.rejects(joinGroup(added.welcome, browser.publicPackage, browser.privatePackage, emptyPskIndex, cs, undefined, undefined, clientConfig));
  const trusting = await joinGroup(added.welcome, browser.publicPackage, browser.privatePackage, emptyPskIndex, cs);
  assert.equal(trusting.groupContext.epoch, 1n, "ts-mls's default service would have let it in");
});

function memoryStore() {
  const map = new Map();
  return { map, get: async (k) => map.get(k), put: async (k, v) => { map.set(k, v); }, delete: async (k) => { map.delete(k); } };
}

test("group state is sealed under a non-extractable key and restored exactly", async () => {
  const key = await newVaultKey();
  assert.equal(key.extractable, false);
  await assert.rejects(crypto.subtle.exportKey("raw", key));

  const a = await newKeyPackage(device(4), newSigningKeys(), cs);
  const state = await createGroup(new TextEncoder().encode("ward-8"), a.publicPackage, a.privatePackage, [], cs);
  const store = memoryStore();
  const vault = await openVault(store);
  await vault.save("group", "ward-8", encodeGroupState(state));
  const sealed = store.map.get("group/ward-8");
  const plain = encodeGroupState(state);
  assert.ok(!Buffer.from(sealed.data).includes(Buffer.from(plain.subarray(0, 64))), "the store holds no plaintext");
  const again = await openVault(store);
  const [restored] = decodeGroupState(await again.load("group", "ward-8"), 0);
  assert.equal(restored.groupContext.epoch, state.groupContext.epoch);
  assert.deepEqual(encodeGroupState(restored), plain);
  assert.equal(await again.load("group", "never-saved"), null);
});

test("a sealed record edited by hand, truncated or moved onto another conversation is refused in words", async () => {
  const store = memoryStore();
  const vault = await openVault(store);
  await vault.save("group", "ward-8", new TextEncoder().encode("state bytes"));
  const good = store.map.get("group/ward-8");

  store.map.set("group/ward-8", { ...good, data: good.data.map((b, i) => (i === 3 ? b ^ 1 : b)) });
  await assert.rejects(vault.load("group", "ward-8"), (e) => e instanceof StateTamperedError && /changed or damaged/.test(e.message));
  store.map.set("group/ward-8", { ...good, data: good.data.subarray(0, good.data.length - 1) });
  await assert.rejects(vault.load("group", "ward-8"), StateTamperedError);
  store.map.set("group/ward-9", good);
  await assert.rejects(vault.load("group", "ward-9"), StateTamperedError, "bound to its name");
  store.map.set("group/ward-8", { v: 1, iv: "AAAA", data: "x" });
  await assert.rejects(vault.load("group", "ward-8"), StateTamperedError);
});

test("a full storage quota is a clear error, not a silent loss", async () => {
  const store = memoryStore();
  const vault = await openVault(store);
  store.put = async () => { throw Object.assign(new Error("quota"), { name: "QuotaExceededError" }); };
  await assert.rejects(vault.save("group", "ward-8", new Uint8Array(10)), (e) => e instanceof StorageFullError && /no room left/.test(e.message));
});

test("key packages to publish share the device's sealed signing key and keep their private halves sealed", async () => {
  const { keyPackageUpload, signingKeys } = await import("../src/mls/keyPackages.js");
  const { decode, Tag, Type } = await import("../src/messaging/frames.js");
  const { decodeMlsMessage } = await import("ts-mls");
  const store = memoryStore();
  const vault = await openVault(store);
  const upload = decode((await import("../src/messaging/frames.js")).encode(await keyPackageUpload(vault, device(5), 3, 2)));
  assert.equal(upload.type, Type.UPLOAD_KEY_PACKAGES);
  assert.equal(upload.u64(Tag.REPLACE), 1n, "earlier unclaimed packages replaced");
  const keys = await signingKeys(vault);
  const packages = upload.all(Tag.KEY_PACKAGE).map((bytes) => decodeMlsMessage(bytes, 0)[0].keyPackage);
  assert.equal(packages.length, 3);
  for (const kp of packages) {
    assert.deepEqual(kp.leafNode.signaturePublicKey, keys.publicKey);
    assert.equal(deviceUriOf(kp.leafNode.credential), device(5));
  }
  const sealed = [...store.map.keys()].filter((k) => k.startsWith("key-package/"));
  assert.equal(sealed.length, 3);
  assert.deepEqual(await signingKeys(await openVault(store)), keys, "the same key after a reload");
});
