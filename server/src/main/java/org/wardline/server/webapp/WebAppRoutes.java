package org.wardline.server.webapp;

import io.vertx.core.http.HttpMethod;
import org.wardline.server.ApiModule;
import org.wardline.server.rbac.Permission;
import org.wardline.server.rbac.RouteRegistry;

import java.util.List;
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
            "app.js", "text/javascript; charset=utf-8", "app.css", "text/css; charset=utf-8",
            "manifest.webmanifest", "application/manifest+json", "sw.js", "text/javascript; charset=utf-8",
            "icon-192.png", "image/png", "icon-512.png", "image/png");

    private final BundledFiles files = new BundledFiles("", TYPES, "clients/web/app");

    @Override
    public void mount(RouteRegistry routes) {
        RouteRegistry.Listener pub = RouteRegistry.Listener.PUBLIC;
        // Vert.x matches "/app" here too; the page names its files by absolute path, so both work.
        routes.on(pub, HttpMethod.GET, BASE).permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, "index.html"));
        routes.on(pub, HttpMethod.GET, BASE + "app.js").permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, "app.js"));
        routes.on(pub, HttpMethod.GET, BASE + "app.css").permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, "app.css"));
        // Installable (a PWA): the manifest, its icons, and the service worker that keeps the app's own files for
        // when the network is gone (never an API answer).
        for (String file : List.of("manifest.webmanifest", "sw.js", "icon-192.png", "icon-512.png")) {
            routes.on(pub, HttpMethod.GET, BASE + file).permission(Permission.PUBLIC).handler(ctx -> files.send(ctx, file));
        }
    }
}
