package org.wardline.protocol.mls;

import org.bouncycastle.mls.codec.Proposal;
import org.bouncycastle.mls.crypto.Secret;
import org.bouncycastle.mls.protocol.Group;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationGroupTest {
    private static DeviceMlsIdentity device() {
        return DeviceMlsIdentity.generate(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), MlsSuites.DEFAULT_ID);
    }

    @Test
    void threeMembersExchangeMessagesAndARemovedMemberCannotReadLaterOnes() throws Exception {
        DeviceMlsIdentity alice = device();
        DeviceMlsIdentity bob = device();
        DeviceMlsIdentity carol = device();
        KeyPackageBundle bobKp = bob.newKeyPackage();
        KeyPackageBundle carolKp = carol.newKeyPackage();

        ConversationGroup a = ConversationGroup.create(alice, "g1".getBytes(StandardCharsets.UTF_8));
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded(), carolKp.encoded()));
        assertThat(MlsEnvelope.inspect(add.commit()).contentType()).isEqualTo(MlsEnvelope.ContentType.COMMIT);
        assertThat(MlsEnvelope.inspect(add.commit()).authenticatedData()).asString().isEqualTo(alice.device().toString());
        assertThat(add.added()).containsExactly(bob.device(), carol.device());
        a.accept(add);
        assertThat(ConversationGroup.welcomes(bobKp, add.welcome())).isTrue();
        assertThat(ConversationGroup.welcomes(bob.newKeyPackage(), add.welcome())).isFalse();
        ConversationGroup b = ConversationGroup.join(bob, bobKp, add.welcome());
        ConversationGroup c = ConversationGroup.join(carol, carolKp, add.welcome());
        assertThat(b.epoch()).isEqualTo(1).isEqualTo(a.epoch());
        assertThat(b.epochAuthenticator()).isEqualTo(a.epochAuthenticator()).isEqualTo(c.epochAuthenticator());
        assertThat(c.members().values()).containsExactlyInAnyOrder(alice.device(), bob.device(), carol.device());

        byte[] hello = b.protect("hello".getBytes(StandardCharsets.UTF_8));
        MlsEnvelope env = MlsEnvelope.inspect(hello);
        assertThat(env.wireFormat()).isEqualTo(MlsEnvelope.WireFormat.PRIVATE_MESSAGE);
        assertThat(env.epoch()).isEqualTo(1);
        assertThat(env.isFor("g1".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(new String(env.authenticatedData(), StandardCharsets.UTF_8)).isEqualTo(bob.device().toString());
        ConversationGroup.Decrypted got = c.unprotect(hello);
        assertThat(got.sender()).isEqualTo(bob.device());
        assertThat(got.plaintext()).asString().isEqualTo("hello");

        ConversationGroup.PendingCommit remove = a.commitRemove(List.of(carol.device()));
        a.accept(remove);
        assertThat(b.apply(remove.commit())).isTrue();
        assertThatThrownBy(() -> c.apply(remove.commit())).as("bcmls cannot process its own removal")
                .isInstanceOf(InvalidMlsMessageException.class);
        byte[] secret = a.protect("after".getBytes(StandardCharsets.UTF_8));
        assertThat(b.unprotect(secret).plaintext()).asString().isEqualTo("after");
        assertThatThrownBy(() -> c.unprotect(secret)).isInstanceOf(InvalidMlsMessageException.class);
    }

    @Test
    void shrinkingToOneMemberIsRefusedBeforeBcmlsFails() throws Exception {
        DeviceMlsIdentity alice = device();
        DeviceMlsIdentity bob = device();
        ConversationGroup a = ConversationGroup.create(alice, new byte[] {7});
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bob.newKeyPackage().encoded()));
        a.accept(add);
        assertThatThrownBy(() -> a.commitRemove(List.of(bob.device()))).isInstanceOf(SingletonGroupException.class);
        assertThat(a.epoch()).isEqualTo(1);
    }

    /**
     * bc-java #2492: bcmls 1.84 cannot commit a removal that leaves one member. When this test fails, a fixed
     * bcmls is on the classpath: drop {@link SingletonGroupException} and close-and-recreate in the SDK.
     */
    @Test
    void bcmls184StillFailsOnACommitLeavingOneMember() throws Exception {
        DeviceMlsIdentity alice = device();
        DeviceMlsIdentity bob = device();
        ConversationGroup a = ConversationGroup.create(alice, new byte[] {8});
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bob.newKeyPackage().encoded()));
        Group group = add.group();
        List<Proposal> remove = new ArrayList<>();
        remove.add(Proposal.remove(new org.bouncycastle.mls.TreeKEM.LeafIndex(1)));
        byte[] secret = new byte[alice.suite().getKDF().getHashLength()];
        assertThatThrownBy(() -> group.commit(new Secret(secret), new Group.CommitOptions(remove, true, true, null),
                new Group.MessageOptions(), new Group.CommitParameters(Group.NORMAL_COMMIT_PARAMS)))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void commitsForAnotherEpochOrGroupAreRefused() throws Exception {
        DeviceMlsIdentity alice = device();
        DeviceMlsIdentity bob = device();
        DeviceMlsIdentity carol = device();
        KeyPackageBundle bobKp = bob.newKeyPackage();
        ConversationGroup a = ConversationGroup.create(alice, new byte[] {9});
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded()));
        a.accept(add);
        ConversationGroup b = ConversationGroup.join(bob, bobKp, add.welcome());
        assertThatThrownBy(() -> b.apply(add.commit())).isInstanceOf(InvalidMlsMessageException.class);
        ConversationGroup.PendingCommit addCarol = a.commitAdd(List.of(carol.newKeyPackage().encoded()));
        byte[] tampered = addCarol.commit().clone();
        tampered[tampered.length - 5] ^= 1;
        assertThatThrownBy(() -> b.apply(tampered)).isInstanceOf(InvalidMlsMessageException.class);
        assertThat(b.apply(addCarol.commit())).isTrue();
        assertThat(b.epoch()).isEqualTo(2);
    }

    @Test
    void aMemberWhoJoinedByWelcomeCanAddOthersAfterAnotherMembersAdd() throws Exception {
        DeviceMlsIdentity alice = device();
        DeviceMlsIdentity bob = device();
        KeyPackageBundle bobKp = bob.newKeyPackage();
        ConversationGroup a = ConversationGroup.create(alice, new byte[] {10});
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded()));
        a.accept(add);
        ConversationGroup b = ConversationGroup.join(bob, bobKp, add.welcome());
        ConversationGroup.PendingCommit addCarol = a.commitAdd(List.of(device().newKeyPackage().encoded()));
        a.accept(addCarol);
        assertThat(b.apply(addCarol.commit())).isTrue();
        ConversationGroup.PendingCommit addDave = b.commitAdd(List.of(device().newKeyPackage().encoded()));
        b.accept(addDave);
        assertThat(a.apply(addDave.commit())).isTrue();
        assertThat(a.epochAuthenticator()).isEqualTo(b.epochAuthenticator());
    }
}
