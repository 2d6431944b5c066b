package org.wardline.server.sso;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Single-use nonces (128 random bits, ten minutes) that bind an ID token to one sign-in Wardline started. */
public final class OidcNonces {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;

    public OidcNonces(Pool pool) {
        this.pool = pool;
    }

    public Future<String> issue() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        return pool.query("DELETE FROM oidc_nonces WHERE expires_at < now() - interval '1 hour'").execute()
                .compose(r -> pool.preparedQuery("INSERT INTO oidc_nonces (nonce_sha256, expires_at) VALUES ($1, now() + interval '10 minutes')")
                        .execute(Tuple.of(hash(nonce))))
                .map(nonce);
    }

    /** True exactly once for a nonce this server issued that has not expired. */
    public Future<Boolean> consume(String nonce) {
        if (nonce == null || nonce.length() > 128) {
            return Future.succeededFuture(false);
        }
        return pool.preparedQuery("UPDATE oidc_nonces SET used_at = now() WHERE nonce_sha256 = $1 AND used_at IS NULL AND expires_at > now()")
                .execute(Tuple.of(hash(nonce))).map(r -> r.rowCount() == 1);
    }

    private static Buffer hash(String s) {
        try {
            return Buffer.buffer(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
