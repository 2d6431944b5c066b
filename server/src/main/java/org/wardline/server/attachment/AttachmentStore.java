package org.wardline.server.attachment;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.wardline.server.upload.FileReadGrants;
import org.wardline.storage.blob.BlobId;

import java.util.Optional;
import java.util.UUID;

/**
 * The {@code conversation_attachments} table: which files were shared into which conversations. It reads the
 * delivery service's membership table ({@code conversation_members}) but never writes it: membership stays the
 * delivery service's, and a device removed there loses every attachment of the conversation on its next request.
 */
public final class AttachmentStore implements FileReadGrants {
    private final Pool pool;

    public AttachmentStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records that {@code device} shared {@code file} into the conversation {@code groupId}; sharing the same file
     * again is a no-op.
     *
     * @return the conversation's row ID, or empty when the conversation does not exist or the device is not a
     *         current member of it
     */
    public Future<Optional<Long>> share(byte[] groupId, BlobId file, UUID user, UUID device) {
        return pool.preparedQuery("""
                        INSERT INTO conversation_attachments (conversation_id, object_id, shared_by_user, shared_by_device)
                        SELECT m.conversation_id, $2, $3, $4
                          FROM conversations c JOIN conversation_members m ON m.conversation_id = c.id
                         WHERE c.group_id = $1 AND m.device_id = $4 AND m.removed_epoch IS NULL
                        ON CONFLICT (conversation_id, object_id) DO UPDATE SET shared_at = conversation_attachments.shared_at
                        RETURNING conversation_id""")
                .execute(Tuple.of(Buffer.buffer(groupId), file.value(), user, device))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    /** Whether {@code device} is a current member of a conversation {@code file} was shared into. */
    @Override
    public Future<Boolean> mayRead(BlobId file, UUID device) {
        return pool.preparedQuery("""
                        SELECT 1 FROM conversation_attachments a
                          JOIN conversation_members m ON m.conversation_id = a.conversation_id
                         WHERE a.object_id = $1 AND m.device_id = $2 AND m.removed_epoch IS NULL
                         LIMIT 1""")
                .execute(Tuple.of(file.value(), device)).map(rows -> rows.size() > 0);
    }
}
