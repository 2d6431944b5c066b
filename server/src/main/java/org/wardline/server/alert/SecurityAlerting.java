package org.wardline.server.alert;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.UserStore;
import org.wardline.server.config.WardlineConfig;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.alert.AlertEngine;
import org.wardline.storage.audit.alert.AuditAlertFeed;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert rules over the audit stream, wired: an {@link AuditAlertFeed} read every {@code alerts.pollMillis},
 * and at once after a break-glass entry is written; alerts go to the security officer by e-mail (the console in
 * dev mode) and webhook. The feed starts at the trail's end when the node starts and keeps its position in
 * memory. Only the node holding a PostgreSQL advisory lock reads the trail, so a cluster raises no alert twice;
 * a node that takes over after the holder goes away starts from the trail's end at that moment.
 */
public final class SecurityAlerting {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityAlerting.class);
    private static final int BATCH = 500;
    /** The advisory-lock key of the alert feed ("WLALERTS"). */
    static final long LOCK_KEY = 0x574c414c45525453L;

    private final Vertx vertx;
    private final Context context;
    private AuditAlertFeed feed;
    private final Duration pollInterval;
    private final Pool pool;
    private final AuditLog audit;
    private final AlertEngine engine;
    private io.vertx.sqlclient.SqlConnection lockHolder;
    private boolean everHeld;
    private boolean polling;
    private boolean again;
    private long timer = -1;

    private SecurityAlerting(Vertx vertx, AuditAlertFeed feed, Duration pollInterval, Pool pool, AuditLog audit,
                             AlertEngine engine) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.feed = feed;
        this.pollInterval = pollInterval;
        this.pool = pool;
        this.audit = audit;
        this.engine = engine;
    }

    /** Builds the engine and its channels; the feed starts after the last entry already in the trail. Blocks: call it at start-up. */
    public static SecurityAlerting create(Vertx vertx, WardlineConfig config, AuditLog audit, Pool pool, Clock clock) {
        WardlineConfig.Alerts alerts = config.alerts();
        List<AlertDelivery.Route> routes = new ArrayList<>();
        if (alerts.email()) {
            AlertChannel mail = config.mail().console() ? new ConsoleAlertChannel()
                    : new EmailAlertChannel(vertx, config.mail(), new UserStore(pool), alerts.emailRecipients());
            routes.add(new AlertDelivery.Route(mail, 3, Duration.ofSeconds(2)));
        }
        if (alerts.webhook() != null) {
            routes.add(new AlertDelivery.Route(new WebhookAlertChannel(vertx, alerts.webhook(), clock),
                    alerts.webhook().maxAttempts(), alerts.webhook().firstRetry()));
        }
        if (routes.isEmpty()) {
            LOG.warn("security alerts have no delivery channel (alerts.email.enabled is false and no alerts.webhook): "
                    + "they are only logged");
        }
        AlertEngine engine = AlertEngine.fromConfig(alerts.rules(), new AlertDelivery(vertx, routes, audit));
        long last = await(pool.query("SELECT coalesce(max(seq), 0) AS last FROM audit_entries").execute()
                .map(rows -> rows.iterator().next().getLong("last")));
        return new SecurityAlerting(vertx, new AuditAlertFeed(audit, engine, last, BATCH), alerts.pollInterval(), pool, audit,
                engine);
    }

    /** Starts the periodic reading of the trail. */
    public void start() {
        context.runOnContext(v -> timer = vertx.setPeriodic(pollInterval.toMillis(), id -> poll()));
    }

    public void stop() {
        context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            if (lockHolder != null) {
                lockHolder.close();
            }
        });
    }

    /** Connected to the account audit: an entry that must alert at once (break-glass) is read as soon as it is written. */
    public void written(AccountEvent event) {
        if (event.type() == AccountEvent.Type.BREAK_GLASS_STARTED) {
            context.runOnContext(v -> poll());
        }
    }

    /** Reads the trail to its end now, as the periodic timer does (for an operator, or a test that cannot wait for the timer). */
    public void pollNow() {
        context.runOnContext(v -> poll());
    }

    /** Reads the trail to its end; a request during a read runs another read after it. */
    private void poll() {
        if (polling) {
            again = true;
            return;
        }
        polling = true;
        holdLock().compose(mine -> mine ? feed.drain() : Future.succeededFuture(List.of())).onComplete(done -> {
            if (done.failed()) {
                LOG.atError().addKeyValue("errorType", done.cause().getClass().getSimpleName()).log("alert rules could not read the audit trail");
            }
            polling = false;
            if (again) {
                again = false;
                poll();
            }
        });
    }

    /** True while this node holds the feed's advisory lock (on a connection of its own, kept open). */
    private Future<Boolean> holdLock() {
        if (lockHolder != null) {
            return Future.succeededFuture(true);
        }
        return pool.getConnection().compose(conn -> conn.query("SELECT pg_try_advisory_lock(" + LOCK_KEY + ") AS held").execute()
                .compose(rows -> {
                    if (!rows.iterator().next().getBoolean("held")) {
                        return conn.close().map(false);
                    }
                    lockHolder = conn;
                    conn.closeHandler(v -> context.runOnContext(x -> lockHolder = null));
                    if (!everHeld) {
                        everHeld = true;
                        return Future.succeededFuture(true);
                    }
                    // A takeover: the previous holder alerted up to somewhere unknown; start from the end now.
                    return pool.query("SELECT coalesce(max(seq), 0) AS last FROM audit_entries").execute().map(r -> {
                        feed = new AuditAlertFeed(audit, engine, r.iterator().next().getLong("last"), BATCH);
                        return true;
                    });
                }));
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the end of the audit trail for the alert rules", e);
        }
    }
}
