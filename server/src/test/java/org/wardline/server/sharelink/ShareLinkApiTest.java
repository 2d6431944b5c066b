package org.wardline.server.sharelink;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.net.ssl.SSLContext;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShareLinkApiTest {
    static final int SMTP_PORT = freePort();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_MAIL_CONSOLE", "false",
            "WARDLINE_MAIL_SMTP_HOST", "127.0.0.1", "WARDLINE_MAIL_SMTP_PORT", Integer.toString(SMTP_PORT),
            "WARDLINE_MAIL_SMTP_SECURITY", "none"));

    private static final String PATIENT = "patient.one@example.org";
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static final List<String> SEEN_SECRETS = new java.util.ArrayList<>();
    private static final List<String> SEEN_CODES = new java.util.ArrayList<>();

    private static ShareLinkClient alice;
    private static ShareLinkClient bob;

    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    @BeforeAll
    static void devices() throws Exception {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        var a = EnrolledDevices.enroll(WARDLINE.server());
        var b = EnrolledDevices.enroll(WARDLINE.server());
        alice = new ShareLinkClient(WARDLINE.server(), a);
        bob = new ShareLinkClient(WARDLINE.server(), b);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonObject email(String address) {
        return new JsonObject().put("email", address);
    }

    /** Asks for a code and reads it from the mail GreenMail received. */
    static String mailedCode(ShareLinkClient client, ShareLinkClient.Link link) throws Exception {
        int before = MAIL.getReceivedMessages().length;
        HttpResponse<String> started = client.verifyStart(link.id(), link.secret());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        assertThat(new JsonObject(started.body()).getString("channel")).isEqualTo("email");
        assertThat(MAIL.waitForIncomingEmail(10_000, before + 1)).isTrue();
        MimeMessage message = MAIL.getReceivedMessages()[before];
        String body = GreenMailUtil.getBody(message);
        assertThat(message.getAllRecipients()[0].toString()).isEqualTo(PATIENT);
        assertThat(body).doesNotContain(link.secret()).doesNotContain(link.id());
        Matcher m = CODE.matcher(body);
        assertThat(m.find()).as("a 6-digit code in the mail").isTrue();
        SEEN_CODES.add(m.group(1));
        return m.group(1);
    }

    private static ShareLinkClient.Link link(String fileId, String mode, int maxOpens) throws Exception {
        ShareLinkClient.Link link = alice.create(fileId, email(PATIENT), mode, maxOpens);
        SEEN_SECRETS.add(link.secret());
        return link;
    }

    @Test
    @Order(1)
    void aLinkCanOnlyBeCreatedForACommittedFileTheCallerOwns() throws Exception {
        String file = alice.upload("Potassium 4.1 mmol/L".getBytes(StandardCharsets.UTF_8), "text/plain");
        HttpResponse<String> other = bob.createRaw(new JsonObject().put("fileId", file).put("recipient", email(PATIENT)));
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(ShareLinkClient.error(other)).isEqualTo("resource.not_found");
        HttpResponse<String> missing = alice.createRaw(new JsonObject().put("fileId", UUID.randomUUID().toString())
                .put("recipient", email(PATIENT)));
        assertThat(missing.statusCode()).isEqualTo(404);
        HttpResponse<String> noRecipient = alice.createRaw(new JsonObject().put("fileId", file));
        assertThat(noRecipient.statusCode()).isEqualTo(400);
        HttpResponse<String> badMode = alice.createRaw(new JsonObject().put("fileId", file).put("recipient", email(PATIENT))
                .put("mode", "edit"));
        assertThat(badMode.statusCode()).isEqualTo(400);

        HttpResponse<String> created = alice.createRaw(new JsonObject().put("fileId", file).put("recipient", email(PATIENT))
                .put("expiresInHours", 100_000));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject body = new JsonObject(created.body());
        String url = body.getString("url");
        assertThat(url).startsWith(WARDLINE.server().config().publicUrl() + "/s/" + body.getString("id") + "#");
        String secret = url.substring(url.indexOf('#') + 1);
        SEEN_SECRETS.add(secret);
        assertThat(java.util.Base64.getUrlDecoder().decode(secret)).hasSizeGreaterThanOrEqualTo(16);
        assertThat(java.time.Instant.parse(body.getString("expiresAt")))
                .isBefore(java.time.Instant.now().plus(java.time.Duration.ofDays(31)));
        assertThat(body.getString("mode")).isEqualTo("view");
        assertThat(bob.list().getJsonArray("links")).isEmpty();
    }

    @Test
    @Order(2)
    void theEmailedCodeOpensAWatermarkedViewOnceAndCannotBeReplayed() throws Exception {
        String file = alice.upload("Lab report\nHbA1c 6.1 %\n".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link link = link(file, "view", 2);
        int mails = MAIL.getReceivedMessages().length;

        HttpResponse<String> page = alice.page(link.id());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<label for=\"code\"").doesNotContain("http://").doesNotContain("//cdn");
        assertThat(page.headers().firstValue("Content-Security-Policy")).contains(PatientRoutes.CSP);
        assertThat(page.headers().allValues("Content-Security-Policy")).hasSize(1);
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("X-Robots-Tag")).hasValueSatisfying(v -> assertThat(v).contains("noindex"));
        assertThat(MAIL.getReceivedMessages()).as("a GET sends nothing").hasSize(mails);
        assertThat(alice.rowsAsText("SELECT opens FROM share_links WHERE link_id = '" + link.id() + "'")).containsExactly("0");

        String code = mailedCode(alice, link);
        HttpResponse<String> wrongSecret = alice.verify(link.id(), link.secret().substring(1) + "A", code);
        assertThat(wrongSecret.statusCode()).isEqualTo(404);

        HttpResponse<String> verified = alice.verify(link.id(), link.secret(), code);
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        String setCookie = verified.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("Secure").contains("SameSite=Strict")
                .contains("Path=/s/" + link.id());
        String cookie = ShareLinkClient.sessionCookie(verified);

        HttpResponse<String> replay = alice.verify(link.id(), link.secret(), code);
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(ShareLinkClient.error(replay)).isEqualTo("link.code_invalid");

        HttpResponse<String> document = alice.getWithSession("/s/" + link.id() + "/document", cookie,
                HttpResponse.BodyHandlers.ofString());
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(document.body()).getInteger("pages")).isEqualTo(1);
        HttpResponse<byte[]> png = alice.getWithSession("/s/" + link.id() + "/pages/1", cookie,
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(png.body())).getWidth()).isPositive();
        assertThat(alice.getWithSession("/s/" + link.id() + "/download", cookie, HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("a view-only link offers no download").isEqualTo(404);
        assertThat(alice.getWithSession("/s/" + link.id() + "/pages/1", null, HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("no session, nothing served").isEqualTo(401);

        JsonObject listed = alice.list().getJsonArray("links").stream().map(JsonObject.class::cast)
                .filter(l -> l.getString("id").equals(link.id())).findFirst().orElseThrow();
        assertThat(listed.getInteger("opens")).isEqualTo(1);
        assertThat(listed.getJsonArray("history").getJsonObject(0).getString("event")).isEqualTo("opened");
        assertThat(alice.auditCount("sharelink.opened", link.id(), 1)).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aDownloadLinkForAPhoneRecipientStreamsTheFileOnceThenIsExhausted() throws Exception {
        byte[] content = "Discharge letter for download".getBytes(StandardCharsets.UTF_8);
        String file = alice.upload(content, "text/plain");
        ShareLinkClient.Link link = alice.create(file, new JsonObject().put("phone", "+44 20 7946 0958"), "download", 1);
        SEEN_SECRETS.add(link.secret());
        assertThat(link.phoneCode()).hasValueSatisfying(c -> assertThat(c).matches("\\d{6}"));
        SEEN_CODES.add(link.phoneCode().get());
        HttpResponse<String> started = alice.verifyStart(link.id(), link.secret());
        assertThat(new JsonObject(started.body()).getString("channel")).isEqualTo("phone");

        HttpResponse<String> verified = alice.verify(link.id(), link.secret(), link.phoneCode().get());
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        String cookie = ShareLinkClient.sessionCookie(verified);
        HttpResponse<byte[]> download = alice.getWithSession("/s/" + link.id() + "/download", cookie,
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(content);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("attachment"));
        assertThat(alice.getWithSession("/s/" + link.id() + "/download", cookie, HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("one download per open").isEqualTo(401);

        HttpResponse<String> second = alice.verify(link.id(), link.secret(), link.phoneCode().get());
        assertThat(second.statusCode()).isEqualTo(410);
        assertThat(ShareLinkClient.error(second)).isEqualTo("link.exhausted");
        assertThat(ShareLinkClient.error(alice.verifyStart(link.id(), link.secret()))).isEqualTo("link.exhausted");
        assertThat(alice.auditCount("sharelink.downloaded", link.id(), 1)).isEqualTo(1);
    }

    @Test
    @Order(4)
    void revocationEndsTheLinkAndItsSessionsAtOnce() throws Exception {
        String file = alice.upload("Imaging report".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link link = link(file, "view", 3);
        HttpResponse<String> verified = alice.verify(link.id(), link.secret(), mailedCode(alice, link));
        String cookie = ShareLinkClient.sessionCookie(verified);
        assertThat(bob.revoke(link.id()).statusCode()).as("only the owner revokes").isEqualTo(404);
        assertThat(alice.revoke(link.id()).statusCode()).isEqualTo(204);

        HttpResponse<String> document = alice.getWithSession("/s/" + link.id() + "/pages/1", cookie,
                HttpResponse.BodyHandlers.ofString());
        assertThat(document.statusCode()).isEqualTo(410);
        assertThat(ShareLinkClient.error(document)).isEqualTo("link.revoked");
        assertThat(ShareLinkClient.error(alice.verifyStart(link.id(), link.secret()))).isEqualTo("link.revoked");
        assertThat(alice.auditCount("sharelink.revoked", link.id(), 1)).isEqualTo(1);
    }

    @Test
    @Order(5)
    void expiryFileDeletionAndOffboardingEndTheLink() throws Exception {
        String file = alice.upload("Referral".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link expired = link(file, "view", 3);
        alice.sql("UPDATE share_links SET expires_at = now() - interval '1 minute' WHERE link_id = '" + expired.id() + "'");
        HttpResponse<String> r = alice.verifyStart(expired.id(), expired.secret());
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(ShareLinkClient.error(r)).isEqualTo("link.expired");

        String other = alice.upload("Referral two".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link deleted = link(other, "view", 3);
        alice.sql("UPDATE stored_objects SET state = 'DELETED', deleted_at = now() WHERE object_id = '" + other + "'");
        assertThat(ShareLinkClient.error(alice.verifyStart(deleted.id(), deleted.secret()))).isEqualTo("link.revoked");

        String third = alice.upload("Referral three".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link offboarded = link(third, "view", 3);
        UUID owner = UUID.fromString(alice.rowsAsText("SELECT owner_id FROM share_links WHERE link_id = '"
                + offboarded.id() + "'").get(0));
        int revoked = WARDLINE.server().module(ShareLinkModule.class).shareLinks().revokeAllFor(owner)
                .toCompletionStage().toCompletableFuture().get();
        assertThat(revoked).isGreaterThanOrEqualTo(1);
        assertThat(ShareLinkClient.error(alice.verifyStart(offboarded.id(), offboarded.secret()))).isEqualTo("link.revoked");
    }

    @Test
    @Order(6)
    void wrongCodesLockTheLinkAndAlertTheOwner() throws Exception {
        String file = alice.upload("Pathology".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link link = link(file, "view", 3);
        String code = mailedCode(alice, link);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 1; i < RecipientVerification.LOCK_AFTER; i++) {
            HttpResponse<String> r = alice.verify(link.id(), link.secret(), wrong);
            assertThat(ShareLinkClient.error(r)).isEqualTo("link.code_invalid");
        }
        HttpResponse<String> last = alice.verify(link.id(), link.secret(), wrong);
        assertThat(last.statusCode()).isEqualTo(423);
        assertThat(ShareLinkClient.error(last)).isEqualTo("link.locked");
        assertThat(ShareLinkClient.error(alice.verify(link.id(), link.secret(), code))).as("even the right code")
                .isEqualTo("link.locked");
        assertThat(alice.auditCount("sharelink.locked", link.id(), 1)).isEqualTo(1);
        assertThat(alice.auditCount("sharelink.verification", link.id(), RecipientVerification.LOCK_AFTER + 2))
                .as("code sent, wrong codes, refused right code").isGreaterThanOrEqualTo(RecipientVerification.LOCK_AFTER + 2);
    }

    @Test
    @Order(7)
    void guessedIdsAndWrongSecretsLookTheSameAndServeNothing() throws Exception {
        String file = alice.upload("Cardiology".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link link = link(file, "view", 3);
        HttpResponse<String> guessed = alice.verifyStart(UUID.randomUUID().toString(), link.secret());
        HttpResponse<String> wrongSecret = alice.verifyStart(link.id(), "A".repeat(43));
        HttpResponse<String> malformed = alice.verifyStart(link.id(), "not-a-secret");
        for (HttpResponse<String> r : List.of(guessed, wrongSecret, malformed)) {
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(ShareLinkClient.error(r)).isEqualTo("resource.not_found");
        }
        assertThat(alice.verifyStart("../../v1/files", link.secret()).statusCode()).isEqualTo(404);
        assertThat(alice.getWithSession("/s/" + link.id() + "/document", "wl_share=" + "B".repeat(43),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(7)
    void externalSharingFollowsTheDlpPolicyAndRecordsTheDecision() throws Exception {
        String ssn = alice.upload("Patient SSN: 536-22-8841\n".getBytes(StandardCharsets.UTF_8), "text/plain");
        HttpResponse<String> quarantined = alice.createRaw(new JsonObject().put("fileId", ssn).put("recipient", email(PATIENT)));
        assertThat(quarantined.statusCode()).as(quarantined.body()).isEqualTo(422);
        assertThat(ShareLinkClient.error(quarantined)).isEqualTo("link.file_not_shareable");
        assertThat(new JsonObject(quarantined.body()).getJsonObject("verdict").getString("found"))
                .as("the refusal says what was found").isEqualTo("1 social security number");
        assertThat(quarantined.body()).as("counts, never the value").doesNotContain("536-22-8841").doesNotContain("8841");

        String dea = alice.upload("Prescriber DEA number: AB1234563\n".getBytes(StandardCharsets.UTF_8), "text/plain");
        HttpResponse<String> unjustified = alice.createRaw(new JsonObject().put("fileId", dea).put("recipient", email(PATIENT)));
        assertThat(unjustified.statusCode()).as(unjustified.body()).isEqualTo(422);
        assertThat(ShareLinkClient.error(unjustified)).isEqualTo("link.justification_required");
        JsonObject verdict = new JsonObject(unjustified.body()).getJsonObject("verdict");
        assertThat(verdict.getString("found")).isEqualTo("1 DEA number");
        assertThat(verdict.getString("decision")).isEqualTo("REQUIRE_JUSTIFICATION");
        assertThat(unjustified.body()).doesNotContain("AB1234563");
        HttpResponse<String> justified = alice.createRaw(new JsonObject().put("fileId", dea).put("recipient", email(PATIENT))
                .put("justification", "Patient asked for the prescription record"));
        assertThat(justified.statusCode()).as(justified.body()).isEqualTo(201);
        String id = new JsonObject(justified.body()).getString("id");
        SEEN_SECRETS.add(new JsonObject(justified.body()).getString("url").replaceFirst(".*#", ""));
        assertThat(alice.auditCount("sharelink.created", id, 1)).isEqualTo(1);
        assertThat(alice.rowsAsText("SELECT details FROM audit_entries WHERE action = 'sharelink.created' AND object_id = '"
                + id + "'").get(0)).contains("REQUIRE_JUSTIFICATION").contains("\"justified\":true");
    }

    @Test
    @Order(7)
    void aPdfIsShownPageByPageAsWatermarkedImages() throws Exception {
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            for (String text : List.of("Radiology report, page one", "Page two: impression")) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
                    content.newLineAtOffset(72, 700);
                    content.showText(text);
                    content.endText();
                }
            }
            doc.save(pdf);
        }
        String file = alice.upload(pdf.toByteArray(), "application/pdf");
        ShareLinkClient.Link link = link(file, "view", 1);
        HttpResponse<String> verified = alice.verify(link.id(), link.secret(), mailedCode(alice, link));
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        String cookie = ShareLinkClient.sessionCookie(verified);
        HttpResponse<String> document = alice.getWithSession("/s/" + link.id() + "/document", cookie,
                HttpResponse.BodyHandlers.ofString());
        assertThat(new JsonObject(document.body()).getInteger("pages")).isEqualTo(2);
        HttpResponse<byte[]> second = alice.getWithSession("/s/" + link.id() + "/pages/2", cookie,
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(second.statusCode()).isEqualTo(200);
        java.awt.image.BufferedImage image = ImageIO.read(new ByteArrayInputStream(second.body()));
        assertThat(image.getWidth()).isGreaterThan(500);
        assertThat(alice.getWithSession("/s/" + link.id() + "/pages/3", cookie, HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }

    @Test
    @Order(8)
    void theDatabaseAndTheAuditTrailHoldNoLinkSecretCodeOrAddress() throws Exception {
        assertThat(SEEN_SECRETS).hasSizeGreaterThan(5);
        StringBuilder everything = new StringBuilder();
        for (String table : List.of("share_links", "share_link_codes", "share_link_sessions", "share_link_events")) {
            alice.rowsAsText("SELECT row_to_json(t)::text FROM " + table + " t").forEach(everything::append);
        }
        String shareTables = everything.toString();
        String audit = String.join("\n", alice.rowsAsText("SELECT row_to_json(t)::text FROM audit_entries t"));
        for (String secret : SEEN_SECRETS) {
            byte[] raw = java.util.Base64.getUrlDecoder().decode(secret);
            String hex = java.util.HexFormat.of().formatHex(raw);
            assertThat(shareTables).doesNotContain(secret).doesNotContain(hex);
            assertThat(audit).doesNotContain(secret).doesNotContain(hex);
        }
        for (String code : SEEN_CODES) {
            assertThat(audit).doesNotContain(code);
        }
        assertThat(audit).doesNotContain(PATIENT).doesNotContain("lab-report");

        List<ILoggingEvent> events;
        synchronized (LOGS) {
            events = List.copyOf(LOGS.list);
        }
        assertThat(events).isNotEmpty();
        StringBuilder logged = new StringBuilder();
        for (ILoggingEvent e : events) {
            if (e.getLoggerName().startsWith("com.icegreen")) {
                continue; // the test's own mail server
            }
            logged.append(e.getFormattedMessage()).append(' ');
            if (e.getKeyValuePairs() != null) {
                e.getKeyValuePairs().forEach(kv -> logged.append(kv.key).append('=').append(kv.value).append(' '));
            }
            if (e.getThrowableProxy() != null) {
                logged.append(e.getThrowableProxy().getMessage()).append(' ');
            }
        }
        String log = logged.toString();
        for (String secret : SEEN_SECRETS) {
            assertThat(log).doesNotContain(secret);
        }
        for (String code : SEEN_CODES) {
            assertThat(log).doesNotContain(code);
        }
        assertThat(log).doesNotContain(PATIENT).doesNotContain("@example.org");
    }

    @Test
    @Order(9)
    void oneSourceGuessingFastIsCutOff() throws Exception {
        String file = alice.upload("Dermatology".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link link = link(file, "view", 3);
        HttpResponse<String> r = null;
        for (int i = 0; i <= ShareLinkModule.FAILURES_PER_SOURCE; i++) {
            r = alice.verifyStart(UUID.randomUUID().toString(), link.secret());
            if (r.statusCode() == 429) {
                break;
            }
        }
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(alice.verifyStart(link.id(), link.secret()).statusCode()).as("even with the right secret").isEqualTo(429);
    }
}
