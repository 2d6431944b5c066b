package org.wardline.server.upload;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Downloads run on their own worker pool: forty clients that stop reading mid-download hold forty transfer threads,
 * and sign-in (Argon2 on the shared worker pool) still answers within a second.
 */
class SlowDownloadsTest {
    private static final int SLOW_CLIENTS = 40;

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @Test
    void fortySlowDownloadsDoNotStallSignIn() throws Exception {
        SignedInDevice alice = EnrolledDevices.enroll(WARDLINE.server());
        WardlineApi.Account nurse = EnrolledDevices.account(WARDLINE.server());
        byte[] content = "Wound care plan: dressing changed daily, review on Friday.\n".repeat((12 << 20) / 59)
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> stored = HttpClient.newBuilder().sslContext(alice.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .build().send(alice.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                                + WARDLINE.server().devicePort() + "/v1/files"))).timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "text/plain")
                        .header(FileRoutes.FILE_NAME_HEADER, Base64.getUrlEncoder().encodeToString("care.txt".getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        String id = new JsonObject(stored.body()).getString("id");

        WardlineApi api = new WardlineApi(WARDLINE.server());
        long quiet = timeLogin(api, nurse);

        List<SSLSocket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(startStalledDownload(alice, id));
            }
            // Let every transfer fill its socket buffers and block on its next write.
            Thread.sleep(2000);
            long loaded = timeLogin(api, nurse);
            assertThat(loaded).as("sign-in with %d stalled downloads (quiet: %d ms)", SLOW_CLIENTS, quiet).isLessThan(1000);
        } finally {
            for (SSLSocket s : slow) {
                s.close();
            }
        }
    }

    private static long timeLogin(WardlineApi api, WardlineApi.Account account) throws Exception {
        long start = System.nanoTime();
        WardlineApi.Reply r = api.post("/v1/auth/login", null, new JsonObject().put("username", account.username)
                .put("password", WardlineApi.PASSWORD));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        return millis;
    }

    /** A client that asks for the file, reads the status line and then stops reading. */
    private static SSLSocket startStalledDownload(SignedInDevice device, String id) throws Exception {
        SSLSocket socket = (SSLSocket) device.sslContext().getSocketFactory().createSocket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", WARDLINE.server().devicePort()), 5000);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/files/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + device.bearer()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] head = in.readNBytes(12);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return socket;
    }
}
