package org.wardline.server.sso;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.AccountException;

import java.util.Optional;
import java.util.UUID;

/** Which Wardline account an (issuer, subject) pair signs in as. Links are made by an administrator. */
public final class OidcLinks {
    private final Pool pool;

    public OidcLinks(Pool pool) {
        this.pool = pool;
    }

    public Future<Void> link(String issuer, String subject, UUID userId) {
        return pool.preparedQuery("INSERT INTO oidc_links (issuer, subject, user_id) SELECT $1, $2, id FROM users WHERE id = $3")
                .execute(Tuple.of(issuer, subject, userId))
                .recover(e -> Future.failedFuture(e instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())
                        ? new AccountException(ErrorCode.CONFLICT) : e))
                .compose(r -> r.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND)));
    }

    public Future<Optional<UUID>> find(String issuer, String subject) {
        return pool.preparedQuery("SELECT user_id FROM oidc_links WHERE issuer = $1 AND subject = $2").execute(Tuple.of(issuer, subject))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getUUID(0)));
    }
}
