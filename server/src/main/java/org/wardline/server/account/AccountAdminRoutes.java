package org.wardline.server.account;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.wardline.protocol.ErrorCode;
import org.wardline.protocol.Secret;
import org.wardline.server.ApiModule;
import org.wardline.server.auth.SessionStore;
import org.wardline.server.auth.SourceAddress;
import org.wardline.server.http.RequestIds;
import org.wardline.server.rbac.Authorizer;
import org.wardline.server.rbac.ElevationStore;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.server.rbac.SeparationOfDuties;
import org.wardline.server.rbac.RouteRegistry.Listener;
import org.wardline.server.rbac.TeamStore;
import org.wardline.storage.audit.AuditDetails;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.wardline.server.auth.JsonExchange.body;
import static org.wardline.server.auth.JsonExchange.handle;
import static org.wardline.server.auth.JsonExchange.string;
import static org.wardline.server.auth.JsonExchange.uuid;

/**
 * Account administration: create, disable (ending every session at once), enable, roles, training renewals
 * and care-team membership. Every change needs a fresh second factor and is recorded. Nothing here reads a
 * message or a file.
 */
public final class AccountAdminRoutes implements ApiModule {
    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final SessionStore sessions;
    private final TeamStore teams;
    private final AccountEvents events;
    private final ElevationStore elevations;

    public AccountAdminRoutes(UserStore users, PasswordHasher hasher, PasswordPolicy policy, SessionStore sessions,
                              TeamStore teams, ElevationStore elevations, AccountEvents events) {
        this.elevations = elevations;
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.sessions = sessions;
        this.teams = teams;
        this.events = events;
    }

    @Override
    public void mount(RouteRegistry routes) {
        for (Listener l : Listener.values()) {
            routes.on(l, HttpMethod.GET, "/v1/admin/users").permission(Permission.USER_READ)
                    .handler(ctx -> handle(ctx, () -> users.list().map(list -> {
                        JsonArray a = new JsonArray();
                        list.forEach(u -> a.add(u.toJson()));
                        return new JsonObject().put("users", a);
                    })));
            routes.on(l, HttpMethod.POST, "/v1/admin/users").permission(Permission.USER_MANAGE).stepUp().json()
                    .handler(ctx -> handle(ctx, () -> create(ctx)));
            routes.on(l, HttpMethod.POST, "/v1/admin/users/:userId/disable").permission(Permission.USER_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, () -> disable(ctx)));
            routes.on(l, HttpMethod.POST, "/v1/admin/users/:userId/enable").permission(Permission.USER_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, () -> change(ctx, AccountEvent.Type.USER_ENABLED, AuditDetails.empty(),
                            id -> users.setStatus(id, UserStatus.ACTIVE))));
            routes.on(l, HttpMethod.PUT, "/v1/admin/users/:userId/roles").permission(Permission.ROLE_MANAGE).stepUp().json()
                    .handler(ctx -> handle(ctx, () -> setRoles(ctx)));
            routes.on(l, HttpMethod.PUT, "/v1/admin/users/:userId/training").permission(Permission.TRAINING_RECORD).stepUp().json()
                    .handler(ctx -> handle(ctx, () -> {
                        LocalDate until = date(string(body(ctx), "expiresOn", true));
                        return change(ctx, AccountEvent.Type.TRAINING_RECORDED, AuditDetails.builder()
                                        .putCode("expiresOn", until.toString()).build(),
                                id -> users.setTraining(id, until));
                    }));
            routes.on(l, HttpMethod.GET, "/v1/admin/teams").permission(Permission.USER_READ)
                    .handler(ctx -> handle(ctx, () -> teams.list().map(a -> new JsonObject().put("teams", a))));
            routes.on(l, HttpMethod.POST, "/v1/admin/teams").permission(Permission.TEAM_MANAGE).stepUp().json()
                    .handler(ctx -> handle(ctx, () -> {
                        String name = string(body(ctx), "name", true);
                        Principal p = Authorizer.principal(ctx);
                        return teams.create(name).compose(id -> record(ctx, p, AccountEvent.Type.TEAM_CHANGED, "team", id,
                                        AuditDetails.builder().putCode("change", "created").build())
                                .map(v -> new JsonObject().put("id", id.toString())));
                    }));
            routes.on(l, HttpMethod.PUT, "/v1/admin/teams/:teamId/members/:userId").permission(Permission.TEAM_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, () -> membership(ctx, true)));
            routes.on(l, HttpMethod.DELETE, "/v1/admin/teams/:teamId/members/:userId").permission(Permission.TEAM_MANAGE).stepUp()
                    .handler(ctx -> handle(ctx, () -> membership(ctx, false)));
        }
    }

    private Future<JsonObject> create(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        JsonObject b = body(ctx);
        String username = string(b, "username", true).strip();
        if (!username.matches("[A-Za-z0-9._@-]{2,64}")) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
        String email = string(b, "email", false);
        if (email != null && (email.length() > 254 || !email.matches("[^@\\s]+@[^@\\s]+"))) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
        String password = string(b, "password", false);
        Secret<String> pw = password == null ? null : Secret.of(password);
        if (pw != null && policy.refusal(pw, username).isPresent()) {
            throw new AccountException(ErrorCode.PASSWORD_REJECTED);
        }
        Set<Role> roles = roles(b.getValue("roles"));
        String training = string(b, "trainingExpiresOn", false);
        NewUser n = new NewUser(username, email, string(b, "displayName", false), pw, training == null ? null : date(training), roles);
        Future<String> hash = pw == null ? Future.succeededFuture(null) : hasher.hash(pw);
        boolean[] firstDay = new boolean[1];
        return hash.compose(h -> users.create(n, h, p.userId(), SeparationOfDuties.APPROVERS, anotherApprover -> {
                    firstDay[0] = !anotherApprover && roles.stream().anyMatch(SeparationOfDuties.PRIVILEGED::contains);
                    return SeparationOfDuties.accountCreation(roles, anotherApprover)
                            .<Future<?>>map(refusal -> Future.failedFuture(new CreationRefused(refusal)))
                            .orElse(Future.succeededFuture());
                }))
                .recover(e -> e instanceof CreationRefused r ? refusedCreation(ctx, p, roles, r.code) : Future.failedFuture(e))
                .compose(u -> record(ctx, p, AccountEvent.Type.USER_CREATED, "user", u.id(), AuditDetails.builder()
                                .putCodes("roles", wireNames(roles)).put("firstDayGrant", firstDay[0]).build())
                        .recover(unaudited -> users.withdrawNew(u.id()).transform(v -> Future.failedFuture(unaudited)))
                        .map(v -> u.toJson()));
    }

    /** A creation separation of duties forbids: audited as denied with the roles asked, then refused; nothing is created. */
    private Future<User> refusedCreation(RoutingContext ctx, Principal p, Set<Role> asked, ErrorCode refusal) {
        return events.recordDurably(AccountEvent.of(AccountEvent.Type.USER_CREATED, AccountEvent.Outcome.DENIED)
                        .actor(p.userId(), p.deviceId()).source(SourceAddress.of(ctx), RequestIds.of(ctx))
                        .details(AuditDetails.builder().putCodes("roles", wireNames(asked)).putCode("refusal", refusal.code()).build())
                        .build())
                .transform(v -> Future.failedFuture(new AccountException(refusal)));
    }

    /** Rolls back a creation {@link SeparationOfDuties} forbids. */
    private static final class CreationRefused extends RuntimeException {
        private final ErrorCode code;

        CreationRefused(ErrorCode code) {
            super(code.code(), null, false, false);
            this.code = code;
        }
    }

    private Future<JsonObject> disable(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("userId"));
        if (id.equals(p.userId())) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
        return users.setStatus(id, UserStatus.DISABLED).compose(found -> {
            if (!found) {
                return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
            }
            return sessions.revokeAll(id, "user_disabled").compose(n -> record(ctx, p, AccountEvent.Type.USER_DISABLED,
                    "user", id, AuditDetails.builder().put("sessionsEnded", n.longValue()).build())
                    .map(v -> new JsonObject().put("id", id.toString()).put("status", "disabled").put("sessionsEnded", n)));
        });
    }

    private Future<JsonObject> change(RoutingContext ctx, AccountEvent.Type type, AuditDetails details,
                                      java.util.function.Function<UUID, Future<Boolean>> op) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("userId"));
        return op.apply(id).compose(found -> {
            if (!found) {
                return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
            }
            return record(ctx, p, type, "user", id, details).compose(v -> users.byId(id)).map(u -> u.orElseThrow().toJson());
        });
    }

    /**
     * Replaces a user's roles if {@link SeparationOfDuties} allows it (checked in the transaction, against the roles
     * held then). The entry names the roles before and after; when it cannot be written, the roles held before are
     * put back and the request answers {@code audit.unavailable}. A refused change is audited as denied.
     */
    private Future<JsonObject> setRoles(RoutingContext ctx) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("userId"));
        Set<Role> roles = roles(body(ctx).getValue("roles"));
        return elevations.approvedByAnother(id, p.userId()).compose(approved -> users.replaceRoles(id, roles, before ->
                SeparationOfDuties.roleChange(p.userId(), id, before, roles, approved)
                        .<Future<?>>map(refusal -> Future.failedFuture(new RoleChangeRefused(refusal, before)))
                        .orElse(Future.succeededFuture())))
                .recover(e -> e instanceof RoleChangeRefused r
                        ? refused(ctx, p, id, rolesChanged(r.before, roles), r.code).map(Optional.empty())
                        : Future.failedFuture(e))
                .compose(before -> {
                    if (before.isEmpty()) {
                        return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
                    }
                    return record(ctx, p, AccountEvent.Type.ROLES_CHANGED, "user", id, rolesChanged(before.get(), roles))
                            .recover(unaudited -> restore(ctx, p, id, before.get(), roles)
                                    .transform(v -> Future.failedFuture(unaudited)))
                            .compose(v -> users.byId(id)).map(u -> u.orElseThrow().toJson());
                });
    }

    /** Puts back the roles of a change whose entry could not be written; connections refresh from the restored roles. */
    private Future<Void> restore(RoutingContext ctx, Principal p, UUID subject, Set<Role> before, Set<Role> asked) {
        return users.replaceRoles(subject, before, b -> Future.succeededFuture()).onComplete(v -> events.record(
                AccountEvent.of(AccountEvent.Type.ROLES_CHANGED, AccountEvent.Outcome.FAILURE).actor(p.userId(), p.deviceId())
                        .source(SourceAddress.of(ctx), RequestIds.of(ctx)).object("user", subject)
                        .details(rolesChanged(before, asked)).build())).mapEmpty();
    }

    /** A change separation of duties forbids: audited as denied (with what was asked), then refused. */
    private Future<Void> refused(RoutingContext ctx, Principal p, UUID subject, AuditDetails asked, ErrorCode refusal) {
        return events.recordDurably(AccountEvent.of(AccountEvent.Type.ROLES_CHANGED, AccountEvent.Outcome.DENIED)
                        .actor(p.userId(), p.deviceId()).source(SourceAddress.of(ctx), RequestIds.of(ctx))
                        .object("user", subject).details(asked).build())
                .transform(v -> Future.failedFuture(new AccountException(refusal)));
    }

    /** Rolls back a role change {@link SeparationOfDuties} forbids, carrying the roles held before to the audit entry. */
    private static final class RoleChangeRefused extends RuntimeException {
        private final ErrorCode code;
        private final Set<Role> before;

        RoleChangeRefused(ErrorCode code, Set<Role> before) {
            super(code.code(), null, false, false);
            this.code = code;
            this.before = before;
        }
    }

    static AuditDetails rolesChanged(Set<Role> before, Set<Role> after) {
        Set<Role> added = EnumSet.noneOf(Role.class);
        added.addAll(after);
        added.removeAll(before);
        Set<Role> removed = EnumSet.noneOf(Role.class);
        removed.addAll(before);
        removed.removeAll(after);
        return AuditDetails.builder().putCodes("before", wireNames(before)).putCodes("after", wireNames(after))
                .putCodes("added", wireNames(added)).putCodes("removed", wireNames(removed)).build();
    }

    private static java.util.List<String> wireNames(Set<Role> roles) {
        return roles.stream().map(Role::wireName).toList();
    }

    private Future<JsonObject> membership(RoutingContext ctx, boolean add) {
        Principal p = Authorizer.principal(ctx);
        UUID team = uuid(ctx.pathParam("teamId"));
        UUID user = uuid(ctx.pathParam("userId"));
        return (add ? teams.addMember(team, user) : teams.removeMember(team, user)).compose(ok -> {
            if (!ok) {
                return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
            }
            return record(ctx, p, AccountEvent.Type.TEAM_CHANGED, "team", team, AuditDetails.builder()
                            .putCode("change", add ? "member_added" : "member_removed").put("member", user)
                            .put("memberBefore", !add).put("memberAfter", add).build())
                    .map(v -> new JsonObject().put("teamId", team.toString()).put("userId", user.toString())
                            .put("member", add));
        });
    }

    /** Writes the change's entry; fails with {@code audit.unavailable} when it is not in the trail. */
    private Future<Void> record(RoutingContext ctx, Principal p, AccountEvent.Type type, String objectType, UUID object,
                                AuditDetails details) {
        return events.recordDurably(AccountEvent.of(type, AccountEvent.Outcome.SUCCESS).actor(p.userId(), p.deviceId())
                        .source(SourceAddress.of(ctx), RequestIds.of(ctx)).object(objectType, object).details(details).build())
                .recover(e -> Future.failedFuture(new AccountException(ErrorCode.AUDIT_UNAVAILABLE)));
    }

    static Set<Role> roles(Object value) {
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof JsonArray a) || a.size() > Role.values().length) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (Object o : a) {
            out.add(Role.parse(String.valueOf(o)).orElseThrow(() -> new AccountException(ErrorCode.BAD_REQUEST)));
        }
        return out;
    }

    private static LocalDate date(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
    }
}
