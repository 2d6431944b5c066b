package org.wardline.storage.object;

import org.wardline.storage.blob.BlobId;

import java.util.HexFormat;

/**
 * An upload whose ciphertext is stored but which awaits its inspection verdict.
 *
 * @param id     the object id
 * @param size   plaintext bytes stored
 * @param sha256 SHA-256 of the plaintext
 */
public record PendingUpload(BlobId id, long size, byte[] sha256) {
    public PendingUpload {
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public String toString() {
        return "PendingUpload[" + id + ", " + size + " bytes, sha256=" + HexFormat.of().formatHex(sha256) + "]";
    }
}
