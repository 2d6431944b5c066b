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

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Conversations, membership and the messages relayed in them, each write one PostgreSQL transaction that also
 * fills the recipients' inboxes, so the sender's OK can follow the commit. Commits are serialized per group by a
 * row lock on the conversation plus a conditional update of its epoch, which holds across server nodes;
 * application messages take a share lock, so they are ordered against commits.
 */
final class ConversationStore {
    private static final String CONVERSATION_FOR_UPDATE = "SELECT id, epoch, ttl_seconds FROM conversations WHERE group_id = $1 FOR UPDATE";
    private static final String CONVERSATION_FOR_SHARE = "SELECT id, epoch, ttl_seconds FROM conversations WHERE group_id = $1 FOR SHARE";

    private final Pool pool;
    private final RelayBatcher batcher;

    ConversationStore(Pool pool) {
        this.pool = pool;
        this.batcher = new RelayBatcher(pool, this);
    }

    Future<Void> create(byte[] groupId, DeviceUri creator, Long ttlSeconds) {
        return create(groupId, creator, ttlSeconds, false);
    }

    /**
     * With {@code externalSender}, the group names the server as MLS external sender; its roster at epoch 0 is the
     * creator at leaf 0.
     */
    Future<Void> create(byte[] groupId, DeviceUri creator, Long ttlSeconds, boolean externalSender) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO conversations (group_id, created_by, ttl_seconds, external_sender) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (group_id) DO NOTHING RETURNING id""")
                .execute(Tuple.of(Buffer.buffer(groupId), creator.user(), ttlSeconds, externalSender))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new DeliveryException(ErrorCode.CONVERSATION_EXISTS, "group ID taken"));
                    }
                    long id = rows.iterator().next().getLong(0);
                    return conn.preparedQuery("""
                                    INSERT INTO conversation_members (conversation_id, device_id, user_id, joined_epoch)
                                    VALUES ($1, $2, $3, 0)""")
                            .execute(Tuple.of(id, creator.device(), creator.user()))
                            .compose(v -> externalSender ? Rosters.record(conn, id, 0, java.util.Map.of(0, creator))
                                    : Future.<Void>succeededFuture());
                }));
    }

    /** Accepts a commit for {@code epoch} and fills the inboxes; fails with an epoch conflict if another won. */
    Future<Stored> commit(DeviceUri sender, byte[] groupId, long epoch, byte[] commit, byte[] welcome,
                          List<DeviceUri> added, List<DeviceUri> removed) {
        return pool.withTransaction(conn -> locked(conn, CONVERSATION_FOR_UPDATE, groupId, sender).compose(c -> {
            if (c.epoch() != epoch) {
                return Future.failedFuture(new DeliveryException(ErrorCode.EPOCH_CONFLICT, "epoch already committed", c.epoch()));
            }
            long next = epoch + 1;
            return conn.preparedQuery("UPDATE conversations SET epoch = epoch + 1 WHERE id = $1 AND epoch = $2")
                    .execute(Tuple.of(c.id(), epoch))
                    .compose(updated -> updated.rowCount() == 1 ? recordDigest(conn, c.id(), commit)
                            : Future.failedFuture(new DeliveryException(ErrorCode.EPOCH_CONFLICT, "epoch already committed", epoch + 1)))
                    .compose(v -> applyMembership(conn, c.id(), next, added, removed))
                    .compose(v -> insertMessage(conn, c, DeliveryKind.COMMIT, epoch, sender, commit, added, removed, null, false))
                    .compose(m -> fanOut(conn, c.id(), m, sender, groupId, """
                            SELECT device_id FROM conversation_members WHERE conversation_id = $1 AND device_id <> $2
                               AND (removed_epoch IS NULL OR removed_epoch = $3) AND NOT (device_id = ANY($4))""",
                            Tuple.of(c.id(), sender.device(), next, deviceIds(added)))
                            .compose(commitEntries -> welcome == null ? Future.succeededFuture(commitEntries)
                                    : insertMessage(conn, c, DeliveryKind.WELCOME, next, sender, welcome, added, List.of(), null, false)
                                    .compose(w -> fanOut(conn, c.id(), w, sender, groupId,
                                            "SELECT unnest($2::uuid[]) WHERE $1::bigint IS NOT NULL", Tuple.tuple().addValue(c.id()).addValue(deviceIds(added))))
                                    .map(welcomes -> concat(commitEntries, welcomes)))
                            .map(entries -> new Stored(m.id(), next, entries)));
        }));
    }

    /**
     * Stores an application message or proposal for the current epoch and fills every other member's inbox, in a
     * transaction shared with the other relays arriving meanwhile ({@link RelayBatcher}).
     */
    Future<Stored> relay(DeviceUri sender, byte[] groupId, long epoch, DeliveryKind kind, byte[] payload) {
        return relay(sender, groupId, epoch, kind, payload, null);
    }

    /** {@link #relay}, running {@code whenStored} as soon as the message is committed, before the answer's context hop. */
    Future<Stored> relay(DeviceUri sender, byte[] groupId, long epoch, DeliveryKind kind, byte[] payload,
                         java.util.function.Consumer<Stored> whenStored) {
        return batcher.relay(sender, groupId, epoch, kind, payload, whenStored);
    }

    /** {@link #relay} in a transaction of its own. */
    Future<Stored> relayAlone(DeviceUri sender, byte[] groupId, long epoch, DeliveryKind kind, byte[] payload) {
        return pool.withTransaction(conn -> locked(conn, CONVERSATION_FOR_SHARE, groupId, sender).compose(c -> {
            return recordDigest(conn, c.id(), payload) // a replay is one whatever the epoch (RelayBatcher)
                    .compose(v -> c.epoch() == epoch ? Future.<Void>succeededFuture()
                            : Future.failedFuture(new DeliveryException(ErrorCode.WRONG_EPOCH, "not the current epoch", c.epoch())))
                    .compose(v -> insertMessage(conn, c, kind, epoch, sender, payload, List.of(), List.of(), null,
                            kind == DeliveryKind.APPLICATION))
                    .compose(m -> fanOut(conn, c.id(), m, sender, groupId, """
                                    SELECT device_id FROM conversation_members
                                     WHERE conversation_id = $1 AND device_id <> $2 AND removed_epoch IS NULL""",
                            Tuple.of(c.id(), sender.device()))
                            .map(entries -> new Stored(m.id(), epoch, entries, m.expiresAt())));
        }));
    }

    /** Relays a delivery or read receipt to the device that sent message {@code messageId}. */
    Future<Stored> receipt(DeviceUri sender, byte[] groupId, long messageId, DeviceUri originalSender, int receiptKind) {
        return pool.withTransaction(conn -> locked(conn, CONVERSATION_FOR_SHARE, groupId, sender).compose(c -> conn
                .preparedQuery("SELECT 1 FROM conversation_members WHERE conversation_id = $1 AND device_id = $2")
                .execute(Tuple.of(c.id(), originalSender.device()))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(new DeliveryException(ErrorCode.NOT_A_MEMBER, "receipt for a non-member"))
                        : insertMessage(conn, c, DeliveryKind.RECEIPT, c.epoch(), sender, new byte[] {(byte) receiptKind},
                        List.of(), List.of(), messageId, false))
                .compose(m -> fanOut(conn, c.id(), m, sender, groupId, "SELECT $2::uuid WHERE $1::bigint IS NOT NULL",
                        Tuple.of(c.id(), originalSender.device())).map(entries -> new Stored(m.id(), c.epoch(), entries)))));
    }

    private static Future<Conversation> locked(SqlConnection conn, String sql, byte[] groupId, DeviceUri sender) {
        return conn.preparedQuery(sql).execute(Tuple.of(Buffer.buffer(groupId))).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(new DeliveryException(ErrorCode.NOT_A_MEMBER, "no such conversation"));
            }
            Row r = rows.iterator().next();
            Conversation c = new Conversation(r.getLong("id"), r.getLong("epoch"), r.getLong("ttl_seconds"));
            return conn.preparedQuery("""
                            SELECT 1 FROM conversation_members
                             WHERE conversation_id = $1 AND device_id = $2 AND user_id = $3 AND removed_epoch IS NULL""")
                    .execute(Tuple.of(c.id(), sender.device(), sender.user()))
                    .compose(m -> m.size() == 1 ? Future.succeededFuture(c)
                            : Future.failedFuture(new DeliveryException(ErrorCode.NOT_A_MEMBER, "sender is not a member")));
        });
    }

    private static Future<Void> recordDigest(SqlConnection conn, long conversation, byte[] payload) {
        return conn.preparedQuery("""
                        INSERT INTO conversation_message_digests (conversation_id, digest) VALUES ($1, $2)
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(conversation, Buffer.buffer(sha256(payload))))
                .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new DeliveryException(ErrorCode.REPLAY, "message already accepted")));
    }

    private static Future<Void> applyMembership(SqlConnection conn, long conversation, long epoch,
                                                List<DeviceUri> added, List<DeviceUri> removed) {
        Future<RowSet<Row>> removal = conn.preparedQuery("""
                        UPDATE conversation_members SET removed_epoch = $3
                         WHERE conversation_id = $1 AND device_id = ANY($2) AND removed_epoch IS NULL""")
                .execute(Tuple.of(conversation, deviceIds(removed), epoch));
        return removal.compose(v -> {
            if (added.isEmpty()) {
                return Future.succeededFuture();
            }
            List<Tuple> batch = new ArrayList<>();
            added.forEach(d -> batch.add(Tuple.of(conversation, d.device(), d.user(), epoch)));
            return conn.preparedQuery("""
                            INSERT INTO conversation_members (conversation_id, device_id, user_id, joined_epoch)
                            VALUES ($1, $2, $3, $4)
                            ON CONFLICT (conversation_id, device_id)
                            DO UPDATE SET removed_epoch = NULL, joined_epoch = EXCLUDED.joined_epoch, user_id = EXCLUDED.user_id""")
                    .executeBatch(batch).mapEmpty();
        });
    }

    private static Future<Message> insertMessage(SqlConnection conn, Conversation c, DeliveryKind kind, long epoch,
                                                 DeviceUri sender, byte[] payload, List<DeviceUri> added,
                                                 List<DeviceUri> removed, Long ref, boolean expires) {
        Long ttl = expires ? c.ttlSeconds() : null;
        return conn.preparedQuery("""
                        INSERT INTO conversation_messages
                            (conversation_id, kind, epoch, sender_device, sender_user, payload, added, removed, ref_message_id, expires_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10::bigint IS NULL THEN NULL
                                                                      ELSE now() + make_interval(secs => $10::bigint) END)
                        RETURNING id, (extract(epoch FROM created_at) * 1000)::bigint AS sent_at,
                                  (extract(epoch FROM expires_at) * 1000)::bigint AS expires_at""")
                .execute(Tuple.from(List.of(c.id(), (short) kind.code(), epoch, sender.device(), sender.user(),
                        Buffer.buffer(payload), uris(added), uris(removed))).addValue(ref).addValue(ttl))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Message(r.getLong("id"), kind, epoch, payload, uris(added), uris(removed),
                            r.getLong("sent_at"), ref, r.getLong("expires_at"));
                });
    }

    private static Future<List<InboxEntry>> fanOut(SqlConnection conn, long conversation, Message m, DeviceUri sender,
                                                   byte[] groupId, String recipientsSql, Tuple recipientArgs) {
        int n = recipientArgs.size();
        Tuple args = recipientArgs.addValue(m.id());
        return conn.preparedQuery("INSERT INTO device_inbox (device_id, message_id) SELECT r.d, $" + (n + 1)
                        + "::bigint FROM (" + recipientsSql + ") AS r(d) RETURNING seq, device_id")
                .execute(args)
                .map(rows -> {
                    List<InboxEntry> entries = new ArrayList<>();
                    for (Row r : rows) {
                        entries.add(new InboxEntry(r.getLong("seq"), r.getUUID("device_id"), m.kind(), groupId, sender,
                                m.ref() != null ? m.ref() : m.id(), m.epoch(), m.payload(), List.of(m.added()),
                                List.of(m.removed()), m.sentAt(), m.expiresAt()));
                    }
                    return entries;
                });
    }

    private static UUID[] deviceIds(List<DeviceUri> devices) {
        return devices.stream().map(DeviceUri::device).toArray(UUID[]::new);
    }

    private static String[] uris(List<DeviceUri> devices) {
        return devices.stream().map(DeviceUri::toString).toArray(String[]::new);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Conversation(long id, long epoch, Long ttlSeconds) {
    }

    private record Message(long id, DeliveryKind kind, long epoch, byte[] payload, String[] added, String[] removed,
                           long sentAt, Long ref, Long expiresAt) {
    }

    /**
     * A stored message: its ID, the conversation's epoch after it, the inbox entries it made, and when it disappears
     * (ms since 1970; null when it does not).
     */
    record Stored(long messageId, long epoch, List<InboxEntry> deliveries, Long expiresAt) {
        Stored(long messageId, long epoch, List<InboxEntry> deliveries) {
            this(messageId, epoch, deliveries, null);
        }
    }
}
