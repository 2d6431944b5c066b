package org.wardline.server.delivery;

import org.wardline.protocol.ErrorCode;

/**
 * A request the delivery service refuses, with the stable code the device gets; {@code currentEpoch} is set on
 * epoch errors. The message names the rule only (never request data) and there is no stack trace to log.
 */
final class DeliveryException extends RuntimeException {
    private final ErrorCode code;
    private final Long currentEpoch;

    DeliveryException(ErrorCode code, String rule) {
        this(code, rule, null);
    }

    DeliveryException(ErrorCode code, String rule, Long currentEpoch) {
        super(rule, null, false, false);
        this.code = code;
        this.currentEpoch = currentEpoch;
    }

    ErrorCode code() {
        return code;
    }

    Long currentEpoch() {
        return currentEpoch;
    }
}
