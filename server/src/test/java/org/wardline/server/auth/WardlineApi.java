package org.wardline.server.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.wardline.protocol.Secret;
import org.wardline.server.WardlineServer;
import org.wardline.server.bootstrap.BootstrapCodes;
import org.wardline.server.testing.TlsClients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A test client for the public listener's account API: JSON in and out, and accounts that sign in with TOTP. */
public final class WardlineApi {
    public static final String PASSWORD = "a long and quiet hospital night";

    private final WardlineServer server;
    private final HttpClient http;
    private final int port;

    public WardlineApi(WardlineServer server) throws Exception {
        this(server, server.publicPort(), (java.security.KeyStore) null);
    }

    private WardlineApi(WardlineServer server, int port, java.security.KeyStore clientKeys) throws Exception {
        this.server = server;
        this.port = port;
        this.http = HttpClient.newBuilder().sslContext(TlsClients.context(server.certificateAuthority().rootCertificate(), clientKeys))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client of the device listener presenting an enrolled device's TLS context (its certificate). */
    public static WardlineApi onDevice(WardlineServer server, javax.net.ssl.SSLContext device) {
        return new WardlineApi(server, server.devicePort(), device);
    }

    private WardlineApi(WardlineServer server, int port, javax.net.ssl.SSLContext ctx) {
        this.server = server;
        this.port = port;
        this.http = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client of the device listener holding a certificate for {@code urn:wardline:user:<user>:device:<device>}. */
    public static WardlineApi device(WardlineServer server, UUID user, UUID device) throws Exception {
        var keys = org.wardline.server.pki.CertificateAuthority.newKeyPair();
        var ca = server.certificateAuthority();
        var cert = ca.issueClientCertificate(keys.getPublic(), "device", "urn:wardline:user:" + user + ":device:" + device,
                Duration.ofDays(1));
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", keys.getPrivate(), "x".toCharArray(),
                new java.security.cert.Certificate[] {cert, ca.intermediateCertificate()});
        return new WardlineApi(server, server.devicePort(), ks);
    }

    /** A client of the device listener holding an enrolled device's own key and certificate. */
    public static WardlineApi device(WardlineServer server, java.security.KeyStore deviceKeys) throws Exception {
        return new WardlineApi(server, server.devicePort(), deviceKeys);
    }

    /** A JSON answer. */
    public record Reply(int status, JsonObject json) {
        public String error() {
            return json == null ? null : json.getString("error");
        }
    }

    /** An account the test signed in: its TOTP secret, tokens and the last TOTP step it used. */
    public static final class Account {
        public UUID id;
        public String username;
        public byte[] totpSecret;
        public String accessToken;
        public String refreshToken;
        public JsonArray recoveryCodes;
        long lastStep;

        /** A TOTP code for a step not used yet (now-1 … now+1). */
        /**
         * A code for the earliest unused step the server accepts now and still will in a few seconds: the previous
         * step only while the current one has at least 5 s left; when every accepted step is used, waits for the next.
         */
        public String nextCode() {
            while (true) {
                Instant t = Instant.now();
                long now = Totp.step(t);
                long secondsLeft = (now + 1) * Totp.STEP_SECONDS - t.getEpochSecond();
                long step = Math.max(lastStep + 1, secondsLeft >= 5 ? now - 1 : now);
                if (step <= now + 1) {
                    lastStep = step;
                    return Totp.code(totpSecret, step);
                }
                try {
                    Thread.sleep(secondsLeft * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    public Reply call(String method, String path, String bearer, JsonObject body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject json;
        try {
            json = r.body() == null || r.body().isBlank() ? null : new JsonObject(r.body());
        } catch (io.vertx.core.json.DecodeException notJson) {
            json = null; // a download, or Vert.x's own answer to a bad WebSocket upgrade
        }
        return new Reply(r.statusCode(), json);
    }

    public Reply post(String path, String bearer, JsonObject body) throws Exception {
        return call("POST", path, bearer, body);
    }

    public Reply get(String path, String bearer) throws Exception {
        return call("GET", path, bearer, null);
    }

    public Account bootstrapAdmin(String username) throws Exception {
        Secret<String> code = new BootstrapCodes(server.database().pool()).issueIfUnclaimed()
                .toCompletionStage().toCompletableFuture().get().orElseThrow();
        Reply r = post("/v1/bootstrap", null, new JsonObject().put("code", code.reveal()).put("username", username)
                .put("password", PASSWORD));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        assertThat(r.json().getString("status")).isEqualTo("mfa_enrollment_required");
        Account a = new Account();
        a.username = username;
        a.id = UUID.fromString(r.json().getJsonObject("user").getString("id"));
        enroll(a, r.json().getString("pendingToken"));
        return a;
    }

    /** Completes TOTP enrolment from a pending token and stores the session on {@code a}. */
    public void enroll(Account a, String pendingToken) throws Exception {
        Reply e = post("/v1/auth/totp/enroll", null, new JsonObject().put("pendingToken", pendingToken).put("label", a.username));
        assertThat(e.status()).as(String.valueOf(e.json())).isEqualTo(200);
        a.totpSecret = Base32.decode(e.json().getString("secret"));
        Reply c = post("/v1/auth/totp/confirm", null, new JsonObject().put("pendingToken", pendingToken).put("code", a.nextCode()));
        assertThat(c.status()).as(String.valueOf(c.json())).isEqualTo(200);
        a.accessToken = c.json().getString("accessToken");
        a.refreshToken = c.json().getString("refreshToken");
        a.recoveryCodes = c.json().getJsonArray("recoveryCodes");
    }

    /** Creates an account through the admin API, then signs it in (enrolling TOTP when MFA is mandatory). */
    public Account createAndSignIn(Account admin, String username, JsonArray roles, String trainingExpiresOn) throws Exception {
        JsonObject body = new JsonObject().put("username", username).put("password", PASSWORD).put("roles", roles);
        if (trainingExpiresOn != null) {
            body.put("trainingExpiresOn", trainingExpiresOn);
        }
        Reply created = post("/v1/admin/users", admin.accessToken, body);
        assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(200);
        Account a = new Account();
        a.username = username;
        a.id = UUID.fromString(created.json().getString("id"));
        signIn(a);
        return a;
    }

    /**
     * A privileged account made the way separation of duties allows once a second approver exists: created with
     * billing (a role that may ask for an elevation), it asks for {@code role}, {@code approver} approves, and
     * {@code granter} (another person) grants the role in place of billing; then it signs in again.
     */
    public Account createPrivileged(Account granter, Account approver, String username, String role, String trainingExpiresOn)
            throws Exception {
        Account a = createAndSignIn(granter, username, new JsonArray().add("billing"), trainingExpiresOn);
        Reply asked = post("/v1/elevations", a.accessToken, new JsonObject().put("role", role).put("minutes", 60)
                .put("reason", "designated by the security committee"));
        assertThat(asked.status()).as(String.valueOf(asked.json())).isEqualTo(200);
        stepUp(approver);
        Reply approved = post("/v1/elevations/" + asked.json().getString("id") + "/approve", approver.accessToken, null);
        assertThat(approved.status()).as(String.valueOf(approved.json())).isEqualTo(200);
        stepUp(granter);
        Reply granted = call("PUT", "/v1/admin/users/" + a.id + "/roles", granter.accessToken,
                new JsonObject().put("roles", new JsonArray().add(role)));
        assertThat(granted.status()).as(String.valueOf(granted.json())).isEqualTo(200);
        signIn(a);
        return a;
    }

    /** A fresh second factor on {@code a}'s session, for the routes that ask for one. */
    public void stepUp(Account a) throws Exception {
        Reply r = post("/v1/auth/step-up", a.accessToken, new JsonObject().put("code", a.nextCode()));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
    }

    /** Password, then enrolment or a TOTP code, as the server asks. */
    public void signIn(Account a) throws Exception {
        Reply r = post("/v1/auth/login", null, new JsonObject().put("username", a.username).put("password", PASSWORD));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        switch (r.json().getString("status")) {
            case "mfa_enrollment_required" -> enroll(a, r.json().getString("pendingToken"));
            case "mfa_required" -> {
                Reply m = post("/v1/auth/mfa", null, new JsonObject().put("pendingToken", r.json().getString("pendingToken"))
                        .put("code", a.nextCode()));
                assertThat(m.status()).as(String.valueOf(m.json())).isEqualTo(200);
                a.accessToken = m.json().getString("accessToken");
                a.refreshToken = m.json().getString("refreshToken");
            }
            default -> {
                a.accessToken = r.json().getString("accessToken");
                a.refreshToken = r.json().getString("refreshToken");
            }
        }
    }

    /** RFC 4648 Base32 decoding for TOTP secrets. */
    public static final class Base32 {
        public static byte[] decode(String s) {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int buffer = 0;
            int bits = 0;
            for (char c : s.toCharArray()) {
                buffer = (buffer << 5) | alphabet.indexOf(c);
                bits += 5;
                if (bits >= 8) {
                    out.write((buffer >> (bits - 8)) & 0xff);
                    bits -= 8;
                }
            }
            return out.toByteArray();
        }
    }

}
