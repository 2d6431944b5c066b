package org.wardline.server.webapp;

import io.vertx.core.http.HttpMethod;
import org.wardline.server.ApiModule;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;

import java.util.Map;

/**
 * The clinicians' web app (clients/web/app, bundled by esbuild into the jar) on the public listener under
 * {@code /app/}: files read once from the classpath, served under a policy that allows this origin's own script,
 * style and API calls and nothing else (no inline script or style, no third-party origin, no framing).
 */
public final class WebAppRoutes implements ApiModule {
    public static final String BASE = "/app/";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of("index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8", "app.css", "text/css; charset=utf-8");

    private final BundledFiles files = new BundledFiles("", TYPES, "clients/web/app");

    @Override
    public void mount(RouteRegistry routes) {
        RouteRegistry.Listener pub = RouteRegistry.Listener.PUBLIC;
        // Vert.x matches "/app" here too; the page names its files by absolute path, so both work.
        routes.on(pub, HttpMethod.GET, BASE).permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, "index.html"));
        routes.on(pub, HttpMethod.GET, BASE + "app.js").permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, "app.js"));
        routes.on(pub, HttpMethod.GET, BASE + "app.css").permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, "app.css"));
    }
}
