package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.cluster.SingleNodeJob;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.alert.IncidentDeadlineRule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The breach notification clock: for every incident assessed as a breach whose notifications are not all sent, it
 * raises a reminder 30, 7 and 1 days before the deadline and once the deadline has passed, each once. A reminder is an
 * audit entry ({@code incident.deadline.reminder}) that the alert rules turn into an alert, so it reaches the security
 * officer by every alert channel (inbox, e-mail, webhook). One node of a cluster runs it.
 */
public final class NotificationClock {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationClock.class);
    /** The reminders, in days before the deadline; 0 is "the deadline has passed". */
    public static final List<Integer> REMINDERS = List.of(30, 7, 1, 0);
    public static final AuditAction REMINDER = new AuditAction(IncidentDeadlineRule.ACTION);
    /** The advisory-lock key of the job ("WLINCDLN"). */
    static final long LOCK_KEY = 0x574c494e43444c4eL;

    private final Pool pool;
    private final AuditLog audit;
    private final Clock clock;
    private final SingleNodeJob singleNode;

    public NotificationClock(Pool pool, AuditLog audit, Clock clock) {
        this.pool = pool;
        this.audit = audit;
        this.clock = clock;
        this.singleNode = new SingleNodeJob(pool, LOCK_KEY);
    }

    /** Checks every {@code interval} on a Vert.x timer. */
    public void schedule(Vertx vertx, Duration interval) {
        vertx.setPeriodic(interval.toMillis(), id -> check().onFailure(e -> LOG.atWarn()
                .addKeyValue("errorType", e.getClass().getSimpleName()).log("breach notification reminders not checked")));
    }

    /** One check now; answers the reminders raised ({@code incidentId:daysBefore}). */
    public Future<List<String>> check() {
        return singleNode.runAlone(this::raiseDue).map(done -> done.orElse(List.of()));
    }

    private Future<List<String>> raiseDue() {
        Instant now = clock.instant();
        return pool.preparedQuery("SELECT i.id, a.deadline, a.affected_individuals FROM incidents i "
                        + "JOIN incident_assessments a ON a.incident_id = i.id "
                        + "WHERE a.conclusion = 'breach' AND NOT i.drill AND i.status IN ('open', 'contained', 'assessed')")
                .execute().compose(rows -> {
                    List<Future<String>> raised = new ArrayList<>();
                    for (Row r : rows) {
                        Instant deadline = r.getOffsetDateTime("deadline").toInstant();
                        for (int days : REMINDERS) {
                            if (!now.isBefore(deadline.minus(Duration.ofDays(days))) && (days > 0 || now.isAfter(deadline))) {
                                raised.add(raise(r.getUUID("id"), days, deadline, now));
                            }
                        }
                    }
                    return Future.all(raised).map(all -> raised.stream().map(Future::result).filter(s -> s != null).toList());
                });
    }

    /** Raises one reminder unless it was raised already; the reminder row and the audit entry go together. */
    private Future<String> raise(UUID incident, int days, Instant deadline, Instant now) {
        return pool.preparedQuery("INSERT INTO incident_reminders (incident_id, days_before, raised_at) VALUES ($1, $2, $3) "
                        + "ON CONFLICT DO NOTHING").execute(Tuple.of(incident, days, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
                .compose(rows -> {
                    if (rows.rowCount() == 0) {
                        return Future.succeededFuture(null);
                    }
                    return audit.record(AuditEvent.builder(REMINDER, AuditOutcome.SUCCESS).object("incident", incident)
                                    .details(AuditDetails.builder().put("daysBefore", days)
                                            .putCode("deadline", deadline.toString()).build()).build())
                            .map(receipt -> incident + ":" + days)
                            .recover(unaudited -> pool.preparedQuery("DELETE FROM incident_reminders WHERE incident_id = $1 "
                                    + "AND days_before = $2").execute(Tuple.of(incident, days))
                                    .transform(x -> Future.failedFuture(unaudited)));
                });
    }
}
