package org.wardline.server.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A refused request is logged and counted under its route pattern; only a path no route declares is "unmatched". */
class RefusedRouteLogTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    @BeforeAll
    static void capture() {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(AccessLog.class)).addAppender(LOGS);
    }

    @AfterAll
    static void release() {
        ((Logger) LoggerFactory.getLogger(AccessLog.class)).detachAppender(LOGS);
    }

    @Test
    void refusalsCarryTheirRoutePatternAndAScanOfRandomPathsDoesNot() throws Exception {
        WardlineApi api = new WardlineApi(WARDLINE.server());
        WardlineApi.Account clinician = EnrolledDevices.account(WARDLINE.server());

        WardlineApi.Reply forbidden = api.get("/v1/admin/users", clinician.accessToken);
        assertThat(forbidden.status()).isEqualTo(403);
        WardlineApi.Reply unauthenticated = api.get("/v1/admin/users", null);
        assertThat(unauthenticated.status()).isEqualTo(401);
        WardlineApi.Reply scan = api.get("/wp-admin/setup-config.php", null);
        assertThat(scan.status()).isEqualTo(404);

        assertThat(logged(403)).contains("/v1/admin/users");
        assertThat(logged(401)).contains("/v1/admin/users");
        assertThat(logged(404)).contains("unmatched");

        String metrics = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + WARDLINE.server().opsPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics.lines().filter(l -> l.startsWith("vertx_http_server_requests_total") && l.contains("code=\"403\"")))
                .anySatisfy(l -> assertThat(l).contains("route=\"/v1/admin/users\""));
    }

    /** The route of the access-log line with this status (lines follow the response: read until it is there). */
    private static Optional<String> logged(int status) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Optional<String> route = LOGS.list.stream().filter(e -> e.getKeyValuePairs() != null && e.getKeyValuePairs().stream()
                            .anyMatch(kv -> kv.key.equals("status") && Integer.valueOf(status).equals(kv.value)))
                    .reduce((a, b) -> b)
                    .flatMap(e -> e.getKeyValuePairs().stream().filter(kv -> kv.key.equals("route")).findFirst())
                    .map(kv -> String.valueOf(kv.value));
            if (route.isPresent()) {
                return route;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }
}
