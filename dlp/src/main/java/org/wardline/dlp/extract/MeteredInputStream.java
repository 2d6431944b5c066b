package org.wardline.dlp.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Reports every byte read to a meter, which may throw to stop the read. */
final class MeteredInputStream extends FilterInputStream {

  /** Receives byte counts; may throw to stop reading. */
  @FunctionalInterface
  interface Meter {
    void add(long n) throws IOException;
  }

  private final Meter meter;

  MeteredInputStream(InputStream in, Meter meter) {
    super(in);
    this.meter = meter;
  }

  static MeteredInputStream counting(InputStream in, LongConsumer counter) {
    return new MeteredInputStream(in, counter::accept);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      meter.add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      meter.add(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // read instead of skipping, so skipped bytes count too
    byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
    long total = 0;
    while (total < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - total));
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads and discards the rest, so every byte is metered. */
  void drain() throws IOException {
    byte[] buf = new byte[8192];
    while (read(buf, 0, buf.length) >= 0) {
      // counted by read
    }
  }
}
