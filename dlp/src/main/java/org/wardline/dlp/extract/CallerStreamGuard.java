package org.wardline.dlp.extract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Marks I/O failures of the caller's stream (a dropped upload) so they are rethrown as such instead of being
 * reported as a corrupt document. Limit exceptions pass through unchanged.
 */
final class CallerStreamGuard extends FilterInputStream {

  /** The caller's stream failed; the cause is the original exception. */
  static final class CallerIOException extends IOException {
    CallerIOException(IOException cause) {
      super("input stream failed", cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  CallerStreamGuard(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (ExtractionLimitException e) {
      throw e;
    } catch (IOException e) {
      throw new CallerIOException(e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (ExtractionLimitException e) {
      throw e;
    } catch (IOException e) {
      throw new CallerIOException(e);
    }
  }

  /** The caller's original exception if one is among the causes of {@code e}, else {@code e}. */
  static IOException unwrap(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CallerIOException c) {
        return c.getCause();
      }
    }
    return e;
  }

  /** Rethrows {@code e} if a {@link CallerIOException} is among its causes. */
  static void rethrowCallerFailure(Throwable e) throws CallerIOException {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CallerIOException c) {
        throw c;
      }
    }
  }
}
