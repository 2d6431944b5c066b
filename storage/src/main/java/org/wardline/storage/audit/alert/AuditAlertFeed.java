package org.wardline.storage.audit.alert;

import io.vertx.core.Future;

import org.wardline.storage.audit.AuditLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tails the audit trail for the {@link AlertEngine}: each {@link #poll()} reads the entries after the
 * last one seen, in chain order, and processes them. Schedule it with {@code vertx.setPeriodic} on the
 * node that runs jobs; overlapping polls are skipped. The position is kept in memory: start it at the
 * trail's current end (or a stored position) when the server starts.
 */
public final class AuditAlertFeed {
    private final AuditLog log;
    private final AlertEngine engine;
    private final int batchSize;
    private long position;
    private boolean polling;

    public AuditAlertFeed(AuditLog log, AlertEngine engine, long startAfterSeq, int batchSize) {
        this.log = Objects.requireNonNull(log, "log");
        this.engine = Objects.requireNonNull(engine, "engine");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be between 1 and 10000");
        }
        this.batchSize = batchSize;
        this.position = startAfterSeq;
    }

    /** The seq of the last entry processed. */
    public long position() {
        return position;
    }

    /**
     * Processes up to one batch of new entries; completes with the alerts raised (empty if there was
     * nothing new or a poll was already running).
     */
    public Future<List<Alert>> poll() {
        if (polling) {
            return Future.succeededFuture(List.of());
        }
        polling = true;
        return log.readAfter(position, batchSize)
                .compose(entries -> {
                    if (entries.isEmpty()) {
                        return Future.succeededFuture(List.<Alert>of());
                    }
                    position = entries.get(entries.size() - 1).seq();
                    return engine.process(entries);
                })
                .andThen(done -> polling = false);
    }

    /** Polls until the feed has caught up with the end of the trail; completes with every alert raised. */
    public Future<List<Alert>> drain() {
        return drain(new ArrayList<>());
    }

    private Future<List<Alert>> drain(List<Alert> collected) {
        long before = position;
        return poll().compose(alerts -> {
            collected.addAll(alerts);
            return position == before ? Future.succeededFuture(collected) : drain(collected);
        });
    }
}
