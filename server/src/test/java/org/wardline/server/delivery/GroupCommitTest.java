package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The batching itself, with a runner that holds each batch open until the test lets it go. */
class GroupCommitTest {
    private final Vertx vertx = Vertx.vertx();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final List<Promise<List<Object>>> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private GroupCommit<String, String> commits(int maxBatch, int maxInFlight) {
        return new GroupCommit<>(maxBatch, maxInFlight, batch -> {
            batches.add(List.copyOf(batch));
            Promise<List<Object>> p = Promise.promise();
            open.add(p);
            return p.future();
        }, r -> Future.succeededFuture("alone:" + r), r -> r.startsWith("dup") ? "dup" : r);
    }

    private static List<Object> answers(List<String> batch) {
        List<Object> out = new ArrayList<>();
        batch.forEach(r -> out.add(r.startsWith("bad") ? new DeliveryException(org.wardline.protocol.ErrorCode.REPLAY, "no")
                : "ok:" + r));
        return out;
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theStoredHookRunsForStoredRequestsOnlyBeforeTheAnswerReachesTheSubmittersContext() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        GroupCommit<String, String> commits = commits(100, 1).whenStored((r, result) -> events.add("stored " + result));
        var submitted = new java.util.concurrent.CompletableFuture<List<Future<String>>>();
        vertx.runOnContext(v -> {
            List<Future<String>> answers = new ArrayList<>();
            for (String r : List.of("a", "bad", "b")) {
                answers.add(commits.submit(r).andThen(ar -> events.add("answered " + r)));
            }
            submitted.complete(answers);
        });
        List<Future<String>> answers = submitted.get(10, TimeUnit.SECONDS);
        open.get(0).complete(answers(batches.get(0)));
        for (int i = 0; i < 100 && open.size() < 2; i++) {
            Thread.sleep(20);
        }
        open.get(1).complete(answers(batches.get(1)));
        for (Future<String> f : answers) {
            f.toCompletionStage().toCompletableFuture().handle((x, e) -> null).get(10, TimeUnit.SECONDS);
        }
        assertThat(events).filteredOn(e -> e.startsWith("stored")).containsExactly("stored ok:a", "stored ok:b");
        assertThat(events).contains("answered bad");
        for (String r : List.of("a", "b")) {
            assertThat(events.indexOf("stored ok:" + r)).as("stored before answered: " + r).isLessThan(events.indexOf("answered " + r));
        }
    }

    @Test
    void requestsArrivingWhileABatchRunsShareTheNextOneAndEachGetsItsOwnAnswer() throws Exception {
        GroupCommit<String, String> commits = commits(100, 1);
        Future<String> first = commits.submit("a");
        List<Future<String>> later = new ArrayList<>();
        for (String r : List.of("b", "bad", "c", "d")) {
            later.add(commits.submit(r));
        }
        assertThat(batches).containsExactly(List.of("a"));
        open.get(0).complete(answers(batches.get(0)));
        assertThat(await(first)).isEqualTo("ok:a");
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsExactly("b", "bad", "c", "d");
        open.get(1).complete(answers(batches.get(1)));
        assertThat(await(later.get(0))).isEqualTo("ok:b");
        assertThat(await(later.get(2))).isEqualTo("ok:c");
        assertThat(await(later.get(3))).isEqualTo("ok:d");
        assertThat(await(later.get(1).map("accepted"::concat).otherwise(e -> e.getClass().getSimpleName())))
                .isEqualTo("DeliveryException");
    }

    @Test
    void batchesAreCappedInSizeAndInNumberRunning() throws Exception {
        GroupCommit<String, String> commits = commits(3, 2);
        List<Future<String>> all = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            all.add(commits.submit("r" + i));
        }
        assertThat(batches).containsExactly(List.of("r0"), List.of("r1"));
        open.get(0).complete(answers(batches.get(0)));
        assertThat(batches.get(2)).containsExactly("r2", "r3", "r4");
        open.get(1).complete(answers(batches.get(1)));
        assertThat(batches.get(3)).containsExactly("r5", "r6", "r7");
        assertThat(batches).hasSize(4);
        open.get(2).complete(answers(batches.get(2)));
        assertThat(batches.get(4)).containsExactly("r8");
        open.get(3).complete(answers(batches.get(3)));
        open.get(4).complete(answers(batches.get(4)));
        for (int i = 0; i < 9; i++) {
            assertThat(await(all.get(i))).isEqualTo("ok:r" + i);
        }
    }

    @Test
    void aRequestRepeatingOneInTheBatchWaitsForTheNextBatch() throws Exception {
        GroupCommit<String, String> commits = commits(100, 1);
        commits.submit("x");
        commits.submit("dup1");
        commits.submit("dup2");
        commits.submit("y");
        open.get(0).complete(answers(batches.get(0)));
        assertThat(batches.get(1)).containsExactly("dup1", "y");
        open.get(1).complete(answers(batches.get(1)));
        assertThat(batches.get(2)).containsExactly("dup2");
    }

    @Test
    void aFailedBatchIsRetriedRequestByRequest() throws Exception {
        GroupCommit<String, String> commits = commits(100, 1);
        Future<String> a = commits.submit("a");
        Future<String> b = commits.submit("b");
        open.get(0).fail(new IllegalStateException("connection lost"));
        assertThat(await(a)).isEqualTo("alone:a");
        open.get(1).fail(new IllegalStateException("statement failed"));
        assertThat(await(b)).isEqualTo("alone:b");
    }

    @Test
    void answersArriveOnTheSubmittersContext() throws Exception {
        GroupCommit<String, String> commits = commits(100, 1);
        io.vertx.core.Context context = vertx.getOrCreateContext();
        Promise<Boolean> sameContext = Promise.promise();
        context.runOnContext(v -> commits.submit("a").onComplete(ar -> sameContext.complete(Vertx.currentContext() == context)));
        while (open.isEmpty()) {
            Thread.onSpinWait();
        }
        new Thread(() -> open.get(0).complete(answers(batches.get(0)))).start();
        assertThat(await(sameContext.future())).isTrue();
    }

    @Test
    void aRequestWaitsWhileAnEarlierOneWithItsOrderKeyIsInARunningBatch() throws Exception {
        GroupCommit<String, String> commits = new GroupCommit<>(100, 3, batch -> {
            batches.add(List.copyOf(batch));
            Promise<List<Object>> p = Promise.promise();
            open.add(p);
            return p.future();
        }, r -> Future.succeededFuture("alone:" + r), r -> r, r -> r.substring(0, 1));
        Future<String> a1 = commits.submit("a1");
        assertThat(batches).containsExactly(List.of("a1"));
        Future<String> a2 = commits.submit("a2");
        Future<String> b1 = commits.submit("b1");
        assertThat(batches).as("a2 may not overtake a1: only b1 runs beside it").containsExactly(List.of("a1"), List.of("b1"));
        commits.submit("cdup");
        commits.submit("cdup");
        Future<String> c3 = commits.submit("c3");
        assertThat(batches.get(2)).as("c3 stays behind the repeated request left for the next batch").containsExactly("cdup");
        open.get(0).complete(answers(batches.get(0)));
        assertThat(await(a1)).isEqualTo("ok:a1");
        assertThat(batches.get(3)).containsExactly("a2");
        open.get(1).complete(answers(batches.get(1)));
        open.get(2).complete(answers(batches.get(2)));
        assertThat(await(b1)).isEqualTo("ok:b1");
        open.get(3).complete(answers(batches.get(3)));
        assertThat(await(a2)).isEqualTo("ok:a2");
        assertThat(batches.get(4)).containsExactly("cdup", "c3");
        open.get(4).complete(answers(batches.get(4)));
        assertThat(await(c3)).isEqualTo("ok:c3");
    }

    @Test
    void aFailedBatchIsRetriedOneRequestAfterTheOther() throws Exception {
        List<String> started = new CopyOnWriteArrayList<>();
        List<Promise<String>> alone = new CopyOnWriteArrayList<>();
        GroupCommit<String, String> commits = new GroupCommit<>(100, 1, batch -> Future.failedFuture(new IllegalStateException("down")),
                r -> {
                    started.add(r);
                    Promise<String> p = Promise.promise();
                    alone.add(p);
                    return p.future();
                }, r -> r, r -> "same");
        Future<String> x = commits.submit("x");
        Future<String> y = commits.submit("y");
        assertThat(started).containsExactly("x");
        alone.get(0).complete("alone:x");
        assertThat(await(x)).isEqualTo("alone:x");
        assertThat(started).containsExactly("x", "y");
        alone.get(1).complete("alone:y");
        assertThat(await(y)).isEqualTo("alone:y");
    }
}
