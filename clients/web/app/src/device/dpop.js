// DPoP proofs (RFC 9449), signed by the device's non-extractable key with jose: one per request, naming its method
// and address, and the hash of the access token it comes with.
import { SignJWT, base64url } from "jose";

export async function dpopProof(device, method, url, accessToken) {
  const target = new URL(url);
  const claims = { htm: method, htu: target.origin + target.pathname, jti: crypto.randomUUID() };
  if (accessToken) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken));
    claims.ath = base64url.encode(new Uint8Array(digest));
  }
  const { kty, crv, x, y } = device.publicJwk;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: { kty, crv, x, y } })
    .setIssuedAt()
    .sign(device.privateKey);
}
