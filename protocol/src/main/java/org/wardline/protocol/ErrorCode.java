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
    AUTH_FAILED("auth.failed", 401, "The sign-in details are wrong, or this account cannot sign in."),
    AUTH_LOCKED("auth.locked", 429, "Too many failed sign-ins; wait before trying again."),
    MFA_INVALID("auth.mfa_invalid", 401, "The code is wrong, expired or already used."),
    TOKEN_INVALID("auth.token_invalid", 401, "Your session is not valid; sign in again."),
    SESSION_IDLE("auth.session_idle", 401, "You were signed out after a period of inactivity; sign in again."),
    MFA_ENROLLMENT_REQUIRED("auth.mfa_enrollment_required", 403, "Set up a second factor before using this account."),
    STEP_UP_REQUIRED("auth.step_up_required", 403, "Confirm with your second factor, then try again."),
    TRAINING_EXPIRED("auth.training_expired", 403,
            "Your HIPAA training has expired; PHI access resumes when an administrator records the renewal."),
    PASSWORD_REJECTED("auth.password_rejected", 400,
            "Choose a password of 12 to 128 characters that is not a commonly used or breached password."),
    CONFLICT("resource.conflict", 409, "That name or address is already in use.");

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
