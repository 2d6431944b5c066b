package org.wardline.storage.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Plaintext from Tink's decrypting stream or channel, with failures sorted: failures of the stored-bytes source
 * come out as plain {@link IOException}s, everything else Tink reports (tag mismatch, truncation, wrong key) as
 * {@link BlobIntegrityException}. Optionally stops after {@code limit} bytes (ranged reads).
 */
final class DecryptedStream extends FilterInputStream {
    private final BlobId id;
    private long remaining;

    DecryptedStream(InputStream plaintext, BlobId id, long limit) {
        super(plaintext);
        this.id = id;
        this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            SourceIOException source = SourceIOException.find(e);
            if (source != null) {
                throw source;
            }
            throw new BlobIntegrityException("stored object " + id
                    + " failed authentication: altered, truncated or encrypted under another key", e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }
}
