package org.wardline.server.mls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.wardline.protocol.Secret;
import org.wardline.protocol.mls.ExternalSenderSigner;
import org.wardline.protocol.mls.MlsSuites;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The server's MLS external-sender signing key (suite 0x0007: ECDSA P-384), kept like the audit key: a PKCS#12
 * file under the PKI directory, encrypted with the PKI passphrase, created on first start. Every node of a
 * cluster must hold the same file (checked at start-up by {@code cluster.SharedKeys}); backups carry it.
 */
public final class ExternalSenderKeystore {
    public static final String KEYSTORE = "mls-external-sender.p12";
    private static final String ALIAS = "mls-external-sender";

    private ExternalSenderKeystore() {
    }

    /** Loads the key, creating it first if the PKI directory has none. Blocking file I/O: not on an event loop. */
    public static ExternalSenderSigner loadOrCreate(Path pkiDir, Secret<String> passphrase) {
        Path store = pkiDir.resolve(KEYSTORE);
        char[] pass = passphrase.reveal().toCharArray();
        try {
            if (!Files.exists(store)) {
                create(pkiDir, store, pass);
            }
            return load(store, pass);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the MLS external-sender key in " + pkiDir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the MLS external-sender key in " + pkiDir
                    + " does not open with the configured pki.passphrase", e);
        }
    }

    private static ExternalSenderSigner load(Path store, char[] pass) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, pass);
        }
        if (!(ks.getKey(ALIAS, pass) instanceof PrivateKey key) || !(ks.getCertificate(ALIAS) instanceof X509Certificate cert)) {
            throw new GeneralSecurityException("no MLS external-sender key entry in " + store.getFileName());
        }
        return ExternalSenderSigner.of(MlsSuites.DEFAULT_ID, PrivateKeyFactory.createKey(key.getEncoded()),
                PublicKeyFactory.createKey(cert.getPublicKey().getEncoded()));
    }

    private static void create(Path pkiDir, Path store, char[] pass) throws IOException, GeneralSecurityException {
        Files.createDirectories(pkiDir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=Wardline MLS external sender");
        Instant now = Instant.now();
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA384withECDSA").build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot self-sign the MLS external-sender key", e);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, pair.getPrivate(), pass, new Certificate[] {cert});
        Path tmp = pkiDir.resolve(KEYSTORE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, pass);
        }
        Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE);
    }
}
