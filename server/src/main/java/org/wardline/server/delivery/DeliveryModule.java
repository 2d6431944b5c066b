package org.wardline.server.delivery;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.ApiModule;
import org.wardline.server.http.WardlineHttpException;

import java.util.Optional;

/**
 * Messaging on the device listener: {@code GET /v1/ws} upgraded to the WebSocket of protocol/PROTOCOL.md. The
 * device is the URI SAN of its (already verified) client certificate; the upgrade also needs a session bound to
 * that device (Authorization: Bearer) whose roles grant MESSAGE_SEND, and the socket is closed when it ends.
 * Each frame is then authorized as its {@link FrameOperations} operation against the principal of the upgrade,
 * refreshed on this node's role and training changes ({@link #refreshingAccountsFrom}); disabling or signing out
 * closes the connection. Also runs the expiry sweep that deletes disappearing messages' ciphertext.
 *
 * <p>With {@link #admittingBrowsers}, the same socket on the public listener for browser devices, which prove their
 * key with DPoP instead of a client certificate (ADR 0015, ADR 0015s): the upgrade carries its token and proof as
 * subprotocols ({@link org.wardline.server.auth.dpop.WebSocketCredentials}), passes the same checks as any request,
 * and the device's certificate's revocation or wipe closes the socket as it closes a device-listener connection.
 */
public final class DeliveryModule implements ApiModule {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryModule.class);
    public static final String PATH = "/v1/ws";

    private final Vertx vertx;
    private final DeliveryService service;
    private final InboxStore inbox;
    private final DeliverySettings settings;
    private FrameOperations frameOperations;
    private org.wardline.server.device.DeviceConnections browserConnections;
    /** Open connections' guards by user, for account refreshes; closed sockets are pruned as they are met. */
    private final java.util.Map<java.util.UUID, java.util.Map<io.vertx.core.http.ServerWebSocket, FrameOperations.FrameGuard>>
            guardsByUser = new java.util.concurrent.ConcurrentHashMap<>();

    public DeliveryModule(Vertx vertx, Pool pool, MembershipPolicy policy, DeliverySettings settings) {
        this(vertx, pool, policy, settings, null);
    }

    /** With {@code externalRemovals}, conversations may name the server as MLS external sender (ADR 0006). */
    public DeliveryModule(Vertx vertx, Pool pool, MembershipPolicy policy, DeliverySettings settings,
                          ExternalRemovalIssuer externalRemovals) {
        this.vertx = vertx;
        this.settings = settings;
        this.inbox = new InboxStore(pool);
        this.service = new DeliveryService(vertx, new ConversationStore(pool), new KeyPackageStore(pool), policy, settings)
                .withExternalRemovals(externalRemovals);
        LOG.atInfo().addKeyValue("membershipPolicy", policy.name()).log("messaging membership policy");
        vertx.setPeriodic(settings.expirySweep().toMillis(), id -> inbox.deleteExpired()
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.atInfo().addKeyValue("messages", n).log("expired messages deleted");
                    }
                })
                .onFailure(e -> LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("expiry sweep failed")));
    }

    /** Event-bus address (published, so every node of a cluster hears it) of a user whose roles or training changed. */
    static final String ACCOUNT_CHANGED = "wardline.delivery.account-changed";

    /**
     * Applies role and training changes recorded on {@code events} (this node's account events) to the user's open
     * connections on every node, from their next frame: the change is published on the event bus and each node
     * reloads the account for the connections it holds. Without it, a connection keeps the roles of its upgrade.
     */
    public DeliveryModule refreshingAccountsFrom(org.wardline.server.account.UserStore users,
                                                 org.wardline.server.account.AccountEventBus events) {
        events.connect(e -> {
            if ((e.type() == org.wardline.server.account.AccountEvent.Type.ROLES_CHANGED
                    || e.type() == org.wardline.server.account.AccountEvent.Type.TRAINING_RECORDED)
                    && "user".equals(e.objectType()) && e.objectId() != null) {
                vertx.eventBus().publish(ACCOUNT_CHANGED, e.objectId());
            }
        });
        vertx.eventBus().<String>consumer(ACCOUNT_CHANGED, m -> {
            java.util.UUID user = java.util.UUID.fromString(m.body());
            if (guardsByUser.containsKey(user)) {
                users.byId(user).onSuccess(u -> u.ifPresent(found -> guardsByUser.getOrDefault(user, java.util.Map.of())
                        .values().forEach(g -> g.update(found))))
                        .onFailure(x -> LOG.atWarn().addKeyValue("errorType", x.getClass().getSimpleName())
                                .log("could not refresh a connected account"));
            }
        });
        return this;
    }

    /**
     * Offers the socket to browser devices on the public listener too; their connections are held to their
     * certificate in {@code connections}, so revocation and wipe close them.
     */
    public DeliveryModule admittingBrowsers(org.wardline.server.device.DeviceConnections connections) {
        this.browserConnections = connections;
        return this;
    }

    @Override
    public void mount(org.wardline.server.rbac.RouteRegistry routes) {
        routes.on(org.wardline.server.rbac.RouteRegistry.Listener.DEVICE, io.vertx.core.http.HttpMethod.GET, PATH)
                .permission(org.wardline.server.rbac.Permission.MESSAGE_SEND).handler(this::upgrade);
        if (browserConnections != null) {
            routes.on(org.wardline.server.rbac.RouteRegistry.Listener.PUBLIC, io.vertx.core.http.HttpMethod.GET, PATH)
                    .permission(org.wardline.server.rbac.Permission.MESSAGE_SEND).handler(this::upgradeBrowser);
        }
        frameOperations = FrameOperations.declare(routes);
    }

    private void upgrade(RoutingContext ctx) {
        Optional<DeviceUri> device;
        try {
            device = DeviceCertificates.deviceOf(ctx.request().connection().peerCertificates());
        } catch (Exception e) {
            device = Optional.empty();
        }
        if (device.isEmpty()) {
            ctx.fail(new WardlineHttpException(org.wardline.protocol.ErrorCode.FORBIDDEN));
            return;
        }
        open(ctx, device.get(), null);
    }

    /** The public listener's upgrade: the browser device whose DPoP proof the request carried, nothing else. */
    private void upgradeBrowser(RoutingContext ctx) {
        org.wardline.server.auth.dpop.BrowserDevice browser = org.wardline.server.auth.dpop.BrowserDevice.of(ctx);
        if (browser == null) { // signed in, but not from an enrolled browser device: enroll this browser first
            ctx.fail(new WardlineHttpException(org.wardline.protocol.ErrorCode.DEVICE_NOT_ACTIVE));
            return;
        }
        open(ctx, DeviceUri.of(browser.identity().userId(), browser.identity().deviceId()), browser.serial());
    }

    /** Upgrades and starts the device's session; {@code browserSerial} holds a browser's socket to its certificate. */
    private void open(RoutingContext ctx, DeviceUri d, String browserSerial) {
        var remote = ctx.request().remoteAddress();
        FrameOperations.FrameGuard guard = frameOperations.guard(org.wardline.server.rbac.Authorizer.principal(ctx),
                remote == null ? null : remote.hostAddress(), org.wardline.server.http.RequestIds.of(ctx));
        if (browserSerial != null) {
            ctx.request().resume(); // BrowserDeviceProofs paused it while it looked the key up
        }
        ctx.request().toWebSocket()
                .onSuccess(ws -> {
                    new DeviceSession(ws, d, service, inbox, settings, guard).start();
                    track(guard, ws);
                    org.wardline.server.auth.SessionConnections.hold(ctx, ws);
                    if (browserSerial != null) {
                        browserConnections.holdBrowser(browserSerial, ctx.request().connection());
                    }
                })
                .onFailure(e -> {
                    LOG.atDebug().addKeyValue("errorType", e.getClass().getSimpleName()).log("websocket upgrade failed");
                    if (!ctx.response().ended() && !ctx.response().headWritten()) {
                        ctx.fail(new WardlineHttpException(org.wardline.protocol.ErrorCode.BAD_REQUEST));
                    }
                });
    }

    private void track(FrameOperations.FrameGuard guard, io.vertx.core.http.ServerWebSocket ws) {
        var mine = guardsByUser.computeIfAbsent(guard.userId(), k -> new java.util.concurrent.ConcurrentHashMap<>());
        mine.keySet().removeIf(io.vertx.core.http.ServerWebSocket::isClosed);
        mine.put(ws, guard);
    }
}
