package org.wardline.protocol;

/**
 * The stable error codes Wardline sends to clients, with the HTTP status each maps to and a message a
 * person can act on. The message never carries request data, so it cannot carry PHI.
 */
public enum ErrorCode {
    BAD_REQUEST("request.invalid", 400, "The request is malformed."),
    UNAUTHENTICATED("auth.required", 401, "Sign in, then try again."),
    FORBIDDEN("auth.forbidden", 403, "You do not have permission for this action."),
    NOT_FOUND("resource.not_found", 404, "Nothing exists at this address."),
    METHOD_NOT_ALLOWED("request.method_not_allowed", 405, "This address does not accept that method."),
    PAYLOAD_TOO_LARGE("request.too_large", 413, "The request is larger than this server accepts."),
    RATE_LIMITED("request.rate_limited", 429, "Too many requests; wait a moment and try again."),
    INTERNAL("server.error", 500, "The server failed; the request ID identifies it in the server's log."),
    UNAVAILABLE("server.unavailable", 503, "A service the server depends on is down; try again shortly."),
    CONFLICT("request.conflict", 409, "The request conflicts with the current state; reload and try again."),
    // Messaging (protocol/PROTOCOL.md): sent in ERROR frames on the device WebSocket. Listed after the generic
    // codes so that forStatus keeps mapping bare HTTP statuses to the generic ones.
    PROTOCOL_MALFORMED("protocol.malformed", 400, "The frame could not be decoded; the client is out of date or faulty."),
    PROTOCOL_VERSION("protocol.version", 400, "This server does not speak that protocol version; update the client."),
    PROTOCOL_STATE("protocol.state", 400, "Send HELLO before anything else on a connection."),
    MLS_INVALID("mls.invalid", 400, "The MLS message is malformed or does not match the frame it came in."),
    KEY_PACKAGE_UNAVAILABLE("keypackage.unavailable", 404, "The device has no key package left; ask it to come online."),
    CONVERSATION_EXISTS("conversation.exists", 409, "A conversation with that group ID already exists."),
    NOT_A_MEMBER("conversation.not_member", 403, "This device is not a member of that conversation."),
    EPOCH_CONFLICT("conversation.epoch_conflict", 409, "Another commit won this epoch; process it, then retry."),
    WRONG_EPOCH("conversation.wrong_epoch", 409, "The message is for an epoch other than the conversation's current one."),
    REPLAY("message.replay", 409, "This message was already delivered.");

    private final String code;
    private final int httpStatus;
    private final String message;

    ErrorCode(String code, int httpStatus, String message) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.message = message;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String message() {
        return message;
    }

    /** The code whose HTTP status is {@code status}, or {@link #INTERNAL} for statuses without a code. */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode c : values()) {
            if (c.httpStatus == status) {
                return c;
            }
        }
        return status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL;
    }
}
