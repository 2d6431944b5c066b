// Calls to the Wardline API on this origin. With a device, every request carries a fresh DPoP proof from its key,
// and a DPoP-bound token goes as "Authorization: DPoP"; without one (before enrollment), a token goes as Bearer.
import { dpopProof } from "./device/dpop.js";

export class ApiError extends Error {
  constructor(status, code, message, details = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * A request to this origin as {@code as}: a fresh DPoP proof and "Authorization: DPoP" with a device, a Bearer token
 * without one. Resolves with the response whatever its status; fails with an ApiError only when the server cannot be
 * reached.
 * @param {{device?: {privateKey: CryptoKey, publicJwk: JsonWebKey}, token?: string}} as
 * @param {{headers?: object, body?: BodyInit}} init
 */
export async function signedFetch(method, path, as = {}, { headers = {}, body } = {}) {
  const all = { Accept: "application/json", ...headers };
  if (as.device) {
    all.DPoP = await dpopProof(as.device, method, new URL(path, location.origin).href, as.token);
    if (as.token) all.Authorization = `DPoP ${as.token}`;
  } else if (as.token) {
    all.Authorization = `Bearer ${as.token}`;
  }
  try {
    return await fetch(path, { method, headers: all, body, credentials: "omit" });
  } catch {
    throw new ApiError(0, "network", "Wardline cannot be reached. Check the network connection, then try again.");
  }
}

/** The JSON of a response, or null when it has none. */
export async function jsonOf(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** @param {{device?: {privateKey: CryptoKey, publicJwk: JsonWebKey}, token?: string}} as */
export async function call(method, path, body, as = {}) {
  const response = await signedFetch(method, path, as, body === undefined ? {}
    : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await jsonOf(response);
  if (!response.ok) {
    throw new ApiError(response.status, json?.error ?? "server.error",
      json?.message ?? "The server answered with an error; try again.", json);
  }
  return json;
}
