package org.wardline.server.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import org.wardline.server.account.Role;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStatus;
import org.wardline.server.account.UserStore;
import org.wardline.server.config.WardlineConfig;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Alerts by e-mail through the configured SMTP relay, to every active account holding the security-officer
 * role (read at each alert, so a new officer gets the next one) and the configured extra addresses.
 */
final class EmailAlertChannel implements AlertChannel {
    private final MailClient client;
    private final String from;
    private final UserStore users;
    private final List<String> extraRecipients;

    EmailAlertChannel(Vertx vertx, WardlineConfig.Mail mail, UserStore users, List<String> extraRecipients) {
        // One connection per alert: a pooled keep-alive connection can be left waiting for a reply the client has
        // already dropped ("dropping reply arriving after we stopped processing the buffer", seen here against
        // GreenMail; vert-x3/vertx-mail-client#185), and alerts are rare enough not to need the pool.
        MailConfig config = new MailConfig().setHostname(mail.host()).setPort(mail.port()).setKeepAlive(false);
        switch (mail.security()) {
            case STARTTLS -> config.setStarttls(StartTLSOptions.REQUIRED);
            case TLS -> config.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
            case NONE -> config.setStarttls(StartTLSOptions.DISABLED);
        }
        if (mail.user() != null) {
            config.setLogin(LoginOption.REQUIRED).setUsername(mail.user())
                    .setPassword(mail.password() == null ? null : mail.password().reveal());
        } else {
            config.setLogin(LoginOption.DISABLED);
        }
        this.client = MailClient.create(vertx, config);
        this.from = mail.from();
        this.users = users;
        this.extraRecipients = List.copyOf(extraRecipients);
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public Future<Void> deliver(AlertPayload payload) {
        return recipients().compose(to -> {
            if (to.isEmpty()) {
                return Future.failedFuture(new IllegalStateException("no security officer with an e-mail address, and no "
                        + "alerts.email.recipients"));
            }
            MailMessage message = new MailMessage().setFrom(from).setTo(to).setSubject(payload.subject()).setText(payload.text());
            return client.sendMail(message).mapEmpty();
        });
    }

    Future<List<String>> recipients() {
        return users.list().map(all -> {
            Set<String> to = new LinkedHashSet<>();
            for (User u : all) {
                if (u.status() == UserStatus.ACTIVE && u.roles().contains(Role.SECURITY_OFFICER) && u.email() != null && !u.email().isBlank()) {
                    to.add(u.email());
                }
            }
            to.addAll(extraRecipients);
            return new ArrayList<>(to);
        });
    }
}
