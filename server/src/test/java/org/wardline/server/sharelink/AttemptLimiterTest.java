package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.protocol.Secret;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two limiters on two pools stand for two nodes: they share one count per source. */
class AttemptLimiterTest {
    @RegisterExtension
    final PostgresExtension pg = new PostgresExtension();

    private Vertx vertx;
    private Database nodeA;
    private Database nodeB;
    private Instant now = Instant.parse("2026-11-23T10:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeEach
    void open() {
        vertx = Vertx.vertx();
        DatabaseSettings settings = DatabaseSettings.of(pg.host(), pg.port(), pg.database(), pg.user(), Secret.of(pg.password()));
        nodeA = Database.open(vertx, settings);
        nodeB = Database.open(vertx, settings);
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
        vertx.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void failuresThroughEitherNodeCountTowardsOneLimitThatLiftsAfterTheWindow() throws Exception {
        AttemptLimiter a = new AttemptLimiter(nodeA.pool(), 4, Duration.ofMinutes(10), clock);
        AttemptLimiter b = new AttemptLimiter(nodeB.pool(), 4, Duration.ofMinutes(10), clock);
        await(a.failed("192.0.2.7"));
        await(b.failed("192.0.2.7"));
        await(a.failed("192.0.2.7"));
        assertThat(await(b.allowed("192.0.2.7"))).isTrue();
        await(b.failed("192.0.2.7"));
        assertThat(await(a.allowed("192.0.2.7"))).isFalse();
        assertThat(await(b.allowed("192.0.2.7"))).isFalse();
        assertThat(await(a.allowed("192.0.2.8"))).as("another source").isTrue();

        now = now.plus(Duration.ofMinutes(11));
        assertThat(await(b.allowed("192.0.2.7"))).isTrue();
        await(a.failed("192.0.2.7"));
        assertThat(await(a.allowed("192.0.2.7"))).as("a new window counts from one").isTrue();
        now = now.plus(Duration.ofMinutes(11));
        assertThat(await(b.purge())).isEqualTo(1);
    }
}
