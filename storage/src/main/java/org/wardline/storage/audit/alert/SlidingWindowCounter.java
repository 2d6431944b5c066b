package org.wardline.storage.audit.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts events per key within a sliding time window and reports when a key reaches the threshold.
 * After reporting, the key's window is cleared, so a sustained burst alerts once per {@code threshold}
 * events rather than on every event. The number of keys is bounded; the least recently seen go first.
 */
final class SlidingWindowCounter {
    private final int threshold;
    private final Duration window;
    private final Map<String, Deque<Instant>> events;

    SlidingWindowCounter(int threshold, Duration window, int maxKeys) {
        this.threshold = threshold;
        this.window = window;
        this.events = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Records an event for {@code key} at {@code at}; returns the count if it reached the threshold, else 0. */
    int add(String key, Instant at) {
        Deque<Instant> times = events.computeIfAbsent(key, k -> new ArrayDeque<>());
        times.addLast(at);
        Instant oldest = at.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
            times.removeFirst();
        }
        if (times.size() >= threshold) {
            int count = times.size();
            times.clear();
            return count;
        }
        return 0;
    }
}
