package org.wardline.server.upload;

import java.io.IOException;

/** The body ended before its end: the client went away or the connection broke. Nothing is committed. */
final class UploadTruncatedException extends IOException {
    UploadTruncatedException(Throwable cause) {
        super("upload ended before its end", cause);
    }
}
