package org.wardline.server.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.AuditReceipt;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail cannot take more entries (the chain head is locked by another transaction and the queue is full):
 * an upload is undone and refused, a download sends nothing, both answer {@code audit.unavailable} and are counted.
 */
class AuditFailClosedTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static SignedInDevice alice;

    @BeforeAll
    static void device() throws Exception {
        alice = EnrolledDevices.enroll(WARDLINE.server());
    }

    @Test
    void aFullAuditQueueRefusesUploadsAndDownloadsInsteadOfDoingThemUnaudited() throws Exception {
        HttpResponse<String> stored = upload("Ward round notes, bed 4.\n".repeat(50));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        String fileId = new JsonObject(stored.body()).getString("id");
        long committedBefore = count("SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED'");

        SqlConnection holder = await(WARDLINE.server().database().pool().getConnection());
        Transaction tx = await(holder.begin());
        List<Future<AuditReceipt>> fillers = new ArrayList<>();
        try {
            await(holder.query("SELECT last_seq FROM audit_chain_head WHERE id = 1 FOR UPDATE").execute());
            fill(WARDLINE.server().audit(), fillers);

            HttpResponse<String> refusedUpload = upload("Discharge letter draft.\n".repeat(50));
            assertThat(refusedUpload.statusCode()).as(refusedUpload.body()).isEqualTo(503);
            assertThat(new JsonObject(refusedUpload.body()).getString("error")).isEqualTo("audit.unavailable");

            HttpResponse<byte[]> refusedDownload = client().send(alice.authorize(HttpRequest.newBuilder(
                    uri("/v1/files/" + fileId))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(refusedDownload.statusCode()).isEqualTo(503);
            assertThat(new String(refusedDownload.body(), StandardCharsets.UTF_8)).contains("audit.unavailable")
                    .doesNotContain("Ward round");
        } finally {
            await(tx.rollback());
            holder.close();
        }
        for (Future<AuditReceipt> f : fillers) {
            f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        }
        assertThat(count("SELECT count(*) FROM stored_objects WHERE state = 'COMMITTED'"))
                .as("the refused upload is not kept").isEqualTo(committedBefore);
        assertThat(metrics()).containsPattern("wardline_audit_unwritten_total\\{action=\"file.uploaded\",?\\} [1-9]")
                .containsPattern("wardline_audit_unwritten_total\\{action=\"file.download.started\",?\\} [1-9]");

        HttpResponse<byte[]> again = client().send(alice.authorize(HttpRequest.newBuilder(uri("/v1/files/" + fileId)))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).as("served again once the trail takes entries").isEqualTo(200);
    }

    /** Queues entries until the log refuses one: every later record fails at once while the head stays locked. */
    private static void fill(AuditLog audit, List<Future<AuditReceipt>> fillers) {
        AuditEvent filler = AuditEvent.builder(new AuditAction("test.filler"), AuditOutcome.SUCCESS).build();
        for (int i = 0; i <= AuditLog.MAX_QUEUED + AuditLog.MAX_BATCH; i++) {
            Future<AuditReceipt> f = audit.record(filler);
            if (f.failed()) {
                return;
            }
            fillers.add(f);
        }
        throw new AssertionError("the audit queue never filled");
    }

    private static HttpResponse<String> upload(String text) throws Exception {
        return client().send(alice.authorize(HttpRequest.newBuilder(uri("/v1/files"))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/plain")
                .header("X-Wardline-File-Name", Base64.getUrlEncoder().encodeToString("notes.txt".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + WARDLINE.server().opsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long count(String sql) throws Exception {
        return await(WARDLINE.server().database().pool().query(sql).execute()).iterator().next().getLong(0);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().sslContext(alice.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort() + path);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
