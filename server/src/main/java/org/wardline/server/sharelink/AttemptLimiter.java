package org.wardline.server.sharelink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed verification attempts per source address in a fixed window (in memory, per node): enough to stop one
 * client from guessing link IDs, secrets or codes at speed; the per-link lock in PostgreSQL stops slow guessing.
 */
final class AttemptLimiter {
    private static final int MAX_TRACKED = 50_000;

    private record Window(Instant start, int failures) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;

    AttemptLimiter(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    boolean allowed(String source) {
        Window w = windows.get(source);
        return w == null || expired(w) || w.failures() < maxFailures;
    }

    void failed(String source) {
        if (windows.size() > MAX_TRACKED) {
            windows.values().removeIf(this::expired);
        }
        windows.compute(source, (k, w) -> w == null || expired(w) ? new Window(clock.instant(), 1)
                : new Window(w.start(), w.failures() + 1));
    }

    private boolean expired(Window w) {
        return clock.instant().isAfter(w.start().plus(window));
    }
}
