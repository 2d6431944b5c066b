package org.wardline.storage.audit;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * Re-computes the whole audit chain and checks every checkpoint signature (blocking JDBC; run it off the
 * event loop). Entries and checkpoints are streamed with server-side cursors in one read-only
 * repeatable-read transaction, so memory stays constant whatever the trail's size.
 *
 * <p>Checks, in chain order: sequence numbers run 1, 2, 3… without gaps; each entry's previous hash is
 * the recomputed hash of the entry before; each entry's stored hash equals the recomputed one; each
 * checkpoint links to the checkpoint before it, carries a valid signature by one of the given keys
 * (several after a key rotation; each checkpoint names its key by ID), and matches
 * the recomputed hash at its seq; no checkpoint and no chain head points past the last entry. The
 * first failure ends the run and is named in the report.
 *
 * <p>What it cannot see: entries appended after the last checkpoint and then removed together with
 * the head's record of them, by someone who controls the database. Keep the checkpoint interval short
 * and copy the latest checkpoint off the server (an export does) to narrow that window.
 */
public final class AuditVerifier {
    private static final int DEFAULT_FETCH_SIZE = 2000;

    private final Map<String, PublicKey> keysById;
    private final long maxUnsignedEntries;
    private final int fetchSize;

    /**
     * @param key                the audit certificate's public key
     * @param maxUnsignedEntries see {@link #AuditVerifier(Collection, long)}
     */
    public AuditVerifier(PublicKey key, long maxUnsignedEntries) {
        this(List.of(key), maxUnsignedEntries, DEFAULT_FETCH_SIZE);
    }

    /**
     * @param keys               the public keys of every audit certificate the trail has used
     * @param maxUnsignedEntries entries allowed after the last checkpoint before the trail counts as
     *                           tampered ({@link AuditLogConfig#checkpointEveryEntries()} minus one is the
     *                           tightest bound), or {@link Long#MAX_VALUE} to only report them
     */
    public AuditVerifier(Collection<PublicKey> keys, long maxUnsignedEntries) {
        this(keys, maxUnsignedEntries, DEFAULT_FETCH_SIZE);
    }

    AuditVerifier(Collection<PublicKey> keys, long maxUnsignedEntries, int fetchSize) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one audit public key is required");
        }
        Map<String, PublicKey> byId = new HashMap<>();
        for (PublicKey key : keys) {
            byId.put(AuditSigner.keyId(Objects.requireNonNull(key, "key")), key);
        }
        this.keysById = Map.copyOf(byId);
        if (maxUnsignedEntries < 0) {
            throw new IllegalArgumentException("maxUnsignedEntries must not be negative");
        }
        this.maxUnsignedEntries = maxUnsignedEntries;
        this.fetchSize = fetchSize;
    }

    /** Verifies the trail in {@code dataSource} against {@code key}, tolerating any unsigned tail. */
    public static VerificationReport verify(DataSource dataSource, PublicKey key) throws SQLException {
        return new AuditVerifier(key, Long.MAX_VALUE).verify(dataSource);
    }

    public VerificationReport verify(DataSource dataSource) throws SQLException {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            conn.setReadOnly(true);
            conn.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return verify(conn);
            } finally {
                conn.rollback();
            }
        }
    }

    private VerificationReport verify(Connection conn) throws SQLException {
        try (PreparedStatement entries = conn.prepareStatement(
                     "SELECT " + AuditRows.COLUMNS + " FROM audit_entries ORDER BY seq");
             PreparedStatement checkpoints = conn.prepareStatement(
                     "SELECT " + AuditRows.CHECKPOINT_COLUMNS + " FROM audit_checkpoints ORDER BY seq")) {
            entries.setFetchSize(fetchSize);
            checkpoints.setFetchSize(fetchSize);
            try (ResultSet entryRows = entries.executeQuery(); ResultSet checkpointRows = checkpoints.executeQuery()) {
                Walk walk = new Walk(checkpointRows);
                Optional<VerificationReport.Failure> failure = walk.entries(entryRows);
                if (failure.isEmpty()) {
                    failure = walk.end(conn);
                }
                return new VerificationReport(walk.entriesChecked, walk.checkpointsChecked, walk.lastGoodSeq,
                        walk.lastCheckpointSeq, failure);
            }
        }
    }

    /** The state of one pass over the chain. */
    private final class Walk {
        private final ResultSet checkpointRows;
        private AuditCheckpoint nextCheckpoint;
        private byte[] previousHash = AuditCanonical.GENESIS_HASH;
        private long lastGoodSeq;
        private long lastCheckpointSeq;
        private long entriesChecked;
        private long checkpointsChecked;

        Walk(ResultSet checkpointRows) throws SQLException {
            this.checkpointRows = checkpointRows;
            advanceCheckpoint();
        }

        Optional<VerificationReport.Failure> entries(ResultSet rows) throws SQLException {
            while (rows.next()) {
                AuditEntry entry = AuditRows.fromResultSet(rows);
                long expected = lastGoodSeq + 1;
                if (entry.seq() != expected) {
                    return fail(AuditProblem.ENTRY_MISSING, expected, entry.seq() - 1 == expected
                            ? "entry " + expected + " is missing (deleted): entry " + entry.seq() + " follows entry " + lastGoodSeq
                            : "entries " + expected + " to " + (entry.seq() - 1) + " are missing (deleted): entry "
                            + entry.seq() + " follows entry " + lastGoodSeq);
                }
                if (!Arrays.equals(entry.previousHash(), previousHash)) {
                    return fail(AuditProblem.CHAIN_BROKEN, entry.seq(), "entry " + entry.seq()
                            + " does not link to entry " + lastGoodSeq
                            + ": entries were deleted, inserted or replaced at this point");
                }
                byte[] computed = AuditCanonical.entryHash(previousHash, entry);
                if (!Arrays.equals(computed, entry.entryHash())) {
                    return fail(AuditProblem.ENTRY_ALTERED, entry.seq(), "entry " + entry.seq()
                            + " does not match its hash: it was altered after it was written");
                }
                entriesChecked++;
                while (nextCheckpoint != null && nextCheckpoint.seq() == entry.seq()) {
                    Optional<VerificationReport.Failure> bad = checkCheckpoint(nextCheckpoint, computed);
                    if (bad.isPresent()) {
                        return bad;
                    }
                    advanceCheckpoint();
                }
                previousHash = computed;
                lastGoodSeq = entry.seq();
            }
            return Optional.empty();
        }

        Optional<VerificationReport.Failure> end(Connection conn) throws SQLException {
            if (nextCheckpoint != null) {
                return fail(AuditProblem.TAIL_MISSING, lastGoodSeq + 1, "checkpoint " + nextCheckpoint.seq()
                        + " vouches for entries up to " + nextCheckpoint.seq() + " but the trail ends at entry "
                        + lastGoodSeq + ": the tail was truncated");
            }
            try (PreparedStatement head = conn.prepareStatement(
                    "SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1");
                 ResultSet row = head.executeQuery()) {
                if (row.next()) {
                    long headSeq = row.getLong("last_seq");
                    if (headSeq > lastGoodSeq) {
                        return fail(AuditProblem.TAIL_MISSING, lastGoodSeq + 1, "the chain head records " + headSeq
                                + " entries but the trail ends at entry " + lastGoodSeq + ": the tail was truncated");
                    }
                    if (headSeq < lastGoodSeq) {
                        return fail(AuditProblem.CHAIN_BROKEN, headSeq + 1, "entries after " + headSeq
                                + " were added outside the audit log (the chain head ends at " + headSeq + ")");
                    }
                    if (!Arrays.equals(row.getBytes("last_hash"), previousHash)) {
                        return fail(AuditProblem.CHAIN_BROKEN, lastGoodSeq, "entry " + lastGoodSeq
                                + " does not match the hash recorded in the chain head: it was replaced");
                    }
                }
            }
            if (lastGoodSeq - lastCheckpointSeq > maxUnsignedEntries) {
                return fail(AuditProblem.UNSIGNED_TAIL, lastCheckpointSeq + 1, (lastGoodSeq - lastCheckpointSeq)
                        + " entries follow the last checkpoint (seq " + lastCheckpointSeq + "), more than the "
                        + maxUnsignedEntries + " the checkpoint policy allows: checkpoints were removed");
            }
            return Optional.empty();
        }

        private Optional<VerificationReport.Failure> checkCheckpoint(AuditCheckpoint checkpoint, byte[] computed) {
            if (checkpoint.previousSeq() != lastCheckpointSeq) {
                return fail(AuditProblem.CHECKPOINT_MISSING, checkpoint.seq(), "checkpoint " + checkpoint.seq()
                        + " follows checkpoint " + checkpoint.previousSeq() + ", but the previous checkpoint present is "
                        + lastCheckpointSeq + ": a checkpoint was deleted");
            }
            PublicKey key = keysById.get(checkpoint.keyId());
            if (key == null) {
                return fail(AuditProblem.BAD_SIGNATURE, checkpoint.seq(), "checkpoint " + checkpoint.seq()
                        + " names a key that is not among the audit keys given: it was forged, or the"
                        + " certificate of a former audit key is missing");
            }
            if (!checkpoint.signatureValid(key)) {
                return fail(AuditProblem.BAD_SIGNATURE, checkpoint.seq(), "checkpoint " + checkpoint.seq()
                        + " is not validly signed by audit key " + checkpoint.keyId() + ": it was forged or altered");
            }
            if (!Arrays.equals(checkpoint.entryHash(), computed)) {
                return fail(AuditProblem.CHECKPOINT_MISMATCH, lastCheckpointSeq + 1, "checkpoint " + checkpoint.seq()
                        + " does not match the recomputed chain: entries " + (lastCheckpointSeq + 1) + " to "
                        + checkpoint.seq() + " were rewritten and re-hashed");
            }
            checkpointsChecked++;
            lastCheckpointSeq = checkpoint.seq();
            return Optional.empty();
        }

        private void advanceCheckpoint() throws SQLException {
            nextCheckpoint = checkpointRows.next() ? AuditRows.checkpointFromResultSet(checkpointRows) : null;
        }

        private Optional<VerificationReport.Failure> fail(AuditProblem problem, long seq, String detail) {
            return Optional.of(new VerificationReport.Failure(problem, seq, detail));
        }
    }
}
