package org.wardline.server.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
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
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.rbac.TeamStore;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.CareTeams;
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
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.starts", new JsonArray().add("nurse"), "2099-01-01");
        await(new TeamStore(WARDLINE.server().database().pool()).addMember(CareTeams.sharedTeam(WARDLINE.server()), nurse.id)
                .toCompletionStage().toCompletableFuture());
        RecordingListener events = new RecordingListener();
        colleague = MessagingClient.start(TestDevices.teamMate(WARDLINE.server()),
                LocalVault.open(dir.resolve("colleague"), "p".toCharArray()), events);
        colleague.connected().get(60, TimeUnit.SECONDS);
        DeviceUri colleagueDevice = colleague.device();
        WARDLINE.server().database().pool()
                .preparedQuery("UPDATE users SET username = 'dr.amara', display_name = 'Dr Amara Lind' WHERE id = $1")
                .execute(Tuple.of(colleagueDevice.user())).toCompletionStage().toCompletableFuture().get();

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
}
