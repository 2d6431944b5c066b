package org.wardline.server.incident;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.account.Role;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 acceptance on a real server: a bulk download raises the alert, the alert opens an incident, the officer
 * suspends the account (its session and links are refused within a second), lists the patients whose files were
 * involved and who downloaded what, records the assessment and the notifications, and closes the incident.
 */
class IncidentAcceptanceTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of(
            "WARDLINE_ALERTS_BULK_DOWNLOADS_THRESHOLD", "3", "WARDLINE_ALERTS_POLL_MILLIS", "200"));

    @Test
    void aBulkDownloadAlertBecomesAnIncidentThatIsContainedAssessedNotifiedAndClosed() throws Exception {
        SignedInDevice officerDevice = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.SECURITY_OFFICER),
                LocalDate.now().plusYears(1));
        OfficerClient officer = new OfficerClient(WARDLINE.server(), officerDevice);
        SignedInDevice clinicianDevice = EnrolledDevices.enroll(WARDLINE.server());
        OfficerClient clinician = new OfficerClient(WARDLINE.server(), clinicianDevice);

        String labs = clinician.upload("potassium 4.1 mmol/L");
        String letter = clinician.upload("discharge letter");
        String notes = clinician.upload("ward round notes");
        String[] toPatientA = clinician.shareByPhone(labs, "+44 20 7946 0101");
        String[] toPatientB = clinician.shareByPhone(letter, "+44 20 7946 0202");
        assertThat(clinician.patientDownloads(toPatientA)).as("patient A downloads their labs").isEqualTo(200);
        for (String f : List.of(labs, letter, notes)) {
            assertThat(clinician.download(f)).isEqualTo(200);
        }

        UUID alert = null;
        for (int i = 0; i < 100 && alert == null; i++) {
            var rows = await(WARDLINE.server().database().pool().preparedQuery("SELECT id FROM security_alerts WHERE rule = "
                    + "'bulk_download' AND actor_user_id = $1").execute(Tuple.of(clinicianDevice.userId())));
            if (rows.size() > 0) {
                alert = rows.iterator().next().getUUID(0);
            } else {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        assertThat(alert).as("the bulk-download alert is raised").isNotNull();

        OfficerClient.Reply opened = officer.post("/v1/admin/incidents", new JsonObject().put("alertId", alert.toString()));
        assertThat(opened.status()).as(String.valueOf(opened.json())).isEqualTo(200);
        String id = opened.json().getString("id");
        String path = "/v1/admin/incidents/" + id;
        assertThat(opened.json().getString("subjectUserId")).isEqualTo(clinicianDevice.userId().toString());

        OfficerClient.Reply suspended = officer.post(path + "/containments", new JsonObject().put("action", "suspend_account")
                .put("userId", clinicianDevice.userId().toString()).put("reason", "bulk_download"));
        long answered = System.nanoTime();
        assertThat(suspended.status()).as(String.valueOf(suspended.json())).isEqualTo(200);
        int status = 200;
        while (status == 200 && System.nanoTime() - answered < Duration.ofSeconds(1).toNanos()) {
            try {
                status = clinician.get("/v1/share-links").status();
            } catch (java.io.IOException refusedHandshake) {
                status = 0;
            }
        }
        assertThat(status).as("refused within a second").isNotEqualTo(200);
        assertThat(clinician.patientStarts(toPatientB)).as("the clinician's links are dead").isEqualTo(410);

        OfficerClient.Reply disclosed = officer.get(path + "/disclosures");
        assertThat(disclosed.status()).as(String.valueOf(disclosed.json())).isEqualTo(200);
        JsonObject totals = disclosed.json().getJsonObject("totals");
        assertThat(totals.getInteger("files")).isEqualTo(3);
        assertThat(totals.getInteger("patients")).isEqualTo(2);
        assertThat(totals.getInteger("filesWithoutAKnownPatient")).isEqualTo(1);
        assertThat(totals.getLong("workforceAccesses")).isEqualTo(3);
        assertThat(totals.getLong("patientDownloads")).isEqualTo(1);
        JsonArray patients = disclosed.json().getJsonArray("patients");
        JsonObject a = patients.stream().map(JsonObject.class::cast).filter(p -> p.getJsonArray("files").contains(labs)).findFirst().orElseThrow();
        assertThat(a.getString("patientKey")).matches("P-[0-9a-f]{16}");
        assertThat(a.getLong("downloaded")).isEqualTo(1);
        assertThat(a.getLong("opened")).isEqualTo(1);
        assertThat(a.getLong("workforceAccesses")).isEqualTo(1);
        assertThat(disclosed.json().encode()).as("no patient contact in the answer").doesNotContain("7946");
        JsonObject labsFile = disclosed.json().getJsonArray("files").stream().map(JsonObject.class::cast)
                .filter(f -> f.getString("fileId").equals(labs)).findFirst().orElseThrow();
        assertThat(labsFile.getJsonArray("accesses").getJsonObject(0).getString("userId")).isEqualTo(clinicianDevice.userId().toString());
        assertThat(labsFile.getJsonArray("accesses").getJsonObject(0).getString("action")).isEqualTo("file.downloaded");

        OfficerClient.Reply sealed = officer.post(path + "/evidence", null);
        assertThat(sealed.status()).as(String.valueOf(sealed.json())).isEqualTo(200);
        assertThat(sealed.json().getInteger("entries")).isGreaterThanOrEqualTo(5);
        assertThat(sealed.json().getInteger("holdsPlaced")).as("the subject's data is held").isEqualTo(1);
        byte[] evidence = java.util.Base64.getDecoder().decode(sealed.json().getString("package"));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("evidence-", ".p7m");
        java.nio.file.Files.write(file, evidence);
        assertThat(PackageVerification.verify(WARDLINE.server(), file)).startsWith("0 evidence package intact");
        String text = new String(evidence, java.nio.charset.StandardCharsets.ISO_8859_1);
        int download = text.indexOf("\"file.downloaded\"");
        assertThat(download).isPositive();
        byte[] edited = evidence.clone();
        edited[download + 2] = (byte) 'F';
        java.nio.file.Files.write(file, edited);
        String named = PackageVerification.verify(WARDLINE.server(), file);
        assertThat(named).startsWith("3 evidence package NOT intact").containsPattern("audit entry \\d+\\) was altered");
        byte[] manifest = evidence.clone();
        int reference = text.indexOf(opened.json().getString("reference"));
        manifest[reference + 4] = (byte) (manifest[reference + 4] == '9' ? '8' : '9');
        java.nio.file.Files.write(file, manifest);
        assertThat(PackageVerification.verify(WARDLINE.server(), file)).startsWith("3 evidence package NOT intact").contains("signature does not match");

        OfficerClient.Reply narrowed = officer.post(path + "/scope", new JsonObject().put("from", Instant.now().minusSeconds(3600).toString())
                .put("to", Instant.now().plusSeconds(60).toString()).put("files", new JsonArray().add(letter)));
        assertThat(narrowed.status()).as(String.valueOf(narrowed.json())).isEqualTo(200);
        assertThat(officer.get(path + "/disclosures").json().getJsonObject("totals").getInteger("patients")).isEqualTo(1);
        assertThat(officer.post(path + "/scope", new JsonObject().put("from", Instant.now().toString())
                .put("to", Instant.now().minusSeconds(60).toString())).error()).isEqualTo("incident.invalid");

        OfficerClient.Reply assessed = officer.post(path + "/assessment", IncidentResponseTest.assessment("breach", "medium", 2));
        assertThat(assessed.status()).as(String.valueOf(assessed.json())).isEqualTo(200);
        assertThat(assessed.json().getJsonObject("assessment").getJsonObject("notification").getJsonArray("requiredRecipients")
                .getList()).containsExactly("individuals");
        assertThat(assessed.json().getJsonObject("assessment").getJsonObject("notification").getString("hhsAnnualLogDue")).isNotNull();
        assertThat(officer.post(path + "/notifications", IncidentResponseTest.notification("individuals", Instant.now()))
                .status()).isEqualTo(200);
        assertThat(officer.post(path + "/status", new JsonObject().put("status", "notified")).status()).isEqualTo(200);
        assertRefused(officer.post(path + "/lessons", new JsonObject().put("lessons", new JsonArray().add("the nurse was tired"))),
                "incident.invalid");
        assertThat(officer.post(path + "/lessons", new JsonObject().put("lessons", new JsonArray().add("detection_worked")
                .add("access_too_broad"))).status()).isEqualTo(200);
        assertThat(officer.post(path + "/status", new JsonObject().put("status", "closed")).status()).isEqualTo(200);

        OfficerClient.Reply report = officer.get(path + "/report");
        assertThat(report.status()).as(String.valueOf(report.json())).isEqualTo(200);
        JsonObject r = report.json().getJsonObject("report");
        assertThat(r.getJsonObject("incident").getString("status")).isEqualTo("closed");
        assertThat(r.getJsonArray("containment").getJsonObject(0).getString("action")).isEqualTo("suspend_account");
        assertThat(r.getJsonObject("disclosures").getJsonObject("totals").getInteger("patients")).isEqualTo(1);
        assertThat(r.getJsonObject("assessment").getString("conclusion")).isEqualTo("breach");
        assertThat(r.getJsonArray("notifications")).hasSize(1);
        assertThat(r.getJsonArray("evidencePackages").getJsonObject(0).getString("sha256")).isEqualTo(sealed.json().getString("sha256"));
        assertThat(r.getJsonArray("lessonsLearned").getList()).containsExactly("access_too_broad", "detection_worked");
        java.nio.file.Files.write(file, java.util.Base64.getDecoder().decode(report.json().getString("signed")));
        assertThat(PackageVerification.verify(WARDLINE.server(), file)).as("the signed report verifies").startsWith("0 evidence package intact");
        byte[] pdf = java.util.Base64.getDecoder().decode(report.json().getString("pdf"));
        assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(pdf)))
                .as("the signed report names the PDF").isEqualTo(r.getString("pdfSha256"));
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            String pdfText = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertThat(pdfText).contains("Incident report " + r.getJsonObject("incident").getString("reference"))
                    .contains("containment.suspend_account").contains("conclusion: breach").contains("patients: 1")
                    .contains("access_too_broad").contains(sealed.json().getString("sha256"));
        }
        assertRefused(officer.post(path + "/lessons", new JsonObject().put("lessons", new JsonArray().add("drill_needed"))),
                "incident.closed");

        List<String> timeline = officer.get(path).json().getJsonArray("timeline").stream()
                .map(e -> ((JsonObject) e).getString("action")).toList();
        assertThat(timeline).containsExactly("incident.opened", "containment.suspend_account", "evidence.sealed", "scope.set",
                "assessment.recorded",
                "notification.recorded", "incident.status.changed", "lessons.recorded", "incident.status.changed");
    }

    private static void assertRefused(OfficerClient.Reply r, String code) {
        assertThat(r.error()).as(String.valueOf(r.json())).isEqualTo(code);
    }

    static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get();
    }
}
