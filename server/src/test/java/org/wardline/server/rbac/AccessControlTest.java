package org.wardline.server.rbac;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.auth.RecordingEvents;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Care-team scope, the training gate, step-up, break-glass and time-bound elevation, over HTTP. */
class AccessControlTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    static final RecordingEvents EVENTS = new RecordingEvents();
    static final RecordingEvents ALERTS = new RecordingEvents();
    static WardlineApi api;
    static WardlineApi.Account admin;
    /** The second administrator (made on the first day) and a security officer granted through its approval. */
    static WardlineApi.Account adminTwo;
    static WardlineApi.Account officer;
    static UUID ward;
    static UUID icu;

    @BeforeAll
    static void setUp() throws Exception {
        WARDLINE.server().accessControl().events().connect(EVENTS);
        WARDLINE.server().accessControl().alerts().connect(ALERTS);
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("access.admin");
        ward = team("Ward 3");
        icu = team("ICU");
        adminTwo = member("admin.two", "admin", null, null);
        officer = api.createPrivileged(admin, adminTwo, "sec.officer", "security_officer", "2099-01-01");
    }

    @BeforeEach
    void clear() {
        EVENTS.clear();
        ALERTS.clear();
    }

    private static UUID team(String name) throws Exception {
        return UUID.fromString(api.post("/v1/admin/teams", admin.accessToken, new JsonObject().put("name", name)).json().getString("id"));
    }

    private static WardlineApi.Account member(String name, String role, String training, UUID team) throws Exception {
        WardlineApi.Account a = api.createAndSignIn(admin, name, new JsonArray().add(role), training);
        if (team != null) {
            assertThat(api.call("PUT", "/v1/admin/teams/" + team + "/members/" + a.id, admin.accessToken, null).status()).isEqualTo(200);
        }
        return a;
    }

    private static void ageSecondFactor(WardlineApi.Account a, int minutes) throws Exception {
        UUID session = UUID.fromString(api.get("/v1/me", a.accessToken).json().getString("sessionId"));
        WARDLINE.server().database().pool().preparedQuery("UPDATE sessions SET mfa_at = now() - make_interval(mins => $2) WHERE id = $1")
                .execute(Tuple.of(session, minutes)).toCompletionStage().toCompletableFuture().get();
    }

    private static String access(WardlineApi.Account a, UUID team) throws Exception {
        WardlineApi.Reply r = api.get("/v1/teams/" + team + "/access", a.accessToken);
        return r.status() == 200 ? r.json().getString("via") : r.error();
    }

    @Test
    void careTeamsScopeWhatCliniciansReach() throws Exception {
        WardlineApi.Account nurse = member("nurse.ward", "nurse", "2099-01-01", ward);
        assertThat(access(nurse, ward)).isEqualTo("membership");
        assertThat(access(nurse, icu)).isEqualTo("auth.forbidden");
        assertThat(EVENTS.of(AccountEvent.Type.ACCESS_DENIED)).extracting(AccountEvent::detail).containsExactly("outside_team");
        assertThat(api.get("/v1/teams/not-a-uuid/access", nurse.accessToken).error()).isEqualTo("request.invalid");
    }

    @Test
    void expiredTrainingStopsPhiButSignInStillWorksAndSaysWhy() throws Exception {
        String yesterday = LocalDate.now().minusDays(1).toString();
        WardlineApi.Account c = member("dr.lapsed", "clinician", yesterday, ward);
        WardlineApi.Reply me = api.get("/v1/me", c.accessToken);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().getBoolean("trainingCurrent")).isFalse();
        assertThat(me.json().getString("noticeCode")).isEqualTo("auth.training_expired");
        assertThat(me.json().getJsonArray("permissions")).doesNotContain("message_read").contains("elevation_request");
        assertThat(access(c, ward)).isEqualTo("auth.training_expired");

        WardlineApi.Reply renewed = api.call("PUT", "/v1/admin/users/" + c.id + "/training", admin.accessToken,
                new JsonObject().put("expiresOn", LocalDate.now().plusYears(1).toString()));
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(EVENTS.of(AccountEvent.Type.TRAINING_RECORDED)).hasSize(1);
        assertThat(access(c, ward)).isEqualTo("membership");
    }

    @Test
    void sensitiveAdminChangesNeedARecentSecondFactor() throws Exception {
        WardlineApi.Account otherAdmin = adminTwo;
        ageSecondFactor(otherAdmin, 10);
        JsonObject create = new JsonObject().put("username", "step.up.target").put("password", WardlineApi.PASSWORD).put("roles", new JsonArray());
        WardlineApi.Reply refused = api.post("/v1/admin/users", otherAdmin.accessToken, create);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).isEqualTo("auth.step_up_required");
        assertThat(api.post("/v1/auth/step-up", otherAdmin.accessToken, new JsonObject().put("code", "000000")).error())
                .isEqualTo("auth.mfa_invalid");
        assertThat(api.post("/v1/auth/step-up", otherAdmin.accessToken, new JsonObject().put("code", otherAdmin.nextCode())).status())
                .isEqualTo(200);
        assertThat(api.post("/v1/admin/users", otherAdmin.accessToken, create).status()).isEqualTo(200);
        assertThat(EVENTS.of(AccountEvent.Type.STEP_UP)).extracting(AccountEvent::outcome)
                .containsExactly(AccountEvent.Outcome.FAILURE, AccountEvent.Outcome.SUCCESS);
    }

    @Test
    void breakGlassNeedsAReasonAndStepUpAlertsAtOnceAndLeavesAReviewItem() throws Exception {
        WardlineApi.Account c = member("dr.emergency", "clinician", "2099-01-01", ward);
        assertThat(access(c, icu)).isEqualTo("auth.forbidden");

        assertThat(api.post("/v1/break-glass", c.accessToken, new JsonObject().put("teamId", icu.toString()).put("reason", "urgent"))
                .error()).as("a reason of a few words is required").isEqualTo("request.invalid");
        ageSecondFactor(c, 10);
        JsonObject request = new JsonObject().put("teamId", icu.toString()).put("reason", "Patient transferred from ICU in arrest");
        assertThat(api.post("/v1/break-glass", c.accessToken, request).error()).isEqualTo("auth.step_up_required");
        api.post("/v1/auth/step-up", c.accessToken, new JsonObject().put("code", c.nextCode()));
        WardlineApi.Reply opened = api.post("/v1/break-glass", c.accessToken, request);
        assertThat(opened.status()).as(String.valueOf(opened.json())).isEqualTo(200);
        assertThat(ALERTS.of(AccountEvent.Type.BREAK_GLASS_STARTED)).hasSize(1);

        assertThat(access(c, icu)).isEqualTo("break_glass");
        assertThat(EVENTS.of(AccountEvent.Type.BREAK_GLASS_ACCESS)).hasSize(1).first()
                .satisfies(e -> assertThat(e.objectId()).isEqualTo(icu.toString()));

        JsonArray items = api.get("/v1/break-glass/reviews", officer.accessToken).json().getJsonArray("items");
        assertThat(items).hasSize(1);
        String id = items.getJsonObject(0).getString("id");
        assertThat(api.post("/v1/break-glass/" + id + "/review", c.accessToken, new JsonObject().put("note", "fine")).error())
                .as("a clinician cannot review their own").isEqualTo("auth.forbidden");
        assertThat(api.post("/v1/break-glass/" + id + "/review", officer.accessToken, new JsonObject().put("note", "Justified")).status())
                .isEqualTo(200);
        assertThat(api.get("/v1/break-glass/reviews", officer.accessToken).json().getJsonArray("items")).isEmpty();

        WARDLINE.server().database().pool().query("UPDATE break_glass SET expires_at = now() - interval '1 second'").execute()
                .toCompletionStage().toCompletableFuture().get();
        assertThat(access(c, icu)).as("time-limited").isEqualTo("auth.forbidden");
    }

    @Test
    void elevationNeedsAnotherPersonsApprovalAndExpires() throws Exception {
        WardlineApi.Account biller = member("billing.bob", "billing", "2099-01-01", ward);
        assertThat(access(biller, ward)).isEqualTo("auth.forbidden");
        WardlineApi.Reply req = api.post("/v1/elevations", biller.accessToken, new JsonObject().put("role", "care_coordinator")
                .put("minutes", 120).put("reason", "covering the discharge desk"));
        assertThat(req.status()).as(String.valueOf(req.json())).isEqualTo(200);
        String id = req.json().getString("id");
        assertThat(api.post("/v1/elevations/" + id + "/approve", biller.accessToken, null).error()).isEqualTo("auth.forbidden");
        assertThat(access(biller, ward)).as("not before approval").isEqualTo("auth.forbidden");

        assertThat(api.post("/v1/elevations/" + id + "/approve", admin.accessToken, null).status()).isEqualTo(200);
        assertThat(api.post("/v1/elevations/" + id + "/approve", admin.accessToken, null).error()).isEqualTo("resource.conflict");
        assertThat(access(biller, ward)).isEqualTo("membership");
        assertThat(EVENTS.of(AccountEvent.Type.ELEVATION_APPROVED)).extracting(AccountEvent::detail).contains("care_coordinator");

        WARDLINE.server().database().pool().query("UPDATE elevations SET expires_at = now() - interval '1 second'").execute()
                .toCompletionStage().toCompletableFuture().get();
        assertThat(access(biller, ward)).isEqualTo("auth.forbidden");
    }

    @Test
    void deviceRequestsNeedTheCertificateAndASessionBoundToThatDevice() throws Exception {
        WardlineApi.Account c = member("dr.mobile", "clinician", "2099-01-01", ward);
        UUID phone = UUID.randomUUID();
        WardlineApi device = WardlineApi.device(WARDLINE.server(), c.id, phone);
        String browserToken = c.accessToken;
        device.signIn(c); // same account, now on the device listener: c's tokens become the device session's
        WardlineApi.Account onDevice = c;
        WardlineApi.Reply me = device.get("/v1/me", onDevice.accessToken);
        assertThat(me.status()).as(String.valueOf(me.json())).isEqualTo(200);

        assertThat(device.get("/v1/me", browserToken).error()).as("a browser session on a device").isEqualTo("auth.token_invalid");
        assertThat(api.get("/v1/me", onDevice.accessToken).error()).as("a device session without its certificate")
                .isEqualTo("auth.token_invalid");
        WardlineApi otherDevice = WardlineApi.device(WARDLINE.server(), c.id, UUID.randomUUID());
        assertThat(otherDevice.get("/v1/me", onDevice.accessToken).error()).as("another device's certificate").isEqualTo("auth.token_invalid");
        WardlineApi stranger = WardlineApi.device(WARDLINE.server(), UUID.randomUUID(), UUID.randomUUID());
        assertThat(stranger.post("/v1/auth/login", null, new JsonObject().put("username", c.username).put("password", WardlineApi.PASSWORD))
                .error()).as("signing in on someone else's device").isEqualTo("auth.failed");
        assertThat(otherDevice.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", onDevice.refreshToken)).error())
                .as("a refresh token taken to another device").isEqualTo("auth.token_invalid");
    }

    @Test
    void enrolmentHandsTheNewDeviceASessionOnlyAfterARecentSecondFactor() throws Exception {
        WardlineApi.Account c = member("dr.enrol", "clinician", "2099-01-01", ward);
        var server = WARDLINE.server();
        var user = server.accessControl().users().byId(c.id).toCompletionStage().toCompletableFuture().get().orElseThrow();
        java.time.Instant now = java.time.Instant.now();
        UUID tablet = UUID.randomUUID();
        var fresh = new Principal(user, new org.wardline.server.auth.Session(UUID.randomUUID(), c.id, null, now, now, "t"),
                java.util.Set.of(), java.util.Set.of(ward), java.util.Set.of(), LocalDate.now());
        var tokens = server.accessControl().signIn().openDeviceSession(fresh, tablet, java.time.Duration.ofMinutes(5), "127.0.0.1", "req-enrol")
                .toCompletionStage().toCompletableFuture().get();
        WardlineApi device = WardlineApi.device(server, c.id, tablet);
        assertThat(device.get("/v1/teams/" + ward + "/access", tokens.accessToken().reveal()).status()).isEqualTo(200);
        assertThat(api.get("/v1/me", tokens.accessToken().reveal()).status()).as("not on the public listener").isEqualTo(401);

        var stale = new Principal(user, new org.wardline.server.auth.Session(UUID.randomUUID(), c.id, null, now,
                now.minus(java.time.Duration.ofMinutes(30)), "t"), java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), LocalDate.now());
        var refused = server.accessControl().signIn().openDeviceSession(stale, tablet, java.time.Duration.ofMinutes(5), "127.0.0.1", "r");
        Throwable failure = refused.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get();
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        assertThat(cause).isInstanceOf(org.wardline.server.account.AccountException.class);
        assertThat(((org.wardline.server.account.AccountException) cause).code()).isEqualTo(org.wardline.protocol.ErrorCode.STEP_UP_REQUIRED);
    }
}
