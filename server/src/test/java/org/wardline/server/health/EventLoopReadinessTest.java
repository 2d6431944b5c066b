package org.wardline.server.health;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running server watches its own event loops (issue 19: one died in an attack trial and the server went on
 * resetting a share of new connections, ready all along): a loop that stops answering makes /health/ready 503 with
 * the check named, and ready again once it answers.
 */
class EventLoopReadinessTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static javax.net.ssl.SSLContext device;

    /**
     * Asked on the device listener, which every loop serves (the public and ops listeners have one loop each, which
     * may be the one held): a poll that lands on the held loop times out and the next one lands elsewhere.
     */
    @Test
    void aSilentEventLoopMakesTheServerNotReadyUntilItAnswersAgain() throws Exception {
        device = org.wardline.server.testing.EnrolledDevices.enroll(WARDLINE.server()).sslContext();
        assertThat(ready().statusCode()).isEqualTo(200);
        assertThat(ready().body()).contains("\"id\":\"event-loops\",\"status\":\"UP\"");

        EventExecutor loop = ((VertxInternal) WARDLINE.server().vertx()).nettyEventLoopGroup().iterator().next();
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                release.await(60, TimeUnit.SECONDS); // the loop is held as a blocked handler would hold it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            HttpResponse<String> down = awaitReady(503, Duration.ofSeconds(30));
            JsonObject check = new JsonObject(down.body()).getJsonArray("checks").stream().map(JsonObject.class::cast)
                    .filter(c -> c.getString("id").equals("event-loops")).findFirst().orElseThrow();
            assertThat(check.getString("status")).isEqualTo("DOWN");
            assertThat(check.getJsonObject("data").getString("reason")).contains("1 of ").contains("event loops not answering");
        } finally {
            release.countDown();
        }
        awaitReady(200, Duration.ofSeconds(15));
    }

    /** Polls until the status; a poll whose connection landed on the held loop times out and is tried again. */
    private static HttpResponse<String> awaitReady(int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = ready();
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (java.io.IOException timedOut) {
                // the held loop owns this connection
            }
            Thread.sleep(250);
        }
        throw new AssertionError("readiness never answered " + status + "; last: "
                + (last == null ? "no answer" : last.statusCode() + " " + last.body()));
    }

    /** A check that waits on the held loop (a pooled database connection of it) is DOWN after 3 s: wait longer. */
    private static HttpResponse<String> ready() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(device).connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort()
                    + "/health/ready")).timeout(Duration.ofSeconds(8)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
