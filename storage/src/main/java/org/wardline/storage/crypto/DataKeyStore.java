package org.wardline.storage.crypto;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.wardline.storage.blob.BlobId;
import org.wardline.storage.blob.BlobNotFoundException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code data_keys} table: one wrapped data key per object, through the Vert.x pool (non-blocking; every method
 * returns a {@link Future}). Destroying a key is crypto-erasure of its object; the row stays, with the wrapped key
 * and KEK id cleared and {@code destroyed_at} set, as the record that the erasure happened.
 */
public final class DataKeyStore {
    private final Pool pool;

    public DataKeyStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores the object's wrapped data key, replacing a live one.
     *
     * @return a future failed with {@link DataKeyDestroyedException} when the object's key was destroyed: an
     * erased id is never reused
     */
    public Future<Void> save(BlobId id, WrappedDataKey key) {
        return pool.preparedQuery("""
                        INSERT INTO data_keys (object_id, wrapped_key, kek_id) VALUES ($1, $2, $3)
                        ON CONFLICT (object_id) DO UPDATE
                            SET wrapped_key = EXCLUDED.wrapped_key, kek_id = EXCLUDED.kek_id,
                                created_at = now(), rewrapped_at = NULL
                            WHERE data_keys.destroyed_at IS NULL""")
                .execute(Tuple.of(id.value(), Buffer.buffer(key.ciphertext()), key.kek().value()))
                .compose(rows -> rows.rowCount() == 1
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new DataKeyDestroyedException(id)));
    }

    /**
     * The object's wrapped data key.
     *
     * @return a future failed with {@link BlobNotFoundException} when there is no key for the id, or
     * {@link DataKeyDestroyedException} when it was destroyed
     */
    public Future<WrappedDataKey> find(BlobId id) {
        return pool.preparedQuery("SELECT wrapped_key, kek_id FROM data_keys WHERE object_id = $1")
                .execute(Tuple.of(id.value()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new BlobNotFoundException(id));
                    }
                    Row row = rows.iterator().next();
                    Buffer wrapped = row.getBuffer("wrapped_key");
                    if (wrapped == null) {
                        return Future.failedFuture(new DataKeyDestroyedException(id));
                    }
                    return Future.succeededFuture(
                            new WrappedDataKey(new KekId(row.getString("kek_id")), wrapped.getBytes()));
                });
    }

    /** Whether the object has a live (not destroyed) data key. */
    public Future<Boolean> isLive(BlobId id) {
        return pool.preparedQuery("SELECT 1 FROM data_keys WHERE object_id = $1 AND destroyed_at IS NULL")
                .execute(Tuple.of(id.value()))
                .map(rows -> rows.size() == 1);
    }

    /**
     * Destroys the object's data key (crypto-erasure).
     *
     * @return true when a live key was destroyed now, false when there was none or it was already destroyed
     */
    public Future<Boolean> destroy(BlobId id) {
        return pool.preparedQuery("""
                        UPDATE data_keys SET wrapped_key = NULL, kek_id = NULL, destroyed_at = now()
                        WHERE object_id = $1 AND destroyed_at IS NULL""")
                .execute(Tuple.of(id.value()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Up to {@code limit} live keys not wrapped under {@code kek}, in object id order, after {@code after} (keyset
     * pagination, so a walk over millions of keys never re-reads a page).
     */
    public Future<List<StoredKey>> liveKeysNotUnder(KekId kek, Optional<BlobId> after, int limit) {
        return pool.preparedQuery("""
                        SELECT object_id, wrapped_key, kek_id FROM data_keys
                        WHERE destroyed_at IS NULL AND kek_id <> $1 AND ($2::uuid IS NULL OR object_id > $2)
                        ORDER BY object_id LIMIT $3""")
                .execute(Tuple.of(kek.value(), after.map(BlobId::value).orElse(null), limit))
                .map(rows -> {
                    List<StoredKey> keys = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        keys.add(new StoredKey(new BlobId(row.getUUID("object_id")), new WrappedDataKey(
                                new KekId(row.getString("kek_id")), row.getBuffer("wrapped_key").getBytes())));
                    }
                    return keys;
                });
    }

    /**
     * Replaces wrapped keys in one batch. Each replacement applies only while the row is still live and still
     * wrapped under the KEK it was read with, so a concurrent destroy or re-upload is never overwritten.
     *
     * @return how many keys were replaced
     */
    public Future<Integer> replaceWrapping(List<Rewrapped> replacements) {
        if (replacements.isEmpty()) {
            return Future.succeededFuture(0);
        }
        List<Tuple> batch = new ArrayList<>(replacements.size());
        for (Rewrapped r : replacements) {
            batch.add(Tuple.of(r.id().value(), Buffer.buffer(r.next().ciphertext()), r.next().kek().value(),
                    r.previous().value()));
        }
        return pool.preparedQuery("""
                        UPDATE data_keys SET wrapped_key = $2, kek_id = $3, rewrapped_at = now()
                        WHERE object_id = $1 AND kek_id = $4 AND destroyed_at IS NULL""")
                .executeBatch(batch)
                .map(DataKeyStore::totalRowCount);
    }

    /** How many live data keys each KEK version wraps. */
    public Future<Map<KekId, Long>> countLiveByKek() {
        return pool.query("""
                        SELECT kek_id, count(*) AS n FROM data_keys WHERE destroyed_at IS NULL
                        GROUP BY kek_id ORDER BY kek_id""")
                .execute()
                .map(rows -> {
                    Map<KekId, Long> counts = new LinkedHashMap<>();
                    for (Row row : rows) {
                        counts.put(new KekId(row.getString("kek_id")), row.getLong("n"));
                    }
                    return counts;
                });
    }

    private static int totalRowCount(RowSet<Row> first) {
        int total = 0;
        for (RowSet<Row> rs = first; rs != null; rs = rs.next()) {
            total += rs.rowCount();
        }
        return total;
    }

    /**
     * A live data key as stored.
     *
     * @param id      the object
     * @param wrapped its wrapped data key
     */
    public record StoredKey(BlobId id, WrappedDataKey wrapped) {
    }

    /**
     * One re-wrapped key.
     *
     * @param id       the object
     * @param previous the KEK version the key was read under
     * @param next     the key wrapped under the new KEK version
     */
    public record Rewrapped(BlobId id, KekId previous, WrappedDataKey next) {
    }
}
