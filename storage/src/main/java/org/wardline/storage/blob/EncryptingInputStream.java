package org.wardline.storage.blob;

import com.google.crypto.tink.StreamingAead;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;

/**
 * Turns a plaintext stream into its Tink streaming-AEAD ciphertext, pulled by the reader: each read takes a chunk
 * of plaintext, pushes it through Tink's encrypting stream into a small buffer, and serves the ciphertext from
 * there. At most one ciphertext segment (1 MiB) plus one chunk is held at a time, whatever the object size, and no
 * second thread is involved. The source is not closed.
 */
final class EncryptingInputStream extends InputStream {
    private static final int CHUNK = 64 * 1024;

    private final InputStream plaintext;
    private final Sink sink = new Sink();
    private final OutputStream encrypter;
    private final byte[] chunk = new byte[CHUNK];
    private int served;
    private boolean finished;
    private long plaintextBytes;

    EncryptingInputStream(StreamingAead aead, InputStream plaintext, byte[] associatedData)
            throws GeneralSecurityException, IOException {
        this.plaintext = plaintext;
        this.encrypter = aead.newEncryptingStream(sink, associatedData);
    }

    /** Plaintext bytes consumed so far; the object's size once this stream is exhausted. */
    long plaintextBytes() {
        return plaintextBytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (served == sink.size()) {
            if (finished) {
                return -1;
            }
            sink.reset();
            served = 0;
            int n = plaintext.read(chunk);
            if (n < 0) {
                encrypter.close();
                finished = true;
            } else if (n > 0) {
                plaintextBytes += n;
                encrypter.write(chunk, 0, n);
            }
        }
        int n = Math.min(len, sink.size() - served);
        System.arraycopy(sink.buffer(), served, b, off, n);
        served += n;
        return n;
    }

    /** A byte buffer whose backing array can be read without copying. */
    private static final class Sink extends ByteArrayOutputStream {
        Sink() {
            super(CHUNK + (1 << 20) + 64);
        }

        byte[] buffer() {
            return buf;
        }
    }
}
