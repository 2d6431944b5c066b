package org.wardline.server.account;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Accounts and their roles in PostgreSQL. Usernames and e-mail addresses are unique regardless of case; addresses are
 * kept sealed ({@link AccountEmails}).
 */
public final class UserStore {
    private static final String SELECT = "SELECT u.id, u.username, u.email, u.email_sealed, u.display_name, u.status, u.training_expires_on, "
            + "u.password_hash, coalesce((SELECT array_agg(r.role) FROM user_roles r WHERE r.user_id = u.id), '{}') AS roles "
            + "FROM users u ";

    /** A user with the stored password hash, for sign-in only. */
    public record Credentials(User user, String passwordHash) {
    }

    private static final String INSERT = "INSERT INTO users (id, username, email_sealed, email_hmac, display_name, "
            + "password_hash, training_expires_on) VALUES ($1, $2, $3, $4, $5, $6, $7)";

    private final Pool pool;
    private final AccountEmails emails;

    public UserStore(Pool pool, AccountEmails emails) {
        this.pool = pool;
        this.emails = emails;
    }

    /** Seals the addresses of accounts written before sealing existed; at start-up, before any listener opens. */
    public Future<Integer> sealLegacyEmails() {
        return emails.sealLegacyRows(pool);
    }

    private Tuple insertArguments(UUID id, NewUser n, String passwordHash) {
        return Tuple.of(id, n.username(), emails.seal(id, n.email()), emails.lookupHash(n.email()), n.displayName(),
                passwordHash).addValue(n.trainingExpiresOn());
    }

    public Pool pool() {
        return pool;
    }

    /** Creates the account; a taken username or e-mail address fails with {@link ErrorCode#CONFLICT}. */
    public Future<User> create(NewUser n, String passwordHash) {
        UUID id = UUID.randomUUID();
        return pool.withTransaction(tx -> tx.preparedQuery(INSERT).execute(insertArguments(id, n, passwordHash))
                        .compose(r -> insertRoles(tx, id, n.roles())))
                .recover(e -> Future.failedFuture(isUniqueViolation(e) ? new AccountException(ErrorCode.CONFLICT) : e))
                .compose(v -> byId(id)).map(Optional::orElseThrow);
    }

    /**
     * Creates the account if {@code check} allows it, in one transaction: {@code check} is given the roles that approve
     * elevations held by some active account other than {@code creator}, read under a lock on the role table so two
     * creations cannot both count the same directory; a failed {@code check} creates nothing.
     */
    public Future<User> create(NewUser n, String passwordHash, UUID creator, Set<Role> approvers,
                               java.util.function.Function<Boolean, Future<?>> check) {
        UUID id = UUID.randomUUID();
        List<String> names = approvers.stream().map(Role::wireName).toList();
        return pool.withTransaction(tx -> tx.query("LOCK TABLE user_roles IN SHARE ROW EXCLUSIVE MODE").execute()
                        .compose(v -> tx.preparedQuery("SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id "
                                        + "WHERE u.status = 'active' AND u.id <> $1 AND r.role = ANY($2)")
                                .execute(Tuple.of(creator).addArrayOfString(names.toArray(String[]::new))))
                        .compose(rows -> check.apply(rows.iterator().next().getLong(0) > 0))
                        .compose(v -> tx.preparedQuery(INSERT).execute(insertArguments(id, n, passwordHash)))
                        .compose(r -> insertRoles(tx, id, n.roles())))
                .recover(e -> Future.failedFuture(isUniqueViolation(e) ? new AccountException(ErrorCode.CONFLICT) : e))
                .compose(v -> byId(id)).map(Optional::orElseThrow);
    }

    /** Removes an account created moments ago whose audit entry could not be written (nothing refers to it yet). */
    public Future<Void> withdrawNew(UUID id) {
        return pool.preparedQuery("DELETE FROM users WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
    }

    private static Future<Void> insertRoles(SqlClient c, UUID id, Set<Role> roles) {
        if (roles.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> batch = new ArrayList<>();
        roles.forEach(r -> batch.add(Tuple.of(id, r.wireName())));
        return c.preparedQuery("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)").executeBatch(batch).mapEmpty();
    }

    public Future<Optional<User>> byId(UUID id) {
        return pool.preparedQuery(SELECT + "WHERE u.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(user(rows.iterator().next())));
    }

    public Future<Optional<Credentials>> credentials(String username) {
        return pool.preparedQuery(SELECT + "WHERE lower(u.username) = lower($1)").execute(Tuple.of(username))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Credentials(user(row), row.getString("password_hash")));
                });
    }

    public Future<List<User>> list() {
        return pool.query(SELECT + "ORDER BY lower(u.username)").execute().map(rows -> {
            List<User> out = new ArrayList<>();
            rows.forEach(r -> out.add(user(r)));
            return out;
        });
    }

    public Future<Boolean> setStatus(UUID id, UserStatus status) {
        return update("UPDATE users SET status = $2, updated_at = now() WHERE id = $1", Tuple.of(id, status.wireName()));
    }

    public Future<Boolean> setTraining(UUID id, LocalDate expiresOn) {
        return update("UPDATE users SET training_expires_on = $2, updated_at = now() WHERE id = $1", Tuple.of(id, expiresOn));
    }

    public Future<Boolean> setPasswordHash(UUID id, String hash) {
        return update("UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", Tuple.of(id, hash));
    }

    public Future<Boolean> setRoles(UUID id, Set<Role> roles) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT 1 FROM users WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture(false)
                        : tx.preparedQuery("DELETE FROM user_roles WHERE user_id = $1").execute(Tuple.of(id))
                        .compose(r -> insertRoles(tx, id, roles)).map(true)));
    }

    /**
     * Replaces a user's roles in one transaction that also waits for {@code check} (given the roles held before,
     * with the user's row locked): when it fails, nothing changes.
     *
     * @return the roles held before, or empty when there is no such user
     */
    public Future<Optional<Set<Role>>> replaceRoles(UUID id, Set<Role> roles,
                                                    java.util.function.Function<Set<Role>, Future<?>> check) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id)).compose(found -> {
                    if (found.size() == 0) {
                        return Future.succeededFuture(Optional.<Set<Role>>empty());
                    }
                    return tx.preparedQuery("SELECT role FROM user_roles WHERE user_id = $1").execute(Tuple.of(id))
                            .compose(rows -> {
                                Set<Role> before = EnumSet.noneOf(Role.class);
                                rows.forEach(r -> Role.parse(r.getString("role")).ifPresent(before::add));
                                return tx.preparedQuery("DELETE FROM user_roles WHERE user_id = $1").execute(Tuple.of(id))
                                        .compose(r -> insertRoles(tx, id, roles))
                                        .compose(v -> check.apply(Set.copyOf(before)))
                                        .map(v -> Optional.of(Set.copyOf(before)));
                            });
                }));
    }

    private Future<Boolean> update(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(r -> r.rowCount() == 1);
    }

    private User user(Row row) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : row.getArrayOfStrings("roles")) {
            Role.parse(r).ifPresent(roles::add);
        }
        return new User(row.getUUID("id"), row.getString("username"), emails.open(row),
                row.getString("display_name"), UserStatus.valueOf(row.getString("status").toUpperCase(java.util.Locale.ROOT)),
                row.getLocalDate("training_expires_on"), roles);
    }

    static boolean isUniqueViolation(Throwable e) {
        return e instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
