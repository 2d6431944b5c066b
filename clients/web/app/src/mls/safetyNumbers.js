// Safety numbers as the Java SDK computes them (protocol/.../mls/SafetyNumbers.java), so a nurse in the browser and
// a colleague on `wardline chat` read out the same 60 digits: per member an iterated SHA-256 (5,200 rounds, as
// Signal's numeric fingerprints) over (version 1, identity length, identity, signature key), its first 30 bytes as
// six 5-digit groups; the two members' groups in byte order of their fingerprints.
const ITERATIONS = 5200;
const cache = new Map();

/** @param {Uint8Array} identity the basic credential's identity (the device URI) @param {Uint8Array} signatureKey */
export async function fingerprint(identity, signatureKey) {
  const start = new Uint8Array(2 + 4 + identity.length + signatureKey.length);
  const view = new DataView(start.buffer);
  view.setUint16(0, 1);
  view.setUint32(2, identity.length);
  start.set(identity, 6);
  start.set(signatureKey, 6 + identity.length);
  let hash = start;
  for (let i = 0; i < ITERATIONS; i++) {
    const input = new Uint8Array(hash.length + signatureKey.length);
    input.set(hash);
    input.set(signatureKey, hash.length);
    hash = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
  }
  return hash;
}

/** The first 30 bytes as six 5-digit groups (each 5 bytes taken mod 100000). */
export function digits(fp) {
  const groups = [];
  for (let i = 0; i < 6; i++) {
    let chunk = 0n;
    for (let j = 0; j < 5; j++) chunk = (chunk << 8n) | BigInt(fp[i * 5 + j]);
    groups.push(String(chunk % 100000n).padStart(5, "0"));
  }
  return groups.join(" ");
}

function compare(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] << 24 >> 24) - (b[i] << 24 >> 24); // signed bytes, as java.util.Arrays.compare
  }
  return a.length - b.length;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

function fingerprintOf(member) {
  const identity = new TextEncoder().encode(member.device);
  const key = `${member.device}/${hex(member.signatureKey)}`;
  if (!cache.has(key)) cache.set(key, fingerprint(identity, member.signatureKey));
  return cache.get(key);
}

/**
 * The safety number of this device with another member, the same on both sides.
 * @param {{device: string, signatureKey: Uint8Array}} mine @param {{device: string, signatureKey: Uint8Array}} theirs
 */
export async function safetyNumber(mine, theirs) {
  const [a, b] = await Promise.all([fingerprintOf(mine), fingerprintOf(theirs)]);
  return compare(a, b) <= 0 ? `${digits(a)} ${digits(b)}` : `${digits(b)} ${digits(a)}`;
}
