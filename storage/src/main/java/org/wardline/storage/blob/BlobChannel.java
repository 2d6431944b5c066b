package org.wardline.storage.blob;

import org.wardline.storage.StorageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only {@link SeekableByteChannel} over one stored object, served by ranged reads of the underlying store.
 * Sequential reads continue on one open range; a seek opens a new one. Reads of a few bytes (Tink's header) fetch
 * just those bytes; larger reads fetch a window of up to {@link #READ_AHEAD} bytes, a few ciphertext segments.
 */
final class BlobChannel implements SeekableByteChannel {
    static final long READ_AHEAD = 4L << 20;
    private static final int SMALL_READ = 64 * 1024;

    private final BlobStore store;
    private final BlobBucket bucket;
    private final BlobId id;
    private final long size;
    private final long windowLimit;
    private final byte[] scratch = new byte[SMALL_READ];
    private long position;
    private InputStream window;
    private long windowPosition;
    private long windowEnd;
    private boolean open = true;

    /**
     * @param windowLimit where read-ahead windows stop while reading before it: the end of the last ciphertext
     *                    segment the caller needs, so a small range does not fetch {@link #READ_AHEAD} bytes;
     *                    reads past it are still served. {@code Long.MAX_VALUE} for no limit.
     */
    BlobChannel(BlobStore store, BlobBucket bucket, BlobId id, long size, long windowLimit) {
        this.store = store;
        this.bucket = bucket;
        this.id = id;
        this.size = size;
        this.windowLimit = windowLimit;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int total = 0;
        while (dst.hasRemaining() && position < size) {
            if (window == null || windowPosition != position || windowPosition >= windowEnd) {
                openWindow(dst.remaining());
            }
            int wanted = (int) Math.min(Math.min(dst.remaining(), scratch.length), windowEnd - windowPosition);
            int n;
            try {
                n = window.read(scratch, 0, wanted);
            } catch (IOException e) {
                throw new SourceIOException("reading stored object " + id + " failed", e);
            }
            if (n < 0) {
                throw new SourceIOException("stored object " + id + " ended before its stated size", null);
            }
            dst.put(scratch, 0, n);
            position += n;
            windowPosition += n;
            total += n;
        }
        return total;
    }

    private void openWindow(int requested) throws IOException {
        closeWindow();
        long length = requested < SMALL_READ ? requested : Math.max(requested, READ_AHEAD);
        length = Math.min(length, size - position);
        if (position < windowLimit) {
            length = Math.min(length, windowLimit - position);
        }
        try {
            window = store.getRange(bucket, id, position, length);
        } catch (StorageException e) {
            throw new SourceIOException("reading stored object " + id + " failed", e);
        }
        windowPosition = position;
        windowEnd = position + length;
    }

    private void closeWindow() throws IOException {
        if (window != null) {
            InputStream w = window;
            window = null;
            w.close();
        }
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        closeWindow();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
