package org.wardline.server.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.MainAccess;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.retention.RetentionSweep;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.storage.blob.BlobBucket;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.blob.S3BlobStore;
import org.wardline.storage.blob.S3Settings;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8 acceptance: retention deletes what its policy says (messages from PostgreSQL, files from S3 with their data
 * keys) and spares what a legal hold covers; a dry run lists without deleting; offboarding stops a user's share link
 * at once and keeps their old device refused after re-enabling; the access-review sign-off is recorded and audited;
 * every bad input gets its own code and an audit entry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdministrationTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    static WardlineApi api;
    static WardlineApi.Account admin;
    static DeviceClient adminDevice;
    /** The security officer made on the first day (order 5); from then on a second approver exists. */
    static WardlineApi.Account officer;

    @BeforeAll
    static void adminWithAnEnrolledDevice() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
        adminDevice = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), admin.id)).signIn(admin);
    }

    @Test
    @Order(1)
    void retentionDeletesExpiredMessagesAndFilesButNotWhatAHoldCoversAndTheDryRunDeletesNothing() throws Exception {
        WardlineApi.Account owner = api.createAndSignIn(admin, "dr.owner", new JsonArray().add("clinician"), "2099-01-01");
        WardlineApi.Account held = api.createAndSignIn(admin, "dr.held", new JsonArray().add("clinician"), "2099-01-01");
        DeviceClient ownerDevice = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), owner.id)).signIn(owner);
        DeviceClient heldDevice = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), held.id)).signIn(held);

        String oldFile = ownerDevice.upload("routine follow-up, nothing remarkable");
        String newFile = ownerDevice.upload("a fresh note");
        String heldFile = heldDevice.upload("note kept for litigation");
        WardlineApi.Account oncologist = api.createAndSignIn(admin, "dr.oncology", new JsonArray().add("clinician"), "2099-01-01");
        DeviceClient oncologyDevice = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), oncologist.id)).signIn(oncologist);
        String teamFile = oncologyDevice.upload("kept longer by the team's policy");
        sql("UPDATE stored_objects SET committed_at = now() - interval '40 days' WHERE object_id IN ('" + oldFile + "', '" + heldFile
                + "', '" + teamFile + "')");
        String[] oldLink = ownerDevice.share(newFile, "patient.old@example.org");
        String[] heldLink = heldDevice.share(heldFile, "patient.held@example.org");
        sql("UPDATE share_links SET created_at = now() - interval '40 days' WHERE link_id IN ('" + oldLink[0] + "', '" + heldLink[0] + "')");

        long open = conversation(owner.id, ownerDevice.identity.deviceId());
        long heldConversation = conversation(owner.id, ownerDevice.identity.deviceId());
        long oldMessage = message(open, owner.id, ownerDevice.identity.deviceId(), "40 days");
        long newMessage = message(open, owner.id, ownerDevice.identity.deviceId(), "1 day");
        long heldMessage = message(heldConversation, owner.id, ownerDevice.identity.deviceId(), "40 days");
        sql("INSERT INTO device_inbox (device_id, message_id) VALUES ('" + UUID.randomUUID() + "', " + oldMessage + ")");

        for (String kind : List.of("messages", "files", "share_links")) {
            DeviceClient.Reply set = adminDevice.put("/v1/admin/retention/policies/" + kind, new JsonObject().put("days", 30));
            assertThat(set.status()).as(set.body()).isEqualTo(200);
        }
        String oncology = adminDevice.post("/v1/admin/teams", new JsonObject().put("name", "Oncology")).json().getString("id");
        assertThat(adminDevice.put("/v1/admin/teams/" + oncology + "/members/" + oncologist.id, null).status()).isEqualTo(200);
        assertThat(adminDevice.put("/v1/admin/retention/policies/files", new JsonObject().put("days", 60).put("teamId", oncology))
                .status()).isEqualTo(200);
        assertThat(adminDevice.post("/v1/admin/legal-holds", new JsonObject().put("scope", "user").put("subjectId", held.id.toString())
                .put("matter", "LIT-2026-014")).status()).isEqualTo(200);
        assertThat(adminDevice.post("/v1/admin/legal-holds", new JsonObject().put("scope", "conversation")
                .put("subjectId", heldConversation).put("matter", "LIT-2026-015")).status()).isEqualTo(200);

        DeviceClient.Reply dry = adminDevice.post("/v1/admin/retention/dry-run", null);
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(ids(dry, "messages")).contains(String.valueOf(oldMessage))
                .doesNotContain(String.valueOf(newMessage), String.valueOf(heldMessage));
        assertThat(ids(dry, "files")).contains(oldFile).doesNotContain(newFile, heldFile, teamFile);
        assertThat(ids(dry, "share_links")).contains(oldLink[0]).doesNotContain(heldLink[0]);
        assertThat(dry.json().getJsonObject("audit").getInteger("retentionDays")).isEqualTo(2192);
        assertThat(count("SELECT count(*) FROM conversation_messages WHERE id = " + oldMessage)).as("dry run deletes nothing").isEqualTo(1);
        assertThat(state(oldFile)).isEqualTo("COMMITTED");

        DeviceClient.Reply run = adminDevice.post("/v1/admin/retention/run", null);
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        JsonObject files = run.json().getJsonObject("files");
        assertThat(ids(run, "files")).containsExactly(oldFile);
        assertThat(files.getLong("verifiedGone")).isEqualTo(1);
        assertThat(run.json().getJsonObject("messages").getLong("verifiedGone")).isGreaterThanOrEqualTo(1);

        assertThat(count("SELECT count(*) FROM conversation_messages WHERE id = " + oldMessage)).isZero();
        assertThat(count("SELECT count(*) FROM device_inbox WHERE message_id = " + oldMessage)).isZero();
        assertThat(count("SELECT count(*) FROM conversation_messages WHERE id IN (" + newMessage + ", " + heldMessage + ")")).isEqualTo(2);

        S3BlobStore s3 = s3();
        assertThat(state(oldFile)).isEqualTo("DELETED");
        assertThat(count("SELECT count(*) FROM data_keys WHERE object_id = '" + oldFile + "' AND wrapped_key IS NULL AND destroyed_at IS NOT NULL"))
                .as("data key destroyed").isEqualTo(1);
        assertThat(s3.exists(BlobBucket.COMMITTED, BlobId.parse(oldFile))).as("ciphertext gone from S3").isFalse();
        for (String kept : List.of(newFile, heldFile, teamFile)) {
            assertThat(state(kept)).isEqualTo("COMMITTED");
            assertThat(s3.exists(BlobBucket.COMMITTED, BlobId.parse(kept))).isTrue();
            assertThat(count("SELECT count(*) FROM data_keys WHERE object_id = '" + kept + "' AND destroyed_at IS NULL")).isEqualTo(1);
        }

        DeviceClient.Reply expired = ownerDevice.publicPost("/s/" + oldLink[0] + "/verify-start", new JsonObject().put("secret", oldLink[1]));
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.error()).isEqualTo("link.expired");
        assertThat(heldDevice.publicPost("/s/" + heldLink[0] + "/verify-start", new JsonObject().put("secret", heldLink[1])).status())
                .as("the held user's link still works").isEqualTo(200);

        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'retention.deleted' AND details LIKE '%\"kind\":\"files\"%' "
                + "AND details LIKE '%" + oldFile + "%'", 1);
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'retention.deleted' AND details LIKE '%\"kind\":\"messages\"%' "
                + "AND details LIKE '%" + oldMessage + "%'", 1);
        assertThat(auditVerify()).contains("audit trail intact");

        RetentionSweep sweep = WARDLINE.server().module(AdminModule.class).sweep();
        io.vertx.sqlclient.SqlConnection otherNode = WARDLINE.server().database().pool().getConnection()
                .toCompletionStage().toCompletableFuture().get();
        try {
            otherNode.query("SELECT pg_advisory_lock(" + RetentionSweep.CLUSTER_LOCK_KEY + ")").execute()
                    .toCompletionStage().toCompletableFuture().get();
            assertThat(sweep.scheduled().toCompletionStage().toCompletableFuture().get())
                    .as("another node is running the scheduled job: this one skips its run").isEmpty();
        } finally {
            otherNode.query("SELECT pg_advisory_unlock_all()").execute().eventually(otherNode::close)
                    .toCompletionStage().toCompletableFuture().get();
        }
        var scheduled = sweep.scheduled().toCompletionStage().toCompletableFuture().get().orElseThrow();
        assertThat(scheduled.section(org.wardline.server.retention.RetentionKind.MESSAGES).count()).as("nothing left to delete").isZero();
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'retention.run' AND actor_user_id IS NULL", 1);
    }

    @Test
    @Order(2)
    void badInputGetsAClearCodeLosesNothingAndIsAudited() throws Exception {
        DeviceClient.Reply team = adminDevice.post("/v1/admin/teams", new JsonObject().put("name", "Ward 7"));
        assertThat(team.status()).as(team.body()).isEqualTo(200);
        String ward = team.json().getString("id");
        String policies = "/v1/admin/retention/policies/";

        assertThat(adminDevice.put(policies + "messages", new JsonObject().put("days", 0)).error()).isEqualTo("retention.invalid");
        assertThat(adminDevice.put(policies + "messages", new JsonObject().put("days", -5)).error()).isEqualTo("retention.invalid");
        assertThat(adminDevice.put(policies + "messages", new JsonObject().put("days", "forever")).error()).isEqualTo("retention.invalid");
        assertThat(adminDevice.put(policies + "emails", new JsonObject().put("days", 30)).error()).isEqualTo("retention.invalid");
        assertThat(adminDevice.put(policies + "audit", new JsonObject().put("days", 365)).error()).isEqualTo("retention.below_legal_floor");
        assertThat(adminDevice.put(policies + "audit", new JsonObject().put("days", 2191)).error()).isEqualTo("retention.below_legal_floor");
        assertThat(adminDevice.put(policies + "audit", new JsonObject().put("days", 2555).put("teamId", ward)).error())
                .as("audit retention is organisation-wide").isEqualTo("retention.invalid");
        assertThat(adminDevice.put(policies + "audit", new JsonObject().put("days", 2555)).status()).isEqualTo(200);
        assertThat(adminDevice.put(policies + "files", new JsonObject().put("days", 10).put("teamId", ward)).error())
                .as("shorter than the organisation's 30 days").isEqualTo("retention.conflict");
        assertThat(adminDevice.put(policies + "files", new JsonObject().put("days", 60).put("teamId", ward)).status()).isEqualTo(200);
        assertThat(adminDevice.put(policies + "files", new JsonObject().put("days", 90)).error())
                .as("longer than a team's 60 days").isEqualTo("retention.conflict");
        assertThat(adminDevice.put(policies + "files", new JsonObject().put("days", 60).put("teamId", UUID.randomUUID().toString())).error())
                .isEqualTo("admin.unknown_team");
        JsonArray stored = adminDevice.get("/v1/admin/retention/policies").json().getJsonArray("policies");
        assertThat(stored.stream().map(o -> ((JsonObject) o).getString("kind") + "/" + ((JsonObject) o).getInteger("days")))
                .as("refusals changed nothing").containsExactlyInAnyOrder("audit/2555", "files/30", "files/60", "files/60", "messages/30", "share_links/30");

        String holds = "/v1/admin/legal-holds";
        assertThat(adminDevice.post(holds, hold("user", UUID.randomUUID().toString())).error()).isEqualTo("admin.unknown_user");
        assertThat(adminDevice.post(holds, hold("team", UUID.randomUUID().toString())).error()).isEqualTo("admin.unknown_team");
        assertThat(adminDevice.post(holds, hold("conversation", "987654321")).error()).isEqualTo("admin.unknown_conversation");
        assertThat(adminDevice.post(holds, hold("device", ward)).error()).isEqualTo("request.invalid");
        assertThat(adminDevice.post(holds, hold("team", ward).put("matter", "Jane Doe v. Hospital")).error())
                .as("free text in the matter reference").isEqualTo("request.invalid");
        DeviceClient.Reply placed = adminDevice.post(holds, hold("team", ward));
        assertThat(placed.status()).as(placed.body()).isEqualTo(200);
        assertThat(adminDevice.post(holds, hold("team", ward)).error()).as("a second active hold").isEqualTo("legal_hold.conflict");
        String id = placed.json().getString("id");
        assertThat(adminDevice.post(holds + "/" + id + "/release", null).status()).isEqualTo(200);
        assertThat(adminDevice.post(holds + "/" + id + "/release", null).error()).isEqualTo("legal_hold.conflict");
        assertThat(adminDevice.post(holds + "/" + UUID.randomUUID() + "/release", null).error()).isEqualTo("resource.not_found");
        assertThat(adminDevice.post("/v1/admin/users/" + UUID.randomUUID() + "/offboard", null).error()).isEqualTo("admin.unknown_user");
        assertThat(adminDevice.post("/v1/admin/users/" + admin.id + "/offboard", null).error()).as("not oneself").isEqualTo("request.invalid");

        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'admin.request.refused' AND actor_user_id = '" + admin.id + "'", 19);
        for (String code : List.of("retention.invalid", "retention.below_legal_floor", "retention.conflict", "admin.unknown_team",
                "admin.unknown_user", "admin.unknown_conversation", "legal_hold.conflict", "request.invalid")) {
            assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'admin.request.refused' AND details LIKE '%\"error\":\""
                    + code + "\"%'")).as(code).isPositive();
        }

        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.curious", new JsonArray().add("nurse"), "2099-01-01");
        DeviceClient nurseDevice = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), nurse.id)).signIn(nurse);
        assertThat(nurseDevice.post("/v1/admin/retention/dry-run", null).error()).isEqualTo("auth.forbidden");
        assertThat(nurseDevice.put(policies + "messages", new JsonObject().put("days", 1)).error()).isEqualTo("auth.forbidden");
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'account.access_denied' AND actor_user_id = '" + nurse.id
                + "' AND object_id = 'POST:/v1/admin/retention/dry-run'", 1);
    }

    @Test
    @Order(3)
    void offboardingStopsTheShareLinkAtOnceRevokesDevicesAndSessionsAndTransfersFiles() throws Exception {
        WardlineApi.Account leaver = api.createAndSignIn(admin, "dr.leaving", new JsonArray().add("clinician"), "2099-01-01");
        WardlineApi.Account heir = api.createAndSignIn(admin, "dr.staying", new JsonArray().add("clinician"), "2099-01-01");
        DeviceClient device = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), leaver.id)).signIn(leaver);
        String file = device.upload("discharge summary");
        String[] link = device.share(file, "patient.one@example.org");
        assertThat(device.publicPost("/s/" + link[0] + "/verify-start", new JsonObject().put("secret", link[1])).status())
                .as("the link works before offboarding").isEqualTo(200);
        assertThat(device.get("/v1/devices/me").status()).isEqualTo(200);

        DeviceClient.Reply off = adminDevice.post("/v1/admin/users/" + leaver.id + "/offboard",
                new JsonObject().put("transferFilesTo", heir.id.toString()));
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(off.json().getInteger("devicesRevoked")).isEqualTo(1);
        assertThat(off.json().getInteger("shareLinksRevoked")).isEqualTo(1);
        assertThat(off.json().getLong("filesTransferred")).isEqualTo(1);
        assertThat(off.json().getInteger("sessionsEnded")).isPositive();

        DeviceClient.Reply refused = device.publicPost("/s/" + link[0] + "/verify-start", new JsonObject().put("secret", link[1]));
        assertThat(refused.status()).isEqualTo(410);
        assertThat(refused.error()).isEqualTo("link.revoked");
        assertThat(api.get("/v1/me", leaver.accessToken).status()).as("the session ended").isEqualTo(401);
        assertThat(deviceRefused(device)).as("the device is revoked").isTrue();
        assertThat(rows("SELECT owner_id FROM stored_objects WHERE object_id = '" + file + "'")).containsExactly(heir.id.toString());
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'admin.user.offboarded' AND object_id = '" + leaver.id + "'", 1);

        assertThat(adminDevice.post("/v1/admin/users/" + leaver.id + "/enable", null).status()).isEqualTo(200);
        assertThat(deviceRefused(device)).as("re-enabling does not bring the old device certificate back").isTrue();
        WardlineApi.Reply again = api.post("/v1/auth/login", null, new JsonObject().put("username", leaver.username)
                .put("password", WardlineApi.PASSWORD));
        assertThat(again.status()).as(String.valueOf(again.json())).isEqualTo(200);
        assertThat(again.json().getString("status")).as("the account itself signs in again").isEqualTo("mfa_required");

        WardlineApi.Account heldLeaver = api.createAndSignIn(admin, "dr.held.leaving", new JsonArray().add("clinician"), "2099-01-01");
        assertThat(adminDevice.post("/v1/admin/legal-holds", hold("user", heldLeaver.id.toString())).status()).isEqualTo(200);
        assertThat(adminDevice.post("/v1/admin/users/" + heldLeaver.id + "/offboard",
                new JsonObject().put("transferFilesTo", heir.id.toString())).error())
                .as("a transfer would take files out of the hold").isEqualTo("legal_hold.conflict");
        assertThat(rows("SELECT status FROM users WHERE id = '" + heldLeaver.id + "'")).as("nothing changed").containsExactly("active");
    }

    @Test
    @Order(4)
    void theAccessReviewSignOffIsRecordedOnceAndAudited() throws Exception {
        DeviceClient.Reply review = adminDevice.post("/v1/admin/reports/access-review", null);
        assertThat(review.status()).as(review.body()).isEqualTo(200);
        JsonObject adminRow = review.json().getJsonArray("users").stream().map(JsonObject.class::cast)
                .filter(u -> u.getString("username").equals("admin")).findFirst().orElseThrow();
        assertThat(adminRow.getJsonArray("roles").getList()).contains("admin");
        assertThat(adminRow.getJsonArray("devices")).hasSize(1);
        assertThat(adminRow.getString("lastActivity")).isNotNull();
        String reviewId = review.json().getString("reviewId");

        DeviceClient.Reply csv = adminDevice.post("/v1/admin/reports/access-review?format=csv", null);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).contains("user_id,username,status,roles,teams").contains(",admin,active,admin,");

        assertThat(adminDevice.post("/v1/admin/reports/access-review/" + reviewId + "/sign-off",
                new JsonObject().put("decision", "looks fine")).error()).isEqualTo("request.invalid");
        DeviceClient.Reply signed = adminDevice.post("/v1/admin/reports/access-review/" + reviewId + "/sign-off",
                new JsonObject().put("decision", "approved"));
        assertThat(signed.status()).as(signed.body()).isEqualTo(200);
        assertThat(signed.json().getString("reportSha256")).isEqualTo(review.json().getString("reportSha256"));
        assertThat(rows("SELECT signed_by::text || '/' || decision FROM access_reviews WHERE id = '" + reviewId + "'"))
                .containsExactly(admin.id + "/approved");
        assertThat(adminDevice.post("/v1/admin/reports/access-review/" + reviewId + "/sign-off",
                new JsonObject().put("decision", "approved")).error()).as("signed once").isEqualTo("resource.conflict");
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'accessreview.signed' AND object_id = '" + reviewId
                + "' AND actor_user_id = '" + admin.id + "' AND details LIKE '%\"decision\":\"approved\"%'", 1);
    }

    @Test
    @Order(5)
    void theAccountingOfDisclosuresListsSentOpenedAndRevokedLinksWithoutLoggingTheAddress() throws Exception {
        WardlineApi.Account sender = api.createAndSignIn(admin, "dr.sender", new JsonArray().add("clinician"), "2099-01-01");
        DeviceClient device = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), sender.id)).signIn(sender);
        String file = device.upload("results letter");
        String[] first = device.share(file, "Pat.Two@Example.org");
        String[] second = device.share(file, "pat.two@example.org");
        device.share(file, "someone.else@example.org");
        assertThat(device.post("/v1/share-links/" + second[0] + "/revoke", null).status()).isEqualTo(204);
        sql("INSERT INTO share_link_events (link_id, kind, outcome) VALUES ('" + first[0] + "', 'opened', 'success')");

        officer = api.createAndSignIn(admin, "so.sam", new JsonArray().add("security_officer"), null);
        DeviceClient so = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), officer.id)).signIn(officer);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        DeviceClient.Reply report = so.post("/v1/admin/reports/disclosures", new JsonObject().put("recipient", " PAT.two@example.org "));
        List<ch.qos.logback.classic.spi.ILoggingEvent> logged;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        do {
            synchronized (logs) {
                logged = new ArrayList<>(logs.list);
            }
            if (logged.stream().anyMatch(e -> String.valueOf(e.getKeyValuePairs()).contains("/v1/admin/reports/disclosures"))) {
                break;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        root.detachAppender(logs);
        assertThat(logged).as("the request was logged").anyMatch(e -> String.valueOf(e.getKeyValuePairs())
                .contains("/v1/admin/reports/disclosures"));
        assertThat(logged).noneMatch(e -> (e.getFormattedMessage() + e.getKeyValuePairs()).toLowerCase(java.util.Locale.ROOT).contains("pat.two"));
        assertThat(report.status()).as(report.body()).isEqualTo(200);
        assertThat(report.json().getInteger("links")).isEqualTo(2);
        List<String> events = report.json().getJsonArray("entries").stream().map(JsonObject.class::cast)
                .map(e -> e.getString("event") + ":" + e.getString("linkId")).toList();
        assertThat(events).containsExactlyInAnyOrder("sent:" + first[0], "opened:" + first[0], "sent:" + second[0],
                "revoked:" + second[0]);
        DeviceClient.Reply csv = so.post("/v1/admin/reports/disclosures?format=csv", new JsonObject().put("recipient", "pat.two@example.org"));
        assertThat(csv.body()).startsWith("at,event,link_id").contains("revoked," + second[0]);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE lower(details) LIKE '%pat.two%'")).as("no address in the audit trail").isZero();
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'report.disclosures' AND actor_user_id = '" + officer.id + "'", 2);
        assertThat(adminDevice.post("/v1/admin/reports/disclosures", new JsonObject().put("recipient", "x@example.org")).error())
                .as("admins do not read the audit trail").isEqualTo("auth.forbidden");
    }

    @Test
    @Order(6)
    void theHipaaEvidenceNamesRunningValuesAndTestClassesThatExist() throws Exception {
        WardlineApi.Account auditor = api.createPrivileged(admin, officer, "auditor.ann", "auditor", "2099-01-01");
        DeviceClient device = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), auditor.id)).signIn(auditor);
        DeviceClient.Reply evidence = device.get("/v1/admin/reports/hipaa-evidence");
        assertThat(evidence.status()).as(evidence.body()).isEqualTo(200);
        List<JsonObject> standards = evidence.json().getJsonArray("standards").stream().map(JsonObject.class::cast).toList();
        assertThat(standards).extracting(s -> s.getString("citation"))
                .containsExactly("164.312(a)(1)", "164.312(b)", "164.312(c)(1)", "164.312(d)", "164.312(e)(1)");
        assertThat(standards.get(0).getJsonObject("configuration").getInteger("auth.idleTimeoutMinutes"))
                .isEqualTo(WARDLINE.server().config().auth().idleTimeoutMinutes());
        assertThat(standards.get(1).getJsonObject("configuration").getInteger("audit.retentionDays")).isEqualTo(2555);
        assertThat(standards.get(4).getJsonObject("configuration").getString("tls.minVersion")).isEqualTo(WARDLINE.server().config().tls().minVersion());
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<String> testFiles;
        try (Stream<Path> walk = Files.walk(root)) {
            testFiles = walk.filter(p -> p.toString().contains("/src/test/java/")).map(p -> p.getFileName().toString()).toList();
        }
        for (JsonObject s : standards) {
            for (Object test : s.getJsonArray("tests")) {
                assertThat(testFiles).as(s.getString("citation")).contains(test + ".java");
            }
        }
        assertThat(device.get("/v1/admin/reports/hipaa-evidence?format=csv").body()).startsWith("citation,standard,setting,value,tests");

        DeviceClient.Reply export = device.get("/v1/admin/audit/export?from=2020-01-01&to=2100-01-01&format=csv");
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.body()).startsWith("seq,").contains("retention.deleted", "accessreview.signed");
        assertThat(device.get("/v1/admin/audit/export?from=2020-01-01&to=2100-01-01&format=xml").error()).isEqualTo("request.invalid");
        assertThat(device.get("/v1/admin/audit/export?from=yesterday&to=2100-01-01").error()).isEqualTo("request.invalid");
        awaitCount("SELECT count(*) FROM audit_entries WHERE action = 'audit.exported' AND actor_user_id = '" + auditor.id + "'", 1);
        JsonObject asked = new JsonObject(rows("SELECT details FROM audit_entries WHERE action = 'audit.export.requested' "
                + "AND actor_user_id = '" + auditor.id + "' ORDER BY seq DESC LIMIT 1").get(0));
        assertThat(asked.getString("from")).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(asked.getString("to")).isEqualTo("2100-01-01T00:00:00Z");
        assertThat(asked.getString("format")).isEqualTo("CSV");
        assertThat(asked.getString("via")).isEqualTo("API");
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'audit.export.requested' AND actor_user_id = '"
                + auditor.id + "'")).as("a refused range asks for nothing").isEqualTo(1);

        DeviceClient.Reply verified = device.post("/v1/admin/audit/verify", null);
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(verified.json().getBoolean("intact")).isTrue();
        JsonObject entry = new JsonObject(rows("SELECT details FROM audit_entries WHERE action = 'audit.verified' "
                + "AND actor_user_id = '" + auditor.id + "' ORDER BY seq DESC LIMIT 1").get(0));
        assertThat(entry.getString("result")).isEqualTo("intact");
        assertThat(entry.getLong("entriesChecked")).isEqualTo(verified.json().getLong("entriesChecked"));
    }

    @Test
    @Order(7)
    void aHoldThatNeedsTheRecordsCustodianIsVisibleToTheHeldUsersDevices() throws Exception {
        WardlineApi.Account custodianed = api.createAndSignIn(admin, "dr.custodian", new JsonArray().add("clinician"), "2099-01-01");
        DeviceClient device = new DeviceClient(WARDLINE.server(), EnrolledDevices.enrollOnly(WARDLINE.server(), custodianed.id));
        assertThat(device.get("/v1/legal-holds/custodian-requirements").json().getBoolean("custodianRequired")).isFalse();
        long conversation = conversation(custodianed.id, device.identity.deviceId());
        assertThat(adminDevice.post("/v1/admin/legal-holds", hold("user", custodianed.id.toString()).put("custodianRequired", true))
                .error()).as("no records custodian is designated yet").isEqualTo("legal_hold.no_custodian");
        WardlineApi.Account records = api.createPrivileged(admin, officer, "records.office", "records_custodian", "2099-01-01");
        java.util.UUID custodianDevice = EnrolledDevices.enrollOnly(WARDLINE.server(), records.id).deviceId();
        DeviceClient.Reply placed = adminDevice.post("/v1/admin/legal-holds", hold("user", custodianed.id.toString())
                .put("custodianRequired", true));
        assertThat(placed.status()).as(placed.body()).isEqualTo(200);
        assertThat(placed.json().getString("custodianUserId")).isEqualTo(records.id.toString());
        JsonObject seen = device.get("/v1/legal-holds/custodian-requirements").json();
        assertThat(seen.getBoolean("custodianRequired")).isTrue();
        assertThat(seen.getJsonArray("conversations").getJsonObject(0).getLong("conversationId")).isEqualTo(conversation);
        assertThat(seen.getJsonArray("conversations").getJsonObject(0).getJsonArray("addDevices").getList())
                .containsExactly("urn:wardline:user:" + records.id + ":device:" + custodianDevice);
        assertThat(device.get("/v1/legal-holds/custodians").json().getJsonArray("devices").getList())
                .containsExactly("urn:wardline:user:" + records.id + ":device:" + custodianDevice);
        assertThat(org.wardline.clients.sdk.LegalHolds.custodianRequirements(device.identity))
                .extracting(org.wardline.clients.sdk.LegalHolds.CustodianRequirement::conversationId).containsExactly(conversation);
    }

    private static boolean deviceRefused(DeviceClient device) throws Exception {
        try {
            DeviceClient.Reply me = device.get("/v1/devices/me");
            return me.status() == 403 && "device.not_active".equals(me.error());
        } catch (java.io.IOException handshakeRefused) {
            return true; // the CRL in the device listener refuses the handshake itself
        }
    }

    private static JsonObject hold(String scope, String subject) {
        return new JsonObject().put("scope", scope).put("subjectId", subject).put("matter", "LIT-2026-" + (100 + (int) (Math.random() * 800)));
    }

    private static List<String> ids(DeviceClient.Reply r, String kind) {
        return r.json().getJsonObject(kind).getJsonArray("ids").stream().map(String::valueOf).toList();
    }

    private static long conversation(UUID user, UUID device) throws Exception {
        long id = count("INSERT INTO conversations (group_id, created_by) VALUES ('\\x" + UUID.randomUUID().toString().replace("-", "")
                + "', '" + user + "') RETURNING id");
        sql("INSERT INTO conversation_members (conversation_id, device_id, user_id, joined_epoch) VALUES (" + id + ", '" + device
                + "', '" + user + "', 0)");
        return id;
    }

    private static long message(long conversation, UUID user, UUID device, String age) throws Exception {
        return count("INSERT INTO conversation_messages (conversation_id, kind, epoch, sender_device, sender_user, payload, created_at) "
                + "VALUES (" + conversation + ", 4, 0, '" + device + "', '" + user + "', '\\xdeadbeef', now() - interval '" + age
                + "') RETURNING id");
    }

    private static String state(String objectId) throws Exception {
        return rows("SELECT state FROM stored_objects WHERE object_id = '" + objectId + "'").get(0);
    }

    private static S3BlobStore s3() {
        var c = WARDLINE.server().config().s3();
        return new S3BlobStore(S3Settings.of(c.endpoint(), c.region(), c.accessKey(), c.secretKey(), c.bucket(), c.quarantineBucket()));
    }

    @Test
    @Order(8)
    void aRetentionPolicyChangeIsAuditedWithItsBeforeValueAndPutBackWhenItsEntryFails() throws Exception {
        assertThat(adminDevice.put("/v1/admin/retention/policies/share_links", new JsonObject().put("days", 50)).status()).isEqualTo(200);
        DeviceClient.Reply set = adminDevice.put("/v1/admin/retention/policies/share_links", new JsonObject().put("days", 45));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        JsonObject changed = new JsonObject(rows("SELECT details FROM audit_entries WHERE action = 'retention.policy.set' "
                + "ORDER BY seq DESC LIMIT 1").get(0));
        assertThat(changed.getBoolean("hadPolicyBefore")).isTrue();
        assertThat(changed.getLong("daysBefore")).isEqualTo(50);
        assertThat(changed.getLong("days")).isEqualTo(45);

        DeviceClient.Reply refused;
        try (org.wardline.server.audit.AuditQueueFull full = org.wardline.server.audit.AuditQueueFull.of(WARDLINE.server())) {
            refused = adminDevice.put("/v1/admin/retention/policies/share_links", new JsonObject().put("days", 400));
        }
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("audit.unavailable");
        assertThat(rows("SELECT days FROM retention_policies WHERE kind = 'share_links' AND team_id IS NULL"))
                .as("the unaudited change is put back").containsExactly("45");

        DeviceClient.Reply removed = adminDevice.call("DELETE", "/v1/admin/retention/policies/share_links", null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        JsonObject gone = new JsonObject(rows("SELECT details FROM audit_entries WHERE action = 'retention.policy.removed' "
                + "ORDER BY seq DESC LIMIT 1").get(0));
        assertThat(gone.getLong("daysBefore")).isEqualTo(45);
    }

    private static String auditVerify() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = MainAccess.run(out, "audit", "verify", "--data-dir", WARDLINE.dataDir().toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        return text;
    }

    static void sql(String sql) throws Exception {
        WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get();
    }

    static List<String> rows(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        for (Row row : WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture().get()) {
            out.add(String.valueOf(row.getValue(0)));
        }
        return out;
    }

    static long count(String sql) throws Exception {
        return Long.parseLong(rows(sql).get(0));
    }

    /** Audit entries are appended asynchronously after the answer: wait (bounded) for them. */
    static void awaitCount(String sql, long atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long n;
        do {
            n = count(sql);
            if (n >= atLeast) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(n).as(sql).isGreaterThanOrEqualTo(atLeast);
    }
}
