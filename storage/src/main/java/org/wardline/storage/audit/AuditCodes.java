package org.wardline.storage.audit;

import java.util.regex.Pattern;

/**
 * Validation of the short codes that audit entries may carry. Codes are deliberately narrow (no spaces,
 * no quotes, bounded length) so that free text, and with it PHI such as names or file names, cannot be
 * smuggled into the trail. Error messages name the field, never the rejected value.
 */
final class AuditCodes {
    /** Dotted lower-case action codes such as {@code auth.signin.failed}. */
    static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    /** Object types such as {@code file}, {@code sharelink}, {@code user}. */
    static final Pattern OBJECT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** Identifiers and short codes: letters, digits and {@code . _ : / -}, starting with a letter or digit. */
    static final Pattern SHORT_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");
    /** Keys of the details map. */
    static final Pattern DETAIL_KEY = Pattern.compile("[a-z][A-Za-z0-9_]{0,31}");

    static final int MAX_ACTION_LENGTH = 64;
    static final int MAX_CODE_LENGTH = 64;
    static final int MAX_ID_LENGTH = 128;

    private AuditCodes() {
    }

    static String require(String field, String value, Pattern pattern, int maxLength) {
        if (value == null) {
            throw new IllegalArgumentException("audit field '" + field + "' is required");
        }
        if (value.length() > maxLength || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("audit field '" + field + "' must match " + pattern.pattern()
                    + " and be at most " + maxLength + " characters");
        }
        return value;
    }

    static String optional(String field, String value, Pattern pattern, int maxLength) {
        return value == null ? null : require(field, value, pattern, maxLength);
    }
}
