package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Failed verification attempts per source address in a fixed window, counted in PostgreSQL so that every node
 * of a cluster sees the same count: enough to stop one client from guessing link IDs, secrets or codes at
 * speed, wherever its requests land; the per-link lock (also in PostgreSQL) stops slow guessing.
 */
final class AttemptLimiter {
    private final Pool pool;
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;

    AttemptLimiter(Pool pool, int maxFailures, Duration window, Clock clock) {
        this.pool = pool;
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    Future<Boolean> allowed(String source) {
        return pool.preparedQuery("SELECT failures FROM share_link_source_failures WHERE source = $1 AND window_start > $2")
                .execute(Tuple.of(source, windowOpenedAfter()))
                .map(rows -> !rows.iterator().hasNext() || rows.iterator().next().getInteger(0) < maxFailures);
    }

    Future<Void> failed(String source) {
        return pool.preparedQuery("INSERT INTO share_link_source_failures AS f (source, window_start, failures) "
                        + "VALUES ($1, $2, 1) ON CONFLICT (source) DO UPDATE SET "
                        + "window_start = CASE WHEN f.window_start <= $3 THEN $2 ELSE f.window_start END, "
                        + "failures = CASE WHEN f.window_start <= $3 THEN 1 ELSE f.failures + 1 END")
                .execute(Tuple.of(source, now(), windowOpenedAfter())).mapEmpty();
    }

    /** Deletes the counts whose window is over. */
    Future<Integer> purge() {
        return pool.preparedQuery("DELETE FROM share_link_source_failures WHERE window_start <= $1")
                .execute(Tuple.of(windowOpenedAfter())).map(r -> r.rowCount());
    }

    private OffsetDateTime windowOpenedAfter() {
        return now().minus(window);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
