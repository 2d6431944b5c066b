package org.wardline.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.Secret;
import org.wardline.server.bootstrap.BootstrapCodes;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.testing.TlsClients;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevServerTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path scratch;

    private static SSLContext trustingWardline() throws Exception {
        return TlsClients.context(WARDLINE.server().certificateAuthority().rootCertificate(), null);
    }

    private static HttpResponse<String> getPublic(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trustingWardline()).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + WARDLINE.server().publicPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(ThrowingHandshake attempt) {
        assertThatThrownBy(() -> {
            try (SSLSocket s = attempt.open()) {
                String response = TlsClients.get(s, "/health/live");
                if (response.isEmpty()) {
                    throw new IOException("connection closed without a response");
                }
            }
        }).isInstanceOf(IOException.class);
    }

    @FunctionalInterface
    interface ThrowingHandshake {
        SSLSocket open() throws Exception;
    }

    @Test
    @Order(1)
    void readyOnThePublicListenerWithEveryDependencyUp() throws Exception {
        HttpResponse<String> r = getPublic("/health/ready");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonArray checks = new JsonObject(r.body()).getJsonArray("checks");
        assertThat(checks.stream().map(c -> ((JsonObject) c).getString("id")))
                .containsExactlyInAnyOrder("postgresql", "s3", "clamd", "event-loops");
        assertThat(checks.stream().map(c -> ((JsonObject) c).getString("status"))).containsOnly("UP");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    @Order(2)
    void unknownRoutesGetAStableErrorCodeAndRequestId() throws Exception {
        HttpResponse<String> r = getPublic("/no/such/route?name=jane.doe@example.org");
        assertThat(r.statusCode()).isEqualTo(404);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("resource.not_found");
        assertThat(body.getString("requestId")).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(r.body()).doesNotContain("jane");
    }

    @Test
    @Order(3)
    void theDeviceListenerAcceptsACertificateFromWardlinesCa() throws Exception {
        CertificateAuthority ca = WARDLINE.server().certificateAuthority();
        SSLContext ctx = TlsClients.context(ca.rootCertificate(), TlsClients.deviceKeys(ca, Duration.ofDays(1)));
        try (SSLSocket s = TlsClients.handshake(ctx, WARDLINE.server().devicePort(), null, null)) {
            assertThat(TlsClients.get(s, "/health/live")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    @Order(4)
    void theDeviceListenerRefusesNoCertificateAndOtherCas() throws Exception {
        int port = WARDLINE.server().devicePort();
        CertificateAuthority wardline = WARDLINE.server().certificateAuthority();
        assertRefused(() -> TlsClients.handshake(trustingWardline(), port, null, null));

        CertificateAuthority other = CertificateAuthority.loadOrCreate(scratch.resolve("other-ca"), Secret.of("x"), "Other");
        SSLContext foreign = TlsClients.context(wardline.rootCertificate(), TlsClients.deviceKeys(other, Duration.ofDays(1)));
        assertRefused(() -> TlsClients.handshake(foreign, port, null, null));
    }

    @Test
    @Order(5)
    void oldProtocolsAndCbcSuitesAreRefusedOnBothListeners() throws Exception {
        for (int port : new int[] {WARDLINE.server().publicPort(), WARDLINE.server().devicePort()}) {
            assertRefused(() -> TlsClients.handshake(trustingWardline(), port, new String[] {"TLSv1.1"}, null));
            assertRefused(() -> TlsClients.handshake(trustingWardline(), port, new String[] {"TLSv1.2"},
                    new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"}));
        }
        try (SSLSocket s = TlsClients.handshake(trustingWardline(), WARDLINE.server().publicPort(), new String[] {"TLSv1.2"}, null)) {
            assertThat(s.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("GCM", "CHACHA20");
        }
    }

    @Test
    @Order(6)
    void metricsAreServedOnTheOpsListener() throws Exception {
        getPublic("/health/live");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + WARDLINE.server().opsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("vertx_http_server_requests_total", "vertx_http_server_active_connections",
                "vertx_pool_in_use", "jvm_memory_used_bytes");
        assertThat(r.body()).doesNotContain("/no/such/route");
    }

    @Test
    @Order(7)
    void readinessNamesTheDependencyThatIsDown() throws Exception {
        WARDLINE.dev().clamd().orElseThrow().close();
        HttpResponse<String> r = getPublic("/health/ready");
        assertThat(r.statusCode()).isEqualTo(503);
        JsonObject clamd = new JsonObject(r.body()).getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> c.getString("id").equals("clamd")).findFirst().orElseThrow();
        assertThat(clamd.getString("status")).isEqualTo("DOWN");
        assertThat(clamd.getJsonObject("data").getString("reason")).contains("does not answer PING");
    }

    @Test
    @Order(8)
    void aRestartReusesTheSameCaAndData() throws Exception {
        String fingerprint = WARDLINE.server().certificateAuthority().rootFingerprint();
        var pool = WARDLINE.server().database().pool();
        new BootstrapCodes(pool).issueIfUnclaimed().toCompletionStage().toCompletableFuture().get();
        long before = count("SELECT count(*) FROM bootstrap_codes");
        assertThat(before).isPositive();
        WARDLINE.restart();
        assertThat(WARDLINE.server().certificateAuthority().rootFingerprint()).isEqualTo(fingerprint);
        assertThat(getPublic("/health/ready").statusCode()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM bootstrap_codes")).as("rows written before the restart").isEqualTo(before);
    }

    private static long count(String sql) throws Exception {
        return WARDLINE.server().database().pool().query(sql).execute()
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
    }

    private static String audit(int expectedExit, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int exit = Main.run(new java.io.PrintStream(out, true), new java.io.PrintStream(out, true), args);
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(text).isEqualTo(expectedExit);
        return text;
    }

    private static void recordEntries(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            WARDLINE.server().audit().record(org.wardline.storage.audit.AuditEvent.builder(
                            org.wardline.storage.audit.AuditAction.FILE_VIEWED, org.wardline.storage.audit.AuditOutcome.SUCCESS)
                    .object("file", java.util.UUID.randomUUID()).build())
                    .toCompletionStage().toCompletableFuture().get();
        }
    }

    private static void tamper(String sql) throws Exception {
        WARDLINE.server().database().pool().query("ALTER TABLE audit_entries DISABLE TRIGGER USER; " + sql
                + "; ALTER TABLE audit_entries ENABLE TRIGGER USER").execute().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    @Order(9)
    void auditVerifyNamesAnEditedEntry() throws Exception {
        String dataDir = WARDLINE.dataDir().toString();
        recordEntries(5);
        assertThat(audit(0, "audit", "verify", "--data-dir", dataDir)).contains("audit trail intact");

        long edited = count("SELECT max(seq) - 2 FROM audit_entries");
        tamper("UPDATE audit_entries SET outcome = 'failure' WHERE seq = " + edited);
        assertThat(audit(3, "audit", "verify", "--data-dir", dataDir))
                .contains("AUDIT TRAIL BROKEN", "at seq " + edited);
    }

    @Test
    @Order(10)
    void auditVerifyNamesADeletedEntryBeforeTheEditedOne() throws Exception {
        long deleted = count("SELECT max(seq) - 4 FROM audit_entries");
        tamper("DELETE FROM audit_entries WHERE seq = " + deleted);
        assertThat(audit(3, "audit", "verify", "--data-dir", WARDLINE.dataDir().toString()))
                .contains("AUDIT TRAIL BROKEN", "at seq " + deleted);
    }
}
