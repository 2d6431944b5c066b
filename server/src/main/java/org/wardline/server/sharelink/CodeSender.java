package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.wardline.server.config.WardlineConfig;
import org.wardline.protocol.Secret;

import java.util.UUID;

/** Delivers a one-time code to an email recipient. Implementations never log the code or the address. */
interface CodeSender {

    Future<Void> send(UUID linkId, Secret<String> email, Secret<String> code);

    /** @param organisation who the mail says shared the document ({@code branding.organisation}), or null */
    static CodeSender from(Vertx vertx, WardlineConfig.Mail mail, String organisation) {
        return mail.console() ? new ConsoleCodeSender() : new SmtpCodeSender(vertx, mail, organisation);
    }
}
