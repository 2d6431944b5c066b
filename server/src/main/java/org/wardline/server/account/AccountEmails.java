package org.wardline.server.account;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.storage.crypto.ColumnCipher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Seals accounts' e-mail addresses (ADR 0019): the value stored for an account, the keyed hash that keeps addresses
 * unique regardless of case, and, at start-up, every row written in plaintext before sealing existed (after which the
 * table is rewritten, so the old row versions leave the data files).
 */
public final class AccountEmails {
    private final ColumnCipher cipher;

    public AccountEmails(ColumnCipher cipher) {
        this.cipher = cipher;
    }

    private static String rowId(UUID userId) {
        return "users.email:" + userId;
    }

    Buffer seal(UUID userId, String email) {
        return email == null ? null : Buffer.buffer(cipher.seal(email, rowId(userId)));
    }

    /** The uniqueness hash: trimmed and lower case, as addresses were compared before sealing. */
    Buffer lookupHash(String email) {
        return email == null ? null : Buffer.buffer(cipher.lookupHash(email.strip().toLowerCase(Locale.ROOT)));
    }

    /** The address of a row: sealed, or (until the start-up pass) legacy plaintext; null when it has none. */
    String open(Row row) {
        Buffer sealed = row.getBuffer("email_sealed");
        return sealed == null ? row.getString("email") : cipher.open(sealed.getBytes(), rowId(row.getUUID("id")));
    }

    /** Seals every account still holding a plaintext address. @return how many were sealed */
    public Future<Integer> sealLegacyRows(Pool pool) {
        return pool.query("SELECT id, email FROM users WHERE email IS NOT NULL").execute().compose(rows -> {
            List<Tuple> batch = new ArrayList<>();
            for (Row r : rows) {
                UUID id = r.getUUID("id");
                String email = r.getString("email");
                batch.add(Tuple.of(id, seal(id, email), lookupHash(email)));
            }
            if (batch.isEmpty()) {
                return Future.succeededFuture(0);
            }
            return pool.preparedQuery("UPDATE users SET email = NULL, email_sealed = $2, email_hmac = $3 "
                            + "WHERE id = $1 AND email IS NOT NULL").executeBatch(batch)
                    .compose(v -> pool.query("VACUUM FULL users").execute())
                    .map(v -> batch.size());
        });
    }
}
