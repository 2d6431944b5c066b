package org.wardline.server.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * Logback encoder writing one JSON object per line: time, level, logger, thread, message, the event's
 * key-value pairs and MDC (a request ID among them), and the error's type and message. Every string passes
 * {@link PhiScrubber}; stack frames are written, exception messages only scrubbed.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NO_BYTES = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NO_BYTES;
    }

    @Override
    public byte[] footerBytes() {
        return NO_BYTES;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("msg", PhiScrubber.scrub(event.getFormattedMessage()));
            for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
                field(g, e.getKey(), e.getValue());
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    field(g, kv.key, kv.value);
                }
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                g.writeObjectFieldStart("error");
                g.writeStringField("type", error.getClassName());
                g.writeStringField("message", PhiScrubber.scrub(error.getMessage()));
                g.writeArrayFieldStart("stack");
                for (var frame : error.getStackTraceElementProxyArray()) {
                    g.writeString(frame.getSTEAsString());
                }
                g.writeEndArray();
                IThrowableProxy cause = error.getCause();
                if (cause != null) {
                    g.writeStringField("causeType", cause.getClassName());
                    g.writeStringField("causeMessage", PhiScrubber.scrub(cause.getMessage()));
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void field(JsonGenerator g, String key, Object value) throws IOException {
        if (key == null || key.equals("ts") || key.equals("level") || key.equals("msg")) {
            return;
        }
        if (PhiScrubber.isSensitiveKey(key)) {
            g.writeStringField(key, "[REDACTED]");
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumberField(key, ((Number) value).longValue());
        } else if (value instanceof Number n) {
            g.writeNumberField(key, n.doubleValue());
        } else if (value instanceof Boolean b) {
            g.writeBooleanField(key, b);
        } else {
            g.writeStringField(key, PhiScrubber.scrub(String.valueOf(value)));
        }
    }
}
