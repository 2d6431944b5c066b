package org.wardline.storage.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.Secret;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default {@link KeyProvider}: KEK versions are the keys of a Tink AES-256-GCM keyset kept in one file,
 * encrypted (AES-256-GCM) under a master key derived from a passphrase with Argon2id (BouncyCastle). The
 * passphrase comes from the environment ({@link #passphraseFromEnvironment}), never from the file system next to
 * the keystore. One server process owns a keystore file; several processes must not share it.
 *
 * <p>File layout: magic {@code WLKEYS01}, the Argon2id parameters and 16-byte salt, then Tink's encrypted keyset,
 * authenticated together with everything before it. Writes are atomic (temporary file, then rename), with owner
 * read/write permissions only where the file system supports POSIX permissions.
 *
 * <pre>{@code
 * KeyProvider keys = LocalKeystoreKeyProvider.openOrCreate(dataDir.resolve("keystore.bin"),
 *         LocalKeystoreKeyProvider.passphraseFromEnvironment("WARDLINE_KEYS_PASSPHRASE"), KdfParameters.DEFAULT);
 * }</pre>
 * Opening derives the master key (Argon2id, deliberately slow): blocking, off the event loop.
 */
public final class LocalKeystoreKeyProvider implements KeyProvider {
    /** The environment variable the server reads the keystore passphrase from ({@code keys.passphrase} in the configuration). */
    public static final String PASSPHRASE_VARIABLE = "WARDLINE_KEYS_PASSPHRASE";
    /** Shortest passphrase accepted when creating a keystore. */
    public static final int MIN_PASSPHRASE_LENGTH = 16;

    private static final Logger LOG = LoggerFactory.getLogger(LocalKeystoreKeyProvider.class);
    private static final byte[] MAGIC = "WLKEYS01".getBytes(StandardCharsets.US_ASCII);
    private static final int SALT_LENGTH = 16;
    private static final String ID_PREFIX = "local:";

    private final Path file;
    private final Aead master;
    private final byte[] header;
    private volatile Keys keys;

    private LocalKeystoreKeyProvider(Path file, Aead master, byte[] header, KeysetHandle keyset) {
        this.file = file;
        this.master = master;
        this.header = header;
        this.keys = Keys.of(keyset);
    }

    /**
     * Creates a keystore with one KEK version. Blocking.
     *
     * @throws KeyProviderException when the file exists, cannot be written, or the passphrase is too short
     */
    public static LocalKeystoreKeyProvider create(Path file, Secret<char[]> passphrase, KdfParameters kdf) {
        TinkRuntime.init();
        if (passphrase.reveal().length < MIN_PASSPHRASE_LENGTH) {
            throw new KeyProviderException("the keystore passphrase must have at least " + MIN_PASSPHRASE_LENGTH
                    + " characters");
        }
        if (Files.exists(file)) {
            throw new KeyProviderException("keystore " + file + " already exists");
        }
        byte[] salt = new byte[SALT_LENGTH];
        new SecureRandom().nextBytes(salt);
        byte[] header = header(kdf, salt);
        try {
            KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            LocalKeystoreKeyProvider provider =
                    new LocalKeystoreKeyProvider(file, deriveMaster(passphrase, kdf, salt), header, keyset);
            provider.save(keyset, true);
            LOG.info("created keystore {} with key-encryption key {}", file, provider.activeKek());
            return provider;
        } catch (GeneralSecurityException e) {
            throw new KeyProviderException("could not create keystore " + file, e);
        }
    }

    /**
     * Opens an existing keystore. Blocking (Argon2id).
     *
     * @throws KeyProviderException when the file is missing or damaged, or the passphrase is wrong
     */
    public static LocalKeystoreKeyProvider open(Path file, Secret<char[]> passphrase) {
        TinkRuntime.init();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyProviderException("keystore " + file + " does not exist", e);
        } catch (IOException e) {
            throw new KeyProviderException("cannot read keystore " + file, e);
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(content))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new KeyProviderException("file " + file + " is not a Wardline keystore");
            }
            KdfParameters kdf = new KdfParameters(in.readInt(), in.readInt(), in.readInt());
            byte[] salt = in.readNBytes(in.readUnsignedShort());
            byte[] header = header(kdf, salt);
            byte[] encrypted = in.readNBytes(in.readInt());
            Aead master = deriveMaster(passphrase, kdf, salt);
            KeysetHandle keyset;
            try {
                keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(encrypted, master, header);
            } catch (GeneralSecurityException e) {
                throw new KeyProviderException("cannot open keystore " + file + ": wrong passphrase or damaged file",
                        e);
            }
            return new LocalKeystoreKeyProvider(file, master, header, keyset);
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyProviderException("keystore " + file + " is damaged", e);
        }
    }

    /** Opens the keystore, creating it first when the file does not exist. Blocking. */
    public static LocalKeystoreKeyProvider openOrCreate(Path file, Secret<char[]> passphrase, KdfParameters kdf) {
        return Files.exists(file) ? open(file, passphrase) : create(file, passphrase, kdf);
    }

    /**
     * Reads the passphrase from an environment variable.
     *
     * @throws KeyProviderException when the variable is unset or empty (the message names the variable only)
     */
    public static Secret<char[]> passphraseFromEnvironment(String variable) {
        return passphraseFrom(System.getenv(), variable);
    }

    /** {@link #passphraseFromEnvironment} over a given environment map. */
    public static Secret<char[]> passphraseFrom(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        if (value == null || value.isEmpty()) {
            throw new KeyProviderException("the keystore passphrase is not set: set the environment variable "
                    + variable);
        }
        return Secret.of(value.toCharArray());
    }

    /** The keystore file. */
    public Path file() {
        return file;
    }

    @Override
    public KekId activeKek() {
        return keys.active;
    }

    @Override
    public List<KekId> kekIds() {
        return List.copyOf(keys.aeads.keySet());
    }

    @Override
    public WrappedDataKey wrap(byte[] dataKey, byte[] associatedData) {
        return wrap(keys.active, dataKey, associatedData);
    }

    @Override
    public WrappedDataKey wrap(KekId kek, byte[] dataKey, byte[] associatedData) {
        Aead aead = keys.aeads.get(kek);
        if (aead == null) {
            throw new UnknownKekException(kek);
        }
        try {
            return new WrappedDataKey(kek, aead.encrypt(dataKey, associatedData));
        } catch (GeneralSecurityException e) {
            throw new KeyProviderException("wrapping a data key failed", e);
        }
    }

    @Override
    public byte[] unwrap(WrappedDataKey wrapped, byte[] associatedData) {
        Aead aead = keys.aeads.get(wrapped.kek());
        if (aead == null) {
            aead = rereadFor(wrapped.kek());
        }
        try {
            return aead.decrypt(wrapped.ciphertext(), associatedData);
        } catch (GeneralSecurityException e) {
            throw new KeyUnwrapException("a data key did not authenticate under key-encryption key " + wrapped.kek(),
                    e);
        }
    }

    /**
     * A key-encryption key this instance does not know may have been added by another process sharing the
     * file ({@code wardline keys rotate} beside a running server): read the file again, once, and use it.
     */
    private synchronized Aead rereadFor(KekId kek) {
        Aead known = keys.aeads.get(kek);
        if (known != null) {
            return known;
        }
        try {
            byte[] content = Files.readAllBytes(file);
            if (content.length < header.length || !Arrays.equals(Arrays.copyOf(content, header.length), header)) {
                throw new UnknownKekException(kek);
            }
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(content, header.length,
                    content.length - header.length))) {
                byte[] encrypted = in.readNBytes(in.readInt());
                keys = Keys.of(TinkProtoKeysetFormat.parseEncryptedKeyset(encrypted, master, header));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyProviderException("cannot re-read keystore " + file, e);
        }
        Aead aead = keys.aeads.get(kek);
        if (aead == null) {
            throw new UnknownKekException(kek);
        }
        LOG.info("re-read keystore {}: key-encryption key {} added by another process", file, kek);
        return aead;
    }

    @Override
    public synchronized KekId createKekVersion() {
        try {
            KeysetHandle next = KeysetHandle.newBuilder(keys.keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
            save(next, false);
            keys = Keys.of(next);
            LOG.info("created key-encryption key {} in {}", keys.active, file);
            return keys.active;
        } catch (GeneralSecurityException e) {
            throw new KeyProviderException("could not create a key-encryption key", e);
        }
    }

    @Override
    public synchronized void retireKek(KekId kek) {
        if (kek.equals(keys.active)) {
            throw new IllegalStateException("the active key-encryption key " + kek + " cannot be retired");
        }
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(keys.keyset);
        for (int i = 0; i < builder.size(); i++) {
            if (kekId(keys.keyset.getAt(i).getId()).equals(kek)) {
                try {
                    builder.deleteAt(i);
                    KeysetHandle next = builder.build();
                    save(next, false);
                    keys = Keys.of(next);
                    LOG.info("retired key-encryption key {} from {}", kek, file);
                    return;
                } catch (GeneralSecurityException e) {
                    throw new KeyProviderException("could not retire key-encryption key " + kek, e);
                }
            }
        }
        throw new UnknownKekException(kek);
    }

    private void save(KeysetHandle keyset, boolean createNew) throws GeneralSecurityException {
        byte[] encrypted = TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, master, header);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(header);
            out.writeInt(encrypted.length);
            out.write(encrypted);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Path temp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, ".keystore-", ".tmp");
            restrictToOwner(temp);
            Files.write(temp, bytes.toByteArray());
            if (createNew && Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new KeyProviderException("cannot write keystore " + file, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Best effort: the temporary file holds only ciphertext.
                }
            }
        }
    }

    private static void restrictToOwner(Path path) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static byte[] header(KdfParameters kdf, byte[] salt) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(kdf.memoryKiB());
            out.writeInt(kdf.iterations());
            out.writeInt(kdf.parallelism());
            out.writeShort(salt.length);
            out.write(salt);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static Aead deriveMaster(Secret<char[]> passphrase, KdfParameters kdf, byte[] salt) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(kdf.memoryKiB())
                .withIterations(kdf.iterations())
                .withParallelism(kdf.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] key = new byte[32];
        try {
            generator.generateBytes(passphrase.reveal(), key);
            return new AesGcmJce(key);
        } catch (GeneralSecurityException e) {
            throw new KeyProviderException("cannot derive the keystore master key", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    static KekId kekId(int tinkKeyId) {
        return new KekId(ID_PREFIX + Integer.toUnsignedString(tinkKeyId));
    }

    /** An immutable snapshot of the keyset and one AEAD per KEK version, oldest first. */
    private record Keys(KeysetHandle keyset, Map<KekId, Aead> aeads, KekId active) {
        static Keys of(KeysetHandle keyset) {
            try {
                Map<KekId, Aead> aeads = new LinkedHashMap<>();
                for (int i = 0; i < keyset.size(); i++) {
                    KeysetHandle.Entry entry = keyset.getAt(i);
                    KeysetHandle single = KeysetHandle.newBuilder()
                            .addEntry(KeysetHandle.importKey(entry.getKey()).withFixedId(entry.getId()).makePrimary())
                            .build();
                    aeads.put(kekId(entry.getId()), single.getPrimitive(RegistryConfiguration.get(), Aead.class));
                }
                return new Keys(keyset, Collections.unmodifiableMap(aeads),
                        kekId(keyset.getPrimary().getId()));
            } catch (GeneralSecurityException e) {
                throw new KeyProviderException("the keystore holds an unusable key", e);
            }
        }
    }

}
