package org.wardline.clients.messaging;

import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.ReceiptKind;
import org.wardline.protocol.wire.Tag;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivery and read receipts of one {@link MessagingClient}: sent at once when the connection can take them, else
 * kept, durably, in the vault ({@link PendingReceipts}) and sent later, one at a time and in order, rather than
 * dropped. Every method runs on the client's actor thread.
 */
final class ReceiptSender {
    /** How long kept receipts wait before they are sent again (the server's frame bucket refills meanwhile). */
    private static final Duration RETRY = Duration.ofSeconds(5);
    /** Kept receipts go out at most this often, below the connection's frame limit. */
    private static final Duration PACE = Duration.ofMillis(100);

    /** What receipts need of the client they belong to. */
    interface Client {
        CompletableFuture<Frame> request(Frame frame);

        /** Sends and waits for the answer (on the actor: the next receipt waits for it). */
        Frame await(Frame frame) throws Exception;

        boolean isConnected();

        boolean isClosing();

        boolean vaultDestroyed();
    }

    private final PendingReceipts kept;
    private final ScheduledExecutorService actor;
    private final Client client;
    private final MessageListener listener;
    private boolean sending;
    private boolean scheduled;

    ReceiptSender(PendingReceipts kept, ScheduledExecutorService actor, Client client, MessageListener listener) {
        this.kept = kept;
        this.actor = actor;
        this.client = client;
        this.listener = listener;
    }

    /** Tells the sender its message was read: returns once the server has it or it is kept to be sent later. */
    void read(ReceivedMessage m) throws Exception {
        PendingReceipts.Entry r = entry(m, ReceiptKind.READ);
        if (!kept.isEmpty() || !client.isConnected()) {
            keep(r);
            return;
        }
        try {
            client.await(frame(r));
        } catch (Exception e) {
            if (!sendLater(e)) {
                throw e;
            }
            keep(r);
        }
    }

    /** Sends a delivery receipt now, or keeps it, durably, behind those already waiting. */
    void delivered(ReceivedMessage m) {
        PendingReceipts.Entry r = entry(m, ReceiptKind.DELIVERED);
        if (!kept.isEmpty() || !client.isConnected()) {
            keep(r);
            return;
        }
        client.request(frame(r)).whenComplete((ok, e) -> {
            if (e != null && sendLater(e)) {
                actor.execute(() -> keep(r));
            }
        });
    }

    /** How many receipts wait to be sent. */
    int pending() {
        return kept.size();
    }

    /** Sends the kept receipts, one at a time, in order; when the server still cannot take them, tries again later. */
    void resume() {
        if (sending || client.isClosing() || !client.isConnected()) {
            return;
        }
        PendingReceipts.Entry r = kept.first().orElse(null);
        if (r == null) {
            return;
        }
        sending = true;
        client.request(frame(r)).whenComplete((ok, e) -> actor.execute(() -> {
            sending = false;
            if (e != null && sendLater(e)) {
                schedule(RETRY);
                return;
            }
            kept.remove(r); // taken, or refused for good (the conversation or its sender is gone)
            schedule(PACE);
        }));
    }

    private void keep(PendingReceipts.Entry r) {
        if (client.vaultDestroyed()) {
            return;
        }
        if (!kept.add(r)) {
            listener.onReceiptsDropped(1);
        }
        schedule(RETRY);
    }

    /** One pending run of {@link #resume} at most, so kept receipts go out one at a time. */
    private void schedule(Duration delay) {
        if (scheduled || client.isClosing()) {
            return;
        }
        scheduled = true;
        actor.schedule(() -> {
            scheduled = false;
            resume();
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static PendingReceipts.Entry entry(ReceivedMessage m, ReceiptKind kind) {
        return new PendingReceipts.Entry(m.conversation(), m.messageId(), m.sender(), kind);
    }

    private static Frame frame(PendingReceipts.Entry r) {
        return Frame.of(FrameType.RECEIPT, 0).with(Tag.GROUP_ID, r.conversation().groupId())
                .with(Tag.MESSAGE_ID, r.messageId()).with(Tag.KIND, r.kind().code()).with(Tag.SENDER, r.sender().toString());
    }

    /** A receipt the server did not take because of the moment (rate limit, connection), not of the receipt. */
    private static boolean sendLater(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return RateLimitRetry.isRateLimited(cause)
                || cause instanceof MessagingException m && MessagingException.CONNECTION_LOST.equals(m.code());
    }
}
