package org.wardline.storage.audit.alert;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wardline.storage.audit.AuditEntry;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IncidentDeadlineRuleTest {
    @ParameterizedTest
    @CsvSource({"30, WARNING, breach notification deadline in 30 days", "7, HIGH, breach notification deadline in 7 days",
            "1, CRITICAL, breach notification deadline in 1 days", "0, CRITICAL, breach notification deadline passed"})
    void aReminderEntryBecomesAnAlertWhoseSeverityGrowsAsTheDeadlineNears(int days, AlertSeverity severity, String summary) {
        AuditEntry reminder = entry(IncidentDeadlineRule.ACTION, "{\"daysBefore\":" + days + ",\"deadline\":\"2027-02-05T05:00:00Z\"}");
        List<Alert> alerts = new IncidentDeadlineRule().evaluate(reminder);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.severity()).isEqualTo(severity);
            assertThat(a.summary()).isEqualTo(summary);
            assertThat(a.objectId()).isEqualTo("00000000-0000-0000-0000-000000000020");
            assertThat(a.count()).isEqualTo(days);
        });
        assertThat(new IncidentDeadlineRule().evaluate(entry("incident.opened", "{}"))).isEmpty();
    }

    private static AuditEntry entry(String action, String details) {
        return new AuditEntry(9, Instant.now(), null, null, null, action, "incident", "00000000-0000-0000-0000-000000000020",
                "success", null, "", details, new byte[32], new byte[32]);
    }
}
