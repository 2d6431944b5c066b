package org.wardline.dlp.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last bytes read, so a PDF can be checked for its trailer once it has been read to its end. PDFBox
 * repairs a PDF cut short (it rebuilds the cross-reference table by scanning) and extracts what it finds
 * without an error, so a truncated file would otherwise pass as completely inspected. A complete PDF ends with
 * {@code startxref}, an offset and {@code %%EOF}; readers accept the marker within the last 1,024 bytes.
 */
final class PdfTail extends FilterInputStream {

  private static final int WINDOW = 1024;
  private static final byte[] EOF = "%%EOF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STARTXREF = "startxref".getBytes(StandardCharsets.US_ASCII);

  private final byte[] ring = new byte[WINDOW];
  private long total;

  PdfTail(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      ring[(int) (total++ % WINDOW)] = (byte) b;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    for (int i = 0; i < n; i++) {
      ring[(int) (total++ % WINDOW)] = buf[off + i];
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** True when the bytes read so far end like a complete PDF ({@code startxref} then {@code %%EOF}). */
  boolean endsWithTrailer() {
    byte[] tail = tail();
    int eof = lastIndexOf(tail, EOF, tail.length);
    return eof >= 0 && lastIndexOf(tail, STARTXREF, eof) >= 0;
  }

  private byte[] tail() {
    int n = (int) Math.min(total, WINDOW);
    byte[] tail = new byte[n];
    long start = total - n;
    for (int i = 0; i < n; i++) {
      tail[i] = ring[(int) ((start + i) % WINDOW)];
    }
    return tail;
  }

  private static int lastIndexOf(byte[] hay, byte[] needle, int before) {
    for (int i = before - needle.length; i >= 0; i--) {
      int j = 0;
      while (j < needle.length && hay[i + j] == needle[j]) {
        j++;
      }
      if (j == needle.length) {
        return i;
      }
    }
    return -1;
  }
}
