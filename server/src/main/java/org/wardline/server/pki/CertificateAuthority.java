package org.wardline.server.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.wardline.protocol.Secret;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * Wardline's certificate authority: a root that signs an online intermediate, which signs server and device
 * certificates. Keys are ECDSA P-256 (fast handshakes, 128-bit security to match the AES-128/256 suites).
 * Both live in PKCS#12 keystores encrypted with the configured passphrase; the root keystore can be moved
 * offline once the intermediate exists.
 */
public final class CertificateAuthority {
    static final String ROOT_FILE = "root-ca.p12";
    static final String INTERMEDIATE_FILE = "intermediate-ca.p12";
    static final String ROOT_CERT_FILE = "root-ca.crt";
    private static final String ALIAS = "ca";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate root;
    private final X509Certificate intermediate;
    private final PrivateKey intermediateKey;

    private CertificateAuthority(X509Certificate root, X509Certificate intermediate, PrivateKey intermediateKey) {
        this.root = root;
        this.intermediate = intermediate;
        this.intermediateKey = intermediateKey;
    }

    /** Loads the CA from {@code dir}, or creates a root and intermediate there on first start. */
    public static CertificateAuthority loadOrCreate(Path dir, Secret<String> passphrase, String organisation) {
        Path intermediateStore = dir.resolve(INTERMEDIATE_FILE);
        try {
            if (Files.exists(intermediateStore)) {
                return load(dir, passphrase);
            }
            Files.createDirectories(dir);
            Instant now = Instant.now();
            KeyPair rootKeys = newKeyPair();
            X500Name rootName = new X500Name("CN=Wardline Root CA, O=" + escape(organisation));
            X509Certificate root = sign(rootName, rootKeys.getPublic(), rootName, rootKeys.getPrivate(), null,
                    now, Duration.ofDays(3650), caExtensions(1));
            KeyPair intermediateKeys = newKeyPair();
            X500Name intermediateName = new X500Name("CN=Wardline Device CA, O=" + escape(organisation));
            X509Certificate intermediate = sign(intermediateName, intermediateKeys.getPublic(), rootName,
                    rootKeys.getPrivate(), root, now, Duration.ofDays(1825), caExtensions(0));
            store(dir.resolve(ROOT_FILE), rootKeys.getPrivate(), List.of(root), passphrase);
            store(intermediateStore, intermediateKeys.getPrivate(), List.of(intermediate, root), passphrase);
            Pem.writeCertificates(dir.resolve(ROOT_CERT_FILE), List.of(root));
            return new CertificateAuthority(root, intermediate, intermediateKeys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the certificate authority", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the certificate authority in " + dir, e);
        }
    }

    private static CertificateAuthority load(Path dir, Secret<String> passphrase) throws GeneralSecurityException, IOException {
        KeyStore ks = openKeyStore(dir.resolve(INTERMEDIATE_FILE), passphrase, dir);
        PrivateKey key = (PrivateKey) ks.getKey(ALIAS, passphrase.reveal().toCharArray());
        Certificate[] chain = ks.getCertificateChain(ALIAS);
        return new CertificateAuthority((X509Certificate) chain[chain.length - 1], (X509Certificate) chain[0], key);
    }

    private static KeyStore openKeyStore(Path file, Secret<String> passphrase, Path dir)
            throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, passphrase.reveal().toCharArray());
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new IllegalStateException("the CA keystore in " + dir + " does not open with the configured pki.passphrase", e);
            }
            throw e;
        }
        return ks;
    }

    public X509Certificate rootCertificate() {
        return root;
    }

    public X509Certificate intermediateCertificate() {
        return intermediate;
    }

    /** SHA-256 of the root certificate, as colon-separated hex: what a device pins and an operator compares. */
    public String rootFingerprint() {
        return fingerprint(root);
    }

    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no P-256 key generator", e);
        }
    }

    /** Issues a TLS server certificate for the given DNS names and IP addresses. */
    public X509Certificate issueServerCertificate(PublicKey key, List<String> dnsNames, List<String> ipAddresses,
                                                  Duration validity) {
        return issueServerCertificate(key, dnsNames, ipAddresses, validity, null);
    }

    /**
     * Issues a TLS server certificate naming where this CA publishes its revocation list, so a client can check
     * the certificate was not revoked (RFC 5280 §4.2.1.13).
     *
     * @param crlUrl the CRL's address (the public listener's {@code /pki/crl}); null for none
     */
    public X509Certificate issueServerCertificate(PublicKey key, List<String> dnsNames, List<String> ipAddresses,
                                                  Duration validity, java.net.URI crlUrl) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        String cn = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
        return issueLeaf(new X500Name("CN=" + escape(cn)), key, validity, new GeneralNames(names.toArray(GeneralName[]::new)),
                KeyPurposeId.id_kp_serverAuth, crlUrl);
    }

    /** Issues a TLS client certificate whose identity is the URI SAN {@code uri}. */
    public X509Certificate issueClientCertificate(PublicKey key, String commonName, String uri, Duration validity) {
        return issueLeaf(new X500Name("CN=" + escape(commonName)), key, validity,
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)), KeyPurposeId.id_kp_clientAuth, null);
    }

    private X509Certificate issueLeaf(X500Name subject, PublicKey key, Duration validity, GeneralNames san,
                                      KeyPurposeId purpose, java.net.URI crlUrl) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            List<Extension> ext = new ArrayList<>(List.of(
                    new Extension(Extension.basicConstraints, true, new BasicConstraints(false).getEncoded()),
                    new Extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature).getEncoded()),
                    new Extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose).getEncoded()),
                    new Extension(Extension.subjectAlternativeName, false, san.getEncoded()),
                    new Extension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key).getEncoded())));
            if (crlUrl != null) {
                GeneralNames where = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl.toString()));
                CRLDistPoint points = new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(where), null, null)});
                ext.add(new Extension(Extension.cRLDistributionPoints, false, points.getEncoded()));
            }
            return sign(subject, key, X500Name.getInstance(intermediate.getSubjectX500Principal().getEncoded()),
                    intermediateKey, intermediate, Instant.now(), validity, ext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Signs a new intermediate (new key pair, same name) with the root key and replaces the intermediate
     * keystore. Needs the root keystore, which is otherwise kept offline: bring it back, run this (the
     * {@code wardline pki reissue-intermediate} command), restart the server, move the root away again.
     * Device certificates issued by the old intermediate stay valid until they expire or are renewed.
     *
     * @return the new intermediate certificate
     */
    public static X509Certificate reissueIntermediate(Path dir, Secret<String> passphrase, Duration validity) {
        Path rootStore = dir.resolve(ROOT_FILE);
        if (!Files.exists(rootStore)) {
            throw new IllegalStateException("the root keystore " + ROOT_FILE + " is not in " + dir
                    + ": bring it back from offline storage to re-issue the intermediate");
        }
        try {
            KeyStore ks = openKeyStore(rootStore, passphrase, dir);
            PrivateKey rootKey = (PrivateKey) ks.getKey(ALIAS, passphrase.reveal().toCharArray());
            X509Certificate root = (X509Certificate) ks.getCertificate(ALIAS);
            CertificateAuthority current = load(dir, passphrase);
            X500Name rootName = X500Name.getInstance(root.getSubjectX500Principal().getEncoded());
            X500Name intermediateName = X500Name.getInstance(current.intermediate.getSubjectX500Principal().getEncoded());
            KeyPair keys = newKeyPair();
            X509Certificate intermediate = sign(intermediateName, keys.getPublic(), rootName, rootKey, root,
                    Instant.now(), validity, caExtensions(0));
            store(dir.resolve(INTERMEDIATE_FILE), keys.getPrivate(), List.of(intermediate, root), passphrase);
            return intermediate;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot re-issue the intermediate", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-issue the intermediate in " + dir, e);
        }
    }

    /** One entry of a CRL: a certificate's serial, when it stopped working and why. */
    public record RevokedCertificate(BigInteger serial, Instant revokedAt, int reasonCode) {
    }

    /**
     * A CRL signed by the intermediate listing {@code revoked}; relying parties refetch it before
     * {@code nextUpdate}. {@code number} must grow with every CRL issued (RFC 5280 CRL number).
     */
    public X509CRL issueCrl(List<RevokedCertificate> revoked, Instant thisUpdate, Instant nextUpdate, BigInteger number) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(
                    X500Name.getInstance(intermediate.getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (RevokedCertificate r : revoked) {
                b.addCRLEntry(r.serial(), Date.from(r.revokedAt()), r.reasonCode());
            }
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(intermediate));
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            var signer = new JcaContentSignerBuilder(SIGNATURE).build(intermediateKey);
            return new JcaX509CRLConverter().getCRL(b.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a CRL", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A certificate's serial as lowercase hex: how the devices tables and the connection registry key it. */
    public static String serialHex(X509Certificate cert) {
        return cert.getSerialNumber().toString(16);
    }

    /** The chain a leaf presents after itself: the intermediate (the root is the trust anchor). */
    public List<X509Certificate> chainAfterLeaf() {
        return List.of(intermediate);
    }

    private static List<Extension> caExtensions(int pathLength) throws IOException {
        return List.of(
                new Extension(Extension.basicConstraints, true, new BasicConstraints(pathLength).getEncoded()),
                new Extension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature).getEncoded()));
    }

    private static X509Certificate sign(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey issuerKey,
                                        X509Certificate issuerCert, Instant notBefore, Duration validity,
                                        List<Extension> extensions) throws GeneralSecurityException, IOException {
        BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial,
                Date.from(notBefore.minus(Duration.ofMinutes(5))), Date.from(notBefore.plus(validity)), subject, subjectKey);
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        for (Extension e : extensions) {
            b.addExtension(e);
        }
        if (!extensions.stream().anyMatch(e -> e.getExtnId().equals(Extension.subjectKeyIdentifier))) {
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
        }
        b.addExtension(Extension.authorityKeyIdentifier, false, issuerCert == null
                ? utils.createAuthorityKeyIdentifier(subjectKey)
                : utils.createAuthorityKeyIdentifier(issuerCert));
        try {
            var signer = new JcaContentSignerBuilder(SIGNATURE).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void store(Path file, PrivateKey key, List<X509Certificate> chain, Secret<String> passphrase)
            throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, key, passphrase.reveal().toCharArray(), chain.toArray(Certificate[]::new));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        Pem.restrict(tmp);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, passphrase.reveal().toCharArray());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String escape(String rdnValue) {
        return rdnValue.replaceAll("([,+=\"\\\\<>;#])", "\\\\$1");
    }
}
