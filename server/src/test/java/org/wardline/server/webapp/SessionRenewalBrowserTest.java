package org.wardline.server.webapp;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.WardlineServerExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.testing.WebAppPages.enrollAndSignIn;
import static org.wardline.server.testing.WebAppPages.labelled;
import static org.wardline.server.testing.WebAppPages.signIn;
import static org.wardline.server.testing.WebAppPages.text;

/**
 * A nurse in the web app and a security officer in the console stay signed in past their access token's lifetime (5
 * minutes here, the shortest the server allows): each page renews its token with the session's refresh token, bound
 * to the browser's key, and the next request after the first token expired goes through instead of sending the
 * person back to sign-in. One wait serves both pages.
 */
class SessionRenewalBrowserTest {
    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_AUTH_ACCESS_TOKEN_MINUTES", "5"));

    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin.renew");
    }

    @Test
    void theAppAndTheConsoleKeepWorkingAfterTheFirstAccessTokenExpired() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.renew", new JsonArray().add("nurse"), "2099-01-01");
        WardlineApi.Account officer = api.createAndSignIn(admin, "so.renew", new JsonArray().add("security_officer"), "2099-01-01");
        api.createAndSignIn(admin, "dr.renew", new JsonArray().add("clinician"), "2099-01-01");

        WebDriver app = CHROMIUM.newBrowser();
        WebDriverWait appWait = new WebDriverWait(app, Duration.ofSeconds(60));
        enrollAndSignIn(app, appWait, WARDLINE.server(), nurse);
        WebDriver console = CHROMIUM.newBrowser();
        WebDriverWait consoleWait = new WebDriverWait(console, Duration.ofSeconds(60));
        console.get("https://127.0.0.1:" + WARDLINE.server().publicPort() + "/console/");
        heading(consoleWait, "Enroll this browser before using the console");
        console.findElement(By.xpath("//button[normalize-space()='Sign in to enroll this browser']")).click();
        heading(consoleWait, "Sign in to enroll this browser");
        signIn(console, consoleWait, officer);
        heading(consoleWait, "Enroll this browser");
        console.findElement(By.xpath("//button[normalize-space()='Enroll this browser']")).click();
        heading(consoleWait, "Sign in to the security console");
        signIn(console, consoleWait, officer);
        heading(consoleWait, "Users");
        long signedIn = System.nanoTime();
        assertThat(renewals(nurse)).isZero();

        Thread.sleep(Math.max(0, TOKEN_LIFETIME.plusSeconds(15).toNanos() - (System.nanoTime() - signedIn)) / 1_000_000);

        // The nurse looks a colleague up: a request with the token renewed first.
        appWait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='New conversation']"))).click();
        labelled(app, "Colleague's user name").sendKeys("dr.renew");
        app.findElement(By.xpath("//button[normalize-space()='Find colleague']")).click();
        appWait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".new-conversation"), "(dr.renew)"));
        assertThat(text(app)).as("still signed in").contains("Signed in as nurse.renew").doesNotContain("Sign in to Wardline");
        assertThat(renewals(nurse)).as("the app renewed its token").isPositive();

        // The officer opens another screen: still the console, not the sign-in page.
        console.findElement(By.xpath("//button[normalize-space()='Alerts']")).click();
        heading(consoleWait, "Alerts");
        console.findElement(By.xpath("//button[normalize-space()='Users']")).click();
        heading(consoleWait, "Users");
        consoleWait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main .status"), "accounts shown"));
        assertThat(renewals(officer)).as("the console renewed its token").isPositive();
    }

    private static void heading(WebDriverWait wait, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main h1"), text));
    }

    /** Successful refreshes of {@code a}'s sessions in the audit trail (written before the new token is answered). */
    private static long renewals(WardlineApi.Account a) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery("SELECT count(*) FROM audit_entries WHERE action = 'account.refresh' "
                        + "AND outcome = 'success' AND actor_user_id = $1").execute(Tuple.of(a.id)).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }
}
