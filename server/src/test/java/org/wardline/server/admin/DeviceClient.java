package org.wardline.server.admin;

import io.vertx.core.json.JsonObject;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.server.WardlineServer;
import org.wardline.server.auth.WardlineApi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test client holding one enrolled device's certificate: the device listener (optionally with a device-bound
 * session from /v1/auth/login + /v1/auth/mfa) and the public listener (the patient's side of a share link).
 */
final class DeviceClient {
    private final WardlineServer server;
    private final HttpClient http;
    final DeviceIdentity identity;
    String accessToken;

    DeviceClient(WardlineServer server, DeviceIdentity identity) {
        this.server = server;
        this.identity = identity;
        this.http = HttpClient.newBuilder().sslContext(identity.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A JSON (or CSV) answer. */
    record Reply(int status, String body) {
        JsonObject json() {
            return body == null || body.isBlank() || !body.startsWith("{") ? null : new JsonObject(body);
        }

        String error() {
            JsonObject j = json();
            return j == null ? null : j.getString("error");
        }
    }

    /** Signs {@code account} in on this device: password, then a TOTP code; the session is bound to the device. */
    DeviceClient signIn(WardlineApi.Account account) throws Exception {
        Reply login = call("POST", "/v1/auth/login", new JsonObject().put("username", account.username)
                .put("password", WardlineApi.PASSWORD));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        if (!"mfa_required".equals(login.json().getString("status"))) {
            accessToken = login.json().getString("accessToken"); // an account without a second factor (auditor)
            return this;
        }
        Reply mfa = call("POST", "/v1/auth/mfa", new JsonObject().put("pendingToken", login.json().getString("pendingToken"))
                .put("code", account.nextCode()));
        assertThat(mfa.status()).as(mfa.body()).isEqualTo(200);
        accessToken = mfa.json().getString("accessToken");
        return this;
    }

    Reply call(String method, String path, JsonObject body) throws Exception {
        return send(URI.create("https://127.0.0.1:" + server.devicePort() + path), method, body, accessToken);
    }

    Reply get(String path) throws Exception {
        return call("GET", path, null);
    }

    Reply post(String path, JsonObject body) throws Exception {
        return call("POST", path, body);
    }

    Reply put(String path, JsonObject body) throws Exception {
        return call("PUT", path, body);
    }

    /** On the public listener, as a patient's browser would (no bearer token). */
    Reply publicPost(String path, JsonObject body) throws Exception {
        return send(URI.create("https://127.0.0.1:" + server.publicPort() + path), "POST", body, null);
    }

    String upload(String text) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.devicePort() + "/v1/files"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "text/plain")
                .header("X-Wardline-File-Name", Base64.getUrlEncoder().encodeToString("note".getBytes(StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new JsonObject(r.body()).getString("id");
    }

    /** Shares {@code fileId} with {@code email}; returns {id, secret}. */
    String[] share(String fileId, String email) throws Exception {
        Reply r = post("/v1/share-links", new JsonObject().put("fileId", fileId).put("recipient", new JsonObject().put("email", email))
                .put("mode", "download").put("maxOpens", 3).put("expiresInHours", 24));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String url = r.json().getString("url");
        return new String[] {r.json().getString("id"), url.substring(url.indexOf('#') + 1)};
    }

    private Reply send(URI uri, String method, JsonObject body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }
}
