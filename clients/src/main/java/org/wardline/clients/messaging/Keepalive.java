package org.wardline.clients.messaging;

import java.time.Duration;

/**
 * WebSocket pings on an otherwise idle connection: every {@code interval} a ping is sent, and when nothing at all
 * (pong or any other message) arrives within {@code timeout} after it, the connection is taken for dead and
 * dropped, so the client reconnects. The device listener closes connections idle for 120 s, so the interval must
 * stay well below that.
 */
public record Keepalive(Duration interval, Duration timeout) {
    /** A ping every 30 s; dead after 20 s without an answer. */
    public static final Keepalive DEFAULT = new Keepalive(Duration.ofSeconds(30), Duration.ofSeconds(20));
    /** No pings (tests that need a connection the server will close as idle). */
    public static final Keepalive OFF = new Keepalive(Duration.ZERO, Duration.ZERO);

    public Keepalive {
        if (interval.isNegative() || timeout.isNegative() || interval.isZero() != timeout.isZero()) {
            throw new IllegalArgumentException("keepalive interval and timeout must both be positive, or both zero (off)");
        }
    }

    boolean enabled() {
        return !interval.isZero();
    }
}
