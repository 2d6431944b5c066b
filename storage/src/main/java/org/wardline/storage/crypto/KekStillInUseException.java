package org.wardline.storage.crypto;

/** A KEK version cannot be retired: live data keys are still wrapped under it. Re-wrap them first. */
public class KekStillInUseException extends KeyProviderException {
    public KekStillInUseException(KekId kek, long liveKeys) {
        super("key-encryption key " + kek + " still wraps " + liveKeys + " live data keys; re-wrap them first");
    }
}
