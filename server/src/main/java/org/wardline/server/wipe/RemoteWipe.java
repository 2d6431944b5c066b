package org.wardline.server.wipe;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.auth.SessionEnds;
import org.wardline.server.delivery.DeviceRemoval;
import org.wardline.server.device.DeviceConnections;
import org.wardline.server.device.DeviceStore;
import org.wardline.server.pki.RevocationList;
import org.wardline.server.pki.RevocationReason;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Remote wipe of a lost device (ADR 0006). Marking it lost records a pending wipe, revokes the device and its
 * certificates, ends its sessions, closes its connections on every node, removes it from every conversation in the
 * delivery service and deletes its key packages. The wipe command then waits: while it is pending the device's
 * certificates stay off the CRL and the device may reach only {@code /v1/devices/me/wipe}; when the device confirms,
 * its certificates go on the CRL and every connection it still has is closed.
 */
public final class RemoteWipe {
    /** Event-bus address: a JSON array of certificate serials whose connections every node closes at once. */
    static final String CLOSE_ADDRESS = "wardline.wipe.close-connections";

    private final Vertx vertx;
    private final WipeStore store;
    private final DeviceStore devices;
    private final DeviceRemoval removal;
    private final WipeAudit audit;

    RemoteWipe(Vertx vertx, WipeStore store, DeviceStore devices, DeviceRemoval removal, WipeAudit audit) {
        this.vertx = vertx;
        this.store = store;
        this.devices = devices;
        this.removal = removal;
        this.audit = audit;
    }

    /** Closes, on this node, the connections the wipe of a device asks every node to close. */
    void closeConnectionsOn(DeviceConnections connections) {
        vertx.eventBus().<JsonArray>consumer(CLOSE_ADDRESS, m -> connections.closeAll(
                m.body().stream().map(String::valueOf).collect(Collectors.toSet())));
    }

    /** What marking a device lost did. */
    record Requested(WipeStore.Wipe wipe, int certificatesRevoked, int sessionsEnded, DeviceRemoval.Result delivery) {
        JsonObject toJson() {
            return new JsonObject().put("deviceId", wipe.deviceId().toString()).put("status", wipe.status().wireValue())
                    .put("requestedAt", wipe.requestedAt().toString())
                    .put("certificatesRevoked", certificatesRevoked).put("sessionsEnded", sessionsEnded)
                    .put("conversationsLeft", delivery.conversations())
                    .put("keyPackagesDeleted", delivery.keyPackagesDeleted())
                    .put("removalRequests", delivery.removalRequests())
                    .put("externalProposals", delivery.externalProposals());
        }
    }

    /** Marks {@code deviceId} lost for {@code actor}; the caller has checked that the actor may. */
    Future<Requested> request(UUID deviceId, Actor actor, WipeVia via) {
        return audit.started(actor, deviceId, via).compose(v -> store.request(deviceId, actor.userId(), via))
                .recover(e -> audit.refused(actor, deviceId, e).compose(v -> Future.failedFuture(e)))
                .compose(wipe -> devices.revoke(deviceId, RevocationReason.WIPED).compose(serials -> {
                    if (!serials.isEmpty()) {
                        vertx.eventBus().publish(CLOSE_ADDRESS, new JsonArray(List.copyOf(serials)));
                    }
                    return store.endSessions(deviceId).compose(sessions -> {
                        // Same announcement as SessionStore's: every node closes what those sessions hold open.
                        sessions.forEach(id -> vertx.eventBus().publish(SessionEnds.ADDRESS,
                                new JsonObject().put("sessionId", id.toString())));
                        return removal.remove(DeviceUri.of(wipe.userId(), deviceId))
                                .map(delivery -> new Requested(wipe, serials.size(), sessions.size(), delivery));
                    });
                }))
                .compose(r -> audit.requested(actor, r, via).map(r));
    }

    /**
     * The owner marks another of their own devices lost. Someone else's device is refused like an unknown one (so
     * the IDs of other users' devices are not confirmed), and a device cannot be wiped this way from itself.
     */
    Future<Requested> requestByOwner(UUID deviceId, Actor actor) {
        return store.ownerOf(deviceId).compose(owner -> {
            if (owner.isEmpty() || !owner.get().equals(actor.userId())) {
                return refuse(actor, deviceId, ErrorCode.DEVICE_UNKNOWN);
            }
            if (deviceId.equals(actor.deviceId())) {
                return refuse(actor, deviceId, ErrorCode.BAD_REQUEST);
            }
            return request(deviceId, actor, WipeVia.OWNER);
        });
    }

    private Future<Requested> refuse(Actor actor, UUID deviceId, ErrorCode code) {
        WardlineHttpException e = new WardlineHttpException(code);
        return audit.refused(actor, deviceId, e).compose(v -> Future.failedFuture(e));
    }

    /** The device reports its local state destroyed: the wipe is confirmed and its certificates go on the CRL. */
    Future<WipeStore.Wipe> confirm(DeviceStore.Device device, String sourceIp) {
        return store.confirm(device.id())
                .recover(e -> audit.confirmationRefused(device, sourceIp, e).compose(v -> Future.failedFuture(e)))
                .compose(wipe -> audit.confirmed(device, sourceIp).map(wipe));
    }

    /** After the confirmation was answered: put the certificates on the CRL and close what is still open. */
    Future<Void> stopCertificates(UUID deviceId) {
        return store.stoppedSerials(deviceId).map(serials -> {
            RevocationList.announce(vertx, Set.copyOf(serials));
            return null;
        });
    }

    Future<java.util.Optional<WipeStore.Wipe>> status(UUID deviceId) {
        return store.find(deviceId);
    }

    Future<java.util.Optional<UUID>> ownerOf(UUID deviceId) {
        return store.ownerOf(deviceId);
    }

    /** Who asked: the signed-in user and the device they asked from. */
    record Actor(UUID userId, UUID deviceId, String sourceIp, String requestId) {
    }
}
