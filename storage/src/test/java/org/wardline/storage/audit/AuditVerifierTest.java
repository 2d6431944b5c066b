package org.wardline.storage.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditVerifierTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final AuditLogConfig EVERY_TEN = new AuditLogConfig(10, Duration.ofHours(1));

    private AuditFixture fixture;
    private AuditLog log;

    @BeforeEach
    void start() {
        fixture = AuditFixture.start(PG);
        log = fixture.log(EVERY_TEN);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private VerificationReport verify() throws SQLException {
        return AuditVerifier.verify(PG.dataSource(), AuditFixture.SIGNER.publicKey());
    }

    private VerificationReport.Failure failure() throws SQLException {
        VerificationReport report = verify();
        assertThat(report.valid()).as(report.summary()).isFalse();
        return report.failure().orElseThrow();
    }

    @Test
    void cleanChainVerifies() throws SQLException {
        fixture.recordMany(log, 25);

        VerificationReport report = verify();

        assertThat(report.valid()).as(report.summary()).isTrue();
        assertThat(report.entriesChecked()).isEqualTo(25);
        assertThat(report.checkpointsChecked()).isEqualTo(2);
        assertThat(report.lastCheckpointSeq()).isEqualTo(20);
        assertThat(report.unsignedEntries()).isEqualTo(5);
        assertThat(report.summary()).contains("intact").contains("25 entries").contains("5 entries after the last checkpoint");
    }

    @Test
    void emptyTrailVerifies() throws SQLException {
        VerificationReport report = verify();
        assertThat(report.valid()).isTrue();
        assertThat(report.entriesChecked()).isZero();
    }

    @Test
    void appendOnlyTriggersRefuseUpdateDeleteAndTruncate() {
        fixture.recordMany(log, 3);
        assertThat(AuditFixture.await(log.checkpoint())).get().extracting(AuditCheckpoint::seq).isEqualTo(3L);

        assertThatThrownBy(() -> fixture.execute("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 2"))
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> fixture.execute("DELETE FROM audit_entries WHERE seq = 2"))
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> fixture.execute("TRUNCATE audit_entries"))
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> fixture.execute("DELETE FROM audit_checkpoints"))
                .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> fixture.execute("UPDATE audit_chain_head SET last_seq = 1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("forward");
    }

    @Test
    void editedEntryIsNamed() throws SQLException {
        fixture.recordMany(log, 25);
        fixture.tamper("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 13");

        VerificationReport.Failure failure = failure();

        assertThat(failure.problem()).isEqualTo(AuditProblem.ENTRY_ALTERED);
        assertThat(failure.seq()).isEqualTo(13);
        assertThat(verify().summary()).contains("ENTRY_ALTERED at seq 13");
    }

    @Test
    void editedDetailsAreNamed() throws SQLException {
        fixture.recordMany(log, 5);
        fixture.tamper("UPDATE audit_entries SET details = '{\"bytes\":1}' WHERE seq = 4");

        assertThat(failure()).extracting(VerificationReport.Failure::problem, VerificationReport.Failure::seq)
                .containsExactly(AuditProblem.ENTRY_ALTERED, 4L);
    }

    @Test
    void deletedEntryIsNamed() throws SQLException {
        fixture.recordMany(log, 25);
        fixture.tamper("DELETE FROM audit_entries WHERE seq = 7");

        VerificationReport.Failure failure = failure();

        assertThat(failure.problem()).isEqualTo(AuditProblem.ENTRY_MISSING);
        assertThat(failure.seq()).isEqualTo(7);
        assertThat(failure.detail()).contains("entry 7 is missing");
    }

    @Test
    void deletedFirstEntryIsNamed() throws SQLException {
        fixture.recordMany(log, 5);
        fixture.tamper("DELETE FROM audit_entries WHERE seq = 1");

        assertThat(failure()).extracting(VerificationReport.Failure::problem, VerificationReport.Failure::seq)
                .containsExactly(AuditProblem.ENTRY_MISSING, 1L);
    }

    @Test
    void deletionWithRenumberingIsCaughtByTheChainLink() throws SQLException {
        fixture.recordMany(log, 8);
        // Hide the deletion of entry 4 by moving 5..8 down one place.
        fixture.tamper("DELETE FROM audit_entries WHERE seq = 4",
                "UPDATE audit_entries SET seq = seq - 1 WHERE seq > 4",
                "UPDATE audit_chain_head SET last_seq = 7");

        assertThat(failure()).extracting(VerificationReport.Failure::problem, VerificationReport.Failure::seq)
                .containsExactly(AuditProblem.CHAIN_BROKEN, 4L);
    }

    @Test
    void insertedEntryIsCaughtByTheChainLink() throws SQLException {
        fixture.recordMany(log, 8);
        // Make room after entry 4 and insert a copy of entry 2 there, with its own valid-looking hash.
        fixture.tamper("UPDATE audit_entries SET seq = seq + 100 WHERE seq > 4",
                "UPDATE audit_entries SET seq = seq - 99 WHERE seq > 100",
                "INSERT INTO audit_entries SELECT 5, occurred_at, actor_user_id, actor_device_id, source_ip, action,"
                        + " object_type, object_id, outcome, request_id, flags, details, prev_hash, entry_hash"
                        + " FROM audit_entries WHERE seq = 2");

        VerificationReport.Failure failure = failure();
        assertThat(failure.problem()).isEqualTo(AuditProblem.CHAIN_BROKEN);
        assertThat(failure.seq()).isEqualTo(5);
    }

    @Test
    void rehashedForgeryWithoutTheKeyIsCaughtByTheCheckpoint() throws SQLException {
        fixture.recordMany(log, 25);
        fixture.tamper("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 13");
        rehashChain();

        VerificationReport.Failure failure = failure();

        assertThat(failure.problem()).isEqualTo(AuditProblem.CHECKPOINT_MISMATCH);
        assertThat(failure.seq()).isEqualTo(11);
        assertThat(failure.detail()).contains("entries 11 to 20 were rewritten");
    }

    @Test
    void rehashedForgeryResignedWithAnotherKeyIsCaught() throws SQLException {
        fixture.recordMany(log, 25);
        fixture.tamper("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 3");
        rehashChain();
        resignCheckpoints(AuditSigner.generate("attacker"));

        VerificationReport.Failure failure = failure();

        assertThat(failure.problem()).isEqualTo(AuditProblem.BAD_SIGNATURE);
        assertThat(failure.seq()).isEqualTo(10);
    }

    @Test
    void truncatedTailCoveredByACheckpointIsCaught() throws SQLException {
        fixture.recordMany(log, 20);
        fixture.tamper("DELETE FROM audit_entries WHERE seq > 16");

        assertThat(failure()).extracting(VerificationReport.Failure::problem, VerificationReport.Failure::seq)
                .containsExactly(AuditProblem.TAIL_MISSING, 17L);
    }

    @Test
    void truncatedUnsignedTailIsCaughtByTheChainHead() throws SQLException {
        fixture.recordMany(log, 25);
        fixture.tamper("DELETE FROM audit_entries WHERE seq > 22");

        VerificationReport.Failure failure = failure();
        assertThat(failure.problem()).isEqualTo(AuditProblem.TAIL_MISSING);
        assertThat(failure.seq()).isEqualTo(23);
        assertThat(failure.detail()).contains("chain head records 25");
    }

    @Test
    void deletedCheckpointIsCaught() throws SQLException {
        fixture.recordMany(log, 30);
        fixture.tamper("DELETE FROM audit_checkpoints WHERE seq = 10");

        assertThat(failure()).extracting(VerificationReport.Failure::problem, VerificationReport.Failure::seq)
                .containsExactly(AuditProblem.CHECKPOINT_MISSING, 20L);
    }

    @Test
    void removedCheckpointsAreCaughtWhenTheUnsignedTailExceedsThePolicy() throws SQLException {
        fixture.recordMany(log, 25);
        fixture.tamper("DELETE FROM audit_checkpoints");

        assertThat(verify().valid()).isTrue();
        VerificationReport strict = new AuditVerifier(AuditFixture.SIGNER.publicKey(),
                EVERY_TEN.checkpointEveryEntries() - 1).verify(PG.dataSource());
        assertThat(strict.failure()).get()
                .extracting(VerificationReport.Failure::problem, VerificationReport.Failure::seq)
                .containsExactly(AuditProblem.UNSIGNED_TAIL, 1L);
    }

    @Test
    void verifyingWithAnotherKeyFails() throws SQLException {
        fixture.recordMany(log, 10);

        VerificationReport report = AuditVerifier.verify(PG.dataSource(), AuditSigner.generate("other").publicKey());

        assertThat(report.failure()).get().extracting(VerificationReport.Failure::problem).isEqualTo(AuditProblem.BAD_SIGNATURE);
    }

    @Test
    void rotatedKeysVerifyWhenEveryCertificateIsGiven() throws SQLException {
        fixture.recordMany(log, 10);
        AuditSigner next = AuditSigner.generate("wardline-audit-2");
        AuditLog rotated = new AuditLog(fixture.pool, next, EVERY_TEN);
        fixture.recordMany(rotated, 10);

        VerificationReport both = new AuditVerifier(List.of(AuditFixture.SIGNER.publicKey(), next.publicKey()), 9)
                .verify(PG.dataSource());
        assertThat(both.valid()).as(both.summary()).isTrue();
        assertThat(both.checkpointsChecked()).isEqualTo(2);

        VerificationReport newOnly = AuditVerifier.verify(PG.dataSource(), next.publicKey());
        assertThat(newOnly.failure()).get()
                .extracting(VerificationReport.Failure::problem, VerificationReport.Failure::seq)
                .containsExactly(AuditProblem.BAD_SIGNATURE, 10L);
        assertThat(newOnly.failure().get().detail()).contains("not among the audit keys");
    }

    /** What an attacker without the signing key can do: recompute every hash so the chain links again. */
    private void rehashChain() throws SQLException {
        try (Connection conn = PG.dataSource().getConnection(); Statement st = conn.createStatement()) {
            st.execute("ALTER TABLE audit_entries DISABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_chain_head DISABLE TRIGGER USER");
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT " + AuditRows.COLUMNS + " FROM audit_entries ORDER BY seq")) {
                while (rs.next()) {
                    entries.add(AuditRows.fromResultSet(rs));
                }
            }
            byte[] previous = AuditCanonical.GENESIS_HASH;
            try (PreparedStatement update = conn.prepareStatement(
                    "UPDATE audit_entries SET prev_hash = ?, entry_hash = ? WHERE seq = ?")) {
                for (AuditEntry entry : entries) {
                    byte[] hash = AuditCanonical.entryHash(previous, entry);
                    update.setBytes(1, previous);
                    update.setBytes(2, hash);
                    update.setLong(3, entry.seq());
                    update.executeUpdate();
                    previous = hash;
                }
            }
            try (PreparedStatement head = conn.prepareStatement("UPDATE audit_chain_head SET last_hash = ?")) {
                head.setBytes(1, previous);
                head.executeUpdate();
            }
            st.execute("ALTER TABLE audit_entries ENABLE TRIGGER USER");
            st.execute("ALTER TABLE audit_chain_head ENABLE TRIGGER USER");
        }
    }

    /** Replaces every checkpoint with one signed by {@code forger} over the (re-hashed) chain. */
    private void resignCheckpoints(AuditSigner forger) throws SQLException {
        try (Connection conn = PG.dataSource().getConnection(); Statement st = conn.createStatement()) {
            st.execute("ALTER TABLE audit_checkpoints DISABLE TRIGGER USER");
            List<AuditCheckpoint> checkpoints = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT c.seq, e.entry_hash, c.previous_seq, c.created_at, c.key_id,"
                    + " c.algorithm, c.signature FROM audit_checkpoints c JOIN audit_entries e USING (seq) ORDER BY seq")) {
                while (rs.next()) {
                    checkpoints.add(AuditRows.checkpointFromResultSet(rs));
                }
            }
            try (PreparedStatement update = conn.prepareStatement(
                    "UPDATE audit_checkpoints SET entry_hash = ?, key_id = ?, signature = ? WHERE seq = ?")) {
                for (AuditCheckpoint c : checkpoints) {
                    byte[] payload = AuditCanonical.checkpointPayload(c.seq(), c.entryHash(), c.previousSeq(), c.createdAt(), forger.keyId());
                    update.setBytes(1, c.entryHash());
                    update.setString(2, forger.keyId());
                    update.setBytes(3, forger.sign(payload));
                    update.setLong(4, c.seq());
                    update.executeUpdate();
                }
            }
            st.execute("ALTER TABLE audit_checkpoints ENABLE TRIGGER USER");
        }
    }
}
