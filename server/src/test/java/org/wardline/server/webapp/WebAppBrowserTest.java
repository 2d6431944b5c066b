package org.wardline.server.webapp;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
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
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.testing.WebAppPages.labelled;
import static org.wardline.server.testing.WebAppPages.screenshots;
import static org.wardline.server.testing.WebAppPages.signIn;
import static org.wardline.server.testing.WebAppPages.text;

/**
 * The clinicians' web app in headless Chromium against the real server: the first-run screen, sign-in with password
 * and TOTP, enrollment of the browser with a key made in it (non-extractable, in IndexedDB), then a sign-in bound to
 * that key. axe-core checks every screen; screenshots at 1280×800 and 390×844 go to target/screenshots.
 */
class WebAppBrowserTest {
    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static String axe;
    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void setUp() throws Exception {
        Path root = Path.of(System.getProperty("wardline.repo.root", ".."));
        Path axeFile = root.resolve("clients/web/node_modules/axe-core/axe.min.js");
        if (!Files.exists(axeFile)) {
            axeFile = Path.of("../clients/web/node_modules/axe-core/axe.min.js");
        }
        axe = Files.readString(axeFile);
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    @Test
    void aNurseEnrollsThisBrowserAndSignsInWithItsKey() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.web", new JsonArray().add("nurse"), "2099-01-01");
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/app/");

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Set up Wardline on this device"));
        assertThat(text(browser)).contains("This browser can be enrolled.", "cannot be copied out of the browser");
        assertAccessible(browser, "first run");
        screenshots(browser, "first-run");

        browser.findElement(By.xpath("//button[normalize-space()='Sign in to enroll this browser']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sign in to enroll this browser"));
        assertAccessible(browser, "sign-in");
        screenshots(browser, "sign-in");
        signIn(browser, wait, nurse);

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Enroll this browser"));
        assertAccessible(browser, "enroll");
        labelled(browser, "Name for this device").clear();
        labelled(browser, "Name for this device").sendKeys("Ward 7 PC");
        browser.findElement(By.xpath("//button[normalize-space()='Enroll this browser']")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "This browser is now your device “Ward 7 PC”"));
        Row device = WARDLINE.server().database().pool()
                .preparedQuery("SELECT id, name, platform, dpop_jkt, revoked_at FROM devices WHERE user_id = $1").execute(Tuple.of(nurse.id))
                .toCompletionStage().toCompletableFuture().get().iterator().next();
        assertThat(device.getString("name")).isEqualTo("Ward 7 PC");
        assertThat(device.getString("dpop_jkt")).hasSize(43);
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const open = indexedDB.open("wardline");
                open.onsuccess = () => {
                  const get = open.result.transaction("device").objectStore("device").get("this-device");
                  get.onsuccess = () => done({ deviceId: get.result.deviceId, extractable: get.result.privateKey.extractable,
                    type: get.result.privateKey.type, usages: get.result.privateKey.usages.join(",") });
                };
                open.onerror = () => done({ error: String(open.error) });
                """);
        assertThat(stored).containsEntry("deviceId", device.getUUID("id").toString())
                .containsEntry("extractable", false).containsEntry("type", "private").containsEntry("usages", "sign");

        assertAccessible(browser, "sign-in on the device");
        signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Signed in as nurse.web"));
        assertThat(text(browser)).contains("Every request it sends is signed with its own key.", device.getUUID("id").toString());
        // The messaging WebSocket of the public listener, opened by Chromium with its DPoP subprotocols (ADR 0015s).
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Messaging connected. 0 messages waiting."));
        // Key packages made in the browser (ts-mls, uncompressed P-384) pass the server's KeyPackageCheck for this device.
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"),
                "Colleagues can add this device to conversations."));
        Long packages = WARDLINE.server().database().pool()
                .preparedQuery("SELECT count(*) AS n FROM mls_key_packages WHERE device_id = $1").execute(Tuple.of(device.getUUID("id")))
                .toCompletionStage().toCompletableFuture().get().iterator().next().getLong("n");
        assertThat(packages).as("the browser's key packages are published").isEqualTo(5);
        assertAccessible(browser, "signed in");
        screenshots(browser, "signed-in");
        Long sessions = WARDLINE.server().database().pool()
                .preparedQuery("SELECT count(*) AS n FROM sessions WHERE user_id = $1 AND device_id = $2 AND revoked_at IS NULL")
                .execute(Tuple.of(nurse.id, device.getUUID("id"))).toCompletionStage().toCompletableFuture().get()
                .iterator().next().getLong("n");
        assertThat(sessions).as("a live session bound to the browser device").isEqualTo(1);
    }

    @Test
    void aWrongPasswordIsSaidInWordsAndTheFormStaysUsable() throws Exception {
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/app/");
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Sign in to enroll this browser']"))).click();
        labelled(browser, "User name").sendKeys("nobody.here");
        labelled(browser, "Password").sendKeys("not the password at all");
        browser.findElement(By.xpath("//button[normalize-space()='Continue']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=alert]"), "user name or password is wrong"));
        assertAccessible(browser, "sign-in refused");
        assertThat(labelled(browser, "User name").getAttribute("value")).isEqualTo("nobody.here");
    }

    /** The input a visible label names, as a person (or a screen reader) finds it. */

    /** axe-core (from the npm workspace, not a CDN): no serious or critical finding on this screen. */
    @SuppressWarnings("unchecked")
    private static void assertAccessible(WebDriver browser, String screen) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript(axe);
        List<Map<String, Object>> violations = (List<Map<String, Object>>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } })
                  .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }))),
                        e => done([{ id: "axe-failed", impact: "critical", nodes: String(e) }]));
                """);
        assertThat(violations).as("axe findings on the %s screen", screen)
                .noneMatch(v -> "serious".equals(v.get("impact")) || "critical".equals(v.get("impact")));
    }

    /**
     * Installable: Chromium finds the manifest valid and the app installable (its own DevTools checks), the service
     * worker controls the page, and with the network gone the app still opens from its cache and says Wardline cannot
     * be reached, while an API answer is never served from the cache.
     */
    @Test
    void theAppIsInstallableAndOpensWithoutTheNetwork() throws Exception {
        org.openqa.selenium.chrome.ChromeDriver browser = (org.openqa.selenium.chrome.ChromeDriver) CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        String app = "https://127.0.0.1:" + WARDLINE.server().publicPort() + "/app/";
        browser.get(app);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Set up Wardline on this device"));
        wait.until(d -> Boolean.TRUE.equals(browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(() => done(true), () => done(false));")));
        browser.navigate().refresh();
        wait.until(d -> Boolean.TRUE.equals(browser.executeScript("return navigator.serviceWorker.controller !== null")));

        java.util.Map<String, Object> manifest = browser.executeCdpCommand("Page.getAppManifest", java.util.Map.of());
        assertThat((java.util.List<?>) manifest.get("errors")).as("manifest errors: %s", manifest.get("errors")).isEmpty();
        assertThat(String.valueOf(manifest.get("url"))).endsWith("/app/manifest.webmanifest");
        java.util.Map<String, Object> installable = browser.executeCdpCommand("Page.getInstallabilityErrors", java.util.Map.of());
        assertThat((java.util.List<?>) installable.get("installabilityErrors")).as("installability: %s", installable).isEmpty();

        browser.executeCdpCommand("Network.enable", java.util.Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of("offline", true, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
        try {
            browser.navigate().refresh();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Set up Wardline on this device"));
            Object api = browser.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/health/live').then(r => done('answered ' + r.status), e => done('failed'));""");
            assertThat(api).as("an API call offline is not answered from a cache").isEqualTo("failed");
            browser.findElement(By.xpath("//button[normalize-space()='Sign in to enroll this browser']")).click();
            labelled(browser, "User name").sendKeys("nurse.offline");
            labelled(browser, "Password").sendKeys("not sent anywhere");
            browser.findElement(By.xpath("//button[normalize-space()='Continue']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Wardline cannot be reached."));
        } finally {
            browser.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
        }
    }
}
