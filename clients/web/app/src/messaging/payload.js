// The plaintext of an application message, as the Java clients write it (protocol/PROTOCOL.md, "Attachments"):
// 00 57 41 01 then Java DataOutput fields (writeUTF fileId, name; writeLong size; writeUTF contentType, sha256) is a
// file announcement (org.wardline.clients.messaging.Attachment), read by decodePayload and written by
// encodeAttachment; any other plaintext is UTF-8 text.
const ATTACHMENT = [0x00, 0x57, 0x41, 0x01];

export class PayloadError extends Error {
  constructor() {
    super("a file announcement that could not be read");
    this.name = "PayloadError";
  }
}

/** @returns {{kind: "text", text: string} | {kind: "file", fileId: string, name: string, size: number, contentType: string, sha256: string}} */
export function decodePayload(bytes) {
  if (bytes.length >= 4 && ATTACHMENT.every((b, i) => bytes[i] === b)) {
    const reader = javaDataInput(bytes, 4);
    const file = { kind: "file", fileId: reader.utf(), name: reader.utf(), size: reader.long(), contentType: reader.utf(), sha256: reader.utf() };
    return file;
  }
  return { kind: "text", text: new TextDecoder("utf-8").decode(bytes) };
}

export function encodeText(text) {
  return new TextEncoder().encode(text);
}

/**
 * A file announcement, byte for byte what org.wardline.clients.messaging.Attachment.encode writes: the magic, then
 * writeUTF(fileId), writeUTF(name), writeLong(size), writeUTF(contentType), writeUTF(sha256).
 * @throws {RangeError} when a field is longer than writeUTF allows (65,535 bytes) or the size is not a whole number
 */
export function encodeAttachment({ fileId, name, size, contentType, sha256 }) {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError("a file size must be a whole number of bytes");
  const fields = [fileId, name].map(javaUtf);
  const tail = [contentType ?? "", sha256 ?? ""].map(javaUtf);
  const out = new Uint8Array(4 + [...fields, ...tail].reduce((n, f) => n + f.length, 0) + 8);
  out.set(ATTACHMENT);
  let at = 4;
  for (const f of fields) { out.set(f, at); at += f.length; }
  new DataView(out.buffer).setBigInt64(at, BigInt(size));
  at += 8;
  for (const f of tail) { out.set(f, at); at += f.length; }
  return out;
}

/** Java's writeUTF: a u16 byte length, then modified UTF-8 (NUL as C0 80, each UTF-16 unit on its own). */
function javaUtf(text) {
  const bytes = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) bytes.push(c);
    else if (c <= 0x7ff) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  if (bytes.length > 0xffff) throw new RangeError("a field of a file announcement is longer than 65,535 bytes");
  return Uint8Array.from([bytes.length >> 8, bytes.length & 0xff, ...bytes]);
}

/** Java's DataInput: readUTF (u16 length, modified UTF-8) and readLong (8 bytes, big-endian). */
function javaDataInput(bytes, start) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = start;
  const need = (n) => {
    if (at + n > bytes.length) throw new PayloadError();
  };
  return {
    utf() {
      need(2);
      const length = view.getUint16(at);
      at += 2;
      need(length);
      const text = modifiedUtf8(bytes.subarray(at, at + length));
      at += length;
      return text;
    },
    long() {
      need(8);
      const n = view.getBigInt64(at);
      at += 8;
      if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new PayloadError();
      return Number(n);
    },
  };
}

/** Java's modified UTF-8: NUL as C0 80, characters beyond the BMP as two 3-byte surrogates. */
function modifiedUtf8(bytes) {
  const units = [];
  for (let i = 0; i < bytes.length;) {
    const a = bytes[i];
    if (a < 0x80) {
      units.push(a);
      i += 1;
    } else if ((a & 0xe0) === 0xc0 && i + 1 < bytes.length && (bytes[i + 1] & 0xc0) === 0x80) {
      units.push(((a & 0x1f) << 6) | (bytes[i + 1] & 0x3f));
      i += 2;
    } else if ((a & 0xf0) === 0xe0 && i + 2 < bytes.length && (bytes[i + 1] & 0xc0) === 0x80 && (bytes[i + 2] & 0xc0) === 0x80) {
      units.push(((a & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f));
      i += 3;
    } else {
      throw new PayloadError();
    }
  }
  let text = "";
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode(...units.slice(i, i + 4096));
  return text;
}
