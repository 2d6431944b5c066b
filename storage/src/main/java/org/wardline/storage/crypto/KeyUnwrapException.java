package org.wardline.storage.crypto;

/**
 * A wrapped data key did not authenticate under the KEK version it names: it was altered, wrapped under another
 * KEK, or belongs to another object.
 */
public class KeyUnwrapException extends KeyProviderException {
    public KeyUnwrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
