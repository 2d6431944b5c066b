package org.wardline.server.rbac;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.server.account.Role;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Time-bound elevation: a user asks for a role for some hours with a reason; another person holding
 * {@link Permission#ELEVATION_APPROVE} approves it, and the role applies from approval until it expires.
 */
public final class ElevationStore {
    public static final int MAX_MINUTES = 12 * 60;

    /** An approved elevation. */
    public record Approved(UUID id, UUID userId, Role role, OffsetDateTime expiresAt) {
    }

    private final Pool pool;

    public ElevationStore(Pool pool) {
        this.pool = pool;
    }

    public Future<UUID> request(UUID userId, Role role, int minutes, String reason) {
        UUID id = UUID.randomUUID();
        return pool.preparedQuery("INSERT INTO elevations (id, user_id, role, reason, duration_minutes) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(id, userId, role.wireName(), reason, minutes)).map(id);
    }

    /** Approves a pending request not older than a day; the approver may not be the requester. */
    public Future<Optional<Approved>> approve(UUID id, UUID approver) {
        return pool.preparedQuery("UPDATE elevations SET approved_by = $2, approved_at = now(), "
                        + "expires_at = now() + make_interval(mins => duration_minutes) WHERE id = $1 AND approved_at IS NULL "
                        + "AND user_id <> $2 AND requested_at > now() - interval '1 day' RETURNING id, user_id, role, expires_at")
                .execute(Tuple.of(id, approver)).map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new Approved(r.getUUID("id"), r.getUUID("user_id"), Role.parse(r.getString("role")).orElseThrow(),
                            r.getOffsetDateTime("expires_at")));
                });
    }

    /** Removes a request not yet approved (its request could not be audited), so nobody can approve it. */
    public Future<Void> cancel(UUID id) {
        return pool.preparedQuery("DELETE FROM elevations WHERE id = $1 AND approved_at IS NULL").execute(Tuple.of(id)).mapEmpty();
    }

    /** Ends an approved elevation now (its approval could not be audited). */
    public Future<Void> withdraw(UUID id) {
        return pool.preparedQuery("UPDATE elevations SET expires_at = now() WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
    }

    /** The roles {@code user} holds a current elevation to that someone other than {@code actor} approved. */
    public Future<java.util.Set<Role>> approvedByAnother(UUID user, UUID actor) {
        return pool.preparedQuery("SELECT DISTINCT role FROM elevations WHERE user_id = $1 AND approved_at IS NOT NULL "
                        + "AND approved_by <> $2 AND expires_at > now()")
                .execute(Tuple.of(user, actor)).map(rows -> {
                    java.util.Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
                    rows.forEach(r -> Role.parse(r.getString("role")).ifPresent(roles::add));
                    return roles;
                });
    }

    public Future<Optional<UUID>> requester(UUID id) {
        return pool.preparedQuery("SELECT user_id FROM elevations WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(0)));
    }
}
