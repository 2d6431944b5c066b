package org.wardline.server.device;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.CsrValidator;
import org.wardline.server.pki.RevocationList;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Renews a device's certificate over mutual TLS: the device authenticates with its current certificate
 * and sends a request for a <em>new</em> key pair. The new certificate keeps the device's identity; the old
 * one keeps working for the grace period (so connections can move over), then stops and is listed on the CRL.
 * Only the current certificate of an unrevoked device may renew.
 */
public final class DeviceRenewal {
    private final Vertx vertx;
    private final CertificateAuthority ca;
    private final DeviceStore devices;
    private final Duration validity;
    private final Duration grace;
    private final AuditSink audit;

    public DeviceRenewal(Vertx vertx, CertificateAuthority ca, DeviceStore devices, Duration validity, Duration grace,
                         AuditSink audit) {
        this.vertx = vertx;
        this.ca = ca;
        this.devices = devices;
        this.validity = validity;
        this.grace = grace;
        this.audit = audit;
    }

    public Duration grace() {
        return grace;
    }

    /** Issues a new certificate for the device holding {@code current}; {@code csr} is PEM or base64 DER. */
    public Future<IssuedCertificate> renew(X509Certificate current, String csr, String sourceIp) {
        String serial = CertificateAuthority.serialHex(current);
        return devices.ownerOf(serial).compose(owner -> {
            if (owner.isEmpty() || !owner.get().current() || owner.get().device().revoked()) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.DEVICE_NOT_ACTIVE));
            }
            DeviceStore.Device device = owner.get().device();
            PublicKey key = CsrValidator.validate(csr);
            if (key.equals(current.getPublicKey())) {
                return Future.failedFuture(new WardlineHttpException(ErrorCode.RENEWAL_KEY_REUSED));
            }
            DeviceUri identity = new DeviceUri(device.userId(), device.id());
            return vertx.executeBlocking(() -> ca.issueClientCertificate(key, "Wardline device " + device.id(),
                            identity.uri(), validity), false)
                    .compose(next -> devices.pool().withTransaction(tx -> devices.supersede(tx, device.id(), serial, next, grace))
                            .compose(done -> done
                                    ? Future.succeededFuture(new IssuedCertificate(device.userId(), device.id(), next,
                                            ca.chainAfterLeaf(), ca.rootCertificate()))
                                    : Future.failedFuture(new WardlineHttpException(ErrorCode.DEVICE_NOT_ACTIVE))));
        }).onSuccess(issued -> {
            audit.record(AuditSink.Action.DEVICE_RENEWED, AuditSink.Outcome.SUCCESS, issued.userId(), issued.deviceId(),
                    sourceIp, Map.of("serial", CertificateAuthority.serialHex(issued.certificate()), "previousSerial", serial));
            // The old certificate stops when the grace period ends: tell every node then (the periodic CRL
            // rebuild covers a node that restarts in between).
            vertx.setTimer(Math.max(1, grace.toMillis()), id -> RevocationList.announce(vertx, Set.of(serial)));
        }).onFailure(t -> {
            if (t instanceof WardlineHttpException w) {
                audit.record(AuditSink.Action.RENEWAL_REFUSED, AuditSink.Outcome.REFUSED, null, null, sourceIp,
                        Map.of("error", w.code().code(), "serial", serial));
            }
        });
    }
}
