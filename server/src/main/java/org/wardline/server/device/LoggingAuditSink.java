package org.wardline.server.device;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Map;
import java.util.UUID;

/** {@link AuditSink} that writes each event as one structured log line. */
final class LoggingAuditSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger("org.wardline.audit.device");

    @Override
    public void record(Action action, Outcome outcome, UUID userId, UUID deviceId, String sourceIp, Map<String, String> details) {
        LoggingEventBuilder e = LOG.atInfo().addKeyValue("action", action.name()).addKeyValue("outcome", outcome.name());
        if (userId != null) {
            e = e.addKeyValue("userId", userId.toString());
        }
        if (deviceId != null) {
            e = e.addKeyValue("deviceId", deviceId.toString());
        }
        if (sourceIp != null) {
            e = e.addKeyValue("sourceIp", sourceIp);
        }
        for (Map.Entry<String, String> d : details.entrySet()) {
            e = e.addKeyValue(d.getKey(), d.getValue());
        }
        e.log("audit");
    }
}
