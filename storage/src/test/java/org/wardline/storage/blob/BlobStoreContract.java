package org.wardline.storage.blob;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link BlobStore} must have. An implementation's test class implements this interface and
 * supplies {@link #testee()}; shared with other modules through this module's test-jar.
 */
public interface BlobStoreContract {
    /** Larger than the 5 MiB minimum S3 part size, so multipart code paths run. */
    int MULTIPART_SIZE = 6 * 1024 * 1024 + 12345;

    /** The store under test, empty at the start of each test. */
    BlobStore testee();

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError("reading failed", e);
        }
    }

    @Test
    default void putThenGetReturnsTheSameBytes() {
        BlobId id = BlobId.random();
        byte[] data = "Hello, ward 7".getBytes(StandardCharsets.UTF_8);
        assertThat(testee().put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(data))).isEqualTo(data.length);
        assertThat(readAll(testee().get(BlobBucket.COMMITTED, id))).isEqualTo(data);
        assertThat(testee().size(BlobBucket.COMMITTED, id)).isEqualTo(data.length);
    }

    @Test
    default void emptyObjectsRoundTrip() {
        BlobId id = BlobId.random();
        assertThat(testee().put(BlobBucket.COMMITTED, id, InputStream.nullInputStream())).isZero();
        assertThat(readAll(testee().get(BlobBucket.COMMITTED, id))).isEmpty();
        assertThat(testee().size(BlobBucket.COMMITTED, id)).isZero();
        assertThat(testee().exists(BlobBucket.COMMITTED, id)).isTrue();
    }

    @Test
    default void objectsLargerThanOnePartRoundTrip() {
        BlobId id = BlobId.random();
        byte[] data = randomBytes(MULTIPART_SIZE, 1);
        assertThat(testee().put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(data))).isEqualTo(data.length);
        assertThat(testee().size(BlobBucket.COMMITTED, id)).isEqualTo(data.length);
        assertThat(Arrays.equals(readAll(testee().get(BlobBucket.COMMITTED, id)), data)).isTrue();
    }

    @Test
    default void putShouldReplaceAnExistingObject() {
        BlobId id = BlobId.random();
        testee().put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        testee().put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(new byte[] {9}));
        assertThat(readAll(testee().get(BlobBucket.COMMITTED, id))).containsExactly(9);
    }

    @Test
    default void missingObjectsAreReportedAsNotFound() {
        BlobId id = BlobId.random();
        assertThatThrownBy(() -> readAll(testee().get(BlobBucket.COMMITTED, id)))
                .isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> testee().size(BlobBucket.COMMITTED, id)).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> readAll(testee().getRange(BlobBucket.COMMITTED, id, 0, 10)))
                .isInstanceOf(BlobNotFoundException.class);
        assertThat(testee().exists(BlobBucket.COMMITTED, id)).isFalse();
    }

    @Test
    default void deleteShouldRemoveTheObjectAndBeIdempotent() {
        BlobId id = BlobId.random();
        testee().put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(new byte[] {1}));
        testee().delete(BlobBucket.COMMITTED, id);
        assertThat(testee().exists(BlobBucket.COMMITTED, id)).isFalse();
        testee().delete(BlobBucket.COMMITTED, id);
        testee().delete(BlobBucket.COMMITTED, BlobId.random());
        assertThat(testee().exists(BlobBucket.COMMITTED, id)).isFalse();
    }

    @Test
    default void rangesReturnExactlyTheRequestedBytes() {
        BlobId id = BlobId.random();
        byte[] data = randomBytes(MULTIPART_SIZE, 2);
        testee().put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(data));
        long[][] ranges = {
                {0, 1}, {0, 100}, {5, 1}, {1_048_570, 20}, {1 << 20, 1 << 20}, {3_000_000, 3_000_000},
                {data.length - 1, 1}, {data.length - 100, 100}, {123_456, 5 * 1024 * 1024},
        };
        for (long[] range : ranges) {
            int from = (int) range[0];
            int length = (int) range[1];
            assertThat(readAll(testee().getRange(BlobBucket.COMMITTED, id, from, length)))
                    .as("range %d+%d", from, length)
                    .isEqualTo(Arrays.copyOfRange(data, from, from + length));
        }
    }

    @Test
    default void rangesAreClippedAtTheEndOfTheObject() {
        BlobId id = BlobId.random();
        byte[] data = randomBytes(1000, 3);
        testee().put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(data));
        assertThat(readAll(testee().getRange(BlobBucket.COMMITTED, id, 990, 500)))
                .isEqualTo(Arrays.copyOfRange(data, 990, 1000));
    }

    @Test
    default void rangesOutsideTheObjectAreRefused() {
        BlobId id = BlobId.random();
        testee().put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(new byte[1000]));
        assertThatThrownBy(() -> testee().getRange(BlobBucket.COMMITTED, id, 1000, 1))
                .isInstanceOf(InvalidRangeException.class);
        assertThatThrownBy(() -> testee().getRange(BlobBucket.COMMITTED, id, -1, 1))
                .isInstanceOf(InvalidRangeException.class);
        assertThatThrownBy(() -> testee().getRange(BlobBucket.COMMITTED, id, 0, 0))
                .isInstanceOf(InvalidRangeException.class);
    }

    @Test
    default void bucketsAreSeparateAndCopyMovesBytesBetweenThem() {
        BlobId id = BlobId.random();
        byte[] data = randomBytes(70_000, 4);
        testee().put(BlobBucket.COMMITTED, id, new ByteArrayInputStream(data));
        assertThat(testee().exists(BlobBucket.QUARANTINE, id)).isFalse();

        testee().copy(BlobBucket.COMMITTED, BlobBucket.QUARANTINE, id);
        testee().delete(BlobBucket.COMMITTED, id);

        assertThat(testee().exists(BlobBucket.COMMITTED, id)).isFalse();
        assertThat(readAll(testee().get(BlobBucket.QUARANTINE, id))).isEqualTo(data);
        assertThat(readAll(testee().getRange(BlobBucket.QUARANTINE, id, 65_000, 10_000)))
                .isEqualTo(Arrays.copyOfRange(data, 65_000, 70_000));
    }

    @Test
    default void copyOfAMissingObjectIsNotFound() {
        assertThatThrownBy(() -> testee().copy(BlobBucket.COMMITTED, BlobBucket.QUARANTINE, BlobId.random()))
                .isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    default void aSourceThatFailsMidwayStoresNothing() {
        BlobId small = BlobId.random();
        assertThatThrownBy(() -> testee().put(BlobBucket.COMMITTED, small, new FailingInputStream(10_000)))
                .isInstanceOf(BlobWriteException.class);
        assertThat(testee().exists(BlobBucket.COMMITTED, small)).isFalse();

        BlobId large = BlobId.random();
        assertThatThrownBy(() -> testee().put(BlobBucket.COMMITTED, large, new FailingInputStream(MULTIPART_SIZE)))
                .isInstanceOf(BlobWriteException.class);
        assertThat(testee().exists(BlobBucket.COMMITTED, large)).isFalse();
    }

    /** Yields {@code failAfter} pseudo-random bytes, then throws, like a client that disconnects mid-upload. */
    final class FailingInputStream extends InputStream {
        private final long failAfter;
        private long position;

        public FailingInputStream(long failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= failAfter) {
                throw new IOException("connection reset by peer (simulated)");
            }
            int n = (int) Math.min(len, failAfter - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position + i) * 31);
            }
            position += n;
            return n;
        }
    }
}
