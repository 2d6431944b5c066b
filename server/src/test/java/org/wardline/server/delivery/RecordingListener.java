package org.wardline.server.delivery;

import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.MessageListener;
import org.wardline.clients.messaging.Receipt;
import org.wardline.clients.messaging.ReceivedMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what an SDK client reports, for tests to wait on. */
class RecordingListener implements MessageListener {
    final BlockingQueue<ReceivedMessage> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<ConversationId> joined = new LinkedBlockingQueue<>();
    final BlockingQueue<ConversationId> removed = new LinkedBlockingQueue<>();
    final BlockingQueue<Receipt> receipts = new LinkedBlockingQueue<>();
    final BlockingQueue<String> rejected = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(ReceivedMessage message) {
        messages.add(message);
    }

    @Override
    public void onJoined(ConversationId conversation) {
        joined.add(conversation);
    }

    @Override
    public void onRemoved(ConversationId conversation) {
        removed.add(conversation);
    }

    @Override
    public void onReceipt(Receipt receipt) {
        receipts.add(receipt);
    }

    @Override
    public void onRejected(ConversationId conversation, String reason) {
        rejected.add(reason);
    }

    static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T t = queue.poll(30, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("nothing arrived within 30 s");
        }
        return t;
    }

    static <T> List<T> next(BlockingQueue<T> queue, int n) throws InterruptedException {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next(queue));
        }
        return out;
    }
}
