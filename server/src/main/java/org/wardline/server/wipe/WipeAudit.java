package org.wardline.server.wipe;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.audit.SourceAddresses;
import org.wardline.server.device.DeviceStore;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;

import java.util.UUID;

/** Remote-wipe events in the hash-chained audit trail: requested (or refused), then confirmed by the device. */
final class WipeAudit {
    static final AuditAction STARTED = new AuditAction("device.wipe.started");
    static final AuditAction REQUESTED = new AuditAction("device.wipe.requested");
    static final AuditAction REFUSED = new AuditAction("device.wipe.refused");
    static final AuditAction CONFIRMED = AuditAction.DEVICE_WIPED;
    static final AuditAction CONFIRMATION_REFUSED = new AuditAction("device.wipe.confirmation_refused");
    private static final Logger LOG = LoggerFactory.getLogger(WipeAudit.class);

    private final AuditLog audit;

    WipeAudit(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * Written before a wipe does anything; fails with {@code audit.unavailable} when it cannot be, and the wipe is then
     * not started (what it went on to do is in the {@code requested} entry that follows).
     */
    Future<Void> started(RemoteWipe.Actor actor, UUID deviceId, WipeVia via) {
        AuditEvent e = event(STARTED, AuditOutcome.SUCCESS, actor, deviceId).details(AuditDetails.builder().put("via", via).build()).build();
        Future<?> written;
        try {
            written = audit.record(e);
        } catch (RuntimeException full) {
            written = Future.failedFuture(full);
        }
        return written.<Void>mapEmpty().recover(t -> {
            LOG.atError().addKeyValue("action", e.action().code()).addKeyValue("errorType", t.getClass().getSimpleName())
                    .log("wipe not started: its audit entry could not be written");
            return Future.failedFuture(new WardlineHttpException(ErrorCode.AUDIT_UNAVAILABLE));
        });
    }

    Future<Void> requested(RemoteWipe.Actor actor, RemoteWipe.Requested r, WipeVia via) {
        return write(event(REQUESTED, AuditOutcome.SUCCESS, actor, r.wipe().deviceId())
                .details(AuditDetails.builder().put("via", via).put("certificatesRevoked", r.certificatesRevoked())
                        .put("sessionsEnded", r.sessionsEnded()).put("conversationsLeft", r.delivery().conversations())
                        .put("keyPackagesDeleted", r.delivery().keyPackagesDeleted()).put("owner", r.wipe().userId()).build()));
    }

    Future<Void> refused(RemoteWipe.Actor actor, UUID deviceId, Throwable why) {
        return write(event(REFUSED, AuditOutcome.DENIED, actor, deviceId)
                .details(AuditDetails.builder().put("reason", reason(why)).build()));
    }

    Future<Void> confirmed(DeviceStore.Device device, String sourceIp) {
        return write(deviceEvent(CONFIRMED, AuditOutcome.SUCCESS, device, sourceIp));
    }

    Future<Void> confirmationRefused(DeviceStore.Device device, String sourceIp, Throwable why) {
        return write(deviceEvent(CONFIRMATION_REFUSED, AuditOutcome.DENIED, device, sourceIp)
                .details(AuditDetails.builder().put("reason", reason(why)).build()));
    }

    private static ErrorCode reason(Throwable why) {
        return why instanceof WardlineHttpException h ? h.code() : ErrorCode.INTERNAL;
    }

    private static AuditEvent.Builder event(AuditAction action, AuditOutcome outcome, RemoteWipe.Actor actor, UUID deviceId) {
        AuditEvent.Builder b = AuditEvent.builder(action, outcome).actor(actor.userId(), actor.deviceId())
                .object("device", deviceId);
        SourceAddresses.parse(actor.sourceIp()).ifPresent(b::sourceIp);
        if (actor.requestId() != null) {
            b.requestId(actor.requestId());
        }
        return b;
    }

    private static AuditEvent.Builder deviceEvent(AuditAction action, AuditOutcome outcome, DeviceStore.Device device,
                                                  String sourceIp) {
        AuditEvent.Builder b = AuditEvent.builder(action, outcome).actor(device.userId(), device.id()).object("device", device.id());
        SourceAddresses.parse(sourceIp).ifPresent(b::sourceIp);
        return b;
    }

    /** Completes once the entry is written; a failure to write is logged, not passed on (the wipe, once started, stands). */
    private Future<Void> write(AuditEvent.Builder event) {
        AuditEvent e = event.build();
        Future<?> written;
        try {
            written = audit.record(e);
        } catch (RuntimeException full) {
            written = Future.failedFuture(full);
        }
        return written.<Void>mapEmpty().recover(t -> {
            LOG.atError().addKeyValue("action", e.action().code()).addKeyValue("errorType", t.getClass().getSimpleName())
                    .log("wipe event not written to the audit trail");
            return Future.succeededFuture();
        });
    }
}
