package org.wardline.clients.messaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.ReceiptKind;
import org.wardline.protocol.wire.Tag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receipts against a connection double that answers in the real codec: one the server cannot take now is kept in
 * the vault (through a restart of the sender) and sent later, in order, one at a time; one refused for good is not
 * kept.
 */
class ReceiptSenderTest {
    @TempDir
    Path dir;

    private final ScheduledExecutorService actor = Executors.newSingleThreadScheduledExecutor();
    private final List<LocalVault> vaults = new ArrayList<>();

    @AfterEach
    void close() {
        actor.shutdownNow();
        vaults.forEach(LocalVault::close);
    }

    /** A connection double: every request is encoded and decoded with the real codec, then answered as told. */
    private static final class Connection implements ReceiptSender.Client {
        final BlockingQueue<Frame> sent = new LinkedBlockingQueue<>();
        volatile boolean connected = true;
        volatile String refuseWith;

        @Override
        public CompletableFuture<Frame> request(Frame frame) {
            Frame onTheWire;
            try {
                onTheWire = FrameCodec.decode(FrameCodec.encode(frame));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
            if (!connected) {
                return CompletableFuture.failedFuture(new MessagingException(MessagingException.CONNECTION_LOST, null));
            }
            if (refuseWith != null) {
                return CompletableFuture.failedFuture(new MessagingException(refuseWith, null));
            }
            sent.add(onTheWire);
            return CompletableFuture.completedFuture(Frame.of(FrameType.OK, onTheWire.requestId()));
        }

        @Override
        public Frame await(Frame frame) throws Exception {
            try {
                return request(frame).get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public boolean isClosing() {
            return false;
        }

        @Override
        public boolean vaultDestroyed() {
            return false;
        }
    }

    private ReceiptSender sender(Connection connection) {
        LocalVault vault = LocalVault.open(dir.resolve("vault"), "p".toCharArray());
        vaults.add(vault);
        return new ReceiptSender(PendingReceipts.open(vault), actor, connection, new MessageListener() { });
    }

    private static ReceivedMessage message(long id) {
        return new ReceivedMessage(ConversationId.of(new byte[16]), DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()),
                id, 0, "x".getBytes());
    }

    private <T> T onActor(java.util.concurrent.Callable<T> task) throws Exception {
        return actor.submit(task).get(10, TimeUnit.SECONDS);
    }

    @Test
    void receiptsTheServerCannotTakeNowAreKeptThroughARestartAndSentInOrder() throws Exception {
        Connection offline = new Connection();
        offline.connected = false;
        ReceiptSender first = sender(offline);
        onActor(() -> {
            first.delivered(message(1));
            first.read(message(2));
            return null;
        });
        assertThat(onActor(first::pending)).isEqualTo(2);
        vaults.remove(0).close();

        Connection online = new Connection();
        ReceiptSender restarted = sender(online);
        assertThat(onActor(restarted::pending)).as("kept in the vault").isEqualTo(2);
        onActor(() -> {
            restarted.resume();
            return null;
        });
        Frame a = online.sent.poll(10, TimeUnit.SECONDS);
        Frame b = online.sent.poll(10, TimeUnit.SECONDS);
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        assertThat(List.of(a.u64(Tag.MESSAGE_ID), b.u64(Tag.MESSAGE_ID))).containsExactly(1L, 2L);
        assertThat(List.of(a.u64(Tag.KIND), b.u64(Tag.KIND)))
                .containsExactly((long) ReceiptKind.DELIVERED.code(), (long) ReceiptKind.READ.code());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (onActor(restarted::pending) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(onActor(restarted::pending)).isZero();
    }

    @Test
    void aReadReceiptRefusedForGoodFailsAndIsNotKept() throws Exception {
        Connection connection = new Connection();
        connection.refuseWith = ErrorCode.NOT_A_MEMBER.code();
        ReceiptSender sender = sender(connection);
        Exception refused = actor.submit(() -> {
            try {
                sender.read(message(7));
                return null;
            } catch (Exception e) {
                return e;
            }
        }).get(10, TimeUnit.SECONDS);
        assertThat(refused).isInstanceOf(MessagingException.class);
        assertThat(onActor(sender::pending)).isZero();

        connection.refuseWith = ErrorCode.RATE_LIMITED.code();
        onActor(() -> {
            sender.read(message(8));
            return null;
        });
        assertThat(onActor(sender::pending)).as("rate-limited: kept to be sent later").isEqualTo(1);
    }
}
