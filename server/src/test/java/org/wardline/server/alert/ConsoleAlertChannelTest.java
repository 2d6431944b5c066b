package org.wardline.server.alert;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.wardline.storage.audit.alert.Alert;
import org.wardline.storage.audit.alert.AlertSeverity;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Dev mode ({@code mail.console: true}): an alert is printed on the console, and the log warns that it was not mailed. */
class ConsoleAlertChannelTest {
    @Test
    void anAlertIsPrintedWithAWarningInsteadOfBeingMailed() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ConsoleAlertChannel.class);
        logger.addAppender(logs);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream original = System.out;
        UUID team = UUID.randomUUID();
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            new ConsoleAlertChannel().deliver(AlertPayload.of(new Alert("break_glass", AlertSeverity.CRITICAL,
                    Instant.parse("2026-11-23T03:00:00Z"), 42, UUID.randomUUID(), "127.0.0.1", 1, "break-glass: breakglass.started (success)",
                    "team", team.toString())));
        } finally {
            System.setOut(original);
            logger.detachAppender(logs);
        }
        // The console also carries the JSON log lines; the alert is the line of its own.
        String printed = console.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("[DEV MODE — never in production] security alert: ")).findFirst().orElse("");
        assertThat(printed).contains("\"rule\":\"break_glass\"", "\"auditEntrySeq\":42", team.toString());
        List<ILoggingEvent> events;
        synchronized (logs) {
            events = List.copyOf(logs.list);
        }
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
            assertThat(e.getFormattedMessage()).contains("mail.console is on");
        });
    }
}
