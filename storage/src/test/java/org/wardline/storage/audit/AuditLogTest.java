package org.wardline.storage.audit;

import io.vertx.core.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private AuditFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void concurrentWritersOnSeveralConnectionsProduceOneChainWithoutGaps() throws SQLException {
        fixture = AuditFixture.start(PG, 4);
        // Two logs with their own pools stand in for two server nodes: they share nothing but the database.
        AuditLog nodeA = fixture.log(new AuditLogConfig(100, Duration.ofHours(1)));
        AuditLog nodeB = new AuditLog(fixture.newPool(4), AuditFixture.SIGNER, new AuditLogConfig(100, Duration.ofHours(1)));
        int writers = 8;
        int perWriter = 200;

        long started = System.nanoTime();
        List<Future<List<Long>>> runs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            runs.add(writeSequentially(w % 2 == 0 ? nodeA : nodeB, w, perWriter));
        }
        List<List<Long>> seqs = AuditFixture.await(Future.all(runs)).list();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("appended %d entries with %d concurrent writers in %.2f s: %.0f entries/s%n",
                writers * perWriter, writers, seconds, writers * perWriter / seconds);

        Set<Long> all = new HashSet<>();
        seqs.forEach(all::addAll);
        assertThat(all).hasSize(writers * perWriter);
        assertThat(all).allMatch(seq -> seq >= 1 && seq <= writers * perWriter);
        assertThat(fixture.queryLong("SELECT count(*) FROM audit_entries")).isEqualTo(writers * perWriter);
        assertThat(fixture.queryLong("SELECT count(*) FROM audit_checkpoints")).isEqualTo(16);

        VerificationReport report = AuditVerifier.verify(PG.dataSource(), AuditFixture.SIGNER.publicKey());
        assertThat(report.valid()).as(report.summary()).isTrue();
        assertThat(report.entriesChecked()).isEqualTo(writers * perWriter);
        assertThat(report.lastCheckpointSeq()).isEqualTo(writers * perWriter);
    }

    private static Future<List<Long>> writeSequentially(AuditLog log, int writer, int count) {
        List<Long> seqs = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < count; i++) {
            int n = writer * 10_000 + i;
            chain = chain.compose(v -> log.record(AuditFixture.event(n)).map(receipt -> {
                seqs.add(receipt.seq());
                return null;
            }));
        }
        return chain.map(v -> seqs);
    }

    @Test
    void receiptsCarryConsecutiveSeqsAndCheckpointsEveryNEntries() {
        fixture = AuditFixture.start(PG);
        AuditLog log = fixture.log(new AuditLogConfig(5, Duration.ofHours(1)));

        List<AuditReceipt> receipts = fixture.recordMany(log, 12);

        assertThat(receipts).extracting(AuditReceipt::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(receipts).filteredOn(r -> r.checkpoint().isPresent()).extracting(AuditReceipt::seq).containsExactly(5L, 10L);
        AuditCheckpoint second = receipts.get(9).checkpoint().orElseThrow();
        assertThat(second.previousSeq()).isEqualTo(5);
        assertThat(second.entryHash()).isEqualTo(receipts.get(9).entryHash());
        assertThat(second.signatureValid(AuditFixture.SIGNER.publicKey())).isTrue();
        assertThat(receipts.get(1).occurredAt()).isAfterOrEqualTo(receipts.get(0).occurredAt());
    }

    @Test
    void checkpointIsWrittenOnceTheIntervalHasPassed() {
        fixture = AuditFixture.start(PG);
        AuditLog log = fixture.log(new AuditLogConfig(1000, Duration.ofNanos(1000)));

        List<AuditReceipt> receipts = fixture.recordMany(log, 3);

        // Every append comes at least a microsecond after the previous checkpoint, so each one is due.
        assertThat(receipts).allMatch(r -> r.checkpoint().isPresent());
    }

    @Test
    void explicitCheckpointSignsTheTailOnlyWhenThereIsOne() {
        fixture = AuditFixture.start(PG);
        AuditLog log = fixture.log(new AuditLogConfig(1000, Duration.ofHours(1)));

        assertThat(AuditFixture.await(log.checkpoint())).isEmpty();
        fixture.recordMany(log, 4);
        AuditCheckpoint checkpoint = AuditFixture.await(log.checkpoint()).orElseThrow();
        assertThat(checkpoint.seq()).isEqualTo(4);
        assertThat(checkpoint.previousSeq()).isZero();
        assertThat(AuditFixture.await(log.checkpoint())).isEmpty();
    }

    @Test
    void entriesAreStoredAsTypedAndReadBackInOrder() {
        fixture = AuditFixture.start(PG);
        AuditLog log = fixture.log(AuditLogConfig.DEFAULT);
        UUID user = UUID.randomUUID();
        AuditEvent event = AuditEvent.builder(AuditAction.SIGNIN_FAILED, AuditOutcome.FAILURE)
                .actorUser(user)
                .sourceIp(AuditFixture.ip("2001:db8::1"))
                .requestId("r-1")
                .details(AuditDetails.builder().put("attempt", 3).putCode("reason", "bad_password").build())
                .build();
        AuditReceipt first = AuditFixture.await(log.record(event));
        AuditFixture.await(log.record(AuditFixture.event(2)));

        List<AuditEntry> entries = AuditFixture.await(log.readAfter(0, 10));

        assertThat(entries).extracting(AuditEntry::seq).containsExactly(1L, 2L);
        AuditEntry stored = entries.get(0);
        assertThat(stored.action()).isEqualTo("auth.signin.failed");
        assertThat(stored.outcome()).isEqualTo("failure");
        assertThat(stored.actorUserId()).isEqualTo(user);
        assertThat(stored.actorDeviceId()).isNull();
        assertThat(stored.sourceIp()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(stored.details()).isEqualTo("{\"attempt\":3,\"reason\":\"bad_password\"}");
        assertThat(stored.previousHash()).isEqualTo(AuditCanonical.GENESIS_HASH);
        assertThat(stored.entryHash()).isEqualTo(first.entryHash());
        assertThat(stored.occurredAt()).isEqualTo(first.occurredAt());
        assertThat(entries.get(1).previousHash()).isEqualTo(stored.entryHash());
        assertThat(entries.get(1).hasFlag(AuditFlag.PHI_ACCESS)).isTrue();
        assertThat(AuditFixture.await(log.readAfter(1, 10))).extracting(AuditEntry::seq).containsExactly(2L);
    }

    @Test
    void aFailedAppendLeavesNoGap() throws SQLException {
        fixture = AuditFixture.start(PG);
        AuditLog log = fixture.log(AuditLogConfig.DEFAULT);
        fixture.recordMany(log, 2);
        fixture.execute("ALTER TABLE audit_entries ADD CONSTRAINT no_denied CHECK (outcome <> 'denied')");

        Future<AuditReceipt> refused = log.record(AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.DENIED).build());
        assertThat(refused.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(30));

        fixture.execute("ALTER TABLE audit_entries DROP CONSTRAINT no_denied");
        assertThat(AuditFixture.await(log.record(AuditFixture.event(3))).seq()).isEqualTo(3);
        assertThat(AuditVerifier.verify(PG.dataSource(), AuditFixture.SIGNER.publicKey()).valid()).isTrue();
    }

    @Test
    void oneRefusedEventInAGroupCommitDoesNotFailItsNeighbours() throws SQLException {
        fixture = AuditFixture.start(PG);
        AuditLog log = fixture.log(AuditLogConfig.DEFAULT);
        fixture.execute("ALTER TABLE audit_entries ADD CONSTRAINT no_denied CHECK (outcome <> 'denied')");

        List<Future<AuditReceipt>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(i == 10
                    ? log.record(AuditEvent.builder(AuditAction.FILE_VIEWED, AuditOutcome.DENIED).build())
                    : log.record(AuditFixture.event(i)));
        }
        AuditFixture.await(Future.join(results).otherwiseEmpty());

        assertThat(results.get(10).failed()).isTrue();
        assertThat(results).filteredOn(Future::succeeded).hasSize(19);
        assertThat(results).filteredOn(Future::succeeded).extracting(f -> f.result().seq())
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        VerificationReport report = AuditVerifier.verify(PG.dataSource(), AuditFixture.SIGNER.publicKey());
        assertThat(report.valid()).as(report.summary()).isTrue();
        assertThat(report.entriesChecked()).isEqualTo(19);
    }
}
