package org.wardline.server.auth.dpop;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.auth.DeviceIdentity;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser devices against the real server: a browser's own key enrolled through a CSR into a certificate bound to
 * user and device, then every request on the public listener proving possession of that key with DPoP.
 */
class BrowserDeviceDpopTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void admin() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    /** A nurse signed in, whose browser (a new key) is enrolled as one of her devices; not yet signed in on it. */
    private record Enrolled(WardlineApi.Account nurse, BrowserDeviceClient browser, UUID deviceId, JsonObject answer) {
    }

    private static Enrolled enrolledBrowser(String username) throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, username, new JsonArray().add("nurse"), "2099-01-01");
        WardlineApi.Reply code = api.post("/v1/devices/enrollment-codes", nurse.accessToken, null);
        assertThat(code.status()).as(String.valueOf(code.json())).isEqualTo(201);
        BrowserDeviceClient browser = new BrowserDeviceClient(WARDLINE.server());
        WardlineApi.Reply enrolled = browser.send("POST", "/v1/devices/enroll", null, null, new JsonObject()
                .put("code", code.json().getString("code")).put("csr", browser.csr()).put("name", "ward 7 PC")
                .put("platform", "chromium").put("kind", "browser"));
        assertThat(enrolled.status()).as(String.valueOf(enrolled.json())).isEqualTo(201);
        return new Enrolled(nurse, browser, UUID.fromString(enrolled.json().getString("deviceId")), enrolled.json());
    }

    private static Enrolled signedInBrowser(String username) throws Exception {
        Enrolled e = enrolledBrowser(username);
        WardlineApi.Reply signedIn = e.browser().signIn(e.nurse());
        assertThat(signedIn.status()).as(String.valueOf(signedIn.json())).isEqualTo(200);
        return e;
    }

    @Test
    void aBrowserKeyIsCertifiedAsADeviceOfItsUserAndItsTokensAreBoundToThatKey() throws Exception {
        Enrolled e = enrolledBrowser("nurse.browser");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(e.answer().getString("certificate").getBytes(StandardCharsets.US_ASCII)));
        assertThat(DeviceIdentity.of(cert)).contains(new DeviceIdentity(e.nurse().id, e.deviceId()));
        assertThat(cert.getPublicKey()).isEqualTo(e.browser().keys.getPublic());

        WardlineApi.Reply signedIn = e.browser().signIn(e.nurse());
        assertThat(signedIn.status()).as(String.valueOf(signedIn.json())).isEqualTo(200);
        assertThat(signedIn.json().getString("tokenType")).isEqualTo("DPoP");
        Map<String, Object> cnf = SignedJWT.parse(e.browser().accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf");
        assertThat(cnf).containsEntry("jkt", e.browser().jwk.computeThumbprint().toString());
        assertThat(SignedJWT.parse(e.browser().accessToken).getJWTClaimsSet().getStringClaim("dev")).isEqualTo(e.deviceId().toString());

        WardlineApi.Reply me = e.browser().call("GET", "/v1/me", null);
        assertThat(me.status()).as(String.valueOf(me.json())).isEqualTo(200);
        assertThat(me.json().getString("id")).isEqualTo(e.nurse().id.toString());

        WardlineApi.Reply refreshed = e.browser().call("POST", "/v1/auth/refresh", new JsonObject().put("refreshToken", e.browser().refreshToken));
        assertThat(refreshed.status()).as(String.valueOf(refreshed.json())).isEqualTo(200);
        assertThat(refreshed.json().getString("tokenType")).isEqualTo("DPoP");
    }

    @Test
    void aTamperedProofIsRefused() throws Exception {
        Enrolled e = signedInBrowser("nurse.tampered");
        String[] parts = e.browser().proof("GET", "/v1/me", e.browser().accessToken).split("\\.");
        JsonObject claims = new JsonObject(new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8));
        String forged = parts[0] + "." + Base64URL.encode(claims.put("htm", "POST").encode()) + "." + parts[2];
        WardlineApi.Reply r = e.browser().send("POST", "/v1/me", forged, "DPoP " + e.browser().accessToken, null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).isEqualTo("dpop.invalid");

        String flipped = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
        assertThat(e.browser().send("GET", "/v1/me", flipped, "DPoP " + e.browser().accessToken, null).error()).isEqualTo("dpop.invalid");
    }

    @Test
    void aReplayedProofIsRefused() throws Exception {
        Enrolled e = signedInBrowser("nurse.replay");
        assertThat(e.browser().call("GET", "/v1/me", null).status()).isEqualTo(200);
        WardlineApi.Reply replayed = e.browser().send("GET", "/v1/me", e.browser().lastProof, "DPoP " + e.browser().accessToken, null);
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.error()).isEqualTo("dpop.replayed");
    }

    @Test
    void aProofForAnotherAddressMethodOrTokenIsRefused() throws Exception {
        Enrolled e = signedInBrowser("nurse.htu");
        String token = e.browser().accessToken;
        assertThat(e.browser().send("GET", "/v1/me", e.browser().proof("GET", "/v1/devices/me", token), "DPoP " + token, null).error())
                .isEqualTo("dpop.invalid");
        assertThat(e.browser().send("GET", "/v1/me", e.browser().proof("POST", "/v1/me", token), "DPoP " + token, null).error())
                .isEqualTo("dpop.invalid");
        assertThat(e.browser().send("GET", "/v1/me", e.browser().proof("GET", "/v1/me", "another." + token), "DPoP " + token, null).error())
                .as("ath names another token").isEqualTo("dpop.invalid");
    }

    @Test
    void aStolenTokenIsUselessWithoutTheKey() throws Exception {
        Enrolled e = signedInBrowser("nurse.stolen");
        String stolen = e.browser().accessToken;
        WardlineApi.Reply asBearer = e.browser().send("GET", "/v1/me", null, "Bearer " + stolen, null);
        assertThat(asBearer.status()).isEqualTo(401);
        assertThat(asBearer.error()).isEqualTo("dpop.required");
        assertThat(e.browser().send("GET", "/v1/me", null, "DPoP " + stolen, null).error()).isEqualTo("dpop.required");

        BrowserDeviceClient thief = new BrowserDeviceClient(WARDLINE.server());
        WardlineApi.Reply withOwnKey = thief.send("GET", "/v1/me", thief.proof("GET", "/v1/me", stolen), "DPoP " + stolen, null);
        assertThat(withOwnKey.status()).isEqualTo(403);
        assertThat(withOwnKey.error()).isEqualTo("device.not_active");

        Enrolled colleague = enrolledBrowser("nurse.colleague");
        WardlineApi.Reply withAnotherDevicesKey = colleague.browser().send("GET", "/v1/me",
                colleague.browser().proof("GET", "/v1/me", stolen), "DPoP " + stolen, null);
        assertThat(withAnotherDevicesKey.status()).isEqualTo(401);
        assertThat(withAnotherDevicesKey.error()).isEqualTo("dpop.invalid");
    }

    @Test
    void theSecondSignInStepNeedsAProofFromTheSameBrowser() throws Exception {
        Enrolled e = enrolledBrowser("nurse.pending");
        WardlineApi.Reply login = e.browser().call("POST", "/v1/auth/login", new JsonObject().put("username", e.nurse().username)
                .put("password", WardlineApi.PASSWORD));
        assertThat(login.json().getString("status")).isEqualTo("mfa_required");
        WardlineApi.Reply withoutProof = e.browser().send("POST", "/v1/auth/mfa", null, null, new JsonObject()
                .put("pendingToken", login.json().getString("pendingToken")).put("code", e.nurse().nextCode()));
        assertThat(withoutProof.status()).isEqualTo(401);
        assertThat(withoutProof.error()).isEqualTo("auth.token_invalid");
    }

    @Test
    void aRevokedBrowserDeviceIsRefusedAtOnce() throws Exception {
        Enrolled e = signedInBrowser("nurse.revoked");
        assertThat(e.browser().call("GET", "/v1/me", null).status()).isEqualTo(200);
        HttpResponse<String> revoked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + WARDLINE.server().opsPort() + "/admin/devices/" + e.deviceId() + "/revoke"))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("reason", "lost").encode()))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(200);

        WardlineApi.Reply me = e.browser().call("GET", "/v1/me", null);
        assertThat(me.status()).isEqualTo(403);
        assertThat(me.error()).isEqualTo("device.not_active");
        e.browser().accessToken = null;
        assertThat(e.browser().signIn(e.nurse()).error()).isEqualTo("device.not_active");
    }

    @Test
    void enrollingAnEnrolledBrowserKeyAgainIsAConflictAndKeepsTheCode() throws Exception {
        Enrolled e = enrolledBrowser("nurse.twice");
        WardlineApi.Reply code = api.post("/v1/devices/enrollment-codes", e.nurse().accessToken, null);
        assertThat(code.status()).isEqualTo(201);
        JsonObject again = new JsonObject().put("code", code.json().getString("code")).put("csr", e.browser().csr())
                .put("name", "ward 7 PC").put("platform", "chromium").put("kind", "browser");
        WardlineApi.Reply twice = e.browser().call("POST", "/v1/devices/enroll", again);
        assertThat(twice.status()).as(String.valueOf(twice.json())).isEqualTo(409);
        assertThat(twice.error()).isEqualTo("resource.conflict");

        BrowserDeviceClient other = new BrowserDeviceClient(WARDLINE.server());
        WardlineApi.Reply withTheSameCode = other.send("POST", "/v1/devices/enroll", null, null,
                again.copy().put("csr", other.csr()));
        assertThat(withTheSameCode.status()).as("the code was not used up").isEqualTo(201);
    }

    @Test
    void aBrowserDevicesCertificateDoesNotPassTheMutualTlsListener() throws Exception {
        Enrolled e = enrolledBrowser("nurse.mtls");
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(e.answer().getString("certificate").getBytes(StandardCharsets.US_ASCII)));
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("device", e.browser().keys.getPrivate(), "x".toCharArray(),
                new java.security.cert.Certificate[] {cert, WARDLINE.server().certificateAuthority().intermediateCertificate()});
        HttpClient mtls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(org.wardline.server.testing.TlsClients.context(WARDLINE.server().certificateAuthority().rootCertificate(), keys))
                .build();
        HttpResponse<String> me = mtls.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + WARDLINE.server().devicePort()
                + "/v1/devices/me")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).as(me.body()).isEqualTo(403);
        assertThat(new JsonObject(me.body()).getString("error")).isEqualTo("device.not_active");
    }
}
