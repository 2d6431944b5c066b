package org.wardline.server.rbac;

import org.wardline.server.account.Role;
import org.wardline.server.account.User;
import org.wardline.server.auth.Session;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as established for one request: the account, its session (and device), its roles
 * including approved elevations, its care teams, and teams opened by break-glass. PHI permissions are
 * withheld while the account's HIPAA training is not current.
 */
public record Principal(User user, Session session, Set<Role> elevatedRoles, Set<UUID> teams, Set<UUID> breakGlassTeams,
                        LocalDate today) {

    public UUID userId() {
        return user.id();
    }

    public UUID deviceId() {
        return session.deviceId();
    }

    public Set<Role> effectiveRoles() {
        Set<Role> all = EnumSet.noneOf(Role.class);
        all.addAll(user.roles());
        all.addAll(elevatedRoles);
        return all;
    }

    public boolean trainingCurrent() {
        return user.trainingCurrent(today);
    }

    /** Whether the roles grant {@code p}, before the training gate. */
    public boolean grantedByRole(Permission p) {
        return p == Permission.PUBLIC || RolePermissions.of(effectiveRoles()).contains(p);
    }

    /** Whether {@code p} may be used now: granted by a role and, for PHI, with current training. */
    public boolean has(Permission p) {
        return grantedByRole(p) && (!p.phi() || trainingCurrent());
    }

    public boolean canAccessTeam(UUID team) {
        return teams.contains(team) || breakGlassTeams.contains(team);
    }

    public boolean secondFactorSince(Instant cutoff) {
        return session.mfaAt() != null && !session.mfaAt().isBefore(cutoff);
    }
}
