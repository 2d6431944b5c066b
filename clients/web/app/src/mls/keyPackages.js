// This browser's MLS key packages: made with the device's P-384 signing key (kept, with each package's private keys,
// only in the sealed vault) and uploaded on the messaging socket so colleagues' devices can add this one.
import { decodeMlsMessage, encodeMlsMessage, getCiphersuiteFromName, getCiphersuiteImpl } from "ts-mls";
import { makeKeyPackageRef } from "ts-mls/keyPackage.js";
import { newKeyPackage, newSigningKeys, SUITE_NAME } from "./deviceKeyPackage.js";
import { frame, Tag, Type } from "../messaging/frames.js";

export const b64 = (bytes) => { let s = ""; for (const b of bytes) s += String.fromCharCode(b); return btoa(s); };
export const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

let suite;
export function cipherSuite() {
  suite ??= getCiphersuiteImpl(getCiphersuiteFromName(SUITE_NAME));
  return suite;
}

/** The device's MLS signing keys from the vault, made and sealed there the first time. */
export async function signingKeys(vault) {
  const saved = await vault.load("identity", "signing");
  if (saved) {
    const json = JSON.parse(new TextDecoder().decode(saved));
    return { signKey: unb64(json.signKey), publicKey: unb64(json.publicKey) };
  }
  const keys = newSigningKeys();
  await vault.save("identity", "signing", new TextEncoder().encode(JSON.stringify({ signKey: b64(keys.signKey), publicKey: b64(keys.publicKey) })));
  return keys;
}

/**
 * {@code count} new key packages for {@code deviceUri}, each sealed in the vault with its private halves under its
 * KeyPackageRef (RFC 9420 §5.2, what a Welcome names its new member by), and the UPLOAD_KEY_PACKAGES frame that
 * publishes them.
 */
export async function keyPackageUpload(vault, deviceUri, count, requestId, now = Date.now()) {
  const cs = await cipherSuite();
  const keys = await signingKeys(vault);
  const index = await keyPackageIndex(vault);
  // REPLACE: the server drops this device's earlier unclaimed one-time packages, so reloads do not pile them up
  // (a claimed one is no longer there, and its private half stays sealed here for the Welcome that follows).
  const upload = frame(Type.UPLOAD_KEY_PACKAGES, requestId).with(Tag.REPLACE, 1n);
  const fresh = [];
  for (let i = 0; i < count; i++) {
    const kp = await newKeyPackage(deviceUri, keys, cs);
    const encoded = encodeMlsMessage({ version: "mls10", wireformat: "mls_key_package", keyPackage: kp.publicPackage });
    const name = hex(await makeKeyPackageRef(kp.publicPackage, cs.hash));
    const priv = kp.privatePackage;
    await vault.save("key-package", name, new TextEncoder().encode(JSON.stringify({
      keyPackage: b64(encoded), initPrivateKey: b64(priv.initPrivateKey), hpkePrivateKey: b64(priv.hpkePrivateKey), signaturePrivateKey: b64(priv.signaturePrivateKey),
    })));
    upload.with(Tag.KEY_PACKAGE, encoded);
    fresh.push({ ref: name, uploadedAt: now });
  }
  for (const e of index) e.replacedAt ??= now; // REPLACE: from this upload on, the server hands out only the new ones
  await vault.save("key-packages", "index", new TextEncoder().encode(JSON.stringify([...index, ...fresh])));
  return upload;
}

/**
 * How long after a REPLACE a package claimed just before it may still be named by a Welcome: a colleague's client
 * claims and commits at once (MessagingClient.invite), so an hour is ample.
 */
export const CLAIM_WINDOW_MS = 60 * 60 * 1000;

async function keyPackageIndex(vault) {
  const saved = await vault.load("key-packages", "index");
  return saved ? JSON.parse(new TextDecoder().decode(saved)) : [];
}

/**
 * Deletes the private halves of key packages no Welcome can name any more: replaced on the server more than
 * {@link CLAIM_WINDOW_MS} ago, while nothing waits in this device's inbox (so a Welcome for one of them, had it been
 * committed, would have been delivered and used already). Call it only when the server said nothing is pending.
 * Resolves with how many were deleted.
 */
export async function pruneKeyPackages(vault, now = Date.now()) {
  const index = await keyPackageIndex(vault);
  const spent = index.filter((e) => e.replacedAt !== undefined && now - e.replacedAt >= CLAIM_WINDOW_MS);
  if (spent.length === 0) return 0;
  for (const e of spent) await vault.remove("key-package", e.ref);
  const kept = index.filter((e) => !spent.includes(e));
  await vault.save("key-packages", "index", new TextEncoder().encode(JSON.stringify(kept)));
  return spent.length;
}

/** The key package (and its private halves) a Welcome names by one of its KeyPackageRefs, or null when none is ours. */
export async function keyPackageFor(vault, welcome) {
  for (const secret of welcome.secrets) {
    const saved = await vault.load("key-package", hex(secret.newMember));
    if (!saved) continue;
    const json = JSON.parse(new TextDecoder().decode(saved));
    if (!json.keyPackage) continue;
    const [message] = decodeMlsMessage(unb64(json.keyPackage), 0);
    return {
      ref: hex(secret.newMember),
      publicPackage: message.keyPackage,
      privatePackage: { initPrivateKey: unb64(json.initPrivateKey), hpkePrivateKey: unb64(json.hpkePrivateKey), signaturePrivateKey: unb64(json.signaturePrivateKey) },
    };
  }
  return null;
}
