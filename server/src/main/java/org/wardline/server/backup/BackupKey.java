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
 * The key a backup is encrypted under: the input key material of Tink's AES-256-GCM-HKDF streaming AEAD, either
 * stretched from the backup passphrase by Argon2id (BouncyCastle) with a random salt, or random and encrypted to the
 * recipient key ({@link RecipientKey}). Each part gets a fresh HKDF salt and nonce prefix from Tink, and its name as
 * associated data, so parts cannot be swapped. The header's key check (an empty part under the same key) tells a
 * wrong passphrase or key file from a damaged part before anything is restored.
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

    private static final String KEY_CHECK = "key-check";

    /** A new backup's key, how it was made (for the header) and its key check. */
    record Sealed(BackupKey key, BackupHeader.Sealing sealing, byte[] keyCheck) {
    }

    /** Makes a new backup's key; blocking (Argon2id for a passphrase). */
    static Sealed seal(BackupCredentials.Seal credentials) {
        BackupKey key;
        BackupHeader.Sealing sealing;
        switch (credentials) {
            case BackupCredentials.Passphrase p -> {
                byte[] salt = newSalt();
                key = derive(p.passphrase(), salt, MEMORY_KIB, ITERATIONS);
                sealing = new BackupHeader.PassphraseSealing(salt, MEMORY_KIB, ITERATIONS);
            }
            case BackupCredentials.Recipient r -> {
                byte[] dataKey = new byte[32];
                new SecureRandom().nextBytes(dataKey);
                try {
                    sealing = new BackupHeader.RecipientSealing(RecipientKey.keyId(r.publicKeyset()),
                            RecipientKey.wrap(r.publicKeyset(), dataKey));
                    key = of(dataKey);
                } finally {
                    Arrays.fill(dataKey, (byte) 0);
                }
            }
        }
        return new Sealed(key, sealing, key.keyCheck());
    }

    /** Opens an existing backup's key and checks it against the header; fails clearly, naming no secret. */
    static BackupKey open(BackupCredentials.Open credentials, BackupHeader header) {
        BackupKey key;
        switch (header.sealing()) {
            case BackupHeader.PassphraseSealing p -> {
                if (!(credentials instanceof BackupCredentials.Passphrase pass)) {
                    throw new BackupException("this backup is encrypted under a passphrase: give it with --passphrase-file "
                            + "or $" + BackupCommands.PASSPHRASE_ENV + ", not a key file");
                }
                key = derive(pass.passphrase(), p.salt(), p.memoryKib(), p.iterations());
                if (!key.opens(header.keyCheck())) {
                    throw new BackupException("the passphrase does not open this backup (wrong passphrase)");
                }
            }
            case BackupHeader.RecipientSealing r -> {
                if (!(credentials instanceof BackupCredentials.KeyFile file)) {
                    throw new BackupException("this backup is encrypted to recipient key " + r.keyId()
                            + ": give the offline private key with --key-file, not a passphrase");
                }
                byte[] dataKey = RecipientKey.unwrap(file.privateKeyset(), r.keyId(), r.wrappedKey());
                try {
                    key = of(dataKey);
                } finally {
                    Arrays.fill(dataKey, (byte) 0);
                }
                if (!key.opens(header.keyCheck())) {
                    throw new BackupException("the key file does not open this backup (its data key fails the key check)");
                }
            }
        }
        return key;
    }

    private static BackupKey of(byte[] ikm) {
        try {
            return new BackupKey(new AesGcmHkdfStreaming(ikm, "HmacSha256", 32, SEGMENT, 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink refused the streaming AEAD parameters", e);
        }
    }

    private byte[] keyCheck() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.io.OutputStream enc = aead.newEncryptingStream(out, associatedData(KEY_CHECK))) {
            enc.flush();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Tink could not write the key check", e);
        }
        return out.toByteArray();
    }

    /** True when the key check decrypts under this key; a backup without one (older) is opened on trust. */
    private boolean opens(byte[] check) {
        if (check == null) {
            return true;
        }
        try (java.io.InputStream in = aead.newDecryptingStream(new java.io.ByteArrayInputStream(check),
                associatedData(KEY_CHECK))) {
            return in.readAllBytes().length == 0;
        } catch (GeneralSecurityException | java.io.IOException e) {
            return false;
        }
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
            return of(ikm);
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
