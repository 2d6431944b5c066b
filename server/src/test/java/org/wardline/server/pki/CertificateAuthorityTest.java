package org.wardline.server.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.Secret;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityTest {
    @TempDir
    Path dir;

    @Test
    void aSecondStartReusesTheSameCa() {
        var first = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        var second = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        assertThat(second.rootFingerprint()).isEqualTo(first.rootFingerprint());
        assertThat(first.rootFingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void theWrongPassphraseIsAClearError() {
        CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir, Secret.of("wrong"), "Test"))
                .hasMessageContaining("does not open with the configured pki.passphrase");
    }

    @Test
    void issuedCertificatesValidateToTheRootThroughTheIntermediate() throws Exception {
        var ca = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        KeyPair keys = CertificateAuthority.newKeyPair();
        X509Certificate leaf = ca.issueClientCertificate(keys.getPublic(), "device", "urn:wardline:user:u1:device:d1",
                Duration.ofDays(30));
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf, ca.intermediateCertificate()));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.rootCertificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.intermediateCertificate().getBasicConstraints()).isZero();
    }

    @Test
    void keystoresAndKeysAreOwnerOnly() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        ServerCertificate.ensure(ca, dir.resolve("server.crt"), dir.resolve("server.key"));
        for (String f : List.of("root-ca.p12", "intermediate-ca.p12", "server.key")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(f))).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        }
        List<X509Certificate> chain = ServerCertificate.readChain(dir.resolve("server.crt"));
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0).getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .contains("localhost", "127.0.0.1");
    }

    @Test
    void theCaStartsWithoutTheRootKeystoreOnceTheIntermediateExists() throws Exception {
        var first = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        Files.move(dir.resolve("root-ca.p12"), dir.resolveSibling(dir.getFileName() + "-offline-root.p12"));
        var second = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        assertThat(second.rootFingerprint()).isEqualTo(first.rootFingerprint());
        assertThat(second.issueClientCertificate(CertificateAuthority.newKeyPair().getPublic(), "d",
                "urn:wardline:user:u:device:d", Duration.ofDays(1)).getIssuerX500Principal())
                .isEqualTo(first.intermediateCertificate().getSubjectX500Principal());
        assertThatThrownBy(() -> CertificateAuthority.reissueIntermediate(dir, Secret.of("pass"), Duration.ofDays(10)))
                .hasMessageContaining("bring it back from offline storage");
    }

    @Test
    void reissuingTheIntermediateKeepsTheRootAndOldLeavesValid() throws Exception {
        var before = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        X509Certificate oldLeaf = before.issueClientCertificate(CertificateAuthority.newKeyPair().getPublic(), "d",
                "urn:wardline:user:u:device:d", Duration.ofDays(1));
        X509Certificate fresh = CertificateAuthority.reissueIntermediate(dir, Secret.of("pass"), Duration.ofDays(100));
        var after = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        assertThat(after.rootFingerprint()).isEqualTo(before.rootFingerprint());
        assertThat(after.intermediateCertificate()).isEqualTo(fresh);
        assertThat(fresh.getPublicKey()).isNotEqualTo(before.intermediateCertificate().getPublicKey());
        X509Certificate newLeaf = after.issueClientCertificate(CertificateAuthority.newKeyPair().getPublic(), "d",
                "urn:wardline:user:u:device:d", Duration.ofDays(1));
        validate(after, newLeaf, after.intermediateCertificate());
        validate(after, oldLeaf, before.intermediateCertificate());
    }

    @Test
    void theCrlIsSignedByTheIntermediateAndListsEachEntry() throws Exception {
        var ca = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        X509Certificate revoked = ca.issueClientCertificate(CertificateAuthority.newKeyPair().getPublic(), "d",
                "urn:wardline:user:u:device:d", Duration.ofDays(1));
        X509Certificate kept = ca.issueClientCertificate(CertificateAuthority.newKeyPair().getPublic(), "d",
                "urn:wardline:user:u:device:e", Duration.ofDays(1));
        java.time.Instant now = java.time.Instant.now();
        var crl = ca.issueCrl(List.of(new CertificateAuthority.RevokedCertificate(revoked.getSerialNumber(), now,
                RevocationReason.LOST.crlReason())), now, now.plus(Duration.ofDays(1)), java.math.BigInteger.TEN);
        crl.verify(ca.intermediateCertificate().getPublicKey());
        assertThat(crl.isRevoked(revoked)).isTrue();
        assertThat(crl.isRevoked(kept)).isFalse();
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.intermediateCertificate().getSubjectX500Principal());
        assertThat(crl.getRevokedCertificate(revoked).getRevocationReason()).isEqualTo(java.security.cert.CRLReason.KEY_COMPROMISE);
    }

    @Test
    void theReissueCommandWorksFromAPassphraseFile() throws Exception {
        var before = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        Path passFile = dir.resolveSibling(dir.getFileName() + "-pass.txt");
        Files.writeString(passFile, "pass\n");
        var out = new java.io.StringWriter();
        int rc = new picocli.CommandLine(new PkiCommand()).setOut(new java.io.PrintWriter(out, true))
                .execute("reissue-intermediate", "--pki-dir", dir.toString(), "--passphrase-file", passFile.toString(), "--days", "30");
        assertThat(rc).isZero();
        var after = CertificateAuthority.loadOrCreate(dir, Secret.of("pass"), "Test");
        assertThat(after.intermediateCertificate().getSerialNumber()).isNotEqualTo(before.intermediateCertificate().getSerialNumber());
        assertThat(out.toString()).contains(CertificateAuthority.fingerprint(after.intermediateCertificate())).doesNotContain("pass\n");
    }

    private static void validate(CertificateAuthority ca, X509Certificate leaf, X509Certificate intermediate) throws Exception {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf, intermediate));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.rootCertificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }
}
