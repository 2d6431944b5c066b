package org.wardline.server.delivery;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.Receipt;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.protocol.wire.ReceiptKind;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wardline.server.delivery.RecordingListener.next;

/** Three (or four) real SDK clients through a real server: the acceptance criteria of issue 6. */
class MessagingAcceptanceTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path vaults;

    private final List<MessagingClient> clients = new ArrayList<>();

    private record Member(MessagingClient client, RecordingListener events, Path vaultDir) {
        String user() {
            return client.device().userUri();
        }

        <T> T await(CompletableFuture<T> f) throws Exception {
            return f.get(60, TimeUnit.SECONDS);
        }
    }

    private Member member() throws Exception {
        return member(CareTeams.teamMate(WARDLINE.server()));
    }

    private Member member(UUID user) throws Exception {
        RecordingListener events = new RecordingListener();
        Path dir = vaults.resolve(UUID.randomUUID().toString());
        MessagingClient c = MessagingClient.start(TestDevices.device(WARDLINE.server(), user),
                LocalVault.open(dir, "vault-pass".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return new Member(c, events, dir);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MessagingClient::close);
    }

    /** Alice creates a conversation and invites the others by user; each has joined when this returns. */
    private static ConversationId conversation(Member alice, Member... others) throws Exception {
        ConversationId id = alice.await(alice.client().createConversation());
        alice.await(alice.client().invite(id, Stream.of(others).map(Member::user).toList()));
        for (Member o : others) {
            assertThat(next(o.events().joined)).isEqualTo(id);
        }
        return id;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void messagesArriveInOrderDecryptAndAreAcknowledgedWithReceipts() throws Exception {
        Member alice = member();
        Member bob = member();
        Member carol = member();
        ConversationId id = conversation(alice, bob, carol);
        List<Long> aliceIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            aliceIds.add(alice.await(alice.client().send(id, utf8("alice " + i))));
        }
        for (int i = 0; i < 5; i++) {
            bob.await(bob.client().send(id, utf8("bob " + i)));
        }
        List<ReceivedMessage> atCarol = next(carol.events().messages, 15);
        assertThat(atCarol.stream().filter(m -> m.sender().equals(alice.client().device())).map(ReceivedMessage::text))
                .containsExactly("alice 0", "alice 1", "alice 2", "alice 3", "alice 4", "alice 5", "alice 6", "alice 7",
                        "alice 8", "alice 9");
        assertThat(atCarol.stream().filter(m -> m.sender().equals(bob.client().device())).map(ReceivedMessage::text))
                .containsExactly("bob 0", "bob 1", "bob 2", "bob 3", "bob 4");
        assertThat(next(bob.events().messages, 10).stream().map(ReceivedMessage::messageId)).containsExactlyElementsOf(aliceIds);
        assertThat(next(alice.events().messages, 5)).extracting(ReceivedMessage::text)
                .containsExactly("bob 0", "bob 1", "bob 2", "bob 3", "bob 4");

        List<Receipt> receipts = next(alice.events().receipts, 20);
        assertThat(receipts).allMatch(r -> r.kind() == ReceiptKind.DELIVERED && aliceIds.contains(r.messageId()));
        assertThat(receipts.stream().map(Receipt::from).distinct()).containsExactlyInAnyOrder(bob.client().device(), carol.client().device());
        ReceivedMessage first = atCarol.get(0);
        carol.await(carol.client().markRead(first));
        assertThat(next(alice.events().receipts)).satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ReceiptKind.READ);
            assertThat(r.from()).isEqualTo(carol.client().device());
        });

        assertThat(carol.await(carol.client().history())).extracting(ReceivedMessage::text).contains("alice 9", "bob 4");
        assertThat(carol.vaultDir().resolve("history.vault")).isNotEmptyFile();
        assertThat(contains(carol.vaultDir().resolve("history.vault"), utf8("alice 9"))).as("history is encrypted at rest").isFalse();
        String aliceSees = alice.await(alice.client().safetyNumber(id, bob.client().device()));
        assertThat(aliceSees).matches("(\\d{5} ){11}\\d{5}")
                .isEqualTo(bob.await(bob.client().safetyNumber(id, alice.client().device())))
                .isNotEqualTo(alice.await(alice.client().safetyNumber(id, carol.client().device())));
        assertThat(carol.events().rejected).isEmpty();
    }

    @Test
    void everyDeviceOfAnInvitedUserJoinsAndSeesItsSiblingsMessages() throws Exception {
        Member alice = member();
        UUID bobUser = CareTeams.teamMate(WARDLINE.server());
        Member bobPhone = member(bobUser);
        Member bobLaptop = member(bobUser);
        ConversationId id = conversation(alice, bobPhone);
        assertThat(next(bobLaptop.events().joined)).as("invited by user, every device joins").isEqualTo(id);
        assertThat(alice.await(alice.client().members(id))).containsExactlyInAnyOrder(alice.client().device(),
                bobPhone.client().device(), bobLaptop.client().device());
        bobPhone.await(bobPhone.client().send(id, utf8("from the phone")));
        assertThat(next(bobLaptop.events().messages).text()).isEqualTo("from the phone");
        assertThat(next(alice.events().messages).sender()).isEqualTo(bobPhone.client().device());
        assertThat(alice.await(alice.client().safetyNumber(id, bobPhone.client().device())))
                .isNotEqualTo(alice.await(alice.client().safetyNumber(id, bobLaptop.client().device())));
    }

    @Test
    void aRemovedMemberGetsNothingSentAfterTheRemoval() throws Exception {
        Member alice = member();
        Member bob = member();
        Member carol = member();
        ConversationId id = conversation(alice, bob, carol);
        alice.await(alice.client().send(id, utf8("before")));
        assertThat(next(carol.events().messages).text()).isEqualTo("before");
        assertThat(alice.await(alice.client().remove(id, List.of(carol.client().device())))).isEqualTo(MessagingClient.Removal.REMOVED);
        assertThat(next(carol.events().removed)).isEqualTo(id);
        alice.await(alice.client().send(id, utf8("after")));
        assertThat(next(bob.events().messages, 2)).extracting(ReceivedMessage::text).containsExactly("before", "after");
        assertThat(alice.await(alice.client().members(id))).containsExactlyInAnyOrder(alice.client().device(), bob.client().device());
        assertThat(carol.events().messages.poll(2, TimeUnit.SECONDS)).isNull();
        assertThat(carol.await(carol.client().history())).extracting(ReceivedMessage::text).containsExactly("before");
        assertThatThrownBy(() -> carol.await(carol.client().send(id, utf8("let me in")))).hasMessageContaining("conversation.unknown");
    }

    @Test
    void concurrentCommitsAtOneEpochAllLandAndEveryMemberConverges() throws Exception {
        Member alice = member();
        Member bob = member();
        Member carol = member();
        Member dave = member();
        ConversationId id = conversation(alice, bob);
        long start = alice.await(alice.client().epoch(id));
        CompletableFuture<Long> byAlice = alice.client().invite(id, List.of(carol.user()));
        CompletableFuture<Long> byBob = bob.client().invite(id, List.of(dave.user()));
        alice.await(byAlice);
        bob.await(byBob);
        assertThat(next(carol.events().joined)).isEqualTo(id);
        assertThat(next(dave.events().joined)).isEqualTo(id);
        List<Member> all = List.of(alice, bob, carol, dave);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (all.stream().map(m -> m.client().epoch(id).join()).distinct().count() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(50); // convergence is asynchronous: the last commit reaches the others after its sender's OK
        }
        assertThat(alice.await(alice.client().epoch(id))).isEqualTo(start + 2);
        byte[] authenticator = alice.await(alice.client().epochAuthenticator(id));
        for (Member m : all) {
            assertThat(m.await(m.client().epochAuthenticator(id))).isEqualTo(authenticator);
            assertThat(m.await(m.client().members(id))).hasSize(4);
        }
        dave.await(dave.client().send(id, utf8("hello from dave")));
        for (Member m : List.of(alice, bob, carol)) {
            assertThat(next(m.events().messages).text()).isEqualTo("hello from dave");
        }
    }

    @Test
    void anOfflineDeviceReceivesEverythingWhenItReconnects() throws Exception {
        Member alice = member();
        Member bob = member();
        ConversationId id = conversation(alice, bob);
        bob.client().goOffline();
        for (int i = 0; i < 5; i++) {
            alice.await(alice.client().send(id, utf8("while away " + i)));
        }
        assertThat(pendingMessages(bob)).isEqualTo(5);
        bob.client().goOnline();
        bob.client().connected().get(60, TimeUnit.SECONDS);
        assertThat(next(bob.events().messages, 5)).extracting(ReceivedMessage::text)
                .containsExactly("while away 0", "while away 1", "while away 2", "while away 3", "while away 4");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pendingMessages(bob) > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(50); // acks are sent after processing, asynchronously
        }
        assertThat(pendingMessages(bob)).isZero();

        bob.client().dropConnection();
        alice.await(alice.client().send(id, utf8("after a network drop")));
        assertThat(next(bob.events().messages).text()).as("reconnects by itself").isEqualTo("after a network drop");
    }

    @Test
    void theServerStoresNoPlaintextOfAMarkerMessage() throws Exception {
        Member alice = member();
        Member bob = member();
        ConversationId id = conversation(alice, bob);
        bob.client().goOffline();
        String marker = "MARKER-" + UUID.randomUUID();
        alice.await(alice.client().send(id, utf8(marker)));
        assertThat(pendingMessages(bob))
                .as("the ciphertext is stored, waiting for bob").isEqualTo(1);

        List<String> hits = new ArrayList<>();
        var pool = WARDLINE.server().database().pool();
        var columns = pool.query("""
                        SELECT table_name, column_name, data_type FROM information_schema.columns
                         WHERE table_schema = 'public' ORDER BY table_name, column_name""")
                .execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int scanned = 0;
        for (Row c : columns) {
            String table = c.getString(0);
            String column = c.getString(1);
            boolean bytea = "bytea".equals(c.getString(2));
            String sql = bytea
                    ? "SELECT count(*) FROM \"" + table + "\" WHERE position($1::bytea IN \"" + column + "\") > 0"
                    : "SELECT count(*) FROM \"" + table + "\" WHERE \"" + column + "\"::text LIKE '%' || $1 || '%'";
            long n = pool.preparedQuery(sql).execute(Tuple.of(bytea ? Buffer.buffer(utf8(marker)) : marker))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
            scanned++;
            if (n > 0) {
                hits.add(table + "." + column);
            }
        }
        assertThat(scanned).as("columns scanned").isGreaterThan(20);
        assertThat(hits).isEmpty();
        List<Path> filesWithMarker;
        try (Stream<Path> files = Files.walk(WARDLINE.dataDir())) {
            filesWithMarker = files.filter(Files::isRegularFile).filter(p -> contains(p, utf8(marker))).toList();
        }
        assertThat(filesWithMarker).as("server data directory (PostgreSQL files and WAL, S3)").isEmpty();

        bob.client().goOnline();
        assertThat(next(bob.events().messages).text()).as("the marker was real and readable end to end").isEqualTo(marker);
    }

    @Test
    void disappearingMessagesAreDeletedOnTheServerAtExpiry() throws Exception {
        Member alice = member();
        Member bob = member();
        ConversationId id = alice.await(alice.client().createConversation(Duration.ofSeconds(1)));
        alice.await(alice.client().invite(id, List.of(bob.user())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        bob.client().goOffline();
        alice.await(alice.client().send(id, utf8("gone soon")));
        assertThat(pendingMessages(bob)).isEqualTo(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pendingMessages(bob) > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(200); // the expiry sweep runs every few seconds
        }
        assertThat(count("""
                SELECT count(*) FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
                 WHERE c.group_id = $1 AND m.kind = 4""", Buffer.buffer(id.groupId()))).isZero();
        bob.client().goOnline();
        bob.client().connected().get(60, TimeUnit.SECONDS);
        assertThat(bob.events().messages.poll(2, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aDisappearingMessageCarriesItsTimeAndLeavesTheSendersAndTheRecipientsDevicesThen() throws Exception {
        Member alice = member();
        Member bob = member();
        ConversationId id = alice.await(alice.client().createConversation(Duration.ofSeconds(4)));
        alice.await(alice.client().invite(id, List.of(bob.user())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        String marker = "disappearing-" + UUID.randomUUID();
        alice.await(alice.client().send(id, utf8(marker)));
        ReceivedMessage received = next(bob.events().messages);
        assertThat(received.text()).isEqualTo(marker);
        assertThat(received.expiresAt() - received.sentAt()).as("EXPIRES_AT is the sent time plus the timer").isEqualTo(4_000);
        assertThat(alice.await(alice.client().history())).singleElement()
                .satisfies(m -> assertThat(m.expiresAt()).as("the sender's copy has the same time").isEqualTo(received.expiresAt()));
        assertThat(bob.await(bob.client().history())).extracting(ReceivedMessage::text).containsExactly(marker);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((vaultHolds(alice, marker) || vaultHolds(bob, marker)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(received.expiresAt());
        assertThat(vaultHolds(alice, marker)).as("gone from the sender's vault").isFalse();
        assertThat(vaultHolds(bob, marker)).as("gone from the recipient's vault").isFalse();
        assertThat(alice.await(alice.client().history())).isEmpty();
        assertThat(bob.await(bob.client().history())).isEmpty();

        alice.await(alice.client().send(id, utf8("after")));
        assertThat(next(bob.events().messages).text()).as("the conversation goes on").isEqualTo("after");
    }

    /** Whether any record of the member's history, decrypted, still holds {@code text}. */
    private static boolean vaultHolds(Member m, String text) {
        try (LocalVault vault = LocalVault.open(m.vaultDir(), "vault-pass".toCharArray())) {
            return vault.read("history").stream().anyMatch(r -> new String(r, StandardCharsets.ISO_8859_1).contains(text));
        }
    }

    @Test
    void removingTheLastOtherMemberClosesTheConversationInsteadOfHittingBcmls2492() throws Exception {
        Member alice = member();
        Member bob = member();
        ConversationId id = conversation(alice, bob);
        assertThat(alice.await(alice.client().remove(id, List.of(bob.client().device()))))
                .isEqualTo(MessagingClient.Removal.CONVERSATION_CLOSED);
        assertThat(alice.await(alice.client().conversations())).doesNotContain(id);
        ConversationId fresh = conversation(alice, bob);
        alice.await(alice.client().send(fresh, utf8("new conversation")));
        assertThat(next(bob.events().messages).text()).isEqualTo("new conversation");
    }

    @Test
    void aWipeDestroysTheLocalVault() throws Exception {
        Member alice = member();
        Member bob = member();
        ConversationId id = conversation(alice, bob);
        alice.await(alice.client().send(id, utf8("to be wiped")));
        assertThat(next(bob.events().messages).text()).isEqualTo("to be wiped");
        bob.await(bob.client().wipe());
        assertThat(bob.vaultDir().resolve("vault.key")).doesNotExist();
        assertThat(bob.vaultDir().resolve("history.vault")).doesNotExist();
        assertThat(bob.await(bob.client().conversations())).isEmpty();
        assertThatThrownBy(() -> bob.await(bob.client().history())).hasMessageContaining("destroyed");
    }

    /** Application messages waiting in a member's inbox. */
    private static long pendingMessages(Member m) throws Exception {
        return count("""
                SELECT count(*) FROM device_inbox i JOIN conversation_messages c ON c.id = i.message_id
                 WHERE i.device_id = $1 AND c.kind = 4""", m.client().device().device());
    }

    private static boolean contains(Path file, byte[] needle) {
        try {
            byte[] data = Files.readAllBytes(file);
            outer:
            for (int i = 0; i <= data.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (data[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (java.io.IOException e) {
            return false; // sockets, files removed while walking
        }
    }

    private static long count(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(Arrays.asList(args)))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }
}
