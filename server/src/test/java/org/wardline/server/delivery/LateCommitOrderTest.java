package org.wardline.server.delivery;

import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inbox SEQs come from one sequence shared by every transaction, so a transaction can commit after another that
 * took a higher SEQ (two nodes' relays, two conversations' batches). Issue 22 item 8: a fresh connection, in the
 * seconds before its catch-up read, passed over a live entry whose SEQ was below the highest it had pushed; the
 * catch-up pushed it later, after the next messages of the same sender. Here alice's first message is held in
 * PostgreSQL after it took its SEQ (a test trigger waits on an advisory lock) while bob's message, with a higher
 * SEQ, commits and reaches carol; alice's second message must still reach carol after her first.
 */
class LateCommitOrderTest {
    private static final long LOCK = 822_008L;

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static RawDevice device() throws Exception {
        return new RawDevice(TestDevices.teamMate(WARDLINE.server())).connect().hello();
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aSendersMessageCommittedAfterAHigherSeqStillReachesAFreshConnectionBeforeTheSendersNextOne() throws Exception {
        try (RawDevice alice = device(); RawDevice bob = device(); RawDevice carol = device()) {
            ConversationGroup withAlice = conversation(alice, carol);
            ConversationGroup withBob = conversation(bob, carol);
            carol.close();
            SqlConnection holder = await(WARDLINE.server().database().pool().getConnection());
            String trigger = "late_commit_" + UUID.randomUUID().toString().replace("-", "");
            try (RawDevice carolAgain = new RawDevice(carol.credentials).connect()) {
                carolAgain.hello();
                await(holder.query("SELECT pg_advisory_lock(" + LOCK + ")").execute());
                sql("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM "
                        + "pg_advisory_xact_lock(" + LOCK + "); RETURN NULL; END $$");
                sql("CREATE TRIGGER " + trigger + " AFTER INSERT ON conversation_messages FOR EACH ROW WHEN "
                        + "(NEW.sender_device = '" + alice.uri().device() + "') EXECUTE FUNCTION " + trigger + "()");
                CompletableFuture<Frame> first = alice.connection.request(send(withAlice, "a0"));
                awaitWaitingOnTheLock();
                bob.ok(send(withBob, "b0"));
                Frame fromBob = carolAgain.nextDelivery();
                assertThat(fromBob.text(Tag.SENDER)).isEqualTo(bob.uri().toString());
                await(holder.query("SELECT pg_advisory_unlock(" + LOCK + ")").execute());
                long firstId = first.get(20, TimeUnit.SECONDS).u64(Tag.MESSAGE_ID);
                long secondId = alice.ok(send(withAlice, "a1")).u64(Tag.MESSAGE_ID);
                List<Long> fromAlice = new ArrayList<>();
                List<Long> seqs = new ArrayList<>();
                while (fromAlice.size() < 2) {
                    Frame d = carolAgain.nextDelivery();
                    seqs.add(d.u64(Tag.SEQ));
                    fromAlice.add(d.u64(Tag.MESSAGE_ID));
                }
                assertThat(fromAlice).as("alice's messages in her order (SEQs %s)", seqs).containsExactly(firstId, secondId);
                assertThat(seqs.get(0)).as("alice's first took its SEQ before bob's").isLessThan(fromBob.u64(Tag.SEQ));
                Thread.sleep(DeviceSession.CATCH_UP_MILLIS + 500);
                assertThat(carolAgain.deliveries).as("nothing pushed twice by the catch-up").isEmpty();
            } finally {
                await(holder.query("SELECT pg_advisory_unlock_all()").execute());
                holder.close();
                sql("DROP TRIGGER IF EXISTS " + trigger + " ON conversation_messages");
                sql("DROP FUNCTION IF EXISTS " + trigger + "()");
            }
        }
    }

    private static void sql(String statement) throws Exception {
        await(WARDLINE.server().database().pool().query(statement).execute());
    }

    /** Alice's relay holds its SEQ and waits on the test's advisory lock. */
    private static void awaitWaitingOnTheLock() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (await(WARDLINE.server().database().pool().query("SELECT count(*) FROM pg_locks WHERE locktype = "
                + "'advisory' AND NOT granted").execute()).iterator().next().getLong(0) == 0) {
            assertThat(System.nanoTime()).as("alice's relay waits on the lock").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static Frame send(ConversationGroup g, String text) {
        return Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, g.epoch())
                .with(Tag.PAYLOAD, g.protect(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A conversation of {@code owner} and {@code other} at epoch 1; returns the owner's group. */
    private static ConversationGroup conversation(RawDevice owner, RawDevice other) throws Exception {
        byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        ConversationGroup g = ConversationGroup.create(owner.identity, groupId);
        owner.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId));
        other.uploadKeyPackages(1);
        Frame claimed = owner.ok(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, other.uri().toString()));
        ConversationGroup.PendingCommit add = g.commitAdd(claimed.all(Tag.KEY_PACKAGE));
        owner.ok(Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, add.fromEpoch())
                .with(Tag.PAYLOAD, add.commit()).with(Tag.WELCOME, add.welcome())
                .withEach(Tag.ADDED, add.added().stream().map(DeviceUri::toString).toList()));
        g.accept(add);
        Frame welcome = other.nextDelivery();
        other.join(welcome);
        other.ack(welcome);
        return g;
    }
}
