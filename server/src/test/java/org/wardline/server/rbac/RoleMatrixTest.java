package org.wardline.server.rbac;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.server.account.Role;
import org.wardline.server.auth.WardlineApi;
import org.wardline.server.testing.WardlineServerExtension;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks every declared operation of the running server for every role, and fails on any route a module
 * mounted without declaring its permission.
 */
class RoleMatrixTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();
    static WardlineApi api;
    static final Map<Role, WardlineApi.Account> ACCOUNTS = new EnumMap<>(Role.class);
    static UUID team;

    @BeforeAll
    static void accounts() throws Exception {
        api = new WardlineApi(WARDLINE.server());
        WardlineApi.Account admin = api.bootstrapAdmin("matrix.root");
        WardlineApi.Reply t = api.post("/v1/admin/teams", admin.accessToken, new JsonObject().put("name", "Ward 7"));
        assertThat(t.status()).as(String.valueOf(t.json())).isEqualTo(200);
        team = UUID.fromString(t.json().getString("id"));
        // The first other administrator is made on the first day; every later privileged role through an approved
        // elevation, as separation of duties asks once someone else can approve.
        WardlineApi.Account second = api.createAndSignIn(admin, "matrix." + Role.ADMIN.wireName(),
                new JsonArray().add(Role.ADMIN.wireName()), "2099-12-31");
        for (Role role : Role.values()) {
            String name = "matrix." + role.wireName();
            WardlineApi.Account a = role == Role.ADMIN ? second
                    : SeparationOfDuties.PRIVILEGED.contains(role) ? api.createPrivileged(admin, second, name, role.wireName(), "2099-12-31")
                    : api.createAndSignIn(admin, name, new JsonArray().add(role.wireName()), "2099-12-31");
            assertThat(api.call("PUT", "/v1/admin/teams/" + team + "/members/" + a.id, admin.accessToken, null).status()).isEqualTo(200);
            ACCOUNTS.put(role, a);
        }
    }

    @Test
    void everyRouteOnEveryListenerDeclaresItsPermission() {
        RouteRegistry routes = WARDLINE.server().routes();
        for (RouteRegistry.Listener l : RouteRegistry.Listener.values()) {
            assertThat(routes.undeclared(l)).as(l + " routes without a declared permission").isEmpty();
        }
        assertThat(routes.endpoints()).extracting(Endpoint::path).contains("/health/ready", "/v1/auth/login", "/v1/admin/users");
        assertThat(routes.endpoints()).filteredOn(e -> e.listener() == RouteRegistry.Listener.DEVICE).isNotEmpty();
        List<String> operations = routes.operations().stream().map(Operation::name).toList();
        for (org.wardline.protocol.wire.FrameType t : org.wardline.protocol.wire.FrameType.values()) {
            if (t.fromDevice()) {
                assertThat(operations).as("WebSocket frame " + t + " without a declared operation")
                        .contains(org.wardline.server.delivery.FrameOperations.name(t));
            }
        }
    }

    @Test
    void everyRoleGetsExactlyTheOperationsItsPermissionsAllow() throws Exception {
        List<Endpoint> endpoints = new ArrayList<>(WARDLINE.server().routes().endpoints().stream()
                .filter(e -> e.listener() == RouteRegistry.Listener.PUBLIC && e.permission() != Permission.PUBLIC).toList());
        // sign-out last: it ends the session the rest of the walk uses
        endpoints.sort((a, b) -> Boolean.compare(a.path().startsWith("/v1/auth/logout"), b.path().startsWith("/v1/auth/logout")));
        assertThat(endpoints).hasSizeGreaterThan(15);
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Role role : Role.values()) {
            WardlineApi.Account a = ACCOUNTS.get(role);
            for (Endpoint e : endpoints) {
                if (e.path().equals("/v1/auth/logout")) {
                    continue; // it would end the session; /v1/auth/logout-all (same permission) runs last instead
                }
                String path = e.path().replaceAll(":teamId", team.toString()).replaceAll(":[A-Za-z]+", UUID.randomUUID().toString());
                boolean hasBody = e.method() == HttpMethod.POST || e.method() == HttpMethod.PUT;
                WardlineApi.Reply r = api.call(e.method().name(), path, a.accessToken, hasBody ? new JsonObject() : null);
                boolean allowed = RolePermissions.of(role).contains(e.permission());
                boolean refused = r.status() == 403 && "auth.forbidden".equals(r.error());
                boolean unauthenticated = r.status() == 401;
                if (unauthenticated || allowed == refused) {
                    mismatches.add(role.wireName() + " " + e.describe() + " (" + e.permission() + ") -> " + r.status() + " " + r.error());
                }
                checked++;
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(checked).isEqualTo(Role.values().length * (endpoints.size() - 1));
    }

    @Test
    void onTheDeviceListenerEveryRoleGetsExactlyWhatItsPermissionsAllow() throws Exception {
        List<Endpoint> endpoints = WARDLINE.server().routes().endpoints().stream()
                .filter(e -> e.listener() == RouteRegistry.Listener.DEVICE && e.permission() != Permission.PUBLIC
                        && e.permission() != Permission.ENROLLED_DEVICE && !e.path().startsWith("/v1/auth/logout")).toList();
        assertThat(endpoints).extracting(Endpoint::path).contains("/v1/files", "/v1/files/:id", "/v1/share-links", "/v1/ws");
        List<String> mismatches = new ArrayList<>();
        for (Role role : Role.values()) {
            WardlineApi.Account a = ACCOUNTS.get(role);
            org.wardline.clients.sdk.DeviceIdentity device = org.wardline.server.testing.EnrolledDevices.enrollOnly(WARDLINE.server(), a.id);
            org.wardline.clients.sdk.SignIn.password(device, a.username, org.wardline.protocol.Secret.of(WardlineApi.PASSWORD),
                    () -> org.wardline.clients.sdk.SignIn.SecondFactor.totp(org.wardline.protocol.Secret.of(a.nextCode())));
            WardlineApi onDevice = WardlineApi.onDevice(WARDLINE.server(), device.sslContext());
            String bearer = device.accessToken().reveal();
            for (Endpoint e : endpoints) {
                String path = e.path().replaceAll(":teamId", team.toString()).replaceAll(":[A-Za-z]+", UUID.randomUUID().toString());
                boolean hasBody = e.method() == HttpMethod.POST || e.method() == HttpMethod.PUT;
                WardlineApi.Reply r = onDevice.call(e.method().name(), path, bearer, hasBody ? new JsonObject() : null);
                boolean allowed = RolePermissions.of(role).contains(e.permission());
                boolean refused = r.status() == 403 && "auth.forbidden".equals(r.error());
                if (r.status() == 401 || allowed == refused) {
                    mismatches.add(role.wireName() + " " + e.describe() + " (" + e.permission() + ") -> " + r.status() + " " + r.error());
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyDeclaredWebSocketOperationFollowsTheRoleTable() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        List<Operation> operations = WARDLINE.server().routes().operations();
        assertThat(operations).extracting(Operation::name).contains("ws.hello", "ws.send", "ws.ack", "ws.receipt");
        for (Operation op : operations) {
            assertThat(java.util.Arrays.stream(Role.values()).filter(r -> RolePermissions.of(r).contains(op.permission())))
                    .as(op.name() + " allowed to some role").isNotEmpty();
            assertThat(java.util.Arrays.stream(Role.values()).filter(r -> !RolePermissions.of(r).contains(op.permission())))
                    .as(op.name() + " denied to some role").isNotEmpty();
        }
        for (Role role : Role.values()) {
            var user = WARDLINE.server().accessControl().users().byId(ACCOUNTS.get(role).id).toCompletionStage().toCompletableFuture()
                    .get().orElseThrow();
            var session = new org.wardline.server.auth.Session(UUID.randomUUID(), user.id(), null, now, now, "test");
            Principal p = new Principal(user, session, java.util.Set.of(), java.util.Set.of(team), java.util.Set.of(), java.time.LocalDate.now());
            for (Operation op : WARDLINE.server().routes().operations()) {
                boolean refused = op.check(p, now).filter(c -> c == org.wardline.protocol.ErrorCode.FORBIDDEN).isPresent();
                assertThat(refused).as(role + " " + op.name()).isEqualTo(!RolePermissions.of(role).contains(op.permission()));
            }
        }
    }

    @Test
    void operationsNeedASignInAtAll() throws Exception {
        for (Endpoint e : WARDLINE.server().routes().endpoints()) {
            if (e.listener() != RouteRegistry.Listener.PUBLIC || e.permission() == Permission.PUBLIC) {
                continue;
            }
            String path = e.path().replaceAll(":[A-Za-z]+", UUID.randomUUID().toString());
            WardlineApi.Reply r = api.call(e.method().name(), path, null, null);
            assertThat(r.status()).as(e.describe()).isEqualTo(401);
            assertThat(r.error()).as(e.describe()).isEqualTo("auth.required");
        }
    }

    /** Separation of duties, for every role granted by another person, by oneself, and with or without approval. */
    @Test
    void separationOfDutiesHoldsForEveryRole() {
        UUID actor = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        for (Role role : Role.values()) {
            java.util.Set<Role> before = java.util.Set.of();
            java.util.Set<Role> after = java.util.Set.of(role);
            boolean privileged = SeparationOfDuties.PRIVILEGED.contains(role);
            assertThat(SeparationOfDuties.roleChange(actor, actor, before, after, after)).as("%s to oneself", role)
                    .contains(org.wardline.protocol.ErrorCode.ROLE_SELF_GRANT);
            assertThat(SeparationOfDuties.roleChange(actor, other, before, after, java.util.Set.of()))
                    .as("%s to another without a second approval", role)
                    .isEqualTo(privileged ? java.util.Optional.of(org.wardline.protocol.ErrorCode.ROLE_APPROVAL_REQUIRED)
                            : java.util.Optional.empty());
            assertThat(SeparationOfDuties.roleChange(actor, other, before, after, after))
                    .as("%s to another with an elevation a second administrator approved", role).isEmpty();
            assertThat(SeparationOfDuties.roleChange(actor, actor, after, before, java.util.Set.of()))
                    .as("giving up %s oneself", role).isEmpty();
            assertThat(SeparationOfDuties.accountCreation(after, true))
                    .as("a new account with %s once a second approver exists", role)
                    .isEqualTo(privileged ? java.util.Optional.of(org.wardline.protocol.ErrorCode.ROLE_APPROVAL_REQUIRED)
                            : java.util.Optional.empty());
            assertThat(SeparationOfDuties.accountCreation(after, false))
                    .as("a new account with %s on the first day, with nobody else to approve", role).isEmpty();
        }
        for (Role role : Role.values()) {
            assertThat(SeparationOfDuties.APPROVERS.contains(role)).as("%s approves elevations", role)
                    .isEqualTo(RolePermissions.of(role).contains(Permission.ELEVATION_APPROVE));
        }
        assertThat(SeparationOfDuties.PRIVILEGED).containsExactlyInAnyOrder(Role.ADMIN, Role.SECURITY_OFFICER, Role.AUDITOR, Role.RECORDS_CUSTODIAN);
        for (Role role : Role.values()) {
            java.util.Set<Permission> p = RolePermissions.of(role);
            if (p.contains(Permission.ROLE_MANAGE) || p.contains(Permission.ELEVATION_APPROVE) || p.contains(Permission.AUDIT_READ)) {
                assertThat(SeparationOfDuties.PRIVILEGED).as("%s changes access or reads the trail", role).contains(role);
            }
        }
        assertThat(SeparationOfDuties.mayApproveElevation(actor, actor)).isFalse();
        assertThat(SeparationOfDuties.mayApproveElevation(actor, other)).isTrue();
        assertThat(SeparationOfDuties.signOff(actor, java.util.Set.of(actor)))
                .contains(org.wardline.protocol.ErrorCode.REVIEW_SIGNER_LISTED);
        assertThat(SeparationOfDuties.signOff(actor, java.util.Set.of(other))).isEmpty();
    }
}
