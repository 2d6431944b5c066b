package org.wardline.protocol.mls;

import org.bouncycastle.mls.crypto.MlsCipherSuite;

/** The MLS cipher suites Wardline uses (docs/adr/0002-mls-credentials.md). */
public final class MlsSuites {
    /** MLS_256_DHKEMP384_AES256GCM_SHA384_P384 (0x0007): every conversation. */
    public static final short DEFAULT_ID = MlsCipherSuite.MLS_256_DHKEMP384_AES256GCM_SHA384_P384;
    /** MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (0x0001): load generators only. */
    public static final short BENCHMARK_ID = MlsCipherSuite.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

    private MlsSuites() {
    }

    public static MlsCipherSuite suite(short id) {
        try {
            return MlsCipherSuite.getSuite(id);
        } catch (Exception e) {
            throw new IllegalArgumentException("unsupported MLS cipher suite " + id, e);
        }
    }

    public static MlsCipherSuite defaultSuite() {
        return suite(DEFAULT_ID);
    }
}
