package org.wardline.server.delivery;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.wardline.clients.messaging.Attachment;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.embedded.TestSignatures;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.sharelink.ChromiumExtension;
import org.wardline.server.testing.AxeCheck;
import org.wardline.server.testing.WardlineServerExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wardline.server.delivery.RecordingListener.next;
import static org.wardline.server.testing.WebAppPages.enrollAndSignIn;
import static org.wardline.server.testing.WebAppPages.labelled;
import static org.wardline.server.testing.WebAppPages.screenshots;

/**
 * Files between a nurse in headless Chromium and a colleague on the Java SDK, through the real server's scanned
 * upload (clamd with the project's test signatures, the DLP policy) on the public listener with DPoP: a file the Java
 * client sends is downloaded by the browser, checked against the announced SHA-256 and saved under its name; one
 * announced with another hash is discarded in words; a file the browser attaches reaches the Java client, which
 * downloads the same bytes; the EICAR test file is refused in words and nothing is announced. axe-core on each screen.
 */
class WebAppAttachmentBrowserTest {
    @RegisterExtension
    static final ChromiumExtension CHROMIUM = new ChromiumExtension();

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private static WardlineApi api;
    private static WardlineApi.Account admin;

    @TempDir
    Path dir;

    private MessagingClient alice;

    @BeforeAll
    static void setUp() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        admin = api.bootstrapAdmin("admin");
    }

    @AfterEach
    void close() {
        if (alice != null) {
            alice.close();
        }
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void filesTravelBothWaysBetweenTheBrowserAndAJavaColleagueAndMalwareIsRefusedInWords() throws Exception {
        WardlineApi.Account nurse = BrowserTestPeople.nurse(WARDLINE.server(), api, admin, "nurse.files");
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        WebDriver browser = CHROMIUM.newBrowser(downloads);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        enrollAndSignIn(browser, wait, WARDLINE.server(), nurse);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Colleagues can add this device to conversations."));

        RecordingListener events = new RecordingListener();
        alice = BrowserTestPeople.javaColleague(WARDLINE.server(), dir.resolve("alice"), events);
        ConversationId id = await(alice.createConversation());
        await(alice.invite(id, List.of("urn:wardline:user:" + nurse.id)));

        // Java to browser: downloaded, checked against the announced SHA-256, saved under its name.
        Path notes = dir.resolve("ward-round notes.txt");
        byte[] content = "Ward round: bed 4 stable, review bloods tomorrow.\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(notes, content);
        Attachment sent = await(alice.sendFile(id, notes));
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//nav[@aria-labelledby='conversations-title']//button[contains(@aria-label, 'unread')]"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "File: ward-round notes.txt (9.8 KB)"));
        browser.findElement(By.xpath("//button[@aria-label='Download ward-round notes.txt']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"),
                "Saved “ward-round notes.txt”. Its SHA-256 matches the one the sender announced."));
        assertThat(downloaded(downloads.resolve("ward-round notes.txt"), content.length)).isEqualTo(content);
        java.util.UUID browserDevice = browserDeviceOf(nurse.id);
        assertThat(audited("file.downloaded", "success", browserDevice, sent.fileId())).as("audited as the browser device").isEqualTo(1);
        AxeCheck.assertAccessible(browser, "a conversation with a downloaded file");

        // The same file announced with another hash (a server that swapped it would look like this): discarded.
        await(alice.send(id, new Attachment(sent.fileId(), "swapped.txt", sent.size(), sent.contentType(), "00".repeat(32)).encode()));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "File: swapped.txt"));
        browser.findElement(By.xpath("//button[@aria-label='Download swapped.txt']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"),
                "The download was discarded: it is not the file that was shared (its SHA-256 differs from the announcement)."));
        assertThat(downloads.resolve("swapped.txt")).doesNotExist();

        // Browser to Java: attached with the file input, scanned, shared and announced as the Java client announces.
        Path checklist = dir.resolve("discharge checklist.txt");
        byte[] mine = "Discharge checklist: medicines explained, transport booked, letter printed.\n".repeat(40)
                .getBytes(StandardCharsets.UTF_8);
        Files.write(checklist, mine);
        labelled(browser, "Attach file").sendKeys(checklist.toAbsolutePath().toString());
        browser.findElement(By.xpath("//button[normalize-space()='Send file']")).click();
        By status = By.cssSelector("form.attach [role=status], form.attach [role=alert]");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(status,
                "Sent “discharge checklist.txt”. It passed the malware and data-loss checks."));
        ReceivedMessage announced = next(events.messages);
        assertThat(announced.sender().toString()).contains(nurse.id.toString());
        Attachment attachment = announced.attachment().orElseThrow(() -> new AssertionError("not a file announcement"));
        assertThat(attachment.name()).isEqualTo("discharge checklist.txt");
        assertThat(attachment.size()).isEqualTo(mine.length);
        assertThat(attachment.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(mine)));
        assertThat(Files.readAllBytes(await(alice.download(attachment, dir.resolve("alice-copy.txt"))))).isEqualTo(mine);
        assertThat(audited("file.uploaded", "success", browserDevice, attachment.fileId())).isEqualTo(1);
        assertThat(audited("file.attached", "success", browserDevice, attachment.fileId())).isEqualTo(1);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=log]"), "File: discharge checklist.txt"));
        AxeCheck.assertAccessible(browser, "a file sent from the browser");
        screenshots(browser, "conversation-files", status);

        // The EICAR test file: refused by the malware scan, said in words, nothing shared or announced.
        long shared = attachmentsOf(id);
        Path eicar = dir.resolve("eicar.txt");
        Files.writeString(eicar, TestSignatures.EICAR, StandardCharsets.US_ASCII);
        labelled(browser, "Attach file").sendKeys(eicar.toAbsolutePath().toString());
        browser.findElement(By.xpath("//button[normalize-space()='Send file']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(status,
                "Not sent: the malware scanner found malware in this file. Nothing was kept and nothing was shared."));
        assertThat(browser.findElement(By.cssSelector("form.attach [role=alert]")).getText()).contains("malware");
        assertThat(events.messages.poll(3, TimeUnit.SECONDS)).as("nothing announced").isNull();
        assertThat(attachmentsOf(id)).as("nothing shared").isEqualTo(shared);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'file.uploaded' AND outcome = 'denied' "
                + "AND actor_device_id = $1", browserDevice)).as("the refusal audited").isEqualTo(1);
        assertThat(browser.findElement(By.cssSelector("[role=log]")).getText()).doesNotContain("eicar.txt");
        AxeCheck.assertAccessible(browser, "a file refused for malware");
        screenshots(browser, "attachment-refused", status);

        // A file the policy lets through only with a reason (a payment-card number): asked for, then sent with one.
        Path card = dir.resolve("refund form.txt");
        Files.writeString(card, "Parking refund: card 4111 1111 1111 1111.", StandardCharsets.US_ASCII);
        labelled(browser, "Attach file").sendKeys(card.toAbsolutePath().toString());
        browser.findElement(By.xpath("//button[normalize-space()='Send file']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(status, "To send it anyway, write why below"));
        assertThat(browser.findElement(status).getText()).contains("1 payment card number").doesNotContain("4111");
        assertThat(events.messages.poll(2, TimeUnit.SECONDS)).as("nothing announced without a reason").isNull();
        AxeCheck.assertAccessible(browser, "a file that needs a reason");
        labelled(browser, "Reason for sending it").sendKeys("Finance needs the card to refund the fine");
        browser.findElement(By.xpath("//button[normalize-space()='Send file with this reason']")).click();
        ReceivedMessage withReason = next(events.messages);
        assertThat(withReason.attachment()).as("announced once a reason was given").hasValueSatisfying(a ->
                assertThat(a.name()).isEqualTo("refund form.txt"));
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'file.uploaded' AND outcome = 'success' "
                + "AND actor_device_id = $1 AND details LIKE '%\"justified\":true%'", browserDevice)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_entries WHERE details LIKE '%refund the fine%'")).as("the words stay in the browser")
                .isZero();
    }

    /** The file Chromium saved, once complete (it writes a .crdownload beside it until then). */
    private static byte[] downloaded(Path file, int size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.size(file) == size) {
                return Files.readAllBytes(file);
            }
            Thread.sleep(100);
        }
        try (var listed = Files.list(file.getParent())) {
            throw new AssertionError("no complete download at " + file + "; the folder holds " + listed.toList());
        }
    }

    private static long count(String sql, Object... args) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery(sql).execute(Tuple.from(args))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    /** Entries of {@code action} by {@code device} for {@code file}, once written (a download's closes after its response). */
    private static long audited(String action, String outcome, java.util.UUID device, String file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String sql = "SELECT count(*) FROM audit_entries WHERE action = $1 AND outcome = $2 AND actor_device_id = $3 AND object_id = $4";
        long n = count(sql, action, outcome, device, file);
        while (n == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = count(sql, action, outcome, device, file);
        }
        return n;
    }

    private static java.util.UUID browserDeviceOf(java.util.UUID user) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery("SELECT id FROM devices WHERE user_id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(user)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .iterator().next().getUUID(0);
    }

    private static long attachmentsOf(ConversationId id) throws Exception {
        return WARDLINE.server().database().pool().preparedQuery("SELECT count(*) FROM conversation_attachments a "
                        + "JOIN conversations c ON c.id = a.conversation_id WHERE c.group_id = $1")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(id.groupId()))).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }
}
