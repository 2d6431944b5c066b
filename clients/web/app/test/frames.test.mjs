// The app's frame codec against the layout of protocol/PROTOCOL.md, byte for byte, and its refusals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ackFrame, decode, encode, frame, FrameError, Tag, Type } from "../src/messaging/frames.js";
import { offeredProtocols, socketUrl } from "../src/messaging/socket.js";

test("a HELLO with a cursor is the bytes PROTOCOL.md describes", () => {
  const bytes = encode(frame(Type.HELLO, 7).with(Tag.CURSOR, 5n));
  assert.deepEqual([...bytes], [0x57, 1, 0x01, 0, 0, 0, 0, 7, 0x07, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 5]);
});

test("frames round-trip with repeated, text and byte fields", () => {
  const f = frame(Type.CLAIM_KEY_PACKAGES, 0xfffffffe).with(Tag.DEVICE, "urn:a").with(Tag.DEVICE, "urn:b").with(Tag.GROUP_ID, new Uint8Array([1, 2]));
  const back = decode(encode(f));
  assert.equal(back.type, Type.CLAIM_KEY_PACKAGES);
  assert.equal(back.requestId, 0xfffffffe);
  assert.deepEqual(back.all(Tag.DEVICE).map((v) => new TextDecoder().decode(v)), ["urn:a", "urn:b"]);
  assert.deepEqual([...back.bytes(Tag.GROUP_ID)], [1, 2]);
  assert.equal(back.u64(Tag.PENDING), undefined);
});

test("malformed frames are refused, not half-read", () => {
  const good = encode(frame(Type.OK, 1).with(Tag.PENDING, 3n));
  assert.throws(() => decode(good.subarray(0, good.length - 1)), FrameError);
  assert.throws(() => decode(new Uint8Array([0x58, 1, 0x80, 0, 0, 0, 0, 1])), FrameError);
  assert.throws(() => decode(new Uint8Array(4)), FrameError);
  const big = good.slice();
  big[8 + 5] = 0x80; // PENDING >= 2^63
  assert.throws(() => decode(big).u64(Tag.PENDING), FrameError);
  assert.throws(() => frame(Type.ACK, 1).with(Tag.SEQ, -1n), FrameError);
});

test("the socket offers wardline.v1, a proof for GET on its wss:// address and the token", async () => {
  assert.equal(socketUrl("https://wardline.example:8443"), "wss://wardline.example:8443/v1/ws");
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const publicJwk = await crypto.subtle.exportKey("jwk", keys.publicKey);
  const offered = await offeredProtocols({ privateKey: keys.privateKey, publicJwk }, "tok.en.x", "wss://wardline.example:8443/v1/ws");
  assert.equal(offered[0], "wardline.v1");
  assert.equal(offered[2], "dpop.token.tok.en.x");
  const proof = offered[1].slice("dpop.proof.".length);
  const claims = JSON.parse(Buffer.from(proof.split(".")[1], "base64url").toString());
  assert.equal(claims.htm, "GET");
  assert.equal(claims.htu, "wss://wardline.example:8443/v1/ws");
  assert.ok(claims.ath && claims.jti);
  for (const p of offered) assert.match(p, /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "an RFC 7230 token, as a subprotocol must be");
});

test("an ACK names every delivery and, for those kept unread, the reason as PROTOCOL.md's UNREAD", () => {
  const ack = decode(encode(ackFrame(frame(Type.ACK, 9), [{ seq: 5n }, { seq: 6n, unread: "undecryptable" },
    { seq: 7n, unread: "epoch.earlier" }])));
  assert.deepEqual(ack.all(Tag.SEQ).map((b) => new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0)), [5n, 6n, 7n]);
  assert.deepEqual(ack.all(Tag.UNREAD).map((b) => new TextDecoder().decode(b)), ["6 undecryptable", "7 epoch.earlier"]);
  assert.equal(Tag.UNREAD, 0x16, "the Java Tag's code");
  assert.deepEqual(decode(encode(ackFrame(frame(Type.ACK, 1), [{ seq: 1n }]))).all(Tag.UNREAD), []);
});
