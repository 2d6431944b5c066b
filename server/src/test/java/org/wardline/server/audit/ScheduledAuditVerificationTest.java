package org.wardline.server.audit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.wardline.server.testing.WardlineServerExtension;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditOutcome;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server verifies the trail on its own: after an entry is altered with the append-only trigger disabled, within
 * one period the trail holds {@code audit.chain.broken} naming that entry and the {@code audit_chain_broken} alert is
 * raised; the same break is not reported again on the next run.
 */
class ScheduledAuditVerificationTest {
    private static final int PERIOD_SECONDS = 3;

    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension(Map.of(
            "WARDLINE_ALERTS_AUDIT_VERIFY_SECONDS", Integer.toString(PERIOD_SECONDS),
            "WARDLINE_ALERTS_POLL_MILLIS", "200"));

    private static final ListAppender<ILoggingEvent> ALERTS = new ListAppender<>();

    @BeforeAll
    static void capture() {
        ALERTS.start();
        ((Logger) LoggerFactory.getLogger("org.wardline.server.alert.ConsoleAlertChannel")).addAppender(ALERTS);
    }

    @AfterAll
    static void release() {
        ((Logger) LoggerFactory.getLogger("org.wardline.server.alert.ConsoleAlertChannel")).detachAppender(ALERTS);
    }

    @Test
    void anAlteredEntryIsFoundWithinOnePeriodAndRaisesTheAlertOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            WARDLINE.server().audit().record(AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.SUCCESS)
                    .object("file", UUID.randomUUID()).build()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        // A quiet run first: an intact trail raises nothing.
        Thread.sleep(Duration.ofSeconds(PERIOD_SECONDS + 1).toMillis());
        assertThat(count("SELECT count(*) FROM audit_entries WHERE action = 'audit.chain.broken'")).isZero();

        long edited = count("SELECT max(seq) - 2 FROM audit_entries");
        WARDLINE.server().database().pool().query("ALTER TABLE audit_entries DISABLE TRIGGER USER; "
                        + "UPDATE audit_entries SET outcome = 'failure' WHERE seq = " + edited
                        + "; ALTER TABLE audit_entries ENABLE TRIGGER USER").execute()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        long altered = System.nanoTime();

        String sql = "SELECT object_id || ' ' || details FROM audit_entries WHERE action = 'audit.chain.broken'";
        List<String> found = rows(sql);
        while (found.isEmpty() && System.nanoTime() - altered < Duration.ofSeconds(PERIOD_SECONDS * 2L + 5).toNanos()) {
            Thread.sleep(100);
            found = rows(sql);
        }
        assertThat(found).as("reported within one period (plus the run itself)").hasSize(1);
        String[] entry = found.get(0).split(" ", 2);
        assertThat(entry[0]).isEqualTo(Long.toString(edited));
        JsonObject details = new JsonObject(entry[1]);
        assertThat(details.getString("problem")).isEqualTo("ENTRY_ALTERED");
        assertThat(details.getLong("firstBadSeq")).isEqualTo(edited);

        while (ALERTS.list.stream().noneMatch(ScheduledAuditVerificationTest::chainAlert)
                && System.nanoTime() - altered < Duration.ofSeconds(30).toNanos()) {
            WARDLINE.server().alerting().pollNow();
            Thread.sleep(100);
        }
        assertThat(ALERTS.list).anyMatch(ScheduledAuditVerificationTest::chainAlert);

        Thread.sleep(Duration.ofSeconds(PERIOD_SECONDS * 2L).toMillis());
        assertThat(rows(sql)).as("the same break is reported once").hasSize(1);
    }

    private static boolean chainAlert(ILoggingEvent e) {
        return e.getKeyValuePairs() != null && e.getKeyValuePairs().stream()
                .anyMatch(kv -> kv.key.equals("rule") && "audit_chain_broken".equals(kv.value));
    }

    private static long count(String sql) throws Exception {
        return WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    private static List<String> rows(String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        WARDLINE.server().database().pool().query(sql).execute().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS).forEach(r -> out.add(r.getString(0)));
        return out;
    }
}
