package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.FrameCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Takes a wiped device out of the delivery service at once, without waiting for any member: in one transaction it
 * is marked removed from every conversation at the current epoch (nothing is fanned out to it any more), its inbox
 * and key packages are deleted, and every remaining member gets a {@link DeliveryKind#REMOVAL_REQUEST} asking it to
 * commit the device's removal from the MLS group, which only a member can do here (ADR 0006). In conversations
 * created with the server as MLS external sender, whose roster names the device's leaf, the members get a
 * server-signed external Remove proposal instead ({@link ExternalRemovalIssuer}).
 */
public final class DeviceRemoval {
    private final Vertx vertx;
    private final Pool pool;
    private final ExternalRemovalIssuer issuer;

    public DeviceRemoval(Vertx vertx, Pool pool) {
        this(vertx, pool, null);
    }

    /** With {@code issuer} null, every conversation gets a REMOVAL_REQUEST. */
    public DeviceRemoval(Vertx vertx, Pool pool, ExternalRemovalIssuer issuer) {
        this.vertx = vertx;
        this.pool = pool;
        this.issuer = issuer;
    }

    /** What the removal did. */
    public record Result(int conversations, int keyPackagesDeleted, int inboxEntriesDeleted, int removalRequests,
                         int externalProposals) {
        public Result(int conversations, int keyPackagesDeleted, int inboxEntriesDeleted, int removalRequests) {
            this(conversations, keyPackagesDeleted, inboxEntriesDeleted, removalRequests, 0);
        }
    }

    public Future<Result> remove(DeviceUri device) {
        List<Long> external = new ArrayList<>();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        SELECT c.id, c.group_id, c.epoch, c.external_sender, ro.leaf_index FROM conversations c
                          JOIN conversation_members m ON m.conversation_id = c.id
                          LEFT JOIN conversation_rosters ro ON ro.conversation_id = c.id AND ro.epoch = c.epoch
                                                           AND ro.device_id = m.device_id
                         WHERE m.device_id = $1 AND m.removed_epoch IS NULL
                         ORDER BY c.id FOR UPDATE OF c""")
                .execute(Tuple.of(device.device()))
                .compose(rows -> {
                    List<Row> groups = new ArrayList<>();
                    rows.forEach(groups::add);
                    Future<List<InboxEntry>> requests = Future.succeededFuture(new ArrayList<>());
                    for (Row g : groups) {
                        if (issuer != null && g.getBoolean("external_sender") && g.getInteger("leaf_index") != null) {
                            long id = g.getLong("id");
                            external.add(id);
                            requests = requests.compose(all -> pendExternal(conn, device, id).map(all));
                            continue;
                        }
                        requests = requests.compose(all -> removeFrom(conn, device, g.getLong("id"),
                                g.getBuffer("group_id").getBytes(), g.getLong("epoch")).map(entries -> {
                            all.addAll(entries);
                            return all;
                        }));
                    }
                    return requests.compose(entries -> conn.preparedQuery("DELETE FROM device_inbox WHERE device_id = $1")
                            .execute(Tuple.of(device.device()))
                            .compose(inbox -> conn.preparedQuery("DELETE FROM mls_key_packages WHERE device_id = $1")
                                    .execute(Tuple.of(device.device()))
                                    .map(kps -> new Outcome(new Result(groups.size(), kps.rowCount(), inbox.rowCount(),
                                            entries.size()), entries))));
                }))
                .compose(outcome -> {
                    publish(outcome.entries());
                    Result r = outcome.result();
                    return issuer == null || external.isEmpty() ? Future.succeededFuture(r) : issuer.issue(external)
                            .map(n -> new Result(r.conversations(), r.keyPackagesDeleted(), r.inboxEntriesDeleted(),
                                    r.removalRequests(), n));
                });
    }

    /** Takes the device out of delivery in the conversation and records its removal for the issuer. */
    private static Future<Void> pendExternal(SqlConnection conn, DeviceUri device, long conversation) {
        return conn.preparedQuery("""
                        UPDATE conversation_members m SET removed_epoch = c.epoch FROM conversations c
                         WHERE c.id = $1 AND m.conversation_id = $1 AND m.device_id = $2 AND m.removed_epoch IS NULL""")
                .execute(Tuple.of(conversation, device.device()))
                .compose(v -> conn.preparedQuery("""
                                INSERT INTO mls_external_removals (conversation_id, device_id, user_id) VALUES ($1, $2, $3)
                                ON CONFLICT DO NOTHING""")
                        .execute(Tuple.of(conversation, device.device(), device.user())))
                .mapEmpty();
    }

    /** A REMOVAL_REQUEST to every remaining member, for conversations without the external sender or roster. */
    static Future<List<InboxEntry>> requestRemoval(SqlConnection conn, DeviceUri device, long conversation,
                                                   byte[] groupId, long epoch) {
        return removeFrom(conn, device, conversation, groupId, epoch);
    }

    private static Future<List<InboxEntry>> removeFrom(SqlConnection conn, DeviceUri device, long conversation,
                                                       byte[] groupId, long epoch) {
        String[] removed = {device.toString()};
        return conn.preparedQuery("""
                        UPDATE conversation_members SET removed_epoch = $3
                         WHERE conversation_id = $1 AND device_id = $2 AND removed_epoch IS NULL""")
                .execute(Tuple.of(conversation, device.device(), epoch))
                .compose(v -> conn.preparedQuery("""
                                INSERT INTO conversation_messages
                                    (conversation_id, kind, epoch, sender_device, sender_user, payload, removed)
                                VALUES ($1, $2, $3, $4, $5, $6, $7)
                                RETURNING id, (extract(epoch FROM created_at) * 1000)::bigint AS sent_at""")
                        .execute(Tuple.from(List.of(conversation, (short) DeliveryKind.REMOVAL_REQUEST.code(), epoch,
                                device.device(), device.user(), Buffer.buffer(), removed))))
                .compose(inserted -> {
                    Row m = inserted.iterator().next();
                    long messageId = m.getLong("id");
                    long sentAt = m.getLong("sent_at");
                    return conn.preparedQuery("""
                                    INSERT INTO device_inbox (device_id, message_id)
                                    SELECT device_id, $2 FROM conversation_members
                                     WHERE conversation_id = $1 AND removed_epoch IS NULL
                                    RETURNING seq, device_id""")
                            .execute(Tuple.of(conversation, messageId))
                            .map(rows -> {
                                List<InboxEntry> entries = new ArrayList<>();
                                for (Row r : rows) {
                                    entries.add(new InboxEntry(r.getLong("seq"), r.getUUID("device_id"),
                                            DeliveryKind.REMOVAL_REQUEST, groupId, device, messageId, epoch, new byte[0],
                                            List.of(), List.of(removed), sentAt));
                                }
                                return entries;
                            });
                });
    }

    private void publish(List<InboxEntry> entries) {
        for (InboxEntry e : entries) {
            vertx.eventBus().publish(DeliveryService.address(e.recipient()), Buffer.buffer(FrameCodec.encode(e.toFrame())),
                    new DeliveryOptions().addHeader(DeliveryService.SEQ_HEADER, Long.toString(e.seq())));
        }
    }

    private record Outcome(Result result, List<InboxEntry> entries) {
    }
}
