package org.wardline.server.wipe;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessageListener;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.ExternalSenderSigner;
import org.wardline.protocol.mls.MlsEnvelope;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.mls.ExternalSenderKeystore;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server as MLS external sender (ADR 0006), on a whole dev server with SDK clients: a wipe while every other
 * member is offline stores a server-signed Remove proposal; the first member online commits it and the others
 * follow; members refuse proposals that are forged, remove another leaf, or come from an earlier epoch.
 */
class ExternalRemovalWipeTest {
    private static final String TRAINED = "2099-01-01";

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi.Account admin;
    private static WardlineApi adminDevice;

    @TempDir
    Path scratch;

    private final List<MessagingClient> clients = new ArrayList<>();

    @BeforeAll
    static void signInAdminOnADevice() throws Exception {
        WardlineApi api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin.extwipe");
        api.createAndSignIn(admin, "nurse.extwipe", new JsonArray().add("clinician"), TRAINED);
        adminDevice = WardlineApi.device(WARDLINE.server(), keyStore(EnrolledDevices.enrollOnly(WARDLINE.server(), admin.id),
                Files.createTempDirectory("wardline-admin-device")));
        adminDevice.signIn(admin);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MessagingClient::close);
    }

    /** Alice (creator), Carol and a third device in one conversation at epoch 1, each with its own user. */
    private record Ward(MessagingClient alice, Events aliceEvents, MessagingClient carol, Events carolEvents,
                        MessagingClient other, ConversationId id) {
    }

    private Ward ward() throws Exception {
        Events aliceEvents = new Events();
        Events carolEvents = new Events();
        MessagingClient alice = start("alice", aliceEvents);
        MessagingClient carol = start("carol", carolEvents);
        MessagingClient other = start("other", new Events());
        CompletableFuture.allOf(alice.connected(), carol.connected(), other.connected()).get(30, TimeUnit.SECONDS);
        ConversationId id = alice.createConversation().get(30, TimeUnit.SECONDS);
        alice.invite(id, List.of(other.device().toString(), carol.device().toString())).get(30, TimeUnit.SECONDS);
        assertThat(next(carolEvents.joined)).isEqualTo(id);
        return new Ward(alice, aliceEvents, carol, carolEvents, other, id);
    }

    @Test
    void aWipeWhileEveryMemberIsOfflineIsProposedByTheServerAndCommittedByTheFirstMemberOnline() throws Exception {
        Ward w = ward();
        MessagingClient lost = w.other();
        w.alice().goOffline();
        w.carol().goOffline();
        lost.goOffline();

        WardlineApi.Reply r = adminDevice.post("/v1/admin/devices/" + lost.device().device() + "/wipe", admin.accessToken, null);
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(202);
        assertThat(r.json().getInteger("externalProposals")).as("one proposal for the one conversation").isEqualTo(1);
        assertThat(r.json().getInteger("removalRequests")).isZero();

        // The server-signed proposal is stored for the conversation's current epoch and queued for both members.
        List<Row> stored = rows("""
                SELECT m.id, m.epoch, m.payload FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
                 WHERE c.group_id = $1 AND m.kind = $2""", Buffer.buffer(w.id().groupId()), (short) DeliveryKind.EXTERNAL_PROPOSAL.code());
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).getLong("epoch")).isEqualTo(1);
        MlsEnvelope envelope = MlsEnvelope.inspect(stored.get(0).getBuffer("payload").getBytes());
        assertThat(envelope.wireFormat()).isEqualTo(MlsEnvelope.WireFormat.PUBLIC_MESSAGE);
        assertThat(envelope.contentType()).isEqualTo(MlsEnvelope.ContentType.PROPOSAL);
        assertThat(rows("SELECT device_id FROM device_inbox WHERE message_id = $1", stored.get(0).getLong("id")))
                .extracting(row -> row.getUUID("device_id"))
                .containsExactlyInAnyOrder(w.alice().device().device(), w.carol().device().device());

        // Alice comes online first: she verifies the proposal and commits it; Carol is still offline.
        w.alice().goOnline();
        assertThat(next(w.aliceEvents().epochs)).isEqualTo(2L);
        assertThat(w.alice().members(w.id()).get(30, TimeUnit.SECONDS))
                .containsExactlyInAnyOrder(w.alice().device(), w.carol().device());
        assertThat(w.carol().isConnected()).isFalse();

        // Carol follows the commit (which names the proposal by reference) when she comes online.
        w.carol().goOnline();
        assertThat(next(w.carolEvents().epochs)).isEqualTo(2L);
        assertThat(w.carol().members(w.id()).get(30, TimeUnit.SECONDS))
                .containsExactlyInAnyOrder(w.alice().device(), w.carol().device());
        assertThat(w.carol().epochAuthenticator(w.id()).get(30, TimeUnit.SECONDS))
                .isEqualTo(w.alice().epochAuthenticator(w.id()).get(30, TimeUnit.SECONDS));
        w.alice().send(w.id(), "after".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
        assertThat(next(w.carolEvents().messages).text()).isEqualTo("after");
        assertThat(w.aliceEvents().rejected).isEmpty();
        assertThat(w.carolEvents().rejected).isEmpty();
        assertThat(eventuallyZero("SELECT count(*) FROM mls_external_removals WHERE device_id = $1", lost.device().device()))
                .as("the pending removal is settled by the commit").isTrue();
    }

    @Test
    void membersRefuseForgedWrongLeafAndStaleProposals() throws Exception {
        Ward w = ward();
        byte[] groupId = w.id().groupId();
        DeviceUri target = w.other().device();
        int targetLeaf = leafOf(groupId, target);
        int aliceLeaf = leafOf(groupId, w.alice().device());
        ExternalSenderSigner server = ExternalSenderKeystore.loadOrCreate(WARDLINE.server().config().pki().directory(),
                WARDLINE.server().config().pki().passphrase());
        AsymmetricCipherKeyPair other = ExternalSenderSigner.generateKeyPair(MlsSuites.DEFAULT_ID);
        ExternalSenderSigner impostor = ExternalSenderSigner.of(MlsSuites.DEFAULT_ID, other.getPrivate(), other.getPublic());

        // What a compromised delivery service or database could queue for Carol.
        w.carol().goOffline();
        inject(groupId, 1, target, impostor.removal(groupId, 1, targetLeaf), w.carol().device());
        inject(groupId, 1, target, server.removal(groupId, 1, aliceLeaf), w.carol().device());
        w.carol().goOnline();
        assertThat(next(w.carolEvents().rejected)).isEqualTo("external_proposal.forged");
        assertThat(next(w.carolEvents().rejected)).isEqualTo("external_proposal.wrong_leaf");
        assertThat(w.carol().epoch(w.id()).get(30, TimeUnit.SECONDS)).as("nothing was committed").isEqualTo(1);
        assertThat(w.carol().members(w.id()).get(30, TimeUnit.SECONDS)).hasSize(3);

        // A genuine proposal from an epoch the group has left is a replay.
        MessagingClient dave = start("dave", new Events());
        dave.connected().get(30, TimeUnit.SECONDS);
        w.alice().invite(w.id(), List.of(dave.device().toString())).get(30, TimeUnit.SECONDS);
        assertThat(next(w.carolEvents().epochs)).isEqualTo(2L);
        w.carol().goOffline();
        inject(groupId, 1, target, server.removal(groupId, 1, targetLeaf), w.carol().device());
        w.carol().goOnline();
        assertThat(next(w.carolEvents().rejected)).isEqualTo("external_proposal.stale_epoch");
        assertThat(w.carol().members(w.id()).get(30, TimeUnit.SECONDS)).contains(target).hasSize(4);
        assertThat(w.carolEvents().epochs).as("no commit followed a refused proposal").isEmpty();
    }

    /** The device's leaf in the roster the last committer reported (recorded just after the commit's answer). */
    private static int leafOf(byte[] groupId, DeviceUri device) throws Exception {
        List<Row> r = List.of();
        for (int i = 0; i < 100 && r.isEmpty(); i++) {
            TimeUnit.MILLISECONDS.sleep(i == 0 ? 0 : 100);
            r = rows("""
                    SELECT ro.leaf_index FROM conversation_rosters ro JOIN conversations c ON c.id = ro.conversation_id
                     WHERE c.group_id = $1 AND ro.device_id = $2 ORDER BY ro.epoch DESC LIMIT 1""", Buffer.buffer(groupId), device.device());
        }
        assertThat(r).as("the committer reported the roster").hasSize(1);
        return r.get(0).getInteger("leaf_index");
    }

    private static void inject(byte[] groupId, long epoch, DeviceUri wiped, byte[] proposal, DeviceUri recipient) throws Exception {
        long id = rows("""
                INSERT INTO conversation_messages (conversation_id, kind, epoch, sender_device, sender_user, payload, removed)
                SELECT id, $2, $3, $4, $5, $6, $7 FROM conversations WHERE group_id = $1 RETURNING id""",
                Buffer.buffer(groupId), (short) DeliveryKind.EXTERNAL_PROPOSAL.code(), epoch, wiped.device(), wiped.user(),
                Buffer.buffer(proposal), new String[] {wiped.toString()}).get(0).getLong("id");
        rows("INSERT INTO device_inbox (device_id, message_id) VALUES ($1, $2) RETURNING seq", recipient.device(), id);
    }

    private static List<Row> rows(String sql, Object... args) throws Exception {
        List<Row> out = new ArrayList<>();
        WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).forEach(out::add);
        return out;
    }

    private static boolean eventuallyZero(String sql, Object... args) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (rows(sql, args).get(0).getLong(0) == 0) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return false;
    }

    private MessagingClient start(String name, MessageListener events) throws Exception {
        UUID user = CareTeams.teamMate(WARDLINE.server());
        DeviceIdentity identity = EnrolledDevices.enroll(WARDLINE.server(), user).identity();
        Path dir = scratch.resolve(name + "-id");
        Files.createDirectories(dir);
        Path file = dir.resolve("device.p12");
        identity.save(file, Secret.of("x"));
        DeviceCredentials creds = DeviceCredentials.fromKeyStore(keyStore(file), "x".toCharArray(),
                WARDLINE.server().certificateAuthority().rootCertificate(),
                URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort())).withBearer(identity::accessToken);
        MessagingClient c = MessagingClient.start(creds, LocalVault.open(scratch.resolve(name), "vault-pass".toCharArray()), events);
        clients.add(c);
        return c;
    }

    private static KeyStore keyStore(DeviceIdentity identity, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("device.p12");
        identity.save(file, Secret.of("x"));
        return keyStore(file);
    }

    private static KeyStore keyStore(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, "x".toCharArray());
        }
        return ks;
    }

    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T t = queue.poll(30, TimeUnit.SECONDS);
        assertThat(t).as("nothing arrived within 30 s").isNotNull();
        return t;
    }

    /** What one SDK client reports. */
    private static final class Events implements MessageListener {
        final BlockingQueue<ReceivedMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> epochs = new LinkedBlockingQueue<>();
        final BlockingQueue<ConversationId> joined = new LinkedBlockingQueue<>();
        final BlockingQueue<String> rejected = new LinkedBlockingQueue<>();

        @Override
        public void onJoined(ConversationId conversation) {
            joined.add(conversation);
        }

        @Override
        public void onMessage(ReceivedMessage message) {
            messages.add(message);
        }

        @Override
        public void onEpoch(ConversationId conversation, long epoch) {
            if (epoch >= 2) {
                epochs.add(epoch);
            }
        }

        @Override
        public void onRejected(ConversationId conversation, String reason) {
            rejected.add(reason);
        }
    }
}
