package org.wardline.server.alert;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.UserStore;
import org.wardline.server.config.WardlineConfig;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.alert.Alert;
import org.wardline.storage.audit.alert.AlertEngine;
import org.wardline.storage.audit.alert.AuditAlertFeed;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert rules over the audit stream, wired: an {@link AuditAlertFeed} read every {@code alerts.pollMillis},
 * and at once after a break-glass entry is written; alerts go to the security officer by e-mail (the console in
 * dev mode) and webhook. Only the node holding a PostgreSQL advisory lock reads the trail, so a cluster raises no
 * alert twice. The position read to is stored after every read ({@code alert_feed_position}); a node that takes the
 * feed over, or a restarted one, reads on from there, so nothing written in between goes unread. The first start of
 * an installation begins at the trail's end.
 */
public final class SecurityAlerting {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityAlerting.class);
    private static final int BATCH = 500;
    /** The advisory-lock key of the alert feed ("WLALERTS"). */
    static final long LOCK_KEY = 0x574c414c45525453L;
    /** The stored position, or (first start of an installation) the trail's end, which is then stored. */
    private static final String RESUME_POSITION = """
            WITH stored AS (
                INSERT INTO alert_feed_position (last_seq)
                SELECT coalesce(max(seq), 0) FROM audit_entries
                ON CONFLICT (singleton) DO NOTHING RETURNING last_seq)
            SELECT last_seq FROM stored UNION ALL SELECT last_seq FROM alert_feed_position""";

    private final Vertx vertx;
    private final Context context;
    private volatile AuditAlertFeed feed;
    private final Duration pollInterval;
    private final Pool pool;
    private final AuditLog audit;
    private final AlertEngine engine;
    private volatile SqlConnection lockHolder;
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

    /** Builds the engine and its channels; the feed is positioned when this node first takes the feed's lock. */
    public static SecurityAlerting create(Vertx vertx, WardlineConfig config, AuditLog audit, Pool pool, UserStore users,
                                          Clock clock) {
        WardlineConfig.Alerts alerts = config.alerts();
        List<AlertDelivery.Route> routes = new ArrayList<>();
        if (alerts.email()) {
            AlertChannel mail = config.mail().console() ? new ConsoleAlertChannel()
                    : new EmailAlertChannel(vertx, config.mail(), users, alerts.emailRecipients());
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
        routes.add(new AlertDelivery.Route(new AlertInbox(pool), 5, Duration.ofSeconds(1)));
        AlertEngine engine = AlertEngine.fromConfig(alerts.rules(), new AlertDelivery(vertx, routes, audit));
        return new SecurityAlerting(vertx, null, alerts.pollInterval(), pool, audit, engine);
    }

    /**
     * Takes the feed if no other node holds it, which on the first start of an installation stores the trail's end
     * as the position, then starts the periodic reading. Await it before the server takes requests: an entry written
     * before the position is stored would otherwise fall behind it and never be read.
     */
    public Future<Void> start() {
        Promise<Void> started = Promise.promise();
        context.runOnContext(v -> holdLock().onComplete(held -> {
            timer = vertx.setPeriodic(pollInterval.toMillis(), id -> poll());
            if (held.failed()) {
                LOG.atError().addKeyValue("errorType", held.cause().getClass().getSimpleName())
                        .log("the alert feed could not be taken at start");
            }
            started.handle(held.mapEmpty());
        }));
        return started.future();
    }

    public void stop() {
        context.runOnContext(v -> {
            vertx.cancelTimer(timer);
            SqlConnection holder = lockHolder;
            if (holder != null) {
                // A pooled connection goes back to the pool on close, keeping its session's locks: unlock first.
                holder.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute().eventually(holder::close)
                        .onComplete(done -> lockHolder = null);
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
        holdLock().compose(mine -> mine ? feed.drain().compose(this::storePosition) : Future.succeededFuture(List.of())).onComplete(done -> {
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

    /**
     * True while this node holds the feed's advisory lock (on a connection of its own, kept open). On taking it, the
     * feed resumes after the stored position: the previous holder stored it after each read, so at most the entries
     * of its last, unfinished read are processed twice (an alert raised twice, never one lost).
     */
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
                    return conn.query(RESUME_POSITION).execute().map(r -> {
                        feed = new AuditAlertFeed(audit, engine, r.iterator().next().getLong("last_seq"), BATCH);
                        return true;
                    });
                }));
    }

    private Future<List<Alert>> storePosition(List<Alert> raised) {
        SqlConnection conn = lockHolder;
        if (conn == null) {
            return Future.succeededFuture(raised);
        }
        return conn.preparedQuery("UPDATE alert_feed_position SET last_seq = $1, updated_at = now() WHERE last_seq < $1")
                .execute(Tuple.of(feed.position())).map(raised);
    }

    /** The position this node has read the trail to, or -1 while it does not hold the feed. */
    public long position() {
        return lockHolder == null || feed == null ? -1 : feed.position();
    }
}
