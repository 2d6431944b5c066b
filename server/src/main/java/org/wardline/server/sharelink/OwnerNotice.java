package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.account.UserStore;
import org.wardline.server.config.WardlineConfig;

import java.util.UUID;

/**
 * Tells a link's sender, by e-mail to their account's address, that their link locked after wrong codes: they are
 * the one the patient will call, and the one who can lift the lock. The message names the link by ID only (no
 * recipient, no file). With {@code mail.console: true} it is printed on the console instead. Never fails its caller:
 * the lock and its audit entry (which alerts the security officer) stand whether or not the mail goes out.
 */
final class OwnerNotice {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerNotice.class);

    private final UserStore users;
    private final MailClient client;
    private final String from;

    OwnerNotice(Vertx vertx, WardlineConfig.Mail mail, UserStore users) {
        this.users = users;
        this.client = mail.console() ? null : MailClient.create(vertx, SmtpCodeSender.mailConfig(mail).setKeepAlive(false));
        this.from = mail.from();
    }

    Future<Void> linkLocked(UUID linkId, UUID owner) {
        String text = "A share link you created (" + linkId + ") was locked after " + RecipientVerification.LOCK_AFTER
                + " wrong codes.\n\nIf your recipient tells you it was them, lift the lock with:\n\n"
                + "  wardline share unlock " + linkId + "\n\n"
                + "If they did not try to open it, leave it locked and tell your security officer, who has been alerted too.\n";
        if (client == null) {
            System.out.println("[DEV MODE — never in production] mail to the sender of share link " + linkId + ":\n" + text);
            return Future.succeededFuture();
        }
        return users.byId(owner).compose(user -> {
            String to = user.map(u -> u.email()).filter(e -> e != null && !e.isBlank()).orElse(null);
            if (to == null) {
                // They still see it in `wardline share list`; the officer's alert names them.
                LOG.atWarn().addKeyValue("linkId", linkId).log("share link locked; its owner has no e-mail address to tell");
                return Future.<Void>succeededFuture();
            }
            return client.sendMail(new MailMessage().setFrom(from).setTo(to)
                    .setSubject("[Wardline] Your share link was locked").setText(text)).<Void>mapEmpty();
        }).recover(e -> {
            LOG.atError().addKeyValue("linkId", linkId).addKeyValue("errorType", e.getClass().getSimpleName())
                    .log("the sender of a locked share link could not be told");
            return Future.succeededFuture();
        });
    }
}
