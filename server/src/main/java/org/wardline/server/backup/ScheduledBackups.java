package org.wardline.server.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.ApiModule;
import org.wardline.server.cluster.SingleNodeJob;
import org.wardline.server.config.WardlineConfig;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Scheduled backups ({@code backup.schedule}): on each tick the node that takes a PostgreSQL advisory lock
 * ({@link SingleNodeJob}: one node of a cluster runs it) writes, on a worker, a backup encrypted to the recipient key
 * into {@code backup.destination}, prunes to {@code backup.retain}, and audits {@code backup.completed} or {@code backup.failed} with sizes and counts only (a
 * failure raises the {@code backup_failed} alert). Metrics: {@code wardline_backup_runs_total{outcome}},
 * {@code wardline_backup_duration}.
 */
public final class ScheduledBackups implements ApiModule {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackups.class);
    /** The advisory-lock key of scheduled backups ("WLBACKUP"). */
    static final long LOCK_KEY = 0x574c4241434b5550L;
    static final AuditAction COMPLETED = new AuditAction("backup.completed");
    static final AuditAction FAILED = new AuditAction("backup.failed");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final Vertx vertx;
    private final WardlineConfig config;
    private final AuditLog audit;
    private final Clock clock;
    private final SingleNodeJob singleNode;

    public ScheduledBackups(Vertx vertx, WardlineConfig config, Pool pool, AuditLog audit, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.audit = audit;
        this.clock = clock;
        this.singleNode = new SingleNodeJob(pool, LOCK_KEY);
    }

    @Override
    public Future<Void> start() {
        if (config.backup().scheduled()) {
            LOG.atInfo().addKeyValue("every", config.backup().every()).addKeyValue("dailyAt", config.backup().dailyAt())
                    .addKeyValue("retain", config.backup().retain()).log("scheduled backups on");
            schedule();
        }
        return Future.succeededFuture();
    }

    /** The wait from {@code now} to the next run. */
    static Duration untilNext(WardlineConfig.Backup b, Instant now) {
        if (b.every() != null) {
            return b.every();
        }
        ZonedDateTime here = now.atZone(b.zone());
        ZonedDateTime next = here.with(b.dailyAt());
        if (!next.isAfter(here)) {
            next = next.plusDays(1);
        }
        return Duration.between(here, next);
    }

    private void schedule() {
        long delay = Math.max(1, untilNext(config.backup(), clock.instant()).toMillis());
        vertx.setTimer(delay, id -> run().onComplete(r -> schedule()));
    }

    /**
     * One scheduled run: on the node that takes the advisory lock ({@link SingleNodeJob}), the backup on a worker.
     * Completes with the outcome ({@code completed}, {@code failed}, or {@code skipped} when another node runs it).
     */
    Future<String> run() {
        return singleNode.runAlone(() -> vertx.executeBlocking(this::backup, false))
                .map(done -> done.orElse("skipped"))
                .onSuccess(outcome -> {
                    if (outcome.equals("skipped")) {
                        count(outcome);
                    }
                });
    }

    /** The backup itself, on a worker; audited either way. */
    private String backup() {
        Installation installation = new Installation(config);
        long started = System.nanoTime();
        try {
            BackupDestination destination = BackupDestination.of(installation, config.backup().destination());
            String name = BackupDestination.PREFIX + NAME.format(clock.instant());
            String publicKeyset = Files.readString(config.backup().recipientKey(), StandardCharsets.UTF_8);
            BackupWriter.Written written = new BackupWriter(installation)
                    .write(destination.create(name), new BackupCredentials.Recipient(publicKeyset));
            int pruned = destination.prune(config.backup().retain());
            BackupHeader h = written.header();
            awaitAudit(AuditEvent.builder(COMPLETED, AuditOutcome.SUCCESS).object("backup", name)
                    .details(AuditDetails.builder().put("tables", h.tables().size())
                            .put("rows", h.tables().stream().mapToLong(BackupHeader.Table::rows).sum())
                            .put("objects", h.objects().size())
                            .put("bytes", h.parts().stream().mapToLong(BackupHeader.Part::size).sum())
                            .put("pruned", pruned).put("retained", destination.list().size()).build()).build());
            count("completed");
            return "completed";
        } catch (Exception e) {
            LOG.atError().addKeyValue("errorType", e.getClass().getSimpleName()).log("scheduled backup failed");
            awaitAudit(AuditEvent.builder(FAILED, AuditOutcome.FAILURE)
                    .details(AuditDetails.builder().putCode("error", e.getClass().getSimpleName())
                            .put("elapsedMillis", (System.nanoTime() - started) / 1_000_000).build()).build());
            count("failed");
            return "failed";
        } finally {
            MeterRegistry registry = BackendRegistries.getDefaultNow();
            if (registry != null) {
                Timer.builder("wardline.backup.duration").register(registry)
                        .record(Duration.ofNanos(System.nanoTime() - started));
            }
        }
    }

    /** Records on the worker and waits, so a run's entry is in the trail when the run ends. */
    private void awaitAudit(AuditEvent event) {
        try {
            audit.record(event).toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.atError().addKeyValue("action", event.action().code()).addKeyValue("errorType", e.getClass().getSimpleName())
                    .log("backup run not audited");
        }
    }

    private static void count(String outcome) {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        if (registry != null) {
            Counter.builder("wardline.backup.runs").tag("outcome", outcome).register(registry).increment();
        }
    }
}
