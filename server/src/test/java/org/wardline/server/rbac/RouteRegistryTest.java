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
        assertThat(RolePermissions.requiresMfa(java.util.Set.of(Role.AUDITOR))).isFalse();
        for (Role r : Role.values()) {
            assertThat(RolePermissions.of(r)).as(r.name()).contains(Permission.SELF).doesNotContain(Permission.PUBLIC);
        }
    }
}
