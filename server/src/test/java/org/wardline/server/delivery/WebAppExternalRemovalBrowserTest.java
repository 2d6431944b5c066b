package org.wardline.server.delivery;

import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
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
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.rbac.TeamStore;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.CareTeams;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.server.wipe.WipeModule;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.testing.WebAppPages.enrollAndSignIn;
import static org.wardline.server.testing.WebAppPages.labelled;
import static org.wardline.server.testing.WebAppPages.text;

/**
 * A Java colleague's device is wiped while its only other member is a nurse in headless Chromium: the server signs
 * an external Remove (it is the group's external sender), and the browser, the only member left, commits it through
 * the real server, so the wiped device's keys stop protecting anything sent afterwards.
 */
class WebAppExternalRemovalBrowserTest {
    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void theBrowserCommitsTheServersRemovalOfAWipedJavaDevice() throws Exception {
        WardlineApi.Account nurse = api.createAndSignIn(admin, "nurse.remains", new JsonArray().add("nurse"), "2099-01-01");
        await(new TeamStore(WARDLINE.server().database().pool()).addMember(CareTeams.sharedTeam(WARDLINE.server()), nurse.id)
                .toCompletionStage().toCompletableFuture());
        WebDriver browser = CHROMIUM.newBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        enrollAndSignIn(browser, wait, WARDLINE.server(), nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));

        MessagingClient alice = MessagingClient.start(TestDevices.teamMate(WARDLINE.server()),
                LocalVault.open(dir.resolve("alice"), "p".toCharArray()), new RecordingListener());
        DeviceUri aliceDevice;
        ConversationId id;
        try {
            alice.connected().get(60, TimeUnit.SECONDS);
            aliceDevice = alice.device();
            id = await(alice.createConversation());
            await(alice.invite(id, List.of("urn:wardline:user:" + nurse.id)));
            await(alice.send(id, "Handing over bed 9 to you; I am going off shift.".getBytes(StandardCharsets.UTF_8)));
        } finally {
            alice.close();
        }
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(@aria-label, '1 unread')]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "Handing over bed 9 to you"));
        browser.findElement(By.xpath("//summary[starts-with(normalize-space(), 'Members')]")).click();
        assertThat(text(browser)).contains("Members (2)", "Encryption epoch 1.");

        WARDLINE.server().module(WipeModule.class).wipeForIncident(aliceDevice.device(), admin.id, null)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".members"), "Members (1)"));
        assertThat(text(browser)).contains("Encryption epoch 2.").doesNotContain(aliceDevice.device().toString());
        Row stored = WARDLINE.server().database().pool().preparedQuery("""
                        SELECT c.epoch, m.sender_user, m.removed FROM conversations c
                        JOIN conversation_messages m ON m.conversation_id = c.id AND m.kind = 1
                        WHERE c.group_id = $1 ORDER BY m.id DESC LIMIT 1""")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(id.groupId()))).toCompletionStage().toCompletableFuture().get()
                .iterator().next();
        assertThat(stored.getLong("epoch")).as("the server took the browser's commit").isEqualTo(2L);
        assertThat(stored.getUUID("sender_user")).isEqualTo(nurse.id);
        assertThat(stored.getArrayOfStrings("removed")).containsExactly(aliceDevice.toString());

        WebElement composer = labelled(browser, "Message");
        composer.sendKeys("Noted, bed 9 is mine.");
        browser.findElement(By.xpath("//button[normalize-space()='Send']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log] li.mine .receipt"), "Sent"));
        AxeCheck.assertAccessible(browser, "conversation after a wiped member was removed");
    }
}
