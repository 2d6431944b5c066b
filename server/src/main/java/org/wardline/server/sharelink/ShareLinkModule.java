package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.wardline.server.rbac.RouteRegistry;
import io.vertx.sqlclient.Pool;
import org.wardline.dlp.inspect.DlpInspector;
import org.wardline.dlp.policy.DlpPolicy;
import org.wardline.server.ApiModule;
import org.wardline.server.account.UserStore;
import org.wardline.server.config.WardlineConfig;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.object.ObjectCatalog;
import org.wardline.storage.object.ObjectLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Expiring single-recipient share links: the owner's API on the device listener, the patient page on the public
 * listener. {@link #shareLinks()} is the service other modules call (offboarding: {@code revokeAllFor}).
 */
public final class ShareLinkModule implements ApiModule {
    static final int FAILURES_PER_SOURCE = 20;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);

    static final Duration PURGE_INTERVAL = Duration.ofMinutes(30);

    private final Vertx vertx;
    private final ShareLinkStore store;
    private final ShareLinks shareLinks;
    private final OwnerRoutes owner;
    private final PatientRoutes patient;
    private final AttemptLimiter limiter;

    public ShareLinkModule(Vertx vertx, Pool pool, ObjectCatalog catalog, ObjectLifecycle lifecycle,
                           Optional<DlpInspector> inspector, DlpPolicy policy, AuditLog auditLog, WardlineConfig config,
                           ContactSealing contacts, UserStore users) {
        Clock clock = Clock.systemUTC();
        this.vertx = vertx;
        this.store = new ShareLinkStore(pool, contacts);
        ShareLinkAudit audit = new ShareLinkAudit(auditLog);
        this.shareLinks = new ShareLinks(store, catalog, audit,
                new ExternalSharePolicy(vertx, inspector, policy, lifecycle), config.publicUrl(), clock,
                new org.wardline.server.delivery.ConversationFreezes(pool));
        this.owner = new OwnerRoutes(shareLinks, clock);
        this.limiter = new AttemptLimiter(pool, FAILURES_PER_SOURCE, FAILURE_WINDOW, clock);
        RecipientVerification verification = new RecipientVerification(store, catalog,
                CodeSender.from(vertx, config.mail(), config.branding().organisation()), limiter,
                audit, new OwnerNotice(vertx, config.mail(), users), users, clock);
        this.patient = new PatientRoutes(vertx, store, catalog, lifecycle, verification, audit,
                ShareBranding.of(config.branding()), clock);
    }

    public ShareLinks shareLinks() {
        return shareLinks;
    }

    /** Expired sessions and codes are purged periodically; links themselves stay as the owner's record. */
    @Override
    public Future<Void> start() {
        vertx.setPeriodic(PURGE_INTERVAL.toMillis(), id -> store.purgeExpired().compose(n -> limiter.purge()));
        return store.purgeExpired().mapEmpty();
    }

    @Override
    public void mount(RouteRegistry routes) {
        patient.mount(routes);
        owner.mount(routes);
    }
}
