package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.ExternalSenderSigner;
import org.wardline.protocol.wire.DeliveryKind;
import org.wardline.protocol.wire.FrameCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs and delivers the server's external Remove proposals (docs/adr/0006-remote-wipe.md). A pending removal
 * ({@code mls_external_removals}) is issued once per epoch: at the wipe, and again after every commit that moves
 * the epoch without removing the device, until a member commits it. The leaf index comes from the roster the
 * last committer reported; without one for the current epoch, the members get a {@code REMOVAL_REQUEST} instead.
 * Signing (ECDSA P-384) runs on a worker thread.
 */
public final class ExternalRemovalIssuer {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalRemovalIssuer.class);

    private final Vertx vertx;
    private final Pool pool;
    private final ExternalSenderSigner signer;

    public ExternalRemovalIssuer(Vertx vertx, Pool pool, ExternalSenderSigner signer) {
        this.vertx = vertx;
        this.pool = pool;
        this.signer = signer;
    }

    ExternalSenderSigner signer() {
        return signer;
    }

    /** Issues every pending removal of these conversations not yet issued at their current epoch; counts proposals. */
    Future<Integer> issue(List<Long> conversations) {
        Future<Integer> all = Future.succeededFuture(0);
        for (long c : conversations) {
            all = all.compose(n -> issue(c).map(k -> n + k));
        }
        return all;
    }

    private Future<Integer> issue(long conversation) {
        return pool.preparedQuery("""
                        SELECT c.group_id, c.epoch, r.device_id, r.user_id, ro.leaf_index
                          FROM mls_external_removals r
                          JOIN conversations c ON c.id = r.conversation_id
                          LEFT JOIN conversation_rosters ro ON ro.conversation_id = c.id AND ro.epoch = c.epoch
                                                           AND ro.device_id = r.device_id
                         WHERE r.conversation_id = $1 AND (r.issued_epoch IS NULL OR r.issued_epoch < c.epoch)""")
                .execute(Tuple.of(conversation))
                .compose(rows -> {
                    Future<Integer> issued = Future.succeededFuture(0);
                    for (Row r : rows) {
                        Pending p = new Pending(conversation, r.getBuffer("group_id").getBytes(), r.getLong("epoch"),
                                DeviceUri.of(r.getUUID("user_id"), r.getUUID("device_id")), r.getInteger("leaf_index"));
                        issued = issued.compose(n -> issueOne(p).map(ok -> ok ? n + 1 : n));
                    }
                    return issued;
                });
    }

    /** True when a signed proposal was stored; false when another node or a later epoch got there first. */
    private Future<Boolean> issueOne(Pending p) {
        Future<byte[]> proposal = p.leaf() == null ? Future.succeededFuture(null)
                : vertx.executeBlocking(() -> signer.removal(p.groupId(), p.epoch(), p.leaf()), false);
        return proposal.compose(signed -> pool.withTransaction(conn -> conn
                        .preparedQuery("SELECT epoch FROM conversations WHERE id = $1 FOR SHARE")
                        .execute(Tuple.of(p.conversation()))
                        .compose(rows -> rows.iterator().next().getLong("epoch") != p.epoch()
                                ? Future.succeededFuture(List.<InboxEntry>of()) : claim(conn, p).compose(claimed -> !claimed
                                ? Future.succeededFuture(List.<InboxEntry>of())
                                : signed == null
                                ? DeviceRemoval.requestRemoval(conn, p.device(), p.conversation(), p.groupId(), p.epoch())
                                : store(conn, p, signed)))))
                .map(entries -> {
                    publish(entries);
                    return p.leaf() != null && !entries.isEmpty();
                });
    }

    private static Future<Boolean> claim(SqlConnection conn, Pending p) {
        return conn.preparedQuery("""
                        UPDATE mls_external_removals SET issued_epoch = $3
                         WHERE conversation_id = $1 AND device_id = $2 AND (issued_epoch IS NULL OR issued_epoch < $3)""")
                .execute(Tuple.of(p.conversation(), p.device().device(), p.epoch()))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Future<List<InboxEntry>> store(SqlConnection conn, Pending p, byte[] proposal) {
        String[] removed = {p.device().toString()};
        return conn.preparedQuery("""
                        INSERT INTO conversation_messages
                            (conversation_id, kind, epoch, sender_device, sender_user, payload, removed)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        RETURNING id, (extract(epoch FROM created_at) * 1000)::bigint AS sent_at""")
                .execute(Tuple.from(List.of(p.conversation(), (short) DeliveryKind.EXTERNAL_PROPOSAL.code(), p.epoch(),
                        p.device().device(), p.device().user(), Buffer.buffer(proposal), removed)))
                .compose(inserted -> {
                    Row m = inserted.iterator().next();
                    long messageId = m.getLong("id");
                    long sentAt = m.getLong("sent_at");
                    return conn.preparedQuery("""
                                    INSERT INTO device_inbox (device_id, message_id)
                                    SELECT device_id, $2 FROM conversation_members
                                     WHERE conversation_id = $1 AND removed_epoch IS NULL
                                    RETURNING seq, device_id""")
                            .execute(Tuple.of(p.conversation(), messageId))
                            .map(rows -> {
                                List<InboxEntry> entries = new ArrayList<>();
                                for (Row r : rows) {
                                    entries.add(new InboxEntry(r.getLong("seq"), r.getUUID("device_id"),
                                            DeliveryKind.EXTERNAL_PROPOSAL, p.groupId(), p.device(), messageId, p.epoch(),
                                            proposal, List.of(), List.of(removed), sentAt));
                                }
                                return entries;
                            });
                });
    }

    /**
     * After an accepted commit: records the roster it reported and settles the pending removals it carried out (the
     * device is in REMOVED or missing from the roster), then, without being waited for, issues the rest for the new
     * epoch. Never fails: a roster not recorded only sends a later wipe down the REMOVAL_REQUEST path.
     */
    Future<Void> afterCommit(byte[] groupId, long epoch, Map<Integer, DeviceUri> roster, List<DeviceUri> removed) {
        UUID[] gone = removed.stream().map(DeviceUri::device).toArray(UUID[]::new);
        UUID[] present = roster.values().stream().map(DeviceUri::device).toArray(UUID[]::new);
        Future<Long> recorded = pool.withTransaction(conn -> conn.preparedQuery("SELECT id FROM conversations WHERE group_id = $1 AND external_sender")
                        .execute(Tuple.of(Buffer.buffer(groupId)))
                        .compose(rows -> {
                            if (rows.size() == 0) {
                                return Future.succeededFuture((Long) null);
                            }
                            long id = rows.iterator().next().getLong("id");
                            return Rosters.record(conn, id, epoch, roster)
                                    .compose(v -> conn.preparedQuery("""
                                                    DELETE FROM mls_external_removals
                                                     WHERE conversation_id = $1
                                                       AND (device_id = ANY($2) OR ($4 AND NOT (device_id = ANY($3))))""")
                                            .execute(Tuple.of(id, gone, present, !roster.isEmpty())))
                                    .map(v -> id);
                        }));
        // The roster is recorded before the commit is answered; signing and re-issuing need not delay the answer.
        recorded.onSuccess(id -> {
            if (id != null) {
                issue(id).onFailure(e -> LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName())
                        .log("external removal not re-issued after a commit"));
            }
        });
        return recorded.recover(e -> {
            LOG.atWarn().addKeyValue("errorType", e.getClass().getSimpleName()).log("commit roster not recorded");
            return Future.succeededFuture();
        }).mapEmpty();
    }

    private void publish(List<InboxEntry> entries) {
        for (InboxEntry e : entries) {
            vertx.eventBus().publish(DeliveryService.address(e.recipient()), Buffer.buffer(FrameCodec.encode(e.toFrame())),
                    new DeliveryOptions().addHeader(DeliveryService.SEQ_HEADER, Long.toString(e.seq())));
        }
    }

    private record Pending(long conversation, byte[] groupId, long epoch, DeviceUri device, Integer leaf) {
    }
}
