package org.wardline.server.delivery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Batches requests that arrive while earlier batches are still in PostgreSQL, so that many requests share one
 * transaction and one commit (group commit). A batch starts as soon as fewer than {@code maxInFlight} batches run;
 * it takes every queued request up to {@code maxBatch}, in arrival order. Each request completes on the Vert.x
 * context that submitted it. When a whole batch fails, each of its requests is retried alone, one after the other,
 * so a request can only fail for a reason of its own. Requests with the same order key are run in the order they
 * were submitted: one waits while an earlier one with its key is in a batch still running (or is left for the next
 * batch), so a conversation's messages are stored in the order their senders' connections submitted them.
 *
 * @param <T> a request
 * @param <R> its result
 */
final class GroupCommit<T, R> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** Runs a batch; the list holds, per request and in order, its result or the {@link Throwable} refusing it. */
    interface BatchRunner<T> {
        Future<List<Object>> run(List<T> batch);
    }

    private final int maxBatch;
    private final int maxInFlight;
    private final BatchRunner<T> runner;
    private final Function<T, Future<R>> alone;
    private final Function<T, Object> distinctKey;
    private final Function<T, Object> orderKey;
    private final ArrayDeque<Pending<T, R>> queue = new ArrayDeque<>();
    /** Order keys of the requests in running batches, with their counts. */
    private final Map<Object, Integer> running = new HashMap<>();
    private java.util.function.BiConsumer<T, R> whenStored;
    private int inFlight;

    /**
     * @param distinctKey requests with equal keys never share a batch (the later waits for the next one);
     *                    {@code null} when any requests may share one
     */
    GroupCommit(int maxBatch, int maxInFlight, BatchRunner<T> runner, Function<T, Future<R>> alone,
                Function<T, Object> distinctKey) {
        this(maxBatch, maxInFlight, runner, alone, distinctKey, null);
    }

    /**
     * @param orderKey requests with equal keys are run in submission order, never in two batches running at once;
     *                 {@code null} when order does not matter
     */
    GroupCommit(int maxBatch, int maxInFlight, BatchRunner<T> runner, Function<T, Future<R>> alone,
                Function<T, Object> distinctKey, Function<T, Object> orderKey) {
        this.orderKey = orderKey;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.runner = runner;
        this.alone = alone;
        this.distinctKey = distinctKey;
    }

    /**
     * Runs {@code hook} for each stored request on the thread that learnt the batch's outcome, before its answer
     * moves to the submitter's context: work that must follow the database's order (publishing deliveries) does
     * not wait behind a busy event loop while a later transaction's work overtakes it.
     */
    GroupCommit<T, R> whenStored(java.util.function.BiConsumer<T, R> hook) {
        this.whenStored = hook;
        return this;
    }

    Future<R> submit(T request) {
        Pending<T, R> p = new Pending<>(request, Vertx.currentContext(), Promise.promise());
        synchronized (this) {
            queue.add(p);
        }
        drain();
        return p.answer.future();
    }

    private void drain() {
        while (true) {
            List<Pending<T, R>> batch;
            synchronized (this) {
                if (queue.isEmpty() || inFlight >= maxInFlight) {
                    return;
                }
                batch = take();
                if (batch.isEmpty()) {
                    return;
                }
                inFlight++;
            }
            run(batch).onComplete(ar -> {
                synchronized (this) {
                    inFlight--;
                    if (orderKey != null) {
                        batch.forEach(p -> running.computeIfPresent(orderKey.apply(p.request), (k, n) -> n == 1 ? null : n - 1));
                    }
                }
                drain();
            });
        }
    }

    private List<Pending<T, R>> take() {
        List<Pending<T, R>> batch = new ArrayList<>();
        Set<Object> keys = new HashSet<>();
        Set<Object> held = orderKey == null ? Set.of() : new HashSet<>(running.keySet());
        for (Iterator<Pending<T, R>> it = queue.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            Pending<T, R> p = it.next();
            Object order = orderKey == null ? null : orderKey.apply(p.request);
            if (order != null && held.contains(order)) {
                continue;
            }
            if (distinctKey == null || keys.add(distinctKey.apply(p.request))) {
                batch.add(p);
                it.remove();
            } else if (order != null) {
                held.add(order);
            }
        }
        if (orderKey != null) {
            batch.forEach(p -> running.merge(orderKey.apply(p.request), 1, Integer::sum));
        }
        return batch;
    }

    private Future<Void> run(List<Pending<T, R>> batch) {
        Future<List<Object>> results;
        try {
            results = runner.run(batch.stream().map(Pending::request).toList());
        } catch (RuntimeException e) {
            results = Future.failedFuture(e);
        }
        return results
                .map(list -> {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).complete(i < list.size() ? list.get(i) : null, whenStored);
                    }
                    return (Void) null;
                })
                .recover(e -> {
                    var event = LOG.atWarn().addKeyValue("errorType", e.getClass().getName()).addKeyValue("requests", batch.size());
                    if (e instanceof io.vertx.pgclient.PgException pg) {
                        event = event.addKeyValue("sqlState", pg.getSqlState());
                    }
                    event.log("batch failed; retrying its requests one by one");
                    Future<Void> chain = Future.succeededFuture();
                    for (Pending<T, R> p : batch) {
                        chain = chain.transform(v -> alone(p.request).andThen(ar -> p.complete(ar.succeeded() ? ar.result() : ar.cause(), whenStored)))
                                .transform(ar -> Future.succeededFuture());
                    }
                    return chain;
                });
    }

    private Future<R> alone(T request) {
        try {
            return alone.apply(request);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private record Pending<T, R>(T request, Context context, Promise<R> answer) {
        @SuppressWarnings("unchecked")
        void complete(Object result, java.util.function.BiConsumer<T, R> whenStored) {
            if (whenStored != null && result != null && !(result instanceof Throwable)) {
                try {
                    whenStored.accept(request, (R) result);
                } catch (RuntimeException e) {
                    LOG.atError().addKeyValue("errorType", e.getClass().getName()).log("work after a stored request failed");
                }
            }
            if (context == null) {
                settle(result);
            } else {
                context.runOnContext(v -> settle(result));
            }
        }

        @SuppressWarnings("unchecked")
        private void settle(Object result) {
            if (result instanceof Throwable t) {
                answer.fail(t);
            } else if (result == null) {
                answer.fail(new IllegalStateException("a batch gave no result for a request"));
            } else {
                answer.complete((R) result);
            }
        }
    }
}
