package org.wardline.clients.messaging;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.ExternalSenderKey;
import org.wardline.protocol.mls.ExternalSenderSigner;
import org.wardline.protocol.mls.KeyPackageBundle;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Removals of wiped devices as bob sees them, in real bcmls groups of alice, bob and carol, with the server's
 * proposals decoded from the real codec and the key pinned in a real vault.
 */
class WipedDeviceRemovalsTest {
    private static final ExternalSenderSigner SERVER = signer();
    private static final ExternalSenderSigner IMPOSTOR = signer();

    @TempDir
    Path dir;

    private final DeviceMlsIdentity alice = identity();
    private final DeviceMlsIdentity bob = identity();
    private final DeviceMlsIdentity carol = identity();
    private LocalVault vault;
    private final List<String> rejected = new ArrayList<>();
    private final List<ConversationId> closed = new ArrayList<>();
    private final List<CommitCoordinator.Builder> commits = new ArrayList<>();
    private ConversationGroup a;
    private ConversationGroup b;
    private ConversationId id;
    private int fetches;

    private static ExternalSenderSigner signer() {
        AsymmetricCipherKeyPair pair = ExternalSenderSigner.generateKeyPair(MlsSuites.DEFAULT_ID);
        return ExternalSenderSigner.of(MlsSuites.DEFAULT_ID, pair.getPrivate(), pair.getPublic());
    }

    private static DeviceMlsIdentity identity() {
        return DeviceMlsIdentity.generate(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), MlsSuites.DEFAULT_ID);
    }

    /** What the server presents when asked for its key: a key, nothing, or a failure. */
    private interface Server {
        Optional<ExternalSenderKey> present();
    }

    /** alice's group naming the server as external sender, with bob and carol added; bob's vault. */
    @BeforeEach
    void trio() throws Exception {
        KeyPackageBundle bobKp = bob.newKeyPackage();
        KeyPackageBundle carolKp = carol.newKeyPackage();
        a = ConversationGroup.create(alice, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8), SERVER.key());
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded(), carolKp.encoded()));
        a.accept(add);
        b = ConversationGroup.join(bob, bobKp, add.welcome());
        id = ConversationId.of(b.groupId());
        vault = LocalVault.open(dir.resolve("bob"), "p".toCharArray());
    }

    @AfterEach
    void close() {
        vault.close();
    }

    /** bob's removals (one run of its client) against a server presenting this. */
    private WipedDeviceRemovals bobsRemovals(Server server) {
        return new WipedDeviceRemovals(bob.device(), vault, new WipedDeviceRemovals.Client() {
            @Override
            public ConversationGroup group(ConversationId conversation) {
                return conversation.equals(id) ? b : null;
            }

            @Override
            public void close(ConversationId conversation) {
                closed.add(conversation);
            }

            @Override
            public CompletableFuture<Long> commit(ConversationId conversation, CommitCoordinator.Builder builder) {
                commits.add(builder);
                return new CompletableFuture<>();
            }

            @Override
            public Optional<ExternalSenderKey> presentedServerKey() {
                fetches++;
                return server.present();
            }
        }, new MessageListener() {
            @Override
            public void onRejected(ConversationId conversation, String reason) {
                rejected.add(reason);
            }
        });
    }

    private WipedDeviceRemovals bobsRemovals() {
        return bobsRemovals(() -> Optional.of(SERVER.key()));
    }

    /** The server's EXTERNAL_PROPOSAL delivery, through the real codec. */
    private Frame proposal(ExternalSenderSigner signer, DeviceMlsIdentity wiped) throws Exception {
        int leaf = b.members().entrySet().stream().filter(e -> e.getValue().equals(wiped.device())).findFirst().orElseThrow().getKey();
        Frame f = Frame.of(FrameType.DELIVER, 0).with(Tag.SEQ, 9).with(Tag.KIND, DeliveryKind.EXTERNAL_PROPOSAL.code())
                .with(Tag.GROUP_ID, b.groupId()).with(Tag.SENDER, alice.device().toString()).with(Tag.MESSAGE_ID, 3)
                .with(Tag.EPOCH, b.epoch()).with(Tag.SENT_AT, 1).withEach(Tag.REMOVED, List.of(wiped.device().toString()))
                .with(Tag.PAYLOAD, signer.removal(b.groupId(), b.epoch(), leaf));
        return FrameCodec.decode(FrameCodec.encode(f));
    }

    @Test
    void theServersProposalIsCommittedByReference() throws Exception {
        WipedDeviceRemovals removals = bobsRemovals();
        removals.learnServerKey();
        Frame proposal = proposal(SERVER, carol);
        removals.proposed(id, b, proposal);
        assertThat(rejected).isEmpty();
        assertThat(commits).hasSize(1);

        ConversationGroup.PendingCommit commit = commits.get(0).build(b);
        assertThat(commit.removed()).containsExactly(carol.device());
        a.receiveExternalRemoval(proposal.bytes(Tag.PAYLOAD), carol.device(), SERVER.key()); // relayed to alice too
        assertThat(a.apply(commit.commit())).isTrue();
        assertThat(a.members().values()).containsExactlyInAnyOrder(alice.device(), bob.device());
    }

    @Test
    void onceAnotherMembersCommitOfTheProposalWonNothingIsLeftToCommit() throws Exception {
        WipedDeviceRemovals removals = bobsRemovals();
        removals.learnServerKey();
        Frame proposal = proposal(SERVER, carol);
        removals.proposed(id, b, proposal);
        assertThat(commits).hasSize(1);

        a.receiveExternalRemoval(proposal.bytes(Tag.PAYLOAD), carol.device(), SERVER.key());
        ConversationGroup.PendingCommit alices = a.commitExternalRemovals();
        a.accept(alices);
        assertThat(b.apply(alices.commit())).isTrue();
        assertThatThrownBy(() -> commits.get(0).build(b)).isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.code()).isEqualTo(WipedDeviceRemovals.ALREADY_REMOVED));
    }

    @Test
    void aProposalNotSignedWithThePinnedKeyIsReportedAndNotCommitted() throws Exception {
        WipedDeviceRemovals removals = bobsRemovals();
        removals.learnServerKey();
        removals.proposed(id, b, proposal(IMPOSTOR, carol));
        assertThat(rejected).containsExactly("external_proposal.forged");
        assertThat(commits).isEmpty();
        assertThat(b.pendingExternalRemovals()).isEmpty();
    }

    @Test
    void withoutAServerKeyNoProposalIsTrustedAndOneNamingThisDeviceIsMalformed() throws Exception {
        WipedDeviceRemovals removals = bobsRemovals(Optional::empty);
        removals.learnServerKey();
        assertThat(removals.keyForNewConversation()).isNull();
        removals.proposed(id, b, proposal(SERVER, carol));
        removals.proposed(id, b, proposal(SERVER, bob));
        assertThat(rejected).containsExactly("external_proposal.no_external_sender", "external_proposal.malformed");
        assertThat(commits).isEmpty();
    }

    @Test
    void aChangedServerKeyStopsNewConversationsAndIsNotAskedForAgainThisRun() throws Exception {
        bobsRemovals().learnServerKey();
        WipedDeviceRemovals restarted = bobsRemovals(() -> Optional.of(IMPOSTOR.key()));
        restarted.learnServerKey();
        restarted.learnServerKey();
        assertThat(fetches).as("once per run").isEqualTo(2);
        assertThatThrownBy(restarted::keyForNewConversation).isInstanceOfSatisfying(MessagingException.class,
                e -> assertThat(e.code()).isEqualTo(ExternalSenderPin.CHANGED));
        restarted.proposed(id, b, proposal(SERVER, carol));
        assertThat(commits).as("the pinned key still verifies the server's proposals").hasSize(1);
    }

    @Test
    void aKeyNotLearntBecauseTheServerWasUnreachableIsAskedForOnTheNextConnection() {
        WipedDeviceRemovals removals = bobsRemovals(() -> {
            if (fetches == 1) {
                throw new MessagingException(MessagingException.CONNECTION_LOST, null);
            }
            return Optional.of(SERVER.key());
        });
        removals.learnServerKey();
        assertThat(removals.keyForNewConversation()).isNull();
        removals.learnServerKey();
        assertThat(fetches).isEqualTo(2);
        assertThat(removals.keyForNewConversation()).isEqualTo(SERVER.key());
        assertThat(ExternalSenderPin.pinned(vault)).contains(SERVER.key());
    }

    @Test
    void aRequestedRemovalCommitsTheNamedMembersButNeverThisDeviceAndClosesWhenOnlyThisDeviceWouldRemain() throws Exception {
        WipedDeviceRemovals removals = bobsRemovals();
        removals.requested(id, List.of(carol.device().toString(), bob.device().toString(), "not a device"));
        assertThat(commits).hasSize(1);
        assertThat(commits.get(0).build(b).removed()).containsExactly(carol.device());
        assertThat(closed).isEmpty();

        removals.requested(id, List.of(identity().device().toString()));
        removals.requested(ConversationId.of(new byte[16]), List.of(carol.device().toString()));
        assertThat(commits).as("not a member, not a conversation held: nothing to do").hasSize(1);

        removals.requested(id, List.of(alice.device().toString(), carol.device().toString()));
        assertThat(closed).containsExactly(id);
        assertThat(commits).hasSize(1);
    }
}
