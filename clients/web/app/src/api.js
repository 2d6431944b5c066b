// Calls to the Wardline API on this origin. With a device, every request carries a fresh DPoP proof from its key,
// and a DPoP-bound token goes as "Authorization: DPoP"; without one (before enrollment), a token goes as Bearer.
import { dpopProof } from "./device/dpop.js";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** @param {{device?: {privateKey: CryptoKey, publicJwk: JsonWebKey}, token?: string}} as */
export async function call(method, path, body, as = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (as.device) {
    headers.DPoP = await dpopProof(as.device, method, new URL(path, location.origin).href, as.token);
    if (as.token) headers.Authorization = `DPoP ${as.token}`;
  } else if (as.token) {
    headers.Authorization = `Bearer ${as.token}`;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit" });
  } catch {
    throw new ApiError(0, "network", "Wardline cannot be reached. Check the network connection, then try again.");
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, json?.error ?? "server.error",
      json?.message ?? "The server answered with an error; try again.");
  }
  return json;
}
