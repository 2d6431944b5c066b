package org.wardline.server.health;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class HealthRoutesTest {
    private final List<Promise<Void>> stalled = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() {
        logs.start();
        root.addAppender(logs);
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new HealthRoutes(vertx, List.of(
                new DependencyCheck("postgresql", Future::succeededFuture),
                new DependencyCheck("s3", () -> {
                    Promise<Void> hung = Promise.promise();
                    stalled.add(hung);
                    return hung.future();
                }))).mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    }

    @AfterEach
    void stop() {
        root.detachAppender(logs);
        vertx.close().await();
    }

    @Test
    void aCheckThatHangsIsA503NamingItWithinTheTimeoutAndItsLateAnswerIsHarmless() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> r = ready();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(took).as("a hung check is reported after its 3 s timeout, not the listener's idle timeout").isLessThan(Duration.ofSeconds(15));
        JsonObject s3 = check(r, "s3");
        assertThat(s3.getString("status")).isEqualTo("DOWN");
        assertThat(s3.getJsonObject("data").getString("reason")).contains("s3 did not answer within 3000 ms");
        assertThat(check(r, "postgresql").getString("status")).isEqualTo("UP");

        stalled.forEach(Promise::complete);
        HttpResponse<String> again = ready();
        assertThat(again.statusCode()).isEqualTo(503);
        synchronized (logs) {
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage, e -> String.valueOf(e.getThrowableProxy() == null
                    ? "" : e.getThrowableProxy().getMessage())).noneMatch(t -> t.toList().toString().contains("already complete"));
        }
    }

    private HttpResponse<String> ready() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/health/ready"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static JsonObject check(HttpResponse<String> r, String id) {
        return new JsonObject(r.body()).getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("id").equals(id)).findFirst().orElseThrow();
    }
}
