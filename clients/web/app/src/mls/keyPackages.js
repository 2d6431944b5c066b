// This browser's MLS key packages: made with the device's P-384 signing key (kept, with each package's private keys,
// only in the sealed vault) and uploaded on the messaging socket so colleagues' devices can add this one.
import { encodeMlsMessage, getCiphersuiteFromName, getCiphersuiteImpl } from "ts-mls";
import { newKeyPackage, newSigningKeys, SUITE_NAME } from "./deviceKeyPackage.js";
import { frame, Tag, Type } from "../messaging/frames.js";

const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

let suite;
function cipherSuite() {
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
 * {@code count} new key packages for {@code deviceUri}, their private halves sealed in the vault (under the SHA-256
 * of the package), and the UPLOAD_KEY_PACKAGES frame that publishes them.
 */
export async function keyPackageUpload(vault, deviceUri, count, requestId) {
  const cs = await cipherSuite();
  const keys = await signingKeys(vault);
  // REPLACE: the server drops this device's earlier unclaimed one-time packages, so reloads do not pile them up
  // (a claimed one is no longer there, and its private half stays sealed here for the Welcome that follows).
  const upload = frame(Type.UPLOAD_KEY_PACKAGES, requestId).with(Tag.REPLACE, 1n);
  for (let i = 0; i < count; i++) {
    const kp = await newKeyPackage(deviceUri, keys, cs);
    const encoded = encodeMlsMessage({ version: "mls10", wireformat: "mls_key_package", keyPackage: kp.publicPackage });
    const name = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", encoded)), (b) => b.toString(16).padStart(2, "0")).join("");
    const priv = kp.privatePackage;
    await vault.save("key-package", name, new TextEncoder().encode(JSON.stringify({
      initPrivateKey: b64(priv.initPrivateKey), hpkePrivateKey: b64(priv.hpkePrivateKey), signaturePrivateKey: b64(priv.signaturePrivateKey),
    })));
    upload.with(Tag.KEY_PACKAGE, encoded);
  }
  return upload;
}
