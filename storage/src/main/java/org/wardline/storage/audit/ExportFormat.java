package org.wardline.storage.audit;

import java.util.Locale;

/** Output formats of {@link AuditExporter}. */
public enum ExportFormat {
    /** One JSON object per line (JSON Lines). */
    JSONL,
    /** RFC 4180 CSV with a header row. */
    CSV;

    /** Parses {@code jsonl} or {@code csv} (any case), as given on the command line. */
    public static ExportFormat parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("export format must be jsonl or csv");
        }
    }
}
