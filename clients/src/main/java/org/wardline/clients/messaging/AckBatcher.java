package org.wardline.clients.messaging;

import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import org.wardline.protocol.wire.UnreadReason;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The acknowledgements of one {@link MessagingClient}'s deliveries. A delivery is acknowledged once the deliveries
 * already queued on the actor are processed too, in one ACK frame, after one save of the state they produced: a
 * burst of deliveries would otherwise cost as many ACK frames, against the connection's frame limit, and as many
 * synced writes. Nothing is acknowledged when that save fails. Every method runs on the client's actor thread.
 */
final class AckBatcher {
    /** The server's bound on SEQs in one ACK frame. */
    static final int MAX_PER_FRAME = 1000;

    /** What acknowledging needs of the client. */
    interface Client {
        /**
         * Makes the state the waiting deliveries produced durable; false when that failed (the client has then
         * called {@link #drop}, and nothing is acknowledged).
         */
        boolean makeDurable();

        /** Sends an ACK frame on the current connection; one that does not arrive is answered by a redelivery. */
        void send(Frame ack);
    }

    private final Executor actor;
    private final Client client;
    private final List<Long> waiting = new ArrayList<>();
    private final Map<Long, UnreadReason> unread = new HashMap<>();

    AckBatcher(Executor actor, Client client) {
        this.actor = actor;
        this.client = client;
    }

    /** Acknowledges this delivery with the others processed in the same run of the actor. */
    void ack(long seq) {
        waiting.add(seq);
        if (waiting.size() == 1) {
            actor.execute(this::flush);
        }
    }

    /**
     * Marks a delivery being processed as kept without being read (undecrypted, with its reason): its acknowledgement
     * will say so ({@link Tag#UNREAD}), so the server can tell it from a message read.
     */
    void markUnread(long seq, UnreadReason reason) {
        unread.put(seq, reason);
    }

    /** Forgets the acknowledgements not sent yet (their deliveries failed, or their state was not saved); returns them. */
    List<Long> drop() {
        List<Long> dropped = List.copyOf(waiting);
        waiting.clear();
        unread.clear();
        return dropped;
    }

    private void flush() {
        if (waiting.isEmpty() || !client.makeDurable()) {
            return;
        }
        CrashPoints.reached(CrashPoints.BEFORE_ACK);
        while (!waiting.isEmpty()) {
            List<Long> batch = List.copyOf(waiting.subList(0, Math.min(MAX_PER_FRAME, waiting.size())));
            waiting.subList(0, batch.size()).clear();
            Frame ack = Frame.of(FrameType.ACK, 0);
            for (long seq : batch) {
                ack = ack.with(Tag.SEQ, seq);
                UnreadReason reason = unread.remove(seq);
                if (reason != null) {
                    ack = ack.with(Tag.UNREAD, new UnreadReason.Entry(seq, reason).encode());
                }
            }
            // Unacknowledged entries are pushed again on the next connection, where processed ones are re-acknowledged.
            client.send(ack);
        }
    }
}
