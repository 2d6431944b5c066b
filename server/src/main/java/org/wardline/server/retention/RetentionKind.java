package org.wardline.server.retention;

import java.util.Locale;
import java.util.Optional;

/** What a retention policy governs; the wire and database name is the lower-case constant. */
public enum RetentionKind {
    MESSAGES, FILES, SHARE_LINKS, AUDIT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RetentionKind> parse(String s) {
        for (RetentionKind k : values()) {
            if (k.wireName().equals(s)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
