package org.wardline.storage.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The canonical encodings that the audit chain hashes and signs. This is the specification an auditor
 * needs to re-implement verification independently.
 *
 * <h2>Field encoding</h2>
 * A record is a sequence of fields. Each field is its UTF-8 bytes preceded by their length as a
 * 4-byte big-endian signed integer; an absent (SQL NULL) field is the length {@code -1}
 * ({@code FF FF FF FF}) with no bytes. An empty string is the length 0.
 *
 * <h2>Entry hash</h2>
 * {@code entry_hash = SHA-256(prev_hash || fields)} where {@code prev_hash} is the 32 raw bytes of the
 * previous entry's hash (32 zero bytes before entry 1) and {@code fields} is, in this order:
 * <ol>
 *   <li>the literal {@code wardline.audit.entry.v1}</li>
 *   <li>{@code seq} in decimal</li>
 *   <li>{@code occurred_at} in UTC as {@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'} (always six fraction digits)</li>
 *   <li>{@code actor_user_id}, lower-case hyphenated UUID, or absent</li>
 *   <li>{@code actor_device_id}, likewise</li>
 *   <li>{@code source_ip} as stored, or absent</li>
 *   <li>{@code action}</li>
 *   <li>{@code object_type}, or absent</li>
 *   <li>{@code object_id}, or absent</li>
 *   <li>{@code outcome}</li>
 *   <li>{@code request_id}, or absent</li>
 *   <li>{@code flags} as stored (sorted codes joined by commas; empty for none)</li>
 *   <li>{@code details} as stored (canonical JSON, see {@link AuditDetails})</li>
 * </ol>
 *
 * <h2>Checkpoint signature</h2>
 * A checkpoint signs the same field encoding of: the literal {@code wardline.audit.checkpoint.v1},
 * {@code seq} in decimal, {@code entry_hash} of that entry in lower-case hex, {@code previous_seq}
 * (the seq of the checkpoint before it, 0 for the first) in decimal, {@code created_at} formatted as
 * above, and {@code key_id} (lower-case hex SHA-256 of the signer's X.509 SubjectPublicKeyInfo).
 * The signature is {@code SHA256withECDSA} (DER) for EC keys or {@code Ed25519} for EdDSA keys, as
 * named in the checkpoint's {@code algorithm} column.
 */
public final class AuditCanonical {
    /** The previous hash of entry 1. */
    public static final byte[] GENESIS_HASH = new byte[32];

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AuditCanonical() {
    }

    /** The field encoding of an entry (without the previous hash). */
    public static byte[] encodeEntry(AuditEntry e) {
        return new Fields()
                .add("wardline.audit.entry.v1")
                .add(Long.toString(e.seq()))
                .add(formatTime(e.occurredAt()))
                .add(uuid(e.actorUserId()))
                .add(uuid(e.actorDeviceId()))
                .add(e.sourceIp())
                .add(e.action())
                .add(e.objectType())
                .add(e.objectId())
                .add(e.outcome())
                .add(e.requestId())
                .add(e.flags())
                .add(e.details())
                .bytes();
    }

    /** {@code SHA-256(previousHash || encodeEntry(entry))}; ignores the hashes held in {@code entry}. */
    public static byte[] entryHash(byte[] previousHash, AuditEntry entry) {
        MessageDigest sha256 = sha256();
        sha256.update(previousHash);
        sha256.update(encodeEntry(entry));
        return sha256.digest();
    }

    /** The bytes a checkpoint signature covers. */
    public static byte[] checkpointPayload(long seq, byte[] entryHash, long previousSeq, Instant createdAt, String keyId) {
        return new Fields()
                .add("wardline.audit.checkpoint.v1")
                .add(Long.toString(seq))
                .add(HexFormat.of().formatHex(entryHash))
                .add(Long.toString(previousSeq))
                .add(formatTime(createdAt))
                .add(keyId)
                .bytes();
    }

    /** The canonical time text; the instant is truncated to microseconds, as PostgreSQL stores it. */
    public static String formatTime(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static String uuid(UUID id) {
        return id == null ? null : id.toString();
    }

    private static final class Fields {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        Fields add(String value) {
            if (value == null) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
                out.writeBytes(bytes);
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
