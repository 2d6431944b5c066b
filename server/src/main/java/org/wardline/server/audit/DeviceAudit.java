package org.wardline.server.audit;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.device.AuditSink;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Records device-identity events (enrollment, renewal, revocation) in the hash-chained audit trail. */
public final class DeviceAudit implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAudit.class);

    private final AuditLog audit;

    public DeviceAudit(AuditLog audit) {
        this.audit = audit;
    }

    static AuditAction action(Action action) {
        return switch (action) {
            case ENROLLMENT_CODE_ISSUED -> new AuditAction("device.enrollment_code.issued");
            case DEVICE_ENROLLED -> AuditAction.DEVICE_ENROLLED;
            case ENROLLMENT_REFUSED -> new AuditAction("device.enrollment.refused");
            case DEVICE_RENEWED -> new AuditAction("device.renewed");
            case RENEWAL_REFUSED -> new AuditAction("device.renewal.refused");
            case DEVICE_REVOKED -> AuditAction.DEVICE_REVOKED;
        };
    }

    @Override
    public void record(Action action, Outcome outcome, UUID userId, UUID deviceId, String sourceIp, Map<String, String> details) {
        recordDurably(action, outcome, userId, deviceId, sourceIp, details);
    }

    @Override
    public Future<Void> recordDurably(Action action, Outcome outcome, UUID userId, UUID deviceId, String sourceIp,
                                      Map<String, String> details) {
        AuditEvent.Builder event = AuditEvent.builder(action(action),
                outcome == Outcome.SUCCESS ? AuditOutcome.SUCCESS : AuditOutcome.DENIED);
        if (userId != null || deviceId != null) {
            event.actor(userId, deviceId);
        }
        if (deviceId != null) {
            event.object("device", deviceId);
        }
        SourceAddresses.parse(sourceIp).ifPresent(event::sourceIp);
        AuditDetails.Builder d = AuditDetails.builder();
        details.forEach((k, v) -> {
            try {
                d.putCode(k, v.toLowerCase(Locale.ROOT).replace('.', '-').replace('_', '-'));
            } catch (IllegalArgumentException notACode) {
                LOG.atWarn().addKeyValue("detailKey", k).log("audit detail left out: not a short code");
            }
        });
        Future<?> written;
        try {
            written = audit.record(event.details(d.build()).build());
        } catch (RuntimeException e) {
            written = Future.failedFuture(e);
        }
        return written.onFailure(e -> LOG.atError()
                .addKeyValue("action", action.name()).addKeyValue("errorType", e.getClass().getSimpleName())
                .log("device event not written to the audit trail")).mapEmpty();
    }
}
