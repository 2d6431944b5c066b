package org.wardline.server.retention;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Retention policies and legal holds in PostgreSQL (tables of V80), through the async pool. */
public final class RetentionStore {
    private static final String HOLD_COLUMNS = "id, scope, coalesce(user_id::text, team_id::text, conversation_id::text) AS subject, "
            + "matter, custodian_required, placed_by, placed_at, released_by, released_at, "
            + "(SELECT lc.custodian_user_id FROM legal_hold_custodians lc WHERE lc.hold_id = legal_holds.id) AS custodian_user_id";

    private final Pool pool;

    public RetentionStore(Pool pool) {
        this.pool = pool;
    }

    public Future<List<RetentionPolicy>> policies() {
        return pool.query("SELECT kind, team_id, days, updated_by, updated_at FROM retention_policies ORDER BY kind, team_id NULLS FIRST")
                .execute().map(rows -> {
                    List<RetentionPolicy> out = new ArrayList<>();
                    rows.forEach(r -> out.add(policy(r)));
                    return out;
                });
    }

    /**
     * Sets a policy. Within one transaction (the table locked against concurrent changes) it refuses a team policy
     * shorter than the organisation's, or an organisation policy longer than a team's, for the same kind: the
     * longer one would always win, so the shorter one could only mislead. @return the policy as stored
     */
    /** A policy set: what it is now, and the days it held before (empty when there was none). */
    public record PolicyChange(RetentionPolicy policy, Optional<Integer> daysBefore) {
    }

    public Future<PolicyChange> setPolicy(RetentionKind kind, UUID team, int days, UUID by) {
        RetentionRules.check(kind, team, days);
        return pool.withTransaction(c -> c.query("LOCK TABLE retention_policies IN SHARE ROW EXCLUSIVE MODE").execute()
                .compose(v -> team == null ? Future.succeededFuture(true) : exists(c, "teams", team))
                .compose(found -> {
                    if (!found) {
                        return Future.failedFuture(new WardlineHttpException(ErrorCode.UNKNOWN_TEAM));
                    }
                    String conflict = team == null
                            ? "SELECT 1 FROM retention_policies WHERE kind = $1 AND team_id IS NOT NULL AND days < $2"
                            : "SELECT 1 FROM retention_policies WHERE kind = $1 AND team_id IS NULL AND days > $2";
                    return c.preparedQuery(conflict).execute(Tuple.of(kind.wireName(), days));
                })
                .compose(rows -> {
                    if (rows.size() > 0) {
                        return Future.failedFuture(new WardlineHttpException(ErrorCode.RETENTION_CONFLICT));
                    }
                    return current(c, kind, team);
                })
                .compose(before -> {
                    String upsert = team == null
                            ? "INSERT INTO retention_policies (kind, team_id, days, updated_by) VALUES ($1, NULL, $2, $3) "
                              + "ON CONFLICT (kind) WHERE team_id IS NULL DO UPDATE SET days = EXCLUDED.days, "
                              + "updated_by = EXCLUDED.updated_by, updated_at = now() RETURNING kind, team_id, days, updated_by, updated_at"
                            : "INSERT INTO retention_policies (kind, team_id, days, updated_by) VALUES ($1, $4, $2, $3) "
                              + "ON CONFLICT (kind, team_id) WHERE team_id IS NOT NULL DO UPDATE SET days = EXCLUDED.days, "
                              + "updated_by = EXCLUDED.updated_by, updated_at = now() RETURNING kind, team_id, days, updated_by, updated_at";
                    Tuple args = Tuple.of(kind.wireName(), days, by);
                    if (team != null) {
                        args.addUUID(team);
                    }
                    return c.preparedQuery(upsert).execute(args).map(r -> new PolicyChange(policy(r.iterator().next()), before));
                }));
    }

    private static Future<Optional<Integer>> current(io.vertx.sqlclient.SqlConnection c, RetentionKind kind, UUID team) {
        return c.preparedQuery("SELECT days FROM retention_policies WHERE kind = $1 AND team_id IS NOT DISTINCT FROM $2")
                .execute(Tuple.of(kind.wireName(), team))
                .map(rows -> rows.size() == 0 ? Optional.<Integer>empty() : Optional.of(rows.iterator().next().getInteger(0)));
    }

    /**
     * @return the days of the policy removed, empty when there was none (the organisation's audit policy then falls
     * back to the legal floor)
     */
    public Future<Optional<Integer>> removePolicy(RetentionKind kind, UUID team) {
        String sql = team == null ? "DELETE FROM retention_policies WHERE kind = $1 AND team_id IS NULL RETURNING days"
                : "DELETE FROM retention_policies WHERE kind = $1 AND team_id = $2 RETURNING days";
        Tuple args = team == null ? Tuple.of(kind.wireName()) : Tuple.of(kind.wireName(), team);
        return pool.preparedQuery(sql).execute(args)
                .map(r -> r.size() == 0 ? Optional.<Integer>empty() : Optional.of(r.iterator().next().getInteger(0)));
    }

    /** The organisation's audit retention in days (the legal floor when none is set). */
    public Future<Integer> auditDays() {
        return pool.query("SELECT days FROM retention_policies WHERE kind = 'audit' AND team_id IS NULL").execute()
                .map(rows -> rows.size() == 0 ? RetentionRules.AUDIT_DEFAULT_DAYS : rows.iterator().next().getInteger(0));
    }

    /**
     * Places a hold on an existing subject. @throws (failed future) UNKNOWN_USER/TEAM/CONVERSATION for a subject
     * that does not exist, LEGAL_HOLD_CONFLICT when an active hold already covers it. {@code custodian} is the records
     * custodian a custodian-required hold names, {@code null} for a hold without one.
     */
    public Future<LegalHold> placeHold(LegalHold.Scope scope, String subject, String matter, UUID custodian, UUID by) {
        String column;
        Object id;
        ErrorCode unknown;
        Future<Boolean> exists;
        try {
            switch (scope) {
                case USER -> {
                    column = "user_id";
                    id = UUID.fromString(subject);
                    unknown = ErrorCode.UNKNOWN_USER;
                    exists = exists(pool, "users", id);
                }
                case TEAM -> {
                    column = "team_id";
                    id = UUID.fromString(subject);
                    unknown = ErrorCode.UNKNOWN_TEAM;
                    exists = exists(pool, "teams", id);
                }
                default -> {
                    column = "conversation_id";
                    id = Long.parseLong(subject);
                    unknown = ErrorCode.UNKNOWN_CONVERSATION;
                    exists = exists(pool, "conversations", id);
                }
            }
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new WardlineHttpException(ErrorCode.BAD_REQUEST));
        }
        UUID holdId = UUID.randomUUID();
        return exists.compose(found -> {
            if (!found) {
                return Future.failedFuture(new WardlineHttpException(unknown));
            }
            return pool.withTransaction(c -> c.preparedQuery("INSERT INTO legal_holds (id, scope, " + column
                                    + ", matter, custodian_required, placed_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + HOLD_COLUMNS)
                            .execute(Tuple.of(holdId, scope.wireName(), id, matter, custodian != null, by))
                            .compose(rows -> {
                                LegalHold h = hold(rows.iterator().next());
                                return custodian == null ? Future.succeededFuture(h)
                                        : c.preparedQuery("INSERT INTO legal_hold_custodians (hold_id, custodian_user_id) VALUES ($1, $2)")
                                        .execute(Tuple.of(holdId, custodian)).map(v -> new LegalHold(h.id(), h.scope(), h.subject(),
                                                h.matter(), true, h.placedBy(), h.placedAt(), h.releasedBy(), h.releasedAt(),
                                                Optional.of(custodian)));
                            }))
                    .recover(e -> Future.failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState())
                            ? new WardlineHttpException(ErrorCode.LEGAL_HOLD_CONFLICT) : e));
        });
    }

    /** Releases an active hold. @throws (failed future) NOT_FOUND, or LEGAL_HOLD_CONFLICT when already released */
    public Future<LegalHold> releaseHold(UUID id, UUID by) {
        return pool.preparedQuery("UPDATE legal_holds SET released_by = $2, released_at = now() WHERE id = $1 "
                        + "AND released_at IS NULL RETURNING " + HOLD_COLUMNS)
                .execute(Tuple.of(id, by))
                .compose(rows -> rows.size() == 1 ? Future.succeededFuture(hold(rows.iterator().next()))
                        : hold(id).compose(h -> Future.failedFuture(new WardlineHttpException(
                                h.isEmpty() ? ErrorCode.NOT_FOUND : ErrorCode.LEGAL_HOLD_CONFLICT))));
    }

    public Future<Optional<LegalHold>> hold(UUID id) {
        return pool.preparedQuery("SELECT " + HOLD_COLUMNS + " FROM legal_holds WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(hold(rows.iterator().next())));
    }

    public Future<List<LegalHold>> holds(boolean activeOnly) {
        return pool.query("SELECT " + HOLD_COLUMNS + " FROM legal_holds "
                        + (activeOnly ? "WHERE released_at IS NULL " : "") + "ORDER BY placed_at DESC LIMIT 1000")
                .execute().map(rows -> {
                    List<LegalHold> out = new ArrayList<>();
                    rows.forEach(r -> out.add(hold(r)));
                    return out;
                });
    }

    private static Future<Boolean> exists(io.vertx.sqlclient.SqlClient c, String table, Object id) {
        return c.preparedQuery("SELECT 1 FROM " + table + " WHERE id = $1").execute(Tuple.of(id)).map(r -> r.size() > 0);
    }

    private static RetentionPolicy policy(Row r) {
        return new RetentionPolicy(RetentionKind.parse(r.getString("kind")).orElseThrow(), r.getUUID("team_id"),
                r.getInteger("days"), r.getUUID("updated_by"), r.getOffsetDateTime("updated_at").toInstant());
    }

    private static LegalHold hold(Row r) {
        return new LegalHold(r.getUUID("id"), LegalHold.Scope.parse(r.getString("scope")).orElseThrow(), r.getString("subject"),
                r.getString("matter"), r.getBoolean("custodian_required"), r.getUUID("placed_by"),
                r.getOffsetDateTime("placed_at").toInstant(), Optional.ofNullable(r.getUUID("released_by")),
                Optional.ofNullable(r.getOffsetDateTime("released_at")).map(OffsetDateTime::toInstant),
                Optional.ofNullable(r.getUUID("custodian_user_id")));
    }

}
