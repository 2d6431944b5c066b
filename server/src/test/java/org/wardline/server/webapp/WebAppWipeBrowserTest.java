package org.wardline.server.webapp;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.server.wipe.WipeModule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.testing.WebAppPages.signIn;
import static org.wardline.server.testing.WebAppPages.text;

/**
 * A browser device marked lost, in headless Chromium: the next time the page opens it destroys its conversations'
 * store and its device key, confirms the wipe with that key, and says so in words; the server records it confirmed.
 */
class WebAppWipeBrowserTest {
    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
        Files.createDirectories(SCREENSHOTS);
    }

    @Test
    void aWipedBrowserDestroysItsStateConfirmsAndSaysSo() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.wiped", new JsonArray().add("nurse"), "2099-01-01");
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        String app = "https://127.0.0.1:" + WARDLINE.server().publicPort() + "/app/";
        browser.get(app);
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Sign in to enroll this browser']"))).click();
        signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Enroll this browser"));
        browser.findElement(By.xpath("//button[normalize-space()='Enroll this browser']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sign in to Wardline"));
        signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));
        String deviceId = browser.findElement(By.xpath("//dt[normalize-space()='Device ID']/following-sibling::dd[1]")).getText();
        assertThat(databases(browser)).contains("wardline-mls", "wardline");

        WARDLINE.server().module(WipeModule.class).wipeForIncident(UUID.fromString(deviceId), admin.id, null)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Wardline was wiped from this browser"));
        assertThat(text(browser)).contains("Wardline has recorded that the wipe is done.");
        assertThat(databases(browser)).as("the conversations' store is gone").doesNotContain("wardline-mls");
        assertThat(((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const r = indexedDB.open("wardline", 1);
                r.onsuccess = () => { const db = r.result; const g = db.transaction("device").objectStore("device").count();
                  g.onsuccess = () => { db.close(); done(g.result); }; };
                r.onerror = () => done(-1);""")).as("no device key left").isEqualTo(0L);
        String status = WARDLINE.server().database().pool().preparedQuery("SELECT status FROM device_wipes WHERE device_id = $1")
                .execute(Tuple.of(UUID.fromString(deviceId))).toCompletionStage().toCompletableFuture().get()
                .iterator().next().getString(0);
        assertThat(status).isEqualTo("confirmed");
        AxeCheck.assertAccessible(browser, "wiped");
        for (Dimension size : List.of(new Dimension(1280, 800), new Dimension(390, 844))) {
            browser.manage().window().setSize(size);
            Files.write(SCREENSHOTS.resolve("web-app-wiped-" + size.getWidth() + "x" + size.getHeight() + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }

        browser.findElement(By.xpath("//button[normalize-space()='Set up this browser again']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Set up Wardline on this device"));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Set up Wardline on this device"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> databases(WebDriver browser) {
        return (List<String>) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; indexedDB.databases().then((l) => done(l.map((d) => d.name)));");
    }
}
