package org.wardline.server.account;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where account and access events go: the audit trail once the composition root connects it
 * ({@code org.wardline.storage.audit}). Implementations must not block the calling event loop; a failure to
 * record is the sink's to report, never the caller's request to fail.
 */
@FunctionalInterface
public interface AccountEvents {
    void record(AccountEvent event);

    /**
     * Records {@code event} and completes once it is durable where this sink can tell (the audit trail), failing
     * when it could not be written, so that an access change can be refused instead of done unaudited.
     */
    default Future<Void> recordDurably(AccountEvent event) {
        record(event);
        return Future.succeededFuture();
    }

    /** Until the audit log is connected: structured log lines (the event holds no secrets or PHI). */
    AccountEvents LOG = new AccountEvents() {
        private final Logger log = LoggerFactory.getLogger("org.wardline.audit.account");

        @Override
        public void record(AccountEvent e) {
            log.atInfo().addKeyValue("event", e.type().name()).addKeyValue("outcome", e.outcome().name())
                    .addKeyValue("userId", e.actorUserId()).addKeyValue("deviceId", e.actorDeviceId())
                    .addKeyValue("sourceIp", e.sourceIp()).addKeyValue("objectType", e.objectType())
                    .addKeyValue("objectId", e.objectId()).addKeyValue("requestId", e.requestId())
                    .addKeyValue("detail", e.detail()).log("account event");
        }
    };
}
