package org.wardline.server.device;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.http.WardlineHttpException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

/**
 * One-time device enrollment codes. A code carries 160 random bits (32 characters of a 32-letter
 * alphabet), is bound to one user, expires after {@link #LIFETIME}, is kept only as its SHA-256 and is
 * accepted once. The accounts module issues codes after a sign-in with a second factor; until then an
 * operator issues them on the ops listener ({@code POST /admin/enrollment-codes}).
 */
public final class EnrollmentCodes {
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int LENGTH = 32;

    private final Pool pool;

    public EnrollmentCodes(Pool pool) {
        this.pool = pool;
    }

    /** An issued code, to show to its user once. */
    public record Issued(Secret<String> code, OffsetDateTime expiresAt) {
    }

    /** Issues a new code for {@code userId}. */
    public Future<Issued> issue(UUID userId) {
        Secret<String> code = newCode();
        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(LIFETIME);
        return pool.preparedQuery("INSERT INTO enrollment_codes (id, code_sha256, user_id, expires_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(UUID.randomUUID(), Buffer.buffer(sha256(code)), userId, expires))
                .map(r -> new Issued(code, expires));
    }

    /**
     * Uses up the code (committed at once, whatever follows) and returns its user. Fails with
     * {@code enrollment.code_invalid}, {@code code_used} or {@code code_expired}; a code presented for
     * another user than its own ({@code expectedUser}, when given) is used up and refused with
     * {@code code_wrong_user}, since it has leaked.
     */
    Future<UUID> redeem(SqlClient tx, Secret<String> code, UUID deviceId, UUID expectedUser) {
        Buffer hash = Buffer.buffer(sha256(code));
        return tx.preparedQuery("UPDATE enrollment_codes SET used_at = now(), device_id = $2 "
                        + "WHERE code_sha256 = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id")
                .execute(Tuple.of(hash, deviceId))
                .compose(rows -> {
                    if (rows.size() == 1) {
                        return Future.succeededFuture(rows.iterator().next().getUUID("user_id"));
                    }
                    return tx.preparedQuery("SELECT used_at IS NOT NULL AS used FROM enrollment_codes WHERE code_sha256 = $1")
                            .execute(Tuple.of(hash))
                            .compose(found -> Future.failedFuture(new WardlineHttpException(found.size() == 0
                                    ? ErrorCode.ENROLLMENT_CODE_INVALID
                                    : found.iterator().next().getBoolean("used") ? ErrorCode.ENROLLMENT_CODE_USED
                                    : ErrorCode.ENROLLMENT_CODE_EXPIRED)));
                })
                .compose(user -> expectedUser == null || expectedUser.equals(user)
                        ? Future.succeededFuture(user)
                        : Future.failedFuture(new WrongUser(user)));
    }

    /** The code belonged to another user; carries that user for the audit record. */
    static final class WrongUser extends WardlineHttpException {
        final UUID codeOwner;

        WrongUser(UUID codeOwner) {
            super(ErrorCode.ENROLLMENT_CODE_WRONG_USER);
            this.codeOwner = codeOwner;
        }
    }

    static Secret<String> newCode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % 4 == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return Secret.of(sb.toString());
    }

    /** Hash of the code as typed, ignoring case, spaces and dashes. */
    static byte[] sha256(Secret<String> code) {
        String normal = code.reveal().replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        try {
            return MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
