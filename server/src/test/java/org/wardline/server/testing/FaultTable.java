package org.wardline.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The fault suite's results, one line per fault and round, for {@code ./wardline bench faults}: the tests run with
 * {@code wardline.faults.rounds} rounds and append their lines to the file {@code wardline.faults.table} names (in
 * the ordinary test run neither is set: one round, nothing written). No PHI: counts and times only.
 */
public final class FaultTable {
    static final String HEADER = String.format(Locale.ROOT, "%-28s %6s %12s %9s %5s %10s %7s  %s%n", "fault", "round",
            "acknowledged", "delivered", "lost", "duplicated", "residue", "recovery");

    private FaultTable() {
    }

    /** How many rounds each fault test runs: {@code -Dwardline.faults.rounds}, 1 by default. */
    public static int rounds() {
        return Integer.getInteger("wardline.faults.rounds", 1);
    }

    /**
     * One line: {@code acknowledged} what the server confirmed (messages, or uploads answered), {@code delivered}
     * the deliveries of those that arrived of those owed, {@code residue} what the fault left behind, {@code recovery}
     * in words with its times.
     */
    public static void record(String fault, int round, long acknowledged, String delivered, long lost, long duplicated,
                              long residue, String recovery) {
        String file = System.getProperty("wardline.faults.table");
        if (file == null || file.isBlank()) {
            return;
        }
        String line = String.format(Locale.ROOT, "%-28s %6d %12d %9s %5d %10d %7d  %s%n", fault, round, acknowledged,
                delivered, lost, duplicated, residue, recovery);
        Path path = Path.of(file);
        try {
            synchronized (FaultTable.class) {
                if (!Files.exists(path)) {
                    Files.writeString(path, HEADER, StandardCharsets.UTF_8);
                }
                Files.writeString(path, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 1.23 s}. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
}
