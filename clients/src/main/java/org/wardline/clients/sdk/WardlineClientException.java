package org.wardline.clients.sdk;

/**
 * A Wardline operation failed. {@link #errorCode()} is the server's stable code ({@code enrollment.code_used} …)
 * when the server refused the request, or a client-side code ({@code client.…}) otherwise.
 */
public class WardlineClientException extends RuntimeException {
    private final String errorCode;
    private final int httpStatus;

    public WardlineClientException(String errorCode, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    public WardlineClientException(String errorCode, String message, Throwable cause) {
        this(errorCode, 0, message, cause);
    }

    /** The stable error code: the server's, or {@code client.tls}, {@code client.io}, {@code client.pin} … */
    public String errorCode() {
        return errorCode;
    }

    /** The HTTP status the server answered with, or 0 when no response was received. */
    public int httpStatus() {
        return httpStatus;
    }
}
