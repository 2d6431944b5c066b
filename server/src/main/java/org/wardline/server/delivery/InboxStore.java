package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.wire.UnreadReason;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Per-device inboxes in PostgreSQL: the backlog a device gets on HELLO, acknowledgement (which deletes the entry,
 * and the message once no inbox holds it), and expiry of disappearing messages.
 */
final class InboxStore {
    static final String SELECT_ENTRIES = """
            SELECT i.seq, i.device_id, m.id AS message_id, m.kind, m.epoch, m.sender_device, m.sender_user, m.payload,
                   m.added, m.removed, m.ref_message_id, (extract(epoch FROM m.created_at) * 1000)::bigint AS sent_at,
                   (extract(epoch FROM m.expires_at) * 1000)::bigint AS expires_at,
                   c.group_id
              FROM device_inbox i
              JOIN conversation_messages m ON m.id = i.message_id
              JOIN conversations c ON c.id = m.conversation_id
            """;
    private static final int PAGE = 200;
    /** ACK frames per batch (each carries at most 1,000 SEQs). */
    private static final int ACK_BATCH = 256;
    private static final String DELETE_ACKED = """
            DELETE FROM device_inbox i USING unnest($1::uuid[], $2::bigint[]) AS a(device_id, seq)
             WHERE i.device_id = a.device_id AND i.seq = a.seq
            RETURNING i.device_id, i.message_id""";
    private static final String DELETE_UNREFERENCED = """
            DELETE FROM conversation_messages m WHERE m.id = ANY($1)
               AND NOT EXISTS (SELECT 1 FROM device_inbox i WHERE i.message_id = m.id)""";

    private static final String RECORD_UNREAD = """
            INSERT INTO unread_deliveries (device_id, message_id, conversation_id, sender_device, reason)
            SELECT i.device_id, m.id, m.conversation_id, m.sender_device, u.reason
              FROM unnest($2::bigint[], $3::text[]) AS u(seq, reason)
              JOIN device_inbox i ON i.device_id = $1 AND i.seq = u.seq
              JOIN conversation_messages m ON m.id = i.message_id
            ON CONFLICT DO NOTHING
            RETURNING reason""";

    private final Pool pool;
    /*
     * One batch at a time: two concurrent transactions that each delete one of a message's last two entries would
     * both still see the other's entry, and neither would delete the message.
     */
    private final GroupCommit<Ack, Integer> acks;

    InboxStore(Pool pool) {
        this.pool = pool;
        this.acks = new GroupCommit<>(ACK_BATCH, 1, batch -> pool.withTransaction(conn -> ackBatch(conn, batch)),
                a -> ackAlone(a.device(), a.seqs()), null);
    }

    /** Up to one page of the device's entries after {@code afterSeq}, in SEQ order. */
    Future<List<InboxEntry>> page(UUID device, long afterSeq) {
        return pool.preparedQuery(SELECT_ENTRIES + " WHERE i.device_id = $1 AND i.seq > $2"
                        + " AND (m.expires_at IS NULL OR m.expires_at > now()) ORDER BY i.seq LIMIT " + PAGE)
                .execute(Tuple.of(device, afterSeq))
                .map(rows -> {
                    List<InboxEntry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(InboxEntry.fromRow(r));
                    }
                    return out;
                });
    }

    static int pageSize() {
        return PAGE;
    }

    /** Entries waiting for the device, leaving out messages past their disappearing time (never delivered). */
    Future<Long> pending(UUID device) {
        return pool.preparedQuery("SELECT count(*) FROM device_inbox i JOIN conversation_messages m ON m.id = i.message_id"
                        + " WHERE i.device_id = $1 AND (m.expires_at IS NULL OR m.expires_at > now())").execute(Tuple.of(device))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Deletes the device's entries with these SEQs (others' entries are untouched); returns how many. Shares one
     * transaction with the acknowledgements that other connections send meanwhile ({@link GroupCommit}).
     */
    Future<Integer> ack(UUID device, List<Long> seqs) {
        return acks.submit(new Ack(device, seqs));
    }

    /**
     * Records the device's deliveries it acknowledges without reading them ({@code unread_deliveries}), before the
     * acknowledgement deletes their entries; returns the reasons recorded (an entry already recorded, or not in the
     * device's inbox, records nothing).
     */
    Future<List<UnreadReason>> recordUnread(UUID device, List<UnreadReason.Entry> entries) {
        Long[] seqs = entries.stream().map(UnreadReason.Entry::seq).toArray(Long[]::new);
        String[] reasons = entries.stream().map(e -> e.reason().code()).toArray(String[]::new);
        return pool.preparedQuery(RECORD_UNREAD).execute(Tuple.tuple().addValue(device).addValue(seqs).addValue(reasons))
                .map(rows -> {
                    List<UnreadReason> out = new ArrayList<>();
                    rows.forEach(r -> UnreadReason.forCode(r.getString(0)).ifPresent(out::add));
                    return out;
                });
    }

    /** {@link #ack} in a transaction of its own. */
    Future<Integer> ackAlone(UUID device, List<Long> seqs) {
        return delete("DELETE FROM device_inbox WHERE device_id = $1 AND seq = ANY($2) RETURNING message_id",
                Tuple.tuple().addValue(device).addValue(seqs.toArray(new Long[0])));
    }

    /** Deletes the device's entries up to and including {@code cursor}. */
    Future<Integer> ackUpTo(UUID device, long cursor) {
        return delete("DELETE FROM device_inbox WHERE device_id = $1 AND seq <= $2 RETURNING message_id",
                Tuple.of(device, cursor));
    }

    private Future<Integer> delete(String sql, Tuple args) {
        return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(args).compose(rows -> {
            List<Long> messages = new ArrayList<>();
            rows.forEach(r -> messages.add(r.getLong(0)));
            if (messages.isEmpty()) {
                return Future.succeededFuture(0);
            }
            return conn.preparedQuery(DELETE_UNREFERENCED)
                    .execute(Tuple.tuple().addValue(messages.toArray(new Long[0])))
                    .map(ignored -> messages.size());
        }));
    }

    private static Future<List<Object>> ackBatch(SqlConnection conn, List<Ack> batch) {
        List<UUID> devices = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        for (Ack a : batch) {
            for (Long seq : a.seqs()) {
                devices.add(a.device());
                seqs.add(seq);
            }
        }
        return conn.preparedQuery(DELETE_ACKED)
                .execute(Tuple.tuple().addValue(devices.toArray(UUID[]::new)).addValue(seqs.toArray(Long[]::new)))
                .compose(rows -> {
                    Map<UUID, Integer> deleted = new HashMap<>();
                    Set<Long> messages = new HashSet<>();
                    for (Row r : rows) {
                        deleted.merge(r.getUUID(0), 1, Integer::sum);
                        messages.add(r.getLong(1));
                    }
                    Future<?> cleanup = messages.isEmpty() ? Future.succeededFuture()
                            : conn.preparedQuery(DELETE_UNREFERENCED).execute(Tuple.tuple().addValue(messages.toArray(Long[]::new)));
                    return cleanup.map(v -> {
                        // A device with two connections in one batch: its first ACK gets the whole count, later ones 0.
                        List<Object> out = new ArrayList<>(batch.size());
                        for (Ack a : batch) {
                            Integer n = deleted.remove(a.device());
                            out.add(n == null ? 0 : n);
                        }
                        return out;
                    });
                });
    }

    /** Deletes every message whose disappearing-message timer ran out (their inbox entries go with them). */
    Future<Integer> deleteExpired() {
        return pool.query("DELETE FROM conversation_messages WHERE expires_at <= now()").execute()
                .map(rows -> rows.rowCount());
    }

    private record Ack(UUID device, List<Long> seqs) {
    }
}
