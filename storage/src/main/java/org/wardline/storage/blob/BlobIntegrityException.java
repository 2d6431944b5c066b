package org.wardline.storage.blob;

import java.io.IOException;

/**
 * Stored bytes failed authentication while being read: the ciphertext was altered, truncated, belongs to another
 * object, or was encrypted under another key. Thrown from the read methods of streams returned by
 * {@link EncryptingBlobStore}, hence an {@link IOException}. Never retry: the stored object is not trustworthy.
 */
public class BlobIntegrityException extends IOException {
    public BlobIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
