package org.wardline.server.webapp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.protocol.Secret;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security officer's console in headless Chromium against the real server: the officer enrolls this browser and
 * signs in with password and TOTP; revokes one of a nurse's devices, wipes another (answering the step-up prompt)
 * and sees the wipe confirmed once the device itself confirms; acknowledges an alert and opens the audit entry
 * behind it; finds the nurse's audit entries and those of a link sent to a patient's address, verifies the trail and
 * exports it; generates and signs off an access review. An administrator changes a retention period (refused below the
 * audit floor) and places and releases a legal hold. An account without a console role is refused. axe-core on every screen; screenshots at 1280×800 and
 * 1024×768 in target/screenshots.
 */
class SecurityConsoleBrowserTest {
    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static WardlineApi api;
    private static WardlineApi.Account admin;
    private static WardlineApi.Account officer;
    private static WardlineApi.Account nurse;

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin.console");
        // The first day: with nobody else to approve, the first admin may create the security officer directly.
        officer = api.createAndSignIn(admin, "so.console", new JsonArray().add("security_officer"), "2099-01-01");
        nurse = api.createAndSignIn(admin, "nurse.console", new JsonArray().add("nurse"), "2099-01-01");
        Files.createDirectories(SCREENSHOTS);
    }

    @Test
    void theSecurityOfficerWipesADeviceAcknowledgesAnAlertFindsAuditEntriesAndSignsOffAReview() throws Exception {
        DeviceIdentity toRevoke = EnrolledDevices.enrollOnly(WARDLINE.server(), nurse.id);
        DeviceIdentity lost = EnrolledDevices.enrollOnly(WARDLINE.server(), nurse.id);
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.get("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/console/");

        heading(wait, "Enroll this browser before using the console");
        AxeCheck.assertAccessible(browser, "console enroll first");
        click(browser, "Sign in to enroll this browser");
        heading(wait, "Sign in to enroll this browser");
        signIn(browser, wait, officer);
        heading(wait, "Enroll this browser");
        labelled(browser, "Name for this device").clear();
        labelled(browser, "Name for this device").sendKeys("Security office PC");
        click(browser, "Enroll this browser");
        heading(wait, "Sign in to the security console");
        assertThat(main(browser)).contains("This browser is now your device “Security office PC”");
        AxeCheck.assertAccessible(browser, "console sign-in");
        screenshots(browser, "sign-in");
        signIn(browser, wait, officer);

        // Users: the first section; from the nurse's row to her devices.
        heading(wait, "Users");
        assertThat(browser.findElement(By.cssSelector("header")).getText()).contains("Signed in as so.console");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-user='" + nurse.id + "']")));
        assertThat(browser.findElement(By.xpath("//tr[.//span[@data-user='" + nurse.id + "']]")).getText()).contains("nurse.console", "active", "nurse", "2099-01-01");
        assertThat(browser.findElements(By.xpath("//button[starts-with(@aria-label, 'Disable')]")))
                .as("a security officer reads accounts; disabling one is an administrator's").isEmpty();
        AxeCheck.assertAccessible(browser, "users");
        screenshots(browser, "users");
        // A message one device acknowledged without reading it (its ACK said so): the Devices screen counts it.
        WARDLINE.server().database().pool().preparedQuery("""
                        WITH c AS (INSERT INTO conversations (group_id, created_by) VALUES ($2, $3) RETURNING id)
                        INSERT INTO unread_deliveries (device_id, message_id, conversation_id, sender_device, reason)
                        SELECT $1, 7, c.id, $3, 'undecryptable' FROM c""")
                .execute(io.vertx.sqlclient.Tuple.of(toRevoke.deviceId(), io.vertx.core.buffer.Buffer.buffer(new byte[16]),
                        java.util.UUID.randomUUID())).toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        browser.findElement(By.xpath("//button[@aria-label='Devices of nurse.console']")).click();
        heading(wait, "Devices");
        assertThat(new Select(labelled(browser, "Whose devices")).getFirstSelectedOption().getText()).isEqualTo("nurse.console");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("caption"), "Devices of nurse.console"));
        wait.until(d -> d.findElements(By.cssSelector("[data-device]")).size() == 2);
        assertThat(row(browser, toRevoke.deviceId()).getText()).contains("1 message it could not read");
        assertThat(row(browser, lost.deviceId()).getText()).doesNotContain("could not read");
        AxeCheck.assertAccessible(browser, "devices");
        screenshots(browser, "devices");

        row(browser, toRevoke.deviceId()).findElement(By.xpath(".//button[normalize-space()='Revoke']")).click();
        WebElement yesRevoke = row(browser, toRevoke.deviceId()).findElement(By.xpath(".//button[normalize-space()='Yes, revoke']"));
        assertThat(browser.switchTo().activeElement()).as("focus moves to the confirmation").isEqualTo(yesRevoke);
        yesRevoke.click();
        wait.until(d -> "revoked".equals(state(d, toRevoke.deviceId())));
        assertThat(status(browser)).contains("test device is revoked.");
        assertThat(one("SELECT revoked_at IS NOT NULL FROM devices WHERE id = $1", toRevoke.deviceId()).getBoolean(0)).isTrue();

        // The second factor of the sign-in is no longer fresh: the wipe asks for a code first.
        update("UPDATE sessions SET mfa_at = now() - interval '1 day' WHERE user_id = $1", officer.id);
        row(browser, lost.deviceId()).findElement(By.xpath(".//button[normalize-space()='Wipe']")).click();
        row(browser, lost.deviceId()).findElement(By.xpath(".//button[normalize-space()='Yes, wipe']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-up")));
        assertThat(browser.findElement(By.id("step-up")).getText()).contains("Confirm it is you", "fresh second factor");
        assertThat(browser.switchTo().activeElement().getAttribute("name")).isEqualTo("step-up-code");
        AxeCheck.assertAccessible(browser, "step-up prompt");
        screenshots(browser, "step-up");
        assertThat(count("SELECT count(*) FROM device_wipes WHERE device_id = $1", lost.deviceId()))
                .as("nothing is wiped before the code").isZero();
        labelled(browser, "Authenticator code").sendKeys(officer.nextCode());
        click(browser, "Confirm");
        wait.until(d -> "wipe-pending".equals(state(d, lost.deviceId())));
        assertThat(status(browser)).contains("Wipe of test device requested.");

        // The lost device connects, erases itself and confirms; the console sees it without a reload.
        WardlineApi lostDevice = WardlineApi.device(WARDLINE.server(), keyStore(lost));
        assertThat(lostDevice.get("/v1/devices/me/wipe", null).json().getString("wipe")).isEqualTo("pending");
        WardlineApi.Reply confirmed = lostDevice.post("/v1/devices/me/wipe/confirm", null, null);
        assertThat(confirmed.status()).as(String.valueOf(confirmed.json())).isEqualTo(200);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "wiped".equals(state(d, lost.deviceId())));
        assertThat(status(browser)).contains("Wipe of test device confirmed by the device");
        assertThat(browser.findElement(By.cssSelector("[data-device='" + lost.deviceId() + "']")).getText())
                .startsWith("Wipe confirmed by the device");
        AxeCheck.assertAccessible(browser, "wipe confirmed");
        screenshots(browser, "wipe-confirmed");
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'device.wipe.requested' AND object_id = $1 AND actor_user_id = $2",
                lost.deviceId().toString(), officer.id)).as("the wipe is audited as the officer's, like its API call").isEqualTo(1);

        // Alerts: one raised from a real audit entry (a failed sign-in of the nurse).
        WardlineApi.Reply wrong = api.post("/v1/auth/login", null, new JsonObject().put("username", nurse.username).put("password", "not the password"));
        assertThat(wrong.status()).isEqualTo(401);
        long failedSeq = eventuallySeq("auth.signin.failed");
        UUID alert = UUID.randomUUID();
        update("INSERT INTO security_alerts (id, rule, severity, occurred_at, audit_seq, alert_count, actor_user_id, object_type, object_id, summary) "
                + "VALUES ($1, 'failed_signin_burst', 'WARNING', now(), $2, 1, $3, 'user', $4, 'repeated failed sign-ins')",
                alert, failedSeq, nurse.id, nurse.id.toString());
        click(browser, "Alerts");
        heading(wait, "Alerts");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-alert='" + alert + "']"), "Open"));
        AxeCheck.assertAccessible(browser, "alerts");
        screenshots(browser, "alerts");
        browser.findElement(By.xpath("//button[starts-with(@aria-label, 'Acknowledge alert failed_signin_burst')]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main [role=status]"), "acknowledged"));
        assertThat(browser.findElements(By.cssSelector("[data-alert='" + alert + "']"))).as("open alerts only").isEmpty();
        Row acked = one("SELECT acknowledged_by FROM security_alerts WHERE id = $1", alert);
        assertThat(acked.getUUID(0)).isEqualTo(officer.id);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'alert.acknowledged' AND object_id = $1 AND actor_user_id = $2",
                alert.toString(), officer.id)).isEqualTo(1);
        browser.findElement(By.xpath("//label[normalize-space()='Include acknowledged alerts']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-alert='" + alert + "']"), "Acknowledged"));
        assertThat(browser.findElement(By.cssSelector("[data-alert='" + alert + "']")).getText()).contains("by so.console");
        browser.findElement(By.xpath("//button[normalize-space()='Audit entry " + failedSeq + "']")).click();
        heading(wait, "Audit trail");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-results=audit]")));
        List<WebElement> behind = browser.findElements(By.cssSelector("[data-results=audit] tbody tr"));
        assertThat(behind).hasSize(1);
        assertThat(behind.get(0).getText()).contains(String.valueOf(failedSeq), "auth.signin.failed");

        // Audit search: a user's entries, an object's entries, the trail's integrity, an export.
        labelled(browser, "Entry number").clear();
        new Select(labelled(browser, "By user")).selectByVisibleText("nurse.console");
        click(browser, "Search");
        // Every entry shown is the nurse's: her enrollments and the failed sign-in, not only the one entry shown before.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("[data-results=audit] tbody tr"));
            return rows.size() > 1 && d.findElement(By.cssSelector("[data-results=audit]")).getText().contains("device.enrolled")
                    && rows.stream().allMatch(tr -> tr.findElements(By.tagName("td")).get(3).getText().equals("nurse.console"));
        });
        assertThat(browser.findElement(By.cssSelector("[data-results=audit]")).getText()).contains("auth.signin.failed", "device.wiped");
        AxeCheck.assertAccessible(browser, "audit search");
        screenshots(browser, "audit");

        new Select(labelled(browser, "By user")).selectByVisibleText("Anyone");
        labelled(browser, "File, device or other object ID").sendKeys(lost.deviceId().toString());
        click(browser, "Search");
        // The officer's wipe request names the device; the user search before it (the nurse's entries) did not hold it.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("[data-results=audit] tbody tr"));
            String all = d.findElement(By.cssSelector("[data-results=audit]")).getText();
            return all.contains("device.wipe.requested") && all.contains("device.wiped")
                    && rows.stream().allMatch(tr -> tr.getText().contains(lost.deviceId().toString()));
        });

        // By patient contact: the entries of the link a clinician sent to that address, found by its keyed hash.
        String link = shareWithPatient("Pat.Console.Sixteen@example.org");
        labelled(browser, "File, device or other object ID").clear();
        labelled(browser, "Patient contact: e-mail address or phone number").sendKeys(" pat.console.sixteen@EXAMPLE.org");
        click(browser, "Find links to this contact");
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("[data-results=audit] tbody tr"));
            return !rows.isEmpty() && d.findElement(By.cssSelector("[data-results=audit]")).getText().contains("sharelink.created")
                    && rows.stream().allMatch(tr -> tr.getText().contains("sharelink " + link));
        });
        assertThat(browser.findElement(By.cssSelector("[data-results=audit] caption")).getText())
                .isEqualTo("Entries of links sent to this contact, newest first");
        AxeCheck.assertAccessible(browser, "audit by patient contact");
        screenshots(browser, "audit-contact");
        assertThat(count("SELECT count(*) FROM audit_entries WHERE lower(details) LIKE '%sixteen%'")).as("no contact in the trail").isZero();

        click(browser, "Verify the whole trail");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Intact:"));
        String from = Instant.now().minus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).toString();
        String to = Instant.now().plus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).toString();
        setValue(browser, labelled(browser, "From (UTC)"), from);
        setValue(browser, labelled(browser, "Until (UTC)"), to);
        click(browser, "Export the time range");
        WebElement download = wait.until(ExpectedConditions.visibilityOfElementLocated(By.partialLinkText("Download the export")));
        assertThat(download.getAttribute("download")).isEqualTo("wardline-audit.csv");
        assertThat(download.getAttribute("href")).startsWith("blob:");
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'audit.exported' AND actor_user_id = $1", officer.id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'audit.searched' AND actor_user_id = $1", officer.id))
                .as("each search is itself in the trail").isEqualTo(4);
        AxeCheck.assertAccessible(browser, "audit verified and exported");

        // Access review: generate, read, sign off.
        click(browser, "Access reviews");
        heading(wait, "Access reviews");
        click(browser, "Generate an access review");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Review generated"));
        assertThat(main(browser)).contains("nurse.console", "so.console", "Report fingerprint (SHA-256)");
        browser.findElement(By.xpath("//label[starts-with(normalize-space(), 'Approved')]")).click();
        AxeCheck.assertAccessible(browser, "access review");
        screenshots(browser, "review");
        click(browser, "Sign off");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-signed]")));
        assertThat(browser.findElement(By.cssSelector("[data-signed]")).getText()).contains("Signed off as approved by so.console");
        String review = browser.findElement(By.cssSelector("[data-signed]")).getAttribute("data-signed");
        Row signed = one("SELECT signed_by, decision FROM access_reviews WHERE id = $1", UUID.fromString(review));
        assertThat(signed.getUUID(0)).isEqualTo(officer.id);
        assertThat(signed.getString(1)).isEqualTo("approved");
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'accessreview.signed' AND object_id = $1", review)).isEqualTo(1);
        screenshots(browser, "review-signed");

        // Reports: the HIPAA evidence and an accounting of disclosures, each audited when produced.
        click(browser, "Reports");
        heading(wait, "Reports");
        click(browser, "Show the HIPAA evidence");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-report=hipaa] tbody tr")));
        assertThat(browser.findElement(By.cssSelector("[data-report=hipaa]")).getText()).contains("164.312");
        labelled(browser, "Patient contact: e-mail address or phone number").sendKeys("no.such.patient@example.org");
        click(browser, "Show disclosures");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "No file was disclosed to this contact."));
        AxeCheck.assertAccessible(browser, "reports");
        screenshots(browser, "reports");
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action IN ('report.hipaa_evidence', 'report.disclosures') AND actor_user_id = $1",
                officer.id)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE details LIKE '%no.such.patient%'")).as("no contact in the trail").isZero();

        // Incidents: the register and one incident's timeline, opened through the same API as the CLI's.
        api.stepUp(officer);
        WardlineApi.Reply opened = api.post("/v1/admin/incidents", officer.accessToken, new JsonObject()
                .put("category", "misdirected_share").put("severity", "low"));
        assertThat(opened.status()).as(String.valueOf(opened.json())).isEqualTo(200);
        String reference = opened.json().getString("reference");
        click(browser, "Incidents");
        heading(wait, "Incidents");
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[@aria-label='Open record of " + reference + "']"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-timeline='" + opened.json().getString("id") + "']")));
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Incident " + reference);
        assertThat(browser.findElements(By.cssSelector("[data-timeline] tbody tr"))).isNotEmpty();
        assertThat(main(browser)).contains("misdirected_share", "so.console");
        AxeCheck.assertAccessible(browser, "incident record");
        screenshots(browser, "incident");
    }

    @Test
    void theAdministratorChangesARetentionPeriodPlacesAndReleasesALegalHoldAndChangesATeam() throws Exception {
        WardlineApi.Reply ward = api.post("/v1/admin/teams", admin.accessToken, new JsonObject().put("name", "Ward 7 console"));
        assertThat(ward.status()).as(String.valueOf(ward.json())).isIn(200, 201);
        UUID team = UUID.fromString(ward.json().getString("id"));
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.get("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/console/");
        heading(wait, "Enroll this browser before using the console");
        click(browser, "Sign in to enroll this browser");
        heading(wait, "Sign in to enroll this browser");
        signIn(browser, wait, admin);
        heading(wait, "Enroll this browser");
        click(browser, "Enroll this browser");
        heading(wait, "Sign in to the security console");
        signIn(browser, wait, admin);
        heading(wait, "Users");

        click(browser, "Retention and holds");
        heading(wait, "Retention and legal holds");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-policy='files:organisation']")));
        assertThat(policy(browser, "files:organisation")).isEqualTo("Until deleted (no policy set)");
        assertThat(policy(browser, "audit:organisation")).startsWith("2192 days");
        assertThat(main(browser)).contains("No legal hold has been placed.");
        AxeCheck.assertAccessible(browser, "retention and holds");

        // Below the six-year floor the server refuses the audit period and nothing changes.
        // Only this browser's session: the test's own API session of the admin stays fresh for the other tests.
        update("UPDATE sessions SET mfa_at = now() - interval '1 day' WHERE user_id = $1 AND device_id IS NOT NULL", admin.id);
        new Select(labelled(browser, "Records")).selectByVisibleText("Audit entries");
        labelled(browser, "Keep for (days)").sendKeys("30");
        click(browser, "Set retention period");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-up")));
        assertThat(count("SELECT count(*) FROM retention_policies")).as("nothing is changed before the code").isZero();
        labelled(browser, "Authenticator code").sendKeys(admin.nextCode());
        click(browser, "Confirm");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main [role=alert]")));
        assertThat(browser.findElement(By.cssSelector("main [role=alert]")).getText()).containsIgnoringCase("six years");
        assertThat(count("SELECT count(*) FROM retention_policies")).isZero();

        new Select(labelled(browser, "Records")).selectByVisibleText("Files");
        labelled(browser, "Keep for (days)").clear();
        labelled(browser, "Keep for (days)").sendKeys("365");
        click(browser, "Set retention period");
        wait.until(d -> "365 days".equals(policy(d, "files:organisation")));
        assertThat(status(browser)).contains("Files are now kept 365 days across the organisation.");
        Row kept = one("SELECT days, updated_by FROM retention_policies WHERE kind = 'files' AND team_id IS NULL");
        assertThat(kept.getInteger(0)).isEqualTo(365);
        assertThat(kept.getUUID(1)).isEqualTo(admin.id);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'retention.policy.set' AND object_id = 'files' AND actor_user_id = $1",
                admin.id)).as("audited like its API call").isEqualTo(1);

        // A legal hold on the nurse: a matter that is free text is refused in the page, a code is placed, then released.
        new Select(labelled(browser, "Whose")).selectByVisibleText("nurse.console");
        labelled(browser, "Matter reference").sendKeys("Smith v. Hospital");
        click(browser, "Place legal hold");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main [role=alert]"), "short code"));
        assertThat(count("SELECT count(*) FROM legal_holds")).isZero();
        labelled(browser, "Matter reference").clear();
        labelled(browser, "Matter reference").sendKeys("LIT-2026-014");
        click(browser, "Place legal hold");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-hold][data-state=active]")));
        assertThat(main(browser)).contains("Hold LIT-2026-014 placed", "User nurse.console", "by admin.console");
        Row hold = one("SELECT id, scope, user_id, placed_by FROM legal_holds WHERE matter = 'LIT-2026-014'");
        assertThat(hold.getString(1)).isEqualTo("user");
        assertThat(hold.getUUID(2)).isEqualTo(nurse.id);
        assertThat(hold.getUUID(3)).isEqualTo(admin.id);
        AxeCheck.assertAccessible(browser, "legal hold placed");
        screenshots(browser, "retention-holds");

        browser.findElement(By.xpath("//button[@aria-label='Release hold LIT-2026-014']")).click();
        click(browser, "Yes, release");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-hold][data-state=released]")));
        assertThat(one("SELECT released_by FROM legal_holds WHERE id = $1", hold.getUUID(0)).getUUID(0)).isEqualTo(admin.id);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action IN ('legalhold.placed', 'legalhold.released') AND object_id = $1",
                hold.getUUID(0).toString())).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE details LIKE '%Smith%'")).as("the refused free text went nowhere").isZero();
        AxeCheck.assertAccessible(browser, "legal hold released");

        // Teams: the nurse joins the ward through the console, her row under Users says so, and she leaves it again.
        click(browser, "Teams");
        heading(wait, "Care teams");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-results=teams]"), "Ward 7 console"));
        new Select(labelled(browser, "Team")).selectByVisibleText("Ward 7 console");
        new Select(labelled(browser, "User")).selectByVisibleText("nurse.console");
        click(browser, "Add to team");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-member='" + team + ":" + nurse.id + "']")));
        assertThat(status(browser)).contains("nurse.console is now a member of Ward 7 console.");
        assertThat(count("SELECT count(*) FROM team_members WHERE team_id = $1 AND user_id = $2", team, nurse.id)).isEqualTo(1);
        AxeCheck.assertAccessible(browser, "teams");
        screenshots(browser, "teams");
        click(browser, "Users");
        heading(wait, "Users");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-user='" + nurse.id + "']")));
        assertThat(browser.findElement(By.xpath("//tr[.//span[@data-user='" + nurse.id + "']]")).getText()).contains("Ward 7 console");
        click(browser, "Teams");
        heading(wait, "Care teams");
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[@aria-label='Remove nurse.console from Ward 7 console']"))).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-member='" + team + ":" + nurse.id + "']")));
        assertThat(count("SELECT count(*) FROM team_members WHERE team_id = $1 AND user_id = $2", team, nurse.id)).isZero();
        assertThat(count("SELECT count(*) FROM audit_entries WHERE object_type = 'team' AND object_id = $1 AND actor_user_id = $2"
                + " AND (details LIKE '%member_added%' OR details LIKE '%member_removed%')", team.toString(), admin.id)).isEqualTo(2);

        // Roles and training: the nurse gains an ordinary second role and a new training date; a privileged role is refused
        // by separation of duties and changes nothing; then both are put back.
        click(browser, "Users");
        heading(wait, "Users");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-user='" + nurse.id + "']")));
        new Select(labelled(browser, "User")).selectByVisibleText("nurse.console");
        assertThat(labelled(browser, "nurse").isSelected()).as("the form shows her roles").isTrue();
        labelled(browser, "care coordinator").click();
        click(browser, "Save roles");
        confirmIfAsked(browser, admin);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main .status"), "now has the roles"));
        assertThat(status(browser)).contains("nurse.console now has the roles: nurse, care_coordinator.");
        assertThat(count("SELECT count(*) FROM user_roles WHERE user_id = $1", nurse.id)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'account.roles_changed' AND object_id = $1 AND actor_user_id = $2",
                nurse.id.toString(), admin.id)).as("audited like its API call").isEqualTo(1);

        new Select(labelled(browser, "User")).selectByVisibleText("nurse.console");
        labelled(browser, "auditor").click();
        click(browser, "Save roles");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main [role=alert]"), "elevation"));
        assertThat(count("SELECT count(*) FROM user_roles WHERE user_id = $1", nurse.id)).as("nothing granted").isEqualTo(2);

        new Select(labelled(browser, "User")).selectByVisibleText("nurse.console");
        setValue(browser, labelled(browser, "HIPAA training valid until"), "2031-03-31");
        click(browser, "Record training");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main .status"), "training is recorded"));
        assertThat(browser.findElement(By.xpath("//tr[.//span[@data-user='" + nurse.id + "']]")).getText()).contains("2031-03-31");
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'account.training_recorded' AND object_id = $1", nurse.id.toString()))
                .isEqualTo(1);
        AxeCheck.assertAccessible(browser, "roles and training");
        screenshots(browser, "roles-training");

        new Select(labelled(browser, "User")).selectByVisibleText("nurse.console");
        if (labelled(browser, "auditor").isSelected()) {
            labelled(browser, "auditor").click();
        }
        labelled(browser, "care coordinator").click();
        click(browser, "Save roles");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main .status"), "now has the roles: nurse."));
        new Select(labelled(browser, "User")).selectByVisibleText("nurse.console");
        setValue(browser, labelled(browser, "HIPAA training valid until"), "2099-01-01");
        click(browser, "Record training");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main .status"), "until 2099-01-01"));
        assertThat(count("SELECT count(*) FROM user_roles WHERE user_id = $1", nurse.id)).isEqualTo(1);
    }

    /** The step-up dialog, when the session's second factor is older than the server's window. */
    private static void confirmIfAsked(WebDriver browser, WardlineApi.Account a) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(2)).until(ExpectedConditions.visibilityOfElementLocated(By.id("step-up")));
        } catch (org.openqa.selenium.TimeoutException notAsked) {
            return;
        }
        labelled(browser, "Authenticator code").sendKeys(a.nextCode());
        click(browser, "Confirm");
    }

    /** A clinician's file shared through a link with {@code email}, made on the device listener as the app would. @return the link's ID */
    private static String shareWithPatient(String email) throws Exception {
        SignedInDevice doctor = EnrolledDevices.enroll(WARDLINE.server());
        HttpClient http = HttpClient.newBuilder().sslContext(doctor.sslContext()).version(HttpClient.Version.HTTP_1_1).build();
        String base = "https://127.0.0.1:" + WARDLINE.server().devicePort();
        HttpResponse<String> file = http.send(doctor.authorize(HttpRequest.newBuilder(URI.create(base + "/v1/files")))
                .header("Content-Type", "text/plain")
                .header("X-Wardline-File-Name", Base64.getUrlEncoder().encodeToString("lab-report".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("results letter")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(file.statusCode()).as(file.body()).isEqualTo(201);
        JsonObject share = new JsonObject().put("fileId", new JsonObject(file.body()).getString("id"))
                .put("recipient", new JsonObject().put("email", email)).put("mode", "download").put("maxOpens", 3).put("expiresInHours", 24);
        HttpResponse<String> created = http.send(doctor.authorize(HttpRequest.newBuilder(URI.create(base + "/v1/share-links")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(share.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body()).getString("id");
    }

    private static String policy(WebDriver browser, String key) {
        List<WebElement> found = browser.findElements(By.cssSelector("[data-policy='" + key + "']"));
        return found.isEmpty() ? null : found.get(0).getText();
    }

    @Test
    void anAccountWithoutAConsoleRoleIsRefusedAndSignedOut() throws Exception {
        WardlineApi.Account clerk = api.createAndSignIn(admin, "billing.console", new JsonArray().add("billing"), "2099-01-01");
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.get("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/console/");
        heading(wait, "Enroll this browser before using the console");
        click(browser, "Sign in to enroll this browser");
        heading(wait, "Sign in to enroll this browser");
        signIn(browser, wait, clerk);
        heading(wait, "Enroll this browser");
        click(browser, "Enroll this browser");
        heading(wait, "Sign in to the security console");
        signIn(browser, wait, clerk);
        heading(wait, "This account cannot use the security console");
        assertThat(browser.findElement(By.cssSelector("main [role=alert]")).getText())
                .contains("billing.console has no administrator, security officer or auditor role", "You have been signed out.");
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
        AxeCheck.assertAccessible(browser, "console refusal");
        screenshots(browser, "refused");
        assertThat(count("SELECT count(*) FROM sessions WHERE user_id = $1 AND device_id IS NOT NULL AND revoked_at IS NULL", clerk.id))
                .as("the console signed the refused session out").isZero();
    }

    private static void signIn(WebDriver browser, WebDriverWait wait, WardlineApi.Account a) {
        labelled(browser, "User name").sendKeys(a.username);
        labelled(browser, "Password").sendKeys(WardlineApi.PASSWORD);
        click(browser, "Continue");
        heading(wait, "Enter your authenticator code");
        labelled(browser, "Authenticator code").sendKeys(a.nextCode());
        click(browser, "Sign in");
    }

    private static void heading(WebDriverWait wait, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main h1"), text));
    }

    private static void click(WebDriver browser, String button) {
        browser.findElement(By.xpath("//button[normalize-space()='" + button + "']")).click();
    }

    private static WebElement labelled(WebDriver browser, String label) {
        String id = browser.findElement(By.xpath("//label[normalize-space()='" + label + "']")).getAttribute("for");
        return browser.findElement(By.id(id));
    }

    private static void setValue(WebDriver browser, WebElement input, String value) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", input, value);
    }

    private static WebElement row(WebDriver browser, UUID device) {
        return browser.findElement(By.xpath("//tr[.//span[@data-device='" + device + "']]"));
    }

    /** The device's row state, or null while the table is being redrawn (the wipe status poll replaces its rows). */
    private static String state(WebDriver browser, UUID device) {
        try {
            List<WebElement> found = browser.findElements(By.cssSelector("[data-device='" + device + "']"));
            return found.isEmpty() ? null : found.get(0).getAttribute("data-state");
        } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
            return null;
        }
    }

    private static String main(WebDriver browser) {
        return browser.findElement(By.tagName("main")).getText();
    }

    private static String status(WebDriver browser) {
        return browser.findElement(By.cssSelector("main .status")).getText();
    }

    private static KeyStore keyStore(DeviceIdentity identity) throws Exception {
        Path file = Files.createTempDirectory("console-device").resolve("device.p12");
        identity.save(file, Secret.of("x"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, "x".toCharArray());
        }
        return ks;
    }

    private static long eventuallySeq(String action) throws Exception {
        for (int i = 0; i < 100; i++) {
            Row r = one("SELECT max(seq) FROM audit_entries WHERE action = $1", action);
            if (r.getValue(0) != null) {
                return r.getLong(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + action + " entry in the audit trail");
    }

    private static RowSet<Row> query(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.wrap(args))
                .toCompletionStage().toCompletableFuture().get();
    }

    private static Row one(String sql, Object... args) throws Exception {
        return query(sql, args).iterator().next();
    }

    private static long count(String sql, Object... args) throws Exception {
        return one(sql, args).getLong(0);
    }

    private static void update(String sql, Object... args) throws Exception {
        query(sql, args);
    }

    private static void screenshots(WebDriver browser, String name) throws Exception {
        for (Dimension size : List.of(new Dimension(1280, 800), new Dimension(1024, 768))) {
            browser.manage().window().setSize(size);
            Files.write(SCREENSHOTS.resolve("console-" + name + "-" + size.getWidth() + "x" + size.getHeight() + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
        browser.manage().window().setSize(new Dimension(1280, 800));
    }
}
