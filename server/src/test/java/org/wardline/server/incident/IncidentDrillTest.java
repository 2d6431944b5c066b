package org.wardline.server.incident;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.Role;
import org.wardline.server.dev.DevRuntime;
import org.wardline.server.http.WardlineHttpException;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, part 7 on a real dev server: a lost-device drill creates a marked drill account, opens a drill incident,
 * suspends the account from it and reports the times to contain; the drill never shows as a real incident, and a
 * drill against anything but a dev installation is refused before anything is created.
 */
class IncidentDrillTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    static OfficerClient officer;

    @BeforeAll
    static void officer() throws Exception {
        officer = new OfficerClient(WARDLINE.server(), EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(),
                Set.of(Role.SECURITY_OFFICER), LocalDate.now().plusYears(1)));
    }

    @Test
    void aLostDeviceDrillContainsAMarkedDrillAccountAndReportsTheTimesToContain() throws Exception {
        OfficerClient.Reply r = officer.post("/v1/admin/incidents/drills", new JsonObject().put("scenario", "lost-device"));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        JsonObject drill = r.json();
        JsonObject incident = drill.getJsonObject("incident");
        assertThat(incident.getBoolean("drill")).isTrue();
        assertThat(incident.getString("status")).isEqualTo("contained");
        assertThat(incident.getString("category")).isEqualTo("lost_device");
        String user = drill.getJsonObject("drillUser").getString("id");
        assertThat(drill.getJsonObject("drillUser").getString("username")).matches("drill-[0-9a-f]{8}");
        assertThat(incident.getString("subjectUserId")).isEqualTo(user);

        JsonObject times = drill.getJsonObject("times");
        assertThat(times.getLong("detectionToOpenedMs")).isBetween(0L, 30_000L);
        assertThat(times.getLong("openedToContainedMs")).isBetween(0L, 30_000L);
        assertThat(times.getLong("detectionToContainedMs"))
                .isCloseTo(times.getLong("detectionToOpenedMs") + times.getLong("openedToContainedMs"), org.assertj.core.data.Offset.offset(1L));

        assertThat(one("SELECT status FROM users WHERE id = $1", UUID.fromString(user))).isEqualTo("disabled");
        JsonObject shown = officer.get("/v1/admin/incidents/" + incident.getString("id")).json();
        assertThat(shown.getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("action")))
                .contains("incident.opened", "incident.status.changed");
        JsonArray containments = shown.getJsonArray("containments");
        assertThat(containments).hasSize(1);
        assertThat(containments.getJsonObject(0).getString("action")).isEqualTo("suspend_account");
        assertThat(containments.getJsonObject(0).getString("reason")).isEqualTo("drill");

        assertThat(ids(officer.get("/v1/admin/incidents").json())).as("a drill is never listed as a real incident")
                .doesNotContain(incident.getString("id"));
        assertThat(ids(officer.get("/v1/admin/incidents?drills=true").json())).contains(incident.getString("id"));
        assertThat(one("SELECT count(*)::text FROM audit_entries WHERE action = 'incident.drill.run' AND object_id = $1",
                incident.getString("id"))).isEqualTo("1");
    }

    @Test
    void aDrillIncidentAssessedAsABreachRaisesNoDeadlineReminder() throws Exception {
        String id = officer.post("/v1/admin/incidents/drills", new JsonObject().put("scenario", "lost-device")).json()
                .getJsonObject("incident").getString("id");
        OfficerClient.Reply assessed = officer.post("/v1/admin/incidents/" + id + "/assessment",
                IncidentResponseTest.assessment("breach", "medium", 3));
        assertThat(assessed.status()).as(String.valueOf(assessed.json())).isEqualTo(200);
        Instant deadline = Instant.parse(assessed.json().getJsonObject("assessment").getJsonObject("notification").getString("deadline"));
        NotificationClock reminders = new NotificationClock(WARDLINE.server().database().pool(), WARDLINE.server().audit(),
                new SettableClock(deadline.plusSeconds(60)));
        assertThat(reminders.check().toCompletionStage().toCompletableFuture().get()).noneMatch(r -> r.startsWith(id));
    }

    @Test
    void anUnknownScenarioIsRefusedAndCreatesNothing() throws Exception {
        long before = Long.parseLong(one("SELECT count(*)::text FROM users WHERE username LIKE 'drill-%'"));
        OfficerClient.Reply r = officer.post("/v1/admin/incidents/drills", new JsonObject().put("scenario", "alien-invasion"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("incident.invalid");
        assertThat(Long.parseLong(one("SELECT count(*)::text FROM users WHERE username LIKE 'drill-%'"))).isEqualTo(before);
    }

    @Test
    void aDrillOnAnInstallationThatIsNotDevIsRefusedBeforeAnythingIsCreated() {
        // Every collaborator is null: the refusal must come before any of them is touched.
        Future<JsonObject> f = new IncidentDrill(false, null, null, null, null)
                .run("lost-device", new IncidentStore.Actor(UUID.randomUUID(), UUID.randomUUID(), Instant.now()));
        assertThat(f.failed()).isTrue();
        assertThat(f.cause()).isInstanceOfSatisfying(WardlineHttpException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INCIDENT_DRILL_NOT_DEV));
        assertThat(ErrorCode.INCIDENT_DRILL_NOT_DEV.message()).contains("dev installation");
    }

    @Test
    void onlyTheDevServerOfThisProcessMakesADevInstallation(@TempDir Path dir) throws Exception {
        assertThat(DevRuntime.isThisProcess(dir)).as("no dev runtime file: a production data directory").isFalse();
        Files.writeString(dir.resolve("dev-runtime.properties"), "pid=1\npostgres.port=5432\n");
        assertThat(DevRuntime.isThisProcess(dir)).as("another process's dev server").isFalse();
        assertThat(DevRuntime.isThisProcess(WARDLINE.server().config().dataDir())).isTrue();
    }

    private static java.util.List<String> ids(JsonObject list) {
        return list.getJsonArray("incidents").stream().map(o -> ((JsonObject) o).getString("id")).toList();
    }

    private static String one(String sql, Object... args) throws Exception {
        return String.valueOf(WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.wrap(args))
                .toCompletionStage().toCompletableFuture().get().iterator().next().getValue(0));
    }
}
