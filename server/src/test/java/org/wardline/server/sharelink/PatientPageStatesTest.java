package org.wardline.server.sharelink;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.account.Role;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.SignedInDevice;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The patient page's states over its API: a new code on request (the old one dies, a few per hour), a lock that
 * alerts the security officer and tells the sender, who (or an officer) can lift it, the text beside each page image,
 * and the organisation's branding from configuration.
 */
class PatientPageStatesTest {
    static final int SMTP_PORT = ShareLinkApiTest.freePort();
    private static final String PATIENT = "patient.states@example.org";
    private static final String SENDER_MAIL = "nurse.sender@hospital.example";
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    static final Path LOGO = logo();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_MAIL_CONSOLE", "false",
            "WARDLINE_MAIL_SMTP_HOST", "127.0.0.1", "WARDLINE_MAIL_SMTP_PORT", Integer.toString(SMTP_PORT),
            "WARDLINE_MAIL_SMTP_SECURITY", "none", "WARDLINE_BRANDING_ORGANISATION", "St Example Hospital",
            "WARDLINE_BRANDING_CONTACT", "Questions? Call Ward 7 on 555 0100", "WARDLINE_BRANDING_LOGO", LOGO.toString()));

    private static ShareLinkClient nurse;
    private static SignedInDevice nurseDevice;
    private static ShareLinkClient otherClinician;
    private static ShareLinkClient officer;

    static Path logo() {
        try {
            Path file = Files.createTempFile("wardline-logo-", ".png");
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(120, 40, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = image.createGraphics();
            g.setColor(new java.awt.Color(0, 94, 184));
            g.fillRect(0, 0, 120, 40);
            g.setColor(java.awt.Color.WHITE);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 24));
            g.drawString("SEH", 34, 29);
            g.dispose();
            javax.imageio.ImageIO.write(image, "png", file.toFile());
            file.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void devices() throws Exception {
        nurseDevice = EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.NURSE), LocalDate.now().plusYears(1));
        nurse = new ShareLinkClient(WARDLINE.server(), nurseDevice);
        nurse.sql("UPDATE users SET email = '" + SENDER_MAIL + "' WHERE id = '" + nurseDevice.userId() + "'");
        otherClinician = new ShareLinkClient(WARDLINE.server(), EnrolledDevices.enroll(WARDLINE.server()));
        officer = new ShareLinkClient(WARDLINE.server(), EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(),
                Set.of(Role.SECURITY_OFFICER), LocalDate.now().plusYears(1)));
    }

    private static ShareLinkClient.Link textLink(String text) throws Exception {
        String file = nurse.upload(text.getBytes(StandardCharsets.UTF_8), "text/plain");
        return nurse.create(file, new JsonObject().put("email", PATIENT), "view", 3);
    }

    private static List<MimeMessage> mailTo(String address) throws Exception {
        List<MimeMessage> out = new java.util.ArrayList<>();
        for (MimeMessage m : MAIL.getReceivedMessages()) {
            if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address))) {
                out.add(m);
            }
        }
        return out;
    }

    /** Waits for the patient's next code mail and returns its code. */
    private static String nextCode(int before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mailTo(PATIENT).size() <= before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<MimeMessage> mails = mailTo(PATIENT);
        assertThat(mails).as("a code mail").hasSizeGreaterThan(before);
        assertThat(GreenMailUtil.getBody(mails.get(before))).as("the mail names the hospital, as the page does")
                .contains("St Example Hospital shared a document with you");
        Matcher m = CODE.matcher(GreenMailUtil.getBody(mails.get(before)));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static HttpResponse<String> resend(ShareLinkClient.Link link) throws Exception {
        return nurse.postPublic("/s/" + link.id() + "/verify-start", new JsonObject().put("secret", link.secret()).put("resend", true));
    }

    private static HttpResponse<String> post(ShareLinkClient client, String path) throws Exception {
        return client.send(path);
    }

    @Test
    void aNewCodeOnRequestReplacesTheOldOneAndIsAudited() throws Exception {
        ShareLinkClient.Link link = textLink("Potassium 4.1 mmol/L");
        int before = mailTo(PATIENT).size();
        HttpResponse<String> started = nurse.verifyStart(link.id(), link.secret());
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(started.body()).getString("sender")).as("the sender's name, once the secret is proven")
                .startsWith("Test ");
        String first = nextCode(before);
        HttpResponse<String> again = resend(link);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        String second = nextCode(before + 1);
        if (!first.equals(second)) {
            HttpResponse<String> old = nurse.verify(link.id(), link.secret(), first);
            assertThat(old.statusCode()).as("the earlier code died").isEqualTo(403);
            assertThat(ShareLinkClient.error(old)).isEqualTo("link.code_invalid");
        }
        assertThat(nurse.verify(link.id(), link.secret(), second).statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> steps;
        do {
            steps = nurse.rowsAsText("SELECT details FROM audit_entries WHERE action = 'sharelink.verification' AND object_id = '"
                    + link.id() + "' ORDER BY seq");
        } while (steps.stream().noneMatch(d -> d.contains("\"resend\"")) && System.nanoTime() < deadline);
        assertThat(steps).anySatisfy(d -> assertThat(d).contains("\"step\":\"resend\"", "\"result\":\"code-sent\""));
    }

    @Test
    void codesAreLimitedPerHourWithAMessageThePatientCanActOn() throws Exception {
        ShareLinkClient.Link link = textLink("Sodium 139 mmol/L");
        assertThat(nurse.verifyStart(link.id(), link.secret()).statusCode()).isEqualTo(200);
        for (int i = 1; i < RecipientVerification.CODES_PER_HOUR; i++) {
            assertThat(resend(link).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = resend(link);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(ShareLinkClient.error(refused)).isEqualTo("link.too_many_codes");
        assertThat(new JsonObject(refused.body()).getString("message")).contains("Use the latest code we sent");
    }

    @Test
    void aLockedLinkAlertsTheOfficerTellsTheSenderAndOnlyTheSenderOrAnOfficerCanLiftIt() throws Exception {
        ShareLinkClient.Link link = textLink("Creatinine 88 umol/L");
        int before = mailTo(PATIENT).size();
        assertThat(nurse.verifyStart(link.id(), link.secret()).statusCode()).isEqualTo(200);
        String code = nextCode(before);
        String wrong = code.equals("000000") ? "111111" : "000000";
        HttpResponse<String> last = null;
        for (int i = 0; i < RecipientVerification.LOCK_AFTER; i++) {
            last = nurse.verify(link.id(), link.secret(), wrong);
        }
        assertThat(last.statusCode()).isEqualTo(423);
        assertThat(new JsonObject(last.body()).getString("message")).contains("the person who sent it has been told");

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (mailTo(SENDER_MAIL).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        MimeMessage notice = mailTo(SENDER_MAIL).getLast();
        assertThat(GreenMailUtil.getBody(notice)).contains("wardline share unlock " + link.id()).doesNotContain(PATIENT);

        List<String> alert;
        long alertDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        do {
            WARDLINE.server().alerting().pollNow();
            Thread.sleep(100);
            alert = nurse.rowsAsText("SELECT actor_user_id FROM security_alerts WHERE rule = 'share_link_locked' AND object_id = '"
                    + link.id() + "'");
        } while (alert.isEmpty() && System.nanoTime() < alertDeadline);
        assertThat(alert).as("the security officer's alert names the sender").containsExactly(nurseDevice.userId().toString());

        assertThat(post(otherClinician, "/v1/share-links/" + link.id() + "/unlock").statusCode())
                .as("another clinician cannot lift it").isEqualTo(404);
        assertThat(post(otherClinician, "/v1/admin/share-links/" + link.id() + "/unlock").statusCode())
                .as("nor through the officer's route").isEqualTo(403);
        assertThat(ShareLinkClient.error(nurse.verifyStart(link.id(), link.secret()))).isEqualTo("link.locked");

        HttpResponse<String> unlocked = post(nurse, "/v1/share-links/" + link.id() + "/unlock");
        assertThat(unlocked.statusCode()).as(unlocked.body()).isEqualTo(200);
        assertThat(new JsonObject(unlocked.body()).getBoolean("unlocked")).isTrue();
        assertThat(nurse.auditCount("sharelink.unlocked", link.id(), 1)).isEqualTo(1);
        assertThat(ShareLinkClient.error(nurse.verify(link.id(), link.secret(), code)))
                .as("the code live at the lock died with it").isEqualTo("link.code_invalid");
        int now = mailTo(PATIENT).size();
        HttpResponse<String> restarted = nurse.verifyStart(link.id(), link.secret());
        assertThat(restarted.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(restarted.body()).getInteger("attemptsLeft")).isEqualTo(RecipientVerification.LOCK_AFTER - 1);
        assertThat(nurse.verify(link.id(), link.secret(), nextCode(now)).statusCode()).isEqualTo(200);
        assertThat(new JsonObject(post(nurse, "/v1/share-links/" + link.id() + "/unlock").body()).getBoolean("unlocked"))
                .as("not locked: nothing to lift").isFalse();
    }

    @Test
    void aSecurityOfficerCanLiftALockAndTheTrailSaysSo() throws Exception {
        ShareLinkClient.Link link = textLink("Urea 5.2 mmol/L");
        nurse.sql("UPDATE share_links SET locked_at = now(), failed_attempts = 5 WHERE link_id = '" + link.id() + "'");
        assertThat(post(officer, "/v1/share-links/" + link.id() + "/unlock").statusCode())
                .as("an officer holds no share permission").isEqualTo(403);
        HttpResponse<String> lifted = post(officer, "/v1/admin/share-links/" + link.id() + "/unlock");
        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        assertThat(new JsonObject(lifted.body()).getBoolean("unlocked")).isTrue();
        assertThat(nurse.auditCount("sharelink.unlocked", link.id(), 1)).isEqualTo(1);
        assertThat(nurse.rowsAsText("SELECT details FROM audit_entries WHERE action = 'sharelink.unlocked' AND object_id = '"
                + link.id() + "'")).singleElement().asString().contains("\"by\":\"security-officer\"");
        assertThat(nurse.verifyStart(link.id(), link.secret()).statusCode()).isEqualTo(200);
    }

    @Test
    void eachViewOnlyPageHasItsTextBesideItMarkedAndAudited() throws Exception {
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            for (String text : List.of("Radiology report, page one", "Page two: no acute findings")) {
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
        String file = nurse.upload(pdf.toByteArray(), "application/pdf");
        ShareLinkClient.Link link = nurse.create(file, new JsonObject().put("email", PATIENT), "view", 2);
        assertThat(nurse.getWithSession("/s/" + link.id() + "/pages/1/text", null, HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("no session, no text").isEqualTo(401);
        int before = mailTo(PATIENT).size();
        nurse.verifyStart(link.id(), link.secret());
        String cookie = ShareLinkClient.sessionCookie(nurse.verify(link.id(), link.secret(), nextCode(before)));

        HttpResponse<String> two = nurse.getWithSession("/s/" + link.id() + "/pages/2/text", cookie, HttpResponse.BodyHandlers.ofString());
        assertThat(two.statusCode()).isEqualTo(200);
        JsonObject page = new JsonObject(two.body());
        assertThat(page.getString("text")).isEqualTo("Page two: no acute findings");
        assertThat(page.getString("watermark")).startsWith("For " + PATIENT).endsWith("link " + link.id());
        assertThat(nurse.getWithSession("/s/" + link.id() + "/pages/3/text", cookie, HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> views;
        do {
            views = nurse.rowsAsText("SELECT details FROM audit_entries WHERE action = 'sharelink.viewed' AND object_id = '"
                    + link.id() + "'");
        } while (views.isEmpty() && System.nanoTime() < deadline);
        assertThat(views).singleElement().asString().contains("\"rendition\":\"text\"", "\"page\":2");
    }

    @Test
    void thePageShowsTheOrganisationsNameLogoAndContactFromConfiguration() throws Exception {
        HttpResponse<String> branding = nurse.getWithSession("/share-assets/branding.json", null, HttpResponse.BodyHandlers.ofString());
        assertThat(branding.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(branding.body())).isEqualTo(new JsonObject().put("organisation", "St Example Hospital")
                .put("contact", "Questions? Call Ward 7 on 555 0100").put("logo", true));
        assertThat(branding.headers().firstValue("Content-Security-Policy")).hasValue(PatientRoutes.CSP);
        HttpResponse<byte[]> logo = nurse.getWithSession("/share-assets/logo", null, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(logo.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(logo.body()).isEqualTo(Files.readAllBytes(LOGO));
    }
}
