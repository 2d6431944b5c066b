package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Per-device inboxes in PostgreSQL: the backlog a device gets on HELLO, acknowledgement (which deletes the entry,
 * and the message once no inbox holds it), and expiry of disappearing messages.
 */
final class InboxStore {
    static final String SELECT_ENTRIES = """
            SELECT i.seq, i.device_id, m.id AS message_id, m.kind, m.epoch, m.sender_device, m.sender_user, m.payload,
                   m.added, m.removed, m.ref_message_id, (extract(epoch FROM m.created_at) * 1000)::bigint AS sent_at,
                   c.group_id
              FROM device_inbox i
              JOIN conversation_messages m ON m.id = i.message_id
              JOIN conversations c ON c.id = m.conversation_id
            """;
    private static final int PAGE = 200;

    private final Pool pool;

    InboxStore(Pool pool) {
        this.pool = pool;
    }

    /** Up to one page of the device's entries after {@code afterSeq}, in SEQ order. */
    Future<List<InboxEntry>> page(UUID device, long afterSeq) {
        return pool.preparedQuery(SELECT_ENTRIES + " WHERE i.device_id = $1 AND i.seq > $2 ORDER BY i.seq LIMIT " + PAGE)
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

    Future<Long> pending(UUID device) {
        return pool.preparedQuery("SELECT count(*) FROM device_inbox WHERE device_id = $1").execute(Tuple.of(device))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Deletes the device's entries with these SEQs (others' entries are untouched); returns how many. */
    Future<Integer> ack(UUID device, List<Long> seqs) {
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
            return conn.preparedQuery("""
                            DELETE FROM conversation_messages m WHERE m.id = ANY($1)
                               AND NOT EXISTS (SELECT 1 FROM device_inbox i WHERE i.message_id = m.id)""")
                    .execute(Tuple.tuple().addValue(messages.toArray(new Long[0])))
                    .map(ignored -> messages.size());
        }));
    }

    /** Deletes every message whose disappearing-message timer ran out (their inbox entries go with them). */
    Future<Integer> deleteExpired() {
        return pool.query("DELETE FROM conversation_messages WHERE expires_at <= now()").execute()
                .map(rows -> rows.rowCount());
    }
}
