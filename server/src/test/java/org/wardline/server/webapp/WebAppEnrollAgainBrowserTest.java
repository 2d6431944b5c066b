package org.wardline.server.webapp;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.server.testing.WebAppPages;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.testing.WebAppPages.text;

/**
 * A browser enrolled before the app kept a copy of the CA certificate cannot check colleagues' keys, so messaging
 * cannot start on it: the page says what happened and what to do, and its button enrolls the browser again.
 */
class WebAppEnrollAgainBrowserTest {
    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    @Test
    void aBrowserWithoutTheCaCopyIsToldToEnrollAgainAndCanDoItFromThere() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.early", new JsonArray().add("nurse"), "2099-01-01");
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/app/");
        enroll(browser, wait, nurse);
        signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));
        String firstDevice = deviceId(browser);

        // As a browser enrolled by the first version of the app: its stored device has no CA certificate.
        Object dropped = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const r = indexedDB.open("wardline", 1);
                r.onsuccess = () => { const db = r.result; const tx = db.transaction("device", "readwrite"); const s = tx.objectStore("device");
                  const g = s.get("this-device"); g.onsuccess = () => { const d = g.result; delete d.caCertificate; s.put(d, "this-device"); };
                  tx.oncomplete = () => { db.close(); done("dropped"); }; tx.onerror = () => done("failed"); };""");
        assertThat(dropped).isEqualTo("dropped");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sign in to Wardline"));
        signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Messaging could not start on this device."));
        assertThat(text(browser)).contains("enrolled before Wardline kept a copy of its certificate authority",
                "Enroll this browser again", "Conversations cannot be shown on this device until messaging starts.");
        assertThat(browser.findElement(By.xpath("//button[normalize-space()='New conversation']")).isEnabled()).isFalse();
        AxeCheck.assertAccessible(browser, "messaging cannot start");

        browser.findElement(By.xpath("//button[normalize-space()='Enroll this browser again']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Set up Wardline on this device"));
        enroll(browser, wait, nurse);
        signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));
        assertThat(deviceId(browser)).as("a new device").isNotEqualTo(firstDevice);
    }

    private static void enroll(WebDriver browser, WebDriverWait wait, WardlineApi.Account nurse) {
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Sign in to enroll this browser']"))).click();
        signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Enroll this browser"));
        browser.findElement(By.xpath("//button[normalize-space()='Enroll this browser']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sign in to Wardline"));
    }

    private static void signIn(WebDriver browser, WebDriverWait wait, WardlineApi.Account nurse) {
        WebAppPages.signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Enter your authenticator code")));
    }

    private static String deviceId(WebDriver browser) {
        return browser.findElement(By.xpath("//dt[normalize-space()='Device ID']/following-sibling::dd[1]")).getText();
    }
}
