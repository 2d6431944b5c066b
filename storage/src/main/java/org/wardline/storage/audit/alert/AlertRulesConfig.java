package org.wardline.storage.audit.alert;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Thresholds of the alert rules, from the server's configuration. Break-glass always alerts and has no
 * setting.
 *
 * @param failedSignIns    failed sign-in bursts per account and per source address
 * @param bulkDownloads    many downloads or exports by one user
 * @param offHours         PHI access outside working hours
 * @param outsideTeams     whether access outside one's care teams alerts
 */
public record AlertRulesConfig(FailedSignIns failedSignIns, BulkDownloads bulkDownloads, OffHours offHours, boolean outsideTeams) {

    /** 10 failures in 5 minutes; 50 downloads in 10 minutes; 07:00–19:00 Monday to Friday UTC; outside-teams on. */
    public static AlertRulesConfig defaults() {
        return new AlertRulesConfig(
                new FailedSignIns(10, Duration.ofMinutes(5)),
                new BulkDownloads(50, Duration.ofMinutes(10), Set.of("file.downloaded", "file.exported", "audit.exported")),
                new OffHours(ZoneId.of("UTC"), LocalTime.of(7, 0), LocalTime.of(19, 0),
                        EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), Duration.ofHours(1)),
                true);
    }

    /** @throws IllegalArgumentException listing every problem with its configuration path */
    public AlertRulesConfig {
        List<String> problems = new ArrayList<>();
        if (failedSignIns == null) {
            problems.add("alerts.failedSignIns is required");
        } else {
            failedSignIns.check(problems);
        }
        if (bulkDownloads == null) {
            problems.add("alerts.bulkDownloads is required");
        } else {
            bulkDownloads.check(problems);
        }
        if (offHours == null) {
            problems.add("alerts.offHours is required");
        } else {
            offHours.check(problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid alert configuration: " + String.join("; ", problems));
        }
    }

    /** Alert when {@code threshold} failed sign-ins for one account, or from one address, fall within {@code window}. */
    public record FailedSignIns(int threshold, Duration window) {
        void check(List<String> problems) {
            if (threshold < 2) {
                problems.add("alerts.failedSignIns.threshold must be at least 2");
            }
            if (!positive(window)) {
                problems.add("alerts.failedSignIns.window must be positive");
            }
        }
    }

    /** Alert when one user performs {@code threshold} of {@code actions} within {@code window}. */
    public record BulkDownloads(int threshold, Duration window, Set<String> actions) {
        public BulkDownloads {
            actions = actions == null ? Set.of() : Set.copyOf(actions);
        }

        void check(List<String> problems) {
            if (threshold < 2) {
                problems.add("alerts.bulkDownloads.threshold must be at least 2");
            }
            if (!positive(window)) {
                problems.add("alerts.bulkDownloads.window must be positive");
            }
            if (actions.isEmpty()) {
                problems.add("alerts.bulkDownloads.actions must name at least one action");
            }
        }
    }

    /**
     * Working hours: {@code [start, end)} local time in {@code zone} on {@code workdays}. PHI access outside
     * them alerts, at most once per user per {@code quietPeriod}.
     */
    public record OffHours(ZoneId zone, LocalTime start, LocalTime end, Set<DayOfWeek> workdays, Duration quietPeriod) {
        public OffHours {
            workdays = workdays == null || workdays.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(workdays));
        }

        void check(List<String> problems) {
            if (zone == null) {
                problems.add("alerts.offHours.zone is required");
            }
            if (start == null || end == null || !start.isBefore(end)) {
                problems.add("alerts.offHours.start must be before alerts.offHours.end");
            }
            if (quietPeriod == null || quietPeriod.isNegative()) {
                problems.add("alerts.offHours.quietPeriod must not be negative");
            }
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
