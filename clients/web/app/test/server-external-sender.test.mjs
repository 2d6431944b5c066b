// The one credential in a Wardline group that names no device: the server's external sender, which signs Remove
// proposals for wiped devices. The authentication service accepts it only with the pinned server key, so a group
// that lists another "server" cannot be created or joined from this browser.
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import * as x509 from "@peculiar/x509";
import { createGroup, encodeExternalSenders, getCiphersuiteFromName, getCiphersuiteImpl } from "ts-mls";
import { newKeyPackage, newSigningKeys, SUITE_NAME } from "../src/mls/deviceKeyPackage.js";
import { SERVER_IDENTITY, wardlineAuthenticationService, wardlineClientConfig } from "../src/mls/authenticationService.js";

x509.cryptoProvider.set(globalThis.crypto);
const cs = await getCiphersuiteImpl(getCiphersuiteFromName(SUITE_NAME));
const me = "urn:wardline:user:00000000-0000-4000-8000-000000000001:device:10000000-0000-4000-8000-000000000001";
const P384 = { name: "ECDSA", namedCurve: "P-384", hash: "SHA-384" };
const server = (key) => ({ signaturePublicKey: key, credential: { credentialType: "basic", identity: new TextEncoder().encode(SERVER_IDENTITY) } });

async function rootPem() {
  const keys = await crypto.subtle.generateKey(P384, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01", name: "CN=Wardline Root CA", keys, signingAlgorithm: P384,
    notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000),
    extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
  });
  return cert.toString("pem");
}

test("the server's credential is accepted with the pinned key only, and never without a pin", async () => {
  const pinned = newSigningKeys().publicKey;
  const other = newSigningKeys().publicKey;
  const root = await rootPem();
  const as = wardlineAuthenticationService({ rootCertificates: [root], serverKey: () => pinned });
  const credential = server(pinned).credential;
  assert.equal(await as.validateCredential(credential, pinned), true);
  assert.equal(await as.validateCredential(credential, other), false, "another key under the server's name");
  assert.equal(await wardlineAuthenticationService({ rootCertificates: [root] }).validateCredential(credential, pinned), false,
    "no pin, no server");
  const misnamed = { credentialType: "basic", identity: new TextEncoder().encode(`${SERVER_IDENTITY}x`) };
  assert.equal(await as.validateCredential(misnamed, pinned), false);
});

test("a group listing the pinned server as external sender is created; one listing another key is refused", async () => {
  const root = await rootPem();
  const pinned = newSigningKeys().publicKey;
  const config = wardlineClientConfig({ rootCertificates: [root], serverKey: () => pinned });
  const kp = await newKeyPackage(me, newSigningKeys(), cs);
  const extensions = (key) => [{ extensionType: "external_senders", extensionData: encodeExternalSenders([server(key)]) }];
  const state = await createGroup(new Uint8Array(16).fill(1), kp.publicPackage, kp.privatePackage, extensions(pinned), cs, config);
  assert.equal(state.groupContext.epoch, 0n);
  await assert.rejects(createGroup(new Uint8Array(16).fill(2), kp.publicPackage, kp.privatePackage,
    extensions(newSigningKeys().publicKey), cs, config), /external credential/);
});

test("without a copy of the root CA certificate there is no authentication service (messaging does not start)", () => {
  for (const roots of [[], [undefined], [""], ["not a certificate"]]) {
    assert.throws(() => wardlineAuthenticationService({ rootCertificates: roots }), /root CA certificate/);
  }
});
