package org.wardline.dlp.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-memory byte pipe between one writing and one reading thread, in place of
 * {@link java.io.PipedInputStream}: that one wakes a waiting reader only once the buffer is full and a waiting
 * writer only once the buffer is empty (otherwise after a one-second poll), so its two sides run in lock-step,
 * never at the same time. Here each write wakes the reader and each read wakes the writer, so both stages
 * overlap while at most {@code capacity} bytes are held.
 *
 * <p>Closing the source (the reader gave up, or finished) makes every later write fail with an
 * {@link IOException}, so a writer cannot block forever on a reader that is gone; closing the sink is the end
 * of the stream for the reader once it has drained what is buffered. Blocked calls answer interruption with an
 * {@link InterruptedIOException}.
 */
public final class BoundedPipe {
  private final byte[] buffer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  private int head;
  private int count;
  private boolean sinkClosed;
  private boolean sourceClosed;
  private final Source source = new Source();
  private final Sink sink = new Sink();

  public BoundedPipe(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.buffer = new byte[capacity];
  }

  /** The reading end. */
  public InputStream source() {
    return source;
  }

  /** The writing end. */
  public OutputStream sink() {
    return sink;
  }

  private final class Source extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      lockInterruptibly();
      try {
        while (count == 0) {
          if (sourceClosed) {
            throw new IOException("pipe closed by its reader");
          }
          if (sinkClosed) {
            return -1;
          }
          await(readable);
        }
        int n = Math.min(len, count);
        int first = Math.min(n, buffer.length - head);
        System.arraycopy(buffer, head, b, off, first);
        System.arraycopy(buffer, 0, b, off + first, n - first);
        head = (head + n) % buffer.length;
        count -= n;
        writable.signal();
        return n;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int available() {
      lock.lock();
      try {
        return count;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      lock.lock();
      try {
        sourceClosed = true;
        count = 0;
        writable.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private final class Sink extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      int written = 0;
      while (written < len) {
        lockInterruptibly();
        try {
          while (count == buffer.length && !sourceClosed && !sinkClosed) {
            await(writable);
          }
          if (sourceClosed) {
            throw new IOException("pipe closed by its reader");
          }
          if (sinkClosed) {
            throw new IOException("pipe closed by its writer");
          }
          int tail = (head + count) % buffer.length;
          int n = Math.min(len - written, Math.min(buffer.length - count, buffer.length - tail));
          System.arraycopy(b, off + written, buffer, tail, n);
          count += n;
          written += n;
          readable.signal();
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void close() {
      lock.lock();
      try {
        sinkClosed = true;
        readable.signalAll();
        writable.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private void lockInterruptibly() throws InterruptedIOException {
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the pipe");
    }
  }

  private static void await(Condition condition) throws InterruptedIOException {
    try {
      condition.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the pipe");
    }
  }
}
