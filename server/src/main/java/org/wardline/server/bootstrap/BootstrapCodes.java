package org.wardline.server.bootstrap;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.Secret;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * One-time codes for claiming a fresh installation as its first administrator. A code carries 150 random
 * bits, is shown once (in the start-up banner), is stored only as its SHA-256 and is accepted once.
 */
public final class BootstrapCodes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    public static final Duration LIFETIME = Duration.ofHours(24);

    private final Pool pool;

    public BootstrapCodes(Pool pool) {
        this.pool = pool;
    }

    /** Issues a new code when no administrator has claimed the installation yet; empty otherwise. */
    public Future<java.util.Optional<Secret<String>>> issueIfUnclaimed() {
        return pool.query("SELECT count(*) FROM bootstrap_codes WHERE used_at IS NOT NULL").execute()
                .compose(rows -> {
                    if (rows.iterator().next().getLong(0) > 0) {
                        return Future.succeededFuture(java.util.Optional.empty());
                    }
                    Secret<String> code = newCode();
                    return pool.preparedQuery("INSERT INTO bootstrap_codes (id, code_sha256, expires_at) VALUES ($1, $2, $3)")
                            .execute(Tuple.of(UUID.randomUUID(), io.vertx.core.buffer.Buffer.buffer(sha256(code.reveal())),
                                    OffsetDateTime.now(ZoneOffset.UTC).plus(LIFETIME)))
                            .map(r -> java.util.Optional.of(code));
                });
    }

    /** Marks the code used if it is valid and unused; true exactly once per issued code. */
    public Future<Boolean> redeem(Secret<String> code) {
        return pool.preparedQuery("UPDATE bootstrap_codes SET used_at = now() WHERE code_sha256 = $1 AND used_at IS NULL "
                        + "AND expires_at > now() AND NOT EXISTS (SELECT 1 FROM bootstrap_codes WHERE used_at IS NOT NULL)")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(sha256(normalise(code.reveal())))))
                .map(rows -> rows.rowCount() == 1);
    }

    static Secret<String> newCode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            if (i > 0 && i % 5 == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return Secret.of(sb.toString());
    }

    static String normalise(String code) {
        return code.trim().toUpperCase(java.util.Locale.ROOT);
    }

    static byte[] sha256(String code) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
