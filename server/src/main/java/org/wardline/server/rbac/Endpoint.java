package org.wardline.server.rbac;

import io.vertx.core.http.HttpMethod;

/**
 * One HTTP operation and what it needs: the permission, whether a fresh second factor is required
 * (step-up), and the path parameter naming the care team it is scoped to, if any.
 */
public record Endpoint(RouteRegistry.Listener listener, HttpMethod method, String path, Permission permission,
                       boolean stepUp, String teamParam) {

    public String describe() {
        return listener.name().toLowerCase(java.util.Locale.ROOT) + " " + method + " " + path;
    }
}
