package org.wardline.server.auth.webauthn;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.webauthn4j.Authenticator;
import io.vertx.ext.auth.webauthn4j.CredentialStorage;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Registered passkeys in PostgreSQL, and the {@link CredentialStorage} the WebAuthn library reads and updates.
 * The library's "user name" is the account's UUID: a lookup for one account never finds another account's
 * credential, so an assertion made with someone else's passkey is refused.
 */
public final class PasskeyStore implements CredentialStorage {
    /** One registered passkey, as its owner sees it. */
    public record Passkey(UUID id, String aaguid, Instant createdAt, Instant lastUsedAt) {
        public JsonObject toJson() {
            return new JsonObject().put("id", id.toString()).put("aaguid", aaguid).put("createdAt", createdAt.toString())
                    .put("lastUsedAt", lastUsedAt == null ? null : lastUsedAt.toString());
        }
    }

    private final Pool pool;

    public PasskeyStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<List<Authenticator>> find(String userId, String credentialId) {
        UUID user = parse(userId);
        if (user == null) {
            return Future.succeededFuture(List.of());
        }
        Future<io.vertx.sqlclient.RowSet<Row>> rows = credentialId == null
                ? pool.preparedQuery("SELECT * FROM webauthn_credentials WHERE user_id = $1 ORDER BY created_at").execute(Tuple.of(user))
                : pool.preparedQuery("SELECT * FROM webauthn_credentials WHERE user_id = $1 AND credential_id = $2")
                        .execute(Tuple.of(user, credentialId));
        return rows.map(rs -> {
            List<Authenticator> out = new ArrayList<>();
            for (Row r : rs) {
                out.add(new Authenticator().setUsername(userId).setType("public-key").setCredID(r.getString("credential_id"))
                        .setPublicKey(r.getString("public_key")).setCounter(r.getLong("sign_count"))
                        .setAaguid(r.getString("aaguid")).setFmt(r.getString("fmt")).setFlags(r.getInteger("flags")));
            }
            return out;
        });
    }

    /** Stores a newly registered credential; a credential ID already registered (to anyone) is refused. */
    @Override
    public Future<Void> storeCredential(Authenticator a) {
        UUID user = parse(a.getUsername());
        if (user == null) {
            return Future.failedFuture(new IllegalArgumentException("credential without an account"));
        }
        return pool.preparedQuery("INSERT INTO webauthn_credentials (id, credential_id, user_id, public_key, sign_count, aaguid, fmt, flags) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (credential_id) DO NOTHING")
                .execute(Tuple.from(List.of(UUID.randomUUID(), a.getCredID(), user, a.getPublicKey(), a.getCounter(),
                        a.getAaguid(), a.getFmt() == null ? "none" : a.getFmt(), a.getFlags())))
                .compose(r -> r.rowCount() == 1 ? Future.succeededFuture()
                        : Future.failedFuture(new PasskeyRefusal("credential_already_registered")));
    }

    /** The library calls this after a verified assertion, with the authenticator's new signature counter. */
    @Override
    public Future<Void> updateCounter(Authenticator a) {
        return pool.preparedQuery("UPDATE webauthn_credentials SET sign_count = $3, last_used_at = now() "
                        + "WHERE user_id = $1 AND credential_id = $2")
                .execute(Tuple.of(parse(a.getUsername()), a.getCredID(), a.getCounter())).mapEmpty();
    }

    public Future<List<Passkey>> list(UUID userId) {
        return pool.preparedQuery("SELECT id, aaguid, created_at, last_used_at FROM webauthn_credentials WHERE user_id = $1 "
                + "ORDER BY created_at").execute(Tuple.of(userId)).map(rs -> {
                    List<Passkey> out = new ArrayList<>();
                    rs.forEach(r -> out.add(passkey(r)));
                    return out;
                });
    }

    /** The stored ID of a credential of {@code userId}, by the credential ID the authenticator uses. */
    public Future<Optional<UUID>> idOf(UUID userId, String credentialId) {
        return pool.preparedQuery("SELECT id FROM webauthn_credentials WHERE user_id = $1 AND credential_id = $2")
                .execute(Tuple.of(userId, credentialId))
                .map(rs -> rs.size() == 0 ? Optional.empty() : Optional.of(rs.iterator().next().getUUID("id")));
    }

    public Future<Boolean> hasAny(UUID userId) {
        return pool.preparedQuery("SELECT 1 FROM webauthn_credentials WHERE user_id = $1 LIMIT 1").execute(Tuple.of(userId))
                .map(rs -> rs.size() > 0);
    }

    /** What a removal did: removed, not found (not this account's), or refused as the last second factor. */
    public enum Removal { REMOVED, NOT_FOUND, LAST_FACTOR }

    /**
     * Removes one of the account's passkeys. When {@code mfaRequired}, it is refused unless a confirmed TOTP or
     * another passkey remains; the check and the delete are one statement, so two removals cannot race past it.
     */
    public Future<Removal> remove(UUID userId, UUID id, boolean mfaRequired) {
        return remove(userId, id, mfaRequired, removal -> Future.succeededFuture());
    }

    /**
     * As {@link #remove(UUID, UUID, boolean)}, committing only once {@code beforeCommit} (the removal's audit entry)
     * has succeeded for what was done; when it fails nothing is removed and the returned future fails with its cause.
     */
    public Future<Removal> remove(UUID userId, UUID id, boolean mfaRequired,
                                  java.util.function.Function<Removal, Future<Void>> beforeCommit) {
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM webauthn_credentials c WHERE c.id = $1 "
                        + "AND c.user_id = $2 AND (NOT $3 "
                        + "OR EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = $2 AND t.confirmed_at IS NOT NULL) "
                        + "OR EXISTS (SELECT 1 FROM webauthn_credentials o WHERE o.user_id = $2 AND o.id <> $1))")
                .execute(Tuple.of(id, userId, mfaRequired)).compose(r -> {
                    if (r.rowCount() == 1) {
                        return Future.succeededFuture(Removal.REMOVED);
                    }
                    return conn.preparedQuery("SELECT 1 FROM webauthn_credentials WHERE id = $1 AND user_id = $2")
                            .execute(Tuple.of(id, userId)).map(rs -> rs.size() > 0 ? Removal.LAST_FACTOR : Removal.NOT_FOUND);
                }).compose(removal -> beforeCommit.apply(removal).map(removal)));
    }

    private static Passkey passkey(Row r) {
        OffsetDateTime used = r.getOffsetDateTime("last_used_at");
        return new Passkey(r.getUUID("id"), r.getString("aaguid"), r.getOffsetDateTime("created_at").toInstant(),
                used == null ? null : used.toInstant());
    }

    private static UUID parse(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
