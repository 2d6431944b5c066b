package org.wardline.server.rbac;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Break-glass: emergency access to one care team's data with a written reason, for a limited time. Each
 * use is an open review item until a security officer closes it.
 */
public final class BreakGlassStore {
    public static final int MIN_REASON = 10;

    /** An opened break-glass access. */
    public record Opened(UUID id, OffsetDateTime expiresAt) {
    }

    private final Pool pool;
    private final Duration lifetime;

    public BreakGlassStore(Pool pool, Duration lifetime) {
        this.pool = pool;
        this.lifetime = lifetime;
    }

    public Future<Opened> open(UUID userId, UUID teamId, String reason) {
        UUID id = UUID.randomUUID();
        return pool.preparedQuery("INSERT INTO break_glass (id, user_id, team_id, reason, expires_at) "
                        + "VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING expires_at")
                .execute(Tuple.of(id, userId, teamId, reason, (double) lifetime.toSeconds()))
                .map(rows -> new Opened(id, rows.iterator().next().getOffsetDateTime(0)));
    }

    /** Ends a break-glass access now (its start could not be audited). */
    public Future<Void> withdraw(UUID id) {
        return pool.preparedQuery("UPDATE break_glass SET expires_at = now() WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
    }

    /** Uses not yet reviewed, oldest first. The reason is shown to reviewers; it is the user's own words. */
    public Future<JsonArray> openReviews() {
        return pool.query("SELECT id, user_id, team_id, reason, started_at, expires_at FROM break_glass "
                + "WHERE reviewed_at IS NULL ORDER BY started_at").execute().map(rows -> {
                    JsonArray out = new JsonArray();
                    rows.forEach(r -> out.add(new JsonObject().put("id", r.getUUID("id").toString())
                            .put("userId", r.getUUID("user_id").toString()).put("teamId", r.getUUID("team_id").toString())
                            .put("reason", r.getString("reason")).put("startedAt", r.getOffsetDateTime("started_at").toString())
                            .put("expiresAt", r.getOffsetDateTime("expires_at").toString())));
                    return out;
                });
    }

    /** Opens again a review item {@code reviewer} has just closed (the review could not be audited). */
    public Future<Void> reopen(UUID id, UUID reviewer) {
        return pool.preparedQuery("UPDATE break_glass SET reviewed_by = NULL, reviewed_at = NULL, review_note = NULL "
                        + "WHERE id = $1 AND reviewed_by = $2").execute(Tuple.of(id, reviewer)).mapEmpty();
    }

    /** Closes a review item; false when already reviewed or unknown. */
    public Future<Boolean> review(UUID id, UUID reviewer, String note) {
        return pool.preparedQuery("UPDATE break_glass SET reviewed_by = $2, reviewed_at = now(), review_note = $3 "
                        + "WHERE id = $1 AND reviewed_at IS NULL AND user_id <> $2")
                .execute(Tuple.of(id, reviewer, note)).map(r -> r.rowCount() == 1);
    }
}
