package org.wardline.server.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.Secret;
import org.wardline.server.admin.AdminModule;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sign-in, step-up, elevation, break-glass and its review, password change, MFA reset, alert acknowledgement, remote
 * wipe and retention with an audit trail that cannot take an entry: each is refused with {@code audit.unavailable}
 * and leaves nothing behind (no session, no second factor shown, no request, no review closed, no password or factor
 * changed, no alert acknowledged, no wipe, nothing deleted).
 */
class AccessAuditFailClosedTest {
    private static final String TRAINED = "2099-01-01";

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;
    private static WardlineApi adminDevice;
    private static WardlineApi.Account nurse;
    private static WardlineApi.Account officer;
    private static WardlineApi.Account passwordClerk;
    private static WardlineApi.Account mfaClerk;
    private static WardlineApi officerDevice;

    @BeforeAll
    static void accounts() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin.failclosed");
        nurse = api.createAndSignIn(admin, "nurse.failclosed", new JsonArray().add("nurse"), TRAINED);
        officer = api.createAndSignIn(admin, "officer.failclosed", new JsonArray().add("security_officer"), TRAINED);
        passwordClerk = api.createAndSignIn(admin, "clerk.password.failclosed", new JsonArray().add("nurse"), TRAINED);
        mfaClerk = api.createAndSignIn(admin, "clerk.mfa.failclosed", new JsonArray().add("nurse"), TRAINED);
        adminDevice = deviceOf(admin);
        officerDevice = deviceOf(officer);
    }

    private static WardlineApi deviceOf(WardlineApi.Account account) throws Exception {
        Path dir = Files.createTempDirectory("wardline-device");
        Path file = dir.resolve("device.p12");
        EnrolledDevices.enrollOnly(WARDLINE.server(), account.id).save(file, Secret.of("x"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, "x".toCharArray());
        }
        WardlineApi device = WardlineApi.device(WARDLINE.server(), ks);
        device.signIn(account);
        return device;
    }

    @Test
    void anElevationRequestWhoseEntryCannotBeWrittenLeavesNoRequestToApprove() throws Exception {
        long before = count("SELECT count(*) FROM elevations WHERE user_id = $1", nurse.id);
        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = api.post("/v1/elevations", nurse.accessToken, new JsonObject().put("role", "security_officer")
                    .put("minutes", 30).put("reason", "covering the night shift"));
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(count("SELECT count(*) FROM elevations WHERE user_id = $1", nurse.id)).as("no request kept").isEqualTo(before);
    }

    @Test
    void aBreakGlassReviewWhoseEntryCannotBeWrittenStaysOpen() throws Exception {
        adminDevice.stepUp(admin);
        WardlineApi.Reply team = adminDevice.post("/v1/admin/teams", admin.accessToken, new JsonObject().put("name", "Ward 14"));
        assertThat(team.status()).as(String.valueOf(team.json())).isEqualTo(200);
        api.stepUp(nurse);
        WardlineApi.Reply opened = api.post("/v1/break-glass", nurse.accessToken, new JsonObject().put("teamId", team.json().getString("id"))
                .put("reason", "patient deteriorating, covering clinician unreachable"));
        assertThat(opened.status()).as(String.valueOf(opened.json())).isEqualTo(200);
        UUID id = UUID.fromString(opened.json().getString("id"));
        JsonObject note = new JsonObject().put("note", "confirmed with the ward manager");

        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = officerDevice.post("/v1/break-glass/" + id + "/review", officer.accessToken, note);
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(count("SELECT count(*) FROM break_glass WHERE id = $1 AND reviewed_at IS NULL AND reviewed_by IS NULL "
                + "AND review_note IS NULL", id)).as("the review item stays open").isEqualTo(1);

        WardlineApi.Reply reviewed = officerDevice.post("/v1/break-glass/" + id + "/review", officer.accessToken, note);
        assertThat(reviewed.status()).as(String.valueOf(reviewed.json())).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'account.break_glass_reviewed' AND object_id = $1",
                id.toString())).isEqualTo(1);
    }

    @Test
    void aPasswordChangeWhoseEntryCannotBeWrittenKeepsTheOldPasswordAndSessions() throws Exception {
        WardlineApi.Account clerk = passwordClerk;
        api.signIn(clerk);
        String hash = "SELECT password_hash FROM users WHERE id = $1";
        String hashBefore = text(hash, clerk.id);
        String open = "SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL";
        long openBefore = count(open, clerk.id);
        assertThat(openBefore).isGreaterThan(1);

        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = api.post("/v1/me/password", clerk.accessToken, new JsonObject().put("currentPassword", WardlineApi.PASSWORD)
                    .put("newPassword", "violet kettle harbour lantern 42"));
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(text(hash, clerk.id)).as("the password is unchanged").isEqualTo(hashBefore);
        assertThat(count(open, clerk.id)).as("no session ended").isEqualTo(openBefore);
        api.signIn(clerk);
    }

    @Test
    void anMfaResetWhoseEntryCannotBeWrittenKeepsTheSecondFactor() throws Exception {
        WardlineApi.Account clerk = mfaClerk;
        String factor = "SELECT count(*) FROM totp_credentials WHERE user_id = $1";
        assertThat(count(factor, clerk.id)).isEqualTo(1);
        String open = "SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL";
        long openBefore = count(open, clerk.id);
        adminDevice.stepUp(admin);

        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = adminDevice.post("/v1/admin/users/" + clerk.id + "/mfa-reset", admin.accessToken, null);
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(count(factor, clerk.id)).as("the second factor is kept").isEqualTo(1);
        assertThat(count(open, clerk.id)).as("no session ended").isEqualTo(openBefore);

        WardlineApi.Reply reset = adminDevice.post("/v1/admin/users/" + clerk.id + "/mfa-reset", admin.accessToken, null);
        assertThat(reset.status()).as(String.valueOf(reset.json())).isEqualTo(200);
        assertThat(count(factor, clerk.id)).isZero();
    }

    @Test
    void aRecoveryCodeRegenerationWhoseEntryCannotBeWrittenKeepsTheOldCodes() throws Exception {
        String codes = "SELECT coalesce(string_agg(encode(code_sha256, 'hex'), ',' ORDER BY code_sha256), '') FROM recovery_codes WHERE user_id = $1";
        String before = text(codes, nurse.id);
        assertThat(before).isNotEmpty();
        api.stepUp(nurse);

        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = api.post("/v1/auth/recovery-codes", nurse.accessToken, null);
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(refused.json().containsKey("recoveryCodes")).isFalse();
        assertThat(text(codes, nurse.id)).as("the old recovery codes are kept").isEqualTo(before);

        WardlineApi.Reply regenerated = api.post("/v1/auth/recovery-codes", nurse.accessToken, null);
        assertThat(regenerated.status()).as(String.valueOf(regenerated.json())).isEqualTo(200);
        assertThat(text(codes, nurse.id)).isNotEqualTo(before);
    }

    @Test
    void anAlertAcknowledgementWhoseEntryCannotBeWrittenLeavesTheAlertOpen() throws Exception {
        UUID alert = UUID.randomUUID();
        WARDLINE.server().database().pool().preparedQuery("INSERT INTO security_alerts (id, rule, severity, occurred_at, audit_seq, "
                        + "alert_count, object_type, object_id, summary) VALUES ($1, 'failed_signin_burst', 'WARNING', now(), 1, 1, "
                        + "'user', $2, 'repeated failed sign-ins')")
                .execute(Tuple.of(alert, nurse.id.toString())).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        officerDevice.stepUp(officer);

        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = officerDevice.post("/v1/admin/alerts/" + alert + "/ack", officer.accessToken, null);
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        String open = "SELECT count(*) FROM security_alerts WHERE id = $1 AND acknowledged_at IS NULL AND acknowledged_by IS NULL";
        assertThat(count(open, alert)).as("the alert stays open").isEqualTo(1);

        WardlineApi.Reply acknowledged = officerDevice.post("/v1/admin/alerts/" + alert + "/ack", officer.accessToken, null);
        assertThat(acknowledged.status()).as(String.valueOf(acknowledged.json())).isEqualTo(200);
        assertThat(count(open, alert)).isZero();
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'alert.acknowledged' AND object_id = $1", alert.toString()))
                .isEqualTo(1);
    }

    @Test
    void aSignInWhoseEntryCannotBeWrittenIsRefusedAndOpensNoSession() throws Exception {
        WardlineApi.Reply password = api.post("/v1/auth/login", null, new JsonObject().put("username", nurse.username)
                .put("password", WardlineApi.PASSWORD));
        assertThat(password.status()).as(String.valueOf(password.json())).isEqualTo(200);
        assertThat(password.json().getString("status")).isEqualTo("mfa_required");
        long sessionsBefore = count("SELECT count(*) FROM sessions WHERE user_id = $1", nurse.id);
        long entriesBefore = count("SELECT count(*) FROM audit_entries WHERE action = 'auth.signin.succeeded' AND actor_user_id = $1", nurse.id);

        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = api.post("/v1/auth/mfa", null, new JsonObject().put("pendingToken", password.json().getString("pendingToken"))
                    .put("code", nurse.nextCode()));
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(refused.json().containsKey("accessToken")).isFalse();
        assertThat(count("SELECT count(*) FROM sessions WHERE user_id = $1", nurse.id)).as("no session opened").isEqualTo(sessionsBefore);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'auth.signin.succeeded' AND actor_user_id = $1", nurse.id))
                .isEqualTo(entriesBefore);

        api.signIn(nurse);
        assertThat(count("SELECT count(*) FROM sessions WHERE user_id = $1", nurse.id)).as("signs in once the trail takes entries")
                .isEqualTo(sessionsBefore + 1);
    }

    @Test
    void aStepUpWhoseEntryCannotBeWrittenDoesNotMarkTheSession() throws Exception {
        String lastShown = "SELECT coalesce(max(mfa_at)::text, '') FROM sessions WHERE user_id = $1";
        String before = text(lastShown, nurse.id);
        WardlineApi.Reply refused;
        String code = nurse.nextCode();
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = api.post("/v1/auth/step-up", nurse.accessToken, new JsonObject().put("code", code));
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(text(lastShown, nurse.id)).as("no session marked as having shown a second factor").isEqualTo(before);
    }

    @Test
    void anElevationApprovalWhoseEntryCannotBeWrittenGrantsNothing() throws Exception {
        WardlineApi.Reply asked = api.post("/v1/elevations", nurse.accessToken, new JsonObject().put("role", "security_officer")
                .put("minutes", 30).put("reason", "covering the night shift"));
        assertThat(asked.status()).as(String.valueOf(asked.json())).isEqualTo(200);
        String id = asked.json().getString("id");
        adminDevice.stepUp(admin);
        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = adminDevice.post("/v1/elevations/" + id + "/approve", admin.accessToken, null);
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(count("SELECT count(*) FROM elevations WHERE id = $1 AND approved_at IS NOT NULL AND expires_at > now()",
                UUID.fromString(id))).as("no elevation in force").isZero();
    }

    @Test
    void aBreakGlassWhoseEntryCannotBeWrittenOpensNoAccess() throws Exception {
        adminDevice.stepUp(admin);
        WardlineApi.Reply team = adminDevice.post("/v1/admin/teams", admin.accessToken, new JsonObject().put("name", "Ward 12"));
        assertThat(team.status()).as(String.valueOf(team.json())).isEqualTo(200);
        api.stepUp(nurse);
        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = api.post("/v1/break-glass", nurse.accessToken, new JsonObject().put("teamId", team.json().getString("id"))
                    .put("reason", "patient deteriorating, covering clinician unreachable"));
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(count("SELECT count(*) FROM break_glass WHERE user_id = $1 AND expires_at > now()", nurse.id))
                .as("no break-glass access in force").isZero();
    }

    @Test
    void aWipeWhoseEntryCannotBeWrittenIsNotStarted() throws Exception {
        UUID device = EnrolledDevices.enroll(WARDLINE.server()).deviceId();
        WardlineApi.Reply refused;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            refused = adminDevice.post("/v1/admin/devices/" + device + "/wipe", admin.accessToken, null);
        }
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(count("SELECT count(*) FROM device_wipes WHERE device_id = $1", device)).as("no wipe recorded").isZero();
        assertThat(count("SELECT count(*) FROM devices WHERE id = $1 AND revoked_at IS NULL", device)).as("device not revoked").isEqualTo(1);

        WardlineApi.Reply again = adminDevice.post("/v1/admin/devices/" + device + "/wipe", admin.accessToken, null);
        assertThat(again.status()).as(String.valueOf(again.json())).isEqualTo(202);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'device.wipe.started' AND object_id = $1", device.toString()))
                .isEqualTo(1);
    }

    @Test
    void aRetentionRunWhoseEntryCannotBeWrittenDeletesNothing() throws Exception {
        SignedInDevice clinician = EnrolledDevices.enroll(WARDLINE.server());
        String file = upload(clinician, "Follow-up in six weeks.\n".repeat(20));
        sql("UPDATE stored_objects SET committed_at = now() - interval '400 days' WHERE object_id = '" + file + "'");
        sql("INSERT INTO retention_policies (kind, days, updated_by) VALUES ('files', 365, '" + admin.id + "') "
                + "ON CONFLICT (kind) WHERE team_id IS NULL DO UPDATE SET days = 365");
        var sweep = WARDLINE.server().module(AdminModule.class).sweep();

        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            assertThatThrownBy(() -> sweep.run(false, admin.id, null, "retention-test").toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WardlineHttpException.class).hasMessageContaining("audit.unavailable");
        }
        assertThat(count("SELECT count(*) FROM stored_objects WHERE object_id::text = $1 AND state = 'COMMITTED'", file))
                .as("the expired file is kept").isEqualTo(1);

        sweep.run(false, admin.id, null, "retention-test").toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(count("SELECT count(*) FROM stored_objects WHERE object_id::text = $1 AND state = 'COMMITTED'", file))
                .as("erased once the trail takes entries").isZero();
    }

    private static String upload(SignedInDevice device, String text) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(device.sslContext()).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = http.send(device.authorize(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + WARDLINE.server().devicePort() + "/v1/files"))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/plain")
                .header("X-Wardline-File-Name", Base64.getUrlEncoder().encodeToString("plan.txt".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new JsonObject(r.body()).getString("id");
    }

    private static void sql(String sql) throws Exception {
        WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String text(String sql, Object param) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.of(param)).toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS).iterator().next().getString(0);
    }

    private static long count(String sql, Object param) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.of(param)).toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS).iterator().next().getLong(0);
    }
}
