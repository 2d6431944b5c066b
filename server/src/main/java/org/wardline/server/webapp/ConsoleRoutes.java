package org.wardline.server.webapp;

import io.vertx.core.http.HttpMethod;
import org.wardline.server.ApiModule;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;

import java.util.Map;

/**
 * The security officer's web console (clients/web/console, bundled by esbuild into the jar) on the public listener
 * under {@code /console/}, under the web app's policy ({@link WebAppRoutes#CSP}). The page holds no data of its
 * own: it signs in as this browser's device and calls the same {@code /v1/admin} routes as the CLI (ADR 0016c).
 */
public final class ConsoleRoutes implements ApiModule {
    public static final String BASE = "/console/";
    private static final Map<String, String> TYPES = Map.of("index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8", "console.css", "text/css; charset=utf-8");

    private final BundledFiles files = new BundledFiles("console/", TYPES, "clients/web/console");

    @Override
    public void mount(RouteRegistry routes) {
        RouteRegistry.Listener pub = RouteRegistry.Listener.PUBLIC;
        routes.on(pub, HttpMethod.GET, BASE).permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, "index.html"));
        routes.on(pub, HttpMethod.GET, BASE + "console.js").permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, "console.js"));
        routes.on(pub, HttpMethod.GET, BASE + "console.css").permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, "console.css"));
    }
}
