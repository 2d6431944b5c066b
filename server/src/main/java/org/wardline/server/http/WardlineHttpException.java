package org.wardline.server.http;

import io.vertx.core.json.JsonObject;
import org.wardline.protocol.ErrorCode;

/** A failure that maps to one of Wardline's stable error codes. Its message is for the server log only. */
public class WardlineHttpException extends RuntimeException {
    private final ErrorCode code;
    private final JsonObject details;

    public WardlineHttpException(ErrorCode code) {
        this(code, new JsonObject());
    }

    /**
     * @param details fields the error body carries beside the code, message and request ID (such as a DLP
     *                verdict's category counts); never text the request or a file held
     */
    public WardlineHttpException(ErrorCode code, JsonObject details) {
        super(code.code(), null, false, false);
        this.code = code;
        this.details = details.copy();
    }

    public ErrorCode code() {
        return code;
    }

    /** The extra fields of the error body; empty for most errors. */
    public JsonObject details() {
        return details.copy();
    }
}
