package org.wardline.server.sharelink;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.wardline.server.WardlineServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

/** Test-side calls to the share-link API (device listener) and the patient endpoints (public listener). */
final class ShareLinkClient {
    private final WardlineServer server;
    private final HttpClient http;
    private final org.wardline.server.testing.SignedInDevice owner;

    /** A client for the patient side only (public listener). */
    ShareLinkClient(WardlineServer server, SSLContext device) {
        this.server = server;
        this.owner = null;
        this.http = HttpClient.newBuilder().sslContext(device).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A link owner's client: device listener calls carry the device's session. */
    ShareLinkClient(WardlineServer server, org.wardline.server.testing.SignedInDevice owner) {
        this.server = server;
        this.owner = owner;
        this.http = HttpClient.newBuilder().sslContext(owner.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpRequest.Builder onDevice(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(device(path));
        return owner == null ? b : owner.authorize(b);
    }

    /** A created link as the owner sees it. */
    record Link(String id, String url, String secret, Optional<String> phoneCode) {
    }

    URI device(String path) {
        return URI.create("https://127.0.0.1:" + server.devicePort() + path);
    }

    URI publicUri(String path) {
        return URI.create("https://127.0.0.1:" + server.publicPort() + path);
    }

    String upload(byte[] content, String type) throws Exception {
        HttpResponse<String> r = http.send(onDevice("/v1/files").timeout(Duration.ofSeconds(60))
                .header("Content-Type", type)
                .header("X-Wardline-File-Name", Base64.getUrlEncoder().encodeToString("lab-report".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new AssertionError("upload failed: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body()).getString("id");
    }

    HttpResponse<String> createRaw(JsonObject body) throws Exception {
        return http.send(onDevice("/v1/share-links").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    Link create(String fileId, JsonObject recipient, String mode, int maxOpens) throws Exception {
        HttpResponse<String> r = createRaw(new JsonObject().put("fileId", fileId).put("recipient", recipient)
                .put("mode", mode).put("maxOpens", maxOpens).put("expiresInHours", 24));
        if (r.statusCode() != 201) {
            throw new AssertionError("create failed: " + r.statusCode() + " " + r.body());
        }
        JsonObject json = new JsonObject(r.body());
        String url = json.getString("url");
        return new Link(json.getString("id"), url, url.substring(url.indexOf('#') + 1),
                Optional.ofNullable(json.getString("phoneCode")));
    }

    JsonObject list() throws Exception {
        HttpResponse<String> r = http.send(onDevice("/v1/share-links").build(),
                HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body());
    }

    /** A POST without a body on the device listener, with this client's session. */
    HttpResponse<String> send(String path) throws Exception {
        return http.send(onDevice(path).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> revoke(String id) throws Exception {
        return http.send(onDevice("/v1/share-links/" + id + "/revoke")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> page(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(publicUri("/s/" + id)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> verifyStart(String id, String secret) throws Exception {
        return postPublic("/s/" + id + "/verify-start", new JsonObject().put("secret", secret));
    }

    HttpResponse<String> verify(String id, String secret, String code) throws Exception {
        return postPublic("/s/" + id + "/verify", new JsonObject().put("secret", secret).put("code", code));
    }

    HttpResponse<String> postPublic(String path, JsonObject body) throws Exception {
        return http.send(HttpRequest.newBuilder(publicUri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    <T> HttpResponse<T> getWithSession(String path, String cookie, HttpResponse.BodyHandler<T> handler) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(publicUri(path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), handler);
    }

    /** The {@code name=value} part of the session cookie a verify response set. */
    static String sessionCookie(HttpResponse<?> verified) {
        String setCookie = verified.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    List<String> rowsAsText(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        for (Row row : server.database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get()) {
            out.add(String.valueOf(row.getValue(0)));
        }
        return out;
    }

    /** Audit entries are written asynchronously after the response: poll (bounded) until the count is reached. */
    long auditCount(String action, String linkId, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long count;
        do {
            count = Long.parseLong(rowsAsText("SELECT count(*) FROM audit_entries WHERE action = '" + action
                    + "' AND object_id = '" + linkId + "'").get(0));
            if (count >= atLeast) {
                return count;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return count;
    }

    void sql(String sql) throws Exception {
        server.database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get();
    }

    static String error(HttpResponse<String> r) {
        return new JsonObject(r.body()).getString("error");
    }
}
