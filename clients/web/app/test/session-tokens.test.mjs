// Renewing the access token (src/auth/sessionTokens.js): before it expires, one renewal at a time however many calls
// wait (the server ends a session whose old refresh token is used again), once more when the server says a token
// expired while the tab slept, and the server's refusal passed on when the session itself has ended.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SessionTokens } from "../src/auth/sessionTokens.js";
import { ApiError } from "../src/api.js";

function server() {
  let n = 0;
  const used = [];
  return {
    used,
    renew: async (refreshToken) => {
      used.push(refreshToken);
      await new Promise((r) => setTimeout(r, 5));
      n += 1;
      return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 600 };
    },
  };
}

test("the token is kept until a minute before it expires, then renewed once for every caller waiting", async () => {
  let clock = 0;
  const s = server();
  const tokens = new SessionTokens({ accessToken: "access-0", refreshToken: "refresh-0", expiresIn: 600 },
    { renew: s.renew, now: () => clock });
  clock = 538_000;
  assert.equal(await tokens.current(), "access-0");
  assert.deepEqual(s.used, []);
  clock = 540_000;
  const all = await Promise.all([tokens.current(), tokens.current(), tokens.current()]);
  assert.deepEqual(all, ["access-1", "access-1", "access-1"]);
  assert.deepEqual(s.used, ["refresh-0"], "one renewal, with the refresh token of the sign-in");
  clock = 540_000 + 539_000;
  assert.equal(await tokens.current(), "access-1");
  clock = 540_000 + 540_000;
  assert.equal(await tokens.current(), "access-2");
  assert.deepEqual(s.used, ["refresh-0", "refresh-1"], "each renewal uses the refresh token the last one gave");
});

test("a short-lived token is renewed at half its life", async () => {
  let clock = 0;
  const s = server();
  const tokens = new SessionTokens({ accessToken: "a", refreshToken: "r", expiresIn: 60 }, { renew: s.renew, now: () => clock });
  clock = 29_000;
  assert.equal(await tokens.current(), "a");
  clock = 30_000;
  assert.equal(await tokens.current(), "access-1");
});

test("a request refused because its token expired is renewed and sent once more; other refusals pass through", async () => {
  const s = server();
  const tokens = new SessionTokens({ accessToken: "old", refreshToken: "r0", expiresIn: 600 }, { renew: s.renew });
  const seen = [];
  const answer = await tokens.with(async (token) => {
    seen.push(token);
    if (token === "old") throw new ApiError(401, "auth.token_invalid", "expired");
    return "done";
  });
  assert.equal(answer, "done");
  assert.deepEqual(seen, ["old", "access-1"]);
  await assert.rejects(tokens.with(async () => { throw new ApiError(403, "auth.forbidden", "no"); }), { code: "auth.forbidden" });
  assert.deepEqual(s.used, ["r0"], "a refusal for another reason renews nothing");
});

test("when the session itself has ended the renewal's refusal reaches the caller, and a later call tries again", async () => {
  let clock = 0;
  let ended = true;
  const tokens = new SessionTokens({ accessToken: "a", refreshToken: "r", expiresIn: 600 }, {
    now: () => clock,
    renew: async () => {
      if (ended) throw new ApiError(401, "auth.session_idle", "Signed out after 15 minutes idle.");
      return { accessToken: "b", refreshToken: "r2", expiresIn: 600 };
    },
  });
  clock = 600_000;
  await assert.rejects(tokens.current(), { code: "auth.session_idle" });
  ended = false;
  assert.equal(await tokens.current(), "b");
});

test("an answer without tokens is refused rather than kept", async () => {
  assert.throws(() => new SessionTokens({ accessToken: "a" }), { code: "auth.token_invalid" });
  let clock = 0;
  const tokens = new SessionTokens({ accessToken: "a", refreshToken: "r", expiresIn: 1 }, { renew: async () => ({}), now: () => clock });
  clock = 10_000;
  await assert.rejects(tokens.current(), { code: "auth.token_invalid" });
  assert.equal(tokens.accessToken, "a");
});
