package org.wardline.server.delivery;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's requests are processed concurrently (DeviceSession, RequestOrder): sent back to back without
 * waiting, they are still answered once each, in arrival order, stored in per-conversation send order, and
 * refused as rate-limited beyond the configured in-flight bound. The limits come from the server configuration.
 */
class PipelinedRequestsTest {
    private static final int MAX_IN_FLIGHT = 8;

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of(
            "WARDLINE_DELIVERY_FRAMES_PER_SECOND", "100000",
            "WARDLINE_DELIVERY_BURST", "100000",
            "WARDLINE_DELIVERY_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT),
            "WARDLINE_DELIVERY_LISTENER_INSTANCES", "2"));

    private static RawDevice device() throws Exception {
        return new RawDevice(TestDevices.teamMate(WARDLINE.server())).connect().hello();
    }

    private static long count(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    private static Frame send(ConversationGroup g, String text) {
        return Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, g.epoch())
                .with(Tag.PAYLOAD, g.protect(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Frame commit(ConversationGroup g, ConversationGroup.PendingCommit c) {
        Frame f = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, c.fromEpoch())
                .with(Tag.PAYLOAD, c.commit())
                .withEach(Tag.ADDED, c.added().stream().map(DeviceUri::toString).toList())
                .withEach(Tag.REMOVED, c.removed().stream().map(DeviceUri::toString).toList());
        return c.welcome() == null ? f : f.with(Tag.WELCOME, c.welcome());
    }

    /** A conversation of {@code owner} and {@code others}; returns the owner's group, then each other's. */
    private static List<ConversationGroup> conversation(RawDevice owner, RawDevice... others) throws Exception {
        byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        ConversationGroup a = ConversationGroup.create(owner.identity, groupId);
        owner.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId));
        Frame claim = Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0);
        for (RawDevice o : others) {
            o.uploadKeyPackages(1);
            claim = claim.with(Tag.DEVICE, o.uri().toString());
        }
        ConversationGroup.PendingCommit add = a.commitAdd(owner.ok(claim).all(Tag.KEY_PACKAGE));
        owner.ok(commit(a, add));
        a.accept(add);
        List<ConversationGroup> groups = new ArrayList<>(List.of(a));
        for (RawDevice o : others) {
            Frame welcome = o.nextDelivery();
            groups.add(o.join(welcome));
            o.ack(welcome);
        }
        return groups;
    }

    /** Sends the frames back to back with request IDs 1, 2, …, then reads their answers in the order they came. */
    private static List<Frame> pipelined(RawDevice device, List<Frame> frames) throws Exception {
        device.connection.unmatched().clear();
        for (int i = 0; i < frames.size(); i++) {
            device.connection.sendRaw(FrameCodec.encode(frames.get(i).withRequestId(i + 1)));
        }
        List<Frame> answers = new ArrayList<>();
        while (answers.size() < frames.size()) {
            Frame f = device.connection.unmatched().poll(30, TimeUnit.SECONDS);
            assertThat(f).as("answer %d of %d", answers.size() + 1, frames.size()).isNotNull();
            answers.add(f);
        }
        return answers;
    }

    @Test
    void sendsToTwoConversationsSentBackToBackAreAnsweredInOrderAndStoredInSendOrder() throws Exception {
        try (RawDevice alice = device(); RawDevice bob = device()) {
            List<ConversationGroup> x = conversation(alice, bob);
            List<ConversationGroup> y = conversation(alice, bob);
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < MAX_IN_FLIGHT / 2; i++) {
                frames.add(send(x.get(0), "x " + i));
                frames.add(send(y.get(0), "y " + i));
            }
            List<Frame> answers = pipelined(alice, frames);
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).requestId()).as("answers in arrival order").isEqualTo(i + 1);
                assertThat(answers.get(i).type()).isEqualTo(FrameType.OK);
            }

            Map<String, List<String>> read = new LinkedHashMap<>(Map.of("x", new ArrayList<>(), "y", new ArrayList<>()));
            Map<String, Long> lastSeq = new LinkedHashMap<>(Map.of("x", 0L, "y", 0L));
            for (int i = 0; i < frames.size(); i++) {
                Frame d = bob.nextDelivery();
                String c = java.util.Arrays.equals(d.bytes(Tag.GROUP_ID), x.get(0).groupId()) ? "x" : "y";
                assertThat(d.u64(Tag.SEQ)).as("conversation %s pushed in SEQ order", c).isGreaterThan(lastSeq.get(c));
                lastSeq.put(c, d.u64(Tag.SEQ));
                String text = new String(("x".equals(c) ? x.get(1) : y.get(1)).unprotect(d.bytes(Tag.PAYLOAD)).plaintext(),
                        StandardCharsets.UTF_8);
                read.get(c).add(text);
            }
            for (String c : List.of("x", "y")) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < MAX_IN_FLIGHT / 2; i++) {
                    expected.add(c + " " + i);
                }
                assertThat(read.get(c)).as("conversation %s in send order", c).isEqualTo(expected);
            }
        }
    }

    @Test
    void aSendRightAfterACommitInTheSameConversationWaitsForIt() throws Exception {
        try (RawDevice alice = device(); RawDevice bob = device(); RawDevice carol = device()) {
            List<ConversationGroup> groups = conversation(alice, bob, carol);
            ConversationGroup a = groups.get(0);
            ConversationGroup.PendingCommit remove = a.commitRemove(List.of(carol.uri()));
            Frame removal = commit(a, remove);
            a.accept(remove);
            List<Frame> answers = pipelined(alice, List.of(removal, send(a, "after the removal")));
            assertThat(answers).extracting(Frame::type).containsExactly(FrameType.OK, FrameType.OK);
            Frame first = bob.nextDelivery();
            assertThat(DeliveryKind.forCode(first.u64(Tag.KIND))).isEqualTo(DeliveryKind.COMMIT);
            ConversationGroup b = groups.get(1);
            assertThat(b.apply(first.bytes(Tag.PAYLOAD))).isTrue();
            assertThat(new String(b.unprotect(bob.nextDelivery().bytes(Tag.PAYLOAD)).plaintext(), StandardCharsets.UTF_8))
                    .isEqualTo("after the removal");
        }
    }

    @Test
    void requestsBeyondTheInFlightBoundAreRefusedInTheirPlaceAndNotStored() throws Exception {
        try (RawDevice alice = device(); RawDevice bob = device()) {
            ConversationGroup a = conversation(alice, bob).get(0);
            String stored = """
                    SELECT count(*) FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
                     WHERE c.group_id = $1 AND m.kind = 4""";
            List<Frame> frames = new ArrayList<>();
            for (int i = 0; i < 20 * MAX_IN_FLIGHT; i++) {
                frames.add(send(a, "burst " + i));
            }
            List<Frame> answers = pipelined(alice, frames);
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < answers.size(); i++) {
                Frame f = answers.get(i);
                assertThat(f.requestId()).as("answers in arrival order, refusals included").isEqualTo(i + 1);
                if (f.type() == FrameType.OK) {
                    ok++;
                } else {
                    assertThat(f.type()).isEqualTo(FrameType.ERROR);
                    assertThat(f.text(Tag.ERROR_CODE)).isEqualTo(ErrorCode.RATE_LIMITED.code());
                    limited++;
                }
            }
            assertThat(ok).as("the first %d are taken", MAX_IN_FLIGHT).isGreaterThanOrEqualTo(MAX_IN_FLIGHT);
            assertThat(limited).as("more than %d at once are refused", MAX_IN_FLIGHT).isPositive();
            assertThat(count(stored, Buffer.buffer(a.groupId()))).as("only accepted sends are stored").isEqualTo(ok);
            assertThat(alice.ok(send(a, "after the burst")).type()).isEqualTo(FrameType.OK);
        }
    }

    @Test
    void aFrameOnTheConnectionStillCountsAsItsSessionsActivity() throws Exception {
        try (RawDevice alice = device(); RawDevice again = new RawDevice(alice.credentials).connect()) {
            java.util.UUID device = alice.uri().device();
            String stale = """
                    SELECT count(*) FROM sessions WHERE last_seen_at < now() - interval '5 minutes' AND id =
                           (SELECT id FROM sessions WHERE device_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1)""";
            WARDLINE.server().database().pool()
                    .preparedQuery("UPDATE sessions SET last_seen_at = now() - interval '10 minutes' WHERE device_id = $1")
                    .execute(Tuple.of(device)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(count(stale, device)).isPositive();
            again.hello();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (count(stale, device) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(count(stale, device)).as("the connection's first frame touched its session").isZero();
        }
    }
}
