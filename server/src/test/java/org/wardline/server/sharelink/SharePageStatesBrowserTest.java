package org.wardline.server.sharelink;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.server.account.Role;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

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
 * The patient page's states in headless Chromium, as the patient meets them: the hospital's name and the sender's,
 * a new code on request, a reload that keeps the verified session, the text beside each page image, the phone
 * layout, and a lock the sender lifts. axe-core on every screen; screenshots at 1280×800 and 390×844 in
 * target/screenshots.
 */
class SharePageStatesBrowserTest {
    static final int SMTP_PORT = ShareLinkApiTest.freePort();
    private static final String PATIENT = "patient.page@example.org";
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String REPORT = "Potassium 4.1 mmol/L (reference 3.5 to 5.0)\nSodium 139 mmol/L\nCreatinine 88 umol/L";

    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_MAIL_CONSOLE", "false",
            "WARDLINE_MAIL_SMTP_HOST", "127.0.0.1", "WARDLINE_MAIL_SMTP_PORT", Integer.toString(SMTP_PORT),
            "WARDLINE_MAIL_SMTP_SECURITY", "none", "WARDLINE_BRANDING_ORGANISATION", "St Example Hospital",
            "WARDLINE_BRANDING_CONTACT", "Questions about this document? Call Ward 7 on 555 0100.",
            "WARDLINE_BRANDING_LOGO", PatientPageStatesTest.logo().toString()));

    private static ShareLinkClient nurse;

    @BeforeAll
    static void device() throws Exception {
        nurse = new ShareLinkClient(WARDLINE.server(), EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(),
                Set.of(Role.NURSE), LocalDate.now().plusYears(1)));
        Files.createDirectories(SCREENSHOTS);
    }

    private static ShareLinkClient.Link link() throws Exception {
        String file = nurse.upload(REPORT.getBytes(StandardCharsets.UTF_8), "text/plain");
        return nurse.create(file, new JsonObject().put("email", PATIENT), "view", 3);
    }

    private static int mails() throws Exception {
        int n = 0;
        for (MimeMessage m : MAIL.getReceivedMessages()) {
            if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(PATIENT))) {
                n++;
            }
        }
        return n;
    }

    private static String code(int index) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mails() <= index && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<MimeMessage> toPatient = Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(PATIENT));
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).toList();
        Matcher m = CODE.matcher(GreenMailUtil.getBody(toPatient.get(index)));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static WebDriverWait waitFor(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private static String main(WebDriver browser) {
        return browser.findElement(By.tagName("body")).getText();
    }

    private static void screenshots(WebDriver browser, String name) throws Exception {
        for (Dimension size : List.of(new Dimension(1280, 800), new Dimension(390, 844))) {
            browser.manage().window().setSize(size);
            Files.write(SCREENSHOTS.resolve("share-" + name + "-" + size.getWidth() + "x" + size.getHeight() + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
        browser.manage().window().setSize(new Dimension(1280, 800));
    }

    private static WebDriver continueOn(ShareLinkClient.Link link) {
        WebDriver browser = CHROMIUM.newBrowser();
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.get(link.url());
        waitFor(browser).until(ExpectedConditions.elementToBeClickable(By.id("start-button")));
        return browser;
    }

    private static void enter(WebDriver browser, String code) {
        WebElement field = browser.findElement(By.id("code"));
        field.clear();
        field.sendKeys(code);
        browser.findElement(By.id("code-submit")).click();
    }

    @Test
    void thePatientSeesWhoSentItAsksForANewCodeReadsEachPageAsTextAndAReloadKeepsTheSession() throws Exception {
        ShareLinkClient.Link link = link();
        int before = mails();
        WebDriver browser = continueOn(link);
        waitFor(browser).until(d -> main(d).contains("St Example Hospital"));
        assertThat(browser.findElement(By.id("brand-logo")).getAttribute("alt")).isEqualTo("St Example Hospital logo");
        assertThat(main(browser)).contains("Questions about this document? Call Ward 7 on 555 0100.");
        AxeCheck.assertAccessible(browser, "start");
        screenshots(browser, "start");

        browser.findElement(By.id("start-button")).click();
        waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        assertThat(browser.findElement(By.id("sender")).getText()).matches("Test [0-9a-f]{8} at St Example Hospital shared this document with you\\.");
        String first = code(before);
        WebElement resend = browser.findElement(By.xpath("//button[normalize-space()='Send me a new code']"));
        resend.click();
        waitFor(browser).until(ExpectedConditions.textToBe(By.id("status"), "We sent you a new code. The code we sent before no longer works."));
        String second = code(before + 1);
        AxeCheck.assertAccessible(browser, "code with a new code sent");
        screenshots(browser, "new-code");
        if (!first.equals(second)) {
            enter(browser, first);
            waitFor(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "That code is not right"));
        }
        enter(browser, second);

        WebElement text = waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#pages figure .page-text")));
        waitFor(browser).until(d -> d.findElement(By.cssSelector("#pages figure .page-text pre")).getText().contains("Potassium 4.1"));
        assertThat(text.findElement(By.tagName("h2")).getText()).isEqualTo("Text of page 1");
        assertThat(browser.findElement(By.cssSelector("#pages figure figcaption")).getText())
                .startsWith("For " + PATIENT).endsWith("link " + link.id());
        assertThat(browser.findElement(By.cssSelector("#pages figure img")).getAttribute("alt")).contains("Page 1 of 1", "its text follows");
        AxeCheck.assertAccessible(browser, "document");
        screenshots(browser, "document");

        browser.navigate().refresh();
        waitFor(browser).until(d -> d.findElement(By.cssSelector("#pages figure .page-text pre")).getText().contains("Potassium 4.1"));
        assertThat(browser.findElement(By.id("code-form")).isDisplayed()).as("no code asked after a reload").isFalse();
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        assertThat(Long.parseLong(nurse.rowsAsText("SELECT opens FROM share_links WHERE link_id = '" + link.id() + "'").get(0)))
                .as("a reload is not another open").isEqualTo(1);

        browser.manage().window().setSize(new Dimension(390, 844));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"))
                .intValue()).as("nothing wider than a phone: no sideways scrolling or pinch-zoom").isLessThanOrEqualTo(0);
        assertThat(((Number) js.executeScript("return parseFloat(getComputedStyle(arguments[0]).fontSize);",
                browser.findElement(By.cssSelector("#pages figure .page-text pre")))).doubleValue())
                .as("the page's text at a readable size").isGreaterThanOrEqualTo(16);
        AxeCheck.assertAccessible(browser, "document on a phone");
    }

    @Test
    void aLockedLinkSaysTheSenderWasToldAndOpensAgainOnceTheyLiftIt() throws Exception {
        ShareLinkClient.Link link = link();
        int before = mails();
        WebDriver browser = continueOn(link);
        browser.findElement(By.id("start-button")).click();
        waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        String code = code(before);
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < RecipientVerification.LOCK_AFTER; i++) {
            waitFor(browser).until(ExpectedConditions.elementToBeClickable(By.id("code-submit")));
            enter(browser, wrong);
            if (i < RecipientVerification.LOCK_AFTER - 1) {
                int left = RecipientVerification.LOCK_AFTER - 1 - i;
                waitFor(browser).until(d -> d.findElement(By.id("link-facts")).getText()
                        .contains(left == 1 ? "1 try left" : left + " tries"));
            }
        }
        waitFor(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "the person who sent it has been told"));
        assertThat(browser.findElement(By.id("code-form")).isDisplayed()).isFalse();
        AxeCheck.assertAccessible(browser, "locked");
        screenshots(browser, "locked");

        assertThat(nurse.send("/v1/share-links/" + link.id() + "/unlock").statusCode()).isEqualTo(200);
        int now = mails();
        WebDriver again = continueOn(link);
        again.findElement(By.id("start-button")).click();
        waitFor(again).until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        enter(again, code(now));
        waitFor(again).until(d -> d.findElement(By.cssSelector("#pages figure .page-text pre")).getText().contains("Potassium 4.1"));
    }

    @Test
    void aReloadAfterTheSessionEndsSaysHowToOpenItAgain() throws Exception {
        ShareLinkClient.Link link = link();
        WebDriver browser = continueOn(link);
        browser.navigate().refresh();
        WebElement error = waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(error.getText()).contains("open the link again from the message you received");
        assertThat(browser.findElement(By.id("start")).isDisplayed()).isFalse();
        AxeCheck.assertAccessible(browser, "reloaded without a session");
    }
}
