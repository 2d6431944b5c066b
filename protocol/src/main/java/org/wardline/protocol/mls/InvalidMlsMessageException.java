package org.wardline.protocol.mls;

/** Bytes that should be an MLS message (or key package) are not one, or not the kind expected. */
public final class InvalidMlsMessageException extends Exception {
    public InvalidMlsMessageException(String rule) {
        super(rule);
    }

    public InvalidMlsMessageException(String rule, Throwable cause) {
        super(rule, cause);
    }
}
