package org.wardline.server.pki;

import org.bouncycastle.asn1.x509.CRLReason;

import java.util.Locale;

/** Why a device certificate stopped working, as stored in the database and as its RFC 5280 CRL reason. */
public enum RevocationReason {
    /** An administrator revoked the device without a more specific reason. */
    ADMIN(CRLReason.unspecified),
    /** The device was lost or stolen: its key must be presumed compromised. */
    LOST(CRLReason.keyCompromise),
    /** The device was remotely wiped. */
    WIPED(CRLReason.cessationOfOperation),
    /** Its user was offboarded. */
    OFFBOARDED(CRLReason.affiliationChanged),
    /** A renewal replaced it; it stopped after the grace period. */
    SUPERSEDED(CRLReason.superseded);

    private final int crlReason;

    RevocationReason(int crlReason) {
        this.crlReason = crlReason;
    }

    public int crlReason() {
        return crlReason;
    }

    /** The value kept in the database ({@code lost}, {@code superseded} …). */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a database or API value; unknown values are {@link #ADMIN}'s unspecified reason. */
    public static RevocationReason fromDb(String value) {
        for (RevocationReason r : values()) {
            if (r.dbValue().equals(value)) {
                return r;
            }
        }
        return ADMIN;
    }

    /** Parses an API value strictly: null when it is not one of the reasons. */
    public static RevocationReason parse(String value) {
        for (RevocationReason r : values()) {
            if (r.dbValue().equals(value)) {
                return r;
            }
        }
        return null;
    }
}
