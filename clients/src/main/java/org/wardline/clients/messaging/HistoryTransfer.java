package org.wardline.clients.messaging;

import org.wardline.protocol.mls.DeviceUri;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Message history between two devices of one user (protocol/PROTOCOL.md, "History for a new device"): a link
 * conversation with just the two devices carries the sender's vault history records in MLS application messages
 * ({@link DeviceLinks#historyBatches}); the receiver stores those it does not hold yet and tells its listener
 * ({@link MessageListener#onHistory}). {@link #sendTo} may be called on any thread; {@link #received} runs on the
 * client's actor thread, as do the history reads and the link's removal.
 */
final class HistoryTransfer {
    /** What a transfer needs of the client. */
    interface Client {
        /** A new history link conversation with this device alone. */
        CompletableFuture<ConversationId> createLink();

        /** Commits {@code device} into the link, as an invitation does. */
        CompletableFuture<Long> invite(ConversationId link, DeviceUri device);

        /** Sends one application message in the link; it is not recorded in this device's history. */
        CompletableFuture<Long> send(ConversationId link, byte[] body);

        /** Forgets the link's group. Called on the actor thread. */
        void dropLink(ConversationId link);
    }

    private final DeviceUri self;
    private final MessageHistory history;
    private final Executor actor;
    private final Client client;
    private final MessageListener listener;

    HistoryTransfer(DeviceUri self, MessageHistory history, Executor actor, Client client, MessageListener listener) {
        this.self = self;
        this.history = history;
        this.actor = actor;
        this.client = client;
        this.listener = listener;
    }

    /** Sends this device's whole history to another device of its user; completes with the number of records sent. */
    CompletableFuture<Integer> sendTo(DeviceUri newDevice) {
        if (!newDevice.user().equals(self.user()) || newDevice.equals(self)) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("history goes only to another device of this device's own user"));
        }
        return client.createLink().thenCompose(link -> client.invite(link, newDevice)
                .thenCompose(epoch -> CompletableFuture.supplyAsync(history::records, actor))
                .thenCompose(records -> {
                    CompletableFuture<Long> chain = CompletableFuture.completedFuture(0L);
                    for (byte[] batch : DeviceLinks.historyBatches(records)) {
                        chain = chain.thenCompose(v -> client.send(link, batch));
                    }
                    return chain.thenApply(v -> records.size());
                })
                .whenComplete((n, e) -> actor.execute(() -> client.dropLink(link))));
    }

    /** One message of a history link, decrypted: records from another device of this device's user are imported. */
    void received(ConversationId link, DeviceUri sender, byte[] plaintext) {
        if (!sender.user().equals(self.user())) {
            listener.onRejected(link, "history from another user's device");
            return;
        }
        List<byte[]> records = DeviceLinks.parseHistory(plaintext).orElse(null);
        if (records == null) {
            listener.onRejected(link, "malformed history");
            return;
        }
        listener.onHistory(history.importRecords(records));
    }
}
