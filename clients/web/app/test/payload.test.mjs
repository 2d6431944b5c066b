// The plaintext of application messages (src/messaging/payload.js) against vectors the Java SDK writes
// (test/vectors/java-payloads.json, checked on the Java side by AttachmentWireVectorTest): file announcements in
// Java's DataOutput (modified UTF-8, NUL as C0 80, characters beyond the BMP as surrogate pairs) and UTF-8 text, read
// by the browser and written by it byte for byte as the Java client writes them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { decodePayload, encodeAttachment, encodeText, PayloadError } from "../src/messaging/payload.js";

const vectors = JSON.parse(await readFile(new URL("./vectors/java-payloads.json", import.meta.url), "utf8"));
const bytes = (hex) => Uint8Array.from(Buffer.from(hex, "hex"));

test("every file announcement the Java client writes is read field for field", () => {
  assert.ok(vectors.attachments.length >= 3);
  for (const v of vectors.attachments) {
    assert.deepEqual(decodePayload(bytes(v.hex)), {
      kind: "file", fileId: v.fileId, name: v.name, size: v.size, contentType: v.contentType, sha256: v.sha256,
    });
  }
});

test("Java's modified UTF-8 is read as Java writes it: NUL as C0 80, an emoji as two surrogates", () => {
  const [, emoji, nul] = vectors.attachments;
  assert.equal(decodePayload(bytes(nul.hex)).name, "a\u0000b.txt");
  assert.ok(nul.hex.includes("c080"), "the vector holds Java's two-byte NUL");
  assert.equal(decodePayload(bytes(emoji.hex)).name, "Wundübersicht – Station 7 \u{1FA7A}.png");
  assert.ok(emoji.hex.includes("eda0beedb9ba"), "the vector holds the emoji as two 3-byte surrogates, not 4-byte UTF-8");
});

test("text is UTF-8 both ways, byte for byte what the Java client sends", () => {
  for (const v of vectors.texts) {
    assert.deepEqual(decodePayload(bytes(v.hex)), { kind: "text", text: v.text });
    assert.equal(Buffer.from(encodeText(v.text)).toString("hex"), v.hex);
  }
});

test("a cut-off or lying announcement is refused, never half-read", () => {
  const whole = bytes(vectors.attachments[0].hex);
  for (const cut of [5, 12, whole.length - 1]) {
    assert.throws(() => decodePayload(whole.subarray(0, cut)), PayloadError, `cut at ${cut}`);
  }
  const negative = Uint8Array.from(whole);
  const sizeAt = 4 + 2 + 10 + 2 + 21; // magic, fileId, name
  negative[sizeAt] = 0x80;
  assert.throws(() => decodePayload(negative), PayloadError, "a negative size");
  const badUtf = Uint8Array.from([0x00, 0x57, 0x41, 0x01, 0x00, 0x01, 0xff]);
  assert.throws(() => decodePayload(badUtf), PayloadError);
});

test("text that merely starts like something else stays text", () => {
  assert.deepEqual(decodePayload(bytes("00574102")), { kind: "text", text: "\u0000WA\u0002" });
  assert.deepEqual(decodePayload(new Uint8Array()), { kind: "text", text: "" });
});

test("a file announcement the browser writes is byte for byte the one the Java client writes", () => {
  for (const v of vectors.attachments) {
    const written = encodeAttachment({ fileId: v.fileId, name: v.name, size: v.size, contentType: v.contentType, sha256: v.sha256 });
    assert.equal(Buffer.from(written).toString("hex"), v.hex, v.fileId);
    assert.deepEqual(decodePayload(written), {
      kind: "file", fileId: v.fileId, name: v.name, size: v.size, contentType: v.contentType, sha256: v.sha256,
    });
  }
});

test("a missing type or hash is written as Java writes null: an empty string", () => {
  const [, , nul] = vectors.attachments;
  const written = encodeAttachment({ fileId: nul.fileId, name: nul.name, size: 0 });
  assert.equal(Buffer.from(written).toString("hex"), nul.hex);
});

test("what Java's writeUTF refuses is refused, not cut short", () => {
  const base = { fileId: "f-1", name: "a.txt", size: 1, contentType: "text/plain", sha256: "" };
  assert.throws(() => encodeAttachment({ ...base, name: "é".repeat(32768) }), RangeError, "65,536 bytes of modified UTF-8");
  assert.doesNotThrow(() => encodeAttachment({ ...base, name: "é".repeat(32767) }));
  for (const size of [-1, 1.5, 2 ** 53, NaN]) assert.throws(() => encodeAttachment({ ...base, size }), RangeError, String(size));
});
