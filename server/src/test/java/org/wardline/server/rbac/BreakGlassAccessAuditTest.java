package org.wardline.server.rbac;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.audit.AuditQueueFull;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A team-scoped request allowed only by an open break-glass goes on once its {@code account.break_glass_access} entry
 * is in the trail: an unwritable trail refuses it before its handler reads anything, and a request refused for
 * another reason (no fresh second factor) leaves no access entry claiming it was let through.
 */
class BreakGlassAccessAuditTest {
    /** A team-scoped route that asks for step-up, declared like any module's; its handler counts what it served. */
    private static final String RECORDS = "/v1/test/teams/:teamId/records";

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static final AtomicInteger SERVED = new AtomicInteger();
    private static WardlineApi api;
    private static WardlineApi.Account admin;
    private static UUID ward;
    private static UUID icu;

    @BeforeAll
    static void setUp() throws Exception {
        WARDLINE.server().routes().on(RouteRegistry.Listener.PUBLIC, HttpMethod.GET, RECORDS).permission(Permission.MESSAGE_READ)
                .team("teamId").stepUp().handler(ctx -> {
                    SERVED.incrementAndGet();
                    ctx.json(new JsonObject().put("records", new JsonArray()));
                });
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("glass.admin");
        ward = team("Ward 5");
        icu = team("ICU 2");
    }

    @Test
    void anAccessThroughBreakGlassWhoseEntryCannotBeWrittenIsRefusedAndReadsNothing() throws Exception {
        WardlineApi.Account doctor = clinicianWithBreakGlassOnIcu("dr.glass.trail");
        api.stepUp(doctor);
        int served = SERVED.get();

        WardlineApi.Reply access;
        WardlineApi.Reply records;
        try (AuditQueueFull full = AuditQueueFull.of(WARDLINE.server())) {
            access = api.get("/v1/teams/" + icu + "/access", doctor.accessToken);
            records = api.get(path(icu), doctor.accessToken);
        }
        assertThat(access.status()).as(String.valueOf(access.json())).isEqualTo(503);
        assertThat(access.error()).isEqualTo("audit.unavailable");
        assertThat(access.json().containsKey("via")).as("nothing answered").isFalse();
        assertThat(records.status()).as(String.valueOf(records.json())).isEqualTo(503);
        assertThat(records.error()).isEqualTo("audit.unavailable");
        assertThat(SERVED.get()).as("the handler never ran").isEqualTo(served);
        assertThat(breakGlassAccesses(doctor)).isZero();
        assertThat(metrics()).as("counted as unwritten")
                .containsPattern("wardline_audit_unwritten_total\\{action=\"account.break_glass_access\",?\\} [1-9]");

        WardlineApi.Reply allowed = api.get("/v1/teams/" + icu + "/access", doctor.accessToken);
        assertThat(allowed.status()).as(String.valueOf(allowed.json())).isEqualTo(200);
        assertThat(allowed.json().getString("via")).isEqualTo("break_glass");
        assertThat(breakGlassAccesses(doctor)).as("written before the answer").isEqualTo(1);
    }

    @Test
    void aRequestRefusedForStepUpLeavesNoBreakGlassAccessEntry() throws Exception {
        WardlineApi.Account doctor = clinicianWithBreakGlassOnIcu("dr.glass.stepup");
        ageSecondFactor(doctor);
        int served = SERVED.get();

        WardlineApi.Reply refused = api.get(path(icu), doctor.accessToken);
        assertThat(refused.status()).as(String.valueOf(refused.json())).isEqualTo(403);
        assertThat(refused.error()).isEqualTo("auth.step_up_required");
        assertThat(SERVED.get()).isEqualTo(served);
        waitForDenial(doctor);
        assertThat(breakGlassAccesses(doctor)).as("a refused request was not let through break-glass").isZero();

        api.stepUp(doctor);
        WardlineApi.Reply allowed = api.get(path(icu), doctor.accessToken);
        assertThat(allowed.status()).as(String.valueOf(allowed.json())).isEqualTo(200);
        assertThat(SERVED.get()).isEqualTo(served + 1);
        assertThat(breakGlassAccesses(doctor)).isEqualTo(1);
    }

    private static WardlineApi.Account clinicianWithBreakGlassOnIcu(String name) throws Exception {
        WardlineApi.Account c = api.createAndSignIn(admin, name, new JsonArray().add("clinician"), "2099-01-01");
        assertThat(api.call("PUT", "/v1/admin/teams/" + ward + "/members/" + c.id, admin.accessToken, null).status()).isEqualTo(200);
        api.stepUp(c);
        WardlineApi.Reply opened = api.post("/v1/break-glass", c.accessToken, new JsonObject().put("teamId", icu.toString())
                .put("reason", "Patient transferred from ICU in arrest"));
        assertThat(opened.status()).as(String.valueOf(opened.json())).isEqualTo(200);
        return c;
    }

    private static String path(UUID team) {
        return RECORDS.replace(":teamId", team.toString());
    }

    private static UUID team(String name) throws Exception {
        WardlineApi.Reply r = api.post("/v1/admin/teams", admin.accessToken, new JsonObject().put("name", name));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        return UUID.fromString(r.json().getString("id"));
    }

    private static void ageSecondFactor(WardlineApi.Account a) throws Exception {
        WARDLINE.server().database().pool().preparedQuery("UPDATE sessions SET mfa_at = now() - interval '1 day' WHERE user_id = $1")
                .execute(Tuple.of(a.id)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static long breakGlassAccesses(WardlineApi.Account a) throws Exception {
        return count("SELECT count(*) FROM audit_entries WHERE action = 'account.break_glass_access' AND actor_user_id = $1", a.id);
    }

    /** The refusal's own entry is written without holding up the answer; once it is in, anything written before it is too. */
    private static void waitForDenial(WardlineApi.Account a) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (count("SELECT count(*) FROM audit_entries WHERE action = 'account.access_denied' AND actor_user_id = $1", a.id) == 0) {
            assertThat(System.nanoTime()).as("the step-up refusal reached the trail").isLessThan(deadline);
            Thread.sleep(50); // the refusal's entry follows its answer (ADR 0018s)
        }
    }

    private static String metrics() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + WARDLINE.server().opsPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long count(String sql, Object param) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.of(param)).toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS).iterator().next().getLong(0);
    }
}
