package org.wardline.storage.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A data key encrypted ("wrapped") under one KEK version. Safe to store: useless without the KEK.
 *
 * @param kek        the KEK version that wrapped it
 * @param ciphertext the wrapped key bytes
 */
public record WrappedDataKey(KekId kek, byte[] ciphertext) {
    public WrappedDataKey {
        Objects.requireNonNull(kek, "kek");
        Objects.requireNonNull(ciphertext, "ciphertext");
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WrappedDataKey w && kek.equals(w.kek) && Arrays.equals(ciphertext, w.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * kek.hashCode() + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "WrappedDataKey[kek=" + kek + ", " + ciphertext.length + " bytes]";
    }
}
