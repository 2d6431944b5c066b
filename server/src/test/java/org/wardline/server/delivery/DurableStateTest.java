package org.wardline.server.delivery;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.clients.sdk.SignIn;
import org.wardline.protocol.Secret;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.delivery.RecordingListener.next;

/** A device's MLS state survives its restarts: it reads what it missed with no other device's help (ADR 0021). */
class DurableStateTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path vaults;

    private final List<MessagingClient> clients = new ArrayList<>();

    /** Records lost state, undecryptable messages and connection changes too. */
    static class Events extends RecordingListener {
        final BlockingQueue<String> lost = new LinkedBlockingQueue<>();
        final BlockingQueue<String> undecryptable = new LinkedBlockingQueue<>();
        final BlockingQueue<Boolean> connection = new LinkedBlockingQueue<>();
        final BlockingQueue<Boolean> signedOut = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> pendingSent = new LinkedBlockingQueue<>();

        @Override
        public void onPendingSent(ConversationId conversation, long messageId) {
            pendingSent.add(messageId);
        }

        @Override
        public void onSignedOut() {
            signedOut.add(true);
        }

        @Override
        public void onStateLost(List<ConversationId> conversations, String reason) {
            lost.add(reason + " " + conversations);
        }

        @Override
        public void onUndecryptable(ConversationId conversation, String reason) {
            undecryptable.add(reason);
        }

        @Override
        public void onConnection(boolean connected) {
            connection.add(connected);
        }
    }

    private record Device(MessagingClient client, Events events, DeviceCredentials credentials, Path vault) {
        DeviceUri device() {
            return client.device();
        }
    }

    private Device start(DeviceCredentials creds, Path vault) throws Exception {
        return start(creds, vault, new Events());
    }

    private Device start(DeviceCredentials creds, Path vault, Events events) throws Exception {
        MessagingClient c = MessagingClient.start(creds, LocalVault.open(vault, "vault-pass".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return new Device(c, events, creds, vault);
    }

    private Device device() throws Exception {
        return start(TestDevices.teamMate(WARDLINE.server()), vaults.resolve(UUID.randomUUID().toString()));
    }

    private Device stop(Device d) {
        d.client().close();
        clients.remove(d.client());
        return d;
    }

    private Device restart(Device d) throws Exception {
        return start(d.credentials(), d.vault());
    }

    @AfterEach
    void close() {
        clients.forEach(MessagingClient::close);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aStoppedMemberReadsTenMessagesAndTwoCommitsMadeMeanwhileWithoutASibling() throws Exception {
        Device alice = device();
        Device bob = device();
        Device carol = device();
        Device dave = device();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.device().userUri(), carol.device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        assertThat(next(carol.events().joined)).isEqualTo(id);
        await(alice.client().send(id, utf8("before")));
        assertThat(next(bob.events().messages).text()).isEqualTo("before");
        assertThat(next(carol.events().messages).text()).isEqualTo("before");

        stop(bob);
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            sent.add("alice " + i);
            await(alice.client().send(id, utf8("alice " + i)));
        }
        for (int i = 1; i <= 2; i++) {
            sent.add("carol " + i);
            await(carol.client().send(id, utf8("carol " + i)));
        }
        assertThat(next(alice.events().messages, 2)).extracting(ReceivedMessage::text).containsExactly("carol 1", "carol 2");
        await(alice.client().invite(id, List.of(dave.device().userUri())));
        assertThat(next(dave.events().joined)).isEqualTo(id);
        sent.add("dave 1");
        await(dave.client().send(id, utf8("dave 1")));
        assertThat(next(alice.events().messages).text()).isEqualTo("dave 1");
        sent.add("alice 5");
        await(alice.client().send(id, utf8("alice 5")));
        await(alice.client().remove(id, List.of(carol.device())));
        sent.add("alice 6");
        await(alice.client().send(id, utf8("alice 6")));
        assertThat(next(dave.events().messages, 2)).extracting(ReceivedMessage::text).containsExactly("alice 5", "alice 6");
        sent.add("dave 2");
        await(dave.client().send(id, utf8("dave 2")));
        assertThat(sent).hasSize(10);
        assertThat(next(alice.events().messages).text()).isEqualTo("dave 2");

        Device bobAgain = restart(bob);
        assertThat(next(bobAgain.events().messages, 10)).extracting(ReceivedMessage::text).containsExactlyElementsOf(sent);
        long epoch = await(alice.client().epoch(id));
        assertThat(epoch).isEqualTo(3);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (await(bobAgain.client().epoch(id)) != epoch && System.nanoTime() < deadline) {
            Thread.sleep(50); // the last commit is processed on Bob's thread right after the messages before it
        }
        assertThat(await(bobAgain.client().epoch(id))).isEqualTo(epoch);
        assertThat(await(bobAgain.client().epochAuthenticator(id))).isEqualTo(await(alice.client().epochAuthenticator(id)))
                .isEqualTo(await(dave.client().epochAuthenticator(id)));
        assertThat(await(bobAgain.client().members(id))).containsExactlyInAnyOrder(alice.device(), bobAgain.device(), dave.device());
        assertThat(bobAgain.events().joined).as("no rejoin: Bob's state was restored").isEmpty();
        assertThat(bobAgain.events().lost).isEmpty();
        assertThat(bobAgain.events().undecryptable).isEmpty();
        assertThat(bobAgain.events().rejected).isEmpty();

        await(bobAgain.client().send(id, utf8("bob read everything")));
        assertThat(next(alice.events().messages).text()).isEqualTo("bob read everything");
        assertThat(next(dave.events().messages).text()).isEqualTo("bob read everything");
        assertThat(await(alice.client().safetyNumber(id, bobAgain.device())))
                .isEqualTo(await(bobAgain.client().safetyNumber(id, alice.device())));
        assertThat(next(bobAgain.events().receipts, 2)).as("Alice's and Dave's delivery receipts, themselves inbox entries")
                .extracting(r -> r.from()).containsExactlyInAnyOrder(alice.device(), dave.device());
        waitForEmptyInbox(bobAgain);
        assertThat(await(bobAgain.client().history())).extracting(ReceivedMessage::text).containsSubsequence(sent)
                .doesNotHaveDuplicates();
    }

    /** The ACK-after-failure defect: a delivery whose recording fails stays in the inbox and comes again. */
    @Test
    void aDeliveryThatCannotBeRecordedIsNotAcknowledgedAndIsReadOnceItCan() throws Exception {
        Device alice = device();
        Device bob = device();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        assertThat(next(bob.events().connection)).isTrue();
        waitForEmptyInbox(bob); // the Welcome acknowledged, so only the message below is left unacknowledged

        Path history = bob.vault().resolve("history.vault");
        Files.deleteIfExists(history);
        Files.createDirectory(history); // appending to the history now fails
        await(alice.client().send(id, utf8("lab value: potassium 6.1")));
        assertThat(next(bob.events().connection)).as("the client drops the connection to be sent it again").isFalse();
        assertThat(bob.events().messages).as("not shown before it is recorded").isEmpty();
        assertThat(inboxOf(bob)).as("not acknowledged").isEqualTo(1);

        Files.delete(history);
        assertThat(next(bob.events().messages).text()).isEqualTo("lab value: potassium 6.1");
        waitForEmptyInbox(bob);
        assertThat(await(bob.client().history())).extracting(ReceivedMessage::text).containsExactly("lab value: potassium 6.1");
        assertThat(bob.events().undecryptable).isEmpty();
        await(alice.client().send(id, utf8("and the next one")));
        assertThat(next(bob.events().messages).text()).isEqualTo("and the next one");
    }

    /** Whatever the client shows a message on fails the first time (a fault in the application above the SDK). */
    static final class FirstMessageFails extends Events {
        final BlockingQueue<String> failed = new LinkedBlockingQueue<>();
        private final AtomicBoolean once = new AtomicBoolean();

        @Override
        public void onMessage(ReceivedMessage message) {
            if (once.compareAndSet(false, true)) {
                failed.add(message.text());
                throw new IllegalStateException("the screen could not show it");
            }
            super.onMessage(message);
        }
    }

    /**
     * A message that arrived before its commit waits for it and is processed right after the commit; when that fails,
     * the commit is not acknowledged either (it was, and the device then stayed behind at the earlier epoch for good,
     * keeping every later message as early).
     */
    @Test
    void aMessageReplayedAfterItsCommitThatFailsLeavesTheCommitToBeDeliveredAgain() throws Exception {
        Device alice = device();
        Device bob = device();
        Device carol = device();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        waitForEmptyInbox(bob);
        stop(bob);
        await(alice.client().invite(id, List.of(carol.device().userUri())));
        assertThat(next(carol.events().joined)).isEqualTo(id);
        await(alice.client().send(id, utf8("after the commit")));
        assertThat(inboxOf(bob)).as("the commit, then the message").isEqualTo(2);
        deliverLastFirst(bob); // as when the message overtakes its commit: kept until the commit, then replayed

        FirstMessageFails events = new FirstMessageFails();
        Device bobAgain = start(bob.credentials(), bob.vault(), events);
        assertThat(events.failed.poll(30, TimeUnit.SECONDS)).isEqualTo("after the commit");
        long epoch = await(alice.client().epoch(id));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (await(bobAgain.client().epoch(id)) != epoch && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(await(bobAgain.client().epoch(id))).as("the commit applied on redelivery").isEqualTo(epoch);
        waitForEmptyInbox(bobAgain);
        assertThat(await(bobAgain.client().history())).extracting(ReceivedMessage::text).containsExactly("after the commit");

        await(alice.client().send(id, utf8("and the next one")));
        assertThat(next(bobAgain.events().messages).text()).isEqualTo("and the next one");
        assertThat(bobAgain.events().undecryptable).isEmpty();
    }

    /** Swaps what this device's two waiting inbox entries deliver, so the later one comes first. */
    private static void deliverLastFirst(Device d) throws Exception {
        int swapped = WARDLINE.server().database().pool().preparedQuery("UPDATE device_inbox i SET message_id = o.message_id "
                        + "FROM device_inbox o WHERE i.device_id = $1 AND o.device_id = $1 AND i.seq <> o.seq")
                .execute(Tuple.of(d.device().device())).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .rowCount();
        assertThat(swapped).isEqualTo(2);
    }

    @Test
    void aRolledBackStateIsRefusedAndTheUserIsToldWhichConversationsLostTheirHistory() throws Exception {
        Device alice = device();
        Device bob = device();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        waitForEmptyInbox(bob); // the Welcome acknowledged, so its state is durable
        stop(bob);
        Path state = bob.vault().resolve("mls-state.state");
        Path older = bob.vault().getParent().resolve("older-copy");
        Files.copy(state, older);

        Device bobAgain = restart(bob);
        await(alice.client().send(id, utf8("after the copy")));
        assertThat(next(bobAgain.events().messages).text()).isEqualTo("after the copy");
        waitForEmptyInbox(bobAgain);
        stop(bobAgain);
        Files.copy(older, state, StandardCopyOption.REPLACE_EXISTING);

        Device bobRolledBack = restart(bob);
        assertThat(next(bobRolledBack.events().lost)).contains("rolled back").contains(id.toString());
        assertThat(Files.exists(bob.vault().resolve("mls-state.state.rejected"))).isTrue();
        assertThat(next(bobRolledBack.events().joined)).as("committed back in by Alice").isEqualTo(id);
        await(alice.client().send(id, utf8("after the rollback")));
        assertThat(next(bobRolledBack.events().messages).text()).isEqualTo("after the rollback");
    }

    /**
     * Idle logoff or a sign-out elsewhere ends the session: the client says so, keeps its state and inbox, queues
     * what the user types, and after signing in again resumes the conversation: it reads what was sent meanwhile
     * and sends what was queued, once, in order.
     */
    @Test
    void aSignedOutDeviceKeepsEverythingAndResumesAfterSigningInAgain() throws Exception {
        Device alice = device();
        SignedInDevice bobSignedIn = EnrolledDevices.enroll(WARDLINE.server(), CareTeams.teamMate(WARDLINE.server()));
        Device bob = start(TestDevices.credentials(WARDLINE.server(), bobSignedIn.identity()), vaults.resolve("bob"));
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        assertThat(next(bob.events().connection)).isTrue();

        assertThat(SignIn.logout(bobSignedIn.identity())).isTrue(); // as the server's idle logoff would end it
        assertThat(next(bob.events().connection)).isFalse();
        assertThat(next(bob.events().signedOut)).isTrue();
        await(alice.client().send(id, utf8("while bob was signed out")));
        CompletableFuture<Long> first = bob.client().send(id, utf8("typed while signed out 1"));
        CompletableFuture<Long> second = bob.client().send(id, utf8("typed while signed out 2"));
        assertThat(await(bob.client().pending())).isEqualTo(2);
        assertThat(first).isNotDone();

        WardlineApi.Account account = bobSignedIn.account();
        SignIn.password(bobSignedIn.identity(), account.username, Secret.of(WardlineApi.PASSWORD), () -> {
            synchronized (account) {
                return SignIn.SecondFactor.recoveryCode(Secret.of(account.recoveryCodes.remove(0).toString()));
            }
        });
        assertThat(next(bob.events().messages).text()).isEqualTo("while bob was signed out");
        assertThat(await(first)).isLessThan(await(second));
        assertThat(next(alice.events().messages, 2)).extracting(ReceivedMessage::text)
                .containsExactly("typed while signed out 1", "typed while signed out 2");
        assertThat(await(bob.client().pending())).isZero();
        assertThat(alice.events().messages.poll(1, TimeUnit.SECONDS)).as("sent once").isNull();
        assertThat(bob.events().joined).as("the same conversation resumed, no rejoin").isEmpty();
    }

    /**
     * What the user typed while signed out is in the vault's outbox, not only in memory: a restart before signing in
     * again loses none of it, and after signing in it is sent once, in order, and kept in the sender's history.
     */
    @Test
    void messagesQueuedWhileSignedOutSurviveARestartAndAreSentOnceInOrder() throws Exception {
        Device alice = device();
        SignedInDevice bobSignedIn = EnrolledDevices.enroll(WARDLINE.server(), CareTeams.teamMate(WARDLINE.server()));
        Device bob = start(TestDevices.credentials(WARDLINE.server(), bobSignedIn.identity()), vaults.resolve("bob"));
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        assertThat(next(bob.events().connection)).isTrue();

        assertThat(SignIn.logout(bobSignedIn.identity())).isTrue();
        assertThat(next(bob.events().signedOut)).isTrue();
        for (int i = 1; i <= 3; i++) {
            bob.client().send(id, utf8("queued " + i));
        }
        assertThat(await(bob.client().pending())).isEqualTo(3);
        stop(bob);

        Events restarted = new Events();
        MessagingClient again = MessagingClient.start(bob.credentials(),
                LocalVault.open(bob.vault(), "vault-pass".toCharArray()), restarted);
        clients.add(again);
        assertThat(next(restarted.signedOut)).isTrue();
        assertThat(await(again.pending())).as("the queue survived the restart").isEqualTo(3);
        assertThat(alice.events().messages.poll(1, TimeUnit.SECONDS)).as("nothing sent while signed out").isNull();

        WardlineApi.Account account = bobSignedIn.account();
        SignIn.password(bobSignedIn.identity(), account.username, Secret.of(WardlineApi.PASSWORD), () -> {
            synchronized (account) {
                return SignIn.SecondFactor.recoveryCode(Secret.of(account.recoveryCodes.remove(0).toString()));
            }
        });
        assertThat(next(alice.events().messages, 3)).extracting(ReceivedMessage::text)
                .containsExactly("queued 1", "queued 2", "queued 3");
        List<Long> ids = next(restarted.pendingSent, 3);
        assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(messageId -> messageId > 0);
        assertThat(alice.events().messages.poll(1, TimeUnit.SECONDS)).as("sent once").isNull();
        assertThat(await(again.pending())).isZero();
        assertThat(await(again.history())).filteredOn(m -> m.sender().equals(again.device()))
                .extracting(ReceivedMessage::text).containsExactly("queued 1", "queued 2", "queued 3");

        again.close();
        clients.remove(again);
        Device third = restart(bob);
        assertThat(await(third.client().pending())).as("nothing left to send after another restart").isZero();
        assertThat(alice.events().messages.poll(1, TimeUnit.SECONDS)).isNull();
    }

    /**
     * A receipt the server cannot take now is kept in the vault and sent later, after a restart too, never dropped:
     * Bob reads Alice's message while offline, restarts, and Alice gets the read receipt, once.
     */
    @Test
    void aReadReceiptGivenOfflineIsKeptAndReachesTheSenderAfterARestart() throws Exception {
        Device alice = device();
        Device bob = device();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        long sent = await(alice.client().send(id, utf8("potassium 6.1")));
        ReceivedMessage received = next(bob.events().messages);
        assertThat(next(alice.events().receipts).kind()).isEqualTo(org.wardline.protocol.wire.ReceiptKind.DELIVERED);
        // Alice can hear the delivery receipt before Bob hears the server take it and clears it from his queue.
        long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (await(bob.client().pendingReceipts()) > 0 && System.nanoTime() < settled) {
            Thread.sleep(50);
        }
        assertThat(await(bob.client().pendingReceipts())).as("the delivery receipt was taken").isZero();

        bob.client().goOffline();
        await(bob.client().markRead(received));
        assertThat(await(bob.client().pendingReceipts())).as("kept, not dropped").isEqualTo(1);
        assertThat(alice.events().receipts.poll(1, TimeUnit.SECONDS)).isNull();
        stop(bob);

        Device restarted = restart(bob);
        org.wardline.clients.messaging.Receipt read = next(alice.events().receipts);
        assertThat(read.kind()).isEqualTo(org.wardline.protocol.wire.ReceiptKind.READ);
        assertThat(read.messageId()).isEqualTo(sent);
        assertThat(read.from()).isEqualTo(bob.device());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (await(restarted.client().pendingReceipts()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(await(restarted.client().pendingReceipts())).isZero();
        assertThat(alice.events().receipts.poll(1, TimeUnit.SECONDS)).as("sent once").isNull();
    }

    private static void waitForEmptyInbox(Device d) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inboxOf(d) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(inboxOf(d)).as("every delivery acknowledged").isZero();
    }

    private static long inboxOf(Device d) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery("SELECT count(*) FROM device_inbox WHERE device_id = $1")
                .execute(Tuple.of(d.device().device())).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }
}
