package org.wardline.server.cluster;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a scheduled job on one node of a cluster at a time: the run holds a PostgreSQL session advisory lock on a
 * connection of its own for its whole length, and a node that finds the lock taken skips its run. The lock goes
 * with the connection, so a node that dies mid-run frees it.
 */
public final class SingleNodeJob {
    private final Pool pool;
    private final long lockKey;

    public SingleNodeJob(Pool pool, long lockKey) {
        this.pool = pool;
        this.lockKey = lockKey;
    }

    /** The job's result, or empty when another node is running it. */
    public <T> Future<Optional<T>> runAlone(Supplier<Future<T>> job) {
        return pool.getConnection().compose(conn -> conn.query("SELECT pg_try_advisory_lock(" + lockKey + ") AS held").execute()
                .compose(rows -> {
                    if (!rows.iterator().next().getBoolean("held")) {
                        return Future.succeededFuture(Optional.<T>empty());
                    }
                    return job.get().map(Optional::ofNullable).eventually(() ->
                            conn.query("SELECT pg_advisory_unlock(" + lockKey + ")").execute());
                })
                .eventually(conn::close));
    }
}
