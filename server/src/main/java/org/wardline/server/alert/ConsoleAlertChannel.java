package org.wardline.server.alert;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dev mode ({@code mail.console: true}): alerts are printed on the console instead of being e-mailed, with a warning. */
final class ConsoleAlertChannel implements AlertChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAlertChannel.class);

    @Override
    public String name() {
        return "console";
    }

    @Override
    public Future<Void> deliver(AlertPayload payload) {
        LOG.atWarn().addKeyValue("rule", payload.alert().rule()).addKeyValue("auditEntrySeq", payload.alert().seq())
                .log("mail.console is on: a security alert was printed on the console instead of being e-mailed (dev mode only)");
        System.out.println("[DEV MODE — never in production] security alert: " + payload.toJson().encode());
        return Future.succeededFuture();
    }
}
