package org.wardline.server.upload;

import java.io.IOException;

/** The body passed the configured upload limit. Nothing is committed. */
final class UploadTooLargeException extends IOException {
    UploadTooLargeException(long limit) {
        super("upload larger than the limit of " + limit + " bytes");
    }
}
