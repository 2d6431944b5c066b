package org.wardline.server.backup;

import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.wardline.protocol.Secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The key a backup is encrypted under: Argon2id (BouncyCastle) stretches the backup passphrase with a random salt
 * into the input key material of Tink's AES-256-GCM-HKDF streaming AEAD; each part gets a fresh HKDF salt and nonce
 * prefix from Tink, and its name as associated data, so parts cannot be swapped.
 */
final class BackupKey {
    static final int MEMORY_KIB = 64 * 1024;
    static final int ITERATIONS = 3;
    static final int MIN_PASSPHRASE = 12;
    private static final int SEGMENT = 1 << 20;

    private final StreamingAead aead;

    private BackupKey(StreamingAead aead) {
        this.aead = aead;
    }

    static byte[] newSalt() {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return salt;
    }

    /** Derives the key; blocking CPU work (Argon2id, 64 MiB). */
    static BackupKey derive(Secret<String> passphrase, byte[] salt, int memoryKib, int iterations) {
        if (passphrase.reveal().length() < MIN_PASSPHRASE) {
            throw new BackupException("the backup passphrase must have at least " + MIN_PASSPHRASE + " characters");
        }
        Argon2BytesGenerator argon = new Argon2BytesGenerator();
        argon.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withSalt(salt).withMemoryAsKB(memoryKib)
                .withIterations(iterations).withParallelism(1).build());
        byte[] ikm = new byte[32];
        byte[] pass = passphrase.reveal().getBytes(StandardCharsets.UTF_8);
        try {
            argon.generateBytes(pass, ikm);
            return new BackupKey(new AesGcmHkdfStreaming(ikm, "HmacSha256", 32, SEGMENT, 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink refused the streaming AEAD parameters", e);
        } finally {
            Arrays.fill(ikm, (byte) 0);
            Arrays.fill(pass, (byte) 0);
        }
    }

    StreamingAead aead() {
        return aead;
    }

    static byte[] associatedData(String partName) {
        return ("wardline-backup-v1:" + partName).getBytes(StandardCharsets.UTF_8);
    }
}
