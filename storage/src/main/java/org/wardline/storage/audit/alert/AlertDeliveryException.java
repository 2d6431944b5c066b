package org.wardline.storage.audit.alert;

import java.util.List;

/** The sink refused some alerts; they are listed so the caller can retry them. */
public final class AlertDeliveryException extends RuntimeException {
    private final transient List<Alert> undelivered;

    public AlertDeliveryException(List<Alert> undelivered) {
        super(undelivered.size() + " alert(s) could not be delivered");
        this.undelivered = List.copyOf(undelivered);
    }

    public List<Alert> undelivered() {
        return undelivered;
    }
}
