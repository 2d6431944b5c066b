package org.wardline.server.device;

import io.vertx.core.json.JsonObject;
import org.wardline.server.WardlineServer;
import org.wardline.server.testing.TlsClients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** Plain HTTP calls to a test server's device-identity endpoints, for tests that send exactly what they choose. */
final class DeviceApi {
    private final WardlineServer server;

    DeviceApi(WardlineServer server) {
        this.server = server;
    }

    /** Issues an enrollment code on the ops listener, as an operator would with curl. */
    String issueCode(UUID user) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.opsPort() + "/admin/enrollment-codes"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("userId", user.toString()).encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new AssertionError("issuing a code failed: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body()).getString("code");
    }

    /** POSTs an enrollment request to the public listener. */
    HttpResponse<String> enroll(JsonObject body) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TlsClients.context(server.certificateAuthority().rootCertificate(), null))
                .connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.publicPort() + "/v1/devices/enroll"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long count(String sql) throws Exception {
        return server.database().pool().query(sql).execute()
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong(0);
    }

    void update(String sql) throws Exception {
        server.database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get();
    }
}
