package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.DeliveryKind;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Group commit for application messages and proposals: requests that arrive while earlier batches are in
 * PostgreSQL wait in a queue and go together in one transaction of two statements, so a burst of SENDs from many
 * connections costs one commit (one WAL flush) instead of one each.
 *
 * <p>The guarantees of a single relay hold for every request of a batch. The first statement takes a share lock
 * on every conversation the batch names, so no commit can change their epoch or membership until the batch
 * commits (a commit's {@code FOR UPDATE} waits, or the batch waits for the commit). The second statement, whose
 * snapshot is taken after those locks are held, checks per request that the conversation exists, that the sender
 * is a current member and that the epoch is the current one, records the payload's digest (a replay inserts
 * nothing and is refused, as a replay even when the epoch has moved on since, so a client resending a stored
 * ciphertext after a crash learns it was stored), stores the message and fills the inbox of every other current member. Each request
 * gets its own answer; the OK follows the commit. If the batch as a whole fails, each request is retried alone
 * ({@link ConversationStore#relayAlone}), so one request can never fail another.
 *
 * <p>A request whose payload repeats one already in the batch (same conversation and digest) waits for the next
 * batch, where it is refused as a replay exactly as it would have been alone. A conversation is in one running
 * batch at most, so its messages get ids and inbox SEQs in the order they were submitted (which lets a
 * connection submit its next SEND before the previous one is committed, {@link RequestOrder}).
 */
final class RelayBatcher {
    static final int MAX_BATCH = 256;
    static final int MAX_BATCHES_IN_FLIGHT = 4;

    private static final String LOCK = """
            SELECT id FROM conversations WHERE group_id = ANY($1::bytea[]) ORDER BY id FOR SHARE""";

    private static final String STORE = """
            WITH req AS (
                SELECT * FROM unnest($1::int[], $2::bytea[], $3::bigint[], $4::uuid[], $5::uuid[], $6::smallint[],
                                     $7::bytea[], $8::bytea[])
                    AS r(idx, group_id, epoch, sender_device, sender_user, kind, payload, digest)
            ), chk AS (
                SELECT r.*, c.id AS conversation_id, c.epoch AS current_epoch, c.ttl_seconds,
                       EXISTS (SELECT 1 FROM conversation_members m
                                WHERE m.conversation_id = c.id AND m.device_id = r.sender_device
                                  AND m.user_id = r.sender_user AND m.removed_epoch IS NULL) AS member,
                       EXISTS (SELECT 1 FROM conversation_message_digests d
                                WHERE d.conversation_id = c.id AND d.digest = r.digest) AS seen
                  FROM req r LEFT JOIN conversations c ON c.group_id = r.group_id
            ), dig AS (
                INSERT INTO conversation_message_digests (conversation_id, digest)
                SELECT conversation_id, digest FROM chk WHERE member AND current_epoch = epoch
                ON CONFLICT DO NOTHING
                RETURNING conversation_id, digest
            ), acc AS MATERIALIZED (
                SELECT chk.*, nextval('conversation_messages_id_seq') AS message_id
                  FROM chk JOIN dig USING (conversation_id, digest)
                 ORDER BY chk.idx
            ), msg AS (
                INSERT INTO conversation_messages (id, conversation_id, kind, epoch, sender_device, sender_user, payload,
                                                   expires_at)
                SELECT message_id, conversation_id, kind, epoch, sender_device, sender_user, payload,
                       CASE WHEN kind = $9 AND ttl_seconds IS NOT NULL THEN now() + make_interval(secs => ttl_seconds) END
                  FROM acc
                RETURNING id, (extract(epoch FROM created_at) * 1000)::bigint AS sent_at,
                          (extract(epoch FROM expires_at) * 1000)::bigint AS expires_at
            ), inbox AS (
                INSERT INTO device_inbox (device_id, message_id)
                SELECT m.device_id, a.message_id
                  FROM acc a JOIN conversation_members m
                    ON m.conversation_id = a.conversation_id AND m.device_id <> a.sender_device AND m.removed_epoch IS NULL
                 ORDER BY a.idx, m.device_id
                RETURNING seq, device_id, message_id
            )
            SELECT c.idx, c.conversation_id IS NOT NULL AS found, c.member, c.seen, c.current_epoch, a.message_id, msg.sent_at,
                   msg.expires_at, i.seq, i.device_id
              FROM chk c
              LEFT JOIN acc a ON a.idx = c.idx
              LEFT JOIN msg ON msg.id = a.message_id
              LEFT JOIN inbox i ON i.message_id = a.message_id
             ORDER BY c.idx, i.seq""";

    private final GroupCommit<Request, ConversationStore.Stored> commits;

    RelayBatcher(Pool pool, ConversationStore single) {
        GroupCommit<Request, ConversationStore.Stored> batches = new GroupCommit<>(MAX_BATCH, MAX_BATCHES_IN_FLIGHT,
                batch -> pool.withTransaction(conn -> store(conn, batch)),
                r -> single.relayAlone(r.sender, r.groupId, r.epoch, r.kind, r.payload),
                r -> ByteBuffer.allocate(r.groupId.length + r.digest.length).put(r.groupId).put(r.digest).flip(),
                r -> ByteBuffer.wrap(r.groupId));
        this.commits = batches.whenStored((r, stored) -> {
            if (r.whenStored != null) {
                r.whenStored.accept(stored);
            }
        });
    }

    /**
     * Queues one relay; completes like {@link ConversationStore#relayAlone}, on the caller's context.
     * {@code whenStored} runs first, as soon as the transaction has committed (see {@link GroupCommit#whenStored}).
     */
    Future<ConversationStore.Stored> relay(DeviceUri sender, byte[] groupId, long epoch, DeliveryKind kind, byte[] payload,
                                           java.util.function.Consumer<ConversationStore.Stored> whenStored) {
        return commits.submit(new Request(sender, groupId, epoch, kind, payload, ConversationStore.sha256(payload),
                whenStored));
    }

    private static Future<List<Object>> store(SqlConnection conn, List<Request> batch) {
        int n = batch.size();
        Integer[] idx = new Integer[n];
        Buffer[] groups = new Buffer[n];
        Long[] epochs = new Long[n];
        UUID[] devices = new UUID[n];
        UUID[] users = new UUID[n];
        Short[] kinds = new Short[n];
        Buffer[] payloads = new Buffer[n];
        Buffer[] digests = new Buffer[n];
        Map<ByteBuffer, Buffer> distinctGroups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Request r = batch.get(i);
            idx[i] = i;
            groups[i] = Buffer.buffer(r.groupId);
            epochs[i] = r.epoch;
            devices[i] = r.sender.device();
            users[i] = r.sender.user();
            kinds[i] = (short) r.kind.code();
            payloads[i] = Buffer.buffer(r.payload);
            digests[i] = Buffer.buffer(r.digest);
            distinctGroups.putIfAbsent(ByteBuffer.wrap(r.groupId), groups[i]);
        }
        Tuple args = Tuple.tuple().addValue(idx).addValue(groups).addValue(epochs).addValue(devices).addValue(users)
                .addValue(kinds).addValue(payloads).addValue(digests).addValue((short) DeliveryKind.APPLICATION.code());
        return conn.preparedQuery(LOCK).execute(Tuple.tuple().addValue(distinctGroups.values().toArray(Buffer[]::new)))
                .compose(locked -> conn.preparedQuery(STORE).execute(args))
                .map(rows -> results(batch, rows));
    }

    /** One result per request, in batch order: a {@link ConversationStore.Stored} or a {@link DeliveryException}. */
    private static List<Object> results(List<Request> batch, RowSet<Row> rows) {
        Map<Integer, Accepted> accepted = new LinkedHashMap<>();
        List<Object> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(null);
        }
        for (Row row : rows) {
            int i = row.getInteger("idx");
            Request r = batch.get(i);
            if (!row.getBoolean("found")) {
                out.set(i, new DeliveryException(ErrorCode.NOT_A_MEMBER, "no such conversation"));
            } else if (!row.getBoolean("member")) {
                out.set(i, new DeliveryException(ErrorCode.NOT_A_MEMBER, "sender is not a member"));
            } else if (row.getBoolean("seen")) {
                out.set(i, new DeliveryException(ErrorCode.REPLAY, "message already accepted"));
            } else if (row.getLong("current_epoch") != r.epoch) {
                out.set(i, new DeliveryException(ErrorCode.WRONG_EPOCH, "not the current epoch", row.getLong("current_epoch")));
            } else if (row.getLong("message_id") == null) {
                out.set(i, new DeliveryException(ErrorCode.REPLAY, "message already accepted"));
            } else {
                Accepted a = accepted.computeIfAbsent(i, k -> new Accepted(row.getLong("message_id"), row.getLong("sent_at"),
                        row.getLong("expires_at")));
                Long seq = row.getLong("seq");
                if (seq != null) {
                    a.entries.add(new InboxEntry(seq, row.getUUID("device_id"), r.kind, r.groupId, r.sender,
                            a.messageId, r.epoch, r.payload, List.of(), List.of(), a.sentAt, a.expiresAt));
                }
            }
        }
        accepted.forEach((i, a) -> out.set(i, new ConversationStore.Stored(a.messageId, batch.get(i).epoch, a.entries,
                a.expiresAt)));
        return out;
    }

    private static final class Accepted {
        final long messageId;
        final long sentAt;
        final Long expiresAt;
        final List<InboxEntry> entries = new ArrayList<>();

        Accepted(long messageId, long sentAt, Long expiresAt) {
            this.messageId = messageId;
            this.sentAt = sentAt;
            this.expiresAt = expiresAt;
        }
    }

    private record Request(DeviceUri sender, byte[] groupId, long epoch, DeliveryKind kind, byte[] payload,
                           byte[] digest, java.util.function.Consumer<ConversationStore.Stored> whenStored) {
    }
}
