package org.wardline.protocol.wire;

import org.wardline.protocol.ErrorCode;

/**
 * A frame or request the peer sent is not acceptable. Carries a stable {@link ErrorCode} and the request ID it
 * answers (0 when the frame was too broken to read one); its message names the rule broken, never frame data.
 */
public final class WireException extends Exception {
    private final ErrorCode code;
    private final long requestId;

    public WireException(ErrorCode code, long requestId, String rule) {
        super(rule);
        this.code = code;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    public long requestId() {
        return requestId;
    }
}
