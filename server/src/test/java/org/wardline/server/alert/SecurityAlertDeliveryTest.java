package org.wardline.server.alert;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.protocol.Secret;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.auth.WardlineApi.Account;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.storage.audit.AuditEntry;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security alerts from the audit trail to the security officer, through real SMTP (GreenMail) and a real
 * HTTPS webhook receiver: one alert per burst, break-glass at once, retries with back-off, a failure audited,
 * and no names or typed text in what leaves the server. The periodic read of the trail is set to ten minutes,
 * so anything that arrives without {@code pollNow()} came through the at-once path.
 */
class SecurityAlertDeliveryTest {
    static final int SMTP_PORT = freePort();
    static final String SECRET = "a-webhook-secret-of-at-least-32-characters";
    static final WebhookReceiver RECEIVER = receiver();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.ofEntries(
            Map.entry("WARDLINE_MAIL_CONSOLE", "false"), Map.entry("WARDLINE_MAIL_SMTP_HOST", "127.0.0.1"),
            Map.entry("WARDLINE_MAIL_SMTP_PORT", Integer.toString(SMTP_PORT)), Map.entry("WARDLINE_MAIL_SMTP_SECURITY", "none"),
            Map.entry("WARDLINE_ALERTS_POLL_MILLIS", "600000"),
            Map.entry("WARDLINE_ALERTS_FAILED_SIGN_INS_THRESHOLD", "3"),
            Map.entry("WARDLINE_ALERTS_EMAIL_RECIPIENTS", "soc@example.org"),
            Map.entry("WARDLINE_ALERTS_WEBHOOK_URL", RECEIVER.url()),
            Map.entry("WARDLINE_ALERTS_WEBHOOK_SECRET", SECRET),
            Map.entry("WARDLINE_ALERTS_WEBHOOK_TRUST_CERTIFICATE", RECEIVER.certificatePath()),
            Map.entry("WARDLINE_ALERTS_WEBHOOK_MAX_ATTEMPTS", "3"),
            Map.entry("WARDLINE_ALERTS_WEBHOOK_FIRST_RETRY_MILLIS", "100")));

    private static WardlineApi api;
    private static Account admin;
    private static Account officer;
    private static UUID icu;

    @BeforeAll
    static void accounts() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("alerts.admin");
        JsonObject created = api.post("/v1/admin/users", admin.accessToken, new JsonObject().put("username", "officer.okafor")
                .put("displayName", "Grace Okafor").put("email", "officer@example.org").put("password", WardlineApi.PASSWORD)
                .put("roles", new JsonArray().add("security_officer"))).json();
        officer = new Account();
        officer.username = "officer.okafor";
        officer.id = UUID.fromString(created.getString("id"));
        api.signIn(officer);
        icu = UUID.fromString(api.post("/v1/admin/teams", admin.accessToken, new JsonObject().put("name", "ICU")).json().getString("id"));
    }

    @AfterAll
    static void stopReceiver() throws Exception {
        RECEIVER.close();
    }

    @BeforeEach
    void clear() throws Exception {
        WARDLINE.server().alerting().pollNow();
        drainAll();
        MAIL.purgeEmailFromAllMailboxes();
        RECEIVER.clear();
    }

    @Test
    void aBurstOfFailedSignInsGivesExactlyOneAlertByMailAndByWebhook() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/v1/auth/login", null, new JsonObject().put("username", officer.username)
                    .put("password", "not the password at all")).error()).isEqualTo("auth.failed");
        }
        // The answer goes out before its audit entry commits: read the trail once all three are in it.
        Instant deadline = Instant.now().plusSeconds(20);
        while (entries().stream().filter(e -> e.action().equals("auth.signin.failed") && officer.id.equals(e.actorUserId())).count() < 3
                && Instant.now().isBefore(deadline)) {
            WARDLINE.server().vertx().timer(100).toCompletionStage().toCompletableFuture().get();
        }
        WARDLINE.server().alerting().pollNow();

        WebhookReceiver.Received hook = RECEIVER.next(20);
        assertThat(hook).as("webhook delivery").isNotNull();
        assertSigned(hook);
        JsonObject alert = hook.json();
        assertThat(alert.getString("rule")).isEqualTo("failed_signin_burst");
        assertThat(alert.getString("severity")).isEqualTo("HIGH");
        assertThat(alert.getLong("count")).isEqualTo(3);
        assertThat(alert.getString("actorUserId")).isEqualTo(officer.id.toString());
        assertThat(alert.getString("sourceIp")).isEqualTo("127.0.0.1");
        assertThat(failedSignInEntry(alert.getLong("auditEntrySeq"))).isTrue();

        // One SMTP message to two recipients: GreenMail counts it once, and keeps a copy in each mailbox.
        assertThat(MAIL.waitForIncomingEmail(60_000, 1)).isTrue();
        MimeMessage[] mails = MAIL.getReceivedMessages();
        assertThat(mails).as("one message, one copy per recipient mailbox").hasSize(2);
        assertThat(recipients(mails[0])).containsExactlyInAnyOrder("officer@example.org", "soc@example.org");
        assertThat(mails[0].getSubject()).isEqualTo("[Wardline] HIGH security alert: failed_signin_burst");
        assertThat(GreenMailUtil.getBody(mails[0])).contains("auditEntrySeq: " + alert.getLong("auditEntrySeq"));
        assertNoNames(GreenMailUtil.getWholeMessage(mails[0]));
        assertNoNames(hook.body());

        // This node holds the feed's advisory lock: a second node could not read the trail too.
        io.vertx.sqlclient.SqlConnection other = WARDLINE.server().database().pool().getConnection()
                .toCompletionStage().toCompletableFuture().get();
        try {
            assertThat(other.query("SELECT pg_try_advisory_lock(" + SecurityAlerting.LOCK_KEY + ") AS held").execute()
                    .toCompletionStage().toCompletableFuture().get().iterator().next().getBoolean("held")).isFalse();
        } finally {
            other.close();
        }

        // Exactly one: a further read of the trail finds nothing new to say.
        WARDLINE.server().alerting().pollNow();
        assertThat(RECEIVER.next(2)).isNull();
        assertThat(MAIL.getReceivedMessages()).hasSize(2);
    }

    @Test
    void breakGlassAlertsAtOnceWithoutTheReasonOrAnyName() throws Exception {
        Account doctor = breakGlassUser("dr.break.once");
        String reason = "Patient Jane Roe arrested in bay 4, chart needed now";
        Instant before = Instant.now();
        assertThat(api.post("/v1/break-glass", doctor.accessToken, new JsonObject().put("teamId", icu.toString())
                .put("reason", reason)).status()).isEqualTo(200);

        WebhookReceiver.Received hook = RECEIVER.next(20);
        assertThat(hook).as("break-glass reached the webhook without waiting for the 10-minute read").isNotNull();
        assertSigned(hook);
        JsonObject alert = hook.json();
        assertThat(alert.getString("rule")).isEqualTo("break_glass");
        assertThat(alert.getString("severity")).isEqualTo("CRITICAL");
        assertThat(alert.getString("actorUserId")).isEqualTo(doctor.id.toString());
        assertThat(alert.getString("objectType")).isEqualTo("team");
        assertThat(alert.getString("objectId")).isEqualTo(icu.toString());
        assertThat(Instant.parse(alert.getString("occurredAt"))).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(hook.body()).doesNotContain("Jane", "Roe", "bay 4", reason, doctor.username, "ICU");

        assertThat(MAIL.waitForIncomingEmail(60_000, 1)).isTrue();
        assertThat(MAIL.getReceivedMessages()).hasSize(2);
        for (MimeMessage m : MAIL.getReceivedMessages()) {
            String whole = GreenMailUtil.getWholeMessage(m);
            assertThat(m.getSubject()).isEqualTo("[Wardline] CRITICAL security alert: break_glass");
            assertThat(whole).doesNotContain("Jane", "Roe", "bay 4", doctor.username, "ICU");
            assertNoNames(whole);
        }
        assertThat(RECEIVER.next(1)).as("one alert, one delivery").isNull();
    }

    @Test
    void aWebhookThatFailsTwiceGetsTheAlertOnTheThirdTry() throws Exception {
        RECEIVER.failNext(2);
        Account doctor = breakGlassUser("dr.break.retry");
        assertThat(api.post("/v1/break-glass", doctor.accessToken, new JsonObject().put("teamId", icu.toString())
                .put("reason", "Emergency admission, on-call needs the record")).status()).isEqualTo(200);

        List<WebhookReceiver.Received> tries = List.of(RECEIVER.next(20), RECEIVER.next(20), RECEIVER.next(20));
        assertThat(tries).doesNotContainNull();
        assertThat(tries).extracting(WebhookReceiver.Received::answeredWith).containsExactly(503, 503, 204);
        assertThat(tries).extracting(WebhookReceiver.Received::alertId).containsOnly(tries.get(0).alertId());
        tries.forEach(SecurityAlertDeliveryTest::assertSigned);
        assertThat(RECEIVER.next(1)).isNull();
    }

    @Test
    void aDeliveryThatFailsEveryAttemptIsAuditedNotLost() throws Exception {
        RECEIVER.failNext(100);
        Account doctor = breakGlassUser("dr.break.fail");
        assertThat(api.post("/v1/break-glass", doctor.accessToken, new JsonObject().put("teamId", icu.toString())
                .put("reason", "Emergency admission, on-call needs the record")).status()).isEqualTo(200);
        List<WebhookReceiver.Received> tries = List.of(RECEIVER.next(20), RECEIVER.next(20), RECEIVER.next(20));
        assertThat(tries).doesNotContainNull().extracting(WebhookReceiver.Received::answeredWith).containsOnly(503);
        String alertId = tries.get(0).alertId();

        // The audit write follows the last refused attempt; re-read the trail until it shows (bounded).
        AuditEntry failure = null;
        Instant deadline = Instant.now().plusSeconds(20);
        while (failure == null && Instant.now().isBefore(deadline)) {
            failure = entries().stream().filter(e -> e.action().equals("alert.delivery_failed") && alertId.equals(e.objectId()))
                    .findFirst().orElse(null);
            if (failure == null) {
                WARDLINE.server().vertx().timer(100).toCompletionStage().toCompletableFuture().get();
            }
        }
        assertThat(failure).as("the failed delivery is in the audit trail").isNotNull();
        assertThat(failure.outcome()).isEqualTo("failure");
        assertThat(failure.details()).contains("\"channel\":\"webhook\"", "\"rule\":\"break_glass\"");
    }

    // --- helpers ---

    private static Account breakGlassUser(String name) throws Exception {
        return api.createAndSignIn(admin, name, new JsonArray().add("clinician"), "2099-01-01");
    }

    private static void assertSigned(WebhookReceiver.Received r) {
        long timestamp = Long.parseLong(r.timestamp());
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).as("timestamp is current").isLessThan(120);
        assertThat(WebhookSignature.verify(Secret.of(SECRET), timestamp, r.body(), r.signature())).as("HMAC signature").isTrue();
        assertThat(WebhookSignature.verify(Secret.of("another-secret-of-at-least-32-characters!"), timestamp, r.body(), r.signature()))
                .isFalse();
        assertThat(WebhookSignature.verify(Secret.of(SECRET), timestamp + 1, r.body(), r.signature())).isFalse();
    }

    private static void assertNoNames(String text) {
        assertThat(text).doesNotContain("officer.okafor", "Grace", "Okafor", "alerts.admin");
    }

    private static List<String> recipients(MimeMessage m) {
        try {
            return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean failedSignInEntry(long seq) throws Exception {
        return WARDLINE.server().audit().readAfter(seq - 1, 1).toCompletionStage().toCompletableFuture().get()
                .getFirst().action().equals("auth.signin.failed");
    }

    private static List<AuditEntry> entries() throws Exception {
        return WARDLINE.server().audit().readAfter(0, 10_000).toCompletionStage().toCompletableFuture().get();
    }

    private static void drainAll() throws InterruptedException {
        while (RECEIVER.next(1) != null) {
            // earlier tests' deliveries
        }
    }

    private static WebhookReceiver receiver() {
        try {
            return new WebhookReceiver();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
