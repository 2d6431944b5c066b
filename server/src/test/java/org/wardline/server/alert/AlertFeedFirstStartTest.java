package org.wardline.server.alert;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.WardlineServer;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.alert.BackupFailedRule;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first start of an installation: the feed's position is stored before the server takes requests, so an entry
 * written before the first periodic read (ten minutes away here) still raises its alert. The feed used to take its
 * position at its first read, past whatever had been written since the start.
 */
class AlertFeedFirstStartTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of("WARDLINE_ALERTS_POLL_MILLIS", "600000"));

    @Test
    void anEntryWrittenBeforeTheFirstReadOfTheTrailStillAlerts() throws Exception {
        WardlineServer server = WARDLINE.server();
        assertThat(storedPositionRows(server)).as("the position is stored at start").isEqualTo(1);
        long seq = await(server.audit().record(AuditEvent.builder(new AuditAction(BackupFailedRule.ACTION), AuditOutcome.FAILURE)
                .build())).seq();

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        long raised;
        do {
            server.alerting().pollNow();
            Thread.sleep(100);
            raised = alertsFor(server, seq);
        } while (raised == 0 && Instant.now().isBefore(deadline));
        assertThat(raised).as("the failed backup written before the first read raised its alert").isEqualTo(1);
    }

    private static long storedPositionRows(WardlineServer server) {
        return await(server.database().pool().query("SELECT count(*) AS n FROM alert_feed_position").execute()
                .map(r -> r.iterator().next().getLong("n")));
    }

    private static long alertsFor(WardlineServer server, long seq) {
        return await(server.database().pool().query("SELECT count(*) AS n FROM security_alerts WHERE rule = '"
                + BackupFailedRule.CODE + "' AND audit_seq = " + seq).execute().map(r -> r.iterator().next().getLong("n")));
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
