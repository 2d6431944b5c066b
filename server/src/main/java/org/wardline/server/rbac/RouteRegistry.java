package org.wardline.server.rbac;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one place an HTTP route is mounted together with the permission it needs. Declaring a route both mounts
 * it and records it; {@link #undeclared} finds any route a module put on a listener's router without going
 * through here, so a test (and the start-up check) can fail on it. Each declared route runs: body limit (when
 * it takes JSON) → authentication (unless public) → {@link Authorizer} → the handler.
 */
public final class RouteRegistry {
    public enum Listener { PUBLIC, DEVICE }

    private static final long JSON_BODY_LIMIT = 64 * 1024;

    private final Map<Listener, Router> routers = new EnumMap<>(Listener.class);
    private final Map<Listener, Handler<RoutingContext>> authenticators = new EnumMap<>(Listener.class);
    private final Authorizer authorizer;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Set<Route> declared = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Operation> operations = new java.util.concurrent.ConcurrentSkipListMap<>();

    public RouteRegistry(Router publicRouter, Router deviceRouter, Handler<RoutingContext> publicAuthenticator,
                         Handler<RoutingContext> deviceAuthenticator, Authorizer authorizer) {
        routers.put(Listener.PUBLIC, publicRouter);
        routers.put(Listener.DEVICE, deviceRouter);
        authenticators.put(Listener.PUBLIC, publicAuthenticator);
        authenticators.put(Listener.DEVICE, deviceAuthenticator);
        this.authorizer = authorizer;
    }

    /** Starts declaring {@code method path} on {@code listener}; finish with {@link Declaration#handler}. */
    public Declaration on(Listener listener, HttpMethod method, String path) {
        return new Declaration(listener, method, path);
    }

    /**
     * Records the routes already on a listener (health, metrics mounted by the composition root) as public
     * infrastructure. Call it before any feature module mounts; later routes must be declared.
     */
    public void adoptInfrastructure(Listener listener) {
        for (Route r : routers.get(listener).getRoutes()) {
            if (hasPath(r) && declared.add(r)) {
                for (HttpMethod m : methods(r)) {
                    endpoints.add(new Endpoint(listener, m, r.getPath(), Permission.PUBLIC, false, null));
                }
            }
        }
    }

    /**
     * Adds a handler in front of every route under {@code path}, a prefix ending in {@code /*} (a check such as "the client certificate
     * belongs to an active device"); it answers no request itself, so it declares no permission of its own.
     */
    public void filter(Listener listener, String path, Handler<RoutingContext> handler) {
        if (!path.endsWith("/*")) {
            throw new IllegalArgumentException("a filter covers a path prefix such as /v1/*: " + path);
        }
        String prefix = path.substring(0, path.length() - 1);
        String bare = prefix.substring(0, prefix.length() - 1);
        // Mounted without a path and matched here: Vert.x names a request's metrics route after every route with a
        // path it passed through ("/v1/>/v1/admin/users"), and a filter is not the route a request was for.
        declared.add(routers.get(listener).route().handler(ctx -> {
            String p = ctx.normalizedPath();
            if (p.startsWith(prefix) || p.equals(bare)) {
                handler.handle(ctx);
            } else {
                ctx.next();
            }
        }));
    }

    /** Declares a WebSocket (or other non-HTTP) operation; a name can be declared once. */
    public Operation operation(String name, Permission permission, boolean stepUp) {
        Operation op = new Operation(name, permission, stepUp, authorizer.stepUpWindow());
        if (operations.putIfAbsent(name, op) != null) {
            throw new IllegalStateException("operation " + name + " is declared twice");
        }
        return op;
    }

    /** Decides declared operations (WebSocket frames) for their handlers. */
    public Authorizer authorizer() {
        return authorizer;
    }

    public List<Operation> operations() {
        return List.copyOf(operations.values());
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    /** Routes with a path on {@code listener} that were not declared here: each is a missing permission. */
    public List<String> undeclared(Listener listener) {
        List<String> out = new ArrayList<>();
        for (Route r : routers.get(listener).getRoutes()) {
            if (hasPath(r) && !declared.contains(r)) {
                out.add(listener.name().toLowerCase(java.util.Locale.ROOT) + " " + methods(r) + " "
                        + Objects.requireNonNullElse(r.getPath(), "(regex)"));
            }
        }
        return out;
    }

    private static boolean hasPath(Route r) {
        return r.getPath() != null || r.isRegexPath();
    }

    private static Set<HttpMethod> methods(Route r) {
        Set<HttpMethod> m = r.methods();
        return m == null || m.isEmpty() ? Set.of(HttpMethod.valueOf("ANY")) : m;
    }

    /** A route being declared. */
    public final class Declaration {
        private final Listener listener;
        private final HttpMethod method;
        private final String path;
        private Permission permission;
        private boolean stepUp;
        private String teamParam;
        private boolean json;

        private Declaration(Listener listener, HttpMethod method, String path) {
            this.listener = listener;
            this.method = method;
            this.path = path;
        }

        public Declaration permission(Permission p) {
            this.permission = p;
            return this;
        }

        /** The action is sensitive: a second factor within the step-up window is required. */
        public Declaration stepUp() {
            this.stepUp = true;
            return this;
        }

        /** The action touches one care team's data, named by path parameter {@code param}. */
        public Declaration team(String param) {
            this.teamParam = param;
            return this;
        }

        /** The request carries a JSON body (at most 64 KiB). */
        public Declaration json() {
            this.json = true;
            return this;
        }

        public Endpoint handler(Handler<RoutingContext> handler) {
            if (permission == null) {
                throw new IllegalStateException(method + " " + path + " declares no permission");
            }
            if (permission == Permission.ENROLLED_DEVICE && listener != Listener.DEVICE) {
                throw new IllegalStateException(method + " " + path + ": ENROLLED_DEVICE exists on the device listener only");
            }
            Endpoint e = new Endpoint(listener, method, path, permission, stepUp, teamParam);
            Route route = routers.get(listener).route(method, path);
            route.handler(org.wardline.server.http.AccessLog.routePattern(path));
            if (json) {
                route.handler(BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT));
            }
            if (permission != Permission.PUBLIC && permission != Permission.ENROLLED_DEVICE) {
                route.handler(authenticators.get(listener));
                route.handler(ctx -> authorizer.authorize(ctx, e));
            }
            route.handler(handler);
            declared.add(route);
            endpoints.add(e);
            return e;
        }
    }
}
