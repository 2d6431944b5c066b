package org.wardline.server.rbac;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wardline.server.account.Role;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteRegistryTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void aRouteMountedBehindTheRegistrysBackIsFound() {
        Router pub = Router.router(vertx);
        Router dev = Router.router(vertx);
        pub.route().handler(ctx -> ctx.next()); // global handlers have no path and need no declaration
        pub.get("/health/live").handler(ctx -> ctx.end());
        RouteRegistry registry = new RouteRegistry(pub, dev, ctx -> ctx.next(), ctx -> ctx.next(),
                new Authorizer(e -> { }, Duration.ofMinutes(5), Clock.systemUTC()));
        registry.adoptInfrastructure(RouteRegistry.Listener.PUBLIC);
        registry.on(RouteRegistry.Listener.PUBLIC, HttpMethod.GET, "/v1/declared").permission(Permission.SELF).handler(ctx -> ctx.end());
        assertThat(registry.undeclared(RouteRegistry.Listener.PUBLIC)).isEmpty();

        pub.post("/v1/sneaky").handler(ctx -> ctx.end());
        dev.route("/v1/files/*").handler(ctx -> ctx.end());
        assertThat(registry.undeclared(RouteRegistry.Listener.PUBLIC)).containsExactly("public [POST] /v1/sneaky");
        assertThat(registry.undeclared(RouteRegistry.Listener.DEVICE)).hasSize(1).first().asString().contains("/v1/files/");
        assertThat(registry.endpoints()).extracting(Endpoint::path).containsExactly("/health/live", "/v1/declared");
    }

    private static Principal principal(Role role, java.time.LocalDate training, java.time.Instant mfaAt) {
        var user = new org.wardline.server.account.User(java.util.UUID.randomUUID(), "u", null, null,
                org.wardline.server.account.UserStatus.ACTIVE, training, java.util.Set.of(role));
        var session = new org.wardline.server.auth.Session(java.util.UUID.randomUUID(), user.id(), null, java.time.Instant.now(), mfaAt, "t");
        return new Principal(user, session, java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), java.time.LocalDate.now());
    }

    @Test
    void webSocketOperationsAreDeclaredOnceAndCheckedLikeRoutes() {
        RouteRegistry registry = new RouteRegistry(Router.router(vertx), Router.router(vertx), ctx -> ctx.next(), ctx -> ctx.next(),
                new Authorizer(e -> { }, Duration.ofMinutes(5), Clock.systemUTC()));
        for (Permission p : Permission.values()) {
            if (p != Permission.PUBLIC) {
                registry.operation("op." + p.name().toLowerCase(), p, false);
            }
        }
        Operation export = registry.operation("export.bulk", Permission.PHI_EXPORT, true);
        assertThatThrownBy(() -> registry.operation("export.bulk", Permission.SELF, false)).hasMessageContaining("declared twice");

        java.time.Instant now = java.time.Instant.now();
        java.time.LocalDate trained = java.time.LocalDate.now().plusYears(1);
        int checked = 0;
        for (Role role : Role.values()) {
            Principal p = principal(role, trained, now);
            for (Operation op : registry.operations()) {
                boolean allowed = RolePermissions.of(role).contains(op.permission());
                assertThat(op.check(p, now).isEmpty()).as(role + " " + op.name()).isEqualTo(allowed);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(Role.values().length * Permission.values().length);

        Principal clinician = principal(Role.CLINICIAN, trained, now.minus(Duration.ofMinutes(10)));
        assertThat(export.check(clinician, now)).contains(org.wardline.protocol.ErrorCode.STEP_UP_REQUIRED);
        Principal lapsed = principal(Role.CLINICIAN, java.time.LocalDate.now().minusDays(1), now);
        assertThat(registry.operations().stream().filter(o -> o.name().equals("op.message_read")).findFirst().orElseThrow()
                .check(lapsed, now)).contains(org.wardline.protocol.ErrorCode.TRAINING_EXPIRED);
    }

    @Test
    void aDeclarationWithoutAPermissionIsRefused() {
        RouteRegistry registry = new RouteRegistry(Router.router(vertx), Router.router(vertx), ctx -> ctx.next(), ctx -> ctx.next(),
                new Authorizer(e -> { }, Duration.ofMinutes(5), Clock.systemUTC()));
        assertThatThrownBy(() -> registry.on(RouteRegistry.Listener.PUBLIC, HttpMethod.GET, "/v1/x").handler(ctx -> ctx.end()))
                .hasMessageContaining("declares no permission");
    }

    @Test
    void theRoleTableKeepsAdminsOutOfPhiAndAuditorsReadOnly() {
        assertThat(RolePermissions.of(Role.ADMIN)).noneMatch(Permission::phi);
        assertThat(RolePermissions.of(Role.AUDITOR)).noneMatch(Permission::changes).contains(Permission.AUDIT_READ);
        assertThat(RolePermissions.of(Role.SECURITY_OFFICER)).noneMatch(Permission::phi);
        assertThat(RolePermissions.requiresMfa(java.util.Set.of(Role.ADMIN))).isTrue();
        assertThat(RolePermissions.requiresMfa(java.util.Set.of(Role.BILLING))).isTrue();
        assertThat(RolePermissions.requiresMfa(java.util.Set.of(Role.AUDITOR))).as("the trail discloses PHI").isTrue();
        assertThat(RolePermissions.requiresMfa(java.util.Set.of(Role.RECORDS_CUSTODIAN))).isTrue();
        for (Role r : Role.values()) {
            assertThat(RolePermissions.of(r)).as(r.name()).contains(Permission.SELF).doesNotContain(Permission.PUBLIC);
        }
    }
}
