package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.mls.DeviceUri;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The leaf rosters committers report (COMMIT's ROSTER, protocol/PROTOCOL.md), kept for the latest epoch of each
 * conversation created with the server as external sender: the server keeps no ratchet trees, and needs a wiped
 * device's leaf index for its external Remove. Unverified by design: members check the leaf's credential.
 */
final class Rosters {
    private Rosters() {
    }

    /** Replaces the conversation's roster by {@code leaves} at {@code epoch}, if it has the external sender. */
    static Future<Void> record(SqlConnection conn, long conversation, long epoch, Map<Integer, DeviceUri> leaves) {
        return conn.preparedQuery("DELETE FROM conversation_rosters WHERE conversation_id = $1 AND epoch < $2")
                .execute(Tuple.of(conversation, epoch))
                .compose(v -> {
                    if (leaves.isEmpty()) {
                        return Future.succeededFuture();
                    }
                    List<Tuple> rows = new ArrayList<>();
                    leaves.forEach((index, d) -> rows.add(Tuple.of(conversation, epoch, index, d.device(), d.user())));
                    return conn.preparedQuery("""
                                    INSERT INTO conversation_rosters (conversation_id, epoch, leaf_index, device_id, user_id)
                                    SELECT $1, $2, $3, $4, $5 FROM conversations WHERE id = $1 AND external_sender
                                    ON CONFLICT DO NOTHING""")
                            .executeBatch(rows).mapEmpty();
                });
    }
}
