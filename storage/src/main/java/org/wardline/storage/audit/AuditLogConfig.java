package org.wardline.storage.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When checkpoints are written: after {@code checkpointEveryEntries} new entries, or on the first append
 * once {@code checkpointInterval} has passed since the last checkpoint, whichever comes first. Pair the
 * interval with a periodic call to {@link AuditLog#checkpoint()} so that a quiet tail is signed too.
 */
public record AuditLogConfig(int checkpointEveryEntries, Duration checkpointInterval) {
    /** 1,000 entries or 5 minutes. */
    public static final AuditLogConfig DEFAULT = new AuditLogConfig(1000, Duration.ofMinutes(5));

    /** @throws IllegalArgumentException listing every problem */
    public AuditLogConfig {
        List<String> problems = new ArrayList<>();
        if (checkpointEveryEntries < 1 || checkpointEveryEntries > 1_000_000) {
            problems.add("audit.checkpointEveryEntries must be between 1 and 1000000");
        }
        if (checkpointInterval == null || checkpointInterval.isNegative() || checkpointInterval.isZero()
                || checkpointInterval.compareTo(Duration.ofDays(1)) > 0) {
            problems.add("audit.checkpointInterval must be positive and at most one day");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
