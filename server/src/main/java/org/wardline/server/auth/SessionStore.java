package org.wardline.server.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Sessions and their rotating refresh tokens in PostgreSQL. A refresh token is 256 random bits, given out once
 * and kept only as SHA-256; using it returns a new one. A session is one rotation family: presenting a token
 * that was already used means it was copied, so the whole session is revoked. A session idle longer than the
 * idle timeout is ended (automatic logoff), as is one past its absolute lifetime or whose user is disabled.
 */
public final class SessionStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(15);

    public enum State { ACTIVE, IDLE, REVOKED }

    /** A session just opened or refreshed, with the refresh token to hand to the client (once). */
    public record Issued(Session session, Secret<String> refreshToken) {
    }

    /** The outcome of presenting a refresh token. */
    public sealed interface RefreshOutcome {
        record Rotated(Issued issued) implements RefreshOutcome {
        }

        /** The token had been used before: its session is now revoked. */
        record Reused(UUID sessionId, UUID userId) implements RefreshOutcome {
        }

        record Invalid(String reason) implements RefreshOutcome {
        }
    }

    private final Pool pool;
    private final Duration idleTimeout;
    private final Duration absoluteLifetime;
    private final SessionEnds ends;

    public SessionStore(Pool pool, Duration idleTimeout, Duration absoluteLifetime) {
        this(pool, idleTimeout, absoluteLifetime, SessionEnds.NONE);
    }

    /** A store that announces every session it ends through {@code ends}, so open connections can be closed. */
    public SessionStore(Pool pool, Duration idleTimeout, Duration absoluteLifetime, SessionEnds ends) {
        this.pool = pool;
        this.idleTimeout = idleTimeout;
        this.absoluteLifetime = absoluteLifetime;
        this.ends = ends;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Future<Issued> open(UUID userId, UUID deviceId, String method, boolean mfaShown) {
        UUID id = UUID.randomUUID();
        Secret<String> token = newToken();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO sessions (id, user_id, device_id, expires_at, mfa_at, "
                                + "auth_method) VALUES ($1, $2, $3, $4, $5, $6)")
                        .execute(Tuple.of(id, userId, deviceId, now.plus(absoluteLifetime), mfaShown ? now : null, method))
                        .compose(r -> tx.preparedQuery("INSERT INTO refresh_tokens (token_sha256, session_id) VALUES ($1, $2)")
                                .execute(Tuple.of(hash(token), id))))
                .map(r -> new Issued(new Session(id, userId, deviceId, now.toInstant(), mfaShown ? now.toInstant() : null, method), token));
    }

    public Future<RefreshOutcome> refresh(Secret<String> presented) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT t.used_at, s.* , u.status FROM refresh_tokens t "
                        + "JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id "
                        + "WHERE t.token_sha256 = $1 FOR UPDATE OF t, s").execute(Tuple.of(hash(presented)))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture(new RefreshOutcome.Invalid("unknown_token"));
                    }
                    Row row = rows.iterator().next();
                    Session s = session(row);
                    if (row.getOffsetDateTime("used_at") != null) {
                        return tx.preparedQuery("UPDATE sessions SET revoked_at = coalesce(revoked_at, now()), "
                                        + "revoke_reason = coalesce(revoke_reason, 'refresh_reuse') WHERE id = $1")
                                .execute(Tuple.of(s.id())).map(r -> {
                                    ends.session(s.id());
                                    return new RefreshOutcome.Reused(s.id(), s.userId());
                                });
                    }
                    String why = whyNotActive(row);
                    if (why != null) {
                        return endIfIdle(tx, s.id(), why).map(v -> {
                            ends.session(s.id());
                            return new RefreshOutcome.Invalid(why);
                        });
                    }
                    Secret<String> next = newToken();
                    return tx.preparedQuery("UPDATE refresh_tokens SET used_at = now() WHERE token_sha256 = $1")
                            .execute(Tuple.of(hash(presented)))
                            .compose(r -> tx.preparedQuery("INSERT INTO refresh_tokens (token_sha256, session_id) VALUES ($1, $2)")
                                    .execute(Tuple.of(hash(next), s.id())))
                            .compose(r -> tx.preparedQuery("UPDATE sessions SET last_seen_at = now() WHERE id = $1")
                                    .execute(Tuple.of(s.id())))
                            .map(r -> new RefreshOutcome.Rotated(new Issued(s, next)));
                }));
    }

    /** The session behind an access token, if it is still active; touches its last-seen time. */
    public Future<StateAnd> check(UUID sessionId) {
        return pool.preparedQuery("SELECT s.*, u.status FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1")
                .execute(Tuple.of(sessionId)).compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture(new StateAnd(State.REVOKED, null));
                    }
                    Row row = rows.iterator().next();
                    String why = whyNotActive(row);
                    if ("idle".equals(why)) {
                        return endIfIdle(pool, sessionId, why).map(v -> {
                            ends.session(sessionId);
                            return new StateAnd(State.IDLE, null);
                        });
                    }
                    if (why != null) {
                        return Future.succeededFuture(new StateAnd(State.REVOKED, null));
                    }
                    Session s = session(row);
                    if (row.getOffsetDateTime("last_seen_at").toInstant().isAfter(Instant.now().minus(TOUCH_EVERY))) {
                        return Future.succeededFuture(new StateAnd(State.ACTIVE, s));
                    }
                    return pool.preparedQuery("UPDATE sessions SET last_seen_at = now() WHERE id = $1").execute(Tuple.of(sessionId))
                            .map(r -> new StateAnd(State.ACTIVE, s));
                });
    }

    /**
     * Which of {@code ids} are no longer active (revoked, expired, user disabled, or idle past the timeout),
     * without counting the question as activity. Sessions found idle are ended here (automatic logoff) and
     * announced like any other end.
     */
    public Future<java.util.Set<UUID>> ended(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(java.util.Set.of());
        }
        UUID[] array = ids.toArray(UUID[]::new);
        return pool.preparedQuery("SELECT s.*, u.status FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ANY($1)")
                .execute(Tuple.of(array)).compose(rows -> {
                    java.util.Set<UUID> out = new java.util.HashSet<>(ids);
                    List<UUID> idle = new java.util.ArrayList<>();
                    for (Row row : rows) {
                        String why = whyNotActive(row);
                        if (why == null) {
                            out.remove(row.getUUID("id"));
                        } else if ("idle".equals(why)) {
                            idle.add(row.getUUID("id"));
                        }
                    }
                    if (idle.isEmpty()) {
                        return Future.succeededFuture(java.util.Set.copyOf(out));
                    }
                    return pool.preparedQuery("UPDATE sessions SET revoked_at = now(), revoke_reason = 'idle' WHERE id = ANY($1) "
                                    + "AND revoked_at IS NULL").execute(Tuple.of(idle.toArray(UUID[]::new)))
                            .map(r -> {
                                idle.forEach(ends::session);
                                return java.util.Set.copyOf(out);
                            });
                });
    }

    /** Counts activity on a session (a frame its device sent on an open connection), at most every 15 seconds. */
    public Future<Void> touch(UUID sessionId) {
        return pool.preparedQuery("UPDATE sessions SET last_seen_at = now() WHERE id = $1 AND revoked_at IS NULL "
                + "AND last_seen_at < now() - make_interval(secs => $2)").execute(Tuple.of(sessionId, (double) TOUCH_EVERY.toSeconds()))
                .mapEmpty();
    }

    /** A session's state and, when active, the session. */
    public record StateAnd(State state, Session session) {
    }

    public Future<Void> markSecondFactor(UUID sessionId) {
        return pool.preparedQuery("UPDATE sessions SET mfa_at = now() WHERE id = $1").execute(Tuple.of(sessionId)).mapEmpty();
    }

    public Future<Void> revoke(UUID sessionId, String reason) {
        return pool.preparedQuery("UPDATE sessions SET revoked_at = now(), revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(sessionId, reason)).map(r -> {
                    ends.session(sessionId);
                    return null;
                });
    }

    /** Ends every session of a user (sign-out everywhere, disabling, offboarding); returns how many were live. */
    public Future<Integer> revokeAll(UUID userId, String reason) {
        return pool.preparedQuery("UPDATE sessions SET revoked_at = now(), revoke_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(userId, reason)).map(r -> {
                    ends.user(userId, null);
                    return r.rowCount();
                });
    }

    /** Ends every session of a user but {@code keep} (after a password change); returns how many ended. */
    public Future<Integer> revokeOthers(UUID userId, UUID keep, String reason) {
        return pool.preparedQuery("UPDATE sessions SET revoked_at = now(), revoke_reason = $3 WHERE user_id = $1 AND id <> $2 "
                        + "AND revoked_at IS NULL").execute(Tuple.of(userId, keep, reason)).map(r -> {
                    ends.user(userId, keep);
                    return r.rowCount();
                });
    }

    private String whyNotActive(Row row) {
        if (row.getOffsetDateTime("revoked_at") != null) {
            return "revoked";
        }
        if (!"active".equals(row.getString("status"))) {
            return "user_disabled";
        }
        if (row.getOffsetDateTime("expires_at").toInstant().isBefore(Instant.now())) {
            return "expired";
        }
        if (row.getOffsetDateTime("last_seen_at").toInstant().isBefore(Instant.now().minus(idleTimeout))) {
            return "idle";
        }
        return null;
    }

    private static Future<Void> endIfIdle(io.vertx.sqlclient.SqlClient c, UUID id, String why) {
        if (!"idle".equals(why)) {
            return Future.succeededFuture();
        }
        return c.preparedQuery("UPDATE sessions SET revoked_at = now(), revoke_reason = 'idle' WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(id)).mapEmpty();
    }

    private static Session session(Row row) {
        OffsetDateTime mfa = row.getOffsetDateTime("mfa_at");
        return new Session(row.getUUID("id"), row.getUUID("user_id"), row.getUUID("device_id"),
                row.getOffsetDateTime("created_at").toInstant(), mfa == null ? null : mfa.toInstant(), row.getString("auth_method"));
    }

    private static Secret<String> newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    static Buffer hash(Secret<String> token) {
        try {
            return Buffer.buffer(MessageDigest.getInstance("SHA-256").digest(token.reveal().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
