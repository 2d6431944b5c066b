package org.wardline.server.auth;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.wardline.server.testing.WardlineServerExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the sign-in flows, good and bad, and checks no password, token, code or TOTP secret reached a log line. */
class NoSecretsInLogsTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    @BeforeAll
    static void capture() {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    }

    @AfterAll
    static void release() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    }

    @Test
    void signInFlowsLogNoSecrets() throws Exception {
        WardlineApi api = new WardlineApi(WARDLINE.server());
        WardlineApi.Account admin = api.bootstrapAdmin("log.admin");
        WardlineApi.Account c = api.createAndSignIn(admin, "log.clinician", new JsonArray().add("clinician"), "2099-01-01");
        List<String> secrets = new ArrayList<>(List.of(WardlineApi.PASSWORD, admin.accessToken, admin.refreshToken, c.accessToken,
                c.refreshToken, Totp.base32(c.totpSecret), c.recoveryCodes.getString(0)));
        api.post("/v1/auth/login", null, new JsonObject().put("username", "log.clinician").put("password", "wrong password value 42"));
        secrets.add("wrong password value 42");
        api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", c.refreshToken));
        api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", c.refreshToken));
        api.get("/v1/me", c.accessToken + "x");
        String pending = api.post("/v1/auth/login", null, new JsonObject().put("username", "log.clinician").put("password",
                WardlineApi.PASSWORD)).json().getString("pendingToken");
        secrets.add(pending);
        String code = c.nextCode();
        secrets.add(code);
        api.post("/v1/auth/mfa", null, new JsonObject().put("pendingToken", pending).put("code", code));

        List<ILoggingEvent> events;
        synchronized (LOGS) {
            // AppenderBase appends under the appender's lock; other threads (the audit trail, the event loop)
            // keep logging while the test reads.
            events = new ArrayList<>(LOGS.list);
        }
        assertThat(events).as("the flows produced log lines to inspect").isNotEmpty();
        for (ILoggingEvent e : events) {
            StringBuilder line = new StringBuilder(e.getFormattedMessage());
            if (e.getKeyValuePairs() != null) {
                e.getKeyValuePairs().forEach(kv -> line.append(' ').append(kv.key).append('=').append(kv.value));
            }
            if (e.getThrowableProxy() != null) {
                line.append(' ').append(e.getThrowableProxy().getMessage());
            }
            for (String s : secrets) {
                assertThat(line.toString()).as(e.getLoggerName()).doesNotContain(s);
            }
        }
    }
}
