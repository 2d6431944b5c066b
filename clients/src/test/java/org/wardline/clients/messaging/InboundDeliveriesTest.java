package org.wardline.clients.messaging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.KeyPackageBundle;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bob's deliveries from a real bcmls group with alice, each frame encoded and decoded with the real codec, with the
 * real {@link AckBatcher} and vault: what is acknowledged, when, and what is kept undecrypted.
 */
class InboundDeliveriesTest {
    private static final String ACTOR = "bob-actor";

    @TempDir
    Path dir;

    private final ExecutorService actor = Executors.newSingleThreadExecutor(r -> new Thread(r, ACTOR));
    private final DeviceMlsIdentity alice = identity();
    private final DeviceMlsIdentity bob = identity();
    private final DeviceMlsIdentity carol = identity();
    private final List<Frame> acksSent = new CopyOnWriteArrayList<>();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final AtomicInteger saves = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Map<ConversationId, ConversationGroup> groups = new HashMap<>();
    private volatile RuntimeException receiving;
    private volatile RuntimeException saving;
    private LocalVault vault;
    private ConversationGroup a;
    private ConversationId id;
    private InboundDeliveries inbound;

    private static DeviceMlsIdentity identity() {
        return DeviceMlsIdentity.generate(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), MlsSuites.DEFAULT_ID);
    }

    @BeforeEach
    void aliceAndBob() throws Exception {
        KeyPackageBundle bobKp = bob.newKeyPackage();
        a = ConversationGroup.create(alice, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded()));
        a.accept(add);
        ConversationGroup b = ConversationGroup.join(bob, bobKp, add.welcome());
        id = ConversationId.of(b.groupId());
        groups.put(id, b);
        vault = LocalVault.open(dir, "bob's passphrase".toCharArray());
        AckBatcher[] acks = new AckBatcher[1];
        acks[0] = new AckBatcher(actor, new AckBatcher.Client() {
            @Override
            public boolean makeDurable() {
                return inbound.makeDurable();
            }

            @Override
            public void send(Frame ack) {
                acksSent.add(onTheWire(ack));
            }
        });
        MessageListener listener = new MessageListener() {
            @Override
            public void onEpoch(ConversationId conversation, long epoch) {
                tell("epoch " + epoch);
            }

            @Override
            public void onMembershipChanged(ConversationId conversation, DeviceUri by, List<DeviceUri> added,
                                            List<DeviceUri> removed) {
                tell("added " + (added.equals(List.of(carol.device())) ? "carol" : added) + " by "
                        + (by.equals(alice.device()) ? "alice" : by));
            }

            @Override
            public void onUndecryptable(ConversationId conversation, String reason) {
                tell("undecryptable " + reason);
            }
        };
        inbound = new InboundDeliveries(bob.device(), groups, new MessageHistory(vault), vault, acks[0], listener,
                new InboundDeliveries.Client() {
                    @Override
                    public void join(ConversationId conversation, byte[] welcome) {
                        tell("join");
                    }

                    @Override
                    public void removed(ConversationId conversation) {
                        tell("removed");
                    }

                    @Override
                    public void remember(ConversationId conversation) {
                        tell("remember");
                    }

                    @Override
                    public void linkMessage(ConversationId link, DeviceUri sender, byte[] plaintext) {
                        tell("link message");
                    }

                    @Override
                    public void received(ReceivedMessage message) {
                        if (receiving != null) {
                            throw receiving;
                        }
                        tell("received " + new String(message.body(), StandardCharsets.UTF_8));
                    }

                    @Override
                    public void removalRequested(ConversationId conversation, List<String> devices) {
                        tell("removal requested");
                    }

                    @Override
                    public void externalRemovalProposed(ConversationId conversation, ConversationGroup group, Frame p) {
                        tell("external proposal");
                    }

                    @Override
                    public void legalHoldChanged() {
                        tell("legal hold");
                    }

                    @Override
                    public void persist() {
                        saves.incrementAndGet();
                        if (saving != null) {
                            throw saving;
                        }
                    }

                    @Override
                    public void failed() {
                        failures.incrementAndGet();
                        tell("failed");
                    }
                });
    }

    @AfterEach
    void close() {
        actor.shutdownNow();
        vault.close();
    }

    private void tell(String what) {
        told.add(Thread.currentThread().getName().equals(ACTOR) ? what : what + " off the actor");
    }

    private static Frame onTheWire(Frame f) {
        try {
            return FrameCodec.decode(FrameCodec.encode(f));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Frame deliverFrame(long seq, DeliveryKind kind, long epoch) {
        return Frame.of(FrameType.DELIVER, 0).with(Tag.SEQ, seq).with(Tag.KIND, kind.code()).with(Tag.GROUP_ID, id.groupId())
                .with(Tag.SENDER, alice.device().toString()).with(Tag.EPOCH, epoch);
    }

    private Frame message(long seq, long messageId, byte[] ciphertext) {
        return deliverFrame(seq, DeliveryKind.APPLICATION, a.epoch()).with(Tag.MESSAGE_ID, messageId)
                .with(Tag.SENT_AT, 1_700_000_000_000L).with(Tag.PAYLOAD, ciphertext);
    }

    private Frame alicesMessage(long seq, long messageId, String text) {
        return message(seq, messageId, a.protect(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** alice adds carol; the commit frame as the server delivers it. */
    private Frame alicesAddOfCarol(long seq) throws Exception {
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(carol.newKeyPackage().encoded()));
        a.accept(add);
        return deliverFrame(seq, DeliveryKind.COMMIT, add.fromEpoch()).with(Tag.PAYLOAD, add.commit())
                .with(Tag.ADDED, carol.device().toString());
    }

    /** Delivers these frames on the actor, then waits for the ACK flush queued behind them. */
    private void deliver(Frame... frames) throws Exception {
        actor.submit(() -> {
            for (Frame f : frames) {
                inbound.deliver(onTheWire(f));
            }
        }).get(10, TimeUnit.SECONDS);
        actor.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    private List<Long> acknowledged() {
        return acksSent.stream().flatMap(f -> {
            try {
                return f.allU64(Tag.SEQ).stream();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void aMessageFromALaterEpochWaitsForItsCommitThenBothAreAcknowledgedAfterOneSave() throws Exception {
        Frame commit = alicesAddOfCarol(4);
        Frame early = alicesMessage(5, 50, "K+ 6.1 mmol/L");

        deliver(early);
        assertThat(told).isEmpty();
        assertThat(acksSent).isEmpty();

        deliver(commit);
        assertThat(told).containsExactly("remember", "epoch 2", "added carol by alice", "received K+ 6.1 mmol/L");
        assertThat(acksSent).hasSize(1);
        assertThat(acknowledged()).containsExactlyInAnyOrder(4L, 5L);
        assertThat(saves).hasValue(1);
    }

    @Test
    void aReplayThatFailsInsideItsCommitLeavesTheCommitUnacknowledgedAndHaltsUntilTheNextConnection() throws Exception {
        Frame commit = alicesAddOfCarol(4);
        deliver(alicesMessage(5, 50, "K+ 6.1 mmol/L"));
        receiving = new IllegalStateException("vault full");

        deliver(commit, alicesMessage(6, 60, "repeat K+"));
        assertThat(told).containsExactly("remember", "epoch 2", "added carol by alice", "failed");
        assertThat(acksSent).as("neither the commit, the message replayed in it, nor what came after").isEmpty();
        assertThat(saves).hasValue(0);

        receiving = null;
        deliver(alicesMessage(7, 70, "still halted"));
        assertThat(told).hasSize(4);

        inbound.resume();
        deliver(alicesMessage(8, 80, "next connection"));
        assertThat(told).endsWith("received next connection");
        assertThat(acknowledged()).containsExactly(8L);
        assertThat(failures).hasValue(1);
    }

    @Test
    void aMessageThatCannotBeDecryptedIsKeptWithItsReasonAndAcknowledgedAsUnread() throws Exception {
        byte[] damaged = a.protect("BP 120/80".getBytes(StandardCharsets.UTF_8));
        damaged[damaged.length - 1] ^= 1;

        deliver(message(3, 30, damaged));

        assertThat(told).containsExactly("undecryptable " + MessageListener.UNDECRYPTABLE);
        assertThat(vault.read(UndecryptedRecords.KIND)).singleElement().satisfies(r -> {
            UndecryptedRecords.Kept kept = UndecryptedRecords.decode(r);
            assertThat(kept.messageId()).isEqualTo(30);
            assertThat(kept.reason()).isEqualTo(MessageListener.UNDECRYPTABLE);
        });
        assertThat(acknowledged()).containsExactly(3L);
        assertThat(acksSent.getFirst().allText(Tag.UNREAD)).containsExactly("3 " + MessageListener.UNDECRYPTABLE);
    }

    @Test
    void aDeliveryProcessedBeforeIsAcknowledgedAgainWithoutBeingProcessedTwice() throws Exception {
        Frame m = alicesMessage(3, 30, "BP 120/80");

        deliver(m);
        deliver(m);

        assertThat(told).containsExactly("received BP 120/80");
        assertThat(acknowledged()).containsExactly(3L, 3L);
        assertThat(saves).as("the second changed nothing").hasValue(1);
        assertThat(vault.read(UndecryptedRecords.KIND)).isEmpty();
    }

    @Test
    void aStateThatCannotBeSavedAcknowledgesNothingAndTheDeliveryIsTakenAgainOnTheNextConnection() throws Exception {
        Frame m = alicesMessage(3, 30, "BP 120/80");
        saving = new java.io.UncheckedIOException(new java.io.IOException("disk full"));

        deliver(m);
        assertThat(told).containsExactly("received BP 120/80", "failed");
        assertThat(acksSent).isEmpty();

        saving = null;
        inbound.resume();
        deliver(m);
        assertThat(told).as("recorded in the history the first time: not told again").hasSize(2);
        assertThat(acknowledged()).containsExactly(3L);
        assertThat(saves).hasValue(2);
    }
}
