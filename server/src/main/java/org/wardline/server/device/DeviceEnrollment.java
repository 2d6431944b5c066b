package org.wardline.server.device;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.auth.dpop.DpopKeys;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.CsrValidator;
import org.wardline.server.pki.RevocationList;
import org.wardline.server.pki.RevocationReason;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Enrolls a device: checks its certificate request, uses up the enrollment code, then issues a certificate
 * whose URI SAN names the code's user and a new device ID, and records the device. The request is checked
 * before the code is touched, so a malformed request does not cost the user their code; every refusal is
 * audited and leaves nothing issued. A browser key that is already enrolled is refused with {@code resource.conflict}
 * and the code stays usable.
 */
public final class DeviceEnrollment {
    private final Vertx vertx;
    private final CertificateAuthority ca;
    private final DeviceStore devices;
    private final EnrollmentCodes codes;
    private final Duration validity;
    private final AuditSink audit;

    public DeviceEnrollment(Vertx vertx, CertificateAuthority ca, DeviceStore devices, EnrollmentCodes codes,
                            Duration validity, AuditSink audit) {
        this.vertx = vertx;
        this.ca = ca;
        this.devices = devices;
        this.codes = codes;
        this.validity = validity;
        this.audit = audit;
    }

    /**
     * What a device sends. {@code claimedUser} is optional: when given, it must be the code's user. A {@code browser}
     * device proves possession of its key with DPoP proofs instead of mutual TLS (ADR 0015).
     */
    public record Request(Secret<String> code, String csr, String name, String platform, UUID claimedUser, String sourceIp,
                          boolean browser) {
        public Request(Secret<String> code, String csr, String name, String platform, UUID claimedUser, String sourceIp) {
            this(code, csr, name, platform, claimedUser, sourceIp, false);
        }
    }

    public Future<IssuedCertificate> enroll(Request request) {
        UUID deviceId = UUID.randomUUID();
        PublicKey key;
        try {
            key = CsrValidator.validate(request.csr());
        } catch (WardlineHttpException e) {
            refused(request, null, e);
            return Future.failedFuture(e);
        }
        String jkt = request.browser() ? DpopKeys.thumbprint(key) : null;
        // Checked before the code is used up, so enrolling an enrolled browser key again costs nothing.
        Future<Boolean> keyFree = jkt == null ? Future.succeededFuture(true) : devices.byDpopKey(jkt).map(java.util.Optional::isEmpty);
        return keyFree.compose(free -> free ? Future.succeededFuture() : Future.failedFuture(new WardlineHttpException(ErrorCode.CONFLICT)))
                .compose(v -> codes.redeem(devices.pool(), request.code(), deviceId, request.claimedUser()))
                .compose(userId -> {
                    DeviceUri identity = new DeviceUri(userId, deviceId);
                    return vertx.executeBlocking(() -> ca.issueClientCertificate(key, "Wardline device " + deviceId,
                                    identity.uri(), validity), false)
                            .compose(cert -> devices.pool().withTransaction(tx ->
                                    devices.insert(tx, deviceId, userId, request.name(), request.platform(), cert, jkt))
                                    .map(v -> new IssuedCertificate(userId, deviceId, cert, ca.chainAfterLeaf(), ca.rootCertificate())));
                })
                .recover(e -> Future.failedFuture(keyInUse(e) ? new WardlineHttpException(ErrorCode.CONFLICT) : e))
                .compose(issued -> audit.recordDurably(AuditSink.Action.DEVICE_ENROLLED, AuditSink.Outcome.SUCCESS, issued.userId(),
                                issued.deviceId(), request.sourceIp(), Map.of("serial", CertificateAuthority.serialHex(issued.certificate()),
                                        "platform", request.platform(), "kind", request.browser() ? "browser" : "mtls"))
                        .map(issued)
                        .recover(unaudited -> undo(issued)))
                .onFailure(t -> {
                    if (t instanceof WardlineHttpException w) {
                        refused(request, t instanceof EnrollmentCodes.WrongUser wrong ? wrong.codeOwner : null, w);
                    }
                });
    }

    /** An enrolment whose entry could not be written: its certificate is revoked at once and never handed out. */
    private Future<IssuedCertificate> undo(IssuedCertificate issued) {
        return devices.revoke(issued.deviceId(), RevocationReason.ADMIN)
                .onSuccess(serials -> RevocationList.announce(vertx, serials))
                .transform(v -> Future.failedFuture(new WardlineHttpException(ErrorCode.AUDIT_UNAVAILABLE)));
    }

    private static boolean keyInUse(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    private void refused(Request request, UUID user, WardlineHttpException e) {
        audit.record(AuditSink.Action.ENROLLMENT_REFUSED, AuditSink.Outcome.REFUSED,
                user != null ? user : request.claimedUser(), null, request.sourceIp(), Map.of("error", e.code().code()));
    }
}
