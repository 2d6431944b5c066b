package org.wardline.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the stall tests ask a single server over its device listener: readiness with its body, an upload, a wait. */
public final class FaultChecks {
    private FaultChecks() {
    }

    /** {@code /health/ready}'s status and body, or status -1 when it does not answer within 10 s. */
    public record Ready(int status, String body) {
    }

    public static Ready ready(SignedInDevice device, int devicePort) {
        try (HttpClient client = HttpClient.newBuilder().sslContext(device.sslContext()).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + devicePort
                    + "/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Ready(r.statusCode(), r.body());
        } catch (Exception e) {
            return new Ready(-1, e.getClass().getSimpleName());
        }
    }

    /** A small text upload with a file name; waits at most {@code within} for the answer. */
    public static HttpResponse<String> upload(SignedInDevice device, int devicePort, String text, Duration within)
            throws Exception {
        HttpRequest request = device.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + devicePort
                        + "/v1/files")))
                .timeout(within)
                .header("Content-Type", "text/plain")
                .header("X-Wardline-File-Name", Base64.getUrlEncoder().encodeToString(
                        "ward notes.txt".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(text))
                .build();
        try (HttpClient client = HttpClient.newBuilder().sslContext(device.sslContext())
                .version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Polls every 100 ms; fails naming {@code what} when {@code within} passes first. */
    public static void awaitTrue(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    public static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
