package org.wardline.storage.crypto;

/** No KEK version with this id in the provider: retired, or from another keystore. */
public class UnknownKekException extends KeyProviderException {
    public UnknownKekException(KekId kek) {
        super("unknown key-encryption key version " + kek);
    }
}
