package org.wardline.server.delivery;

import java.util.function.LongSupplier;

/** A per-connection rate limit: {@code rate} tokens a second, at most {@code burst} saved. Not thread-safe. */
final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    TokenBucket(int ratePerSecond, int burst, LongSupplier nanoClock) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    boolean tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
