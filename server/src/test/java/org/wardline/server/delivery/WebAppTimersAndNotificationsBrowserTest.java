package org.wardline.server.delivery;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.delivery.RecordingListener.next;
import static org.wardline.server.testing.WebAppPages.enrollAndSignIn;
import static org.wardline.server.testing.WebAppPages.labelled;
import static org.wardline.server.testing.WebAppPages.screenshots;
import static org.wardline.server.testing.WebAppPages.signIn;
import static org.wardline.server.testing.WebAppPages.text;

/**
 * Disappearing messages and notifications in the browser, beside a Java colleague: in a conversation with a timer the browser shows the
 * timer and when each message disappears, its own message carries the server's time to the Java member, and when the
 * time comes both messages leave the page and stay gone after a reload. A conversation the browser starts with a timer
 * chosen in the form has it on the server (the Java member's copy disappears an hour after it was sent). axe-core on
 * each screen; screenshots at 1280×800 and 390×844 in target/screenshots.
 */
class WebAppTimersAndNotificationsBrowserTest {
    private static final int TIMER_SECONDS = 10;

    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @TempDir
    Path dir;

    private MessagingClient colleague;

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    @AfterEach
    void close() {
        if (colleague != null) {
            colleague.close();
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void messagesLeaveThePageWhenTheirTimeComesAndAConversationStartedWithATimerKeepsIt() throws Exception {
        WardlineApi.Account nurse = BrowserTestPeople.nurse(WARDLINE.server(), api, admin, "nurse.timer");
        RecordingListener events = new RecordingListener();
        colleague = BrowserTestPeople.javaColleague(WARDLINE.server(), dir.resolve("colleague"), events);
        BrowserTestPeople.name(WARDLINE.server(), colleague, "dr.timer", "Dr Tam Reyes");

        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        enrollAndSignIn(browser, wait, WARDLINE.server(), nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));

        ConversationId id = await(colleague.createConversation(Duration.ofSeconds(TIMER_SECONDS)));
        await(colleague.invite(id, List.of("urn:wardline:user:" + nurse.id)));
        await(colleague.send(id, "Door code for the drug room today: 4411.".getBytes(StandardCharsets.UTF_8)));
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(@aria-label, '1 unread')]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Door code for the drug room today: 4411."));
        assertThat(browser.findElement(By.cssSelector(".conversation .timer")).getText())
                .isEqualTo("Messages disappear " + TIMER_SECONDS + " seconds after they are sent, on every member's devices.");
        assertThat(browser.findElement(By.cssSelector("[role=log] li.theirs .meta")).getText()).contains("; disappears ");

        labelled(browser, "Message").sendKeys("Got it, thanks.");
        browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
        ReceivedMessage reply = next(events.messages);
        assertThat(reply.text()).isEqualTo("Got it, thanks.");
        assertThat(reply.expiresAt() - reply.sentAt()).as("the browser's message disappears on the same timer")
                .isEqualTo(TIMER_SECONDS * 1000L);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log] li.mine .meta"), "; disappears "));
        AxeCheck.assertAccessible(browser, "a conversation with disappearing messages");
        screenshots(browser, "disappearing-messages");

        new WebDriverWait(browser, Duration.ofSeconds(TIMER_SECONDS + 30)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[role=log]"), "The messages here have disappeared: their time was up."));
        assertThat(System.currentTimeMillis()).as("not before their time").isGreaterThanOrEqualTo(reply.expiresAt());
        assertThat(text(browser)).doesNotContain("4411", "Got it, thanks.");
        AxeCheck.assertAccessible(browser, "messages disappeared");

        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sign in to Wardline"));
        signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Signed in as nurse.timer"));
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(., 'Conversation with')]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "have disappeared"));
        assertThat(text(browser)).as("gone from the browser's saved history too").doesNotContain("4411", "Got it, thanks.");

        // A conversation the nurse starts with a timer chosen in the form.
        browser.findElement(By.xpath("//button[normalize-space()='New conversation']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-title"), "New conversation"));
        new Select(labelled(browser, "Messages disappear after")).selectByVisibleText("1 hour");
        labelled(browser, "Colleague's user name").sendKeys("dr.timer");
        browser.findElement(By.xpath("//button[normalize-space()='Find colleague']")).click();
        AxeCheck.assertAccessible(browser, "new conversation with a timer");
        screenshots(browser, "new-conversation-timer");
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Start conversation with Dr Tam Reyes']"))).click();
        ConversationId started = events.joined.poll(60, TimeUnit.SECONDS);
        assertThat(started).as("the colleague joins; the page says: %s", text(browser)).isNotNull().isNotEqualTo(id);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".conversation .timer"),
                "Messages disappear 1 hour after they are sent"));
        labelled(browser, "Message").sendKeys("Bed 9 family meeting moved to 15:00.");
        browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
        ReceivedMessage first = next(events.messages);
        assertThat(first.conversation()).isEqualTo(started);
        assertThat(first.expiresAt() - first.sentAt()).as("the timer the nurse chose, on the server").isEqualTo(3_600_000L);
    }

    /**
     * Notifications: turned on from the device card; a message in a conversation that is not on screen is announced
     * without its text or its sender; one in the conversation being read is not. The page's Notification is wrapped
     * (through the DevTools protocol, before the app loads) to record what the real one is asked to show, since a
     * headless browser shows nothing that a test could see.
     */
    @Test
    void aMessageElsewhereIsAnnouncedWithoutWhatWasWrittenOnceNotificationsAreOn() throws Exception {
        WardlineApi.Account nurse = BrowserTestPeople.nurse(WARDLINE.server(), api, admin, "nurse.notify");
        RecordingListener events = new RecordingListener();
        colleague = BrowserTestPeople.javaColleague(WARDLINE.server(), dir.resolve("colleague"), events);

        org.openqa.selenium.chrome.ChromeDriver browser = (org.openqa.selenium.chrome.ChromeDriver) CHROMIUM.newBrowser();
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", """
                (() => {
                  const Real = window.Notification;
                  if (!Real) return;
                  window.__shown = [];
                  class Recorded extends Real {
                    constructor(title, options) {
                      super(title, options);
                      window.__shown.push({ title, body: options?.body ?? "", tag: options?.tag ?? "" });
                    }
                  }
                  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
                  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
                  window.Notification = Recorded;
                })();"""));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        enrollAndSignIn(browser, wait, WARDLINE.server(), nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));
        assertThat(browser.findElement(By.cssSelector(".device .notifications")).getText()).contains("never shows what was written");
        browser.executeCdpCommand("Browser.grantPermissions", java.util.Map.of("permissions", List.of("notifications"),
                "origin", "https://127.0.0.1:" + WARDLINE.server().publicPort()));
        browser.findElement(By.xpath("//button[normalize-space()='Turn on notifications']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".device .notifications"), "Notifications are on."));
        AxeCheck.assertAccessible(browser, "notifications on");

        ConversationId id = await(colleague.createConversation());
        await(colleague.invite(id, List.of("urn:wardline:user:" + nurse.id)));
        await(colleague.send(id, "Bed 3 family asking about the biopsy result.".getBytes(StandardCharsets.UTF_8)));
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(@aria-label, '1 unread')]")));
        wait.until(d -> ((Number) browser.executeScript("return window.__shown.length")).intValue() == 1);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> shown = (java.util.Map<String, Object>) browser.executeScript("return window.__shown[0]");
        assertThat(shown).containsEntry("title", "New message in Wardline").containsEntry("body", "Open Wardline to read it.")
                .containsEntry("tag", "wardline-" + id.hex());
        assertThat(shown.toString()).doesNotContain("biopsy", "Bed 3");

        browser.findElement(By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(@aria-label, '1 unread')]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "biopsy"));
        await(colleague.send(id, "Results are back.".getBytes(StandardCharsets.UTF_8)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Results are back."));
        assertThat(((Number) browser.executeScript("return window.__shown.length")).intValue())
                .as("nothing announced for the conversation on screen").isEqualTo(1);
    }
}
