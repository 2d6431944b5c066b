package org.wardline.server.retention;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Finds, and for messages and share links removes, what the retention policies say has expired and no active legal
 * hold covers. Selection and deletion happen in one statement, so a hold committed before a batch starts always
 * protects what it covers. An item's retention is the longest of the organisation's policy and the policies of the
 * care teams its sender or owner belongs to; with no policy for a kind, nothing of that kind expires.
 *
 * <p>This class owns its SQL against the delivery tables ({@code conversation_messages}, whose deletion cascades to
 * {@code device_inbox}) on purpose: the delivery stores stay free of retention logic.
 */
public final class ExpiredData {
    /** Users covered by an active hold, directly or through a held team; conversations covered by a hold. */
    private static final String HELD = """
            held_users AS (
                SELECT h.user_id FROM legal_holds h WHERE h.scope = 'user' AND h.released_at IS NULL
                UNION
                SELECT tm.user_id FROM legal_holds h JOIN team_members tm ON tm.team_id = h.team_id
                WHERE h.scope = 'team' AND h.released_at IS NULL),
            held_conversations AS (
                SELECT h.conversation_id FROM legal_holds h WHERE h.scope = 'conversation' AND h.released_at IS NULL
                UNION
                SELECT cm.conversation_id FROM conversation_members cm WHERE cm.user_id IN (SELECT user_id FROM held_users))""";

    private static final String MESSAGES = """
            WITH %s
            SELECT m.id FROM conversation_messages m
            WHERE m.conversation_id NOT IN (SELECT conversation_id FROM held_conversations)
              AND m.sender_user NOT IN (SELECT user_id FROM held_users)
              AND m.created_at < now() - make_interval(days => %s)
            ORDER BY m.id LIMIT $1""".formatted(HELD, days("messages", "m.sender_user"));

    private static final String FILES = """
            WITH %s
            SELECT o.object_id FROM stored_objects o
            WHERE o.state = 'COMMITTED' AND o.owner_id NOT IN (SELECT user_id FROM held_users)
              AND o.committed_at < now() - make_interval(days => %s)
            ORDER BY o.committed_at LIMIT $1""".formatted(HELD, days("files", "o.owner_id"));

    private static final String LINKS = """
            WITH %s
            SELECT l.link_id FROM share_links l
            WHERE l.revoked_at IS NULL AND l.expires_at > now() AND l.owner_id NOT IN (SELECT user_id FROM held_users)
              AND l.created_at < now() - make_interval(days => %s)
            ORDER BY l.created_at LIMIT $1""".formatted(HELD, days("share_links", "l.owner_id"));

    private final Pool pool;

    public ExpiredData(Pool pool) {
        this.pool = pool;
    }

    /** The longest policy for {@code kind} that applies to the user in {@code userColumn}, or NULL (never expires). */
    private static String days(String kind, String userColumn) {
        return "(SELECT max(p.days) FROM retention_policies p WHERE p.kind = '" + kind + "' AND (p.team_id IS NULL "
                + "OR p.team_id IN (SELECT tm2.team_id FROM team_members tm2 WHERE tm2.user_id = " + userColumn + ")))";
    }

    public Future<List<Long>> expiredMessages(int limit) {
        return pool.preparedQuery(MESSAGES).execute(Tuple.of(limit)).map(ids(r -> r.getLong(0)));
    }

    public Future<List<UUID>> expiredFiles(int limit) {
        return pool.preparedQuery(FILES).execute(Tuple.of(limit)).map(ids(r -> r.getUUID(0)));
    }

    public Future<List<UUID>> expiredShareLinks(int limit) {
        return pool.preparedQuery(LINKS).execute(Tuple.of(limit)).map(ids(r -> r.getUUID(0)));
    }

    /** Deletes up to {@code limit} expired messages (their ciphertext and inbox entries). @return their IDs */
    public Future<List<Long>> deleteExpiredMessages(int limit) {
        return pool.preparedQuery("DELETE FROM conversation_messages WHERE id IN (" + MESSAGES + ") RETURNING id")
                .execute(Tuple.of(limit)).map(ids(r -> r.getLong(0)));
    }

    /** Ends up to {@code limit} expired share links now (they answer as expired). @return their IDs */
    public Future<List<UUID>> expireShareLinks(int limit) {
        return pool.preparedQuery("UPDATE share_links SET expires_at = now() WHERE link_id IN (" + LINKS + ") RETURNING link_id")
                .execute(Tuple.of(limit)).map(ids(r -> r.getUUID(0)));
    }

    /** Whether a hold covers what {@code owner} owns now (checked again just before each file is erased). */
    public Future<Boolean> ownerHeld(UUID owner) {
        return pool.preparedQuery("WITH " + HELD + " SELECT 1 FROM held_users WHERE user_id = $1").execute(Tuple.of(owner))
                .map(r -> r.size() > 0);
    }

    /** How many of these messages are still in PostgreSQL (messages or inbox entries): 0 after a verified deletion. */
    public Future<Long> messagesRemaining(List<Long> ids) {
        return pool.preparedQuery("SELECT (SELECT count(*) FROM conversation_messages WHERE id = ANY($1)) "
                        + "+ (SELECT count(*) FROM device_inbox WHERE message_id = ANY($1))")
                .execute(Tuple.of(ids.toArray(Long[]::new))).map(r -> r.iterator().next().getLong(0));
    }

    /** How many of these links still accept opens: 0 after a verified expiry. */
    public Future<Long> linksStillLive(List<UUID> ids) {
        return pool.preparedQuery("SELECT count(*) FROM share_links WHERE link_id = ANY($1) AND expires_at > now() "
                        + "AND revoked_at IS NULL")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).map(r -> r.iterator().next().getLong(0));
    }

    /** Audit entries older than {@code days}: what audit retention would allow to go. */
    public Future<AuditBacklog> auditPastRetention(int days) {
        return pool.preparedQuery("SELECT count(*), min(seq), max(seq) FROM audit_entries "
                        + "WHERE occurred_at < now() - make_interval(days => $1)")
                .execute(Tuple.of(days)).map(rows -> {
                    Row r = rows.iterator().next();
                    return new AuditBacklog(days, r.getLong(0), r.getLong(1), r.getLong(2));
                });
    }

    /** Audit entries past retention: how many, and the range of their sequence numbers (null when none). */
    public record AuditBacklog(int retentionDays, long entries, Long firstSeq, Long lastSeq) {
    }

    private static <T> Function<RowSet<Row>, List<T>> ids(Function<Row, T> column) {
        return rows -> {
            List<T> out = new ArrayList<>();
            rows.forEach(r -> out.add(column.apply(r)));
            return out;
        };
    }
}
