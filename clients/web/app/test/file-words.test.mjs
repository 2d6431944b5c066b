// What the app says about a file (src/files/fileWords.js) and the name it saves one under (safeFileName): the server's
// verdict in words, its findings as categories and counts only, and no folder or hidden name from an announcement.
import { test } from "node:test";
import assert from "node:assert/strict";
import { downloadRefusal, findingsOf, heldForReview, shareRefusal, uploadRefusal } from "../src/files/fileWords.js";
import { safeFileName } from "../src/files/fileTransfer.js";

test("a refusal for malware, for policy or while the scanner is down is said as such", () => {
  assert.match(uploadRefusal(422, { error: "upload.malware" }), /malware scanner found malware/);
  assert.match(uploadRefusal(422, { error: "upload.blocked", verdict: { found: "1 social security number" } }),
    /does not allow this file \(found: 1 social security number\)/);
  assert.match(uploadRefusal(503, { error: "upload.scanner_unavailable" }), /a file that was not checked is never shared/);
  assert.match(uploadRefusal(500, { error: "server.error", message: "The server failed." }), /^Not sent: The server failed\.$/);
  assert.match(uploadRefusal(502, null), /the server answered 502/);
});

test("a file held for review names what was found, as categories and counts", () => {
  assert.equal(heldForReview({ decision: "QUARANTINE", found: "2 names, 1 date" }),
    "Held for review: the data-loss check found patient information (found: 2 names, 1 date). The file was not shared; "
      + "a security officer reviews it before anyone can open it.");
  assert.equal(findingsOf({ reasons: [{ code: "rule.custom", count: 3 }] }), "3 findings", "no category named: a count");
  assert.equal(findingsOf({ reasons: [] }), "");
  assert.doesNotMatch(heldForReview({}), /\(found/);
});

test("sharing and downloading refusals say what to do", () => {
  assert.match(shareRefusal(409, { error: "attachment.not_ready" }), /still being checked, or it is held for review/);
  assert.match(shareRefusal(403, { error: "conversation.not_member" }), /no longer a member/);
  assert.match(downloadRefusal(404, { error: "resource.not_found" }), /deleted or has expired, or you are no longer a member/);
});

test("a saved file keeps its name but no folder, control character or leading dot", () => {
  assert.equal(safeFileName("ward-round notes.txt", "f"), "ward-round notes.txt");
  assert.equal(safeFileName("../../etc/passwd", "f"), "passwd");
  assert.equal(safeFileName("C:\\Users\\x\\.bashrc", "f"), "bashrc");
  assert.equal(safeFileName("a\u0000b\nc.txt", "f"), "a_b_c.txt");
  assert.equal(safeFileName("...", "f-1"), "attachment-f-1");
  assert.equal(safeFileName("Wundübersicht 🩺.png", "f"), "Wundübersicht 🩺.png");
});
