package org.wardline.server.auth.dpop;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.wire.Frame;
import org.wardline.protocol.wire.FrameCodec;
import org.wardline.protocol.wire.FrameType;
import org.wardline.protocol.wire.Tag;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The messaging WebSocket for browser devices on the public listener (ADR 0015s): the upgrade proves the browser's
 * key with a DPoP proof for {@code GET wss://…/v1/ws} carried, with the token, as subprotocols; then the same frame
 * protocol as on the device listener; a revoked or wiped browser device's socket is closed.
 */
class BrowserWebSocketTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void admin() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin.ws");
    }

    private record Browser(WardlineApi.Account nurse, BrowserDeviceClient client, UUID deviceId) {
    }

    private static Browser signedInBrowser(String username) throws Exception {
        return signedInBrowser(username, "nurse");
    }

    private static Browser signedInBrowser(String username, String role) throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, username, new JsonArray().add(role), "2099-01-01");
        WardlineApi.Reply code = api.post("/v1/devices/enrollment-codes", nurse.accessToken, null);
        assertThat(code.status()).as(String.valueOf(code.json())).isEqualTo(201);
        BrowserDeviceClient browser = new BrowserDeviceClient(WARDLINE.server());
        WardlineApi.Reply enrolled = browser.send("POST", "/v1/devices/enroll", null, null, new JsonObject()
                .put("code", code.json().getString("code")).put("csr", browser.csr()).put("name", "ward 7 PC")
                .put("platform", "chromium").put("kind", "browser"));
        assertThat(enrolled.status()).as(String.valueOf(enrolled.json())).isEqualTo(201);
        WardlineApi.Reply signedIn = browser.signIn(nurse);
        assertThat(signedIn.status()).as(String.valueOf(signedIn.json())).isEqualTo(200);
        return new Browser(nurse, browser, UUID.fromString(enrolled.json().getString("deviceId")));
    }

    /** What a socket received: binary frames, and its close code (or -1 for an error). */
    private static final class Received implements WebSocket.Listener {
        final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            partial.writeBytes(chunk);
            if (last) {
                try {
                    frames.add(FrameCodec.decode(partial.toByteArray()));
                } catch (Exception e) {
                    closed.completeExceptionally(e);
                }
                partial.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        Frame next() throws InterruptedException {
            Frame f = frames.poll(20, TimeUnit.SECONDS);
            assertThat(f).as("a frame within 20 s").isNotNull();
            return f;
        }
    }

    private static WebSocket open(BrowserDeviceClient browser, Received received) throws Exception {
        return browser.openSocket(null, received).get(20, TimeUnit.SECONDS);
    }

    private static Frame hello(WebSocket ws, Received received) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(FrameCodec.encode(Frame.of(FrameType.HELLO, 7))), true).get(10, TimeUnit.SECONDS);
        return received.next();
    }

    /** The HTTP status the server refused an upgrade with. */
    private static int refusedWith(CompletableFuture<WebSocket> upgrade) {
        try {
            upgrade.get(20, TimeUnit.SECONDS).abort();
            throw new AssertionError("the upgrade was accepted");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBrowserDeviceSpeaksTheFrameProtocolOnThePublicListener() throws Exception {
        Browser b = signedInBrowser("nurse.ws");
        Received received = new Received();
        WebSocket ws = open(b.client(), received);
        assertThat(ws.getSubprotocol()).isEqualTo(WebSocketCredentials.PROTOCOL);

        Frame ok = hello(ws, received);
        assertThat(ok.type()).isEqualTo(FrameType.OK);
        assertThat(ok.requestId()).isEqualTo(7);
        assertThat(ok.u64(Tag.PENDING)).isZero();

        Frame created = Frame.of(FrameType.CREATE_CONVERSATION, 8).with(Tag.GROUP_ID, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ws.sendBinary(ByteBuffer.wrap(FrameCodec.encode(created)), true).get(10, TimeUnit.SECONDS);
        Frame answer = received.next();
        assertThat(answer.requestId()).isEqualTo(8);
        assertThat(answer.type()).as(String.valueOf(answer)).isEqualTo(FrameType.OK);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void anUpgradeWhoseProofIsMissingReplayedOrForAnotherAddressIsRefused() throws Exception {
        Browser b = signedInBrowser("nurse.ws.proofs");
        BrowserDeviceClient c = b.client();
        WebSocket first = open(c, new Received());
        String used = c.lastProof;
        first.abort();
        assertThat(refusedWith(c.openSocket(used, new Received()))).as("a replayed proof").isEqualTo(401);

        URI https = URI.create("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/v1/ws");
        assertThat(refusedWith(c.openSocket(c.socketProof(https), new Received()))).as("an https htu").isEqualTo(401);
        URI otherPath = URI.create("wss://127.0.0.1:" + WARDLINE.server().publicPort() + "/v1/me");
        assertThat(refusedWith(c.openSocket(c.socketProof(otherPath), new Received()))).as("another path").isEqualTo(401);

        String forged = c.socketProof(c.socketUrl());
        String[] parts = forged.split("\\.");
        String flipped = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
        assertThat(refusedWith(c.openSocket(flipped, new Received()))).as("a bad signature").isEqualTo(401);

        CompletableFuture<WebSocket> bearerOnly = HttpClient.newBuilder()
                .sslContext(org.wardline.server.testing.TlsClients.context(WARDLINE.server().certificateAuthority().rootCertificate(), null))
                .build().newWebSocketBuilder().header("Authorization", "DPoP " + c.accessToken)
                .buildAsync(c.socketUrl(), new Received());
        assertThat(refusedWith(bearerOnly)).as("the token without a proof").isEqualTo(401);
    }

    @Test
    void aSessionOfNoBrowserDeviceCannotOpenThePublicSocket() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.ws.nodevice", new JsonArray().add("nurse"), "2099-01-01");
        CompletableFuture<WebSocket> upgrade = HttpClient.newBuilder()
                .sslContext(org.wardline.server.testing.TlsClients.context(WARDLINE.server().certificateAuthority().rootCertificate(), null))
                .build().newWebSocketBuilder().header("Authorization", "Bearer " + nurse.accessToken)
                .buildAsync(URI.create("wss://127.0.0.1:" + WARDLINE.server().publicPort() + "/v1/ws"), new Received());
        assertThat(refusedWith(upgrade)).isEqualTo(403);
    }

    @Test
    void aStolenTokenWithAnotherKeysProofIsRefused() throws Exception {
        Browser victim = signedInBrowser("nurse.ws.victim");
        Browser thief = signedInBrowser("nurse.ws.thief");
        thief.client().accessToken = victim.client().accessToken;
        assertThat(refusedWith(thief.client().openSocket(null, new Received()))).isEqualTo(401);
    }

    @Test
    void aForeignOriginIsRefused() throws Exception {
        Browser b = signedInBrowser("nurse.ws.origin");
        CompletableFuture<WebSocket> upgrade = HttpClient.newBuilder()
                .sslContext(org.wardline.server.testing.TlsClients.context(WARDLINE.server().certificateAuthority().rootCertificate(), null))
                .build().newWebSocketBuilder().header("Origin", "https://evil.example")
                .subprotocols(WebSocketCredentials.PROTOCOL,
                        WebSocketCredentials.PROOF_PREFIX + b.client().socketProof(b.client().socketUrl()),
                        WebSocketCredentials.TOKEN_PREFIX + b.client().accessToken)
                .buildAsync(b.client().socketUrl(), new Received());
        assertThat(refusedWith(upgrade)).isEqualTo(403);
    }

    @Test
    void signingOutClosesTheSocketOfThatSession() throws Exception {
        Browser b = signedInBrowser("nurse.ws.signout");
        Received received = new Received();
        WebSocket ws = open(b.client(), received);
        assertThat(hello(ws, received).type()).isEqualTo(FrameType.OK);
        assertThat(b.client().call("POST", "/v1/auth/logout", null).status()).isIn(200, 204);
        assertThat(received.closed.get(20, TimeUnit.SECONDS)).as("closed with policy violation").isEqualTo(1008);
        assertThat(refusedWith(b.client().openSocket(null, new Received()))).isEqualTo(401);
    }

    @Test
    void aUserWhoseRolesDoNotSendMessagesCannotOpenTheSocket() throws Exception {
        Browser b = signedInBrowser("billing.ws", "billing");
        assertThat(refusedWith(b.client().openSocket(null, new Received()))).isEqualTo(403);
    }

    @Test
    void revokingABrowserDeviceClosesItsOpenSocketAndRefusesTheNext() throws Exception {
        Browser b = signedInBrowser("nurse.ws.revoked");
        Received received = new Received();
        WebSocket ws = open(b.client(), received);
        assertThat(hello(ws, received).type()).isEqualTo(FrameType.OK);

        HttpResponse<String> revoked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + WARDLINE.server().opsPort() + "/admin/devices/" + b.deviceId() + "/revoke"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("reason", "lost").encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(200);

        assertThat(received.closed.get(20, TimeUnit.SECONDS)).as("the socket is closed").isNotNull();
        assertThat(refusedWith(b.client().openSocket(null, new Received()))).isEqualTo(403);
    }

    @Test
    void wipingABrowserDeviceClosesItsOpenSocket() throws Exception {
        Browser b = signedInBrowser("nurse.ws.wiped");
        Received received = new Received();
        WebSocket ws = open(b.client(), received);
        assertThat(hello(ws, received).type()).isEqualTo(FrameType.OK);

        var identity = EnrolledDevices.enrollOnly(WARDLINE.server(), admin.id);
        java.nio.file.Path file = Files.createTempDirectory("wardline-ws-admin").resolve("device.p12");
        identity.save(file, org.wardline.protocol.Secret.of("x"));
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            keys.load(in, "x".toCharArray());
        }
        WardlineApi adminDevice = WardlineApi.device(WARDLINE.server(), keys);
        String publicToken = admin.accessToken;
        adminDevice.signIn(admin);
        String deviceToken = admin.accessToken;
        admin.accessToken = publicToken; // the other tests create their nurses on the public listener
        WardlineApi.Reply wipe = adminDevice.post("/v1/admin/devices/" + b.deviceId() + "/wipe", deviceToken, null);
        assertThat(wipe.status()).as(String.valueOf(wipe.json())).isEqualTo(202);

        assertThat(received.closed.get(20, TimeUnit.SECONDS)).as("the socket is closed").isNotNull();
        assertThat(refusedWith(b.client().openSocket(null, new Received()))).isEqualTo(403);
    }
}
