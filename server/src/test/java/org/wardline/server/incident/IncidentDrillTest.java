package org.wardline.server.incident;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
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
import org.wardline.server.sharelink.ShareLinks;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, part 7 on a real dev server: a lost-device drill creates a marked drill account, opens a drill incident,
 * suspends the account from it and reports the times to contain; a misdirected-link drill stores a synthetic file for
 * a drill account, shares it with an address that cannot receive mail and revokes the file's links from a drill
 * incident (the link opens before and is refused after, through the patient's own path); the drill never shows as a
 * real incident, and a drill against anything but a dev installation, or of an unknown scenario, is refused before
 * anything is created.
 */
class IncidentDrillTest {
    static final int SMTP_PORT = freePort();
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    /** Where the code for the drill link's wrong recipient goes: a local GreenMail, never a real mail server. */
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_MAIL_CONSOLE", "false",
            "WARDLINE_MAIL_SMTP_HOST", "127.0.0.1", "WARDLINE_MAIL_SMTP_PORT", Integer.toString(SMTP_PORT),
            "WARDLINE_MAIL_SMTP_SECURITY", "none"));
    static SignedInDevice officerDevice;
    static OfficerClient officer;
    static HttpClient recipient;

    @BeforeAll
    static void officer() throws Exception {
        officerDevice = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.SECURITY_OFFICER),
                LocalDate.now().plusYears(1));
        officer = new OfficerClient(WARDLINE.server(), officerDevice);
        recipient = HttpClient.newBuilder().sslContext(officerDevice.sslContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** What the link's wrong recipient got from the patient page, step by step. */
    record Opening(int started, String mailedTo, String mailBody, int verified, String cookie, int page) {
    }

    @Test
    void aMisdirectedLinkOpensBeforeTheDrillContainsItAndIsRefusedAfter() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Opening> before = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<ShareLinks.Created> staged = new java.util.concurrent.atomic.AtomicReference<>();
        IncidentStore.Actor by = new IncidentStore.Actor(officerDevice.userId(), officerDevice.deviceId(), Instant.now());
        JsonObject drill = await(WARDLINE.server().module(IncidentRoutes.class).drills().run("misdirected-link", by,
                stage -> WARDLINE.server().vertx().executeBlocking(() -> {
                    staged.set(stage.link().orElseThrow());
                    before.set(open(stage.link().orElseThrow()));
                    return null;
                }, false)));

        Opening opened = before.get();
        String url = staged.get().url().reveal();
        String linkId = staged.get().link().id().toString();
        assertThat(opened.started()).as("the wrong recipient asks for a code").isEqualTo(200);
        assertThat(opened.mailedTo()).isEqualTo(drill.getJsonObject("drillUser").getString("username") + "@example.invalid");
        assertThat(opened.mailBody()).doesNotContain(url.substring(url.indexOf('#') + 1));
        assertThat(opened.verified()).as("the code opens the link").isEqualTo(200);
        assertThat(opened.page()).as("and shows the drill document").isEqualTo(200);

        assertThat(drill.getJsonObject("incident").getString("status")).isEqualTo("contained");
        assertThat(drill.getJsonObject("revoked").getInteger("shareLinks")).isEqualTo(1);
        assertThat(drill.getJsonObject("containment").getJsonObject("result").getJsonArray("linkIds").getList())
                .containsExactly(linkId);
        HttpResponse<String> startedAfter = patientPost(linkId, "verify-start",
                new JsonObject().put("secret", url.substring(url.indexOf('#') + 1)));
        assertThat(startedAfter.statusCode()).isEqualTo(410);
        assertThat(new JsonObject(startedAfter.body()).getString("error")).isEqualTo("link.revoked");
        HttpResponse<String> pageAfter = page(linkId, opened.cookie());
        assertThat(pageAfter.statusCode()).as("the session opened before is ended too").isEqualTo(410);
        assertThat(new JsonObject(pageAfter.body()).getString("error")).isEqualTo("link.revoked");
        assertThat(drill.toString()).as("the report never carries the link's secret")
                .doesNotContain(url.substring(url.indexOf('#') + 1));
    }

    @Test
    void aMisdirectedLinkDrillRevokesTheDrillFilesLinkFromAMarkedIncidentAndReportsTheTimesToContain() throws Exception {
        OfficerClient.Reply r = officer.post("/v1/admin/incidents/drills", new JsonObject().put("scenario", "misdirected-link"));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        JsonObject drill = r.json();
        assertThat(drill.getString("scenario")).isEqualTo("misdirected-link");
        JsonObject incident = drill.getJsonObject("incident");
        assertThat(incident.getBoolean("drill")).isTrue();
        assertThat(incident.getString("status")).isEqualTo("contained");
        assertThat(incident.getString("category")).isEqualTo("misdirected_share");
        String user = drill.getJsonObject("drillUser").getString("id");
        assertThat(drill.getJsonObject("drillUser").getString("username")).matches("drill-[0-9a-f]{8}");
        assertThat(incident.getString("subjectUserId")).isEqualTo(user);

        JsonObject staged = drill.getJsonObject("staged");
        String file = staged.getString("fileId");
        String link = staged.getString("linkId");
        assertThat(staged.getString("recipientDomain")).isEqualTo("example.invalid");
        assertThat(one("SELECT owner_id::text FROM stored_objects WHERE object_id = $1 AND state = 'COMMITTED'",
                UUID.fromString(file))).as("a committed file of the drill account's").isEqualTo(user);
        assertThat(one("SELECT (owner_id::text || ' ' || object_id::text || ' ' || (revoked_at IS NOT NULL)::text) FROM share_links "
                + "WHERE link_id = $1", UUID.fromString(link))).isEqualTo(user + " " + file + " true");
        assertThat(one("SELECT recipient FROM share_links WHERE link_id = $1", UUID.fromString(link)))
                .as("the recipient is sealed, as any link's").doesNotContain("example.invalid").doesNotContain("drill-");
        assertThat(drill.getJsonObject("revoked").getInteger("shareLinks")).isEqualTo(1);
        assertThat(one("SELECT status FROM users WHERE id = $1", UUID.fromString(user))).as("only the links are contained")
                .isEqualTo("active");

        JsonObject times = drill.getJsonObject("times");
        assertThat(times.getLong("detectionToOpenedMs")).isBetween(0L, 30_000L);
        assertThat(times.getLong("openedToContainedMs")).isBetween(0L, 30_000L);
        assertThat(times.getLong("detectionToContainedMs"))
                .isCloseTo(times.getLong("detectionToOpenedMs") + times.getLong("openedToContainedMs"), org.assertj.core.data.Offset.offset(1L));

        JsonObject shown = officer.get("/v1/admin/incidents/" + incident.getString("id")).json();
        JsonArray containments = shown.getJsonArray("containments");
        assertThat(containments).hasSize(1);
        assertThat(containments.getJsonObject(0).getString("action")).isEqualTo("revoke_file_links");
        assertThat(containments.getJsonObject(0).getString("objectId")).isEqualTo(file);
        assertThat(containments.getJsonObject(0).getString("reason")).isEqualTo("drill");
        assertThat(shown.getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("action")))
                .contains("incident.opened", "containment.revoke_file_links", "incident.status.changed");

        assertThat(ids(officer.get("/v1/admin/incidents").json())).as("a drill is never listed as a real incident")
                .doesNotContain(incident.getString("id"));
        assertThat(ids(officer.get("/v1/admin/incidents?drills=true").json())).contains(incident.getString("id"));
        assertThat(one("SELECT count(*)::text FROM audit_entries WHERE action = 'incident.drill.run' AND object_id = $1",
                incident.getString("id"))).isEqualTo("1");
        assertThat(one("SELECT details FROM audit_entries WHERE action = 'file.uploaded' AND object_id = $1", file))
                .contains("incident-drill");
        assertThat(one("SELECT (actor_user_id::text || ' ' || outcome || ' ' || details) FROM audit_entries "
                + "WHERE action = 'sharelink.created' AND object_id = $1", link)).startsWith(user + " success ").contains("incident-drill");
        assertThat(one("SELECT count(*)::text FROM audit_entries WHERE action = 'sharelink.revoked' AND object_id = $1", link))
                .isEqualTo("1");
        assertThat(one("SELECT count(*)::text FROM audit_entries WHERE details LIKE '%example.invalid%' OR details LIKE '%drill-%@%'"))
                .as("no recipient address in the trail").isEqualTo("0");
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
    void anUnknownScenarioIsRefusedNamingTheScenariosAndCreatesNothing() throws Exception {
        String counts = "SELECT (SELECT count(*) FROM users WHERE username LIKE 'drill-%') || ' ' || (SELECT count(*) FROM incidents) "
                + "|| ' ' || (SELECT count(*) FROM stored_objects) || ' ' || (SELECT count(*) FROM share_links)";
        String before = one(counts);
        for (JsonObject body : java.util.List.of(new JsonObject().put("scenario", "alien-invasion"), new JsonObject())) {
            OfficerClient.Reply r = officer.post("/v1/admin/incidents/drills", body);
            assertThat(r.status()).as(body.encode()).isEqualTo(400);
            assertThat(r.error()).isEqualTo("incident.drill_unknown_scenario");
            assertThat(r.json().getJsonArray("scenarios").getList()).containsExactly("lost-device", "misdirected-link");
            assertThat(r.json().getString("message")).contains("lost-device").contains("misdirected-link");
        }
        assertThat(one(counts)).as("no account, incident, file or link").isEqualTo(before);
    }

    @Test
    void aDrillOnAnInstallationThatIsNotDevIsRefusedBeforeAnythingIsCreated() {
        // Every collaborator is null: the refusal must come before any of them is touched.
        for (String scenario : java.util.List.of("lost-device", "misdirected-link")) {
            Future<JsonObject> f = new IncidentDrill(false, null, null, null, null)
                    .run(scenario, new IncidentStore.Actor(UUID.randomUUID(), UUID.randomUUID(), Instant.now()));
            assertThat(f.failed()).as(scenario).isTrue();
            assertThat(f.cause()).isInstanceOfSatisfying(WardlineHttpException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INCIDENT_DRILL_NOT_DEV));
        }
        assertThat(ErrorCode.INCIDENT_DRILL_NOT_DEV.message()).contains("dev installation");
    }

    @Test
    void onlyTheDevServerOfThisProcessMakesADevInstallation(@TempDir Path dir) throws Exception {
        assertThat(DevRuntime.isThisProcess(dir)).as("no dev runtime file: a production data directory").isFalse();
        Files.writeString(dir.resolve("dev-runtime.properties"), "pid=1\npostgres.port=5432\n");
        assertThat(DevRuntime.isThisProcess(dir)).as("another process's dev server").isFalse();
        assertThat(DevRuntime.isThisProcess(WARDLINE.server().config().dataDir())).isTrue();
    }

    /** The wrong recipient's way through the patient page: asks for a code, reads it from the mail, opens, views. */
    private static Opening open(ShareLinks.Created link) throws Exception {
        String url = link.url().reveal();
        String id = link.link().id().toString();
        String secret = url.substring(url.indexOf('#') + 1);
        int mails = MAIL.getReceivedMessages().length;
        HttpResponse<String> started = patientPost(id, "verify-start", new JsonObject().put("secret", secret));
        if (started.statusCode() != 200 || !MAIL.waitForIncomingEmail(10_000, mails + 1)) {
            return new Opening(started.statusCode(), null, null, -1, null, -1);
        }
        MimeMessage message = MAIL.getReceivedMessages()[mails];
        String body = GreenMailUtil.getBody(message);
        Matcher code = CODE.matcher(body);
        HttpResponse<String> verified = patientPost(id, "verify", new JsonObject().put("secret", secret)
                .put("code", code.find() ? code.group(1) : "000000"));
        String cookie = verified.headers().firstValue("Set-Cookie").map(c -> c.substring(0, c.indexOf(';'))).orElse(null);
        return new Opening(started.statusCode(), message.getAllRecipients()[0].toString(), body, verified.statusCode(), cookie,
                cookie == null ? -1 : page(id, cookie).statusCode());
    }

    private static HttpResponse<String> patientPost(String linkId, String step, JsonObject body) throws Exception {
        return recipient.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/s/"
                        + linkId + "/" + step)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> page(String linkId, String cookie) throws Exception {
        return recipient.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/s/"
                + linkId + "/pages/1")).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static java.util.List<String> ids(JsonObject list) {
        return list.getJsonArray("incidents").stream().map(o -> ((JsonObject) o).getString("id")).toList();
    }

    private static String one(String sql, Object... args) throws Exception {
        return String.valueOf(WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.wrap(args))
                .toCompletionStage().toCompletableFuture().get().iterator().next().getValue(0));
    }
}
