package org.wardline.server.delivery;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.testing.WebAppPages.enrollAndSignIn;
import static org.wardline.server.testing.WebAppPages.labelled;
import static org.wardline.server.testing.WebAppPages.screenshots;
import static org.wardline.server.testing.WebAppPages.text;
import static org.wardline.server.delivery.RecordingListener.next;

/**
 * A nurse in headless Chromium starts a conversation: she finds a colleague by exact user name, the browser claims
 * the colleague's key packages and creates the MLS group with ts-mls (the server as external sender), and the
 * colleague on the Java SDK (bcmls) joins from the Welcome, reads her and replies; the browser shows the colleague by
 * name. axe-core on every screen; screenshots at 1280×800 and 390×844 in target/screenshots.
 */
class WebAppStartConversationBrowserTest {
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
    void aNurseStartsAConversationWithAJavaColleagueFoundByUserNameAndTheyTalk() throws Exception {
        WardlineApi.Account nurse = BrowserTestPeople.nurse(WARDLINE.server(), api, admin, "nurse.starts");
        RecordingListener events = new RecordingListener();
        colleague = BrowserTestPeople.javaColleague(WARDLINE.server(), dir.resolve("colleague"), events);
        DeviceUri colleagueDevice = colleague.device();
        BrowserTestPeople.name(WARDLINE.server(), colleague, "dr.amara", "Dr Amara Lind");

        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        enrollAndSignIn(browser, wait, WARDLINE.server(), nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));

        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='New conversation']"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-title"), "New conversation"));
        assertThat(browser.switchTo().activeElement().getAttribute("name")).as("the name field takes focus").isEqualTo("colleague");
        labelled(browser, "Colleague's user name").sendKeys("dr.amar");
        browser.findElement(By.xpath("//button[normalize-space()='Find colleague']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".new-conversation"),
                "Nobody has the user name “dr.amar”"));
        assertThat(browser.findElements(By.xpath("//button[starts-with(normalize-space(), 'Start conversation')]")))
                .as("a prefix finds nobody").isEmpty();
        AxeCheck.assertAccessible(browser, "new conversation, nobody found");

        WebElement name = labelled(browser, "Colleague's user name");
        name.clear();
        name.sendKeys("DR.AMARA");
        browser.findElement(By.xpath("//button[normalize-space()='Find colleague']")).click();
        WebElement start = wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//button[normalize-space()='Start conversation with Dr Amara Lind']")));
        assertThat(text(browser)).contains("Dr Amara Lind (dr.amara)");
        AxeCheck.assertAccessible(browser, "new conversation, colleague found");
        screenshots(browser, "new-conversation");
        start.click();

        ConversationId id = events.joined.poll(60, TimeUnit.SECONDS);
        assertThat(id).as("the Java colleague joins from the browser's Welcome; the page says: %s", text(browser)).isNotNull();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-title"), "Conversation with Dr Amara Lind"));
        assertThat(await(colleague.members(id))).as("the browser's group as bcmls reads it from the Welcome")
                .hasSize(2).contains(colleagueDevice).anyMatch(d -> d.user().equals(nurse.id));
        assertThat(await(colleague.epoch(id))).isEqualTo(1L);
        WebElement composer = labelled(browser, "Message");
        assertThat(browser.switchTo().activeElement()).as("the composer takes focus").isEqualTo(composer);
        composer.sendKeys("Could you review bed 12's insulin chart before rounds?");
        browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
        ReceivedMessage first = next(events.messages);
        assertThat(first.text()).isEqualTo("Could you review bed 12's insulin chart before rounds?");
        assertThat(first.sender().user()).isEqualTo(nurse.id);

        await(colleague.send(id, "Yes, I will be on the ward at 08:30.".getBytes(StandardCharsets.UTF_8)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Yes, I will be on the ward at 08:30."));
        assertThat(browser.findElement(By.cssSelector("[role=log] li.theirs .meta")).getText()).startsWith("Dr Amara Lind, ");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log] li.mine .receipt"), "Delivered"));
        browser.findElement(By.xpath("//summary[starts-with(normalize-space(), 'Members')]")).click();
        assertThat(text(browser)).contains("Members (2)", "Dr Amara Lind: device " + colleagueDevice.device(), "Encryption epoch 1.");
        WebElement listed = browser.findElement(By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(., 'Conversation with Dr Amara Lind')]"));
        assertThat(listed.getAttribute("aria-current")).isEqualTo("true");
        AxeCheck.assertAccessible(browser, "conversation the nurse started");
        screenshots(browser, "started-conversation");
    }

    /**
     * Adding a colleague to a conversation that is under way: the browser commits their devices in (its Welcome reaches
     * the Java colleague, who then reads what is sent and is read), the first member sees three members; a colleague
     * outside the nurse's care teams is refused in words and nothing changes.
     */
    @Test
    void aNurseAddsAColleagueToAConversationUnderWayAndOneOutsideHerTeamsIsRefused() throws Exception {
        WardlineApi.Account nurse = BrowserTestPeople.nurse(WARDLINE.server(), api, admin, "nurse.adds");
        api.createAndSignIn(admin, "dr.outside", new JsonArray().add("nurse"), "2099-01-01");
        RecordingListener firstEvents = new RecordingListener();
        colleague = BrowserTestPeople.javaColleague(WARDLINE.server(), dir.resolve("first"), firstEvents);
        RecordingListener secondEvents = new RecordingListener();
        MessagingClient second = BrowserTestPeople.javaColleague(WARDLINE.server(), dir.resolve("second"), secondEvents);
        try {
            BrowserTestPeople.name(WARDLINE.server(), colleague, "dr.first", "Dr Fen Ito");
            BrowserTestPeople.name(WARDLINE.server(), second, "dr.second", "Dr Sam Okoro");
            WebDriver browser = CHROMIUM.newBrowser();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            enrollAndSignIn(browser, wait, WARDLINE.server(), nurse);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));
            wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='New conversation']"))).click();
            labelled(browser, "Colleague's user name").sendKeys("dr.first");
            browser.findElement(By.xpath("//button[normalize-space()='Find colleague']")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Start conversation with Dr Fen Ito']"))).click();
            ConversationId id = firstEvents.joined.poll(60, TimeUnit.SECONDS);
            assertThat(id).as("the page says: %s", text(browser)).isNotNull();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-title"), "Conversation with Dr Fen Ito"));

            wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Add a colleague']"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-title"), "Add a colleague"));
            labelled(browser, "Colleague's user name").sendKeys("dr.outside");
            browser.findElement(By.xpath("//button[normalize-space()='Find colleague']")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[starts-with(normalize-space(), 'Add ') and "
                    + "contains(., 'to this conversation')]"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".add-colleague [role=alert]"),
                    "You can add only colleagues of your care teams."));
            assertThat(await(colleague.members(id))).as("nothing changed").hasSize(2);
            AxeCheck.assertAccessible(browser, "add a colleague, refused");

            var name = labelled(browser, "Colleague's user name");
            name.clear();
            name.sendKeys("dr.second");
            browser.findElement(By.xpath("//button[normalize-space()='Find colleague']")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Add Dr Sam Okoro to this conversation']")));
            screenshots(browser, "add-colleague");
            browser.findElement(By.xpath("//button[normalize-space()='Add Dr Sam Okoro to this conversation']")).click();
            assertThat(secondEvents.joined.poll(60, TimeUnit.SECONDS)).as("the page says: %s", text(browser)).isEqualTo(id);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".conversation"), "Dr Sam Okoro was added (1 device)."));
            assertThat(browser.findElement(By.id("conversation-title")).getText()).contains("Dr Fen Ito", "Dr Sam Okoro");

            labelled(browser, "Message").sendKeys("Welcome, Dr Okoro: bed 7 is yours tonight.");
            browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
            assertThat(next(secondEvents.messages).text()).isEqualTo("Welcome, Dr Okoro: bed 7 is yours tonight.");
            assertThat(next(firstEvents.messages).text()).isEqualTo("Welcome, Dr Okoro: bed 7 is yours tonight.");
            await(second.send(id, "Thanks, on my way.".getBytes(StandardCharsets.UTF_8)));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Thanks, on my way."));
            assertThat(await(colleague.members(id))).as("the first member follows the browser's commit").hasSize(3);
            AxeCheck.assertAccessible(browser, "a colleague added");
            screenshots(browser, "colleague-added");
        } finally {
            second.close();
        }
    }

}
