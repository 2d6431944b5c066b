package org.wardline.server.device;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.wardline.server.pki.RevocationList;
import org.wardline.server.pki.RevocationReason;

import java.util.Map;
import java.util.UUID;

/**
 * Revokes a device, for an administrator, a remote wipe or an offboarding: the device and each of its
 * certificates are marked in the database, then the stop is announced on the event bus so that every node
 * closes the device's open connections at once and refuses its next handshake (new CRL).
 */
public final class DeviceRevocation {
    private final Vertx vertx;
    private final DeviceStore devices;
    private final AuditSink audit;

    public DeviceRevocation(Vertx vertx, DeviceStore devices, AuditSink audit) {
        this.vertx = vertx;
        this.devices = devices;
        this.audit = audit;
    }

    /**
     * Revokes the device. Completes with true when this call revoked it, false when it was already revoked
     * or does not exist (revoking is idempotent).
     */
    public Future<Boolean> revoke(UUID deviceId, RevocationReason reason) {
        return devices.revoke(deviceId, reason).map(serials -> {
            RevocationList.announce(vertx, serials);
            boolean revoked = !serials.isEmpty();
            if (revoked) {
                audit.record(AuditSink.Action.DEVICE_REVOKED, AuditSink.Outcome.SUCCESS, null, deviceId, null,
                        Map.of("reason", reason.dbValue(), "certificates", String.valueOf(serials.size())));
            }
            return revoked;
        });
    }
}
