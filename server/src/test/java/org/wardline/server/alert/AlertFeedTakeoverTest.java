package org.wardline.server.alert;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.WardlineServer;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert feed handed from one node to another: entries written while no node held the feed's lock still raise
 * their alert when another node takes it, because the position read to is stored, not kept in memory. The second
 * node is a second {@link SecurityAlerting} on the same database, as a second cluster node would build it.
 */
class AlertFeedTakeoverTest {
    static final String SECRET = "a-webhook-secret-of-at-least-32-characters";
    static final WebhookReceiver RECEIVER = newReceiver();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.ofEntries(
            Map.entry("WARDLINE_ALERTS_POLL_MILLIS", "600000"),
            Map.entry("WARDLINE_ALERTS_FAILED_SIGN_INS_THRESHOLD", "3"),
            Map.entry("WARDLINE_ALERTS_WEBHOOK_URL", RECEIVER.url()),
            Map.entry("WARDLINE_ALERTS_WEBHOOK_SECRET", SECRET),
            Map.entry("WARDLINE_ALERTS_WEBHOOK_TRUST_CERTIFICATE", RECEIVER.certificatePath())));

    @AfterAll
    static void stopReceiver() throws Exception {
        RECEIVER.close();
    }

    @Test
    void entriesWrittenWhileNoNodeHeldTheFeedAlertWhenAnotherNodeTakesItOver() throws Exception {
        WardlineServer server = WARDLINE.server();
        WardlineApi api = new WardlineApi(server);
        WardlineApi.Account admin = api.bootstrapAdmin("takeover.admin");
        UUID officer = UUID.fromString(api.post("/v1/admin/users", admin.accessToken, new JsonObject()
                .put("username", "officer.takeover").put("displayName", "Officer").put("email", "officer@example.org")
                .put("password", WardlineApi.PASSWORD).put("roles", new JsonArray().add("security_officer"))).json().getString("id"));

        // Audit writes follow their responses: read again until the trail stops growing.
        awaitTrue(() -> {
            server.alerting().pollNow();
            return server.alerting().position() == lastSeq(server) && storedPosition(server) == lastSeq(server);
        }, "the first node reads the trail to its end and stores how far it read");

        server.alerting().stop();
        awaitTrue(() -> server.alerting().position() == -1, "the first node lets the feed go");
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/v1/auth/login", null, new JsonObject().put("username", "officer.takeover")
                    .put("password", "not the password at all")).error()).isEqualTo("auth.failed");
        }
        awaitTrue(() -> failedSignIns(server, officer) == 3, "three failed sign-ins in the trail");
        assertThat(RECEIVER.next(1)).as("nobody reads the trail yet").isNull();

        SecurityAlerting second = SecurityAlerting.create(server.vertx(), server.config(), server.audit(),
                server.database().pool(), server.accessControl().users(), Clock.systemUTC());
        try {
            second.pollNow();
            WebhookReceiver.Received hook = RECEIVER.next(20);
            assertThat(hook).as("the burst raised its alert on the node that took over").isNotNull();
            assertThat(hook.json().getString("rule")).isEqualTo("failed_signin_burst");
            assertThat(hook.json().getString("actorUserId")).isEqualTo(officer.toString());
            awaitTrue(() -> {
                second.pollNow();
                return storedPosition(server) == lastSeq(server);
            }, "the new holder stores how far it read");
            assertThat(RECEIVER.next(1)).as("exactly one alert for the burst").isNull();
        } finally {
            second.stop();
        }
    }

    private static long lastSeq(WardlineServer server) {
        return await(server.database().pool().query("SELECT coalesce(max(seq), 0) AS s FROM audit_entries").execute()
                .map(r -> r.iterator().next().getLong("s")));
    }

    private static long storedPosition(WardlineServer server) {
        return await(server.database().pool().query("SELECT last_seq FROM alert_feed_position").execute()
                .map(r -> r.iterator().next().getLong("last_seq")));
    }

    private static long failedSignIns(WardlineServer server, UUID user) {
        return await(server.audit().readAfter(0, 10_000)).stream()
                .filter(e -> e.action().equals("auth.signin.failed") && user.equals(e.actorUserId())).count();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static WebhookReceiver newReceiver() {
        try {
            return new WebhookReceiver();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
