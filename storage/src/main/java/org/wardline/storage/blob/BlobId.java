package org.wardline.storage.blob;

import java.util.Objects;
import java.util.UUID;

/**
 * A stored object's identity: a random (version 4) UUID. It is the S3 key as is, so keys carry nothing about
 * the file, its owner or its name.
 *
 * @param value the UUID
 */
public record BlobId(UUID value) {
    public BlobId {
        Objects.requireNonNull(value, "value");
    }

    /** A fresh random id (122 random bits from a cryptographically strong generator). */
    public static BlobId random() {
        return new BlobId(UUID.randomUUID());
    }

    /**
     * Parses the canonical form ({@code 8-4-4-4-12} lowercase or uppercase hex).
     *
     * @throws IllegalArgumentException when {@code text} is not a canonical UUID
     */
    public static BlobId parse(String text) {
        if (text == null || text.length() != 36) {
            throw new IllegalArgumentException("not an object id");
        }
        try {
            UUID uuid = UUID.fromString(text);
            if (!uuid.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException("not an object id");
            }
            return new BlobId(uuid);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an object id", e);
        }
    }

    /** The S3 object key. */
    public String key() {
        return value.toString();
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
