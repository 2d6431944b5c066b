package org.wardline.protocol.mls;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A group saved with {@link ConversationGroup#saveState} and restored goes on as if it had never stopped. */
class GroupStateTest {
    private static DeviceMlsIdentity device() {
        return DeviceMlsIdentity.generate(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), MlsSuites.DEFAULT_ID);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ConversationGroup.Decrypted d) {
        return new String(d.plaintext(), StandardCharsets.UTF_8);
    }

    /** Pins the reflection in Bcmls184GroupState to bcmls 1.84's field layout: fails loudly on another version. */
    @Test
    void theCodecRunsOnlyAgainstBcmls184sFieldLayout() {
        assertThat(Bcmls184GroupState.layout()).isEqualTo(Bcmls184GroupState.LAYOUT);
    }

    @Test
    void aRestoredMemberReadsMessagesAndCommitsMadeWhileItWasDownAndConverges() throws Exception {
        DeviceMlsIdentity alice = device();
        DeviceMlsIdentity bob = device();
        DeviceMlsIdentity carol = device();
        DeviceMlsIdentity dave = device();
        KeyPackageBundle bobKp = bob.newKeyPackage();
        KeyPackageBundle carolKp = carol.newKeyPackage();
        ConversationGroup a = ConversationGroup.create(alice, utf8("g-restore"));
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded(), carolKp.encoded()));
        a.accept(add);
        ConversationGroup b = ConversationGroup.join(bob, bobKp, add.welcome());
        ConversationGroup c = ConversationGroup.join(carol, carolKp, add.welcome());
        assertThat(text(b.unprotect(a.protect(utf8("before"))))).isEqualTo("before");
        byte[] saved = b.saveState(4);

        // While Bob is down: messages, an add and a remove.
        byte[] m1 = a.protect(utf8("one"));
        byte[] m2 = c.protect(utf8("two"));
        KeyPackageBundle daveKp = dave.newKeyPackage();
        ConversationGroup.PendingCommit addDave = a.commitAdd(List.of(daveKp.encoded()));
        a.accept(addDave);
        assertThat(c.apply(addDave.commit())).isTrue();
        ConversationGroup d = ConversationGroup.join(dave, daveKp, addDave.welcome());
        byte[] m3 = d.protect(utf8("three"));
        ConversationGroup.PendingCommit removeCarol = a.commitRemove(List.of(carol.device()));
        a.accept(removeCarol);
        assertThat(d.apply(removeCarol.commit())).isTrue();
        byte[] m4 = a.protect(utf8("four"));

        ConversationGroup restored = ConversationGroup.restore(bob, saved);
        assertThat(restored.epoch()).isEqualTo(1);
        assertThat(text(restored.unprotect(m1))).isEqualTo("one");
        assertThat(text(restored.unprotect(m2))).isEqualTo("two");
        assertThat(restored.apply(addDave.commit())).isTrue();
        assertThat(text(restored.unprotect(m3))).isEqualTo("three");
        assertThat(restored.apply(removeCarol.commit())).isTrue();
        assertThat(text(restored.unprotect(m4))).isEqualTo("four");
        assertThat(restored.epoch()).isEqualTo(a.epoch()).isEqualTo(3);
        assertThat(restored.epochAuthenticator()).isEqualTo(a.epochAuthenticator()).isEqualTo(d.epochAuthenticator());
        assertThat(restored.members().values()).containsExactlyInAnyOrder(alice.device(), bob.device(), dave.device());

        // The restored member sends and commits, and the others follow.
        assertThat(text(a.unprotect(restored.protect(utf8("bob is back"))))).isEqualTo("bob is back");
        ConversationGroup.PendingCommit removeDave = restored.commitRemove(List.of(dave.device()));
        restored.accept(removeDave);
        assertThat(a.apply(removeDave.commit())).isTrue();
        assertThat(a.epochAuthenticator()).isEqualTo(restored.epochAuthenticator());
        assertThat(restored.safetyNumber(alice.device())).isEqualTo(a.safetyNumber(bob.device()));
    }

    /**
     * A crash after a message left is followed by a restore of the state saved before it left: the next message
     * must use a later generation. The receiver erased the first generation's key, so a repeated generation would
     * be refused as an expired key; and the state saved after a receive cannot decrypt that message again.
     */
    @Test
    void aRestoredSenderNeverRepeatsAGenerationAndConsumedKeysStayGone() throws Exception {
        DeviceMlsIdentity alice = device();
        DeviceMlsIdentity bob = device();
        KeyPackageBundle bobKp = bob.newKeyPackage();
        ConversationGroup a = ConversationGroup.create(alice, utf8("g-gen"));
        ConversationGroup.PendingCommit add = a.commitAdd(List.of(bobKp.encoded()));
        a.accept(add);
        ConversationGroup b = ConversationGroup.join(bob, bobKp, add.welcome());

        byte[] first = a.protect(utf8("first"));
        byte[] afterProtect = a.saveState(4); // what the SDK makes durable before the ciphertext leaves
        ConversationGroup aAgain = ConversationGroup.restore(alice, afterProtect);
        byte[] second = aAgain.protect(utf8("second"));
        assertThat(text(b.unprotect(first))).isEqualTo("first");
        assertThat(text(b.unprotect(second))).as("a new generation, not the first one again").isEqualTo("second");

        byte[] bobSaved = b.saveState(4);
        ConversationGroup bAgain = ConversationGroup.restore(bob, bobSaved);
        assertThatThrownBy(() -> bAgain.unprotect(first)).as("a consumed receiving key is not resurrected")
                .isInstanceOf(InvalidMlsMessageException.class);
        assertThat(contains(bobSaved, a.epochAuthenticator())).as("state holds what it must").isTrue();
    }

    @Test
    void aTruncatedFlippedOrForeignStateIsRefused() throws Exception {
        DeviceMlsIdentity alice = device();
        ConversationGroup a = ConversationGroup.create(alice, utf8("g-bad"));
        byte[] saved = a.saveState(4);
        assertThatThrownBy(() -> ConversationGroup.restore(alice, Arrays.copyOf(saved, saved.length / 2)))
                .isInstanceOf(InvalidMlsMessageException.class);
        assertThatThrownBy(() -> ConversationGroup.restore(device(), saved)).as("another device's state")
                .isInstanceOf(InvalidMlsMessageException.class).hasMessageContaining("another device");
        assertThat(ConversationGroup.restore(alice, saved).epochAuthenticator()).isEqualTo(a.epochAuthenticator());
    }

    private static boolean contains(byte[] data, byte[] needle) {
        for (int i = 0; i <= data.length - needle.length; i++) {
            if (Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
