package org.wardline.storage.object;

import org.wardline.protocol.Secret;
import org.wardline.storage.blob.BlobId;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A row of {@code stored_objects}.
 *
 * @param id            the random object id (also the S3 key)
 * @param owner         the uploading user's id
 * @param state         lifecycle state
 * @param size          plaintext size in bytes, once written
 * @param contentType   type detected from the content, once inspected
 * @param sha256        SHA-256 of the plaintext, once written (empty array when unknown)
 * @param displayName   the user's file name: PHI, kept only in PostgreSQL, never printed
 * @param createdAt     when the upload started
 * @param committedAt   when it was committed
 */
public record StoredObject(BlobId id, UUID owner, ObjectState state, OptionalLong size, Optional<String> contentType,
                           byte[] sha256, Optional<Secret<String>> displayName, Instant createdAt,
                           Optional<Instant> committedAt) {

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** The SHA-256 in lowercase hex, or empty when unknown. */
    public Optional<String> sha256Hex() {
        return sha256.length == 0 ? Optional.empty() : Optional.of(HexFormat.of().formatHex(sha256));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredObject o && id.equals(o.id) && state == o.state
                && Arrays.equals(sha256, o.sha256);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "StoredObject[" + id + ", owner=" + owner + ", " + state + ", size=" + size + ", contentType="
                + contentType.orElse("?") + "]";
    }
}
