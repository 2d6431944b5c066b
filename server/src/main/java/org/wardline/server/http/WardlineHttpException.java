package org.wardline.server.http;

import org.wardline.protocol.ErrorCode;

/** A failure that maps to one of Wardline's stable error codes. Its message is for the server log only. */
public class WardlineHttpException extends RuntimeException {
    private final ErrorCode code;

    public WardlineHttpException(ErrorCode code) {
        super(code.code(), null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
