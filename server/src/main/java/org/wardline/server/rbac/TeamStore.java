package org.wardline.server.rbac;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.AccountException;

import java.util.UUID;

/** Care teams and their members: the scope of what clinical roles see. */
public final class TeamStore {
    private final Pool pool;

    public TeamStore(Pool pool) {
        this.pool = pool;
    }

    public Future<UUID> create(String name) {
        UUID id = UUID.randomUUID();
        return pool.preparedQuery("INSERT INTO teams (id, name) VALUES ($1, $2)").execute(Tuple.of(id, name)).map(id)
                .recover(e -> Future.failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState())
                        ? new AccountException(ErrorCode.CONFLICT) : e));
    }

    /** Adds a member; false when the team or user does not exist. */
    public Future<Boolean> addMember(UUID team, UUID user) {
        return pool.preparedQuery("INSERT INTO team_members (team_id, user_id) SELECT t.id, u.id FROM teams t, users u "
                        + "WHERE t.id = $1 AND u.id = $2 ON CONFLICT DO NOTHING RETURNING 1")
                .execute(Tuple.of(team, user)).compose(r -> r.rowCount() == 1 ? Future.succeededFuture(true) : exists(team, user));
    }

    private Future<Boolean> exists(UUID team, UUID user) {
        return pool.preparedQuery("SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2").execute(Tuple.of(team, user))
                .map(r -> r.size() == 1);
    }

    public Future<Boolean> removeMember(UUID team, UUID user) {
        return pool.preparedQuery("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2").execute(Tuple.of(team, user))
                .map(r -> r.rowCount() == 1);
    }

    /** Every team with its members' IDs and usernames, by team name. */
    public Future<io.vertx.core.json.JsonArray> list() {
        return pool.query("SELECT t.id, t.name, u.id AS user_id, u.username FROM teams t LEFT JOIN team_members m ON m.team_id = t.id "
                + "LEFT JOIN users u ON u.id = m.user_id ORDER BY lower(t.name), t.id, lower(u.username)").execute().map(rows -> {
                    io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
                    io.vertx.core.json.JsonObject current = null;
                    for (io.vertx.sqlclient.Row r : rows) {
                        String id = r.getUUID("id").toString();
                        if (current == null || !current.getString("id").equals(id)) {
                            current = new io.vertx.core.json.JsonObject().put("id", id).put("name", r.getString("name"))
                                    .put("members", new io.vertx.core.json.JsonArray());
                            out.add(current);
                        }
                        if (r.getUUID("user_id") != null) {
                            current.getJsonArray("members").add(new io.vertx.core.json.JsonObject()
                                    .put("id", r.getUUID("user_id").toString()).put("username", r.getString("username")));
                        }
                    }
                    return out;
                });
    }

    public Future<Boolean> exists(UUID team) {
        return pool.preparedQuery("SELECT 1 FROM teams WHERE id = $1").execute(Tuple.of(team)).map(r -> r.size() == 1);
    }
}
