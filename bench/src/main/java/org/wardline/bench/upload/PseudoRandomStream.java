package org.wardline.bench.upload;

import java.io.InputStream;

/** {@code size} deterministic pseudo-random bytes (xorshift64*), generated as read. */
public final class PseudoRandomStream extends InputStream {
    private long remaining;
    private long state;
    private long word;
    private int wordLeft;

    public PseudoRandomStream(long size, long seed) {
        this.remaining = size;
        this.state = seed * 0x9E3779B97F4A7C15L | 1;
    }

    private long next() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return state * 0x2545F4914F6CDD1DL;
    }

    @Override
    public int read() {
        if (remaining == 0) {
            return -1;
        }
        if (wordLeft == 0) {
            word = next();
            wordLeft = 8;
        }
        remaining--;
        wordLeft--;
        int b = (int) (word & 0xff);
        word >>>= 8;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        int i = 0;
        while (i < n && wordLeft > 0) {
            b[off + i++] = (byte) read();
        }
        while (n - i >= 8) {
            long w = next();
            for (int k = 0; k < 8; k++) {
                b[off + i++] = (byte) w;
                w >>>= 8;
            }
            remaining -= 8;
        }
        while (i < n) {
            b[off + i++] = (byte) read();
        }
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }
}
