import { test } from "node:test";
import assert from "node:assert/strict";
import { expireDue, isDue, nextExpiry, timerInWords, timerOf, TIMER_CHOICES } from "../src/messaging/disappearing.js";

const message = (over) => ({ messageId: 7, sender: "urn:wardline:user:a:device:b", sentAt: 1_000, mine: false,
  body: { kind: "text", text: "Potassium 5.9, repeat at 14:00" }, readBy: ["x"], ...over });

test("a message whose time has come keeps only what tells a replay apart: no text, no receipts", () => {
  const history = [message({ expiresAt: 5_000 }), message({ messageId: 8, expiresAt: 9_000 }), message({ messageId: 9 })];
  assert.equal(expireDue(history, 5_000), true);
  assert.deepEqual(history[0], { expired: true, messageId: 7, sender: "urn:wardline:user:a:device:b", sentAt: 1_000, mine: false, expiresAt: 5_000 });
  assert.equal(JSON.stringify(history[0]).includes("Potassium"), false);
  assert.equal(history[1].body.text, "Potassium 5.9, repeat at 14:00", "not due yet");
  assert.equal(history[2].body.text, "Potassium 5.9, repeat at 14:00", "no timer: stays");
  assert.equal(expireDue(history, 5_000), false, "nothing more is due");
});

test("notices and messages without a timer are never due", () => {
  assert.equal(isDue({ notice: "safety-number-changed", sentAt: 1 }, Date.now()), false);
  assert.equal(isDue(message({}), Number.MAX_SAFE_INTEGER), false);
  assert.equal(isDue(message({ expiresAt: 10, expired: true }), 20), false);
});

test("the next expiry is the earliest of every conversation's live messages", () => {
  assert.equal(nextExpiry([[message({ expiresAt: 9_000 })], [message({ expiresAt: 4_000 }), { expired: true, expiresAt: 1 }]]), 4_000);
  assert.equal(nextExpiry([[message({})], []]), null);
});

test("the timer is read from a message exactly and said in words", () => {
  assert.equal(timerOf(message({ sentAt: 1_700_000_000_123, expiresAt: 1_700_000_000_123 + 8 * 3600 * 1000 })), 8 * 3600);
  assert.equal(timerOf(message({})), null);
  assert.equal(timerInWords(3600), "1 hour");
  assert.equal(timerInWords(8 * 3600), "8 hours");
  assert.equal(timerInWords(86400), "1 day");
  assert.equal(timerInWords(90), "90 seconds");
  assert.ok(TIMER_CHOICES.every((c) => c.seconds <= 30 * 86400), "within the server's longest timer");
});
