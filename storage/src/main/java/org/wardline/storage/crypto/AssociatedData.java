package org.wardline.storage.crypto;

import org.wardline.storage.blob.BlobId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The associated data that binds ciphertext to its object. Authenticated, not encrypted: a wrapped data key or an
 * object's ciphertext moved onto another object id fails authentication.
 */
public final class AssociatedData {
    private static final byte[] DATA_KEY = "wardline-data-key-v1:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OBJECT = "wardline-object-v1:".getBytes(StandardCharsets.US_ASCII);

    private AssociatedData() {
    }

    /** For wrapping the object's data key under a KEK. */
    public static byte[] forDataKey(BlobId id) {
        return bind(DATA_KEY, id);
    }

    /** For the object's streaming-AEAD ciphertext. */
    public static byte[] forObject(BlobId id) {
        return bind(OBJECT, id);
    }

    private static byte[] bind(byte[] prefix, BlobId id) {
        return ByteBuffer.allocate(prefix.length + 16)
                .put(prefix)
                .putLong(id.value().getMostSignificantBits())
                .putLong(id.value().getLeastSignificantBits())
                .array();
    }
}
