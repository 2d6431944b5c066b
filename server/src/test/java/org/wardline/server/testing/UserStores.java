package org.wardline.server.testing;

import io.vertx.sqlclient.Pool;
import org.wardline.server.account.AccountEmails;
import org.wardline.server.account.UserStore;
import org.wardline.storage.crypto.ColumnCipher;

import java.security.SecureRandom;

/** A user store over a bare test database: addresses sealed under a fresh column key, as a server would. */
public final class UserStores {
    private UserStores() {
    }

    public static UserStore sealed(Pool pool) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new UserStore(pool, new AccountEmails(ColumnCipher.of(key)));
    }
}
