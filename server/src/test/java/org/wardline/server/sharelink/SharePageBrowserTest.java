package org.wardline.server.sharelink;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/** The patient page in real headless Chromium: code from GreenMail, watermarked view, refusals; axe-core on each. */
class SharePageBrowserTest {
    static final int SMTP_PORT = ShareLinkApiTest.freePort();
    private static final String PATIENT = "patient.browser@example.org";
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"))
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_MAIL_CONSOLE", "false",
            "WARDLINE_MAIL_SMTP_HOST", "127.0.0.1", "WARDLINE_MAIL_SMTP_PORT", Integer.toString(SMTP_PORT),
            "WARDLINE_MAIL_SMTP_SECURITY", "none"));

    private static ShareLinkClient nurse;

    @BeforeAll
    static void device() throws Exception {
        nurse = new ShareLinkClient(WARDLINE.server(), EnrolledDevices.enroll(WARDLINE.server()));
    }

    private static byte[] bluePng() throws Exception {
        BufferedImage image = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0, 0, 255));
        g.fillRect(0, 0, 800, 600);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static String nextCode(int before) throws Exception {
        assertThat(MAIL.waitForIncomingEmail(10_000, before + 1)).isTrue();
        Matcher m = CODE.matcher(GreenMailUtil.getBody(MAIL.getReceivedMessages()[before]));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static WebDriverWait waitFor(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private static ShareLinkClient.Link link(String mode, int maxOpens) throws Exception {
        String file = nurse.upload(bluePng(), "image/png");
        return nurse.create(file, new JsonObject().put("email", PATIENT), mode, maxOpens);
    }

    /** Opens the link and presses Continue; returns the browser. */
    private static WebDriver openAndContinue(ShareLinkClient.Link link) {
        WebDriver browser = CHROMIUM.newBrowser();
        browser.get(link.url());
        waitFor(browser).until(ExpectedConditions.elementToBeClickable(By.id("start-button"))).click();
        return browser;
    }

    @Test
    void thePatientEntersTheMailedCodeAndSeesTheWatermarkedDocument() throws Exception {
        ShareLinkClient.Link link = link("view", 2);
        int before = MAIL.getReceivedMessages().length;
        WebDriver browser = openAndContinue(link);
        assertThat(browser.getCurrentUrl()).as("the secret leaves the address bar").doesNotContain(link.secret());
        WebElement code = waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        assertThat(browser.findElement(By.cssSelector("label[for=code]")).getText()).contains("One-time code");
        code.sendKeys(nextCode(before));
        browser.findElement(By.id("code-submit")).click();

        WebElement page = waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#pages img")));
        waitFor(browser).until(d -> ((Number) ((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return arguments[0].naturalWidth;", page)).intValue() > 0);
        assertThat(page.getAttribute("alt")).contains("Page 1");
        assertThat(browser.findElement(By.id("download-wrap")).isDisplayed()).as("view-only: no download").isFalse();
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        waitFor(browser).until(d -> d.findElement(By.cssSelector("#pages .page-text pre")).getText()
                .contains("This page is a picture and has no text"));
        AxeCheck.assertAccessible(browser, "watermarked view");

        // The pixels the browser shows carry the watermark: fetch the same page with the browser's session.
        String session = browser.manage().getCookieNamed(PatientRoutes.COOKIE).getValue();
        HttpResponse<byte[]> png = nurse.getWithSession("/s/" + link.id() + "/pages/1", PatientRoutes.COOKIE + "=" + session,
                HttpResponse.BodyHandlers.ofByteArray());
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(png.body()));
        int marked = 0;
        for (int y = 0; y < shown.getHeight(); y += 2) {
            for (int x = 0; x < shown.getWidth(); x += 2) {
                if ((shown.getRGB(x, y) & 0xFFFFFF) != 0x0000FF) {
                    marked++;
                }
            }
        }
        assertThat(marked).as("watermarked pixels").isGreaterThan(1000);
        assertThat(nurse.auditCount("sharelink.viewed", link.id(), 1)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void thePageShowsUntilWhenTheLinkWorksAndHowManyTriesAreLeft() throws Exception {
        ShareLinkClient.Link link = link("view", 2);
        int before = MAIL.getReceivedMessages().length;
        WebDriver browser = openAndContinue(link);
        waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        nextCode(before);
        WebElement facts = browser.findElement(By.id("link-facts"));
        assertThat(facts.getText()).contains("This link works until", "You have 5 tries before the link locks.");
        browser.findElement(By.id("code")).sendKeys("000000");
        browser.findElement(By.id("code-submit")).click();
        waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        waitFor(browser).until(d -> d.findElement(By.id("link-facts")).getText().contains("4 tries"));
        assertThat(browser.findElement(By.id("link-facts")).getText()).contains("This link works until");
        AxeCheck.assertAccessible(browser, "wrong code");
        for (var size : java.util.List.of(new org.openqa.selenium.Dimension(1280, 800), new org.openqa.selenium.Dimension(390, 844))) {
            browser.manage().window().setSize(size);
            java.nio.file.Path shot = java.nio.file.Path.of("target", "screenshots", "share-tries-" + size.getWidth() + ".png");
            java.nio.file.Files.createDirectories(shot.getParent());
            java.nio.file.Files.write(shot, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        }
    }

    private static void assertRefused(WebDriver browser, String message) {
        WebElement error = waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(error.getText()).contains(message);
        assertThat(browser.findElement(By.id("code-form")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#pages img"))).isEmpty();
        AxeCheck.assertAccessible(browser, "refused: " + message);
    }

    @Test
    void anExpiredLinkIsRefused() throws Exception {
        ShareLinkClient.Link link = link("view", 2);
        nurse.sql("UPDATE share_links SET expires_at = now() - interval '1 minute' WHERE link_id = '" + link.id() + "'");
        assertRefused(openAndContinue(link), "This link has expired");
    }

    @Test
    void aRevokedLinkIsRefused() throws Exception {
        ShareLinkClient.Link link = link("view", 2);
        assertThat(nurse.revoke(link.id()).statusCode()).isEqualTo(204);
        assertRefused(openAndContinue(link), "The sender has withdrawn this link");
    }

    @Test
    void anExhaustedLinkIsRefusedInASecondBrowser() throws Exception {
        ShareLinkClient.Link link = link("view", 1);
        int before = MAIL.getReceivedMessages().length;
        WebDriver first = openAndContinue(link);
        waitFor(first).until(ExpectedConditions.visibilityOfElementLocated(By.id("code"))).sendKeys(nextCode(before));
        first.findElement(By.id("code-submit")).click();
        waitFor(first).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#pages img")));

        assertRefused(openAndContinue(link), "opened as many times as the sender allowed");
    }
}
