package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.FrameCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Tells the members of the conversations a custodian-required legal hold covers that it was placed or released: one
 * {@link DeliveryKind#LEGAL_HOLD_CHANGED} delivery per conversation in every current member device's inbox (so a
 * device that is offline finds it on HELLO), pushed to live connections. The notice carries no hold details; a
 * member asks {@code GET /v1/legal-holds/custodian-requirements} what to add or remove (ADR 0010).
 */
public final class LegalHoldNotices {
    private static final String COVERED = """
            SELECT c.id, c.group_id, c.epoch FROM conversations c JOIN legal_holds h ON h.id = $1
             WHERE h.scope = 'conversation' AND h.conversation_id = c.id
                OR h.scope = 'user' AND EXISTS (SELECT 1 FROM conversation_members hm WHERE hm.conversation_id = c.id
                                                 AND hm.user_id = h.user_id AND hm.removed_epoch IS NULL)
                OR h.scope = 'team' AND EXISTS (SELECT 1 FROM conversation_members hm JOIN team_members t ON t.user_id = hm.user_id
                                                 WHERE hm.conversation_id = c.id AND t.team_id = h.team_id AND hm.removed_epoch IS NULL)
             ORDER BY c.id""";

    private final Vertx vertx;
    private final Pool pool;

    public LegalHoldNotices(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    /** Notifies every conversation {@code hold} covers; {@code by} is the admin's device. @return conversations notified */
    public Future<Integer> notify(UUID hold, DeviceUri by) {
        return pool.withTransaction(conn -> conn.preparedQuery(COVERED).execute(Tuple.of(hold)).compose(rows -> {
                    List<Row> conversations = new ArrayList<>();
                    rows.forEach(conversations::add);
                    Future<List<InboxEntry>> all = Future.succeededFuture(new ArrayList<>());
                    for (Row c : conversations) {
                        all = all.compose(list -> conn.preparedQuery("""
                                        WITH m AS (INSERT INTO conversation_messages
                                                       (conversation_id, kind, epoch, sender_device, sender_user, payload)
                                                   VALUES ($1, $2, $3, $4, $5, $6)
                                                   RETURNING id, (extract(epoch FROM created_at) * 1000)::bigint AS sent_at)
                                        INSERT INTO device_inbox (device_id, message_id)
                                        SELECT cm.device_id, m.id FROM conversation_members cm, m
                                         WHERE cm.conversation_id = $1 AND cm.removed_epoch IS NULL
                                        RETURNING seq, device_id, message_id, (SELECT sent_at FROM m) AS sent_at""")
                                .execute(Tuple.of(c.getLong("id"), (short) DeliveryKind.LEGAL_HOLD_CHANGED.code(),
                                        c.getLong("epoch"), by.device(), by.user(), Buffer.buffer()))
                                .map(inserted -> {
                                    for (Row r : inserted) {
                                        list.add(new InboxEntry(r.getLong("seq"), r.getUUID("device_id"),
                                                DeliveryKind.LEGAL_HOLD_CHANGED, c.getBuffer("group_id").getBytes(), by,
                                                r.getLong("message_id"), c.getLong("epoch"), new byte[0], List.of(), List.of(),
                                                r.getLong("sent_at")));
                                    }
                                    return list;
                                }));
                    }
                    return all.map(entries -> new Notified(conversations.size(), entries));
                }))
                .map(n -> {
                    for (InboxEntry e : n.entries()) {
                        vertx.eventBus().publish(DeliveryService.address(e.recipient()), Buffer.buffer(FrameCodec.encode(e.toFrame())),
                                new DeliveryOptions().addHeader(DeliveryService.SEQ_HEADER, Long.toString(e.seq())));
                    }
                    return n.conversations();
                });
    }

    private record Notified(int conversations, List<InboxEntry> entries) {
    }
}
