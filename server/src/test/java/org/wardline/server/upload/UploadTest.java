package org.wardline.server.upload;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.TestSignatures;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.TlsClients;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadTest {
    private static final long LIMIT = 4L << 20;

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_UPLOADS_MAX_BYTES", Long.toString(LIMIT)));

    private static SignedInDevice alice;
    private static String firstId;
    private static byte[] firstContent;
    private static SignedInDevice bob;

    @BeforeAll
    static void devices() throws Exception {
        alice = EnrolledDevices.enroll(WARDLINE.server());
        bob = EnrolledDevices.enroll(WARDLINE.server());
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort() + path);
    }

    private static HttpRequest.Builder request(SignedInDevice device, String path) {
        return device.authorize(HttpRequest.newBuilder(uri(path)));
    }

    private static HttpClient client(SignedInDevice device) {
        return HttpClient.newBuilder().sslContext(device.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> upload(SignedInDevice device, byte[] content, String fileName, String type) throws Exception {
        return upload(device, content, fileName, type, null);
    }

    private static HttpResponse<String> upload(SignedInDevice device, byte[] content, String fileName, String type,
                                               String justification) throws Exception {
        HttpRequest.Builder request = request(device, "/v1/files").timeout(Duration.ofSeconds(60))
                .header("Content-Type", type)
                .header(FileRoutes.FILE_NAME_HEADER, Base64.getUrlEncoder().encodeToString(fileName.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(content));
        if (justification != null) {
            request.header(FileRoutes.JUSTIFICATION_HEADER, justification);
        }
        return client(device).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long rows(String sql) throws Exception {
        return WARDLINE.server().database().pool().query(sql).execute()
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
    }

    private static long committed() throws Exception {
        return rows("SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED'");
    }

    private static byte[] zip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    @Order(1)
    void aCleanFileIsCommittedAndOnlyCiphertextRestsInS3() throws Exception {
        String marker = "WARDLINE-MARKER-" + System.nanoTime();
        byte[] content = ("Discharge summary. Follow-up in two weeks. " + marker + "\n").repeat(200).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> r = upload(alice, content, "summary.txt", "text/plain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("state")).isEqualTo("committed");
        assertThat(body.getLong("size")).isEqualTo(content.length);
        String id = body.getString("id");
        firstId = id;
        firstContent = content;

        HttpResponse<byte[]> whole = client(alice).send(request(alice, "/v1/files/" + id).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);

        HttpResponse<byte[]> part = client(alice).send(request(alice, "/v1/files/" + id)
                .header("Range", "bytes=10-29").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 10-29/" + content.length);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 10, 30));

        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(WARDLINE.dataDir().resolve("s3"))) {
            long stored = files.filter(Files::isRegularFile).peek(f -> assertThat(indexOf(read(f), needle))
                    .as("plaintext marker in %s", f).isNegative()).count();
            assertThat(stored).isPositive();
        }
        assertThat(indexOf(Files.readAllBytes(WARDLINE.dataDir().resolve("dev-secrets.properties")), needle)).isNegative();
    }

    @Test
    @Order(2)
    void anotherUsersDeviceCannotReadTheFile() throws Exception {
        HttpResponse<String> r = upload(alice, "lab result".getBytes(StandardCharsets.UTF_8), "lab.txt", "text/plain");
        String id = new JsonObject(r.body()).getString("id");
        HttpResponse<String> other = client(bob).send(request(bob, "/v1/files/" + id).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(other.body()).getString("error")).isEqualTo("resource.not_found");
    }

    @Test
    @Order(3)
    void eicarAloneInAZipAndInANestedZipIsRefusedAndNothingIsCommitted() throws Exception {
        byte[] eicar = TestSignatures.EICAR.getBytes(StandardCharsets.US_ASCII);
        long before = committed();
        for (byte[] content : new byte[][] {eicar, zip("notes.txt", eicar), zip("inner.zip", zip("notes.txt", eicar))}) {
            HttpResponse<String> r = upload(alice, content, "notes.zip", "application/zip");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
            assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("upload.malware");
        }
        assertThat(committed()).isEqualTo(before);
        assertThat(rows("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'")).isZero();
    }

    @Test
    @Order(3)
    void aZipBombIsRefusedWithNothingKeptAndAPdfCutShortIsQuarantinedNotCommitted() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
            zip.putNextEntry(new ZipEntry("zeros.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        long before = committed();
        long quarantined = rows("SELECT count(*) FROM stored_objects WHERE state = 'QUARANTINED'");
        HttpResponse<String> r = upload(alice, bomb.toByteArray(), "results.zip", "application/zip");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("upload.blocked");
        assertThat(rows("SELECT count(*) FROM stored_objects WHERE state = 'QUARANTINED'")).as("no quarantine copy")
                .isEqualTo(quarantined);

        String pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n"
                + "4 0 obj<</Length 30>>stream\nBT 20 100 Td (discharge) Tj ET\nendstream endobj\n";
        HttpResponse<String> cut = upload(alice, pdf.getBytes(StandardCharsets.US_ASCII), "letter.pdf", "application/pdf");
        assertThat(cut.statusCode()).as("a truncated PDF was not inspected: " + cut.body()).isEqualTo(202);
        assertThat(new JsonObject(cut.body()).getJsonObject("verdict").getString("decision")).isEqualTo("QUARANTINE");
        assertThat(committed()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void aRenamedExecutableIsBlockedWhateverItsNameAndType() throws Exception {
        byte[] elf = new byte[4096];
        byte[] header = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(header, 0, elf, 0, header.length);
        elf[16] = 2;
        elf[18] = 0x3e;
        long before = committed();
        HttpResponse<String> r = upload(alice, elf, "report.pdf", "application/pdf");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("upload.blocked");
        assertThat(body.getJsonObject("verdict").getString("decision")).isEqualTo("BLOCK");
        assertThat(committed()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void phiIsTaggedWithCountsNeverTheMatchedText() throws Exception {
        String text = "PT JOHN SMITH SSN 219-09-9999 SEEN IN CLINIC, CALL 617-555-0134 TO FOLLOW UP";
        HttpResponse<String> r = upload(alice, text.getBytes(StandardCharsets.UTF_8), "note.txt", "text/plain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).contains("phi.SSN").doesNotContain("219-09-9999", "SMITH", "617-555");
        assertThat(new JsonObject(r.body()).getJsonObject("verdict").getString("found"))
                .contains("1 social security number", "1 phone number");
    }

    @Test
    @Order(6)
    void anUploadOverTheLimitIsRefusedWithAndWithoutContentLength() throws Exception {
        byte[] big = new byte[(int) LIMIT + 1024];
        long before = committed();
        assertThat(upload(alice, big, "big.bin", "application/octet-stream").statusCode()).isEqualTo(413);

        HttpRequest chunked = request(alice, "/v1/files").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        int status;
        try {
            status = client(alice).send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException closedWhileSending) {
            status = 413;
        }
        assertThat(status).isEqualTo(413);
        assertThat(committed()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void aTruncatedUploadLeavesNothingBehind() throws Exception {
        long before = committed();
        try (SSLSocket s = TlsClients.handshake(alice.sslContext(), WARDLINE.server().devicePort(), null, null)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Authorization: Bearer " + alice.bearer() + "\r\n"
                    + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write("only the first part of the file".repeat(100).getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (rows("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'") > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(rows("SELECT count(*) FROM stored_objects WHERE state = 'PENDING'")).isZero();
        assertThat(committed()).isEqualTo(before);
    }

    @Test
    @Order(8)
    void withClamdDownUploadsFailClosed() throws Exception {
        WARDLINE.dev().clamd().orElseThrow().close();
        long before = committed();
        HttpResponse<String> r = upload(alice, "harmless".getBytes(StandardCharsets.UTF_8), "a.txt", "text/plain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("upload.scanner_unavailable");
        assertThat(committed()).isEqualTo(before);
    }

    @Test
    @Order(9)
    void keyRotationReWrapsEveryDataKeyAndFilesStillOpen() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int exit = org.wardline.server.MainAccess.run(out, "keys", "rotate", "--data-dir", WARDLINE.dataDir().toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        assertThat(text).containsPattern("rotated to key-encryption key .+: [1-9][0-9]* data keys re-wrapped");
        assertThat(rows("SELECT count(DISTINCT kek_id) FROM data_keys WHERE destroyed_at IS NULL")).isEqualTo(1);

        HttpResponse<byte[]> again = client(alice).send(request(alice, "/v1/files/" + firstId).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(firstContent);
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A file the rules let through only with a reason (a payment-card number, in a conversation): a blank reason is no
     * reason, an over-long one is refused, and a real one lets the file through with "justified" in its audit entry
     * (the words themselves are not kept). Before, any header at all, even empty, counted as a reason, and the entry
     * did not say one was given.
     */
    @Test
    @Order(7)
    void aFileThatNeedsAReasonIsRefusedWithABlankOneAndItsEntrySaysWhenOneWasGiven() throws Exception {
        byte[] card = "Refund for the parking fine: card 4111 1111 1111 1111, expiry 09/29.".getBytes(StandardCharsets.UTF_8);
        assertThat(upload(alice, card, "refund.txt", "text/plain", null).statusCode()).isEqualTo(422);
        HttpResponse<String> blank = upload(alice, card, "refund.txt", "text/plain", "   ");
        assertThat(blank.statusCode()).as("a blank reason: %s", blank.body()).isEqualTo(422);
        assertThat(new io.vertx.core.json.JsonObject(blank.body()).getString("error")).isEqualTo("upload.justification_required");
        assertThat(upload(alice, card, "refund.txt", "text/plain", "x".repeat(1001)).statusCode()).as("too long").isEqualTo(400);

        HttpResponse<String> given = upload(alice, card, "refund.txt", "text/plain", "Finance asked for the card details by file");
        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        String id = new io.vertx.core.json.JsonObject(given.body()).getString("id");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long entries;
        do {
            entries = rows("SELECT count(*) FROM audit_entries WHERE action = 'file.uploaded' AND object_id = '" + id
                    + "' AND details LIKE '%\"justified\":true%'");
        } while (entries == 0 && System.nanoTime() < deadline);
        assertThat(entries).as("the upload's entry says a reason was given").isEqualTo(1);
        assertThat(rows("SELECT count(*) FROM audit_entries WHERE details LIKE '%Finance asked%'")).as("its words are not kept").isZero();
    }
}
