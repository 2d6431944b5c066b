package org.wardline.server.upload;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.dev.DevRuntime;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.FaultTable;
import org.wardline.server.testing.PausableRelay;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3 that hangs during a large upload, as SIGSTOP of the S3 server did in the fault trial (issue 22, item 4):
 * the client heard the 503 only at the listener's 120 s idle timeout. The server's S3 client reaches s3proxy
 * through a {@link PausableRelay}; pausing it holds every S3 connection open without an answer.
 */
class S3StallTest {
    /** The server's per-request S3 timeout in this test ({@code storage.s3.timeoutMillis}). */
    private static final Duration S3_TIMEOUT = Duration.ofSeconds(4);

    private static final PausableRelay S3_RELAY = new PausableRelay(() -> {
        URI s3 = DevRuntime.s3Endpoint(S3StallTest.WARDLINE.dataDir()).orElseThrow();
        return new InetSocketAddress(s3.getHost(), s3.getPort());
    });

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of(
            "WARDLINE_STORAGE_S3_ENDPOINT", S3_RELAY.endpoint().toString(),
            "WARDLINE_STORAGE_S3_TIMEOUT_MILLIS", Long.toString(S3_TIMEOUT.toMillis())));

    private static SignedInDevice alice;

    @BeforeAll
    static void device() throws Exception {
        alice = EnrolledDevices.enroll(WARDLINE.server());
    }

    @AfterAll
    static void closeRelay() {
        S3_RELAY.close();
    }

    @Test
    void s3StalledMidUploadIsHeardSoonAfterItsTimeoutLeavesNothingAndRecovers() throws Exception {
        for (int round = 1; round <= FaultTable.rounds(); round++) {
            stallOnce(round);
        }
    }

    private void stallOnce(int round) throws Exception {
        long discardedBefore = count("SELECT count(*) FROM stored_objects WHERE state = 'DELETED' AND display_name IS NULL");
        long refusedBefore = count(REFUSED_AS_STORAGE);
        long committedBefore = count("SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED'");
        Duration heardAfter;
        try (SSLSocket socket = (SSLSocket) alice.sslContext().getSocketFactory()
                .createSocket("127.0.0.1", WARDLINE.server().devicePort())) {
            socket.setSoTimeout(150_000);
            socket.startHandshake();
            Thread.ofVirtual().name("endless-upload").start(() -> sendEndlessBody(socket));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> readAnswer(socket));

            long before = S3_RELAY.upstreamBytes();
            awaitTrue(() -> S3_RELAY.upstreamBytes() - before > (2 << 20), Duration.ofSeconds(60),
                    "the upload's first part is on its way to S3");
            S3_RELAY.pause();
            long paused = System.nanoTime();
            String got = answer.get(150, java.util.concurrent.TimeUnit.SECONDS);
            heardAfter = Duration.ofNanos(System.nanoTime() - paused);

            assertThat(got).startsWith("HTTP/1.1 503").contains("storage.unavailable");
            assertThat(heardAfter).as("heard within seconds of the S3 timeout, not at the 120 s idle timeout")
                    .isLessThan(S3_TIMEOUT.plusSeconds(8));
        }
        awaitTrue(() -> count("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'") == 0,
                Duration.ofSeconds(5), "nothing left PENDING while S3 still hangs");
        assertThat(count("SELECT count(*) FROM stored_objects WHERE state = 'DELETED' AND display_name IS NULL"))
                .as("the failed upload's row is discarded without its file name").isEqualTo(discardedBefore + 1);
        assertThat(count(LIVE_KEYS_OF_DISCARDED)).as("its data key destroyed").isZero();
        assertThat(count(REFUSED_AS_STORAGE)).as("the refusal is audited as storage's").isEqualTo(refusedBefore + 1);
        assertThat(readyStatus()).as("readiness is honest while S3 hangs").isEqualTo(503);

        S3_RELAY.resume();
        long resumed = System.nanoTime();
        awaitTrue(() -> readyStatus() == 200, Duration.ofSeconds(30), "readiness is back once S3 answers");
        Duration recovered = Duration.ofNanos(System.nanoTime() - resumed);
        assertThat(recovered).as("readiness back within seconds").isLessThan(S3_TIMEOUT.plusSeconds(10));

        String notes = "routine ward notes, nothing of note\n".repeat(1_000);
        HttpResponse<String> again = upload(notes);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        boolean readBack = notes.equals(download(new io.vertx.core.json.JsonObject(again.body()).getString("id")));
        long committed = count("SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED'");
        assertThat(committed).isEqualTo(committedBefore + 1);
        // What reached S3 during the stall (the part in flight) may be stored after it resumes; the abort and the
        // deletes follow once it answers again, so nothing of the failed upload stays.
        long cleaned = System.nanoTime();
        awaitTrue(() -> filesIn("wardline-objects") == committed && filesIn("wardline-quarantine") == 0,
                Duration.ofSeconds(30), "S3 holds the committed objects and nothing of the failed upload");
        Duration cleanedAfter = Duration.ofNanos(System.nanoTime() - cleaned);
        long residue = count("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'") + count(LIVE_KEYS_OF_DISCARDED)
                + filesIn("wardline-objects") - committed + filesIn("wardline-quarantine");
        System.out.println("S3 stalled mid-upload: the client heard the 503 after " + heardAfter.toMillis()
                + " ms; S3 resumed: readiness 200 after " + recovered.toMillis() + " ms");
        FaultTable.record("S3 stalled mid-upload", round, 1, (readBack ? 1 : 0) + "/1", readBack ? 0 : 1, 0, residue,
                "503 after "
                + FaultTable.seconds(heardAfter) + " (S3 timeout " + FaultTable.seconds(S3_TIMEOUT) + "), ready "
                + FaultTable.seconds(recovered) + " after S3 resumed, its parts gone "
                + FaultTable.seconds(cleanedAfter) + " later");
        assertThat(readBack).as("the upload acknowledged after S3 resumed reads back whole").isTrue();
        assertThat(residue).isZero();
    }

    private static final String REFUSED_AS_STORAGE = "SELECT count(*) FROM audit_entries WHERE action = 'file.uploaded' "
            + "AND outcome = 'failure' AND details LIKE '%storage%'";
    private static final String LIVE_KEYS_OF_DISCARDED = "SELECT count(*) FROM data_keys k JOIN stored_objects o "
            + "USING (object_id) WHERE o.state = 'DELETED' AND k.destroyed_at IS NULL";

    /** Files under a bucket's directory in s3proxy's filesystem backend: objects and any multipart parts. */
    private static long filesIn(String bucket) {
        java.nio.file.Path dir = WARDLINE.dataDir().resolve("s3").resolve(bucket);
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = java.nio.file.Files.walk(dir)) {
            return files.filter(java.nio.file.Files::isRegularFile).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A chunked upload of text that does not end before the relay is paused, written as fast as the server reads. */
    private static void sendEndlessBody(SSLSocket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Authorization: Bearer " + alice.bearer() + "\r\n" + FileRoutes.FILE_NAME_HEADER + ": "
                    + Base64.getUrlEncoder().encodeToString("ward notes.txt".getBytes(StandardCharsets.UTF_8))
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "routine ward notes, nothing of note\n".repeat(455).getBytes(StandardCharsets.US_ASCII);
            byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] trailer = "\r\n".getBytes(StandardCharsets.US_ASCII);
            for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
                out.write(header);
                out.write(chunk);
                out.write(trailer);
            }
        } catch (IOException e) {
            // the server closed the connection after its answer
        }
    }

    /** The answer's status line, headers and JSON body, read as soon as they come. */
    private static String readAnswer(SSLSocket socket) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
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
        return got.toString(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> upload(String text) throws Exception {
        HttpRequest request = alice.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + WARDLINE.server().devicePort() + "/v1/files")))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(text))
                .build();
        try (HttpClient client = HttpClient.newBuilder().sslContext(alice.sslContext()).build()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String download(String id) throws Exception {
        HttpRequest request = alice.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + WARDLINE.server().devicePort() + "/v1/files/" + id))).timeout(Duration.ofSeconds(60)).GET().build();
        try (HttpClient client = HttpClient.newBuilder().sslContext(alice.sslContext()).build()) {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        }
    }

    private static int readyStatus() {
        try (HttpClient client = HttpClient.newBuilder().sslContext(alice.sslContext()).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort()
                    + "/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static long count(String sql) {
        return WARDLINE.server().database().pool().query(sql).execute().await().iterator().next().getLong(0);
    }
}
