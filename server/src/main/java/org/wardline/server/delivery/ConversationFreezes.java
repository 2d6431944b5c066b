package org.wardline.server.delivery;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * Conversations frozen from an incident ({@code conversation_freezes}): while the incident is not closed nobody is
 * added to such a conversation, no file is shared into it and no share link is made of a file shared into it. Its
 * members keep messaging each other: a freeze stops the spread, not the care (ADR 0020w).
 */
public final class ConversationFreezes {
    private static final String LIVE = "JOIN incidents i ON i.id = f.incident_id AND i.status <> 'closed'";

    private final Pool pool;

    public ConversationFreezes(Pool pool) {
        this.pool = pool;
    }

    /** Whether the conversation {@code groupId} is frozen by an incident still open. */
    public Future<Boolean> isFrozen(byte[] groupId) {
        return pool.preparedQuery("SELECT 1 FROM conversation_freezes f " + LIVE
                        + " JOIN conversations c ON c.id = f.conversation_id WHERE c.group_id = $1 LIMIT 1")
                .execute(Tuple.of(Buffer.buffer(groupId))).map(rows -> rows.size() > 0);
    }

    /** Whether {@code file} was shared into a conversation frozen by an incident still open. */
    public Future<Boolean> holdsFrozenFile(UUID file) {
        return pool.preparedQuery("SELECT 1 FROM conversation_freezes f " + LIVE
                        + " JOIN conversation_attachments a ON a.conversation_id = f.conversation_id WHERE a.object_id = $1 LIMIT 1")
                .execute(Tuple.of(file)).map(rows -> rows.size() > 0);
    }

    /** Whether the conversation (its row ID) is frozen by an incident still open. */
    public Future<Boolean> isFrozen(long conversation) {
        return pool.preparedQuery("SELECT 1 FROM conversation_freezes f " + LIVE + " WHERE f.conversation_id = $1 LIMIT 1")
                .execute(Tuple.of(conversation)).map(rows -> rows.size() > 0);
    }

    /** Freezes the conversation for {@code incident}; answers how many devices are its members now. */
    public Future<Long> freeze(long conversation, UUID incident, UUID by) {
        return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO conversation_freezes (conversation_id, incident_id, frozen_by) "
                        + "VALUES ($1, $2, $3)").execute(Tuple.of(conversation, incident, by))
                .compose(v -> tx.preparedQuery("SELECT count(*) FROM conversation_members WHERE conversation_id = $1 "
                        + "AND removed_epoch IS NULL").execute(Tuple.of(conversation)))
                .map(rows -> rows.iterator().next().getLong(0)));
    }
}
