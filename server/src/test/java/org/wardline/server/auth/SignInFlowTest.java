package org.wardline.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.testing.WardlineServerExtension;

import java.util.Date;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.auth.WardlineApi.PASSWORD;

class SignInFlowTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    static final RecordingEvents EVENTS = new RecordingEvents();
    static WardlineApi api;
    static WardlineApi.Account admin;

    @BeforeAll
    static void bootstrap() throws Exception {
        WARDLINE.server().accessControl().events().connect(EVENTS);
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("first.admin");
    }

    @BeforeEach
    void clearEvents() {
        EVENTS.clear();
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }

    private static WardlineApi.Account clinician(String name) throws Exception {
        return api.createAndSignIn(admin, name, new JsonArray().add("clinician"), "2099-01-01");
    }

    @Test
    void theBootstrapCodeMakesOneAdminWhoMustUseTotp() throws Exception {
        WardlineApi.Reply me = api.get("/v1/me", admin.accessToken);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().getJsonArray("roles")).containsExactly("admin");
        assertThat(me.json().getJsonArray("permissions")).contains("user_manage").doesNotContain("message_read", "file_read");
        assertThat(admin.recoveryCodes).hasSize(10);

        WardlineApi.Reply login = api.post("/v1/auth/login", null, new JsonObject().put("username", "FIRST.admin").put("password", PASSWORD));
        assertThat(login.json().getString("status")).isEqualTo("mfa_required");
        assertThat(login.json().containsKey("accessToken")).isFalse();

        WardlineApi.Reply again = api.post("/v1/bootstrap", null, new JsonObject().put("code", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF")
                .put("username", "second.admin").put("password", PASSWORD));
        assertThat(again.status()).isEqualTo(401);
        assertThat(again.error()).isEqualTo("auth.failed");
    }

    @Test
    void anAuditorCannotReachTheDisclosureTrailWithAPasswordAlone() throws Exception {
        WardlineApi.Reply created = api.post("/v1/admin/users", admin.accessToken, new JsonObject().put("username", "auditor.pw")
                .put("password", PASSWORD).put("roles", new JsonArray().add("auditor")));
        assertThat(created.status()).isEqualTo(200);
        WardlineApi.Reply login = api.post("/v1/auth/login", null, new JsonObject().put("username", "auditor.pw").put("password", PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().getString("status")).as("the audit trail tells who received a link").isEqualTo("mfa_enrollment_required");
        assertThat(login.json().containsKey("accessToken")).isFalse();
    }

    @Test
    void weakPasswordsAreRefusedWithAClearCode() throws Exception {
        WardlineApi.Reply r = api.post("/v1/admin/users", admin.accessToken, new JsonObject().put("username", "weak.pw")
                .put("password", "1q2w3e4r5t6y").put("roles", new JsonArray()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("auth.password_rejected");
        assertThat(api.post("/v1/auth/login", null, new JsonObject().put("username", "weak.pw").put("password", "1q2w3e4r5t6y"))
                .error()).as("nothing was created").isEqualTo("auth.failed");
    }

    @Test
    void unknownAccountsAndWrongPasswordsLookTheSame() throws Exception {
        clinician("dr.known");
        WardlineApi.Reply unknown = api.post("/v1/auth/login", null, new JsonObject().put("username", "dr.nobody").put("password", PASSWORD));
        WardlineApi.Reply wrong = api.post("/v1/auth/login", null, new JsonObject().put("username", "dr.known").put("password", PASSWORD + "!"));
        assertThat(unknown.status()).isEqualTo(wrong.status()).isEqualTo(401);
        assertThat(unknown.json().fieldNames()).isEqualTo(wrong.json().fieldNames());
        assertThat(unknown.error()).isEqualTo(wrong.error()).isEqualTo("auth.failed");
        assertThat(unknown.json().getString("message")).isEqualTo(wrong.json().getString("message"));
        assertThat(EVENTS.of(AccountEvent.Type.SIGN_IN)).extracting(AccountEvent::detail)
                .containsExactlyInAnyOrder("unknown_account", "bad_password");
    }

    @Test
    void repeatedFailuresLockANameWhetherOrNotItExists() throws Exception {
        clinician("dr.target");
        for (String name : new String[] {"dr.ghost", "dr.target"}) {
            int attempts = 0;
            String last = null;
            while (!"auth.locked".equals(last) && attempts++ < 10) {
                last = api.post("/v1/auth/login", null, new JsonObject().put("username", name).put("password", "not the password"))
                        .error();
            }
            assertThat(last).as(name).isEqualTo("auth.locked");
            assertThat(attempts).as(name + ": back-off starts after the fifth failure").isEqualTo(6);
        }
        WardlineApi.Reply right = api.post("/v1/auth/login", null, new JsonObject().put("username", "dr.target").put("password", PASSWORD));
        assertThat(right.status()).as("even the right password waits out the back-off").isEqualTo(429);
        assertThat(EVENTS.of(AccountEvent.Type.SIGN_IN)).anyMatch(e -> "throttled".equals(e.detail()));
    }

    @Test
    void aTotpCodeCannotBeReplayedAndRecoveryCodesWorkOnce() throws Exception {
        WardlineApi.Account c = clinician("dr.replay");
        String pending = api.post("/v1/auth/login", null, new JsonObject().put("username", c.username).put("password", PASSWORD))
                .json().getString("pendingToken");
        String used = Totp.code(c.totpSecret, c.lastStep);
        WardlineApi.Reply replay = api.post("/v1/auth/mfa", null, new JsonObject().put("pendingToken", pending).put("code", used));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.error()).isEqualTo("auth.mfa_invalid");
        assertThat(EVENTS.of(AccountEvent.Type.SIGN_IN_MFA)).extracting(AccountEvent::detail).contains("bad_or_replayed_totp");

        String recovery = c.recoveryCodes.getString(0);
        WardlineApi.Reply ok = api.post("/v1/auth/mfa", null, new JsonObject().put("pendingToken", pending).put("recoveryCode", recovery));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().getString("accessToken")).isNotBlank();
        WardlineApi.Reply twice = api.post("/v1/auth/mfa", null, new JsonObject().put("pendingToken", pending).put("recoveryCode", recovery));
        assertThat(twice.error()).isEqualTo("auth.mfa_invalid");
    }

    @Test
    void aReplayedRefreshTokenEndsTheSessionAndIsAudited() throws Exception {
        WardlineApi.Account c = clinician("dr.refresh");
        WardlineApi.Reply rotated = api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", c.refreshToken));
        assertThat(rotated.status()).isEqualTo(200);
        String newAccess = rotated.json().getString("accessToken");
        assertThat(api.get("/v1/me", newAccess).status()).isEqualTo(200);

        WardlineApi.Reply replay = api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", c.refreshToken));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.error()).isEqualTo("auth.token_invalid");
        assertThat(EVENTS.of(AccountEvent.Type.REFRESH_REUSE)).hasSize(1).first()
                .satisfies(e -> assertThat(e.actorUserId()).isEqualTo(c.id));
        assertThat(api.get("/v1/me", newAccess).error()).as("the whole family is revoked").isEqualTo("auth.token_invalid");
        assertThat(api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", rotated.json().getString("refreshToken")))
                .status()).isEqualTo(401);
    }

    @Test
    void anIdleSessionIsSignedOutAutomatically() throws Exception {
        WardlineApi.Account c = clinician("dr.idle");
        UUID session = UUID.fromString(api.get("/v1/me", c.accessToken).json().getString("sessionId"));
        await(WARDLINE.server().database().pool().preparedQuery("UPDATE sessions SET last_seen_at = now() - interval '16 minutes' "
                + "WHERE id = $1").execute(Tuple.of(session)));
        WardlineApi.Reply r = api.get("/v1/me", c.accessToken);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).isEqualTo("auth.session_idle");
        assertThat(EVENTS.of(AccountEvent.Type.SESSION_IDLE_TIMEOUT)).hasSize(1);
        assertThat(api.get("/v1/me", c.accessToken).error()).as("it stays ended").isEqualTo("auth.token_invalid");
    }

    @Test
    void forgedUnsignedAndConfusedTokensAreRefusedAndAudited() throws Exception {
        WardlineApi.Account c = clinician("dr.tokens");
        SignedJWT real = SignedJWT.parse(c.accessToken);
        JWTClaimsSet claims = real.getJWTClaimsSet();
        String none = new PlainJWT(claims).serialize();
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(real.getHeader().getKeyID())
                .type(real.getHeader().getType()).build(), claims);
        hs.sign(new MACSigner(WARDLINE.server().accessControl().keys().currentSigningKey().toECPublicKey().getEncoded()));
        String[] parts = c.accessToken.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new JWTClaimsSet.Builder(claims)
                .subject(admin.id.toString()).expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build().toString().getBytes());
        String forged = parts[0] + "." + forgedPayload + "." + parts[2];
        for (String bad : new String[] {none, hs.serialize(), forged, "garbage"}) {
            WardlineApi.Reply r = api.get("/v1/me", bad);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.error()).isEqualTo("auth.token_invalid");
        }
        assertThat(EVENTS.of(AccountEvent.Type.TOKEN_REJECTED)).hasSize(4);
        assertThat(api.get("/v1/me", null).error()).isEqualTo("auth.required");
        assertThat(api.get("/v1/me", c.accessToken).status()).as("control").isEqualTo(200);
    }

    @Test
    void disablingAnAccountEndsItsSessionsAndSignOutEverywhereWorks() throws Exception {
        WardlineApi.Account c = clinician("dr.leaver");
        WardlineApi.Account other = clinician("dr.stayer");
        WardlineApi.Reply disabled = api.post("/v1/admin/users/" + c.id + "/disable", admin.accessToken, null);
        assertThat(disabled.status()).as(String.valueOf(disabled.json())).isEqualTo(200);
        assertThat(disabled.json().getInteger("sessionsEnded")).isEqualTo(1);
        assertThat(api.get("/v1/me", c.accessToken).error()).isEqualTo("auth.token_invalid");
        assertThat(api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", c.refreshToken)).status()).isEqualTo(401);
        assertThat(api.post("/v1/auth/login", null, new JsonObject().put("username", c.username).put("password", PASSWORD)).error())
                .isEqualTo("auth.failed");

        String firstSession = other.accessToken;
        api.signIn(other);
        WardlineApi.Reply all = api.post("/v1/auth/logout-all", other.accessToken, null);
        assertThat(all.json().getInteger("sessionsEnded")).isEqualTo(2);
        assertThat(api.get("/v1/me", firstSession).status()).isEqualTo(401);
        assertThat(api.get("/v1/me", other.accessToken).status()).isEqualTo(401);
        assertThat(EVENTS.of(AccountEvent.Type.SIGN_OUT_EVERYWHERE)).hasSize(1);
    }

    @Test
    void aPasswordChangeNeedsTheCurrentOneFollowsTheRulesAndEndsOtherSessions() throws Exception {
        WardlineApi.Account c = clinician("dr.rotate");
        String otherSession = c.accessToken;
        api.signIn(c);
        JsonObject wrong = new JsonObject().put("currentPassword", "not my password").put("newPassword", "a different quiet night shift");
        assertThat(api.post("/v1/me/password", c.accessToken, wrong).error()).isEqualTo("auth.failed");
        JsonObject weak = new JsonObject().put("currentPassword", PASSWORD).put("newPassword", "qwerty123456");
        assertThat(api.post("/v1/me/password", c.accessToken, weak).error()).isEqualTo("auth.password_rejected");
        JsonObject good = new JsonObject().put("currentPassword", PASSWORD).put("newPassword", "a different quiet night shift");
        WardlineApi.Reply changed = api.post("/v1/me/password", c.accessToken, good);
        assertThat(changed.status()).as(String.valueOf(changed.json())).isEqualTo(200);
        assertThat(changed.json().getInteger("otherSessionsEnded")).isEqualTo(1);
        assertThat(api.get("/v1/me", otherSession).status()).isEqualTo(401);
        assertThat(api.get("/v1/me", c.accessToken).status()).isEqualTo(200);
        assertThat(api.post("/v1/auth/login", null, new JsonObject().put("username", c.username).put("password", PASSWORD)).error())
                .isEqualTo("auth.failed");
        assertThat(api.post("/v1/auth/login", null, new JsonObject().put("username", c.username)
                .put("password", "a different quiet night shift")).json().getString("status")).isEqualTo("mfa_required");
        assertThat(EVENTS.of(AccountEvent.Type.PASSWORD_CHANGED)).extracting(AccountEvent::outcome)
                .containsExactly(AccountEvent.Outcome.FAILURE, AccountEvent.Outcome.SUCCESS);
    }

    @Test
    void anAdminResetOfALostSecondFactorEndsSessionsAndForcesEnrolment() throws Exception {
        WardlineApi.Account c = clinician("dr.lostphone");
        WardlineApi.Reply reset = api.post("/v1/admin/users/" + c.id + "/mfa-reset", admin.accessToken, null);
        assertThat(reset.status()).as(String.valueOf(reset.json())).isEqualTo(200);
        assertThat(api.get("/v1/me", c.accessToken).status()).isEqualTo(401);
        WardlineApi.Reply login = api.post("/v1/auth/login", null, new JsonObject().put("username", c.username).put("password", PASSWORD));
        assertThat(login.json().getString("status")).isEqualTo("mfa_enrollment_required");
        assertThat(api.post("/v1/admin/users/" + c.id + "/mfa-reset", c.accessToken, null).status()).isEqualTo(401);
        assertThat(EVENTS.of(AccountEvent.Type.MFA_RESET)).hasSize(1);
    }

    @Test
    void malformedRequestsGetAClearCodeAndChangeNothing() throws Exception {
        assertThat(api.post("/v1/auth/login", null, new JsonObject()).error()).isEqualTo("request.invalid");
        assertThat(api.post("/v1/auth/login", null, new JsonObject().put("username", 5).put("password", PASSWORD)).error())
                .isEqualTo("request.invalid");
        assertThat(api.post("/v1/auth/mfa", null, new JsonObject().put("pendingToken", "x").put("code", "1").put("recoveryCode", "2"))
                .error()).isEqualTo("request.invalid");
        assertThat(api.post("/v1/auth/mfa", null, new JsonObject().put("pendingToken", "x").put("code", "123456")).error())
                .isEqualTo("auth.token_invalid");
        assertThat(api.post("/v1/auth/totp/enroll", null, new JsonObject().put("pendingToken", admin.accessToken)).error())
                .as("an access token is not an enrolment token").isEqualTo("auth.token_invalid");
        assertThat(api.call("POST", "/v1/auth/login", null, null).error()).isEqualTo("request.invalid");
        assertThat(api.post("/v1/admin/users", admin.accessToken, new JsonObject().put("username", "bad name!")).error())
                .isEqualTo("request.invalid");
    }
}
