package org.wardline.server.alert;

import io.vertx.core.Future;

/** One way alerts reach the security officer (e-mail, webhook, the dev console). One attempt per call. */
interface AlertChannel {
    String name();

    Future<Void> deliver(AlertPayload payload);
}
