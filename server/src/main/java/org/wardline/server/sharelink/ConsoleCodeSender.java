package org.wardline.server.sharelink;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.Secret;

import java.util.UUID;

/**
 * Dev mode ({@code mail.console: true}): prints the code on the console, not in the log, for the developer
 * playing the patient. The log gets a warning without the code.
 */
final class ConsoleCodeSender implements CodeSender {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCodeSender.class);

    @Override
    public Future<Void> send(UUID linkId, Secret<String> email, Secret<String> code) {
        LOG.atWarn().addKeyValue("linkId", linkId)
                .log("mail.console is on: a share-link code was printed on the console instead of being emailed (dev mode only)");
        System.out.println("[DEV MODE — never in production] one-time code for share link " + linkId + ": " + code.reveal());
        return Future.succeededFuture();
    }
}
