package org.wardline.server.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.Secret;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLineEncoderTest {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final JsonLineEncoder encoder = new JsonLineEncoder();
    private Logger logger;

    @BeforeEach
    void capture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logger = context.getLogger("phi-test-" + UUID.randomUUID());
        logger.setAdditive(false);
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        appender.setContext(context);
        appender.start();
        logger.addAppender(appender);
        encoder.setContext(context);
        encoder.start();
    }

    private String lastLine() {
        List<ILoggingEvent> events = appender.list;
        return new String(encoder.encode(events.get(events.size() - 1)), StandardCharsets.UTF_8);
    }

    @Test
    void phiInMessagesFieldsAndExceptionsNeverReachTheLine() {
        String requestId = UUID.randomUUID().toString();
        logger.atWarn()
                .addKeyValue("requestId", requestId)
                .addKeyValue("fileName", "jane-doe-hiv-results.pdf")
                .addKeyValue("recipientEmail", "jane.doe@example.org")
                .addKeyValue("code", Secret.of("493817"))
                .addKeyValue("bytes", 2048)
                .setCause(new IllegalStateException("patient SSN 123-45-6789 at (555) 867-5309"))
                .log("sent https://wardline.example.org/s/abc#Zm9vYmFyYmF6cXV4cXV1eA to jane.doe@example.org, code {}",
                        Secret.of("493817"));
        String line = lastLine();

        assertThat(line).doesNotContain("jane", "hiv", "123-45-6789", "867-5309", "493817", "Zm9vYmFyYmF6cXV4cXV1eA");
        assertThat(line).contains(requestId, "\"bytes\":2048,", "[REDACTED]", "IllegalStateException");
        assertThat(line).endsWith("\n").doesNotContain("\n{");
    }

    @Test
    void eachEventIsOneParsableJsonObject() throws Exception {
        logger.info("quote \" backslash \\ newline \n tab \t done");
        JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lastLine());
        assertThat(node.get("level").asText()).isEqualTo("INFO");
        assertThat(node.get("msg").asText()).contains("quote \" backslash \\ newline \n tab");
        assertThat(node.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void identifiersAndShortNumbersSurvive() {
        String id = "0b5e3f0e-1234-4567-8901-123456789012";
        assertThat(PhiScrubber.scrub("device " + id + " took 1500 ms on port 8443"))
                .isEqualTo("device " + id + " took 1500 ms on port 8443");
        assertThat(PhiScrubber.isSensitiveKey("deviceId")).isFalse();
        assertThat(PhiScrubber.isSensitiveKey("displayName")).isTrue();
    }
}
