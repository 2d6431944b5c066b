package org.wardline.server.custodian;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.http.WardlineHttpException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Records custodians and the conversations whose legal holds require them (ADR 0010), in PostgreSQL through the
 * async pool. A records custodian is an active account with the {@code records_custodian} role; its enrolled,
 * unrevoked devices are the custodian devices. A custodian-required hold names one custodian; it covers a
 * conversation when it is a hold on that conversation, on a current member, or on a team a current member is in.
 */
public final class RecordsCustodians {
    static final String ROLE = "records_custodian";
    /** Holds with the custodian they name (legal_hold_custodians, V72). */
    static final String HOLDS = "(SELECT lh.*, lc.custodian_user_id FROM legal_holds lh JOIN legal_hold_custodians lc ON lc.hold_id = lh.id) h";
    private static final String ACTIVE_HOLD = "h.released_at IS NULL AND h.custodian_required";
    private static final String COVERS = """
            (h.scope = 'conversation' AND h.conversation_id = c.id
             OR h.scope = 'user' AND EXISTS (SELECT 1 FROM conversation_members hm WHERE hm.conversation_id = c.id
                                              AND hm.user_id = h.user_id AND hm.removed_epoch IS NULL)
             OR h.scope = 'team' AND EXISTS (SELECT 1 FROM conversation_members hm JOIN team_members t ON t.user_id = hm.user_id
                                              WHERE hm.conversation_id = c.id AND t.team_id = h.team_id AND hm.removed_epoch IS NULL))""";
    private static final String MEMBER_OF = "c.id IN (SELECT conversation_id FROM conversation_members WHERE user_id = $1 AND removed_epoch IS NULL)";
    private static final String CUSTODIAN_ACCOUNTS = "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = '"
            + ROLE + "' WHERE u.status = 'active'";

    private final Pool pool;

    public RecordsCustodians(Pool pool) {
        this.pool = pool;
    }

    /**
     * The custodian a new hold names: {@code named} when it is an active records custodian with an enrolled device,
     * else the organisation's one designated custodian. @throws (failed future) LEGAL_HOLD_NO_CUSTODIAN when none is
     * designated (or it has no device), LEGAL_HOLD_CUSTODIAN_INVALID for a named account that is not one, or when
     * several are designated and none is named
     */
    public Future<UUID> resolve(Optional<UUID> named) {
        return pool.query(CUSTODIAN_ACCOUNTS + " AND EXISTS (SELECT 1 FROM devices d WHERE d.user_id = u.id AND d.revoked_at IS NULL)")
                .execute().compose(rows -> {
                    List<UUID> ready = new ArrayList<>();
                    rows.forEach(r -> ready.add(r.getUUID(0)));
                    if (named.isPresent()) {
                        return ready.contains(named.get()) ? Future.succeededFuture(named.get())
                                : Future.failedFuture(new WardlineHttpException(ErrorCode.LEGAL_HOLD_CUSTODIAN_INVALID));
                    }
                    if (ready.size() == 1) {
                        return Future.succeededFuture(ready.get(0));
                    }
                    return Future.failedFuture(new WardlineHttpException(ready.isEmpty()
                            ? ErrorCode.LEGAL_HOLD_NO_CUSTODIAN : ErrorCode.LEGAL_HOLD_CUSTODIAN_INVALID));
                });
    }

    /** Whether {@code user} holds the records-custodian role (active or not: a disabled custodian is still one). */
    public Future<Boolean> isCustodian(UUID user) {
        return pool.preparedQuery("SELECT 1 FROM user_roles WHERE user_id = $1 AND role = '" + ROLE + "'")
                .execute(Tuple.of(user)).map(rows -> rows.size() > 0);
    }

    /** Every device of every records custodian, revoked ones included: members to label, never to trust less. */
    public Future<List<DeviceUri>> devices() {
        return pool.query("SELECT d.user_id, d.id FROM devices d JOIN user_roles r ON r.user_id = d.user_id AND r.role = '"
                        + ROLE + "' ORDER BY d.enrolled_at").execute()
                .map(rows -> {
                    List<DeviceUri> out = new ArrayList<>();
                    rows.forEach(r -> out.add(DeviceUri.of(r.getUUID(0), r.getUUID(1))));
                    return out;
                });
    }

    /** The conversation of {@code groupId}, when an active hold naming {@code custodian} covers it. */
    public Future<Optional<Long>> covering(byte[] groupId, UUID custodian) {
        return pool.preparedQuery("SELECT c.id FROM conversations c JOIN " + HOLDS + " ON " + ACTIVE_HOLD
                        + " AND h.custodian_user_id = $2 AND " + COVERS + " WHERE c.group_id = $1 LIMIT 1")
                .execute(Tuple.of(Buffer.buffer(groupId), custodian))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    /** Whether {@code member} is in at least one conversation an active hold naming {@code custodian} covers. */
    public Future<Boolean> coversAnyConversationOf(UUID member, UUID custodian) {
        return pool.preparedQuery("SELECT 1 FROM conversations c JOIN " + HOLDS + " ON " + ACTIVE_HOLD
                        + " AND h.custodian_user_id = $2 AND " + COVERS + " WHERE " + MEMBER_OF + " LIMIT 1")
                .execute(Tuple.of(member, custodian)).map(rows -> rows.size() > 0);
    }

    /**
     * What {@code user}'s devices should change in the conversations they are in: custodian devices to add where an
     * active hold requires them and they are not members yet, and custodian devices to remove where no active hold
     * naming their custodian covers the conversation any more (a released hold). The matter reference is given only
     * to the user a hold is on: the other members learn that a hold covers the conversation, not which matter.
     */
    public Future<Requirements> requirements(UUID user) {
        Future<List<Requirement>> add = pool.preparedQuery("""
                        SELECT DISTINCT ON (c.id, h.custodian_user_id) c.id, c.group_id, h.id AS hold_id,
                               CASE WHEN h.scope = 'user' AND h.user_id = $1 THEN h.matter END AS matter,
                               h.custodian_user_id,
                               ARRAY(SELECT d.id FROM devices d WHERE d.user_id = h.custodian_user_id AND d.revoked_at IS NULL
                                        AND NOT EXISTS (SELECT 1 FROM conversation_members dm WHERE dm.conversation_id = c.id
                                                         AND dm.device_id = d.id AND dm.removed_epoch IS NULL)
                                      ORDER BY d.enrolled_at) AS missing
                          FROM conversations c JOIN\s""" + HOLDS + " ON " + ACTIVE_HOLD + " AND " + COVERS
                        + " WHERE " + MEMBER_OF + " ORDER BY c.id, h.custodian_user_id, h.placed_at")
                .execute(Tuple.of(user)).map(rows -> {
                    List<Requirement> out = new ArrayList<>();
                    for (Row r : rows) {
                        UUID custodian = r.getUUID("custodian_user_id");
                        out.add(new Requirement(r.getLong("id"), r.getBuffer("group_id").getBytes(), r.getUUID("hold_id"),
                                r.getString("matter"), devices(custodian, r.getArrayOfUUIDs("missing"))));
                    }
                    return out;
                });
        Future<List<Removal>> remove = pool.preparedQuery("""
                        SELECT c.id, c.group_id, m.user_id, array_agg(m.device_id ORDER BY m.device_id) AS devices
                          FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
                         WHERE m.removed_epoch IS NULL
                           AND m.user_id IN (SELECT user_id FROM user_roles WHERE role = 'records_custodian')
                           AND\s""" + MEMBER_OF + " AND NOT EXISTS (SELECT 1 FROM " + HOLDS + " WHERE " + ACTIVE_HOLD
                        + " AND h.custodian_user_id = m.user_id AND " + COVERS + ") GROUP BY c.id, c.group_id, m.user_id ORDER BY c.id")
                .execute(Tuple.of(user)).map(rows -> {
                    List<Removal> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new Removal(r.getLong("id"), r.getBuffer("group_id").getBytes(),
                            devices(r.getUUID("user_id"), r.getArrayOfUUIDs("devices")))));
                    return out;
                });
        return Future.all(add, remove).map(v -> new Requirements(add.result(), remove.result()));
    }

    private static List<DeviceUri> devices(UUID user, UUID[] ids) {
        List<DeviceUri> out = new ArrayList<>();
        for (UUID id : ids) {
            out.add(DeviceUri.of(user, id));
        }
        return out;
    }

    /** A conversation an active hold covers: the custodian devices it still lacks (empty when done). */
    public record Requirement(long conversationId, byte[] groupId, UUID holdId, String matter, List<DeviceUri> addDevices) {
    }

    /** A conversation still holding custodian devices that no active hold requires. */
    public record Removal(long conversationId, byte[] groupId, List<DeviceUri> removeDevices) {
    }

    public record Requirements(List<Requirement> add, List<Removal> remove) {
    }
}
