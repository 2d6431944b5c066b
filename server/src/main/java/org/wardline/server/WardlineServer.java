package org.wardline.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.embedded.ClamdProcess;
import org.wardline.server.attachment.AttachmentRoutes;
import org.wardline.server.attachment.AttachmentStore;
import org.wardline.server.audit.AccountAudit;
import org.wardline.server.cluster.ClusterNode;
import org.wardline.server.cluster.SharedKeys;
import org.wardline.server.audit.AuditKeys;
import org.wardline.server.audit.DeviceAudit;
import org.wardline.server.config.WardlineConfig;
import org.wardline.server.device.DeviceModule;
import org.wardline.server.auth.dpop.BrowserDeviceProofs;
import org.wardline.server.auth.dpop.DpopProofs;
import org.wardline.server.device.DeviceStore;
import org.wardline.server.delivery.DeliveryModule;
import org.wardline.server.delivery.DeliverySettings;
import org.wardline.server.delivery.DeviceRemoval;
import org.wardline.server.delivery.ExternalRemovalIssuer;
import org.wardline.server.mls.ExternalSenderKeystore;
import org.wardline.server.mls.ExternalSenderModule;
import org.wardline.protocol.mls.ExternalSenderSigner;
import org.wardline.server.delivery.CareTeamMembershipPolicy;
import org.wardline.server.delivery.ConversationFreezes;
import org.wardline.server.delivery.FrozenConversationPolicy;
import org.wardline.server.custodian.CustodianMembershipPolicy;
import org.wardline.server.custodian.RecordsCustodians;
import org.wardline.server.account.AccountEventBus;
import org.wardline.server.account.SecurityAlerts;
import org.wardline.server.alert.SecurityAlerting;
import org.wardline.server.account.UserStore;
import org.wardline.server.auth.AccessControl;
import org.wardline.server.rbac.AccessGrants;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.server.health.CommitDurability;
import org.wardline.server.health.DependencyCheck;
import org.wardline.server.health.HealthRoutes;
import org.wardline.server.http.AccessLog;
import org.wardline.server.http.ConnectionClosure;
import org.wardline.server.http.FailureHandler;
import org.wardline.server.http.ListenerInstances;
import org.wardline.server.http.HeadRequests;
import org.wardline.server.http.RequestIds;
import org.wardline.server.http.SecurityHeaders;
import org.wardline.server.pki.CertificateAuthority;
import org.wardline.server.pki.PkiModule;
import org.wardline.server.sharelink.ShareLinkModule;
import org.wardline.server.tls.TlsOptions;
import org.wardline.server.wipe.WipeModule;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditLogConfig;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.blob.S3BlobStore;
import org.wardline.storage.db.Database;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: builds every part of a Wardline node from its configuration, opens the three
 * listeners (public: server TLS; device: mutual TLS; ops: loopback HTTP for metrics) and closes them in
 * order, letting in-flight requests finish.
 */
public final class WardlineServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WardlineServer.class);
    /**
     * Every event loop is asked to answer each second; one silent for 5 s (a blocked loop, or one that died: the
     * attack trial of issue 19 saw one die) makes /health/ready 503 and logs an error. 5 s, not the soak's 2 s: a
     * full collection of a large heap may hold every loop for a second or two.
     */
    private static final Duration WATCHDOG_INTERVAL = Duration.ofSeconds(1);
    private static final Duration WATCHDOG_STALL = Duration.ofSeconds(5);
    private org.wardline.server.health.EventLoopWatchdog watchdog;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    static final AuditAction SYSTEM_STARTED = new AuditAction("system.started");

    private final WardlineConfig config;
    private final Vertx vertx;
    private final CertificateAuthority ca;
    private final Database database;
    private final S3BlobStore s3;
    private final AuditLog audit;
    private final Files files;
    private final AccessControl access;
    private RouteRegistry routes;
    private DpopProofs dpopProofs;
    private SecurityAlerting alerting;
    private ExternalSenderSigner externalSender;
    private final List<HttpServer> servers = new ArrayList<>();
    private List<ApiModule> modules = List.of();
    private HttpServer publicServer;
    private HttpServer deviceServer;
    private HttpServer opsServer;

    private WardlineServer(WardlineConfig config, Vertx vertx, CertificateAuthority ca, Database database, S3BlobStore s3,
                           AuditLog audit, Files files, AccessControl access) {
        this.config = config;
        this.files = files;
        this.vertx = vertx;
        this.ca = ca;
        this.database = database;
        this.s3 = s3;
        this.audit = audit;
        this.access = access;
    }

    /** Starts a node; blocks the calling thread (never an event loop) until every listener is open. */
    public static WardlineServer start(WardlineConfig config) {
        VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME))
                .setJvmMetricsEnabled(true)
                .setEnabled(true));
        Vertx vertx = config.cluster().enabled()
                ? await(ClusterNode.start(options, config.cluster(), config.tls()), "the cluster member on "
                        + config.cluster().host() + ":" + config.cluster().port())
                : Vertx.vertx(options);
        WardlineServer server = null;
        try {
            CertificateAuthority ca = CertificateAuthority.loadOrCreate(config.pki().directory(), config.pki().passphrase(), "Wardline");
            Database database = Database.open(vertx, Storage.databaseSettings(config.database()));
            await(CommitDurability.warnIfAsynchronous(database), "the commit durability check");
            S3BlobStore s3 = Storage.s3Store(config.s3());
            s3.ensureBuckets();
            AuditLog audit = new AuditLog(database.pool(),
                    AuditKeys.loadOrCreate(config.pki().directory(), config.pki().passphrase()), AuditLogConfig.DEFAULT);
            Files files = Files.create(config, database, s3);
            UserStore users = new UserStore(database.pool(), files.accountEmails());
            int sealedEmails = await(users.sealLegacyEmails(), "sealing the accounts' e-mail addresses");
            if (sealedEmails > 0) {
                LOG.atInfo().addKeyValue("rows", sealedEmails).log("sealed account e-mail addresses stored before encryption");
            }
            SecurityAlerting alerting = SecurityAlerting.create(vertx, config, audit, database.pool(), users,
                    java.time.Clock.systemUTC());
            AccessControl access = AccessControl.create(config, vertx, database.pool(), users,
                    new AccountEventBus(new AccountAudit(audit, alerting::written)), new AccountEventBus(SecurityAlerts.LOG::raise),
                    java.time.Clock.systemUTC());
            ExternalSenderSigner externalSender = ExternalSenderKeystore.loadOrCreate(config.pki().directory(), config.pki().passphrase());
            if (config.cluster().enabled()) {
                await(SharedKeys.ofNode(config, ca, access.keys())
                        .withPublic("mls.external-sender", externalSender.key().encoded()).verify(database.pool()), "the shared-key check");
            }
            server = new WardlineServer(config, vertx, ca, database, s3, audit, files, access);
            server.alerting = alerting;
            server.externalSender = externalSender;
            await(alerting.start(), "the alert feed");
            server.listen();
            await(audit.record(AuditEvent.builder(SYSTEM_STARTED, AuditOutcome.SUCCESS).build()), "the audit trail");
            vertx.setPeriodic(AuditLogConfig.DEFAULT.checkpointInterval().toMillis(), id -> audit.checkpoint());
            return server;
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            } else {
                vertx.close();
            }
            throw e;
        }
    }

    /** The feature modules, each given what it needs; add a module here and nowhere else. */
    private List<ApiModule> modules() {
        DeviceStore devices = new DeviceStore(database.pool());
        PkiModule pki = new PkiModule(vertx, ca, config, devices::stoppedCertificates);
        AttachmentStore attachments = new AttachmentStore(database.pool());
        ConversationFreezes freezes = new ConversationFreezes(database.pool());
        ExternalRemovalIssuer externalRemovals = new ExternalRemovalIssuer(vertx, database.pool(), externalSender);
        List<ApiModule> all = new ArrayList<>(access.modules());
        DeviceModule device = new DeviceModule(vertx, ca, config, devices, pki.revocationList(), new DeviceAudit(audit));
        ShareLinkModule shareLinks = new ShareLinkModule(vertx, database.pool(), files.catalog(), files.lifecycle(),
                files.inspector(), files.policy(), audit, config, files.contacts(), access.users());
        all.addAll(List.of(pki, device,
                files.routes(vertx, audit, config, attachments, database.pool()),
                new AttachmentRoutes(attachments, files.catalog(), audit, freezes),
                new DeliveryModule(vertx, database.pool(), new CustodianMembershipPolicy(new FrozenConversationPolicy(
                        new CareTeamMembershipPolicy(access.users(), new AccessGrants(database.pool()), access.events(),
                                java.time.Clock.systemUTC()), freezes, access.events()),
                        new RecordsCustodians(database.pool()), access.events(), audit),
                        DeliverySettings.of(config.delivery()), externalRemovals).refreshingAccountsFrom(access.users(), access.events())
                        .admittingBrowsers(device.connections()),
                shareLinks));
        WipeModule wipe = new WipeModule(vertx, database.pool(), devices, device.connections(), audit,
                new DeviceRemoval(vertx, database.pool(), externalRemovals));
        all.add(wipe);
        all.add(new ExternalSenderModule(externalSender));
        all.add(new org.wardline.server.webapp.WebAppRoutes());
        all.add(new org.wardline.server.webapp.ConsoleRoutes());
        all.add(new org.wardline.server.upload.AbandonedUploads(vertx, files.lifecycle(), audit,
                new org.wardline.server.cluster.SingleNodeJob(database.pool(), org.wardline.server.upload.AbandonedUploads.LOCK_KEY),
                config.uploads().abandonedAfter()));
        all.add(new org.wardline.server.admin.DeviceDirectoryRoutes(database.pool(), device.enrollmentCodes(),
                new org.wardline.server.admin.AdminAudit(audit)));
        all.add(new org.wardline.server.directory.UserDirectoryRoutes(database.pool(),
                new org.wardline.server.admin.AdminAudit(audit)));
        all.add(new org.wardline.server.directory.ColleagueNameRoutes(database.pool(),
                new org.wardline.server.admin.AdminAudit(audit)));
        all.add(new org.wardline.server.alert.AlertRoutes(new org.wardline.server.alert.AlertInbox(database.pool()),
                new org.wardline.server.admin.AdminAudit(audit)));
        all.add(Administration.module(vertx, config, database, files.catalog(), files.lifecycle(), s3, audit,
                access, device.revocation(), shareLinks.shareLinks(), files.contacts()));
        all.add(IncidentResponse.module(vertx, config, database.pool(), access, device.revocation(), wipe, shareLinks.shareLinks(),
                files.systemUploads(vertx, audit), audit, java.time.Clock.systemUTC()));
        all.add(new org.wardline.server.backup.ScheduledBackups(vertx, config, database.pool(), audit,
                java.time.Clock.systemUTC()));
        all.add(Administration.auditVerification(vertx, config, database, audit));
        return all;
    }

    private void listen() {
        watchdog = org.wardline.server.health.EventLoopWatchdog.start(vertx, WATCHDOG_INTERVAL, WATCHDOG_STALL).withMetrics();
        List<org.wardline.server.health.DependencyCheck> checks = new ArrayList<>(dependencyChecks());
        checks.add(watchdog.readinessCheck());
        HealthRoutes health = new HealthRoutes(vertx, checks);
        Router publicRouter = baseRouter("public");
        health.mount(publicRouter);

        Router deviceRouter = baseRouter("device");
        health.mount(deviceRouter);

        Router opsRouter = baseRouter("ops");
        health.mount(opsRouter);
        opsRouter.get("/metrics").handler(PrometheusScrapingHandler.create());

        routes = access.routes(publicRouter, deviceRouter);
        // Before every module's routes: a request with a DPoP proof comes from a browser device (ADR 0015).
        dpopProofs = new DpopProofs(config.publicUrl());
        routes.filter(RouteRegistry.Listener.PUBLIC, "/v1/*", new org.wardline.server.auth.dpop.WebSocketCredentials(
                DeliveryModule.PATH, org.wardline.server.auth.dpop.WebSocketCredentials.originOf(config.publicUrl())));
        routes.filter(RouteRegistry.Listener.PUBLIC, "/v1/*", new BrowserDeviceProofs(dpopProofs,
                new DeviceStore(database.pool()), access.events(), java.time.Clock.systemUTC()));
        modules = modules();
        for (ApiModule module : modules) {
            module.mount(routes);
            module.mountPublic(publicRouter);
            module.mountDevice(deviceRouter);
            module.mountOps(opsRouter);
        }
        for (RouteRegistry.Listener l : RouteRegistry.Listener.values()) {
            routes.undeclared(l).forEach(r -> LOG.atError().addKeyValue("route", r)
                    .log("route mounted without a declared permission (declare it through RouteRegistry)"));
        }

        publicServer = open(publicRouter, TlsOptions.publicListener(config.publicListener(), config.tls()), "public");
        deviceServer = openShared(deviceRouter, TlsOptions.deviceListener(config.deviceListener(), config.tls(),
                config.pki().directory().resolve("root-ca.crt")), "device",
                ListenerInstances.count(config.delivery().listenerInstances()));
        opsServer = open(opsRouter, new HttpServerOptions().setHost(config.opsListener().host())
                .setPort(config.opsListener().port()), "ops");
        for (ApiModule module : modules) {
            await(module.start(), module.getClass().getSimpleName());
        }
        LOG.atInfo().addKeyValue("tlsEngine", TlsOptions.engineName(TlsOptions.engine(config.tls().engine())))
                .addKeyValue("publicPort", publicPort()).addKeyValue("devicePort", devicePort())
                .addKeyValue("opsPort", opsPort()).log("listening");
    }

    private List<DependencyCheck> dependencyChecks() {
        List<DependencyCheck> checks = new ArrayList<>();
        checks.add(new DependencyCheck("postgresql", database::ping));
        if (config.cluster().enabled()) {
            checks.add(ClusterNode.healthCheck(vertx));
        }
        checks.add(new DependencyCheck("s3", () -> vertx.executeBlocking(() -> {
            s3.checkReady();
            return null;
        }, false)));
        WardlineConfig.Malware malware = config.malware();
        if (malware.host() != null) {
            checks.add(new DependencyCheck("clamd", () -> vertx.executeBlocking(() -> {
                if (!ClamdProcess.ping(malware.host(), malware.port(), Duration.ofSeconds(2))) {
                    throw new IllegalStateException("clamd at " + malware.host() + ":" + malware.port() + " does not answer PING");
                }
                return null;
            }, false)));
        }
        return checks;
    }

    private Router baseRouter(String listener) {
        Router router = Router.router(vertx);
        router.route().handler(new HeadRequests());
        router.route().handler(new RequestIds());
        router.route().handler(new ConnectionClosure());
        router.route().handler(new AccessLog(listener));
        router.route().handler(new SecurityHeaders());
        router.route().last().handler(ctx -> ctx.fail(new HttpException(404)));
        router.route().failureHandler(new FailureHandler());
        return router;
    }

    private HttpServer open(Router router, HttpServerOptions options, String name) {
        HttpServer server = vertx.createHttpServer(options).requestHandler(request -> router.handle(HeadRequests.forRouter(request)));
        modules.forEach(m -> m.configureListener(name, server, options));
        synchronized (servers) {
            servers.add(server);
        }
        await(server.listen(), name + " listener on " + options.getHost() + ":" + options.getPort());
        return server;
    }

    /** A listener served by {@code instances} event loops ({@link ListenerInstances}); answers the first server. */
    private HttpServer openShared(Router router, HttpServerOptions options, String name, int instances) {
        List<HttpServer> opened = await(ListenerInstances.deploy(vertx, router, options, instances, server -> {
            modules.forEach(m -> m.configureListener(name, server, options));
            synchronized (servers) {
                servers.add(server);
            }
        }), name + " listener on " + options.getHost() + ":" + options.getPort());
        LOG.atInfo().addKeyValue("listener", name).addKeyValue("eventLoops", opened.size()).log("listener instances");
        return opened.get(0);
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not start " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out starting " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted starting " + what, e);
        }
    }

    public int publicPort() {
        return publicServer.actualPort();
    }

    public int devicePort() {
        return deviceServer.actualPort();
    }

    public int opsPort() {
        return opsServer.actualPort();
    }

    public CertificateAuthority certificateAuthority() {
        return ca;
    }

    public Database database() {
        return database;
    }

    public AuditLog audit() {
        return audit;
    }

    /** The feature module of this type (for tests and for modules that call each other's services). */
    public <T extends ApiModule> T module(Class<T> type) {
        return modules.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no module " + type.getSimpleName()));
    }

    /** Every declared route and its permission, and the check for undeclared ones. */
    public RouteRegistry routes() {
        return routes;
    }

    /** The alert rules over the audit trail and their delivery to the security officer. */
    public SecurityAlerting alerting() {
        return alerting;
    }

    public AccessControl accessControl() {
        return access;
    }

    public Vertx vertx() {
        return vertx;
    }

    public WardlineConfig config() {
        return config;
    }

    /** Stops accepting connections, lets in-flight requests finish (up to the grace period), then closes. */
    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.close();
        }
        List<Future<Void>> shutdowns = new ArrayList<>();
        for (HttpServer s : List.copyOf(servers)) {
            shutdowns.add(s.shutdown(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS));
        }
        try {
            Future.join(shutdowns).toCompletionStage().toCompletableFuture()
                    .get(SHUTDOWN_GRACE.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("listeners did not shut down cleanly");
        }
        if (dpopProofs != null) {
            dpopProofs.close();
        }
        if (database != null) {
            database.close();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("vert.x did not close cleanly");
        }
    }
}
