package org.wardline.dlp.inspect;

import java.io.IOException;

/**
 * The malware scanner stopped reading before the content's end (clamd died, or refused the stream): the
 * content can no longer be cleared, so a pass that asked to stop then ends at once instead of reading the
 * rest of an upload nobody will accept.
 */
public final class ScanEndedEarlyException extends IOException {
  public ScanEndedEarlyException(Throwable cause) {
    super("the malware scanner stopped reading before the end of the content", cause);
  }
}
