package org.wardline.server.auth.webauthn;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

/**
 * Challenges issued for WebAuthn ceremonies, kept server-side: each is bound to one account and one ceremony,
 * lives {@link #lifetime}, and is consumed by its first use, right or wrong, so an assertion cannot be replayed.
 */
public final class WebAuthnChallenges {
    /** The ceremony a challenge was issued for. */
    public enum Purpose {
        REGISTER, SIGN_IN, STEP_UP;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Pool pool;
    private final Duration lifetime;
    private final Clock clock;

    public WebAuthnChallenges(Pool pool, Duration lifetime, Clock clock) {
        this.pool = pool;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Records a challenge the library generated; returns the handle the client sends back with its answer. */
    public Future<UUID> issue(UUID userId, Purpose purpose, String challenge) {
        UUID id = UUID.randomUUID();
        OffsetDateTime expires = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).plus(lifetime);
        return pool.preparedQuery("DELETE FROM webauthn_challenges WHERE expires_at < now() - interval '1 hour'").execute()
                .compose(r -> pool.preparedQuery("INSERT INTO webauthn_challenges (id, user_id, purpose, challenge, expires_at) "
                        + "VALUES ($1, $2, $3, $4, $5)").execute(Tuple.of(id, userId, purpose.wireName(), challenge, expires)))
                .map(r -> id);
    }

    /**
     * Consumes challenge {@code id} for {@code userId}'s {@code purpose} ceremony and returns its value; fails with
     * a {@link PasskeyRefusal} when it is unknown, already used, expired, another account's or another ceremony's.
     */
    public Future<String> consume(UUID id, UUID userId, Purpose purpose) {
        return pool.preparedQuery("UPDATE webauthn_challenges SET used_at = now() WHERE id = $1 AND used_at IS NULL "
                        + "RETURNING user_id, purpose, challenge, expires_at")
                .execute(Tuple.of(id)).compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new PasskeyRefusal("challenge_unknown_or_used"));
                    }
                    Row row = rows.iterator().next();
                    if (!row.getUUID("user_id").equals(userId)) {
                        return Future.failedFuture(new PasskeyRefusal("challenge_other_account"));
                    }
                    if (!row.getString("purpose").equals(purpose.wireName())) {
                        return Future.failedFuture(new PasskeyRefusal("challenge_other_ceremony"));
                    }
                    if (row.getOffsetDateTime("expires_at").toInstant().isBefore(clock.instant())) {
                        return Future.failedFuture(new PasskeyRefusal("challenge_expired"));
                    }
                    return Future.succeededFuture(row.getString("challenge"));
                });
    }
}
