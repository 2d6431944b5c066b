// The Wardline authentication service for ts-mls (its default accepts every credential). Wardline's MLS credentials
// are basic credentials naming the member's device URI (docs/adr/0002-mls-credentials.md), which the server binds to
// the device certificate its CA issued when the key package is uploaded (KeyPackageCheck); this checks, as the Java
// SDK's ConversationGroup does, that a leaf names a device in exactly that canonical form. An X.509 credential is
// accepted only when its chain leads to Wardline's root CA, it is valid now, its URI SAN is a device URI and its key
// is the leaf's signature key; every other credential is refused.
import { X509Certificate, SubjectAlternativeNameExtension } from "@peculiar/x509";
import {
  defaultKeyPackageEqualityConfig, defaultKeyRetentionConfig, defaultLifetimeConfig, defaultPaddingConfig,
} from "ts-mls";

const DEVICE_URI = /^urn:wardline:user:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:device:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The device URI a credential names, or null when it names none in canonical form. */
export function deviceUriOf(credential) {
  if (credential?.credentialType !== "basic") return null;
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(credential.identity);
  } catch {
    return null;
  }
  return DEVICE_URI.test(text) ? text : null;
}

/**
 * @param {{rootCertificates: string[], now?: () => Date, serverKey?: () => Uint8Array | null}} trust the Wardline root CA
 *   certificate(s), PEM; and the signature key of the server's pinned external sender, the one credential that names
 *   no device (it signs the Remove proposals for wiped devices, docs/adr/0006-remote-wipe.md)
 * @returns {import("ts-mls").AuthenticationService}
 */
export function wardlineAuthenticationService(trust) {
  if (trust.rootCertificates.length === 0 || trust.rootCertificates.some((pem) => typeof pem !== "string" || !pem.includes("BEGIN CERTIFICATE"))) {
    throw new Error("this browser has no copy of Wardline's root CA certificate, so it cannot check colleagues' keys");
  }
  const roots = trust.rootCertificates.map((pem) => new X509Certificate(pem));
  const now = trust.now ?? (() => new Date());
  return {
    async validateCredential(credential, signaturePublicKey) {
      if (credential?.credentialType === "basic") return deviceUriOf(credential) !== null || isServer(credential, signaturePublicKey, trust.serverKey?.());
      if (credential?.credentialType === "x509") return x509Issued(credential.certificates, signaturePublicKey, roots, now());
      return false;
    },
  };
}

export const SERVER_IDENTITY = "urn:wardline:server:mls-external-sender"; // ExternalSenderKey.IDENTITY

function isServer(credential, signaturePublicKey, pinned) {
  if (!(pinned instanceof Uint8Array) || !(signaturePublicKey instanceof Uint8Array)) return false;
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(credential.identity);
  } catch {
    return false;
  }
  return text === SERVER_IDENTITY && pinned.length === signaturePublicKey.length && pinned.every((b, i) => b === signaturePublicKey[i]);
}

async function x509Issued(chainDer, signaturePublicKey, roots, at) {
  try {
    if (!Array.isArray(chainDer) || chainDer.length === 0 || chainDer.length > 4) return false;
    const chain = chainDer.map((der) => new X509Certificate(der));
    for (const cert of chain) {
      if (cert.notBefore > at || cert.notAfter < at) return false;
    }
    for (let i = 0; i + 1 < chain.length; i++) {
      if (!(await chain[i].verify({ publicKey: chain[i + 1], signatureOnly: true }))) return false;
    }
    const top = chain[chain.length - 1];
    let anchored = false;
    for (const root of roots) {
      if (root.notAfter < at || root.notBefore > at) continue;
      if (top.equal(root) || (await top.verify({ publicKey: root, signatureOnly: true }))) {
        anchored = true;
        break;
      }
    }
    if (!anchored) return false;
    const leaf = chain[0];
    const san = leaf.getExtension(SubjectAlternativeNameExtension);
    const uris = san ? san.names.items.filter((n) => n.type === "url").map((n) => n.value) : [];
    if (!uris.some((u) => DEVICE_URI.test(u))) return false;
    const spki = new Uint8Array(leaf.publicKey.rawData);
    return endsWith(spki, signaturePublicKey);
  } catch {
    return false;
  }
}

/** An EC SubjectPublicKeyInfo ends with the uncompressed point that is the MLS signature key. */
function endsWith(spki, point) {
  if (!(point instanceof Uint8Array) || point.length === 0 || point.length > spki.length) return false;
  const offset = spki.length - point.length;
  for (let i = 0; i < point.length; i++) if (spki[offset + i] !== point[i]) return false;
  return true;
}


/** The ts-mls client configuration of a Wardline member: ts-mls's defaults, with this authentication service. */
export function wardlineClientConfig(trust) {
  return {
    keyRetentionConfig: defaultKeyRetentionConfig,
    lifetimeConfig: defaultLifetimeConfig,
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    paddingConfig: defaultPaddingConfig,
    authService: wardlineAuthenticationService(trust),
  };
}
