package org.wardline.server.sharelink;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.wardline.server.testing.EnrolledDevices;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Dev mode ({@code mail.console: true}): the code is printed on the console with a warning, never logged. */
class ShareLinkDevConsoleTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private PrintStream original;

    @BeforeEach
    void capture() {
        original = System.out;
        System.setOut(new PrintStream(new TeeStream(original, console), true, StandardCharsets.UTF_8));
        logs.start();
        ((Logger) LoggerFactory.getLogger(ConsoleCodeSender.class)).addAppender(logs);
    }

    @AfterEach
    void restore() {
        System.setOut(original);
        ((Logger) LoggerFactory.getLogger(ConsoleCodeSender.class)).detachAppender(logs);
    }

    @Test
    void theCodeIsPrintedOnTheConsoleAndOpensTheLink() throws Exception {
        assertThat(WARDLINE.server().config().mail().console()).isTrue();
        ShareLinkClient owner = new ShareLinkClient(WARDLINE.server(), EnrolledDevices.enroll(WARDLINE.server()));
        String file = owner.upload("Vaccination record".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link link = owner.create(file, new JsonObject().put("email", "dev.patient@example.org"), "view", 1);

        HttpResponse<String> started = owner.verifyStart(link.id(), link.secret());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        Matcher m = Pattern.compile("share link " + Pattern.quote(link.id()) + ": (\\d{6})")
                .matcher(console.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).as("the code on the console").isTrue();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("DEV MODE").doesNotContain("dev.patient@example.org");

        java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> events;
        synchronized (logs) {
            events = java.util.List.copyOf(logs.list);
        }
        assertThat(events).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("mail.console is on"));
        assertThat(events).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(m.group(1)));

        assertThat(owner.verify(link.id(), link.secret(), m.group(1)).statusCode()).isEqualTo(200);
    }

    @Test
    void aLockTellsTheSenderOnTheConsoleWithTheUnlockCommandAndNoRecipient() throws Exception {
        ShareLinkClient owner = new ShareLinkClient(WARDLINE.server(), EnrolledDevices.enroll(WARDLINE.server()));
        String file = owner.upload("Allergy list".getBytes(StandardCharsets.UTF_8), "text/plain");
        ShareLinkClient.Link link = owner.create(file, new JsonObject().put("email", "locked.patient@example.org"), "view", 1);
        assertThat(owner.verifyStart(link.id(), link.secret()).statusCode()).isEqualTo(200);
        Matcher code = Pattern.compile("share link " + Pattern.quote(link.id()) + ": (\\d{6})")
                .matcher(console.toString(StandardCharsets.UTF_8));
        assertThat(code.find()).isTrue();
        String wrong = code.group(1).equals("000000") ? "111111" : "000000";
        for (int i = 0; i < RecipientVerification.LOCK_AFTER; i++) {
            owner.verify(link.id(), link.secret(), wrong);
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!console.toString(StandardCharsets.UTF_8).contains("wardline share unlock " + link.id())
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("mail to the sender of share link " + link.id(), "wardline share unlock " + link.id())
                .doesNotContain("locked.patient@example.org");
    }

    /** Writes to the real console and to the capture. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
