package org.wardline.server.health;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The watchdog must see a blocked event loop, or the soak's "0 stalls" would prove nothing. */
class EventLoopWatchdogTest {

    @Test
    void aBlockedLoopCountsOneStallAndAnIdleOneNone() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setBlockedThreadCheckInterval(60_000));
        try (EventLoopWatchdog watchdog = EventLoopWatchdog.start(vertx, Duration.ofMillis(100), Duration.ofMillis(500))) {
            assertThat(watchdog.loopCount()).isEqualTo(2);
            Thread.sleep(700);
            assertThat(watchdog.stalls()).as("idle loops answer").isZero();
            CountDownLatch released = new CountDownLatch(1);
            vertx.runOnContext(v -> {
                try {
                    released.await(10, TimeUnit.SECONDS); // deliberately blocks the loop
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (watchdog.stalls() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            released.countDown();
            assertThat(watchdog.stalls()).as("the blocked loop").isEqualTo(1);
            Thread.sleep(700);
            assertThat(watchdog.stalls()).as("one episode counts once").isEqualTo(1);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
