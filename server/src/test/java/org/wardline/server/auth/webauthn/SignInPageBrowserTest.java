package org.wardline.server.auth.webauthn;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /sign-in} for an account with an authenticator app and no passkey (the first admin after
 * {@code wardline admin bootstrap}): the page asks for the app's code or a recovery code, not only a passkey, and an
 * account with no second factor yet is told how to set one up. axe-core on each screen; screenshots in target/screenshots.
 */
class SignInPageBrowserTest {
    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void accounts() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("first.admin");
        Files.createDirectories(SCREENSHOTS);
    }

    private static WebDriverWait waitFor(WebDriver browser) {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private static WebDriver password(String username) {
        WebDriver browser = CHROMIUM.newBrowser();
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.get("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/sign-in");
        waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(WardlineApi.PASSWORD);
        browser.findElement(By.id("password-submit")).click();
        return browser;
    }

    private static void screenshots(WebDriver browser, String name) throws Exception {
        for (Dimension size : List.of(new Dimension(1280, 800), new Dimension(390, 844))) {
            browser.manage().window().setSize(size);
            Files.write(SCREENSHOTS.resolve("sign-in-" + name + "-" + size.getWidth() + "x" + size.getHeight() + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
        browser.manage().window().setSize(new Dimension(1280, 800));
    }

    private static void enterCode(WebDriver browser, String code) {
        browser.findElement(By.id("code")).clear();
        browser.findElement(By.id("code")).sendKeys(code);
        browser.findElement(By.id("code-submit")).click();
    }

    @Test
    void anAdminWithOnlyAnAuthenticatorAppSignsInWithItsCodeOrARecoveryCode() throws Exception {
        WebDriver browser = password(admin.username);
        waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        assertThat(browser.findElement(By.cssSelector("label[for=code]")).getText())
                .isEqualTo("Code from your authenticator app (6 digits)");
        AxeCheck.assertAccessible(browser, "second factor");
        screenshots(browser, "second-factor");

        enterCode(browser, "000000");
        waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(browser.findElement(By.id("signed-in")).isDisplayed()).isFalse();
        AxeCheck.assertAccessible(browser, "wrong code");

        enterCode(browser, admin.nextCode());
        waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("signed-in")));
        assertThat(browser.findElement(By.id("signed-in-name")).getText()).isEqualTo(admin.username);
        AxeCheck.assertAccessible(browser, "signed in");
        screenshots(browser, "signed-in");

        browser.findElement(By.id("sign-out")).click();
        waitFor(browser).until(ExpectedConditions.visibilityOfElementLocated(By.id("password-form")));
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Signed out.");

        WebDriver again = password(admin.username);
        waitFor(again).until(ExpectedConditions.elementToBeClickable(By.id("recovery-toggle"))).click();
        assertThat(again.findElement(By.cssSelector("label[for=code]")).getText()).startsWith("Recovery code");
        enterCode(again, admin.recoveryCodes.remove(0).toString());
        waitFor(again).until(ExpectedConditions.visibilityOfElementLocated(By.id("signed-in")));
        assertThat(again.findElement(By.id("signed-in-name")).getText()).isEqualTo(admin.username);
    }

    @Test
    void anAccountWithNoSecondFactorYetIsToldHowToSetOneUp() throws Exception {
        WardlineApi.Reply created = api.post("/v1/admin/users", admin.accessToken, new JsonObject().put("username", "nurse.new")
                .put("password", WardlineApi.PASSWORD).put("roles", new JsonArray().add("nurse")).put("trainingExpiresOn", "2099-01-01"));
        assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(200);
        WebDriver browser = password("nurse.new");
        waitFor(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "wardline login"));
        assertThat(browser.findElement(By.id("error")).getText()).contains("no second factor yet", "QR code");
        assertThat(browser.findElement(By.id("second-factor")).isDisplayed()).isFalse();
        AxeCheck.assertAccessible(browser, "no second factor yet");
    }
}
