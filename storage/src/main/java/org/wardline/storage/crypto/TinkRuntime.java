package org.wardline.storage.crypto;

import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;

import java.security.GeneralSecurityException;

/** Registers the Tink primitives Wardline uses, once per JVM. */
public final class TinkRuntime {
    static {
        try {
            AeadConfig.register();
            StreamingAeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TinkRuntime() {
    }

    /** Makes sure registration has happened; cheap after the first call. */
    public static void init() {
        // The static initializer does the work.
    }
}
