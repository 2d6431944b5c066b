package org.wardline.server.incident;

import io.vertx.core.Future;
import org.wardline.protocol.Secret;
import org.wardline.server.account.NewUser;
import org.wardline.server.account.PasswordHasher;
import org.wardline.server.account.Role;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStore;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/** The marked account a drill rehearses on: {@code drill-} and 8 hex digits, "not a person", a password nobody learns. */
final class DrillAccounts {
    static final String PREFIX = "drill-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final UserStore users;
    private final PasswordHasher hasher;

    DrillAccounts(UserStore users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    Future<User> create() {
        byte[] tag = new byte[4];
        RANDOM.nextBytes(tag);
        String username = PREFIX + HexFormat.of().formatHex(tag);
        byte[] password = new byte[32];
        RANDOM.nextBytes(password);
        // Nobody learns this password: the drill account exists only to be contained.
        return hasher.hash(Secret.of(Base64.getEncoder().encodeToString(password)))
                .compose(hash -> users.create(new NewUser(username, null, "Drill account (not a person)", null, null,
                        Set.of(Role.CLINICIAN)), hash));
    }
}
