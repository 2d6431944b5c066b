package org.wardline.storage.object;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.Secret;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.blob.BlobNotFoundException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The {@code stored_objects} table: each object's lifecycle state and facts, through the Vert.x pool
 * (non-blocking). Transitions are compare-and-set on the state column, so two racing requests cannot both commit,
 * or commit what another quarantined. {@link ObjectLifecycle} drives it together with the blob store.
 */
public final class ObjectCatalog {
    private static final String COLUMNS = "object_id, owner_id, state, size_bytes, content_type, sha256, "
            + "display_name, created_at, committed_at";

    private final Pool pool;

    public ObjectCatalog(Pool pool) {
        this.pool = pool;
    }

    /**
     * Registers a new upload as PENDING.
     *
     * @param displayName the user's file name, PHI: stored only here
     */
    public Future<StoredObject> createPending(BlobId id, UUID owner, Optional<String> displayName) {
        return pool.preparedQuery("INSERT INTO stored_objects (object_id, owner_id, state, display_name) "
                        + "VALUES ($1, $2, 'PENDING', $3) RETURNING " + COLUMNS)
                .execute(Tuple.of(id.value(), owner, displayName.orElse(null)))
                .map(rows -> toObject(rows.iterator().next()));
    }

    /** Records the id of the multipart upload writing a PENDING object's ciphertext (not PHI), for clean-up after a crash. */
    public Future<Void> recordUnfinishedWrite(BlobId id, String uploadId) {
        return pool.preparedQuery("UPDATE stored_objects SET unfinished_upload = $2 WHERE object_id = $1 AND state = 'PENDING'")
                .execute(Tuple.of(id.value(), uploadId))
                .mapEmpty();
    }

    /** The multipart upload recorded for a PENDING object, if any. */
    public Future<Optional<String>> unfinishedWrite(BlobId id) {
        return pool.preparedQuery("SELECT unfinished_upload FROM stored_objects WHERE object_id = $1 AND state = 'PENDING'")
                .execute(Tuple.of(id.value()))
                .map(rows -> rows.size() == 0 ? Optional.<String>empty()
                        : Optional.ofNullable(rows.iterator().next().getString(0)));
    }

    /** Records the plaintext size and SHA-256 once the ciphertext is written; the object stays PENDING. */
    public Future<StoredObject> recordContent(BlobId id, long size, byte[] sha256) {
        return transition(id, "given content facts", "size_bytes = $2, sha256 = $3", "state = 'PENDING'",
                Tuple.of(id.value(), size, Buffer.buffer(sha256)));
    }

    /** PENDING → COMMITTED, with the type detected from the content. The object becomes visible. */
    public Future<StoredObject> markCommitted(BlobId id, String contentType) {
        return transition(id, "committed", "state = 'COMMITTED', content_type = $2, committed_at = now()",
                "state = 'PENDING' AND size_bytes IS NOT NULL", Tuple.of(id.value(), contentType));
    }

    /** PENDING → QUARANTINED. */
    public Future<StoredObject> markQuarantined(BlobId id, Optional<String> contentType) {
        return transition(id, "quarantined",
                "state = 'QUARANTINED', content_type = $2, quarantined_at = now()", "state = 'PENDING'",
                Tuple.of(id.value(), contentType.orElse(null)));
    }

    /**
     * {@code from} → DELETED and crypto-erasure, atomically: in one statement the row is marked DELETED (display
     * name and plaintext hash cleared) and the object's data key in {@code data_keys} is destroyed. Deleting the
     * ciphertext is left to the caller; without its key it is unreadable.
     */
    public Future<StoredObject> markDeletedAndDestroyKey(BlobId id, Set<ObjectState> from) {
        String[] states = from.stream().map(Enum::name).toArray(String[]::new);
        return pool.preparedQuery("""
                        WITH deleted AS (
                            UPDATE stored_objects
                            SET state = 'DELETED', deleted_at = now(), display_name = NULL, sha256 = NULL
                            WHERE object_id = $1 AND state = ANY($2::text[])
                            RETURNING %s),
                        erased AS (
                            UPDATE data_keys SET wrapped_key = NULL, kek_id = NULL, destroyed_at = now()
                            WHERE object_id IN (SELECT object_id FROM deleted) AND destroyed_at IS NULL)
                        SELECT * FROM deleted""".formatted(COLUMNS))
                .execute(Tuple.of(id.value()).addArrayOfString(states))
                .compose(rows -> rows.size() == 1
                        ? Future.succeededFuture(toObject(rows.iterator().next()))
                        : find(id).compose(current -> Future.failedFuture(
                                new ObjectStateException(id, "deleted", current.state()))));
    }

    /**
     * The object in whatever state.
     *
     * @return a future failed with {@link BlobNotFoundException} when there is no such object
     */
    public Future<StoredObject> find(BlobId id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM stored_objects WHERE object_id = $1")
                .execute(Tuple.of(id.value()))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(new BlobNotFoundException(id))
                        : Future.succeededFuture(toObject(rows.iterator().next())));
    }

    /**
     * The object only if it is COMMITTED; any other state looks like a missing object, so callers cannot learn
     * about pending or quarantined uploads.
     */
    public Future<StoredObject> findCommitted(BlobId id) {
        return find(id).compose(o -> o.state() == ObjectState.COMMITTED
                ? Future.succeededFuture(o)
                : Future.failedFuture(new BlobNotFoundException(id)));
    }

    /** Ids of objects still PENDING since before {@code cutoff}: uploads abandoned by a crash or a lost client. */
    public Future<List<BlobId>> pendingSince(Instant cutoff, int limit) {
        return pool.preparedQuery("SELECT object_id FROM stored_objects WHERE state = 'PENDING' AND created_at < $1 "
                        + "ORDER BY created_at LIMIT $2")
                .execute(Tuple.of(OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC), limit))
                .map(rows -> {
                    List<BlobId> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(new BlobId(row.getUUID("object_id"))));
                    return ids;
                });
    }

    private Future<StoredObject> transition(BlobId id, String transition, String set, String condition,
                                            Tuple arguments) {
        return pool.preparedQuery("UPDATE stored_objects SET " + set + " WHERE object_id = $1 AND " + condition
                        + " RETURNING " + COLUMNS)
                .execute(arguments)
                .compose(rows -> rows.size() == 1
                        ? Future.succeededFuture(toObject(rows.iterator().next()))
                        : find(id).compose(current -> Future.failedFuture(
                                new ObjectStateException(id, transition, current.state()))));
    }

    private static StoredObject toObject(Row row) {
        Long size = row.getLong("size_bytes");
        Buffer sha = row.getBuffer("sha256");
        String name = row.getString("display_name");
        OffsetDateTime committed = row.getOffsetDateTime("committed_at");
        return new StoredObject(
                new BlobId(row.getUUID("object_id")),
                row.getUUID("owner_id"),
                ObjectState.valueOf(row.getString("state")),
                size == null ? OptionalLong.empty() : OptionalLong.of(size),
                Optional.ofNullable(row.getString("content_type")),
                sha == null ? new byte[0] : sha.getBytes(),
                Optional.ofNullable(name).map(Secret::of),
                row.getOffsetDateTime("created_at").toInstant(),
                Optional.ofNullable(committed).map(OffsetDateTime::toInstant));
    }

}
