package org.wardline.storage.audit.alert;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.wardline.storage.audit.AuditEntry;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BackupFailedRuleTest {
    private static AuditEntry entry(long seq, String action, String outcome) {
        return new AuditEntry(seq, Instant.parse("2026-11-23T03:00:05Z"), null, null, null, action, null, null, outcome,
                null, "", "{\"error\":\"IOException\"}", new byte[32], new byte[32]);
    }

    @Test
    void aFailedBackupAlertsAndACompletedOneDoesNot() {
        AlertEngine engine = AlertEngine.fromConfig(AlertRulesConfig.defaults(), alert -> Future.succeededFuture());
        List<Alert> alerts = engine.evaluate(List.of(entry(1, "backup.completed", "success"),
                entry(2, "backup.failed", "failure")));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo(BackupFailedRule.CODE);
            assertThat(a.severity()).isEqualTo(AlertSeverity.HIGH);
            assertThat(a.seq()).isEqualTo(2);
            assertThat(a.summary()).isEqualTo("scheduled backup failed");
        });
    }
}
