package org.wardline.server.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/**
 * Exponential back-off per account name and per source address, kept in PostgreSQL so every node sees it.
 * Names are throttled whether or not an account exists, so the answer never tells an attacker which names
 * are real. After {@code threshold} failures each further failure doubles the wait (1 s, 2 s, 4 s …) up to
 * {@code maxWait}; a success clears the name's counter (not the address's). Counters fade after a day.
 */
public final class LoginThrottle {
    private final Pool pool;
    private final int threshold;
    private final int addressThreshold;
    private final Duration maxWait;

    /**
     * @param threshold        failures per account name before back-off
     * @param addressThreshold failures per source address before back-off (higher: many people share a hospital's NAT)
     */
    public LoginThrottle(Pool pool, int threshold, int addressThreshold, Duration maxWait) {
        this.pool = pool;
        this.threshold = threshold;
        this.addressThreshold = addressThreshold;
        this.maxWait = maxWait;
    }

    public static String accountKey(String username) {
        return "account:" + username.strip().toLowerCase(Locale.ROOT);
    }

    public static String addressKey(String address) {
        return "address:" + address;
    }

    /** How long until any of {@code keys} may try again; zero when none is locked. */
    public Future<Duration> waitFor(List<String> keys) {
        return pool.preparedQuery("SELECT max(locked_until) FROM login_failures WHERE key = ANY($1) AND locked_until > now()")
                .execute(Tuple.of(keys.toArray(String[]::new)))
                .map(rows -> {
                    OffsetDateTime until = rows.iterator().next().getOffsetDateTime(0);
                    return until == null ? Duration.ZERO : Duration.between(OffsetDateTime.now(), until);
                });
    }

    public Future<Void> recordFailure(List<String> keys) {
        String sql = "INSERT INTO login_failures AS f (key, failures, last_failure, locked_until) VALUES ($1, 1, now(), "
                + "now() + make_interval(secs => $2)) ON CONFLICT (key) DO UPDATE SET "
                + "failures = CASE WHEN f.last_failure < now() - interval '1 day' THEN 1 ELSE f.failures + 1 END, "
                + "last_failure = now(), locked_until = now() + make_interval(secs => CASE "
                + "WHEN f.last_failure < now() - interval '1 day' THEN $2 "
                + "WHEN f.failures + 1 < $3 THEN 0 "
                + "ELSE least($4, power(2, least(f.failures + 1 - $3, 30))) END)";
        List<Tuple> batch = keys.stream().map(k -> {
            int limit = k.startsWith("address:") ? addressThreshold : threshold;
            return Tuple.of(k, limit <= 1 ? 1.0 : 0.0, limit, (double) maxWait.toSeconds());
        }).toList();
        return pool.preparedQuery(sql).executeBatch(batch).mapEmpty();
    }

    public Future<Void> clear(String key) {
        return pool.preparedQuery("DELETE FROM login_failures WHERE key = $1").execute(Tuple.of(key)).mapEmpty();
    }
}
