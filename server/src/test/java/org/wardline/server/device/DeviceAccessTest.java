package org.wardline.server.device;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.cli.WardlineCli;
import org.wardline.clients.sdk.CaPin;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.DeviceKeys;
import org.wardline.clients.sdk.Enrollment;
import org.wardline.clients.sdk.Renewal;
import org.wardline.clients.sdk.WardlineClientException;
import org.wardline.protocol.Secret;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.Pem;
import org.wardline.server.pki.PkiModule;
import org.wardline.server.pki.RevocationReason;
import org.wardline.server.testing.TlsClients;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Acceptance of device identity on a whole dev server: enroll with the SDK and the CLI, connect with mutual
 * TLS, refusals, revocation of a connected device, renewal and its grace period, certificate reload.
 */
class DeviceAccessTest {
    static final Duration GRACE = Duration.ofSeconds(4);

    /** {@code -Dwardline.test.tlsEngine=jdk} runs the same acceptance against the JDK TLS engine. */
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(
            Map.of("WARDLINE_PKI_RENEWAL_GRACE_SECONDS", String.valueOf(GRACE.toSeconds()),
                    "WARDLINE_TLS_ENGINE", System.getProperty("wardline.test.tlsEngine", "auto")));

    @TempDir
    Path scratch;

    private DeviceApi api;
    private UUID user;

    @BeforeEach
    void setUp() {
        api = new DeviceApi(WARDLINE.server());
        user = UUID.randomUUID();
    }

    private URI publicUrl() {
        return URI.create("https://127.0.0.1:" + WARDLINE.server().publicPort());
    }

    private CaPin pin() {
        return CaPin.fingerprint(WARDLINE.server().certificateAuthority().rootFingerprint());
    }

    private DeviceIdentity enroll() throws Exception {
        return Enrollment.enroll(publicUrl(), pin(), Secret.of(api.issueCode(user)), "test tablet", "linux");
    }

    /** A keep-alive connection on which one request succeeded. */
    private SSLSocket connected(SSLContext ctx) throws Exception {
        SSLSocket s = TlsClients.handshake(ctx, WARDLINE.server().devicePort(), null, null);
        s.getOutputStream().write("GET /v1/devices/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200");
        return s;
    }

    /** Reads one HTTP/1.1 response with a Content-Length body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the response ended");
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = headers.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Blocks until the server closes the connection (or the generous timeout passes); returns the wait. */
    private static Duration untilClosed(SSLSocket s, long startNanos, Duration timeout) throws Exception {
        s.setSoTimeout((int) timeout.toMillis());
        try {
            while (s.getInputStream().read() >= 0) {
                // Drain anything the server sends before closing.
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection is still open after " + timeout, e);
        } catch (IOException closed) {
            // A reset or a TLS alert is a close as well.
        }
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Test
    void enrollWithTheCliThenConnectWithMutualTls() throws Exception {
        Path identity = scratch.resolve("device.p12");
        Path passphrase = Files.writeString(scratch.resolve("pass"), "correct horse battery\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = WardlineCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "enroll",
                "--server", publicUrl().toString(), "--ca-fingerprint", WARDLINE.server().certificateAuthority().rootFingerprint(),
                "--code", api.issueCode(user), "--name", "ward 3 tablet", "--platform", "linux",
                "--identity", identity.toString(), "--passphrase-file", passphrase.toString());
        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("enrolled device", user.toString());
        assertThat(Files.getPosixFilePermissions(identity)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

        DeviceIdentity device = DeviceIdentity.load(identity, Secret.of("correct horse battery"));
        JsonObject me = new JsonObject(device.whoAmI().toString());
        assertThat(me.getString("userId")).isEqualTo(user.toString());
        assertThat(me.getString("deviceId")).isEqualTo(device.deviceId().toString());
        assertThat(me.getString("name")).isEqualTo("ward 3 tablet");
        // The connection records last-seen without holding up the request, so it may land just after the answer.
        String seen = "SELECT count(*) FROM devices WHERE id = '" + device.deviceId() + "' AND last_seen_at IS NOT NULL";
        long seenBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (api.count(seen) == 0 && System.nanoTime() < seenBy) {
            Thread.sleep(50);
        }
        assertThat(api.count(seen)).isEqualTo(1);

        StringWriter whoami = new StringWriter();
        assertThat(WardlineCli.run(new PrintWriter(whoami, true), new PrintWriter(err, true), "whoami",
                "--identity", identity.toString(), "--passphrase-file", passphrase.toString())).isZero();
        assertThat(whoami.toString()).contains(device.deviceId().toString(), "ward 3 tablet");

        StringWriter renew = new StringWriter();
        assertThat(WardlineCli.run(new PrintWriter(renew, true), new PrintWriter(err, true), "renew",
                "--identity", identity.toString(), "--passphrase-file", passphrase.toString())).as(err.toString()).isZero();
        assertThat(renew.toString()).contains("renewed");
        DeviceIdentity renewed = DeviceIdentity.load(identity, Secret.of("correct horse battery"));
        assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(device.certificate().getSerialNumber());
        assertThat(renewed.whoAmI().path("deviceId").asText()).isEqualTo(device.deviceId().toString());
    }

    @Test
    void aWrongCaPinStopsEnrollmentBeforeTheCodeIsSent() throws Exception {
        String code = api.issueCode(user);
        CaPin wrong = CaPin.fingerprint("AB".repeat(32));
        assertThatThrownBy(() -> Enrollment.enroll(publicUrl(), wrong, Secret.of(code), "x", "linux"))
                .isInstanceOfSatisfying(WardlineClientException.class, e -> assertThat(e.errorCode()).isEqualTo("client.pin"));
        assertThat(api.count("SELECT count(*) FROM enrollment_codes WHERE user_id = '" + user + "' AND used_at IS NULL"))
                .as("the code was never presented").isEqualTo(1);
    }

    @Test
    void anExpiredCertificateFromWardlinesCaIsRefused() throws Exception {
        CertificateAuthority ca = WARDLINE.server().certificateAuthority();
        SSLContext expired = TlsClients.context(ca.rootCertificate(), TlsClients.deviceKeys(ca, Duration.ofMinutes(-1)));
        assertThatThrownBy(() -> {
            try (SSLSocket s = TlsClients.handshake(expired, WARDLINE.server().devicePort(), null, null)) {
                String response = TlsClients.get(s, "/health/live");
                if (response.isEmpty()) {
                    throw new IOException("closed without a response");
                }
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void revokingAConnectedDeviceClosesItsConnectionWithinOneSecondAndItCannotReconnect() throws Exception {
        DeviceIdentity device = enroll();
        String serial = CertificateAuthority.serialHex(device.certificate());
        DeviceConnections registry = WARDLINE.server().module(DeviceModule.class).connections();
        SSLContext sameContext = device.sslContext();
        try (SSLSocket open = connected(sameContext)) {
            assertThat(registry.openWith(serial)).isEqualTo(1);
            long start = System.nanoTime();
            boolean revoked = WARDLINE.server().module(DeviceModule.class).revocation().revoke(device.deviceId(), RevocationReason.LOST)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(revoked).isTrue();
            Duration closedAfter = untilClosed(open, start, Duration.ofSeconds(10));
            System.out.println("revocation-to-close millis=" + closedAfter.toMillis());
            assertThat(closedAfter).as("revocation to close").isLessThan(Duration.ofSeconds(1));
        }
        assertThat(registry.openWith(serial)).isZero();

        // The client still holds the TLS session of the closed connection: resuming it must not get in.
        assertThatThrownBy(() -> connected(sameContext).close()).isInstanceOf(IOException.class);
        assertThatThrownBy(device::whoAmI).isInstanceOfSatisfying(WardlineClientException.class,
                e -> assertThat(e.errorCode()).isIn("client.tls", "client.io"));
        // TLS 1.2 verifies the client before the handshake completes: the handshake itself fails (CRL).
        assertThatThrownBy(() -> TlsClients.handshake(device.sslContext(), WARDLINE.server().devicePort(),
                new String[] {"TLSv1.2"}, null).close()).isInstanceOf(IOException.class);

        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(
                HttpClient.newBuilder().sslContext(TlsClients.context(device.caCertificate(), null)).build()
                        .send(HttpRequest.newBuilder(publicUrl().resolve("/pki/crl")).build(), HttpResponse.BodyHandlers.ofByteArray())
                        .body()));
        assertThat(crl.isRevoked(device.certificate())).isTrue();
        assertThat(crl.getRevokedCertificate(device.certificate()).getRevocationReason())
                .isEqualTo(java.security.cert.CRLReason.KEY_COMPROMISE);
        assertThat(WARDLINE.server().module(DeviceModule.class).revocation().revoke(device.deviceId(), RevocationReason.LOST)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).as("idempotent").isFalse();
    }

    @Test
    void renewalGivesANewKeyAndTheOldCertificateStopsAfterTheGracePeriod() throws Exception {
        DeviceIdentity old = enroll();
        DeviceIdentity renewed = Renewal.renew(old);
        long renewedAt = System.nanoTime();
        assertThat(renewed.deviceId()).isEqualTo(old.deviceId());
        assertThat(renewed.certificate().getPublicKey()).isNotEqualTo(old.certificate().getPublicKey());
        assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(old.certificate().getSerialNumber());

        try (SSLSocket oldConnection = connected(old.sslContext())) {
            assertThatThrownBy(() -> Renewal.renew(old)).as("a superseded certificate cannot renew again")
                    .isInstanceOfSatisfying(WardlineClientException.class, e -> assertThat(e.errorCode()).isEqualTo("device.not_active"));
            Duration closedAfter = untilClosed(oldConnection, renewedAt, GRACE.plusSeconds(6));
            assertThat(closedAfter).isBetween(GRACE.minusSeconds(1), GRACE.plusSeconds(2));
        }
        assertThatThrownBy(old::whoAmI).isInstanceOf(WardlineClientException.class);
        assertThat(renewed.whoAmI().path("deviceId").asText()).isEqualTo(old.deviceId().toString());
    }

    @Test
    void renewalWithTheCurrentKeyIsRefused() throws Exception {
        KeyPair keys = DeviceKeys.generate();
        String csr = DeviceKeys.certificateRequest(keys);
        HttpResponse<String> enrolled = api.enroll(new JsonObject().put("code", api.issueCode(user)).put("csr", csr));
        assertThat(enrolled.statusCode()).isEqualTo(201);
        JsonObject body = new JsonObject(enrolled.body());
        List<Certificate> chain = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream((body.getString("certificate") + body.getString("chain")).getBytes(StandardCharsets.US_ASCII))));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", keys.getPrivate(), "x".toCharArray(), chain.toArray(Certificate[]::new));
        SSLContext ctx = TlsClients.context(WARDLINE.server().certificateAuthority().rootCertificate(), ks);
        HttpResponse<String> r = HttpClient.newBuilder().sslContext(ctx).build().send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort() + "/v1/devices/renew"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("csr", csr).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("renewal.key_reused");
        assertThat(api.count("SELECT count(*) FROM device_certificates WHERE device_id = '" + body.getString("deviceId") + "'"))
                .as("nothing issued").isEqualTo(1);
    }

    @Test
    void aNewServerCertificateIsServedWithoutARestartAndItsExpiryIsAMetric() throws Exception {
        CertificateAuthority ca = WARDLINE.server().certificateAuthority();
        KeyPair keys = CertificateAuthority.newKeyPair();
        X509Certificate next = ca.issueServerCertificate(keys.getPublic(), List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(45));
        var tls = WARDLINE.server().config().tls();
        Pem.writePrivateKey(tls.privateKey(), keys.getPrivate());
        Pem.writeCertificates(tls.certificate(), List.of(next, ca.intermediateCertificate()));

        PkiModule pki = WARDLINE.server().module(PkiModule.class);
        assertThat(pki.listenerTls().reloadCertificate().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();

        SSLContext trusting = TlsClients.context(ca.rootCertificate(), null);
        try (SSLSocket s = TlsClients.handshake(trusting, WARDLINE.server().publicPort(), null, null)) {
            assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(next);
        }
        SSLContext device = TlsClients.context(ca.rootCertificate(), TlsClients.deviceKeys(ca, Duration.ofDays(1)));
        try (SSLSocket s = TlsClients.handshake(device, WARDLINE.server().devicePort(), null, null)) {
            assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(next);
        }
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + WARDLINE.server().opsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        String serverGauge = metrics.body().lines().filter(l -> l.startsWith("wardline_certificate_expiry_days")
                && l.contains("certificate=\"server\"")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(serverGauge.substring(serverGauge.lastIndexOf(' ') + 1))).isBetween(44.0, 45.1);
        assertThat(metrics.body()).contains("certificate=\"intermediate\"", "certificate=\"root\"");
    }
}
