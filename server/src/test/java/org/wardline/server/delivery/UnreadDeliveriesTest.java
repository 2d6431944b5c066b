package org.wardline.server.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import org.wardline.server.account.Role;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.delivery.RecordingListener.next;

/**
 * A message a device cannot decrypt is kept on the device and acknowledged as unread with its reason (issue 21 item
 * 5): the server records it against the device, counts it by reason, and an administrator sees it in the device list.
 */
class UnreadDeliveriesTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path vaults;

    private final List<MessagingClient> clients = new ArrayList<>();

    private static final class Events extends RecordingListener {
        final BlockingQueue<String> undecryptable = new LinkedBlockingQueue<>();

        @Override
        public void onUndecryptable(ConversationId conversation, String reason) {
            undecryptable.add(reason);
        }
    }

    @AfterEach
    void close() {
        clients.forEach(MessagingClient::close);
    }

    private MessagingClient start(DeviceCredentials creds, Path vault, Events events) throws Exception {
        MessagingClient c = MessagingClient.start(creds, LocalVault.open(vault, "vault-pass".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void aMessageThatDoesNotDecryptIsReportedUnreadAndTheAdministratorSeesIt() throws Exception {
        DeviceCredentials aliceCreds = TestDevices.teamMate(WARDLINE.server());
        DeviceCredentials bobCreds = TestDevices.teamMate(WARDLINE.server());
        MessagingClient alice = start(aliceCreds, vaults.resolve("alice"), new Events());
        Events bobEvents = new Events();
        Path bobVault = vaults.resolve("bob");
        MessagingClient bob = start(bobCreds, bobVault, bobEvents);
        ConversationId id = alice.createConversation().get(60, TimeUnit.SECONDS);
        alice.invite(id, List.of(bob.device().userUri())).get(60, TimeUnit.SECONDS);
        assertThat(next(bobEvents.joined)).isEqualTo(id);
        waitForEmptyInbox(bobCreds);
        bob.close();
        clients.remove(bob);

        alice.send(id, "for a copy damaged on the way".getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
        long message = query("SELECT message_id FROM device_inbox WHERE device_id = $1", bobCreds.device().device());
        // The last byte of the ciphertext flipped: the AEAD tag no longer matches.
        query("UPDATE conversation_messages SET payload = set_byte(payload, length(payload) - 1, "
                + "get_byte(payload, length(payload) - 1) # 1) WHERE id = $1 RETURNING 1", message);

        Events again = new Events();
        start(bobCreds, bobVault, again);
        assertThat(next(again.undecryptable)).isEqualTo(MessageListener.UNDECRYPTABLE);
        waitForEmptyInbox(bobCreds);
        assertThat(again.messages).isEmpty();
        assertThat(query("SELECT count(*) FROM unread_deliveries WHERE device_id = $1 AND message_id = $2 AND reason = 'undecryptable' "
                + "AND sender_device = $3", bobCreds.device().device(), message, aliceCreds.device().device())).isEqualTo(1);
        assertThat(metrics()).containsPattern("wardline_deliveries_unread_total\\{reason=\"undecryptable\",?\\} [1-9]");

        SignedInDevice admin = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.ADMIN), LocalDate.now().plusYears(1));
        WardlineApi adminApi = WardlineApi.onDevice(WARDLINE.server(), admin.sslContext());
        WardlineApi.Reply list = adminApi.get("/v1/admin/devices?userId=" + bobCreds.device().user(), admin.bearer());
        assertThat(list.status()).as(String.valueOf(list.json())).isEqualTo(200);
        JsonObject bobsDevice = list.json().getJsonArray("devices").stream().map(JsonObject.class::cast)
                .filter(d -> d.getString("id").equals(bobCreds.device().device().toString())).findFirst().orElseThrow();
        assertThat(bobsDevice.getLong("unreadDeliveries")).isEqualTo(1);
        WardlineApi.Reply unread = adminApi.get("/v1/admin/devices/" + bobCreds.device().device() + "/unread-deliveries", admin.bearer());
        assertThat(unread.status()).isEqualTo(200);
        JsonArray entries = unread.json().getJsonArray("unreadDeliveries");
        assertThat(entries).hasSize(1);
        assertThat(entries.getJsonObject(0).getString("reason")).isEqualTo("undecryptable");
        assertThat(entries.getJsonObject(0).getLong("messageId")).isEqualTo(message);
        assertThat(entries.getJsonObject(0).getString("senderDeviceId")).isEqualTo(aliceCreds.device().device().toString());
        assertThat(entries.getJsonObject(0).encode()).as("IDs and a reason only").doesNotContain("damaged");
        assertThat(adminApi.get("/v1/admin/devices/" + UUID.randomUUID() + "/unread-deliveries", admin.bearer()).status()).isEqualTo(404);
    }

    private static void waitForEmptyInbox(DeviceCredentials d) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (query("SELECT count(*) FROM device_inbox WHERE device_id = $1", d.device().device()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(query("SELECT count(*) FROM device_inbox WHERE device_id = $1", d.device().device())).isZero();
    }

    private static long query(String sql, Object... args) throws Exception {
        var rows = WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args)).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        return rows.iterator().next().getLong(0);
    }

    private static String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + WARDLINE.server().opsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
