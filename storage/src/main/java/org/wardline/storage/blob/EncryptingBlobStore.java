package org.wardline.storage.blob;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import org.wardline.storage.Blocking;
import org.wardline.storage.StorageException;
import org.wardline.storage.crypto.AesGcmWarmUp;
import org.wardline.storage.crypto.AssociatedData;
import org.wardline.storage.crypto.DataKeyDestroyedException;
import org.wardline.storage.crypto.DataKeyStore;
import org.wardline.storage.crypto.KeyProvider;
import org.wardline.storage.crypto.TinkRuntime;
import org.wardline.storage.crypto.WrappedDataKey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Envelope encryption over any {@link BlobStore} (the James {@code AESBlobStoreDAO} pattern): the wrapped store
 * only ever sees ciphertext.
 *
 * <ul>
 *   <li>Each object gets a fresh data key: a Tink streaming-AEAD keyset, AES-256-GCM-HKDF with 1 MiB segments.
 *       It is wrapped by the {@link KeyProvider}'s active KEK and stored in {@code data_keys}
 *       ({@link DataKeyStore}) before any ciphertext is written; the plaintext key exists only in memory during
 *       one operation.</li>
 *   <li>The ciphertext and the wrapped key are both bound to the object id (associated data), so neither can be
 *       swapped onto another object.</li>
 *   <li>Reads stream: {@link #get} decrypts segment by segment; {@link #getRange} maps the plaintext range onto
 *       ciphertext segments with Tink's seekable decrypting channel and fetches only those, so HTTP Range
 *       requests never decrypt from the start.</li>
 *   <li>{@link #destroyKey} is crypto-erasure: the ciphertext may stay in S3, it can never be read again.</li>
 * </ul>
 *
 * <p>Blocking, like every {@link BlobStore}: it waits on the database with {@link Blocking#await}, which works on
 * worker and virtual threads and is refused on event loops. Errors: {@link BlobNotFoundException} (no key or no
 * ciphertext), {@link DataKeyDestroyedException} (erased), {@link org.wardline.storage.crypto.KeyProviderException}
 * (KEK unusable), and from the returned streams {@link BlobIntegrityException} (tampered, truncated, or foreign
 * ciphertext).
 */
public final class EncryptingBlobStore implements BlobStore {
        private final BlobStore underlying;
    private final KeyProvider keys;
    private final DataKeyStore dataKeys;

    /**
     * @param underlying where ciphertext goes (usually {@link S3BlobStore})
     * @param keys       wraps and unwraps data keys
     * @param dataKeys   the {@code data_keys} table
     */
    public EncryptingBlobStore(BlobStore underlying, KeyProvider keys, DataKeyStore dataKeys) {
        TinkRuntime.init();
        AesGcmWarmUp.startOnce();
        this.underlying = underlying;
        this.keys = keys;
        this.dataKeys = dataKeys;
    }

    /**
     * Encrypts and stores {@code data}. On any failure the new data key is destroyed and the underlying store
     * keeps nothing.
     *
     * @return the number of plaintext bytes stored
     */
    @Override
    public long put(BlobBucket bucket, BlobId id, InputStream data) {
        return put(bucket, id, data, uploadId -> { });
    }

    @Override
    public long put(BlobBucket bucket, BlobId id, InputStream data, java.util.function.Consumer<String> unfinishedWrite) {
        byte[] aad = AssociatedData.forObject(id);
        StreamingAead aead;
        try {
            KeysetHandle dataKey = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
            byte[] serialized = TinkProtoKeysetFormat.serializeKeyset(dataKey, InsecureSecretKeyAccess.get());
            try {
                Blocking.await(dataKeys.save(id, keys.wrap(serialized, AssociatedData.forDataKey(id))));
            } finally {
                Arrays.fill(serialized, (byte) 0);
            }
            aead = primitive(dataKey, id);
        } catch (GeneralSecurityException e) {
            throw new StorageException("could not create a data key for object " + id, e);
        }
        try {
            EncryptingInputStream ciphertext = new EncryptingInputStream(aead, data, aad);
            underlying.put(bucket, id, ciphertext, unfinishedWrite);
            return ciphertext.plaintextBytes();
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            try {
                Blocking.await(dataKeys.destroy(id));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StorageException("could not encrypt object " + id, e);
        }
    }

    @Override
    public InputStream get(BlobBucket bucket, BlobId id) {
        StreamingAead aead = streamingAead(id);
        InputStream ciphertext = underlying.get(bucket, id);
        try {
            return new DecryptedStream(aead.newDecryptingStream(new CiphertextSource(ciphertext, id),
                    AssociatedData.forObject(id)), id, Long.MAX_VALUE);
        } catch (GeneralSecurityException | IOException e) {
            closeQuietly(ciphertext);
            throw new StorageException("could not start decrypting object " + id, e);
        }
    }

    @Override
    public InputStream getRange(BlobBucket bucket, BlobId id, long offset, long length) {
        if (offset < 0 || length <= 0) {
            throw new InvalidRangeException("invalid range: offset " + offset + ", length " + length);
        }
        StreamingAead aead = streamingAead(id);
        SeekableByteChannel plaintext = openSeekable(aead, bucket, id, ciphertextEnd(aead, offset, length));
        try {
            long size = plaintext.size();
            if (offset >= size) {
                plaintext.close();
                throw new InvalidRangeException("range starts at " + offset + ", after the end of object " + id);
            }
            plaintext.position(offset);
            return new DecryptedStream(Channels.newInputStream(plaintext), id, Math.min(length, size - offset));
        } catch (IOException e) {
            closeQuietly(plaintext);
            throw new StorageException("could not position in object " + id, e);
        }
    }

    /** The plaintext size, computed from the ciphertext size without reading the object. */
    @Override
    public long size(BlobBucket bucket, BlobId id) {
        try (SeekableByteChannel plaintext = openSeekable(streamingAead(id), bucket, id, Long.MAX_VALUE)) {
            return plaintext.size();
        } catch (IOException e) {
            throw new StorageException("could not size object " + id, e);
        }
    }

    /** True when the ciphertext exists and its data key is live. */
    @Override
    public boolean exists(BlobBucket bucket, BlobId id) {
        return underlying.exists(bucket, id) && Blocking.await(dataKeys.isLive(id));
    }

    /**
     * Deletes the ciphertext from this bucket only; the data key stays, since a copy may live in the other bucket.
     * To make the object unrecoverable everywhere, {@link #destroyKey} it.
     */
    @Override
    public void delete(BlobBucket bucket, BlobId id) {
        underlying.delete(bucket, id);
    }

    @Override
    public void abortUnfinishedWrite(BlobBucket bucket, BlobId id, String uploadId) {
        underlying.abortUnfinishedWrite(bucket, id, uploadId);
    }

    @Override
    public void afterRecovery(Runnable cleanUp) {
        underlying.afterRecovery(cleanUp);
    }

    /** Copies the ciphertext as is; the same data key decrypts both copies. */
    @Override
    public void copy(BlobBucket from, BlobBucket to, BlobId id) {
        underlying.copy(from, to, id);
    }

    /**
     * Crypto-erasure: destroys the object's data key, so no copy of its ciphertext can ever be decrypted again.
     *
     * @return true when a live key was destroyed now
     */
    public boolean destroyKey(BlobId id) {
        return Blocking.await(dataKeys.destroy(id));
    }

    private SeekableByteChannel openSeekable(StreamingAead aead, BlobBucket bucket, BlobId id, long windowLimit) {
        long ciphertextSize = underlying.size(bucket, id);
        try {
            return aead.newSeekableDecryptingChannel(
                    new BlobChannel(underlying, bucket, id, ciphertextSize, windowLimit), AssociatedData.forObject(id));
        } catch (GeneralSecurityException | IOException e) {
            throw new StorageException("could not open object " + id + " for ranged reads", e);
        }
    }

    private StreamingAead streamingAead(BlobId id) {
        WrappedDataKey wrapped = Blocking.await(dataKeys.find(id));
        byte[] serialized = keys.unwrap(wrapped, AssociatedData.forDataKey(id));
        try {
            return primitive(TinkProtoKeysetFormat.parseKeyset(serialized, InsecureSecretKeyAccess.get()), id);
        } catch (GeneralSecurityException e) {
            throw new StorageException("the data key of object " + id + " is unusable", e);
        } finally {
            Arrays.fill(serialized, (byte) 0);
        }
    }

    /**
     * Where the ciphertext segment holding the last byte of a plaintext range ends: segment {@code k} holds
     * plaintext from {@code k * plaintextSegmentSize - firstSegmentOffset} and its ciphertext ends at
     * {@code (k + 1) * ciphertextSegmentSize}.
     */
    private static long ciphertextEnd(StreamingAead aead, long offset, long length) {
        if (!(aead instanceof AesGcmHkdfStreaming segmented)) {
            return Long.MAX_VALUE;
        }
        long last = offset + Math.min(length, Long.MAX_VALUE - offset) - 1;
        long firstSegmentOffset = segmented.getHeaderLength() + segmented.getCiphertextOffset();
        long segment = (last + firstSegmentOffset) / segmented.getPlaintextSegmentSize();
        return (segment + 1) * (long) segmented.getCiphertextSegmentSize();
    }

    /**
     * The primitive of the keyset's single key, used directly rather than through Tink's keyset wrapper: the
     * wrapper's seekable channel cannot report the plaintext size before a first read, which ranged reads need.
     */
    private static StreamingAead primitive(KeysetHandle dataKey, BlobId id) throws GeneralSecurityException {
        if (dataKey.size() != 1 || !(dataKey.getPrimary().getKey() instanceof AesGcmHkdfStreamingKey key)) {
            throw new StorageException("the data key of object " + id + " is not a single AES-GCM-HKDF key");
        }
        return AesGcmHkdfStreaming.create(key);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Already failing; the original error matters.
        }
    }
}
