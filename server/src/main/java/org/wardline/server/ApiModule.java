package org.wardline.server;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.wardline.server.rbac.RouteRegistry;

/**
 * A feature's HTTP surface (device enrollment, uploads, share links …). The composition root builds each
 * module with what it needs and lets it add routes to the listeners; a module adds nothing to a listener it
 * has no business on.
 */
public interface ApiModule {
    /**
     * Routes declared with the permission each needs ({@link RouteRegistry}: one place mounts and records them).
     * Prefer this to the raw routers below: a route a module mounts on a router directly has no declared
     * permission, and the role × operation matrix test fails on it.
     */
    default void mount(RouteRegistry routes) {
    }

    /** Routes on the public listener (server TLS, no client certificate). */
    default void mountPublic(Router router) {
    }

    /** Routes on the device listener (mutual TLS: the client certificate is verified before any route runs). */
    default void mountDevice(Router router) {
    }

    /** Routes on the ops listener (plain HTTP on loopback or a management network): operator-only endpoints. */
    default void mountOps(Router router) {
    }

    /**
     * Called for each listener ({@code public}, {@code device}, {@code ops}) once its server exists and before
     * it listens: a module may set a connection handler, or keep the server to update its TLS options later.
     */
    default void configureListener(String name, HttpServer server, HttpServerOptions options) {
    }

    /** Called once every listener is open; the server's start waits for the returned future. */
    default Future<Void> start() {
        return Future.succeededFuture();
    }
}
