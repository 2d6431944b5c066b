package org.wardline.storage.audit;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Appends entries to the hash-chained audit trail, non-blocking on a Vert.x {@link Pool}.
 *
 * <p>Each append is one transaction that locks the one-row {@code audit_chain_head} with
 * {@code SELECT ... FOR UPDATE}, takes the next sequence number, the previous hash and the database
 * clock, inserts the entry with its hash, writes a signed checkpoint if one is due, and moves the head.
 * PostgreSQL thus serializes writers on every server node, and the chain cannot fork; a failed
 * transaction leaves no trace, so sequence numbers have no gaps.
 *
 * <p>A failed future means the event was <em>not</em> recorded; callers doing PHI access should fail the
 * request rather than proceed unaudited.
 */
public final class AuditLog {
    private static final String LOCK_HEAD = """
            SELECT last_seq, last_hash, last_checkpoint_seq, last_checkpoint_at, clock_timestamp() AS now
            FROM audit_chain_head WHERE id = 1 FOR UPDATE""";
    private static final String INSERT_ENTRY = """
            INSERT INTO audit_entries (seq, occurred_at, actor_user_id, actor_device_id, source_ip, action,
                object_type, object_id, outcome, request_id, flags, details, prev_hash, entry_hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""";
    private static final String INSERT_CHECKPOINT = """
            INSERT INTO audit_checkpoints (seq, entry_hash, previous_seq, created_at, key_id, algorithm, signature)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";
    private static final String MOVE_HEAD = """
            UPDATE audit_chain_head
            SET last_seq = $1, last_hash = $2, last_checkpoint_seq = $3, last_checkpoint_at = $4
            WHERE id = 1""";
    private static final String READ_AFTER = "SELECT " + AuditRows.COLUMNS
            + " FROM audit_entries WHERE seq > $1 ORDER BY seq LIMIT $2";

    private final Pool pool;
    private final AuditSigner signer;
    private final AuditLogConfig config;

    public AuditLog(Pool pool, AuditSigner signer, AuditLogConfig config) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Appends one entry; completes after the transaction has committed. */
    public Future<AuditReceipt> record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        return pool.withTransaction(conn -> lockHead(conn).compose(head -> append(conn, head, event)));
    }

    /**
     * Signs the current end of the chain if any entry is not yet covered by a checkpoint. Call it
     * periodically (for example every {@link AuditLogConfig#checkpointInterval()}) and at shutdown.
     */
    public Future<Optional<AuditCheckpoint>> checkpoint() {
        return pool.withTransaction(conn -> lockHead(conn).compose(head -> {
            if (head.lastSeq == head.lastCheckpointSeq) {
                return Future.succeededFuture(Optional.empty());
            }
            AuditCheckpoint checkpoint = sign(head.lastSeq, head.lastHash, head.lastCheckpointSeq, head.now);
            return insertCheckpoint(conn, checkpoint)
                    .compose(v -> moveHead(conn, head.lastSeq, head.lastHash, checkpoint.seq(), checkpoint.createdAt()))
                    .map(v -> Optional.of(checkpoint));
        }));
    }

    /** Up to {@code limit} entries with {@code seq > afterSeq}, in chain order (for alert rules and tailing). */
    public Future<List<AuditEntry>> readAfter(long afterSeq, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be between 1 and 10000");
        }
        return pool.preparedQuery(READ_AFTER).execute(Tuple.of(afterSeq, limit)).map(rows -> {
            List<AuditEntry> entries = new ArrayList<>(rows.size());
            for (Row row : rows) {
                entries.add(AuditRows.fromRow(row));
            }
            return entries;
        });
    }

    private Future<AuditReceipt> append(SqlConnection conn, ChainHead head, AuditEvent event) {
        long seq = head.lastSeq + 1;
        Instant at = head.now;
        AuditEntry unhashed = new AuditEntry(seq, at, event.actorUserId(), event.actorDeviceId(),
                event.sourceIp() == null ? null : event.sourceIp().getHostAddress(),
                event.action().code(), event.objectType(), event.objectId(), event.outcome().code(),
                event.requestId(), AuditFlag.encode(event.flags()), event.details().toCanonicalJson(),
                head.lastHash, null);
        byte[] hash = AuditCanonical.entryHash(head.lastHash, unhashed);
        Optional<AuditCheckpoint> checkpoint = checkpointDue(head, seq)
                ? Optional.of(sign(seq, hash, head.lastCheckpointSeq, at))
                : Optional.empty();
        Tuple values = Tuple.tuple()
                .addValue(seq)
                .addValue(utc(at))
                .addValue(unhashed.actorUserId())
                .addValue(unhashed.actorDeviceId())
                .addValue(unhashed.sourceIp())
                .addValue(unhashed.action())
                .addValue(unhashed.objectType())
                .addValue(unhashed.objectId())
                .addValue(unhashed.outcome())
                .addValue(unhashed.requestId())
                .addValue(unhashed.flags())
                .addValue(unhashed.details())
                .addValue(Buffer.buffer(head.lastHash))
                .addValue(Buffer.buffer(hash));
        Future<?> written = conn.preparedQuery(INSERT_ENTRY).execute(values);
        if (checkpoint.isPresent()) {
            written = written.compose(v -> insertCheckpoint(conn, checkpoint.get()));
        }
        long checkpointSeq = checkpoint.isPresent() ? seq : head.lastCheckpointSeq;
        Instant checkpointAt = checkpoint.isPresent() ? at : head.lastCheckpointAt;
        return written
                .compose(v -> moveHead(conn, seq, hash, checkpointSeq, checkpointAt))
                .map(v -> new AuditReceipt(seq, at, hash, checkpoint));
    }

    private boolean checkpointDue(ChainHead head, long seq) {
        return seq - head.lastCheckpointSeq >= config.checkpointEveryEntries()
                || Duration.between(head.lastCheckpointAt, head.now).compareTo(config.checkpointInterval()) >= 0;
    }

    private AuditCheckpoint sign(long seq, byte[] entryHash, long previousSeq, Instant at) {
        byte[] payload = AuditCanonical.checkpointPayload(seq, entryHash, previousSeq, at, signer.keyId());
        return new AuditCheckpoint(seq, entryHash, previousSeq, at, signer.keyId(), signer.algorithm(), signer.sign(payload));
    }

    private static Future<ChainHead> lockHead(SqlConnection conn) {
        return conn.query(LOCK_HEAD).execute().map(rows -> {
            if (rows.size() != 1) {
                throw new IllegalStateException("audit_chain_head is missing; run the database migrations");
            }
            Row row = rows.iterator().next();
            return new ChainHead(row.getLong("last_seq"), row.getBuffer("last_hash").getBytes(),
                    row.getLong("last_checkpoint_seq"), row.getOffsetDateTime("last_checkpoint_at").toInstant(),
                    row.getOffsetDateTime("now").toInstant().truncatedTo(ChronoUnit.MICROS));
        });
    }

    private static Future<RowSet<Row>> insertCheckpoint(SqlConnection conn, AuditCheckpoint c) {
        return conn.preparedQuery(INSERT_CHECKPOINT).execute(Tuple.of(c.seq(), Buffer.buffer(c.entryHash()),
                c.previousSeq(), utc(c.createdAt()), c.keyId(), c.algorithm(), Buffer.buffer(c.signature())));
    }

    private static Future<RowSet<Row>> moveHead(SqlConnection conn, long seq, byte[] hash, long checkpointSeq, Instant checkpointAt) {
        return conn.preparedQuery(MOVE_HEAD).execute(Tuple.of(seq, Buffer.buffer(hash), checkpointSeq, utc(checkpointAt)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private record ChainHead(long lastSeq, byte[] lastHash, long lastCheckpointSeq, Instant lastCheckpointAt, Instant now) {
    }
}
