package org.wardline.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;

import java.util.concurrent.ExecutionException;

/**
 * Waits for a Vert.x {@link Future} from blocking code: the blocking stores ({@code EncryptingBlobStore},
 * {@code ObjectLifecycle}, {@code KeyRotation}) use it to reach the database through the Vert.x pool.
 *
 * <p>{@code Future.await()} alone is not enough: Vert.x 5 allows it on virtual-thread contexts and non-Vert.x
 * threads but refuses it on worker threads ({@code executeBlocking}). This helper uses it where it is allowed and
 * blocks on a {@link java.util.concurrent.CompletableFuture} elsewhere, and refuses event-loop threads, where
 * waiting would stall (or deadlock) the loop.
 */
public final class Blocking {
    private Blocking() {
    }

    /**
     * The future's result, waiting for it.
     *
     * @throws IllegalStateException when called on an event-loop thread
     * @throws RuntimeException      the future's failure, as is when it is unchecked
     */
    public static <T> T await(Future<T> future) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("blocking storage call on a Vert.x event loop: "
                    + "run it on a worker or virtual thread");
        }
        Context context = Vertx.currentContext();
        if (context != null && context.threadingModel() == ThreadingModel.VIRTUAL_THREAD
                && Thread.currentThread().isVirtual()) {
            return future.await();
        }
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new StorageException("storage operation failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while waiting for the database", e);
        }
    }
}
