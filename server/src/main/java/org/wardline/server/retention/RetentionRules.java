package org.wardline.server.retention;

import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.util.UUID;

/**
 * The limits every retention policy obeys. Periods are whole days from 1 to 100 years: a retention of zero would
 * delete data the moment it is written, so it is refused. Audit entries are kept at least six years (HIPAA's
 * documentation retention, 45 CFR 164.316(b)(2)(i)); six years are counted as 2192 days so that two leap days
 * can never make the floor fall short. Audit retention is organisation-wide.
 */
public final class RetentionRules {
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 36_500;
    public static final int AUDIT_FLOOR_DAYS = 2192;
    /** Audit retention when no policy is set: the legal floor. */
    public static final int AUDIT_DEFAULT_DAYS = AUDIT_FLOOR_DAYS;

    private RetentionRules() {
    }

    /** @throws WardlineHttpException with the code that says what is wrong */
    public static void check(RetentionKind kind, UUID team, long days) {
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new WardlineHttpException(ErrorCode.RETENTION_INVALID);
        }
        if (kind == RetentionKind.AUDIT) {
            if (team != null) {
                throw new WardlineHttpException(ErrorCode.RETENTION_INVALID);
            }
            if (days < AUDIT_FLOOR_DAYS) {
                throw new WardlineHttpException(ErrorCode.RETENTION_BELOW_LEGAL_FLOOR);
            }
        }
    }
}
