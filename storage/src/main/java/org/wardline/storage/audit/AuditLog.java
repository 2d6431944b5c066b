package org.wardline.storage.audit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.ArrayDeque;
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
 * transaction leaves no trace, so sequence numbers have no gaps. Within one node, events that arrive
 * while a transaction is in flight share the next one (group commit).
 *
 * <p>A failed future means the event was <em>not</em> recorded; callers doing PHI access should fail the
 * request rather than proceed unaudited.
 */
public final class AuditLog {
    /** The most events appended in one transaction. */
    public static final int MAX_BATCH = 256;
    /** The most events waiting for their transaction before {@link #record} refuses more. */
    public static final int MAX_QUEUED = 100_000;

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
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean flushing;

    public AuditLog(Pool pool, AuditSigner signer, AuditLogConfig config) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Appends one entry; completes after the transaction that holds it has committed.
     *
     * <p>Events recorded while an append is in flight are queued and appended together in the next
     * transaction (group commit, at most {@value #MAX_BATCH} per transaction), which keeps the lock on the
     * chain head short under load. If a group fails, its events are retried one by one, so one bad event
     * cannot fail its neighbours.
     *
     * @throws IllegalStateException (as a failed future) when more than {@value #MAX_QUEUED} events wait
     */
    public Future<AuditReceipt> record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        Promise<AuditReceipt> promise = Promise.promise();
        boolean start;
        synchronized (queue) {
            if (queue.size() >= MAX_QUEUED) {
                return Future.failedFuture(new IllegalStateException("audit log overloaded: too many events waiting"));
            }
            queue.addLast(new Pending(event, promise));
            start = !flushing;
            flushing = true;
        }
        if (start) {
            flushNext();
        }
        return promise.future();
    }

    private void flushNext() {
        List<Pending> batch = new ArrayList<>();
        synchronized (queue) {
            while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(queue.removeFirst());
            }
            if (batch.isEmpty()) {
                flushing = false;
                return;
            }
        }
        appendInTransaction(batch).onComplete(done -> {
            if (done.succeeded()) {
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).promise().complete(done.result().get(i));
                }
                flushNext();
            } else if (batch.size() == 1) {
                batch.get(0).promise().fail(done.cause());
                flushNext();
            } else {
                retryOneByOne(batch, 0).onComplete(v -> flushNext());
            }
        });
    }

    private Future<Void> retryOneByOne(List<Pending> batch, int index) {
        if (index == batch.size()) {
            return Future.succeededFuture();
        }
        Pending pending = batch.get(index);
        return appendInTransaction(List.of(pending)).transform(done -> {
            if (done.succeeded()) {
                pending.promise().complete(done.result().get(0));
            } else {
                pending.promise().fail(done.cause());
            }
            return retryOneByOne(batch, index + 1);
        });
    }

    private Future<List<AuditReceipt>> appendInTransaction(List<Pending> batch) {
        try {
            return pool.withTransaction(conn -> lockHead(conn).compose(head -> append(conn, head, batch)));
        } catch (RuntimeException e) {
            // A synchronous failure must not leave the queue marked as flushing forever.
            return Future.failedFuture(e);
        }
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

    private Future<List<AuditReceipt>> append(SqlConnection conn, ChainHead head, List<Pending> batch) {
        Instant at = head.now;
        byte[] previous = head.lastHash;
        long checkpointSeq = head.lastCheckpointSeq;
        Instant checkpointAt = head.lastCheckpointAt;
        List<Tuple> entryRows = new ArrayList<>(batch.size());
        List<Tuple> checkpointRows = new ArrayList<>();
        List<AuditReceipt> receipts = new ArrayList<>(batch.size());
        long seq = head.lastSeq;
        for (Pending pending : batch) {
            AuditEvent event = pending.event();
            seq++;
            AuditEntry unhashed = new AuditEntry(seq, at, event.actorUserId(), event.actorDeviceId(),
                    event.sourceIp() == null ? null : event.sourceIp().getHostAddress(),
                    event.action().code(), event.objectType(), event.objectId(), event.outcome().code(),
                    event.requestId(), AuditFlag.encode(event.flags()), event.details().toCanonicalJson(),
                    previous, null);
            byte[] hash = AuditCanonical.entryHash(previous, unhashed);
            entryRows.add(entryRow(unhashed, hash));
            Optional<AuditCheckpoint> checkpoint = Optional.empty();
            if (checkpointDue(seq, checkpointSeq, checkpointAt, at)) {
                AuditCheckpoint signed = sign(seq, hash, checkpointSeq, at);
                checkpointRows.add(checkpointRow(signed));
                checkpoint = Optional.of(signed);
                checkpointSeq = seq;
                checkpointAt = at;
            }
            receipts.add(new AuditReceipt(seq, at, hash, checkpoint));
            previous = hash;
        }
        long lastSeq = seq;
        byte[] lastHash = previous;
        long finalCheckpointSeq = checkpointSeq;
        Instant finalCheckpointAt = checkpointAt;
        Future<?> written = conn.preparedQuery(INSERT_ENTRY).executeBatch(entryRows);
        if (!checkpointRows.isEmpty()) {
            written = written.compose(v -> conn.preparedQuery(INSERT_CHECKPOINT).executeBatch(checkpointRows));
        }
        return written
                .compose(v -> moveHead(conn, lastSeq, lastHash, finalCheckpointSeq, finalCheckpointAt))
                .map(v -> receipts);
    }

    private static Tuple entryRow(AuditEntry e, byte[] hash) {
        return Tuple.tuple()
                .addValue(e.seq())
                .addValue(utc(e.occurredAt()))
                .addValue(e.actorUserId())
                .addValue(e.actorDeviceId())
                .addValue(e.sourceIp())
                .addValue(e.action())
                .addValue(e.objectType())
                .addValue(e.objectId())
                .addValue(e.outcome())
                .addValue(e.requestId())
                .addValue(e.flags())
                .addValue(e.details())
                .addValue(Buffer.buffer(e.previousHash()))
                .addValue(Buffer.buffer(hash));
    }

    private boolean checkpointDue(long seq, long lastCheckpointSeq, Instant lastCheckpointAt, Instant now) {
        return seq - lastCheckpointSeq >= config.checkpointEveryEntries()
                || Duration.between(lastCheckpointAt, now).compareTo(config.checkpointInterval()) >= 0;
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
        return conn.preparedQuery(INSERT_CHECKPOINT).execute(checkpointRow(c));
    }

    private static Tuple checkpointRow(AuditCheckpoint c) {
        return Tuple.of(c.seq(), Buffer.buffer(c.entryHash()), c.previousSeq(), utc(c.createdAt()), c.keyId(),
                c.algorithm(), Buffer.buffer(c.signature()));
    }

    private static Future<RowSet<Row>> moveHead(SqlConnection conn, long seq, byte[] hash, long checkpointSeq, Instant checkpointAt) {
        return conn.preparedQuery(MOVE_HEAD).execute(Tuple.of(seq, Buffer.buffer(hash), checkpointSeq, utc(checkpointAt)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private record Pending(AuditEvent event, Promise<AuditReceipt> promise) {
    }

    private record ChainHead(long lastSeq, byte[] lastHash, long lastCheckpointSeq, Instant lastCheckpointAt, Instant now) {
    }
}
