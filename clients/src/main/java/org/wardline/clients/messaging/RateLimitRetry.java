package org.wardline.clients.messaging;

import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.wire.Frame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends a request again when the server answered {@code request.rate_limited}: bounded, with jittered exponential
 * back-off. Only that refusal is retried: the device listener gives it before decoding the frame (token bucket
 * or too many requests in flight), so the request was certainly not processed. A request whose answer was lost
 * (connection lost, timeout) is never sent again: SENDs carry no idempotency key, so it may have been stored.
 * The server sends no retry-after hint on the WebSocket (no such tag in the protocol), so the back-off alone
 * paces the retries.
 */
public final class RateLimitRetry {
    /**
     * How long a request keeps being sent again. A device that falls behind (a burst of receipts and ACKs after a
     * backlog) is refused for as long as its frame bucket stays empty, so the budget is time, not a count. It ends
     * well before {@code MessagingClient} stops waiting (30 s): a request sent again after the caller was told it
     * failed could be stored behind its back (a SEND sent twice by the app, a COMMIT the client never applied).
     */
    static final long BUDGET_MILLIS = 20_000;
    static final long FIRST_DELAY_MILLIS = 40;
    static final long MAX_DELAY_MILLIS = 2_000;

    private RateLimitRetry() {
    }

    /**
     * Runs {@code send} (which sends the request on the current connection, after a reconnect the new one) until
     * it is answered with anything but a rate-limit refusal; {@code retried} runs once per retry (diagnostics).
     */
    static CompletableFuture<Frame> request(Supplier<CompletableFuture<Frame>> send, Runnable retried) {
        CompletableFuture<Frame> result = new CompletableFuture<>();
        attempt(send, retried, 1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS), result);
        return result;
    }

    private static void attempt(Supplier<CompletableFuture<Frame>> send, Runnable retried, int attempt, long giveUpAt,
                                CompletableFuture<Frame> result) {
        send.get().whenComplete((answer, e) -> {
            if (e == null) {
                result.complete(answer);
                return;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            long delay = delayMillis(attempt);
            if (isRateLimited(cause) && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) < giveUpAt) {
                retried.run();
                FrameConnection.scheduler().schedule(() -> attempt(send, retried, attempt + 1, giveUpAt, result),
                        delay, TimeUnit.MILLISECONDS);
            } else {
                result.completeExceptionally(cause);
            }
        });
    }

    static boolean isRateLimited(Throwable e) {
        return e instanceof MessagingException m && ErrorCode.RATE_LIMITED.code().equals(m.code());
    }

    /** Full jitter: uniformly up to 40 ms doubling per attempt, capped at 2 s. */
    static long delayMillis(int attempt) {
        long ceiling = Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(attempt - 1, 16));
        return 1 + ThreadLocalRandom.current().nextLong(ceiling);
    }
}
