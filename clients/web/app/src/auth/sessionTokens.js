// The access token of a signed-in session, renewed before it expires with the session's refresh token
// (POST /v1/auth/refresh, DPoP-bound to this browser's key like every request), so a nurse or an officer stays signed
// in for as long as the server's session lives (its idle timeout and sign-out still end it). The server rotates the
// refresh token on every use and ends the session when an old one is used again, so only one renewal is ever in
// flight and every caller waits for it.
import { ApiError, call } from "../api.js";

/** A renewal starts this long before the access token's expiry (or half its lifetime, if that is shorter). */
const MARGIN_MS = 60_000;
const EXPIRED = new Set(["auth.token_invalid", "auth.token_expired"]);

export class SessionTokens {
  /**
   * @param session the sign-in answer: {accessToken, refreshToken, expiresIn (seconds)}
   * @param renew (refreshToken) => the server's answer to a refresh; by default POST /v1/auth/refresh as {@code device}
   */
  constructor(session, { device, renew, now = () => Date.now() } = {}) {
    this.now = now;
    this.renewWith = renew ?? ((refreshToken) => call("POST", "/v1/auth/refresh", { refreshToken }, { device }));
    this.inFlight = null;
    this.#take(session);
  }

  /** The current access token, renewed first when it is about to expire. */
  async current() {
    if (this.now() >= this.renewAt) await this.renew();
    return this.accessToken;
  }

  /** Renews now (one renewal at a time); fails with the server's ApiError when the session has ended. */
  renew() {
    if (!this.inFlight) {
      const used = this.refreshToken;
      this.inFlight = this.renewWith(used)
        .then((answer) => this.#take(answer))
        .finally(() => { this.inFlight = null; });
    }
    return this.inFlight;
  }

  /**
   * Runs {@code request} with the current token; when the server says the token is no longer valid (it expired while
   * the tab slept), renews once and runs it again.
   */
  async with(request) {
    const token = await this.current();
    try {
      return await request(token);
    } catch (error) {
      if (!(error instanceof ApiError) || !EXPIRED.has(error.code)) throw error;
      if (token === this.accessToken) await this.renew(); // else another caller has renewed it meanwhile
      return request(this.accessToken);
    }
  }

  #take(answer) {
    if (!answer?.accessToken || !answer?.refreshToken) {
      throw new ApiError(0, "auth.token_invalid", "The server's answer carried no session; sign in again.");
    }
    const lifetime = Math.max(1, Number(answer.expiresIn) || 0) * 1000;
    this.accessToken = answer.accessToken;
    this.refreshToken = answer.refreshToken;
    this.renewAt = this.now() + Math.max(lifetime / 2, lifetime - MARGIN_MS);
  }
}
