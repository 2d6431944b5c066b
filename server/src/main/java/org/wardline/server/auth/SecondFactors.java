package org.wardline.server.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.Secret;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * TOTP credentials and recovery codes. A TOTP secret is stored encrypted ({@link SecretBox}); enrolment is
 * complete once a first code is confirmed. The last accepted time step is kept, and a code is accepted only
 * for a later step, atomically, so the same code never works twice. Recovery codes (80 random bits each) are
 * stored as SHA-256 and consumed once.
 */
public final class SecondFactors {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    public static final int RECOVERY_CODES = 10;

    private final Pool pool;
    private final SecretBox box;
    private final Clock clock;

    public SecondFactors(Pool pool, SecretBox box, Clock clock) {
        this.pool = pool;
        this.box = box;
        this.clock = clock;
    }

    /** Starts (or restarts, while unconfirmed) TOTP enrolment; returns the new secret to show to the user once. */
    public Future<Secret<byte[]>> beginTotp(UUID userId) {
        byte[] secret = Totp.newSecret();
        byte[] sealed = box.seal(secret, aad(userId));
        return pool.preparedQuery("INSERT INTO totp_credentials (user_id, secret_encrypted) VALUES ($1, $2) "
                        + "ON CONFLICT (user_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, last_step = 0, "
                        + "created_at = now() WHERE totp_credentials.confirmed_at IS NULL")
                .execute(Tuple.of(userId, Buffer.buffer(sealed)))
                .compose(r -> r.rowCount() == 1 ? Future.succeededFuture(Secret.of(secret))
                        : Future.failedFuture(new org.wardline.server.account.AccountException(org.wardline.protocol.ErrorCode.CONFLICT)));
    }

    /** True when the account has a confirmed TOTP or a registered passkey. */
    public Future<Boolean> hasSecondFactor(UUID userId) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM totp_credentials WHERE user_id = $1 AND confirmed_at IS NOT NULL) "
                        + "OR EXISTS (SELECT 1 FROM webauthn_credentials WHERE user_id = $1) AS has")
                .execute(Tuple.of(userId)).map(rows -> rows.iterator().next().getBoolean("has"));
    }

    public Future<Boolean> hasConfirmedTotp(UUID userId) {
        return pool.preparedQuery("SELECT 1 FROM totp_credentials WHERE user_id = $1 AND confirmed_at IS NOT NULL")
                .execute(Tuple.of(userId)).map(rows -> rows.size() > 0);
    }

    /** Confirms enrolment with a first code; on success returns fresh recovery codes (shown once). */
    public Future<List<Secret<String>>> confirmTotp(UUID userId, String code) {
        return acceptCode(userId, code, false).compose(ok -> {
            if (!ok) {
                return Future.succeededFuture(List.of());
            }
            return pool.preparedQuery("UPDATE totp_credentials SET confirmed_at = now() WHERE user_id = $1")
                    .execute(Tuple.of(userId)).compose(r -> newRecoveryCodes(userId));
        });
    }

    /** True once per (user, time step) for a correct code of a confirmed credential. */
    public Future<Boolean> verifyTotp(UUID userId, String code) {
        return acceptCode(userId, code, true);
    }

    private Future<Boolean> acceptCode(UUID userId, String code, boolean confirmed) {
        return pool.preparedQuery("SELECT secret_encrypted, last_step FROM totp_credentials WHERE user_id = $1 AND "
                        + (confirmed ? "confirmed_at IS NOT NULL" : "confirmed_at IS NULL"))
                .execute(Tuple.of(userId)).compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.succeededFuture(false);
                    }
                    Row row = rows.iterator().next();
                    byte[] secret = box.open(row.getBuffer("secret_encrypted").getBytes(), aad(userId));
                    OptionalLong step = Totp.matchingStep(secret, code, clock.instant(), row.getLong("last_step"));
                    if (step.isEmpty()) {
                        return Future.succeededFuture(false);
                    }
                    return pool.preparedQuery("UPDATE totp_credentials SET last_step = $2 WHERE user_id = $1 AND last_step < $2")
                            .execute(Tuple.of(userId, step.getAsLong())).map(r -> r.rowCount() == 1);
                });
    }

    /** Replaces the user's recovery codes with {@link #RECOVERY_CODES} new ones. */
    public Future<List<Secret<String>>> newRecoveryCodes(UUID userId) {
        List<Secret<String>> codes = new ArrayList<>();
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            Secret<String> c = recoveryCode();
            codes.add(c);
            rows.add(Tuple.of(SessionStore.hash(c), userId));
        }
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM recovery_codes WHERE user_id = $1").execute(Tuple.of(userId))
                .compose(r -> tx.preparedQuery("INSERT INTO recovery_codes (code_sha256, user_id) VALUES ($1, $2)").executeBatch(rows)))
                .map(r -> List.copyOf(codes));
    }

    /** True exactly once for each issued recovery code. */
    public Future<Boolean> useRecoveryCode(UUID userId, String code) {
        if (code == null || code.length() > 64) {
            return Future.succeededFuture(false);
        }
        String normalised = code.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        return pool.preparedQuery("UPDATE recovery_codes SET used_at = now() WHERE code_sha256 = $1 AND user_id = $2 AND used_at IS NULL")
                .execute(Tuple.of(SessionStore.hash(Secret.of(normalised)), userId)).map(r -> r.rowCount() == 1);
    }

    /** Removes the user's TOTP credential, passkeys and recovery codes (lost phone); the next sign-in enrols again. */
    public Future<Boolean> reset(UUID userId) {
        return pool.withTransaction(tx -> tx.preparedQuery("DELETE FROM recovery_codes WHERE user_id = $1").execute(Tuple.of(userId))
                .compose(r -> tx.preparedQuery("DELETE FROM webauthn_credentials WHERE user_id = $1").execute(Tuple.of(userId)))
                .compose(r -> tx.preparedQuery("DELETE FROM totp_credentials WHERE user_id = $1").execute(Tuple.of(userId))))
                .map(r -> r.rowCount() == 1);
    }

    private static Secret<String> recoveryCode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return Secret.of(sb.toString());
    }

    private static byte[] aad(UUID userId) {
        return ("totp:" + userId).getBytes(StandardCharsets.UTF_8);
    }
}
