package org.wardline.server.delivery;

import io.vertx.core.Future;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.WireException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each request of one connection may start, so that requests are processed concurrently where the outcome
 * cannot depend on their order, and in arrival order where it can:
 * <ul>
 *   <li>HELLO, UPLOAD_KEY_PACKAGES, CLAIM_KEY_PACKAGES (and any other type) are barriers: they start when every
 *       earlier request is done, and every later request starts after them;</li>
 *   <li>SEND and PROPOSAL of a conversation start once the conversation's previous SEND or PROPOSAL has started:
 *       both go to {@link RelayBatcher}, which stores the requests of a conversation in the order they were
 *       submitted; after a COMMIT, RECEIPT or CREATE_CONVERSATION they wait until it is done;</li>
 *   <li>COMMIT, RECEIPT and CREATE_CONVERSATION start when every earlier request of their conversation is done
 *       (a SEND must be stored at the epoch it was sent for, before the commit that ends that epoch);</li>
 *   <li>ACK (and a frame with no readable GROUP_ID, which is refused anyway) waits only for the last barrier.</li>
 * </ul>
 * Used on one event loop; not thread-safe.
 */
final class RequestOrder {
    private record Lane(Future<Void> released, Future<Void> done) {
    }

    private final int prune;
    private final Map<ByteBuffer, Lane> lanes = new HashMap<>();
    private final List<Future<Void>> sinceBarrier = new ArrayList<>();
    private Future<Void> barrier = Future.succeededFuture();

    /** @param maxInFlight the most requests not yet done at any time (bounds the bookkeeping kept) */
    RequestOrder(int maxInFlight) {
        this.prune = 2 * maxInFlight + 16;
    }

    /**
     * Admits the next request in arrival order.
     *
     * @param started completes once its processing has started (its store call is submitted)
     * @param done    completes once it is answered; never fails
     * @return completes when it may start
     */
    Future<Void> admit(Frame frame, Future<Void> started, Future<Void> done) {
        return switch (frame.type()) {
            case ACK -> free(done);
            case SEND, PROPOSAL -> keyed(frame, started, done, true);
            case COMMIT, RECEIPT, CREATE_CONVERSATION -> keyed(frame, done, done, false);
            default -> barrier(done);
        };
    }

    private Future<Void> barrier(Future<Void> done) {
        List<Future<Void>> earlier = new ArrayList<>(sinceBarrier);
        earlier.add(barrier);
        sinceBarrier.clear();
        lanes.clear();
        barrier = done;
        return Future.all(earlier).mapEmpty();
    }

    private Future<Void> free(Future<Void> done) {
        remember(done);
        return barrier;
    }

    private Future<Void> keyed(Frame frame, Future<Void> released, Future<Void> done, boolean batched) {
        ByteBuffer key;
        try {
            key = ByteBuffer.wrap(frame.bytes(Tag.GROUP_ID));
        } catch (WireException e) {
            return free(done);
        }
        remember(done);
        Lane previous = lanes.get(key);
        Future<Void> after = previous == null ? barrier : batched ? previous.released() : previous.done();
        Lane lane = new Lane(released, previous == null ? done : Future.all(previous.done(), done).mapEmpty());
        lanes.put(key, lane);
        lane.done().onComplete(ar -> lanes.remove(key, lane));
        return after;
    }

    private void remember(Future<Void> done) {
        if (sinceBarrier.size() >= prune) {
            sinceBarrier.removeIf(Future::isComplete);
        }
        sinceBarrier.add(done);
    }
}
