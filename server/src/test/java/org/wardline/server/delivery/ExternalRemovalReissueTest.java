package org.wardline.server.delivery;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.ExternalSenderKey;
import org.wardline.protocol.mls.ExternalSenderSigner;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.mls.RejectedProposalException;
import org.wardline.protocol.mls.Roster;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.mls.ExternalSenderKeystore;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The delivery service's side of external Remove proposals, with devices that send exactly the frames each step
 * needs: the server checks the group's external sender on creation, and re-issues a pending removal when a commit
 * moves the epoch without carrying it out.
 */
class ExternalRemovalReissueTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static RawDevice device() throws Exception {
        return new RawDevice(TestDevices.teamMate(WARDLINE.server())).connect().hello();
    }

    private static ExternalSenderSigner serverSigner() {
        return ExternalSenderKeystore.loadOrCreate(WARDLINE.server().config().pki().directory(),
                WARDLINE.server().config().pki().passphrase());
    }

    private static Frame commitFrame(ConversationGroup g, ConversationGroup.PendingCommit c) throws Exception {
        Frame f = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, c.fromEpoch())
                .with(Tag.PAYLOAD, c.commit())
                .withEach(Tag.ADDED, c.added().stream().map(DeviceUri::toString).toList())
                .withEach(Tag.REMOVED, c.removed().stream().map(DeviceUri::toString).toList())
                .withEach(Tag.ROSTER, Roster.encode(c.roster()));
        return c.welcome() == null ? f : f.with(Tag.WELCOME, c.welcome());
    }

    /** The next delivery of {@code kind}, acknowledging (and skipping) the others. */
    private static Frame next(RawDevice d, DeliveryKind kind) throws Exception {
        while (true) {
            Frame f = d.nextDelivery();
            d.ack(f);
            if (DeliveryKind.forCode(f.u64(Tag.KIND)) == kind) {
                return f;
            }
        }
    }

    @Test
    void aGroupNamingAnotherExternalSenderIsRefusedAtCreation() throws Exception {
        try (RawDevice alice = device()) {
            var pair = ExternalSenderSigner.generateKeyPair(MlsSuites.DEFAULT_ID);
            ExternalSenderKey other = ExternalSenderSigner.of(MlsSuites.DEFAULT_ID, pair.getPrivate(), pair.getPublic()).key();
            byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            assertThat(alice.error(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId)
                    .with(Tag.EXTERNAL_SENDER, other.encoded()))).isEqualTo(ErrorCode.EXTERNAL_SENDER_MISMATCH.code());
            assertThat(alice.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId)
                    .with(Tag.EXTERNAL_SENDER, serverSigner().key().encoded())).type()).as("nothing was kept by the refusal")
                    .isEqualTo(FrameType.OK);
        }
    }

    @Test
    void aCommitThatLeavesTheWipedDeviceInGetsTheProposalReissuedForTheNewEpoch() throws Exception {
        ExternalSenderKey serverKey = serverSigner().key();
        try (RawDevice alice = device(); RawDevice bob = device(); RawDevice lost = device(); RawDevice dave = device()) {
            byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            ConversationGroup a = ConversationGroup.create(alice.identity, groupId, serverKey);
            alice.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId).with(Tag.EXTERNAL_SENDER, serverKey.encoded()));
            bob.uploadKeyPackages(1);
            lost.uploadKeyPackages(1);
            Frame claimed = alice.ok(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, bob.uri().toString())
                    .with(Tag.DEVICE, lost.uri().toString()));
            ConversationGroup.PendingCommit add = a.commitAdd(claimed.all(Tag.KEY_PACKAGE));
            alice.ok(commitFrame(a, add));
            a.accept(add);
            ConversationGroup b = bob.join(next(bob, DeliveryKind.WELCOME));

            DeviceRemoval.Result removal = new DeviceRemoval(WARDLINE.server().vertx(), WARDLINE.server().database().pool(),
                    new ExternalRemovalIssuer(WARDLINE.server().vertx(), WARDLINE.server().database().pool(), serverSigner()))
                    .remove(lost.uri()).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(removal.externalProposals()).as("one proposal, queued for Alice and Bob").isEqualTo(1);
            assertThat(removal.removalRequests()).isZero();
            Frame atEpoch1 = next(alice, DeliveryKind.EXTERNAL_PROPOSAL);
            assertThat(atEpoch1.u64(Tag.EPOCH)).isEqualTo(1);
            assertThat(atEpoch1.allText(Tag.REMOVED)).containsExactly(lost.uri().toString());
            Frame bobsCopy = next(bob, DeliveryKind.EXTERNAL_PROPOSAL);

            // Alice ignores the proposal and commits something else: the epoch moves, the device is still in.
            dave.uploadKeyPackages(1);
            ConversationGroup.PendingCommit addDave = a.commitAdd(
                    alice.ok(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, dave.uri().toString())).all(Tag.KEY_PACKAGE));
            alice.ok(commitFrame(a, addDave));
            a.accept(addDave);

            // Bob gets the commit, then the proposal again, signed for epoch 2; the epoch-1 copy is now a replay.
            assertThat(b.apply(next(bob, DeliveryKind.COMMIT).bytes(Tag.PAYLOAD))).isTrue();
            Frame atEpoch2 = next(bob, DeliveryKind.EXTERNAL_PROPOSAL);
            assertThat(atEpoch2.u64(Tag.EPOCH)).isEqualTo(2);
            assertThatThrownBy(() -> b.receiveExternalRemoval(bobsCopy.bytes(Tag.PAYLOAD), lost.uri(), serverKey))
                    .isInstanceOfSatisfying(RejectedProposalException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectedProposalException.Reason.STALE_EPOCH));
            assertThat(b.receiveExternalRemoval(atEpoch2.bytes(Tag.PAYLOAD), lost.uri(), serverKey)).isTrue();
            ConversationGroup.PendingCommit commit = b.commitExternalRemovals();
            assertThat(commit.removed()).containsExactly(lost.uri());
            bob.ok(commitFrame(b, commit));
            b.accept(commit);
            assertThat(b.members().values()).containsExactlyInAnyOrder(alice.uri(), bob.uri(), dave.uri());

            // Alice caches the re-issued proposal too, so she can follow Bob's commit by reference.
            Frame alicesEpoch2 = next(alice, DeliveryKind.EXTERNAL_PROPOSAL);
            assertThat(a.receiveExternalRemoval(alicesEpoch2.bytes(Tag.PAYLOAD), lost.uri(), serverKey)).isTrue();
            assertThat(a.apply(next(alice, DeliveryKind.COMMIT).bytes(Tag.PAYLOAD))).isTrue();
            assertThat(a.epochAuthenticator()).isEqualTo(b.epochAuthenticator());
            assertThat(pending(lost.uri())).as("settled by Bob's commit").isZero();
        }
    }

    private static long pending(DeviceUri device) throws Exception {
        for (int i = 0; i < 100; i++) {
            long n = WARDLINE.server().database().pool()
                    .preparedQuery("SELECT count(*) FROM mls_external_removals WHERE device_id = $1").execute(Tuple.of(device.device()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
            if (n == 0) {
                return 0;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return -1;
    }
}
