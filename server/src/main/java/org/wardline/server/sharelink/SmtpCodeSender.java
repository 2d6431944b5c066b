package org.wardline.server.sharelink;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import org.wardline.server.config.WardlineConfig;
import org.wardline.protocol.Secret;

import java.util.UUID;

/** Sends codes through the configured SMTP relay (STARTTLS, implicit TLS, or plain on loopback only). */
final class SmtpCodeSender implements CodeSender {
    private final MailClient client;
    private final String from;
    private final String sharedBy;

    SmtpCodeSender(Vertx vertx, WardlineConfig.Mail mail, String organisation) {
        this.client = MailClient.create(vertx, mailConfig(mail));
        this.from = mail.from();
        this.sharedBy = organisation == null || organisation.isBlank() ? "Someone at your care team" : organisation;
    }

    /** The relay's settings: STARTTLS, implicit TLS, or plain on loopback only; login when a user is configured. */
    static MailConfig mailConfig(WardlineConfig.Mail mail) {
        MailConfig config = new MailConfig().setHostname(mail.host()).setPort(mail.port());
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
        return config;
    }

    @Override
    public Future<Void> send(UUID linkId, Secret<String> email, Secret<String> code) {
        MailMessage message = new MailMessage().setFrom(from).setTo(email.reveal())
                .setSubject("Your Wardline code")
                .setText(sharedBy + " shared a document with you through Wardline.\n\n"
                        + "Your one-time code is: " + code.reveal() + "\n\n"
                        + "It expires in 10 minutes. If you did not expect this, ignore this message.\n");
        return client.sendMail(message).mapEmpty();
    }
}
