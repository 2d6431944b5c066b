package org.wardline.server.auth.webauthn;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.audit.AuditQueueFull;
import org.wardline.server.auth.RecordingEvents;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.auth.WardlineApi.Account;
import org.wardline.server.auth.WardlineApi.Reply;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys in real headless Chromium with its WebAuthn virtual authenticator: registration after step-up, the
 * sign-in page, step-up, removal, and the refusals (replay, another account's challenge or credential, wrong
 * origin, wrong RP ID, a cloned authenticator), each audited. The public URL is https://localhost:PORT, since
 * browsers accept no IP address as an RP ID.
 */
class PasskeyBrowserTest {
    static final int PUBLIC_PORT = freePort();
    static final String ORIGIN = "https://localhost:" + PUBLIC_PORT;

    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of(
            "WARDLINE_SERVER_PUBLIC_PORT", Integer.toString(PUBLIC_PORT), "WARDLINE_SERVER_PUBLIC_URL", ORIGIN));

    private static WardlineApi api;
    private static Account admin;
    private static final RecordingEvents EVENTS = new RecordingEvents();
    private static HttpServer otherOrigin;

    private WebDriver browser;
    private VirtualAuthenticator authenticator;

    @BeforeAll
    static void accounts() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("passkey.admin");
        WARDLINE.server().accessControl().events().connect(EVENTS);
        otherOrigin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otherOrigin.createContext("/", exchange -> {
            byte[] page = "<!DOCTYPE html><title>elsewhere</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        otherOrigin.start();
    }

    @AfterAll
    static void stopOtherOrigin() {
        otherOrigin.stop(0);
    }

    @BeforeEach
    void browser() {
        browser = CHROMIUM.newBrowser();
        authenticator = addAuthenticator();
        browser.get(ORIGIN + "/sign-in");
        EVENTS.clear();
    }

    private VirtualAuthenticator addAuthenticator() {
        return ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2).setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(false).setHasUserVerification(true).setIsUserVerified(true));
    }

    @Test
    void registeredPasskeySignsInThroughTheSignInPage() throws Exception {
        Account nurse = newClinician("passkey.nurse");
        UUID passkey = register(nurse);
        Reply list = api.get("/v1/me/passkeys", nurse.accessToken);
        assertThat(list.json().getJsonArray("items")).hasSize(1);
        assertThat(list.json().getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(passkey.toString());
        assertThat(EVENTS.of(AccountEvent.Type.MFA_ENROLLED)).anySatisfy(e -> {
            assertThat(e.outcome()).isEqualTo(AccountEvent.Outcome.SUCCESS);
            assertThat(e.objectType()).isEqualTo("passkey");
            assertThat(e.objectId()).isEqualTo(passkey.toString());
        });

        browser.findElement(By.id("username")).sendKeys(nurse.username);
        browser.findElement(By.id("password")).sendKeys(WardlineApi.PASSWORD);
        browser.findElement(By.id("password-submit")).click();
        wait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-button"))).click();
        wait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("signed-in")));
        assertThat(browser.findElement(By.id("signed-in-name")).getText()).isEqualTo(nurse.username);
        assertThat(EVENTS.of(AccountEvent.Type.SIGN_IN)).anySatisfy(e -> {
            assertThat(e.outcome()).isEqualTo(AccountEvent.Outcome.SUCCESS);
            assertThat(e.detail()).isEqualTo("password+webauthn");
        });
        String token = (String) ((JavascriptExecutor) browser).executeScript("return window.wardline.accessToken");
        assertThat(api.get("/v1/me", token).status()).isEqualTo(200);
    }

    @Test
    void registrationNeedsAFreshSecondFactorAndStepUpWithAPasskeyGivesOne() throws Exception {
        Account nurse = newClinician("passkey.stepup");
        register(nurse);
        UUID session = UUID.fromString(api.get("/v1/me", nurse.accessToken).json().getString("sessionId"));
        query("UPDATE sessions SET mfa_at = now() - interval '1 hour' WHERE id = $1", Tuple.of(session));
        assertThat(api.post("/v1/me/passkeys/options", nurse.accessToken, null).error()).isEqualTo("auth.step_up_required");

        Reply options = api.post("/v1/auth/webauthn/step-up/options", nurse.accessToken, null);
        JsonObject credential = assertion(options.json().getJsonObject("publicKey"));
        Reply stepUp = api.post("/v1/auth/webauthn/step-up/verify", nurse.accessToken,
                new JsonObject().put("challengeId", options.json().getString("challengeId")).put("credential", credential));
        assertThat(stepUp.status()).as(String.valueOf(stepUp.json())).isEqualTo(200);
        assertThat(api.post("/v1/me/passkeys/options", nurse.accessToken, null).status()).isEqualTo(200);
        assertThat(EVENTS.of(AccountEvent.Type.STEP_UP)).anySatisfy(e -> assertThat(e.outcome()).isEqualTo(AccountEvent.Outcome.SUCCESS));
    }

    @Test
    void aReplayedAssertionIsRefusedAndAudited() throws Exception {
        Account nurse = newClinician("passkey.replay");
        register(nurse);
        String pending = pendingToken(nurse);
        Reply options = api.post("/v1/auth/webauthn/sign-in/options", null, new JsonObject().put("pendingToken", pending));
        JsonObject verify = new JsonObject().put("pendingToken", pending).put("challengeId", options.json().getString("challengeId"))
                .put("credential", assertion(options.json().getJsonObject("publicKey")));
        assertThat(api.post("/v1/auth/webauthn/sign-in/verify", null, verify).status()).isEqualTo(200);

        Reply replay = api.post("/v1/auth/webauthn/sign-in/verify", null, verify);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.error()).isEqualTo("auth.passkey_invalid");
        assertRefusalAudited(nurse, "webauthn:challenge_unknown_or_used");

        // The same assertion against a fresh challenge does not match it either.
        String pending2 = pendingToken(nurse);
        Reply fresh = api.post("/v1/auth/webauthn/sign-in/options", null, new JsonObject().put("pendingToken", pending2));
        Reply stale = api.post("/v1/auth/webauthn/sign-in/verify", null, new JsonObject().put("pendingToken", pending2)
                .put("challengeId", fresh.json().getString("challengeId")).put("credential", verify.getJsonObject("credential")));
        assertThat(stale.error()).isEqualTo("auth.passkey_invalid");
        assertRefusalAudited(nurse, "webauthn:challenge_mismatch");
    }

    @Test
    void anAssertionForAnotherAccountsChallengeIsRefusedAndAudited() throws Exception {
        Account alice = newClinician("passkey.alice");
        Account bob = newClinician("passkey.bob");
        register(alice);
        register(bob);
        Reply aliceOptions = api.post("/v1/auth/webauthn/sign-in/options", null, new JsonObject().put("pendingToken", pendingToken(alice)));
        JsonObject credential = assertion(aliceOptions.json().getJsonObject("publicKey"));
        Reply refused = api.post("/v1/auth/webauthn/sign-in/verify", null, new JsonObject().put("pendingToken", pendingToken(bob))
                .put("challengeId", aliceOptions.json().getString("challengeId")).put("credential", credential));
        assertThat(refused.error()).isEqualTo("auth.passkey_invalid");
        assertRefusalAudited(bob, "webauthn:challenge_other_account");
    }

    @Test
    void aCredentialOfAnotherAccountIsRefusedAndAudited() throws Exception {
        Account carol = newClinician("passkey.carol");
        Account dave = newClinician("passkey.dave");
        register(carol);
        UUID daves = register(dave);
        String pending = pendingToken(carol);
        Reply options = api.post("/v1/auth/webauthn/sign-in/options", null, new JsonObject().put("pendingToken", pending));
        JsonObject publicKey = options.json().getJsonObject("publicKey");
        // Carol's challenge, answered with Dave's passkey (the browser holds both).
        publicKey.put("allowCredentials", new JsonArray().add(new JsonObject().put("type", "public-key")
                .put("id", credentialIdOf(dave, daves))));
        JsonObject credential = assertion(publicKey);
        Reply refused = api.post("/v1/auth/webauthn/sign-in/verify", null, new JsonObject().put("pendingToken", pending)
                .put("challengeId", options.json().getString("challengeId")).put("credential", credential));
        assertThat(refused.error()).isEqualTo("auth.passkey_invalid");
        assertRefusalAudited(carol, "webauthn:unknown_credential");
    }

    @Test
    void anAssertionMadeOnAnotherOriginIsRefusedAndAudited() throws Exception {
        Account erin = newClinician("passkey.erin");
        register(erin);
        String pending = pendingToken(erin);
        Reply options = api.post("/v1/auth/webauthn/sign-in/options", null, new JsonObject().put("pendingToken", pending));
        // Same RP ID (localhost), another origin: what a look-alike page on the same host would get.
        browser.get("http://localhost:" + otherOrigin.getAddress().getPort() + "/");
        JsonObject credential = assertion(options.json().getJsonObject("publicKey"));
        assertThat(new String(Base64.getUrlDecoder().decode(credential.getJsonObject("response").getString("clientDataJSON")),
                StandardCharsets.UTF_8)).contains("http://localhost:" + otherOrigin.getAddress().getPort());
        Reply refused = api.post("/v1/auth/webauthn/sign-in/verify", null, new JsonObject().put("pendingToken", pending)
                .put("challengeId", options.json().getString("challengeId")).put("credential", credential));
        assertThat(refused.error()).isEqualTo("auth.passkey_invalid");
        assertRefusalAudited(erin, "webauthn:origin_mismatch");
        assertInAuditTrail(erin, "webauthn:origin_mismatch");
    }

    @Test
    void anAssertionForAnotherRelyingPartyIsRefusedAndAudited() throws Exception {
        Account frank = newClinician("passkey.frank");
        register(frank);
        Credential key = authenticator.getCredentials().getFirst();
        String pending = pendingToken(frank);
        Reply options = api.post("/v1/auth/webauthn/sign-in/options", null, new JsonObject().put("pendingToken", pending));
        // Signed with the passkey's own private key, right origin and challenge, but for RP ID evil.example.
        JsonObject forged = forge(key, "evil.example", ORIGIN, options.json().getJsonObject("publicKey").getString("challenge"), 1000);
        Reply refused = api.post("/v1/auth/webauthn/sign-in/verify", null, new JsonObject().put("pendingToken", pending)
                .put("challengeId", options.json().getString("challengeId")).put("credential", forged));
        assertThat(refused.error()).isEqualTo("auth.passkey_invalid");
        assertRefusalAudited(frank, "webauthn:rp_id_mismatch");
    }

    @Test
    void aSignatureCounterThatGoesBackIsReportedAsACloneAndRefused() throws Exception {
        Account gina = newClinician("passkey.gina");
        register(gina);
        Credential key = authenticator.getCredentials().getFirst();
        String pending = pendingToken(gina);
        Reply options = api.post("/v1/auth/webauthn/sign-in/options", null, new JsonObject().put("pendingToken", pending));
        JsonObject genuine = assertion(options.json().getJsonObject("publicKey"));
        assertThat(api.post("/v1/auth/webauthn/sign-in/verify", null, new JsonObject().put("pendingToken", pending)
                .put("challengeId", options.json().getString("challengeId")).put("credential", genuine)).status()).isEqualTo(200);

        // A copy of the key whose counter lags behind the genuine authenticator's.
        String pending2 = pendingToken(gina);
        Reply options2 = api.post("/v1/auth/webauthn/sign-in/options", null, new JsonObject().put("pendingToken", pending2));
        JsonObject clone = forge(key, "localhost", ORIGIN, options2.json().getJsonObject("publicKey").getString("challenge"), 1);
        Reply refused = api.post("/v1/auth/webauthn/sign-in/verify", null, new JsonObject().put("pendingToken", pending2)
                .put("challengeId", options2.json().getString("challengeId")).put("credential", clone));
        assertThat(refused.error()).isEqualTo("auth.passkey_invalid");
        assertRefusalAudited(gina, "webauthn:clone_suspected");
    }

    @Test
    void theLastSecondFactorOfAnAccountThatNeedsMfaCannotBeRemoved() throws Exception {
        Account hank = newClinician("passkey.hank");
        UUID first = register(hank);
        // A second security key: an authenticator already holding one of the account's passkeys refuses another.
        ((HasVirtualAuthenticator) browser).removeVirtualAuthenticator(authenticator);
        authenticator = addAuthenticator();
        UUID second = register(hank);
        query("DELETE FROM totp_credentials WHERE user_id = $1", Tuple.of(hank.id));

        assertThat(api.call("DELETE", "/v1/me/passkeys/" + first, hank.accessToken, null).status()).isEqualTo(204);
        Reply last = api.call("DELETE", "/v1/me/passkeys/" + second, hank.accessToken, null);
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.error()).isEqualTo("auth.last_second_factor");
        assertThat(api.get("/v1/me/passkeys", hank.accessToken).json().getJsonArray("items")).hasSize(1);
        assertThat(EVENTS.of(AccountEvent.Type.MFA_REMOVED)).extracting(AccountEvent::outcome)
                .containsExactly(AccountEvent.Outcome.SUCCESS, AccountEvent.Outcome.DENIED);
        assertThat(api.call("DELETE", "/v1/me/passkeys/" + UUID.randomUUID(), hank.accessToken, null).status()).isEqualTo(404);
    }

    @Test
    void malformedCredentialsAreRefusedAsBadRequests() throws Exception {
        Account ivy = newClinician("passkey.ivy");
        register(ivy);
        String pending = pendingToken(ivy);
        Reply options = api.post("/v1/auth/webauthn/sign-in/options", null, new JsonObject().put("pendingToken", pending));
        for (Object bad : List.of("not an object", new JsonObject(), new JsonObject().put("id", "a").put("rawId", "b")
                .put("response", new JsonObject().put("clientDataJSON", "x")))) {
            Reply r = api.post("/v1/auth/webauthn/sign-in/verify", null, new JsonObject().put("pendingToken", pending)
                    .put("challengeId", options.json().getString("challengeId")).put("credential", bad));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.error()).isEqualTo("request.invalid");
        }
        // A well-formed but garbage answer uses up the challenge and is refused.
        JsonObject garbage = new JsonObject().put("id", "AAAA").put("rawId", "AAAA").put("type", "public-key")
                .put("response", new JsonObject().put("clientDataJSON", "e30").put("authenticatorData", "AAAA").put("signature", "AAAA"));
        Reply r = api.post("/v1/auth/webauthn/sign-in/verify", null, new JsonObject().put("pendingToken", pending)
                .put("challengeId", options.json().getString("challengeId")).put("credential", garbage));
        assertThat(r.error()).isEqualTo("auth.passkey_invalid");
    }
    @Test
    void aRegistrationWhoseEntryCannotBeWrittenKeepsNoPasskey() throws Exception {
        Account nurse = newClinician("passkey.unaudited");
        Reply options = api.post("/v1/me/passkeys/options", nurse.accessToken, null);
        assertThat(options.status()).as(String.valueOf(options.json())).isEqualTo(200);
        JsonObject credential = created(options.json().getJsonObject("publicKey"));
        Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = api.post("/v1/me/passkeys", nurse.accessToken, new JsonObject()
                    .put("challengeId", options.json().getString("challengeId")).put("credential", credential));
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(api.get("/v1/me/passkeys", nurse.accessToken).json().getJsonArray("items")).as("no passkey kept").isEmpty();
    }

    @Test
    void aRemovalWhoseEntryCannotBeWrittenKeepsThePasskey() throws Exception {
        Account nurse = newClinician("passkey.removal.unaudited");
        UUID passkey = register(nurse);
        Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = api.call("DELETE", "/v1/me/passkeys/" + passkey, nurse.accessToken, null);
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(api.get("/v1/me/passkeys", nurse.accessToken).json().getJsonArray("items")).as("the passkey is kept").hasSize(1);

        assertThat(api.call("DELETE", "/v1/me/passkeys/" + passkey, nurse.accessToken, null).status()).isEqualTo(204);
        assertThat(api.get("/v1/me/passkeys", nurse.accessToken).json().getJsonArray("items")).isEmpty();
    }

    @Test
    void aPasskeyStepUpWhoseEntryCannotBeWrittenDoesNotMarkTheSession() throws Exception {
        Account nurse = newClinician("passkey.stepup.unaudited");
        register(nurse);
        UUID session = UUID.fromString(api.get("/v1/me", nurse.accessToken).json().getString("sessionId"));
        query("UPDATE sessions SET mfa_at = now() - interval '1 hour' WHERE id = $1", Tuple.of(session));
        Reply options = api.post("/v1/auth/webauthn/step-up/options", nurse.accessToken, null);
        JsonObject credential = assertion(options.json().getJsonObject("publicKey"));
        Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = api.post("/v1/auth/webauthn/step-up/verify", nurse.accessToken,
                    new JsonObject().put("challengeId", options.json().getString("challengeId")).put("credential", credential));
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(api.post("/v1/me/passkeys/options", nurse.accessToken, null).error()).as("the session is not marked")
                .isEqualTo("auth.step_up_required");
    }

    // --- helpers ---

    private Account newClinician(String name) throws Exception {
        return api.createAndSignIn(admin, name, new JsonArray().add("clinician"), "2099-01-01");
    }

    /** Registers a passkey in the browser's virtual authenticator for {@code a}; returns its stored ID. */
    private UUID register(Account a) throws Exception {
        Reply options = api.post("/v1/me/passkeys/options", a.accessToken, null);
        assertThat(options.status()).as(String.valueOf(options.json())).isEqualTo(200);
        JsonObject credential = created(options.json().getJsonObject("publicKey"));
        Reply stored = api.post("/v1/me/passkeys", a.accessToken, new JsonObject()
                .put("challengeId", options.json().getString("challengeId")).put("credential", credential));
        assertThat(stored.status()).as(String.valueOf(stored.json())).isEqualTo(200);
        return UUID.fromString(stored.json().getString("id"));
    }

    /** The browser's answer to creation options: a new credential in its virtual authenticator. */
    private JsonObject created(JsonObject publicKey) {
        JsonObject credential = new JsonObject((String) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(arguments[0]))})
                  .then(c => done(JSON.stringify(c.toJSON())), e => done(JSON.stringify({error: e.name + ': ' + e.message})));
                """, publicKey.encode()));
        assertThat(credential.getString("error")).isNull();
        return credential;
    }

    /** The browser's answer to request options (on whatever page it shows now). */
    private JsonObject assertion(JsonObject publicKey) {
        JsonObject credential = new JsonObject((String) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(arguments[0]))})
                  .then(c => done(JSON.stringify(c.toJSON())), e => done(JSON.stringify({error: e.name + ': ' + e.message})));
                """, publicKey.encode()));
        assertThat(credential.getString("error")).isNull();
        return credential;
    }

    private String pendingToken(Account a) throws Exception {
        Reply r = api.post("/v1/auth/login", null, new JsonObject().put("username", a.username).put("password", WardlineApi.PASSWORD));
        assertThat(r.json().getString("status")).isEqualTo("mfa_required");
        return r.json().getString("pendingToken");
    }

    private void assertRefusalAudited(Account a, String reason) {
        assertThat(EVENTS.all()).as("audited refusal " + reason).anySatisfy(e -> {
            assertThat(e.actorUserId()).isEqualTo(a.id);
            assertThat(e.outcome()).isEqualTo(AccountEvent.Outcome.FAILURE);
            assertThat(e.detail()).isEqualTo(reason);
        });
    }

    /** The refusal reached the hash-chained trail too (written after the answer; re-read until it shows, bounded). */
    private static void assertInAuditTrail(Account a, String reason) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        boolean found = false;
        while (!found && java.time.Instant.now().isBefore(deadline)) {
            // By query, not by reading the trail from its start: the unaudited-registration tests fill it with many entries.
            found = WARDLINE.server().database().pool().preparedQuery("SELECT 1 FROM audit_entries WHERE actor_user_id = $1 "
                            + "AND action = 'auth.signin.failed' AND position($2 in details) > 0").execute(Tuple.of(a.id, reason))
                    .toCompletionStage().toCompletableFuture().get().size() > 0;
            if (!found) {
                WARDLINE.server().vertx().timer(100).toCompletionStage().toCompletableFuture().get();
            }
        }
        assertThat(found).as("audit entry auth.signin.failed with reason " + reason).isTrue();
    }

    private static String credentialIdOf(Account a, UUID passkey) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery("SELECT credential_id FROM webauthn_credentials WHERE id = $1 AND user_id = $2")
                .execute(Tuple.of(passkey, a.id)).toCompletionStage().toCompletableFuture().get()
                .iterator().next().getString("credential_id");
    }

    private static void query(String sql, Tuple args) throws Exception {
        WARDLINE.server().database().pool().preparedQuery(sql).execute(args).toCompletionStage().toCompletableFuture().get();
    }

    /** An assertion signed with the virtual authenticator's own key, with the RP ID, origin and counter chosen by the test. */
    private static JsonObject forge(Credential key, String rpId, String origin, String challenge, int signCount) throws Exception {
        byte[] clientData = new JsonObject().put("type", "webauthn.get").put("challenge", challenge).put("origin", origin)
                .put("crossOrigin", false).encode().getBytes(StandardCharsets.UTF_8);
        byte[] authData = ByteBuffer.allocate(37).put(MessageDigest.getInstance("SHA-256").digest(rpId.getBytes(StandardCharsets.UTF_8)))
                .put((byte) 0x05).putInt(signCount).array();
        PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(key.getPrivateKey());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(privateKey);
        signer.update(authData);
        signer.update(MessageDigest.getInstance("SHA-256").digest(clientData));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String id = b64.encodeToString(key.getId());
        return new JsonObject().put("id", id).put("rawId", id).put("type", "public-key").put("response", new JsonObject()
                .put("clientDataJSON", b64.encodeToString(clientData)).put("authenticatorData", b64.encodeToString(authData))
                .put("signature", b64.encodeToString(signer.sign())));
    }

    private static WebDriverWait wait(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
