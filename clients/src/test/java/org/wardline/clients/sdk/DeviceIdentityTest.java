package org.wardline.clients.sdk;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.Secret;

import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceIdentityTest {
    @TempDir
    Path dir;

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                               Duration validity) throws Exception {
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)),
                new X500Name(subject), subjectKeys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static DeviceIdentity identity(Duration validity) throws Exception {
        KeyPair rootKeys = DeviceKeys.generate();
        KeyPair deviceKeys = DeviceKeys.generate();
        X509Certificate root = certificate("CN=Test Root", rootKeys, "CN=Test Root", rootKeys, Duration.ofDays(365));
        X509Certificate leaf = certificate("CN=device", deviceKeys, "CN=Test Root", rootKeys, validity);
        return new DeviceIdentity(deviceKeys.getPrivate(), List.of(leaf), root, URI.create("https://127.0.0.1:8443"),
                URI.create("https://127.0.0.1:9443"), UUID.randomUUID(), UUID.randomUUID());
    }

    @Test
    void anIdentitySurvivesSaveAndLoadAndIsOwnerOnly() throws Exception {
        DeviceIdentity original = identity(Duration.ofDays(30));
        Path file = dir.resolve("device.p12");
        original.save(file, Secret.of("s3cret passphrase"));
        DeviceIdentity loaded = DeviceIdentity.load(file, Secret.of("s3cret passphrase"));
        assertThat(loaded.certificate()).isEqualTo(original.certificate());
        assertThat(loaded.caCertificate()).isEqualTo(original.caCertificate());
        assertThat(loaded.deviceId()).isEqualTo(original.deviceId());
        assertThat(loaded.userId()).isEqualTo(original.userId());
        assertThat(loaded.deviceUrl()).isEqualTo(URI.create("https://127.0.0.1:9443"));
        assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(Files.readString(DeviceIdentity.propertiesFile(file))).doesNotContain("s3cret");
        assertThat(loaded.sslContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void theWrongPassphraseIsAClearError() throws Exception {
        Path file = dir.resolve("device.p12");
        identity(Duration.ofDays(30)).save(file, Secret.of("right"));
        assertThatThrownBy(() -> DeviceIdentity.load(file, Secret.of("wrong")))
                .isInstanceOfSatisfying(WardlineClientException.class, e -> assertThat(e.errorCode()).isEqualTo("client.keystore"))
                .hasMessageNotContaining("wrong\"").hasMessageNotContaining("right");
    }

    @Test
    void expiresWithinComparesWithTheCertificate() throws Exception {
        DeviceIdentity id = identity(Duration.ofDays(5));
        assertThat(id.expiresWithin(Renewal.RECOMMENDED_MARGIN)).isTrue();
        assertThat(id.expiresWithin(Duration.ofDays(1))).isFalse();
    }

    @Test
    void certificateRequestsAreSelfSignedP256WithoutAttributes() throws Exception {
        KeyPair keys = DeviceKeys.generate();
        String pem = DeviceKeys.certificateRequest(keys);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(new PemReader(new StringReader(pem)).readPemObject().getContent());
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic()))).isTrue();
        assertThat(csr.getAttributes()).isEmpty();
        assertThat(csr.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    }

    @Test
    void fingerprintsAreNormalisedAndValidated() {
        String hex = "ab".repeat(32);
        assertThat(CaPin.fingerprint(hex).sha256()).isEqualTo(("AB:".repeat(32)).substring(0, 95));
        assertThat(CaPin.fingerprint("AB:".repeat(31) + "AB").sha256()).isEqualTo(CaPin.fingerprint(hex).sha256());
        assertThatThrownBy(() -> CaPin.fingerprint("abcd")).isInstanceOfSatisfying(WardlineClientException.class,
                e -> assertThat(e.errorCode()).isEqualTo("client.pin"));
    }
}
