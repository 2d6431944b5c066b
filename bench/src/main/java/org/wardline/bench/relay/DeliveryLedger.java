package org.wardline.bench.relay;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client's side of the count: when each message was sent, what the server answered (accepted, refused with an
 * error code, or no answer at all: lost), who got it, and the latency histogram. A refused message must never be
 * delivered; a lost one may have been (the server may have stored it before the connection failed).
 */
final class DeliveryLedger {
    private final Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final Map<ByteBuffer, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, AtomicLong> waiting = new ConcurrentHashMap<>();
    private final Set<ByteBuffer> refusedMessages = ConcurrentHashMap.newKeySet();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> ackRefusals = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deliveredRefused = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong complete = new AtomicLong();

    void sent(byte[] payload, int recipients) {
        ByteBuffer key = key(payload);
        waiting.put(key, new AtomicLong(recipients));
        sentAt.put(key, System.nanoTime());
    }

    void recordAccepted() {
        accepted.incrementAndGet();
    }

    /** The server answered with an error: {@code code} is the protocol's error code. */
    void refused(byte[] payload, String code) {
        refusedMessages.add(key(payload));
        refusals.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    /** No answer: the connection was lost or the request timed out. */
    void recordLost() {
        lost.incrementAndGet();
    }

    void ackRefused(String code) {
        ackRefusals.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    /**
     * A DELIVER of {@code payload} reached a device whose own set of seen payloads is {@code seen}: recorded
     * once; a redelivery to the same device is counted but not recorded again.
     */
    void delivered(byte[] payload, Set<ByteBuffer> seen) {
        long now = System.nanoTime();
        ByteBuffer key = key(payload);
        Long t = sentAt.get(key);
        if (t == null) {
            unknown.incrementAndGet();
            return;
        }
        if (!seen.add(key)) {
            duplicates.incrementAndGet();
            return;
        }
        if (refusedMessages.contains(key)) {
            deliveredRefused.incrementAndGet();
            return;
        }
        latency.recordValue(Math.max(1, (now - t) / 1000));
        delivered.incrementAndGet();
        if (waiting.get(key).decrementAndGet() == 0) {
            complete.incrementAndGet();
        }
    }

    static ByteBuffer key(byte[] payload) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Histogram latency() {
        return latency;
    }

    long accepted() {
        return accepted.get();
    }

    long lost() {
        return lost.get();
    }

    /** Refused sends by error code, sorted by code. */
    Map<String, Long> refusals() {
        return sorted(refusals);
    }

    long refused() {
        return refusals.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Refused ACK frames by error code (their SEQs are acknowledged again later). */
    Map<String, Long> ackRefusals() {
        return sorted(ackRefusals);
    }

    long delivered() {
        return delivered.get();
    }

    /** Deliveries of messages the server had refused: always 0 unless the server is wrong. */
    long deliveredRefused() {
        return deliveredRefused.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long unknown() {
        return unknown.get();
    }

    long fullyDelivered() {
        return complete.get();
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((code, n) -> out.put(code, n.sum()));
        return out;
    }
}
