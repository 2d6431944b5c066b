package org.wardline.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.sdk.Admin;
import org.wardline.server.account.Role;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.delivery.RecordingListener.next;
import static org.wardline.server.testing.WebAppPages.enrollAndSignIn;
import static org.wardline.server.testing.WebAppPages.labelled;
import static org.wardline.server.testing.WebAppPages.screenshots;
import static org.wardline.server.testing.WebAppPages.text;

/**
 * A legal hold that requires the records custodian, with the browser the only member online: told by the server that
 * the hold started, the browser commits the custodian's device in by itself (the custodian, on the Java SDK, joins and
 * reads what follows), labels it under Members and says the conversation is under legal hold; when the hold is
 * released the browser commits the custodian out again. axe-core on the screen; screenshots in target/screenshots.
 */
class WebAppLegalHoldBrowserTest {
    private static final String LABEL = "legal hold (records custodian)";

    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @TempDir
    Path dir;

    private final List<MessagingClient> clients = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    @AfterEach
    void close() {
        clients.forEach(MessagingClient::close);
    }

    private MessagingClient start(UUID user, RecordingListener events) throws Exception {
        MessagingClient c = MessagingClient.start(TestDevices.device(WARDLINE.server(), user),
                LocalVault.open(dir.resolve(UUID.randomUUID().toString()), "p".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return c;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void theBrowserAddsTheRecordsCustodianWhenAHoldStartsLabelsItAndTakesItOutWhenTheHoldEnds() throws Exception {
        WardlineApi.Account nurse = BrowserTestPeople.nurse(WARDLINE.server(), api, admin, "nurse.held");
        Admin holds = new Admin(EnrolledDevices.enroll(WARDLINE.server(), UUID.randomUUID(), Set.of(Role.ADMIN),
                LocalDate.now().plusYears(1)).identity());
        RecordingListener custodianEvents = new RecordingListener();
        MessagingClient custodian = start(CareTeams.user(WARDLINE.server(), Set.of(Role.RECORDS_CUSTODIAN),
                LocalDate.now().plusYears(1)), custodianEvents);
        RecordingListener aliceEvents = new RecordingListener();
        MessagingClient alice = start(CareTeams.teamMate(WARDLINE.server()), aliceEvents);

        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        enrollAndSignIn(browser, wait, WARDLINE.server(), nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));
        ConversationId id = await(alice.createConversation());
        await(alice.invite(id, List.of("urn:wardline:user:" + nurse.id)));
        await(alice.send(id, "Incident on bed 6 overnight, see the report.".getBytes(StandardCharsets.UTF_8)));
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(@aria-label, '1 unread')]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Incident on bed 6"));
        alice.close(); // the browser is the only member left to act
        clients.remove(alice);

        JsonNode hold = holds.placeHold("user", nurse.id.toString(), "LIT-2026-301", true);
        assertThat(hold.path("conversationsNotified").asInt()).isEqualTo(1);
        assertThat(custodianEvents.joined.poll(60, TimeUnit.SECONDS)).as("the browser added the custodian; the page says: %s",
                text(browser)).isEqualTo(id);
        browser.findElement(By.xpath("//summary[starts-with(normalize-space(), 'Members')]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".members summary"), "Members (3), under legal hold"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".members .hold-label"), "[" + LABEL + "]"));
        assertThat(browser.findElement(By.cssSelector(".members")).getText())
                .contains("This conversation is under legal hold: the records custodian is a member");
        assertThat(browser.findElements(By.cssSelector(".members .hold-label"))).as("only the custodian's device").hasSize(1);
        AxeCheck.assertAccessible(browser, "conversation under legal hold");
        screenshots(browser, "legal-hold");

        labelled(browser, "Message").sendKeys("Noted for the record.");
        browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
        assertThat(next(custodianEvents.messages).text()).as("the custodian reads what follows").isEqualTo("Noted for the record.");

        holds.releaseHold(UUID.fromString(hold.path("id").asText()));
        assertThat(custodianEvents.removed.poll(60, TimeUnit.SECONDS)).as("the browser took the custodian out; the page says: %s",
                text(browser)).isEqualTo(id);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".members summary"), "Members (2)"));
        assertThat(browser.findElement(By.cssSelector(".members summary")).getText()).doesNotContain("legal hold");
        assertThat(browser.findElements(By.cssSelector(".members .hold-label"))).isEmpty();
        assertThat(custodian.isConnected()).isTrue();
    }
}
