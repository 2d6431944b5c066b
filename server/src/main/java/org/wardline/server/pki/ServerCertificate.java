package org.wardline.server.pki;

import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The dev server's TLS certificate, issued by Wardline's CA for loopback names, kept as PEM under the data
 * directory and re-issued when it is missing or within {@link #RENEW_BEFORE} of expiry.
 */
public final class ServerCertificate {
    public static final Duration RENEW_BEFORE = Duration.ofDays(14);
    private static final Duration VALIDITY = Duration.ofDays(90);

    private ServerCertificate() {
    }

    public static void ensure(CertificateAuthority ca, Path certFile, Path keyFile) {
        ensure(ca, certFile, keyFile, null);
    }

    /**
     * As {@link #ensure(CertificateAuthority, Path, Path)}, with a CRL distribution point; a kept certificate
     * that names another one (the public port changed) is re-issued.
     */
    public static void ensure(CertificateAuthority ca, Path certFile, Path keyFile, URI crlUrl) {
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            List<X509Certificate> chain = readChain(certFile);
            if (!chain.isEmpty() && chain.get(0).getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))
                    && chain.get(chain.size() - 1).getIssuerX500Principal().equals(ca.intermediateCertificate().getSubjectX500Principal())
                    && crlDistributionPoint(chain.get(0)).equals(Optional.ofNullable(crlUrl).map(URI::toString))) {
                return;
            }
        }
        KeyPair keys = CertificateAuthority.newKeyPair();
        X509Certificate cert = ca.issueServerCertificate(keys.getPublic(), List.of("localhost"),
                List.of("127.0.0.1", "::1"), VALIDITY, crlUrl);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(ca.chainAfterLeaf());
        Pem.writePrivateKey(keyFile, keys.getPrivate());
        Pem.writeCertificates(certFile, chain);
    }

    /** The first URI of the certificate's CRL distribution points extension, if it has one. */
    public static Optional<String> crlDistributionPoint(X509Certificate cert) {
        byte[] value = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return Optional.empty();
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (DistributionPoint p : points.getDistributionPoints()) {
                if (p.getDistributionPoint() != null && p.getDistributionPoint().getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName n : GeneralNames.getInstance(p.getDistributionPoint().getName()).getNames()) {
                        if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
                            return Optional.of(n.getName().toString());
                        }
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("malformed CRL distribution points extension", e);
        }
    }

    public static List<X509Certificate> readChain(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read certificate file " + pemFile, e);
        } catch (CertificateException e) {
            throw new IllegalStateException("not a PEM certificate file: " + pemFile, e);
        }
    }
}
