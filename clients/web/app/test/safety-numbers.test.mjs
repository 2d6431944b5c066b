// Safety numbers (src/mls/safetyNumbers.js): the Java SDK's arithmetic, the same from either side, and a change of
// a member's signature key changes the number. WebAppConversationBrowserTest compares it with a Java client's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { digits, fingerprint, safetyNumber } from "../src/mls/safetyNumbers.js";

const alice = { device: "urn:wardline:user:11111111-1111-1111-1111-111111111111:device:22222222-2222-2222-2222-222222222222",
  signatureKey: new Uint8Array(97).fill(4) };
const bob = { device: "urn:wardline:user:33333333-3333-3333-3333-333333333333:device:44444444-4444-4444-4444-444444444444",
  signatureKey: new Uint8Array(97).fill(7) };

test("the fingerprint is SHA-256 iterated 5,200 times over (version, identity length, identity, key), then the key", async () => {
  const identity = new TextEncoder().encode(alice.device);
  let hash = Buffer.concat([Buffer.from([0, 1]), Buffer.from([0, 0, 0, identity.length]), identity, alice.signatureKey]);
  for (let i = 0; i < 5200; i++) hash = createHash("sha256").update(hash).update(alice.signatureKey).digest();
  assert.deepEqual(await fingerprint(identity, alice.signatureKey), new Uint8Array(hash));
});

test("digits are six groups of five, each five bytes taken mod 100000", () => {
  const fp = new Uint8Array(32);
  fp.set([0, 0, 0, 0x30, 0x39], 0); // 12345
  fp.set([0xff, 0xff, 0xff, 0xff, 0xff], 5); // 2^40 - 1 = 1099511627775 → 27775
  assert.equal(digits(fp), "12345 27775 00000 00000 00000 00000");
});

test("both sides read the same 60 digits; another key gives another number", async () => {
  const ab = await safetyNumber(alice, bob);
  assert.match(ab, /^(\d{5} ){11}\d{5}$/);
  assert.equal(await safetyNumber(bob, alice), ab);
  const bobNewKey = { ...bob, signatureKey: new Uint8Array(97).fill(8) };
  assert.notEqual(await safetyNumber(alice, bobNewKey), ab);
});
