package org.wardline.server.audit;

import org.wardline.protocol.Secret;
import org.wardline.storage.audit.AuditSigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;

/**
 * The key that signs audit checkpoints: a PKCS#12 file under the PKI directory, encrypted with the PKI
 * passphrase and created on first start, and its certificate beside it for whoever verifies the trail.
 */
public final class AuditKeys {
    static final String KEYSTORE = "audit-signing.p12";
    public static final String CERTIFICATE = "audit-signing.crt";

    private AuditKeys() {
    }

    public static AuditSigner loadOrCreate(Path pkiDir, Secret<String> passphrase) {
        Path store = pkiDir.resolve(KEYSTORE);
        char[] pass = passphrase.reveal().toCharArray();
        try {
            if (Files.exists(store)) {
                return AuditSigner.loadPkcs12(store, pass);
            }
            Files.createDirectories(pkiDir);
            AuditSigner signer = AuditSigner.generate("Wardline audit checkpoints");
            Path tmp = pkiDir.resolve(KEYSTORE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            signer.writePkcs12(tmp, pass, "audit");
            Files.move(tmp, store, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            signer.writeCertificatePem(pkiDir.resolve(CERTIFICATE));
            return signer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the audit signing key in " + pkiDir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the audit signing key in " + pkiDir
                    + " does not open with the configured pki.passphrase", e);
        }
    }

    public static PublicKey publicKey(Path certificate) {
        try {
            return AuditSigner.readPublicKey(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit certificate " + certificate, e);
        } catch (CertificateException e) {
            throw new IllegalStateException("not an audit certificate: " + certificate, e);
        }
    }
}
