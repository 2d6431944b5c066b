package org.wardline.server.webapp;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.WardlineServerExtension;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.testing.WebAppPages.enrollAndSignIn;
import static org.wardline.server.testing.WebAppPages.labelled;
import static org.wardline.server.testing.WebAppPages.screenshots;
import static org.wardline.server.testing.WebAppPages.text;

/**
 * Passkeys in the web app, in headless Chromium with its WebAuthn virtual authenticator: a nurse adds one from the
 * device card (after a fresh authenticator code, asked for in the card), signs out, and signs in again with password
 * and passkey; the session is bound to the browser's key (messaging connects with it). A recovery code works as the
 * second factor too, once. The public URL is https://localhost:PORT, since browsers accept no IP address as an RP ID.
 */
class WebAppPasskeyBrowserTest {
    static final int PUBLIC_PORT = freePort();
    static final String ORIGIN = "https://localhost:" + PUBLIC_PORT;

    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of(
            "WARDLINE_SERVER_PUBLIC_PORT", Integer.toString(PUBLIC_PORT), "WARDLINE_SERVER_PUBLIC_URL", ORIGIN));

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void accounts() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    @Test
    void aNurseAddsAPasskeyAndSignsInWithItAndARecoveryCodeWorksOnce() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.passkey", new JsonArray().add("nurse"), "2099-01-01");
        WebDriver browser = CHROMIUM.newBrowser();
        VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2).setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(false).setHasUserVerification(true).setIsUserVerified(true));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        enrollAndSignIn(browser, wait, ORIGIN, nurse);

        browser.findElement(By.xpath("//button[normalize-space()='Add a passkey']")).click();
        By stepUp = By.cssSelector(".passkeys form.step-up");
        By added = By.xpath("//*[contains(@class, 'passkeys')]//*[contains(., 'Passkey added.')]");
        wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(stepUp), ExpectedConditions.presenceOfElementLocated(added)));
        if (!browser.findElements(stepUp).isEmpty()) {
            AxeCheck.assertAccessible(browser, "step-up for a passkey");
            labelled(browser, "Authenticator code").sendKeys(nurse.nextCode());
            browser.findElement(By.xpath("//form[contains(@class, 'step-up')]//button[normalize-space()='Confirm']")).click();
        }
        wait.until(ExpectedConditions.presenceOfElementLocated(added));
        AxeCheck.assertAccessible(browser, "a passkey added");
        screenshots(browser, "passkey-added", By.cssSelector(".device .passkeys"));
        assertThat(authenticator.getCredentials()).as("the credential is in this browser's authenticator").hasSize(1);
        assertThat(api.get("/v1/me/passkeys", nurse.accessToken).json().getJsonArray("items")).hasSize(1);

        browser.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sign in to Wardline"));
        passwordOnly(browser, wait, nurse);
        AxeCheck.assertAccessible(browser, "second factor with a passkey");
        screenshots(browser, "second-factor-passkey");
        browser.findElement(By.xpath("//button[normalize-space()='Use a passkey instead']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Signed in as nurse.passkey"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));

        // A recovery code instead of the authenticator app; the same one a second time is refused.
        String recovery = nurse.recoveryCodes.getString(0);
        for (int attempt = 0; attempt < 2; attempt++) {
            browser.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sign in to Wardline"));
            passwordOnly(browser, wait, nurse);
            browser.findElement(By.xpath("//button[normalize-space()='Use a recovery code instead']")).click();
            labelled(browser, "Recovery code").sendKeys(recovery);
            browser.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
            if (attempt == 0) {
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Signed in as nurse.passkey"));
            } else {
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("main [role=alert]")));
                assertThat(text(browser)).as("a recovery code works once").doesNotContain("Signed in as");
            }
        }
    }

    private static void passwordOnly(WebDriver browser, WebDriverWait wait, WardlineApi.Account account) {
        labelled(browser, "User name").sendKeys(account.username);
        labelled(browser, "Password").sendKeys(WardlineApi.PASSWORD);
        browser.findElement(By.xpath("//button[normalize-space()='Continue']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Enter your authenticator code"));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
