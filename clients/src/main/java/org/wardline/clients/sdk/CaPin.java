package org.wardline.clients.sdk;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How a device knows Wardline's root CA before it is enrolled: the root's SHA-256 fingerprint (read from the
 * server's banner or an administrator), or the root certificate itself. Everything the SDK does afterwards
 * trusts that root only.
 *
 * <pre>{@code
 * CaPin pin = CaPin.fingerprint("3F:A2:…");   // or CaPin.certificate(rootCert), CaPin.pemFile(path)
 * X509Certificate root = pin.resolve(URI.create("https://wardline.example.org"));
 * }</pre>
 */
public final class CaPin {
    private final String fingerprint;
    private final X509Certificate certificate;

    private CaPin(String fingerprint, X509Certificate certificate) {
        this.fingerprint = fingerprint;
        this.certificate = certificate;
    }

    /** Pins the root whose SHA-256 fingerprint is {@code sha256} (hex, with or without colons). */
    public static CaPin fingerprint(String sha256) {
        return new CaPin(Certificates.normaliseFingerprint(sha256), null);
    }

    /** Pins this root certificate. */
    public static CaPin certificate(X509Certificate root) {
        return new CaPin(Certificates.fingerprint(root), root);
    }

    /** Pins the first certificate in this PEM file. */
    public static CaPin pemFile(Path pem) {
        try {
            return certificate(Certificates.parsePem(Files.readString(pem)).get(0));
        } catch (java.io.IOException | IndexOutOfBoundsException e) {
            throw new WardlineClientException("client.pin", "cannot read a CA certificate from " + pem, e);
        }
    }

    /** The pinned root's fingerprint (uppercase, colon-separated). */
    public String sha256() {
        return fingerprint;
    }

    /**
     * The pinned root certificate. With a fingerprint pin, it is fetched from {@code publicUrl/pki/ca}; the
     * answer is accepted only if it holds a self-signed certificate with the pinned fingerprint and the
     * server's own TLS certificate chains to it. Nothing secret is sent before that check.
     *
     * @throws WardlineClientException ({@code client.pin}) when the server does not prove the pinned root
     */
    public X509Certificate resolve(URI publicUrl) {
        if (certificate != null) {
            return certificate;
        }
        AtomicReference<X509Certificate[]> presented = new AtomicReference<>();
        SSLContext capturing = capturingContext(presented);
        String pem = Https.get(Https.client(capturing), publicUrl.resolve("/pki/ca"));
        X509Certificate root = Certificates.parsePem(pem).stream()
                .filter(c -> Certificates.fingerprint(c).equals(fingerprint))
                .findFirst()
                .orElseThrow(() -> new WardlineClientException("client.pin",
                        "the server's CA does not match the pinned fingerprint", null));
        try {
            root.verify(root.getPublicKey());
            X509Certificate[] chain = presented.get();
            if (chain == null || chain.length == 0) {
                throw new WardlineClientException("client.pin", "the server presented no certificate", null);
            }
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain)), params);
        } catch (GeneralSecurityException e) {
            throw new WardlineClientException("client.pin", "the server's TLS certificate is not issued by the pinned CA", e);
        }
        return root;
    }

    /** A TLS context that trusts only {@code root}: for every connection after the pin is resolved. */
    static TrustManager[] trusting(X509Certificate root) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("wardline-ca", root);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust manager", e);
        }
    }

    private static SSLContext capturingContext(AtomicReference<X509Certificate[]> presented) {
        X509TrustManager capture = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("client side only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // Recorded and validated against the pinned root once the root is known (see resolve).
                presented.set(chain.clone());
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {capture}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
