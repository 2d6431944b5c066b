package org.wardline.server.backup;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HpkeParameters;
import com.google.crypto.tink.hybrid.HybridConfig;
import org.wardline.protocol.Secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The backup recipient key: a Tink HPKE keyset (DHKEM X25519 HKDF-SHA256, AES-256-GCM). Scheduled backups need only
 * the public keyset, kept in the server's configuration; each backup's random data key is encrypted to it. The
 * private keyset stays offline and is handed to a restore only.
 */
final class RecipientKey {
    private static final byte[] CONTEXT = "wardline-backup-v1 data key".getBytes(StandardCharsets.UTF_8);

    static {
        try {
            HybridConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink hybrid encryption is unavailable", e);
        }
    }

    private RecipientKey() {
    }

    /** A new key pair as Tink JSON keysets: the private one (a secret) and the public one. */
    record Pair(Secret<String> privateKeyset, String publicKeyset, long keyId) {
    }

    static Pair generate() {
        try {
            KeysetHandle priv = KeysetHandle.generateNew(HpkeParameters.builder()
                    .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
                    .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
                    .setAeadId(HpkeParameters.AeadId.AES_256_GCM)
                    .setVariant(HpkeParameters.Variant.TINK).build());
            return new Pair(Secret.of(TinkJsonProtoKeysetFormat.serializeKeyset(priv, InsecureSecretKeyAccess.get())),
                    TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(priv.getPublicKeysetHandle()),
                    Integer.toUnsignedLong(priv.getKeysetInfo().getPrimaryKeyId()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not generate an HPKE key", e);
        }
    }

    /** The recipient's public keyset's primary key ID; fails clearly on anything but a public HPKE keyset. */
    static long keyId(String publicKeyset) {
        return Integer.toUnsignedLong(parsePublic(publicKeyset).getKeysetInfo().getPrimaryKeyId());
    }

    /** Encrypts {@code dataKey} to the public keyset; returns the ciphertext to put in the signed header. */
    static byte[] wrap(String publicKeyset, byte[] dataKey) {
        try {
            return parsePublic(publicKeyset).getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class)
                    .encrypt(dataKey, CONTEXT);
        } catch (GeneralSecurityException e) {
            throw new BackupException("the backup recipient key cannot encrypt (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Decrypts the data key with the private keyset; a key that is not the backup's recipient key fails clearly. */
    static byte[] unwrap(Secret<String> privateKeyset, long expectedKeyId, byte[] wrapped) {
        KeysetHandle handle;
        HybridDecrypt decrypt;
        try {
            handle = TinkJsonProtoKeysetFormat.parseKeyset(privateKeyset.reveal(), InsecureSecretKeyAccess.get());
            decrypt = handle.getPrimitive(RegistryConfiguration.get(), HybridDecrypt.class);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new BackupException("the key file is not a Wardline backup private key (a Tink HPKE keyset from "
                    + "wardline admin backup-key generate)");
        }
        long id = Integer.toUnsignedLong(handle.getKeysetInfo().getPrimaryKeyId());
        try {
            return decrypt.decrypt(wrapped, CONTEXT);
        } catch (GeneralSecurityException e) {
            throw new BackupException("the key file does not open this backup: it was encrypted to recipient key "
                    + expectedKeyId + ", the key file holds key " + id);
        }
    }

    private static KeysetHandle parsePublic(String publicKeyset) {
        try {
            KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(publicKeyset);
            handle.getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class);
            return handle;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new BackupException("the backup recipient key is not a Tink HPKE public keyset (make one with "
                    + "wardline admin backup-key generate; the private keyset never goes in the configuration)");
        }
    }
}
