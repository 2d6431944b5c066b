package org.wardline.server.delivery;

import org.wardline.server.config.WardlineConfig;

import java.time.Duration;

/**
 * Limits of the messaging endpoint.
 *
 * @param framesPerSecond  sustained frames per connection per second (token bucket refill)
 * @param burst            token bucket size
 * @param maxBadFrames     undecodable frames tolerated before the connection is closed
 * @param maxTtl           longest disappearing-message timer (the retention policy's bound)
 * @param expirySweep      how often expired ciphertext is deleted
 * @param maxInFlight      requests of one connection processed at once; beyond it they are refused as rate-limited
 */
public record DeliverySettings(int framesPerSecond, int burst, int maxBadFrames, Duration maxTtl, Duration expirySweep,
                               int maxInFlight) {
    public DeliverySettings {
        if (framesPerSecond < 1 || burst < 1 || maxBadFrames < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("delivery limits must be positive");
        }
        if (maxTtl.isNegative() || maxTtl.isZero() || expirySweep.isNegative() || expirySweep.isZero()) {
            throw new IllegalArgumentException("delivery durations must be positive");
        }
    }

    /** The limits of the configuration's {@code delivery} section (see config/wardline.example.yaml). */
    public static DeliverySettings of(WardlineConfig.Delivery delivery) {
        return new DeliverySettings(delivery.framesPerSecond(), delivery.burst(), 100, Duration.ofDays(30),
                Duration.ofSeconds(5), delivery.maxInFlight());
    }

    public static DeliverySettings defaults() {
        return new DeliverySettings(500, 1_000, 100, Duration.ofDays(30), Duration.ofSeconds(5), 64);
    }
}
