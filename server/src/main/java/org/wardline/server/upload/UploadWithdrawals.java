package org.wardline.server.upload;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.wardline.storage.blob.BlobId;

import java.util.UUID;

/**
 * Whether an owner may take back a file they uploaded moments ago (a share the server then refused): only a committed
 * file of theirs, uploaded within the last hour, that no share link or conversation uses and no legal hold covers
 * (the owner held directly or through a team). A quarantined copy stays: the policy keeps it for the security officer.
 */
final class UploadWithdrawals {
    enum Answer { WITHDRAWABLE, NOT_FOUND, IN_USE }

    private final Pool pool;

    UploadWithdrawals(Pool pool) {
        this.pool = pool;
    }

    Future<Answer> check(BlobId id, UUID owner) {
        return pool.preparedQuery("""
                        SELECT o.state = 'COMMITTED' AND o.created_at > now() - interval '1 hour'
                           AND NOT EXISTS (SELECT 1 FROM share_links l WHERE l.object_id = o.object_id)
                           AND NOT EXISTS (SELECT 1 FROM conversation_attachments a WHERE a.object_id = o.object_id)
                           AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL
                                  AND ((h.scope = 'user' AND h.user_id = o.owner_id)
                                    OR (h.scope = 'team' AND h.team_id IN
                                           (SELECT tm.team_id FROM team_members tm WHERE tm.user_id = o.owner_id))))
                           AS withdrawable
                        FROM stored_objects o WHERE o.object_id = $1 AND o.owner_id = $2 AND o.state <> 'DELETED'""")
                .execute(Tuple.of(id.value(), owner)).map(rows -> {
                    if (rows.size() == 0) {
                        return Answer.NOT_FOUND;
                    }
                    return Boolean.TRUE.equals(rows.iterator().next().getBoolean("withdrawable"))
                            ? Answer.WITHDRAWABLE : Answer.IN_USE;
                });
    }
}
