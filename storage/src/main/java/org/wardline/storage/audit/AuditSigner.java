package org.wardline.storage.audit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Holds the server's audit key and signs checkpoints with it. The key is ECDSA P-256 or Ed25519, kept in
 * a PKCS#12 file with a passphrase next to its certificate; verifiers need only the certificate (or
 * its public key). Signing uses the JDK's providers.
 */
public final class AuditSigner {
    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final String algorithm;
    private final String keyId;

    public AuditSigner(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.algorithm = signatureAlgorithm(certificate.getPublicKey());
        this.keyId = keyId(certificate.getPublicKey());
        byte[] probe = "wardline.audit.key-check".getBytes(StandardCharsets.US_ASCII);
        if (!verify(certificate.getPublicKey(), algorithm, probe, sign(probe))) {
            throw new IllegalArgumentException("audit private key does not match its certificate");
        }
    }

    /**
     * Loads the key entry of a PKCS#12 file. With {@code alias} null the file must hold exactly one key.
     *
     * @throws IOException for an unreadable file or a wrong passphrase
     * @throws GeneralSecurityException for an unsupported key type
     */
    public static AuditSigner loadPkcs12(Path file, char[] passphrase, String alias) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, passphrase);
        }
        String chosen = alias;
        if (chosen == null) {
            Enumeration<String> aliases = store.aliases();
            while (aliases.hasMoreElements()) {
                String candidate = aliases.nextElement();
                if (store.isKeyEntry(candidate)) {
                    if (chosen != null) {
                        throw new GeneralSecurityException("audit keystore holds several keys; name the alias");
                    }
                    chosen = candidate;
                }
            }
            if (chosen == null) {
                throw new GeneralSecurityException("audit keystore holds no private key");
            }
        }
        if (!(store.getKey(chosen, passphrase) instanceof PrivateKey key)
                || !(store.getCertificate(chosen) instanceof X509Certificate cert)) {
            throw new GeneralSecurityException("audit keystore entry is not a private key with an X.509 certificate");
        }
        return new AuditSigner(key, cert);
    }

    public static AuditSigner loadPkcs12(Path file, char[] passphrase) throws IOException, GeneralSecurityException {
        return loadPkcs12(file, passphrase, null);
    }

    /** Generates a fresh ECDSA P-256 key with a self-signed certificate valid for ten years (dev mode, tests). */
    public static AuditSigner generate(String subjectCommonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + subjectCommonName);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))),
                    subject, pair.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new AuditSigner(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate an audit key", e);
        }
    }

    /** Writes the key and certificate to a PKCS#12 file protected by {@code passphrase}. */
    public void writePkcs12(Path file, char[] passphrase, String alias) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, privateKey, passphrase, new Certificate[] {certificate});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, passphrase);
        }
    }

    /** Writes the certificate as PEM, for auditors who verify without the private key. */
    public void writeCertificatePem(Path file) throws IOException, CertificateException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** Reads an X.509 certificate (PEM or DER) and returns its public key, for {@link AuditVerifier}. */
    public static PublicKey readPublicKey(Path certificateFile) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
        }
    }

    public byte[] sign(byte[] payload) {
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(privateKey);
            signature.update(payload);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("audit checkpoint signing failed", e);
        }
    }

    /** True if {@code signature} is a valid {@code algorithm} signature of {@code payload} by {@code key}. */
    public static boolean verify(PublicKey key, String algorithm, byte[] payload, byte[] signature) {
        try {
            if (!signatureAlgorithm(key).equals(algorithm)) {
                return false;
            }
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(signature);
        } catch (SignatureException | InvalidKeyException | IllegalArgumentException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("audit signature algorithm unavailable", e);
        }
    }

    /** {@code SHA256withECDSA} for EC keys, {@code Ed25519} for EdDSA keys. */
    public static String signatureAlgorithm(PublicKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> throw new IllegalArgumentException("audit key must be EC (P-256) or Ed25519, not " + key.getAlgorithm());
        };
    }

    /** Lower-case hex SHA-256 of the key's X.509 SubjectPublicKeyInfo encoding. */
    public static String keyId(PublicKey key) {
        return HexFormat.of().formatHex(AuditCanonical.sha256().digest(key.getEncoded()));
    }

    public PublicKey publicKey() {
        return certificate.getPublicKey();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String algorithm() {
        return algorithm;
    }

    public String keyId() {
        return keyId;
    }

    @Override
    public String toString() {
        return "AuditSigner[" + algorithm + ", keyId=" + keyId + "]";
    }
}
