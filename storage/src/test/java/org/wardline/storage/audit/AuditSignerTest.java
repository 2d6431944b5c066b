package org.wardline.storage.audit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditSignerTest {
    private static final byte[] PAYLOAD = "checkpoint".getBytes(StandardCharsets.US_ASCII);

    @Test
    void pkcs12RoundTripKeepsTheKeyAndRejectsAWrongPassphrase(@TempDir Path dir) throws Exception {
        AuditSigner signer = AuditFixture.SIGNER;
        Path file = dir.resolve("audit.p12");
        signer.writePkcs12(file, "correct horse".toCharArray(), "audit");

        AuditSigner loaded = AuditSigner.loadPkcs12(file, "correct horse".toCharArray());

        assertThat(loaded.keyId()).isEqualTo(signer.keyId());
        assertThat(loaded.algorithm()).isEqualTo("SHA256withECDSA");
        assertThat(AuditSigner.verify(signer.publicKey(), loaded.algorithm(), PAYLOAD, loaded.sign(PAYLOAD))).isTrue();
        assertThatThrownBy(() -> AuditSigner.loadPkcs12(file, "wrong".toCharArray())).isInstanceOf(IOException.class);
        assertThat(loaded.toString()).contains(signer.keyId()).doesNotContain("PRIVATE");
    }

    @Test
    void certificatePemGivesTheVerificationKey(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("audit.pem");
        AuditFixture.SIGNER.writeCertificatePem(pem);

        assertThat(AuditSigner.readPublicKey(pem)).isEqualTo(AuditFixture.SIGNER.publicKey());
    }

    @Test
    void ed25519KeysSignAndVerify() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        X500Name name = new X500Name("CN=ed25519-audit");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(Instant.now()), Date.from(Instant.now().plusSeconds(3600)), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("Ed25519").build(pair.getPrivate())));

        AuditSigner signer = new AuditSigner(pair.getPrivate(), cert);

        assertThat(signer.algorithm()).isEqualTo("Ed25519");
        byte[] signature = signer.sign(PAYLOAD);
        assertThat(AuditSigner.verify(signer.publicKey(), "Ed25519", PAYLOAD, signature)).isTrue();
        assertThat(AuditSigner.verify(signer.publicKey(), "Ed25519", "other".getBytes(StandardCharsets.US_ASCII), signature)).isFalse();
        assertThat(AuditSigner.verify(AuditFixture.SIGNER.publicKey(), "Ed25519", PAYLOAD, signature)).isFalse();
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair stranger = generator.generateKeyPair();

        assertThatThrownBy(() -> new AuditSigner(stranger.getPrivate(), AuditFixture.SIGNER.certificate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    }

    @Test
    void aKeystoreWithoutAKeyIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("empty.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("cert-only", AuditFixture.SIGNER.certificate());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "pw".toCharArray());
        }

        assertThatThrownBy(() -> AuditSigner.loadPkcs12(file, "pw".toCharArray()))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("no private key");
    }
}
