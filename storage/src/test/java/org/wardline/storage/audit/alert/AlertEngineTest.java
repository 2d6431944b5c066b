package org.wardline.storage.audit.alert;

import io.vertx.core.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditFixture;
import org.wardline.storage.audit.AuditFlag;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditLogConfig;
import org.wardline.storage.audit.AuditOutcome;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Entries recorded in PostgreSQL through {@link AuditLog}, read back by the feed and run through the rules. */
class AlertEngineTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final UUID ALICE = new UUID(0xA, 1);
    private static final UUID BOB = new UUID(0xB, 2);

    private final List<Alert> delivered = new ArrayList<>();
    /** The sink interface's test double; the server supplies email and webhook sinks. */
    private final AlertSink recordingSink = alert -> {
        delivered.add(alert);
        return Future.succeededFuture();
    };

    private AuditFixture fixture;
    private AuditLog log;

    @BeforeEach
    void start() {
        fixture = AuditFixture.start(PG);
        log = fixture.log(AuditLogConfig.DEFAULT);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static AlertRulesConfig config(AlertRulesConfig.OffHours offHours) {
        return new AlertRulesConfig(
                new AlertRulesConfig.FailedSignIns(3, Duration.ofMinutes(5)),
                new AlertRulesConfig.BulkDownloads(5, Duration.ofMinutes(10), Set.of("file.downloaded", "file.exported")),
                offHours,
                true);
    }

    /** Working hours cover the whole week, so nothing recorded now is off-hours. */
    private static AlertRulesConfig.OffHours alwaysWorking() {
        return new AlertRulesConfig.OffHours(ZoneId.of("UTC"), LocalTime.MIN, LocalTime.MAX, EnumSet.allOf(DayOfWeek.class), Duration.ZERO);
    }

    /** No workdays at all, so everything recorded now is off-hours. */
    private static AlertRulesConfig.OffHours neverWorking(Duration quiet) {
        return new AlertRulesConfig.OffHours(ZoneId.of("UTC"), LocalTime.of(8, 0), LocalTime.of(18, 0), Set.of(), quiet);
    }

    private void record(AuditEvent.Builder event) {
        AuditFixture.await(log.record(event.build()));
    }

    private List<Alert> drain(AlertRulesConfig config) {
        AuditAlertFeed feed = new AuditAlertFeed(log, AlertEngine.fromConfig(config, recordingSink), 0, 2);
        List<Alert> alerts = AuditFixture.await(feed.drain());
        assertThat(alerts).containsExactlyElementsOf(delivered);
        return alerts;
    }

    private static AuditEvent.Builder failedSignIn(UUID user, String ip) {
        return AuditEvent.builder(AuditAction.SIGNIN_FAILED, AuditOutcome.FAILURE).actorUser(user).sourceIp(AuditFixture.ip(ip));
    }

    private static AuditEvent.Builder download(UUID user) {
        return AuditEvent.builder(AuditAction.FILE_DOWNLOADED, AuditOutcome.SUCCESS)
                .actorUser(user).object("file", UUID.randomUUID()).flag(AuditFlag.PHI_ACCESS);
    }

    @Test
    void failedSignInBurstAlertsPerAccountAndPerAddress() {
        for (int i = 0; i < 3; i++) {
            record(failedSignIn(ALICE, "203.0.113.5"));
        }
        // Password spraying: one address, three different accounts.
        record(failedSignIn(UUID.randomUUID(), "203.0.113.9"));
        record(failedSignIn(UUID.randomUUID(), "203.0.113.9"));
        record(failedSignIn(null, "203.0.113.9"));
        record(failedSignIn(BOB, "203.0.113.10"));

        List<Alert> alerts = drain(config(alwaysWorking()));

        assertThat(alerts).allMatch(a -> a.rule().equals(FailedSignInBurstRule.CODE));
        assertThat(alerts).extracting(Alert::seq, Alert::actorUserId, Alert::sourceIp).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3L, ALICE, "203.0.113.5"),
                org.assertj.core.groups.Tuple.tuple(6L, null, "203.0.113.9"));
    }

    @Test
    void bulkDownloadAlertsOnTheNthDownloadOfOneUser() {
        for (int i = 0; i < 4; i++) {
            record(download(BOB));
        }
        for (int i = 0; i < 5; i++) {
            record(download(ALICE));
        }
        record(AuditEvent.builder(AuditAction.FILE_DOWNLOADED, AuditOutcome.DENIED).actorUser(BOB));

        List<Alert> alerts = drain(config(alwaysWorking()));

        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.rule()).isEqualTo(BulkDownloadRule.CODE);
            assertThat(alert.actorUserId()).isEqualTo(ALICE);
            assertThat(alert.seq()).isEqualTo(9);
            assertThat(alert.count()).isEqualTo(5);
        });
    }

    @Test
    void breakGlassAlwaysAlertsAsCritical() {
        record(AuditEvent.builder(AuditAction.BREAKGLASS_STARTED, AuditOutcome.SUCCESS).actorUser(ALICE)
                .object("team", UUID.randomUUID()).flag(AuditFlag.BREAK_GLASS));
        record(AuditEvent.builder(AuditAction.BREAKGLASS_ENDED, AuditOutcome.SUCCESS).actorUser(ALICE));

        List<Alert> alerts = drain(config(alwaysWorking()));

        assertThat(alerts).extracting(Alert::rule, Alert::severity, Alert::seq).containsExactly(
                org.assertj.core.groups.Tuple.tuple(BreakGlassRule.CODE, AlertSeverity.CRITICAL, 1L),
                org.assertj.core.groups.Tuple.tuple(BreakGlassRule.CODE, AlertSeverity.CRITICAL, 2L));
        assertThat(alerts.get(0).summary()).isEqualTo("break-glass: breakglass.started (success)");
    }

    @Test
    void accessOutsideOnesTeamsAlertsOnlyWhenItSucceeded() {
        record(AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.DENIED).actorUser(BOB).flag(AuditFlag.OUTSIDE_TEAMS));
        record(AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.SUCCESS).actorUser(BOB).flag(AuditFlag.OUTSIDE_TEAMS));
        record(AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.SUCCESS).actorUser(ALICE));

        assertThat(drain(config(alwaysWorking()))).extracting(Alert::rule, Alert::seq, Alert::actorUserId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(OutsideTeamsRule.CODE, 2L, BOB));
    }

    @Test
    void offHoursPhiAccessAlertsOncePerUserPerQuietPeriod() {
        record(download(ALICE));
        record(download(ALICE));
        record(download(BOB));
        record(AuditEvent.builder(AuditAction.SIGNIN_SUCCEEDED, AuditOutcome.SUCCESS).actorUser(BOB));

        List<Alert> alerts = drain(config(neverWorking(Duration.ofHours(1))));

        assertThat(alerts).extracting(Alert::rule, Alert::seq, Alert::actorUserId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(OffHoursAccessRule.CODE, 1L, ALICE),
                org.assertj.core.groups.Tuple.tuple(OffHoursAccessRule.CODE, 3L, BOB));
    }

    @Test
    void nothingAlertsDuringWorkingHoursForOrdinaryWork() {
        record(download(ALICE));
        record(AuditEvent.builder(AuditAction.SIGNIN_SUCCEEDED, AuditOutcome.SUCCESS).actorUser(ALICE));
        record(failedSignIn(BOB, "192.0.2.1"));

        assertThat(drain(config(alwaysWorking()))).isEmpty();
    }

    @Test
    void sinkFailuresAreReportedWithTheUndeliveredAlertsAndTheFeedMovesOn() {
        record(AuditEvent.builder(AuditAction.BREAKGLASS_STARTED, AuditOutcome.SUCCESS).actorUser(ALICE));
        AlertSink broken = alert -> Future.failedFuture(new IllegalStateException("smtp down"));
        AuditAlertFeed feed = new AuditAlertFeed(log, AlertEngine.fromConfig(config(alwaysWorking()), broken), 0, 10);

        Throwable failure = feed.poll().toCompletionStage().toCompletableFuture()
                .handle((ok, error) -> error).join();

        assertThat(failure).isInstanceOf(AlertDeliveryException.class);
        assertThat(((AlertDeliveryException) failure).undelivered()).extracting(Alert::rule).containsExactly(BreakGlassRule.CODE);
        assertThat(feed.position()).isEqualTo(1);
        assertThat(AuditFixture.await(feed.poll())).isEmpty();
    }
}
