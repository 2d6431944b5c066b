package org.wardline.server.wipe;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code device_wipes} table: one wipe per device, pending until the device confirms it. */
final class WipeStore {
    private final Pool pool;

    WipeStore(Pool pool) {
        this.pool = pool;
    }

    /** A device's wipe. */
    record Wipe(UUID deviceId, UUID userId, UUID requestedBy, WipeVia via, OffsetDateTime requestedAt, WipeStatus status,
                OffsetDateTime confirmedAt) {
    }

    /**
     * Records a pending wipe of {@code deviceId} (of {@code owner}). Fails with {@link ErrorCode#DEVICE_UNKNOWN}
     * when no such device exists and {@link ErrorCode#DEVICE_ALREADY_WIPED} when it already has a wipe.
     */
    Future<Wipe> request(UUID deviceId, UUID requestedBy, WipeVia via) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT user_id FROM devices WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(deviceId))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new WardlineHttpException(ErrorCode.DEVICE_UNKNOWN));
                    }
                    UUID owner = rows.iterator().next().getUUID("user_id");
                    return tx.preparedQuery("""
                                    INSERT INTO device_wipes (device_id, user_id, requested_by, requested_via)
                                    VALUES ($1, $2, $3, $4) ON CONFLICT (device_id) DO NOTHING RETURNING *""")
                            .execute(Tuple.of(deviceId, owner, requestedBy, via.dbValue()))
                            .compose(inserted -> inserted.size() == 0
                                    ? Future.failedFuture(new WardlineHttpException(ErrorCode.DEVICE_ALREADY_WIPED))
                                    : Future.succeededFuture(wipe(inserted.iterator().next())));
                }));
    }

    /** The device's owner, if the device exists. */
    Future<Optional<UUID>> ownerOf(UUID deviceId) {
        return pool.preparedQuery("SELECT user_id FROM devices WHERE id = $1").execute(Tuple.of(deviceId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(0)));
    }

    Future<Optional<Wipe>> find(UUID deviceId) {
        return pool.preparedQuery("SELECT * FROM device_wipes WHERE device_id = $1").execute(Tuple.of(deviceId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(wipe(rows.iterator().next())));
    }

    /** Moves the wipe from pending to confirmed; fails with {@link ErrorCode#NO_WIPE_PENDING} when none is pending. */
    Future<Wipe> confirm(UUID deviceId) {
        return pool.preparedQuery("""
                        UPDATE device_wipes SET status = 'confirmed', confirmed_at = now()
                         WHERE device_id = $1 AND status = 'pending' RETURNING *""")
                .execute(Tuple.of(deviceId))
                .compose(rows -> rows.size() == 0 ? Future.failedFuture(new WardlineHttpException(ErrorCode.NO_WIPE_PENDING))
                        : Future.succeededFuture(wipe(rows.iterator().next())));
    }

    /** Ends every session opened on this device; returns the IDs of those that were live. */
    Future<List<UUID>> endSessions(UUID deviceId) {
        return pool.preparedQuery("UPDATE sessions SET revoked_at = now(), revoke_reason = 'device_wiped' "
                        + "WHERE device_id = $1 AND revoked_at IS NULL RETURNING id")
                .execute(Tuple.of(deviceId)).map(rows -> {
                    List<UUID> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getUUID(0)));
                    return out;
                });
    }

    /** The serials of the device's certificates that have stopped working (they go on the CRL once confirmed). */
    Future<List<String>> stoppedSerials(UUID deviceId) {
        return pool.preparedQuery("SELECT serial FROM device_certificates WHERE device_id = $1 AND stops_at <= now()")
                .execute(Tuple.of(deviceId))
                .map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    private static Wipe wipe(Row r) {
        return new Wipe(r.getUUID("device_id"), r.getUUID("user_id"), r.getUUID("requested_by"),
                WipeVia.fromDb(r.getString("requested_via")), r.getOffsetDateTime("requested_at"),
                WipeStatus.fromDb(r.getString("status")), r.getOffsetDateTime("confirmed_at"));
    }
}
