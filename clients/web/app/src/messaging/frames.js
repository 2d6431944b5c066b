// The wire frames of protocol/PROTOCOL.md (version 1), as the Java FrameCodec writes them: magic 0x57, version,
// type, a reserved 0, a u32 request ID, then tag u8 | length u32 | value fields. Big-endian throughout.
export const MAGIC = 0x57;
export const VERSION = 1;
export const MAX_FRAME_BYTES = 192 * 1024; // WireLimits.MAX_FRAME_BYTES

export const Type = Object.freeze({
  HELLO: 0x01, UPLOAD_KEY_PACKAGES: 0x10, CLAIM_KEY_PACKAGES: 0x11, CREATE_CONVERSATION: 0x20, COMMIT: 0x21,
  PROPOSAL: 0x22, SEND: 0x23, ACK: 0x30, RECEIPT: 0x31, OK: 0x80, ERROR: 0x81, KEY_PACKAGES: 0x82, DELIVER: 0x83,
});

export const Tag = Object.freeze({
  GROUP_ID: 0x01, EPOCH: 0x02, PAYLOAD: 0x03, WELCOME: 0x04, DEVICE: 0x05, SEQ: 0x06, CURSOR: 0x07, KIND: 0x08,
  ERROR_CODE: 0x09, KEY_PACKAGE: 0x0a, LAST_RESORT: 0x0b, SENT_AT: 0x0c, MESSAGE_ID: 0x0d, ADDED: 0x0e, REMOVED: 0x0f,
  USER: 0x10, TTL: 0x11, SENDER: 0x12, PENDING: 0x13, VERSION: 0x14, REPLACE: 0x15, UNREAD: 0x16, EXPIRES_AT: 0x17, ROSTER: 0x30, EXTERNAL_SENDER: 0x31,
});

/**
 * Fills an ACK frame: a SEQ per delivery, and for one kept without being read an UNREAD "<seq> <reason>" (the server
 * records it against this device).
 * @param {{seq: bigint, unread?: string}[]} acked
 */
export function ackFrame(ack, acked) {
  for (const { seq } of acked) ack.with(Tag.SEQ, seq);
  for (const { seq, unread } of acked) if (unread) ack.with(Tag.UNREAD, `${seq} ${unread}`);
  return ack;
}

export class FrameError extends Error {
  constructor(message) {
    super(message);
    this.name = "FrameError";
  }
}

/** A frame: its type, request ID and fields, each tag's values in order (Uint8Array each). */
export function frame(type, requestId = 0) {
  const fields = new Map();
  const f = {
    type, requestId, fields,
    with(tag, value) {
      const bytes = typeof value === "bigint" || typeof value === "number" ? u64(value)
        : typeof value === "string" ? new TextEncoder().encode(value) : value;
      if (!fields.has(tag)) fields.set(tag, []);
      fields.get(tag).push(bytes);
      return f;
    },
    bytes: (tag) => first(fields, tag),
    text: (tag) => { const v = first(fields, tag); return v === undefined ? undefined : new TextDecoder("utf-8", { fatal: true }).decode(v); },
    u64: (tag) => { const v = first(fields, tag); return v === undefined ? undefined : readU64(v); },
    all: (tag) => fields.get(tag) ?? [],
  };
  return f;
}

function first(fields, tag) {
  const v = fields.get(tag);
  return v ? v[0] : undefined;
}

function u64(value) {
  const n = BigInt(value);
  if (n < 0n || n >= 1n << 63n) throw new FrameError("u64 out of range");
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

function readU64(bytes) {
  if (bytes.length !== 8) throw new FrameError("a u64 field is 8 bytes");
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
  if (n >= 1n << 63n) throw new FrameError("u64 out of range");
  return n;
}

export function encode(f) {
  let size = 8;
  for (const values of f.fields.values()) for (const v of values) size += 5 + v.length;
  if (size > MAX_FRAME_BYTES) throw new FrameError("frame too large");
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = MAGIC; out[1] = VERSION; out[2] = f.type; out[3] = 0;
  view.setUint32(4, f.requestId >>> 0);
  let at = 8;
  for (const [tag, values] of f.fields) {
    for (const v of values) {
      out[at] = tag;
      view.setUint32(at + 1, v.length);
      out.set(v, at + 5);
      at += 5 + v.length;
    }
  }
  return out;
}

export function decode(data) {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < 8 || bytes.length > MAX_FRAME_BYTES) throw new FrameError("not a frame");
  if (bytes[0] !== MAGIC || bytes[1] !== VERSION) throw new FrameError("not a version 1 Wardline frame");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const f = frame(bytes[2], view.getUint32(4));
  let at = 8;
  while (at < bytes.length) {
    if (at + 5 > bytes.length) throw new FrameError("truncated field header");
    const tag = bytes[at];
    const length = view.getUint32(at + 1);
    if (at + 5 + length > bytes.length) throw new FrameError("truncated field");
    f.with(tag, bytes.slice(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return f;
}
