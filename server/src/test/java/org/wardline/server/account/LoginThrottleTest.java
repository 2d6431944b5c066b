package org.wardline.server.account;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {
    @RegisterExtension
    final PostgresExtension pg = new PostgresExtension();

    private Vertx vertx;
    private Database database;
    private LoginThrottle throttle;

    @BeforeEach
    void open() {
        vertx = Vertx.vertx();
        database = Database.open(vertx, DatabaseSettings.of(pg.host(), pg.port(), pg.database(), pg.user(),
                org.wardline.protocol.Secret.of(pg.password())));
        throttle = new LoginThrottle(database.pool(), 3, 3, Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        database.close();
        vertx.close();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void backOffStartsAtTheThresholdDoublesAndIsCapped() throws Exception {
        List<String> keys = List.of(LoginThrottle.accountKey("Nobody.Here"), LoginThrottle.addressKey("192.0.2.7"));
        await(throttle.recordFailure(keys));
        await(throttle.recordFailure(keys));
        assertThat(await(throttle.waitFor(keys))).isEqualTo(Duration.ZERO);
        await(throttle.recordFailure(keys));
        Duration first = await(throttle.waitFor(keys));
        assertThat(first).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        await(throttle.recordFailure(keys));
        await(throttle.recordFailure(keys));
        assertThat(await(throttle.waitFor(keys))).isGreaterThan(Duration.ofSeconds(2)).isLessThanOrEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < 10; i++) {
            await(throttle.recordFailure(keys));
        }
        assertThat(await(throttle.waitFor(keys))).isGreaterThan(Duration.ofSeconds(50)).isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theSameNameIsThrottledCaseInsensitivelyAndFromAnyAddress() throws Exception {
        for (int i = 0; i < 4; i++) {
            await(throttle.recordFailure(List.of(LoginThrottle.accountKey("Alice"), LoginThrottle.addressKey("198.51.100." + i))));
        }
        assertThat(await(throttle.waitFor(List.of(LoginThrottle.accountKey("alice "), LoginThrottle.addressKey("203.0.113.9")))))
                .isPositive();
        await(throttle.clear(LoginThrottle.accountKey("alice")));
        assertThat(await(throttle.waitFor(List.of(LoginThrottle.accountKey("alice"))))).isEqualTo(Duration.ZERO);
    }

    @Test
    void sprayingManyNamesFromOneAddressIsThrottledByAddress() throws Exception {
        for (int i = 0; i < 4; i++) {
            await(throttle.recordFailure(List.of(LoginThrottle.accountKey("user" + i), LoginThrottle.addressKey("192.0.2.50"))));
        }
        assertThat(await(throttle.waitFor(List.of(LoginThrottle.accountKey("fresh.name"), LoginThrottle.addressKey("192.0.2.50")))))
                .isPositive();
    }
}
