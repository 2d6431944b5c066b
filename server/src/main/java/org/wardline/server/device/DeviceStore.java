package org.wardline.server.device;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.RevocationReason;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The {@code devices} and {@code device_certificates} tables, through the Vert.x pool (never blocking). */
public final class DeviceStore {
    private final Pool pool;

    public DeviceStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** One enrolled device. */
    public record Device(UUID id, UUID userId, String name, String platform, String serial, String fingerprint,
                         OffsetDateTime enrolledAt, OffsetDateTime lastSeenAt, OffsetDateTime notAfter,
                         OffsetDateTime revokedAt, String revocationReason) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** Inserts a newly enrolled device and its first certificate (in the caller's transaction). */
    Future<Void> insert(SqlClient tx, UUID deviceId, UUID userId, String name, String platform, X509Certificate cert) {
        return insert(tx, deviceId, userId, name, platform, cert, null);
    }

    /** As above; {@code dpopJkt} (the key's JWK thumbprint) makes it a browser device that proves possession with DPoP. */
    Future<Void> insert(SqlClient tx, UUID deviceId, UUID userId, String name, String platform, X509Certificate cert,
                        String dpopJkt) {
        String serial = CertificateAuthority.serialHex(cert);
        String fingerprint = CertificateAuthority.fingerprint(cert);
        OffsetDateTime notAfter = utc(cert);
        return tx.preparedQuery("INSERT INTO devices (id, user_id, name, platform, serial, fingerprint, not_after, dpop_jkt) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .execute(Tuple.of(deviceId, userId, name, platform, serial, fingerprint, notAfter, dpopJkt))
                .compose(r -> insertCertificate(tx, deviceId, cert));
    }

    private Future<Void> insertCertificate(SqlClient tx, UUID deviceId, X509Certificate cert) {
        return tx.preparedQuery("INSERT INTO device_certificates (serial, device_id, fingerprint, not_after) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(CertificateAuthority.serialHex(cert), deviceId, CertificateAuthority.fingerprint(cert), utc(cert)))
                .mapEmpty();
    }

    /**
     * Makes {@code next} the device's current certificate and lets {@code previousSerial} work for
     * {@code grace} more (in the caller's transaction). Fails when {@code previousSerial} is no longer the
     * device's current, unrevoked certificate (a concurrent renewal or a revocation won).
     */
    Future<Boolean> supersede(SqlClient tx, UUID deviceId, String previousSerial, X509Certificate next, Duration grace) {
        return tx.preparedQuery("UPDATE devices SET serial = $3, fingerprint = $4, not_after = $5 "
                        + "WHERE id = $1 AND serial = $2 AND revoked_at IS NULL")
                .execute(Tuple.of(deviceId, previousSerial, CertificateAuthority.serialHex(next),
                        CertificateAuthority.fingerprint(next), utc(next)))
                .compose(r -> {
                    if (r.rowCount() != 1) {
                        return Future.succeededFuture(false);
                    }
                    return tx.preparedQuery("UPDATE device_certificates SET stops_at = now() + make_interval(secs => $2), "
                                    + "stop_reason = $3 WHERE serial = $1 AND stops_at IS NULL")
                            .execute(Tuple.of(previousSerial, (double) grace.toSeconds(), RevocationReason.SUPERSEDED.dbValue()))
                            .compose(x -> insertCertificate(tx, deviceId, next))
                            .map(true);
                });
    }

    /**
     * Revokes the device and stops each of its certificates that still works; returns the serials stopped
     * now (empty when the device was already revoked or does not exist).
     */
    public Future<Set<String>> revoke(UUID deviceId, RevocationReason reason) {
        return pool.withTransaction(tx -> tx.preparedQuery("UPDATE devices SET revoked_at = now(), revocation_reason = $2 "
                        + "WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(deviceId, reason.dbValue()))
                .compose(r -> tx.preparedQuery("UPDATE device_certificates SET stops_at = now(), stop_reason = $2 "
                                + "WHERE device_id = $1 AND (stops_at IS NULL OR stops_at > now()) RETURNING serial")
                        .execute(Tuple.of(deviceId, reason.dbValue())))
                .map(rows -> {
                    Set<String> serials = new LinkedHashSet<>();
                    rows.forEach(row -> serials.add(row.getString("serial")));
                    return serials;
                }));
    }

    /** The device whose current or in-grace certificate has this serial, with whether the serial is current. */
    public Future<Optional<CertificateOwner>> ownerOf(String serial) {
        return pool.preparedQuery("SELECT d.*, c.stops_at AS cert_stops_at, "
                        + "EXISTS (SELECT 1 FROM device_wipes w WHERE w.device_id = d.id AND w.status = 'pending') AS wipe_pending "
                        + "FROM device_certificates c JOIN devices d ON d.id = c.device_id WHERE c.serial = $1")
                .execute(Tuple.of(serial))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    Device device = device(row);
                    OffsetDateTime stops = row.getOffsetDateTime("cert_stops_at");
                    return Optional.of(new CertificateOwner(device, device.serial().equals(serial), stops,
                            row.getBoolean("wipe_pending"), row.getString("dpop_jkt") != null));
                });
    }

    /**
     * A certificate's device; {@code current} is false for a certificate superseded by a renewal;
     * {@code wipePending} while the device, marked lost, has not confirmed its wipe.
     */
    /** {@code browser}: the device proves possession with DPoP (it has a key thumbprint), never with mutual TLS. */
    public record CertificateOwner(Device device, boolean current, OffsetDateTime stopsAt, boolean wipePending, boolean browser) {
    }

    /**
     * The browser device whose key has this JWK thumbprint, with whether its wipe is pending and when its current
     * certificate stops working (null while it works until it expires).
     */
    public Future<Optional<CertificateOwner>> byDpopKey(String jkt) {
        return pool.preparedQuery("SELECT d.*, c.stops_at AS cert_stops_at, "
                        + "EXISTS (SELECT 1 FROM device_wipes w WHERE w.device_id = d.id AND w.status = 'pending') AS wipe_pending "
                        + "FROM devices d JOIN device_certificates c ON c.serial = d.serial WHERE d.dpop_jkt = $1")
                .execute(Tuple.of(jkt))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new CertificateOwner(device(row), true, row.getOffsetDateTime("cert_stops_at"),
                            row.getBoolean("wipe_pending"), true));
                });
    }

    public Future<Optional<Device>> find(UUID deviceId) {
        return pool.preparedQuery("SELECT * FROM devices WHERE id = $1").execute(Tuple.of(deviceId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(device(rows.iterator().next())));
    }

    /** Records that the device with this certificate serial connected (at most once a minute per device). */
    public Future<Void> touch(String serial) {
        return pool.preparedQuery("UPDATE devices SET last_seen_at = now() WHERE id = (SELECT device_id FROM device_certificates "
                        + "WHERE serial = $1) AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute')")
                .execute(Tuple.of(serial)).mapEmpty();
    }

    /**
     * Certificates that stopped working and have not expired yet: the content of the CRL. A device with a pending
     * wipe is left off, so that it can complete the handshake and reach only its wipe endpoints (ADR 0006).
     */
    public Future<List<CertificateAuthority.RevokedCertificate>> stoppedCertificates() {
        return pool.query("SELECT serial, stops_at, stop_reason FROM device_certificates c "
                        + "WHERE stops_at <= now() AND not_after > now() - interval '1 day' AND NOT EXISTS "
                        + "(SELECT 1 FROM device_wipes w WHERE w.device_id = c.device_id AND w.status = 'pending') ORDER BY serial")
                .execute()
                .map(rows -> {
                    List<CertificateAuthority.RevokedCertificate> out = new ArrayList<>();
                    for (Row row : rows) {
                        out.add(new CertificateAuthority.RevokedCertificate(new BigInteger(row.getString("serial"), 16),
                                row.getOffsetDateTime("stops_at").toInstant(),
                                RevocationReason.fromDb(row.getString("stop_reason")).crlReason()));
                    }
                    return out;
                });
    }

    private static Device device(Row row) {
        return new Device(row.getUUID("id"), row.getUUID("user_id"), row.getString("name"), row.getString("platform"),
                row.getString("serial"), row.getString("fingerprint"), row.getOffsetDateTime("enrolled_at"),
                row.getOffsetDateTime("last_seen_at"), row.getOffsetDateTime("not_after"),
                row.getOffsetDateTime("revoked_at"), row.getString("revocation_reason"));
    }

    static OffsetDateTime utc(X509Certificate cert) {
        return cert.getNotAfter().toInstant().atOffset(ZoneOffset.UTC);
    }
}
