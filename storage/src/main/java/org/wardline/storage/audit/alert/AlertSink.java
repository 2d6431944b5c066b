package org.wardline.storage.audit.alert;

import io.vertx.core.Future;

/**
 * Where alerts go: the server provides email and webhook sinks. A sink should queue and retry on its
 * own; a failed future tells {@link AlertEngine} the alert was not accepted.
 */
public interface AlertSink {
    Future<Void> send(Alert alert);
}
