package org.wardline.protocol.mls;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExternalRemovalTest {
    private static final ExternalSenderSigner SERVER = signer();
    private static final ExternalSenderSigner IMPOSTOR = signer();

    private static ExternalSenderSigner signer() {
        AsymmetricCipherKeyPair pair = ExternalSenderSigner.generateKeyPair(MlsSuites.DEFAULT_ID);
        return ExternalSenderSigner.of(MlsSuites.DEFAULT_ID, pair.getPrivate(), pair.getPublic());
    }

    private static DeviceMlsIdentity device() {
        return DeviceMlsIdentity.generate(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), MlsSuites.DEFAULT_ID);
    }

    /** alice (leaf 0), bob (1), carol (2) in a group whose context names {@link #SERVER} as external sender. */
    private record Trio(DeviceMlsIdentity alice, DeviceMlsIdentity bob, DeviceMlsIdentity carol,
                        ConversationGroup a, ConversationGroup b, ConversationGroup c) {
        int leafOf(DeviceMlsIdentity d) throws InvalidMlsMessageException {
            return a.members().entrySet().stream().filter(e -> e.getValue().equals(d.device())).findFirst().orElseThrow().getKey();
        }
    }

    private static Trio trio(ExternalSenderKey server) throws Exception {
        DeviceMlsIdentity alice = device();
        DeviceMlsIdentity bob = device();
        DeviceMlsIdentity carol = device();
        KeyPackageBundle bobKp = bob.newKeyPackage();
        KeyPackageBundle carolKp = carol.newKeyPackage();
        ConversationGroup a = ConversationGroup.create(alice, ("g-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8), server);
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded(), carolKp.encoded()));
        a.accept(add);
        return new Trio(alice, bob, carol, a, ConversationGroup.join(bob, bobKp, add.welcome()),
                ConversationGroup.join(carol, carolKp, add.welcome()));
    }

    @Test
    void membersVerifyTheServersRemovalAndOneCommitsItByReference() throws Exception {
        Trio t = trio(SERVER.key());
        assertThat(t.b().externalSender()).contains(SERVER.key()).as("joiners get the extension from the Welcome");
        byte[] proposal = SERVER.removal(t.a().groupId(), t.a().epoch(), t.leafOf(t.carol()));
        assertThat(MlsEnvelope.inspect(proposal).contentType()).isEqualTo(MlsEnvelope.ContentType.PROPOSAL);

        assertThat(t.a().receiveExternalRemoval(proposal, t.carol().device(), SERVER.key())).isTrue();
        assertThat(t.b().receiveExternalRemoval(proposal, t.carol().device(), SERVER.key())).isTrue();
        assertThat(t.b().receiveExternalRemoval(SERVER.removal(t.a().groupId(), t.a().epoch(), t.leafOf(t.carol())),
                t.carol().device(), SERVER.key())).as("a re-issued copy for the same leaf is not cached twice").isFalse();

        ConversationGroup.PendingCommit commit = t.b().commitExternalRemovals();
        assertThat(commit.removed()).containsExactly(t.carol().device());
        assertThat(commit.roster()).containsOnly(Map.entry(0, t.alice().device()), Map.entry(1, t.bob().device()));
        t.b().accept(commit);
        assertThat(t.a().apply(commit.commit())).isTrue();
        assertThat(t.a().members().values()).containsExactlyInAnyOrder(t.alice().device(), t.bob().device());
        assertThat(t.a().epochAuthenticator()).isEqualTo(t.b().epochAuthenticator());
        assertThat(t.a().pendingExternalRemovals()).isEmpty();
    }

    @Test
    void aProposalSignedWithAnotherKeyIsRefusedAsForged() throws Exception {
        Trio t = trio(SERVER.key());
        byte[] forged = IMPOSTOR.removal(t.a().groupId(), t.a().epoch(), t.leafOf(t.carol()));
        assertThatThrownBy(() -> t.b().receiveExternalRemoval(forged, t.carol().device(), SERVER.key()))
                .isInstanceOfSatisfying(RejectedProposalException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectedProposalException.Reason.FORGED))
                .hasMessageContaining("signature does not verify");
        assertThat(t.b().pendingExternalRemovals()).isEmpty();
        assertThat(t.b().members()).hasSize(3);
    }

    @Test
    void aGroupNamingAnotherExternalSenderThanThePinnedKeyIsRefused() throws Exception {
        Trio t = trio(IMPOSTOR.key());
        byte[] proposal = IMPOSTOR.removal(t.a().groupId(), t.a().epoch(), t.leafOf(t.carol()));
        assertThatThrownBy(() -> t.b().receiveExternalRemoval(proposal, t.carol().device(), SERVER.key()))
                .isInstanceOfSatisfying(RejectedProposalException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectedProposalException.Reason.NO_EXTERNAL_SENDER));
        Trio plain = trio(null);
        assertThat(plain.b().externalSender()).isEmpty();
        byte[] toPlain = SERVER.removal(plain.a().groupId(), plain.a().epoch(), plain.leafOf(plain.carol()));
        assertThatThrownBy(() -> plain.b().receiveExternalRemoval(toPlain, plain.carol().device(), SERVER.key()))
                .isInstanceOfSatisfying(RejectedProposalException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectedProposalException.Reason.NO_EXTERNAL_SENDER));
    }

    @Test
    void aProposalRemovingAnotherLeafThanTheWipedDevicesIsRefused() throws Exception {
        Trio t = trio(SERVER.key());
        byte[] wrongLeaf = SERVER.removal(t.a().groupId(), t.a().epoch(), t.leafOf(t.bob()));
        assertThatThrownBy(() -> t.a().receiveExternalRemoval(wrongLeaf, t.carol().device(), SERVER.key()))
                .isInstanceOfSatisfying(RejectedProposalException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectedProposalException.Reason.WRONG_LEAF))
                .hasMessageContaining("not the wiped device's");
        byte[] emptyLeaf = SERVER.removal(t.a().groupId(), t.a().epoch(), 7);
        assertThatThrownBy(() -> t.a().receiveExternalRemoval(emptyLeaf, t.carol().device(), SERVER.key()))
                .isInstanceOfSatisfying(RejectedProposalException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectedProposalException.Reason.WRONG_LEAF));
        assertThat(t.a().members()).hasSize(3);
    }

    @Test
    void aProposalFromAnEarlierEpochIsRefusedAsStale() throws Exception {
        Trio t = trio(SERVER.key());
        byte[] old = SERVER.removal(t.a().groupId(), t.a().epoch(), t.leafOf(t.carol()));
        DeviceMlsIdentity dave = device();
        KeyPackageBundle daveKp = dave.newKeyPackage();
        ConversationGroup.PendingCommit add = t.a().commitAdd(List.of(daveKp.encoded()));
        t.a().accept(add);
        t.b().apply(add.commit());
        assertThatThrownBy(() -> t.b().receiveExternalRemoval(old, t.carol().device(), SERVER.key()))
                .isInstanceOfSatisfying(RejectedProposalException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectedProposalException.Reason.STALE_EPOCH))
                .hasMessageContaining("epoch 1, the group is at epoch 2");
    }

    @Test
    void aRemovalThatWouldLeaveOneMemberIsRefusedAsASingletonGroup() throws Exception {
        DeviceMlsIdentity alice = device();
        DeviceMlsIdentity bob = device();
        KeyPackageBundle bobKp = bob.newKeyPackage();
        ConversationGroup a = ConversationGroup.create(alice, "pair".getBytes(StandardCharsets.UTF_8), SERVER.key());
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded()));
        a.accept(add);
        a.receiveExternalRemoval(SERVER.removal(a.groupId(), a.epoch(), 1), bob.device(), SERVER.key());
        assertThatThrownBy(a::commitExternalRemovals).isInstanceOf(SingletonGroupException.class);
    }

    @Test
    void theKeyRoundTripsThroughItsEncoding() throws Exception {
        ExternalSenderKey back = ExternalSenderKey.decode(SERVER.key().encoded());
        assertThat(back).isEqualTo(SERVER.key());
        assertThat(back.identity()).isEqualTo(ExternalSenderKey.IDENTITY);
        assertThat(back.fingerprint()).isEqualTo(SERVER.key().fingerprint()).isNotEqualTo(IMPOSTOR.key().fingerprint());
        assertThatThrownBy(() -> ExternalSenderKey.decode(new byte[] {1, 2, 3})).isInstanceOf(InvalidMlsMessageException.class);
    }
}
