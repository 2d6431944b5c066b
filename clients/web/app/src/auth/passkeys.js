// Passkeys (WebAuthn) in the web app, through the browser's own WebAuthn API and the server's routes (Yubico's
// webauthn-server-core checks them there): signing in with one as the second factor, and adding one to the account.
// Every request carries this browser device's DPoP proof, so a session begun with a passkey is bound to its key.
import { call } from "../api.js";

/** Whether this browser can use passkeys here (WebAuthn with the JSON helpers, in a secure context). */
export function passkeysSupported(win = globalThis) {
  return typeof win.PublicKeyCredential?.parseRequestOptionsFromJSON === "function" && win.isSecureContext !== false;
}

/** The second factor with a passkey, after the password: resolves with the signed-in session's tokens. */
export async function signInWithPasskey(device, pendingToken, credentials = globalThis.navigator.credentials) {
  const options = await call("POST", "/v1/auth/webauthn/sign-in/options", { pendingToken }, { device });
  const credential = await credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey) });
  return call("POST", "/v1/auth/webauthn/sign-in/verify",
    { pendingToken, challengeId: options.challengeId, credential: credential.toJSON() }, { device });
}

/**
 * Adds a passkey of this browser to the account (the server asks for a fresh second factor first: {@code stepUp} is
 * given the chance, and resolves false when the person declines). Resolves with the stored passkey's ID, or null.
 * @param {(path: string, body?: object) => Promise<object>} post an authorized POST as the signed-in device
 * @param {() => Promise<boolean>} stepUp asks for an authenticator code and confirms it with the server
 */
export async function addPasskey(post, stepUp, credentials = globalThis.navigator.credentials) {
  let options;
  try {
    options = await post("/v1/me/passkeys/options");
  } catch (e) {
    if (e?.code !== "auth.step_up_required" || !await stepUp()) throw e;
    options = await post("/v1/me/passkeys/options");
  }
  const credential = await credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey) });
  const stored = await post("/v1/me/passkeys", { challengeId: options.challengeId, credential: credential.toJSON() });
  return stored?.id ?? null;
}

/** A WebAuthn failure in words (the browser's DOMException names). */
export function passkeyProblem(error) {
  if (error?.name === "NotAllowedError") return "The passkey was not used (cancelled, or it timed out). Try again, or use your authenticator code.";
  if (error?.name === "InvalidStateError") return "This browser already holds a passkey for your account.";
  if (error?.name === "SecurityError") return "Passkeys cannot be used on this address; ask your IT service desk.";
  return error?.message ?? "The passkey could not be used.";
}
