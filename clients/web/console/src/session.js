// A signed-in console session on this browser's device: every call carries a DPoP proof and the current access token
// (renewed before it expires, app/src/auth/sessionTokens.js), a change the server answers with "confirm with your
// second factor" asks for an authenticator code once and is sent again, and an ended session (idle, revoked) returns
// to sign-in with the reason.
import { ApiError, call } from "../../app/src/api.js";
import { dpopProof } from "../../app/src/device/dpop.js";
import { askForStepUp } from "./stepUp.js";

const ENDED = new Set(["auth.session_idle", "auth.token_invalid", "auth.required"]);

export class AdminSession {
  constructor({ device, tokens, me, onEnded }) {
    this.device = device;
    this.tokens = tokens;
    this.me = me;
    this.onEnded = onEnded;
  }

  /** The API's JSON answer; throws ApiError (after a declined step-up too: code "console.step_up_cancelled"). */
  async api(method, path, body) {
    try {
      return await this.#call(method, path, body);
    } catch (error) {
      if (error instanceof ApiError && error.code === "auth.step_up_required") {
        const confirmed = await askForStepUp((code) => this.#call("POST", "/v1/auth/step-up", { code }));
        if (!confirmed) throw new ApiError(403, "console.step_up_cancelled", "Not done: the change needs your authenticator code.");
        return this.#call(method, path, body);
      }
      throw error;
    }
  }

  /** A file from the API (an export) as a Blob, with the same proof and token. */
  async download(path) {
    const token = await this.tokens.current();
    const headers = { DPoP: await dpopProof(this.device, "GET", new URL(path, location.origin).href, token),
      Authorization: `DPoP ${token}` };
    const response = await fetch(path, { headers, credentials: "omit" });
    if (!response.ok) {
      const json = await response.json().catch(() => null);
      throw new ApiError(response.status, json?.error ?? "server.error", json?.message ?? "The export failed; try again.");
    }
    return response.blob();
  }

  async signOut() {
    await call("POST", "/v1/auth/logout", undefined, { device: this.device, token: this.tokens.accessToken }).catch(() => undefined);
  }

  async #call(method, path, body) {
    try {
      return await this.tokens.with((token) => call(method, path, body, { device: this.device, token }));
    } catch (error) {
      if (error instanceof ApiError && ENDED.has(error.code)) {
        this.onEnded("Your session ended (signed out, timed out or revoked). Sign in again to continue.");
      }
      throw error;
    }
  }
}
