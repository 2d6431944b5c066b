import assert from "node:assert/strict";
import { test } from "node:test";
import { auditQuery, deviceState, retentionRows, when } from "../src/format.js";

test("a confirmed wipe wins over the revocation that follows it", () => {
  const s = deviceState({ revokedAt: "2026-12-07T10:00:00Z", revocationReason: "wipe", wipe: "confirmed", wipeConfirmedAt: "2026-12-07T10:01:30Z" });
  assert.equal(s.code, "wiped");
  assert.equal(s.text, "Wipe confirmed by the device 2026-12-07 10:01 UTC");
});

test("a pending wipe, a revoked and an active device each say so", () => {
  assert.equal(deviceState({ wipe: "pending" }).code, "wipe-pending");
  assert.equal(deviceState({ revokedAt: "2026-12-07T09:00:00Z", revocationReason: "ADMIN" }).text, "Revoked by an administrator 2026-12-07 09:00 UTC");
  assert.equal(deviceState({ revokedAt: null, wipe: null }).text, "Active");
});

test("times read in UTC and a missing one reads never", () => {
  assert.equal(when(null), "never");
  assert.equal(when("not a time"), "unknown");
});

test("the audit query leaves out empty fields and takes the form's local times as UTC", () => {
  assert.equal(auditQuery({ actor: "", objectId: "  ", from: "", to: "", seq: "" }), "");
  assert.equal(auditQuery({ actor: "u-1", objectId: " f1 ", from: "2026-12-07T08:00", to: "", seq: "" }),
    "actor=u-1&objectId=f1&from=2026-12-07T08%3A00%3A00Z");
  assert.equal(auditQuery({ seq: 42 }), "seq=42");
});

test("every kind has an organisation row, set or not, followed by its team policies", () => {
  const rows = retentionRows([
    { kind: "files", teamId: null, days: 365, updatedBy: "u1", updatedAt: "2026-12-07T10:00:00Z" },
    { kind: "files", teamId: "t1", days: 730, updatedBy: "u1", updatedAt: "2026-12-07T10:05:00Z" },
    { kind: "messages", teamId: "t1", days: 1, updatedBy: "u1", updatedAt: "2026-12-07T10:06:00Z" },
  ]);
  assert.deepEqual(rows.map((r) => [r.kind, r.teamId, r.kept]), [
    ["messages", null, "Until deleted (no policy set)"],
    ["messages", "t1", "1 day"],
    ["files", null, "365 days"],
    ["files", "t1", "730 days"],
    ["share_links", null, "Until deleted (no policy set)"],
    ["audit", null, "2192 days (the six-year legal floor; no policy set)"],
  ]);
  assert.equal(rows[2].updatedAt, "2026-12-07T10:00:00Z");
});
