package org.wardline.dlp.extract;

import java.io.IOException;

/** Thrown inside Tika's call stack to stop a parse when a limit is hit; never escapes {@link ContentExtractor}. */
final class ExtractionLimitException extends IOException {

  private final LimitKind limit;

  ExtractionLimitException(LimitKind limit) {
    super("extraction limit exceeded: " + limit);
    this.limit = limit;
  }

  LimitKind limit() {
    return limit;
  }
}
