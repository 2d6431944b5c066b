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
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.Principal;
import org.wardline.server.rbac.RouteRegistry;
import org.wardline.server.rbac.RouteRegistry.Listener;
import org.wardline.server.rbac.TeamStore;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
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

    public AccountAdminRoutes(UserStore users, PasswordHasher hasher, PasswordPolicy policy, SessionStore sessions,
                              TeamStore teams, AccountEvents events) {
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
                    .handler(ctx -> handle(ctx, () -> change(ctx, AccountEvent.Type.USER_ENABLED, null,
                            id -> users.setStatus(id, UserStatus.ACTIVE))));
            routes.on(l, HttpMethod.PUT, "/v1/admin/users/:userId/roles").permission(Permission.ROLE_MANAGE).stepUp().json()
                    .handler(ctx -> handle(ctx, () -> {
                        Set<Role> roles = roles(body(ctx).getValue("roles"));
                        return change(ctx, AccountEvent.Type.ROLES_CHANGED, rolesDetail(roles), id -> users.setRoles(id, roles));
                    }));
            routes.on(l, HttpMethod.PUT, "/v1/admin/users/:userId/training").permission(Permission.TRAINING_RECORD).stepUp().json()
                    .handler(ctx -> handle(ctx, () -> {
                        LocalDate until = date(string(body(ctx), "expiresOn", true));
                        return change(ctx, AccountEvent.Type.TRAINING_RECORDED, "expires_on:" + until,
                                id -> users.setTraining(id, until));
                    }));
            routes.on(l, HttpMethod.GET, "/v1/admin/teams").permission(Permission.USER_READ)
                    .handler(ctx -> handle(ctx, () -> teams.list().map(a -> new JsonObject().put("teams", a))));
            routes.on(l, HttpMethod.POST, "/v1/admin/teams").permission(Permission.TEAM_MANAGE).stepUp().json()
                    .handler(ctx -> handle(ctx, () -> {
                        String name = string(body(ctx), "name", true);
                        Principal p = Authorizer.principal(ctx);
                        return teams.create(name).map(id -> {
                            record(ctx, p, AccountEvent.Type.TEAM_CHANGED, "team", id, "created");
                            return new JsonObject().put("id", id.toString());
                        });
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
        return hash.compose(h -> users.create(n, h)).map(u -> {
            record(ctx, p, AccountEvent.Type.USER_CREATED, "user", u.id(), rolesDetail(roles));
            return u.toJson();
        });
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
            return sessions.revokeAll(id, "user_disabled").map(n -> {
                record(ctx, p, AccountEvent.Type.USER_DISABLED, "user", id, "sessions_ended:" + n);
                return new JsonObject().put("id", id.toString()).put("status", "disabled").put("sessionsEnded", n);
            });
        });
    }

    private Future<JsonObject> change(RoutingContext ctx, AccountEvent.Type type, String detail,
                                      java.util.function.Function<UUID, Future<Boolean>> op) {
        Principal p = Authorizer.principal(ctx);
        UUID id = uuid(ctx.pathParam("userId"));
        return op.apply(id).compose(found -> {
            if (!found) {
                return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
            }
            record(ctx, p, type, "user", id, detail);
            return users.byId(id).map(u -> u.orElseThrow().toJson());
        });
    }

    private Future<JsonObject> membership(RoutingContext ctx, boolean add) {
        Principal p = Authorizer.principal(ctx);
        UUID team = uuid(ctx.pathParam("teamId"));
        UUID user = uuid(ctx.pathParam("userId"));
        return (add ? teams.addMember(team, user) : teams.removeMember(team, user)).compose(ok -> {
            if (!ok) {
                return Future.failedFuture(new AccountException(ErrorCode.NOT_FOUND));
            }
            record(ctx, p, AccountEvent.Type.TEAM_CHANGED, "team", team, (add ? "member_added:" : "member_removed:") + user);
            return Future.succeededFuture(new JsonObject().put("teamId", team.toString()).put("userId", user.toString())
                    .put("member", add));
        });
    }

    private void record(RoutingContext ctx, Principal p, AccountEvent.Type type, String objectType, UUID object, String detail) {
        events.record(AccountEvent.of(type, AccountEvent.Outcome.SUCCESS).actor(p.userId(), p.deviceId())
                .source(SourceAddress.of(ctx), RequestIds.of(ctx)).object(objectType, object).detail(detail).build());
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

    private static String rolesDetail(Set<Role> roles) {
        return "roles:" + String.join(",", roles.stream().map(Role::wireName).sorted().toList());
    }

    private static LocalDate date(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new AccountException(ErrorCode.BAD_REQUEST);
        }
    }
}
