package org.wardline.server.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.server.ApiModule;
import org.wardline.server.cluster.SingleNodeJob;
import org.wardline.storage.audit.AuditAction;
import org.wardline.storage.audit.AuditDetails;
import org.wardline.storage.audit.AuditEvent;
import org.wardline.storage.audit.AuditLog;
import org.wardline.storage.audit.AuditOutcome;
import org.wardline.storage.audit.AuditVerifier;
import org.wardline.storage.audit.VerificationReport;
import org.wardline.storage.audit.alert.AuditChainBrokenRule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * Verifies the whole audit chain and its signed checkpoints on a schedule ({@code alerts.auditVerifySeconds}), on one
 * node of a cluster at a time ({@link SingleNodeJob}), on a worker. A broken trail is recorded as
 * {@code audit.chain.broken} naming the first bad entry (its sequence number is the entry's object), which the alert
 * rules raise as {@code audit_chain_broken}; the same break is reported once per node. Runs are counted in
 * {@code wardline_audit_verifications_total{outcome}}.
 */
public final class ScheduledAuditVerification implements ApiModule {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledAuditVerification.class);
    /** The advisory-lock key of the verification ("WLAUDITV"). */
    static final long LOCK_KEY = 0x574c415544495456L;
    static final AuditAction BROKEN = new AuditAction(AuditChainBrokenRule.ACTION);

    private final Vertx vertx;
    private final AuditLog audit;
    private final Supplier<DataSource> jdbc;
    private final Path certificate;
    private final Duration every;
    private final SingleNodeJob singleNode;
    private final AtomicLong reported = new AtomicLong(-1);

    public ScheduledAuditVerification(Vertx vertx, Pool pool, AuditLog audit, Supplier<DataSource> jdbc, Path certificate,
                                      Duration every) {
        this.vertx = vertx;
        this.audit = audit;
        this.jdbc = jdbc;
        this.certificate = certificate;
        this.every = every;
        this.singleNode = new SingleNodeJob(pool, LOCK_KEY);
    }

    @Override
    public Future<Void> start() {
        vertx.setPeriodic(every.toMillis(), id -> run());
        return Future.succeededFuture();
    }

    /** One run; completes with the report, or empty when another node ran it. */
    Future<Optional<VerificationReport>> run() {
        return singleNode.runAlone(() -> vertx.executeBlocking(
                        () -> AuditVerifier.verify(jdbc.get(), AuditKeys.publicKey(certificate)), false))
                .compose(done -> done.map(this::report).orElse(Future.succeededFuture(done)))
                .onFailure(e -> {
                    count("error");
                    LOG.atError().addKeyValue("errorType", e.getClass().getSimpleName()).log("audit verification did not run");
                });
    }

    private Future<Optional<VerificationReport>> report(VerificationReport report) {
        if (report.failure().isEmpty()) {
            count("intact");
            return Future.succeededFuture(Optional.of(report));
        }
        count("broken");
        VerificationReport.Failure f = report.failure().get();
        LOG.atError().addKeyValue("problem", f.problem().name()).addKeyValue("seq", f.seq()).log("audit trail broken");
        if (reported.getAndSet(f.seq()) == f.seq()) {
            return Future.succeededFuture(Optional.of(report));
        }
        return audit.record(AuditEvent.builder(BROKEN, AuditOutcome.FAILURE).object("audit_entry", Long.toString(f.seq()))
                        .details(AuditDetails.builder().put("problem", f.problem()).put("firstBadSeq", f.seq())
                                .put("entriesChecked", report.entriesChecked())
                                .put("lastCheckpointSeq", report.lastCheckpointSeq()).build()).build())
                .map(receipt -> Optional.of(report));
    }

    private static void count(String outcome) {
        MeterRegistry registry = BackendRegistries.getDefaultNow();
        if (registry != null) {
            Counter.builder("wardline.audit.verifications").tag("outcome", outcome).register(registry).increment();
        }
    }
}
