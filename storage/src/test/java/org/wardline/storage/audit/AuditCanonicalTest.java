package org.wardline.storage.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Known answers computed by an independent implementation of the specification in AuditCanonical's javadoc. */
class AuditCanonicalTest {
    private static final byte[] PREVIOUS = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            PREVIOUS[i] = (byte) i;
        }
    }

    private static AuditEntry entry(String outcome) {
        return new AuditEntry(7, Instant.parse("2026-11-23T14:05:09.123456789Z"), new UUID(42, 7), null,
                "192.0.2.10", "file.downloaded", "file", "abc-1", outcome, null, "phi_access",
                "{\"bytes\":12,\"mime\":\"application/pdf\"}", PREVIOUS, null);
    }

    @Test
    void entryHashMatchesTheSpecification() {
        assertThat(HexFormat.of().formatHex(AuditCanonical.entryHash(PREVIOUS, entry("success"))))
                .isEqualTo("1776bd97517236b1e16d36ab69a6733a5eb4e6f7d575b756098d15d84f0518da");
    }

    @Test
    void anyChangedFieldChangesTheHash() {
        assertThat(AuditCanonical.entryHash(PREVIOUS, entry("denied")))
                .isNotEqualTo(AuditCanonical.entryHash(PREVIOUS, entry("success")));
        assertThat(AuditCanonical.entryHash(AuditCanonical.GENESIS_HASH, entry("success")))
                .isNotEqualTo(AuditCanonical.entryHash(PREVIOUS, entry("success")));
    }

    @Test
    void absentAndEmptyFieldsEncodeDifferently() {
        AuditEntry absent = entry("success");
        AuditEntry empty = new AuditEntry(absent.seq(), absent.occurredAt(), absent.actorUserId(), null, absent.sourceIp(),
                absent.action(), absent.objectType(), absent.objectId(), absent.outcome(), "", absent.flags(),
                absent.details(), PREVIOUS, null);
        assertThat(AuditCanonical.encodeEntry(empty)).isNotEqualTo(AuditCanonical.encodeEntry(absent));
    }

    @Test
    void checkpointPayloadMatchesTheSpecification() {
        byte[] payload = AuditCanonical.checkpointPayload(7, new byte[32], 0, Instant.parse("2026-11-23T14:05:09Z"), "k1");
        assertThat(HexFormat.of().formatHex(payload)).isEqualTo("0000001c776172646c696e652e61756469742e636865636b706f696e742e7631"
                + "0000000137000000403030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030"
                + "303030303030303030303030303030303000000001300000001b323032362d31312d32335431343a30353a30392e3030303030305a000000026b31");
    }

    @Test
    void timeIsTruncatedToMicrosecondsWithSixDigits() {
        assertThat(AuditCanonical.formatTime(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000000Z");
        assertThat(AuditCanonical.formatTime(Instant.parse("2026-01-02T03:04:05.1234567Z"))).isEqualTo("2026-01-02T03:04:05.123456Z");
    }
}
