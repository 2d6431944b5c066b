package org.wardline.server.delivery;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.slf4j.LoggerFactory;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends that arrive together from several connections share a transaction (RelayBatcher); every one of them must
 * still get the answer it would get alone, and acknowledgements in bulk must clean up as single ones do.
 */
class RelayBurstTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    static {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(GroupCommit.class)).addAppender(LOGS);
    }

    /** A batch that fails is retried request by request, which hides a broken batch statement from the answers. */
    private static void noBatchFellBack() {
        List<ILoggingEvent> events;
        synchronized (LOGS) {
            events = List.copyOf(LOGS.list);
        }
        assertThat(events).extracting(ILoggingEvent::getFormattedMessage).doesNotContain("batch failed; retrying its requests one by one");
    }

    private static RawDevice device() throws Exception {
        return new RawDevice(TestDevices.teamMate(WARDLINE.server())).connect().hello();
    }

    private static long count(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    private static Frame send(ConversationGroup g, byte[] payload) {
        return Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, g.epoch()).with(Tag.PAYLOAD, payload);
    }

    private static String outcome(CompletableFuture<Frame> answer) throws Exception {
        try {
            answer.get(30, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            return ((org.wardline.clients.messaging.MessagingException) e.getCause()).code();
        }
    }

    @Test
    void aBurstOfGoodReplayedStaleAndForeignSendsGetsEachItsOwnAnswer() throws Exception {
        try (RawDevice alice = device(); RawDevice bob = device(); RawDevice carol = device()) {
            byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            ConversationGroup a = ConversationGroup.create(alice.identity, groupId);
            alice.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId));
            bob.uploadKeyPackages(1);
            carol.uploadKeyPackages(1);
            Frame claimed = alice.ok(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, bob.uri().toString())
                    .with(Tag.DEVICE, carol.uri().toString()));
            ConversationGroup.PendingCommit add = a.commitAdd(claimed.all(Tag.KEY_PACKAGE));
            alice.ok(commit(a, add));
            a.accept(add);
            ConversationGroup b = bob.join(bob.nextDelivery());
            ConversationGroup c = carol.join(carol.nextDelivery());

            byte[] stale = b.protect("written before the removal".getBytes());
            ConversationGroup.PendingCommit remove = a.commitRemove(List.of(carol.uri()));
            alice.ok(commit(a, remove));
            a.accept(remove);
            Frame removal = bob.nextDelivery();
            assertThat(DeliveryKind.forCode(removal.u64(Tag.KIND))).isEqualTo(DeliveryKind.COMMIT);
            assertThat(b.apply(removal.bytes(Tag.PAYLOAD))).isTrue();
            // The removed device gets the commit too; its connection may be on another event loop than bob's.
            assertThat(DeliveryKind.forCode(carol.nextDelivery().u64(Tag.KIND))).isEqualTo(DeliveryKind.COMMIT);
            bob.deliveries.clear();
            carol.deliveries.clear();

            List<byte[]> fromAlice = new ArrayList<>();
            List<byte[]> fromBob = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fromAlice.add(a.protect(("alice " + i).getBytes()));
                fromBob.add(b.protect(("bob " + i).getBytes()));
            }
            byte[] foreign = c.protect("still here?".getBytes());
            try (RawDevice aliceAgain = new RawDevice(alice.credentials).connect().hello()) {
                List<CompletableFuture<Frame>> aliceAnswers = new ArrayList<>();
                List<CompletableFuture<Frame>> bobAnswers = new ArrayList<>();
                CompletableFuture<Frame> replay = aliceAgain.connection.request(send(a, fromAlice.get(0)));
                for (int i = 0; i < 8; i++) {
                    aliceAnswers.add(alice.connection.request(send(a, fromAlice.get(i))));
                    bobAnswers.add(bob.connection.request(send(b, fromBob.get(i))));
                }
                CompletableFuture<Frame> staleAnswer = bob.connection.request(Frame.of(FrameType.SEND, 0)
                        .with(Tag.GROUP_ID, groupId).with(Tag.EPOCH, 1).with(Tag.PAYLOAD, stale));
                CompletableFuture<Frame> foreignAnswer = carol.connection.request(Frame.of(FrameType.SEND, 0)
                        .with(Tag.GROUP_ID, groupId).with(Tag.EPOCH, 1).with(Tag.PAYLOAD, foreign));

                List<String> firstOfAlice = List.of(outcome(aliceAnswers.get(0)), outcome(replay));
                assertThat(firstOfAlice).as("the same message twice: one accepted, one replay")
                        .containsExactlyInAnyOrder("ok", ErrorCode.REPLAY.code());
                for (int i = 1; i < 8; i++) {
                    assertThat(outcome(aliceAnswers.get(i))).isEqualTo("ok");
                }
                for (CompletableFuture<Frame> f : bobAnswers) {
                    assertThat(outcome(f)).isEqualTo("ok");
                }
                assertThat(outcome(staleAnswer)).isEqualTo(ErrorCode.WRONG_EPOCH.code());
                assertThat(outcome(foreignAnswer)).isEqualTo(ErrorCode.NOT_A_MEMBER.code());
            }
            noBatchFellBack();

            Set<String> bobRead = new HashSet<>();
            List<Frame> bobGot = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Frame d = bob.nextDelivery();
                bobGot.add(d);
                bobRead.add(new String(b.unprotect(d.bytes(Tag.PAYLOAD)).plaintext()));
            }
            assertThat(bobRead).hasSize(8).allMatch(s -> s.startsWith("alice "));
            Set<Long> aliceSeqs = new HashSet<>();
            List<Frame> aliceGot = new ArrayList<>();
            while (aliceGot.size() < 8) {
                Frame d = alice.nextDelivery();
                if (aliceSeqs.add(d.u64(Tag.SEQ))) {
                    aliceGot.add(d);
                    assertThat(new String(a.unprotect(d.bytes(Tag.PAYLOAD)).plaintext())).startsWith("bob ");
                }
            }
            assertThat(carol.deliveries.poll(1, TimeUnit.SECONDS)).as("removed: nothing more for carol").isNull();
            String appMessages = """
                    SELECT count(*) FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
                     WHERE c.group_id = $1 AND m.kind = 4""";
            assertThat(count(appMessages, Buffer.buffer(groupId))).isEqualTo(16);
            String appEntries = """
                    SELECT count(*) FROM device_inbox i JOIN conversation_messages m ON m.id = i.message_id
                     WHERE i.device_id = ANY($1) AND m.kind = 4""";
            assertThat(count(appEntries, (Object) new UUID[] {carol.uri().device()})).as("nothing stored for carol").isZero();

            Frame bobAck = Frame.of(FrameType.ACK, 0);
            for (Frame d : bobGot) {
                bobAck = bobAck.with(Tag.SEQ, d.u64(Tag.SEQ));
            }
            Frame aliceAck = Frame.of(FrameType.ACK, 0);
            for (Frame d : aliceGot) {
                aliceAck = aliceAck.with(Tag.SEQ, d.u64(Tag.SEQ));
            }
            CompletableFuture<Frame> bobAcked = bob.connection.request(bobAck);
            CompletableFuture<Frame> aliceAcked = alice.connection.request(aliceAck);
            assertThat(outcome(bobAcked)).isEqualTo("ok");
            assertThat(outcome(aliceAcked)).isEqualTo("ok");
            assertThat(count(appMessages, Buffer.buffer(groupId))).as("acknowledged everywhere, so deleted").isZero();
            assertThat(count(appEntries, (Object) new UUID[] {alice.uri().device(), bob.uri().device()})).isZero();
            noBatchFellBack();
        }
    }

    private static Frame commit(ConversationGroup g, ConversationGroup.PendingCommit c) {
        Frame f = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, c.fromEpoch())
                .with(Tag.PAYLOAD, c.commit())
                .withEach(Tag.ADDED, c.added().stream().map(DeviceUri::toString).toList())
                .withEach(Tag.REMOVED, c.removed().stream().map(DeviceUri::toString).toList());
        return c.welcome() == null ? f : f.with(Tag.WELCOME, c.welcome());
    }
}
