package org.wardline.clients.messaging;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A device's local state at rest, encrypted: a random AES-256 data key, wrapped (AES-GCM) under a key derived from
 * the device passphrase (PBKDF2-HMAC-SHA256, 310,000 rounds), encrypts every record (AES-GCM, fresh 96-bit nonce,
 * the record's kind as associated data). Records are appended to one file per kind ({@link #sync} makes them
 * durable); a kind that holds
 * one record ({@link #replace}) is replaced atomically. {@link #destroy()}
 * overwrites and deletes the wrapped key, so nothing written before can be decrypted again (remote wipe).
 */
public final class LocalVault implements AutoCloseable {
    private static final String KEY_FILE = "vault.key";
    private static final int ROUNDS = 310_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private SecretKey dataKey;
    /** Where {@link #replaceOutside} keeps its records; null: nowhere. */
    private volatile Path outside;

    private LocalVault(Path dir, SecretKey dataKey) {
        this.dir = dir;
        this.dataKey = dataKey;
    }

    /** Opens the vault in {@code dir}, creating it (and its data key) on first use. */
    public static LocalVault open(Path dir, char[] passphrase) {
        try {
            Files.createDirectories(dir);
            Path keyFile = dir.resolve(KEY_FILE);
            if (Files.exists(keyFile)) {
                byte[] stored = Files.readAllBytes(keyFile);
                byte[] salt = Arrays.copyOf(stored, 16);
                byte[] wrapped = Arrays.copyOfRange(stored, 16, stored.length);
                byte[] key = decrypt(passphraseKey(passphrase, salt), wrapped, "vault-key".getBytes());
                return new LocalVault(dir, new SecretKeySpec(key, "AES"));
            }
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            byte[] wrapped = encrypt(passphraseKey(passphrase, salt), key, "vault-key".getBytes());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(salt);
            out.writeBytes(wrapped);
            Files.write(keyFile, out.toByteArray(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new LocalVault(dir, new SecretKeySpec(key, "AES"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the vault cannot be opened with this passphrase", e);
        }
    }

    /** Appends one encrypted record of this kind (e.g. "history"). */
    public synchronized void append(String kind, byte[] record) {
        requireOpen();
        try (FileChannel channel = FileChannel.open(file(kind), StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            byte[] sealed = encrypt(dataKey, record, kind.getBytes());
            ByteBuffer buffer = ByteBuffer.allocate(4 + sealed.length).putInt(sealed.length).put(sealed).flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("vault encryption failed", e);
        }
    }

    /**
     * Replaces every record of this kind by {@code records}, atomically (written and synced beside the old file, then
     * renamed over it): how records that must go (disappearing messages) leave an append-only kind.
     */
    public synchronized void rewrite(String kind, List<byte[]> records) {
        requireOpen();
        Path target = file(kind);
        Path temp = dir.resolve(kind + ".rewrite.tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                for (byte[] record : records) {
                    byte[] sealed = encrypt(dataKey, record, kind.getBytes());
                    ByteBuffer buffer = ByteBuffer.allocate(4 + sealed.length).putInt(sealed.length).put(sealed).flip();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("vault encryption failed", e);
        }
    }

    /** Makes every record appended to this kind so far durable (one sync for a batch of {@link #append}s). */
    public synchronized void sync(String kind) {
        requireOpen();
        if (!Files.exists(file(kind))) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file(kind), StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces the single record of this kind, atomically: the new file is written and synced beside the old one,
     * then renamed over it and the directory synced, so a crash at any point leaves the old record or the new one.
     */
    public synchronized void replace(String kind, byte[] record) {
        requireOpen();
        replaceAt(replaced(kind), dir.resolve(kind + ".state.tmp"), kind, record);
    }

    /**
     * Keeps the records of {@link #replaceOutside} in {@code directory}, outside the vault's own directory (beside
     * the device's identity), so that the vault directory restored from an older copy, with everything in it, is
     * still told apart from the current one. Returns this vault.
     */
    public LocalVault keepOutsideRecordsIn(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.outside = directory;
        return this;
    }

    /** The file {@link #replaceOutside} writes for a kind, or null when no outside directory was given. */
    public Path outside(String kind) {
        Path o = outside;
        return o == null ? null : o.resolve(dir.getFileName() + "." + file(kind).getFileName().toString()
                .replace(".vault", ".state"));
    }

    /** {@link #replace}, in the outside directory ({@link #keepOutsideRecordsIn}); nothing when there is none. */
    public synchronized void replaceOutside(String kind, byte[] record) {
        requireOpen();
        Path target = outside(kind);
        if (target != null) {
            replaceAt(target, target.resolveSibling(target.getFileName() + ".tmp"), kind, record);
        }
    }

    /** The record {@link #replaceOutside} wrote, if any (empty too when there is no outside directory). */
    public synchronized java.util.Optional<byte[]> readOutside(String kind) {
        requireOpen();
        Path file = outside(kind);
        return file == null ? java.util.Optional.empty() : readAt(file, kind);
    }

    private void replaceAt(Path target, Path temp, String kind, byte[] record) {
        Path parent = target.getParent();
        try {
            byte[] sealed = encrypt(dataKey, record, ("replaced:" + kind).getBytes());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(sealed);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(parent, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("vault encryption failed", e);
        }
    }

    /**
     * The record of this kind written by {@link #replace}, if any.
     *
     * @throws IllegalStateException when the file is there but does not decrypt (truncated, altered, or sealed
     *                               under another vault's key)
     */
    public synchronized java.util.Optional<byte[]> readReplaced(String kind) {
        requireOpen();
        return readAt(replaced(kind), kind);
    }

    private java.util.Optional<byte[]> readAt(Path file, String kind) {
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(decrypt(dataKey, Files.readAllBytes(file), ("replaced:" + kind).getBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the vault's " + kind + " record does not decrypt", e);
        }
    }

    /** The file {@link #replace} writes for a kind. */
    public Path replaced(String kind) {
        return file(kind).resolveSibling(kind + ".state");
    }

    /** Every record of this kind, decrypted, in the order written. */
    public synchronized List<byte[]> read(String kind) {
        requireOpen();
        List<byte[]> out = new ArrayList<>();
        if (!Files.exists(file(kind))) {
            return out;
        }
        try (InputStream in = Files.newInputStream(file(kind)); DataInputStream data = new DataInputStream(in)) {
            while (true) {
                int length;
                try {
                    length = data.readInt();
                } catch (EOFException end) {
                    return out;
                }
                byte[] sealed = data.readNBytes(length);
                out.add(decrypt(dataKey, sealed, kind.getBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a vault record does not decrypt", e);
        }
    }

    /** The raw (encrypted) file of a kind, for inspection. */
    public Path file(String kind) {
        if (!kind.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("bad record kind");
        }
        return dir.resolve(kind + ".vault");
    }

    /** Crypto-erasure: overwrites and deletes the wrapped data key, then deletes the record files. */
    public synchronized void destroy() {
        try {
            Path keyFile = dir.resolve(KEY_FILE);
            if (Files.exists(keyFile)) {
                byte[] zeros = new byte[(int) Files.size(keyFile)];
                Files.write(keyFile, zeros, StandardOpenOption.WRITE);
                Files.delete(keyFile);
            }
            try (var files = Files.list(dir)) {
                for (Path p : files.filter(p -> p.toString().endsWith(".vault") || p.toString().endsWith(".state")
                        || p.toString().endsWith(".state.tmp")).toList()) {
                    Files.delete(p);
                }
            }
            Path o = outside;
            if (o != null) {
                try (var files = Files.list(o)) {
                    for (Path p : files.filter(p -> p.getFileName().toString().startsWith(dir.getFileName() + ".")
                            && p.toString().endsWith(".state")).toList()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            dataKey = null;
        }
    }

    public boolean isDestroyed() {
        return dataKey == null;
    }

    @Override
    public synchronized void close() {
        dataKey = null;
    }

    private void requireOpen() {
        if (dataKey == null) {
            throw new IllegalStateException("the vault is closed or destroyed");
        }
    }

    private static SecretKey passphraseKey(char[] passphrase, byte[] salt) throws GeneralSecurityException {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] key = f.generateSecret(new PBEKeySpec(passphrase, salt, ROUNDS, 256)).getEncoded();
        return new SecretKeySpec(key, "AES");
    }

    private static byte[] encrypt(SecretKey key, byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        byte[] ct = c.doFinal(plaintext);
        byte[] out = Arrays.copyOf(nonce, 12 + ct.length);
        System.arraycopy(ct, 0, out, 12, ct.length);
        return out;
    }

    private static byte[] decrypt(SecretKey key, byte[] sealed, byte[] aad) throws GeneralSecurityException {
        if (sealed.length < 28) {
            throw new GeneralSecurityException("sealed record too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
        c.updateAAD(aad);
        return c.doFinal(sealed, 12, sealed.length - 12);
    }

    @Override
    public String toString() {
        return "LocalVault[" + (dataKey == null ? "closed" : "open") + "]";
    }
}
