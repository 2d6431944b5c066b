package org.wardline.server.upload;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.wardline.embedded.ClamdProcess;
import org.wardline.embedded.SupervisedClamd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults during an upload, as the fault trial found them: a crash mid-upload leaves a PENDING object (the sweep
 * discards it and audits it), and a clamd killed mid-upload must be heard by the client at once, leave nothing
 * PENDING or spooled, and come back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadFaultTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of());

    private static SignedInDevice alice;

    @BeforeAll
    static void device() throws Exception {
        alice = EnrolledDevices.enroll(WARDLINE.server());
    }

    @Test
    @Order(1)
    void anUploadLeftPendingLongerThanTheAgeIsDiscardedWithItsKeyAndAudited() throws Exception {
        CountDownLatch crash = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> stalled = stalledUpload(crash);
        try {
            UUID id = awaitPending();
            assertThat(WARDLINE.server().module(AbandonedUploads.class).run().await()).as("younger than the age").isEmpty();

            sql("UPDATE stored_objects SET created_at = now() - interval '7 hours' WHERE object_id = '" + id + "'");
            assertThat(WARDLINE.server().module(AbandonedUploads.class).run().await())
                    .extracting(b -> b.value()).containsExactly(id);

            assertThat(count("SELECT count(*) FROM stored_objects WHERE object_id = '" + id + "' AND state = 'DELETED' "
                    + "AND display_name IS NULL")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM data_keys WHERE object_id = '" + id + "' AND destroyed_at IS NULL")).isZero();
            assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'file.upload_abandoned' AND object_id = '"
                    + id + "'")).isEqualTo(1);
        } finally {
            crash.countDown();
            stalled.handle((r, e) -> null).get();
        }
    }

    @Test
    @Order(2)
    void clamdKilledMidUploadIsHeardWithinSecondsLeavesNothingAndComesBack() throws Exception {
        SupervisedClamd clamd = WARDLINE.dev().clamd().orElseThrow();
        ClamdProcess first = clamd.current();
        java.nio.file.Path scratch = first.scratch();
        CompletableFuture<HttpResponse<String>> response = send(endlessBody());
        awaitPending();

        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
        long killed = System.nanoTime();
        Throwable ended = response.handle((r, e) -> e == null ? null : e).get(90, java.util.concurrent.TimeUnit.SECONDS);
        Duration heardAfter = Duration.ofNanos(System.nanoTime() - killed);

        // The JDK's client reads only after sending: it learns from the closed connection; others read the 503.
        if (ended == null) {
            assertThat(response.get().statusCode()).isEqualTo(503);
        }
        assertThat(heardAfter).as("the client's upload ends while it is still sending, not at the idle timeout")
                .isLessThan(Duration.ofSeconds(5));
        awaitTrue(() -> count("SELECT count(*) FROM audit_entries WHERE action = 'file.uploaded' AND outcome = 'failure' "
                + "AND details LIKE '%scanner%'") == 1, Duration.ofSeconds(5), "the refusal is audited as the scanner's");
        awaitTrue(() -> count("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'") == 0, Duration.ofSeconds(10),
                "nothing left PENDING");
        awaitTrue(() -> !java.nio.file.Files.exists(scratch), Duration.ofSeconds(10), "the dead clamd's spool is removed");
        awaitTrue(() -> readyStatus() == 200, Duration.ofSeconds(120), "readiness is back with a new clamd");
    }

    /** Sends an upload of 1 GiB of text in small blocks: the client is still sending when clamd dies. */
    private static void sendEndlessBody(javax.net.ssl.SSLSocket socket) {
        try {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Authorization: Bearer " + alice.bearer() + "\r\nContent-Length: " + (1L << 30) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream body = endlessBody();
            byte[] block = new byte[16 * 1024];
            for (int n = body.read(block); n > 0; n = body.read(block)) {
                out.write(block, 0, n);
            }
        } catch (IOException e) {
            // the server closed the connection after its answer
        }
    }

    /** The answer's status line, headers and JSON body, read as soon as they come. */
    private static String readAnswer(javax.net.ssl.SSLSocket socket) {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        try {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                got.write(buf, 0, n);
                if (got.toString(StandardCharsets.UTF_8).contains("requestId")) {
                    break;
                }
            }
        } catch (IOException e) {
            // what was read before counts
        }
        return got.toString(StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT).replace("http/1.1", "HTTP/1.1");
    }

    /** Text that does not end before the upload limit: the client is still sending when clamd dies. */
    private static InputStream endlessBody() {
        byte[] line = "routine ward notes, nothing of note\n".getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            private long sent;

            @Override
            public int read() {
                return sent++ < (1L << 30) ? line[(int) (sent % line.length)] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= (1L << 30)) {
                    return -1;
                }
                for (int i = 0; i < len; i++) {
                    b[off + i] = line[(int) ((sent + i) % line.length)];
                }
                sent += len;
                return len;
            }
        };
    }

    private static int readyStatus() {
        try (HttpClient client = HttpClient.newBuilder().sslContext(alice.sslContext()).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort()
                    + "/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** An upload whose client sends its first bytes and then hangs: the server holds a PENDING object for it. */
    private static CompletableFuture<HttpResponse<String>> stalledUpload(CountDownLatch crash) {
        return send(new SequenceInputStream(new ByteArrayInputStream("plain text notes\n".repeat(20_000)
                .getBytes(StandardCharsets.UTF_8)), new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    crash.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("the client went away");
            }
        }));
    }

    private static CompletableFuture<HttpResponse<String>> send(InputStream body) {
        HttpRequest request = alice.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + WARDLINE.server().devicePort() + "/v1/files")))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/plain")
                .header(FileRoutes.FILE_NAME_HEADER, Base64.getUrlEncoder().encodeToString(
                        "notes for J. Doe.txt".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                .build();
        return HttpClient.newBuilder().sslContext(alice.sslContext()).version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static UUID awaitPending() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<UUID> ids = new java.util.ArrayList<>();
            WARDLINE.server().database().pool().query("SELECT object_id FROM stored_objects WHERE state = 'PENDING'")
                    .execute().await().forEach(r -> ids.add(r.getUUID(0)));
            if (ids.size() == 1) {
                return ids.get(0);
            }
            assertThat(System.nanoTime()).as("the upload is PENDING").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void sql(String statement) {
        WARDLINE.server().database().pool().query(statement).execute().await();
    }

    private static long count(String sql) {
        return WARDLINE.server().database().pool().query(sql).execute().await().iterator().next().getLong(0);
    }
}
