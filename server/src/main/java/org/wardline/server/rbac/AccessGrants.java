package org.wardline.server.rbac;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.wardline.server.account.Role;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** What a user may reach beyond their roles right now: their care teams, approved elevations and open break-glass. */
public final class AccessGrants {
    /** The grants in force for one user. */
    public record Grants(Set<UUID> teams, Set<Role> elevatedRoles, Set<UUID> breakGlassTeams) {
    }

    private final Pool pool;

    public AccessGrants(Pool pool) {
        this.pool = pool;
    }

    public Future<Grants> of(UUID userId) {
        return pool.preparedQuery("SELECT "
                        + "array(SELECT team_id::text FROM team_members WHERE user_id = $1) AS teams, "
                        + "array(SELECT role FROM elevations WHERE user_id = $1 AND approved_at IS NOT NULL AND expires_at > now()) AS roles, "
                        + "array(SELECT team_id::text FROM break_glass WHERE user_id = $1 AND expires_at > now()) AS glass")
                .execute(Tuple.of(userId)).map(rows -> {
                    Row r = rows.iterator().next();
                    Set<Role> roles = EnumSet.noneOf(Role.class);
                    for (String s : r.getArrayOfStrings("roles")) {
                        Role.parse(s).ifPresent(roles::add);
                    }
                    return new Grants(uuids(r.getArrayOfStrings("teams")), roles, uuids(r.getArrayOfStrings("glass")));
                });
    }

    private static Set<UUID> uuids(String[] ids) {
        Set<UUID> out = new HashSet<>();
        for (String s : ids) {
            out.add(UUID.fromString(s));
        }
        return Set.copyOf(out);
    }
}
