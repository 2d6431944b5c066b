package org.wardline.server.device;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.pki.Pem;
import org.wardline.server.pki.RevocationReason;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The HTTP surface of device identity on the public, device and ops listeners. */
public final class DeviceRoutes {
    static final String ENROLL = "/v1/devices/enroll";
    static final String RENEW = "/v1/devices/renew";
    static final String ME = "/v1/devices/me";
    static final String OWN_CODES = "/v1/devices/enrollment-codes";
    /** The only paths a device marked lost may reach, until it confirms its wipe (ADR 0006). */
    public static final String WIPE_PATH = "/v1/devices/me/wipe";
    private static final int BODY_LIMIT = 32 * 1024;
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._'()-]{1,64}");
    private static final Pattern PLATFORM = Pattern.compile("[A-Za-z0-9._ -]{1,32}");
    private static final String DEVICE_KEY = "wardline.device";

    private final DeviceEnrollment enrollment;
    private final DeviceRenewal renewal;
    private final DeviceRevocation revocation;
    private final EnrollmentCodes codes;
    private final DeviceStore devices;
    private final Supplier<String> deviceUrl;
    private final AuditSink audit;

    DeviceRoutes(DeviceEnrollment enrollment, DeviceRenewal renewal, DeviceRevocation revocation, EnrollmentCodes codes,
                 DeviceStore devices, Supplier<String> deviceUrl, AuditSink audit) {
        this.audit = audit;
        this.enrollment = enrollment;
        this.renewal = renewal;
        this.revocation = revocation;
        this.codes = codes;
        this.devices = devices;
        this.deviceUrl = deviceUrl;
    }

    void mount(RouteRegistry routes) {
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.POST, ENROLL).permission(Permission.PUBLIC).json()
                .handler(this::enroll);
        routes.on(RouteRegistry.Listener.PUBLIC, HttpMethod.POST, OWN_CODES).permission(Permission.SELF).stepUp()
                .handler(this::issueOwnCode);
        // No body handler in the filter: the device check pauses the request until it passes, and each route
        // reads its body its own way (small JSON through a BodyHandler, uploads streamed with back-pressure).
        routes.filter(RouteRegistry.Listener.DEVICE, "/v1/*", this::requireActiveDevice);
        routes.on(RouteRegistry.Listener.DEVICE, HttpMethod.POST, RENEW).permission(Permission.ENROLLED_DEVICE).json()
                .handler(this::renew);
        routes.on(RouteRegistry.Listener.DEVICE, HttpMethod.GET, ME).permission(Permission.ENROLLED_DEVICE).handler(this::me);
    }

    void mountOps(Router router) {
        router.post("/admin/enrollment-codes").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::issueCode);
        router.post("/admin/devices/:id/revoke").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::revoke);
    }

    private void enroll(RoutingContext ctx) {
        JsonObject body = json(ctx);
        String code = body.getString("code");
        String csr = body.getString("csr");
        if (code == null || code.isBlank() || code.length() > 128 || csr == null) {
            ctx.fail(new WardlineHttpException(ErrorCode.BAD_REQUEST));
            return;
        }
        String name = text(body, "name", NAME, "device");
        String platform = text(body, "platform", PLATFORM, "unknown");
        UUID claimed = body.getString("userId") == null ? null : uuid(body.getString("userId"));
        Object kind = body.getValue("kind");
        if (kind != null && !"browser".equals(kind) && !"mtls".equals(kind)) {
            ctx.fail(new WardlineHttpException(ErrorCode.BAD_REQUEST));
            return;
        }
        enrollment.enroll(new DeviceEnrollment.Request(Secret.of(code), csr, name, platform, claimed, sourceIp(ctx),
                        "browser".equals(kind)))
                .onSuccess(issued -> respond(ctx, 201, issued))
                .onFailure(ctx::fail);
    }

    private void requireActiveDevice(RoutingContext ctx) {
        X509Certificate cert = peer(ctx);
        if (cert == null) {
            ctx.fail(new WardlineHttpException(ErrorCode.UNAUTHENTICATED));
            return;
        }
        ctx.request().pause();
        devices.ownerOf(org.wardline.server.pki.CertificateAuthority.serialHex(cert)).onSuccess(owner -> {
            if (owner.isPresent() && owner.get().browser()) {
                // A browser device proves possession with DPoP on the public listener only (ADR 0015).
                refuse(ctx, new WardlineHttpException(ErrorCode.DEVICE_NOT_ACTIVE));
                return;
            }
            if (owner.isPresent() && owner.get().wipePending()) {
                if (!ctx.normalizedPath().startsWith(WIPE_PATH)) {
                    refuse(ctx, new WardlineHttpException(ErrorCode.DEVICE_WIPE_PENDING));
                    return;
                }
                ctx.put(DEVICE_KEY, owner.get().device());
                ctx.next();
                return;
            }
            if (owner.isEmpty() || owner.get().device().revoked()
                    || (owner.get().stopsAt() != null && !owner.get().stopsAt().toInstant().isAfter(java.time.Instant.now()))) {
                refuse(ctx, new WardlineHttpException(ErrorCode.DEVICE_NOT_ACTIVE));
                return;
            }
            ctx.put(DEVICE_KEY, owner.get().device());
            ctx.next();
        }).onFailure(e -> refuse(ctx, e));
    }

    /** Fails the request and lets its unread body drain, so the connection is not left waiting. */
    private static void refuse(RoutingContext ctx, Throwable failure) {
        ctx.request().resume();
        ctx.fail(failure);
    }

    private void renew(RoutingContext ctx) {
        String csr = json(ctx).getString("csr");
        if (csr == null) {
            ctx.fail(new WardlineHttpException(ErrorCode.BAD_REQUEST));
            return;
        }
        renewal.renew(peer(ctx), csr, sourceIp(ctx)).onSuccess(issued -> respond(ctx, 201, issued)).onFailure(ctx::fail);
    }

    /** The device the request's certificate belongs to (set by the device check in front of /v1/*). */
    public static DeviceStore.Device device(RoutingContext ctx) {
        DeviceStore.Device d = ctx.get(DEVICE_KEY);
        if (d == null) {
            throw new WardlineHttpException(ErrorCode.DEVICE_NOT_ACTIVE);
        }
        return d;
    }

    private void me(RoutingContext ctx) {
        DeviceStore.Device d = ctx.get(DEVICE_KEY);
        ctx.json(new JsonObject().put("deviceId", d.id().toString()).put("userId", d.userId().toString())
                .put("name", d.name()).put("platform", d.platform()).put("enrolledAt", d.enrolledAt().toString())
                .put("notAfter", d.notAfter().toString()));
    }

    private void issueCode(RoutingContext ctx) {
        issueCodeFor(ctx, uuid(json(ctx).getString("userId")));
    }

    /** A signed-in user, with a second factor within the step-up window, enrolls a device of their own. */
    private void issueOwnCode(RoutingContext ctx) {
        issueCodeFor(ctx, org.wardline.server.rbac.Authorizer.principal(ctx).userId());
    }

    private void issueCodeFor(RoutingContext ctx, UUID user) {
        codes.issue(user).onSuccess(issued -> {
            enrollmentCodeIssued(user);
            ctx.response().setStatusCode(201);
            ctx.json(new JsonObject().put("userId", user.toString()).put("code", issued.code().reveal())
                    .put("expiresAt", issued.expiresAt().toString()));
        }).onFailure(ctx::fail);
    }

    private void enrollmentCodeIssued(UUID user) {
        audit.record(AuditSink.Action.ENROLLMENT_CODE_ISSUED, AuditSink.Outcome.SUCCESS, user, null, null,
                java.util.Map.of("via", "ops-listener"));
    }

    private void revoke(RoutingContext ctx) {
        UUID device = uuid(ctx.pathParam("id"));
        JsonObject body = ctx.body().length() <= 0 ? new JsonObject() : json(ctx);
        String reasonText = body.getString("reason", RevocationReason.ADMIN.dbValue());
        RevocationReason reason = RevocationReason.parse(reasonText);
        if (reason == null || reason == RevocationReason.SUPERSEDED) {
            ctx.fail(new WardlineHttpException(ErrorCode.BAD_REQUEST));
            return;
        }
        revocation.revoke(device, reason)
                .onSuccess(revoked -> ctx.json(new JsonObject().put("deviceId", device.toString()).put("revoked", revoked)))
                .onFailure(ctx::fail);
    }

    private void respond(RoutingContext ctx, int status, IssuedCertificate issued) {
        List<Object> chain = new ArrayList<>(issued.chainAfterLeaf());
        ctx.response().setStatusCode(status);
        ctx.json(new JsonObject()
                .put("userId", issued.userId().toString())
                .put("deviceId", issued.deviceId().toString())
                .put("certificate", Pem.encode(issued.certificate()))
                .put("chain", Pem.encode(chain.toArray()))
                .put("caCertificate", Pem.encode(issued.root()))
                .put("notAfter", issued.certificate().getNotAfter().toInstant().toString())
                .put("deviceUrl", deviceUrl.get()));
    }

    private static JsonObject json(RoutingContext ctx) {
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
            }
            return body;
        } catch (DecodeException | ClassCastException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }

    private static String text(JsonObject body, String field, Pattern allowed, String fallback) {
        Object value = body.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s) || !allowed.matcher(s).matches()) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
        return s;
    }

    private static UUID uuid(String s) {
        try {
            if (s == null) {
                throw new IllegalArgumentException();
            }
            UUID u = UUID.fromString(s);
            if (!u.toString().equals(s.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.BAD_REQUEST);
        }
    }

    private static X509Certificate peer(RoutingContext ctx) {
        try {
            var chain = ctx.request().connection().peerCertificates();
            return chain.isEmpty() ? null : (X509Certificate) chain.get(0);
        } catch (javax.net.ssl.SSLPeerUnverifiedException | RuntimeException e) {
            return null;
        }
    }

    private static String sourceIp(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    }
}
