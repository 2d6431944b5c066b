package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.mls.DeviceUri;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Key packages per device (the "KeyPackageDirectory" of the delivery service): one-time packages are handed out
 * once each (claim deletes, concurrent claimers skip each other's rows); the device's last-resort package is
 * handed out when no one-time package is left, and kept.
 */
final class KeyPackageStore {
    /** Most one-time packages a device may hold. */
    static final int MAX_PER_DEVICE = 200;

    private final Pool pool;

    KeyPackageStore(Pool pool) {
        this.pool = pool;
    }

    Future<Void> upload(DeviceUri device, List<byte[]> oneTime, byte[] lastResort) {
        return upload(device, oneTime, lastResort, false);
    }

    /** @param replace discard the device's earlier one-time packages first */
    Future<Void> upload(DeviceUri device, List<byte[]> oneTime, byte[] lastResort, boolean replace) {
        return pool.withTransaction(conn -> (replace
                ? conn.preparedQuery("DELETE FROM mls_key_packages WHERE device_id = $1 AND NOT last_resort")
                        .execute(Tuple.of(device.device())).mapEmpty()
                : Future.<Void>succeededFuture())
                .compose(v -> conn.preparedQuery("SELECT count(*) FROM mls_key_packages WHERE device_id = $1 AND NOT last_resort")
                        .execute(Tuple.of(device.device())))
                .compose(rows -> {
                    if (rows.iterator().next().getLong(0) + oneTime.size() > MAX_PER_DEVICE) {
                        return Future.failedFuture(new DeliveryException(org.wardline.protocol.ErrorCode.PAYLOAD_TOO_LARGE,
                                "too many key packages"));
                    }
                    List<Tuple> batch = new ArrayList<>();
                    oneTime.forEach(kp -> batch.add(Tuple.of(device.user(), device.device(), Buffer.buffer(kp))));
                    Future<?> inserted = batch.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(
                            "INSERT INTO mls_key_packages (user_id, device_id, package) VALUES ($1, $2, $3)").executeBatch(batch);
                    return inserted.compose(v -> lastResort == null ? Future.succeededFuture() : replaceLastResort(conn, device, lastResort));
                }).mapEmpty());
    }

    private static Future<Void> replaceLastResort(SqlConnection conn, DeviceUri device, byte[] lastResort) {
        return conn.preparedQuery("DELETE FROM mls_key_packages WHERE device_id = $1 AND last_resort")
                .execute(Tuple.of(device.device()))
                .compose(v -> conn.preparedQuery(
                        "INSERT INTO mls_key_packages (user_id, device_id, package, last_resort) VALUES ($1, $2, $3, true)")
                        .execute(Tuple.of(device.user(), device.device(), Buffer.buffer(lastResort))))
                .mapEmpty();
    }

    /** Claims one package of this device: a one-time package if any is left, else its last-resort package. */
    Future<Optional<Claimed>> claim(UUID deviceId) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        DELETE FROM mls_key_packages k
                         USING (SELECT id FROM mls_key_packages WHERE device_id = $1 AND NOT last_resort
                                 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) c
                         WHERE k.id = c.id
                        RETURNING k.user_id, k.device_id, k.package""")
                .execute(Tuple.of(deviceId))
                .compose(rows -> rows.size() > 0 ? Future.succeededFuture(rows)
                        : conn.preparedQuery("SELECT user_id, device_id, package FROM mls_key_packages WHERE device_id = $1 AND last_resort")
                        .execute(Tuple.of(deviceId)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<Claimed>empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new Claimed(DeviceUri.of(r.getUUID("user_id"), r.getUUID("device_id")),
                            r.getBuffer("package").getBytes()));
                }));
    }

    /** The devices of this user that have any key package. */
    Future<List<UUID>> devicesOf(UUID user) {
        return pool.preparedQuery("SELECT DISTINCT device_id FROM mls_key_packages WHERE user_id = $1 ORDER BY device_id")
                .execute(Tuple.of(user))
                .map(rows -> {
                    List<UUID> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getUUID(0)));
                    return out;
                });
    }

    /** A claimed key package and the device it belongs to. */
    record Claimed(DeviceUri device, byte[] keyPackage) {
    }
}
