package org.wardline.clients.sdk;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * Device key pairs and certificate requests. The key pair is generated on the device and never leaves it:
 * only the PKCS#10 request (public key, signed with the private key) is sent to the server.
 */
public final class DeviceKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceKeys() {
    }

    /** A new ECDSA P-256 key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no P-256 key generator", e);
        }
    }

    /**
     * A PEM PKCS#10 request for {@code keys}, with no extensions and a placeholder subject: the server sets
     * the certificate's identity.
     */
    public static String certificateRequest(KeyPair keys) {
        try {
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=wardline-device"),
                    keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(csr);
            }
            return out.toString();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate request", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
