package org.wardline.server.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.server.WardlineServer;
import org.wardline.server.auth.WardlineApi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the web app's browser tests do the same way: find a field by its label, sign in, enroll, read, take screenshots. */
public final class WebAppPages {
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private WebAppPages() {
    }

    /** The form control whose visible label is exactly {@code label} (as a person finds it). */
    public static WebElement labelled(WebDriver browser, String label) {
        String id = browser.findElement(By.xpath("//label[normalize-space()=\"" + label + "\"]")).getAttribute("for");
        return browser.findElement(By.id(id));
    }

    /** The app's sign-in form with the account's password and its next TOTP code, up to pressing "Sign in". */
    public static void signIn(WebDriver browser, WebDriverWait wait, WardlineApi.Account account) {
        labelled(browser, "User name").sendKeys(account.username);
        labelled(browser, "Password").sendKeys(WardlineApi.PASSWORD);
        browser.findElement(By.xpath("//button[normalize-space()='Continue']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Enter your authenticator code"));
        labelled(browser, "Authenticator code").sendKeys(account.nextCode());
        browser.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
    }

    /** A new browser opens /app/, enrolls itself as the account's device and signs in with it. */
    public static void enrollAndSignIn(WebDriver browser, WebDriverWait wait, WardlineServer server, WardlineApi.Account account) {
        enrollAndSignIn(browser, wait, "https://127.0.0.1:" + server.publicPort(), account);
    }

    /** {@link #enrollAndSignIn} on the server at {@code origin} (its public URL, where that must be a host name). */
    public static void enrollAndSignIn(WebDriver browser, WebDriverWait wait, String origin, WardlineApi.Account account) {
        browser.get(origin + "/app/");
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Sign in to enroll this browser']"))).click();
        signIn(browser, wait, account);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Enroll this browser"));
        browser.findElement(By.xpath("//button[normalize-space()='Enroll this browser']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sign in to Wardline"));
        signIn(browser, wait, account);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Signed in as " + account.username));
    }

    /** The text of the page's main region. */
    public static String text(WebDriver browser) {
        return browser.findElement(By.tagName("main")).getText();
    }

    /** Screenshots {@code web-app-<name>-<w>x<h>.png} in target/screenshots at 1280×800 and 390×844; back to 1280×800. */
    public static void screenshots(WebDriver browser, String name) throws Exception {
        screenshots(browser, name, null);
    }

    /** The same, with {@code inView} (when not null) scrolled into view at each size, as a person would look at it. */
    public static void screenshots(WebDriver browser, String name, By inView) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        for (Dimension size : List.of(new Dimension(1280, 800), new Dimension(390, 844))) {
            browser.manage().window().setSize(size);
            if (inView != null) {
                ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                        "arguments[0].scrollIntoView({block: 'end'})", browser.findElement(inView));
            }
            Files.write(SCREENSHOTS.resolve("web-app-" + name + "-" + size.getWidth() + "x" + size.getHeight() + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
        browser.manage().window().setSize(new Dimension(1280, 800));
    }
}
