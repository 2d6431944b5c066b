package org.wardline.server.upload;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.TestSignatures;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.TlsClients;
import org.wardline.server.testing.WardlineServerExtension;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads of several S3 parts (8 MiB each), where the next part is read, scanned and encrypted while the previous
 * one is being sent: the object is put together in order, and an infected, truncated or oversized upload leaves
 * no object and no part behind (s3proxy's filesystem backend keeps an open multipart upload's parts as files in
 * the bucket's folder, so the folder's file list shows orphans).
 */
class MultipartUploadTest {
    private static final int MIB = 1 << 20;
    private static final long LIMIT = 24L * MIB;
    private static final int SIZE = 20 * MIB;

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(
            Map.of("WARDLINE_UPLOADS_MAX_BYTES", Long.toString(LIMIT)));

    private static SignedInDevice alice;

    @BeforeAll
    static void device() throws Exception {
        alice = EnrolledDevices.enroll(WARDLINE.server());
    }

    @Test
    void aFileOfSeveralPartsIsStoredInOrderAndReadsBackExactly() throws Exception {
        byte[] content = randomBytes(SIZE, 1);
        HttpResponse<String> r = upload(content);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = new JsonObject(r.body()).getString("id");
        HttpResponse<byte[]> back = client().send(alice.authorize(HttpRequest.newBuilder(uri("/v1/files/" + id))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(content);
    }

    @Test
    void malwareInTheSecondPartLeavesNoObjectAndNoOrphanParts() throws Exception {
        byte[] content = randomBytes(SIZE, 2);
        byte[] eicar = TestSignatures.EICAR.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(eicar, 0, content, 9 * MIB + 123, eicar.length);
        long committed = committed();
        Set<Path> before = s3Files();

        HttpResponse<String> r = upload(content);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("upload.malware");
        assertThat(committed()).isEqualTo(committed);
        assertThat(pending()).isZero();
        assertThat(s3Files()).isEqualTo(before);
    }

    @Test
    void aTruncatedUploadOfSeveralPartsLeavesNoObjectAndNoOrphanParts() throws Exception {
        long committed = committed();
        Set<Path> before = s3Files();
        try (SSLSocket s = TlsClients.handshake(alice.sslContext(), WARDLINE.server().devicePort(), null, null)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Authorization: Bearer " + alice.bearer() + "\r\n"
                    + "Content-Length: " + SIZE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(randomBytes(12 * MIB, 3));
            out.flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((pending() > 0 || !s3Files().equals(before)) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(pending()).isZero();
        assertThat(committed()).isEqualTo(committed);
        assertThat(s3Files()).isEqualTo(before);
    }

    @Test
    void anOversizedStreamedUploadIsRefusedAndLeavesNoOrphanParts() throws Exception {
        long committed = committed();
        Set<Path> before = s3Files();
        byte[] big = randomBytes((int) LIMIT + MIB, 4);
        HttpRequest chunked = alice.authorize(HttpRequest.newBuilder(uri("/v1/files"))).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        int status;
        try {
            status = client().send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException closedWhileSending) {
            status = 413;
        }
        assertThat(status).isEqualTo(413);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while ((pending() > 0 || !s3Files().equals(before)) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(pending()).isZero();
        assertThat(committed()).isEqualTo(committed);
        assertThat(s3Files()).isEqualTo(before);
    }

    private static HttpResponse<String> upload(byte[] content) throws Exception {
        HttpRequest request = alice.authorize(HttpRequest.newBuilder(uri("/v1/files"))).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/octet-stream")
                .header(FileRoutes.FILE_NAME_HEADER, Base64.getUrlEncoder().encodeToString(
                        "scan.bin".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build();
        return client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().sslContext(alice.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort() + path);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Set<Path> s3Files() throws IOException {
        try (Stream<Path> files = Files.walk(WARDLINE.dataDir().resolve("s3"))) {
            return files.filter(Files::isRegularFile).collect(Collectors.toSet());
        }
    }

    private static long rows(String sql) throws Exception {
        return WARDLINE.server().database().pool().query(sql).execute()
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
    }

    private static long committed() throws Exception {
        return rows("SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED'");
    }

    private static long pending() throws Exception {
        return rows("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'");
    }
}
