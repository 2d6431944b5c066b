package org.wardline.server.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.Pem;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A private CA for the cluster's event bus, apart from Wardline's device CA (a device certificate must never
 * open the event bus), and one node certificate it issues for 127.0.0.1 with both TLS purposes (a node is
 * server and client of the others).
 */
final class ClusterCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterCertificates() {
    }

    static WardlineConfig.EventBusTls create(Path dir) {
        try {
            KeyPair caKeys = CertificateAuthority.newKeyPair();
            X500Name caName = new X500Name("CN=Wardline test cluster CA");
            X509Certificate ca = sign(caName, caKeys, caName, caKeys, new Extension[] {
                    new Extension(Extension.basicConstraints, true, new BasicConstraints(0).getEncoded()),
                    new Extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign).getEncoded())});
            KeyPair nodeKeys = CertificateAuthority.newKeyPair();
            X509Certificate node = sign(new X500Name("CN=127.0.0.1"), nodeKeys, caName, caKeys, new Extension[] {
                    new Extension(Extension.basicConstraints, true, new BasicConstraints(false).getEncoded()),
                    new Extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature).getEncoded()),
                    new Extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}).getEncoded()),
                    new Extension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")).getEncoded())});
            Path caFile = dir.resolve("cluster-ca.crt");
            Path certFile = dir.resolve("node.crt");
            Path keyFile = dir.resolve("node.key");
            Pem.writeCertificates(caFile, List.of(ca));
            Pem.writeCertificates(certFile, List.of(node, ca));
            Pem.writePrivateKey(keyFile, nodeKeys.getPrivate());
            return new WardlineConfig.EventBusTls(true, certFile, keyFile, caFile);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test cluster's certificates", e);
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                        Extension[] extensions) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(2))), subject, subjectKeys.getPublic());
        for (Extension e : extensions) {
            builder.addExtension(e);
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }
}
