package org.wardline.server.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.DeviceCredentials;
import org.wardline.clients.messaging.FrameConnection;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.MessagingException;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.MlsSuites;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.WardlineServer;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.device.DeviceModule;
import org.wardline.server.testing.WardlineClusterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.delivery.RecordingListener.next;

/**
 * Issue 9's acceptance criteria: three clustered nodes (A, B, C) sharing one PostgreSQL, s3proxy and clamd.
 * The node kill runs last: it leaves two nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterAcceptanceTest {
    private static volatile UUID clusterTeam;

    /** A clinician in one care team shared by the whole cluster (the membership policy refuses strangers). */
    private static UUID teamMate() {
        synchronized (ClusterAcceptanceTest.class) {
            if (clusterTeam == null) {
                clusterTeam = org.wardline.server.testing.CareTeams.team(CLUSTER.node(A));
            }
        }
        // Accounts live in the shared database: node A is never stopped by these tests.
        return org.wardline.server.testing.CareTeams.clinician(CLUSTER.node(A), clusterTeam);
    }

    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;

    @RegisterExtension
    static final WardlineClusterExtension CLUSTER = new WardlineClusterExtension(3);

    @TempDir
    Path vaults;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private static URI deviceListener(int node) {
        return URI.create("https://127.0.0.1:" + CLUSTER.node(node).devicePort());
    }

    /** An SDK client enrolled through {@code home}, connecting to the given nodes in that order. */
    private MessagingClient client(RecordingListener events, int home, int... failover) throws Exception {
        DeviceCredentials creds = TestDevices.device(CLUSTER.node(home), teamMate());
        List<URI> listeners = new ArrayList<>(List.of(deviceListener(home)));
        for (int n : failover) {
            listeners.add(deviceListener(n));
        }
        MessagingClient c = MessagingClient.start(creds, listeners,
                LocalVault.open(vaults.resolve(UUID.randomUUID().toString()), "vault-pass".toCharArray()), events,
                MlsSuites.DEFAULT_ID, false);
        open.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return c;
    }

    private RawDevice raw(int node) throws Exception {
        RawDevice d = new RawDevice(TestDevices.device(CLUSTER.node(node), teamMate())).connect().hello();
        open.add(d);
        return d;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void everyNodeIsAMemberOfOneClusterWhoseEventBusSpeaksOnlyMutualTls() throws Exception {
        for (WardlineServer node : CLUSTER.running()) {
            assertThat(org.wardline.server.cluster.ClusterNode.hazelcastOf(node.vertx()).getCluster().getMembers()).hasSize(3);
        }
        java.security.cert.X509Certificate clusterCa = org.wardline.server.pki.ServerCertificate
                .readChain(CLUSTER.eventBusTls().trust()).get(0);
        javax.net.ssl.SSLContext noClientCertificate = org.wardline.server.testing.TlsClients.context(clusterCa, null);
        try (var socket = (javax.net.ssl.SSLSocket) noClientCertificate.getSocketFactory()
                .createSocket("127.0.0.1", CLUSTER.node(A).config().cluster().eventBusPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            var presented = (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertThat(presented.getIssuerX500Principal()).isEqualTo(clusterCa.getSubjectX500Principal());
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (java.io.IOException refused) {
                read = -1;
            }
            assertThat(read).as("a peer without a node certificate is cut off").isEqualTo(-1);
        }
    }

    @Test
    @Order(2)
    void aMessageSentThroughNodeAReachesADeviceConnectedToNodeC() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener carolEvents = new RecordingListener();
        MessagingClient alice = client(aliceEvents, A);
        MessagingClient carol = client(carolEvents, C);
        ConversationId id = await(alice.createConversation());
        await(alice.invite(id, List.of(carol.device().userUri())));
        assertThat(next(carolEvents.joined)).isEqualTo(id);
        long sent = await(alice.send(id, utf8("from A to C")));
        ReceivedMessage got = next(carolEvents.messages);
        assertThat(got.text()).isEqualTo("from A to C");
        assertThat(got.messageId()).isEqualTo(sent);
        assertThat(carol.deviceListener()).isEqualTo(deviceListener(C));
        assertThat(alice.deviceListener()).isEqualTo(deviceListener(A));
    }

    @Test
    @Order(3)
    void ofTwoConcurrentCommitsThroughTwoNodesAtOneEpochExactlyOneWinsAndBothConverge() throws Exception {
        RawDevice alice = raw(A);
        RawDevice bob = raw(B);
        byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        ConversationGroup a = ConversationGroup.create(alice.identity, groupId);
        alice.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId));
        bob.uploadKeyPackages(1);
        Frame claimed = alice.ok(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, bob.uri().toString()));
        ConversationGroup.PendingCommit add = a.commitAdd(claimed.all(Tag.KEY_PACKAGE));
        alice.ok(commitFrame(a, add));
        a.accept(add);
        Frame welcome = bob.nextDelivery();
        ConversationGroup b = bob.join(welcome);
        bob.ack(welcome);

        for (int round = 0; round < 3; round++) {
            ConversationGroup.PendingCommit fromAlice = a.commitAdd(List.of());
            ConversationGroup.PendingCommit fromBob = b.commitAdd(List.of());
            CompletableFuture<Frame> aliceAnswer = alice.connection.request(commitFrame(a, fromAlice));
            CompletableFuture<Frame> bobAnswer = bob.connection.request(commitFrame(b, fromBob));
            long epoch = a.epoch() + 1;
            List<String> outcomes = new ArrayList<>();
            for (CompletableFuture<Frame> answer : List.of(aliceAnswer, bobAnswer)) {
                try {
                    outcomes.add("ok@" + answer.get(20, TimeUnit.SECONDS).u64(Tag.EPOCH));
                } catch (ExecutionException e) {
                    MessagingException m = (MessagingException) e.getCause();
                    outcomes.add(m.code() + "@" + m.epoch());
                }
            }
            assertThat(outcomes).containsExactlyInAnyOrder("ok@" + epoch, ErrorCode.EPOCH_CONFLICT.code() + "@" + epoch);
            boolean aliceWon = !aliceAnswer.isCompletedExceptionally();
            ConversationGroup winner = aliceWon ? a : b;
            ConversationGroup loser = aliceWon ? b : a;
            RawDevice loserDevice = aliceWon ? bob : alice;
            winner.accept(aliceWon ? fromAlice : fromBob);
            Frame winning = loserDevice.nextDelivery();
            assertThat(DeliveryKind.forCode(winning.u64(Tag.KIND))).isEqualTo(DeliveryKind.COMMIT);
            assertThat(loser.apply(winning.bytes(Tag.PAYLOAD))).isTrue();
            loserDevice.ack(winning);
            assertThat(loser.epoch()).isEqualTo(winner.epoch()).isEqualTo(epoch);
            assertThat(loser.epochAuthenticator()).isEqualTo(winner.epochAuthenticator());
        }
    }

    private static Frame commitFrame(ConversationGroup g, ConversationGroup.PendingCommit c) {
        Frame f = Frame.of(FrameType.COMMIT, 0).with(Tag.GROUP_ID, g.groupId()).with(Tag.EPOCH, c.fromEpoch())
                .with(Tag.PAYLOAD, c.commit())
                .withEach(Tag.ADDED, c.added().stream().map(DeviceUri::toString).toList())
                .withEach(Tag.REMOVED, c.removed().stream().map(DeviceUri::toString).toList());
        return c.welcome() == null ? f : f.with(Tag.WELCOME, c.welcome());
    }

    @Test
    @Order(4)
    void revokingADeviceThroughNodeAClosesItsConnectionOnNodeCWithinASecond() throws Exception {
        DeviceCredentials creds = TestDevices.device(CLUSTER.node(A), teamMate()).withDeviceListener(deviceListener(C));
        FrameConnection connection = FrameConnection.open(creds, f -> { }, () -> { }).get(10, TimeUnit.SECONDS);
        open.add(connection);
        connection.request(Frame.of(FrameType.HELLO, 0)).get(20, TimeUnit.SECONDS);
        DeviceModule onC = CLUSTER.node(C).module(DeviceModule.class);
        assertThat(onC.connections()).isNotNull();

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + CLUSTER.node(A).opsPort() + "/admin/devices/" + creds.device().device() + "/revoke"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("reason", "lost").encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        long revokedAt = System.nanoTime();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getBoolean("revoked")).isTrue();
        connection.closed().get(5, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - revokedAt);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @Order(5)
    void signingOutThroughNodeAClosesTheMessagingConnectionOnNodeCWithinASecond() throws Exception {
        org.wardline.server.testing.SignedInDevice d = org.wardline.server.testing.EnrolledDevices.enroll(CLUSTER.node(A));
        DeviceCredentials onC = new DeviceCredentials(d.sslContext(), new DeviceUri(d.userId(), d.deviceId()), deviceListener(C))
                .withBearer(d.identity()::accessToken);
        FrameConnection connection = FrameConnection.open(onC, f -> { }, () -> { }).get(10, TimeUnit.SECONDS);
        open.add(connection);
        connection.request(Frame.of(FrameType.HELLO, 0)).get(20, TimeUnit.SECONDS);
        assertThat(d.identity().deviceUrl().getPort()).as("the device signs out through node A").isEqualTo(CLUSTER.node(A).devicePort());

        assertThat(org.wardline.clients.sdk.SignIn.logout(d.identity())).isTrue();
        long signedOutAt = System.nanoTime();
        connection.closed().get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - signedOutAt)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @Order(7)
    void aRoleChangeThroughNodeAReachesAConnectionOnNodeCFromItsNextFrame() throws Exception {
        WardlineApi api = new WardlineApi(CLUSTER.node(A));
        WardlineApi.Account admin = api.bootstrapAdmin("cluster.root");
        RawDevice onC = raw(C);
        onC.uploadKeyPackages(2);
        Frame claim = Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, onC.uri().toString());
        assertThat(outcome(onC, claim)).isEqualTo("ok");

        WardlineApi.Reply r = api.call("PUT", "/v1/admin/users/" + onC.uri().user() + "/roles", admin.accessToken,
                new JsonObject().put("roles", new JsonArray().add("billing")));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        String last = null;
        for (int i = 0; i < 50 && !"auth.forbidden".equals(last); i++) {
            Thread.sleep(i == 0 ? 0 : 100);
            last = outcome(onC, Frame.of(FrameType.ACK, 0).with(Tag.SEQ, 1L));
        }
        assertThat(last).as("the connection on node C has the roles set through node A").isEqualTo("auth.forbidden");
    }

    private static String outcome(RawDevice device, Frame request) throws Exception {
        try {
            device.connection.request(request).get(20, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            return ((MessagingException) e.getCause()).code();
        }
    }

    @Test
    @Order(6)
    void failedShareLinkChecksAreCountedAcrossNodes() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(org.wardline.server.testing.TlsClients.context(
                CLUSTER.node(A).certificateAuthority().rootCertificate(), null)).build();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            WardlineServer node = CLUSTER.node(i % 3);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.publicPort()
                            + "/s/" + UUID.randomUUID() + "/verify-start"))
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("secret", "AAAA").encode()))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            statuses.add(r.statusCode());
        }
        assertThat(statuses.subList(0, 20)).as("20 failures, spread over three nodes").containsOnly(404);
        assertThat(statuses.get(20)).as("the 21st is refused, on whichever node").isEqualTo(429);
    }

    @Test
    @Order(8)
    void aDeliveryWhosePublishWasMissedReachesTheConnectedDeviceWithoutAReconnect() throws Exception {
        RawDevice alice = raw(A);
        DeviceCredentials bobOnC = TestDevices.device(CLUSTER.node(C), teamMate());
        RawDevice bob = new RawDevice(bobOnC).connect().hello();
        open.add(bob);
        byte[] groupId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        ConversationGroup a = ConversationGroup.create(alice.identity, groupId);
        alice.ok(Frame.of(FrameType.CREATE_CONVERSATION, 0).with(Tag.GROUP_ID, groupId));
        bob.uploadKeyPackages(1);
        Frame claimed = alice.ok(Frame.of(FrameType.CLAIM_KEY_PACKAGES, 0).with(Tag.DEVICE, bob.uri().toString()));
        ConversationGroup.PendingCommit add = a.commitAdd(claimed.all(Tag.KEY_PACKAGE));
        alice.ok(commitFrame(a, add));
        a.accept(add);
        bob.ack(bob.nextDelivery());
        bob.close();

        // Node A's publishes to bob go nowhere, as when A routes by a stale view of where bob is connected.
        String bobsAddress = DeliveryService.address(bob.uri().device());
        io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> lost = ctx -> {
            if (!bobsAddress.equals(ctx.message().address())) {
                ctx.next();
            }
        };
        CLUSTER.node(A).vertx().eventBus().addOutboundInterceptor(lost);
        try {
            RawDevice bobAgain = new RawDevice(bobOnC).connect().hello();
            open.add(bobAgain);
            Frame ok = alice.ok(Frame.of(FrameType.SEND, 0).with(Tag.GROUP_ID, groupId).with(Tag.EPOCH, a.epoch())
                    .with(Tag.PAYLOAD, a.protect(utf8("published into the void"))));
            Frame delivered = bobAgain.nextDelivery();
            assertThat(DeliveryKind.forCode(delivered.u64(Tag.KIND))).isEqualTo(DeliveryKind.APPLICATION);
            assertThat(delivered.u64(Tag.MESSAGE_ID)).isEqualTo(ok.u64(Tag.MESSAGE_ID));
        } finally {
            CLUSTER.node(A).vertx().eventBus().removeOutboundInterceptor(lost);
        }
    }

    @Test
    @Order(9)
    void restartingANodeCleanlyWhileTrafficFlowsLosesNothingAndItRejoins() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener carolEvents = new RecordingListener();
        MessagingClient alice = client(aliceEvents, A);
        URI formerC = deviceListener(C);
        MessagingClient carol = client(carolEvents, C, A);
        ConversationId id = await(alice.createConversation());
        await(alice.invite(id, List.of(carol.device().userUri())));
        assertThat(next(carolEvents.joined)).isEqualTo(id);

        List<Long> acknowledged = new ArrayList<>();
        CompletableFuture<WardlineServer> restarted = null;
        for (int i = 0; i < 400 && (restarted == null || !restarted.isDone() || i < 40); i++) {
            if (i == 10) {
                restarted = CompletableFuture.supplyAsync(() -> CLUSTER.restart(C));
            }
            acknowledged.add(await(alice.send(id, utf8("message " + i))));
            Thread.sleep(25); // below the per-connection frame rate limit (50/s with the device's own ACKs)
        }
        WardlineServer newC = restarted.get(120, TimeUnit.SECONDS);
        assertThat(next(carolEvents.messages, acknowledged.size())).extracting(ReceivedMessage::messageId)
                .containsExactlyElementsOf(acknowledged);
        assertThat(carol.deviceListener()).as("the restarted node listens on a new port here").isNotEqualTo(formerC)
                .isEqualTo(deviceListener(A));
        assertThat(org.wardline.server.cluster.ClusterNode.hazelcastOf(newC.vertx()).getCluster().getMembers()).hasSize(3);
    }

    @Test
    @Order(10)
    void killingNodeBWhileTrafficFlowsLosesNoAcknowledgedMessage() throws Exception {
        RecordingListener aliceEvents = new RecordingListener();
        RecordingListener bobEvents = new RecordingListener();
        RecordingListener carolEvents = new RecordingListener();
        MessagingClient alice = client(aliceEvents, A, C);
        MessagingClient bob = client(bobEvents, B, C, A);
        MessagingClient carol = client(carolEvents, C, A);
        ConversationId id = await(alice.createConversation());
        await(alice.invite(id, List.of(bob.device().userUri(), carol.device().userUri())));
        assertThat(next(bobEvents.joined)).isEqualTo(id);
        assertThat(next(carolEvents.joined)).isEqualTo(id);

        List<Long> acknowledged = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i == 15) {
                CLUSTER.kill(B);
            }
            acknowledged.add(await(alice.send(id, utf8("message " + i))));
        }
        assertThat(next(bobEvents.messages, 40).stream().map(ReceivedMessage::messageId).collect(Collectors.toSet()))
                .as("bob, whose node died, reconnects elsewhere and drains his inbox")
                .containsExactlyInAnyOrderElementsOf(Set.copyOf(acknowledged));
        assertThat(next(carolEvents.messages, 40)).extracting(ReceivedMessage::messageId).containsExactlyElementsOf(acknowledged);
        assertThat(bob.deviceListener()).isIn(deviceListener(C), deviceListener(A));
        await(bob.send(id, utf8("bob is back")));
        assertThat(next(aliceEvents.messages).text()).isEqualTo("bob is back");
    }
}
