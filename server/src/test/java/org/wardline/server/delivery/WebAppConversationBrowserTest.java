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
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.clients.messaging.LocalVault;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.Receipt;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.protocol.wire.ReceiptKind;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.rbac.TeamStore;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.testing.WebAppPages.enrollAndSignIn;
import static org.wardline.server.testing.WebAppPages.labelled;
import static org.wardline.server.testing.WebAppPages.screenshots;
import static org.wardline.server.testing.WebAppPages.signIn;
import static org.wardline.server.testing.WebAppPages.text;
import static org.wardline.server.delivery.RecordingListener.next;

/**
 * A nurse in headless Chromium (ts-mls) and two colleagues on the Java SDK (bcmls) in one conversation through the
 * real server: a Java member creates it (with the server as external sender) and adds the browser device, both
 * sides read each other's messages, a second Java member joins (a commit the browser follows), receipts travel both
 * ways, and after a reload the browser still has the conversation and its history and reads what came meanwhile.
 * axe-core on every screen; screenshots at 1280×800 and 390×844 in target/screenshots.
 */
class WebAppConversationBrowserTest {
    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @TempDir
    Path dir;

    private final List<MessagingClient> clients = new ArrayList<>();

    private record JavaMember(MessagingClient client, RecordingListener events) {
    }

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    @AfterEach
    void close() {
        clients.forEach(MessagingClient::close);
    }

    private JavaMember javaMember() throws Exception {
        RecordingListener events = new RecordingListener();
        MessagingClient c = MessagingClient.start(TestDevices.teamMate(WARDLINE.server()),
                LocalVault.open(dir.resolve(UUID.randomUUID().toString()), "p".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return new JavaMember(c, events);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aNurseInTheBrowserAndTwoJavaColleaguesShareAConversationThatSurvivesAReload() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.chat", new JsonArray().add("nurse"), "2099-01-01");
        await(new TeamStore(WARDLINE.server().database().pool()).addMember(CareTeams.sharedTeam(WARDLINE.server()), nurse.id)
                .toCompletionStage().toCompletableFuture());
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        enrollAndSignIn(browser, wait, WARDLINE.server(), nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));
        assertThat(text(browser)).contains("No conversations yet.");
        AxeCheck.assertAccessible(browser, "no conversations");

        JavaMember alice = javaMember();
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of("urn:wardline:user:" + nurse.id)));
        await(alice.client().send(id, "Bed 4 needs a repeat potassium at 18:00.".getBytes(StandardCharsets.UTF_8)));

        WebElement conversation = wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(@aria-label, '1 unread')]")));
        assertThat(conversation.getText()).contains("Conversation with ", "1 unread");
        conversation.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Bed 4 needs a repeat potassium at 18:00."));
        Receipt delivered = next(alice.events().receipts);
        assertThat(delivered.kind()).as("the browser tells the sender it has the message").isEqualTo(ReceiptKind.DELIVERED);
        Receipt read = next(alice.events().receipts);
        assertThat(read.kind()).as("and that its user has read it, once the conversation is open").isEqualTo(ReceiptKind.READ);

        WebElement composer = labelled(browser, "Message");
        composer.sendKeys("Done, potassium 3.9. I will recheck at 22:00.");
        browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
        ReceivedMessage reply = next(alice.events().messages);
        assertThat(reply.text()).isEqualTo("Done, potassium 3.9. I will recheck at 22:00.");
        assertThat(reply.sender().toString()).contains(nurse.id.toString());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Delivered"));
        await(alice.client().markRead(reply));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log] li.mine .receipt"), "Read"));
        AxeCheck.assertAccessible(browser, "conversation");
        screenshots(browser, "conversation");

        // A third member: Alice's commit adds Bob; the browser follows the new epoch and reads Bob, and Bob reads it.
        JavaMember bob = javaMember();
        await(alice.client().invite(id, List.of(bob.client().device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        await(bob.client().send(id, "Bob here, I have bed 5 tonight.".getBytes(StandardCharsets.UTF_8)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Bob here, I have bed 5 tonight."));
        browser.findElement(By.xpath("//summary[starts-with(normalize-space(), 'Members')]")).click();
        assertThat(text(browser)).contains("Members (3)");
        // The safety number the browser shows for Alice is the one Alice's Java client computes for the browser.
        DeviceUri browserDevice = DeviceUri.of(nurse.id, browserDeviceOf(nurse.id));
        String aliceSays = await(alice.client().safetyNumber(id, browserDevice));
        assertThat(aliceSays).matches("(\\d{5} ){11}\\d{5}");
        By aliceNumber = By.cssSelector(".members .safety[data-device='" + alice.client().device() + "']");
        wait.until(ExpectedConditions.textToBe(aliceNumber, "Safety number: " + aliceSays)); // redrawn with each change
        AxeCheck.assertAccessible(browser, "members with safety numbers");
        screenshots(browser, "members-safety-numbers");
        assertThat(await(bob.client().safetyNumber(id, browserDevice))).as("another member, another number").isNotEqualTo(aliceSays);
        labelled(browser, "Message").sendKeys("Thanks both.");
        browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
        assertThat(next(bob.events().messages).text()).isEqualTo("Thanks both.");
        assertThat(next(alice.events().messages).text()).isEqualTo("Bob here, I have bed 5 tonight.");
        assertThat(next(alice.events().messages).text()).isEqualTo("Thanks both.");
        AxeCheck.assertAccessible(browser, "three members");

        // A reload: the device's key and the sealed state stay; messages sent meanwhile are read after signing in.
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Sign in to Wardline"));
        await(alice.client().send(id, "While you were away: bed 4 asked for you.".getBytes(StandardCharsets.UTF_8)));
        long damaged = await(alice.client().send(id, "A copy damaged on its way to the browser.".getBytes(StandardCharsets.UTF_8)));
        damageTheBrowsersCopy(damaged, nurse.id);
        signIn(browser, wait, nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Signed in as nurse.chat"));
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(@aria-label, '2 unread')]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "While you were away: bed 4 asked for you."));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "could not be decrypted on this device"));
        String history = browser.findElement(By.cssSelector("[role=log]")).getText();
        assertThat(history).contains("Bed 4 needs a repeat potassium at 18:00.", "Done, potassium 3.9.", "Bob here", "Thanks both.")
                .doesNotContain("A copy damaged");
        assertThat(unreadOfBrowser(nurse.id)).as("the browser's ACK said it kept that one unread").isEqualTo(1);
        await(bob.client().send(id, "And a new message after the reload.".getBytes(StandardCharsets.UTF_8)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "And a new message after the reload."));
        labelled(browser, "Message").sendKeys("Back online.");
        browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
        assertThat(next(alice.events().messages).text()).isEqualTo("And a new message after the reload.");
        assertThat(next(alice.events().messages).text()).isEqualTo("Back online.");
        AxeCheck.assertAccessible(browser, "conversation after a reload");
        screenshots(browser, "conversation-after-reload");
        // Bob, on the Java SDK, reads what Alice sent during the reload (his copy intact) and the browser's reply, each once.
        List<ReceivedMessage> bobReads = next(bob.events().messages, 3);
        assertThat(bobReads).as("Bob's next messages: %s", bobReads.stream()
                        .map(m -> m.sender() + "#" + m.messageId() + " " + m.text()).toList())
                .extracting(ReceivedMessage::text)
                .containsExactly("While you were away: bed 4 asked for you.", "A copy damaged on its way to the browser.", "Back online.");
        assertThat(bob.events().messages.poll(2, TimeUnit.SECONDS)).as("no message twice").isNull();
    }

    /**
     * A colleague's device set up again (its saved state refused, so it has a new MLS identity and is committed back
     * in by another member): the browser says in the conversation that its safety number changed, and the number it
     * now shows is the one the colleague's new client computes.
     */
    @Test
    void aColleaguesDeviceSetUpAgainIsAnnouncedAndItsNewSafetyNumberShown() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.safety", new JsonArray().add("nurse"), "2099-01-01");
        await(new TeamStore(WARDLINE.server().database().pool()).addMember(CareTeams.sharedTeam(WARDLINE.server()), nurse.id)
                .toCompletionStage().toCompletableFuture());
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        enrollAndSignIn(browser, wait, WARDLINE.server(), nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));

        JavaMember alice = javaMember();
        org.wardline.clients.messaging.DeviceCredentials bobCredentials = TestDevices.teamMate(WARDLINE.server());
        Path bobVault = dir.resolve("bob");
        JavaMember bob = javaMember(bobCredentials, bobVault);
        ConversationId id = await(alice.client().createConversation());
        await(alice.client().invite(id, List.of("urn:wardline:user:" + nurse.id, bob.client().device().userUri())));
        assertThat(next(bob.events().joined)).isEqualTo(id);
        await(alice.client().send(id, "Handover at 19:00.".getBytes(StandardCharsets.UTF_8)));
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(@aria-label, 'unread')]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Handover at 19:00."));
        browser.findElement(By.xpath("//summary[starts-with(normalize-space(), 'Members')]")).click();
        DeviceUri browserDevice = DeviceUri.of(nurse.id, browserDeviceOf(nurse.id));
        By bobNumber = By.cssSelector(".members .safety[data-device='" + bob.client().device() + "']");
        String before = await(bob.client().safetyNumber(id, browserDevice));
        wait.until(ExpectedConditions.textToBe(bobNumber, "Safety number: " + before));
        assertThat(text(browser)).doesNotContain("safety number of");

        // Bob's saved state rolled back to an older copy: refused, so his device starts again with a new identity.
        waitForEmptyInbox(bobCredentials.device().device());
        stopJava(bob);
        Path state = bobVault.resolve("mls-state.state");
        Path older = dir.resolve("bob-older-state");
        java.nio.file.Files.copy(state, older);
        JavaMember bobAgain = javaMember(bobCredentials, bobVault);
        await(alice.client().send(id, "After the copy.".getBytes(StandardCharsets.UTF_8)));
        assertThat(next(bobAgain.events().messages).text()).isEqualTo("After the copy.");
        waitForEmptyInbox(bobCredentials.device().device());
        stopJava(bobAgain);
        java.nio.file.Files.copy(older, state, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        JavaMember bobRestored = javaMember(bobCredentials, bobVault);
        assertThat(next(bobRestored.events().joined)).as("committed back in by Alice").isEqualTo(id);

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log] li.notice"), "changed"));
        assertThat(browser.findElement(By.cssSelector("[role=log] li.notice")).getText())
                .contains("The safety number of", "device " + bobCredentials.device().device().toString().substring(0, 8),
                        "their device was set up again");
        String after = await(bobRestored.client().safetyNumber(id, browserDevice));
        assertThat(after).isNotEqualTo(before);
        wait.until(ExpectedConditions.textToBe(bobNumber, "Safety number: " + after));
        assertThat(browser.findElements(By.cssSelector("[role=log] li.notice"))).as("Alice's key did not change").hasSize(1);
        AxeCheck.assertAccessible(browser, "a safety number changed");
        screenshots(browser, "safety-number-changed");
        labelled(browser, "Message").sendKeys("Noted, compared with Bob.");
        browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
        assertThat(next(bobRestored.events().messages).text()).isEqualTo("Noted, compared with Bob.");
    }

    private JavaMember javaMember(org.wardline.clients.messaging.DeviceCredentials credentials, Path vault) throws Exception {
        RecordingListener events = new RecordingListener();
        MessagingClient c = MessagingClient.start(credentials, LocalVault.open(vault, "p".toCharArray()), events);
        clients.add(c);
        c.connected().get(60, TimeUnit.SECONDS);
        return new JavaMember(c, events);
    }

    private void stopJava(JavaMember m) {
        m.client().close();
        clients.remove(m.client());
    }

    private static void waitForEmptyInbox(UUID device) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long n = WARDLINE.server().database().pool().preparedQuery("SELECT count(*) FROM device_inbox WHERE device_id = $1")
                    .execute(io.vertx.sqlclient.Tuple.of(device)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .iterator().next().getLong(0);
            if (n == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the device's inbox did not empty within 30 s");
    }

    /** The browser's inbox entry for {@code message} delivers a copy whose last ciphertext byte is flipped. */
    private static void damageTheBrowsersCopy(long message, UUID user) throws Exception {
        var rows = WARDLINE.server().database().pool().preparedQuery("""
                WITH copy AS (
                  INSERT INTO conversation_messages (conversation_id, kind, epoch, sender_device, sender_user, payload, added,
                                                     removed, ref_message_id, created_at, expires_at)
                  SELECT conversation_id, kind, epoch, sender_device, sender_user,
                         set_byte(payload, length(payload) - 1, get_byte(payload, length(payload) - 1) # 1), added, removed,
                         ref_message_id, created_at, expires_at
                    FROM conversation_messages WHERE id = $1 RETURNING id)
                UPDATE device_inbox i SET message_id = copy.id FROM copy, devices d
                 WHERE i.message_id = $1 AND i.device_id = d.id AND d.user_id = $2 RETURNING i.seq""")
                .execute(io.vertx.sqlclient.Tuple.of(message, user)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(rows.rowCount()).isEqualTo(1);
    }

    private static long unreadOfBrowser(UUID user) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long n = WARDLINE.server().database().pool().preparedQuery("SELECT count(*) FROM unread_deliveries u JOIN devices d "
                            + "ON d.id = u.device_id WHERE d.user_id = $1 AND u.reason = 'undecryptable'")
                    .execute(io.vertx.sqlclient.Tuple.of(user)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .iterator().next().getLong(0);
            if (n > 0 || System.nanoTime() > deadline) {
                return n; // the ACK travels after the message is shown
            }
            Thread.sleep(100);
        }
    }

    private static UUID browserDeviceOf(UUID user) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery("SELECT id FROM devices WHERE user_id = $1 AND revoked_at IS NULL")
                .execute(io.vertx.sqlclient.Tuple.of(user)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .iterator().next().getUUID(0);
    }
}
