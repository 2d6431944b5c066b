package org.wardline.storage.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trail many times larger than the verifier's fetch size, for entries and for checkpoints, so that both
 * server-side cursors are read in many interleaved batches, as they are for a production-sized trail.
 */
class AuditVerifierScaleTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final int ENTRIES = 10_000;
    private static final int CHECKPOINT_EVERY = 50;
    private static final int FETCH_SIZE = 100;

    private AuditFixture fixture;

    @BeforeEach
    void start() throws SQLException {
        fixture = AuditFixture.start(PG);
        writeChain();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void largeTrailVerifiesAndALateEditIsStillNamed() throws SQLException {
        long started = System.nanoTime();
        AuditVerifier verifier = new AuditVerifier(List.of(AuditFixture.SIGNER.publicKey()), Long.MAX_VALUE, FETCH_SIZE);
        VerificationReport report = verifier.verify(PG.dataSource());
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("verified %d entries and %d checkpoints in %.2f s: %.0f entries/s%n",
                report.entriesChecked(), report.checkpointsChecked(), seconds, report.entriesChecked() / seconds);

        assertThat(report.valid()).as(report.summary()).isTrue();
        assertThat(report.entriesChecked()).isEqualTo(ENTRIES);
        assertThat(report.checkpointsChecked()).isEqualTo(ENTRIES / CHECKPOINT_EVERY);

        fixture.tamper("UPDATE audit_entries SET action = 'file.downloaded' WHERE seq = " + (ENTRIES - 3));
        VerificationReport tampered = verifier.verify(PG.dataSource());
        assertThat(tampered.failure()).get()
                .extracting(VerificationReport.Failure::problem, VerificationReport.Failure::seq)
                .containsExactly(AuditProblem.ENTRY_ALTERED, (long) ENTRIES - 3);
    }

    /** Writes a valid chain directly with JDBC batches: far faster than one transaction per entry. */
    private void writeChain() throws SQLException {
        AuditSigner signer = AuditFixture.SIGNER;
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        try (Connection conn = PG.dataSource().getConnection();
             PreparedStatement entries = conn.prepareStatement("INSERT INTO audit_entries (" + AuditRows.COLUMNS
                     + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement checkpoints = conn.prepareStatement("INSERT INTO audit_checkpoints ("
                     + AuditRows.CHECKPOINT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement head = conn.prepareStatement(
                     "UPDATE audit_chain_head SET last_seq = ?, last_hash = ?, last_checkpoint_seq = ?")) {
            conn.setAutoCommit(false);
            byte[] previous = AuditCanonical.GENESIS_HASH;
            for (long seq = 1; seq <= ENTRIES; seq++) {
                Instant at = base.plusMillis(seq);
                AuditEntry entry = new AuditEntry(seq, at, new UUID(1, seq % 97), null, "192.0.2." + (seq % 250),
                        "file.viewed", "file", "f" + seq, "success", "r" + seq, "phi_access", "{\"n\":" + seq + "}",
                        previous, null);
                byte[] hash = AuditCanonical.entryHash(previous, entry);
                entries.setLong(1, seq);
                entries.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                entries.setObject(3, entry.actorUserId());
                entries.setObject(4, null, java.sql.Types.OTHER);
                entries.setString(5, entry.sourceIp());
                entries.setString(6, entry.action());
                entries.setString(7, entry.objectType());
                entries.setString(8, entry.objectId());
                entries.setString(9, entry.outcome());
                entries.setString(10, entry.requestId());
                entries.setString(11, entry.flags());
                entries.setString(12, entry.details());
                entries.setBytes(13, previous);
                entries.setBytes(14, hash);
                entries.addBatch();
                if (seq % CHECKPOINT_EVERY == 0) {
                    long previousSeq = seq - CHECKPOINT_EVERY;
                    byte[] payload = AuditCanonical.checkpointPayload(seq, hash, previousSeq, at, signer.keyId());
                    checkpoints.setLong(1, seq);
                    checkpoints.setBytes(2, hash);
                    checkpoints.setLong(3, previousSeq);
                    checkpoints.setTimestamp(4, Timestamp.from(at));
                    checkpoints.setString(5, signer.keyId());
                    checkpoints.setString(6, signer.algorithm());
                    checkpoints.setBytes(7, signer.sign(payload));
                    checkpoints.addBatch();
                }
                if (seq % 2000 == 0) {
                    entries.executeBatch();
                    checkpoints.executeBatch();
                }
                previous = hash;
            }
            head.setLong(1, ENTRIES);
            head.setBytes(2, previous);
            head.setLong(3, ENTRIES);
            head.executeUpdate();
            conn.commit();
        }
    }
}
