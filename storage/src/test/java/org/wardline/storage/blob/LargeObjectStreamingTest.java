package org.wardline.storage.blob;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.embedded.junit.S3Extension;
import org.wardline.storage.StorageTestEnvironment;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 300 MiB object through the real stack (encryption, multipart S3, decryption), generated and checked on the
 * fly. At every read the plaintext consumed and the ciphertext produced (and the reverse on the way back) stay
 * within a few MiB of each other, so nothing holds the object whole; the module's tests also run with a heap
 * smaller than the object.
 */
class LargeObjectStreamingTest {
    static final long SIZE = 300L << 20;
    /** One Tink segment plus one read chunk: what the encrypting and decrypting streams may hold. */
    static final long MAX_LAG = (1 << 20) + (256 << 10);

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    final S3Extension s3 = new S3Extension();
    @TempDir
    Path keystoreDir;

    private StorageTestEnvironment env;

    @BeforeEach
    void start() {
        env = new StorageTestEnvironment(PG, s3, keystoreDir);
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void aLargeObjectStreamsThroughWithBoundedBuffering() throws Exception {
        GeneratedStream source = new GeneratedStream(SIZE);
        AtomicLong ciphertextRead = new AtomicLong();
        AtomicLong maxWriteLag = new AtomicLong();
        S3BlobStore s3Store = new S3BlobStore(S3Fixture.settings(s3).withPartSize(16 << 20));
        BlobStore observed = new ObservedStore(s3Store, stream -> new Counting(stream, n -> {
            long total = ciphertextRead.addAndGet(n);
            maxWriteLag.accumulateAndGet(source.produced() - total, Math::max);
        }));
        EncryptingBlobStore store = new EncryptingBlobStore(observed, env.keys, env.dataKeys);

        BlobId id = BlobId.random();
        assertThat(store.put(BlobBucket.COMMITTED, id, source)).isEqualTo(SIZE);
        assertThat(maxWriteLag.get()).isLessThan(MAX_LAG);
        assertThat(ciphertextRead.get()).isGreaterThan(SIZE);

        AtomicLong ciphertextFetched = new AtomicLong();
        BlobStore fetching = new ObservedStore(s3Store, null, stream -> new Counting(stream,
                ciphertextFetched::addAndGet));
        EncryptingBlobStore reader = new EncryptingBlobStore(fetching, env.keys, env.dataKeys);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long plaintextRead = 0;
        long maxReadLag = 0;
        byte[] buffer = new byte[64 << 10];
        try (InputStream in = reader.get(BlobBucket.COMMITTED, id)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                plaintextRead += n;
                maxReadLag = Math.max(maxReadLag, ciphertextFetched.get() - plaintextRead);
            }
        }
        assertThat(plaintextRead).isEqualTo(SIZE);
        assertThat(digest.digest()).isEqualTo(source.sha256());
        assertThat(maxReadLag).isLessThan(MAX_LAG + (64 << 10));
    }

    /** Deterministic pseudo-random bytes of a given length, hashed as they are produced; never held whole. */
    static final class GeneratedStream extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long produced;
        private long state = 0x9E3779B97F4A7C15L;

        GeneratedStream(long size) throws NoSuchAlgorithmException {
            this.size = size;
            this.digest = MessageDigest.getInstance("SHA-256");
        }

        long produced() {
            return produced;
        }

        byte[] sha256() {
            return digest.digest();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - produced);
            for (int i = 0; i < n; i += 8) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                long value = state;
                for (int j = i; j < Math.min(n, i + 8); j++) {
                    b[off + j] = (byte) value;
                    value >>>= 8;
                }
            }
            digest.update(b, off, n);
            produced += n;
            return n;
        }
    }

    /** Counts bytes as they are read. */
    static final class Counting extends FilterInputStream {
        private final java.util.function.LongConsumer onRead;

        Counting(InputStream in, java.util.function.LongConsumer onRead) {
            super(in);
            this.onRead = onRead;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                onRead.accept(n);
            }
            return n;
        }
    }

    /** Delegates to a real store, wrapping the streams that pass through so the test can watch them. */
    static final class ObservedStore implements BlobStore {
        private final BlobStore delegate;
        private final java.util.function.UnaryOperator<InputStream> onPut;
        private final java.util.function.UnaryOperator<InputStream> onGet;
        /** The sum of the lengths of all ranged reads requested. */
        final AtomicLong rangeBytesRequested = new AtomicLong();

        ObservedStore(BlobStore delegate, java.util.function.UnaryOperator<InputStream> onPut) {
            this(delegate, onPut, null);
        }

        ObservedStore(BlobStore delegate, java.util.function.UnaryOperator<InputStream> onPut,
                      java.util.function.UnaryOperator<InputStream> onGet) {
            this.delegate = delegate;
            this.onPut = onPut == null ? s -> s : onPut;
            this.onGet = onGet == null ? s -> s : onGet;
        }

        @Override
        public long put(BlobBucket bucket, BlobId id, InputStream data) {
            return delegate.put(bucket, id, onPut.apply(data));
        }

        @Override
        public InputStream get(BlobBucket bucket, BlobId id) {
            return onGet.apply(delegate.get(bucket, id));
        }

        @Override
        public InputStream getRange(BlobBucket bucket, BlobId id, long offset, long length) {
            rangeBytesRequested.addAndGet(length);
            return onGet.apply(delegate.getRange(bucket, id, offset, length));
        }

        @Override
        public long size(BlobBucket bucket, BlobId id) {
            return delegate.size(bucket, id);
        }

        @Override
        public boolean exists(BlobBucket bucket, BlobId id) {
            return delegate.exists(bucket, id);
        }

        @Override
        public void delete(BlobBucket bucket, BlobId id) {
            delegate.delete(bucket, id);
        }

        @Override
        public void copy(BlobBucket from, BlobBucket to, BlobId id) {
            delegate.copy(from, to, id);
        }
    }
}
