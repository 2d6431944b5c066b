package org.wardline.clients.sdk;

/**
 * A Wardline operation failed. {@link #errorCode()} is the server's stable code ({@code enrollment.code_used} …)
 * when the server refused the request, or a client-side code ({@code client.…}) otherwise.
 */
public class WardlineClientException extends RuntimeException {
    private final String errorCode;
    private final int httpStatus;
    private final transient com.fasterxml.jackson.databind.JsonNode details;

    public WardlineClientException(String errorCode, int httpStatus, String message, Throwable cause) {
        this(errorCode, httpStatus, message, cause, null);
    }

    WardlineClientException(String errorCode, int httpStatus, String message, Throwable cause,
                            com.fasterxml.jackson.databind.JsonNode details) {
        super(message, cause);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
        this.details = details;
    }

    public WardlineClientException(String errorCode, String message, Throwable cause) {
        this(errorCode, 0, message, cause);
    }

    /** The stable error code: the server's, or {@code client.tls}, {@code client.io}, {@code client.pin} … */
    public String errorCode() {
        return errorCode;
    }

    /** The server's whole error answer (JSON), or null: e.g. an upload's policy verdict. */
    com.fasterxml.jackson.databind.JsonNode details() {
        return details;
    }

    /** The HTTP status the server answered with, or 0 when no response was received. */
    public int httpStatus() {
        return httpStatus;
    }
}
