package org.wardline.server.auth.dpop;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file routes on the public listener (ADR 0015z): upload, download and share answer a browser device proving its
 * key with DPoP, with the audit entries of the device listener, and nobody else: not a DPoP-bound token without its
 * proof or sent as a plain bearer token, not a password session of a browser never enrolled, not a proof from another
 * device (of the same user or of someone else), not a revoked device.
 */
class BrowserDeviceFilesTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static final byte[] NOTE = "Handover: nothing outstanding on bed 9.\n".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, String> UPLOAD = Map.of("Content-Type", "text/plain",
            "X-Wardline-File-Name", Base64.getUrlEncoder().withoutPadding().encodeToString("handover.txt".getBytes(StandardCharsets.UTF_8)));

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void admin() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    /** A browser of {@code nurse} enrolled and signed in (its DPoP-bound tokens kept), and its device ID. */
    private record Browser(BrowserDeviceClient client, UUID deviceId) {
    }

    private static Browser browserOf(WardlineApi.Account nurse) throws Exception {
        WardlineApi.Reply code = api.post("/v1/devices/enrollment-codes", nurse.accessToken, null);
        assertThat(code.status()).as(String.valueOf(code.json())).isEqualTo(201);
        BrowserDeviceClient browser = new BrowserDeviceClient(WARDLINE.server());
        WardlineApi.Reply enrolled = browser.send("POST", "/v1/devices/enroll", null, null, new JsonObject()
                .put("code", code.json().getString("code")).put("csr", browser.csr()).put("name", "ward PC")
                .put("platform", "chromium").put("kind", "browser"));
        assertThat(enrolled.status()).as(String.valueOf(enrolled.json())).isEqualTo(201);
        assertThat(browser.signIn(nurse).status()).isEqualTo(200);
        return new Browser(browser, UUID.fromString(enrolled.json().getString("deviceId")));
    }

    private static WardlineApi.Account nurse(String name) throws Exception {
        return api.createAndSignIn(admin, name, new JsonArray().add("nurse"), "2099-01-01");
    }

    private static HttpResponse<byte[]> upload(BrowserDeviceClient b, String proof, String authorization) throws Exception {
        return b.sendBytes("POST", "/v1/files", proof, authorization, UPLOAD, NOTE);
    }

    private static String upload(Browser b) throws Exception {
        HttpResponse<byte[]> r = upload(b.client(), b.client().proof("POST", "/v1/files", b.client().accessToken),
                "DPoP " + b.client().accessToken);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        return json(r).getString("id");
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
    }

    private static String errorOf(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + json(r).getString("error");
    }

    private static long count(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    private static long audited(String action, String outcome, UUID device) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long n;
        do {
            n = count("SELECT count(*) FROM audit_entries WHERE action = $1 AND outcome = $2 AND actor_device_id = $3",
                    action, outcome, device);
            if (n > 0) {
                return n;
            }
            Thread.sleep(50); // the download's closing entry follows the response
        } while (System.nanoTime() < deadline);
        return n;
    }

    private static long filesOf(UUID user) throws Exception {
        return count("SELECT count(*) FROM stored_objects WHERE owner_id = $1", user);
    }

    @Test
    void aBrowserDeviceUploadsAndDownloadsItsFileWithTheDeviceListenersAuditEntries() throws Exception {
        WardlineApi.Account nurse = nurse("nurse.files.own");
        Browser b = browserOf(nurse);
        String id = upload(b);
        String path = "/v1/files/" + id;
        HttpResponse<byte[]> got = b.client().sendBytes("GET", path, b.client().proof("GET", path, b.client().accessToken),
                "DPoP " + b.client().accessToken, Map.of(), null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(NOTE);
        assertThat(got.headers().firstValue("Content-Disposition")).contains("attachment");
        assertThat(audited("file.uploaded", "success", b.deviceId())).isEqualTo(1);
        assertThat(audited("file.download.started", "success", b.deviceId())).isEqualTo(1);
        assertThat(audited("file.downloaded", "success", b.deviceId())).isEqualTo(1);

        String share = "/v1/conversations/" + "ab".repeat(16) + "/attachments";
        HttpResponse<byte[]> shared = b.client().sendBytes("POST", share, b.client().proof("POST", share, b.client().accessToken),
                "DPoP " + b.client().accessToken, Map.of("Content-Type", "application/json"),
                new JsonObject().put("fileId", id).encode().getBytes(StandardCharsets.UTF_8));
        assertThat(errorOf(shared)).as("the membership check of the device listener").isEqualTo("403 conversation.not_member");
        assertThat(audited("file.attached", "denied", b.deviceId())).isEqualTo(1);

        HttpResponse<byte[]> withdrawn = b.client().sendBytes("DELETE", path, b.client().proof("DELETE", path, b.client().accessToken),
                "DPoP " + b.client().accessToken, Map.of(), null);
        assertThat(withdrawn.statusCode()).as("a file nobody was given is taken back").isEqualTo(204);
        assertThat(audited("file.deleted", "success", b.deviceId())).isEqualTo(1);
        assertThat(errorOf(b.client().sendBytes("GET", path, b.client().proof("GET", path, b.client().accessToken),
                "DPoP " + b.client().accessToken, Map.of(), null))).isEqualTo("404 resource.not_found");
    }

    @Test
    void withoutTheDevicesProofTheFileRoutesRefuseEveryToken() throws Exception {
        WardlineApi.Account nurse = nurse("nurse.files.bearer");
        Browser b = browserOf(nurse);
        String id = upload(b);
        long kept = filesOf(nurse.id);
        String token = b.client().accessToken;
        String share = "/v1/conversations/" + "ab".repeat(16) + "/attachments";
        byte[] shareBody = new JsonObject().put("fileId", id).encode().getBytes(StandardCharsets.UTF_8);
        for (String authorization : List.of("Bearer " + token, "DPoP " + token)) {
            assertThat(errorOf(upload(b.client(), null, authorization))).as(authorization.split(" ")[0]).isEqualTo("401 dpop.required");
            assertThat(errorOf(b.client().sendBytes("GET", "/v1/files/" + id, null, authorization, Map.of(), null)))
                    .isEqualTo("401 dpop.required");
            assertThat(errorOf(b.client().sendBytes("POST", share, null, authorization, Map.of("Content-Type", "application/json"),
                    shareBody))).isEqualTo("401 dpop.required");
            assertThat(errorOf(b.client().sendBytes("DELETE", "/v1/files/" + id, null, authorization, Map.of(), null)))
                    .isEqualTo("401 dpop.required");
        }
        // A password session on a browser that was never enrolled: signed in, but not a device.
        String password = "Bearer " + nurse.accessToken;
        assertThat(errorOf(upload(b.client(), null, password))).isEqualTo("403 device.not_active");
        assertThat(errorOf(b.client().sendBytes("GET", "/v1/files/" + id, null, password, Map.of(), null)))
                .isEqualTo("403 device.not_active");
        assertThat(errorOf(b.client().sendBytes("POST", share, null, password, Map.of("Content-Type", "application/json"), shareBody)))
                .isEqualTo("403 device.not_active");
        assertThat(errorOf(b.client().sendBytes("DELETE", "/v1/files/" + id, null, password, Map.of(), null)))
                .isEqualTo("403 device.not_active");
        assertThat(filesOf(nurse.id)).as("nothing stored").isEqualTo(kept);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'file.download.started' AND object_id = $1", id))
                .as("nothing handed out").isZero();
        assertThat(count("SELECT count(*) FROM stored_objects WHERE object_id = $1 AND state = 'COMMITTED'", UUID.fromString(id)))
                .as("nothing withdrawn").isEqualTo(1);
    }

    @Test
    void aProofFromAnotherDeviceIsRefusedWhoeverOwnsIt() throws Exception {
        WardlineApi.Account nurse = nurse("nurse.files.other");
        Browser mine = browserOf(nurse);
        String id = upload(mine);
        long kept = filesOf(nurse.id);
        String token = mine.client().accessToken;
        BrowserDeviceClient sameUsersOtherBrowser = browserOf(nurse).client();
        BrowserDeviceClient colleaguesBrowser = browserOf(nurse("nurse.files.colleague")).client();
        for (BrowserDeviceClient other : List.of(sameUsersOtherBrowser, colleaguesBrowser)) {
            assertThat(errorOf(upload(other, other.proof("POST", "/v1/files", token), "DPoP " + token))).isEqualTo("401 dpop.invalid");
            String path = "/v1/files/" + id;
            assertThat(errorOf(other.sendBytes("GET", path, other.proof("GET", path, token), "DPoP " + token, Map.of(), null)))
                    .isEqualTo("401 dpop.invalid");
        }
        assertThat(filesOf(nurse.id)).as("nothing stored").isEqualTo(kept);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'file.download.started' AND object_id = $1", id))
                .as("nothing handed out").isZero();
        String theirs = "/v1/files/" + id;
        assertThat(errorOf(colleaguesBrowser.sendBytes("GET", theirs, colleaguesBrowser.proof("GET", theirs,
                colleaguesBrowser.accessToken), "DPoP " + colleaguesBrowser.accessToken, Map.of(), null)))
                .as("with its own token, a colleague's browser meets the same grants as a device").isEqualTo("404 resource.not_found");
    }

    @Test
    void aRevokedBrowserDeviceCanNoLongerUploadOrDownload() throws Exception {
        WardlineApi.Account nurse = nurse("nurse.files.revoked");
        Browser b = browserOf(nurse);
        String id = upload(b);
        HttpResponse<String> revoked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + WARDLINE.server().opsPort() + "/admin/devices/" + b.deviceId() + "/revoke"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("reason", "lost").encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(200);
        String token = b.client().accessToken;
        assertThat(errorOf(upload(b.client(), b.client().proof("POST", "/v1/files", token), "DPoP " + token)))
                .isEqualTo("403 device.not_active");
        String path = "/v1/files/" + id;
        assertThat(errorOf(b.client().sendBytes("GET", path, b.client().proof("GET", path, token), "DPoP " + token, Map.of(), null)))
                .isEqualTo("403 device.not_active");
    }
}
