package org.wardline.server.device;

import java.util.Map;
import java.util.UUID;

/**
 * Where device-identity events go for the audit trail. The audit module
 * ({@code org.wardline.storage.audit.AuditLog}) plugs in here when it lands; until then
 * {@link #LOGGING} writes them to the server log. Details never hold codes, CSR contents or keys.
 */
public interface AuditSink {
    /** The actions recorded. */
    enum Action { ENROLLMENT_CODE_ISSUED, DEVICE_ENROLLED, ENROLLMENT_REFUSED, DEVICE_RENEWED, RENEWAL_REFUSED, DEVICE_REVOKED }

    enum Outcome { SUCCESS, REFUSED }

    /**
     * Records one event.
     *
     * @param userId   the user acted for, when known
     * @param deviceId the device concerned, when known
     * @param details  non-secret detail (error code, reason, serial)
     */
    void record(Action action, Outcome outcome, UUID userId, UUID deviceId, String sourceIp, Map<String, String> details);

    /**
     * Records one event and completes once it is durable where this sink can tell (the audit trail), failing when
     * it could not be written, so that an enrolment is undone instead of left unaudited.
     */
    default io.vertx.core.Future<Void> recordDurably(Action action, Outcome outcome, UUID userId, UUID deviceId,
                                                     String sourceIp, Map<String, String> details) {
        record(action, outcome, userId, deviceId, sourceIp, details);
        return io.vertx.core.Future.succeededFuture();
    }

    /** Writes events to the server log (structured, no secrets) until the audit trail is connected. */
    AuditSink LOGGING = new LoggingAuditSink();
}
