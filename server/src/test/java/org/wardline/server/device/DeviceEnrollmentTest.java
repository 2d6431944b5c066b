package org.wardline.server.device;

import io.vertx.core.json.JsonObject;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.clients.sdk.DeviceKeys;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Enrollment on the public listener: what is issued, and every refusal (nothing issued, code kept or burnt). */
class DeviceEnrollmentTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private DeviceApi api;
    private UUID user;

    @BeforeEach
    void setUp() {
        api = new DeviceApi(WARDLINE.server());
        user = UUID.randomUUID();
    }

    private static JsonObject request(String code, String csr) {
        return new JsonObject().put("code", code).put("csr", csr).put("name", "ward 3 tablet").put("platform", "linux");
    }

    private void assertRefused(HttpResponse<String> r, int status, String error) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo(error);
        assertThat(api.count("SELECT count(*) FROM devices WHERE user_id = '" + user + "'")).as("devices issued").isZero();
    }

    private static String csrWith(KeyPair keys, boolean extension) throws Exception {
        var b = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=someone-else"), keys.getPublic());
        if (extension) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, "urn:wardline:user:admin")));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        String algorithm = keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] der = b.build(new JcaContentSignerBuilder(algorithm).setProvider(new BouncyCastleProvider())
                .build(keys.getPrivate())).getEncoded();
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private static KeyPair keys(String algorithm, String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm, new BouncyCastleProvider());
        if (curve != null) {
            g.initialize(new ECGenParameterSpec(curve));
        } else {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    @Test
    void aValidRequestGetsAThirtyDayCertificateNamingTheCodesUserAndANewDevice() throws Exception {
        KeyPair keys = DeviceKeys.generate();
        HttpResponse<String> r = api.enroll(request(api.issueCode(user), DeviceKeys.certificateRequest(keys)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonObject body = new JsonObject(r.body());
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(body.getString("certificate").getBytes()));
        UUID device = UUID.fromString(body.getString("deviceId"));
        assertThat(body.getString("userId")).isEqualTo(user.toString());
        assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(DeviceUri.of(cert)).contains(new DeviceUri(user, device));
        assertThat(cert.getSubjectX500Principal().getName()).doesNotContain("someone-else");
        assertThat(Duration.between(Instant.now(), cert.getNotAfter().toInstant()).toDays()).isBetween(29L, 30L);
        cert.verify(WARDLINE.server().certificateAuthority().intermediateCertificate().getPublicKey());
        assertThat(body.getString("deviceUrl")).endsWith(":" + WARDLINE.server().devicePort());
        assertThat(api.count("SELECT count(*) FROM devices WHERE id = '" + device + "' AND user_id = '" + user
                + "' AND name = 'ward 3 tablet' AND platform = 'linux' AND serial = '" + CertificateAuthority.serialHex(cert)
                + "' AND fingerprint = '" + CertificateAuthority.fingerprint(cert) + "' AND last_seen_at IS NULL")).isEqualTo(1);
        assertThat(api.count("SELECT count(*) FROM enrollment_codes WHERE user_id = '" + user
                + "' AND used_at IS NOT NULL AND device_id = '" + device + "'")).isEqualTo(1);
    }

    @Test
    void codesAreStoredOnlyAsHashes() throws Exception {
        String code = api.issueCode(user);
        assertThat(code.replace("-", "")).hasSize(32);
        assertThat(api.count("SELECT count(*) FROM enrollment_codes WHERE user_id = '" + user
                + "' AND length(code_sha256) = 32 AND expires_at BETWEEN now() + interval '9 minutes' AND now() + interval '10 minutes'"))
                .isEqualTo(1);
        assertThat(api.count("SELECT count(*) FROM enrollment_codes WHERE encode(code_sha256, 'escape') LIKE '%"
                + code.substring(0, 4) + "%'")).isZero();
    }

    @Test
    void aRequestWithAnRsaKeyIsRefusedAndTheCodeStaysUsable() throws Exception {
        String code = api.issueCode(user);
        assertRefused(api.enroll(request(code, csrWith(keys("RSA", null), false))), 400, "enrollment.csr_key_unsupported");
        assertThat(api.enroll(request(code, DeviceKeys.certificateRequest(DeviceKeys.generate()))).statusCode()).isEqualTo(201);
    }

    @Test
    void requestsWithP192OrSecp256k1KeysAreRefused() throws Exception {
        String code = api.issueCode(user);
        assertRefused(api.enroll(request(code, csrWith(keys("EC", "secp192r1"), false))), 400, "enrollment.csr_key_unsupported");
        assertRefused(api.enroll(request(code, csrWith(keys("EC", "secp256k1"), false))), 400, "enrollment.csr_key_unsupported");
    }

    @Test
    void aRequestAskingForExtensionsIsRefused() throws Exception {
        assertRefused(api.enroll(request(api.issueCode(user), csrWith(DeviceKeys.generate(), true))), 400,
                "enrollment.csr_extensions_refused");
    }

    @Test
    void garbageDerAndTruncatedPemAreRefused() throws Exception {
        String code = api.issueCode(user);
        assertRefused(api.enroll(request(code, Base64.getEncoder().encodeToString(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}))),
                400, "enrollment.csr_invalid");
        String pem = DeviceKeys.certificateRequest(DeviceKeys.generate());
        assertRefused(api.enroll(request(code, pem.substring(0, pem.length() - 60))), 400, "enrollment.csr_invalid");
        assertRefused(api.enroll(new JsonObject().put("code", code)), 400, "request.invalid");
    }

    @Test
    void aCodeWorksOnce() throws Exception {
        String code = api.issueCode(user);
        assertThat(api.enroll(request(code, DeviceKeys.certificateRequest(DeviceKeys.generate()))).statusCode()).isEqualTo(201);
        long devices = api.count("SELECT count(*) FROM devices WHERE user_id = '" + user + "'");
        HttpResponse<String> again = api.enroll(request(code, DeviceKeys.certificateRequest(DeviceKeys.generate())));
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(again.body()).getString("error")).isEqualTo("enrollment.code_used");
        assertThat(api.count("SELECT count(*) FROM devices WHERE user_id = '" + user + "'")).isEqualTo(devices);
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        String code = api.issueCode(user);
        api.update("UPDATE enrollment_codes SET expires_at = now() - interval '1 second' WHERE user_id = '" + user + "'");
        assertRefused(api.enroll(request(code, DeviceKeys.certificateRequest(DeviceKeys.generate()))), 403, "enrollment.code_expired");
    }

    @Test
    void anUnknownCodeIsRefused() throws Exception {
        assertRefused(api.enroll(request("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH",
                DeviceKeys.certificateRequest(DeviceKeys.generate()))), 403, "enrollment.code_invalid");
    }

    @Test
    void aCodePresentedForAnotherUserIsRefusedAndBurnt() throws Exception {
        String code = api.issueCode(user);
        UUID someoneElse = UUID.randomUUID();
        HttpResponse<String> r = api.enroll(request(code, DeviceKeys.certificateRequest(DeviceKeys.generate()))
                .put("userId", someoneElse.toString()));
        assertRefused(r, 403, "enrollment.code_wrong_user");
        assertThat(api.count("SELECT count(*) FROM devices WHERE user_id = '" + someoneElse + "'")).isZero();
        assertRefused(api.enroll(request(code, DeviceKeys.certificateRequest(DeviceKeys.generate()))), 403, "enrollment.code_used");
    }

    @Test
    void theCaChainAndTheCrlArePublished() throws Exception {
        var ca = WARDLINE.server().certificateAuthority();
        var http = java.net.http.HttpClient.newBuilder()
                .sslContext(org.wardline.server.testing.TlsClients.context(ca.rootCertificate(), null)).build();
        String base = "https://127.0.0.1:" + WARDLINE.server().publicPort();
        var chain = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/pki/ca")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chain.headers().firstValue("Content-Type")).contains("application/pem-certificate-chain");
        java.util.List<java.security.cert.Certificate> certs = java.util.List.copyOf(
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(chain.body().getBytes())));
        assertThat(certs).containsExactly(ca.rootCertificate(), ca.intermediateCertificate());

        var crl = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/pki/crl")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(crl.headers().firstValue("Content-Type")).contains("application/pkix-crl");
        var parsed = (java.security.cert.X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crl.body()));
        parsed.verify(ca.intermediateCertificate().getPublicKey());
        assertThat(parsed.getNextUpdate()).isAfter(new java.util.Date());
    }

    @Test
    void theOpsListenerRevokesADeviceAndRefusesUnknownReasons() throws Exception {
        HttpResponse<String> enrolled = api.enroll(request(api.issueCode(user), DeviceKeys.certificateRequest(DeviceKeys.generate())));
        String device = new JsonObject(enrolled.body()).getString("deviceId");
        var ops = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, HttpResponse<String>> revoke = body -> {
            try {
                return ops.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                                + WARDLINE.server().opsPort() + "/admin/devices/" + device + "/revoke"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertThat(revoke.apply("{\"reason\":\"superseded\"}").statusCode()).isEqualTo(400);
        assertThat(revoke.apply("{\"reason\":\"stolen-ish\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> r = revoke.apply("{\"reason\":\"offboarded\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getBoolean("revoked")).isTrue();
        assertThat(api.count("SELECT count(*) FROM devices WHERE id = '" + device + "' AND revoked_at IS NOT NULL "
                + "AND revocation_reason = 'offboarded'")).isEqualTo(1);
        assertThat(api.count("SELECT count(*) FROM device_certificates WHERE device_id = '" + device
                + "' AND stops_at <= now() AND stop_reason = 'offboarded'")).isEqualTo(1);
        assertThat(new JsonObject(revoke.apply("").body()).getBoolean("revoked")).as("already revoked").isFalse();
        assertThat(WARDLINE.server().publicPort()).as("not on the public listener").isNotEqualTo(WARDLINE.server().opsPort());
    }

    @Test
    void refusalsAreAuditedWithTheirCodeAndNeverTheSecret() throws Exception {
        java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        AuditSink capture = (action, outcome, userId, deviceId, ip, details) ->
                events.add(action + " " + outcome + " " + userId + " " + details);
        var pool = WARDLINE.server().database().pool();
        DeviceEnrollment enrollment = new DeviceEnrollment(WARDLINE.server().vertx(), WARDLINE.server().certificateAuthority(),
                new DeviceStore(pool), new EnrollmentCodes(pool), Duration.ofDays(30), capture);
        String code = api.issueCode(user);
        var bad = enrollment.enroll(new DeviceEnrollment.Request(org.wardline.protocol.Secret.of(code),
                csrWith(keys("EC", "secp256k1"), false), "x", "linux", null, "127.0.0.1"));
        assertThat(bad.toCompletionStage().toCompletableFuture().handle((v, t) -> t).get()).isNotNull();
        var wrong = enrollment.enroll(new DeviceEnrollment.Request(org.wardline.protocol.Secret.of(code),
                DeviceKeys.certificateRequest(DeviceKeys.generate()), "x", "linux", UUID.randomUUID(), "127.0.0.1"));
        assertThat(wrong.toCompletionStage().toCompletableFuture().handle((v, t) -> t).get()).isNotNull();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).startsWith("ENROLLMENT_REFUSED REFUSED").contains("enrollment.csr_key_unsupported");
        assertThat(events.get(1)).startsWith("ENROLLMENT_REFUSED REFUSED " + user).contains("enrollment.code_wrong_user");
        assertThat(String.join("\n", events)).doesNotContain(code).doesNotContain(code.replace("-", ""));
    }

    @Test
    void theServerRestartsAndEnrollsWithTheRootKeystoreOffline() throws Exception {
        java.nio.file.Path pki = WARDLINE.server().config().pki().directory();
        String fingerprint = WARDLINE.server().certificateAuthority().rootFingerprint();
        java.nio.file.Files.move(pki.resolve("root-ca.p12"), WARDLINE.dataDir().resolve("root-ca.p12.offline"));
        WARDLINE.restart();
        api = new DeviceApi(WARDLINE.server());
        assertThat(java.nio.file.Files.exists(pki.resolve("root-ca.p12"))).isFalse();
        assertThat(WARDLINE.server().certificateAuthority().rootFingerprint()).isEqualTo(fingerprint);
        assertThat(api.enroll(request(api.issueCode(user), DeviceKeys.certificateRequest(DeviceKeys.generate()))).statusCode())
                .isEqualTo(201);
    }
}
