package org.wardline.clients.messaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.protocol.wire.UnreadReason;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** ACK batching against a connection double that decodes what it is sent with the real codec. */
class AckBatcherTest {
    private final ExecutorService actor = Executors.newSingleThreadExecutor();
    private final List<Frame> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger saves = new AtomicInteger();
    private final AtomicBoolean saveFails = new AtomicBoolean();
    private AckBatcher acks;

    @AfterEach
    void close() {
        actor.shutdownNow();
    }

    private AckBatcher batcher() {
        return new AckBatcher(actor, new AckBatcher.Client() {
            @Override
            public boolean makeDurable() {
                saves.incrementAndGet();
                if (saveFails.get()) {
                    acks.drop();
                    return false;
                }
                return true;
            }

            @Override
            public void send(Frame ack) {
                try {
                    sent.add(FrameCodec.decode(FrameCodec.encode(ack)));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
    }

    private void onActorAndAfter(Runnable task) throws Exception {
        actor.submit(task).get(5, TimeUnit.SECONDS);
        actor.submit(() -> { }).get(5, TimeUnit.SECONDS); // the flush queued behind the task has run
    }

    @Test
    void deliveriesProcessedTogetherShareOneSaveAndOneAckFrameOfAtMostTheServersBound() throws Exception {
        acks = batcher();
        onActorAndAfter(() -> LongStream.rangeClosed(1, AckBatcher.MAX_PER_FRAME + 5).forEach(acks::ack));
        assertThat(saves).as("one save for the burst").hasValue(1);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).type()).isEqualTo(FrameType.ACK);
        assertThat(sent.get(0).allU64(Tag.SEQ)).hasSize(AckBatcher.MAX_PER_FRAME).startsWith(1L, 2L);
        assertThat(sent.get(1).allU64(Tag.SEQ)).containsExactly(1001L, 1002L, 1003L, 1004L, 1005L);
    }

    @Test
    void nothingIsAcknowledgedWhenTheStateCannotBeSaved() throws Exception {
        acks = batcher();
        saveFails.set(true);
        onActorAndAfter(() -> {
            acks.ack(7);
            acks.ack(8);
        });
        assertThat(sent).isEmpty();
        saveFails.set(false);
        onActorAndAfter(() -> acks.ack(9));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).allU64(Tag.SEQ)).as("the dropped ones are not sent later").containsExactly(9L);
    }

    @Test
    void aDeliveryKeptUnreadIsAcknowledgedWithItsReasonAndOnlyOnce() throws Exception {
        acks = batcher();
        onActorAndAfter(() -> {
            acks.ack(1);
            acks.markUnread(2, UnreadReason.UNDECRYPTABLE);
            acks.ack(2);
            acks.markUnread(3, UnreadReason.EARLIER_EPOCH);
            acks.ack(3);
        });
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).allU64(Tag.SEQ)).containsExactly(1L, 2L, 3L);
        assertThat(sent.get(0).allText(Tag.UNREAD)).containsExactly("2 undecryptable", "3 epoch.earlier");
        onActorAndAfter(() -> acks.ack(2)); // delivered again after a lost ACK: the server recorded it already, or not
        assertThat(sent.get(1).allText(Tag.UNREAD)).isEmpty();
    }

    @Test
    void aFailedSaveForgetsTheUnreadMarksWithTheAcknowledgements() throws Exception {
        acks = batcher();
        saveFails.set(true);
        onActorAndAfter(() -> {
            acks.markUnread(4, UnreadReason.NOT_A_MEMBER);
            acks.ack(4);
        });
        saveFails.set(false);
        onActorAndAfter(() -> acks.ack(5));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).allText(Tag.UNREAD)).isEmpty();
    }

    @Test
    void everyReasonTheClientReportsHasAWireCode() {
        for (String reason : List.of(MessageListener.NOT_A_MEMBER_HERE, MessageListener.EARLIER_EPOCH, MessageListener.UNDECRYPTABLE)) {
            assertThat(UnreadReason.forCode(reason)).as(reason).isPresent();
        }
    }
}
