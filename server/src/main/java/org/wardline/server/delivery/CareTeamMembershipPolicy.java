package org.wardline.server.delivery;

import io.vertx.core.Future;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.server.account.AccountEvent;
import org.wardline.server.account.AccountEvents;
import org.wardline.server.account.Role;
import org.wardline.server.account.User;
import org.wardline.server.account.UserStatus;
import org.wardline.server.account.UserStore;
import org.wardline.server.rbac.AccessGrants;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RolePermissions;

import java.time.Clock;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Conversation membership tied to care-team authorization. A device may claim the key packages of, or commit
 * into a conversation, a user only when:
 * <ul>
 *   <li>the device's user is an active account whose roles (with approved elevations) grant
 *       {@link Permission#MESSAGE_SEND}, with current HIPAA training;</li>
 *   <li>and the other user is the same user (their own devices), or an active account whose roles grant
 *       {@link Permission#MESSAGE_READ} and who shares a care team with the device's user — or sits in a team the
 *       device's user has opened by break-glass, which is recorded as a break-glass access before the answer; when
 *       that entry cannot be written the request fails with {@link ErrorCode#AUDIT_UNAVAILABLE}.</li>
 * </ul>
 * Every refusal is recorded as an access denial with a machine-readable reason.
 */
public final class CareTeamMembershipPolicy implements MembershipPolicy {
    private final UserStore users;
    private final AccessGrants grants;
    private final AccountEvents events;
    private final Clock clock;

    public CareTeamMembershipPolicy(UserStore users, AccessGrants grants, AccountEvents events, Clock clock) {
        this.users = users;
        this.grants = grants;
        this.events = events;
        this.clock = clock;
    }

    private record Standing(Optional<User> user, AccessGrants.Grants grants) {
        boolean active() {
            return user.isPresent() && user.get().status() == UserStatus.ACTIVE;
        }

        Set<Permission> permissions() {
            Set<Role> roles = EnumSet.noneOf(Role.class);
            user.ifPresent(u -> roles.addAll(u.roles()));
            roles.addAll(grants.elevatedRoles());
            return RolePermissions.of(roles);
        }
    }

    @Override
    public Future<Boolean> mayAdd(DeviceUri actor, UUID memberUser) {
        return standing(actor.user()).compose(self -> {
            if (!self.active()) {
                return deny(actor, memberUser, "actor_inactive");
            }
            if (!self.permissions().contains(Permission.MESSAGE_SEND)) {
                return deny(actor, memberUser, "no_permission");
            }
            if (!self.user().orElseThrow().trainingCurrent(LocalDate.now(clock))) {
                return deny(actor, memberUser, "training_expired");
            }
            if (memberUser.equals(actor.user())) {
                return Future.succeededFuture(true);
            }
            return standing(memberUser).compose(other -> {
                if (!other.active()) {
                    return deny(actor, memberUser, "member_inactive");
                }
                if (!other.permissions().contains(Permission.MESSAGE_READ)) {
                    return deny(actor, memberUser, "member_no_permission");
                }
                Set<UUID> shared = new HashSet<>(self.grants().teams());
                shared.retainAll(other.grants().teams());
                if (!shared.isEmpty()) {
                    return Future.succeededFuture(true);
                }
                Set<UUID> viaGlass = new HashSet<>(self.grants().breakGlassTeams());
                viaGlass.retainAll(other.grants().teams());
                if (!viaGlass.isEmpty()) {
                    return events.recordDurably(event(actor, memberUser, AccountEvent.Type.BREAK_GLASS_ACCESS,
                                    AccountEvent.Outcome.SUCCESS).detail("conversation_member:" + viaGlass.iterator().next()).build())
                            .transform(written -> written.succeeded() ? Future.succeededFuture(true)
                                    : Future.failedFuture(new DeliveryException(ErrorCode.AUDIT_UNAVAILABLE,
                                            "break-glass access not audited")));
                }
                return deny(actor, memberUser, "outside_team");
            });
        });
    }

    private Future<Standing> standing(UUID user) {
        return users.byId(user).compose(u -> u.isEmpty()
                ? Future.succeededFuture(new Standing(u, new AccessGrants.Grants(Set.of(), Set.of(), Set.of())))
                : grants.of(user).map(g -> new Standing(u, g)));
    }

    private Future<Boolean> deny(DeviceUri actor, UUID member, String why) {
        events.record(event(actor, member, AccountEvent.Type.ACCESS_DENIED, AccountEvent.Outcome.DENIED)
                .detail("conversation_member:" + why).build());
        return Future.succeededFuture(false);
    }

    private static AccountEvent.Builder event(DeviceUri actor, UUID member, AccountEvent.Type type, AccountEvent.Outcome outcome) {
        return AccountEvent.of(type, outcome).actor(actor.user(), actor.device()).object("user", member);
    }

    @Override
    public String name() {
        return "care-team";
    }
}
