package org.wardline.storage.crypto;

import org.wardline.storage.StorageException;

/** A key provider could not do its work: keystore unreadable, wrong passphrase, KMS unreachable, bad key. */
public class KeyProviderException extends StorageException {
    public KeyProviderException(String message) {
        super(message);
    }

    public KeyProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
