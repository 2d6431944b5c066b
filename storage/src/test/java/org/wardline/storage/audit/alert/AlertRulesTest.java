package org.wardline.storage.audit.alert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wardline.storage.audit.AuditEntry;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Time boundaries, which recorded entries (stamped with the database clock) cannot reach. */
class AlertRulesTest {
    private static final UUID USER = new UUID(0, 1);

    private static AuditEntry entry(long seq, Instant at, String action, String flags) {
        return new AuditEntry(seq, at, USER, null, "198.51.100.7", action, null, null, "success", null, flags, "{}",
                new byte[32], new byte[32]);
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-23T06:59:59Z, true",   // Monday before work
            "2026-11-23T07:00:00Z, false",  // Monday, start is inside
            "2026-11-23T18:59:59Z, false",
            "2026-11-23T19:00:00Z, true",   // end is outside
            "2026-11-28T12:00:00Z, true",   // Saturday
    })
    void offHoursFollowTheConfiguredWorkingWeek(String time, boolean offHours) {
        OffHoursAccessRule rule = new OffHoursAccessRule(AlertRulesConfig.defaults().offHours());
        assertThat(rule.isOffHours(Instant.parse(time))).isEqualTo(offHours);
        assertThat(rule.evaluate(entry(1, Instant.parse(time), "file.viewed", "phi_access"))).hasSize(offHours ? 1 : 0);
    }

    @Test
    void offHoursUsesTheConfiguredZone() {
        OffHoursAccessRule rule = new OffHoursAccessRule(new AlertRulesConfig.OffHours(ZoneId.of("America/New_York"),
                LocalTime.of(8, 0), LocalTime.of(17, 0), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), Duration.ZERO));
        assertThat(rule.isOffHours(Instant.parse("2026-11-23T14:00:00Z"))).isFalse(); // 09:00 in New York
        assertThat(rule.isOffHours(Instant.parse("2026-11-23T12:00:00Z"))).isTrue();  // 07:00 in New York
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        FailedSignInBurstRule rule = new FailedSignInBurstRule(new AlertRulesConfig.FailedSignIns(3, Duration.ofMinutes(5)));
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        assertThat(rule.evaluate(entry(1, t, "auth.signin.failed", ""))).isEmpty();
        assertThat(rule.evaluate(entry(2, t.plusSeconds(200), "auth.signin.failed", ""))).isEmpty();
        assertThat(rule.evaluate(entry(3, t.plusSeconds(301), "auth.signin.failed", ""))).isEmpty(); // the first expired
        assertThat(rule.evaluate(entry(4, t.plusSeconds(302), "auth.signin.failed", "")))
                .extracting(Alert::seq, Alert::count, Alert::actorUserId, Alert::sourceIp)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, 3L, USER, "198.51.100.7"));
    }

    @Test
    void invalidConfigurationReportsEveryProblemWithItsPath() {
        assertThatThrownBy(() -> new AlertRulesConfig(
                new AlertRulesConfig.FailedSignIns(1, Duration.ZERO),
                new AlertRulesConfig.BulkDownloads(0, Duration.ofMinutes(1), Set.of()),
                new AlertRulesConfig.OffHours(null, LocalTime.NOON, LocalTime.MIDNIGHT, Set.of(), Duration.ZERO),
                true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alerts.failedSignIns.threshold")
                .hasMessageContaining("alerts.failedSignIns.window")
                .hasMessageContaining("alerts.bulkDownloads.threshold")
                .hasMessageContaining("alerts.bulkDownloads.actions")
                .hasMessageContaining("alerts.offHours.zone")
                .hasMessageContaining("alerts.offHours.start");
    }
}
