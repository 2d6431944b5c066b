package org.wardline.server.wipe;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
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
import org.wardline.clients.messaging.MessagingException;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.clients.messaging.RemoteWipe;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote wipe on a whole dev server with real devices: refusals and their audit entries; a lost device that
 * reconnects destroys its local state and confirms; the others stop delivering to it and commit its removal.
 */
class RemoteWipeTest {
    private static final String TRAINED = "2099-01-01";

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;
    private static WardlineApi adminDevice;
    private static WardlineApi.Account nurse;

    @TempDir
    Path scratch;

    private final List<MessagingClient> clients = new ArrayList<>();

    @BeforeAll
    static void signInAdminOnADevice() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin.wipe");
        nurse = api.createAndSignIn(admin, "nurse.nowipe", new JsonArray().add("clinician"), TRAINED);
        // From here on the admin's tokens are a session on the admin's enrolled device.
        adminDevice = WardlineApi.device(WARDLINE.server(), keyStore(EnrolledDevices.enrollOnly(WARDLINE.server(), admin.id),
                Files.createTempDirectory("wardline-admin-device")));
        adminDevice.signIn(admin);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MessagingClient::close);
    }

    @Test
    void wipingAnUnknownOrAlreadyWipedDeviceIsRefusedAndAudited() throws Exception {
        UUID unknown = UUID.randomUUID();
        WardlineApi.Reply r = adminDevice.post("/v1/admin/devices/" + unknown + "/wipe", admin.accessToken, null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.error()).isEqualTo("device.unknown");
        assertThat(auditCount("device.wipe.refused", unknown)).isEqualTo(1);

        UUID device = EnrolledDevices.enroll(WARDLINE.server()).deviceId();
        WardlineApi.Reply first = adminDevice.post("/v1/admin/devices/" + device + "/wipe", admin.accessToken, null);
        assertThat(first.status()).as(String.valueOf(first.json())).isEqualTo(202);
        assertThat(first.json().getString("status")).isEqualTo("pending");
        assertThat(first.json().getInteger("certificatesRevoked")).isEqualTo(1);

        WardlineApi.Reply again = adminDevice.post("/v1/admin/devices/" + device + "/wipe", admin.accessToken, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("device.already_wiped");
        assertThat(auditCount("device.wipe.requested", device)).isEqualTo(1);
        assertThat(auditCount("device.wipe.refused", device)).isEqualTo(1);
        assertThat(adminDevice.get("/v1/admin/devices/" + device + "/wipe", admin.accessToken).json().getString("status"))
                .isEqualTo("pending");

        assertThat(adminDevice.post("/v1/admin/devices/not-a-uuid/wipe", admin.accessToken, null).error())
                .isEqualTo("request.invalid");
        WardlineApi nurseDevice = WardlineApi.device(WARDLINE.server(),
                keyStore(EnrolledDevices.enrollOnly(WARDLINE.server(), nurse.id), scratch.resolve("nurse")));
        nurseDevice.signIn(nurse);
        UUID someoneElses = EnrolledDevices.enroll(WARDLINE.server()).deviceId();
        assertThat(nurseDevice.post("/v1/admin/devices/" + someoneElses + "/wipe", nurse.accessToken, null).error())
                .as("a clinician is not an administrator").isEqualTo("auth.forbidden");
        WardlineApi.Reply notHers = nurseDevice.post("/v1/devices/" + someoneElses + "/wipe", nurse.accessToken, null);
        assertThat(notHers.error()).as("another user's device answers like an unknown one").isEqualTo("device.unknown");
        assertThat(auditCount("device.wipe.refused", someoneElses)).isEqualTo(1);
        assertThat(WARDLINE.server().database().pool().preparedQuery("SELECT count(*) FROM device_wipes WHERE device_id = $1")
                .execute(Tuple.of(someoneElses)).toCompletionStage().toCompletableFuture().get()
                .iterator().next().getLong(0)).isZero();
    }

    @Test
    void aLostDeviceIsWipedWhenItReconnectsAndTheOthersStopDeliveringToIt() throws Exception {
        UUID bob = CareTeams.teamMate(WARDLINE.server());

        Path lostDir = scratch.resolve("lost-phone");
        Path lostIdentityDir = lostDir.resolve("identity");
        Path lostVaultDir = lostDir.resolve("vault");
        UUID aliceId = CareTeams.teamMate(WARDLINE.server());
        DeviceIdentity lostIdentity = EnrolledDevices.enroll(WARDLINE.server(), aliceId).identity();
        DeviceCredentials lostCreds = credentials(lostIdentity, lostIdentityDir);
        Events lostEvents = new Events();
        MessagingClient lost = start(lostCreds, lostVaultDir, lostEvents);
        lost.deleteOnWipe(lostIdentityDir);

        SignedInDevice aliceTablet = EnrolledDevices.enroll(WARDLINE.server(), aliceId);
        WardlineApi tablet = WardlineApi.device(WARDLINE.server(), keyStore(aliceTablet.identity(), scratch.resolve("tablet")));

        Events bob1Events = new Events();
        Events bob2Events = new Events();
        MessagingClient bob1 = start(credentials(EnrolledDevices.enroll(WARDLINE.server(), bob).identity(), scratch.resolve("b1id")),
                scratch.resolve("b1"), bob1Events);
        MessagingClient bob2 = start(credentials(EnrolledDevices.enroll(WARDLINE.server(), bob).identity(), scratch.resolve("b2id")),
                scratch.resolve("b2"), bob2Events);
        CompletableFuture.allOf(lost.connected(), bob1.connected(), bob2.connected()).get(30, TimeUnit.SECONDS);

        // Three members, so that removing one does not leave a one-member tree (bc-java #2492).
        ConversationId ward = bob1.createConversation().get(30, TimeUnit.SECONDS);
        bob1.invite(ward, List.of(lost.device().toString(), bob2.device().toString())).get(30, TimeUnit.SECONDS);
        bob1.send(ward, "before".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
        assertThat(next(lostEvents.messages).text()).isEqualTo("before");
        assertThat(next(bob2Events.messages).text()).isEqualTo("before");
        assertThat(Files.exists(lostVaultDir.resolve("vault.key"))).isTrue();
        lost.goOffline();
        // As for a conversation created before the server was an MLS external sender: the REMOVAL_REQUEST path.
        count("UPDATE conversations c SET external_sender = false FROM conversation_members m "
                + "WHERE m.conversation_id = c.id AND m.device_id = $1 RETURNING 1", lost.device().device());

        WardlineApi.Reply wiped = tablet.post("/v1/devices/" + lost.device().device() + "/wipe", aliceTablet.bearer(), null);
        assertThat(wiped.status()).as(String.valueOf(wiped.json())).isEqualTo(202);
        assertThat(wiped.json().getString("status")).isEqualTo("pending");
        assertThat(wiped.json().getInteger("conversationsLeft")).isEqualTo(1);
        assertThat(wiped.json().getInteger("keyPackagesDeleted")).isPositive();
        assertThat(wiped.json().getInteger("removalRequests")).isEqualTo(2);
        assertThat(wiped.json().getInteger("externalProposals")).isZero();
        assertThat(auditCount("device.wipe.requested", lost.device().device())).isEqualTo(1);

        // A member commits the removal the server asked for; both remaining members reach the next epoch without it.
        assertThat(bob1Events.epochs.poll(30, TimeUnit.SECONDS)).isEqualTo(2L);
        assertThat(bob2Events.epochs.poll(30, TimeUnit.SECONDS)).isEqualTo(2L);
        assertThat(bob1.members(ward).get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder(bob1.device(), bob2.device());
        bob1.send(ward, "after".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
        assertThat(next(bob2Events.messages).text()).isEqualTo("after");
        assertThat(count("SELECT count(*) FROM device_inbox WHERE device_id = $1", lost.device().device()))
                .as("nothing is queued for the wiped device").isZero();
        assertThat(count("SELECT count(*) FROM mls_key_packages WHERE device_id = $1", lost.device().device())).isZero();

        // While the wipe is pending the lost device completes the handshake but reaches only its wipe command.
        WardlineApi lostHttp = WardlineApi.device(WARDLINE.server(), keyStore(lostIdentityDir.resolve("device.p12")));
        assertThat(lostHttp.get("/v1/devices/me", null).error()).isEqualTo("device.wipe_pending");
        assertThat(lostHttp.get("/v1/devices/me/wipe", null).json().getString("wipe")).isEqualTo("pending");

        lost.goOnline();
        lost.wiped().get(30, TimeUnit.SECONDS);
        assertThat(lostEvents.messages).as("the wiped device never saw the message sent after the wipe").isEmpty();
        assertThat(Files.exists(lostVaultDir.resolve("vault.key"))).isFalse();
        assertThat(Files.exists(lostVaultDir.resolve("history.vault"))).isFalse();
        assertThat(Files.exists(lostIdentityDir)).as("the identity directory is gone").isFalse();

        WardlineApi.Reply status = adminDevice.get("/v1/admin/devices/" + lost.device().device() + "/wipe", admin.accessToken);
        assertThat(status.json().getString("status")).isEqualTo("confirmed");
        assertThat(status.json().getString("confirmedAt")).isNotBlank();
        assertThat(auditCount("device.wiped", lost.device().device())).isEqualTo(1);

        // Once confirmed, the certificate is refused like any revoked one.
        assertThat(eventuallyRefused(lostCreds)).as("the confirmed device is refused at TLS").isTrue();
    }

    @Test
    void wipingThePeerOfAOneToOneConversationClosesItOnTheOtherSide() throws Exception {
        Events peerEvents = new Events();
        MessagingClient lost = start(credentials(EnrolledDevices.enroll(WARDLINE.server(), CareTeams.teamMate(WARDLINE.server())).identity(), scratch.resolve("lost-id")),
                scratch.resolve("lost"), new Events());
        MessagingClient peer = start(credentials(EnrolledDevices.enroll(WARDLINE.server(), CareTeams.teamMate(WARDLINE.server())).identity(), scratch.resolve("peer-id")),
                scratch.resolve("peer"), peerEvents);
        CompletableFuture.allOf(lost.connected(), peer.connected()).get(30, TimeUnit.SECONDS);
        ConversationId pair = peer.createConversation().get(30, TimeUnit.SECONDS);
        peer.invite(pair, List.of(lost.device().toString())).get(30, TimeUnit.SECONDS);
        lost.goOffline();

        WardlineApi.Reply r = adminDevice.post("/v1/admin/devices/" + lost.device().device() + "/wipe", admin.accessToken, null);
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(202);
        // bcmls 1.84 cannot commit a one-member tree (bc-java #2492): the peer closes the conversation instead.
        assertThat(peerEvents.removed.poll(30, TimeUnit.SECONDS)).isEqualTo(pair);
        assertThat(peer.conversations().get(30, TimeUnit.SECONDS)).doesNotContain(pair);
    }

    /** True once a request with these credentials no longer gets through (the CRL swap is asynchronous). */
    private static boolean eventuallyRefused(DeviceCredentials creds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                RemoteWipe.pending(creds);
            } catch (MessagingException refused) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return false;
    }

    private MessagingClient start(DeviceCredentials creds, Path vault, MessageListener events) {
        MessagingClient c = MessagingClient.start(creds, LocalVault.open(vault, "vault-pass".toCharArray()), events);
        clients.add(c);
        return c;
    }

    private static DeviceCredentials credentials(DeviceIdentity identity, Path dir) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("device.p12");
        identity.save(file, Secret.of("x"));
        return DeviceCredentials.fromKeyStore(keyStore(file), "x".toCharArray(),
                WARDLINE.server().certificateAuthority().rootCertificate(),
                URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort())).withBearer(identity::accessToken);
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

    private static long auditCount(String action, UUID device) throws Exception {
        return WARDLINE.server().database().pool()
                .preparedQuery("SELECT count(*) FROM audit_entries WHERE action = $1 AND object_type = 'device' AND object_id = $2")
                .execute(Tuple.of(action, device.toString())).toCompletionStage().toCompletableFuture().get()
                .iterator().next().getLong(0);
    }

    private static long count(String sql, UUID device) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.of(device))
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
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
        final BlockingQueue<ConversationId> removed = new LinkedBlockingQueue<>();

        @Override
        public void onRemoved(ConversationId conversation) {
            removed.add(conversation);
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
    }
}
