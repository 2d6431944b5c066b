// This browser device's MLS signing identity and key packages (suite 0x0007, P-384). ts-mls makes 49-byte compressed
// P-384 keys by default; bcmls writes uncompressed ones, so the key pair is made here, the public key uncompressed
// (97 bytes, 0x04 first), and handed to generateKeyPackageWithKey. The credential is the basic credential naming the
// device URI (ADR 0002). The private keys live only in the encrypted state vault (stateVault.js).
import { p384 } from "@noble/curves/nist.js";
import { defaultCapabilities, defaultLifetime, generateKeyPackageWithKey } from "ts-mls";

export const SUITE_NAME = "MLS_256_DHKEMP384_AES256GCM_SHA384_P384";

/** A new signing key pair for the device, the public key uncompressed. */
export function newSigningKeys() {
  const signKey = p384.utils.randomSecretKey();
  return { signKey, publicKey: p384.getPublicKey(signKey, false) };
}

/** @param {string} deviceUri urn:wardline:user:<uuid>:device:<uuid> */
export function deviceCredential(deviceUri) {
  return { credentialType: "basic", identity: new TextEncoder().encode(deviceUri) };
}

/** A key package of this device, signed by {@code signingKeys}. */
export async function newKeyPackage(deviceUri, signingKeys, cs) {
  return generateKeyPackageWithKey(deviceCredential(deviceUri), defaultCapabilities(), defaultLifetime, [], signingKeys, cs);
}
