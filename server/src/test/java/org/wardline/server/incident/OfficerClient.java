package org.wardline.server.incident;

import io.vertx.core.json.JsonObject;
import org.wardline.server.WardlineServer;
import org.wardline.server.testing.SignedInDevice;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** One signed-in device's calls on the device listener (JSON in and out), and the patient's side of a share link. */
final class OfficerClient {
    private final WardlineServer server;
    private final SignedInDevice device;
    private final HttpClient http;

    OfficerClient(WardlineServer server, SignedInDevice device) {
        this.server = server;
        this.device = device;
        this.http = HttpClient.newBuilder().sslContext(device.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    record Reply(int status, JsonObject json) {
        String error() {
            return json == null ? null : json.getString("error");
        }
    }

    Reply call(String method, String path, JsonObject body) throws Exception {
        HttpRequest.Builder b = device.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.devicePort() + path)))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().startsWith("{") ? new JsonObject(r.body()) : null);
    }

    Reply get(String path) throws Exception {
        return call("GET", path, null);
    }

    Reply post(String path, JsonObject body) throws Exception {
        return call("POST", path, body);
    }

    String upload(String text) throws Exception {
        HttpResponse<String> r = http.send(device.authorize(HttpRequest.newBuilder(
                                URI.create("https://127.0.0.1:" + server.devicePort() + "/v1/files")))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "text/plain")
                .header("X-Wardline-File-Name", Base64.getUrlEncoder().encodeToString("note".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new AssertionError("upload failed: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body()).getString("id");
    }

    /** Shares {@code fileId} with {@code email} for download; returns {id, secret}. */
    String[] share(String fileId, String email) throws Exception {
        Reply r = post("/v1/share-links", new JsonObject().put("fileId", fileId).put("recipient", new JsonObject().put("email", email))
                .put("mode", "download").put("maxOpens", 3).put("expiresInHours", 24));
        if (r.status() != 201) {
            throw new AssertionError("share failed: " + r.status() + " " + r.json());
        }
        String url = r.json().getString("url");
        return new String[] {r.json().getString("id"), url.substring(url.indexOf('#') + 1)};
    }

    /** Shares {@code fileId} with a phone recipient for download; returns {id, secret, the code the sender reads out}. */
    String[] shareByPhone(String fileId, String phone) throws Exception {
        Reply r = post("/v1/share-links", new JsonObject().put("fileId", fileId).put("recipient", new JsonObject().put("phone", phone))
                .put("mode", "download").put("maxOpens", 3).put("expiresInHours", 24));
        if (r.status() != 201) {
            throw new AssertionError("share failed: " + r.status() + " " + r.json());
        }
        String url = r.json().getString("url");
        return new String[] {r.json().getString("id"), url.substring(url.indexOf('#') + 1), r.json().getString("phoneCode")};
    }

    /** The patient proves the code and downloads the file: answers the download's status. */
    int patientDownloads(String[] link) throws Exception {
        patientStarts(link);
        HttpResponse<String> verified = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.publicPort()
                        + "/s/" + link[0] + "/verify")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("secret", link[1]).put("code", link[2]).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (verified.statusCode() != 200) {
            return verified.statusCode();
        }
        String cookie = verified.headers().firstValue("Set-Cookie").orElseThrow();
        return http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.publicPort() + "/s/" + link[0] + "/download"))
                        .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofByteArray())
                .statusCode();
    }

    /** Downloads a stored file on the device listener (audited as file.downloaded); answers the status. */
    int download(String fileId) throws Exception {
        return http.send(device.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.devicePort()
                + "/v1/files/" + fileId))).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    /** The patient's first step on a link: asks for a one-time code. */
    int patientStarts(String[] link) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.publicPort()
                        + "/s/" + link[0] + "/verify-start")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("secret", link[1]).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }
}
