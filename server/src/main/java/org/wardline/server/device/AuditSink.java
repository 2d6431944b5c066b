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

    /** Writes events to the server log (structured, no secrets) until the audit trail is connected. */
    AuditSink LOGGING = new LoggingAuditSink();
}
