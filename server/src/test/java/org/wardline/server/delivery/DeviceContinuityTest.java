package org.wardline.server.delivery;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessageListener;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wardline.server.delivery.RecordingListener.next;

/** A user's devices over time: history for a newly enrolled device, and a device that restarts. */
class DeviceContinuityTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path vaults;

    private final List<MessagingClient> clients = new ArrayList<>();

    /** Records history transfers too. */
    static final class Events extends RecordingListener {
        final BlockingQueue<Integer> history = new LinkedBlockingQueue<>();
        final BlockingQueue<String> lost = new LinkedBlockingQueue<>();

        @Override
        public void onStateLost(List<ConversationId> conversations, String reason) {
            lost.add(reason + " " + conversations);
        }

        @Override
        public void onHistory(int records) {
            history.add(records);
        }
    }

    private record Device(MessagingClient client, Events events, DeviceCredentials credentials, Path vault) {
    }

    private Device start(DeviceCredentials creds, Path vault) throws Exception {
        Events events = new Events();
        MessagingClient c = MessagingClient.start(creds, LocalVault.open(vault, "vault-pass".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return new Device(c, events, creds, vault);
    }

    private Device device(UUID user) throws Exception {
        return start(TestDevices.device(WARDLINE.server(), user), vaults.resolve(UUID.randomUUID().toString()));
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
    void aNewDeviceGetsItsUsersHistoryFromAnExistingDeviceEndToEnd() throws Exception {
        UUID u = CareTeams.teamMate(WARDLINE.server());
        Device phone = device(u);
        Device bob = device(CareTeams.teamMate(WARDLINE.server()));
        Device carol = device(CareTeams.teamMate(WARDLINE.server()));
        ConversationId id = await(phone.client().createConversation());
        await(phone.client().invite(id, List.of(bob.client().device().userUri(), carol.client().device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        String marker = "MARKER-" + UUID.randomUUID();
        await(phone.client().send(id, utf8("before the laptop: " + marker)));
        assertThat(next(bob.events().messages).text()).isEqualTo("before the laptop: " + marker);
        await(bob.client().send(id, utf8("reply from bob")));
        assertThat(next(phone.events().messages).text()).isEqualTo("reply from bob");
        long conversationsBefore = count("SELECT count(*) FROM conversations");

        Device laptop = device(u);
        assertThat(await(laptop.client().history())).isEmpty();
        assertThatThrownBy(() -> await(phone.client().sendHistoryTo(bob.client().device())))
                .as("history goes to the user's own devices only").hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(await(phone.client().sendHistoryTo(laptop.client().device()))).isEqualTo(2);
        assertThat(laptop.events().history.poll(60, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(await(laptop.client().history())).extracting(ReceivedMessage::text)
                .containsExactly("before the laptop: " + marker, "reply from bob");
        assertThat(await(laptop.client().conversations())).as("the transfer is not a conversation to show").isEmpty();
        assertThat(laptop.events().rejected).isEmpty();

        assertThat(count("SELECT count(*) FROM conversations")).isEqualTo(conversationsBefore + 1);
        List<UUID> linked = new ArrayList<>();
        for (Row r : query("SELECT device_id FROM conversation_members WHERE conversation_id = (SELECT max(id) FROM conversations)")) {
            linked.add(r.getUUID(0));
        }
        assertThat(linked).as("the transfer's group holds the user's two devices and no one else's")
                .containsExactlyInAnyOrder(phone.client().device().device(), laptop.client().device().device());
        assertThat(bob.events().messages.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(carol.events().rejected).isEmpty();
        assertNoPlaintextOnTheServer(marker);
    }

    @Test
    void aRestartedDeviceWhoseStateIsGoneIsCommittedBackInAndKeepsItsHistory() throws Exception {
        Device alice = device(CareTeams.teamMate(WARDLINE.server()));
        DeviceCredentials bobCreds = TestDevices.teamMate(WARDLINE.server());
        Path bobVault = vaults.resolve("bob");
        Device bob = start(bobCreds, bobVault);
        Device carol = device(CareTeams.teamMate(WARDLINE.server()));
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of(bob.client().device().userUri(), carol.client().device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        assertThat(next(carol.events().joined)).isEqualTo(id);
        await(alice.client().send(id, utf8("before the restart")));
        assertThat(next(bob.events().messages).text()).isEqualTo("before the restart");
        long epochBefore = await(alice.client().epoch(id));

        bob.client().close();
        clients.remove(bob.client());
        java.nio.file.Files.delete(bobVault.resolve("mls-state.state")); // its MLS state is gone (ADR 0021)
        Device bobAgain = start(bobCreds, bobVault);
        assertThat(next(bobAgain.events().lost)).as("the user is told which conversation lost its history")
                .startsWith("the saved MLS state is missing").contains(id.toString());
        assertThat(next(bobAgain.events().joined)).as("another member committed the restarted device back in").isEqualTo(id);
        assertThat(await(bobAgain.client().history())).extracting(ReceivedMessage::text).contains("before the restart");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Stream.of(alice, carol).anyMatch(d -> d.client().epoch(id).join() != bobAgain.client().epoch(id).join())
                && System.nanoTime() < deadline) {
            Thread.sleep(50); // the re-add commit reaches the third member asynchronously
        }
        assertThat(await(bobAgain.client().epoch(id))).isEqualTo(epochBefore + 1);
        assertThat(await(bobAgain.client().epochAuthenticator(id))).isEqualTo(await(alice.client().epochAuthenticator(id)))
                .isEqualTo(await(carol.client().epochAuthenticator(id)));
        assertThat(await(alice.client().members(id))).hasSize(3);

        await(alice.client().send(id, utf8("after the restart")));
        assertThat(next(bobAgain.events().messages).text()).isEqualTo("after the restart");
        await(bobAgain.client().send(id, utf8("bob is back")));
        assertThat(next(carol.events().messages, 3)).extracting(ReceivedMessage::text)
                .containsExactly("before the restart", "after the restart", "bob is back");
        assertThat(await(alice.client().safetyNumber(id, bobAgain.client().device())))
                .isEqualTo(await(bobAgain.client().safetyNumber(id, alice.client().device())));
    }

    private void assertNoPlaintextOnTheServer(String marker) throws Exception {
        List<String> hits = new ArrayList<>();
        for (Row c : query("SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'")) {
            String table = c.getString(0);
            String column = c.getString(1);
            boolean bytea = "bytea".equals(c.getString(2));
            String sql = bytea
                    ? "SELECT count(*) FROM \"" + table + "\" WHERE position($1::bytea IN \"" + column + "\") > 0"
                    : "SELECT count(*) FROM \"" + table + "\" WHERE \"" + column + "\"::text LIKE '%' || $1 || '%'";
            if (WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.of(bytea ? Buffer.buffer(utf8(marker)) : marker))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0) > 0) {
                hits.add(table + "." + column);
            }
        }
        assertThat(hits).isEmpty();
        try (Stream<Path> files = Files.walk(WARDLINE.dataDir())) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> contains(p, utf8(marker))).toList()).isEmpty();
        }
    }

    private static boolean contains(Path file, byte[] needle) {
        try {
            byte[] data = Files.readAllBytes(file);
            for (int i = 0; i <= data.length - needle.length; i++) {
                if (Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false; // sockets, files removed while walking
        }
    }

    private static io.vertx.sqlclient.RowSet<Row> query(String sql) throws Exception {
        return WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static long count(String sql) throws Exception {
        return query(sql).iterator().next().getLong(0);
    }
}
