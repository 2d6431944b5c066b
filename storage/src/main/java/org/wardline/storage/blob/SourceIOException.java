package org.wardline.storage.blob;

import java.io.IOException;

/**
 * Marks an I/O failure of the stored-bytes source (S3 connection reset, missing object) as it passes through
 * Tink, so it is not mistaken for an authentication failure.
 */
final class SourceIOException extends IOException {
    SourceIOException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first {@code SourceIOException} in a cause chain, or null. */
    static SourceIOException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SourceIOException s) {
                return s;
            }
        }
        return null;
    }
}
