package org.wardline.storage.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Wraps the stream of stored ciphertext so that its own failures are tagged as {@link SourceIOException}. */
final class CiphertextSource extends FilterInputStream {
    private final BlobId id;

    CiphertextSource(InputStream in, BlobId id) {
        super(in);
        this.id = id;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw new SourceIOException("reading stored object " + id + " failed", e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw new SourceIOException("reading stored object " + id + " failed", e);
        }
    }
}
