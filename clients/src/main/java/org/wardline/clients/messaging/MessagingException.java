package org.wardline.clients.messaging;

/**
 * The server refused a request ({@link #code()} is its stable error code, e.g. {@code conversation.epoch_conflict}),
 * or the connection failed ({@code code} is {@code connection.lost}). Never carries message content.
 */
public final class MessagingException extends RuntimeException {
    public static final String CONNECTION_LOST = "connection.lost";
    /**
     * The server refuses this device for good (revoked, or its certificate no longer accepted): the client stopped
     * connecting, and only enrolling the device again helps.
     */
    public static final String DEVICE_REVOKED = "device.revoked";

    private final String code;
    private final Long epoch;

    public MessagingException(String code, Long epoch) {
        super(code);
        this.code = code;
        this.epoch = epoch;
    }

    public String code() {
        return code;
    }

    /** The conversation's current epoch, on epoch errors. */
    public Long epoch() {
        return epoch;
    }
}
