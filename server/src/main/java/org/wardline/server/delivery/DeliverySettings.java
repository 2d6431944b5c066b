package org.wardline.server.delivery;

import java.time.Duration;

/**
 * Limits of the messaging endpoint.
 *
 * @param framesPerSecond  sustained frames per connection per second (token bucket refill)
 * @param burst            token bucket size
 * @param maxBadFrames     undecodable frames tolerated before the connection is closed
 * @param maxTtl           longest disappearing-message timer (the retention policy's bound)
 * @param expirySweep      how often expired ciphertext is deleted
 */
public record DeliverySettings(int framesPerSecond, int burst, int maxBadFrames, Duration maxTtl, Duration expirySweep) {
    public DeliverySettings {
        if (framesPerSecond < 1 || burst < 1 || maxBadFrames < 1) {
            throw new IllegalArgumentException("delivery limits must be positive");
        }
        if (maxTtl.isNegative() || maxTtl.isZero() || expirySweep.isNegative() || expirySweep.isZero()) {
            throw new IllegalArgumentException("delivery durations must be positive");
        }
    }

    public static DeliverySettings defaults() {
        return new DeliverySettings(50, 100, 100, Duration.ofDays(30), Duration.ofSeconds(5));
    }
}
